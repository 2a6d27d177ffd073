#!/bin/bash
# bench/proto_alt.sh: protobuf against JSON for pods, alternating in one
# run against one dify-sim with N bare pods (assets/scenarios/bulk.yaml's
# shape): each round runs curl's unpaged GET with protobuf first and with
# JSON, `dify-tui get pods -o name --stats` with protobuf (the default) and
# with DIFY_TUI_KUBE_JSON=1, and `dify-tui status` both ways, so the
# client's CPU per pod and status against curl of the same encoding are
# compared under the same load (docs/bench.md, Protobuf).
# Prints one "key value" line a measure and round, then each key's range.
# Not part of the test suite.
#   bench/proto_alt.sh [N] [ROUNDS] [BUILD_DIR]   (N default 100000, ROUNDS 4)
set -eu
n=${1:-100000}
rounds=${2:-4}
src=$(cd "$(dirname "$0")/.." && pwd)
build=${3:-$src}
. "$src/bench/simup.sh"
bulk_setup dify-proto-alt "$n"
sim_up --history 20000
sim_creds
PB="application/vnd.kubernetes.protobuf, application/json"
get() { curl -sk -H "Authorization: Bearer $token" -H "Accept: $1" "$server$2"; }
i=0
until [ "$(get application/json "/api/v1/namespaces/load/pods" |
    grep -o '"type":"Ready","status":"True"' | wc -l)" -ge "$n" ]; do
    i=$((i + 1))
    [ $i -gt 900 ] && { echo "pods still not Ready" >&2; exit 1; }
    sleep 1
done
sleep 2
echo "list_json_bytes $(get application/json /api/v1/namespaces/load/pods | wc -c)"
echo "list_protobuf_bytes $(get "$PB" /api/v1/namespaces/load/pods | wc -c)"
echo "load_average $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # run ENC: one round's measures of encoding ENC (protobuf or json)
    local enc=$1 accept=$PB envv=0 t d
    [ "$enc" = json ] && accept=application/json envv=1
    t=$(now)
    get "$accept" /api/v1/namespaces/load/pods >/dev/null
    d=$(secs "$t" "$(now)")
    echo "curl_s_$enc $d"
    local curl=$d
    DIFY_TUI_KUBE_JSON=$envv "$build/dify-tui" --kubeconfig "$KUBECONFIG" get pods -n load \
        -o name --stats >/dev/null 2>"$tmp/stats"
    sed -n "s/.*listed in \([0-9]*\) ms (CPU \([0-9.]*\) ms, \([0-9.]*\) us per object).*/get_s_$enc \1\nget_cpu_us_per_pod_$enc \3/p" "$tmp/stats" |
        awk '/^get_s_/ {printf "%s %.3f\n", $1, $2 / 1000; next} {print}'
    echo "# $enc get: $(sed -n 's/.*\(pages: .*\)/\1/p' "$tmp/stats")"
    t=$(now)
    DIFY_TUI_KUBE_JSON=$envv "$build/dify-tui" --kubeconfig "$KUBECONFIG" --namespace load \
        status >/dev/null 2>&1 || true
    d=$(secs "$t" "$(now)")
    echo "status_s_$enc $d"
    awk -v s="$d" -v c="$curl" -v e="$enc" 'BEGIN {printf "status_over_curl_%s %.2f\n", e, s / c}'
}
for r in $(seq 1 "$rounds"); do
    if [ $((r % 2)) = 1 ]; then
        run protobuf; run json
    else
        run json; run protobuf
    fi
done | tee "$tmp/all"
echo "# ranges over $rounds rounds (load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
awk '/^#/ {next} {k[$1] = k[$1] " " $2; if (!($1 in lo) || $2 < lo[$1]) lo[$1] = $2; if (!($1 in hi) || $2 > hi[$1]) hi[$1] = $2}
     END {for (x in lo) printf "%s %s-%s\n", x, lo[x], hi[x]}' "$tmp/all" | sort
