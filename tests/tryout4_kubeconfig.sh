#!/bin/bash
# tests/tryout4_kubeconfig.sh: kubeconfigs and credentials as a new user
# brings them, each beside the real kubectl on the same file. Found:
#   - an unquoted context or user named y, n, yes, on (or 123): YAML 1.1,
#     which kubectl reads kubeconfigs with, makes them a boolean or a number,
#     and kubectl refuses the file ("cannot unmarshal bool into Go struct
#     field NamedContext.contexts.name of type string"); we read the string
#     "y" and went on. Now refused the same way, with the position and the
#     quoting that fixes it.
#   - an oidc id-token that is no JWT, or has no "exp", was sent; kubectl
#     refuses it ("ID Token is not a valid JWT", "No valid id-token, and
#     cannot refresh without refresh-token"), and refuses a config without
#     idp-issuer-url or client-id ("Must provide idp-issuer-url").
#   - a 401 gave up the kind for the rest of the session: a tokenFile
#     rewritten with a good token (a projected ServiceAccount token rotated,
#     a login that rewrites it) was never read again. Now the token file is
#     read again as client-go reads it (a minute old, and after a 401), and a
#     refused kind is asked again with the watch's backoff: status --watch
#     and the dashboard recover without a restart.
#   - get and get -w with a token not accepted said "GET /api/...: 401
#     Unauthorized: Unauthorized" (get -w twice, a "warn:" line before it);
#     kubectl: "error: You must be logged in to the server (Unauthorized)".
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "kubeconfigs and credentials" kubectl tmux python3
tryout_pods kc one
running() { kubectl get pod -n kc one --no-headers 2>/dev/null | grep -q Running; }
check "the pod runs" wait_for 100 running

# yamlkc FILE CONTEXT USER [USER-BODY]: a YAML kubeconfig for the simulator
# with the context and user names written as they are (unquoted); the user's
# body is the admin token unless given
yamlkc() {
    python3 - "$KUBECONFIG" "$@" <<'PY'
import json, sys
kc = json.load(open(sys.argv[1]))
cl = kc["clusters"][0]
out, ctx, user = sys.argv[2], sys.argv[3], sys.argv[4]
body = sys.argv[5] if len(sys.argv) > 5 else json.dumps({"token": kc["users"][0]["user"]["token"]})
open(out, "w").write(f"""apiVersion: v1
kind: Config
clusters:
- name: sim
  cluster:
    server: {cl["cluster"]["server"]}
    certificate-authority-data: {cl["cluster"]["certificate-authority-data"]}
users:
- name: {user}
  user: {body}
contexts:
- name: {ctx}
  context: {{cluster: sim, user: {user}, namespace: kc}}
current-context: {ctx}
""")
PY
}
# both FILE: kubectl and dify-tui `get pods` with FILE; k.out/o.out, krc/orc
both() {
    kubectl --kubeconfig "$1" get pods >"$TEST_TMP/k.out" 2>&1
    krc=$?
    "$BIN" --kubeconfig "$1" get pods >"$TEST_TMP/o.out" 2>&1
    orc=$?
}

# ---- YAML 1.1 scalars where a name belongs ----
for case in "y admin boolean" "n admin boolean" "yes admin boolean" "on admin boolean" \
    "OFF admin boolean" "123 admin number" "c y boolean" "c on boolean" "c 1.5 number"; do
    read -r -a f <<<"$case"
    set -- "${f[@]}"
    yamlkc "$TEST_TMP/kc-$1-$2.yaml" "$1" "$2"
    both "$TEST_TMP/kc-$1-$2.yaml"
    v=$([ "$1" = c ] && echo "$2" || echo "$1")
    check "context $1, user $2: kubectl refuses the file ($(head -c 150 "$TEST_TMP/k.out"))" \
        sh -c "[ $krc -ne 0 ] && grep -q 'cannot unmarshal ${3%ean} into' '$TEST_TMP/k.out'"
    check "context $1, user $2: refused too, said where and how to quote it (was $orc: $(head -c 200 "$TEST_TMP/o.out"))" \
        sh -c "[ $orc -eq 1 ] && grep -qF 'expected a string, got a $3 (an unquoted $v;' '$TEST_TMP/o.out' && grep -qF 'quote it: \"$v\"' '$TEST_TMP/o.out' && ! grep -q '^one ' '$TEST_TMP/o.out'"
done
yamlkc "$TEST_TMP/kc-quoted.yaml" '"y"' '"on"'
both "$TEST_TMP/kc-quoted.yaml"
check "quoted \"y\" and \"on\": kubectl lists" sh -c "[ $krc -eq 0 ] && grep -q '^one ' '$TEST_TMP/k.out'"
check "quoted \"y\" and \"on\": dify-tui lists too (was $orc: $(head -c 200 "$TEST_TMP/o.out"))" \
    sh -c "[ $orc -eq 0 ] && grep -q '^one ' '$TEST_TMP/o.out'"
"$BIN" --kubeconfig "$TEST_TMP/kc-quoted.yaml" --context y get pods >"$TEST_TMP/o.out" 2>&1
check "quoted: --context y finds it" grep -q '^one ' "$TEST_TMP/o.out"

