#!/bin/sh
# tests/sim_owners.sh: ownership in dify-sim with the real kubectl, through
# the paths that keep it change by change (sim/store.c read_owners: a kind's
# owned objects and its owner generation; sim/controllers.c index_build and
# collect_garbage walk only those). A ReplicaSet replaces a pod deleted or
# released (labels and ownerReferences taken off, as the real controller
# releases one), and does not count the released pod again; scaled up and
# down it counts its own pods; an orphaning delete leaves the pods without
# ownerReferences and the collector leaves them; a background delete of a
# Deployment takes its ReplicaSet and pods; an object whose owner does not
# exist is collected. Status writes to an owned pod (no ownership change)
# leave its ReplicaSet's count as it was.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

need_or_skip "ownership in dify-sim" kubectl curl
tmpdir_new
export HOME="$TEST_TMP/home"
mkdir -p "$HOME"
if ! sim_start --speed 10; then
    fail "dify-sim starts and answers"
    done_testing
    exit 1
fi
ok "dify-sim starts"

# npods SELECTOR: how many pods match, not counting those being deleted
npods() {
    kubectl get pods -l "$1" -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.metadata.deletionTimestamp}{"\n"}{end}' |
        awk 'NF == 1' | wc -l | tr -d ' '
}
# has N SELECTOR: exactly N such pods
has() { [ "$(npods "$2")" = "$1" ]; }
rs_counts() { [ "$(kubectl get rs solo -o jsonpath='{.status.replicas}')" = "$1" ]; }

cat >"$TEST_TMP/rs.yaml" <<'YAML'
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: solo}
spec:
  replicas: 2
  selector: {matchLabels: {app: solo}}
  template:
    metadata: {labels: {app: solo}}
    spec:
      terminationGracePeriodSeconds: 0
      containers: [{name: main, image: "busybox:1.36"}]
YAML
check "a ReplicaSet is created" kubectl apply -f "$TEST_TMP/rs.yaml"
if wait_for 100 sh -c '[ "$(kubectl get rs solo -o jsonpath={.status.replicas})" = 2 ]'; then
    ok "the ReplicaSet has its 2 pods"
else
    fail "the ReplicaSet has its 2 pods ($(kubectl get pods -l app=solo 2>&1))"
fi
rsuid=$(kubectl get rs solo -o jsonpath='{.metadata.uid}')
first=$(kubectl get pods -l app=solo -o jsonpath='{.items[0].metadata.name}')
owner=$(kubectl get pod "$first" -o jsonpath='{.metadata.ownerReferences[0].uid}')
if [ -n "$owner" ] && [ "$owner" = "$rsuid" ]; then
    ok "its pods name it as their controller"
else
    fail "its pods name it as their controller ($owner vs $rsuid)"
fi

# status writes (no ownership change): the ReplicaSet keeps its 2 pods.
# The simulated kubelet writes the pod's status as it starts it (restartCount
# 0 once running): wait for that first, or it lands after the writes below.
if ! wait_for 100 sh -c '[ "$(kubectl get pod "$1" -o jsonpath={.status.containerStatuses[0].ready})" = true ]' sh "$first"; then
    diag "$first did not become ready: $(kubectl get pod "$first" 2>&1)"
fi
for k in 1 2 3 4 5; do
    sim_curl -X PATCH -H 'Content-Type: application/strategic-merge-patch+json' \
        -d "{\"status\":{\"containerStatuses\":[{\"name\":\"main\",\"restartCount\":$k}]}}" \
        "$SIM_SERVER/api/v1/namespaces/default/pods/$first/status" >/dev/null
done
restarts=$(kubectl get pod "$first" -o jsonpath='{.status.containerStatuses[0].restartCount}')
if [ "$restarts" = 5 ]; then ok "a pod's status is written 5 times"; else fail "a pod's status is written 5 times (got $restarts)"; fi
# a scale to 3 and back to 2 is seen after the writes: the count is its own pods
check "the ReplicaSet is scaled to 3" kubectl scale rs solo --replicas=3
if wait_for 100 has 3 app=solo; then
    ok "3 pods after the scale up (not more)"
else
    fail "3 pods after the scale up ($(npods app=solo))"
fi
check "the ReplicaSet is scaled to 2" kubectl scale rs solo --replicas=2
if wait_for 100 has 2 app=solo; then
    ok "2 pods after the scale down"
