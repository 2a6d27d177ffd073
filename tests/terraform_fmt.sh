#!/bin/sh
# tests/terraform_fmt.sh: assets/terraform is `terraform fmt` clean, no
# terraform working files (.terraform/, state, plans) sit in the tree, and the
# committed .terraform.lock.hcl pins the AWS provider within versions.tf's
# constraint (terraform_validate.sh then inits against it, read-only).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/terraform_lib.sh"

junk=$(find "$TF_STACK" \( -name .terraform -o -name '*.tfstate' -o -name '*.tfstate.*' \
    -o -name '*.tfplan' \) -print)
if [ -z "$junk" ]; then
    ok "no terraform working files in assets/terraform"
else
    diag "$junk"
    fail "no terraform working files in assets/terraform"
fi

lock="$TF_STACK/.terraform.lock.hcl"
want=$(sed -n 's/^ *version *= *"\(>=[^"]*\)"$/\1/p' "$TF_STACK/versions.tf")
if [ -f "$lock" ] && [ "$(grep -c '^provider ' "$lock")" -eq 1 ] &&
    grep -q '^provider "registry.terraform.io/hashicorp/aws" {$' "$lock" &&
    grep -qF "constraints = \"$want\"" "$lock" && grep -q '"h1:' "$lock"; then
    ok ".terraform.lock.hcl pins hashicorp/aws $(sed -n 's/^ *version *= *"\(.*\)"$/\1/p' "$lock") for $want"
else
    diag "versions.tf asks for: ${want:-nothing found}"
    fail ".terraform.lock.hcl pins hashicorp/aws alone, with versions.tf's constraint and a hash"
fi

if ! need_tool terraform; then
    skip "terraform fmt -check -recursive assets/terraform" "terraform is not installed"
    done_testing
    exit
fi
tf_env_init
if out=$(terraform fmt -check -recursive -diff "$TF_STACK" 2>&1); then
    ok "terraform fmt -check -recursive assets/terraform"
else
    echo "$out" | sed 's/^/# /'
    fail "terraform fmt -check -recursive assets/terraform"
fi
if out=$(terraform fmt -check -diff "$top_srcdir/tests/data/terraform/stack.tftest.hcl" 2>&1); then
    ok "terraform fmt -check tests/data/terraform/stack.tftest.hcl"
else
    echo "$out" | sed 's/^/# /'
    fail "terraform fmt -check tests/data/terraform/stack.tftest.hcl"
fi
done_testing
