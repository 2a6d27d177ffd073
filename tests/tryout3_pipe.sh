#!/bin/bash
# tests/tryout3_pipe.sh: `dify-tui get KIND -w | head -3`, as on-call people
# type it, beside kubectl on the same objects. When head has its lines and
# leaves, kubectl ends by SIGPIPE (status 141) and says nothing; `get -w`
# said "the output is incomplete: writing it failed" and exited 1, which a
# script reads as a failure of the command. Also with the exec credential
# plugin's SIGPIPE handling (a command that ignores SIGPIPE for its
# subprocesses): the reader gone is found from the pipe itself.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "get -w into a pipe that closes" kubectl timeout
# twenty pods whose annotations change five times a second: a watch always
# has a next row to write
cat >"$TEST_TMP/scn.yaml" <<'YAML'
name: tryout3-pipe
defaults: {scheduleDelay: 0.1, pullDelay: 0.1, readyDelay: 0.1}
bulk: {namespace: load, pods: 20, changesPerSecond: 5, image: busybox:1.36}
YAML
tryout_sim --scenario "$TEST_TMP/scn.yaml"

# piped CMD...: runs CMD | head -3 (bounded by timeout); sets prc (CMD's
# status), out (head's lines) and err (CMD's stderr)
piped() {
    timeout 30 "$@" 2>"$TEST_TMP/err" | head -3 >"$TEST_TMP/out"
    prc=${PIPESTATUS[0]}
    out=$(wc -l <"$TEST_TMP/out")
    err=$(head -c 300 "$TEST_TMP/err")
}
piped kubectl get pods -n load -w
check "kubectl get -w | head -3: ends by SIGPIPE (141; was $prc), silent" \
    sh -c "[ $prc -eq 141 ] && [ $out -eq 3 ] && [ -z '$err' ]"
piped "$BIN" get pods -n load -w
check "get -w | head -3: ends by SIGPIPE as kubectl (141; was $prc: $err)" \
    sh -c "[ $prc -eq 141 ] && [ $out -eq 3 ]"
check "get -w | head -3: says nothing" test ! -s "$TEST_TMP/err"
piped "$BIN" get pods -n load -w -o wide
check "get -w -o wide | head -3: the same (was $prc: $err)" \
    sh -c "[ $prc -eq 141 ] && [ ! -s '$TEST_TMP/err' ]"
# a full disk is still a failure, said
timeout 10 "$BIN" get pods -n load -w >/dev/full 2>"$TEST_TMP/err"
rc=$?
check "get -w > /dev/full: still exit 1 and said (was $rc)" \
    sh -c "[ $rc -eq 1 ] && grep -q 'writing it failed' '$TEST_TMP/err'"

done_testing
