#!/bin/bash
# tests/dash_shown.sh: in the dashboard's describe, YAML and logs views
# every key acts on the object the view shows, or says it does not apply
# to it. They acted on nothing: r, Ctrl-L and Ctrl-D said "select a ..."
# (the views have no selection), m ran the migration Job instead of the Job
# described (or the Job of the pod shown), and d, y and l did nothing in
# the logs view. Against dify-sim
# in tmux, kubectl checking what changed.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "the keys of the describe and logs views" tmux kubectl
# namespace act: a bare pod, deployment/dify-web, job/once
# (tests/data/scenarios/actions.json), each running
actions_sim
WEB=$(kubectl get pods -n act -l component=web -o jsonpath='{.items[0].metadata.name}')
JOBPOD=$(kubectl get pods -n act -l job-name=once -o jsonpath='{.items[0].metadata.name}')
exists() { kubectl get pod "$1" -n act >/dev/null 2>&1; }

tmux_server dash-shown
dash_open act

# describe of a Deployment: r and Ctrl-L are its; Ctrl-D does not apply
select_in rollouts dify-web
keys d
wait_for "describe deployment/dify-web" >/dev/null
keys r
check "describe deployment/dify-web: r asks to restart it" wait_for "Restart deployment/dify-web?"
keys n
sleep 0.3
keys C-d
check "... Ctrl-D: a Deployment is not a pod, said" \
    wait_for "deployment/dify-web is not a pod: the key does not apply to it"
keys m
check "... m: a Deployment is no Job (not the migration Job run instead), said" \
    wait_for "deployment/dify-web is not a Job or a Job's pod: the key does not apply to it"
keys y
check "... y: its YAML" wait_for "yaml deployment/dify-web"

# l from there: the logs of its pod; the keys act on that pod
keys l
check "... l: the logs of its pod" wait_for "logs $WEB"
keys C-d
check "logs of the web's pod: Ctrl-D asks to delete that pod" wait_for "Delete pod $WEB?"
keys n
sleep 0.5
check "... No: it is still there (kubectl)" exists "$WEB"
keys r
check "... r: a pod is not a Deployment, said" \
    wait_for "pod/$WEB is not a Deployment, StatefulSet or DaemonSet: the key does not apply to it"
keys l
check "... l: these are its logs, said" wait_for "these are pod/$WEB's logs"
keys d
check "... d: describe of that pod" wait_for "describe pod/$WEB"
keys y
check "... y: its YAML" wait_for "yaml pod/$WEB"
esc
check "Esc: back to the list it came from" wait_for "filter: dify-web"

# describe of a Job: m runs that Job again, not the migration Job
select_in jobs once
keys d
wait_for "describe job/once" >/dev/null
keys m
check "describe job/once: m asks to run that Job again" wait_for "Run job/once again?"
keys n
sleep 0.3
keys l
wait_for "logs $JOBPOD" >/dev/null
keys m
check "the logs of its pod: m asks to run the pod's Job again" wait_for "Run job/once again?"
keys n
sleep 0.3

# Yes in the logs view: the pod shown is deleted
select_in pods bare
keys l
wait_for "logs bare" >/dev/null
keys C-d
check "logs of a pod without a controller: Ctrl-D says it is gone for good" \
    wait_for "It has no controller: it is gone for good"
keys y
gone_pod() { ! exists bare; }
check "... Yes: that pod is deleted (kubectl)" poll -n 100 gone_pod
check "... and said" wait_for "pod/bare deleted"
dash_quit
sim_stop
done_testing
