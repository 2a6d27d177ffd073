#!/bin/sh
# tests/render_fill.sh: `dify-tui render --terraform-output FILE` and
# `--from-terraform DIR` fill every @@name@@ placeholder of an EKS rendering
# from the stack's outputs (a saved `terraform output -json`, and the real
# terraform on a local state), refuse a placeholder no output fills and a
# value that could break a file's quoting (exit 2, nothing written), and a
# rendering left unfilled says how to fill it.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

BIN="$top_builddir/dify-tui"
DATA="$top_srcdir/tests/data/render"
tmpdir_new
T="$TEST_TMP"

# An EKS answers file of each edition and method, with its secrets.
for e in community enterprise; do
    for m in helm manifests; do
        [ "$e.$m" = enterprise.manifests ] && continue
        cat >"$T/$e-$m.yaml" <<AEOF
version: 1
edition: $e
target: eks
method: $m
AEOF
    done
done

# --- unfilled: the command says so ------------------------------------------
if "$BIN" render --answers "$T/community-helm.yaml" --out "$T/plain" >"$T/out.txt" 2>"$T/err.txt" &&
    grep -q 'hold @@name@@ placeholders' "$T/out.txt" && grep -q -- '--from-terraform' "$T/out.txt" &&
    grep -rq '@@db_endpoint@@' "$T/plain"; then
    ok "an unfilled rendering says which files hold placeholders and how to fill them"
else
    sed 's/^/# /' "$T/out.txt" "$T/err.txt"
    fail "an unfilled rendering says which files hold placeholders and how to fill them"
fi

# --- filled from a saved `terraform output -json` ---------------------------
for a in community-helm community-manifests enterprise-helm; do
    if "$BIN" render --answers "$T/$a.yaml" --out "$T/f-$a" \
        --terraform-output "$DATA/tf-outputs.json" >"$T/out.txt" 2>"$T/err.txt"; then
        left=$(grep -rl '@@' "$T/f-$a" | sed "s|$T/f-$a/||" | tr '\n' ' ')
        if [ -z "$left" ] && grep -rq 'cluster-abc123.us-west-2.rds.amazonaws.com' "$T/f-$a" &&
            ! grep -rq 'never-written-anywhere' "$T/f-$a"; then
            ok "$a: every placeholder filled from the outputs file"
        else
            fail "$a: placeholders left in: $left"
        fi
    else
        sed 's/^/# /' "$T/err.txt"
        fail "$a: render --terraform-output"
    fi
done
if grep -q "role/DifyEE-Role-dify-test-s3" "$T/f-enterprise-helm/manifests/15-serviceaccounts.yaml" &&
    grep -q "arn:aws:iam::123456789012:role" "$T/f-enterprise-helm/manifests/15-serviceaccounts.yaml" &&
    grep -q "imageRepoPrefix: '*123456789012.dkr.ecr.us-west-2.amazonaws.com/dify-test-plugins" \
        "$T/f-enterprise-helm/values.yaml"; then
    ok "the account id fills role ARNs; the ECR URL fills imageRepoPrefix"
else
    fail "the account id fills role ARNs; the ECR URL fills imageRepoPrefix"
fi