# ---- oidc id-tokens kubectl refuses ----
b64() { python3 -c 'import base64,sys; print(base64.urlsafe_b64encode(sys.argv[1].encode()).rstrip(b"=").decode())' "$1"; }
H=$(b64 '{"alg":"RS256"}')
oidc() { # oidc NAME ID-TOKEN [ISSUER]: kubeconfig NAME.yaml with that provider
    # shellcheck disable=SC2016 # YAML's quotes, inside a double-quoted string
    local cfg="{client-id: k8s, id-token: '$2'${3+, idp-issuer-url: '$3'}}"
    yamlkc "$TEST_TMP/$1.yaml" x u "{auth-provider: {name: oidc, config: $cfg}}"
}
ISS=https://127.0.0.1:9/
for case in "notjwt|not-a-jwt|ID Token is not a valid JWT|is not a JWT (three parts" \
    "twoparts|$H.$(b64 '{"exp":4102444800}')|ID Token is not a valid JWT|is not a JWT (three parts" \
    "claims|$H.$(b64 'hello').c2ln|parsing claims|is not a JWT (its claims are not a JSON object)" \
    "strexp|$H.$(b64 '{"exp":"soon"}').c2ln|parsing claims|\"exp\" claim is not a number" \
    "noexp|$H.$(b64 '{"sub":"alice"}').c2ln|No valid id-token|has no \"exp\" claim"; do
    IFS='|' read -r name tok kwords owords <<<"$case"
    oidc "$name" "$tok" "$ISS"
    both "$TEST_TMP/$name.yaml"
    check "oidc $name: kubectl refuses it ($(tail -c 120 "$TEST_TMP/k.out" | tr '\n' ' '))" \
        sh -c "[ $krc -ne 0 ] && grep -qF '$kwords' '$TEST_TMP/k.out'"
    check "oidc $name: refused too, never sent (was $orc: $(head -c 200 "$TEST_TMP/o.out"))" \
        sh -c "[ $orc -eq 1 ] && grep -qF -- '$owords' '$TEST_TMP/o.out' && ! grep -q '401' '$TEST_TMP/o.out'"
done
oidc noissuer "$H.$(b64 '{"exp":4102444800}').c2ln"
both "$TEST_TMP/noissuer.yaml"
check "oidc without idp-issuer-url: kubectl refuses it" grep -q "Must provide idp-issuer-url" "$TEST_TMP/k.out"
check "oidc without idp-issuer-url: refused too (was $orc: $(head -c 200 "$TEST_TMP/o.out"))" \
    sh -c "[ $orc -eq 1 ] && grep -q 'no idp-issuer-url' '$TEST_TMP/o.out'"

# ---- a token not accepted, said once with kubectl's words ----
python3 - "$KUBECONFIG" "$TEST_TMP/kc-bad.json" <<'PY'
import json, sys
kc = json.load(open(sys.argv[1]))
kc["users"] = [{"name": "bad", "user": {"token": "not-the-token"}}]
kc["contexts"] = [{"name": "bad", "context": {"cluster": kc["clusters"][0]["name"], "user": "bad", "namespace": "kc"}}]
kc["current-context"] = "bad"
json.dump(kc, open(sys.argv[2], "w"))
PY
for w in "" "-w"; do
    kubectl --kubeconfig "$TEST_TMP/kc-bad.json" get pods $w >"$TEST_TMP/k.out" 2>&1
    krc=$?
    "$BIN" --kubeconfig "$TEST_TMP/kc-bad.json" get pods $w >"$TEST_TMP/o.out" 2>&1
    orc=$?
    check "get pods $w, 401: kubectl says 'You must be logged in' ($(head -c 120 "$TEST_TMP/k.out"))" \
        sh -c "[ $krc -eq 1 ] && grep -q '^error: You must be logged in to the server (Unauthorized)' '$TEST_TMP/k.out'"
    check "get pods $w, 401: exit 1, one line with kubectl's words (was $orc: $(head -c 300 "$TEST_TMP/o.out" | tr '\n' '|'))" \
        sh -c "[ $orc -eq 1 ] && [ \$(wc -l <'$TEST_TMP/o.out') -eq 1 ] && grep -q '^error: You must be logged in to the server (Unauthorized): the API server did not accept the credentials' '$TEST_TMP/o.out'"
done

# ---- a tokenFile that becomes valid while watching ----
python3 - "$KUBECONFIG" "$TEST_TMP/kc-tf.json" "$TEST_TMP/token" <<'PY'
import json, sys
kc = json.load(open(sys.argv[1]))
kc["users"] = [{"name": "tf", "user": {"tokenFile": sys.argv[3]}}]
kc["contexts"] = [{"name": "dify-sim", "context": {"cluster": kc["clusters"][0]["name"], "user": "tf", "namespace": "kc"}}]
kc["current-context"] = "dify-sim"
json.dump(kc, open(sys.argv[2], "w"))
PY
echo not-the-token >"$TEST_TMP/token"
"$BIN" --kubeconfig "$TEST_TMP/kc-tf.json" status --watch >"$TEST_TMP/w.out" 2>&1 &
W=$!
check "status --watch with a token not accepted: says so" \
    wait_for 100 grep -q "did not accept the credentials (401) to list pods" "$TEST_TMP/w.out"
tmux_server tr4kc
KUBECONFIG="$TEST_TMP/kc-tf.json" dash_open kc
check "dashboard with a token not accepted: says so" wait_for "did not accept the credentials"
echo "$SIM_ADMIN" >"$TEST_TMP/token.new"
mv "$TEST_TMP/token.new" "$TEST_TMP/token"
# the watch's backoff is at most 30 s (times 1.5 at worst): 50 s bounds it
check "status --watch: the rewritten token file is read, the refusal taken back" \
    wait_for 500 grep -q "refused pods: gone" "$TEST_TMP/w.out"
check "status --watch: the pod is listed then" wait_for 50 grep -q "pod/one" "$TEST_TMP/w.out"
check "dashboard: the refusal is gone without a restart" wait_gone "did not accept the credentials" 500
keys ':' 'pods' Enter
check "dashboard: the pod is listed" wait_for "one"
kill "$W"
wait "$W"
check "status --watch interrupted: exit 1" test $? -eq 1
dash_quit
sim_stop
done_testing
