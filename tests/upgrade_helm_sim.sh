#!/bin/bash
# tests/upgrade_helm_sim.sh: `dify-tui upgrade` of a Helm-method install
# with the REAL helm against dify-sim, its Dify model and a real PostgreSQL
# and Redis (docs/runner.md, "dify-tui upgrade"). The chart is the local
# stand-in tests/data/difychart, as in tests/install_helm_sim.sh.
#  - install Dify 1.13.3 (Helm revision 1);
#  - upgrade to 1.14.2: the new revision's migration Job finishes before
#    `helm upgrade` starts, Helm's revision 2 is deployed, the api runs
#    1.14.2, history says upgraded;
#  - upgrade to 1.16.1 with a Redis password the server refuses: the new
#    plugin daemon crash-loops, helm's --wait runs out, and (--yes) the
#    release is rolled back with `helm rollback dify 2`: Helm's record says
#    so, the daemon of 1.14.2 is back and ready, history says rolled back
#    and restored (Helm revision 2);
#  - no secret in the output, the journal or the log.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"
. "$top_srcdir/tests/helmlib.sh"

helm_or_skip "upgrade with the real helm against dify-sim"
tmpdir_new
helm_homes
TUI="$top_builddir/dify-tui"
helm_secrets helmUp
BAD_REDIS=helmUpWrongRedis2026x
export DIFY_DB_PASSWORD=$DB_PW

helm_scenario upgrade-helm-test >"$TEST_TMP/scenario.yaml"

D="$TEST_TMP/d"
mkdir -p "$D"
set_tag() { # TAG: the example as shipped, that tag, the local chart
    sed "s/^version: 1$/version: 1\nimage_tag: \"$1\"/" "$top_srcdir/assets/examples/existing-cluster.yaml" >"$D/answers.yaml"
    printf 'helm:\n  chart: ./chart\n' >>"$D/answers.yaml"
}
set_tag 1.13.3
VERSION=$(cd "$D" && DIFY_REDIS_PASSWORD=$REDIS_PW "$TUI" install --answers answers.yaml --dry-run 2>/dev/null |
    pinned_version)
check "the example pins a chart version" [ -n "$VERSION" ]
chart_copy "$D" "$VERSION"

if ! sim_start_stores "$TEST_TMP/scenario.yaml"; then
    fail "dify-sim starts with data stores"
    done_testing
    exit 1
fi
PG="127.0.0.1:$(sim_port PostgreSQL)"
run() { # CMD OUT ARGS...
    local cmd=$1 out=$2
    shift 2
    (cd "$D" && DIFY_REDIS_PASSWORD=${REDIS:-$REDIS_PW} "$TUI" --kubeconfig "$KUBECONFIG" "$cmd" \
        --answers answers.yaml --yes --no-tui --db-address "$PG" "$@" </dev/null >"$TEST_TMP/$out" 2>&1)
}
show() { sed 's/^/# /' "$TEST_TMP/$1" | tail -"${2:-40}"; }
J="$D/answers.state/journal.jsonl"
image() { kubectl get deploy -n dify "$1" -o jsonpath='{.spec.template.spec.containers[0].image}'; }

run install install.out
rc=$?
if [ $rc -eq 0 ]; then ok "Dify 1.13.3 installs with the real helm"; else
    fail "Dify 1.13.3 installs with the real helm (exit $rc)"
    show install.out
fi

set_tag 1.14.2
run upgrade up.out
rc=$?
if [ $rc -eq 0 ]; then ok "the upgrade to 1.14.2 with the real helm succeeds"; else
    fail "the upgrade to 1.14.2 with the real helm succeeds (exit $rc)"
    show up.out
fi
check "the values' api tag changed in the comparison" grep -q '+ .*tag: "1.14.2"' "$TEST_TMP/up.out"
mig_first() {
    awk '/"event":"run".*"what":"upgrade"/ {u=1}
         u && /"event":"finished","step":"migration"/ && !m {m=NR}
         u && /"event":"started","step":"helm-release"/ && !h {h=NR}
         END {exit !(m && h && m < h)}' "$J"
}
check "the new revision's migration finished before helm upgrade started" mig_first
check "helm's record: revision 2 deployed" sh -c \
    "'$HELM' --kubeconfig '$KUBECONFIG' history dify -n dify -o json |
        grep -q '\"revision\":2,[^}]*\"status\":\"deployed\"'"
check "the api runs 1.14.2" [ "$(image dify-api)" = "langgenius/dify-api:1.14.2" ]
DAEMON=$(image dify-plugin-daemon)

set_tag 1.16.1
REDIS=$BAD_REDIS run upgrade fail.out --rollout-timeout 15
check "an upgrade whose daemon crash-loops fails (exit 1)" [ $? -eq 1 ]
check "helm's wait ran out" grep -q "FAIL helm-release: .*" "$TEST_TMP/fail.out"
check "it was rolled back to Helm revision 2" grep -q "rollback: back to Dify 1.14.2 (helm, Helm revision 2)" "$TEST_TMP/fail.out"
check "the rollback finished" grep -q "rollback: done: Dify 1.14.2 runs again" "$TEST_TMP/fail.out"
grep -q "rollback: done" "$TEST_TMP/fail.out" || show fail.out 60
check "helm's record: the rollback to 2 is deployed" sh -c \
    "'$HELM' --kubeconfig '$KUBECONFIG' history dify -n dify -o json |
        grep -q '\"revision\":4,[^}]*\"status\":\"deployed\",[^}]*\"description\":\"Rollback to 2\"'"
check "the daemon of 1.14.2 is back" [ -n "$DAEMON" ] && [ "$(image dify-plugin-daemon)" = "$DAEMON" ]
(cd "$D" && "$TUI" history --answers answers.yaml >"$TEST_TMP/hist.out" 2>&1)
check "history: installed, upgraded, rolled back, restored to Helm revision 2" \
    lines_match "$TEST_TMP/hist.out" \
    '^1 .* install +installed +1\.13\.3 .* 1 ' \
    '^2 .* upgrade +upgraded +1\.13\.3 -> 1\.14\.2 .* 2 ' \
    '^3 .* upgrade +rolled back +1\.14\.2 -> 1\.16\.1 ' \
    '^4 .* rollback +restored +1\.14\.2 .* 2 '
sed 's/^/# /' "$TEST_TMP/hist.out"
check "no secret in the outputs, the journal or the log" sh -c \
    "! grep -rqF -e '$DB_PW' -e '$REDIS_PW' -e '$BAD_REDIS' -e '$S3_SECRET' '$TEST_TMP'/*.out '$J' '$D/answers.state/upgrade.log'"
sim_stop
done_testing
