#!/bin/sh
# tests/render_cmd.sh: `dify-tui render` on the real binary: a golden tree
# through the answers loader (tests/data/golden/cmd-manifests-split, fixed
# secrets; UPDATE_GOLDEN=1 rewrites), stable re-renders with generated
# secrets, the bad-answers corpus (exit 2, the same messages as validate,
# nothing written), and output directories that cannot be used.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

BIN="$top_builddir/dify-tui"
DATA="$top_srcdir/tests/data/render"
CORPUS="$top_srcdir/tests/data/bad-answers"
GOLDEN="$top_srcdir/tests/data/golden/cmd-manifests-split"
tmpdir_new
T="$TEST_TMP"

# A listing that changes when anything is created, removed or rewritten.
listing() { (cd "$1" && find . -printf '%p %s %T@ %m\n' | sort); }

# --- golden through the loader -------------------------------------------
mkdir "$T/g"
cp "$DATA/manifests-split.yaml" "$DATA/prompts.py" "$T/g/"
cp "$DATA/fixture.secrets.yaml" "$T/g/s.yaml" && chmod 600 "$T/g/s.yaml"
if (cd / && "$BIN" render --answers "$T/g/manifests-split.yaml" --secrets "$T/g/s.yaml" \
    --out "$T/g/out" >"$T/out.txt" 2>"$T/err.txt"); then
    ok "render manifests-split"
else
    sed 's/^/# /' "$T/err.txt"
    fail "render manifests-split"
fi
if [ -n "${UPDATE_GOLDEN:-}" ]; then
    rm -rf "$GOLDEN" && cp -r "$T/g/out" "$GOLDEN" && rm -f "$GOLDEN/.dify-tui-rendered" &&
        chmod -R u+rw,go+r "$GOLDEN"
    ok "cmd-manifests-split: golden rewritten"
elif diff -ru -x .dify-tui-rendered "$GOLDEN" "$T/g/out" >&2; then
    ok "cmd-manifests-split: matches golden"
else
    fail "cmd-manifests-split: differs from golden (UPDATE_GOLDEN=1 after a deliberate change)"
fi
if grep -q 'prompts.py' "$T/g/out/manifests/20-configmaps.yaml" &&
    grep -q 'TASK_DESCRIPTION' "$T/g/out/manifests/20-configmaps.yaml"; then
    ok "relative extra file resolved against the answers file's directory"
else
    fail "relative extra file not read"
fi
leaks=""
for v in $(sed -n 's/^[a-z_0-9]*: "*\([^"]*\)"*$/\1/p' "$DATA/fixture.secrets.yaml"); do
    f=$(cd "$T/g/out" && grep -rlF -- "$v" . | grep -v -e '^./manifests/10-secrets.yaml$' \
        -e '^./values-secrets.yaml$' -e '^./secrets.tfvars.json$')
    [ -n "$f" ] && leaks="$leaks $f"
done
if [ -z "$leaks" ]; then ok "no secret value outside the 0600 files"; else fail "secrets in:$leaks"; fi

# --- generated secrets make re-renders identical ------------------------------
# An existing cluster's PostgreSQL and Redis are the user's: their passwords
# come from the user (here the environment) and are never generated.
export DIFY_DB_PASSWORD=test-db-password-2026 DIFY_REDIS_PASSWORD=test-redis-password-2026
mkdir "$T/r"
cp "$DATA/manifests-split.yaml" "$DATA/prompts.py" "$T/r/"
# Local storage: every secret this profile needs can be generated.
cat >"$T/r/local.yaml" <<AEOF
version: 1
edition: community
target: existing
method: helm
size: test
database: {host: pg.example.internal}
redis: {host: redis.example.internal}
vector: {kind: weaviate, host: weaviate.example.internal, port: 8080}
storage: {kind: local}
AEOF
check "first render generates secrets" "$BIN" render --answers "$T/r/local.yaml" --out "$T/r/out1"
mode=$(stat -c %a "$T/r/local.secrets.yaml" 2>/dev/null)
if [ "$mode" = 600 ]; then ok "secrets file saved 0600"; else fail "secrets file mode '$mode'"; fi
check "second render" "$BIN" render --answers "$T/r/local.yaml" --out "$T/r/out2"
if diff -r "$T/r/out1" "$T/r/out2" >/dev/null &&
    [ "$(cd "$T/r/out1" && find . -printf '%m %p\n' | sort)" = \
      "$(cd "$T/r/out2" && find . -printf '%m %p\n' | sort)" ]; then
    ok "re-render gives identical bytes and modes"
else
    fail "re-render differs"
fi

# --- the bad-answers corpus ----------------------------------------------------
if [ ! -d "$CORPUS" ]; then
    skip "bad answers corpus" "tests/data/bad-answers is not in this tree"
