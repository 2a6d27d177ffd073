# tests/tmuxlib.sh: the screen tests' tmux scaffolding (sourced after
# tests/lib.sh). The real binary runs in a private tmux server; every wait
# polls capture-pane a bounded number of times, nothing sleeps and hopes.
#
#   tmux_server NAME   a private server (socket dify-NAME-PID) with a session
#                      "keep" that lives as long as the test: killing the last
#                      session makes the server exit, and a new-session sent
#                      while it exits finds no server. Sets T (the tmux command)
#                      and stops the server at the end (TEST_CLEANUP).
#   PANE               the pane the helpers look at and type into (default w)
#   TMUX_CAPTURE       more capture-pane flags (-J: wrapped lines joined)
#   TMUX_WAIT          the default N of the waits below (100: 10 s)
#   screen             the pane's text
#   shows TEXT         whether TEXT (a fixed string) is on the pane
#   shows_re REGEX     whether a line of the pane matches REGEX (grep -E)
#   shows_all TEXT...  whether every TEXT is on the pane (one capture)
#   poll [-n N] CMD... runs CMD until it succeeds, N times 0.1 s apart (100)
#   wait_for TEXT [N]  polls until TEXT shows; else shows the pane and fails
#                      (tests/lib.sh's wait_for: its other form, a number of
#                      tries and a command, still works; wait_text is this one)
#   wait_re REGEX [N]  the same for a line matching REGEX
#   wait_gone TEXT [N] polls until TEXT is gone
#   keys KEY...        tmux send-keys to the pane
#   title_width N      polls until the title bar (the pane's first line,
#                      trailing blanks trimmed) spans N-1 columns: the
#                      screen is laid out for N columns
#   pane_run COLS ROWS CMD  the pane w, COLSxROWS, in a session of its own (one
#                      there before is ended) running the shell command CMD
#                      (in the directory $PANE_DIR when set), then
#                      "EXIT=<its status>" and cat, which keeps the pane open
#                      ($PANE_CAT: "cat -v" shows what a program left switched
#                      on, its escape sequences as text)

tmux_server() {
    SOCK="dify-$1-$$"
    T="tmux -L $SOCK -f /dev/null"
    TEST_CLEANUP="$T kill-server 2>/dev/null; ${TEST_CLEANUP:-}"
    $T new-session -d -s keep -x 80 -y 24 "exec cat"
}

PANE=${PANE:-w}
TMUX_CAPTURE=${TMUX_CAPTURE:-}
TMUX_WAIT=${TMUX_WAIT:-100}

# shellcheck disable=SC2086
screen() { $T capture-pane -p $TMUX_CAPTURE -t "$PANE" 2>/dev/null; }
shows() { screen | grep -qF -- "$1"; }
shows_re() { screen | grep -qE -- "$1"; }
gone() { ! shows "$1"; }
shows_all() {
    local _tmux_s _tmux_t
    _tmux_s=$(screen)
    for _tmux_t in "$@"; do
        printf '%s\n' "$_tmux_s" | grep -qF -- "$_tmux_t" || return 1
    done
}

# (its counters have names of their own: a caller's loop variable is safe)
poll() {
    _tmux_tries=100
    if [ "$1" = -n ]; then
        _tmux_tries=$2
        shift 2
    fi
    _tmux_i=0
    while [ $_tmux_i -lt "$_tmux_tries" ]; do
        if "$@"; then return 0; fi
        _tmux_i=$((_tmux_i + 1))
        sleep 0.1
    done
    return 1
}

# $1 what is awaited, $2 how it is tested, $3 the tries
_tmux_wait() {
    poll -n "${3:-$TMUX_WAIT}" "$2" "$1" && return 0
    diag "timed out waiting for: $1"
    screen | sed 's/^/# | /'
    return 1
}
wait_text() { _tmux_wait "$1" shows "${2:-}"; }
wait_re() { _tmux_wait "$1" shows_re "${2:-}"; }

wait_gone() {
    poll -n "${2:-$TMUX_WAIT}" gone "$1" && return 0
    diag "still shown: $1"
    screen | sed 's/^/# | /'
    return 1
}

keys() { $T send-keys -t "$PANE" "$@"; }

pane_run() {
    $T kill-session -t w 2>/dev/null
    $T new-session -d -s w -x "$1" -y "$2" ${PANE_DIR:+-c "$PANE_DIR"} "$3; echo EXIT=\$?; exec ${PANE_CAT:-cat}"
}

_tmux_title_is() { [ "$(screen | head -n1 | awk '{ print length($0) }')" = $(($1 - 1)) ]; }
title_width() {
    poll _tmux_title_is "$1" && return 0
    diag "the title bar is not $(($1 - 1)) columns wide"
    screen | sed 's/^/# | /'
    return 1
}
