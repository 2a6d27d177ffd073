# tests/lib.sh: TAP helpers for the shell tests. Source it, call ok/fail/skip
# for each case, and `done_testing` at the end. A missing tool is a SKIP with
# its reason, shown by the harness and never counted as a pass.

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
TAP_N=0
TAP_FAILED=0

ok() {
    TAP_N=$((TAP_N + 1))
    echo "ok $TAP_N - $*"
}

fail() {
    TAP_N=$((TAP_N + 1))
    TAP_FAILED=$((TAP_FAILED + 1))
    echo "not ok $TAP_N - $*"
}

skip() {
    TAP_N=$((TAP_N + 1))
    echo "ok $TAP_N - ${1} # SKIP ${2:-}"
    echo "SKIP: ${1}: ${2:-}" >&2
}

# check NAME COMMAND...: ok when the command succeeds; its output goes to the log.
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else fail "$name"; fi
}

diag() {
    echo "# $*"
}

# not COMMAND...: succeeds when COMMAND fails (for check: check NAME not ...).
not() { ! "$@"; }

# lines_match FILE REGEX...: every extended REGEX matches a line of FILE.
lines_match() {
    local f=$1 re
    shift
    for re in "$@"; do
        grep -Eq -- "$re" "$f" || return 1
    done
}

# wait_for TRIES COMMAND...: runs COMMAND (its output dropped) every 0.2 s
# until it succeeds, at most TRIES times. With tests/tmuxlib.sh sourced,
# wait_for TEXT [N] (a first argument that is not a number) waits for TEXT
# on the tmux pane instead (tmuxlib's wait_text): one name, two forms.
wait_for() {
    case $1 in
    '' | *[!0-9]*)
        wait_text "$@"
        return
        ;;
    esac
    local tries=$1 i
    shift
    for i in $(seq 1 "$tries"); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    return 1
}

need_tool() {
    command -v "$1" >/dev/null 2>&1
}

# A temporary directory removed when the test exits.
tmpdir_new() {
    TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/dify-tui-test.XXXXXX")
    trap 'rm -rf "$TEST_TMP"; [ -n "${TEST_CLEANUP:-}" ] && eval "$TEST_CLEANUP"' EXIT
}

done_testing() {
    echo "1..$TAP_N"
    [ "$TAP_FAILED" -eq 0 ]
}
