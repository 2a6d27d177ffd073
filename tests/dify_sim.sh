#!/bin/sh
# tests/dify_sim.sh: the Dify model of dify-sim against a real PostgreSQL and
# Redis, with the real kubectl. Each example of assets/examples, rendered
# as manifests with the database's and Redis's real passwords, is applied:
# every Deployment rolls out, the migration Job completes, and the health
# endpoints answer through the service proxy. Then one fault at a time
# (a wrong database password, a missing plugin database, a wrong Redis
# password, a plugin daemon key mismatch, a version skew, a missing
# migration), each showing the real server's error in the pod's log and the
# state Kubernetes shows, and each fixed and recovered without restarting
# the simulator. Last, plugins on an emptyDir are lost with their pod.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

if ! need_tool kubectl || ! need_tool curl || ! need_tool psql; then
    skip "Dify in the simulator" "kubectl, curl or psql is not installed"
    done_testing
    exit 0
fi
tmpdir_new

# A scenario without data stores starts none: dify-sim has no child.
if sim_start --speed 20; then
    check "without dataStores dify-sim starts no data store" sh -c "! pgrep -P $SIM_PID >/dev/null"
    sim_stop
else
    fail "dify-sim starts without a scenario"
fi
if ! need_stores; then
    skip "Dify in the simulator" "$STORES_WHY"
    done_testing
    exit 0
fi

DB_PW=simDbPassw0rd4tests2026
REDIS_PW=simRedisPassw0rd4tests26
SU_PW=simSuperuser4tests
AURORA=dify-prod.cluster-c1a2b3d4e5f6.ap-northeast-1.rds.amazonaws.com
CACHE=master.dify-prod.a1b2c3.apne1.cache.amazonaws.com
NS=dify

# --- render every example as manifests, with the stores' passwords
cp -r "$top_srcdir/assets/examples/files" "$TEST_TMP/"
EXAMPLES="eks-prod eks-test existing-cluster existing-manifests" # the faults use the last
for ex in $EXAMPLES; do
    sed 's/^method: helm/method: manifests/' "$top_srcdir/assets/examples/$ex.yaml" \
        >"$TEST_TMP/$ex.yaml"
    # keys for S3 where an example uses them (nothing here reaches S3)
    DIFY_DB_PASSWORD=$DB_PW DIFY_REDIS_PASSWORD=$REDIS_PW DIFY_S3_ACCESS_KEY=AKIAEXAMPLE \
        DIFY_S3_SECRET_KEY=example-secret-key \
        "$top_builddir/dify-tui" render --answers "$TEST_TMP/$ex.yaml" --out "$TEST_TMP/r-$ex" \
        >"$TEST_TMP/render-$ex.out" 2>&1 || {
        sed 's/^/# /' "$TEST_TMP/render-$ex.out"
        fail "$ex renders as manifests"
        continue
    }
    # the endpoints Terraform would give (render --from-terraform fills them)
    sed -i "s/@@db_endpoint@@/$AURORA/g; s/@@redis_endpoint@@/$CACHE/g" \
        "$TEST_TMP/r-$ex"/manifests/*.yaml
    ok "$ex renders as manifests"
done

cat >"$TEST_TMP/stores.yaml" <<EOF
name: dify-model-tests
dataStores:
  postgres:
    hosts: [dbnode0.example.com, pg.internal.example.com, $AURORA]
    superuserPassword: $SU_PW
    users:
      - {name: dify, password: $DB_PW}
    databases: [dify, dify_plugin, dify_plugin_daemon]
  redis:
    hosts: [dbnode0.example.com, redis.internal.example.com, $CACHE]
    password: $REDIS_PW
EOF
if ! sim_start --speed 20 --scenario "$TEST_TMP/stores.yaml" --log "$TEST_TMP/sim.log"; then
    fail "dify-sim starts with data stores"
    done_testing
    exit 1
fi
ok "dify-sim starts with data stores"
wait_for 100 grep -q "PostgreSQL listens" "$TEST_TMP/sim.log"
PGPORT=$(sed -n 's/.*PostgreSQL listens on 127.0.0.1:\([0-9]*\).*/\1/p' "$TEST_TMP/sim.log" | head -1)
sql() { PGPASSWORD=$SU_PW psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -tAc "$1"; }
check "the real PostgreSQL answers the superuser" sql "SELECT 1"
# the API server answered before PostgreSQL was up: they start side by side
check "the API server listens before the data stores are up" sh -c \
    "grep -n -e 'dify-sim listening' -e 'PostgreSQL listens' '$TEST_TMP/sim.log' | head -n 1 |
     grep -q 'dify-sim listening'"

