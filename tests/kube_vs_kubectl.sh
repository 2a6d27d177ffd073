#!/bin/sh
# tests/kube_vs_kubectl.sh: what dify-tui's client reads against what the real
# kubectl reports, on a live API server. By default that is dify-sim running
# the demo scenario (a Dify install with a crash-looping plugin daemon);
# DIFY_KUBE_COMPARE_KUBECONFIG points it at another server (e.g. a real
# cluster). Compares `get KIND -A -o name` for every kind the client knows,
# and `rollout-status --watch=false` for every deployment and statefulset.
. "$top_srcdir/tests/lib.sh"
BIN=$top_builddir/dify-tui
if ! need_tool kubectl || ! need_tool curl; then
    skip "dify-tui vs kubectl" "kubectl or curl is not installed"
    done_testing
    exit 0
fi
tmpdir_new
KC=${DIFY_KUBE_COMPARE_KUBECONFIG:-}
if [ -z "$KC" ]; then
    . "$top_srcdir/tests/simlib.sh"
    if ! sim_start --scenario demo --speed 20; then
        fail "dify-sim starts with the demo scenario"
        done_testing
        exit 1
    fi
    KC=$KUBECONFIG
    # The demo's workloads exist once its Deployments have pods.
    if wait_for 100 sh -c "kubectl --kubeconfig '$KC' get pods -n dify -o name | grep -q api"; then
        ok "dify-sim demo scenario is up"
    else
        fail "dify-sim demo scenario is up"
    fi
fi
for kind in pods services configmaps secrets serviceaccounts persistentvolumeclaims \
    deployments statefulsets daemonsets replicasets jobs ingresses nodes namespaces; do
    kubectl --kubeconfig "$KC" get "$kind" -A -o name >"$TEST_TMP/want" 2>"$TEST_TMP/kerr"
    krc=$?
    "$BIN" --kubeconfig "$KC" get "$kind" -A -o name >"$TEST_TMP/got" 2>"$TEST_TMP/err"
    rc=$?
    if [ $krc -ne 0 ]; then
        skip "get $kind -A -o name" "kubectl failed: $(head -n 1 "$TEST_TMP/kerr")"
    elif [ $rc -eq 0 ] && cmp -s "$TEST_TMP/want" "$TEST_TMP/got"; then
        ok "get $kind -A -o name"
    else
        diff "$TEST_TMP/want" "$TEST_TMP/got" | head -n 20 | sed 's/^/# /'
        sed 's/^/# stderr: /' "$TEST_TMP/err"
        fail "get $kind -A -o name"
    fi
done
for kind in deployments statefulsets; do
    kubectl --kubeconfig "$KC" get "$kind" -A -o jsonpath='{range .items[*]}{.metadata.namespace} {.metadata.name}{"\n"}{end}' \
        >"$TEST_TMP/objs" 2>/dev/null
    # not a pipe: ok/fail must run in this shell to count
    while read -r ns name; do
            [ -n "$name" ] || continue
            want=$(kubectl --kubeconfig "$KC" -n "$ns" rollout status "$kind/$name" --watch=false 2>&1)
            wrc=$?
            got=$("$BIN" --kubeconfig "$KC" -n "$ns" rollout-status "$kind/$name" --watch=false 2>&1)
            grc=$?
            if [ "$want" = "$got" ] && [ $wrc -eq $grc ]; then
                ok "rollout-status $ns/$kind/$name"
            else
                diag "kubectl ($wrc): $want"
                diag "dify-tui ($grc): $got"
                fail "rollout-status $ns/$kind/$name"
            fi
    done <"$TEST_TMP/objs"
done
done_testing
