#!/bin/bash
# tests/tryout_outage.sh: the API server goes away and comes back while the
# dashboard's logs view follows a container, as a new user's cluster does
# (a control-plane upgrade, a VPN that drops). The view must say the stream
# broke and follow again by itself once the server answers (it stayed on
# the error until f was pressed). Also `get -w` against a server that is
# not there: an error and exit 1 at once, as kubectl's (it retried
# forever, printing warnings), and the describe view's search.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "the logs view over an API outage" tmux kubectl python3 openssl
cat >"$TEST_TMP/scn.json" <<'JSON'
{"name": "tryout-outage",
 "defaults": {"scheduleDelay": 0.1, "pullDelay": 0.1, "readyDelay": 0.2},
 "pods": [{"match": {"namePrefix": "chatty"}, "logRate": 20}],
 "objects": [
  {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "out"}},
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "chatty", "namespace": "out"},
   "spec": {"containers": [{"name": "c", "image": "busybox"}]}}]}
JSON
# a fixed port and certificate: the restarted server is the same one to
# the client
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$TEST_TMP/k.pem" -out "$TEST_TMP/c.pem" 2>/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SIMARGS="--port $PORT --cert $TEST_TMP/c.pem --key $TEST_TMP/k.pem --token tok-out --scenario $TEST_TMP/scn.json"
# shellcheck disable=SC2086
tryout_sim -m "dify-sim starts on port $PORT" $SIMARGS
KC="$KUBECONFIG"
running() { kubectl get pod chatty -n out --no-headers 2>/dev/null | grep -q Running; }
check "the chatty pod runs" poll -n 100 running

tmux_server tryout-outage
dash_open out 100 30
keys ':' 'pods' Enter
wait_for "chatty" >/dev/null
keys l
check "the logs view follows" wait_for "(a chatty container, logRate 20)"
wait_for "following..." >/dev/null

sim_stop
check "the server gone: the view says the stream broke and that it follows again" \
    wait_for "the stream broke: following again in"
# kubectl and get -w against the server that is not there
timeout 30 kubectl get pods -n out -w >/dev/null 2>&1
krc=$?
timeout 30 "$BIN" -n out get pods -w >"$TEST_TMP/gw.out" 2>"$TEST_TMP/gw.err"
rc=$?
check "get -w with no server: exit 1 at once with the reason (kubectl: $krc), not a retry loop (was $rc)" \
    sh -c "[ $rc -eq 1 ] && [ $krc -eq 1 ] && grep -q '^error: .*127.0.0.1:$PORT' '$TEST_TMP/gw.err'"

# shellcheck disable=SC2086
sim_start $SIMARGS
export KUBECONFIG="$KC"
check "the server back: the view follows again by itself" wait_for "following..." 300
check "... with the new server's lines" wait_for "(a chatty container, logRate 20)" 100
check "... and no error left on screen" gone "the stream broke"

# describe's search on the real object
esc
keys d
wait_for "describe pod/chatty" >/dev/null
keys '/'
keys -l 'image:'
keys Enter
top_line() { screen | grep -A1 "describe pod/chatty" | sed -n 2p | grep -q "image: busybox" || { screen | head -5 | sed "s/^/# | /"; return 1; }; }
check "describe: / brings the first line with the text to the top" \
    poll -n 20 top_line
check "... and the heading says the search" wait_for "· search image:"
dash_quit
sim_stop
done_testing