fi
for yaml in "$CORPUS"/*.yaml; do
    [ -f "$yaml" ] || continue
    name=$(basename "$yaml" .yaml)
    W="$T/bad"
    rm -rf "$W" && mkdir "$W" && cp "$yaml" "$W/"
    before=$(listing "$W")
    (cd "$W" && "$BIN" render --answers "$name.yaml" --out out >"$T/out.txt" 2>"$T/err.txt")
    status=$?
    after=$(listing "$W")
    if [ "$status" -ne 2 ]; then
        sed 's/^/# /' "$T/err.txt"
        fail "$name: exit status $status, expected 2"
        continue
    fi
    missing=0
    while IFS= read -r line; do
        [ -z "$line" ] && continue
        grep -qxF -- "$line" "$T/err.txt" || { diag "$name: missing: $line"; missing=1; }
    done <"$CORPUS/$name.expect"
    if [ $missing -eq 0 ]; then ok "$name: exit 2 with the expected messages"; else
        sed 's/^/# got: /' "$T/err.txt"
        fail "$name: expected messages"
    fi
    if [ "$before" = "$after" ]; then ok "$name: nothing written"; else fail "$name: files written"; fi
done

# --- output directories that cannot be used -------------------------------------
cp "$DATA/fixture.secrets.yaml" "$T/r/s.yaml" && chmod 600 "$T/r/s.yaml"
A="$T/r/manifests-split.yaml"
expect_fail() { # NAME STATUS PATTERN OUT...
    name=$1 want=$2 pat=$3
    shift 3
    before=$(listing "$T/r")
    "$BIN" render --answers "$A" --secrets "$T/r/s.yaml" "$@" >"$T/out.txt" 2>"$T/err.txt"
    status=$?
    after=$(listing "$T/r")
    if [ "$status" -eq "$want" ] && grep -q -- "$pat" "$T/err.txt" && [ "$before" = "$after" ]; then
        ok "$name: exit $want, says so, nothing written"
    else
        sed 's/^/# /' "$T/err.txt"
        fail "$name: status $status (want $want)"
    fi
}
: >"$T/r/plain"
expect_fail "--out is a regular file" 2 "not a directory" --out "$T/r/plain"
expect_fail "--out below a regular file" 2 "not a directory" --out "$T/r/plain/sub"
# /proc refuses new directories even to root.
expect_fail "--out cannot be created" 1 "dify-render-test" --out /proc/self/dify-render-test/out
# A read-only parent. Root writes anywhere, so as root the case runs as nobody
# (setpriv) on a copy of the inputs that nobody owns; without setpriv it is
# skipped, visibly.
mkdir "$T/ro" && chmod 555 "$T/ro"
if [ "$(id -u)" != 0 ]; then
    expect_fail "--out in a read-only directory" 1 "Permission denied" --out "$T/ro/out"
elif need_tool setpriv && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    cp -r "$T/r" "$T/nb" && chown -R 65534:65534 "$T/nb" && chmod 755 "$T" "$TEST_TMP"
    setpriv --reuid=65534 --regid=65534 --clear-groups "$BIN" render \
        --answers "$T/nb/manifests-split.yaml" --secrets "$T/nb/s.yaml" --out "$T/ro/out" \
        >"$T/out.txt" 2>"$T/err.txt"
    status=$?
    if [ "$status" -eq 1 ] && grep -q "Permission denied" "$T/err.txt" &&
        [ -z "$(ls -A "$T/ro")" ]; then
        ok "--out in a read-only directory: exit 1, says so, nothing written (run as nobody)"
    else
        sed 's/^/# /' "$T/err.txt"
        fail "--out in a read-only directory: status $status (want 1)"
    fi
else
    skip "--out in a read-only directory" "running as root and setpriv cannot drop to nobody"
fi
chmod 755 "$T/ro"
# Secrets that would be generated are not saved when --out is unusable.
mkdir "$T/n" && cp "$T/r/local.yaml" "$T/n/"
before=$(listing "$T/n")
"$BIN" render --answers "$T/n/local.yaml" --out /proc/self/dify-render-test >/dev/null 2>"$T/err.txt"
status=$?
if [ $status -eq 1 ] && [ "$before" = "$(listing "$T/n")" ]; then
    ok "unusable --out: exit 1, no secrets file saved"
else
    sed 's/^/# /' "$T/err.txt"
    fail "unusable --out with secrets to generate: status $status"
fi
mkdir "$T/adir"
"$BIN" render --answers "$T/adir" --out "$T/r/never" >"$T/out.txt" 2>"$T/err.txt"
status=$?
if [ $status -eq 2 ] && [ ! -e "$T/r/never" ] && [ -s "$T/err.txt" ]; then
    ok "a directory as --answers: exit 2, nothing written"
else
    sed 's/^/# /' "$T/err.txt"
    fail "a directory as --answers: status $status"
fi
done_testing
