#!/bin/sh
# tests/diagnose_demo.sh: `dify-tui diagnose` as a support engineer runs it
# on the demo's broken install (dify-sim --scenario demo: the plugin
# daemon's Secret holds a database password the real PostgreSQL refuses):
# without --db the data stores are named inside the cluster and, as the
# demo has no Service for them, the skip says to give --db rather than a
# port-forward of a Service that does not exist; with --db at the server's
# port DT-401 finds the daemon's refused password although the api's login
# works; without -n the context's namespace holds no Dify, and DT-201 says
# so and how to find it.
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
PGPORT=$(sed -n 's/.*PostgreSQL listens on 127.0.0.1:\([0-9]*\).*/\1/p' "$TEST_TMP/sim.log" | head -1)
R="$TEST_TMP/out.json"
has() { if grep -qF -- "$3" "$2"; then ok "$1"; else fail "$1"; sed 's/^/# /' "$2" | head -c 3000; echo; fi; }

diag_run "$R" --kubeconfig "$KUBECONFIG" -n $NS diagnose --json --only postgres --timeout 30
expect_status "no way to the database from here" "$R" DT-401 skipped
has "no port-forward of a Service the namespace lacks" "$R" "namespace dify has no Service dify-postgresql to port-forward"
has "what to give instead" "$R" "give --db HOST:PORT"

diag_run "$R" --kubeconfig "$KUBECONFIG" -n $NS diagnose --json --only postgres workloads secrets --db "127.0.0.1:$PGPORT" --timeout 30
expect_rc "the broken install" 2
expect_status "the daemon's stale password" "$R" DT-401 fail
has "DT-401 names the daemon, not the api" "$R" "refuses the plugin daemon's password for user dify (28P01); the api's login works"
has "DT-401's remedy restarts the daemon" "$R" "rollout restart deployment/dify-plugin-daemon"
expect_status "the crash loop explained" "$R" DT-202 fail
expect_status "the two passwords compared" "$R" DT-302 fail
has "one crash, said in the singular" "$R" "1 pod crashes: pg-password"

# the context's namespace (no -n): nothing of Dify there
diag_run "$R" --kubeconfig "$KUBECONFIG" -n default diagnose --json --only DT-201 --timeout 30
expect_status "the wrong namespace" "$R" DT-201 fail
has "the wrong namespace: named" "$R" "no Dify component in namespace default"
has "the wrong namespace: how to find Dify" "$R" "kubectl get deploy,sts -A -l app.kubernetes.io/name=dify"

done_testing
