#!/bin/sh
# tests/wizard_tmux.sh: the real binary in a private tmux server. Walks the
# wizard from the first page to the review and back, resizes (80x24, below it,
# and back), fixes a bad domain on the way, writes the files and compares the
# rendered ones with what `dify-tui render` makes from the saved answers.
# Then a NO_COLOR run that leaves through the confirm dialog. Every wait polls
# capture-pane a bounded number of times; nothing sleeps and hopes.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

BIN="$top_builddir/dify-tui"
if ! need_tool tmux; then
    skip "wizard in tmux" "tmux is not installed"
    done_testing
    exit 0
fi
tmpdir_new
. "$top_srcdir/tests/tmuxlib.sh"
tmux_server wizard
WD="$TEST_TMP/work"
LOCALE=C.UTF-8

# start NAME ENV...: runs the wizard in a new 100x30 session "w"; the exit
# status lands on the pane as EXIT=N.
start() { pane_run 100 30 "env TERM=screen LANG=$LOCALE LC_ALL=$LOCALE $* '$BIN' wizard --workdir '$WD'"; }

# ---- a full walk ----
start
check "first page shows edition and target" wait_for "[Edition]"
check "help line shows the keys" wait_for "Esc quit"
keys '?'
check "? shows the key help" wait_for "previous page (nothing typed is lost)"
keys Enter
wait_gone "previous page (nothing typed is lost)" >/dev/null
keys PageDown
check "page 2: helm chart shown" wait_for "Chart version"
keys PageDown
check "page 3: presets side by side before choosing" wait_for "m7g.2xlarge x 6"
keys C-n
check "page 4: AWS details" wait_for "[AWS]"

$T resize-window -t w -x 80 -y 24
check "resized to 80x24 the page is laid out again" title_width 80
check "at 80x24 the page is still drawn" wait_for "4/9"
$T resize-window -t w -x 70 -y 20
check "below 80x24 says it is too small" wait_for "terminal too small: 70x20, need 80x24"
$T resize-window -t w -x 100 -y 30
check "back to 100x30 the page returns" wait_for "[AWS]"
check "and is laid out for 100 columns" title_width 100

keys C-n
wait_for "[Domains]" >/dev/null
keys Down Enter C-u
keys -l 'bad_host'
keys Enter
check "a bad domain gets a message on its row" wait_for "error: "
keys Enter C-u
keys -l 'dify.test.example'
keys Enter
check "fixing it clears the message" wait_gone "error: "
keys PageUp
wait_for "[AWS]" >/dev/null
keys C-n
check "Back then Next keeps what was typed" wait_for "dify.test.example"

keys C-n C-n C-n C-n
check "review page" wait_for "[Review]"
# Review lists the problems first, then the summary, and the Write button
# last, after everything has been read: End reaches it.
keys End
check "no errors: Write files is offered" wait_for "> [ Write files ]"
keys Enter
check "files written and listed" wait_for "Written"
keys Enter
check "Exit leaves with status 0" wait_for "EXIT=0"

check "answers.yaml written" test -s "$WD/answers.yaml"
check "answers.secrets.yaml written" test -s "$WD/answers.secrets.yaml"
mode=$(stat -c %a "$WD/answers.secrets.yaml" 2>/dev/null)
if [ "$mode" = 600 ]; then ok "secrets file is 0600"; else fail "secrets file is 0600 (got $mode)"; fi
check "the host typed is in the answers" grep -q "dify.test.example" "$WD/answers.yaml"
check "rendered files written" test -n "$(ls -A "$WD/rendered" 2>/dev/null)"

if "$BIN" validate --help >/dev/null 2>&1; then
    if "$BIN" validate --answers "$WD/answers.yaml" --secrets "$WD/answers.secrets.yaml" \
        >"$TEST_TMP/validate.out" 2>&1; then
        ok "dify-tui validate accepts what the wizard wrote"
    else
        sed 's/^/# /' "$TEST_TMP/validate.out"
        fail "dify-tui validate accepts what the wizard wrote"
    fi
