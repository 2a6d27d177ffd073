#!/bin/bash
# tests/install_sim.sh: `dify-tui install` and `uninstall` against dify-sim
# with its Dify model and a real PostgreSQL and Redis (docs/runner.md).
#  - the dry run prints the plan, masks the Secrets and changes nothing;
#  - each shipped example that can run on an existing cluster installs
#    (existing-manifests; existing-cluster with the manifests method): the
#    migration Job completes, every Deployment rolls out;
#  - a second install skips every finished step: no object's generation
#    moves, the journal shows no new start;
#  - uninstall keeps the volumes unless told, then removes everything; an
#    install after an uninstall starts from the beginning;
#  - a failing migration (wrong database password) stops the install with
#    the Job's log; after the fix the failed Job is run again and it ends;
#  - Ctrl-C in the middle stops cleanly; a second install on the same
#    state directory meanwhile is refused by the lock; install again
#    resumes: the steps that finished are not redone, the migration Job is
#    the same one (not created twice), generations stay 1;
#  - a crash-looping component: the wait names it, shows its log and gives
#    up at its deadline;
#  - no secret in the journal or the log.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

if ! need_tool kubectl || ! need_tool curl; then
    skip "install against dify-sim" "kubectl or curl is not installed"
    done_testing
    exit 0
fi
if ! need_stores; then
    skip "install against dify-sim" "$STORES_WHY"
    done_testing
    exit 0
fi
tmpdir_new
TUI="$top_builddir/dify-tui"
DB_PW=runnerDbPassw0rd2026x
REDIS_PW=runnerRedisPassw0rd26x
SUPER_PW=runnerSuper4tests
export DIFY_REDIS_PASSWORD=$REDIS_PW

# workdir NAME EXAMPLE: a copy of an example (and its files) in its own directory
workdir() {
    local d="$TEST_TMP/$1"
    mkdir -p "$d"
    cp -r "$top_srcdir/assets/examples/files" "$d/"
    sed 's/^method: helm/method: manifests/' "$top_srcdir/assets/examples/$2.yaml" >"$d/answers.yaml"
    echo "$d"
}

start_sim() {
    stores_scenario install-test "${1:-}" >"$TEST_TMP/scenario.yaml"
    sim_start_stores "$TEST_TMP/scenario.yaml"
}

# the simulator's real PostgreSQL, as this machine reaches it (the examples'
# host names are known only inside the cluster)
pg_address() { echo "127.0.0.1:$(sim_port PostgreSQL)"; }
install() { # DIR ARGS...: runs install there, output in DIR/out; NOREACH=1: no --db-address
    local d=$1 reach=()
    shift
    [ -n "${NOREACH:-}" ] || reach=(--db-address "$(pg_address)")
    (cd "$d" && DIFY_DB_PASSWORD=${DB:-$DB_PW} "$TUI" --kubeconfig "$KUBECONFIG" install \
        --answers answers.yaml --yes "${reach[@]}" "$@" </dev/null >out 2>&1)
}

journal() { cat "$1/answers.state/journal.jsonl"; }
# count DIR EVENT STEP: how many such records the journal holds
count() { journal "$1" | grep -c "\"event\":\"$2\",\"step\":\"$3\"" || true; }
gens() { kubectl get deploy -n dify -o jsonpath='{range .items[*]}{.metadata.name}={.metadata.generation} {end}'; }
# every Deployment at generation 1 (applied once, never changed)
all_gen1() { [ -n "$(gens)" ] && ! gens | tr ' ' '\n' | grep -v -e '=1$' -e '^$' | grep -q .; }
jobs_in() { kubectl get jobs -n dify -l app.kubernetes.io/component=db-migration -o name | wc -l; }

# --- the dry run changes nothing
D=$(workdir dry existing-manifests)
(cd "$D" && DIFY_DB_PASSWORD=$DB_PW "$TUI" install --answers answers.yaml --dry-run >out 2>&1)
check "dry run exits 0" [ $? -eq 0 ]
order=$(grep -o -e '^[0-9]*\. Create the namespace' -e '^[0-9]*\. Migrate the database' \
    -e '^[0-9]*\. Apply the application' -e '^[0-9]*\. Wait for every component' \
    -e '^[0-9]*\. Check the api' "$D/out" | sed 's/^[0-9]*\. //' | tr '\n' ,)