raw() { kubectl get --raw "/api/v1/namespaces/$NS/services/$1/proxy$2" 2>&1; }
# code URL-PATH [curl args]: the HTTP status through the service proxy
code() {
    local svc=$1 path=$2
    shift 2
    curl -sk -o "$TEST_TMP/body" -w '%{http_code}' -H "Authorization: Bearer $SIM_ADMIN" "$@" \
        "$SIM_SERVER/api/v1/namespaces/$NS/services/$svc/proxy$path"
}
# newest POD of a component, and its log
newest() {
    kubectl get pods -n $NS -l "component=$1" --sort-by=.metadata.creationTimestamp -o name |
        tail -n 1
}
# the current or, for a container between two crashes, the previous log
log_has() {
    local pod
    pod=$(newest "$1")
    { kubectl logs -n $NS "$pod" 2>/dev/null; kubectl logs -n $NS "$pod" --previous 2>/dev/null; } |
        grep -qF -- "$2"
}
state_is() { kubectl get -n $NS "$(newest "$1")" --no-headers 2>/dev/null | grep -q "$2"; }
# the migration Job (named after its image and spec: DECISIONS.md item 5)
migration_job() { kubectl get jobs -n $NS -o name | grep db-migrat | head -n 1; }
rollouts() {
    local d
    for d in $(kubectl get deploy -n $NS -o name); do
        kubectl rollout status -n $NS "$d" --timeout=120s >/dev/null || return 1
    done
}

# --- each example with correct values: Ready, and healthy through the proxy
for ex in $EXAMPLES; do
    [ -d "$TEST_TMP/r-$ex/manifests" ] || continue
    if ! kubectl apply -f "$TEST_TMP/r-$ex/manifests" >"$TEST_TMP/apply.out" 2>&1; then
        sed 's/^/# /' "$TEST_TMP/apply.out"
        fail "$ex: applied"
        continue
    fi
    check "$ex: every Deployment rolls out" rollouts
    job=$(migration_job)
    if [ -n "$job" ]; then
        check "$ex: the migration Job completes" kubectl wait -n $NS --for=condition=complete \
            "$job" --timeout=120s
    else
        fail "$ex: a migration Job"
    fi
    tag=$(kubectl get deploy -n $NS dify-api -o jsonpath='{.spec.template.spec.containers[0].image}')
    tag=${tag##*:}
    case "$(raw dify-api:5001 /health)" in
    *'"status":"ok"'*"\"version\":\"$tag\""*) ok "$ex: api /health" ;;
    *) fail "$ex: api /health: $(raw dify-api:5001 /health)" ;;
    esac
    case "$(raw dify-plugin-daemon:5002 /health/check)" in
    *'"status":"ok"'*) ok "$ex: plugin daemon /health/check" ;;
    *) fail "$ex: plugin daemon /health/check: $(raw dify-plugin-daemon:5002 /health/check)" ;;
    esac
    check "$ex: sandbox /health" sh -c "[ '$(raw dify-sandbox:8194 /health)' = '\"ok\"' ]"
    # the sandbox runs code only for its own API_KEY (the Secret the api's
    # CODE_EXECUTION_API_KEY comes from)
    sbsec=$(kubectl get secret -n $NS -o name | grep sandbox-secrets | head -n 1)
    sbkey=$(kubectl get -n $NS "$sbsec" -o jsonpath='{.data.API_KEY}' | base64 -d)
    c=$(code dify-sandbox:8194 /v1/sandbox/run -X POST -H "X-Api-Key: not-$sbkey")
    if [ "$c" = 401 ]; then ok "$ex: sandbox refuses another key"; else
        fail "$ex: sandbox with a wrong key: $c $(cat "$TEST_TMP/body")"; fi
    c=$(code dify-sandbox:8194 /v1/sandbox/run -X POST -H "X-Api-Key: $sbkey")
    if [ -n "$sbkey" ] && [ "$c" = 200 ]; then ok "$ex: sandbox runs code for its API_KEY"; else
        fail "$ex: sandbox with its key: $c $(cat "$TEST_TMP/body")"; fi
    case "$(raw dify-web:3000 /apps)" in
    *data-api-prefix=*) ok "$ex: web /apps carries its API prefix" ;;
    *) fail "$ex: web /apps: $(raw dify-web:3000 /apps)" ;;
    esac
    case "$(raw dify-api:5001 /console/api/setup)" in
    *'"step":"not_started"'*) ok "$ex: the api reads the migrated schema" ;;
    *) fail "$ex: /console/api/setup: $(raw dify-api:5001 /console/api/setup)" ;;
    esac
    c=$(code dify-api:5001 /console/api/workspaces/current/models/model-types/llm)
    if [ "$c" = 200 ]; then ok "$ex: the api reaches the plugin daemon with its key"; else
        fail "$ex: api -> plugin daemon: $c $(cat "$TEST_TMP/body")"; fi
    if [ "$ex" = existing-manifests ]; then
        # the daemon's access log says what it answered: 404 for a route it
        # has not (not 200 because the key was right), 200 for one it has
        dkey=$(kubectl get secret -n $NS dify-plugin-daemon-secrets -o jsonpath='{.data.SERVER_KEY}' | base64 -d)
        c=$(code dify-plugin-daemon:5002 /plugin/t1/management/nosuch -H "X-Api-Key: $dkey")
        c2=$(code dify-plugin-daemon:5002 /plugin/t1/management/list -H "X-Api-Key: $dkey")
        if [ "$c/$c2" = 404/200 ]; then ok "$ex: the daemon answers 404 to a route it has not"; else
            fail "$ex: the daemon answers 404 to a route it has not (got $c, and $c2 for management/list)"; fi
        check "$ex: ... and its access log says 404 for it" \
            log_has plugin-daemon '[GIN] | 404 | GET "/plugin/t1/management/nosuch"'
        check "$ex: ... and 200 for a route it has" \
            log_has plugin-daemon '[GIN] | 200 | GET "/plugin/t1/management/list"'
        break # the faults below run on this one
    fi
    kubectl delete namespace $NS --wait=true --timeout=60s >/dev/null 2>&1
    wait_for 150 sh -c "! kubectl get namespace $NS >/dev/null 2>&1"
