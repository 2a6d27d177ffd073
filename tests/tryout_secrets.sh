#!/bin/bash
# tests/tryout_secrets.sh: `dify-tui dashboard` started without an answers
# file knows no secrets of its own; a pod that logs its database password
# must still show "***". The dashboard reads the values of the namespace's
# Secrets the user may read and masks them everywhere it draws text: the
# logs view, the jobs view's log lines, an object's YAML that repeats one in
# a plain env value. What must stay shown: a value too short to mask
# ("dify", which would mask every word of the name), the values of keys that
# are not secrets (DB_USERNAME), and a user who may not read Secrets is told
# that their values are not masked, and the logs still open. Against
# dify-sim beside kubectl (which shows the password: it is really there).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"
. "$top_srcdir/tests/tmuxlib.sh"

BIN="$top_builddir/dify-tui"
if ! need_tool tmux || ! need_tool kubectl || ! need_tool python3; then
    skip "secrets masked in the dashboard" "tmux, kubectl or python3 is not installed"
    done_testing
    exit 0
fi
tmpdir_new
export DIFY_TUI_STATE="$TEST_TMP/state"
PW='Sup3rS3cretDbPw!'
BROKER_PW='R3disBrokerPw99'
python3 - "$TEST_TMP/scn.json" "$PW" "$BROKER_PW" <<'PY'
import json, sys
out, pw, bpw = sys.argv[1:4]
def pod(name, ns):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
leak = ["db postgresql://dify:%s@db:5432/dify" % pw, "broker url has " + bpw,
        "short dify password dify", "user dify on db.example.com"]
json.dump({
    "name": "tryout-secrets",
    "defaults": {"scheduleDelay": 0.1, "pullDelay": 0.1, "readyDelay": 0.2, "runFor": 0.5},
    "pods": [{"match": {"namePrefix": "leaky"}, "logs": leak},
             {"match": {"namePrefix": "dify-db-migrate"}, "logs": ["migrating with " + pw]}],
    "faults": [{"path": "/api/v1/namespaces/locked/secrets", "status": 403},
               {"path": "/api/v1/namespaces/slow/secrets", "latencyMs": 2500}],
    "objects": [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dify"}},
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "locked"}},
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "slow"}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "dify-secrets", "namespace": "slow"},
         "stringData": {"DB_PASSWORD": pw}},
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "dify-api", "namespace": "slow", "labels": {"component": "api"}},
         "spec": {"replicas": 1, "selector": {"matchLabels": {"component": "api"}},
                  "template": {"metadata": {"labels": {"component": "api"}},
                               "spec": {"containers": [{"name": "api", "image": "langgenius/dify-api:1.13.3",
                                                        "env": [{"name": "DB_PASSWORD", "value": pw}]}]}}}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "dify-secrets", "namespace": "dify"},
         "stringData": {"DB_PASSWORD": pw, "DB_USERNAME": "dify", "DB_HOST": "db.example.com",
                        "REDIS_PASSWORD": "dify",
                        "CELERY_BROKER_URL": "redis://:%s@redis:6379/1" % bpw}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "dify-secrets", "namespace": "locked"},
         "stringData": {"DB_PASSWORD": pw}},
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "dify-api", "namespace": "dify", "labels": {"component": "api"}},
         "spec": {"replicas": 1, "selector": {"matchLabels": {"component": "api"}},
                  "template": {"metadata": {"labels": {"component": "api"}},
                               "spec": {"containers": [{"name": "api", "image": "langgenius/dify-api:1.13.3",
                                                        "env": [{"name": "DB_PASSWORD", "value": pw}]}]}}}},
        {"apiVersion": "batch/v1", "kind": "Job",
         "metadata": {"name": "dify-db-migrate-0a1b2c3d4e", "namespace": "dify",
                      "labels": {"app.kubernetes.io/component": "db-migration"}},
         "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never",
                  "containers": [{"name": "migrate", "image": "langgenius/dify-api:1.13.3"}]}}}},
        pod("leaky", "dify"), pod("leaky", "locked"),
    ]}, open(out, "w"))
PY
if ! sim_start --scenario "$TEST_TMP/scn.json"; then
    fail "dify-sim starts"
    done_testing
    exit 1
