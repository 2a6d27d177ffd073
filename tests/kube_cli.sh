#!/bin/sh
# tests/kube_cli.sh: `dify-tui get` and `dify-tui rollout-status` against the
# canned-reply server (tests/unit/test_kube_fakeserver): exact requests, kubectl's
# output formats and exit statuses, the global flags after the command.
. "$top_srcdir/tests/lib.sh"
tmpdir_new
NO_PROXY=127.0.0.1,localhost
export NO_PROXY
D=$top_srcdir/tests/data/kube
BIN=$top_builddir/dify-tui
FAKE=$top_builddir/tests/unit/test_kube_fakeserver

# start_server CASE: runs the fake server, waits for its port, writes a kubeconfig.
start_server() {
    rm -f "$TEST_TMP/port" "$TEST_TMP/report"
    "$FAKE" "$D/$1" "$TEST_TMP/port" "$TEST_TMP/report" &
    FAKE_PID=$!
    TEST_CLEANUP="kill $FAKE_PID 2>/dev/null"
    i=0
    while [ ! -s "$TEST_TMP/port" ] && [ $i -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    port=$(cat "$TEST_TMP/port")
    cat >"$TEST_TMP/kubeconfig" <<EOK
apiVersion: v1
kind: Config
current-context: fake
clusters:
- name: fake
  cluster:
    server: http://127.0.0.1:$port
contexts:
- name: fake
  context: {cluster: fake, user: u, namespace: dify}
users:
- name: u
  user: {token: tok-cli}
EOK
}

# stop_server NAME: stops it and checks it saw exactly the scripted requests.
stop_server() {
    what=$1
    kill "$FAKE_PID"
    wait "$FAKE_PID" 2>/dev/null
    TEST_CLEANUP=
    served=$(head -n 1 "$TEST_TMP/report")
    extra=$(tail -n +2 "$TEST_TMP/report")
    set -- $served
    if [ "$2" = "$4" ] && [ -z "$extra" ]; then
        ok "$what: requests as scripted"
    else
        diag "$served"
        diag "$extra"
        fail "$what: requests as scripted"
    fi
}

# expect NAME WANT_RC WANT_OUT_FILE_CONTENT -- command...
expect_out() {
    name=$1 want_rc=$2 want=$3
    shift 3
    out=$("$@" 2>"$TEST_TMP/stderr")
    rc=$?
    if [ "$rc" = "$want_rc" ] && [ "$out" = "$want" ]; then
        ok "$name"
    else
        diag "exit $rc (want $want_rc); stdout:"
        printf '%s\n' "$out" | sed 's/^/# /'
        diag "want:"
        printf '%s\n' "$want" | sed 's/^/# /'
        sed 's/^/# stderr: /' "$TEST_TMP/stderr"
        fail "$name"
    fi
}

start_server cli-get
expect_out "get pods -o name" 0 "pod/api-0
pod/worker-0" "$BIN" get pods -o name --kubeconfig "$TEST_TMP/kubeconfig"
expect_out "get pods table" 0 "NAME       READY   STATUS             RESTARTS   AGE
api-0      1/1     Running            2          <unknown>
worker-0   0/1     CrashLoopBackOff   7          <unknown>" \
    "$BIN" --kubeconfig "$TEST_TMP/kubeconfig" get pods
expect_out "get deployments -A -o name" 0 "deployment.apps/dify-api" \
    "$BIN" get deploy -A -o name --kubeconfig "$TEST_TMP/kubeconfig" -l app.kubernetes.io/part-of=dify
stop_server "get"

start_server cli-rollout
expect_out "rollout-status --watch=false" 0 \
    'Waiting for deployment "dify-api" rollout to finish: 1 of 2 updated replicas are available...' \
    "$BIN" rollout-status deployment/dify-api --watch=false --kubeconfig "$TEST_TMP/kubeconfig"
expect_out "rollout-status watches until done" 0 \
    'Waiting for deployment "dify-api" rollout to finish: 1 of 2 updated replicas are available...
deployment "dify-api" successfully rolled out' \
    "$BIN" rollout-status deploy/dify-api -n dify --kubeconfig "$TEST_TMP/kubeconfig"
expect_out "rollout-status of a missing object" 1 "" \
    "$BIN" rollout-status deploy/nope --watch=false --kubeconfig "$TEST_TMP/kubeconfig"
if grep -q 'deployments.apps "nope" not found' "$TEST_TMP/stderr"; then
    ok "missing object: kubectl's message"
else
    sed 's/^/# /' "$TEST_TMP/stderr"
    fail "missing object: kubectl's message"
fi
stop_server "rollout"

# Hostile strings from the server: nothing raw reaches the terminal.
start_server cli-hostile
long=$(head -c 509 /dev/zero | tr '\0' 'a')
# bad<U+FFFD>name\u202e: the invalid byte replaced, the bidi override shown
row() { printf '%-515s%-8s%-15s%-11s%s\n' "$@"; }
want=$(row NAME READY STATUS RESTARTS AGE
    row 'evil^[]0;pwned^G' 0/0 'Running^[[2J' 0 '<unknown>'
    # padding counts columns: U+FFFD is one column but three bytes
    printf '%-517s%-8s%-15s%-11s%s\n' "bad$(printf '\357\277\275')name\\u202e" 0/0 Pending 0 '<unknown>'
    row "$long..." 0/0 Pending 0 '<unknown>')
expect_out "hostile names in a table" 0 "$want" "$BIN" --kubeconfig "$TEST_TMP/kubeconfig" get pods
expect_out "hostile names with -o name" 0 "pod/evil^[]0;pwned^G
pod/bad$(printf '\357\277\275')name\\u202e
pod/$long..." "$BIN" --kubeconfig "$TEST_TMP/kubeconfig" get pods -o name
expect_out "hostile Status message" 1 "" \
    "$BIN" --kubeconfig "$TEST_TMP/kubeconfig" rollout-status deploy/x --watch=false
if grep -q 'is forbidden^\[\]52;c;ZWNobw==^G: User' "$TEST_TMP/stderr" &&
    ! grep -q "$(printf '\033')" "$TEST_TMP/stderr"; then
    ok "hostile Status message: escapes made visible"
else
    sed 's/^/# /' "$TEST_TMP/stderr" | cat -v
    fail "hostile Status message: escapes made visible"
fi
stop_server "hostile"

start_server cli-malformed
expect_out "a malformed pod is left out of the table" 0 "NAME   READY   STATUS    RESTARTS   AGE
good   1/1     Running   1          <unknown>" "$BIN" --kubeconfig "$TEST_TMP/kubeconfig" get pods
check "and named as malformed on stderr" grep -q \
    'warning: pod "bad" in namespace "dify" is malformed: status.containerStatuses\[0\].restartCount: a string where the API has an int32' \
    "$TEST_TMP/stderr"
expect_out "rollout-status of a malformed deployment fails" 1 "" \
    "$BIN" --kubeconfig "$TEST_TMP/kubeconfig" rollout-status deploy/huge --watch=false
check "naming the field" grep -q 'spec.replicas: the number .* is out of range' "$TEST_TMP/stderr"
stop_server "malformed"

expect_out "bad kubeconfig exits 1" 1 "" "$BIN" get pods --kubeconfig "$TEST_TMP/nope"
done_testing
