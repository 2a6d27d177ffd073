# tests/diaglib.sh: helpers for the diagnostics tests. Source after
# tests/lib.sh and tmpdir_new.

DIFY_TUI="$top_builddir/dify-tui"

# diag_run OUT ARGS...: `dify-tui ARGS... diagnose --json ...` into OUT;
# sets DIAG_RC to its exit status. Pass global options before "diagnose".
diag_run() {
    local out=$1
    shift
    DIAG_RC=0
    "$DIFY_TUI" "$@" >"$out" 2>"$out.err" || DIAG_RC=$?
}

# diag_status FILE ID: the status of check ID in a --json report.
diag_status() {
    grep -o "\"id\":\"$2\",\"area\":\"[^\"]*\",\"title\":\"[^\"]*\",\"status\":\"[a-z]*\"" "$1" |
        sed 's/.*"status":"\([a-z]*\)"/\1/'
}

# expect_status NAME FILE ID STATUS: one TAP line; shows the report when wrong.
expect_status() {
    local got
    got=$(diag_status "$2" "$3")
    if [ "$got" = "$4" ]; then
        ok "$1: $3 $4"
    else
        fail "$1: $3 is '$got', expected $4"
        sed 's/^/# /' "$2" | head -c 4000
        echo
        sed 's/^/# stderr: /' "$2.err" | head -20
    fi
}

# expect_rc NAME RC: the last diag_run's exit status.
expect_rc() {
    if [ "$DIAG_RC" = "$2" ]; then ok "$1: exit $2"; else fail "$1: exit $DIAG_RC, expected $2"; fi
}

# free_port: a TCP port nothing listens on now.
free_port() {
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# answers_for DIR: an answers file for a cluster of our own (the shipped
# existing-cluster example with the stores on 127.0.0.1), written to
# DIR/answers.yaml; DB_PORT and REDIS_PORT name the ports.
answers_for() {
    sed -e "s/host: pg.internal.example.com/host: 127.0.0.1/" \
        -e "s/host: redis.internal.example.com/host: 127.0.0.1/" \
        -e "s/^  port: 5432/  port: ${DB_PORT:-5432}/" \
        -e "s/^  port: 6379/  port: ${REDIS_PORT:-6379}/" \
        -e "s/storage_class: csi-rbd-sc/storage_class: \"\"/" \
        "$top_srcdir/assets/examples/existing-cluster.yaml" >"$1/answers.yaml"
}

# secrets_for DIR KEY VALUE ...: DIR/answers.secrets.yaml (0600).
secrets_for() {
    local dir=$1
    shift
    : >"$dir/answers.secrets.yaml"
    chmod 600 "$dir/answers.secrets.yaml"
    while [ $# -ge 2 ]; do
        printf '%s: %s\n' "$1" "$2" >>"$dir/answers.secrets.yaml"
        shift 2
    done
}

# sshd_or_skip WHAT: a real sshd on loopback for the bastion (tests/svc.sh),
# stopped at the end; ssh_env KEY reads what it says (SSH_PORT, SSH_USER,
# SSH_KEY, SSH_FINGERPRINT). Without sshd: a SKIP of WHAT and the test ends;
# an sshd that does not start fails the test.
sshd_or_skip() {
    SSHDIR=$(mktemp -d /tmp/dify-tui-sshd.XXXXXX)
    sh "$top_srcdir/tests/svc.sh" sshd-start "$SSHDIR" >"$TEST_TMP/ssh.env" 2>&1
    if grep -q '^SKIP=' "$TEST_TMP/ssh.env"; then
        skip "$1" "$(ssh_env SKIP)"
        rm -rf "$SSHDIR"
        done_testing
        exit
    fi
    TEST_CLEANUP="sh \"$top_srcdir/tests/svc.sh\" sshd-stop \"$SSHDIR\"; ${TEST_CLEANUP:-}"
    if grep -q '^ERROR=' "$TEST_TMP/ssh.env"; then
        fail "sshd starts: $(ssh_env ERROR)"
        done_testing
        exit 1
    fi
}
ssh_env() { sed -n "s/^$1=//p" "$TEST_TMP/ssh.env"; }
