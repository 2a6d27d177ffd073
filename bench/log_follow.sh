#!/bin/bash
# bench/log_follow.sh: following a container that writes RATE lines a second
# (dify-sim's scenario rule logRate) for SECONDS: the client's follow path
# (bench/kube_logs: kube_logs, the line splitter and a ring of the last
# 10,000 lines, as a log view keeps them) with its RSS sampled every EVERY
# seconds, and kubectl logs -f on the same pod in the same run as the
# reference. Not part of the test suite (docs/bench.md).
#   bench/log_follow.sh [SECONDS] [BUILD_DIR]   (SECONDS default 600; RATE=1000 EVERY=60)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
. "$src/bench/noisylib.sh"
noisy_args dify-sim-logs "$@"
trap noisy_cleanup EXIT
trap 'exit 1' INT TERM
noisy_start
kubectl_follow
sleep 1
echo "rate_lines_per_s $rate"
echo "kubectl_rss_first_mb $(rss_of $kpid)"
echo "sim_rss_first_mb $(rss_of $pid)"
"$build/bench/kube_logs" --kubeconfig "$KUBECONFIG" --namespace logs --pod chatty \
    --seconds "$secs" --every "$every" || true
echo "kubectl_rss_last_mb $(rss_of $kpid)"
echo "sim_rss_last_mb $(rss_of $pid)"
