#!/bin/bash
# tests/diagnose_sim.sh: the workload, secret, plugin daemon, ingress, IRSA
# and migration checks against dify-sim's Dify model (real PostgreSQL and
# Redis behind it). The existing-manifests example is rendered and applied;
# `diagnose --json` on it exits 0. Then one fault at a time, each made for
# real with kubectl (a wrong database password that crash-loops the plugin
# daemon, a daemon key that is not the api's, a daemon of another release,
# plugins on an emptyDir, a secret in a ConfigMap, the console's route
# missing from the Ingress, a role annotation left a placeholder, pods older
# than their ServiceAccount's role, a ServiceAccount owned by Terraform and
# Helm, the api migrating beside the Job), each check giving its status and
# ok again after the fix. Last, TLS certificates served by a real server.
. "$(dirname "$0")/lib.sh"
tmpdir_new
. "$top_srcdir/tests/simlib.sh"
. "$(dirname "$0")/diaglib.sh"

if ! need_tool kubectl || ! need_tool curl || ! need_tool psql; then
    skip "diagnose against the Dify model" "kubectl, curl or psql is not installed"
    done_testing
    exit 0
fi
if ! need_stores; then
    skip "diagnose against the Dify model" "$STORES_WHY"
    done_testing
    exit 0
fi

DB_PW=diagDbPassw0rd4tests2026
REDIS_PW=diagRedisPassw0rd4tests26
SUPER_PW=diagSuperuser4tests
NS=dify
W="$TEST_TMP/w"
mkdir -p "$W"
cp -r "$top_srcdir/assets/examples/files" "$W/"
sed 's/^method: helm/method: manifests/' "$top_srcdir/assets/examples/existing-manifests.yaml" \
    >"$W/answers.yaml"
DIFY_DB_PASSWORD=$DB_PW DIFY_REDIS_PASSWORD=$REDIS_PW \
    "$DIFY_TUI" render --answers "$W/answers.yaml" --out "$W/r" >"$TEST_TMP/render.out" 2>&1 || {
    sed 's/^/# /' "$TEST_TMP/render.out"
    fail "the example renders"
    done_testing
    exit 1
}
# the hosts DNS would point at the ingress: names that resolve here
sed -i 's/host: dify-api.example.com/host: localhost/; s/host: dify.example.com/host: localhost/' \
    "$W"/r/manifests/4*-ingress.yaml

stores_scenario diagnose-dify >"$TEST_TMP/scn.yaml"
if ! sim_start_stores "$TEST_TMP/scn.yaml"; then
    fail "dify-sim starts with data stores"
    done_testing
    exit 1
fi
PGPORT=$(sim_port PostgreSQL)
RPORT=$(sim_port Redis)
printf 'db_password: %s\nredis_password: %s\n' "$DB_PW" "$REDIS_PW" >"$W/answers.secrets.yaml"
chmod 600 "$W/answers.secrets.yaml"

rollouts() {
    local d
    for d in $(kubectl get deploy -n $NS -o name); do
        kubectl rollout status -n $NS "$d" --timeout=120s >/dev/null || return 1
    done
}
migration_job() { kubectl get jobs -n $NS -o name | grep db-migrat | head -n 1; }
kubectl apply -f "$W/r/manifests" >"$TEST_TMP/apply.out" 2>&1 || { sed 's/^/# /' "$TEST_TMP/apply.out"; fail "applied"; }
check "the install rolls out" rollouts
check "the migration Job completes" kubectl wait -n $NS --for=condition=complete "$(migration_job)" --timeout=120s

R="$TEST_TMP/out.json"
# dg ARGS...: diagnose --json against the simulator, the stores reached at
# their real ports
dg() {
    diag_run "$R" --kubeconfig "$KUBECONFIG" -n $NS diagnose --json --answers "$W/answers.yaml" \
        --db "127.0.0.1:$PGPORT" --redis "127.0.0.1:$RPORT" --timeout 30 "$@"
}
has() { if grep -q -- "$3" "$2"; then ok "$1"; else fail "$1"; sed 's/^/# /' "$2" | head -c 3000; echo; fi; }
statuses() { grep -o '"id":"DT-[0-9]*","area":"[a-z]*","title":"[^"]*","status":"[a-z]*"' "$R" |
    sed 's/"id":"\([^"]*\)".*"status":"\([a-z]*\)"/\1 \2/' | tr '\n' ' '; }

