#!/bin/sh
# tests/files_cmd.sh: what the program is given, through the real binary:
# empty path arguments are usage errors (exit 2) for every command and
# option, and special files (a FIFO, a device) given as the answers,
# secrets or kubeconfig file are refused at once with a message saying what
# they are, instead of blocking forever. (Issue 7, "Nothing given is ever
# lost".) And render --out: DIR/.dify-tui-rendered records what a rendering
# wrote; only that is ever replaced, anything else under its names (a user's
# file, a symlink, a file edited since) is refused, and so are /, $HOME and
# the assets tree; a failed render removes the directories it created.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
# The existing-cluster examples name the user's own PostgreSQL and Redis,
# whose passwords only the user can give (they are never generated).
export DIFY_DB_PASSWORD=test-db-password-2026 DIFY_REDIS_PASSWORD=test-redis-password-2026

BIN="$top_builddir/dify-tui"
EX="$top_srcdir/assets/examples/existing-manifests.yaml"
tmpdir_new
T="$TEST_TMP"
cd "$T" || exit 1

# expect NAME STATUS PATTERN ARGS...: exit STATUS and PATTERN on stderr,
# within a bound that only a hang reaches.
expect() {
    name=$1 want=$2 pat=$3
    shift 3
    timeout 30 "$BIN" "$@" >"$T/out.txt" 2>"$T/err.txt" </dev/null
    status=$?
    if [ "$status" -eq "$want" ] && grep -q -- "$pat" "$T/err.txt"; then
        ok "$name: exit $want, says so"
    else
        sed 's/^/# /' "$T/err.txt"
        fail "$name: exit $status (want $want, and '$pat' on stderr)"
    fi
}

# --- empty paths: exit 2 everywhere ----------------------------------------
expect "render --out ''" 2 "render: --out: an empty path" render --answers "$EX" --out ""
expect "render --out=" 2 "render: --out: an empty path" render --answers "$EX" --out=
expect "render --answers ''" 2 "render: --answers: an empty path" render --answers "" --out o
expect "render --secrets ''" 2 "render: --secrets: an empty path" \
    render --answers "$EX" --secrets "" --out o
expect "validate --answers ''" 2 "validate: --answers: an empty path" validate --answers ""
expect "validate --secrets=" 2 "validate: --secrets: an empty path" \
    validate --answers "$EX" --secrets=
expect "wizard --answers ''" 2 "wizard: --answers: an empty path" wizard --answers ""
expect "wizard --workdir=" 2 "wizard: --workdir: an empty path" wizard --workdir=
expect "--kubeconfig '' get" 2 "get: --kubeconfig: an empty path" --kubeconfig "" get pods
expect "get --kubeconfig=" 2 "get: --kubeconfig: an empty path" get pods --kubeconfig=
expect "rollout-status --kubeconfig ''" 2 "rollout-status: --kubeconfig: an empty path" \
    rollout-status deployment/x --kubeconfig ""
expect "--context ''" 2 "get: --context: an empty name" --context "" get pods
expect "get -n ''" 2 "get: --namespace: an empty name" get pods -n ""
nl='
'
: >"$T/plainfile"
expect "wizard --workdir a file" 2 "wizard: --workdir $T/plainfile: exists and is not a directory" \
    wizard --workdir "$T/plainfile"
rm -f "$T/plainfile"
expect "a newline in --out" 2 "render: --out: the path holds a control character" \
    render --answers "$EX" --out "out${nl}x"
if [ -z "$(ls -A "$T" | grep -v -e '^out.txt$' -e '^err.txt$')" ]; then
    ok "nothing was created by the refused commands"
else
    fail "files created: $(ls -A "$T")"
fi

# --- special files ------------------------------------------------------------
mkfifo "$T/fifo.yaml"
expect "validate --answers FIFO" 2 "is a named pipe (FIFO), not a regular file" \
    validate --answers "$T/fifo.yaml"
expect "render --answers FIFO" 2 "is a named pipe (FIFO), not a regular file" \
    render --answers "$T/fifo.yaml" --out "$T/o1"
cp "$EX" "$T/a.yaml"
expect "render --secrets FIFO" 2 "is a named pipe (FIFO), not a regular file" \
    render --answers "$T/a.yaml" --secrets "$T/fifo.yaml" --out "$T/o2"
expect "wizard --answers FIFO" 2 "is a named pipe (FIFO), not a regular file" \
    wizard --answers "$T/fifo.yaml"
