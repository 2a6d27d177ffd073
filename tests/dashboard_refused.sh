#!/bin/bash
# tests/dashboard_refused.sh: a user who may not list the namespace (a token
# allowed only `get` on dify-sim) is told so plainly and at once by `status`
# and by the dashboard, never left waiting on a list that never comes; the
# dashboard says the table is empty because of the refusal, not because the
# namespace is.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

BIN="$top_builddir/dify-tui"
if ! need_tool python3; then
    skip "a namespace the user may not list" "python3 is not installed"
    done_testing
    exit 0
fi
tmpdir_new
if ! sim_start --user nolist:tok-nolist:get --scenario "$top_srcdir/tests/data/scenarios/dashboard.yaml"; then
    fail "dify-sim starts with a get-only user"
    done_testing
    exit 1
fi
# the simulator's kubeconfig plus a context for the get-only user
python3 - "$KUBECONFIG" "$TEST_TMP/kc" <<'PY'
import json, sys
k = json.load(open(sys.argv[1]))
k["users"].append({"name": "nolist", "user": {"token": "tok-nolist"}})
k["contexts"].append({"name": "nolist", "context": {"cluster": k["clusters"][0]["name"], "user": "nolist", "namespace": "dash"}})
json.dump(k, open(sys.argv[2], "w"))
PY
export KUBECONFIG="$TEST_TMP/kc"

# a bound far above what an answer takes: reaching it is the hang
timeout 60 "$BIN" --context nolist status --timeout 50 >"$TEST_TMP/out" 2>&1
rc=$?
check "status ends by itself (not at its --timeout) with exit 1" \
    test "$rc" -eq 1 -a -z "$(grep 'did not answer everything' "$TEST_TMP/out")"
check "status says which kind may not be listed, where" \
    grep -q '^you may not list pods in namespace "dash": .*403' "$TEST_TMP/out"
timeout 60 "$BIN" --context nolist status --json --timeout 50 >"$TEST_TMP/json" 2>/dev/null
holds() { python3 -c "import json,sys; d=json.load(open(sys.argv[2])); sys.exit(0 if eval(sys.argv[1]) else 1)" "$@"; }
check "status --json lists the nine refused kinds and no component" \
    holds "len(d['connection']['refused'])==9 and d['components']==[] and not d['healthy']" "$TEST_TMP/json"

if need_tool tmux; then
    . "$top_srcdir/tests/tmuxlib.sh"
    tmux_server refused
    PANE=d
    listed_not_refused() { shows 'dify-plugin-daemon' && ! shows 'refused'; }
    $T new-session -d -s d -x 100 -y 30 \
        "env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$KUBECONFIG' '$BIN' --context nolist dashboard; echo EXIT=\$?; exec cat"
    check "the dashboard names the refused kinds" \
        wait_for '9 kinds refused in namespace "dash": ' 200
    check "the dashboard says the refusal whole" wait_for 'you may not list' 40
    check "the empty table is said to come from the refusal" \
        wait_for 'nothing to show: the namespace could not be listed (above)' 40
    # :ctx to a user who may: that context's namespace, as kubectl --context
    keys ':' 'ctx dify-sim' Enter
    check ":ctx switches to the context and its namespace" \
        wait_for 'context: dify-sim  namespace: default' 200
    keys ':' 'ns dash' Enter
    check ":ns switches the namespace" wait_for 'context: dify-sim  namespace: dash' 200
    check "... whose components are now listed, the refusal gone" \
        wait_for 100 listed_not_refused
    keys ':' 'ctx nosuch' Enter
    check "a context that does not exist is said; the current one kept" \
        wait_for 50 shows_all 'nosuch' 'context: dify-sim'
    keys q
    check "the dashboard leaves" wait_for "EXIT=0" 100
else
    skip "the dashboard of a refused namespace" "tmux is not installed"
fi
sim_stop
done_testing
