#!/bin/sh
# tests/terraform_rules.sh: the rules contract between the installer and
# assets/terraform. For every variable with a validation block, the values
# in tests/data/terraform/probes.txt go through both sides: tests/tf_probe
# asks the installer's rules (profile_validate on an EKS profile) and writes,
# per probe, a module block passing what render writes to a module of the
# variable's block alone; one `terraform plan` of them all must report a
# validation error exactly in the blocks of the values the installer
# refused, on the probed variable. Each validated variable needs a value each
# side accepts and one it refuses.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/terraform_lib.sh"
tmpdir_new

probes="$top_srcdir/tests/data/terraform/probes.txt"
gen="$top_builddir/tests/tf_probe"
if [ ! -x "$gen" ]; then
    skip "installer and terraform agree on every probe" "$gen is not built"
    done_testing
    exit
fi
if ! need_tool terraform; then
    skip "installer and terraform agree on every probe" "terraform is not installed"
    done_testing
    exit
fi
tf_env_init
probe="$TEST_TMP/probe"
# One module per variable, holding its block alone: validations refer only
# to their own variable (variables.tf says so), and a module of one
# variable per probe keeps the plan small.
mkdir -p "$probe"
tf_variable_blocks | awk -v dir="$probe" '
    /^variable "/ { name = $2; gsub(/"/, "", name); d = dir "/var_" name
        system("mkdir -p " d); out = d "/variables.tf" }
    out { print > out }
    /^}/ { close(out); out = "" }'
if "$gen" "$probes" "$probe" >"$TEST_TMP/verdicts" 2>"$TEST_TMP/gen.err"; then
    ok "tests/tf_probe reads every probe and renders its value"
else
    sed 's/^/# /' "$TEST_TMP/gen.err"
    fail "tests/tf_probe reads every probe and renders its value"
    done_testing
    exit
fi

# Coverage: every validated variable has both verdicts among the probes.
pairs=$(cut -d' ' -f3,4 "$TEST_TMP/verdicts" | sort -u)
derived=$(sed -n 's/^# derived: //p' "$probes")
for v in $(tf_validated_variables); do
    need="accepts refuses"
    printf '%s\n' "$derived" | grep -qx "$v" && need="accepts"
    for verdict in $need; do
        if printf '%s\n' "$pairs" | grep -qx "$v $verdict"; then
            ok "$v: a probe the installer $verdict"
        else
            fail "$v: a probe the installer $verdict (add one to tests/data/terraform/probes.txt)"
        fi
    done
done
for v in $(printf '%s\n' "$pairs" | cut -d' ' -f1 | sort -u); do
    tf_validated_variables | grep -qx "$v" || fail "probes.txt names $v, which has no validation block"
done

if ! out=$(cd "$probe" && terraform init -input=false -no-color 2>&1); then
    printf '%s\n' "$out" | sed 's/^/# /'
    fail "terraform init of the probes"
    done_testing
    exit
fi
(cd "$probe" && terraform plan -json -input=false -lock=false -no-color >"$TEST_TMP/plan.json" 2>&1)
# "FILE LINE SUMMARY" of every error diagnostic.
grep '"type":"diagnostic"' "$TEST_TMP/plan.json" | grep '"severity":"error"' |
    sed -n 's/.*"summary":"\([^"]*\)".*"range":{"filename":"\([^"]*\)","start":{"line":\([0-9]*\).*/\2 \3 \1/p' \
        >"$TEST_TMP/errors"
if ! grep -q '"type":"diagnostic"\|"type":"planned_change"\|"type":"change_summary"' "$TEST_TMP/plan.json"; then
    sed 's/^/# /' "$TEST_TMP/plan.json" | head -20
    fail "terraform planned the probes"
fi
nerr=$(grep -c '"severity":"error"' "$TEST_TMP/plan.json")
if [ "$nerr" -ne "$(grep -c . "$TEST_TMP/errors")" ]; then
    grep '"severity":"error"' "$TEST_TMP/plan.json" | head -5 | sed 's/^/# /'
    fail "every error terraform reports is placed in a probe"
fi

# One TAP line per probe: terraform's verdict next to the installer's.
while read -r _ line var verdict why; do
    value=$(sed -n "${line}p" "$probes" | cut -f3)
    here=$(grep "^probe_$line\.tf " "$TEST_TMP/errors" || true)
    if [ -z "$here" ]; then
        tf=accepts
    elif [ "$(printf '%s\n' "$here" | grep -vc '^[^ ]* 3 Invalid value for variable$')" -eq 0 ]; then
        tf=refuses
    else
        tf="reports other errors: $(printf '%s\n' "$here" | tr '\n' ';')"
    fi
    name="$var = \"$value\" (probes.txt:$line): installer $verdict"
    if [ "$tf" = "$verdict" ]; then
        ok "$name, terraform agrees"
    else
        [ -n "$why" ] && diag "installer: $why"
        fail "$name, terraform $tf"
    fi
done <"$TEST_TMP/verdicts"
done_testing