cp "$EX" "$T/b.yaml"
mkfifo "$T/b.secrets.yaml"
expect "wizard --answers with a FIFO secrets file" 2 "is a named pipe (FIFO), not a regular file" \
    wizard --answers "$T/b.yaml"
# get's exit status for an unusable kubeconfig belongs to the client (1); what
# matters here is that it answers at once and says why.
expect "get --kubeconfig FIFO" 1 "is a named pipe (FIFO), not a regular file" \
    get pods --kubeconfig "$T/fifo.yaml"
expect "validate --answers /dev/zero" 2 "is a character device, not a regular file" \
    validate --answers /dev/zero

# --- assets are found relative to the program, never a compiled-in tree -------
mkdir "$T/clone" "$T/lonely"
cp "$BIN" "$T/clone/dify-tui" && cp -r "$top_srcdir/assets" "$T/clone/assets"
out=$(env -u DIFY_TUI_ASSETS "$T/clone/dify-tui" version)
case "$out" in
*"assets: $T/clone/assets (an uninstalled build: beside the program)"*)
    ok "a copied build reads its own assets, and version says how" ;;
*) diag "$out"; fail "a copied build reads another tree's assets" ;;
esac
cp "$BIN" "$T/lonely/dify-tui"
out=$(env -u DIFY_TUI_ASSETS "$T/lonely/dify-tui" version)
case "$out" in
*"$top_srcdir"*) diag "$out"; fail "a binary without assets falls back on its build tree" ;;
*) ok "a binary without assets does not read its build tree's" ;;
esac
if grep -rn 'DIFY_SRCDIR\b' "$top_srcdir/core" "$top_srcdir/screens" "$top_srcdir/tui" \
    "$top_srcdir/sim" --include='*.c' --include='*.h' | grep -v DIFY_SRCDIR_REL >"$T/grep.txt"; then
    sed 's/^/# /' "$T/grep.txt"
    fail "program code uses the compiled-in DIFY_SRCDIR (tests only)"
else
    ok "no program code uses the compiled-in source directory"
fi

# --- render --out: only what dify-tui wrote is ever replaced --------------------
listing() { (cd "$1" && find . -printf '%p %s %m %y\n' | sort); }
mkdir "$T/r"
cat >"$T/r/helm.yaml" <<AEOF
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
sed 's/^method: helm/method: manifests/' "$T/r/helm.yaml" >"$T/r/man.yaml"
cp "$T/r/helm.secrets.yaml" "$T/r/man.secrets.yaml" 2>/dev/null || true
render() { timeout 60 "$BIN" render "$@" >"$T/out.txt" 2>"$T/err.txt" </dev/null; }

# refuse_case NAME PATTERN DIR ARGS...: exit 2 with PATTERN, DIR unchanged.
refuse_case() {
    name=$1 pat=$2 dir=$3
    shift 3
    before=$(listing "$dir")
    render "$@"
    status=$?
    after=$(listing "$dir")
    if [ $status -eq 2 ] && grep -q -- "$pat" "$T/err.txt" && [ "$before" = "$after" ]; then
        ok "$name: exit 2, says why, nothing changed"
    else
        sed 's/^/# /' "$T/err.txt"
        fail "$name: exit $status (want 2 and '$pat'), or $dir changed"
    fi
}

mkdir "$T/u"
printf '# my own values, not dify-tui'"'"'s\nreplicaCount: 3\n' >"$T/u/values.yaml"
refuse_case "a user's values.yaml in DIR" "values.yaml: was not written by dify-tui" "$T/u" \
    --answers "$T/r/helm.yaml" --out "$T/u"
grep -q replicaCount "$T/u/values.yaml" && ok "the user's values.yaml is intact" ||
    fail "the user's values.yaml was changed"
[ ! -e "$T/r/helm.secrets.yaml" ] && ok "no secrets file saved when DIR is refused" ||
    fail "a secrets file was saved though DIR was refused"

mkdir "$T/v" "$T/elsewhere"
echo "keep me" >"$T/elsewhere/10-secrets.yaml"
ln -s "$T/elsewhere" "$T/v/manifests"
refuse_case "manifests/ a symlink in DIR" "manifests: is a symbolic link" "$T/v" \
    --answers "$T/r/helm.yaml" --out "$T/v"
[ "$(cat "$T/elsewhere/10-secrets.yaml")" = "keep me" ] &&
    ok "nothing written through the symlink" || fail "written through the symlink"

