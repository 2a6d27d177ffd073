#!/bin/sh
# tests/terraform_validate.sh: `terraform validate` of assets/terraform with
# the real hashicorp/aws provider, then `terraform test` of the stack with that
# provider mocked (tests/data/terraform/stack.tftest.hcl: presets, IRSA names
# and trust, preconditions). There is no network here, so the provider comes
# from a local filesystem mirror when one exists (see tf_find_mirror); when
# init cannot install providers, the test is a visible SKIP naming why.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/terraform_lib.sh"

if ! need_tool terraform; then
    skip "terraform validate assets/terraform" "terraform is not installed"
    done_testing
    exit
fi
tf_env_init
work="$TEST_TMP/stack"
mkdir -p "$work"
cp "$TF_STACK"/*.tf "$TF_STACK/.terraform.lock.hcl" "$work"/
mkdir -p "$work/tests"
cp "$top_srcdir/tests/data/terraform/stack.tftest.hcl" "$work/tests/"

mirror=$(tf_find_mirror || true)
if [ -n "$mirror" ]; then
    diag "provider mirror: $mirror"
    cat >"$TF_CLI_CONFIG_FILE" <<EOT
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
EOT
else
    diag "no local provider mirror; trying the registry"
fi

# A bounded init: without network the registry lookup fails, it never hangs.
# -lockfile=readonly: the provider installed must be the one the committed
# lock file names, with a matching hash; init may not change the lock.
if ! init_out=$(cd "$work" && timeout 120 terraform init -backend=false -input=false \
    -lockfile=readonly -no-color 2>&1); then
    reason=$(printf '%s\n' "$init_out" | grep -m1 -E 'Error:|error' | sed 's/^[│ ]*//')
    skip "terraform validate assets/terraform" \
        "providers cannot be installed (no network, no local mirror): ${reason:-terraform init failed}"
    done_testing
    exit
fi
ok "terraform init -lockfile=readonly installs the locked provider"

if out=$(cd "$work" && terraform validate -no-color 2>&1); then
    ok "terraform validate assets/terraform"
else
    printf '%s\n' "$out" | sed 's/^/# /'
    fail "terraform validate assets/terraform"
fi

# validate -json also counts warnings (deprecated arguments and the like).
vjson=$(cd "$work" && terraform validate -json -no-color 2>/dev/null)
nwarn=$(printf '%s\n' "$vjson" | sed -n 's/.*"warning_count": *\([0-9]*\).*/\1/p')
if [ "$nwarn" = 0 ]; then
    ok "terraform validate reports no warnings"
else
    printf '%s\n' "$vjson" | sed 's/^/# /'
    fail "terraform validate reports no warnings (warning_count: ${nwarn:-unreadable})"
fi

# Plan and apply against the mocked provider, with the test fixture's files.
fixture="$top_srcdir/tests/data/terraform/test"
if out=$(cd "$work" && terraform test -no-color -var-file="$fixture/terraform.tfvars.json" \
    -var-file="$fixture/secrets.tfvars.json" 2>&1); then
    printf '%s\n' "$out" | grep -E '^  run ' | sed 's/^/# /'
    ok "terraform test (mocked aws provider): $(printf '%s\n' "$out" |
        sed -n 's/^Success! \([0-9]*\) passed.*/\1 runs pass/p')"
else
    printf '%s\n' "$out" | grep -v '^  - ' | sed 's/^/# /'
    fail "terraform test (mocked aws provider)"
fi
done_testing
