#!/bin/sh
# tests/kube_vs_kubectl.sh: what dify-tui's client reads against what the real
# kubectl reports, on a live API server. By default that is dify-sim running
# the demo scenario (a Dify install with a crash-looping plugin daemon) plus a
# DaemonSet this test applies; DIFY_KUBE_COMPARE_KUBECONFIG points it at
# another server (e.g. a real cluster). For every kind the client knows it
# compares `get KIND -A -o name`, the whole table of `get KIND -A` and of
# `get KIND -A -o wide`, byte for byte; and `rollout-status --watch=false`
# for every deployment, statefulset and daemonset. A kind kubectl cannot list
# is a failure: the server must serve every kind the client knows.
#
# Objects change while the demo runs (a pod restarts, an age ticks over a
# second), so each comparison fetches both sides again, a bounded number of
# times, until they agree; a real difference never does.
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
    cat >"$TEST_TMP/ds.yaml" <<'EOF'
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: node-agent}
  template:
    metadata:
      labels: {app: node-agent}
    spec:
      nodeSelector: {kubernetes.io/os: linux}
      containers:
      - {name: agent, image: "busybox:1.36"}
EOF
    check "a DaemonSet is applied" kubectl --kubeconfig "$KC" apply -f "$TEST_TMP/ds.yaml"
fi

# same NAME ARGS...: `kubectl ARGS` and `dify-tui ARGS` print the same bytes
# and exit alike, within 10 tries.
same() {
    name=$1
    shift
    tries=0
    while [ $tries -lt 10 ]; do
        tries=$((tries + 1))
        kubectl --kubeconfig "$KC" "$@" >"$TEST_TMP/want" 2>"$TEST_TMP/kerr"
        krc=$?
        "$BIN" --kubeconfig "$KC" "$@" >"$TEST_TMP/got" 2>"$TEST_TMP/err"
        rc=$?
        if [ $krc -ne 0 ]; then
            diag "kubectl $*: $(head -n 1 "$TEST_TMP/kerr")"
            fail "$name (kubectl failed: the server must serve the kind)"
            return
        fi
        if [ $rc -eq 0 ] && cmp -s "$TEST_TMP/want" "$TEST_TMP/got" &&
            cmp -s "$TEST_TMP/kerr" "$TEST_TMP/err"; then
            ok "$name"
            return
        fi
    done
    diff "$TEST_TMP/want" "$TEST_TMP/got" | head -n 20 | sed 's/^/# /'
    diff "$TEST_TMP/kerr" "$TEST_TMP/err" | head -n 5 | sed 's/^/# stderr: /'
    fail "$name"
}

for kind in pods services configmaps secrets serviceaccounts persistentvolumeclaims \
    deployments statefulsets daemonsets replicasets jobs ingresses nodes namespaces events; do
    same "get $kind -A -o name" get "$kind" -A -o name
    same "get $kind -A (the table)" get "$kind" -A
    same "get $kind -A -o wide" get "$kind" -A -o wide
done
same "get pods -n dify (one namespace)" get pods -n dify

for kind in deployments statefulsets daemonsets; do
    kubectl --kubeconfig "$KC" get "$kind" -A -o jsonpath='{range .items[*]}{.metadata.namespace} {.metadata.name}{"\n"}{end}' \
        >"$TEST_TMP/objs" 2>/dev/null
    # not a pipe: ok/fail must run in this shell to count
    while read -r ns name; do
        [ -n "$name" ] || continue
        tries=0
        while :; do
            tries=$((tries + 1))
            want=$(kubectl --kubeconfig "$KC" -n "$ns" rollout status "$kind/$name" --watch=false 2>&1)
            wrc=$?
            got=$("$BIN" --kubeconfig "$KC" -n "$ns" rollout-status "$kind/$name" --watch=false 2>&1)
            grc=$?
            if [ "$want" = "$got" ] && [ $wrc -eq $grc ]; then
                ok "rollout-status $ns/$kind/$name"
                break
            elif [ $tries -ge 10 ]; then
                diag "kubectl ($wrc): $want"
                diag "dify-tui ($grc): $got"
                fail "rollout-status $ns/$kind/$name"
                break
            fi
        done
    done <"$TEST_TMP/objs"
done
done_testing
