# tests/tryoutlib.sh: the head every dashboard walk against dify-sim shares
# shellcheck shell=bash
# (tests/tryout_*.sh, tryout2_*.sh, dash_*.sh). Sources tests/lib.sh,
# simlib.sh and tmuxlib.sh; source it alone:
#   . "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"
#
#   tryout_begin WHAT NEED...  the tools (or "stores") the walk needs, each
#                      missing one a SKIP of WHAT and the end (simlib's
#                      need_or_skip); then a temporary directory, the
#                      program's state in it (DIFY_TUI_STATE), BIN
#   tryout_sim [-m NAME] ARGS...  dify-sim started with ARGS: ok NAME
#                      ("dify-sim starts"), or a failure and the end
#   dash_open NS [COLS ROWS [ARGS...]]  the dashboard of namespace NS (with
#                      ARGS) in the pane w of the test's tmux server (made
#                      by tmux_server), COLSxROWS (120x30); a pane w already
#                      there is replaced. Waits for the title's context
#                      ($DASH_CONTEXT: dify-sim).
#   dash_pid           the pid of the dashboard running in pane w
#   esc                Escape, alone (two in one write are one escape
#                      sequence to curses), and a moment for curses to
#                      take it as a key
#   select_in VIEW TEXT  back to the list views, VIEW (":pods"), filtered
#                      to TEXT, waiting for the filter to be shown
#   dash_quit          back to the list views and :q, checked: ok when the
#                      dashboard leaves with exit 0
#   actions_sim        tryout_sim with tests/data/scenarios/actions.json
#                      (namespace act: a bare pod, deployment/dify-web,
#                      job/once), waiting for the three pods to run (a check)

. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"
. "$top_srcdir/tests/tmuxlib.sh"

BIN="$top_builddir/dify-tui"

tryout_begin() {
    need_or_skip "$@"
    tmpdir_new
    export DIFY_TUI_STATE="$TEST_TMP/state"
}

tryout_sim() {
    local name="dify-sim starts"
    if [ "$1" = -m ]; then
        name=$2
        shift 2
    fi
    if ! sim_start "$@"; then
        fail "$name"
        done_testing
        exit 1
    fi
    ok "$name"
}

dash_open() {
    local ns=$1 cols=${2:-120} rows=${3:-30}
    shift $(($# < 3 ? $# : 3))
    $T kill-session -t w 2>/dev/null
    $T new-session -d -s w -x "$cols" -y "$rows" \
        "env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$KUBECONFIG' DIFY_TUI_STATE='$DIFY_TUI_STATE' '$BIN' -n $ns dashboard $*; echo EXIT=\$?; exec cat"
    wait_for "context: ${DASH_CONTEXT:-dify-sim}" >/dev/null
}

dash_pid() {
    local sh
    sh=$($T list-panes -t w -F '#{pane_pid}' 2>/dev/null | head -1)
    [ -n "$sh" ] && ps -o pid= --ppid "$sh" | head -1 | tr -d ' '
}


esc() {
    keys Escape
    sleep 0.3
}

select_in() {
    esc
    esc
    esc
    keys ':' "$1" Enter
    keys '/' "$2" Enter
    wait_for "filter: $2" >/dev/null
}

dash_quit() {
    esc
    esc
    esc
    keys ':' 'q' Enter
    check ":q leaves with exit 0" wait_for "EXIT=0"
}

_actions_running() { [ "$(kubectl get pods -n act --no-headers 2>/dev/null | grep -c Running)" = 3 ]; }
actions_sim() {
    tryout_sim --scenario "$top_srcdir/tests/data/scenarios/actions.json"
    check "three pods run" poll -n 100 _actions_running
}
