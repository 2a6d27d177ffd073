#!/bin/sh
# tests/sim_scenarios.sh: scenario files driving dify-sim: a crash loop with
# its log line, an image pull error, a failing Job, a rollout stuck until
# ProgressDeadlineExceeded, injected API errors, dropped watches, the demo,
# a StatefulSet, and a clear message for a bad scenario file.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

if ! need_tool kubectl || ! need_tool curl; then
    skip "dify-sim scenarios with kubectl" "kubectl or curl is not installed"
    done_testing
    exit 0
fi
tmpdir_new
SCN="$top_srcdir/tests/data/scenarios"

# A scenario file with a typo is refused with the file and the key named.
printf 'name: bad\npods:\n  - match: {namePrefix: x}\n    crashAftr: 3\n' >"$TEST_TMP/bad.yaml"
if "$SIM_BIN" --scenario "$TEST_TMP/bad.yaml" >"$TEST_TMP/bad.out" 2>&1; then
    fail "a bad scenario file is refused"
else
    check "a bad scenario file is refused, naming the key" \
        grep -q 'bad.yaml: unknown key "crashAftr" in pods\[0\]' "$TEST_TMP/bad.out"
fi
printf 'pods: [\n' >"$TEST_TMP/broken.yaml"
if "$SIM_BIN" --scenario "$TEST_TMP/broken.yaml" >"$TEST_TMP/broken.out" 2>&1; then
    fail "unparsable YAML is refused"
else
    check "unparsable YAML is refused with a line number" grep -q 'broken.yaml.*line' "$TEST_TMP/broken.out"
fi

if ! sim_start --speed 10 --scenario "$SCN/crashloop.yaml"; then
    fail "dify-sim starts with crashloop.yaml"
    done_testing
    exit 1
fi
ok "dify-sim starts with crashloop.yaml"

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
apiVersion: apps/v1
kind: Deployment
metadata: {name: broken-image}
spec:
  selector: {matchLabels: {app: broken-image}}
  template:
    metadata: {labels: {app: broken-image}}
    spec:
      containers: [{name: api, image: "langgenius/dify-api:9.9.9"}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: "langgenius/dify-api:1.13.3"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: slow}
spec:
  progressDeadlineSeconds: 20
  selector: {matchLabels: {app: slow}}
  template:
    metadata: {labels: {app: slow}}
    spec:
      containers: [{name: slow, image: "langgenius/dify-web:1.13.3"}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: postgres, image: "postgres:15-alpine"}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
YAML

if wait_for 150 sh -c 'kubectl get pods -l component=plugin-daemon | grep -q CrashLoopBackOff'; then
    ok "kubectl get pods shows CrashLoopBackOff"
else
    fail "kubectl get pods shows CrashLoopBackOff"
fi
check "the crash-looping pod's previous log has the 28P01 line" \
    sh -c 'kubectl logs deploy/dify-plugin-daemon --previous | grep -q 28P01'
# kubectl logs -f ends when the followed container instance ends (crashes)
if timeout 60 kubectl logs -f deploy/dify-plugin-daemon >"$TEST_TMP/follow" 2>&1; then
    check "kubectl logs -f ends with the crash and shows the 28P01 line" grep -q 28P01 "$TEST_TMP/follow"
else
    fail "kubectl logs -f ends with the crash and shows the 28P01 line"
fi
restarts=$(kubectl get pods -l component=plugin-daemon -o jsonpath='{.items[0].status.containerStatuses[0].restartCount}')
exitcode=$(kubectl get pods -l component=plugin-daemon -o jsonpath='{.items[0].status.containerStatuses[0].lastState.terminated.exitCode}')
if [ "${restarts:-0}" -ge 1 ] && [ "$exitcode" = 1 ]; then
    ok "restartCount and lastState.terminated.exitCode are set"
else
    fail "restartCount and lastState.terminated.exitCode are set ($restarts, $exitcode)"
fi
check "a BackOff event is recorded" \
    sh -c 'kubectl get events --field-selector reason=BackOff -o name | grep -q .'

if wait_for 100 sh -c 'kubectl get pods -l app=broken-image | grep -Eq "ErrImagePull|ImagePullBackOff"'; then
    ok "an image pull error shows as ErrImagePull/ImagePullBackOff"
else
    fail "an image pull error shows as ErrImagePull/ImagePullBackOff"
fi
if wait_for 150 sh -c 'kubectl get job migrate -o jsonpath="{.status.conditions[?(@.type==\"Failed\")].status}" | grep -q True'; then
    ok "the Job fails after its backoff limit"
else
    fail "the Job fails after its backoff limit"
fi
failed=$(kubectl get job migrate -o jsonpath='{.status.failed}')
if [ "$failed" = 2 ]; then ok "the Job counted 2 failed pods (backoffLimit 1)"; else fail "the Job counted 2 failed pods (got $failed)"; fi
check "the failed migration pod's log" \
    sh -c 'kubectl logs job/migrate | grep -q "Database migration failed"'
check "kubectl get jobs prints Failed" sh -c 'kubectl get jobs | grep migrate | grep -q Failed'

if kubectl rollout status deployment/slow --timeout=60s >"$TEST_TMP/stuck" 2>&1; then
    fail "a stuck rollout fails kubectl rollout status"
else
    check "a stuck rollout fails with 'exceeded its progress deadline'" \
        grep -q "exceeded its progress deadline" "$TEST_TMP/stuck"
fi

