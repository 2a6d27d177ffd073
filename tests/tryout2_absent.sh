#!/bin/bash
# tests/tryout2_absent.sh: a namespace without a plugin daemon (other
# workloads only, or a community install without one). The health strip
# said "plugin daemon /health not checked yet" forever and `status` said
# nothing; both must say there is no plugin daemon (no api) here, nothing
# to probe, and `status --json` marks the probe absent.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "the health strip without a plugin daemon" tmux kubectl python3
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
tryout_sim --scenario "$TEST_TMP/scn.json"
running() { kubectl get pods -A --no-headers 2>/dev/null | grep -c Running | grep -qx 2; }
check "two pods run" poll -n 100 running

tmux_server tryout2-absent

dash_open other 100 30
check "other workloads only: the strip says there is no api to probe" \
    wait_for "no api in this namespace: nothing to probe"
check "... and no plugin daemon" wait_for "no plugin daemon in this namespace: nothing to probe"
check "... not 'not checked yet'" gone "not checked yet"

dash_open noplug 100 30
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
