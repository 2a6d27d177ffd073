# bench/simup.sh: sourced by the bench scripts that start dify-sim on a
# scenario of their own. The caller sets $tmp (its directory, with
# $tmp/scn.yaml written) and $build; its EXIT trap kills $pid.
#   sim_up [ARGS...]  starts $build/sim/dify-sim on $tmp/scn.yaml (its
#                     kubeconfig in $tmp/kc.json, exported as KUBECONFIG,
#                     stderr in $tmp/err; ARGS added) and returns once the
#                     API server answers; sets pid
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