done

# --- one fault at a time on the existing-manifests install
# (patch_secret and restart: tests/simlib.sh)

# 1. a wrong database password for the plugin daemon
patch_secret dify-plugin-daemon-secrets DB_PASSWORD not-the-password
restart dify-plugin-daemon
if wait_for 150 state_is plugin-daemon CrashLoopBackOff; then
    ok "wrong DB password: the plugin daemon crash-loops"
else
    fail "wrong DB password: the plugin daemon crash-loops"
fi
check "wrong DB password: the real server's 28P01 in its log" wait_for 50 log_has plugin-daemon \
    'failed SASL auth: FATAL: password authentication failed for user "dify" (SQLSTATE 28P01)'
patch_secret dify-plugin-daemon-secrets DB_PASSWORD "$DB_PW"
check "wrong DB password fixed: the rollout completes at the next restart" \
    kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s

# the api's own password: it stays Ready (/health needs no database) and
# answers what needs the database with the server's refusal
patch_secret dify-secrets DB_PASSWORD not-the-password
restart dify-api
check "api with a wrong DB password still rolls out (its /health needs no database)" \
    kubectl rollout status -n $NS deploy/dify-api --timeout=120s
c=$(code dify-api:5001 /console/api/setup)
if [ "$c" = 500 ]; then ok "api with a wrong DB password answers 500"; else
    fail "api with a wrong DB password answers 500 (got $c)"; fi
check "api's log: psycopg2's 28P01 text" log_has api \
    'password authentication failed for user "dify"'
patch_secret dify-secrets DB_PASSWORD "$DB_PW"
restart dify-api
kubectl rollout status -n $NS deploy/dify-api --timeout=120s >/dev/null
c=$(code dify-api:5001 /console/api/setup)
if [ "$c" = 200 ]; then ok "api password fixed: /console/api/setup 200"; else
    fail "api password fixed: /console/api/setup (got $c)"; fi

# 2. a missing plugin database (and a user without CREATEDB)
sql "DROP DATABASE dify_plugin WITH (FORCE)"
restart dify-plugin-daemon
if wait_for 150 state_is plugin-daemon CrashLoopBackOff; then
    ok "missing plugin DB: the plugin daemon crash-loops"
