#!/bin/bash
# bench/dash_log_follow.sh: the dashboard's own log view following a
# container that writes RATE lines a second (dify-sim's scenario rule
# logRate) for SECONDS: `dify-tui dashboard` runs in a private tmux server
# (a real terminal, drawing every frame), the log view is opened on the pod
# (:pods, l), and the dashboard process's RSS and CPU are sampled every
# EVERY seconds; `kubectl logs -f` on the same pod in the same run is the
# reference. At the end the screen must still show the newest lines (the
# view kept following). Not part of the test suite (docs/bench.md).
#   bench/dash_log_follow.sh [SECONDS] [BUILD_DIR]   (SECONDS default 600; RATE=1000 EVERY=60)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
. "$src/bench/noisylib.sh"
noisy_args dify-dash-logs "$@"
sock="dify-bench-$$"
T="tmux -L $sock -f /dev/null"
trap '$T kill-server 2>/dev/null || true; noisy_cleanup' EXIT
trap 'exit 1' INT TERM
noisy_start
ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
screen() { $T capture-pane -p -t d 2>/dev/null; }
# waits (at most 20 s) for TEXT on the screen
see() {
    local k
    for k in $(seq 1 200); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done
    echo "the screen never showed \"$1\":" >&2
    screen >&2
    return 1
}
$T new-session -d -s d -x 120 -y 40 \
    "exec env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$KUBECONFIG' '$build/dify-tui' -n logs dashboard"
dpid=$($T display -p -t d '#{pane_pid}')
see chatty
$T send-keys -t d ':' 'pods' Enter
see "RESTARTS"
$T send-keys -t d l
see "logs chatty"
see "following"
kubectl_follow
sleep 1
echo "rate_lines_per_s $rate"
echo "dashboard_rss_start_mb $(rss_of "$dpid")"
echo "kubectl_rss_first_mb $(rss_of $kpid)"
c0=$(ticks_of "$dpid")
t=0
while [ "$t" -lt "$secs" ]; do
    sleep "$every"
    t=$((t + every))
    c1=$(ticks_of "$dpid")
    echo "dashboard_at_${t}s rss_mb $(rss_of "$dpid") peak_mb $(hwm_of "$dpid") cpu_pct $(awk -v a="$c0" -v b="$c1" -v hz="$hz" -v s="$every" 'BEGIN {printf "%.1f", (b - a) * 100 / hz / s}') kubectl_rss_mb $(rss_of $kpid)"
    c0=$c1
done
# still following: the newest line the server wrote is on the screen
screen >"$tmp/screen"
grep -c . "$tmp/screen" | sed 's/^/screen_lines /'
if grep -q "following" "$tmp/screen"; then echo "still_following yes"; else echo "still_following NO"; fi
grep -o '([0-9]* older lines dropped[^)]*)' "$tmp/screen" | sed 's/^/note /' || true
tail -5 "$tmp/screen" | sed 's/^/# /'
echo "sim_rss_last_mb $(rss_of $pid)"
