#!/bin/bash
# tests/diagnose_cluster.sh: the cluster checks (DT-101..108) against
# dify-sim with the real kubectl making each fault: an API server that does
# not answer, a token it refuses, a read-only token, a namespace that does
# not exist, an amd64-only image on arm64 nodes, a claim naming a storage
# class that does not exist, an Ingress whose class has no controller (and
# an alb Ingress without the AWS Load Balancer Controller), a kubeconfig
# that skips TLS verification; each ok again after the fix.
. "$(dirname "$0")/lib.sh"
tmpdir_new
. "$top_srcdir/tests/simlib.sh"
. "$(dirname "$0")/diaglib.sh"

if ! need_tool kubectl || ! need_tool curl; then
    skip "cluster checks against dify-sim" "kubectl or curl is not installed"
    done_testing
    exit 0
fi

cat >"$TEST_TMP/scn.yaml" <<'EOF'
name: diagnose-cluster
objects:
  - {apiVersion: v1, kind: Namespace, metadata: {name: dify}}
EOF
sim_start --scenario "$TEST_TMP/scn.yaml" --speed 20 || {
    fail "dify-sim starts"
    done_testing
    exit 1
}
OUT="$TEST_TMP/out.json"
cl() { diag_run "$OUT" --kubeconfig "$KUBECONFIG" -n dify diagnose --json --only cluster "$@"; }

cl
for id in DT-101 DT-102 DT-103 DT-104 DT-105 DT-106 DT-108; do
    expect_status "healthy" "$OUT" "$id" ok
done
expect_status "healthy" "$OUT" DT-107 skipped
expect_rc "healthy" 0

# A read-only token may read, not change: a warning.
diag_run "$OUT" --kubeconfig "$KUBECONFIG" --context dify-sim-readonly -n dify diagnose --json --only DT-103
expect_status "read-only token" "$OUT" DT-103 warn
expect_rc "read-only token" 1
grep -q "patch deployments.apps" "$OUT" && ok "read-only token: the denied verbs are named" ||
    fail "read-only token: the denied verbs are named"

# A namespace that does not exist.
diag_run "$OUT" --kubeconfig "$KUBECONFIG" -n nosuch diagnose --json --only DT-104
expect_status "missing namespace" "$OUT" DT-104 fail
grep -q '"try":"kubectl create namespace nosuch"' "$OUT" && ok "missing namespace: the command" ||
    fail "missing namespace: the command"

# A token the server refuses; a server that is not there.
sed "s/$SIM_ADMIN/not-a-valid-token/" "$KUBECONFIG" >"$TEST_TMP/kc-badtoken"
diag_run "$OUT" --kubeconfig "$TEST_TMP/kc-badtoken" -n dify diagnose --json --only DT-101,DT-102
expect_status "refused token" "$OUT" DT-101 ok
expect_status "refused token" "$OUT" DT-102 fail
PORT=$(echo "$SIM_SERVER" | sed 's/.*://')
DEAD=$(free_port)
sed "s/127.0.0.1:$PORT/127.0.0.1:$DEAD/" "$KUBECONFIG" >"$TEST_TMP/kc-dead"
diag_run "$OUT" --kubeconfig "$TEST_TMP/kc-dead" -n dify diagnose --json --only cluster
expect_status "no API server" "$OUT" DT-101 fail
expect_status "no API server" "$OUT" DT-105 skipped
expect_rc "no API server" 2

# insecure-skip-tls-verify: the CA replaced by the flag.
sed 's/"certificate-authority-data":"[^"]*"/"insecure-skip-tls-verify":true/' "$KUBECONFIG" >"$TEST_TMP/kc-insecure"
diag_run "$OUT" --kubeconfig "$TEST_TMP/kc-insecure" -n dify diagnose --json --only DT-108
expect_status "insecure-skip-tls-verify" "$OUT" DT-108 warn
# A plain http:// server (kubectl proxy, or a mistake): no TLS to verify,
# which is not "verified".
sed "s|https://127.0.0.1:$PORT|http://127.0.0.1:$DEAD|" "$KUBECONFIG" >"$TEST_TMP/kc-http"
diag_run "$OUT" --kubeconfig "$TEST_TMP/kc-http" -n dify diagnose --json --only DT-108
expect_status "plain http server" "$OUT" DT-108 warn

