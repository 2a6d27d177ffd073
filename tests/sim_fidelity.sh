#!/bin/sh
# tests/sim_fidelity.sh: where dify-sim once differed from a real API server
# (a real kube-apiserver was run beside it), the real kubectl now sees what
# it sees on a real cluster: immutable Job templates, foreground deletion,
# Secrets' stringData, list items without kind, field selectors only on
# indexed fields. Each check names the real behaviour it holds the sim to.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

if ! need_tool kubectl || ! need_tool curl; then
    skip "dify-sim fidelity with kubectl" "kubectl or curl is not installed"
    done_testing
    exit 0
fi
tmpdir_new
if ! sim_start --speed 10 --user nowatch:tok-nowatch:get,list \
    --scenario "$top_srcdir/tests/data/scenarios/fidelity.yaml"; then
    fail "dify-sim starts and answers"
    done_testing
    exit 1
fi

# expect_fail NAME PATTERN COMMAND...: the command fails and its stderr holds PATTERN.
expect_fail() {
    name=$1 pattern=$2
    shift 2
    if "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err"; then
        fail "$name (it succeeded)"
    elif grep -q -- "$pattern" "$TEST_TMP/err"; then
        ok "$name"
    else
        sed 's/^/# /' "$TEST_TMP/err"
        fail "$name"
    fi
}

# ---- Jobs: the pod template is immutable (422), foreground deletion ----
cat >"$TEST_TMP/job.yaml" <<'YAML'
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  backoffLimit: 2
  template:
    metadata:
      # holds the pods while they terminate, so the foreground deletion
      # below is observed without racing the clock
      finalizers: [example.com/hold]
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: langgenius/dify-api:1.9.1
          command: [flask, db, upgrade]
YAML
check "a Job is created by server-side apply" kubectl apply --server-side -f "$TEST_TMP/job.yaml"
check "the same Job applied again is unchanged" kubectl apply --server-side -f "$TEST_TMP/job.yaml"
sel=$(kubectl get job migrate -o jsonpath='{.spec.selector.matchLabels.batch\.kubernetes\.io/controller-uid}')
uid=$(kubectl get job migrate -o jsonpath='{.metadata.uid}')
if [ -n "$sel" ] && [ "$sel" = "$uid" ]; then
    ok "the selector is generated from the Job's uid at creation"
else
    fail "the selector is generated from the Job's uid at creation ($sel vs $uid)"
fi
gen=$(kubectl get job migrate -o jsonpath='{.metadata.generation}')
if [ "$gen" = 1 ]; then ok "generation stays 1"; else fail "generation stays 1 (got $gen)"; fi
sed 's/1.9.1/1.10.0/' "$TEST_TMP/job.yaml" >"$TEST_TMP/job2.yaml"
expect_fail "a changed Job template is refused with the real 422" \
    'The Job "migrate" is invalid: spec.template: Invalid value: .*: field is immutable' \
    kubectl apply --server-side -f "$TEST_TMP/job2.yaml"
check "curl: the 422 names the field in details.causes" sh -c \
    "sim_curl() { curl -sk -H 'Authorization: Bearer $SIM_ADMIN' \"\$@\"; }
     sim_curl -X PATCH -H 'Content-Type: application/merge-patch+json' \
       -d '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"migrate\",\"image\":\"x:2\"}]}}}}' \
       '$SIM_SERVER/apis/batch/v1/namespaces/default/jobs/migrate' |
       grep -q '\"field\":\"spec.template\"'"

# Foreground deletion: the Job stays, terminating, until its pods are gone;
# an apply meanwhile updates the terminating object, then it is gone.
wait_for 100 sh -c '[ -n "$(kubectl get pods -l job-name=migrate -o name)" ]'
check "a foreground delete returns at once" \
    kubectl delete job migrate --cascade=foreground --wait=false
