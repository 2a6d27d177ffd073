#!/bin/bash
# tests/tryout3_kubeconfig.sh: kubeconfig users as people still have them,
# beside the real kubectl against dify-sim:
#   - auth-provider oidc (Dex, Keycloak through kubectl's oidc provider):
#     kubectl sends the id-token; we refused every auth-provider. Now the
#     id-token is sent while it is valid, and an expired one is said with
#     when it expired and that kubectl refreshes it;
#   - auth-provider gcp: removed from kubectl too; both name the plugin;
#   - impersonation (`as:`): kubectl acts as that identity; we ignored it and
#     acted as the user itself (an action with rights the file meant to give
#     up). Now refused, saying so;
#   - insecure-skip-tls-verify beside a certificate authority: kubectl
#     refuses the pair; we warned and went on. Now refused too.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "kubeconfig users beside kubectl" kubectl python3
# JWTs as an identity provider issues them (header.payload.signature; the
# client does not verify them, the server does): valid until 2100, expired
jwt() { python3 -c 'import base64,json,sys
b=lambda x: base64.urlsafe_b64encode(json.dumps(x).encode()).rstrip(b"=").decode()
print(b({"alg":"RS256"})+"."+b({"iss":"https://idp.example.com","sub":"alice","exp":int(sys.argv[1])})+".c2ln")' "$1"; }
VALID=$(jwt 4102444800)
EXPIRED=$(jwt 1000000000)
tryout_pods kc one -- --user "alice:$VALID:*"
running() { kubectl get pod -n kc one --no-headers 2>/dev/null | grep -q Running; }
check "the pod runs" wait_for 100 running

# kc NAME USER-JSON [CLUSTER-EXTRA-JSON]: a kubeconfig NAME.json for the
# simulator's cluster with that user
kc() {
    python3 - "$KUBECONFIG" "$TEST_TMP/$1.json" "$2" "${3:-{\}}" <<'PY'
import json, sys
kc = json.load(open(sys.argv[1]))
cl = kc["clusters"][0]
cl["cluster"].update(json.loads(sys.argv[4]))
json.dump({"apiVersion": "v1", "kind": "Config", "clusters": [cl],
           "users": [{"name": "u", "user": json.loads(sys.argv[3])}],
           "contexts": [{"name": "x", "context": {"cluster": cl["name"], "user": "u", "namespace": "kc"}}],
           "current-context": "x"}, open(sys.argv[2], "w"))
PY
}
# both NAME: kubectl and dify-tui `get pods` with NAME.json; k.out/o.out, krc/orc
both() {
    kubectl --kubeconfig "$TEST_TMP/$1.json" get pods >"$TEST_TMP/k.out" 2>&1
    krc=$?
    "$BIN" --kubeconfig "$TEST_TMP/$1.json" get pods >"$TEST_TMP/o.out" 2>&1
    orc=$?
}
ages() { sed -E 's/[0-9]+s$|[0-9]+m[0-9]*s?$/AGE/' "$1"; }

kc oidc "{\"auth-provider\":{\"name\":\"oidc\",\"config\":{\"client-id\":\"k8s\",\"idp-issuer-url\":\"https://idp.example.com\",\"id-token\":\"$VALID\"}}}"
both oidc
check "oidc: kubectl lists with the id-token" sh -c "[ $krc -eq 0 ] && grep -q '^one ' '$TEST_TMP/k.out'"
check "oidc: dify-tui lists the same (was $orc: $(head -c 160 "$TEST_TMP/o.out" | tr "\n" " "))" \
    sh -c "[ $orc -eq 0 ] && [ \"\$(sed -E 's/ +[0-9][0-9a-z]*\$//' '$TEST_TMP/k.out')\" = \"\$(sed -E 's/ +[0-9][0-9a-z]*\$//' '$TEST_TMP/o.out')\" ]"

kc oidc-expired "{\"auth-provider\":{\"name\":\"oidc\",\"config\":{\"client-id\":\"k8s\",\"idp-issuer-url\":\"https://idp.invalid\",\"id-token\":\"$EXPIRED\",\"refresh-token\":\"r\"}}}"
both oidc-expired
check "oidc expired: kubectl fails too (it cannot refresh here: $(tail -c 120 "$TEST_TMP/k.out" | tr "\n" " "))" test $krc -ne 0
check "oidc expired: exit 1, said with when and how to refresh" \
    sh -c "[ $orc -eq 1 ] && grep -q 'id-token expired at 2001-09-09 01:46:40 UTC; any kubectl command refreshes it' '$TEST_TMP/o.out'"

kc gcp '{"auth-provider":{"name":"gcp","config":{"access-token":"x"}}}'
both gcp
check "gcp: kubectl names its plugin" grep -q gke-gcloud-auth-plugin "$TEST_TMP/k.out"
check "gcp: dify-tui too (was $orc)" sh -c "[ $orc -ne 0 ] && grep -q gke-gcloud-auth-plugin '$TEST_TMP/o.out'"

kc as "{\"token\":\"$SIM_ADMIN\",\"as\":\"readonly-user\",\"as-groups\":[\"viewers\"]}"
both as
check "as: refused, never acting as the user itself (was $orc)" \
    sh -c "[ $orc -eq 1 ] && grep -q 'impersonation (as) is not supported' '$TEST_TMP/o.out' && ! grep -q '^one ' '$TEST_TMP/o.out'"

CA=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["clusters"][0]["cluster"]["certificate-authority-data"])' "$KUBECONFIG")
kc both-tls "{\"token\":\"$SIM_ADMIN\"}" "{\"insecure-skip-tls-verify\":true}"
check "insecure + CA: kubectl refuses" sh -c "kubectl --kubeconfig '$TEST_TMP/both-tls.json' get pods 2>&1 | grep -q 'insecure flag is not allowed'"
both both-tls
check "insecure + CA: dify-tui refuses too (was $orc)" \
    sh -c "[ $orc -eq 1 ] && grep -q 'insecure-skip-tls-verify and a certificate authority together are not allowed' '$TEST_TMP/o.out'"

done_testing
