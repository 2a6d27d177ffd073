#!/bin/sh
# tests/terraform_fmt.sh: assets/terraform is `terraform fmt` clean, and no
# terraform working files (.terraform/, state, lock files) sit in the tree.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/terraform_lib.sh"

junk=$(find "$TF_STACK" \( -name .terraform -o -name '*.tfstate' -o -name '*.tfstate.*' \
    -o -name .terraform.lock.hcl -o -name '*.tfplan' \) -print)
if [ -z "$junk" ]; then
    ok "no terraform working files in assets/terraform"
else
    diag "$junk"
    fail "no terraform working files in assets/terraform"
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
