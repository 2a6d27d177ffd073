#!/bin/bash
# tests/diagnose_redis.sh: the Redis checks (DT-501..503) against real
# redis-server processes on loopback: a password that works, a wrong one,
# none given where one is needed, one given where Redis has none, a stopped
# server, an allkeys-lru policy, a sentinel where a Redis was expected, a
# replica. Each failure comes from a server really set up that way.
. "$(dirname "$0")/lib.sh"
tmpdir_new
. "$(dirname "$0")/diaglib.sh"

if ! need_tool redis-server; then
    skip "Redis checks" "redis-server is not installed"
    done_testing
    exit
fi

PIDS=
TEST_CLEANUP='for p in $PIDS; do kill $p 2>/dev/null; done'

# start_redis NAME CONFIG-LINES...: a redis-server on a free port; sets PORT.
# A port another test took between free_port and the bind makes this
# redis-server exit ("Address already in use"): another port is tried. It
# counts as started once its own log says it accepts connections (an open
# port alone may be the other test's server).
start_redis() {
    local name=$1 try pid
    shift
    for try in 1 2 3 4 5; do
        PORT=$(free_port)
        {
            printf 'port %s\nbind 127.0.0.1\nsave ""\nappendonly no\ndir %s\n' "$PORT" "$TEST_TMP"
            for l in "$@"; do printf '%s\n' "$l"; done
        } >"$TEST_TMP/$name.conf"
        if [ "${SENTINEL:-}" = 1 ]; then
            redis-server "$TEST_TMP/$name.conf" --sentinel >"$TEST_TMP/$name.log" 2>&1 &
        else
            redis-server "$TEST_TMP/$name.conf" >"$TEST_TMP/$name.log" 2>&1 &
        fi
        pid=$!
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            if grep -qE "Ready to accept connections|Sentinel ID is" "$TEST_TMP/$name.log" &&
                (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
                PIDS="$PIDS $pid"
                eval "PID_$name=$pid"
                return 0
            fi
            sleep 0.1
        done
        kill "$pid" 2>/dev/null
        grep -q "Address already in use" "$TEST_TMP/$name.log" || break
    done
    diag "redis $name did not start: $(cat "$TEST_TMP/$name.log")"
    return 1
}

W="$TEST_TMP/w"
mkdir -p "$W"
# No cluster is needed for these checks: an empty kubeconfig path is not
# given, the cluster checks are not selected.
run_redis() {
    diag_run "$TEST_TMP/out.json" diagnose --json --answers "$W/answers.yaml" --only redis --timeout 10 "$@"
}

start_redis pw "requirepass Rpassw0rd-test-123"
REDIS_PORT=$PORT answers_for "$W"

secrets_for "$W" redis_password Rpassw0rd-test-123
run_redis
expect_status "password right" "$TEST_TMP/out.json" DT-501 ok
expect_status "password right" "$TEST_TMP/out.json" DT-502 ok
expect_status "password right" "$TEST_TMP/out.json" DT-503 ok
expect_rc "password right" 0
if grep -q "Rpassw0rd-test-123" "$TEST_TMP/out.json" "$TEST_TMP/out.json.err"; then
    fail "the password never appears in the report"
else
    ok "the password never appears in the report"
fi

secrets_for "$W" redis_password Wrong-passw0rd-456
run_redis
expect_status "wrong password" "$TEST_TMP/out.json" DT-501 fail
expect_status "wrong password" "$TEST_TMP/out.json" DT-502 skipped
expect_rc "wrong password" 2
if grep -q "WRONGPASS" "$TEST_TMP/out.json"; then ok "wrong password: the server's WRONGPASS is the evidence"; else fail "wrong password: WRONGPASS shown"; fi
if grep -q "Wrong-passw0rd-456" "$TEST_TMP/out.json"; then fail "the wrong password is not shown"; else ok "the wrong password is not shown"; fi

secrets_for "$W"
run_redis
expect_status "no password given" "$TEST_TMP/out.json" DT-501 fail
if grep -q "NOAUTH" "$TEST_TMP/out.json"; then ok "no password given: NOAUTH"; else fail "no password given: NOAUTH"; fi

start_redis open
REDIS_PORT=$PORT answers_for "$W"
secrets_for "$W" redis_password Rpassw0rd-test-123
run_redis
expect_status "Redis without a password" "$TEST_TMP/out.json" DT-501 warn
expect_rc "Redis without a password" 1

secrets_for "$W"
start_redis lru "maxmemory 64mb" "maxmemory-policy allkeys-lru"
LRU_PORT=$PORT
REDIS_PORT=$PORT answers_for "$W"
run_redis
expect_status "allkeys-lru" "$TEST_TMP/out.json" DT-501 ok
expect_status "allkeys-lru" "$TEST_TMP/out.json" DT-502 warn

start_redis replica "replicaof 127.0.0.1 $LRU_PORT"
REDIS_PORT=$PORT answers_for "$W"
run_redis
expect_status "a replica" "$TEST_TMP/out.json" DT-503 fail

SENTINEL=1 start_redis sentinel "sentinel monitor mymaster 127.0.0.1 $LRU_PORT 1"
REDIS_PORT=$PORT answers_for "$W"
run_redis
expect_status "a sentinel" "$TEST_TMP/out.json" DT-501 ok
expect_status "a sentinel" "$TEST_TMP/out.json" DT-503 fail
if grep -q "sentinel" "$TEST_TMP/out.json"; then ok "a sentinel: said so"; else fail "a sentinel: said so"; fi

# Stopped: the same address, nothing there.
REDIS_PORT=$LRU_PORT answers_for "$W"
kill "$PID_lru"
wait "$PID_lru" 2>/dev/null
run_redis
expect_status "stopped" "$TEST_TMP/out.json" DT-501 fail
expect_status "stopped" "$TEST_TMP/out.json" DT-502 skipped
expect_rc "stopped" 2

# --redis reaches the server at another address than the answers name.
REDIS_PORT=1 answers_for "$W"
run_redis --redis "127.0.0.1:$(grep -o 'port [0-9]*' "$TEST_TMP/open.conf" | cut -d' ' -f2)"
expect_status "--redis" "$TEST_TMP/out.json" DT-501 ok

done_testing
