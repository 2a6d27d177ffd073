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

. "$top_srcdir/tests/tmuxlib.sh"
tmux_server diag
PANE=d
$T set-option -g set-clipboard on
$T new-session -d -s d -x 110 -y 40 \
    "env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$KUBECONFIG' '$DIFY_TUI' -n dify diagnose --only cluster; echo EXIT=\$?; exec cat"

check "the checks are listed under their area" wait_re "Cluster" 200
check "the checks run to a status: the missing namespace fails" wait_re "\\[FAIL\\] DT-104 " 300
check "every check ends: the title counts them" wait_re "6 ok  0 warn  1 fail  1 skipped" 300
# open the failure: DT-104 is the fourth check
for _ in 1 2 3; do keys j; done
check "the failure is opened in the detail pane" wait_re "DT-104 .*\(fail\)" 100
check "its remedy is shown" wait_re "kubectl create namespace dify" 100
keys c
if wait_for 50 sh -c "$T show-buffer 2>/dev/null | grep -q 'kubectl create namespace dify'"; then
    ok "c copies the remedy command"
else
    fail "c copies the remedy command: buffer '$($T show-buffer 2>&1)'"
fi
kubectl create namespace dify >/dev/null
keys r
check "after the fix, r re-runs it: ok" wait_re "DT-104 .*\(ok\)" 300
check "its row turns ok" wait_re "\\[ ok \\] DT-104 " 100
keys q
check "q leaves with the last run's exit status" wait_re "EXIT=0" 100

done_testing
