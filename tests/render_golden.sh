#!/bin/sh
# tests/render_golden.sh: renders every fixture case (tests/render_fixture.c,
# fixed secrets) and compares the whole tree with tests/data/golden/<case>/;
# UPDATE_GOLDEN=1 rewrites the goldens after a deliberate change. Also: two
# renders are identical (bytes and modes), modes follow the secrets rule,
# no staging directory is left, and the real kubectl accepts the manifests.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
tmpdir_new
RC="$top_builddir/tests/render_cases"
DATA="$top_srcdir/tests/data/render"
GOLDEN="$top_srcdir/tests/data/golden"

check "render all cases" "$RC" "$DATA" "$TEST_TMP/a"
check "render all cases again" "$RC" "$DATA" "$TEST_TMP/b"

modes() { (cd "$1" && find . -type f -printf '%m %p\n' | sort); }
if diff -r "$TEST_TMP/a" "$TEST_TMP/b" >/dev/null &&
    [ "$(modes "$TEST_TMP/a")" = "$(modes "$TEST_TMP/b")" ]; then
    ok "two renders give identical bytes and modes"
else
    fail "two renders differ"
fi

# kubectl needs an API server even for --dry-run=client (discovery maps kinds
# to resources): dify-sim is that server. It proves the manifests parse as
# Kubernetes objects of known kinds with names and namespaces, and that an API
# server takes them through a server-side apply dry run with strict field
# validation (dify-sim checks field names and types against the API's
# schema, and the required fields, ranges and names of docs/sim.md). Set
# DIFY_TEST_KUBECONFIG to a real cluster to run the same against it.
have_sim=no
if need_tool kubectl && need_tool curl; then
    . "$top_srcdir/tests/simlib.sh"
    sim_start && have_sim=yes
fi

for c in $("$RC" --list); do
    out="$TEST_TMP/a/$c"
    if [ -n "${UPDATE_GOLDEN:-}" ]; then
        rm -rf "$GOLDEN/$c" && mkdir -p "$GOLDEN" && cp -r "$out" "$GOLDEN/$c" &&
            rm -f "$GOLDEN/$c/.dify-tui-rendered" && chmod -R u+rw,go+r "$GOLDEN/$c"
        ok "$c: golden rewritten"
    elif diff -ru -x .dify-tui-rendered "$GOLDEN/$c" "$out" >&2; then
        ok "$c: matches golden"
    else
        fail "$c: differs from tests/data/golden/$c (UPDATE_GOLDEN=1 after a deliberate change)"
    fi
    bad=$(cd "$out" && find . -type f -printf '%m %p\n' | while read -r m f; do
        case "$f" in
        ./secrets.tfvars.json | ./values-secrets.yaml | ./manifests/10-secrets.yaml) want=600 ;;
        ./.dify-tui-rendered) want=600 ;; # the record of the rendering (docs/render.md)
        *) want=644 ;;
        esac
        [ "$m" = "$want" ] || echo "$f is $m, want $want"
    done)
    if [ -z "$bad" ]; then ok "$c: modes"; else fail "$c: modes: $bad"; fi
    if [ -z "$(find "$out" -name '.*' ! -name . ! -name .dify-tui-rendered)" ]; then
        ok "$c: no staging left"
    else
        fail "$c: staging left behind"
    fi
    if [ $have_sim = no ]; then
        skip "$c: kubectl accepts manifests" "kubectl or curl not installed, or dify-sim did not start"
    elif kubectl create --dry-run=client --validate=false -o json -f "$out/manifests" \
        >"$TEST_TMP/$c.json" 2>"$TEST_TMP/$c.err"; then
        ok "$c: kubectl create --dry-run=client accepts manifests"
    else
        cat "$TEST_TMP/$c.err" >&2
        fail "$c: kubectl create --dry-run=client rejected the manifests"
    fi
    if [ $have_sim = yes ]; then
        # The namespace must exist for a dry run of the objects inside it.
        if kubectl apply --server-side -f "$out/manifests/00-namespace.yaml" >/dev/null 2>&1 &&
            kubectl apply --server-side --dry-run=server --validate=strict -f "$out/manifests" \
                >"$TEST_TMP/$c.srv" 2>&1; then
            ok "$c: dify-sim accepts the manifests in a server-side dry run"
        else
            sed 's/^/# /' "$TEST_TMP/$c.srv" | tail -n 20
            fail "$c: dify-sim rejected the manifests in a server-side dry run"
        fi
    fi
    if [ -n "${DIFY_TEST_KUBECONFIG:-}" ]; then
        # What a real check runs: `create` fails on any cluster (AlreadyExists
        # for what is there, NotFound for objects in a namespace a dry run
        # does not create), so the namespace is applied for real first and
        # the rest goes through a server-side apply dry run.
        if KUBECONFIG="$DIFY_TEST_KUBECONFIG" kubectl apply --server-side \
            -f "$out/manifests/00-namespace.yaml" >/dev/null &&
            KUBECONFIG="$DIFY_TEST_KUBECONFIG" kubectl apply --server-side --dry-run=server \
                --validate=strict -f "$out/manifests" >/dev/null; then
            ok "$c: cluster server-side apply dry run with strict validation"
        else
            fail "$c: cluster server-side apply dry run with strict validation"
        fi
    fi
done
done_testing
