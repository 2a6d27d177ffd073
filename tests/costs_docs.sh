#!/bin/sh
# tests/costs_docs.sh: the cost tables in README.md and docs/terraform.md are
# what core/costs.c computes (tests/costs_table prints them). Each sits
# between <!-- costs:NAME --> and <!-- /costs:NAME --> markers; on a
# mismatch the diff shows what to paste.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
tmpdir_new

table="$top_builddir/tests/costs_table"
if [ ! -x "$table" ]; then
    skip "cost tables in the docs" "$table is not built"
    done_testing
    exit
fi

# block FILE NAME: the lines between the NAME markers of FILE.
block() {
    awk -v name="$2" '
        $0 == "<!-- /costs:" name " -->" { on = 0 }
        on { print }
        $0 == "<!-- costs:" name " -->" { on = 1; seen = 1 }
        END { exit !seen }
    ' "$1"
}

for pair in README.md:summary docs/terraform.md:lines; do
    file=${pair%%:*} name=${pair#*:}
    "$table" "$name" >"$TEST_TMP/want"
    if ! block "$top_srcdir/$file" "$name" >"$TEST_TMP/have"; then
        fail "$file has a <!-- costs:$name --> block"
        continue
    fi
    if diff -u "$TEST_TMP/have" "$TEST_TMP/want" >"$TEST_TMP/diff"; then
        ok "$file: the $name cost table is what core/costs.c computes"
    else
        sed 's/^/# /' "$TEST_TMP/diff"
        fail "$file: the $name cost table is what core/costs.c computes"
    fi
done
done_testing
