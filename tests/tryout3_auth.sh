#!/bin/bash
# tests/tryout3_auth.sh: credentials that do not work, as an on-call person
# meets them on a Monday morning, against dify-sim beside kubectl:
#   - an exec credential plugin that fails (`aws eks get-token` after the
#     SSO session expired): kubectl says the plugin's words at once; the
#     dashboard said "listing..." forever and its pods view "none in this
#     namespace", and `status` only "the cluster did not answer everything
#     within 20 s". Now the reason is the banner's and status's, and once
#     the plugin works again (the user logs in) the dashboard recovers by
#     itself;
#   - diagnose with the failing plugin: DT-101 said "Nothing answered at the
#     API server's address" and DT-102 "refused the credential (401)", of a
#     server never asked; now DT-101 is not asked and DT-102 names the plugin;
#   - a token the server does not accept (401): it was said "you may not
#     list" (that is 403's meaning), and `status` said "No workloads found in
#     dify namespace." and the health strip "no api in this namespace" of a
#     namespace it could not read. Absence is said only of what was listed.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "credentials that do not work" tmux kubectl python3

tryout_sim --scenario demo

# the credential plugin: the admin token once $TEST_TMP/logged-in exists,
# else the failure `aws eks get-token` prints after the SSO session expired
PLUGIN="$TEST_TMP/get-token"
cat >"$PLUGIN" <<EOF
#!/bin/sh
if [ -e '$TEST_TMP/logged-in' ]; then
    printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s"}}' '$SIM_ADMIN'
    exit 0
fi
echo 'Error when retrieving token from sso: Token has expired and refresh failed' >&2
exit 255
EOF
chmod +x "$PLUGIN"
KC="$TEST_TMP/kc.json"
python3 - "$KUBECONFIG" "$KC" "$PLUGIN" <<'PY'
import json, sys
kc = json.load(open(sys.argv[1]))
kc["users"] += [
    {"name": "sso", "user": {"exec": {"apiVersion": "client.authentication.k8s.io/v1beta1",
                                       "command": sys.argv[3], "interactiveMode": "Never"}}},
    {"name": "stale", "user": {"token": "a-token-the-server-never-issued"}}]
kc["contexts"] += [
    {"name": "expired", "context": {"cluster": "dify-sim", "user": "sso", "namespace": "dify"}},
    {"name": "stale", "context": {"cluster": "dify-sim", "user": "stale", "namespace": "dify"}}]
json.dump(kc, open(sys.argv[2], "w"))
PY
running() { [ "$(kubectl get pods -n dify --no-headers 2>/dev/null | grep -c Running)" -ge 6 ]; }
check "the demo runs" poll -n 150 running

# ---- kubectl's view ----
kubectl --kubeconfig "$KC" --context expired get pods >"$TEST_TMP/k.out" 2>&1
check "kubectl: the plugin's words" grep -q "Token has expired" "$TEST_TMP/k.out"
kubectl --kubeconfig "$KC" --context stale get pods >"$TEST_TMP/k.out" 2>&1
check "kubectl: 401 is 'You must be logged in'" grep -q "You must be logged in to the server" "$TEST_TMP/k.out"

# ---- status ----
"$BIN" --kubeconfig "$KC" --context expired status --timeout 3 >"$TEST_TMP/s.out" 2>&1
rc=$?
check "status, plugin failing: exit 1 (was $rc) with the plugin's words" \
    sh -c "[ $rc -eq 1 ] && grep -q 'Token has expired' '$TEST_TMP/s.out'"
"$BIN" --kubeconfig "$KC" --context stale status --timeout 5 >"$TEST_TMP/s.out" 2>&1
rc=$?
check "status, 401: exit 1 (was $rc)" test $rc -eq 1
check "status, 401: the credentials are said not accepted" \
    grep -q "did not accept the credentials" "$TEST_TMP/s.out"
check "status, 401: not 'you may not list' (403's meaning)" not grep -q "you may not list" "$TEST_TMP/s.out"
check "status, 401: no claim that the namespace is empty" not grep -qi "no workloads found\|no api in this namespace" "$TEST_TMP/s.out"

# ---- the dashboard ----
tmux_server tryout3-auth
TMUX_CAPTURE=-J
start() { tui_run 120 30 --kubeconfig "$KC" --context "$1" dashboard; }
start expired
check "dashboard, plugin failing: the banner says the plugin's words" wait_for "Token has expired"
keys ':' 'pods' Enter
check "dashboard, plugin failing: the pods view opens" wait_for " pods  context: expired"
check "dashboard, plugin failing: the pods view does not say the namespace is empty" \
    not shows "none in this namespace"
keys ':' 'overview' Enter
touch "$TEST_TMP/logged-in"
check "dashboard, after logging in: recovers by itself (the api's row)" wait_re "^api +dify-api +1/1" 400
check "dashboard, after logging in: the banner is gone" wait_gone "Token has expired"
keys q
rm -f "$TEST_TMP/logged-in"

start stale
check "dashboard, 401: said as credentials not accepted" wait_for "did not accept the credentials"
check "dashboard, 401: no 'no api in this namespace'" not shows "no api in this namespace"
check "dashboard, 401: no 'no plugin daemon in this namespace'" not shows "no plugin daemon in this namespace"
keys ':' 'pods' Enter
check "dashboard, 401: the pods view opens" wait_for " pods  context: stale"
check "dashboard, 401: the pods view does not say the namespace is empty" \
    not shows "none in this namespace"
keys q

# ---- diagnose ----
"$BIN" --kubeconfig "$KC" --context expired -n dify diagnose --json --only DT-101 DT-102 >"$TEST_TMP/d.json" 2>&1
check "diagnose, plugin failing: DT-101 does not say the server did not answer" \
    sh -c "! grep -q 'does not answer' '$TEST_TMP/d.json'"
check "diagnose, plugin failing: DT-102 says the plugin failed, with its words" \
    sh -c "grep -q 'the credential plugin' '$TEST_TMP/d.json' && grep -q 'Token has expired' '$TEST_TMP/d.json'"

done_testing
