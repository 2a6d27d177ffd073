#!/bin/bash
# tests/tryout_actions.sh: the dashboard's destructive actions as a new user
# meets them, against dify-sim with kubectl checking the result: Ctrl-D on
# a pod says what follows (its controller by kind and name starts another;
# a pod with none is gone for good: it said "Its controller starts another"
# of every pod), No leaves it, Yes deletes it; --read-only refuses every
# action key in every view, says so, and changes nothing.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "the dashboard's actions" tmux kubectl
# namespace act: a bare pod, deployment/dify-web, job/once
# (tests/data/scenarios/actions.json), each running
actions_sim
WEB=$(kubectl get pods -n act -l component=web -o jsonpath='{.items[0].metadata.name}')
RS=$(kubectl get rs -n act -o jsonpath='{.items[0].metadata.name}')
JOBPOD=$(kubectl get pods -n act -l job-name=once -o jsonpath='{.items[0].metadata.name}')

tmux_server tryout-actions
select_pod() { select_in pods "$1"; }
exists() { kubectl get pod "$1" -n act >/dev/null 2>&1; }

dash_open act
select_pod bare
keys C-d
check "a pod without a controller: the question says it is gone for good" \
    wait_for "It has no controller: it is gone for good"
keys n
sleep 0.5
check "No: the pod is still there (kubectl)" exists bare
select_pod "$WEB"
keys C-d
check "a Deployment's pod: its ReplicaSet by name starts another" \
    wait_for "Its ReplicaSet $RS starts another."
keys n
select_pod "$JOBPOD"
keys C-d
check "a Job's pod: another only if the Job has not finished" \
    wait_for "Its Job once starts another only if it has not finished."
keys n
sleep 0.5
check "No twice: both pods are still there" sh -c "kubectl get pod '$WEB' '$JOBPOD' -n act >/dev/null 2>&1"
select_pod bare
keys C-d
wait_for "gone for good" >/dev/null
keys y
gone_pod() { ! exists bare; }
check "Yes: the bare pod is deleted (kubectl)" poll -n 100 gone_pod
check "... and said" wait_for "pod/bare deleted"

# read-only: every action key, in every view, refused and said
dash_open act 120 30 --read-only
check "read-only is said in the title" wait_for "[read-only]"
for view in overview pods rollouts jobs events; do
    esc
    keys ':' "$view" Enter
    for k in r C-l m C-d; do
        keys "$k"
        if ! wait_for "read-only: this dashboard changes nothing" 20 >/dev/null; then
            fail "read-only: $k in the $view view is not refused"
            continue 2
        fi
        esc
    done
    ok "read-only: r, Ctrl-L, m, Ctrl-D refused and said in the $view view"
done
check "read-only: nothing was changed (the web's pod, the Job's pod)" \
    sh -c "kubectl get pod '$WEB' '$JOBPOD' -n act >/dev/null 2>&1"
dash_quit
sim_stop
done_testing
