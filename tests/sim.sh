#!/bin/sh
# tests/sim.sh: the real kubectl against dify-sim: discovery, server-side
# apply, rollouts, describe, logs, selectors, watch, paging, deletion with
# propagation, and the error statuses (401, 403, 409, 410) with curl.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

if ! need_tool kubectl || ! need_tool curl; then
    skip "dify-sim with kubectl" "kubectl or curl is not installed"
    done_testing
    exit 0
fi
tmpdir_new
if ! sim_start --speed 10 --history 100; then
    fail "dify-sim starts and answers"
    done_testing
    exit 1
fi
ok "dify-sim starts and answers on $SIM_SERVER"

check "kubectl get ns lists default" sh -c 'kubectl get ns | grep -q "^default "'
check "kubectl get nodes: arm64 nodes Ready" \
    sh -c 'kubectl get nodes -L kubernetes.io/arch | grep sim-node-1 | grep -q "Ready.*arm64"'
check "kubectl get pods -A succeeds" kubectl get pods -A

cat >"$TEST_TMP/deploy.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: x
  labels: {app: x}
spec:
  replicas: 3
  selector:
    matchLabels: {app: x, component: api}
  template:
    metadata:
      labels: {app: x, component: api}
    spec:
      containers:
        - name: api
          image: langgenius/dify-api:1.13.3
YAML
check "kubectl apply --server-side creates the Deployment" \
    kubectl apply --server-side -f "$TEST_TMP/deploy.yaml"
check "kubectl rollout status succeeds" kubectl rollout status deployment/x --timeout=60s
sed 's/1.13.3/1.14.0/' "$TEST_TMP/deploy.yaml" >"$TEST_TMP/deploy2.yaml"
check "re-apply with a new image" kubectl apply --server-side -f "$TEST_TMP/deploy2.yaml"
check "the rollout of the new image completes" kubectl rollout status deployment/x --timeout=60s
rs_count=$(kubectl get rs -l app=x -o name | wc -l)
if [ "$rs_count" -eq 2 ]; then ok "two ReplicaSets after the update"; else fail "two ReplicaSets after the update (got $rs_count)"; fi
images=$(kubectl get pods -l app=x -o jsonpath='{.items[*].spec.containers[0].image}')
case "$images" in
*1.13.3*) fail "all pods run the new image ($images)" ;;
*) ok "all pods run the new image" ;;
esac
rev=$(kubectl get deploy x -o jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}')
if [ "$rev" = 2 ]; then ok "revision annotation is 2"; else fail "revision annotation is 2 (got $rev)"; fi
gen=$(kubectl get deploy x -o jsonpath='{.metadata.generation}/{.status.observedGeneration}')
if [ "$gen" = 2/2 ]; then ok "generation and observedGeneration are 2 after the spec change"; else fail "generation/observedGeneration 2/2 (got $gen)"; fi
sed 's/replicas: 3/replicas: 2/' "$TEST_TMP/deploy2.yaml" >"$TEST_TMP/deploy3.yaml"
if kubectl apply --server-side --field-manager=other -f "$TEST_TMP/deploy3.yaml" >"$TEST_TMP/conflict" 2>&1; then
    fail "server-side apply by another manager changing replicas conflicts"
else
    check "server-side apply by another manager changing replicas conflicts" \
        grep -q "conflict" "$TEST_TMP/conflict"
