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
def pod(name):
    return {"metadata": {"name": name, "namespace": "big", "uid": "u-" + name,
                         "resourceVersion": "2"}}
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        if "/namespaces/big/" in self.path and "watch=" in self.path:
            # three events, each its own write (its own TLS record), sent
            # at once, then the stream stays open and quiet: the client
            # must not leave the last two inside OpenSSL's read-ahead
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for n in ("w1", "w2", "w3"):
                line = (json.dumps({"type": "ADDED", "object": pod(n)}) + "\n").encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            import time; time.sleep(30)
            return
        if "/namespaces/big/" in self.path:
            # a list of many TLS records
            body = json.dumps({"kind": "PodList", "metadata": {"resourceVersion": "1"},
                               "items": [pod("big-%04d" % i) for i in range(3000)]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
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
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
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
# A list of many TLS records, and a watch whose events came in one burst:
# every event shown while the stream stays open (OpenSSL reads ahead of curl:
# core/kube_http.c http_drive_held).
n=$("$BIN" --kubeconfig kc-data -n big get pods -o name 2>err | grep -c '^pod/big-')
if [ "$n" = 3000 ]; then ok "https: a list of many records"; else sed 's/^/# /' err; fail "https: a list of many records ($n of 3000)"; fi
"$BIN" --kubeconfig kc-data -n big get pods -w >wout 2>werr &
WPID=$!
i=0
while ! grep -q "^w3 " wout && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
kill $WPID 2>/dev/null
wait $WPID 2>/dev/null
if grep -q "^w1 " wout && grep -q "^w2 " wout && grep -q "^w3 " wout; then
    ok "https: a burst of watch events, all shown while the stream is quiet"
else
    sed 's/^/# /' wout werr
    fail "https: a burst of watch events, all shown while the stream is quiet"
fi
if "$BIN" --kubeconfig kc-noca get pods -o name 2>err; then
    fail "https without the CA is refused"
elif grep -q "SSL certificate problem" err; then
    ok "https without the CA is refused"
else
    sed 's/^/# /' err
    fail "https without the CA is refused"
fi
done_testing
