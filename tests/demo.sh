#!/bin/sh
# The README's demo runs unattended (no terminal): the simulator starts, an
# example is rendered and applied, the client reads it back and the scripted
# plugin-daemon failure shows.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"
if ! need_tool kubectl; then
    skip "scripts/demo.sh runs unattended" "kubectl is not installed"
    done_testing
    exit 0
fi
if ! need_stores; then
    skip "scripts/demo.sh runs unattended (its cluster has a real PostgreSQL and Redis)" \
        "$STORES_WHY"
    done_testing
    exit 0
fi
tmpdir_new
DIFY_DEMO_DIR="$TEST_TMP/demo" DIFY_BUILD_DIR="$top_builddir" \
    "$top_srcdir/scripts/demo.sh" </dev/null >"$TEST_TMP/out" 2>&1
rc=$?
if [ $rc -eq 0 ]; then ok "scripts/demo.sh exits 0"; else
    tail -n 30 "$TEST_TMP/out" | sed 's/^/# /'
    fail "scripts/demo.sh exits $rc"
fi
for want in 'successfully rolled out' 'CrashLoopBackOff' 'SQLSTATE 28P01'; do
    if grep -q "$want" "$TEST_TMP/out"; then ok "the demo shows: $want"; else fail "the demo shows: $want"; fi
done
check "the demo rendered manifests" test -f "$TEST_TMP/demo/rendered/manifests/00-namespace.yaml"

# Run again over answers a person changed: the demo renders them and never
# copies the example over them (nor over the secrets).
A="$TEST_TMP/demo/answers.yaml"
sed -i 's/^namespace: .*/namespace: mine/' "$A"
printf '# my own comment\n' >>"$A"
before=$(cat "$A" "$TEST_TMP/demo/answers.secrets.yaml")
DIFY_DEMO_DIR="$TEST_TMP/demo" DIFY_BUILD_DIR="$top_builddir" \
    "$top_srcdir/scripts/demo.sh" </dev/null >"$TEST_TMP/out2" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ "$before" = "$(cat "$A" "$TEST_TMP/demo/answers.secrets.yaml")" ]; then
    ok "a second demo run keeps the answers and secrets it finds"
else
    tail -n 20 "$TEST_TMP/out2" | sed 's/^/# /'
    fail "a second demo run replaced the answers (exit $rc)"
fi
if grep -q 'name: mine' "$TEST_TMP/demo/rendered/manifests/00-namespace.yaml"; then
    ok "and renders what they say"
else
    fail "the second run did not render the changed answers"
fi
done_testing