mkdir -p "$T/home/me"
HOME="$T/home/me" refuse_case "--out \$HOME" "your home directory" "$T/home" \
    --answers "$T/r/helm.yaml" --out "$T/home/me"
HOME="$T/home/me" refuse_case "--out above \$HOME" "above your home directory" "$T/home" \
    --answers "$T/r/helm.yaml" --out "$T/home"
refuse_case "--out /" "the root directory" "$T/r" --answers "$T/r/helm.yaml" --out /
refuse_case "--out /etc" "a system directory" "$T/r" --answers "$T/r/helm.yaml" --out /etc/
refuse_case "--out in the assets tree" "inside the program's assets" "$top_srcdir/assets" \
    --answers "$T/r/helm.yaml" --out "$top_srcdir/assets/examples/rendered"

if render --answers "$T/r/helm.yaml" --out "$T/out" && [ -f "$T/out/values.yaml" ] &&
    [ "$(stat -c %a "$T/out/.dify-tui-rendered")" = 600 ] &&
    grep -q ' 0644 values.yaml$' "$T/out/.dify-tui-rendered" &&
    grep -q ' 0600 manifests/10-secrets.yaml$' "$T/out/.dify-tui-rendered"; then
    ok "a rendering records its files in DIR/.dify-tui-rendered (0600)"
else
    sed 's/^/# /' "$T/err.txt"
    fail "no record of the rendering"
fi
check "rendering again into the same DIR" render --answers "$T/r/helm.yaml" --out "$T/out"
cp "$T/r/helm.secrets.yaml" "$T/r/man.secrets.yaml"
if render --answers "$T/r/man.yaml" --out "$T/out" && [ ! -e "$T/out/values.yaml" ] &&
    [ -f "$T/out/manifests/32-api.yaml" ] && ! grep -q values.yaml "$T/out/.dify-tui-rendered"; then
    ok "switching to manifests removes the last rendering's values.yaml"
else
    sed 's/^/# /' "$T/err.txt"
    fail "switching method"
fi
echo "# edited by hand" >>"$T/out/manifests/32-api.yaml"
refuse_case "a rendered file edited since" "32-api.yaml: was changed since dify-tui wrote it" \
    "$T/out" --answers "$T/r/man.yaml" --out "$T/out"
sed -i '$d' "$T/out/manifests/32-api.yaml"
echo "kind: ConfigMap" >"$T/out/manifests/99-mine.yaml"
refuse_case "a user's file inside manifests/" "99-mine.yaml: was not written by dify-tui" \
    "$T/out" --answers "$T/r/man.yaml" --out "$T/out"
rm "$T/out/manifests/99-mine.yaml"
check "with the user's file gone, rendering works again" \
    render --answers "$T/r/man.yaml" --out "$T/out"

# Rendering a shipped example writes nothing into the assets: its generated
# secrets go to the state directory, and the command says where.
EXS="$top_srcdir/assets/examples/existing-manifests.secrets.yaml"
had=no
[ -e "$EXS" ] && had=yes
export DIFY_TUI_STATE="$T/state"
if render --answers "$top_srcdir/assets/examples/existing-manifests.yaml" --out "$T/ex" &&
    grep -q "into $T/state/examples/existing-manifests.secrets.yaml (the state directory" \
        "$T/out.txt" && [ -f "$T/state/examples/existing-manifests.secrets.yaml" ]; then
    ok "an example's generated secrets go to the state directory, and it says so"
else
    sed 's/^/# /' "$T/out.txt" "$T/err.txt"
    fail "an example's secrets"
fi
if [ $had = no ] && [ -e "$EXS" ]; then
    rm -f "$EXS"
    fail "rendering an example wrote its secrets into the assets tree"
else
    ok "nothing written into the assets tree"
fi

# A failure after the output directory was created (the secrets file cannot
# be saved: its directory does not exist) leaves none of the directories.
cp "$T/r/helm.yaml" "$T/r/fresh.yaml"
render --answers "$T/r/fresh.yaml" --secrets "$T/nodir/s.yaml" --out "$T/p1/p2/p3"
status=$?
if [ $status -eq 1 ] && [ ! -e "$T/p1" ]; then
    ok "a failed render removes the parent directories it created"
else
    sed 's/^/# /' "$T/err.txt"
    fail "failed render: exit $status, left: $(find "$T/p1" 2>/dev/null | tr '\n' ' ')"
fi
done_testing
