#!/bin/bash
# tests/tryout3_malformed.sh: an object that turns unreadable through the
# watch (not the list), as a buggy controller or admission webhook writes
# one, and turns readable again. The dashboard said "1 object could not be
# read (not shown)" and went on showing the copy from before as if current
# (a deletion that came unreadable never removed it); and once the object
# was readable again the note stayed for as long as the dashboard ran. Now
# an unreadable change takes the old copy off the screen, and a readable
# change (or a deletion) withdraws the note. Against dify-sim, in tmux,
# with `status --json` beside it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "objects unreadable through the watch" tmux kubectl curl
tryout_pods typed steady flaky
running() { [ "$(kubectl get pods -n typed --no-headers 2>/dev/null | grep -c Running)" = 2 ]; }
check "both pods run" poll -n 100 running

# status_patch RESTARTS: flaky's status with restartCount RESTARTS (raw JSON)
status_patch() {
    sim_curl -X PATCH -H 'Content-Type: application/merge-patch+json' \
        "$SIM_SERVER/api/v1/namespaces/typed/pods/flaky/status" \
        -d "{\"status\":{\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,\"restartCount\":$1,\"image\":\"busybox\",\"imageID\":\"\",\"started\":true,\"state\":{\"running\":{\"startedAt\":\"2026-01-01T00:00:00Z\"}}}]}}" |
        tail -1
}

tmux_server tryout3-malformed
dash_open typed
keys ':' 'pods' Enter
check "the pods view shows flaky" wait_re "^flaky +1/1 +Running"

code=$(status_patch '"many"')
check "the server takes a status whose restartCount is a string (HTTP $code)" test "$code" = 200
check "an unreadable change: said" wait_for 'could not be read (not shown): pod "flaky"'
check "an unreadable change: the old copy is not shown as current" wait_gone "flaky " 50
check "steady is still shown" shows "steady "

code=$(status_patch 5)
check "the server takes a readable status again (HTTP $code)" test "$code" = 200
check "readable again: shown, with the new restarts" wait_re "^flaky +1/1 +Running +5 "
check "readable again: the note is withdrawn" wait_gone "could not be read" 50

status_patch '"many"' >/dev/null
wait_for 'could not be read (not shown): pod "flaky"' >/dev/null
kubectl delete pod -n typed flaky --wait=false >/dev/null
check "deleted while unreadable: the note is withdrawn" wait_gone "could not be read" 50
check "deleted while unreadable: not shown" not shows_re '^flaky '

done_testing
