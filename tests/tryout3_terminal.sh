#!/bin/bash
# tests/tryout3_terminal.sh: the dashboard on the terminals people reach a
# bastion with, against dify-sim, in tmux:
#   - LANG=C (a locale that is not UTF-8, as over ssh from many clients):
#     every character the locale cannot show was drawn as one '?' per byte
#     ("ok ?? 1.13.3 ?? 3 ms" in the health strip, a log line's "caf??"),
#     pushing what followed out of its column. Now the text stays UTF-8
#     inside and each such character is drawn as one ASCII column ('-' for
#     the separator U+00B7, '>' for an arrow, '?' for a letter);
#   - a long `/` filter or `:` command: the line showed the start of what
#     was typed and cut the end, where the typing happens; it shows the end;
#   - TERM=dumb: refused with exit 2 and what to use instead, as the
#     wizard's (it was exit 1).
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "the dashboard on odd terminals" tmux kubectl

# the demo, and a bare pod that logs UTF-8 text (appended to the demo's
# objects, which end its file, then a pods rule of its own)
cp "$top_srcdir/assets/scenarios/demo.yaml" "$TEST_TMP/scn.yaml"
cat >>"$TEST_TMP/scn.yaml" <<'EOF'
  - apiVersion: v1
    kind: Pod
    metadata: {name: unicode-logger, namespace: dify}
    spec:
      containers: [{name: c, image: busybox}]
pods:
  - match: {namespace: dify, namePrefix: unicode-logger}
    logs: ["start", "café ünïcode → done|", "end"]
EOF
tryout_sim --scenario "$TEST_TMP/scn.yaml"
running() { kubectl get pod -n dify unicode-logger --no-headers 2>/dev/null | grep -q Running; }
check "the pod that logs UTF-8 runs" poll -n 150 running
check "kubectl logs shows its UTF-8 line" sh -c "kubectl logs -n dify unicode-logger | grep -q 'café ünïcode → done|'"

tmux_server tryout3-term
# start ENV...: the dashboard in a new session "w" at 80x24 under ENV
start() { TUI_ENV="$*" tui_run 80 24 -n dify dashboard; }
no_byte_marks() {
    if shows "??"; then
        diag "two question marks on the screen (one per byte of a character):"
        screen | grep -F '??' | sed 's/^/# | /'
        return 1
    fi
}

# ---- LANG=C ----
start TERM=vt100 LANG=C LC_ALL=C
check "LANG=C: the overview is drawn" wait_for "context: dify-sim"
check "LANG=C: the health strip's separators are one column each" wait_re "^api /health +ok - 1\.13\.3 - [0-9]+ ms"
check "LANG=C: no character is drawn as one '?' per byte" no_byte_marks
keys ':' 'pods' Enter
keys '/' 'unicode-logger' Enter
wait_for "filter: unicode-logger" >/dev/null
keys l
check "LANG=C: the UTF-8 log line, one column a character" wait_for "caf? ?n?code > done|"
check "LANG=C: the logs heading's separators" wait_re "^ ?logs unicode-logger.* - "
check "LANG=C: no '?' per byte in the logs view" no_byte_marks
esc
esc

# ---- the same in UTF-8: each character is itself ----
start TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8
check "UTF-8: the health strip's separator is U+00B7" wait_re "^api /health +ok · 1\.13\.3 · [0-9]+ ms"

# ---- a long filter: the end of what is typed shows ----
long="$(printf 'x%.0s' $(seq 1 90))THE-END"
keys ':' 'pods' Enter
wait_for "NAME" >/dev/null
keys '/'
keys -l "$long"
check "a filter wider than the line shows its end while it is typed" wait_re "^/….*xTHE-END"
keys BSpace BSpace BSpace BSpace
check "BackSpace: the end shown is still where the typing is" wait_re "^/….*xTHE$"
esc
keys ':'
keys -l "ns $long"
check "a long : command shows its end too" wait_re "^:….*xTHE-END"
esc
keys q

# ---- TERM=dumb ----
start TERM=dumb
check "TERM=dumb: exit 2, as the wizard's" wait_for "EXIT=2"
TMUX_CAPTURE=-J
check "TERM=dumb: says why and what to use instead" shows_all "TERM=dumb cannot show the screens" "status --watch"

done_testing
