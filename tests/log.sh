#!/bin/sh
# Every run appends to STATE/dify-tui.log, created 0600, and no secret value
# reaches it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
tmpdir_new
export DIFY_TUI_STATE="$TEST_TMP/state"
BIN="$top_builddir/dify-tui"
cp "$top_srcdir/assets/examples/eks-test.yaml" "$TEST_TMP/a.yaml"
"$BIN" render --answers "$TEST_TMP/a.yaml" --out "$TEST_TMP/out" >/dev/null 2>&1
check "render succeeds" test -f "$TEST_TMP/out/terraform.tfvars.json"
LOG="$DIFY_TUI_STATE/dify-tui.log"
check "the log exists" test -f "$LOG"
mode=$(stat -c %a "$LOG" 2>/dev/null)
if [ "$mode" = 600 ]; then ok "the log is 0600"; else fail "the log is $mode, want 600"; fi
if grep -q "render: exit 0" "$LOG"; then ok "the log records the command and its exit"; else
    sed 's/^/# /' "$LOG"
    fail "the log records the command and its exit"
fi
leaked=""
checked=0
while IFS= read -r line; do
    v=${line#*: }
    v=${v#\"}
    v=${v%\"}
    [ ${#v} -ge 4 ] || continue
    checked=$((checked + 1))
    grep -qF -- "$v" "$LOG" && leaked="$leaked ${line%%:*}"
done <"$TEST_TMP/a.secrets.yaml"
if [ "$checked" -lt 5 ]; then fail "only $checked secret values found to look for"
elif [ -z "$leaked" ]; then ok "no secret value in the log ($checked checked)"; else fail "secrets in the log:$leaked"; fi
done_testing
