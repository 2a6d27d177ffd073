#!/bin/sh
# tests/terraform_contract.sh: the contract between the installer and
# assets/terraform.
#   1. core/tfstack.c's variable and output lists match the stack's blocks;
#      no output (nor anything but the Aurora password) uses var.db_password;
#      the seed 000 IAM and ServiceAccount names appear once each; the trust
#      policies name var.app_namespace; no local-exec anywhere.
#   2. The real terraform, offline and without providers, reads the tfvars
#      files: the variable blocks are copied next to a generated main.tf of
#      built-in terraform_data only, and `terraform plan -json` with both
#      -var-file arguments must report no undeclared, missing or mistyped
#      variable. Run on the fixtures in tests/data/terraform/{test,prod}, on
#      what `dify-tui render` writes for assets/examples/eks-{test,prod}.yaml,
#      and on broken copies that must be caught.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/terraform_lib.sh"
tmpdir_new

# ---- 1. static checks of the .tf files against core/tfstack.c ----

same_set() { # NAME LIST_A LIST_B: ok when both hold the same names
    a=$(printf '%s\n' "$2" | sort -u)
    b=$(printf '%s\n' "$3" | sort -u)
    if [ -n "$a" ] && [ "$a" = "$b" ]; then
        ok "$1"
    else
        diag "only in core/tfstack.c: $(printf '%s\n' "$a" | grep -vxF -e "$b" | tr '\n' ' ')"
        diag "only in assets/terraform: $(printf '%s\n' "$b" | grep -vxF -e "$a" | tr '\n' ' ')"
        fail "$1"
    fi
}

c_outputs=$(tf_list_c tfstack_outputs)
c_vars=$(tf_list_c tfstack_variables)
c_secret=$(tf_list_c tfstack_secret_variables)
same_set "every output in tfstack_outputs is declared, and no other" "$c_outputs" "$(tf_declared output)"
same_set "every variable in tfstack_variables + tfstack_secret_variables is declared, and no other" \
    "$(printf '%s\n%s\n' "$c_vars" "$c_secret")" "$(tf_declared variable)"

# Each secret variable is declared sensitive.
for v in $c_secret; do
    if tf_variable_blocks | awk -v v="$v" '$0 ~ "^variable \"" v "\"" { on = 1 }
            on && /sensitive *= *true/ { found = 1 } on && /^}/ { on = 0 } END { exit !found }'; then
        ok "variable $v is sensitive = true"
    else
        fail "variable $v is sensitive = true"
    fi
done

