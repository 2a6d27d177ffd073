#!/bin/bash
# tests/tryout3_paste.sh: text pasted into the screens, as people paste a
# name or a secret copied with its line end (tmux's paste-buffer -p sends it
# bracketed when the program asked for it, as terminals do). A pasted line
# end was Enter and what followed it keys: a filter applied and the next
# line's '?' opened the help; in the wizard a secret was committed and the
# 'r' after it revealed it on the screen. Now the screens ask for bracketed
# paste and take what is pasted as text (line ends dropped); the mode is
# turned off again when they end (a shell after them gets plain pastes).
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "pasting into the screens" tmux kubectl
tryout_sim --scenario demo

tmux_server tryout3-paste
# paste TEXT: what a terminal sends for a paste of TEXT
paste() {
    $T set-buffer -b p -- "$1"
    $T paste-buffer -p -d -b p -t "$PANE"
}
# after each screen, what reaches the terminal is shown as text
PANE_CAT="cat -v"

# ---- the dashboard's filter ----
dash_open dify 100 30
keys ':' 'pods' Enter
wait_for "NAME" >/dev/null
keys '/'
paste $'dify-api\n\n?'
check "a paste into the filter stays in the prompt, its line ends dropped" wait_re "^/dify-api\?"
check "the pasted '?' did not open the help" not shows "+- Keys"
esc
esc
keys ':' 'q' Enter
check "the dashboard ends" wait_for "EXIT=0"
paste $'after\n'
check "after it, a paste reaches the shell plain (the mode is off again)" wait_re "^after$"
check "after it, no paste brackets reach the shell" not shows "[200~"

# ---- the wizard's secret ----
TUI_ENV="TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8" tui_run 100 30 wizard \
    --answers "$top_srcdir/assets/examples/existing-cluster.yaml" --workdir "$TEST_TMP/wz"
wait_for "[Edition]" >/dev/null
for _ in 1 2 3 4 5 6 7 8; do
    shows "[Secrets]" && break
    keys NPage
    sleep 0.3
done
check "the wizard's Secrets page" wait_for "SECRET_KEY"
keys Enter
paste $'pasted-Secret-value-2026\nr'
sleep 0.5
check "a pasted secret and its line end: not revealed by the 'r' after it" \
    not shows "pasted-Secret-value"
keys Enter
keys r
check "r reveals it when pressed: the paste, without its line end, with the r pasted after it" \
    wait_for "pasted-Secret-value-2026r"
keys C-c
check "the wizard ends" wait_for "EXIT=130"

done_testing