else
    skip "dify-tui validate accepts what the wizard wrote" "no validate command in this build"
fi

if "$BIN" render --help >/dev/null 2>&1; then
    "$BIN" render --answers "$WD/answers.yaml" --secrets "$WD/answers.secrets.yaml" \
        --out "$TEST_TMP/other" >"$TEST_TMP/render.out" 2>&1
    if diff -r "$WD/rendered" "$TEST_TMP/other" >"$TEST_TMP/diff.out" 2>&1; then
        ok "wizard files equal dify-tui render's, byte for byte"
    else
        sed 's/^/# /' "$TEST_TMP/render.out" "$TEST_TMP/diff.out" | head -40
        fail "wizard files equal dify-tui render's, byte for byte"
    fi
else
    skip "wizard files equal dify-tui render's" "the render command is not in this build yet"
fi

# ---- a second run opens what the first one wrote ----
sum=$(cksum <"$WD/answers.secrets.yaml")
start
check "a second run says it opened the answers and their secrets" wait_for "and its secrets"
i=0
while [ $i -lt 8 ]; do keys C-n; i=$((i + 1)); done
check "and shows the host typed the first time" wait_for "dify.test.example"
keys Escape
wait_for "Leave without writing any file?" >/dev/null
keys y
wait_for "Keep a draft" >/dev/null
keys n
wait_for "EXIT=1" >/dev/null
if [ "$(cksum <"$WD/answers.secrets.yaml")" = "$sum" ]; then
    ok "the secrets are unchanged"
else
    fail "the second run changed the secrets"
fi

# ---- colour and NO_COLOR ----
ESC=$(printf '\033')
# Lines with a colour SGR (30-37, 40-47, 256-colour); 39/49 are "default".
colour_codes() { $T capture-pane -p -e -t w | grep -cE "${ESC}\[([0-9]+;)*(3[0-7]|4[0-7]|38;5)[;m]"; }
start
wait_for "[Edition]" >/dev/null
# The first frame may be captured before its colours: poll, as wait_for does.
i=0
n=$(colour_codes)
while [ "${n:-0}" -eq 0 ] && [ $i -lt 50 ]; do
    sleep 0.1
    n=$(colour_codes)
    i=$((i + 1))
done
if [ "${n:-0}" -gt 0 ]; then ok "colours are used by default"; else fail "colours are used by default"; fi

rm -rf "$WD"
start NO_COLOR=1
check "NO_COLOR run starts" wait_for "[Edition]"
n=$(colour_codes)
if [ "${n:-0}" -eq 0 ]; then ok "NO_COLOR: no colour on screen"; else fail "NO_COLOR: no colour on screen ($n lines)"; fi
keys Escape
check "Esc asks before leaving" wait_for "Leave without writing any file?"
keys n
check "No goes back to the wizard" wait_gone "Leave without writing any file?"
check "still on the first page" wait_for "[Edition]"
keys Escape
wait_for "Leave without writing any file?" >/dev/null
keys y
check "Yes offers to keep a draft" wait_for "Keep a draft of the answers in"
keys n
check "No to the draft leaves with status 1, nothing written" wait_for "EXIT=1"
check "nothing written after leaving" test ! -e "$WD/answers.yaml"

# ---- SIGINT restores the terminal ----
start
wait_for "[Edition]" >/dev/null
keys C-c
check "Ctrl-C (SIGINT) leaves with status 130" wait_for "EXIT=130"
# The pane now runs cat: a restored terminal echoes the line and cat prints
# it again, so it shows twice; a terminal left in noecho shows it once.
keys -l 'restored-tty-check'
keys Enter
twice() { [ "$(screen | grep -c restored-tty-check)" -ge 2 ]; }
i=0
while [ $i -lt 100 ] && ! twice; do i=$((i + 1)); sleep 0.1; done
check "the terminal is back in cooked, echoing mode" twice

$T kill-server 2>/dev/null
done_testing
