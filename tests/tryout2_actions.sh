#!/bin/bash
# tests/tryout2_actions.sh: the dashboard's actions whose precondition can
# be known before asking say so instead of asking. Ctrl-L asked "Roll ...
# back?" and only after Yes said "no previous revision": now the revision
# to go back to (the Deployment's ReplicaSets; a Helm release's `helm
# history`) is looked up first, and the question names it. An object
# deleted while its question was open is said gone on Yes (it was "not
# restarted: 404"); m without a migration Job says so (it already did).
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "actions known before asking" tmux kubectl
deploy() { # NAME IMAGE
    cat <<JSON
  {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "$1", "namespace": "rb"},
   "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "$1"}},
            "template": {"metadata": {"labels": {"app": "$1"}},
                         "spec": {"containers": [{"name": "c", "image": "$2"}]}}}},
JSON
}
cat >"$TEST_TMP/scn.json" <<JSON
{"name": "tryout2-actions",
 "defaults": {"scheduleDelay": 0.1, "pullDelay": 0.1, "readyDelay": 0.2, "runFor": 600},
 "objects": [
  {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "rb"}},
$(deploy one busybox:1)
$(deploy two busybox:1)
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bare", "namespace": "rb"},
   "spec": {"containers": [{"name": "c", "image": "busybox"}]}}]}
JSON
tryout_sim --scenario "$TEST_TMP/scn.json"
kubectl set image deployment/two c=busybox:2 -n rb >/dev/null
two_rs() { [ "$(kubectl get rs -n rb --no-headers 2>/dev/null | grep -c '^two-')" = 2 ]; }
check "deployment/two has two revisions (kubectl set image)" poll -n 100 two_rs

tmux_server tryout2-actions
dash_open rb

select_in rollouts one
keys C-l
check "one revision: Ctrl-L says there is none to go back to, at once" \
    wait_for "deployment/one has no previous revision to roll back to"
check "... without asking" gone "Confirm"
select_in rollouts two
keys C-l
check "two revisions: the question names the revision it goes back to" \
    wait_for "Roll deployment/two back to revision 1?"
keys y
image() { kubectl get deployment two -n rb -o jsonpath='{.spec.template.spec.containers[0].image}'; }
back() { [ "$(image)" = busybox:1 ]; }
check "Yes: deployment/two runs busybox:1 again (kubectl)" poll -n 100 back
check "... and said" wait_for "deployment/two rolled back"

# gone while asked: Yes said "not restarted: 404"
select_in rollouts one
keys r
wait_for "Restart deployment/one?" >/dev/null
kubectl delete deployment one -n rb --wait=true >/dev/null 2>&1
sleep 2
keys y
check "a Deployment deleted while asked: Yes says it is gone, does nothing" \
    wait_for "deployment/one is gone (deleted while asked): nothing done"
check "... no 'not restarted'" gone "not restarted"
esc
esc
keys m
check "m without a migration Job says so (no question)" wait_for "no migration Job in this namespace"

# Helm: the release's history
if HELM=$(command -v helm) && "$HELM" version --short 2>/dev/null | grep -q '^v3\.'; then
    export HELM_CACHE_HOME="$TEST_TMP/hc" HELM_CONFIG_HOME="$TEST_TMP/hcfg" HELM_DATA_HOME="$TEST_TMP/hd"
    if "$HELM" install hr "$top_srcdir/tests/data/minichart" -n rb --set replicas=1 >"$TEST_TMP/helm.out" 2>&1; then
        ok "helm install hr (tests/data/minichart)"
        select_in rollouts hr-api
        keys C-l
        check "a Helm release at revision 1: no previous revision, said at once (helm history)" \
            wait_for "helm release hr (deployment/hr-api) has no previous revision to roll back to"
        check "... without asking" gone "Confirm"
        "$HELM" upgrade hr "$top_srcdir/tests/data/minichart" -n rb --set replicas=1 \
            --set image=langgenius/dify-api:1.9.2 >>"$TEST_TMP/helm.out" 2>&1
        keys C-l
        check "revision 2: the question names the release and revision 1" \
            wait_for "Roll helm release hr back to revision 1?"
        keys n
        sleep 0.5
        rev() { "$HELM" history hr -n rb --max 1 -o json | grep -q '"revision":2'; }
        check "No: the release stays at revision 2 (helm history)" rev
    else
        sed 's/^/# /' "$TEST_TMP/helm.out"
        fail "helm install hr (tests/data/minichart)"
    fi
else
    skip "the Helm release's history" "no helm 3 on PATH"
fi
dash_quit
sim_stop
done_testing