ts=$(kubectl get job migrate -o jsonpath='{.metadata.deletionTimestamp} {.metadata.finalizers}' 2>/dev/null)
case "$ts" in
*foregroundDeletion*) ok "the Job is terminating with the foregroundDeletion finalizer" ;;
*) fail "the Job is terminating with the foregroundDeletion finalizer (got '$ts')" ;;
esac
sed 's/backoffLimit: 2/backoffLimit: 3/' "$TEST_TMP/job.yaml" >"$TEST_TMP/job3.yaml"
check "an apply while it terminates updates the terminating Job" \
    sh -c "kubectl apply --server-side -f '$TEST_TMP/job3.yaml' >/dev/null &&
           [ \"\$(kubectl get job migrate -o jsonpath='{.spec.backoffLimit}')\" = 3 ] &&
           [ -n \"\$(kubectl get job migrate -o jsonpath='{.metadata.deletionTimestamp}')\" ]"
wait_for 50 sh -c 'kubectl get pods -l job-name=migrate -o jsonpath="{.items[*].metadata.deletionTimestamp}" | grep -q .'
check "the Job waits for its terminating pods" kubectl get job migrate
for p in $(kubectl get pods -l job-name=migrate -o name); do
    kubectl patch "$p" --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]' >/dev/null
done
if wait_for 100 sh -c '! kubectl get job migrate >/dev/null 2>&1'; then
    ok "once they are gone, so is the Job"
else
    fail "once they are gone, so is the Job"
fi
check "its pods are gone too" sh -c '[ -z "$(kubectl get pods -l job-name=migrate -o name)" ]'

# ---- Jobs: completions left unset with parallelism (a work queue) ----
# kube-apiserver defaults completions to 1 only when parallelism is unset too
# (pkg/apis/batch/v1/defaults.go, SetDefaults_Job); with parallelism alone
# completions stays unset, the job controller runs parallelism pods and the
# Job is complete once one has succeeded and none runs; kubectl prints
# "<succeeded>/1 of <parallelism>" (pkg/printers/internalversion, printJob).
cat >"$TEST_TMP/queue.yaml" <<'YAML'
apiVersion: batch/v1
kind: Job
metadata: {name: queue-held}
spec:
  parallelism: 3
  template:
    spec: {restartPolicy: Never, containers: [{name: work, image: "busybox:1.36"}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: queue-done}
spec:
  parallelism: 2
  template:
    spec: {restartPolicy: Never, containers: [{name: work, image: "busybox:1.36"}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: single}
spec:
  template:
    spec: {restartPolicy: Never, containers: [{name: work, image: "busybox:1.36"}]}
YAML
check "Jobs with parallelism only and with neither are created" kubectl apply -f "$TEST_TMP/queue.yaml"
got=$(kubectl get job queue-held single -o jsonpath='{range .items[*]}{.metadata.name}:{.spec.completions}/{.spec.parallelism} {end}')
if [ "$got" = "queue-held:/3 single:1/1 " ]; then
    ok "completions stays unset beside parallelism; neither given defaults both to 1"
else
    fail "completions stays unset beside parallelism; neither given defaults both to 1 (got '$got')"
fi
check "a work-queue Job runs parallelism pods" \
    wait_for 100 sh -c '[ "$(kubectl get pods -l job-name=queue-held --no-headers | grep -c Running)" = 3 ]'
if kubectl get job queue-held --no-headers | grep -qE '^queue-held +Running +0/1 of 3 '; then
    ok "kubectl prints a running work-queue Job as \"0/1 of 3\""
else
    fail "kubectl prints a running work-queue Job as \"0/1 of 3\" (got: $(kubectl get job queue-held --no-headers))"
fi
check "a work-queue Job is complete once its pods have succeeded" \
    wait_for 100 sh -c "kubectl get job queue-done --no-headers | grep -qE '^queue-done +Complete +2/1 of 2 '"
check "... and starts no pod after the first success" \
    sh -c '[ "$(kubectl get pods -l job-name=queue-done --no-headers | wc -l)" = 2 ]'
check "a Job with neither completes as \"1/1\"" \
    wait_for 100 sh -c "kubectl get job single --no-headers | grep -qE '^single +Complete +1/1 '"
kubectl delete job queue-held queue-done single >/dev/null 2>&1

# ---- Secrets: stringData becomes data ----
cat >"$TEST_TMP/secret.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata: {name: s}
stringData: {password: hunter2}
data: {user: ZGlmeQ==}
YAML
check "a Secret with stringData is applied" kubectl apply --server-side -f "$TEST_TMP/secret.yaml"
got=$(kubectl get secret s -o jsonpath='{.data.password}/{.data.user}/{.stringData}/{.type}')
if [ "$got" = "aHVudGVyMg==/ZGlmeQ==//Opaque" ]; then
    ok "stringData is merged into data (base64) and not kept"
else
    fail "stringData is merged into data (base64) and not kept (got $got)"
fi

# ---- lists: items carry no kind or apiVersion ----
body=$(curl -sk -H "Authorization: Bearer $SIM_ADMIN" "$SIM_SERVER/api/v1/namespaces/default/secrets")
case "$body" in
*'"items":[{"kind"'* | *'"apiVersion":"v1","metadata":{"name"'*) fail "list items have no kind or apiVersion: $(printf '%s' "$body" | head -c 200)" ;;
*'"kind":"SecretList"'*'"items":[{"'*) ok "list items have no kind or apiVersion" ;;
*) fail "list items have no kind or apiVersion: $(printf '%s' "$body" | head -c 200)" ;;
esac
one=$(curl -sk -H "Authorization: Bearer $SIM_ADMIN" "$SIM_SERVER/api/v1/namespaces/default/secrets/s")
case "$one" in
'{"kind":"Secret","apiVersion":"v1",'*) ok "a single object starts with kind and apiVersion" ;;
*) fail "a single object starts with kind and apiVersion: $(printf '%s' "$one" | head -c 100)" ;;
esac

