#!/bin/bash
# tests/install_helm_sim.sh: the Helm method end to end. `dify-tui install`
# of the shipped existing-cluster example, as shipped (method: helm), with
# the REAL helm against dify-sim, its Dify model and a real PostgreSQL and
# Redis (docs/runner.md, "The Helm method").
# CI has no network, so the chart comes from disk: helm.chart names a local
# copy of tests/data/difychart (a stand-in for the community chart that
# reads the value keys render writes and makes the community chart's
# objects, names and labels), which is also the air-gapped feature.
#  - the plan: no repository step; the local chart's version is checked
#    against helm.version (a chart of another version is refused, saying
#    which);
#  - preflight, the databases, namespace, Secrets, the migration Job, then
#    `helm upgrade --install` with the rendered values and the pinned
#    version; while helm waits the release's Deployments are shown; then
#    the rollouts and the post-deploy checks (api /health, daemon
#    /health/check, the api -> daemon key);
#  - helm's own record: revision 1 deployed, the chart version pinned;
#  - a second install redoes nothing (helm is not run again);
#  - no secret value in the journal, the log or the output;
#  - a changed answer upgrades the release (revision 2) through helm's
#    three-way merge with what was changed on the cluster by hand;
#  - a release left in pending-upgrade, then one left in pending-install, by
#    a helm killed in the middle of its wait (for real: SIGKILL, as a lost
#    SSH session or an OOM kill does) is recognised and explained with the
#    command that clears it (helm rollback to the revision before; helm
#    uninstall); after that command, install again succeeds.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"
. "$top_srcdir/tests/helmlib.sh"

helm_or_skip "the Helm method against dify-sim"

tmpdir_new
# helm keeps its caches and repositories config here, not in $HOME
helm_homes
TUI="$top_builddir/dify-tui"
helm_secrets helm
export DIFY_REDIS_PASSWORD=$REDIS_PW

# the web pods take a while to start, so helm waits and the install shows it
helm_scenario install-helm-test "pods:
  - match: {namePrefix: dify-web}
    pullDelay: 60" >"$TEST_TMP/scenario.yaml"

# workdir NAME [NAMESPACE]: the existing-cluster example as shipped, with
# helm.chart a local copy of the stand-in chart at the version it pins
workdir() {
    local d="$TEST_TMP/$1"
    mkdir -p "$d"
    sed "s/^namespace: dify$/namespace: ${2:-dify}/" "$top_srcdir/assets/examples/existing-cluster.yaml" \
        >"$d/answers.yaml"
    printf 'helm:\n  chart: ./chart\n' >>"$d/answers.yaml"
    chart_copy "$d" "${VERSION:-0.0.0}"
    echo "$d"
}
pg_address() { echo "127.0.0.1:$(sim_port PostgreSQL)"; }
install() { # DIR ARGS...: install there, output in DIR/out
    local d=$1
    shift
    (cd "$d" && DIFY_DB_PASSWORD=$DB_PW "$TUI" --kubeconfig "$KUBECONFIG" install \
        --answers answers.yaml --yes --db-address "$(pg_address)" "$@" </dev/null >out 2>&1)
}
count() { grep -c "\"event\":\"$2\",\"step\":\"$3\"" "$1/answers.state/journal.jsonl" || true; }
line_of() { grep -n "\"event\":\"$2\",\"step\":\"$3\"" "$1/answers.state/journal.jsonl" | head -1 | cut -d: -f1; }
show_out() { sed 's/^/# /' "$1/out" | tail -"${2:-40}"; }
# install_ok DIR NAME [LINES]: install there; ok NAME when it succeeds,
# else the output's last LINES (40)
install_ok() {
    install "$1"
    local rc=$?
    if [ $rc -eq 0 ]; then ok "$2"; else
        fail "$2 (exit $rc)"
        show_out "$1" "${3:-40}"
    fi
}
# kill_helm_at DIR NS STATUS: install from DIR in the background; helm is
# killed once the release dify in NS is STATUS (its Helm Secret says so,
# while helm waits), and the install must fail
helm_pid() { ps -o pid=,comm= --ppid "$IPID" | awk '$2 == "helm" {print $1}'; }
release_is() { kubectl get secret -n "$1" -l "owner=helm,name=dify,status=$2" -o name | grep -q .; }
kill_helm_at() {
    (cd "$1" && DIFY_DB_PASSWORD=$DB_PW exec "$TUI" --kubeconfig "$KUBECONFIG" install \
        --answers answers.yaml --yes --db-address "$(pg_address)" </dev/null >out 2>&1) &
    IPID=$!
    if wait_for 600 release_is "$2" "$3" && [ -n "$(helm_pid)" ]; then
        kill -KILL "$(helm_pid)"
        ok "helm is killed while it waits with the release $3"
    else
        fail "helm is killed while it waits with the release $3"
    fi
    wait $IPID
    check "the install fails when helm is killed" [ $? -eq 1 ]
}