else
    fail "missing plugin DB: the plugin daemon crash-loops"
fi
check "missing plugin DB: 3D000 from the server" wait_for 50 log_has plugin-daemon \
    'FATAL: database "dify_plugin" does not exist (SQLSTATE 3D000)'
check "missing plugin DB: creating it is refused (no CREATEDB, 42501)" log_has plugin-daemon \
    'permission denied to create database (SQLSTATE 42501)'
sql "CREATE DATABASE dify_plugin OWNER dify"
check "plugin DB created: the daemon recovers at its next restart" \
    kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s

# 3. a wrong Redis password
patch_secret dify-plugin-daemon-secrets REDIS_PASSWORD not-the-password
restart dify-plugin-daemon
if wait_for 150 state_is plugin-daemon CrashLoopBackOff; then
    ok "wrong Redis password: the plugin daemon crash-loops"
else
    fail "wrong Redis password: the plugin daemon crash-loops"
fi
check "wrong Redis password: the server's WRONGPASS in the daemon's log" wait_for 50 log_has plugin-daemon \
    'init redis client failed: WRONGPASS invalid username-password pair or user is disabled.'
patch_secret dify-secrets CELERY_BROKER_URL "redis://:not-the-password@dbnode0.example.com:6379/1"
restart dify-worker
check "wrong Redis password: the worker retries its broker with the server's answer" \
    wait_for 150 log_has worker \
    'Cannot connect to redis://:**@dbnode0.example.com:6379/1: invalid username-password pair or user is disabled..'
patch_secret dify-plugin-daemon-secrets REDIS_PASSWORD "$REDIS_PW"
check "Redis password fixed: the daemon recovers" \
    kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s
patch_secret dify-secrets CELERY_BROKER_URL "redis://:$REDIS_PW@dbnode0.example.com:6379/1"
restart dify-worker
check "broker URL fixed: the worker connects" wait_for 150 log_has worker "ready."

# 4. the plugin daemon's key differs from the api's PLUGIN_DAEMON_KEY
patch_secret dify-plugin-daemon-secrets SERVER_KEY another-key
restart dify-plugin-daemon
kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s >/dev/null
c=$(code dify-api:5001 /console/api/workspaces/current/models/model-types/llm)
if [ "$c" = 400 ]; then ok "key mismatch: the api's model list fails"; else
    fail "key mismatch: the api's model list fails (got $c)"; fi
check "key mismatch: the api logs the daemon's 401" log_has api \
    'Failed to request plugin daemon, status: 401'
key=$(kubectl get secret -n $NS dify-secrets -o jsonpath='{.data.PLUGIN_DAEMON_KEY}' | base64 -d)
c=$(code dify-plugin-daemon:5002 /plugin/t1/management/list -H "X-Api-Key: $key")
if [ "$c" = 401 ]; then ok "key mismatch: the daemon answers 401 to the api's key"; else
    fail "key mismatch: the daemon answers 401 (got $c)"; fi
patch_secret dify-plugin-daemon-secrets SERVER_KEY "$key"
restart dify-plugin-daemon
kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s >/dev/null
c=$(code dify-api:5001 /console/api/workspaces/current/models/model-types/llm)
if [ "$c" = 200 ]; then ok "keys match again: the model list is 200"; else
    fail "keys match again: the model list (got $c)"; fi

# 5. a plugin daemon of another release than the api (a version skew)
good=$(kubectl get deploy -n $NS dify-plugin-daemon -o jsonpath='{.spec.template.spec.containers[0].image}')
kubectl set image -n $NS deploy/dify-plugin-daemon plugin-daemon=langgenius/dify-plugin-daemon:0.2.0-local >/dev/null
kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s >/dev/null
code dify-api:5001 /console/api/workspaces/current/models/model-types/llm >/dev/null
check "version skew: the api logs the daemon's 404" log_has api \
    'Failed to request plugin daemon, status: 404'
kubectl set image -n $NS deploy/dify-plugin-daemon "plugin-daemon=$good" >/dev/null
kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s >/dev/null
c=$(code dify-api:5001 /console/api/workspaces/current/models/model-types/llm)
if [ "$c" = 200 ]; then ok "matching release again: the model list is 200"; else
    fail "matching release again: the model list (got $c)"; fi

