#!/bin/sh
# tests/demo.sh: `dify-tui demo` unattended (no terminal), the README's
# first command: dify-sim with its real PostgreSQL and Redis, the install
# plan against it to the checks, the kept-volume story (a reinstall with a
# new database password is caught, the old one back resumes it), and at the
# end nothing left: no process, no file outside its temporary directory
# (HOME and TMPDIR are empty ones the test owns).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"
if ! need_stores; then
    skip "dify-tui demo runs unattended (its cluster has a real PostgreSQL and Redis)" \
        "$STORES_WHY"
    done_testing
    exit 0
fi
tmpdir_new
mkdir -p "$TEST_TMP/home" "$TEST_TMP/tmp"
# as root the stores' keeper runs PostgreSQL as the postgres user, who must
# be able to reach its data directory under TMPDIR
chmod 711 "$TEST_TMP" "$TEST_TMP/tmp"
HOME="$TEST_TMP/home" TMPDIR="$TEST_TMP/tmp" "$top_builddir/dify-tui" demo --speed 20 \
    </dev/null >"$TEST_TMP/out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "dify-tui demo exits 0 without a terminal"; else
    tail -n 40 "$TEST_TMP/out" | sed 's/^/# /'
    fail "dify-tui demo exits $rc"
fi
check "it runs the install plan to the end" grep -q "^ok   rollouts: 7 components rolled out" "$TEST_TMP/out"
check "the post-deploy checks pass" grep -q "^ok   checks: api .* healthy, plugin daemon .* healthy" "$TEST_TMP/out"
check "the cloud steps say why they are skipped" \
    grep -q "^skip terraform: the demo has no AWS account" "$TEST_TMP/out"
check "the stores are the simulator's real servers" \
    grep -q "^ok   demo-stores: PostgreSQL on 127.0.0.1:[0-9]* and Redis on 127.0.0.1:[0-9]*" "$TEST_TMP/out"
check "the plugin database is created in the real PostgreSQL" \
    grep -q "^ok   database: created dify_plugin" "$TEST_TMP/out"
check "preflight catches the reinstall's new password refused by the kept database" \
    grep -q '^FAIL preflight-database: ' "$TEST_TMP/out"
check "with the server's own words" \
    grep -q 'password authentication failed for user "dify" (SQLSTATE 28P01)' "$TEST_TMP/out"
check "and the demo says what happened" grep -q "^==> caught: the database kept the first install's password" "$TEST_TMP/out"
check "with the old password back the install finishes" \
    sh -c "[ \$(grep -c '^install: done' '$TEST_TMP/out') -eq 2 ]"
check "the pods are read back by dify-tui's client" grep -q "^dify-api-.* 1/1 *Running" "$TEST_TMP/out"
check "it says everything stopped" grep -q "dify-sim and its stores stopped; .* removed" "$TEST_TMP/out"
check "nothing is left in TMPDIR" sh -c "[ -z \"\$(ls -A '$TEST_TMP/tmp')\" ]"
check "nothing was written in HOME" sh -c "[ -z \"\$(ls -A '$TEST_TMP/home')\" ]"
no_procs() { ! pgrep -f "[d]ify-sim .*$TEST_TMP/tmp" >/dev/null && ! pgrep -f "[p]ostgres .*$TEST_TMP/tmp" >/dev/null; }
check "no process it started runs on" no_procs
check "no secret on the screen" sh -c "! grep -q 'password: [0-9a-f]\{24\}' '$TEST_TMP/out'"
done_testing