# --- the dry run: the version the example pins, and no repository step
D=$(workdir dry)
(cd "$D" && DIFY_DB_PASSWORD=$DB_PW "$TUI" install --answers answers.yaml --dry-run >out 2>&1)
check "dry run of the example with a local chart exits 0" [ $? -eq 0 ]
VERSION=$(pinned_version <"$D/out")
check "it pins a chart version" [ -n "$VERSION" ]
check "the chart comes from the answers file's directory" \
    grep -qF "upgrade --install dify $D/chart --version $VERSION" "$D/out"
check "a local chart is checked, no repository added" sh -c \
    "grep -qF '$ $HELM show chart $D/chart' '$D/out' && ! grep -q 'helm repo add' '$D/out'"

if ! sim_start_stores "$TEST_TMP/scenario.yaml"; then
    fail "dify-sim starts with data stores"
    done_testing
    exit 1
fi

# --- a chart of another version than helm.version is refused before anything
W=$(VERSION=9.9.9 workdir wrongversion)
install "$W"
check "a local chart of another version fails the install" [ $? -eq 1 ]
check "saying which version is there and which is pinned" \
    grep -q "helm.chart .*/chart is chart dify version 9.9.9, but helm.version pins $VERSION" "$W/out"
check "nothing was installed" sh -c "! kubectl get ns dify >/dev/null 2>&1 || [ -z \"\$(kubectl get deploy -n dify -o name)\" ]"
rm -rf "$W/answers.state"

# --- the full install with the real helm
A=$(VERSION=$VERSION workdir a)
install_ok "$A" "existing-cluster (helm method, local chart) installs with the real helm" 60
check "the local chart was checked" grep -q "^ok   helm-chart: local chart $A/chart: version $VERSION (chart dify, appVersion 1.14.2, a chart directory)" "$A/out"
check "... and its Chart.yaml not printed line by line" sh -c "! grep -q 'test stand-in for the community' '$A/out'"
check "the migration ran before helm" sh -c \
    "[ -n \"$(line_of "$A" finished migration)\" ] && [ \"$(line_of "$A" finished migration)\" -lt \"$(line_of "$A" started helm-release)\" ]"
check "while helm waited its Deployments were shown" \
    grep -q "helm-release: deployment/dify-web: .*of 2" "$A/out"
check "and each of them rolled out by the time helm was done" sh -c \
    "[ \$(grep -c 'helm-release: deployment/dify-[a-z-]*: deployment \"dify-[a-z-]*\" successfully rolled out' '$A/out') -eq 7 ]"
check "a first install is said so, not shown as helm's error" sh -c \
    "grep -q 'helm-release: release dify: not in namespace dify yet (a first install)' '$A/out' &&
     ! grep -q 'release: not found' '$A/out'"
check "helm reported the release deployed" grep -q "helm-release: STATUS: deployed" "$A/out"
check "helm's record: revision 1, deployed, the pinned chart" sh -c \
    "'$HELM' --kubeconfig '$KUBECONFIG' list -n dify -o json | grep -q '\"name\":\"dify\".*\"revision\":\"1\".*\"status\":\"deployed\",\"chart\":\"dify-$VERSION\"'"
check "the release's objects carry the chart's labels" sh -c \
    "[ \$(kubectl get deploy -n dify -l app.kubernetes.io/managed-by=Helm,app.kubernetes.io/instance=dify -o name | wc -l) -eq 7 ]"
check "every Deployment is available" sh -c \
    "[ \$(kubectl get deploy -n dify -o jsonpath='{range .items[*]}{.status.availableReplicas}/{.spec.replicas} {end}' |
        tr ' ' '\n' | grep -cv -e '^\$' -e '^\([0-9]*\)/\1\$') -eq 0 ]"
check "the post-deploy checks passed (api, daemon, their key)" \
    grep -q '^ok   checks: ' "$A/out"
check "the journal finished every step" sh -c \
    "for s in preflight-cluster database namespace secrets migration helm-chart helm-release rollouts checks; do
        grep -q \"\\\"event\\\":\\\"finished\\\",\\\"step\\\":\\\"\$s\\\"\" '$A/answers.state/journal.jsonl' || exit 1
     done"
check "no secret in the journal, the log or the output" sh -c \
    "! grep -rqF -e '$DB_PW' -e '$REDIS_PW' -e '$S3_SECRET' '$A/answers.state/journal.jsonl' '$A/answers.state/install.log' '$A/out'"
check "the filled secret values file is 0600" \
    [ "$(stat -c %a "$A/answers.state/helm/values-secrets.yaml")" = 600 ]

