# tests/simlib.sh: start and stop dify-sim for the shell tests. Source after
# tests/lib.sh and tmpdir_new. sim_start waits (bounded polling) until the
# server answers; sim_stop kills only the server it started.

SIM_BIN="$top_builddir/sim/dify-sim"

# sim_start ARGS...: starts the simulator; sets KUBECONFIG, SIM_PID,
# SIM_SERVER, SIM_ADMIN (token) and SIM_RO (read-only token).
sim_start() {
    SIM_KC="$TEST_TMP/kubeconfig.$$.${RANDOM}"
    # DIFY_SIM_CHECK_TREES: a change to an object never committed aborts the
    # server (sim/store.h, store_trim) instead of being lost silently
    DIFY_SIM_CHECK_TREES=1 "$SIM_BIN" --print-kubeconfig "$@" >"$SIM_KC" 2>"$SIM_KC.err" &
    SIM_PID=$!
    TEST_CLEANUP="kill $SIM_PID 2>/dev/null; ${TEST_CLEANUP:-}"
    local i
    for i in $(seq 1 100); do
        if [ -s "$SIM_KC" ] && grep -q '"server"' "$SIM_KC"; then break; fi
        if ! kill -0 "$SIM_PID" 2>/dev/null; then
            diag "dify-sim exited: $(cat "$SIM_KC.err")"
            return 1
        fi
        sleep 0.1
    done
    export KUBECONFIG="$SIM_KC"
    SIM_SERVER=$(grep -o '"server":"[^"]*"' "$SIM_KC" | cut -d'"' -f4)
    SIM_ADMIN=$(grep -o '"token":"[^"]*"' "$SIM_KC" | sed -n 1p | cut -d'"' -f4)
    SIM_RO=$(grep -o '"token":"[^"]*"' "$SIM_KC" | sed -n 2p | cut -d'"' -f4)
    for i in $(seq 1 50); do
        if curl -sk -o /dev/null -H "Authorization: Bearer $SIM_ADMIN" "$SIM_SERVER/version"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

sim_stop() {
    if [ -n "${SIM_PID:-}" ] && ! kill -0 "$SIM_PID" 2>/dev/null; then
        diag "dify-sim had exited: $(tail -c 2000 "$SIM_KC.err")"
    fi
    [ -n "${SIM_PID:-}" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
    SIM_PID=
}

# sim_curl ARGS...: curl with the admin token; prints the body, then the status on its own line.
sim_curl() {
    curl -sk -H "Authorization: Bearer $SIM_ADMIN" -w '\n%{http_code}\n' "$@"
}

# (wait_for TRIES COMMAND... is tests/lib.sh's)

# need_or_skip WHAT NEED...: each NEED a tool on PATH, or "stores" (the data
# stores' servers, need_stores); the first one missing is a SKIP of WHAT
# saying so, and the test ends.
need_or_skip() {
    local what=$1 n why
    shift
    for n in "$@"; do
        why=
        if [ "$n" = stores ]; then
            need_stores || why=$STORES_WHY
        elif ! need_tool "$n"; then
            why="$n is not installed"
        fi
        if [ -n "$why" ]; then
            skip "$what" "$why"
            done_testing
            exit 0
        fi
    done
}

# need_stores: are the PostgreSQL server binaries and redis-server there for
# scenarios with dataStores (scripts/dev.sh installs them)? Sets STORES_WHY.
need_stores() {
    STORES_WHY=
    if [ -n "${DIFY_SIM_PG_BIN:-}" ] && [ -x "$DIFY_SIM_PG_BIN/initdb" ]; then :
    elif ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        STORES_WHY="the PostgreSQL server (initdb, postgres) is not installed"
        return 1
    fi
    if ! need_tool redis-server && [ ! -x /usr/bin/redis-server ]; then
        STORES_WHY="redis-server is not installed"
        return 1
    fi
    return 0
}

# stores_scenario NAME [EXTRA]: a scenario (on stdout) whose data stores are
# dify-sim's real PostgreSQL and Redis under every host name the examples
# use (dbnode0.example.com, pg.internal.example.com and
# redis.internal.example.com): the superuser's password $SUPER_PW, a role
# dify with $DB_PW, the databases dify and dify_plugin, Redis with
# $REDIS_PW; the cluster's ingress class nginx (preflight checks the
# answers' class exists); then EXTRA (more objects, pod rules).
# STORES_DBS: other databases than "dify, dify_plugin".
stores_scenario() {
    cat <<EOF
name: $1
dataStores:
  postgres:
    hosts: [dbnode0.example.com, pg.internal.example.com]
    superuserPassword: $SUPER_PW
    users:
      - {name: dify, password: $DB_PW}
    databases: [${STORES_DBS:-dify, dify_plugin}]
  redis:
    hosts: [dbnode0.example.com, redis.internal.example.com]
    password: $REDIS_PW
objects:
  - {apiVersion: networking.k8s.io/v1, kind: IngressClass, metadata: {name: nginx}, spec: {controller: k8s.io/ingress-nginx}}
${2:-}
EOF
}

# sim_start_stores SCENARIO [ARGS...]: dify-sim at speed 20 with that
# scenario and ARGS, its log in $SIM_LOG (this run's lines only), returning
# once its PostgreSQL and Redis listen (bounded polling).
SIM_LOG=
sim_start_stores() {
    local scn=$1
    shift
    SIM_LOG="$TEST_TMP/sim.log"
    rm -f "$SIM_LOG"
    sim_start --speed 20 --scenario "$scn" --log "$SIM_LOG" "$@" &&
        wait_for 300 grep -q "PostgreSQL listens" "$SIM_LOG" &&
        wait_for 300 grep -q "Redis listens" "$SIM_LOG"
}

# manifests_dir: $D ($TEST_TMP/d) with the example's files (the answers'
# file references); set_tag TAG: $D/answers.yaml, the existing-manifests
# example with image_tag TAG
manifests_dir() {
    D="$TEST_TMP/d"
    mkdir -p "$D"
    cp -r "$top_srcdir/assets/examples/files" "$D/"
}
set_tag() {
    sed "s/^version: 1$/version: 1\nimage_tag: \"$1\"/" "$top_srcdir/assets/examples/existing-manifests.yaml" >"$D/answers.yaml"
}

# manifests_sim NAME: dify-sim with its data stores (stores_scenario NAME,
# with SUPER_PW, DB_PW, REDIS_PW and STORES_DBS), or a failure and the end;
# PG its PostgreSQL's address, $D made (manifests_dir)
manifests_sim() {
    stores_scenario "$1" >"$TEST_TMP/scenario.yaml"
    if ! sim_start_stores "$TEST_TMP/scenario.yaml"; then
        fail "dify-sim starts with data stores"
        done_testing
        exit 1
    fi
    PG="127.0.0.1:$(sim_port PostgreSQL)"
    manifests_dir
}

# sim_port PostgreSQL|Redis: the port that store listens on (127.0.0.1)
sim_port() {
    sed -n "s/.*$1 listens on 127.0.0.1:\\([0-9]*\\).*/\\1/p" "$SIM_LOG" | tail -1
}

# patch_secret NAME KEY VALUE: KEY of the Secret NAME in namespace $NS set to VALUE
patch_secret() {
    kubectl patch secret -n "$NS" "$1" -p "{\"data\":{\"$2\":\"$(printf %s "$3" | base64 -w0)\"}}" >/dev/null
}

# restart DEPLOYMENT: a new ReplicaSet of it in namespace $NS, each time (an
# annotation counted up: kubectl rollout restart stamps whole seconds, and
# two restarts within one second would change nothing)
SIM_RESTARTS=0
restart() {
    SIM_RESTARTS=$((SIM_RESTARTS + 1))
    kubectl patch -n "$NS" "deploy/$1" -p \
        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"test/restart\":\"$SIM_RESTARTS\"}}}}}" \
        >/dev/null
}