dg
expect_rc "healthy install: every check" 0
diag "healthy: $(statuses)"

# (patch_secret and restart: tests/simlib.sh)
crashing() { kubectl get pods -n $NS --no-headers | grep plugin-daemon | grep -q CrashLoopBackOff; }

# 1. the plugin daemon's database password is wrong: it crash-loops, and its
# previous log holds 28P01
patch_secret dify-plugin-daemon-secrets DB_PASSWORD not-the-password
restart dify-plugin-daemon
wait_for 200 crashing
dg --only workloads DT-401
expect_status "daemon with a wrong DB password" "$R" DT-201 fail
expect_status "daemon with a wrong DB password" "$R" DT-202 fail
has "the crash loop is explained by its 28P01" "$R" "28P01"
expect_rc "broken install" 2
# the login check tries the daemon's own login beside the api's
expect_status "daemon with a wrong DB password: the login check" "$R" DT-401 fail
has "DT-401 names the daemon's refused password" "$R" "refuses the plugin daemon's password for user dify (28P01); the api's login works"
if grep -q -e "not-the-password" -e "$DB_PW" "$R"; then fail "DT-401: no password shown"; else ok "DT-401: no password shown"; fi
patch_secret dify-plugin-daemon-secrets DB_PASSWORD "$DB_PW"
restart dify-plugin-daemon
kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s >/dev/null
dg --only workloads DT-401
expect_status "DB password fixed" "$R" DT-201 ok
expect_status "DB password fixed" "$R" DT-202 ok
expect_status "DB password fixed" "$R" DT-401 ok

# 2. the daemon's SERVER_KEY is not the api's PLUGIN_DAEMON_KEY
key=$(kubectl get secret -n $NS dify-secrets -o jsonpath='{.data.PLUGIN_DAEMON_KEY}' | base64 -d)
patch_secret dify-plugin-daemon-secrets SERVER_KEY another-key-for-the-daemon
restart dify-plugin-daemon
kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s >/dev/null
dg --only secrets,daemon
expect_status "key mismatch" "$R" DT-302 fail
expect_status "key mismatch" "$R" DT-602 fail
has "key mismatch: the daemon's answer" "$R" "401"
if grep -q -e "another-key-for-the-daemon" -e "$key" "$R"; then fail "key mismatch: no key shown"; else ok "key mismatch: no key shown"; fi
patch_secret dify-plugin-daemon-secrets SERVER_KEY "$key"
restart dify-plugin-daemon
kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s >/dev/null
dg --only secrets,daemon
expect_status "keys match" "$R" DT-302 ok
expect_status "keys match" "$R" DT-602 ok

# 3. a plugin daemon of another release
good=$(kubectl get deploy -n $NS dify-plugin-daemon -o jsonpath='{.spec.template.spec.containers[0].image}')
kubectl set image -n $NS deploy/dify-plugin-daemon "plugin-daemon=langgenius/dify-plugin-daemon:0.2.0-local" >/dev/null
kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s >/dev/null
dg --only daemon
expect_status "version skew" "$R" DT-603 fail
# the api's release lists trigger providers; this daemon's release has no
# such route: 404, told from a key mismatch, with the daemon to run
expect_status "version skew: the api's call" "$R" DT-602 fail
has "version skew: the api's call is the triggers route" "$R" "management/triggers"
has "version skew: DT-602 says 404 is skew" "$R" "version skew: the daemon answers 404"
has "version skew: DT-602's remedy runs the daemon of the api's release" "$R" "set image deployment/dify-plugin-daemon plugin-daemon=langgenius/dify-plugin-daemon:"
kubectl set image -n $NS deploy/dify-plugin-daemon "plugin-daemon=$good" >/dev/null
kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s >/dev/null
dg --only daemon
expect_status "one release again" "$R" DT-603 ok
expect_status "one release again" "$R" DT-602 ok

