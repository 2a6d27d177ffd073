# bench/noisylib.sh: the noisy pod the log benchmarks follow
# (bench/log_follow.sh, bench/dash_log_follow.sh). Source it after setting
# src (the source tree).
#   noisy_args NAME [SECONDS] [BUILD_DIR]  the scripts' arguments: secs
#                    (600), build ($src), rate ($RATE, 1000 lines a
#                    second), every ($EVERY, 60 s between samples) and tmp
#                    (a new scratch directory named after NAME)
#   noisy_start      dify-sim (--speed 10) with a pod logs/chatty writing
#                    $rate lines a second; returns once it runs (60 s at
#                    most; else says why and exits 1), KUBECONFIG exported;
#                    sets pid
#   kubectl_follow   `kubectl logs -f` on it, the reference; sets kpid
#   noisy_cleanup    ends both and removes $tmp (for the caller's EXIT trap)
#   rss_of PID       its resident set in MB; hwm_of PID its peak
. "$src/bench/simup.sh"
pid=
kpid=

noisy_args() {
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    secs=${2:-600}
    build=${3:-$src}
    rate=${RATE:-1000}
    every=${EVERY:-60}
}

noisy_start() {
    # the tests' chatty pod (tests/data/scenarios/chatty.yaml) at $rate
    sed "s/^    logRate: .*/    logRate: $rate/" "$src/tests/data/scenarios/chatty.yaml" >"$tmp/scn.yaml"
    sim_up
    local i=0
    until [ "$(kubectl get pod -n logs chatty -o jsonpath='{.status.phase}' 2>/dev/null)" = Running ]; do
        i=$((i + 1))
        [ $i -gt 600 ] && { echo "the chatty pod did not start: $(cat "$tmp/err")" >&2; exit 1; }
        sleep 0.1
    done
}

kubectl_follow() {
    kubectl logs -f -n logs chatty --tail=0 >/dev/null 2>&1 &
    kpid=$!
}

noisy_cleanup() {
    [ -z "$kpid" ] || kill "$kpid" 2>/dev/null || true
    [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
    rm -rf "$tmp"
}

rss_of() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
hwm_of() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