fi
ok "dify-sim starts"
running() { [ "$(kubectl get pods -A --no-headers 2>/dev/null | grep -c 'leaky .*Running')" = 2 ]; }
check "the leaky pods run" poll -n 100 running
kubectl logs -n dify leaky >"$TEST_TMP/k.log"
check "kubectl shows the password in the pod's log (it is really there)" grep -qF "$PW" "$TEST_TMP/k.log"
done_job() { kubectl get job dify-db-migrate-0a1b2c3d4e -n dify -o jsonpath='{.status.succeeded}' | grep -q 1; }
poll -n 100 done_job || true

tmux_server tryout-secrets
$T new-session -d -s w -x 120 -y 60 \
    "env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$KUBECONFIG' DIFY_TUI_STATE='$DIFY_TUI_STATE' '$BIN' -n dify dashboard; echo EXIT=\$?; exec cat"
wait_for "context: dify-sim" || true

# never PW nor BROKER_PW on the screen, at any step
LEAKED=0
no_leak() {
    if screen | grep -qF -e "$PW" -e "$BROKER_PW"; then
        LEAKED=$((LEAKED + 1))
        diag "a secret on screen at: $1"
        screen | grep -F -e "$PW" -e "$BROKER_PW" | sed 's/^/# | /'
    fi
}
esc() {
    keys Escape
    sleep 0.3
}

check "the value too short to mask is said, by Secret and key, never by value" \
    wait_for "shown, not masked: dify-secrets/REDIS_PASSWORD (under 8 characters"

keys ':' 'pods' Enter
keys '/' 'leaky' Enter
wait_for "filter: leaky" >/dev/null
keys l
check "the pod's log: the password in a URL is ***" wait_for "db postgresql://dify:***@db:5432/dify"
check "... so is the broker URL's password, taken from the URL in the Secret" \
    wait_for "broker url has ***"
check "a short value is not masked: the word stays" wait_for "short dify password dify"
check "values of keys that are not secret stay shown" wait_for "user dify on db.example.com"
no_leak "logs"
keys '/'
keys -l 'Sup3r'
keys Enter
check "searching for the password's start finds nothing to show" wait_for "search Sup3r"
no_leak "search"
esc
esc
esc

# the Deployment's YAML repeats the password in a plain env value
keys ':' 'rollouts' Enter
keys '/' 'dify-api' Enter
wait_for "filter: dify-api" >/dev/null
keys y
check "YAML of the api's Deployment: the plain env value is ***" wait_for "value: '***'"
no_leak "yaml"
esc
keys d
check "describe too" wait_for "value: '***'"
no_leak "describe"
esc
esc
esc

# the jobs view's last log lines of the migration
keys ':' 'jobs' Enter
check "the jobs view's log lines: masked" wait_for "migrating with ***"
no_leak "jobs"

check "no secret was on screen at any step" test "$LEAKED" = 0

# a namespace whose Secrets the user may not read: said, and the logs open
keys ':' 'ns locked' Enter
check "a refused Secrets list is said: the values are not masked" \
    wait_for "could not be read, so their values are not masked in logs"
keys ':' 'pods' Enter
keys '/' 'leaky' Enter
wait_for "filter: leaky" >/dev/null
keys l
check "... and the logs still open (no wait for a mask that cannot come)" \
    wait_for "user dify on db.example.com"

# Secrets slow to list (2.5 s): a YAML opened at once waits for them, and
# never shows the password it repeats (its lines are made safe once, on
# arrival: a mask that comes after them is too late)
esc
esc
esc
keys ':' 'q' Enter
check ":q leaves with exit 0" wait_for "EXIT=0"
$T kill-session -t w
$T new-session -d -s w -x 120 -y 60 \
    "env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$KUBECONFIG' DIFY_TUI_STATE='$DIFY_TUI_STATE' '$BIN' -n slow dashboard; echo EXIT=\$?; exec cat"
wait_for "dify-api" >/dev/null
keys y
LEAKED=0
seen_yaml() { no_leak "yaml while the Secrets are listed"; shows "value: '***'"; }
check "slow Secrets: the YAML opened at once comes masked" poll -n 100 seen_yaml
check "... and the password was on screen at no time" test "$LEAKED" = 0
keys Escape
sleep 0.3
keys ':' 'q' Enter
check ":q leaves with exit 0" wait_for "EXIT=0"
sim_stop
done_testing
