#!/bin/bash
# tests/tryout_output.sh: output that cannot be written is a failure, said,
# never an exit 0 over a truncated report. The class: every command that
# prints (one-shot or watching) with its stdout on a full disk (/dev/full:
# each write fails with ENOSPC, as on a full tmpfs) or closed by the caller
# (`>&-`, where the next file opened would otherwise get the report: the
# log file, or a socket to the API server). Also a --namespace that is not
# a namespace name is bad input (exit 2), said, for every command that
# takes one. Against dify-sim with kubectl's view beside it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

if [ ! -w /dev/full ]; then
    skip "output failures" "/dev/full is not there"
    done_testing
    exit 0
fi
tryout_begin "output failures"
tryout_sim --scenario "$top_srcdir/tests/data/scenarios/dashboard.yaml"

# the one-shot commands: each exits non-zero on a full disk, and says so
while IFS= read -r args; do
    [ -n "$args" ] || continue
    # shellcheck disable=SC2086
    "$BIN" $args >/dev/full 2>"$TEST_TMP/err"
    rc=$?
    check "$args > /dev/full: exit 1 (was $rc), said on stderr" \
        sh -c "[ $rc -eq 1 ] && grep -q 'the output is incomplete: writing it failed' '$TEST_TMP/err'"
done <<'CMDS'
--version
--help
-n dash status --timeout 20
-n dash status --json --timeout 20
-n dash get pods
-n dash get pods -o json
-n dash get deploy -o name
get namespaces
CMDS

# the watching ones end at the first row they cannot write
for args in "status --watch" "status --watch --json" "get pods -w"; do
    # shellcheck disable=SC2086
    timeout 30 "$BIN" -n dash $args >/dev/full 2>"$TEST_TMP/err"
    rc=$?
    check "$args > /dev/full: ends with exit 1 (was $rc), said" \
        sh -c "[ $rc -eq 1 ] && grep -q 'writing it failed' '$TEST_TMP/err'"
done

# stdout closed: exit 1, and the report went nowhere else (the log file
# would have been given descriptor 1)
"$BIN" -n dash status --json --timeout 20 >&- 2>"$TEST_TMP/err"
rc=$?
check "status --json >&-: exit 1 (was $rc), 'stdout is closed' said" \
    sh -c "[ $rc -eq 1 ] && grep -q 'stdout is closed' '$TEST_TMP/err'"
check "status --json >&-: the report is not in the log file" \
    sh -c "! grep -q '\"namespace\"' '$DIFY_TUI_STATE/dify-tui.log'"
"$BIN" -n dash get pods >&- 2>"$TEST_TMP/err"
check "get pods >&-: exit 1, said" sh -c "[ $? -eq 1 ] && grep -q 'stdout is closed' '$TEST_TMP/err'"
# stderr closed too: nothing of it lands in stdout
"$BIN" -n dash get pods 2>&- >"$TEST_TMP/out"
check "get pods 2>&-: stdout is the table alone" sh -c "head -1 '$TEST_TMP/out' | grep -q '^NAME '"

# and the ordinary case is untouched: the same table as kubectl's
"$BIN" -n dash get deploy -o name >"$TEST_TMP/ours"
kubectl get deploy -n dash -o name >"$TEST_TMP/kubectl"
check "get -o name to a file: exit 0, kubectl's lines" cmp -s "$TEST_TMP/ours" "$TEST_TMP/kubectl"

# a namespace that is no namespace name: exit 2, said, for each command
for args in "status" "status --json" "get pods" "get pods -w" "dashboard"; do
    for ns in 'bad ns!' 'Dify' 'dify_prod' "$(printf 'x\033[2Jy')"; do
        # shellcheck disable=SC2086
        timeout 10 "$BIN" -n "$ns" $args </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err"
        rc=$?
        if [ $rc -ne 2 ] || ! grep -q -- '--namespace: ' "$TEST_TMP/err" || grep -q $'\033' "$TEST_TMP/err"; then
            fail "$args -n $(printf %q "$ns"): exit 2 with the reason (was $rc: $(head -c 200 "$TEST_TMP/err"))"
            continue 2
        fi
    done
    ok "$args with a namespace that is no DNS label: exit 2, said safely"
done

sim_stop
done_testing
