#!/bin/bash
# tests/tryout_getw.sh: `dify-tui get KIND -w` for every kind the registry
# has (read from `get`'s usage, so a kind added there is tried here too),
# beside kubectl on the same objects: the first table byte for byte as
# `kubectl get KIND` prints it (and so `kubectl get -w`'s first table),
# plain and -o wide (ages masked: they move between the two runs); an
# empty kind prints nothing; a kind that is not one says so and exits 2.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "get -w for every kind beside kubectl" kubectl
tryout_sim --speed 10 --scenario "$top_srcdir/tests/data/scenarios/dashboard.yaml"
# the simulator's objects settle first (the crash loop, the failed Job)
settled() { kubectl get job -n dash --no-headers 2>/dev/null | grep -q '0/1'; }
poll_n() { local i; for i in $(seq 1 "$1"); do if "${@:2}"; then return 0; fi; sleep 0.2; done; return 1; }
poll_n 100 settled || true

KINDS=$("$BIN" get 2>&1 | sed -n '/KIND:/,/short names/p' | sed 's/.*KIND://; s/(and their short names)\.//' |
    tr ',' '\n' | tr -d ' .' | grep -v '^$')
check "the registry's kinds are read from get's usage ($(echo $KINDS | wc -w))" test "$(echo "$KINDS" | wc -l)" -ge 10

# ages and "(5s ago)" move between the two runs
mask() { sed -E 's/\b[0-9]+(s|m|h|d)([0-9]+(s|m|h))?\b/AGE/g; s/<invalid>/AGE/g' "$1"; }
# ours_until N KIND [ARGS]: get -w's output once it has N lines (the
# first table), then stopped (a bounded poll: nothing is timed)
ours_until() {
    local n=$1 i pid
    shift
    "$BIN" get "$@" -n dash -w >"$TEST_TMP/o" 2>&1 &
    pid=$!
    # an empty kind prints nothing (kubectl -w neither): a short look
    for i in $(seq 1 $([ "$n" -gt 0 ] && echo 100 || echo 6)); do
        [ "$n" -gt 0 ] && [ "$(wc -l <"$TEST_TMP/o")" -ge "$n" ] && break
        sleep 0.05
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}
same_first_table() { # KIND [ARGS]: get -w's first table is kubectl get's, until two agree
    local i n
    for i in 1 2 3 4 5; do
        kubectl get "$@" -n dash >"$TEST_TMP/k" 2>/dev/null
        n=$(wc -l <"$TEST_TMP/k")
        ours_until "$n" "$@"
        if cmp -s <(mask "$TEST_TMP/k") <(mask "$TEST_TMP/o"); then return 0; fi
    done
    diff <(mask "$TEST_TMP/k") <(mask "$TEST_TMP/o") | head -10 | sed 's/^/# /'
    return 1
}
for kind in $KINDS; do
    check "get $kind -w: kubectl's first table" same_first_table "$kind"
    check "get $kind -w -o wide: kubectl's first table" same_first_table "$kind" -o wide
done

"$BIN" get nosuchkind -w >"$TEST_TMP/o" 2>"$TEST_TMP/e"
rc=$?
check "a kind that is not one: exit 2 (was $rc), kubectl's words" \
    sh -c "[ $rc -eq 2 ] && grep -q \"the server doesn't have a resource type \\\"nosuchkind\\\"\" '$TEST_TMP/e'"
sim_stop
done_testing
