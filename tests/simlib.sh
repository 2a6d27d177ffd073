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

# wait_for TRIES COMMAND...: polls COMMAND every 0.2 s, at most TRIES times.
wait_for() {
    local tries=$1 i
    shift
    for i in $(seq 1 "$tries"); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    return 1
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