# 6. a missing migration: an empty database, MIGRATION_ENABLED=false on the api
sql "DROP DATABASE dify WITH (FORCE)"
sql "CREATE DATABASE dify OWNER dify"
c=$(code dify-api:5001 /console/api/setup)
if [ "$c" = 500 ]; then ok "no migration: the api serves 500 for what needs the schema"; else
    fail "no migration: /console/api/setup (got $c)"; fi
check "no migration: the server's 'relation does not exist' in the api's log" log_has api \
    'relation "dify_setups" does not exist'
check "no migration: the api stays Ready" sh -c \
    "kubectl get deploy -n $NS dify-api -o jsonpath='{.status.readyReplicas}' | grep -q '[1-9]'"
kubectl delete -n $NS "$(migration_job)" >/dev/null
wait_for 100 sh -c "[ -z \"\$(kubectl get jobs -n $NS -o name | grep db-migrat)\" ]"
kubectl apply -f "$TEST_TMP/r-existing-manifests/manifests/30-migration-job.yaml" >/dev/null
check "the migration Job runs again and completes" kubectl wait -n $NS --for=condition=complete \
    "$(migration_job)" --timeout=120s
check "the Job's log shows alembic's revisions" sh -c \
    "kubectl logs -n $NS $(migration_job) | grep -q 'Running upgrade  -> '"
case "$(raw dify-api:5001 /console/api/setup)" in
*'"step":"not_started"'*) ok "migrated: the api answers without a restart" ;;
*) fail "migrated: /console/api/setup: $(raw dify-api:5001 /console/api/setup)" ;;
esac
check "alembic_version holds the image's revision" sh -c \
    "PGPASSWORD=$SU_PW psql -X -h 127.0.0.1 -p $PGPORT -U postgres -d dify -tAc \
     'SELECT version_num FROM alembic_version' | grep -Eq '^[0-9a-f]{12}$'"

# --- plugins: on the daemon's PVC they survive a new pod; on an emptyDir not
key=$(kubectl get secret -n $NS dify-secrets -o jsonpath='{.data.PLUGIN_DAEMON_KEY}' | base64 -d)
T=8e9f2c4a-1d3b-4f5e-9a7c-0b1d2e3f4a5b
install() {
    code dify-plugin-daemon:5002 "/plugin/$T/management/install/identifiers" -X POST \
        -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
        -d "{\"plugin_unique_identifiers\":[\"$1\"]}"
}
models() { code dify-plugin-daemon:5002 "/plugin/$T/management/models" -H "X-Api-Key: $key" \
    >/dev/null && cat "$TEST_TMP/body"; }
c=$(install "langgenius/openai:0.2.1@0a1b2c")
if [ "$c" = 200 ]; then ok "a plugin installs on the daemon"; else fail "plugin install (got $c)"; fi
models_has() { models | grep -q "$1"; }
check "the installed plugin runs" models_has langgenius/openai
# one daemon pod, and it Ready
one_daemon() {
    wait_for 100 sh -c "[ \"\$(kubectl get pods -n $NS -l component=plugin-daemon --no-headers |
        wc -l)\" -eq 1 ]" &&
        kubectl wait -n $NS --for=condition=Ready pod -l component=plugin-daemon --timeout=60s \
            >/dev/null
}
kubectl delete pod -n $NS -l component=plugin-daemon --wait=false >/dev/null
one_daemon
case "$(models)" in
*langgenius/openai*) ok "on a PVC the plugin survives a new pod" ;;
*) fail "on a PVC the plugin survives a new pod: $(models)" ;;
esac
kubectl patch deploy -n $NS dify-plugin-daemon --type=json \
    -p '[{"op":"replace","path":"/spec/template/spec/volumes/0","value":{"name":"storage","emptyDir":{}}}]' \
    >/dev/null
kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s >/dev/null
one_daemon
install "langgenius/anthropic:0.1.0@3d4e5f" >/dev/null
case "$(models)" in
*langgenius/anthropic*) ok "on an emptyDir the plugin runs" ;;
*) fail "on an emptyDir the plugin runs: $(models)" ;;
esac
kubectl delete pod -n $NS -l component=plugin-daemon --wait=false >/dev/null
one_daemon
case "$(models)" in
*langgenius/anthropic*) fail "on an emptyDir the plugin is gone with its pod: $(models)" ;;
*) ok "on an emptyDir the plugin is gone with its pod" ;;
esac
check "the new daemon says the installed plugin's package is missing" log_has plugin-daemon \
    'plugin langgenius/anthropic:0.1.0@3d4e5f is installed but its package is not in the plugin storage'