# --- again: nothing redone, helm not run again
install "$A"
check "a second install succeeds" [ $? -eq 0 ]
check "the release step is skipped as unchanged" grep -q "helm-release: unchanged since the last run" "$A/out"
check "helm's record is still revision 1" sh -c \
    "'$HELM' --kubeconfig '$KUBECONFIG' history dify -n dify -o json | grep -q '^\[{\"revision\":1,[^]]*\]\$'"

# --- a changed answer: helm upgrade, revision 2, with helm's three-way merge
# against what changed on the cluster meanwhile (a scale and a label made
# by hand: helm puts the chart's replicas back and keeps the extra label)
printf 'components:\n  api:\n    replicas: 3\n' >>"$A/answers.yaml"
kubectl scale deploy/dify-worker -n dify --replicas=2 >/dev/null
kubectl label deploy/dify-api -n dify example.com/kept-by-hand=yes >/dev/null
install_ok "$A" "install after a changed answer upgrades the release"
check "helm's record: revision 2 deployed, 1 superseded" sh -c \
    "'$HELM' --kubeconfig '$KUBECONFIG' history dify -n dify -o json |
        grep -q '\"revision\":1,[^}]*\"status\":\"superseded\".*\"revision\":2,[^}]*\"status\":\"deployed\"'"
check "the api has the 3 replicas asked for" \
    [ "$(kubectl get deploy dify-api -n dify -o jsonpath='{.spec.replicas}/{.status.readyReplicas}')" = 3/3 ]
check "the worker's hand-made scale is put back to the chart's" \
    [ "$(kubectl get deploy dify-worker -n dify -o jsonpath='{.spec.replicas}')" = 1 ]
check "the hand-made label stays (not in the chart)" \
    [ "$(kubectl get deploy dify-api -n dify -o jsonpath='{.metadata.labels.example\.com/kept-by-hand}')" = yes ]
check "the migration was not run again" [ "$(count "$A" started migration)" = 1 ]

# --- helm killed in the middle of an upgrade's wait: pending-upgrade, which
# the step explains with the rollback that clears it
printf '  web:\n    replicas: 3\n' >>"$A/answers.yaml" # new web pods: helm waits for them
kill_helm_at "$A" dify pending-upgrade
install "$A"
check "install again stops at the release stuck in pending-upgrade" [ $? -eq 1 ]
check "saying so, with its revision" \
    grep -q "FAIL helm-release: the Helm release dify in namespace dify is stuck in pending-upgrade (revision 3)" "$A/out"
check "and the rollback that clears it" grep -qF "helm rollback dify 2 -n dify" "$A/out"
"$HELM" --kubeconfig "$KUBECONFIG" rollback dify 2 -n dify --wait >"$TEST_TMP/rollback.out" 2>&1
check "the rollback given clears it" [ $? -eq 0 ]
install_ok "$A" "after it, install again upgrades the release"
"$HELM" --kubeconfig "$KUBECONFIG" history dify -n dify >"$TEST_TMP/history.out" 2>&1
# (helm leaves the interrupted revision 3 as it was in the history: only the
# newest revision's status makes helm refuse, and it is deployed)
check "helm's record: 4 the rollback to 2, 5 deployed and the newest" sh -c \
    "grep -q '^4 .*superseded .*Rollback to 2' '$TEST_TMP/history.out' &&
     tail -1 '$TEST_TMP/history.out' | grep -q '^5 .*deployed .*Upgrade complete'"
check "web has the 3 replicas asked for" \
    [ "$(kubectl get deploy dify-web -n dify -o jsonpath='{.spec.replicas}/{.status.readyReplicas}')" = 3/3 ]

# --- helm killed in the middle of its wait: a release stuck in pending-install
P=$(VERSION=$VERSION workdir pending dify2)
kill_helm_at "$P" dify2 pending-install
install "$P"
check "install again stops at the stuck release" [ $? -eq 1 ]
check "it says the release is stuck in pending-install" \
    grep -q "FAIL helm-release: the Helm release dify in namespace dify2 is stuck in pending-install (revision 1)" "$P/out"
check "and gives the command that clears it" grep -qF "helm uninstall dify -n dify2" "$P/out"
check "it tried no helm upgrade" [ "$(grep -c 'upgrade --install' "$P/answers.state/install.log")" = 1 ]
"$HELM" --kubeconfig "$KUBECONFIG" uninstall dify -n dify2 >"$TEST_TMP/uninstall.out" 2>&1
check "the command given clears it" [ $? -eq 0 ]
install_ok "$P" "after it, install again succeeds"
check "with a new release, deployed" sh -c \
    "'$HELM' --kubeconfig '$KUBECONFIG' list -n dify2 -o json | grep -q '\"status\":\"deployed\"'"
sim_stop

done_testing
