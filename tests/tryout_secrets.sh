#!/bin/bash
# tests/tryout_secrets.sh: `dify-tui dashboard` started without an answers
# file knows no secrets of its own; a pod that logs its database password
# must still show "***". The dashboard reads the values of the namespace's
# Secrets the user may read and masks them everywhere it draws text: the
# logs view, the jobs view's log lines, an object's YAML that repeats one in
# a plain env value. What must stay shown: a value too short to mask
# ("dify", which would mask every word of the name), the values of keys that
# are not secrets (DB_USERNAME), and a user who may not read Secrets is told
# that their values are not masked, and the logs still open. A password
# given only as a pod template's plain env value, with no Secret behind it
# (namespace "plain"), is masked by the same rule in describe and YAML
# (it was shown: only Secrets were read), and so in the logs after. Against
# dify-sim beside kubectl (which shows the password: it is really there).
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "secrets masked in the dashboard" tmux kubectl python3
PW='Sup3rS3cretDbPw!'
BROKER_PW='R3disBrokerPw99'
PLAIN_PW='PlainEnvPassw0rd'
PLAIN_URL_PW='PlainUrlPw-4711'
python3 - "$TEST_TMP/scn.json" "$PW" "$BROKER_PW" "$PLAIN_PW" "$PLAIN_URL_PW" <<'PY'
import json, sys
out, pw, bpw, ppw, upw = sys.argv[1:6]
def pod(name, ns):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
def api(ns, env):  # deployment/dify-api with these plain env values
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "dify-api", "namespace": ns, "labels": {"component": "api"}},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"component": "api"}},
                     "template": {"metadata": {"labels": {"component": "api"}},
                                  "spec": {"containers": [{"name": "api", "image": "langgenius/dify-api:1.13.3",
                                                           "env": [{"name": k, "value": v} for k, v in env]}]}}}}
leak = ["db postgresql://dify:%s@db:5432/dify" % pw, "broker url has " + bpw,
        "short dify password dify", "user dify on db.example.com"]
json.dump({
    "name": "tryout-secrets",
    "defaults": {"scheduleDelay": 0.1, "pullDelay": 0.1, "readyDelay": 0.2, "runFor": 0.5},
    "pods": [{"match": {"namePrefix": "leaky"}, "logs": leak},
             {"match": {"namePrefix": "dify-db-migrate"}, "logs": ["migrating with " + pw]},
             {"match": {"namePrefix": "talky"}, "logs": ["plain pw is " + ppw]}],
    "faults": [{"path": "/api/v1/namespaces/locked/secrets", "status": 403},
               {"path": "/api/v1/namespaces/slow/secrets", "latencyMs": 2500}],
    "objects": [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dify"}},
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "locked"}},
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "slow"}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "dify-secrets", "namespace": "slow"},
         "stringData": {"DB_PASSWORD": pw}},
        api("slow", [("DB_PASSWORD", pw)]),
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "dify-secrets", "namespace": "dify"},
         "stringData": {"DB_PASSWORD": pw, "DB_USERNAME": "dify", "DB_HOST": "db.example.com",
                        "REDIS_PASSWORD": "dify",
                        "CELERY_BROKER_URL": "redis://:%s@redis:6379/1" % bpw}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "dify-secrets", "namespace": "locked"},
         "stringData": {"DB_PASSWORD": pw}},
        api("dify", [("DB_PASSWORD", pw)]),
        {"apiVersion": "batch/v1", "kind": "Job",
         "metadata": {"name": "dify-db-migrate-0a1b2c3d4e", "namespace": "dify",
                      "labels": {"app.kubernetes.io/component": "db-migration"}},
         "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never",
                  "containers": [{"name": "migrate", "image": "langgenius/dify-api:1.13.3"}]}}}},
        pod("leaky", "dify"), pod("leaky", "locked"),
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "plain"}},
        api("plain", [("DB_PASSWORD", ppw), ("CELERY_BROKER_URL", "redis://:%s@redis:6379/1" % upw),
                      ("REDIS_PASSWORD", "dify"), ("DB_USERNAME", "postgres")]),
        pod("talky", "plain"),
    ]}, open(out, "w"))