sim_stop
check "the data stores stop with dify-sim" sh -c "! PGPASSWORD=$SU_PW psql -X -h 127.0.0.1 \
    -p $PGPORT -U postgres -d postgres -c 'SELECT 1' >/dev/null 2>&1"

# --- dify-sim killed outright: its keeper still stops the servers
if sim_start --speed 20 --scenario "$TEST_TMP/stores.yaml" --log "$TEST_TMP/sim2.log"; then
    wait_for 150 grep -q "PostgreSQL listens" "$TEST_TMP/sim2.log"
    PGPORT=$(sed -n 's/.*PostgreSQL listens on 127.0.0.1:\([0-9]*\).*/\1/p' "$TEST_TMP/sim2.log")
    check "the second PostgreSQL answers" sql "SELECT 1"
    kill -9 "$SIM_PID"
    wait "$SIM_PID" 2>/dev/null
    SIM_PID=
    check "after kill -9 of dify-sim the data stores stop" wait_for 100 sh -c \
        "! PGPASSWORD=$SU_PW psql -X -h 127.0.0.1 -p $PGPORT -U postgres -d postgres \
         -c 'SELECT 1' >/dev/null 2>&1"
else
    fail "dify-sim starts again with data stores"
fi

# --- the keeper killed outright: the servers get their parent-death signal
# (its directory stays: it goes with $TEST_TMP; postgres runs as another
# user when we are root, so it needs to pass through)
mkdir -p "$TEST_TMP/stores"
chmod 711 "$TEST_TMP" "$TEST_TMP/stores"
if TMPDIR="$TEST_TMP/stores" sim_start --speed 20 --scenario "$TEST_TMP/stores.yaml" \
    --log "$TEST_TMP/sim3.log"; then
    wait_for 150 grep -q "PostgreSQL listens" "$TEST_TMP/sim3.log"
    PGPORT=$(sed -n 's/.*PostgreSQL listens on 127.0.0.1:\([0-9]*\).*/\1/p' "$TEST_TMP/sim3.log")
    keeper=$(pgrep -P "$SIM_PID" | head -n 1)
    check "the third PostgreSQL answers" sql "SELECT 1"
    [ -n "$keeper" ] && kill -9 "$keeper"
    check "after kill -9 of the keeper the data stores stop" wait_for 100 sh -c \
        "! PGPASSWORD=$SU_PW psql -X -h 127.0.0.1 -p $PGPORT -U postgres -d postgres \
         -c 'SELECT 1' >/dev/null 2>&1"
    sim_stop
else
    fail "dify-sim starts a third time with data stores"
fi

# --- the kept volume: PostgreSQL initialised with the first install's password
if ! sim_start --speed 20 --scenario kept-volume; then
    fail "dify-sim starts the kept-volume scenario"
    done_testing
    exit 1
fi
ok "dify-sim starts the kept-volume scenario"
for comp in api plugin-daemon; do
    if wait_for 150 state_is $comp CrashLoopBackOff; then ok "kept volume: $comp crash-loops"; else
        fail "kept volume: $comp crash-loops"; fi
done
check "kept volume: the api's migration fails with the server's 28P01" wait_for 50 log_has api \
    'Database migration failed: (psycopg2.OperationalError) connection to server at "dify-postgresql"'
check "kept volume: the daemon's log has 28P01" wait_for 50 log_has plugin-daemon '(SQLSTATE 28P01)'
check "kept volume: the worker, which needs only Redis, runs" wait_for 100 log_has worker "ready."
patch_secret dify-api DB_PASSWORD oldDbPassw0rdBeforeReinstall
patch_secret dify-plugin-daemon DB_PASSWORD oldDbPassw0rdBeforeReinstall
check "kept volume: with the old password the api recovers at its next restart" \
    kubectl rollout status -n $NS deploy/dify-api --timeout=120s
check "kept volume: and the plugin daemon" \
    kubectl rollout status -n $NS deploy/dify-plugin-daemon --timeout=120s
check "kept volume: the api migrated the kept database" wait_for 50 log_has api \
    "Database migration successful!"
sim_stop
done_testing