# No output block mentions a secret variable.
for v in $c_secret; do
    leaks=$(cat "$TF_STACK"/*.tf | awk -v v="var.$v" '/^output "/ { on = 1; name = $2 }
        on && index($0, v) { print name } on && /^}/ { on = 0 }')
    if [ -z "$leaks" ]; then ok "no output refers to var.$v"; else
        diag "outputs: $leaks"; fail "no output refers to var.$v"; fi
done

# Nor can one through a local: the only use of each secret outside its
# declaration is the one argument that needs it (the Aurora password is
# write-only, so it is not even in the state).
for pair in 'db_password|aurora.tf|master_password_wo' 'redis_auth_token|redis.tf|auth_token'; do
    v=${pair%%|*} rest=${pair#*|}
    file=${rest%%|*} arg=${rest#*|}
    uses=$(grep -n "var\.$v\b" "$TF_STACK"/*.tf | grep -v -e '/variables\.tf:' -e '\.tf:[0-9]*: *#')
    if [ "$(printf '%s\n' "$uses" | grep -c .)" -eq 1 ] &&
        printf '%s\n' "$uses" | grep -q "/$file:[0-9]*: *$arg *= *var\.$v\$"; then
        ok "var.$v is used only as $file's $arg"
    else
        diag "$uses"
        fail "var.$v is used only as $file's $arg"
    fi
done

# Every placeholder render writes (core/render.h) names an output the runner
# reads its value from.
for tok in $(grep -o '"@@[a-z0-9_]*@@"' "$top_srcdir/core/render.h" | tr -d '"@'); do
    if printf '%s\n' "$c_outputs" | grep -qx "$tok"; then
        ok "placeholder @@$tok@@ is a stack output"
    else
        fail "placeholder @@$tok@@ is a stack output"
    fi
done

# The seed 000 names, each exactly once as a literal name template.
for name in \
    '"DifyEE-Role-${var.cluster_name}-s3"' \
    '"DifyEE-Role-${var.cluster_name}-s3-ecr"' \
    '"DifyEE-Role-${var.cluster_name}-ecr-image-pull"' \
    '"dify-ee-irsa-${var.cluster_name}-s3-policy"' \
    '"dify-ee-irsa-${var.cluster_name}-ecr-policy"' \
    '"dify-ee-irsa-${var.cluster_name}-ecr-pull-only-policy"' \
    '"dify-api-sa"' '"dify-plugin-connector-sa"' \
    '"dify-plugin-crd-sa"' '"dify-plugin-build-sa"' \
    '"dify-plugin-runner-sa"' '"dify-plugin-build-run-sa"'; do
    n=$(cat "$TF_STACK"/*.tf | grep -oF -e "$name" | wc -l)
    if [ "$n" -eq 1 ]; then ok "name $name appears once"; else
        fail "name $name appears once (found $n)"; fi
done

# Which ServiceAccounts each role trusts (seed 000, with the aliases).
irsa="$TF_STACK/irsa.tf"
for pair in 's3 *= \["dify-api-sa", "dify-plugin-connector-sa"\]' \
    's3_ecr *= \["dify-plugin-crd-sa", "dify-plugin-build-sa"\]' \
    'ecr_image_pull *= \["dify-plugin-runner-sa", "dify-plugin-build-run-sa"\]'; do
    check "irsa.tf maps ${pair%% *} to its ServiceAccounts" grep -qE "^ *$pair" "$irsa"
done
check "trust policies match the subject in var.app_namespace" \
    grep -qF '"${local.oidc_issuer_host}:sub" = [for sa in accounts : "system:serviceaccount:${var.app_namespace}:${sa}"]' "$irsa"
check "trust policies require the audience sts.amazonaws.com" \
    grep -qF '"${local.oidc_issuer_host}:aud" = "sts.amazonaws.com"' "$irsa"
check "trust policies use StringEquals" grep -qE '^ *StringEquals = \{' "$irsa"
nroles=$(grep -c '^resource "aws_iam_role" "dify_ee_' "$irsa")
ncount=$(awk '/^resource "aws_iam_(role|policy)" "dify_ee_/ { on = 1 }
    on && /count = var\.irsa_enabled \? 1 : 0/ { n++ } on && /^}/ { on = 0 } END { print n + 0 }' "$irsa")
if [ "$nroles" -eq 3 ] && [ "$ncount" -eq 6 ]; then
    ok "the 3 IRSA roles and 3 policies exist only when irsa_enabled (count)"
else
    fail "the 3 IRSA roles and 3 policies exist only when irsa_enabled (count): roles $nroles, counted $ncount"
fi

bad=$(grep -nE 'local-exec|remote-exec|provisioner|null_resource|^(resource|data) "(kubernetes|helm)_|provider "(kubernetes|helm|null|external)"' \
    "$TF_STACK"/*.tf | grep -v '\.tf:[0-9]*: *#' || true)
if [ -z "$bad" ]; then ok "no provisioners, null_resource or Kubernetes objects in the stack"; else
    diag "$bad"; fail "no provisioners, null_resource or Kubernetes objects in the stack"; fi

# core/costs.c prices what the stack derives rather than reads from a
# variable; each pair below is the same fact in the stack and in costs.c.
costs="$top_srcdir/core/costs.c"
for pair in \
    'main.tf|redis_replicas = local.is_prod ? 2 : 1|#define STACK_REDIS_NODES(prod) ((prod) ? 2 : 1)' \
    'main.tf|opensearch_volume_gb = local.is_prod ? 100 : 20|#define STACK_OPENSEARCH_GB(prod) ((prod) ? 100 : 20)' \
    'opensearch.tf|opensearch_master_type = "m6g.large.search"|#define STACK_OPENSEARCH_MASTER_TYPE "m6g.large.search"' \
    'opensearch.tf|opensearch_master_count = 3|#define STACK_OPENSEARCH_MASTERS 3' \
    'opensearch.tf|opensearch_zone_aware = var.opensearch_instance_count > 1|if (p->vector.instance_count > 1)' \
    'network.tf|count = length(var.public_subnet_cidrs)|#define STACK_NAT_GATEWAYS 2'; do
    tf=${pair%%|*} rest=${pair#*|}
    tfline=${rest%%|*} cline=${rest#*|}
    # Spaces squeezed: terraform fmt aligns the = of neighbouring lines.
    if tr -s ' ' <"$TF_STACK/$tf" | grep -qF -e "$tfline" && grep -qF -e "$cline" "$costs"; then
        ok "core/costs.c prices what $tf builds: $tfline"
    else
        fail "core/costs.c prices what $tf builds: '$tfline' in $tf and '$cline' in core/costs.c"
    fi
done

# ---- 2. the real terraform reads the tfvars files ----

if ! need_tool terraform; then
    skip "terraform reads the tfvars files" "terraform is not installed"
    done_testing
    exit
fi
tf_env_init

# The probe: the stack's variable blocks and a provider-less main.tf.
probe="$TEST_TMP/probe"
tf_make_probe "$probe"
if out=$(cd "$probe" && terraform init -input=false -no-color 2>&1); then
    ok "terraform init of the provider-less probe"
else
    printf '%s\n' "$out" | sed 's/^/# /'
    fail "terraform init of the provider-less probe"
    done_testing
    exit
fi

# tf_plan_vars TFVARS SECRETS: plans the probe; prints the diagnostics as
# "severity: summary: detail" lines. Succeeds when there is none.
tf_plan_vars() {
    json=$(cd "$probe" && terraform plan -json -input=false -lock=false -no-color \
        -var-file="$1" -var-file="$2" 2>&1)
    rc=$?
    diags=$(printf '%s\n' "$json" | grep '"type":"diagnostic"' |
        sed -n 's/.*"severity":"\([a-z]*\)","summary":"\([^"]*\)","detail":"\(\([^"\\]\|\\.\)*\)".*/\1: \2: \3/p' |
        sed -e 's/\\n/ /g' -e 's/\\"/"/g')
    # Lines that are not JSON are errors before the JSON view started.
    other=$(printf '%s\n' "$json" | grep -v '^{' | grep . || true)
    [ -n "$other" ] && diags=$(printf '%s\nerror: %s' "$diags" "$other")
    printf '%s\n' "$diags" | grep . || true
    [ "$rc" -eq 0 ] && [ -z "$(printf '%s' "$diags" | tr -d '[:space:]')" ]
}

