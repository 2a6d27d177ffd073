#!/bin/bash
# tests/get_watch.sh: `dify-tui get KIND -w` beside `kubectl get -w` on the
# same events (the same bytes but AGE), and through watches the server keeps
# dropping (every stream closed after 3 events) and a short history (so a
# resume can be refused with 410 and relist): every change still arrives as
# a row, the table's heading is printed once, and SIGINT ends it with 1,
# silently, as it ends kubectl get -w (docs/dashboard.md).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

BIN="$top_builddir/dify-tui"
if ! need_tool kubectl; then
    skip "get -w through dropped watches" "kubectl is not installed"
    done_testing
    exit 0
fi
tmpdir_new

# ---- beside kubectl -w on the same events: the same bytes (AGE masked) ----
if ! sim_start --speed 10; then
    fail "dify-sim starts"
    done_testing
    exit 1
fi
kubectl create namespace side >/dev/null
kubectl get pods -n side -w >"$TEST_TMP/k.out" 2>"$TEST_TMP/k.err" &
KW=$!
"$BIN" -n side get pods -w >"$TEST_TMP/o.out" 2>"$TEST_TMP/o.err" &
OW=$!
sleep 1 # both watching (a list of nothing prints nothing to wait on)
for i in 1 2 3; do
    kubectl run "longer-name-$i" -n side --image=busybox --restart=Never >/dev/null
done
done_in() { [ "$(grep -cE ' Completed ' "$1")" -ge 3 ]; }
wait_for 150 done_in "$TEST_TMP/k.out"
wait_for 150 done_in "$TEST_TMP/o.out"
kubectl delete pod longer-name-2 -n side --wait=false >/dev/null
sleep 2
kill "$KW" "$OW" 2>/dev/null
wait "$KW" "$OW" 2>/dev/null
mask_age() { sed -E 's/[0-9]+(s|m|h|d)[0-9]*(s|m|h)?$/AGE/' "$1"; }
if cmp -s <(mask_age "$TEST_TMP/k.out") <(mask_age "$TEST_TMP/o.out"); then
    ok "get -w prints kubectl -w's bytes: heading with the first row, remembered widths, every change"
else
    fail "get -w prints kubectl -w's bytes: heading with the first row, remembered widths, every change"
    diff <(mask_age "$TEST_TMP/k.out") <(mask_age "$TEST_TMP/o.out") | sed 's/^/# /'
fi
check "an empty first list: nothing on stderr, as kubectl" test ! -s "$TEST_TMP/o.err"
sim_stop

# ---- through dropped watches and 410s ----
if ! sim_start --speed 10 --history 4 --scenario "$top_srcdir/tests/data/scenarios/dropwatch.yaml"; then
    fail "dify-sim starts with dropwatch.yaml"
    done_testing
    exit 1
fi
kubectl create namespace gw >/dev/null
"$BIN" -n gw get pods -w >"$TEST_TMP/out" 2>"$TEST_TMP/err" &
GW=$!
sleep 1
for i in 1 2 3 4 5 6 7 8; do
    kubectl run "p$i" -n gw --image=busybox --restart=Never >/dev/null
done
all_running() {
    local i
    for i in 1 2 3 4 5 6 7 8; do
        grep -qE "^p$i +0/1 +Completed" "$TEST_TMP/out" || return 1
    done
}
check "every pod arrives as a row, to its end, through dropped watches" wait_for 150 all_running
check "the heading is printed once" test "$(grep -c '^NAME ' "$TEST_TMP/out")" -eq 1
kubectl delete pod p3 -n gw --wait=false >/dev/null
check "a deletion arrives too" wait_for 100 sh -c "[ \$(grep -c '^p3 ' '$TEST_TMP/out') -ge 2 ] && grep '^p3 ' '$TEST_TMP/out' | tail -1 | grep -qE 'Completed|Terminating'"
kill -INT "$GW"
wait "$GW"
check "SIGINT ends it with 1, as kubectl get -w" test $? -eq 1
if grep -q '^error' "$TEST_TMP/err"; then
    fail "no error printed"
    sed 's/^/# /' "$TEST_TMP/err"
else
    ok "no error printed"
fi
sim_stop
done_testing
