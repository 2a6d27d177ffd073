#!/bin/bash
# tests/tryout2_absent.sh: a namespace without a plugin daemon (other
# workloads only, or a community install without one). The health strip
# said "plugin daemon /health not checked yet" forever and `status` said
# nothing; both must say there is no plugin daemon (no api) here, nothing
# to probe, and `status --json` marks the probe absent.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"
. "$top_srcdir/tests/tmuxlib.sh"

BIN="$top_builddir/dify-tui"
if ! need_tool tmux || ! need_tool kubectl || ! need_tool python3; then
    skip "the health strip without a plugin daemon" "tmux, kubectl or python3 is not installed"
    done_testing
    exit 0
fi
tmpdir_new
export DIFY_TUI_STATE="$TEST_TMP/state"
cat >"$TEST_TMP/scn.json" <<'JSON'
{"name": "tryout2-absent",
 "defaults": {"scheduleDelay": 0.1, "pullDelay": 0.1, "readyDelay": 0.2, "runFor": 600},
 "objects": [
  {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}},
  {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "nginx", "namespace": "other"},
   "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"labels": {"app": "nginx"}},
                         "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}},
  {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "noplug"}},
  {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "dify-api", "namespace": "noplug"},
   "spec": {"replicas": 1, "selector": {"matchLabels": {"component": "api"}},
            "template": {"metadata": {"labels": {"component": "api"}},
                         "spec": {"containers": [{"name": "api", "image": "langgenius/dify-api:1.13.3"}]}}}}]}
JSON
if ! sim_start --scenario "$TEST_TMP/scn.json"; then
    fail "dify-sim starts"
    done_testing
    exit 1
fi
ok "dify-sim starts"
running() { kubectl get pods -A --no-headers 2>/dev/null | grep -c Running | grep -qx 2; }
check "two pods run" poll -n 100 running

tmux_server tryout2-absent
dash() {
    $T kill-session -t w 2>/dev/null
    $T new-session -d -s w -x 100 -y 30 \
        "env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$KUBECONFIG' DIFY_TUI_STATE='$DIFY_TUI_STATE' '$BIN' -n $1 dashboard; echo EXIT=\$?; exec cat"
    wait_for "context: dify-sim" >/dev/null
}

dash other
check "other workloads only: the strip says there is no api to probe" \
    wait_for "no api in this namespace: nothing to probe"
check "... and no plugin daemon" wait_for "no plugin daemon in this namespace: nothing to probe"
check "... not 'not checked yet'" gone "not checked yet"

dash noplug
check "an api without a plugin daemon: the daemon's line says there is none" \
    wait_for "no plugin daemon in this namespace: nothing to probe"
check "... the key's line says why there is no key to check" \
    wait_for "no plugin daemon in this namespace: no key to check"
check "... the api is still probed (no 'no api')" gone "no api in this namespace"

timeout 60 "$BIN" -n other status --timeout 50 >"$TEST_TMP/st.txt" 2>&1
check "status: says there is no api and no plugin daemon" \
    sh -c "grep -q '^api /health: no api in this namespace' '$TEST_TMP/st.txt' &&
           grep -q '^plugin daemon /health/check: no plugin daemon in this namespace' '$TEST_TMP/st.txt'"
timeout 60 "$BIN" -n noplug status --json --timeout 50 >"$TEST_TMP/st.json" 2>/dev/null
check "status --json: the daemon, its key and storage absent; the api not" \
    python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))["health"]
d, k, s, a = h["pluginDaemon"], h["daemonKey"], h["pluginStorage"], h["api"]
assert d["absent"] and not d["checked"] and "no plugin daemon" in d["message"], d
assert k["state"] == "absent" and s["state"] == "absent", (k, s)
assert not a["absent"], a
' "$TEST_TMP/st.json"
[ -s "$TEST_TMP/st.json" ] || sed 's/^/# /' "$TEST_TMP/st.txt"
sim_stop
done_testing
