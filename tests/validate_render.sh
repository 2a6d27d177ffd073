#!/bin/sh
# tests/validate_render.sh: `validate` passes exactly when `render` writes.
# Both commands run over every shipped example, every file of the bad-answers
# corpus and the cases that once split them (an example whose S3 keys are
# missing, extra files that are binary or not UTF-8, a kubeconfig file or
# context that does not exist, a limit below its request, a secret that
# breaks a rule). For each: validate exits 0 if and only if render exits 0,
# both exit 2 when they refuse, and a refusing render writes nothing.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

BIN="$top_builddir/dify-tui"
tmpdir_new
# No kubeconfig, secrets or state of the person running the tests.
HOME="$TEST_TMP/home"
mkdir -p "$HOME"
export HOME
unset KUBECONFIG XDG_STATE_HOME DIFY_TUI_STATE
for v in $(env | sed -n 's/^\(DIFY_[A-Z_]*\)=.*/\1/p'); do
    case $v in DIFY_TUI_*) ;; *) unset "$v" ;; esac
done

W="$TEST_TMP/w"
mkdir -p "$W"
# The examples, copied with the files they name, so a render's generated
# secrets go beside the copy.
cp -R "$top_srcdir/assets/examples/." "$W/"
cp "$top_srcdir"/tests/data/bad-answers/*.yaml "$W/"

# agree NAME ANSWERS [--secrets FILE]: runs both commands and compares.
agree() {
    name=$1
    shift
    out="$TEST_TMP/out-$name"
    rm -rf "$out"
    "$BIN" validate --answers "$@" >"$TEST_TMP/v.out" 2>"$TEST_TMP/v.err"
    v=$?
    "$BIN" render --answers "$@" --out "$out" >"$TEST_TMP/r.out" 2>"$TEST_TMP/r.err"
    r=$?
    if [ $v -eq 0 ] && [ $r -eq 0 ]; then
        ok "$name: validate and render both accept it"
    elif [ $v -eq 2 ] && [ $r -eq 2 ]; then
        if [ -e "$out" ]; then
            fail "$name: both refuse it, but render left $out"
        else
            ok "$name: validate and render both refuse it (exit 2)"
        fi
    else
        fail "$name: validate exits $v, render exits $r"
        sed 's/^/# validate: /' "$TEST_TMP/v.err"
        sed 's/^/# render: /' "$TEST_TMP/r.err"
    fi
}

for yaml in "$W"/*.yaml; do
    case $yaml in *.secrets.yaml) continue ;; esac
    agree "$(basename "$yaml" .yaml)" "$yaml"
done

# An existing cluster's example with its S3 keys: then both accept it.
printf 's3_access_key: AKIAEXAMPLE\ns3_secret_key: "example-secret-key"\n' >"$TEST_TMP/keys.yaml"
chmod 600 "$TEST_TMP/keys.yaml"
agree existing-cluster-with-keys "$W/existing-cluster.yaml" --secrets "$TEST_TMP/keys.yaml"

# A secret that breaks its rule.
printf 'db_password: "short"\n' >"$TEST_TMP/short.yaml"
chmod 600 "$TEST_TMP/short.yaml"
agree short-db-password "$W/eks-test.yaml" --secrets "$TEST_TMP/short.yaml"

# Extra files: binary (a NUL byte) and not UTF-8 (Latin-1).
base="$W/existing-manifests.yaml"
printf 'PROMPT = "x"\0\n' >"$W/files/binary.py"
printf 'PROMPT = "caf\351"\n' >"$W/files/latin1.py"
for f in binary latin1; do
    sed "s|source: files/prompts.py|source: files/$f.py|" "$base" >"$W/extra-$f.yaml"
    agree "extra-file-$f" "$W/extra-$f.yaml"
done

# A kubeconfig that does not exist, and a context the kubeconfig lacks.
cat >"$TEST_TMP/kubeconfig" <<'YAML'
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:6443
users:
- name: u
  user:
    token: t
contexts:
- name: only
  context:
    cluster: c
    user: u
current-context: only
YAML
sed "s|^cluster:|cluster:\n  kubeconfig: $TEST_TMP/nope/kubeconfig|" "$base" >"$W/kc-missing.yaml"
agree kubeconfig-missing "$W/kc-missing.yaml"
sed "s|^cluster:|cluster:\n  kubeconfig: $TEST_TMP/kubeconfig\n  context: elsewhere|" "$base" \
    >"$W/kc-context.yaml"
agree kubeconfig-context-missing "$W/kc-context.yaml"
sed "s|^cluster:|cluster:\n  kubeconfig: $TEST_TMP/kubeconfig\n  context: only|" "$base" \
    >"$W/kc-good.yaml"
agree kubeconfig-and-context "$W/kc-good.yaml"

# A memory limit below its request.
sed "s|^  api:|  api:\n    memory_request: 2Gi\n    memory_limit: 1Gi|" "$base" >"$W/limit.yaml"
agree limit-below-request "$W/limit.yaml"

# The cases that must be refused are: check validate names each problem.
"$BIN" validate --answers "$W/extra-binary.yaml" 2>"$TEST_TMP/err.txt"
if grep -q 'extra_files\[0\].source: .* is not a text file (byte 13 is a NUL)' "$TEST_TMP/err.txt"; then
    ok "validate names the binary extra file and where it stops being text"
else
    fail "binary extra file: $(cat "$TEST_TMP/err.txt")"
fi
"$BIN" validate --answers "$W/kc-context.yaml" 2>"$TEST_TMP/err.txt"
if grep -q 'kc-context.yaml:.*cluster.context: .*elsewhere' "$TEST_TMP/err.txt"; then
    ok "validate names the missing context at its key"
else
    fail "missing context: $(cat "$TEST_TMP/err.txt")"
fi

done_testing