# An amd64-only enterprise image on the simulator's arm64 nodes; fixed with
# the -arm64 tag.
kubectl -n dify create deployment dify-enterprise --image=langgenius/dify-enterprise:0.12.1 >/dev/null
cl
expect_status "amd64-only image" "$OUT" DT-105 fail
kubectl -n dify set image deployment/dify-enterprise dify-enterprise=langgenius/dify-enterprise:0.12.1-arm64 >/dev/null
cl
expect_status "amd64-only image fixed" "$OUT" DT-105 ok

# A claim naming a class that does not exist, then the class.
kubectl -n dify apply -f - >/dev/null <<'EOF'
{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"plugins"},
 "spec":{"storageClassName":"fast-rwx","accessModes":["ReadWriteMany"],"resources":{"requests":{"storage":"1Gi"}}}}
EOF
cl
expect_status "missing storage class" "$OUT" DT-106 fail
kubectl apply -f - >/dev/null <<'EOF'
{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"fast-rwx"},"provisioner":"efs.csi.aws.com"}
EOF
cl
expect_status "storage class created" "$OUT" DT-106 ok

# ReadWriteMany from a driver that offers only ReadWriteOnce.
kubectl apply -f - >/dev/null <<'EOF'
{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"gp3"},"provisioner":"ebs.csi.aws.com","volumeBindingMode":"WaitForFirstConsumer"}
EOF
kubectl -n dify apply -f - >/dev/null <<'EOF'
{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"shared"},
 "spec":{"storageClassName":"gp3","accessModes":["ReadWriteMany"],"resources":{"requests":{"storage":"1Gi"}}}}
EOF
cl
expect_status "RWX on EBS" "$OUT" DT-106 fail
grep -q "offers only ReadWriteOnce" "$OUT" && ok "RWX on EBS: said so" || fail "RWX on EBS: said so"
kubectl -n dify delete pvc shared >/dev/null

# An Ingress whose class nobody serves, then the class.
kubectl -n dify apply -f - >/dev/null <<'EOF'
{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"dify"},
 "spec":{"ingressClassName":"nginx","rules":[{"host":"dify.example.com","http":{"paths":[
  {"path":"/","pathType":"Prefix","backend":{"service":{"name":"dify-web","port":{"number":3000}}}}]}}]}}
EOF
cl
expect_status "no ingress class" "$OUT" DT-107 fail
kubectl apply -f - >/dev/null <<'EOF'
{"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"nginx"},"spec":{"controller":"k8s.io/ingress-nginx"}}
EOF
cl
expect_status "ingress class created" "$OUT" DT-107 ok

# alb: the class exists, the controller does not; then it does.
kubectl apply -f - >/dev/null <<'EOF'
{"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"alb"},"spec":{"controller":"ingress.k8s.aws/alb"}}
EOF
kubectl -n dify patch ingress dify --type=merge -p '{"spec":{"ingressClassName":"alb"}}' >/dev/null
cl
expect_status "alb without its controller" "$OUT" DT-107 fail
grep -q "helm install aws-load-balancer-controller" "$OUT" && ok "alb: the install command" ||
    fail "alb: the install command"
kubectl create namespace kube-system >/dev/null 2>&1
kubectl -n kube-system create deployment aws-load-balancer-controller --image=public.ecr.aws/eks/aws-load-balancer-controller:v2.8.2 >/dev/null
kubectl -n kube-system rollout status deployment/aws-load-balancer-controller --timeout=60s >/dev/null
cl
expect_status "alb with its controller" "$OUT" DT-107 ok
expect_rc "everything fixed" 0

sim_stop
done_testing
