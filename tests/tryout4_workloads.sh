#!/bin/bash
# tests/tryout4_workloads.sh: workloads as a new user's cluster has them,
# beside kubectl on the same objects. Found:
#   - a StatefulSet with updateStrategy OnDelete whose image was changed
#     (helm upgrade) was "complete" with the new tag beside it while every
#     pod still ran the old image (kubectl: updatedReplicas 0; it has no
#     rollout status for OnDelete). Now progressing, "0 of 2 pods updated
#     (OnDelete: ...)", complete once each pod was deleted and came back.
#   - the dashboard's restart question promised "Its pods are replaced one
#     by one" for an OnDelete StatefulSet (nothing is replaced) and for a
#     Recreate Deployment (every pod stops first). Now it says what happens.
#   - diagnose DT-302's fix for a missing SECRET_KEY was "kubectl set env
#     deployment/API --from=secret/SECRET": names nobody has. Now the
#     workloads' own names and a Secret it makes; run as it is, it fixes it.
#   - an api without DB_HOST/REDIS_HOST (Dify's default: localhost) was
#     "localhost:5432 is a name inside the cluster, and namespace wk has no
#     Service localhost": inside a pod, localhost is the pod. Said so now.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "workloads beside kubectl" kubectl tmux python3
cat >"$TEST_TMP/scn.yaml" <<'YAML'
name: tryout4-workloads
defaults: {scheduleDelay: 0.1, pullDelay: 0.1, readyDelay: 0.1, runFor: 100000}
objects:
  - {apiVersion: v1, kind: Namespace, metadata: {name: wk}}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: dify-api, namespace: wk, labels: {component: api}}
    spec:
      replicas: 1
      strategy: {type: Recreate}
      selector: {matchLabels: {component: api}}
      template:
        metadata: {labels: {component: api}}
        spec: {containers: [{name: api, image: "langgenius/dify-api:1.13.3"}]}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: dify-worker, namespace: wk, labels: {component: worker}}
    spec:
      replicas: 1
      selector: {matchLabels: {component: worker}}
      template:
        metadata: {labels: {component: worker}}
        spec: {containers: [{name: worker, image: "langgenius/dify-api:1.13.3"}]}
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: dify-sandbox, namespace: wk, labels: {component: sandbox}}
    spec:
      replicas: 2
      serviceName: dify-sandbox
      updateStrategy: {type: OnDelete}
      selector: {matchLabels: {component: sandbox}}
      template:
        metadata: {labels: {component: sandbox}}
        spec: {containers: [{name: sandbox, image: "langgenius/dify-sandbox:0.2.14"}]}
YAML
tryout_sim --scenario "$TEST_TMP/scn.yaml"
ready() { [ "$(kubectl get pods -n wk --no-headers 2>/dev/null | grep -c '1/1 *Running')" = 4 ]; }
check "four pods run" wait_for 100 ready

# ---- OnDelete: a changed template is not a finished rollout ----
kubectl set image -n wk statefulset/dify-sandbox sandbox=langgenius/dify-sandbox:0.2.15 >/dev/null
updated() { kubectl get sts -n wk dify-sandbox -o jsonpath='{.status.updateRevision}/{.status.updatedReplicas}'; }
check "kubectl: a new revision, 0 pods updated ($(updated))" wait_for 50 sh -c "kubectl get sts -n wk dify-sandbox -o jsonpath='{.status.updatedReplicas}' | grep -qx 0 && kubectl get sts -n wk dify-sandbox -o jsonpath='{.status.observedGeneration}' | grep -qx 2"
check "kubectl: its pods still run 0.2.14" sh -c "[ \"\$(kubectl get pods -n wk -l component=sandbox -o jsonpath='{.items[*].spec.containers[0].image}')\" = 'langgenius/dify-sandbox:0.2.14 langgenius/dify-sandbox:0.2.14' ]"
krs=$(kubectl rollout status -n wk statefulset/dify-sandbox --watch=false 2>&1)
check "kubectl has no rollout status for OnDelete ($krs)" grep -q "only available for RollingUpdate" <<<"$krs"
# row FIELD: the sandbox row's FIELD in status --json
row() {
    "$BIN" -n wk status --json --timeout 10 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
print([c for c in d["components"] if c["name"] == "dify-sandbox"][0][sys.argv[1]])' "$1"
}
# sandbox_is STATE TEXT: the row's rollout is STATE and its reason holds TEXT
sandbox_is() { [ "$(row rollout)" = "$1" ] && row reason | grep -qF -- "$2"; }
check "status: not complete while no pod is updated (was $(row rollout): $(row reason))" \
    sandbox_is progressing '0 of 2 pods updated (OnDelete: a pod takes the new template only when it is deleted)'
