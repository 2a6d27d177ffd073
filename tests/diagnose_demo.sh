#!/bin/sh
# tests/diagnose_demo.sh: `dify-tui diagnose` as a support engineer runs it
# on the demo's broken install (dify-sim --scenario demo: the plugin
# daemon's Secret holds a database password the real PostgreSQL refuses):
# without --db the data stores are named inside the cluster and, as the
# demo has no Service for them, the skip says to give --db rather than a
# port-forward of a Service that does not exist; with --db at the server's
# port DT-401 finds the daemon's refused password although the api's login
# works; DT-403 compares the schema with the head of the api's release
# (1.13.3), warns at another release's head and is ok again; without -n the
# context's namespace holds no Dify, and DT-201 says so and how to find it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"
. "$top_srcdir/tests/diaglib.sh"

if ! need_tool kubectl || ! need_tool curl; then
    skip "diagnose on the demo" "kubectl or curl is not installed"
    done_testing
    exit 0
fi
if ! need_stores; then
    skip "diagnose on the demo" "$STORES_WHY"
    done_testing
    exit 0
fi
tmpdir_new
if ! sim_start --speed 20 --scenario "$top_srcdir/assets/scenarios/demo.yaml" --log "$TEST_TMP/sim.log"; then
    fail "dify-sim starts the demo"
    done_testing
    exit 1
fi
NS=dify
crashing() { kubectl get pods -n $NS --no-headers | grep plugin-daemon | grep -q CrashLoopBackOff; }
check "the demo's plugin daemon crash-loops" wait_for 300 crashing
check "the demo's migration Job completes" kubectl wait -n $NS --for=condition=complete job/dify-db-migration --timeout=120s
PGPORT=$(sed -n 's/.*PostgreSQL listens on 127.0.0.1:\([0-9]*\).*/\1/p' "$TEST_TMP/sim.log" | head -1)
R="$TEST_TMP/out.json"
has() { if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1"; sed 's/^/# /' "$2" | head -c 3000; echo; fi; }

diag_run "$R" --kubeconfig "$KUBECONFIG" -n $NS diagnose --json --only postgres --timeout 30
expect_status "no way to the database from here" "$R" DT-401 skipped
has "no port-forward of a Service the namespace lacks" "$R" "namespace dify has no Service dify-postgresql to port-forward"
has "what to give instead" "$R" "give --db HOST:PORT"

wait_for 300 crashing
diag_run "$R" --kubeconfig "$KUBECONFIG" -n $NS diagnose --json --only postgres workloads secrets --db "127.0.0.1:$PGPORT" --timeout 30
expect_rc "the broken install" 2
expect_status "the daemon's stale password" "$R" DT-401 fail
has "DT-401 names the daemon, not the api" "$R" "refuses the plugin daemon's password for user dify (28P01); the api's login works"
has "DT-401's remedy restarts the daemon" "$R" "rollout restart deployment/dify-plugin-daemon"
expect_status "the crash loop explained" "$R" DT-202 fail
expect_status "the two passwords compared" "$R" DT-302 fail
has "one crash, said in the singular" "$R" "1 pod crashes: pg-password"

# DT-403 against the head of the api's release (1.13.3: core/dify_alembic)
has "the schema at the head of the api's release" "$R" "the head of Dify 1.13.3's migrations"
PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | head -1)
DBPW=$(kubectl get secret -n $NS dify-secrets -o jsonpath='{.data.DB_PASSWORD}' | base64 -d)
setrev() { PGPASSWORD="$DBPW" "$PSQL" -h 127.0.0.1 -p "$PGPORT" -U dify -d dify -qAt -c "UPDATE alembic_version SET version_num = '$1'" >/dev/null; }
if [ -n "$PSQL" ] && setrev 68519ad5cd18; then
    diag_run "$R" --kubeconfig "$KUBECONFIG" -n $NS diagnose --json --only DT-403 --db "127.0.0.1:$PGPORT" --timeout 30
    expect_status "a database at another release's head (1.9.1's)" "$R" DT-403 warn
    has "the expected head named" "$R" "the database is at 68519ad5cd18; Dify 1.13.3's migrations end at 6b5f9f8b1a2c"
    setrev 6b5f9f8b1a2c
    diag_run "$R" --kubeconfig "$KUBECONFIG" -n $NS diagnose --json --only DT-403 --db "127.0.0.1:$PGPORT" --timeout 30
    expect_status "back at the head" "$R" DT-403 ok
else
    skip "DT-403 against another release's head" "psql is not installed (or the update failed)"
fi

# the context's namespace (no -n): nothing of Dify there
diag_run "$R" --kubeconfig "$KUBECONFIG" -n default diagnose --json --only DT-201 --timeout 30
expect_status "the wrong namespace" "$R" DT-201 fail
has "the wrong namespace: named" "$R" "no Dify component in namespace default"
has "the wrong namespace: how to find Dify" "$R" "kubectl get deploy,sts -A -l app.kubernetes.io/name=dify"

done_testing
