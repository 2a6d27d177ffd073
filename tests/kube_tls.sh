#!/bin/sh
# tests/kube_tls.sh: the client over HTTPS, as against a real API server or
# dify-sim: a CA from certificate-authority-data and from a relative
# certificate-authority file, tls-server-name, a client certificate, and a
# clear error without the CA. A small Python TLS server on loopback stands in
# for the API server (skipped when python3 or openssl is missing).
. "$top_srcdir/tests/lib.sh"
BIN=$top_builddir/dify-tui
if ! need_tool python3 || ! need_tool openssl; then
    skip "kube over TLS" "python3 and openssl are needed"
    done_testing
    exit 0
fi
tmpdir_new
NO_PROXY=127.0.0.1,localhost
export NO_PROXY
cd "$TEST_TMP" || exit 1
mk() { openssl "$@" >/dev/null 2>&1; }
mk req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=test-ca
mk req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=127.0.0.1
printf 'subjectAltName=IP:127.0.0.1,DNS:kubernetes.default\n' >srv.ext
mk x509 -req -in srv.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out srv.crt -days 2 -extfile srv.ext
mk req -newkey rsa:2048 -nodes -keyout cli.key -out cli.csr -subj /CN=admin
mk x509 -req -in cli.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out cli.crt -days 2
cat >srv.py <<'EOF_PY'
import http.server, json, ssl
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        cert = self.connection.getpeercert()
        ok = self.headers.get("Authorization") == "Bearer tls-token" or cert is not None
        body = json.dumps({"kind": "PodList", "metadata": {"resourceVersion": "1"},
                           "items": [{"metadata": {"name": "tls-pod", "namespace": "dify"}}]}).encode()
        if not ok:
            body = b'{"kind":"Status","message":"Unauthorized","code":401}'
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain("srv.crt", "srv.key")
ctx.load_verify_locations("ca.crt")
ctx.verify_mode = ssl.CERT_OPTIONAL
s.socket = ctx.wrap_socket(s.socket, server_side=True)
open("port.tmp", "w").write(str(s.server_address[1]))
import os; os.rename("port.tmp", "port")
s.serve_forever()
EOF_PY
python3 srv.py &
SRV_PID=$!
TEST_CLEANUP="kill $SRV_PID 2>/dev/null"
i=0
while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
P=$(cat port)
CA=$(base64 -w0 ca.crt)
ctx='contexts: [{name: t, context: {cluster: t, user: u, namespace: dify}}]
current-context: t'
printf 'clusters: [{name: t, cluster: {server: "https://127.0.0.1:%s", certificate-authority-data: "%s"}}]\n%s\nusers: [{name: u, user: {token: tls-token}}]\n' "$P" "$CA" "$ctx" >kc-data
mkdir -p sub
printf 'clusters: [{name: t, cluster: {server: "https://127.0.0.1:%s", certificate-authority: ../ca.crt, tls-server-name: kubernetes.default}}]\n%s\nusers: [{name: u, user: {token: tls-token}}]\n' "$P" "$ctx" >sub/kc-file
printf 'clusters: [{name: t, cluster: {server: "https://127.0.0.1:%s", certificate-authority: ca.crt}}]\n%s\nusers: [{name: u, user: {client-certificate: cli.crt, client-key: cli.key}}]\n' "$P" "$ctx" >kc-cert
printf 'clusters: [{name: t, cluster: {server: "https://127.0.0.1:%s"}}]\n%s\nusers: [{name: u, user: {token: tls-token}}]\n' "$P" "$ctx" >kc-noca

for kc in kc-data sub/kc-file kc-cert; do
    out=$("$BIN" --kubeconfig "$kc" get pods -o name 2>err)
    if [ "$out" = "pod/tls-pod" ]; then ok "https with $kc"; else sed 's/^/# /' err; fail "https with $kc"; fi
done
if "$BIN" --kubeconfig kc-noca get pods -o name 2>err; then
    fail "https without the CA is refused"
elif grep -q "SSL certificate problem" err; then
    ok "https without the CA is refused"
else
    sed 's/^/# /' err
    fail "https without the CA is refused"
fi
done_testing