# tf_keys FILE: the top-level keys of a JSON file, sorted, read by terraform
# (in a directory of its own: the probe's required variables have no value).
mkdir -p "$TEST_TMP/console"
tf_keys() {
    # printf, not echo: dash's echo would turn the backslash-n into a newline.
    (cd "$TEST_TMP/console" && printf 'join("\\n", sort(keys(jsondecode(file("%s")))))\n' "$1" |
        terraform console 2>/dev/null) | sed -e 's/^<<EOT$//' -e 's/^EOT$//' -e 's/^"//' -e 's/"$//' | grep .
}

# accept NAME DIR: DIR's terraform.tfvars.json + secrets.tfvars.json are
# read with no diagnostic, carry exactly the contract's keys, and the
# secrets stay in the secrets file.
accept() {
    name=$1 dir=$2
    if d=$(tf_plan_vars "$dir/terraform.tfvars.json" "$dir/secrets.tfvars.json"); then
        ok "$name: terraform accepts the tfvars"
    else
        printf '%s\n' "$d" | sed 's/^/# /'
        fail "$name: terraform accepts the tfvars"
    fi
    same_set "$name: terraform.tfvars.json has exactly tfstack_variables" "$c_vars" \
        "$(tf_keys "$dir/terraform.tfvars.json")"
    same_set "$name: secrets.tfvars.json has exactly tfstack_secret_variables" "$c_secret" \
        "$(tf_keys "$dir/secrets.tfvars.json")"
}

