#!/bin/sh
# scripts/test.sh: runs the whole suite through `make check` (every test speaks
# TAP), shows the failures' logs, and ends with the line CI reads:
#   N passed, N failed, N skipped
cd "$(dirname "$0")/.."
make -s check -j"$(nproc)" VERBOSE=1 >tests-check.out 2>&1
rc=$?
grep -E '^(PASS|FAIL|SKIP|ERROR|XPASS|XFAIL):' tests-check.out | grep -vE '^PASS:' || true
for log in $(find tests -name '*.log' ! -name 'test-suite.log' 2>/dev/null); do
    if grep -qE '^(not ok|Bail out!)' "$log" 2>/dev/null; then
        echo "---- $log"
        tail -n 60 "$log"
    fi
done
total=$(sed -n 's/^# TOTAL: *//p' tests-check.out | tail -n1)
pass=$(sed -n 's/^# PASS: *//p' tests-check.out | tail -n1)
skip=$(sed -n 's/^# SKIP: *//p' tests-check.out | tail -n1)
fail=$(sed -n 's/^# FAIL: *//p' tests-check.out | tail -n1)
err=$(sed -n 's/^# ERROR: *//p' tests-check.out | tail -n1)
xpass=$(sed -n 's/^# XPASS: *//p' tests-check.out | tail -n1)
: "${pass:=0}" "${skip:=0}" "${fail:=0}" "${err:=0}" "${xpass:=0}" "${total:=0}"
failed=$((fail + err + xpass))
if [ "$total" -eq 0 ] || { [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
    # make check itself broke (a build error): show it and count it.
    tail -n 40 tests-check.out
    failed=$((failed + 1))
fi
echo "$pass passed, $failed failed, $skip skipped"
[ "$failed" -eq 0 ]