PY
tryout_sim --scenario "$TEST_TMP/scn.json"
running() { [ "$(kubectl get pods -A --no-headers 2>/dev/null | grep -c 'leaky .*Running')" = 2 ]; }
check "the leaky pods run" poll -n 100 running
kubectl logs -n dify leaky >"$TEST_TMP/k.log"
check "kubectl shows the password in the pod's log (it is really there)" grep -qF "$PW" "$TEST_TMP/k.log"
done_job() { kubectl get job dify-db-migrate-0a1b2c3d4e -n dify -o jsonpath='{.status.succeeded}' | grep -q 1; }
poll -n 100 done_job || true

tmux_server tryout-secrets
dash_open dify 120 60

# never PW nor BROKER_PW on the screen, at any step
LEAKED=0
no_leak() {
    if screen | grep -qF -e "$PW" -e "$BROKER_PW"; then
        LEAKED=$((LEAKED + 1))
        diag "a secret on screen at: $1"
        screen | grep -F -e "$PW" -e "$BROKER_PW" | sed 's/^/# | /'
    fi
}

check "the value too short to mask is said, by Secret and key, never by value" \
    wait_for "shown, not masked: dify-secrets/REDIS_PASSWORD (under 8 characters"

select_in pods leaky
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

# the Deployment's YAML repeats the password in a plain env value
select_in rollouts dify-api
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
select_in pods leaky
keys l
check "... and the logs still open (no wait for a mask that cannot come)" \
    wait_for "user dify on db.example.com"

# Secrets slow to list (2.5 s): a YAML opened at once waits for them, and
# never shows the password it repeats (its lines are made safe once, on
# arrival: a mask that comes after them is too late)
dash_quit
dash_open slow 120 60
wait_for "dify-api" >/dev/null
keys y
LEAKED=0
seen_yaml() { no_leak "yaml while the Secrets are listed"; shows "value: '***'"; }
check "slow Secrets: the YAML opened at once comes masked" poll -n 100 seen_yaml
check "... and the password was on screen at no time" test "$LEAKED" = 0
dash_quit

# a password only in the template's plain env values: no Secret holds it
kubectl get deployment dify-api -n plain -o yaml >"$TEST_TMP/k.plain"
check "kubectl shows the plain env password (it is really there, in no Secret)" \
    sh -c "grep -qF -- '$PLAIN_PW' '$TEST_TMP/k.plain' && ! kubectl get secrets -n plain -o name | grep -q ."
plain_leak() { screen | grep -qF -e "$PLAIN_PW" -e "$PLAIN_URL_PW"; }
dash_open plain 120 60
select_in rollouts dify-api
keys y
check "YAML: the plain env password is ***" wait_for "value: '***'"
check "... so is the password in the broker URL's value" wait_for "value: redis://:***@redis:6379/1"
check "... the short one is said, by object and name, and stays shown" \
    wait_for "shown, not masked: deployment/dify-api/REDIS_PASSWORD (under 8"
check "... neither password on screen" sh -c "! { $(declare -f screen plain_leak); T='$T'; PANE=$PANE; PLAIN_PW='$PLAIN_PW'; PLAIN_URL_PW='$PLAIN_URL_PW'; plain_leak; }"
esc
keys d
check "describe: masked too" wait_for "value: '***'"
check "... neither password on screen" sh -c "! { $(declare -f screen plain_leak); T='$T'; PANE=$PANE; PLAIN_PW='$PLAIN_PW'; PLAIN_URL_PW='$PLAIN_URL_PW'; plain_leak; }"
select_in pods talky
keys l
check "a pod that logs it, after: masked there too" wait_for "plain pw is ***"
dash_quit
sim_stop
done_testing