accept "fixture test" "$top_srcdir/tests/data/terraform/test"
accept "fixture prod" "$top_srcdir/tests/data/terraform/prod"

# What the installer renders from the example answers files.
bin="$top_builddir/dify-tui"
for size in test prod; do
    answers="$top_srcdir/assets/examples/eks-$size.yaml"
    if [ ! -x "$bin" ]; then
        skip "rendered eks-$size" "$bin is not built"
        continue
    fi
    if ! "$bin" --help 2>&1 | grep -qw render; then
        skip "rendered eks-$size" "dify-tui has no render command yet"
        continue
    fi
    if [ ! -f "$answers" ]; then
        skip "rendered eks-$size" "assets/examples/eks-$size.yaml does not exist yet"
        continue
    fi
    # Render from a copy of assets/examples: render saves generated secrets
    # beside the answers file, which must not be the source tree.
    [ -d "$TEST_TMP/examples" ] || cp -R "$top_srcdir/assets/examples" "$TEST_TMP/examples"
    out="$TEST_TMP/render-$size"
    if ! r=$(HOME="$TEST_TMP" "$bin" render --answers "$TEST_TMP/examples/eks-$size.yaml" \
        --out "$out" 2>&1); then
        printf '%s\n' "$r" | sed 's/^/# /'
        fail "rendered eks-$size: dify-tui render succeeds"
        continue
    fi
    ok "rendered eks-$size: dify-tui render succeeds"
    accept "rendered eks-$size" "$out"
    mode=$(stat -c %a "$out/secrets.tfvars.json" 2>/dev/null)
    if [ "$mode" = 600 ]; then ok "rendered eks-$size: secrets.tfvars.json is 0600"; else
        fail "rendered eks-$size: secrets.tfvars.json is 0600 (mode ${mode:-missing})"; fi
    # Redis AUTH (DECISIONS 1): the token the replication group requires is
    # the Redis password the rendered files give Dify, and only secret files
    # carry it.
    token=$(sed -n 's/^[[:space:]]*"redis_auth_token":[[:space:]]*"\(.*\)",*$/\1/p' "$out/secrets.tfvars.json")
    holders=$(grep -rlF -e "$token" "$out" | sed "s|^$out/||" | sort | tr '\n' ' ')
    if [ ${#token} -ge 16 ] && [ -n "$(grep -rlF -e "$token" "$out" | grep -v 'secrets.tfvars.json$')" ] &&
        [ -z "$(for f in $holders; do [ "$(stat -c %a "$out/$f")" = 600 ] || echo "$f"; done)" ]; then
        ok "rendered eks-$size: the Redis AUTH token is the Redis password Dify gets ($holders)"
    else
        fail "rendered eks-$size: the Redis AUTH token is the Redis password Dify gets, in 0600 files only (found in: ${holders:-nothing})"
    fi
done

# ---- 3. the check bites: broken copies of the test fixture are caught ----

good="$top_srcdir/tests/data/terraform/test"
secrets="$good/secrets.tfvars.json"
# expect_caught NAME PATTERN SED-SCRIPT: the fixture edited by SED-SCRIPT must
# be refused with a diagnostic matching PATTERN.
expect_caught() {
    bad="$TEST_TMP/$1.tfvars.json"
    sed "$3" "$good/terraform.tfvars.json" >"$bad"
    if cmp -s "$bad" "$good/terraform.tfvars.json"; then
        fail "$1: the broken copy differs from the fixture (sed script matched nothing)"
        return
    fi
    if d=$(tf_plan_vars "$bad" "$secrets"); then
        fail "$1: caught (terraform accepted it)"
    elif printf '%s\n' "$d" | grep -qE "$2"; then
        ok "$1: caught ($(printf '%s\n' "$d" | grep -m1 -E "$2" | cut -c1-90))"
    else
        printf '%s\n' "$d" | sed 's/^/# /'
        fail "$1: caught with a diagnostic matching /$2/"
    fi
}
expect_caught "extra key" '^warning: Values? for undeclared variables?' \
    's/^{$/{\n  "undeclared_key": "x",/'
expect_caught "missing required key" '^error: No value for required variable: .*cluster_name' \
    '/"cluster_name":/d'
expect_caught "wrong type" '^error: Invalid value for input variable: .*node_desired_size.*number is required' \
    's/"node_desired_size": 1,/"node_desired_size": "one",/'
expect_caught "list given as a string" '^error: Invalid value for input variable: .*public_subnet_cidrs' \
    's/"public_subnet_cidrs": \[.*\],/"public_subnet_cidrs": "10.0.1.0\/24",/'
expect_caught "value outside the validation" '^error: Invalid value for variable: .*environment' \
    's/"environment": "test",/"environment": "staging",/'

# The secrets file is checked too, although the password feeds no resource
# in the probe (it is ephemeral): RDS would refuse a "/" in it.
token='"redis_auth_token": "fixture-only-redis-token-not-a-secret"'
printf '{\n  "db_password": "has/slash-Passw0rd",\n  %s\n}\n' "$token" >"$TEST_TMP/bad-secrets.json"
if d=$(tf_plan_vars "$good/terraform.tfvars.json" "$TEST_TMP/bad-secrets.json"); then
    fail "bad password in secrets.tfvars.json: caught (terraform accepted it)"
elif printf '%s\n' "$d" | grep -q '^error: Invalid value for variable: The database password'; then
    ok "bad password in secrets.tfvars.json: caught by the validation"
else
    printf '%s\n' "$d" | sed 's/^/# /'
    fail "bad password in secrets.tfvars.json: caught by the validation"
fi
printf '{\n  "db_password": ["not", "a", "string"],\n  %s\n}\n' "$token" >"$TEST_TMP/bad-secrets.json"
if d=$(tf_plan_vars "$good/terraform.tfvars.json" "$TEST_TMP/bad-secrets.json"); then
    fail "list as password: caught (terraform accepted it)"
elif printf '%s\n' "$d" | grep -q '^error: Invalid value for input variable: .*db_password'; then
    ok "list as password: caught as a type error"
else
    printf '%s\n' "$d" | sed 's/^/# /'
    fail "list as password: caught as a type error"
fi

# A secret in the non-secret file is an undeclared-free but misplaced key:
# the key-set check must notice it.
misplaced="$TEST_TMP/misplaced"
mkdir -p "$misplaced"
sed 's/^{$/{\n  "db_password": "fixture-only-Passw0rd-not-a-secret",/' \
    "$good/terraform.tfvars.json" >"$misplaced/terraform.tfvars.json"
if [ "$(tf_keys "$misplaced/terraform.tfvars.json" | grep -c '^db_password$')" -eq 1 ] &&
    ! printf '%s\n' "$c_vars" | grep -qx db_password; then
    ok "a password in terraform.tfvars.json is seen as a key outside tfstack_variables"
else
    fail "a password in terraform.tfvars.json is seen as a key outside tfstack_variables"
fi

done_testing
