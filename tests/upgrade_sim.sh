#!/bin/bash
# tests/upgrade_sim.sh: `dify-tui upgrade` against dify-sim with its Dify
# model and a real PostgreSQL and Redis (docs/runner.md, "dify-tui upgrade").
#  - install Dify OLD with the built-in manifests;
#  - --dry-run shows what changes (the image lines old and new, the objects,
#    the Secrets' file named but not shown) and changes nothing;
#  - an api/plugin daemon pair that does not go together is refused (exit 2)
#    and changes nothing, an api the version table does not know is a
#    warning; without a terminal and without --yes it refuses;
#  - an upgrade to NEW succeeds: the new revision's migration Job ran (and
#    finished before the application was applied), the Deployments'
#    generations moved, every component rolled out to NEW; again: nothing to
#    do; history lists installed and upgraded;
#  - an upgrade whose plugin daemon crash-loops (a Redis password its model
#    refuses) fails at the rollout deadline and is rolled back (--yes): the
#    previous images and Secret are back and ready, history says rolled back
#    and restored;
#  - no secret in the output, the journal or the log.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

need_or_skip "upgrade against dify-sim" kubectl curl stores
tmpdir_new
TUI="$top_builddir/dify-tui"
DB_PW=upgradeDbPassw0rd2026x
REDIS_PW=upgradeRedisPassw0rd26
BAD_REDIS=notTheRedisPassw0rd26
BAD_DB=notTheDbPassw0rd4upgrade
OLD=1.13.3
NEW=1.14.2
EE_TAG=c0c64c75d6c7ef5c273a49aec38adbc7cb952cb4 # an enterprise api build: no community daemon goes with it

SUPER_PW=upgradeSuper4tests STORES_DBS="dify, dify_plugin, difyh, difyh_plugin" manifests_sim upgrade-test
# run CMD OUT ARGS...: dify-tui CMD in $D without a terminal, output in $D/OUT
run() {
    local cmd=$1 out=$2
    shift 2
    (cd "$D" && DIFY_DB_PASSWORD=${DB:-$DB_PW} DIFY_REDIS_PASSWORD=${REDIS:-$REDIS_PW} "$TUI" \
        --kubeconfig "$KUBECONFIG" "$cmd" --answers answers.yaml "$@" </dev/null >"$OUT_DIR/$out" 2>&1)
}
OUT_DIR="$TEST_TMP/out"
mkdir -p "$OUT_DIR"
J="$D/answers.state/journal.jsonl"
gen() { kubectl get deploy -n dify "$1" -o jsonpath='{.metadata.generation}'; }
image() { kubectl get deploy -n dify "$1" -o jsonpath='{.spec.template.spec.containers[0].image}'; }
# every Deployment's pods ready and up to date with its spec
all_ready() {
    [ "$(kubectl get deploy -n dify -o jsonpath='{range .items[*]}{.status.observedGeneration}={.metadata.generation}:{.status.updatedReplicas}/{.status.readyReplicas}/{.spec.replicas} {end}' |
        tr ' ' '\n' | grep -v -e '^$' -e '^\([0-9]*\)=\1:\([0-9]*\)/\2/\2$' | wc -l)" = 0 ]
}
no_secret() { ! grep -rq -e "$DB_PW" -e "$REDIS_PW" -e "$BAD_REDIS" -e "$BAD_DB" "$@"; }

# --- install OLD
set_tag $OLD
run install install.out --yes --no-tui --db-address "$PG"
rc=$?
if [ $rc -eq 0 ]; then ok "Dify $OLD installs"; else
    fail "Dify $OLD installs (exit $rc)"
    sed 's/^/# /' "$OUT_DIR/install.out" | tail -30
fi
G_API=$(gen dify-api)
check "the api runs $OLD" [ "$(image dify-api)" = "langgenius/dify-api:$OLD" ]

# --- the dry run shows the changes and changes nothing
set_tag $NEW
LINES=$(wc -l <"$J")
run upgrade dry.out --dry-run --db-address "$PG"
check "upgrade --dry-run exits 0" [ $? -eq 0 ]
check "it names the versions" grep -q "upgrade: Dify $OLD -> $NEW (manifests)" "$OUT_DIR/dry.out"
check "it says the pair goes together" grep -q "versions: Dify $NEW goes with plugin daemon" "$OUT_DIR/dry.out"
check "it shows the api image old and new" sh -c \
    "grep -q -- '- .*image: langgenius/dify-api:$OLD' '$OUT_DIR/dry.out' &&
     grep -q -- '+ .*image: langgenius/dify-api:$NEW' '$OUT_DIR/dry.out'"
