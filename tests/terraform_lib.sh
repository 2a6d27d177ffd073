# tests/terraform_lib.sh: shared set-up of the terraform shell tests. Source it
# after tests/lib.sh. Every run gets its own TF_DATA_DIR, CLI configuration
# and plugin cache under $TEST_TMP, so nothing lands in the source tree or in
# the user's ~/.terraform.d, and terraform never phones home.

TF_STACK="$top_srcdir/assets/terraform"
TF_CORE_LIST="$top_srcdir/core/tfstack.c"

# tf_env_init: a temp dir (unless the test made one) and an isolated
# terraform environment inside it.
tf_env_init() {
    [ -n "${TEST_TMP:-}" ] || tmpdir_new
    mkdir -p "$TEST_TMP/tf-data" "$TEST_TMP/plugin-cache"
    : >"$TEST_TMP/terraformrc"
    TF_CLI_CONFIG_FILE="$TEST_TMP/terraformrc"
    TF_DATA_DIR="$TEST_TMP/tf-data"
    TF_PLUGIN_CACHE_DIR="$TEST_TMP/plugin-cache"
    TF_IN_AUTOMATION=1
    CHECKPOINT_DISABLE=1
    export TF_CLI_CONFIG_FILE TF_DATA_DIR TF_PLUGIN_CACHE_DIR TF_IN_AUTOMATION CHECKPOINT_DISABLE
    unset TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_plan TF_CLI_ARGS_apply TF_WORKSPACE
}

# tf_find_mirror: prints a directory holding hashicorp/aws in terraform's
# "unpacked" provider layout (HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/), or
# nothing. $DIFY_TF_PLUGIN_MIRROR comes first, then the usual places.
tf_find_mirror() {
    for d in ${DIFY_TF_PLUGIN_MIRROR:-} /opt/tf-plugins "$HOME/.terraform.d/plugins" \
        "${XDG_DATA_HOME:-$HOME/.local/share}/terraform/plugins" \
        /usr/local/share/terraform/plugins /usr/share/terraform/plugins; do
        if [ -d "$d/registry.terraform.io/hashicorp/aws" ] &&
            ls "$d"/registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws* >/dev/null 2>&1; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

# tf_list_c ARRAY: the names in core/tfstack.c's NULL-terminated ARRAY.
tf_list_c() {
    awk -v arr="$1" '
        index($0, "const char *const " arr "[] = {") { on = 1; next }
        on && /^};/ { exit }
        on { if (match($0, /"[^"]*"/)) print substr($0, RSTART + 1, RLENGTH - 2) }
    ' "$TF_CORE_LIST"
}

# tf_declared KIND: names of the KIND blocks (variable, output) in the stack.
tf_declared() {
    cat "$TF_STACK"/*.tf | sed -n "s/^$1 \"\\([A-Za-z0-9_-]*\\)\" {.*/\\1/p"
}

# tf_variable_blocks: the text of every variable block of the stack.
tf_variable_blocks() {
    cat "$TF_STACK"/*.tf | awk '/^variable "/ { on = 1 } on { print } on && /^}/ { on = 0; print "" }'
}

# tf_make_probe DIR: a provider-less configuration in DIR holding the stack's
# variable blocks and a main.tf feeding every variable to a built-in
# terraform_data resource, so that `terraform plan` (or test) checks the
# variables' types and validations with nothing to download. Ephemeral
# variables may only feed write-only arguments, so they feed nothing; their
# types and validations are still checked.
tf_make_probe() {
    mkdir -p "$1"
    tf_variable_blocks >"$1/variables.tf"
    _eph=$(tf_variable_blocks | awk '/^variable "/ { name = $2; gsub(/"/, "", name) }
        /^ *ephemeral *= *true/ { print name }')
    {
        echo 'resource "terraform_data" "contract" {'
        echo '  input = {'
        for v in $(tf_declared variable); do
            printf '%s\n' "$_eph" | grep -qx "$v" || echo "    $v = var.$v"
        done
        echo '  }'
        echo '}'
    } >"$1/main.tf"
}

# tf_validated_variables: the variables that have a validation block.
tf_validated_variables() {
    tf_variable_blocks | awk '/^variable "/ { name = $2; gsub(/"/, "", name) }
        /^ *validation *\{/ { print name }' | sort -u
}