fi
check "server-side apply with --force-conflicts takes the field" \
    sh -c "kubectl apply --server-side --field-manager=other --force-conflicts -f '$TEST_TMP/deploy3.yaml' >/dev/null &&
           [ \"\$(kubectl get deploy x -o jsonpath={.spec.replicas})\" = 2 ]"
check "managedFields name both managers" \
    sh -c 'kubectl get deploy x -o json --show-managed-fields | grep -q "\"manager\": \"other\""'
kubectl scale deployment x --replicas=3 >/dev/null
kubectl rollout status deployment/x --timeout=60s >/dev/null
kubectl describe deployment x >"$TEST_TMP/describe" 2>&1
check "kubectl describe shows the scaling events" grep -q "ScalingReplicaSet" "$TEST_TMP/describe"
check "kubectl describe shows Progressing NewReplicaSetAvailable" \
    grep -q "NewReplicaSetAvailable" "$TEST_TMP/describe"
check "kubectl logs shows the api start-up" sh -c 'kubectl logs deploy/x | grep -q "Starting gunicorn"'
check "kubectl logs --tail=1 prints one line" sh -c '[ "$(kubectl logs deploy/x --tail=1 | wc -l)" -eq 1 ]'
check "label selector component=api finds the pods" \
    sh -c '[ "$(kubectl get pods -l component=api -o name | wc -l)" -eq 3 ]'
check "label selector component!=api finds none" \
    sh -c '[ "$(kubectl get pods -l "component!=api" -o name | wc -l)" -eq 0 ]'
check "set-based selector component in (api,web)" \
    sh -c '[ "$(kubectl get pods -l "component in (api,web)" -o name | wc -l)" -eq 3 ]'
check "field selector status.phase=Running" \
    sh -c '[ "$(kubectl get pods --field-selector status.phase=Running -o name | wc -l)" -eq 3 ]'
check "field selector status.phase=Pending finds none" \
    sh -c '[ "$(kubectl get pods -A --field-selector status.phase=Pending -o name | wc -l)" -eq 0 ]'
check "kubectl get pods prints STATUS Running" sh -c 'kubectl get pods | grep -q " Running "'

# watch in the background, change something, look for the new pod
kubectl get pods --watch -o name --request-timeout=0 >"$TEST_TMP/watch" 2>&1 &
watch_pid=$!
wait_for 50 grep -q pod/ "$TEST_TMP/watch"
kubectl scale deployment x --replicas=4 >/dev/null
if wait_for 100 sh -c "[ \$(sort -u '$TEST_TMP/watch' | wc -l) -ge 4 ]"; then
    ok "kubectl get --watch sees the new pod"
else
    fail "kubectl get --watch sees the new pod"
fi
kill "$watch_pid" 2>/dev/null
wait "$watch_pid" 2>/dev/null
wait_for 100 sh -c '[ "$(kubectl get pods --field-selector status.phase=Running -o name | wc -l)" -eq 4 ]'
kubectl get pods -A --chunk-size=1 -v=6 >"$TEST_TMP/chunks" 2>&1
check "paging: --chunk-size=1 follows continue tokens" grep -q "continue=" "$TEST_TMP/chunks"
check "paging: every pod is listed" sh -c "[ \$(grep -c ' Running ' '$TEST_TMP/chunks') -eq 4 ]"
# a real server counts the rest only for a list without selectors
kubectl get --raw "/api/v1/namespaces/default/pods?limit=1" >"$TEST_TMP/page1"
check "paging: remainingItemCount counts the rest of a plain list" \
    grep -q '"continue":"[0-9a-f]*","remainingItemCount":3}' "$TEST_TMP/page1"
kubectl get --raw "/api/v1/namespaces/default/pods?limit=1&labelSelector=app%3Dx" >"$TEST_TMP/page1s"
check "paging: a selected list has a continue token and no remainingItemCount" \
    sh -c "grep -q '\"continue\":\"[0-9a-f]' '$TEST_TMP/page1s' && ! grep -q remainingItemCount '$TEST_TMP/page1s'"

# a streaming list: the current pods as ADDED events, then the bookmark
# marking their end; the options a real server refuses are a 422
stream="/api/v1/namespaces/default/pods?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&timeoutSeconds=1"
kubectl get --raw "$stream&resourceVersionMatch=NotOlderThan" >"$TEST_TMP/stream" 2>&1
check "streaming list: every pod as ADDED before the end bookmark" sh -c \
    "[ \$(sed -n '1,/initial-events-end/p' '$TEST_TMP/stream' | grep -c '^{\"type\":\"ADDED\"') -eq 4 ]"
check "streaming list: the end bookmark carries k8s.io/initial-events-end" \
    grep -q '"type":"BOOKMARK".*"annotations":{"k8s.io/initial-events-end":"true"}' "$TEST_TMP/stream"
kubectl get --raw "$stream" >"$TEST_TMP/stream422" 2>&1 && s=0 || s=$?
check "streaming list without resourceVersionMatch=NotOlderThan is refused (422)" sh -c \
    "[ $s -ne 0 ] && grep -q 'resourceVersionMatch to NotOlderThan' '$TEST_TMP/stream422'"

check "kubectl delete deployment" kubectl delete deployment x
if wait_for 100 sh -c '[ -z "$(kubectl get pods,rs -l app=x -o name)" ]'; then
    ok "deleting the Deployment removes its ReplicaSets and pods"
else
    fail "deleting the Deployment removes its ReplicaSets and pods"
fi

# error statuses
code=$(curl -sk -o /dev/null -w '%{http_code}' "$SIM_SERVER/api/v1/pods")
if [ "$code" = 401 ]; then ok "401 without a token"; else fail "401 without a token (got $code)"; fi
code=$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer nope" "$SIM_SERVER/api/v1/pods")
if [ "$code" = 401 ]; then ok "401 with a wrong token"; else fail "401 with a wrong token (got $code)"; fi
out=$(curl -sk -H "Authorization: Bearer $SIM_RO" -H 'Content-Type: application/json' \
    -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ro"}}' \
    -w '\n%{http_code}' "$SIM_SERVER/api/v1/namespaces/default/configmaps")
case "$out" in
*'"reason":"Forbidden"'*403) ok "403 Forbidden Status for the read-only token on create" ;;
*) fail "403 Forbidden Status for the read-only token on create: $out" ;;
esac
check "the read-only token may list" kubectl --context dify-sim-readonly get pods
if kubectl --context dify-sim-readonly create namespace ro-test 2>"$TEST_TMP/ro.err"; then
    fail "kubectl with the read-only context cannot create"