check "dry run lists the steps in order" [ "$order" = "Create the namespace,Migrate the database,Apply the application,Wait for every component,Check the api," ]
check "dry run shows objects with Secret values masked" grep -q "DB_PASSWORD: '\*\*\*'" "$D/out"
check "dry run writes no state and saves no secrets" \
    sh -c "[ ! -e '$D/answers.state' ] && [ ! -e '$D/answers.secrets.yaml' ]"

if ! start_sim; then
    fail "dify-sim starts with data stores"
    done_testing
    exit 1
fi

# --- existing-manifests: a full install
A=$(workdir a existing-manifests)
install "$A"
rc=$?
if [ $rc -eq 0 ]; then ok "existing-manifests installs"; else
    fail "existing-manifests installs (exit $rc)"
    sed 's/^/# /' "$A/out" | tail -40
fi
check "the migration Job completed" sh -c \
    "kubectl get jobs -n dify -l app.kubernetes.io/component=db-migration \
        -o jsonpath='{.items[0].status.succeeded}' | grep -qx 1"
check "every Deployment is available" sh -c \
    "[ \$(kubectl get deploy -n dify -o jsonpath='{range .items[*]}{.status.availableReplicas}/{.spec.replicas} {end}' |
        tr ' ' '\n' | grep -cv -e '^\$' -e '^\([0-9]*\)/\1\$') -eq 0 ]"
check "the journal finished every step" sh -c \
    "for s in namespace secrets configmaps storage migration application rollouts; do
        grep -q \"\\\"event\\\":\\\"finished\\\",\\\"step\\\":\\\"\$s\\\"\" '$A/answers.state/journal.jsonl' || exit 1
     done"
G1=$(gens)
check "every Deployment is at generation 1" all_gen1
check "no secret in the journal or the log" sh -c \
    "! grep -rq -e '$DB_PW' -e '$REDIS_PW' '$A/answers.state/journal.jsonl' '$A/answers.state/install.log' '$A/out'"

# --- again: nothing redone
install "$A"
check "a second install succeeds" [ $? -eq 0 ]
check "it skips what finished before" grep -q "^ok   application: unchanged since the last run" "$A/out"
check "the journal shows one start of the application" [ "$(count "$A" started application)" = 1 ]
check "no Deployment's generation moved" [ "$(gens)" = "$G1" ]

# --- uninstall: volumes kept unless told
(cd "$A" && "$TUI" --kubeconfig "$KUBECONFIG" uninstall --answers answers.yaml --yes </dev/null >un.out 2>&1)
check "uninstall without --delete-data succeeds" [ $? -eq 0 ]
check "the application is gone" sh -c "[ -z \"\$(kubectl get deploy,svc,ingress -n dify -o name)\" ]"
check "the volumes and the namespace are kept" sh -c \
    "[ \$(kubectl get pvc -n dify -o name | wc -l) -eq 2 ] && kubectl get ns dify >/dev/null"
check "it says why the volumes stay" grep -q "skip remove-volumes: skipped: you answered no" "$A/un.out"
# installing again after an uninstall starts from the beginning: the journal's
# earlier records describe objects that are gone
install "$A"
check "install after uninstall succeeds" [ $? -eq 0 ]
check "it applied the ConfigMaps again" [ "$(count "$A" started configmaps)" = 2 ]
(cd "$A" && "$TUI" --kubeconfig "$KUBECONFIG" uninstall --answers answers.yaml --yes --delete-data \
    </dev/null >un2.out 2>&1)
check "uninstall --delete-data removes the volumes" [ $? -eq 0 ]
check "and the namespace" wait_for 50 sh -c "! kubectl get ns dify >/dev/null 2>&1"

# --- existing-cluster, as manifests: its cluster has the Ceph class it names
# (preflight refuses a class the cluster lacks)
kubectl apply -f - >/dev/null <<'EOF'
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: csi-rbd-sc}
provisioner: rbd.csi.ceph.com
volumeBindingMode: Immediate
EOF
B=$(workdir b existing-cluster)
DIFY_S3_ACCESS_KEY=AKIAEXAMPLE DIFY_S3_SECRET_KEY=example-secret-key install "$B"
rc=$?
if [ $rc -eq 0 ]; then ok "existing-cluster (manifests method) installs"; else
    fail "existing-cluster (manifests method) installs (exit $rc)"
    sed 's/^/# /' "$B/out" | tail -40
fi
(cd "$B" && "$TUI" --kubeconfig "$KUBECONFIG" uninstall --answers answers.yaml --yes --delete-data \
    </dev/null >un.out 2>&1)