# ---- field selectors: only indexed fields ----
check "field selector on an indexed pod field" kubectl get pods --field-selector status.phase=Running
expect_fail "a pod field that is not indexed is a 400" \
    'field label not supported: spec.hostname' \
    kubectl get pods --field-selector spec.hostname=x
expect_fail "a deployment field other than metadata is a 400" \
    '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"' \
    kubectl get deployments --field-selector spec.replicas=1
check "metadata.name works on every kind" kubectl get deployments --field-selector metadata.name=x

# a Deployment the sections below use
cat >"$TEST_TMP/deploy.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: langgenius/dify-web:1.9.1}]
YAML
kubectl apply --server-side -f "$TEST_TMP/deploy.yaml" >/dev/null
kubectl rollout status deployment/web --timeout=60s >/dev/null

# ---- defaults, as a real API server fills them ----
cat >"$TEST_TMP/pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: p1}
spec:
  containers:
    - {name: a, image: nginx, ports: [{containerPort: 80}]}
    - {name: b, image: "langgenius/dify-api:1.9.1"}
YAML
kubectl apply --server-side -f "$TEST_TMP/pod.yaml" >/dev/null
got=$(kubectl get pod p1 -o jsonpath='{.spec.containers[0].imagePullPolicy}/{.spec.containers[1].imagePullPolicy}/{.spec.containers[0].terminationMessagePath}/{.spec.containers[0].ports[0].protocol}/{.spec.restartPolicy}/{.spec.dnsPolicy}/{.spec.schedulerName}/{.spec.serviceAccountName}/{.spec.terminationGracePeriodSeconds}/{.spec.tolerations[0].tolerationSeconds}')
want="Always/IfNotPresent//dev/termination-log/TCP/Always/ClusterFirst/default-scheduler/default/30/300"
if [ "$got" = "$want" ]; then ok "pod defaults as a real server's"; else fail "pod defaults: got $got, want $want"; fi
got=$(kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].imagePullPolicy}/{.spec.strategy.rollingUpdate.maxSurge}/{.spec.revisionHistoryLimit}/{.spec.progressDeadlineSeconds}')
if [ "$got" = "IfNotPresent/25%/10/600" ]; then ok "deployment and template defaults"; else fail "deployment defaults: got $got"; fi
kubectl apply --server-side -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  serviceName: db
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "postgres:15"}]
YAML
got=$(kubectl get sts db -o jsonpath='{.spec.updateStrategy.rollingUpdate.partition}/{.spec.persistentVolumeClaimRetentionPolicy.whenDeleted}/{.spec.revisionHistoryLimit}/{.spec.template.spec.containers[0].imagePullPolicy}')
if [ "$got" = "0/Retain/10/IfNotPresent" ]; then ok "statefulset defaults"; else fail "statefulset defaults: got $got"; fi
kubectl apply --server-side -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: svc1}
spec:
  selector: {app: db}
  ports: [{port: 5432}]
YAML
got=$(kubectl get svc svc1 -o jsonpath='{.spec.sessionAffinity}/{.spec.ipFamilies[0]}/{.spec.ipFamilyPolicy}/{.spec.internalTrafficPolicy}/{.spec.ports[0].targetPort}')
if [ "$got" = "None/IPv4/SingleStack/Cluster/5432" ]; then ok "service defaults"; else fail "service defaults: got $got"; fi

# ---- validation: required fields, port ranges, name lengths ----
expect_fail "a container port out of range is the real 422" \
    'spec.containers\[0\].ports\[0\].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive' \
    sh -c 'kubectl run p2 --image=nginx --port=70000 --dry-run=server -o name'
