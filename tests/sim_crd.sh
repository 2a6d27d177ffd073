#!/bin/sh
# tests/sim_crd.sh: CustomResourceDefinitions in dify-sim with the real
# kubectl: a definition is applied and becomes Established, its kind appears
# in discovery (kubectl api-resources, short names), instances are applied
# (client- and server-side), listed, read, patched (status subresource too),
# watched and deleted; bad instances and bad definitions get the real 422;
# a cluster-scoped kind; deleting the definition deletes its instances and
# stops serving the kind.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

need_or_skip "custom resources in dify-sim" kubectl curl
tmpdir_new
# kubectl caches discovery under HOME: a fresh one, as a new user has
export HOME="$TEST_TMP/home"
mkdir -p "$HOME"
if ! sim_start --speed 10; then
    fail "dify-sim starts and answers"
    done_testing
    exit 1
fi
ok "dify-sim starts"

cat >"$TEST_TMP/crd.yaml" <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.dify.example.com
spec:
  group: dify.example.com
  scope: Namespaced
  names: {plural: backups, singular: backup, kind: Backup, shortNames: [bk]}
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [schedule]
            properties:
              schedule: {type: string}
              retain: {type: integer}
              s3:
                type: object
                properties:
                  bucket: {type: string}
                  secretAccessKey: {type: string}
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
YAML
cat >"$TEST_TMP/nightly.yaml" <<'YAML'
apiVersion: dify.example.com/v1alpha1
kind: Backup
metadata: {name: nightly, namespace: default}
spec:
  schedule: "0 3 * * *"
  retain: 7
  s3: {bucket: dify-backups, secretAccessKey: crdSecretValue2026}
YAML

check "kubectl apply creates the CustomResourceDefinition" kubectl apply -f "$TEST_TMP/crd.yaml"
check "kubectl wait: it becomes Established" \
    kubectl wait --for condition=established --timeout=20s crd/backups.dify.example.com
check "its status accepted the names (listKind BackupList) and stores v1alpha1" \
    sh -c '[ "$(kubectl get crd backups.dify.example.com -o jsonpath="{.status.acceptedNames.listKind} {.status.storedVersions[0]}")" = "BackupList v1alpha1" ]'
kubectl api-resources >"$TEST_TMP/ar" 2>&1
check "kubectl api-resources lists backups (bk, dify.example.com/v1alpha1, namespaced)" \
    grep -Eq '^backups +bk +dify.example.com/v1alpha1 +true +Backup' "$TEST_TMP/ar"
check "kubectl api-resources lists customresourcedefinitions" \
    grep -Eq '^customresourcedefinitions +crd,crds +apiextensions.k8s.io/v1 +false' "$TEST_TMP/ar"
check "kubectl apply creates an instance" kubectl apply -f "$TEST_TMP/nightly.yaml"
check "kubectl get backups lists it" sh -c 'kubectl get backups | grep -q "^nightly "'
check "kubectl get bk (the short name) reads it back" \
    sh -c '[ "$(kubectl get bk nightly -o jsonpath="{.spec.s3.bucket} {.spec.retain}")" = "dify-backups 7" ]'
check "kubectl apply --server-side applies it again" \
    kubectl apply --server-side -f "$TEST_TMP/nightly.yaml"
check "a merge patch changes spec and bumps generation" \
    sh -c 'kubectl patch backup nightly --type merge -p "{\"spec\":{\"retain\":8}}" >/dev/null &&
           [ "$(kubectl get backup nightly -o jsonpath="{.spec.retain} {.metadata.generation}")" = "8 2" ]'
check "the status subresource writes the status only" \
    sh -c 'kubectl patch backup nightly --subresource status --type merge -p "{\"status\":{\"phase\":\"Done\"},\"spec\":{\"retain\":1}}" >/dev/null &&
           [ "$(kubectl get backup nightly -o jsonpath="{.status.phase} {.spec.retain}")" = "Done 8" ]'
check "a status in a main-resource write is ignored" \
    sh -c 'kubectl patch backup nightly --type merge -p "{\"status\":{\"phase\":\"X\"}}" >/dev/null &&
           [ "$(kubectl get backup nightly -o jsonpath="{.status.phase}")" = Done ]'

sed 's/retain: 7/retain: seven/; s/nightly/bad1/' "$TEST_TMP/nightly.yaml" >"$TEST_TMP/bad1.yaml"
kubectl apply -f "$TEST_TMP/bad1.yaml" >"$TEST_TMP/bad1.out" 2>&1
check "a wrongly typed field is the real 422" \
    grep -qF 'The Backup "bad1" is invalid: spec.retain: Invalid value: "string": spec.retain in body must be of type integer: "string"' "$TEST_TMP/bad1.out"
