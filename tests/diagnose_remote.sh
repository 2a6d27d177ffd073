#!/bin/bash
# tests/diagnose_remote.sh: the remote check (DT-1001) against a real sshd on
# loopback with a test host key and user key (tests/svc.sh): a known host is
# accepted and its fixed commands run; an unknown host key is refused with
# its fingerprint, and accepted (and recorded) only when that fingerprint is
# given (appended to known_hosts, the file's other lines kept); the
# database's tunnel (DT-401) checks and accepts host keys the same way; a
# changed host key is refused; a wrong user key is refused; a data store
# the bastion cannot reach fails the check.
. "$(dirname "$0")/lib.sh"
tmpdir_new
. "$(dirname "$0")/diaglib.sh"

sshd_or_skip "remote checks"
SSH_PORT=$(ssh_env SSH_PORT)
SSH_USER=$(ssh_env SSH_USER)
SSH_KEY=$(ssh_env SSH_KEY)
FP=$(ssh_env SSH_FINGERPRINT)
unset SSH_AUTH_SOCK

W="$TEST_TMP/w"
mkdir -p "$W"
# answers KNOWN_HOSTS KEY: the stores' ports are ones that listen (the
# bastion's own port) unless DB_PORT/REDIS_PORT say otherwise.
answers() {
    DB_PORT=${DB_PORT:-$SSH_PORT} REDIS_PORT=${REDIS_PORT:-$SSH_PORT} answers_for "$W"
    cat >>"$W/answers.yaml" <<YAML

bastion:
  enabled: true
  host: 127.0.0.1
  port: $SSH_PORT
  user: $SSH_USER
  key_path: $2
  known_hosts: $1
YAML
}
run_remote() {
    diag_run "$TEST_TMP/out.json" diagnose --json --answers "$W/answers.yaml" --only remote --timeout 20 "$@"
}
R="$TEST_TMP/out.json"
has() { if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1"; sed 's/^/# /' "$2" | head -c 3000; echo; fi; }

cp "$(ssh_env SSH_KNOWN_HOSTS)" "$TEST_TMP/known"
answers "$TEST_TMP/known" "$SSH_KEY"
run_remote
expect_status "known host" "$R" DT-1001 ok
expect_rc "known host" 0
has "known host: the fixed commands ran" "$R" "the bastion runs: yes"
has "known host: the database's port was tried from the bastion" "$R" "the database's port accepts connections: yes"

# A data store the bastion cannot reach.
REDIS_PORT=$(free_port) answers "$TEST_TMP/known" "$SSH_KEY"
run_remote
expect_status "Redis unreachable from the bastion" "$R" DT-1001 fail
has "Redis unreachable: said so" "$R" "Redis's port accepts connections: NO"

# Unknown host key: refused, with the fingerprint to compare.
: >"$TEST_TMP/empty"
answers "$TEST_TMP/empty" "$SSH_KEY"
run_remote
expect_status "unknown host key" "$R" DT-1001 fail
has "unknown host key: the fingerprint is shown" "$R" "$FP"
has "unknown host key: how to accept it" "$R" "--accept-host-key $FP"
if [ -s "$TEST_TMP/empty" ]; then fail "unknown host key: known_hosts untouched"; else ok "unknown host key: known_hosts untouched"; fi

# Another fingerprint than the one shown: still refused.
run_remote --accept-host-key "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
expect_status "a fingerprint that is not the host's" "$R" DT-1001 fail
if [ -s "$TEST_TMP/empty" ]; then fail "a wrong fingerprint adds nothing"; else ok "a wrong fingerprint adds nothing"; fi

# The fingerprint shown, accepted: trusted and recorded.
run_remote --accept-host-key "$FP"
expect_status "accepted fingerprint" "$R" DT-1001 ok
has "accepted fingerprint: recorded" "$R" "was added to"
if grep -q "^\[127.0.0.1\]:$SSH_PORT " "$TEST_TMP/empty"; then ok "accepted fingerprint: in known_hosts"; else fail "accepted fingerprint: in known_hosts"; fi
run_remote
expect_status "accepted before: known now" "$R" DT-1001 ok

# A known_hosts of the person's own: the accepted key is appended, every
# other line (comments, other hosts, no final newline) kept as it was.
printf '# mine\nexample.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl' >"$TEST_TMP/mine"
cp "$TEST_TMP/mine" "$TEST_TMP/mine.before"
answers "$TEST_TMP/mine" "$SSH_KEY"
run_remote --accept-host-key "$FP"
expect_status "accepted into a file with other lines" "$R" DT-1001 ok
if head -c "$(wc -c <"$TEST_TMP/mine.before")" "$TEST_TMP/mine" | cmp -s - "$TEST_TMP/mine.before"; then
    ok "the other lines are kept as they were"
else
    fail "the other lines are kept as they were"
    sed 's/^/# /' "$TEST_TMP/mine"
fi
if [ "$(grep -c "^\[127.0.0.1\]:$SSH_PORT ssh-ed25519 " "$TEST_TMP/mine")" = 1 ] &&
    [ "$(wc -l <"$TEST_TMP/mine")" = 3 ]; then
    ok "one line added, on a line of its own"
else
    fail "one line added, on a line of its own"
    sed 's/^/# /' "$TEST_TMP/mine"
fi
if ssh-keygen -F "[127.0.0.1]:$SSH_PORT" -f "$TEST_TMP/mine" >/dev/null 2>&1; then ok "OpenSSH finds the added key"; else fail "OpenSSH finds the added key"; fi

# The database's tunnel (DT-401) goes through the same host key check:
# refused with the fingerprint, then accepted and recorded the same way.
: >"$TEST_TMP/db_known"
answers "$TEST_TMP/db_known" "$SSH_KEY"
diag_run "$R" diagnose --json --answers "$W/answers.yaml" --only DT-401 --timeout 20
expect_status "the database's tunnel, unknown host key" "$R" DT-401 fail
has "the database's tunnel: the fingerprint is shown" "$R" "host key is unknown: ssh-ed25519 $FP"
if [ -s "$TEST_TMP/db_known" ]; then fail "the database's tunnel: known_hosts untouched"; else ok "the database's tunnel: known_hosts untouched"; fi
diag_run "$R" diagnose --json --answers "$W/answers.yaml" --only DT-401 --timeout 20 --accept-host-key "$FP"
has "the database's tunnel: the accepted key recorded" "$R" "the accepted host key ssh-ed25519 $FP was added to"
has "the database's tunnel: then opened" "$R" "through the bastion's tunnel"
if grep -q "^\[127.0.0.1\]:$SSH_PORT ssh-ed25519 " "$TEST_TMP/db_known"; then ok "the database's tunnel: in known_hosts"; else fail "the database's tunnel: in known_hosts"; fi

# A known_hosts holding another key for the bastion: refused.
answers "$(ssh_env SSH_OTHER_KNOWN_HOSTS)" "$SSH_KEY"
run_remote --accept-host-key "$FP"
expect_status "changed host key" "$R" DT-1001 fail
has "changed host key: said so" "$R" "HOST IDENTIFICATION HAS CHANGED"

# A user key the bastion does not know.
ssh-keygen -q -t ed25519 -N '' -f "$TEST_TMP/wrong_key" >/dev/null
answers "$TEST_TMP/known" "$TEST_TMP/wrong_key"
run_remote
expect_status "wrong user key" "$R" DT-1001 fail
has "wrong user key: refused" "$R" "refused the key"

done_testing
