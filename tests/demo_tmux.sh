#!/bin/bash
# tests/demo_tmux.sh: `dify-tui demo` driven in tmux from its first key to
# the dashboard at terminal sizes beyond the 80x24 tests/progress_tmux.sh
# uses: 120x40 and 200x50, each through the wizard (Review, Write, Install
# now), the progress pane and the dashboard, and q to the end; and a
# terminal too small for the screens (70x20, 60x15), met in the wizard, the
# progress pane and the dashboard, which must say so, keep running and draw
# the screen again once the terminal is large enough (the install going on
# meanwhile). Every wait polls capture-pane a bounded number of times.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

. "$top_srcdir/tests/simlib.sh"

BIN="$top_builddir/dify-tui"
need_or_skip "the demo in tmux at several sizes" tmux kubectl curl psql stores
tmpdir_new
. "$top_srcdir/tests/tmuxlib.sh"
tmux_server demo
TMUX_WAIT=300 # 30 s
LOCALE=C.UTF-8

# too_small COLS ROWS BACK_COLS BACK_ROWS TEXT WHERE: shrink, see the message, grow, see TEXT
too_small() {
    $T resize-window -t w -x "$1" -y "$2"
    check "$6: at $1x$2 it says the terminal is too small" \
        wait_for "terminal too small: $1x$2, need 80x24"
    $T resize-window -t w -x "$3" -y "$4"
    check "$6: back at $3x$4 the screen is drawn again" wait_for "$5"
}

# demo COLS ROWS: the demo in a fresh session of that size; its own TMPDIR
demo() {
    local d="$TEST_TMP/demo-$1x$2"
    mkdir -p "$d/tmp"
    chmod 711 "$TEST_TMP" "$d" "$d/tmp"
    PANE_DIR=$d pane_run "$1" "$2" \
        "env TERM=screen LANG=$LOCALE LC_ALL=$LOCALE TMPDIR='$d/tmp' '$BIN' demo --speed 20"
    DEMO_TMP="$d/tmp"
}

# walk SIZE: the wizard from its first page to Install now
walk() {
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do keys C-n; done
    check "$1: the Review page" wait_for "[Review]"
    i=0
    while [ $i -lt 60 ] && ! screen | grep -qF "> [ Write files ]"; do
        keys Down
        i=$((i + 1))
    done
    keys Enter
    check "$1: the demo's files are written" wait_for "Wrote "
    keys Down
    wait_for "> [ Install now ]" >/dev/null
    keys Enter
    check "$1: Install now opens the progress pane" wait_for "Steps"
}

# finish SIZE HEADER: from the dashboard to the end of the demo; HEADER: the
# overview's column heads at that width (80 columns keep only five)
finish() {
    check "$1: the overview has the columns of its width" wait_re "$2" 600
    check "$1: every component rolled out" wait_re "^plugin daemon +dify-plugin-daemon +1/1 " 600
    check "$1: the plugin daemon healthy" wait_for "plugin daemon /health ok" 600
    keys q
    check "$1: leaving the dashboard shows the pods, read back" wait_for "dify-api-" 600
    wait_for "Press Enter for the kept-volume story" 600 >/dev/null
    keys q Enter
    check "$1: the demo ends with status 0" wait_for "EXIT=0" 600
    check "$1: nothing left in its directory" sh -c "[ -z \"\$(ls -A '$DEMO_TMP')\" ]"
}

# --- 120x40, and too small in the wizard before the first key
demo 120 40
check "120x40: the demo opens the wizard on its answers" wait_for "[Edition]" 600
check "120x40: the wizard is laid out for 120 columns" title_width 120
too_small 70 20 120 40 "[Edition]" "120x40 wizard"
check "120x40: laid out for 120 columns again" title_width 120
walk 120x40
check "120x40: the pane is laid out for 120 columns" title_width 120
check "120x40: the install lands on the dashboard" wait_for "overview  context: dify-sim" 1200
check "120x40: the dashboard is laid out for 120 columns" title_width 120
finish 120x40 "^COMPONENT +NAME +READY +UP-TO-DATE +RESTARTS +AGE +TAG +ROLLOUT"

# --- 200x50, and too small in the progress pane and on the dashboard
demo 200 50
check "200x50: the demo opens the wizard on its answers" wait_for "[Edition]" 600
check "200x50: the wizard is laid out for 200 columns" title_width 200
walk 200x50
check "200x50: the pane is laid out for 200 columns" title_width 200
too_small 60 15 200 50 "Steps" "200x50 progress pane"
check "200x50: the install went on and lands on the dashboard" \
    wait_for "overview  context: dify-sim" 1200
check "200x50: the dashboard is laid out for 200 columns" title_width 200
too_small 79 24 200 50 "overview  context: dify-sim" "200x50 dashboard"
finish 200x50 "^COMPONENT +NAME +READY +UP-TO-DATE +AVAILABLE +RESTARTS +AGE +TAG +ROLLOUT"

done_testing
