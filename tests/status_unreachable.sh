#!/bin/sh
# tests/status_unreachable.sh: a one-shot `dify-tui status` against a server
# that cannot be reached ends at once, as kubectl does, instead of waiting
# out its --timeout: a closed port (connection refused) and an exec
# credential plugin that fails (`aws eks get-token` after the SSO session
# expired). Each ends (a generous outer timeout, never a timing assertion)
# with kubectl's exit status for the same case (1, checked against the real
# kubectl when it is installed) and the reason said: curl's words for the
# refused connection, the plugin's own words. `status --watch` against the
# closed port keeps running, says on stderr that the cluster could not be
# read (it has no report to carry it yet), and retries with backoff until
# stopped.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

BIN="$top_builddir/dify-tui"
if ! need_tool python3; then
    skip "status against an unreachable server" "python3 is not installed"
    done_testing
    exit 0
fi
tmpdir_new
export HOME="$TEST_TMP/home"
mkdir -p "$HOME"

# a port nothing listens on: bound, noted, closed
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
PLUGIN="$TEST_TMP/get-token"
cat >"$PLUGIN" <<'SH'
#!/bin/sh
echo 'Error when retrieving token from sso: Token has expired and refresh failed' >&2
exit 255
SH
chmod +x "$PLUGIN"
KC="$TEST_TMP/kc.yaml"
cat >"$KC" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: closed
  cluster: {server: "https://127.0.0.1:$PORT", insecure-skip-tls-verify: true}
users:
- name: token
  user: {token: abc}
- name: sso
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: $PLUGIN
      interactiveMode: Never
contexts:
- name: refused
  context: {cluster: closed, user: token, namespace: dify}
- name: expired
  context: {cluster: closed, user: sso, namespace: dify}
current-context: refused
YAML
export KUBECONFIG="$KC"

# kubectl's exit status for the same case (1 for both on kubectl 1.2x)
kubectl_rc() {
    if need_tool kubectl; then
        kubectl --context "$1" get pods >/dev/null 2>&1
        echo $?
    else
        echo 1
    fi
}

for case in refused expired; do
    want=$(kubectl_rc $case)
    for json in "" --json; do
        # shellcheck disable=SC2086
        timeout 120 "$BIN" --context $case status $json --timeout 100 >"$TEST_TMP/out" 2>"$TEST_TMP/err"
        rc=$?
        if [ $rc -eq 124 ]; then
            fail "status${json:+ $json}, $case: ends by itself (it waited out its timeout)"
            continue
        fi
        ok "status${json:+ $json}, $case: ends by itself"
        check "status${json:+ $json}, $case: exit $want as kubectl's (was $rc)" test "$rc" -eq "$want"
        check "status${json:+ $json}, $case: not 'did not answer everything within'" \
            sh -c "! grep -q 'did not answer everything within' '$TEST_TMP/err'"
        if [ -z "$json" ]; then
            check "status, $case: the report says the API server does not answer" \
                grep -q "the API server does not answer" "$TEST_TMP/out"
        else
            check "status --json, $case: the document says it" \
                grep -q '"reachable": *false' "$TEST_TMP/out"
        fi
        if [ $case = refused ]; then
            check "status${json:+ $json}, $case: the refused connection said" \
                grep -q "the cluster could not be read: .*127.0.0.1.*$PORT.*Couldn't connect" "$TEST_TMP/err"
        else
            check "status${json:+ $json}, $case: the plugin's words said" \
                grep -q "the cluster could not be read: .*Token has expired" "$TEST_TMP/err"
        fi
    done
done

# --watch keeps retrying: it says so and is still running until stopped
"$BIN" --context refused status --watch >"$TEST_TMP/watch" 2>&1 &
pid=$!
if wait_for 300 grep -q "could not be read (retrying): .*Couldn't connect" "$TEST_TMP/watch"; then
    ok "status --watch, refused: says the cluster could not be read, retrying"
else
    fail "status --watch, refused: says the cluster could not be read, retrying ($(cat "$TEST_TMP/watch"))"
fi
if kill -0 $pid 2>/dev/null; then
    ok "status --watch, refused: keeps running (retrying with backoff)"
else
    fail "status --watch, refused: keeps running (retrying with backoff)"
fi
# once an outage, not once a retry of each of its nine kinds
wait_for 10 sh -c "[ \$(grep -c 'could not be read' '$TEST_TMP/watch') -gt 1 ]"
n=$(grep -c "could not be read" "$TEST_TMP/watch")
check "status --watch, refused: said once (was $n times)" test "$n" -eq 1
kill $pid 2>/dev/null
wait $pid 2>/dev/null
done_testing
