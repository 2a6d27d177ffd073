#!/bin/sh
# tests/files_cmd.sh: what the program is given, through the real binary:
# empty path arguments are usage errors (exit 2) for every command and
# option, and special files (a FIFO, a device) given as the answers,
# secrets or kubeconfig file are refused at once with a message saying what
# they are, instead of blocking forever. (Issue 7, "Nothing given is ever
# lost"; the output directory cases are in tests/render_out.sh.)
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

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
done_testing