expect_fail "a container without an image is the real 422" \
    'spec.template.spec.containers\[0\].image: Required value' \
    sh -c 'printf "%s\n" "apiVersion: apps/v1" "kind: Deployment" "metadata: {name: noimg}" \
        "spec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}}" |
        kubectl apply --server-side --dry-run=server -f -'
expect_fail "a selector that does not match the template is the real 422" \
    '`selector` does not match template `labels`' \
    sh -c 'printf "%s\n" "apiVersion: apps/v1" "kind: Deployment" "metadata: {name: nomatch}" \
        "spec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: c}}, spec: {containers: [{name: c, image: x}]}}}" |
        kubectl apply --server-side --dry-run=server -f -'
long=$(head -c 64 /dev/zero | tr '\0' 's')
expect_fail "a Service name over 63 characters is the real 422" \
    'metadata.name: Invalid value: "'"$long"'": must be no more than 63 characters' \
    kubectl create service clusterip "$long" --tcp=80 --dry-run=server
expect_fail "a Job that would restart Always is the real 422" \
    'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"' \
    sh -c 'printf "%s\n" "apiVersion: batch/v1" "kind: Job" "metadata: {name: j2}" \
        "spec: {template: {spec: {containers: [{name: c, image: x}]}}}" |
        kubectl apply --server-side --dry-run=server -f -'

# ---- schema: unknown fields under --validate=strict, wrong types always ----
bad_field() { # REPLICAS FIELD > file
    printf '%s\n' "apiVersion: apps/v1" "kind: Deployment" "metadata: {name: schema}" \
        "spec: {replicas: $1, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: x, $2: y}]}}}"
}
bad_field 1 imagex >"$TEST_TMP/unknown.yaml"
bad_field '"3"' imagePullPolicy >"$TEST_TMP/wrongtype.yaml"
expect_fail "server-side apply: an unknown field is refused (kubectl's default --validate=strict)" \
    '.spec.template.spec.containers\[0\].imagex: field not declared in schema' \
    kubectl apply --server-side --dry-run=server -f "$TEST_TMP/unknown.yaml"
expect_fail "create: an unknown field is a strict decoding error" \
    'strict decoding error: unknown field "spec.template.spec.containers\[0\].imagex"' \
    kubectl create --dry-run=server -f "$TEST_TMP/unknown.yaml"
expect_fail "a wrong type is the real decoding error" \
    'cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32' \
    kubectl create --dry-run=server -f "$TEST_TMP/wrongtype.yaml"
check "with --validate=false an unknown field is dropped, as the real decoder does" \
    sh -c "kubectl create --validate=false -f '$TEST_TMP/unknown.yaml' >/dev/null &&
           kubectl get deploy schema -o json | grep -q '\"image\": \"x\"' &&
           ! kubectl get deploy schema -o json | grep -q imagex"

# ---- generation: only spec changes; a paused Deployment's condition ----
g1=$(kubectl get deploy web -o jsonpath='{.metadata.generation}')
kubectl label deploy web extra=1 >/dev/null
kubectl annotate deploy web note=x >/dev/null
g2=$(kubectl get deploy web -o jsonpath='{.metadata.generation}')
if [ "$g1" = "$g2" ]; then ok "labels and annotations leave generation alone"; else fail "generation $g1 -> $g2 on metadata changes"; fi
kubectl rollout pause deployment/web >/dev/null
if wait_for 50 sh -c '[ "$(kubectl get deploy web -o jsonpath="{.status.conditions[?(@.type==\"Progressing\")].reason}")" = DeploymentPaused ]'; then
    got=$(kubectl get deploy web -o jsonpath='{.status.conditions[?(@.type=="Progressing")].status}/{.status.conditions[?(@.type=="Progressing")].message}')
    if [ "$got" = "Unknown/Deployment is paused" ]; then ok "a paused Deployment: Progressing Unknown, DeploymentPaused"; else fail "paused condition: $got"; fi
else
    fail "a paused Deployment: Progressing Unknown, DeploymentPaused"
fi
g3=$(kubectl get deploy web -o jsonpath='{.metadata.generation}')
if [ "$g3" = $((g2 + 1)) ]; then ok "pausing is a spec change: generation + 1"; else fail "generation after pause: $g3 (was $g2)"; fi
kubectl rollout resume deployment/web >/dev/null
check "after resuming, the rollout completes" kubectl rollout status deployment/web --timeout=60s

