#!/bin/bash
# tests/diagnose_screen.sh: the diagnostics screen in tmux against dify-sim:
# the cluster checks run with live status; the failing one (a namespace that
# does not exist) is opened and shows its evidence and remedy; the remedy is
# copied (OSC 52, into tmux's buffer); after the fix, `r` re-runs that check
# and it turns ok; `q` leaves with the last run's exit status.
. "$(dirname "$0")/lib.sh"
tmpdir_new
. "$top_srcdir/tests/simlib.sh"
. "$(dirname "$0")/diaglib.sh"

if ! need_tool tmux || ! need_tool kubectl || ! need_tool curl; then
    skip "the diagnostics screen in tmux" "tmux, kubectl or curl is not installed"
    done_testing
    exit 0
fi
sim_start --speed 20 || {
    fail "dify-sim starts"
    done_testing
    exit 1
}

SOCK="dify-diag-$$"
T="tmux -L $SOCK -f /dev/null"
TEST_CLEANUP="$T kill-server 2>/dev/null; ${TEST_CLEANUP:-}"
screen() { $T capture-pane -p -t d 2>/dev/null; }
shows() { screen | grep -qE -- "$1"; }
see() {
    wait_for "$1" shows "$2" && return 0
    screen | sed 's/^/# /'
    return 1
}
$T new-session -d -s keep "sleep 100000"
$T set-option -g set-clipboard on
$T new-session -d -s d -x 110 -y 40 \
    "env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$KUBECONFIG' '$DIFY_TUI' -n dify diagnose --only cluster; echo EXIT=\$?; exec cat"

check "the checks are listed under their area" see 100 "Cluster"
check "the checks run to a status: the missing namespace fails" see 150 "\\[FAIL\\] DT-104 "
check "every check ends: the title counts them" see 150 "6 ok  0 warn  1 fail  1 skipped"
# open the failure: DT-104 is the fourth check
for _ in 1 2 3; do $T send-keys -t d j; done
check "the failure is opened in the detail pane" see 50 "DT-104 .*\(fail\)"
check "its remedy is shown" see 50 "kubectl create namespace dify"
$T send-keys -t d c
if wait_for 50 sh -c "$T show-buffer 2>/dev/null | grep -q 'kubectl create namespace dify'"; then
    ok "c copies the remedy command"
else
    fail "c copies the remedy command: buffer '$($T show-buffer 2>&1)'"
fi
kubectl create namespace dify >/dev/null
$T send-keys -t d r
check "after the fix, r re-runs it: ok" see 150 "DT-104 .*\(ok\)"
check "its row turns ok" see 50 "\\[ ok \\] DT-104 "
$T send-keys -t d q
check "q leaves with the last run's exit status" see 50 "EXIT=0"

done_testing
