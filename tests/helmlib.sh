# tests/helmlib.sh: what the tests of the Helm method against dify-sim share
# (tests/install_helm_sim.sh, tests/upgrade_helm_sim.sh). Source after
# tests/lib.sh and tests/simlib.sh.
#
#   helm_or_skip WHAT   HELM: a helm 3 ($HELM, the build's .tools/helm, or on
#                       PATH), exported; kubectl, curl and the data stores'
#                       servers there. Else a SKIP of WHAT saying which is
#                       missing, and the test ends.
#   helm_homes          helm's caches and repositories config in $TEST_TMP
#   helm_secrets TAG    the test's secrets, TAG in each (no test finds
#                       another's): DB_PW, REDIS_PW, SUPER_PW, S3_KEY and
#                       S3_SECRET, the S3 pair exported as DIFY_S3_ACCESS_KEY
#                       and DIFY_S3_SECRET_KEY
#   helm_scenario NAME [EXTRA]  tests/simlib.sh's stores_scenario with the
#                       storage class the example's volumes name, then EXTRA
#   chart_copy DIR VERSION  the stand-in chart (tests/data/difychart) as
#                       DIR/chart, at that version (the test sets what the
#                       answers pin: CI cannot fetch the real chart)
#   pinned_version      the chart version `install --dry-run` (on stdin) pins

helm_or_skip() {
    local why=
    HELM=${HELM:-}
    [ -z "$HELM" ] && [ -x "$top_builddir/.tools/helm" ] && HELM="$top_builddir/.tools/helm"
    [ -z "$HELM" ] && HELM=$(command -v helm 2>/dev/null || true)
    if [ -z "$HELM" ] || ! "$HELM" version --short 2>/dev/null | grep -q '^v3\.'; then
        why="no helm 3 (scripts/dev.sh setup installs one into .tools/)"
    elif ! need_tool kubectl || ! need_tool curl; then
        why="kubectl or curl is not installed"
    elif ! need_stores; then
        why=$STORES_WHY
    fi
    if [ -n "$why" ]; then
        skip "$1" "$why"
        done_testing
        exit 0
    fi
    export HELM
}

helm_homes() {
    export HELM_CACHE_HOME="$TEST_TMP/helm-cache" HELM_CONFIG_HOME="$TEST_TMP/helm-config" \
        HELM_DATA_HOME="$TEST_TMP/helm-data"
}

helm_secrets() {
    DB_PW=${1}DbPassw0rd2026xy
    REDIS_PW=${1}RedisPassw0rd26xy
    SUPER_PW=${1}Super4tests
    S3_KEY=AKIA$(printf %s "$1" | tr a-z A-Z)TESTEXAMPLE
    S3_SECRET=${1}S3secretKeyForTests2026
    export DIFY_S3_ACCESS_KEY=$S3_KEY DIFY_S3_SECRET_KEY=$S3_SECRET
}

helm_scenario() {
    stores_scenario "$1" "  - {apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: {name: csi-rbd-sc}, provisioner: rbd.csi.ceph.com, volumeBindingMode: Immediate}
${2:-}"
}

chart_copy() {
    cp -r "$top_srcdir/tests/data/difychart" "$1/chart"
    chmod -R u+w "$1/chart"
    sed -i "s/^version: .*/version: $2/" "$1/chart/Chart.yaml"
}

pinned_version() {
    sed -n 's/^   \$ .* upgrade --install dify .* --version \([^ ]*\) .*/\1/p' | head -1
}
