# tests/tryoutlib.sh: the head every dashboard walk against dify-sim shares
# shellcheck shell=bash
# (tests/tryout_*.sh, tryout2_*.sh, tryout3_*.sh, dash_*.sh). Sources tests/lib.sh,
# simlib.sh and tmuxlib.sh; source it alone:
#   . "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"
#
#   tryout_begin WHAT NEED...  the tools (or "stores") the walk needs, each
#                      missing one a SKIP of WHAT and the end (simlib's
#                      need_or_skip); then a temporary directory, the
#                      program's state in it (DIFY_TUI_STATE), BIN
#   tryout_sim [-m NAME] ARGS...  dify-sim started with ARGS: ok NAME
#                      ("dify-sim starts"), or a failure and the end
#   tryout_pods NS POD... [-- ARGS...]  tryout_sim (with ARGS) on a scenario
#                      named after the test: namespace NS and a busybox pod
#                      a POD, quick to run (0.1 s delays), never ending
#   tui_run COLS ROWS ARGS...  dify-tui with ARGS in the pane w (tmuxlib's
#                      pane_run), under $TUI_ENV (TERM=screen and a UTF-8
#                      locale), with KUBECONFIG and DIFY_TUI_STATE
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

tryout_pods() {
    local ns=$1
    shift
    {
        echo "name: $(basename "$0" .sh | tr _ -)"
        echo "defaults: {scheduleDelay: 0.1, pullDelay: 0.1, readyDelay: 0.1, runFor: 100000}"
        echo "objects:"
        echo "  - {apiVersion: v1, kind: Namespace, metadata: {name: $ns}}"
        while [ $# -gt 0 ] && [ "$1" != -- ]; do
            echo "  - apiVersion: v1"
            echo "    kind: Pod"
            echo "    metadata: {name: $1, namespace: $ns}"
            echo "    spec: {containers: [{name: c, image: busybox}]}"
            shift
        done
    } >"$TEST_TMP/scn.yaml"
    [ "${1:-}" = -- ] && shift
    tryout_sim --scenario "$TEST_TMP/scn.yaml" "$@"
}

tui_run() {
    local cols=$1 rows=$2
    shift 2
    pane_run "$cols" "$rows" "env ${TUI_ENV:-TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8} KUBECONFIG='$KUBECONFIG' DIFY_TUI_STATE='$DIFY_TUI_STATE' $(printf '%q ' "$BIN" "$@")"
}

dash_open() {
    local ns=$1 cols=${2:-120} rows=${3:-30}
    shift $(($# < 3 ? $# : 3))
    tui_run "$cols" "$rows" -n "$ns" dashboard "$@"
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