# ---- init containers run before the containers: Init:0/1, then Running ----
kubectl get pods --watch --output-watch-events >"$TEST_TMP/initwatch" 2>&1 &
wpid=$!
# the watch has listed (other pods exist) before the pod is created
wait_for 100 sh -c "[ -s '$TEST_TMP/initwatch' ]"
sleep 0.2
kubectl apply --server-side -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: withinit}
spec:
  initContainers: [{name: wait-db, image: "busybox:1.36", command: [sh, -c, "true"]}]
  containers: [{name: app, image: "langgenius/dify-api:1.9.1"}]
YAML
wait_for 100 sh -c '[ "$(kubectl get pod withinit -o jsonpath="{.status.phase}")" = Running ]'
sleep 0.5
kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null
statuses=$(awk '$2 == "withinit" {print $4}' "$TEST_TMP/initwatch" | uniq | tr '\n' ' ')
case "$statuses" in
*Init:0/1*PodInitializing*Running* | *Init:0/1*Running*) ok "kubectl shows Init:0/1 and then Running ($statuses)" ;;
*) sed 's/^/# /' "$TEST_TMP/initwatch"; fail "kubectl shows Init:0/1 and then Running (got: $statuses)" ;;
esac
got=$(kubectl get pod withinit -o jsonpath='{.status.initContainerStatuses[0].state.terminated.reason}/{.status.conditions[?(@.type=="Initialized")].status}')
if [ "$got" = "Completed/True" ]; then ok "the init container completed, the pod is Initialized"; else fail "init status: $got"; fi

# ---- claims bind only through a storage class that exists ----
pvc() { # NAME CLASS-LINE
    printf 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: %s}\nspec:\n  accessModes: [ReadWriteOnce]\n%s  resources: {requests: {storage: 1Gi}}\n' "$1" "$2" |
        kubectl apply --server-side -f - >/dev/null
}
pvc data ""
pvc nope "  storageClassName: nope
"
pvc none "  storageClassName: \"\"
"
got=$(kubectl get pvc data -o jsonpath='{.spec.storageClassName}/{.status.phase}')
if [ "$got" = standard/Pending ]; then ok "a claim gets the default class and waits for its first consumer"; else fail "default-class claim: $got"; fi
check "kubectl describe says it waits for a consumer" sh -c \
    'wait_for() { for i in $(seq 1 50); do "$@" && return 0; sleep 0.2; done; return 1; }
     wait_for sh -c "kubectl describe pvc data | grep -q WaitForFirstConsumer"'
kubectl apply --server-side -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: uses-data}
spec:
  containers: [{name: c, image: "busybox:1.36", volumeMounts: [{name: d, mountPath: /d}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
YAML
if wait_for 100 sh -c '[ "$(kubectl get pvc data -o jsonpath={.status.phase})" = Bound ]'; then
    vol=$(kubectl get pvc data -o jsonpath='{.spec.volumeName}')
    case "$vol" in pvc-*) ok "scheduling its first consumer binds it ($vol)" ;; *) fail "bound without a volume name ($vol)" ;; esac
else
    fail "scheduling its first consumer binds it"
fi
wait_for 50 sh -c 'kubectl describe pvc nope | grep -q "storageclass.storage.k8s.io \"nope\" not found"'
got=$(kubectl get pvc nope -o jsonpath='{.status.phase}')
if [ "$got" = Pending ] && kubectl describe pvc nope | grep -q 'ProvisioningFailed'; then
    ok "a claim naming a class that does not exist stays Pending (ProvisioningFailed)"
else
    fail "a claim naming a class that does not exist stays Pending (got $got)"
fi
wait_for 50 sh -c 'kubectl describe pvc none | grep -q "no storage class is set"'
check "a claim with storageClassName \"\" stays Pending (FailedBinding)" \
    sh -c '[ "$(kubectl get pvc none -o jsonpath={.status.phase})" = Pending ]'
kubectl apply --server-side -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: uses-nope}
spec:
  containers: [{name: c, image: "busybox:1.36"}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: nope}}]
YAML
if wait_for 50 sh -c 'kubectl describe pod uses-nope | grep -q "pod has unbound immediate PersistentVolumeClaims"'; then
    check "its pod is not scheduled (FailedScheduling) and stays Pending" \
        sh -c '[ "$(kubectl get pod uses-nope -o jsonpath={.status.phase}/{.spec.nodeName})" = Pending/ ]'
else
    fail "its pod is not scheduled (FailedScheduling)"
fi

