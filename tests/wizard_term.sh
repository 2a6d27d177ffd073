#!/bin/sh
# tests/wizard_term.sh: the wizard in odd terminals and under signals, the real
# binary in a private tmux server at 80x24. TERM=vt100 (no PgDn/Home/End in
# its terminfo entry), xterm-256color (whose End differs from tmux's), dumb
# and an unknown type (refused, exit 2), a terminal too small at start; then
# every signal that used to leave the terminal raw, each followed by `stty -a`
# and tmux's own view of the pane (cursor shown, alternate screen left).
# Every wait polls capture-pane a bounded number of times.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

BIN="$top_builddir/dify-tui"
if ! need_tool tmux; then
    skip "wizard in odd terminals" "tmux is not installed"
    done_testing
    exit 0
fi
tmpdir_new
. "$top_srcdir/tests/tmuxlib.sh"
tmux_server term
WD="$TEST_TMP/work"
PIDF="$TEST_TMP/pid"
LOCALE=C.UTF-8

# start TERMTYPE [COLSxROWS]: runs the wizard under TERM=TERMTYPE in a new
# session "w". Its pid goes to $PIDF; when it ends the pane shows EXIT=N and
# then MODES= with the echo/icanon/isig/icrnl/opost settings `stty -a` reports.
start() {
    size=${2:-80x24}
    $T kill-session -t w 2>/dev/null
    rm -f "$PIDF"
    rm -rf "$WD"
    $T new-session -d -s w -x "${size%x*}" -y "${size#*x}" \
        "ulimit -c 0; env TERM=$1 LANG=$LOCALE LC_ALL=$LOCALE sh -c 'echo \$\$ > $PIDF; exec \"$BIN\" wizard --workdir \"$WD\"'; echo EXIT=\$?; echo MODES=\$(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(echo|icanon|isig|icrnl|opost)' | sort | tr '\\n' ' '); exec cat"
}

have_pid() { [ -s "$PIDF" ]; }

# restored: the pane's modes are cooked again, the cursor shows and the
# alternate screen is gone.
restored() {
    wait_for "MODES=" >/dev/null || return 1
    modes=$(screen | sed -n 's/^MODES=//p')
    if [ "$modes" != "echo icanon icrnl isig opost" ]; then
        diag "stty after exit: $modes"
        return 1
    fi
    flags=$($T display -p -t w '#{cursor_flag} #{alternate_on}')
    if [ "$flags" != "1 0" ]; then
        diag "cursor shown, alternate screen: $flags (want 1 0)"
        return 1
    fi
}

# ---- TERM=vt100: its entry has no PgDn, PgUp, Home or End ----
start vt100
check "vt100: the first page is drawn" wait_for "[Edition]"
keys PageDown
check "vt100: PgDn goes to the next page" wait_for "[Method]"
check "vt100: PgDn did not open the leave dialog" gone "Leave without writing"
keys C-n
wait_for "[Size]" >/dev/null
keys End
check "vt100: End goes to the last row of a long page" wait_for "> ssrf_proxy memory limit"
keys Home
check "vt100: Home comes back to the first" wait_for "> Size "
keys PageDown
check "vt100: PgDn moves a screenful within the page" wait_gone "> Size "
check "vt100: and stays on the long page" shows "[Size]"
keys PageUp
check "vt100: PgUp moves back" wait_for "> Size "
check "vt100: and never typed text or opened a dialog" gone "Leave without writing"
keys Escape
check "vt100: a real Esc still asks before leaving" wait_for "Leave without writing any file?"
keys y
wait_for "Keep a draft" >/dev/null
keys n
check "vt100: leaving restores the terminal" restored

# ---- TERM=xterm-256color: tmux's End is not the entry's ----
start xterm-256color
wait_for "[Edition]" >/dev/null
keys End
keys C-n
check "xterm-256color: End does not read as Esc" wait_for "[Method]"
check "xterm-256color: no leave dialog after End" gone "Leave without writing"
keys Home
keys C-n
check "xterm-256color: Home does not read as Esc" wait_for "[Size]"
keys End
check "xterm-256color: End goes to the last row" wait_for "> ssrf_proxy memory limit"
check "xterm-256color: no leave dialog after Home" gone "Leave without writing"
keys C-c
check "xterm-256color: Ctrl-C leaves with 130" wait_for "EXIT=130"

# ---- a locale that cannot show the arrows (LANG=C over ssh) ----
LOCALE=C
start xterm-256color
LOCALE=C.UTF-8
check "LANG=C: the page is drawn" wait_for "[Edition]"
check "LANG=C: the key hints say Tab in ASCII" wait_for "Tab field  PgDn/PgUp page"
check "LANG=C: no question marks for the arrows" gone "Tab/?"
keys C-c
wait_for "EXIT=130" >/dev/null

# ---- terminals that cannot run it ----
start dumb
check "TERM=dumb is refused with exit 2" wait_for "EXIT=2"
check "TERM=dumb: the message names the terminal and what it lacks" \
    wait_for "TERM=dumb cannot show the screens"
check "TERM=dumb: the terminal is left as it was" restored
start no-such-terminal-type
check "an unknown TERM is refused with exit 2" wait_for "EXIT=2"
check "an unknown TERM: the message says so" wait_for "no terminfo entry"

# ---- too small from the start ----
start xterm-256color 60x20
check "60x20 at start: says it is too small" wait_for "terminal too small: 60x20, need 80x24"
$T resize-window -t w -x 80 -y 24
check "grown to 80x24: the page is drawn" wait_for "[Edition]"
keys C-c
wait_for "EXIT=130" >/dev/null

# ---- signals: each restores the terminal ----
# signal_case NAME STATUS: the wizard gets SIGNAME and ends with STATUS.
signal_case() {
    start xterm-256color
    poll have_pid
    wait_for "[Edition]" >/dev/null
    kill -s "$1" "$(cat "$PIDF")"
    check "SIG$1: ends with status $2" wait_for "EXIT=$2"
    check "SIG$1: the terminal is restored" restored
}
signal_case INT 130
signal_case TERM 143
signal_case HUP 129
signal_case QUIT 131
signal_case USR1 138
signal_case SEGV 139
signal_case ABRT 134

# Ctrl-\ from the keyboard is SIGQUIT through the terminal itself.
start xterm-256color
wait_for "[Edition]" >/dev/null
keys 'C-\'
check "Ctrl-\\: ends with 131" wait_for "EXIT=131"
check "Ctrl-\\: the terminal is restored" restored

# SIGPIPE is ignored: the wizard goes on and still answers keys.
start xterm-256color
poll have_pid
wait_for "[Edition]" >/dev/null
kill -s PIPE "$(cat "$PIDF")"
keys C-n
check "SIGPIPE: the wizard goes on" wait_for "[Method]"
keys C-c
check "SIGPIPE: then Ctrl-C still leaves cleanly" wait_for "EXIT=130"
check "SIGPIPE: the terminal is restored" restored

$T kill-server 2>/dev/null
done_testing