else
    fail "2 pods after the scale down ($(npods app=solo))"
fi

# a deleted pod is replaced
victim=$(kubectl get pods -l app=solo -o jsonpath='{.items[0].metadata.name}')
check "a pod of the ReplicaSet is deleted" kubectl delete pod "$victim" --wait=false
replaced() { has 2 app=solo && ! kubectl get pods -l app=solo -o name | grep -q "pod/$victim\$"; }
if wait_for 100 replaced; then
    ok "the ReplicaSet replaces the deleted pod"
else
    fail "the ReplicaSet replaces the deleted pod ($(kubectl get pods -l app=solo -o name 2>&1 | tr '\n' ' '))"
fi

# a released pod (its labels and ownerReferences taken off, as the real
# ReplicaSet controller releases a pod that no longer matches) is replaced and
# no longer counted; being ownerless, the collector leaves it
freed=$(kubectl get pods -l app=solo -o jsonpath='{.items[0].metadata.name}')
check "a pod is released from its ReplicaSet" kubectl patch pod "$freed" --type=json \
    -p '[{"op":"remove","path":"/metadata/ownerReferences"},{"op":"replace","path":"/metadata/labels","value":{"app":"freed"}}]'
made_another() { has 2 app=solo && rs_counts 2; }
if wait_for 100 made_another; then
    ok "the ReplicaSet makes another pod and counts 2"
else
    fail "the ReplicaSet makes another pod and counts 2 ($(npods app=solo), status $(kubectl get rs solo -o jsonpath={.status.replicas}))"
fi
if kubectl get pod "$freed" -o name >/dev/null 2>&1; then ok "the released pod stays"; else fail "the released pod stays"; fi

# an orphaning delete: the ReplicaSet goes, its pods stay without owners
pods_before=$(kubectl get pods -l app=solo -o jsonpath='{.items[*].metadata.name}')
check "the ReplicaSet is deleted with --cascade=orphan" kubectl delete rs solo --cascade=orphan
if wait_for 100 sh -c '! kubectl get rs solo -o name >/dev/null 2>&1'; then ok "the ReplicaSet is gone"; else fail "the ReplicaSet is gone"; fi
refs=$(kubectl get pods -l app=solo -o jsonpath='{.items[*].metadata.ownerReferences}')
if [ -z "$refs" ]; then ok "its pods have no ownerReferences left"; else fail "its pods have no ownerReferences left ($refs)"; fi
# a removal makes the collector run at the next pass; a few passes later
# (50 ms each at any speed) the orphans are still there
sleep 1
pods_after=$(kubectl get pods -l app=solo -o jsonpath='{.items[*].metadata.name}')
if [ -n "$pods_before" ] && [ "$pods_after" = "$pods_before" ]; then
    ok "the collector leaves the orphaned pods"
else
    fail "the collector leaves the orphaned pods ('$pods_before' -> '$pods_after')"
fi

# a background delete of a Deployment takes its ReplicaSet and pods
check "a Deployment is created" kubectl create deployment web --image=busybox:1.36 --replicas=2
if wait_for 100 sh -c '[ "$(kubectl get deploy web -o jsonpath={.status.replicas})" = 2 ]'; then
    ok "the Deployment has 2 pods"
else
    fail "the Deployment has 2 pods"
fi
check "the Deployment is deleted (background)" kubectl delete deployment web --wait=false
web_gone() { [ -z "$(kubectl get rs -l app=web -o name)" ] && has 0 app=web; }
if wait_for 100 web_gone; then
    ok "the collector deletes its ReplicaSet and pods"
else
    fail "the collector deletes its ReplicaSet and pods ($(kubectl get rs,pods -l app=web -o name 2>&1 | tr '\n' ' '))"
fi

# an object whose owner does not exist is collected
cat >"$TEST_TMP/stray.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: stray
  ownerReferences:
  - {apiVersion: apps/v1, kind: ReplicaSet, name: gone, uid: 00000000-0000-0000-0000-00000000dead}
data: {a: b}
YAML
check "a ConfigMap naming an owner that does not exist is created" kubectl apply -f "$TEST_TMP/stray.yaml"
if wait_for 100 sh -c '! kubectl get configmap stray -o name >/dev/null 2>&1'; then
    ok "the collector deletes it"
else
    fail "the collector deletes it"
fi

sim_stop
done_testing
