#!/bin/bash
# bench/list_modes.sh: the first complete list of a watched namespace, paged
# (limit=500 pages, then a watch: what status and the dashboard do by
# default) against one streaming list (a watch with sendInitialEvents=true
# that ends its initial events with a bookmark), on the client's store path
# (bench/kube_watch) against dify-sim with N bare pods, ROUNDS rounds taken
# in turn, with the simulator's CPU for each list. Prints "MODE_ROUND key
# value" lines: synced_s, synced_cpu_us_per_pod, rss_synced_mb and
# rss_peak_mb (the client's), sim_cpu_s (the server's CPU while it listed).
# docs/bench.md; not part of the test suite.
#   bench/list_modes.sh [N] [BUILD_DIR]      (N default 10000; ROUNDS=3)
set -eu
n=${1:-10000}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$src}
rounds=${ROUNDS:-3}
. "$src/bench/simup.sh"
bulk_setup dify-list-modes "$n"
sim_up
until kubectl get --raw "/api/v1/namespaces/load/pods?fieldSelector=status.phase%3DPending&limit=1" |
    grep -q '"items":\[\]'; do
    sleep 1
done
sleep 2
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
echo "pods $n"
for r in $(seq 1 "$rounds"); do
    for mode in paged stream; do
        flag=
        [ $mode = stream ] && flag=--stream
        c0=$(ticks)
        "$build/bench/kube_watch" --kubeconfig "$KUBECONFIG" --namespace load --seconds 1 $flag \
            >"$tmp/out"
        c1=$(ticks)
        grep -E '^(streamed|synced_s|synced_cpu|rss_synced|rss_peak)' "$tmp/out" | sed "s/^/${mode}_$r /"
        # the server's CPU includes the one idle second after the list
        awk -v a="$c0" -v b="$c1" -v hz="$hz" -v m="${mode}_$r" \
            'BEGIN {printf "%s sim_cpu_s %.2f\n", m, (b - a) / hz}'
    done
done
