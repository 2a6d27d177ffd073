#!/bin/bash
# bench/sim_pods.sh: load 10,000 pods into dify-sim (assets/scenarios/bulk.yaml:
# 10,000 bare pods in namespace "load" and 50 changes a second), then time
# full lists with the real kubectl and report the simulator's memory.
# Not part of the test suite. Usage: bench/sim_pods.sh [BUILD_DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src}
sim="$build/sim/dify-sim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dify-sim-bench.XXXXXX")
"$sim" --print-kubeconfig --speed 10 --scenario "$src/assets/scenarios/bulk.yaml" \
    >"$tmp/kc.json" 2>"$tmp/err" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
export KUBECONFIG="$tmp/kc.json"

rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{printf "%.2f s", $2 - $1}'; }

t0=$(now)
i=0
until [ -s "$tmp/kc.json" ] && kubectl get --raw /version >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -gt 600 ] && { echo "dify-sim did not come up: $(cat "$tmp/err")"; exit 1; }
    sleep 0.1
done
echo "dify-sim up with 10,000 pods after $(elapsed "$t0" "$(now)"); RSS $(rss)"
# let the pods reach Running so the objects have their full status
i=0
until [ "$(kubectl get pods -n load --field-selector status.phase=Pending -o name | wc -l)" -eq 0 ]; do
    i=$((i + 1))
    [ $i -gt 120 ] && break
    sleep 1
done
echo "pods Running after $(elapsed "$t0" "$(now)"); RSS $(rss)"

n=$(kubectl get pods -A -o name | wc -l)
echo "pods listed: $n"
for args in "-o json" "-o name" ""; do
    t=$(now)
    # shellcheck disable=SC2086
    kubectl get pods -A $args >"$tmp/out"
    echo "kubectl get pods -A ${args:-(table)}: $(elapsed "$t" "$(now)"), $(wc -c <"$tmp/out") bytes"
done
server=$(grep -o '"server":"[^"]*"' "$tmp/kc.json" | cut -d'"' -f4)
token=$(grep -o '"token":"[^"]*"' "$tmp/kc.json" | sed -n 1p | cut -d'"' -f4)
t=$(now)
curl -sk -H "Authorization: Bearer $token" "$server/api/v1/pods" -o "$tmp/raw"
echo "curl GET /api/v1/pods (raw JSON list): $(elapsed "$t" "$(now)"), $(wc -c <"$tmp/raw") bytes"
echo "dify-sim RSS after the lists: $(rss)"

# --- product client: list time and store memory, same server, same run ---
if [ -x "$build/dify-tui" ]; then
    t=$(now)
    "$build/dify-tui" --kubeconfig "$KUBECONFIG" get pods -A -o name --stats \
        >"$tmp/client.out" 2>"$tmp/client.err"
    echo "dify-tui get pods -A -o name (product client): $(elapsed "$t" "$(now)"), $(wc -l <"$tmp/client.out") pods"
    sed 's/^/  client: /' "$tmp/client.err"
    if cmp -s "$tmp/client.out" <(kubectl get pods -A -o name 2>/dev/null); then
        echo "  client and kubectl list the same pod names"
    fi
    [ -x /usr/bin/time ] && /usr/bin/time -f "  dify-tui peak RSS: %M kB" "$build/dify-tui" --kubeconfig "$KUBECONFIG" \
        get pods -A -o name >/dev/null 2>"$tmp/time.err" && tail -n 1 "$tmp/time.err"
fi