else
    check "kubectl with the read-only context cannot create" grep -q forbidden "$TEST_TMP/ro.err"
fi
sim_curl -H 'Content-Type: application/json' \
    -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm1"},"data":{"a":"1"}}' \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps" >"$TEST_TMP/create"
check "POST creates a ConfigMap (201)" sh -c "tail -1 '$TEST_TMP/create' | grep -q 201"
rv=$(grep -o '"resourceVersion":"[0-9]*"' "$TEST_TMP/create" | cut -d'"' -f4)
sim_curl -X PUT -H 'Content-Type: application/json' \
    -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm1\",\"resourceVersion\":\"$rv\"},\"data\":{\"a\":\"2\"}}" \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps/cm1" >"$TEST_TMP/put1"
check "PUT with the current resourceVersion succeeds" sh -c "tail -1 '$TEST_TMP/put1' | grep -q 200"
sim_curl -X PUT -H 'Content-Type: application/json' \
    -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm1\",\"resourceVersion\":\"$rv\"},\"data\":{\"a\":\"3\"}}" \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps/cm1" >"$TEST_TMP/put2"
check "PUT with a stale resourceVersion is 409 Conflict" \
    sh -c "tail -1 '$TEST_TMP/put2' | grep -q 409 && grep -q '\"reason\":\"Conflict\"' '$TEST_TMP/put2'"
sim_curl -X PATCH -H 'Content-Type: application/merge-patch+json' -d '{"data":{"b":"x"}}' \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps/cm1" >"$TEST_TMP/patch"
check "merge patch adds a key and keeps the others" \
    sh -c "grep -q '\"a\":\"2\"' '$TEST_TMP/patch' && grep -q '\"b\":\"x\"' '$TEST_TMP/patch'"
sim_curl -X PUT -H 'Content-Type: application/json' \
    -d '{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"nope"},"status":{"phase":"Lost"}}' \
    "$SIM_SERVER/api/v1/namespaces/default/persistentvolumeclaims/nope/status" >"$TEST_TMP/st404"
check "PUT status of a missing object is 404" sh -c "tail -1 '$TEST_TMP/st404' | grep -q 404"
sim_curl -H 'Content-Type: application/json' \
    -d '{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data"},"spec":{"resources":{"requests":{"storage":"1Gi"}}}}' \
    "$SIM_SERVER/api/v1/namespaces/default/persistentvolumeclaims" >/dev/null
sim_curl -X PATCH -H 'Content-Type: application/merge-patch+json' \
    -d '{"spec":{"volumeName":"pv1"},"status":{"phase":"Lost"}}' \
    "$SIM_SERVER/api/v1/namespaces/default/persistentvolumeclaims/data/status" >"$TEST_TMP/st"
