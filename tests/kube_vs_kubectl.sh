#!/bin/sh
# tests/kube_vs_kubectl.sh: what dify-tui's client reads against what the real
# kubectl reports, on a live API server (dify-sim or a cluster). Needs
# DIFY_KUBE_COMPARE_KUBECONFIG pointing at its kubeconfig (e.g. the output
# of `dify-sim --print-kubeconfig`); skipped otherwise. Compares
# `get KIND -A -o name` for every kind the client knows, and
# `rollout-status --watch=false` for every deployment and statefulset.
. "$top_srcdir/tests/lib.sh"
BIN=$top_builddir/dify-tui
KC=${DIFY_KUBE_COMPARE_KUBECONFIG:-}
if [ -z "$KC" ] || ! need_tool kubectl; then
    skip "dify-tui vs kubectl" "set DIFY_KUBE_COMPARE_KUBECONFIG to a live server's kubeconfig (kubectl needed)"
    done_testing
    exit 0
fi
tmpdir_new
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
