#!/bin/sh
# The tree keeps one formatter configuration (.clang-format): every tracked C
# file must be formatted. Skipped where clang-format or git is missing (for
# example in a distribution tarball).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
cd "$top_srcdir" || exit 1
if ! need_tool clang-format; then
    skip "C sources are clang-formatted" "clang-format is not installed"
elif ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    skip "C sources are clang-formatted" "not a git checkout"
else
    out=$(git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror 2>&1)
    if [ -z "$out" ]; then ok "C sources are clang-formatted"; else
        echo "$out" | grep -E '^[^ ].*: (error|warning):' | head -n 20 | sed 's/^/# /'
        fail "C sources are clang-formatted (run: make format)"
    fi
fi
done_testing