# --- refused: a missing output, a value that would break quoting -------------
sed '/"db_endpoint"/d' "$DATA/tf-outputs.json" >"$T/missing.json"
sed 's|"dify-test-storage-abc123"|"bad\\u0027 value: x"|' "$DATA/tf-outputs.json" >"$T/badval.json"
for c in "missing.json:@@db_endpoint@@ has no Terraform output db_endpoint" \
    "badval.json:output s3_bucket_name is"; do
    f=${c%%:*} want=${c#*:}
    if "$BIN" render --answers "$T/community-helm.yaml" --out "$T/x-$f" \
        --terraform-output "$T/$f" >"$T/out.txt" 2>"$T/err.txt"; then
        fail "$f: accepted"
    else
        st=$?
        if [ "$st" -eq 2 ] && grep -qF "$want" "$T/err.txt" && [ ! -e "$T/x-$f" ]; then
            ok "$f: exit 2, '$want', nothing written"
        else
            sed 's/^/# /' "$T/err.txt"
            fail "$f: exit $st"
        fi
    fi
done
if "$BIN" render --answers "$T/community-helm.yaml" --out "$T/both" --from-terraform "$T" \
    --terraform-output "$DATA/tf-outputs.json" >/dev/null 2>&1; then
    fail "--from-terraform with --terraform-output accepted"
else
    [ $? -eq 2 ] && ok "--from-terraform and --terraform-output together: exit 2" ||
        fail "--from-terraform and --terraform-output together: wrong status"
fi

# --- the real terraform on a local state -------------------------------------
if ! need_tool terraform; then
    skip "render --from-terraform with the real terraform" "terraform is not installed"
else
    # A configuration of outputs only: no provider, nothing to download.
    mkdir "$T/tf"
    {
        echo 'output "aws_account_id" { value = "123456789012" }'
        for o in db_endpoint redis_endpoint opensearch_endpoint; do
            echo "output \"$o\" { value = \"$o.example.internal\" }"
        done
        echo 'output "s3_bucket_name" { value = "dify-test-storage-abc123" }'
        echo 'output "ecr_plugin_repository_url" { value = "123456789012.dkr.ecr.us-west-2.amazonaws.com/p" }'
        echo 'output "db_password_out" {'
        echo '  value     = "sensitive-never-written"'
        echo '  sensitive = true'
        echo '}'
    } >"$T/tf/main.tf"
    if (cd "$T/tf" && TF_IN_AUTOMATION=1 terraform init -input=false >/dev/null 2>&1 &&
        terraform apply -input=false -auto-approve >/dev/null 2>&1); then
        if "$BIN" render --answers "$T/community-manifests.yaml" --out "$T/real" \
            --from-terraform "$T/tf" >"$T/out.txt" 2>"$T/err.txt" &&
            ! grep -rq '@@' "$T/real" && grep -q "DB_HOST: '*db_endpoint.example.internal" \
                "$T/real/manifests/20-configmaps.yaml" && ! grep -rq 'sensitive-never' "$T/real"; then
            ok "render --from-terraform runs terraform output -json and fills every placeholder"
        else
            sed 's/^/# /' "$T/err.txt"
            fail "render --from-terraform with the real terraform"
        fi
    else
        skip "render --from-terraform with the real terraform" "terraform could not apply an outputs-only configuration"
    fi
    # Terraform's error, not its first line: a warning (here of a missing CLI
    # configuration file) comes first, and colours would reach the terminal.
    mkdir "$T/badtf"
    echo 'this is not hcl {' >"$T/badtf/main.tf"
    TF_CLI_CONFIG_FILE="$T/no-such-terraformrc" "$BIN" render --answers "$T/community-helm.yaml" \
        --out "$T/badout" --from-terraform "$T/badtf" >/dev/null 2>"$T/err.txt"
    status=$?
    if [ $status -eq 1 ] && grep -q 'output -json failed: Unsupported block type' "$T/err.txt" &&
        ! grep -q "$(printf '\033')" "$T/err.txt" && [ ! -e "$T/badout" ]; then
        ok "terraform failing after a warning: its error is named, without colours, nothing written"
    else
        sed 's/^/# /' "$T/err.txt"
        fail "terraform failing after a warning (exit $status)"
    fi
fi

# --- DIR itself: the user's input, checked before terraform runs ------------
for case in "missing:$T/nowhere:No such file or directory" \
    "file:$T/community-helm.yaml:not a directory"; do
    name=${case%%:*}
    rest=${case#*:}
    dir=${rest%%:*}
    want=${rest#*:}
    "$BIN" render --answers "$T/community-helm.yaml" --out "$T/nostate" \
        --from-terraform "$dir" >/dev/null 2>"$T/err.txt"
    status=$?
    if [ $status -eq 2 ] && grep -q -- "--from-terraform $dir: $want" "$T/err.txt" &&
        [ ! -e "$T/nostate" ]; then
        ok "--from-terraform of a $name directory: exit 2, says why, nothing written"
    else
        sed 's/^/# /' "$T/err.txt"
        fail "--from-terraform of a $name directory (exit $status)"
    fi
done

# A terraform that writes escapes and box frames around its error (as the
# real one does on a terminal): the message is the error, made safe.
cat >"$T/fake-terraform" <<'SH'
#!/bin/sh
printf '\033[33mWarning: something first\033[0m\n' >&2
printf '\342\225\267\n\342\224\202 \033[1;31mError: \033[0mBackend init\033]0;pwned\007 required\n' >&2
exit 1
SH
chmod 755 "$T/fake-terraform"
mkdir -p "$T/fakedir"
TERRAFORM="$T/fake-terraform" "$BIN" render --answers "$T/community-helm.yaml" --out "$T/fakeout" \
    --from-terraform "$T/fakedir" >/dev/null 2>"$T/err.txt"
status=$?
if [ $status -eq 1 ] && grep -q 'output -json failed: \^\[\[0mBackend init\^\[\]0;pwned\^G required' "$T/err.txt" &&
    ! LC_ALL=C grep -q "$(printf '[\001-\010\013-\037]')" "$T/err.txt"; then
    ok "terraform's error line is picked past warnings and frames, its escapes made visible"
else
    sed 's/^/# /' "$T/err.txt" | cat -v
    fail "terraform's error line (exit $status)"
fi
done_testing
