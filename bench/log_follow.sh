#!/bin/bash
# bench/log_follow.sh: following a container that writes RATE lines a second
# (dify-sim's scenario rule logRate) for SECONDS: the client's follow path
# (bench/kube_logs: kube_logs, the line splitter and a ring of the last
# 10,000 lines, as a log view keeps them) with its RSS sampled every EVERY
# seconds, and kubectl logs -f on the same pod in the same run as the
# reference. Not part of the test suite (docs/bench.md).
#   bench/log_follow.sh [SECONDS] [BUILD_DIR]   (SECONDS default 600; RATE=1000 EVERY=60)
set -eu
secs=${1:-600}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$src}
rate=${RATE:-1000}
every=${EVERY:-60}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dify-sim-logs.XXXXXX")
pid=
kpid=
trap '[ -z "$kpid" ] || kill "$kpid" 2>/dev/null; [ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
cat >"$tmp/scn.yaml" <<EOS
name: logs
objects:
  - {apiVersion: v1, kind: Namespace, metadata: {name: logs}}
  - apiVersion: v1
    kind: Pod
    metadata: {name: chatty, namespace: logs}
    spec: {containers: [{name: main, image: "busybox:1.36"}]}
pods:
  - match: {namePrefix: chatty}
    logRate: $rate
EOS
"$build/sim/dify-sim" --speed 10 --scenario "$tmp/scn.yaml" --kubeconfig-out "$tmp/kc.json" \
    2>"$tmp/err" &
pid=$!
export KUBECONFIG="$tmp/kc.json" NO_PROXY=127.0.0.1,localhost
i=0
until [ -s "$tmp/kc.json" ] &&
    [ "$(kubectl get pod -n logs chatty -o jsonpath='{.status.phase}' 2>/dev/null)" = Running ]; do
    i=$((i + 1))
    [ $i -gt 600 ] && { echo "the chatty pod did not start: $(cat "$tmp/err")" >&2; exit 1; }
    sleep 0.1
done
rss_of() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
kubectl logs -f -n logs chatty --tail=0 >/dev/null 2>&1 &
kpid=$!
sleep 1
echo "rate_lines_per_s $rate"
echo "kubectl_rss_first_mb $(rss_of $kpid)"
echo "sim_rss_first_mb $(rss_of $pid)"
"$build/bench/kube_logs" --kubeconfig "$KUBECONFIG" --namespace logs --pod chatty \
    --seconds "$secs" --every "$every" || true
echo "kubectl_rss_last_mb $(rss_of $kpid)"
echo "sim_rss_last_mb $(rss_of $pid)"
