#!/bin/bash
# tests/diagnose_hostkey_screen.sh: accepting a bastion's host key on the
# diagnostics screen, in tmux, against a real sshd on loopback (tests/svc.sh).
# The bastion is not in known_hosts: DT-1001 and the database's tunnel
# (DT-401) fail and show its SHA256 fingerprint; `a` asks first, and any key
# but `y` accepts nothing; `y` on DT-401 appends the key to known_hosts (the
# file's other lines kept) and re-runs it past the host key; `r` on DT-1001
# then finds the key there and turns ok.
. "$(dirname "$0")/lib.sh"
tmpdir_new
. "$top_srcdir/tests/simlib.sh"
. "$(dirname "$0")/diaglib.sh"

if ! need_tool tmux; then
    skip "host keys on the diagnostics screen" "tmux is not installed"
    done_testing
    exit 0
fi
sshd_or_skip "host keys on the diagnostics screen"
. "$top_srcdir/tests/tmuxlib.sh"
tmux_server hostkey
PANE=d
TMUX_CAPTURE=-J # a fingerprint wrapped at the pane's edge is one line
SSH_PORT=$(ssh_env SSH_PORT)
FP=$(ssh_env SSH_FINGERPRINT)
unset SSH_AUTH_SOCK

W="$TEST_TMP/w"
mkdir -p "$W"
# The stores' ports are the bastion's own (they listen; PostgreSQL is not
# there, so DT-401 fails past the tunnel: what matters here is the key).
DB_PORT=$SSH_PORT REDIS_PORT=$SSH_PORT answers_for "$W"
KNOWN="$TEST_TMP/known_hosts"
printf '# the person'"'"'s own lines\nexample.org ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n' >"$KNOWN"
cp "$KNOWN" "$TEST_TMP/known_before"
cat >>"$W/answers.yaml" <<YAML

bastion:
  enabled: true
  host: 127.0.0.1
  port: $SSH_PORT
  user: $(ssh_env SSH_USER)
  key_path: $(ssh_env SSH_KEY)
  known_hosts: $KNOWN
YAML

# A cluster nothing answers for (the checks here read none of it).
cat >"$TEST_TMP/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "https://127.0.0.1:$(free_port)"}}]
users: [{name: none, user: {token: none}}]
contexts: [{name: none, context: {cluster: none, user: none}}]
current-context: none
YAML

$T new-session -d -s d -x 150 -y 45 \
    "env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$TEST_TMP/kubeconfig' '$DIFY_TUI' -n dify diagnose --answers '$W/answers.yaml' --timeout 20 --only DT-401 remote; echo EXIT=\$?; exec cat"

check "DT-401's tunnel refuses the unknown bastion" wait_re "\\[FAIL\\] DT-401 " 300
check "DT-1001 refuses it too" wait_re "\\[FAIL\\] DT-1001 " 300
check "the selected check (DT-401) shows the fingerprint to compare" wait_for "ssh-ed25519 $FP offered by 127.0.0.1 port $SSH_PORT" 100
check "the key that accepts it is offered" wait_re "a accept host key" 40
keys a
check "a asks first, naming the key and the file" wait_for "Trust ssh-ed25519 $FP" 40
keys n
check "any other key than y accepts nothing" wait_re "the host key was not accepted" 40
if cmp -s "$KNOWN" "$TEST_TMP/known_before"; then ok "declined: known_hosts untouched"; else fail "declined: known_hosts untouched"; fi
keys a
wait_re "Trust ssh-ed25519" 40 >/dev/null
keys y
check "y accepts and re-runs DT-401" wait_for "accepted $FP; re-running DT-401" 40
check "DT-401 re-runs past the host key: the key was added" wait_for "the accepted host key ssh-ed25519 $FP was added to" 300
check "DT-401 then reaches the bastion's tunnel" wait_re "through the bastion's tunnel" 300
if head -c "$(wc -c <"$TEST_TMP/known_before")" "$KNOWN" | cmp -s - "$TEST_TMP/known_before"; then
    ok "known_hosts: the person's lines kept as they were"
else
    fail "known_hosts: the person's lines kept as they were"
    sed 's/^/# /' "$KNOWN"
fi
if grep -q "^\[127.0.0.1\]:$SSH_PORT ssh-ed25519 " "$KNOWN"; then ok "known_hosts: the bastion's key appended"; else fail "known_hosts: the bastion's key appended"; fi
if ssh-keygen -F "[127.0.0.1]:$SSH_PORT" -f "$KNOWN" >/dev/null 2>&1; then ok "OpenSSH finds the appended key"; else fail "OpenSSH finds the appended key"; fi
# DT-1001 is the last check
keys End
check "DT-1001 selected" wait_re "DT-1001 .*\\(fail\\)" 40
keys r
check "r re-runs DT-1001: the key is known now, ok" wait_re "DT-1001 .*\\(ok\\)" 300
check "its row turns ok" wait_re "\\[ ok \\] DT-1001 " 40
keys q
check "q leaves: DT-401 still fails (no PostgreSQL there), exit 2" wait_re "EXIT=2" 100

done_testing