check "it names the changed objects" grep -q "  Deployment dify-api changed" "$OUT_DIR/dry.out"
check "it names the new migration Job" grep -q "  Job dify-db-migrate-[0-9a-f]* added" "$OUT_DIR/dry.out"
plan_order() {
    [ "$(grep -o -e '\[migration\]' -e '\[application\]' "$OUT_DIR/dry.out" | tr -d '\n')" = "[migration][application]" ]
}
check "it prints the plan, migration before the application" plan_order
unchanged() { # the journal and the api as they were
    [ "$(wc -l <"$J")" = "$LINES" ] && [ "$(gen dify-api)" = "$G_API" ] &&
        [ "$(image dify-api)" = "langgenius/dify-api:$OLD" ]
}
check "the dry run changed nothing" unchanged
check "no secret in the dry run's output" no_secret "$OUT_DIR/dry.out"

# --- a pair that does not go together is refused
set_tag $EE_TAG
run upgrade pair.out --yes --no-tui --db-address "$PG"
check "a refused pair is exit 2" [ $? -eq 2 ]
check "it says why" grep -q "refused: plugin daemon .* does not go with Dify $EE_TAG" "$OUT_DIR/pair.out"
check "and changed nothing" unchanged

# --- an api the version table does not know: a warning, not a refusal
set_tag 1.99.0
run upgrade unknown.out --dry-run --db-address "$PG"
check "an unknown api version is a warning: the dry run goes on (exit 0)" [ $? -eq 0 ]
check "saying the pair cannot be checked" \
    grep -q "^warning: Dify 1.99.0 is not in this program's version table" "$OUT_DIR/unknown.out"
check "and changed nothing" unchanged

# --- no terminal and no --yes: refused
set_tag $NEW
run upgrade noyes.out --no-tui --db-address "$PG"
check "without a terminal and without --yes it refuses (exit 2)" [ $? -eq 2 ]
check "saying how to answer" grep -q "no terminal to confirm on: nothing was changed; run with --yes" "$OUT_DIR/noyes.out"
check "and changed nothing" [ "$(wc -l <"$J")" = "$LINES" ]

# --- the upgrade to NEW
run upgrade up.out --yes --no-tui --db-address "$PG"
rc=$?
if [ $rc -eq 0 ]; then ok "the upgrade to $NEW succeeds"; else
    fail "the upgrade to $NEW succeeds (exit $rc)"
    sed 's/^/# /' "$OUT_DIR/up.out" | tail -40
fi
check "the api runs $NEW" [ "$(image dify-api)" = "langgenius/dify-api:$NEW" ]
check "the api's generation moved" [ "$(gen dify-api)" -gt "$G_API" ]
check "every component is ready and up to date" all_ready
NEWJOB=$(kubectl get jobs -n dify -l app.kubernetes.io/component=db-migration \
    -o jsonpath="{range .items[*]}{.metadata.name} {.spec.template.spec.containers[0].image} {.status.succeeded}{'\n'}{end}" |
    grep " langgenius/dify-api:$NEW 1\$" | cut -d' ' -f1)
check "the new revision's migration Job ran to its end" [ -n "$NEWJOB" ]
check "the migration finished before the application was applied" sh -c \
    "awk '/\"event\":\"run\".*\"what\":\"upgrade\"/ {u=1} u && /\"event\":\"finished\",\"step\":\"migration\"/ {m=NR}
          u && /\"event\":\"started\",\"step\":\"application\"/ {a=NR} END {exit !(m && a && m < a)}' '$J'"
run history hist1.out
check "history lists the install and the upgrade" lines_match "$OUT_DIR/hist1.out" \
    "^1 .* install +installed +$OLD " \
    "^2 .* upgrade +upgraded +$OLD -> $NEW "

G2=$(gen dify-api)
run upgrade again.out --yes --no-tui --db-address "$PG"
check "the same answers again: nothing to do (exit 0)" [ $? -eq 0 ]
check "it says so" grep -q "upgrade: nothing to do: Dify $NEW runs as these answers describe" "$OUT_DIR/again.out"
check "and changed nothing" [ "$(gen dify-api)" = "$G2" ]

# --- a changed ConfigMap (the mounted prompts.py, seed 004) rolls the pods
# that read it, and only those
echo "# changed by tests/upgrade_sim.sh" >>"$D/files/prompts.py"
G_API=$(gen dify-api)
G_WEB=$(gen dify-web)
run upgrade cm.out --yes --no-tui --db-address "$PG"
check "an upgrade that changes only a ConfigMap succeeds" [ $? -eq 0 ]
check "it shows the ConfigMap and the api's checksum changing" sh -c \
    "grep -q '  ConfigMap dify-prompts changed' '$OUT_DIR/cm.out' && grep -q '+ .*checksum/config: ' '$OUT_DIR/cm.out'"
