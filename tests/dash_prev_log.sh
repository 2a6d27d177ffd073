#!/bin/bash
# tests/dash_prev_log.sh: `p` in the dashboard's logs view (the previous
# container, kubectl logs --previous) reads the log as the follow does,
# into the view's bounded ring: a crash-looping container whose previous
# log is 15 MB (150 lines of 100 KB, all within the 500 last lines asked
# for; a scenario is at most 16 MiB) is shown, its tail with it, and the dashboard's peak memory grows by far
# less than the log. It was read as one reply (up to the client's 64 MiB)
# and only then cut into lines: the peak grew by the whole log and more.
# The memory is the kernel's VmHWM of the process, not a time.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "the previous container's log, bounded" tmux kubectl python3
python3 - "$TEST_TMP/scn.json" <<'PY'
import json, sys
lines = ["big %03d " % i + "x" * 100000 for i in range(150)] + ["the last words before the crash"]
json.dump({
    "name": "dash-prev-log",
    "defaults": {"scheduleDelay": 0.1, "pullDelay": 0.1, "readyDelay": 5},
    "pods": [{"match": {"namePrefix": "crashy"}, "logs": lines, "crashAfter": 0.5, "exitCode": 1}],
    "objects": [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prev"}},
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "crashy", "namespace": "prev"},
         "spec": {"containers": [{"name": "c", "image": "busybox"}]}},
    ]}, open(sys.argv[1], "w"))
PY
tryout_sim --scenario "$TEST_TMP/scn.json"
restarted() { [ "$(kubectl get pod crashy -n prev -o jsonpath='{.status.containerStatuses[0].restartCount}' 2>/dev/null)" -ge 1 ] 2>/dev/null; }
check "the pod crashed and restarted" poll -n 200 restarted
kubectl logs -n prev crashy --previous >"$TEST_TMP/k.prev" 2>&1
SIZE=$(wc -c <"$TEST_TMP/k.prev")
check "kubectl logs --previous: $SIZE bytes, 151 lines, the last words last" \
    sh -c "[ $SIZE -gt 15000000 ] && [ \$(wc -l <'$TEST_TMP/k.prev') = 151 ] && tail -1 '$TEST_TMP/k.prev' | grep -q 'the last words before the crash'"

tmux_server dash-prev
dash_open prev
select_in pods crashy
keys l
wait_for "logs crashy" >/dev/null
wait_for "the last words before the crash" 300 >/dev/null
PID=$(dash_pid)
hwm() { awk '/VmHWM/ {print $2}' "/proc/$PID/status"; }
BEFORE=$(hwm)
keys p
check "p: the previous container's log, read to its end" wait_for "(previous) · previous container ·" 300
check "... its tail shown" wait_for "the last words before the crash"
check "... its long lines kept cut" wait_for "[line cut]"
check "... no error (the reply was never too big to hold)" gone "error"
AFTER=$(hwm)
diag "the dashboard's peak RSS: $((BEFORE / 1024)) MB before p, $((AFTER / 1024)) MB after ($((SIZE / 1048576)) MB of previous log)"
check "the peak grew by less than 8 MB for a $((SIZE / 1048576)) MB log (was: the whole log and more)" \
    test $((AFTER - BEFORE)) -lt 8192
keys f
check "f: the running container again" wait_gone "previous container"
dash_quit
sim_stop
done_testing