# ---- server-side apply merges lists by their keys ----
apply_as() { # MANAGER: applies stdin as that field manager
    kubectl apply --server-side --field-manager="$1" -f - >"$TEST_TMP/ssa.out" 2>&1
}
apply_as mgr-a <<'YAML' || cat "$TEST_TMP/ssa.out"
apiVersion: apps/v1
kind: Deployment
metadata: {name: merge}
spec:
  selector: {matchLabels: {app: merge}}
  template:
    metadata: {labels: {app: merge}}
    spec:
      containers:
        - name: api
          image: "langgenius/dify-api:1.9.1"
          env: [{name: MODE, value: api}]
          ports: [{containerPort: 5001}]
YAML
if apply_as mgr-b <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: merge}
spec:
  template:
    spec:
      containers:
        - {name: sidecar, image: "busybox:1.36"}
        - name: api
          env: [{name: LOG_LEVEL, value: INFO}]
          ports: [{containerPort: 9090, name: metrics}]
YAML
then
    ok "another manager adds a container, an env var and a port without a conflict"
else
    sed 's/^/# /' "$TEST_TMP/ssa.out"
    fail "another manager adds a container, an env var and a port without a conflict"
fi
got=$(kubectl get deploy merge -o jsonpath='{.spec.template.spec.containers[*].name}/{.spec.template.spec.containers[?(@.name=="api")].env[*].name}/{.spec.template.spec.containers[?(@.name=="api")].ports[*].containerPort}')
case "$got" in
"api sidecar/MODE LOG_LEVEL/5001 9090") ok "the lists are merged by name and containerPort" ;;
*) fail "the lists are merged by name and containerPort (got $got)" ;;
esac
check "managedFields name elements by their keys" sh -c \
    'kubectl get deploy merge -o json --show-managed-fields | grep -q "k:{\\\\\"name\\\\\":\\\\\"sidecar\\\\\"}"'
expect_fail "changing another manager's field in an element conflicts, naming it as the real server" \
    'conflict with "mgr-a" using apps/v1: .spec.template.spec.containers\[name="api"\].image' \
    sh -c 'printf "%s\n" "apiVersion: apps/v1" "kind: Deployment" "metadata: {name: merge}" \
        "spec: {template: {spec: {containers: [{name: api, image: x:2}]}}}" |
        kubectl apply --server-side --field-manager=mgr-b -f -'
apply_as mgr-a <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: merge}
spec:
  selector: {matchLabels: {app: merge}}
  template:
    metadata: {labels: {app: merge}}
    spec:
      containers:
        - {name: api, image: "langgenius/dify-api:1.9.1"}
YAML
got=$(kubectl get deploy merge -o jsonpath='{.spec.template.spec.containers[*].name}/{.spec.template.spec.containers[?(@.name=="api")].env[*].name}/{.spec.template.spec.containers[?(@.name=="api")].ports[*].containerPort}')
case "$got" in
"api sidecar/LOG_LEVEL/9090") ok "what a manager stops applying goes; the other's stays ($got)" ;;
*) fail "what a manager stops applying goes; the other's stays (got $got)" ;;
esac

# ---- rollout-status with a token that may get and list but not watch ----
# kubectl decides from the list and exits 0; so must dify-tui, whatever
# the refused watch says afterwards.
sed "s/$SIM_ADMIN/tok-nowatch/" "$KUBECONFIG" >"$TEST_TMP/nowatch.kubeconfig"
if KUBECONFIG="$TEST_TMP/nowatch.kubeconfig" kubectl get --raw \
    "/apis/apps/v1/namespaces/default/deployments?watch=1" >/dev/null 2>&1; then
    fail "the nowatch token may not watch (setup)"
fi
check "kubectl rollout status with a get/list token exits 0" \
    env KUBECONFIG="$TEST_TMP/nowatch.kubeconfig" kubectl rollout status deployment/web --timeout=20s
i=0 bad=0
while [ $i -lt 5 ]; do
    out=$(KUBECONFIG="$TEST_TMP/nowatch.kubeconfig" "$top_builddir/dify-tui" rollout-status \
        deployment/web --timeout 20 2>"$TEST_TMP/rs.err") || bad=$((bad + 1))
    i=$((i + 1))
done
if [ $bad = 0 ] && [ "$out" = 'deployment "web" successfully rolled out' ]; then
    ok "dify-tui rollout-status with a get/list token exits 0, five times out of five"
else
    sed 's/^/# /' "$TEST_TMP/rs.err"
    fail "dify-tui rollout-status with a get/list token exits 0 ($bad of 5 failed; out: $out)"
fi

done_testing
