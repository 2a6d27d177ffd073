#!/bin/bash
# tests/tryout_logs.sh: the dashboard's logs view against dify-sim as a new
# user tries it, beside `kubectl logs` on the same pods, in tmux:
#   - a 1 MiB line between ordinary ones: the lines before and after it are
#     shown, it is shown cut and said to be (it used to blank the view:
#     each chunk of the stream past the bound became an empty line and the
#     rest of the chunk was lost);
#   - a pod with two containers: the one `kubectl logs` picks (the
#     kubectl.kubernetes.io/default-container annotation, else the first),
#     not the API server's 400 "a container name must be specified"; `o`
#     goes to the next container;
#   - a Java stack trace's tab shown as spaces, not "^I";
#   - include/exclude/search texts with regex characters taken literally,
#     as `grep -F` takes them;
#   - the view at 80x24, 200x50 and a too-small size over resizes.
. "${top_srcdir:-$(dirname "$0")/..}/tests/tryoutlib.sh"

tryout_begin "the logs view against dify-sim" tmux kubectl python3

# the scenario, with its 1 MiB line, written here (not kept in the tree)
python3 - "$TEST_TMP/scn.json" <<'PY'
import json, sys
pod = lambda name, containers, ann=None: {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": dict({"name": name, "namespace": "logs"}, **({"annotations": ann} if ann else {})),
    "spec": {"containers": [{"name": c, "image": "busybox"} for c in containers]}}
json.dump({
    "name": "tryout-logs",
    "defaults": {"scheduleDelay": 0.1, "pullDelay": 0.1, "readyDelay": 0.2},
    "pods": [
        {"match": {"namePrefix": "bigline"},
         "logs": ["before the big line", "BIG" + "x" * (1024 * 1024), "after the big line", "last line"]},
        {"match": {"namePrefix": "stack"},
         "logs": ["Exception in thread main", "\tat com.example.Main(Main.java:10)",
                  "a.b*c[d] (x|y) ^start$ one", "plain two", "another a.b three"]},
    ],
    "objects": [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "logs"}},
        pod("bigline", ["c"]), pod("stack", ["c"]),
        pod("multi", ["first", "second"]),
        pod("annotated", ["first", "second"], {"kubectl.kubernetes.io/default-container": "second"}),
    ]}, open(sys.argv[1], "w"))
PY
tryout_sim --scenario "$TEST_TMP/scn.json"
running() { [ "$(kubectl get pods -n logs --no-headers 2>/dev/null | grep -c Running)" = 4 ]; }
check "the pods run" poll -n 100 running

tmux_server tryout-logs
dash_open logs 80 24

# open_logs POD: the pods view filtered to POD, then l
open_logs() {
    select_in pods "$1"
    keys l
    wait_for "logs $1" >/dev/null
}

# ---- a 1 MiB line ----
kubectl logs -n logs bigline >"$TEST_TMP/k.big"
check "kubectl: four lines, the second 1 MiB long" \
    sh -c "[ \$(wc -l <'$TEST_TMP/k.big') = 4 ] && [ \$(sed -n 2p '$TEST_TMP/k.big' | wc -c) = 1048580 ]"
open_logs bigline
check "the lines after the 1 MiB one are shown" wait_for "after the big line"
check "... and the last one" wait_for "last line"
check "the big line is said to be cut" wait_for "[line cut]"
keys w
check "cut at the edge: the line before it shows too" wait_for "before the big line"
check "... and the big line's start" wait_for "BIGxxxxxxxx"
keys w

# ---- two containers ----
kubectl logs -n logs multi >"$TEST_TMP/k.multi" 2>"$TEST_TMP/k.multi.err"
check "kubectl picks the first container (and says so)" \
    sh -c "grep -q 'container first' '$TEST_TMP/k.multi' && grep -q 'Defaulted container \"first\"' '$TEST_TMP/k.multi.err'"
open_logs multi
check "two containers: the first one's log, as kubectl's" wait_for "container first (busybox) started"
check "the heading names it, of how many, and the key" wait_for "-c first (1 of 2, o: next)"
check "no 400 about a container name" gone "must be specified"
keys o
check "o: the second container's log" wait_for "container second (busybox) started"
check "... named in the heading" wait_for "-c second (2 of 2"
keys o
check "o again: back to the first" wait_for "-c first (1 of 2"
kubectl logs -n logs annotated >"$TEST_TMP/k.ann" 2>/dev/null
open_logs annotated
# (polled: the heading comes before the log's lines)
ann_second() { grep -q 'container second' "$TEST_TMP/k.ann" && shows 'container second (busybox) started'; }
check "the default-container annotation's container, as kubectl's ($(head -c 60 "$TEST_TMP/k.ann"))" \
    poll -n 50 ann_second
check "... named in the heading" wait_for "-c second (2 of 2"

# ---- p: the previous container, not the running one ----
# a container that never restarted has no previous log: kubectl says so
# (400), and so must the view, not show the running container's lines
kubectl logs -n logs stack --previous >/dev/null 2>"$TEST_TMP/k.prev"
check "kubectl: no previous container for a pod that never restarted" \
    grep -q 'previous terminated container "c" in pod "stack" not found' "$TEST_TMP/k.prev"
open_logs stack
wait_for "Exception in thread main" >/dev/null
keys p
check "p asks for the previous container: the API server's answer is said" \
    wait_for 'previous terminated container "c" in pod "stack" not found'
check "... and the running container's lines are not shown as the previous one's" \
    gone "Exception in thread main"
keys f
check "f: the running container again" wait_for "Exception in thread main"

# ---- tabs and literal filters ----
lines_shown() { # the log lines on screen (below the heading, above the hints)
    screen | sed -n '3,22p' | grep -v '^ *$' | grep -v '^Esc back' || true
}
open_logs stack
check "a stack trace's tab is spaces" wait_for "        at com.example.Main(Main.java:10)"
check "... never ^I" gone "^I"
literal() { # [-v] TEXT: the view's lines against grep -F's on kubectl's log
    local v=
    if [ "$1" = -v ]; then v=-v; shift; fi
    kubectl logs -n logs stack | sed 's/\t/        /' | grep $v -F -- "$1" >"$TEST_TMP/want"
    lines_shown | sed 's/ *$//' >"$TEST_TMP/got"
    cmp -s "$TEST_TMP/want" "$TEST_TMP/got" || { diff "$TEST_TMP/want" "$TEST_TMP/got" | sed 's/^/# /'; return 1; }
}
keys i
keys -l 'a.b'
keys Enter
check "include 'a.b' keeps the lines grep -F keeps" poll -n 30 literal 'a.b'
keys c x
keys -l '[d] (x|y)'
keys Enter
check "exclude '[d] (x|y)' drops the lines grep -vF drops" poll -n 30 literal -v '[d] (x|y)'
keys c

# ---- sizes ----
for size in "200 50" "20 5" "80 24" "120 40"; do
    # shellcheck disable=SC2086
    $T resize-window -t w -x ${size% *} -y ${size#* }
    sleep 0.3
    check "resized to ${size/ /x}: still running" gone "EXIT="
done
open_logs bigline
check "at 120x40 the logs view still shows the lines after the big one" wait_for "after the big line"
esc
esc
esc
keys q
check "q leaves with exit 0" wait_for "EXIT=0"

sim_stop
done_testing
