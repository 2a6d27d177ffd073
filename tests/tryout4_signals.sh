#!/bin/bash
# tests/tryout4_signals.sh: a watch stopped by the user is no success.
# Found as a new user: Ctrl-C on `dify-tui get pods -w` or `status --watch`
# exited 0, kill (SIGTERM) too, and a closed terminal (SIGHUP) or Ctrl-\
# (SIGQUIT) killed them by the signal. kubectl get -w catches all four
# (k8s.io/kubectl/pkg/util/interrupt) and exits 1 saying nothing: a script
# that runs `get -w` until a timeout kills it must not read "done".
# Ctrl-C is typed into a real terminal (tmux), beside kubectl's own.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "watches stopped by a signal" tmux kubectl
tryout_pods sig one
tmux_server tr4sig

# ctrl_c NAME CMD: CMD in a terminal until its first row (the pod's), then
# Ctrl-C; sets crc to its exit status and cerr to what it wrote to stderr
ctrl_c() {
    local name=$1
    shift
    $T kill-session -t w 2>/dev/null
    # bash, not sh: dash dies of the Ctrl-C itself even when the command
    # it waits for caught it; bash goes on when the command did not die of it
    {
        printf 'export KUBECONFIG=%q DIFY_TUI_STATE=%q\n' "$KUBECONFIG" "$DIFY_TUI_STATE"
        printf '%q ' "$@"
        printf '2>%q\necho RC=$?\nexec cat\n' "$TEST_TMP/$name.err"
    } >"$TEST_TMP/$name.sh"
    $T new-session -d -s w -x 150 -y 20 "exec bash --norc '$TEST_TMP/$name.sh'"
    wait_for "one" >/dev/null
    keys C-c
    wait_re "RC=[0-9]+" >/dev/null
    crc=$(screen | sed -n 's/^.*RC=\([0-9]*\).*/\1/p' | head -1)
    cerr=$(head -c 300 "$TEST_TMP/$name.err" | tr '\n' ' ')
}

ctrl_c kubectl kubectl -n sig get pods -w
check "reference: kubectl get -w, Ctrl-C: exit 1, nothing said (was $crc: $cerr)" \
    sh -c "[ '$crc' = 1 ] && [ -z '$cerr' ]"
ctrl_c getw "$BIN" -n sig get pods -w
check "get -w, Ctrl-C: exit 1 and nothing said, as kubectl (was $crc: $cerr)" \
    sh -c "[ '$crc' = 1 ] && [ -z '$cerr' ]"
ctrl_c stw "$BIN" -n sig status --watch
check "status --watch, Ctrl-C: exit 1 and nothing said (was $crc: $cerr)" \
    sh -c "[ '$crc' = 1 ] && [ -z '$cerr' ]"

# kill SIG, kubectl's and ours beside each other. (set -m: a background job
# of a script starts with SIGINT and SIGQUIT ignored; kubectl takes them
# back, a program with its own handlers does too.)
for sig in TERM HUP QUIT INT; do
    for cmd in "kubectl -n sig get pods -w" "$BIN -n sig get pods -w" "$BIN -n sig status --watch"; do
        : >"$TEST_TMP/k.out"
        $cmd >"$TEST_TMP/k.out" 2>"$TEST_TMP/k.err" &
        pid=$!
        wait_for 100 grep -q one "$TEST_TMP/k.out"
        kill -"$sig" "$pid"
        # bounded: a program that ignores the signal (a background job
        # starts with SIGQUIT ignored) would be waited for forever
        if ! poll -n 100 sh -c "! kill -0 $pid 2>/dev/null"; then
            kill -KILL "$pid"
            diag "SIG$sig did not end it"
        fi
        wait "$pid"
        rc=$?
        what=${cmd#"$BIN -n sig "}
        check "SIG$sig ends '${what#kubectl -n sig }'$([ "$what" = "$cmd" ] && echo " (kubectl)") with exit 1, silently (was $rc: $(head -c 200 "$TEST_TMP/k.err"))" \
            sh -c "[ $rc -eq 1 ] && [ ! -s '$TEST_TMP/k.err' ]"
    done
done
sim_stop
done_testing
