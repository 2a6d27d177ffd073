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

# A throwaway kubeconfig pointing nowhere and a discovery cache for it:
# kubectl then needs no server to map kinds to resources. Schema validation
# needs the server's OpenAPI document, which does not exist offline, hence
# --validate=false here: this proves the files parse as Kubernetes objects of
# known kinds with names and namespaces, not that every field is known. Set
# DIFY_TEST_KUBECONFIG to a reachable cluster to add a server-side dry run
# with strict validation.
KC="$TEST_TMP/kubeconfig"
cat >"$KC" <<KCEOF
apiVersion: v1
kind: Config
clusters:
- name: nowhere
  cluster: {server: "https://127.0.0.1:1"}
contexts:
- name: nowhere
  context: {cluster: nowhere, user: nowhere}
current-context: nowhere
users:
- name: nowhere
  user: {token: none}
KCEOF
have_py=no
python3 -c 'import yaml' 2>/dev/null && have_py=yes
[ $have_py = yes ] && python3 "$top_srcdir/tests/render/discovery.py" "$TEST_TMP/kcache" 127.0.0.1_1

for c in $("$RC" --list); do
    out="$TEST_TMP/a/$c"
    if [ -n "${UPDATE_GOLDEN:-}" ]; then
        rm -rf "$GOLDEN/$c" && mkdir -p "$GOLDEN" && cp -r "$out" "$GOLDEN/$c" &&
            chmod -R u+rw,go+r "$GOLDEN/$c"
        ok "$c: golden rewritten"
    elif diff -ru "$GOLDEN/$c" "$out" >&2; then
        ok "$c: matches golden"
    else
        fail "$c: differs from tests/data/golden/$c (UPDATE_GOLDEN=1 after a deliberate change)"
    fi
    bad=$(cd "$out" && find . -type f -printf '%m %p\n' | while read -r m f; do
        case "$f" in
        ./secrets.tfvars.json | ./values-secrets.yaml | ./manifests/10-secrets.yaml) want=600 ;;
        *) want=644 ;;
        esac
        [ "$m" = "$want" ] || echo "$f is $m, want $want"
    done)
    if [ -z "$bad" ]; then ok "$c: modes"; else fail "$c: modes: $bad"; fi
    if [ -z "$(find "$out" -name '.*' ! -name . )" ]; then
        ok "$c: no staging left"
    else
        fail "$c: staging left behind"
    fi
    if ! need_tool kubectl; then
        skip "$c: kubectl accepts manifests" "kubectl not installed"
    elif [ $have_py = no ]; then
        skip "$c: kubectl accepts manifests" "python3 with PyYAML needed for the discovery cache"
    elif KUBECONFIG="$KC" kubectl --cache-dir "$TEST_TMP/kcache" create --dry-run=client \
        --validate=false -o json -f "$out/manifests" >"$TEST_TMP/$c.json" 2>"$TEST_TMP/$c.err"; then
        ok "$c: kubectl create --dry-run=client accepts manifests"
    else
        cat "$TEST_TMP/$c.err" >&2
        fail "$c: kubectl create --dry-run=client rejected the manifests"
    fi
    if [ -z "${DIFY_TEST_KUBECONFIG:-}" ]; then
        :
    elif KUBECONFIG="$DIFY_TEST_KUBECONFIG" kubectl create --dry-run=server --validate=strict \
        -f "$out/manifests" >/dev/null; then
        ok "$c: server-side dry run with strict validation"
    else
        fail "$c: server-side dry run with strict validation"
    fi
done
[ -n "${DIFY_TEST_KUBECONFIG:-}" ] ||
    skip "server-side dry runs" "DIFY_TEST_KUBECONFIG not set (no cluster)"
done_testing