check "and uninstalls" [ $? -eq 0 ]
wait_for 50 sh -c "! kubectl get ns dify >/dev/null 2>&1"

# --- a failing migration stops the install and shows the log
C=$(workdir c existing-manifests)
NOREACH=1 DB=wrongDbPassw0rd4test install "$C"
check "a failing migration fails the install" [ $? -eq 1 ]
check "it names the failed Job" grep -q "^FAIL migration: the migration Job dify-db-migrate-[0-9a-f]* failed (BackoffLimitExceeded" "$C/out"
check "it shows the server's error from the Job's log" \
    grep -q '| .*password authentication failed for user "dify"' "$C/out"
check "nothing after the migration started" [ "$(count "$C" started application)" = 0 ]
sed -i "s/wrongDbPassw0rd4test/$DB_PW/" "$C/answers.secrets.yaml"
install "$C"
check "after the fix the install succeeds" [ $? -eq 0 ]
check "the failed Job was run again" grep -q "failed before: deleting it to run it again" "$C/out"
check "one migration Job" [ "$(jobs_in)" = 1 ]
sim_stop

# --- Ctrl-C in the middle, the lock, and the resume
start_sim "pods:
  - match: {namePrefix: dify-db-migrate}
    pullDelay: 60" || fail "dify-sim starts again"
E=$(workdir e existing-manifests)
(cd "$E" && DIFY_DB_PASSWORD=$DB_PW exec "$TUI" --kubeconfig "$KUBECONFIG" install \
    --answers answers.yaml --yes </dev/null >out 2>&1) &
IPID=$!
wait_for 100 grep -q '"event":"started","step":"migration"' "$E/answers.state/journal.jsonl"
(cd "$E" && DIFY_DB_PASSWORD=$DB_PW "$TUI" --kubeconfig "$KUBECONFIG" install \
    --answers answers.yaml --yes </dev/null >lock.out 2>&1)
check "a second install on the same state directory is refused" [ $? -eq 1 ]
check "naming the one that holds it" grep -q "is in use by another dify-tui (pid $IPID" "$E/lock.out"
kill -INT $IPID
wait $IPID
check "Ctrl-C stops the install (exit 1)" [ $? -eq 1 ]
check "it says how to resume" grep -q "run the same command again to resume" "$E/out"
check "the journal records the interruption" grep -q '"event":"interrupted","step":"migration"' \
    "$E/answers.state/journal.jsonl"
UID1=$(kubectl get jobs -n dify -l app.kubernetes.io/component=db-migration -o jsonpath='{.items[0].metadata.uid}')
install "$E"
rc=$?
if [ $rc -eq 0 ]; then ok "install again resumes and finishes"; else
    fail "install again resumes and finishes (exit $rc)"
    sed 's/^/# /' "$E/out" | tail -30
fi
check "the namespace and Secrets were not applied again" \
    sh -c "[ $(count "$E" started namespace) = 1 ] && [ $(count "$E" started secrets) = 1 ]"
check "the migration Job is the same one, not created twice" sh -c \
    "[ \"\$(kubectl get jobs -n dify -l app.kubernetes.io/component=db-migration -o jsonpath='{.items[*].metadata.uid}')\" = '$UID1' ]"
check "it ran once" sh -c \
    "[ \"\$(kubectl get jobs -n dify -l app.kubernetes.io/component=db-migration -o jsonpath='{.items[0].status.succeeded}/{.items[0].status.failed}')\" = '1/' ]"
check "every Deployment is at generation 1" all_gen1
sim_stop

# --- a crash-looping component
start_sim "pods:
  - match: {namePrefix: dify-plugin-daemon}
    crashAfter: 1
    logs: ['panic: the install test makes the plugin daemon crash']" || fail "dify-sim starts again"
F=$(workdir f existing-manifests)
install "$F" --rollout-timeout 8
check "a crash-looping component fails the install" [ $? -eq 1 ]
check "the wait names it and its state" \
    grep -q '^FAIL rollouts: 1 component was not ready within 8 s: .*dify-plugin-daemon.*CrashLoopBackOff' "$F/out"
check "it shows the pod's log" grep -q "| panic: the install test makes the plugin daemon crash" "$F/out"
check "the others rolled out" grep -q "rollouts: dify-api: 1 of 1 ready" "$F/out"
sim_stop

done_testing