check "a status patch changes the status and ignores the spec" \
    sh -c "grep -q '\"phase\":\"Lost\"' '$TEST_TMP/st' && ! grep -q pv1 '$TEST_TMP/st'"
sim_curl -X PATCH -H 'Content-Type: application/merge-patch+json' \
    -d '{"status":{"phase":"Pending"}}' \
    "$SIM_SERVER/api/v1/namespaces/default/persistentvolumeclaims/data" >"$TEST_TMP/st2"
check "a patch of the main resource ignores the status" grep -q '"phase":"Lost"' "$TEST_TMP/st2"
sim_curl -X PATCH -H 'Content-Type: application/json-patch+json' \
    -d '[{"op":"remove","path":"/data/a"}]' \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps/cm1" >"$TEST_TMP/jpatch"
check "JSON patch removes a key" sh -c "! grep -q '\"a\":' '$TEST_TMP/jpatch'"
sim_curl "$SIM_SERVER/api/v1/namespaces/default/configmaps/nope" >"$TEST_TMP/nf"
check "404 NotFound Status for a missing object" \
    sh -c "tail -1 '$TEST_TMP/nf' | grep -q 404 && grep -q '\"reason\":\"NotFound\"' '$TEST_TMP/nf'"
sim_curl -H 'Content-Type: application/json' \
    -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm1"}}' \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps" >"$TEST_TMP/dup"
check "409 AlreadyExists on a second create" grep -q '"reason":"AlreadyExists"' "$TEST_TMP/dup"
sim_curl -H 'Content-Type: application/json' \
    -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}' \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps" >"$TEST_TMP/inv"
check "422 Invalid for a bad name" \
    sh -c "tail -1 '$TEST_TMP/inv' | grep -q 422 && grep -q '\"reason\":\"Invalid\"' '$TEST_TMP/inv'"
# The history holds 100 events and the rollouts above made many more.
curl -sk -m 10 -H "Authorization: Bearer $SIM_ADMIN" \
    "$SIM_SERVER/api/v1/namespaces/default/pods?watch=1&resourceVersion=1" >"$TEST_TMP/gone"
check "410: a watch from a too old resourceVersion gets an ERROR event with code 410" \
    sh -c "grep -q '\"type\":\"ERROR\"' '$TEST_TMP/gone' && grep -q '\"code\":410' '$TEST_TMP/gone'"
cur=$(kubectl get --raw /api/v1/namespaces/default/configmaps | grep -o '"resourceVersion":"[0-9]*"' | head -1 | cut -d'"' -f4)
curl -sk -m 10 -H "Authorization: Bearer $SIM_ADMIN" \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=$cur&timeoutSeconds=1&allowWatchBookmarks=true" \
    >"$TEST_TMP/tw" &
curl_pid=$!
sim_curl -X PATCH -H 'Content-Type: application/merge-patch+json' -d '{"data":{"c":"y"}}' \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps/cm1" >/dev/null
wait "$curl_pid"
check "a watch from the current version sees the MODIFIED event and ends at timeoutSeconds" \
    grep -q '"type":"MODIFIED"' "$TEST_TMP/tw"

# a watch with a label selector: an object leaving the selector is DELETED
sim_curl -H 'Content-Type: application/json' \
    -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"sel","labels":{"tier":"a"}}}' \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps" >/dev/null
cur=$(kubectl get --raw /api/v1/namespaces/default/configmaps | grep -o '"resourceVersion":"[0-9]*"' | head -1 | cut -d'"' -f4)
curl -sk -m 10 -H "Authorization: Bearer $SIM_ADMIN" \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps?watch=1&labelSelector=tier%3Da&resourceVersion=$cur&timeoutSeconds=2" \
    >"$TEST_TMP/selw" &
curl_pid=$!
sim_curl -X PATCH -H 'Content-Type: application/merge-patch+json' \
    -d '{"metadata":{"labels":{"tier":"b"}}}' \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps/sel" >/dev/null
sim_curl -X PATCH -H 'Content-Type: application/merge-patch+json' \
    -d '{"metadata":{"labels":{"tier":"a"}}}' \
    "$SIM_SERVER/api/v1/namespaces/default/configmaps/sel" >/dev/null
