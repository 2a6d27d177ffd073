# bench/simup.sh: sourced by the bench scripts that start dify-sim on a
# shellcheck shell=bash
# scenario of their own (after setting $src and $build).
#   bulk_setup NAME N [CHANGES]  a scratch directory $tmp (named after NAME)
#                     and an EXIT trap that ends the simulator ($pid) and
#                     removes $tmp; $tmp/scn.yaml: N bare pods in namespace
#                     load (assets/scenarios/bulk.yaml's shape), CHANGES
#                     annotation changes a second (0). A caller with a
#                     scenario of its own sets $tmp, writes $tmp/scn.yaml
#                     and traps EXIT itself.
#   sim_up [ARGS...]  starts $build/sim/dify-sim on $tmp/scn.yaml (its
#                     kubeconfig in $tmp/kc.json, exported as KUBECONFIG,
#                     stderr in $tmp/err; ARGS added) and returns once the
#                     API server answers; sets pid
#   sim_creds         server and token: the simulator's URL and a bearer
#                     token of its kubeconfig (for curl)
#   now, secs T0 T1   a time in seconds (date +%s.%N); T1 - T0 as "%.3f"
bulk_setup() {
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    pid=
    trap '[ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; }; rm -rf "$tmp"' EXIT
    trap 'exit 1' INT TERM
    cat >"$tmp/scn.yaml" <<EOS
name: bench
defaults: {scheduleDelay: 0.5, pullDelay: 1, readyDelay: 1}
bulk: {namespace: load, pods: $2, changesPerSecond: ${3:-0}, image: "busybox:1.36"}
EOS
}

sim_up() {
    "$build/sim/dify-sim" --speed 10 "$@" --scenario "$tmp/scn.yaml" \
        --kubeconfig-out "$tmp/kc.json" 2>"$tmp/err" &
    pid=$!
    export KUBECONFIG="$tmp/kc.json" NO_PROXY=127.0.0.1,localhost
    local i=0
    until [ -s "$tmp/kc.json" ] && kubectl get --raw /version >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -gt 3000 ] && { echo "dify-sim did not come up: $(cat "$tmp/err")" >&2; exit 1; }
        sleep 0.1
    done
}

sim_creds() {
    server=$(grep -o '"server":"[^"]*"' "$tmp/kc.json" | cut -d'"' -f4)
    token=$(grep -o '"token":"[^"]*"' "$tmp/kc.json" | sed -n 1p | cut -d'"' -f4)
}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", b - a}'; }
