#!/bin/sh
# tests/render_sim.sh: the rendered manifests applied with the real kubectl to
# dify-sim (the local cluster simulator): every object is accepted in file
# order, the Deployments roll out, and the Boris-compatible selectors the
# dashboard uses find each component's pods.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

if ! need_tool kubectl || ! need_tool curl; then
    skip "rendered manifests on dify-sim" "kubectl or curl is not installed"
    done_testing
    exit 0
fi
tmpdir_new
check "render the fixture cases" "$top_builddir/tests/render_cases" \
    "$top_srcdir/tests/data/render" "$TEST_TMP/r"
if ! sim_start --speed 20 --history 1000; then
    fail "dify-sim starts and answers"
    done_testing
    exit 1
fi
ok "dify-sim starts on $SIM_SERVER"

# case release namespace
for spec in "ce-eks-manifests-prod dify dify" "ce-existing-manifests-test mydify dify-test"; do
    set -- $spec
    c=$1 rel=$2 ns=$3
    # The cluster has the storage classes the answers name (dify-sim binds
    # a claim only when its class exists, as a real cluster does).
    for sc in $(grep -ho 'storageClassName: [a-z0-9.-]*' "$TEST_TMP/r/$c/manifests"/*.yaml | sort -u | cut -d' ' -f2); do
        printf 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: %s}\nprovisioner: example.com/%s\nvolumeBindingMode: Immediate\n' \
            "$sc" "$sc" | kubectl apply -f - >/dev/null
    done
    if kubectl apply -f "$TEST_TMP/r/$c/manifests" >"$TEST_TMP/apply.out" 2>&1; then
        ok "$c: kubectl apply accepts every rendered object"
    else
        sed 's/^/# /' "$TEST_TMP/apply.out"
        fail "$c: kubectl apply"
        continue
    fi
    n=$(kubectl get deploy -n "$ns" -l "app.kubernetes.io/name=dify,app.kubernetes.io/instance=$rel" \
        -o name | wc -l)
    if [ "$n" -eq 7 ]; then ok "$c: 7 Deployments by the dashboard selector"; else
        fail "$c: $n Deployments by the dashboard selector"; fi
    check "$c: the api rolls out" kubectl rollout status -n "$ns" "deploy/$rel-api" --timeout=60s
    check "$c: the plugin daemon rolls out" \
        kubectl rollout status -n "$ns" "deploy/$rel-plugin-daemon" --timeout=60s
    if wait_for 100 sh -c "kubectl get pods -n $ns -l component=beat,app.kubernetes.io/instance=$rel \
        -o name | grep -q ."; then
        ok "$c: component=beat finds the beat pod"
    else
        fail "$c: component=beat finds the beat pod"
    fi
    check "$c: Secrets exist" kubectl get secret -n "$ns" "$rel-secrets" "$rel-plugin-daemon-secrets" \
        "$rel-sandbox-secrets"
done
check "ce-eks-manifests-prod: two Ingresses" sh -c \
    '[ "$(kubectl get ingress -n dify -o name | wc -l)" -eq 2 ]'
# The Job is named per revision: found by its labels, and applying the same
# rendering again changes nothing (a fixed name would re-apply an immutable
# pod template on upgrade).
job=$(kubectl get job -n dify -l app.kubernetes.io/instance=dify,app.kubernetes.io/component=db-migration \
    -o name 2>/dev/null)
case $job in
job.batch/dify-db-migrate-??????????) ok "ce-eks-manifests-prod: the migration Job $job, by its labels" ;;
*) fail "ce-eks-manifests-prod: the migration Job by its labels (got '$job')" ;;
esac
check "ce-eks-manifests-prod: applying the same rendering again is accepted" \
    kubectl apply -f "$TEST_TMP/r/ce-eks-manifests-prod/manifests"
sim_stop
done_testing
