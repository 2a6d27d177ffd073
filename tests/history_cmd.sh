#!/bin/bash
# tests/history_cmd.sh: `dify-tui history` on a journal as the runner writes
# it: one row per run with its outcome (installed, rolled back, restored)
# and the revision it recorded (an upgrade's old -> new tags), the
# deployed revision named, a torn last line counted; an empty state
# directory; bad usage is exit 2.
. "$(dirname "$0")/lib.sh"
tmpdir_new
bin="$top_builddir/dify-tui"

state="$TEST_TMP/answers.state"
mkdir -p "$state"
cat >"$state/journal.jsonl" <<'JSON'
{"time":1796000000,"event":"run","step":"","what":"install"}
{"time":1796000010,"event":"finished","step":"revision","hash":"x","out.image_tag":"1.9.1","out.daemon_tag":"0.3.0-local","out.method":"helm","out.chart":"dify/dify","out.chart_version":"0.30.0","out.helm_revision":"1"}
{"time":1796000011,"event":"end","step":"","result":"done"}
{"time":1796100000,"event":"run","step":"","what":"upgrade"}
{"time":1796100001,"event":"finished","step":"upgrade-target","out.image_tag":"1.10.0","out.from_tag":"1.9.1","out.daemon_tag":"0.3.0-local"}
{"time":1796100300,"event":"end","step":"","result":"failed","message":"helm-release: timed out waiting for the condition"}
{"time":1796100310,"event":"run","step":"","what":"rollback"}
{"time":1796100350,"event":"finished","step":"revision","out.image_tag":"1.9.1","out.daemon_tag":"0.3.0-local","out.method":"helm","out.chart":"dify/dify","out.chart_version":"0.30.0","out.helm_revision":"3"}
{"time":1796100351,"event":"end","step":"","result":"done"}
{"time":1796100400,"event":"run","step":"","wh
JSON
: >"$TEST_TMP/answers.yaml"
out=$("$bin" history --answers "$TEST_TMP/answers.yaml" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "history exits 0" test "$rc" -eq 0
check "the install's row with its revision" \
    grep -Eq '^1 +2026-[0-9-]+ [0-9:]+ +install +installed +1\.9\.1 +0\.3\.0-local +0\.30\.0 +1 ' <<<"$out"
check "the failed upgrade's row: rolled back, from and to, its message" \
    grep -Eq '^2 .* upgrade +rolled back +1\.9\.1 -> 1\.10\.0 .*timed out waiting' <<<"$out"
check "the rollback's row: the revision it restored" \
    grep -Eq '^3 .* rollback +restored +1\.9\.1 +0\.3\.0-local +0\.30\.0 +3 ' <<<"$out"
check "the deployed revision is the last good one" grep -q 'deployed now: Dify 1.9.1 (helm), chart 0.30.0' <<<"$out"
check "the torn last line is counted" grep -q '1 journal line could not be read' <<<"$out"

out=$("$bin" history --state-dir "$TEST_TMP/empty" 2>&1)
check "an empty state directory has no runs" grep -q 'no runs recorded in' <<<"$out"

"$bin" history >/dev/null 2>&1
check "no --answers or --state-dir is exit 2" test $? -eq 2
"$bin" history --bogus x >/dev/null 2>&1
check "an unknown option is exit 2" test $? -eq 2
done_testing