rolled_cm() { [ "$(gen dify-api)" -gt "$G_API" ] && [ "$(gen dify-web)" = "$G_WEB" ]; }
check "the api's pods roll (its generation moved), web's do not" rolled_cm
check "every component is ready and up to date" all_ready

# --- a failing migration: the new revision's Secret carries a password the
# database refuses; the application is never touched, the rollback puts the
# Secret back
set_tag 1.16.1
DB=$BAD_DB run upgrade mig.out --yes --no-tui
check "an upgrade whose migration fails exits 1" [ $? -eq 1 ]
check "it names the failed Job of the new revision" \
    grep -q "^FAIL migration: the migration Job dify-db-migrate-[0-9a-f]* failed" "$OUT_DIR/mig.out"
check "it shows the server's refusal from the Job's log" \
    grep -q '| .*password authentication failed for user "dify"' "$OUT_DIR/mig.out"
check "the application was not applied after the failed migration" \
    sh -c "! grep -q '^==> application' '$OUT_DIR/mig.out'"
check "it was rolled back" grep -q "rollback: done: Dify $NEW runs again" "$OUT_DIR/mig.out"
check "the database password is back in the Secret" sh -c \
    "kubectl get secret -n dify dify-secrets -o jsonpath='{.data.DB_PASSWORD}' | base64 -d | grep -qx '$DB_PW'"
check "the api still runs $NEW" [ "$(image dify-api)" = "langgenius/dify-api:$NEW" ]
check "every component is ready" wait_for 100 all_ready

# --- a failing upgrade is rolled back: the new plugin daemon crash-loops on
# a Redis password the server refuses
set_tag 1.16.1
D_IMG=$(image dify-plugin-daemon)
REDIS=$BAD_REDIS run upgrade fail.out --yes --no-tui --db-address "$PG" --rollout-timeout 10
rc=$?
check "the failing upgrade exits 1" [ $rc -eq 1 ]
check "the rollout names the crash-looping daemon" \
    grep -q "^FAIL rollouts: .*dify-plugin-daemon.*CrashLoopBackOff" "$OUT_DIR/fail.out"
check "the daemon's log says why" grep -q "WRONGPASS" "$OUT_DIR/fail.out"
check "it rolls back unattended with --yes" grep -q "upgrade: rolling back to Dify $NEW" "$OUT_DIR/fail.out"
check "the rollback finishes" grep -q "rollback: done: Dify $NEW runs again" "$OUT_DIR/fail.out"
if ! grep -q "rollback: done" "$OUT_DIR/fail.out"; then sed 's/^/# /' "$OUT_DIR/fail.out" | tail -40; fi
images_back() {
    [ "$(image dify-api)" = "langgenius/dify-api:$NEW" ] && [ "$(image dify-plugin-daemon)" = "$D_IMG" ]
}
check "the previous images are back" images_back
check "the previous Redis password is back in the Secret" sh -c \
    "kubectl get secret -n dify dify-secrets -o jsonpath='{.data.REDIS_PASSWORD}' | base64 -d | grep -qx '$REDIS_PW'"
check "every component is ready and up to date" wait_for 100 all_ready
run history hist2.out
check "history: each failed upgrade rolled back, each rollback restored $NEW" lines_match "$OUT_DIR/hist2.out" \
    "^3 .* upgrade +upgraded +$NEW -> $NEW " \
    "^4 .* upgrade +rolled back +$NEW -> 1\\.16\\.1 " \
    "^5 .* rollback +restored +$NEW " \
    "^6 .* upgrade +rolled back +$NEW -> 1\\.16\\.1 " \
    "^7 .* rollback +restored +$NEW "
check "deployed now: $NEW" grep -q "deployed now: Dify $NEW (manifests)" "$OUT_DIR/hist2.out"
check "no secret in the outputs, the journal or the logs" \
    no_secret "$OUT_DIR" "$J" "$D/answers.state/upgrade.log" "$D/answers.state/install.log"
sed 's/^/# /' "$OUT_DIR/hist2.out"