wait "$curl_pid"
types=$(grep -o '"type":"[A-Z]*"' "$TEST_TMP/selw" | cut -d'"' -f4 | tr '\n' ' ')
if [ "$types" = "DELETED ADDED " ]; then
    ok "a selector watch sees DELETED when the object leaves it and ADDED when it returns"
else
    fail "a selector watch sees DELETED when the object leaves it and ADDED when it returns (got: $types)"
fi

# the service proxy answers like the Dify components
kubectl apply --server-side -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: dify-plugin-daemon}
spec:
  selector: {matchLabels: {component: plugin-daemon}}
  template:
    metadata: {labels: {component: plugin-daemon}}
    spec:
      containers: [{name: plugin-daemon, image: "langgenius/dify-plugin-daemon:0.5.3-local"}]
---
apiVersion: v1
kind: Service
metadata: {name: dify-plugin-daemon}
spec:
  selector: {component: plugin-daemon}
  ports: [{port: 5002}]
---
apiVersion: v1
kind: Service
metadata: {name: dify-api}
spec:
  selector: {component: api}
  ports: [{port: 5001}]
YAML
sim_curl "$SIM_SERVER/api/v1/namespaces/default/services/dify-api:5001/proxy/health" >"$TEST_TMP/p503"
check "the proxy answers 503 when no ready pod backs the service" \
    sh -c "tail -1 '$TEST_TMP/p503' | grep -q 503"
kubectl rollout status deployment/dify-plugin-daemon --timeout=60s >/dev/null
out=$(kubectl get --raw /api/v1/namespaces/default/services/dify-plugin-daemon:5002/proxy/health/check)
case "$out" in
*'"status":"ok"'*'"version":"0.5.3-local"'*) ok "plugin daemon /health/check through the proxy" ;;
*) fail "plugin daemon /health/check through the proxy: $out" ;;
esac
kubectl scale deployment x --replicas=0 >/dev/null 2>&1
kubectl apply --server-side -f "$TEST_TMP/deploy.yaml" >/dev/null
kubectl rollout status deployment/x --timeout=60s >/dev/null
curl -sk -i -H "Authorization: Bearer $SIM_ADMIN" \
    "$SIM_SERVER/api/v1/namespaces/default/services/dify-api:5001/proxy/health" >"$TEST_TMP/apihealth"
check "api /health through the proxy has the version body and X-Version header" \
    sh -c "grep -qi '^X-Version: 1.13.3' '$TEST_TMP/apihealth' && grep -q '\"status\":\"ok\"' '$TEST_TMP/apihealth'"
sim_curl "$SIM_SERVER/api/v1/namespaces/default/services/dify-plugin-daemon/proxy/health" >"$TEST_TMP/p404"
check "plugin daemon /health is 404 route not found" \
    sh -c "tail -1 '$TEST_TMP/p404' | grep -q 404 && grep -q 'route not found' '$TEST_TMP/p404'"

# kubectl's typed generators send protobuf bodies
check "kubectl create namespace (protobuf body)" kubectl create namespace proto
check "kubectl create configmap (protobuf body)" kubectl create configmap pc -n proto --from-literal=k=v
check "the configmap data arrived" sh -c '[ "$(kubectl get cm pc -n proto -o jsonpath={.data.k})" = v ]'
check "kubectl create secret generic (protobuf body)" \
    kubectl create secret generic ps -n proto --from-literal=pw=s3cret
check "the secret data arrived base64-encoded" \
    sh -c '[ "$(kubectl get secret ps -n proto -o jsonpath={.data.pw} | base64 -d)" = s3cret ]'
check "kubectl create deployment (protobuf body) rolls out" \
    sh -c 'kubectl create deployment pd -n proto --image=nginx:1.27 --replicas=2 &&
           kubectl rollout status deployment/pd -n proto --timeout=60s'
check "kubectl run (protobuf body)" kubectl run pr -n proto --image=busybox:1.36
check "kubectl delete namespace removes it with its objects" \
    sh -c 'kubectl delete namespace proto --timeout=60s && ! kubectl get namespace proto 2>/dev/null'

sim_stop
done_testing