sed '/schedule/d; s/nightly/bad2/' "$TEST_TMP/nightly.yaml" >"$TEST_TMP/bad2.yaml"
kubectl apply -f "$TEST_TMP/bad2.yaml" >"$TEST_TMP/bad2.out" 2>&1
check "a missing required field is the real 422" \
    grep -qF 'The Backup "bad2" is invalid: spec.schedule: Required value' "$TEST_TMP/bad2.out"
sed 's/name: backups.dify.example.com/name: wrong.dify.example.com/' "$TEST_TMP/crd.yaml" |
    kubectl apply -f - >"$TEST_TMP/badcrd.out" 2>&1
check "a definition whose name is not PLURAL.GROUP is refused" \
    grep -qF 'metadata.name: Invalid value: "wrong.dify.example.com": must be spec.names.plural+"."+spec.group' "$TEST_TMP/badcrd.out"

# a watch sees an instance come and go
kubectl get backups --watch -o name >"$TEST_TMP/watch.out" 2>&1 &
wpid=$!
sleep 1
sed 's/nightly/weekly/' "$TEST_TMP/nightly.yaml" | kubectl apply -f - >/dev/null
kubectl delete backup weekly >/dev/null
seen_weekly() { [ "$(grep -c 'backup.dify.example.com/weekly' "$TEST_TMP/watch.out")" -ge 2 ]; }
check "kubectl get --watch sees an instance created and deleted" wait_for 100 seen_weekly
kill $wpid 2>/dev/null
wait $wpid 2>/dev/null

# paging and a label selector over instances
for i in 1 2 3; do
    sed "s/nightly/page$i/; s/namespace: default}/namespace: default, labels: {tier: t$((i % 2))}}/" \
        "$TEST_TMP/nightly.yaml" | kubectl apply -f - >/dev/null
done
check "kubectl pages through instances (--chunk-size 2)" \
    sh -c '[ "$(kubectl get backups --chunk-size 2 -o name | wc -l)" -eq 4 ]'
check "a label selector picks instances" \
    sh -c '[ "$(kubectl get backups -l tier=t1 -o name | tr "\n" " ")" = "backup.dify.example.com/page1 backup.dify.example.com/page3 " ]'

# a cluster-scoped kind with two versions
cat >"$TEST_TMP/crd2.yaml" <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: stores.dify.example.com}
spec:
  group: dify.example.com
  scope: Cluster
  names: {plural: stores, kind: Store}
  versions:
  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
  - {name: v1beta1, served: true, storage: false, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
YAML
kubectl apply -f "$TEST_TMP/crd2.yaml" >/dev/null
kubectl wait --for condition=established --timeout=20s crd/stores.dify.example.com >/dev/null
printf 'apiVersion: dify.example.com/v1\nkind: Store\nmetadata: {name: s3}\nspec: {kind: s3}\n' |
    kubectl apply -f - >/dev/null 2>"$TEST_TMP/store.err"
check "a cluster-scoped instance is created and read without a namespace" \
    sh -c '[ "$(kubectl get stores s3 -o jsonpath={.spec.kind})" = s3 ]'
check "its versions are served (v1 and v1beta1 paths)" \
    sh -c 'kubectl get --raw /apis/dify.example.com/v1beta1/stores >/dev/null &&
           kubectl get --raw /apis/dify.example.com | grep -q "\"preferredVersion\":{\"groupVersion\":\"dify.example.com/v1alpha1\""'

check "deleting the definition deletes its instances" \
    sh -c 'kubectl delete crd backups.dify.example.com >/dev/null && ! kubectl get --raw /apis/dify.example.com/v1alpha1/namespaces/default/backups/nightly >/dev/null 2>&1'
kubectl api-resources >"$TEST_TMP/ar2" 2>&1
check "and stops serving the kind (api-resources no longer lists backups)" \
    sh -c "! grep -q '^backups ' '$TEST_TMP/ar2' && grep -q '^stores ' '$TEST_TMP/ar2'"
reapplied_empty() {
    kubectl apply -f "$TEST_TMP/crd.yaml" >/dev/null &&
        kubectl wait --for condition=established --timeout=20s crd/backups.dify.example.com >/dev/null &&
        kubectl get backups -A -o name >"$TEST_TMP/again" && [ ! -s "$TEST_TMP/again" ]
}
check "the definition applied again serves an empty kind" reapplied_empty

sim_stop
done_testing