check "the StatefulSet rolls out" kubectl rollout status statefulset/db --timeout=60s
check "StatefulSet pods are named db-0 and db-1" kubectl get pod db-0 db-1
check "StatefulSet volume claims exist" kubectl get pvc data-db-0 data-db-1

kubectl create namespace faulty >/dev/null 2>&1 ||
    sim_curl -H 'Content-Type: application/json' \
        -d '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"faulty"}}' \
        "$SIM_SERVER/api/v1/namespaces" >/dev/null
sim_curl "$SIM_SERVER/api/v1/namespaces/faulty/pods" >"$TEST_TMP/fault"
check "an injected fault answers 500" sh -c "tail -1 '$TEST_TMP/fault' | grep -q 500"
sim_curl "$SIM_SERVER/api/v1/namespaces/default/pods" >"$TEST_TMP/nofault"
check "other paths are not affected" sh -c "tail -1 '$TEST_TMP/nofault' | grep -q 200"
kubectl create namespace slow-api >/dev/null
t=$(curl -sk -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $SIM_ADMIN" \
    "$SIM_SERVER/api/v1/namespaces/slow-api/pods")
if awk "BEGIN {exit !($t >= 0.3)}"; then ok "an injected latency delays the answer ($t s)"; else fail "an injected latency delays the answer ($t s)"; fi
sim_stop

if sim_start --speed 10 --scenario "$SCN/dropwatch.yaml"; then
    # 4 namespaces exist: a watch without a version starts with 4 ADDED events.
    curl -sk -m 20 -H "Authorization: Bearer $SIM_ADMIN" \
        "$SIM_SERVER/api/v1/namespaces?watch=1" >"$TEST_TMP/drop"
    rc=$?
    lines=$(wc -l <"$TEST_TMP/drop")
    if [ "$rc" -eq 0 ] && [ "$lines" -ge 3 ] && [ "$lines" -le 4 ]; then
        ok "the server drops watch streams after dropAfterEvents"
    else
        fail "the server drops watch streams after dropAfterEvents (curl $rc, $lines lines)"
    fi
    sim_stop
else
    fail "dify-sim starts with dropwatch.yaml"
fi

# logRate: a container that writes N lines a second while it runs (200)
if sim_start --speed 10 --scenario "$top_srcdir/tests/data/scenarios/chatty.yaml"; then
    wait_for 100 sh -c '[ "$(kubectl get pod -n logs chatty -o jsonpath={.status.phase})" = Running ]'
    # lines are numbered from 1 and counted against the real clock: at 200 a
    # second there are well over 50 once a second has passed
    wait_for 100 sh -c '[ "$(kubectl logs -n logs chatty | grep -c "^line [0-9]*: ")" -gt 50 ]'
    kubectl logs -n logs chatty >"$TEST_TMP/chatty.log"
    check "logRate: the container writes numbered lines while it runs" \
        sh -c "[ \$(grep -c '^line [0-9]*: ' '$TEST_TMP/chatty.log') -gt 50 ] && grep -q '^line 1: ' '$TEST_TMP/chatty.log'"
    sim_stop
else
    fail "dify-sim starts with a logRate rule"
fi

if ! need_stores; then
    skip "the demo scenario (real PostgreSQL and Redis)" "$STORES_WHY"
elif sim_start --speed 10 --scenario demo; then
    ok "the demo scenario starts"
    check "the demo has the seven Dify Deployments" \
        sh -c '[ "$(kubectl get deploy -n dify -l app.kubernetes.io/instance=dify -o name | wc -l)" -eq 7 ]'
    if wait_for 150 sh -c 'kubectl get job -n dify dify-db-migration | grep -q Complete'; then
        ok "the demo's migration Job completes"
    else
        fail "the demo's migration Job completes"
    fi
    if wait_for 150 sh -c 'kubectl get pods -n dify -l component=plugin-daemon | grep -q CrashLoopBackOff'; then
        ok "the demo's plugin daemon crash-loops"
    else
        fail "the demo's plugin daemon crash-loops"
    fi
    wait_for 100 sh -c 'kubectl get deploy -n dify dify-api -o jsonpath="{.status.readyReplicas}" | grep -q 1'
    out=$(kubectl get --raw /api/v1/namespaces/dify/services/dify-api:5001/proxy/health)
    case "$out" in
    *'"status":"ok"'*'"version":"1.13.3"'*) ok "the demo's api /health answers through the proxy" ;;
    *) fail "the demo's api /health answers through the proxy: $out" ;;
    esac
    wait_for 100 sh -c 'kubectl get deploy -n dify dify-web -o jsonpath="{.status.readyReplicas}" | grep -q 1'
    code=$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $SIM_ADMIN" \
        "$SIM_SERVER/api/v1/namespaces/dify/services/dify-web:3000/proxy/apps")
    if [ "$code" = 200 ]; then ok "the demo's web /apps is 200"; else fail "the demo's web /apps is 200 (got $code)"; fi
    wait_for 100 sh -c 'kubectl get deploy -n dify dify-sandbox -o jsonpath="{.status.readyReplicas}" | grep -q 1'
    out=$(kubectl get --raw /api/v1/namespaces/dify/services/dify-sandbox:8194/proxy/health)
    if [ "$out" = '"ok"' ]; then ok "the demo's sandbox /health says \"ok\""; else fail "sandbox /health: $out"; fi
    sim_stop
else
    fail "the demo scenario starts"
fi
done_testing