# 4. plugins on an emptyDir
vols=$(kubectl get deploy -n $NS dify-plugin-daemon -o jsonpath='{.spec.template.spec.volumes}')
vname=$(kubectl get deploy -n $NS dify-plugin-daemon -o jsonpath='{.spec.template.spec.volumes[0].name}')
kubectl patch -n $NS deploy/dify-plugin-daemon --type=json -p \
    "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/volumes/0\",\"value\":{\"name\":\"$vname\",\"emptyDir\":{}}}]" >/dev/null
kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s >/dev/null
dg --only DT-604
expect_status "plugins on an emptyDir" "$R" DT-604 fail
kubectl patch -n $NS deploy/dify-plugin-daemon --type=json -p \
    "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/volumes\",\"value\":$vols}]" >/dev/null
kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s >/dev/null
dg --only DT-604
expect_status "plugins on the claim again" "$R" DT-604 ok

# 5. a secret in a ConfigMap
kubectl create configmap -n $NS leaked --from-literal=SECRET_KEY=sk-leaked-in-a-configmap-123 >/dev/null
dg --only DT-301
expect_status "SECRET_KEY in a ConfigMap" "$R" DT-301 fail
if grep -q "sk-leaked-in-a-configmap-123" "$R"; then fail "the leaked value is not shown"; else ok "the leaked value is not shown"; fi
kubectl delete configmap -n $NS leaked >/dev/null
dg --only DT-301
expect_status "ConfigMap removed" "$R" DT-301 ok

# 6. the console's API route missing from the Ingress: it falls through to web
for ing in dify-web dify-api; do
    kubectl patch -n $NS ingress $ing --type=json -p '[{"op":"remove","path":"/spec/rules/0/http/paths/0"}]' >/dev/null
done
dg --only ingress
expect_status "no /console/api route" "$R" DT-701 fail
has "no /console/api route: said so" "$R" "no host sends /console/api to the api"
expect_status "the host resolves" "$R" DT-702 ok
expect_status "no TLS" "$R" DT-703 skipped
kubectl apply -f "$W/r/manifests/40-web-ingress.yaml" -f "$W/r/manifests/41-api-ingress.yaml" >/dev/null
dg --only ingress
expect_status "routes restored" "$R" DT-701 ok
# a route to a Service port that does not exist
kubectl patch -n $NS ingress dify-api --type=json -p \
    '[{"op":"replace","path":"/spec/rules/0/http/paths/2/backend/service/port/number","value":80}]' >/dev/null
dg --only DT-701
expect_status "a port the Service lacks" "$R" DT-701 fail
kubectl apply -f "$W/r/manifests/41-api-ingress.yaml" >/dev/null
# a host that does not resolve
kubectl patch -n $NS ingress dify-web --type=json -p \
    '[{"op":"replace","path":"/spec/rules/0/host","value":"dify.invalid"}]' >/dev/null
dg --only DT-702
expect_status "a host without DNS" "$R" DT-702 fail
kubectl apply -f "$W/r/manifests/40-web-ingress.yaml" >/dev/null
dg --only DT-702
expect_status "hosts resolve again" "$R" DT-702 ok