kubectl delete pod -n wk dify-sandbox-0 --wait=false >/dev/null
check "one pod deleted: 1 of 2 updated" wait_for 100 sandbox_is progressing '1 of 2 pods updated'
kubectl delete pod -n wk dify-sandbox-1 --wait=false >/dev/null
kdone() { [ "$(kubectl get sts -n wk dify-sandbox -o jsonpath='{.status.updatedReplicas}')" = 2 ]; }
check "both deleted: kubectl's updatedReplicas is 2" wait_for 100 kdone
check "both deleted: complete ($(row rollout): $(row reason))" wait_for 100 sandbox_is complete 'pods ready'

# ---- the restart question says what a restart will do ----
tmux_server tr4wk
dash_open wk 120 30
restart_q() { # restart_q NAME: r on the overview's row NAME; the question's text
    select_in ':overview' "$1"
    keys r
    wait_for "Restart" >/dev/null
}
restart_q dify-sandbox
check "restart, OnDelete StatefulSet: the pods keep running until deleted" \
    shows_all "Restart statefulset/dify-sandbox?" "Its update strategy is OnDelete: its pods keep running"
check "restart, OnDelete StatefulSet: no promise of a rolling replacement" not shows "replaced one by one"
keys n
restart_q dify-api
check "restart, Recreate Deployment: every pod stops first" \
    shows_all "Restart deployment/dify-api?" "Its strategy is Recreate: every pod is stopped before"
keys n
restart_q dify-worker
check "restart, RollingUpdate Deployment: replaced one by one" shows "Its pods are replaced one by one."
keys n
dash_quit

# ---- diagnose's fix for a missing SECRET_KEY runs as it is ----
"$BIN" -n wk diagnose --only DT-302 >"$TEST_TMP/d.out" 2>&1
cmd=$(grep -A1 "Try fixing it" "$TEST_TMP/d.out" | tail -1 | sed 's/^ *//')
named() {
    grep -q 'the api has no SECRET_KEY' "$TEST_TMP/d.out" && ! grep -q 'deployment/API' "$TEST_TMP/d.out" &&
        grep -qF 'set env Deployment/dify-api Deployment/dify-worker --from=secret/dify-secret-key' <<<"$cmd"
}
check "DT-302: the fix names the workloads, not placeholders ($cmd)" named
check "DT-302: the fix runs with kubectl" bash -c "$cmd >'$TEST_TMP/fix.out' 2>&1"
shared() { "$BIN" -n wk diagnose --only DT-302 2>&1 | grep -qF 'DT-302 Values shared by components match ... ok'; }
check "DT-302: then it passes (the api and worker share a SECRET_KEY)" wait_for 50 shared
shared || "$BIN" -n wk diagnose --only DT-302 2>&1 | sed 's/^/# /'
# ---- a pod's localhost is no name inside the cluster ----
"$BIN" -n wk diagnose --only DT-401 --only DT-501 >"$TEST_TMP/d.out" 2>&1
check "DT-401: DB_HOST unset is the api's pod itself, not a Service to find" \
    sh -c "grep -qF 'localhost:5432 is the pod itself: DB_HOST in the environment of Deployment/dify-api is localhost' '$TEST_TMP/d.out' && ! grep -q 'no Service localhost' '$TEST_TMP/d.out'"
check "DT-501: the same for REDIS_HOST" grep -qF 'localhost:6379 is the pod itself: REDIS_HOST in' "$TEST_TMP/d.out"
sim_stop
done_testing
