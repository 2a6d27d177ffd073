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
#   screen             the pane's text
#   shows TEXT         whether TEXT (a fixed string) is on the pane
#   poll [-n N] CMD... runs CMD until it succeeds, N times 0.1 s apart (100)
#   wait_for TEXT [N]  polls until TEXT shows; else shows the pane and fails
#   wait_gone TEXT [N] polls until TEXT is gone
#   keys KEY...        tmux send-keys to the pane

tmux_server() {
    SOCK="dify-$1-$$"
    T="tmux -L $SOCK -f /dev/null"
    TEST_CLEANUP="$T kill-server 2>/dev/null; ${TEST_CLEANUP:-}"
    $T new-session -d -s keep -x 80 -y 24 "exec cat"
}

PANE=${PANE:-w}

screen() { $T capture-pane -p -t "$PANE" 2>/dev/null; }
shows() { screen | grep -qF -- "$1"; }
gone() { ! shows "$1"; }

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

wait_for() {
    poll -n "${2:-100}" shows "$1" && return 0
    diag "timed out waiting for: $1"
    screen | sed 's/^/# | /'
    return 1
}

wait_gone() {
    poll -n "${2:-100}" gone "$1" && return 0
    diag "still shown: $1"
    screen | sed 's/^/# | /'
    return 1
}

keys() { $T send-keys -t "$PANE" "$@"; }