# 7. IRSA: the api's ServiceAccount with a placeholder role, then a real one
# set after its pods started, then pods made again
kubectl create serviceaccount -n $NS dify-api >/dev/null
kubectl patch -n $NS deploy/dify-api -p '{"spec":{"template":{"spec":{"serviceAccountName":"dify-api"}}}}' >/dev/null
kubectl rollout status -n $NS deploy/dify-api --timeout=120s >/dev/null
kubectl annotate -n $NS serviceaccount dify-api "eks.amazonaws.com/role-arn=arn:aws:iam::@@aws_account_id@@:role/DifyEE-Role-x-s3" >/dev/null
dg --only irsa
expect_status "placeholder role" "$R" DT-801 fail
has "placeholder role: said so" "$R" "placeholder"
sleep 1.1 # the annotation's time is in whole seconds
kubectl annotate --overwrite -n $NS serviceaccount dify-api "eks.amazonaws.com/role-arn=arn:aws:iam::123456789012:role/DifyEE-Role-x-s3" >/dev/null
dg --only irsa
expect_status "a role ARN" "$R" DT-801 ok
expect_status "pods older than the role" "$R" DT-802 fail
sleep 1.1
restart dify-api
kubectl rollout status -n $NS deploy/dify-api --timeout=120s >/dev/null
wait_for 100 sh -c "[ \$(kubectl get pods -n $NS --no-headers | grep -c dify-api) = 1 ]"
dg --only irsa
expect_status "pods made after the role" "$R" DT-802 ok
expect_status "one owner" "$R" DT-803 ok
# a ServiceAccount Terraform made (with its role, as the stack makes them)
# and a Helm release claims
printf '{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"dify-worker","namespace":"%s","annotations":{"eks.amazonaws.com/role-arn":"arn:aws:iam::123456789012:role/DifyEE-Role-x-s3"}}}' $NS |
    kubectl apply --server-side --field-manager=Terraform -f - >/dev/null
kubectl label -n $NS serviceaccount dify-worker app.kubernetes.io/managed-by=Helm >/dev/null
kubectl annotate -n $NS serviceaccount dify-worker meta.helm.sh/release-name=dify >/dev/null
dg --only DT-803
expect_status "Terraform and Helm own one ServiceAccount" "$R" DT-803 fail
kubectl label -n $NS serviceaccount dify-worker app.kubernetes.io/managed-by- >/dev/null
kubectl annotate -n $NS serviceaccount dify-worker meta.helm.sh/release-name- >/dev/null
dg --only DT-803
expect_status "Helm let go" "$R" DT-803 ok

# 8. the api migrates at start beside the Job
kubectl set env -n $NS deploy/dify-api MIGRATION_ENABLED=true >/dev/null
kubectl rollout status -n $NS deploy/dify-api --timeout=120s >/dev/null
dg --only migration
expect_status "the api migrates too" "$R" DT-902 fail
kubectl set env -n $NS deploy/dify-api MIGRATION_ENABLED=false >/dev/null
kubectl rollout status -n $NS deploy/dify-api --timeout=120s >/dev/null
dg --only migration
expect_status "only the Job migrates" "$R" DT-901 ok
expect_status "only the Job migrates" "$R" DT-902 ok

# 9. TLS: the certificate a real TLS server serves for the Ingress's host
if need_tool openssl; then
    kubectl patch -n $NS ingress dify-web --type=merge -p '{"spec":{"tls":[{"hosts":["localhost"],"secretName":"dify-tls"}]}}' >/dev/null
    TLSPORT=$(free_port)
    tls_server() {
        openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days "$1" \
            -keyout "$TEST_TMP/tls.key" -out "$TEST_TMP/tls.crt" >/dev/null 2>&1
        openssl s_server -quiet -accept "127.0.0.1:$TLSPORT" -cert "$TEST_TMP/tls.crt" \
            -key "$TEST_TMP/tls.key" -www >/dev/null 2>&1 &
        TLSPID=$!
        TEST_CLEANUP="kill $TLSPID 2>/dev/null; ${TEST_CLEANUP:-}"
        wait_for 50 bash -c "exec 3<>/dev/tcp/127.0.0.1/$TLSPORT"
    }
    tls_server 5
    DIFY_TUI_INGRESS_HTTPS_PORT=$TLSPORT dg --only DT-703
    expect_status "a certificate expiring in 5 days" "$R" DT-703 warn
    has "the expiry is shown" "$R" "expires"
    kill $TLSPID
    wait $TLSPID 2>/dev/null
    tls_server 90
    DIFY_TUI_INGRESS_HTTPS_PORT=$TLSPORT dg --only DT-703
    expect_status "a certificate for 90 days" "$R" DT-703 ok
    kill $TLSPID
else
    skip "TLS certificate checks" "openssl is not installed"
fi

done_testing