# --- the Helm method, with a stand-in helm (tests/data/upgrade/fake-helm.sh)
# that records its argv and deploys, for the values' api tag, the objects
# the manifests method renders for the same answers (so the simulator's
# model runs them); an upgrade it fails (as Helm's --wait does, after
# applying) is rolled back with `helm rollback` to the release revision the
# install recorded.
H="$TEST_TMP/h"
mkdir -p "$H/apps"
cp -r "$top_srcdir/assets/examples/files" "$H/"
helm_answers() { # TAG METHOD: answers in namespace helmns, database difyh
    sed -e "s/^version: 1$/version: 1\nimage_tag: \"$1\"/" -e "s/^method: manifests/method: $2/" \
        -e 's/^namespace: dify$/namespace: helmns/' -e 's/^  name: dify$/  name: difyh/' \
        -e 's/^  plugin_database: dify_plugin$/  plugin_database: difyh_plugin/' \
        "$top_srcdir/assets/examples/existing-manifests.yaml"
}
for t in $NEW 1.16.1; do
    helm_answers $t manifests >"$H/app-$t.yaml"
    (cd "$H" && DIFY_DB_PASSWORD=$DB_PW DIFY_REDIS_PASSWORD=$REDIS_PW "$TUI" render --answers "app-$t.yaml" \
        --secrets answers.secrets.yaml --out "render-$t" >/dev/null 2>&1)
    mkdir -p "$H/apps/$t"
    cp "$H/render-$t"/manifests/[1-4]*.yaml "$H/apps/$t/"
    rm -f "$H/apps/$t"/28-*.yaml "$H/apps/$t"/30-*.yaml
done
export FAKE_HELM_APPS="$H/apps" FAKE_HELM_LOG="$H/helm.log"
export HELM="$top_srcdir/tests/data/upgrade/fake-helm.sh"
hrun() { # OUT ARGS...: dify-tui (upgrade or install) for the Helm answers
    local out=$1
    shift
    (cd "$H" && DIFY_DB_PASSWORD=$DB_PW DIFY_REDIS_PASSWORD=$REDIS_PW "$TUI" --kubeconfig "$KUBECONFIG" \
        "$@" --answers answers.yaml --yes --no-tui --db-address "$PG" </dev/null >"$OUT_DIR/$out" 2>&1)
}
himage() { kubectl get deploy -n helmns "$1" -o jsonpath='{.spec.template.spec.containers[0].image}'; }
helm_answers $NEW helm >"$H/answers.yaml"
hrun h-install.out install
rc=$?
if [ $rc -eq 0 ]; then ok "the Helm method installs $NEW (stand-in helm)"; else
    fail "the Helm method installs $NEW (stand-in helm) (exit $rc)"
    sed 's/^/# /' "$OUT_DIR/h-install.out" | tail -30
fi
check "helm upgrade --install ran with the pinned chart" grep -q "^upgrade --install dify .* --namespace helmns" "$H/helm.log"
helm_answers 1.16.1 helm >"$H/answers.yaml"
FAKE_HELM_FAIL=1.16.1 hrun h-up.out upgrade
check "a Helm upgrade that fails exits 1" [ $? -eq 1 ]
check "helm's error is shown" grep -q "timed out waiting for the condition" "$OUT_DIR/h-up.out"
check "it was rolled back with helm rollback to the install's revision" \
    grep -q "^rollback dify 1 --namespace helmns --wait --timeout" "$H/helm.log"
check "the rollback finished" grep -q "rollback: done: Dify $NEW runs again" "$OUT_DIR/h-up.out"
if ! grep -q "rollback: done" "$OUT_DIR/h-up.out"; then sed 's/^/# /' "$OUT_DIR/h-up.out" | tail -30; fi
check "the api runs $NEW again" [ "$(himage dify-api)" = "langgenius/dify-api:$NEW" ]
hrun h-up2.out upgrade
check "the same Helm upgrade without the failure succeeds" [ $? -eq 0 ]
check "the api runs 1.16.1" [ "$(himage dify-api)" = "langgenius/dify-api:1.16.1" ]
(cd "$H" && "$TUI" history --answers answers.yaml >"$OUT_DIR/h-hist.out" 2>&1)
check "history: installed, rolled back (Helm revision 1 restored), upgraded" \
    lines_match "$OUT_DIR/h-hist.out" \
    "^1 .* install +installed +$NEW .* 1 " \
    "^2 .* upgrade +rolled back +$NEW -> 1\\.16\\.1 " \
    "^3 .* rollback +restored +$NEW .* 1 " \
    "^4 .* upgrade +upgraded +$NEW -> 1\\.16\\.1 "
sed 's/^/# /' "$OUT_DIR/h-hist.out"
check "no secret in the Helm runs' outputs" no_secret "$OUT_DIR" "$H/answers.state/journal.jsonl"
[ -n "${UPGRADE_KEEP:-}" ] && cp -r "$OUT_DIR" "$UPGRADE_KEEP"
sim_stop
done_testing
