#!/bin/bash
# tests/dashboard_columns.sh: the dashboard's jobs and events views beside
# the real kubectl on the same objects of dify-sim, whole columns:
#   - jobs: NAME, STATUS, COMPLETIONS, DURATION, AGE against `kubectl get
#     jobs`, over Jobs Complete, Failed, Running ("0/1 of 3", "3/3"), Suspended
#     (a condition) and Terminating (a finalizer holds the deleted Job);
#   - events: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE and COUNT against
#     `kubectl get events -o wide`, whose rows are grouped as the dashboard
#     groups them (same type, object, reason and message: counts summed, the
#     newest LAST SEEN), over a count, a series, two Events of one group, an
#     object without a name and a message with spaces kubectl trims.
# The screen is read from tmux at 250x100 (no column dropped, every row
# shown); a comparison is retried until two kubectl reads around the screen
# agree (ages move), a bounded number of times. The dashboard runs with
# DIFY_TUI_FRAME_LOG (bench/watch_latency.py's hook), checked to log frames.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

BIN="$top_builddir/dify-tui"
if ! need_tool kubectl || ! need_tool tmux || ! need_tool python3; then
    skip "the dashboard's jobs and events beside kubectl" "kubectl, tmux or python3 is not installed"
    done_testing
    exit 0
fi
tmpdir_new
if ! sim_start --speed 10 --scenario "$top_srcdir/tests/data/scenarios/dashboard_columns.yaml"; then
    fail "dify-sim starts with dashboard_columns.yaml"
    done_testing
    exit 1
fi
ok "dify-sim starts with dashboard_columns.yaml"

job_status() { kubectl get job "$1" -n cols --no-headers 2>/dev/null | awk '{print $2}'; }
check "the Jobs that end have ended" \
    wait_for 150 sh -c "kubectl get jobs -n cols --no-headers | grep -q '^cols-done .*Complete' && kubectl get jobs -n cols --no-headers | grep -q '^cols-fail .*Failed' && kubectl get jobs -n cols --no-headers | grep -q '^cols-three .*Complete'"
# Suspended: the condition the job controller sets (dify-sim keeps it)
kubectl patch job cols-suspended -n cols --subresource=status --type=merge \
    -p '{"status":{"conditions":[{"type":"Suspended","status":"True","reason":"JobSuspended","message":"Job suspended"}]}}' >/dev/null
# Terminating: deleted, held by its finalizer
kubectl delete job cols-held -n cols --wait=false >/dev/null
check "kubectl says Suspended and Terminating" \
    wait_for 50 sh -c "kubectl get jobs -n cols --no-headers | grep -q '^cols-suspended .*Suspended' && kubectl get jobs -n cols --no-headers | grep -q '^cols-held .*Terminating'"

. "$top_srcdir/tests/tmuxlib.sh"
tmux_server cols
PANE=d
$T new-session -d -s d -x 250 -y 100 \
    "env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$KUBECONFIG' DIFY_TUI_FRAME_LOG='$TEST_TMP/frames' '$BIN' -n cols dashboard; exec cat"
check "the dashboard starts" wait_for "namespace: cols" 200
# the measuring hook of bench/watch_latency.py: each frame, timed, as text
check "DIFY_TUI_FRAME_LOG: frames with their time and rows" \
    sh -c "grep -qE '^frame [0-9]+\.[0-9]{6}\$' '$TEST_TMP/frames' && grep -q '^|  dify-tui  overview  context: dify-sim  namespace: cols' '$TEST_TMP/frames'"

# columns HEADING... < table: the cells under each heading, one row a line,
# "|"-separated, sorted. A cell runs from its heading's column to the next
# heading's (kubectl's tabwriter and the dashboard's table both align cells
# under their headings); rows end at the first blank line.
cat >"$TEST_TMP/cols.py" <<'PY'
import sys
want = sys.argv[1:]
lines = sys.stdin.read().split("\n")
head = None
for i, l in enumerate(lines):
    if all((" " + h + " ") in (" " + l + " ") for h in want):
        head = i
        break
if head is None:
    sys.exit("no heading with " + ", ".join(want))
h = lines[head]
names, starts, x = [], [], 0
while x < len(h):
    while x < len(h) and h[x] == " ":
        x += 1
    if x >= len(h):
        break
    # a heading is words separated by one space ("LAST SEEN")
    e = x
    while e < len(h) and not (h[e] == " " and (e + 1 >= len(h) or h[e + 1] == " ")):
        e += 1
    names.append(h[x:e]); starts.append(x); x = e
out = []
for l in lines[head + 1:]:
    if not l.strip():
        break
    cells = {}
    for k, n in enumerate(names):
        end = starts[k + 1] if k + 1 < len(starts) else len(l)
        cells[n] = l[starts[k]:end].strip()
    out.append("|".join(cells.get(w, "?") for w in want))
print("\n".join(sorted(out)))
PY
cols() { python3 "$TEST_TMP/cols.py" "$@"; }

# agree NAME KUBECTL_CMD SCREEN_FILTER...: kubectl's columns (read before and
# after the screen) equal the screen's
agree() {
    local what=$1 i
    for i in $(seq 1 30); do
        eval "$2" >"$TEST_TMP/k1.$what"
        screen | cols "${@:3}" >"$TEST_TMP/ours.$what"
        eval "$2" >"$TEST_TMP/k2.$what"
        if cmp -s "$TEST_TMP/k1.$what" "$TEST_TMP/k2.$what" &&
            cmp -s "$TEST_TMP/k1.$what" "$TEST_TMP/ours.$what"; then
            return 0
        fi
        sleep 0.3
    done
    diag "kubectl (<) and the dashboard (>) differ:"
    diff "$TEST_TMP/k2.$what" "$TEST_TMP/ours.$what" | sed 's/^/# /'
    return 1
}

keys ':' 'jobs' Enter
check ":jobs shows the Jobs" wait_for "cols-suspended" 100
kjobs() { kubectl get jobs -n cols | cols NAME STATUS COMPLETIONS DURATION AGE; }
check "jobs: NAME, STATUS, COMPLETIONS, DURATION, AGE as kubectl's, every Job" \
    agree jobs kjobs NAME STATUS COMPLETIONS DURATION AGE
check "... which covers Complete, Failed, Running, Suspended and Terminating" \
    sh -c "for s in Complete Failed Running Suspended Terminating; do grep -q \"|\$s|\" '$TEST_TMP/ours.jobs' || exit 1; done"
check "... and \"3/3\" and \"0/1 of 3\" completions" \
    sh -c "grep -q '^cols-three|Complete|3/3|' '$TEST_TMP/ours.jobs' && grep -q '^cols-parallel|Running|0/1 of 3|' '$TEST_TMP/ours.jobs'"

# kubectl's events grouped as the dashboard groups them
cat >"$TEST_TMP/group.py" <<'PY'
import re, sys
def secs(age):
    if age == "<unknown>":
        return float("inf")
    return sum(int(n) * {"y": 31536000, "d": 86400, "h": 3600, "m": 60, "s": 1}[u]
               for n, u in re.findall(r"(\d+)([ydhms])", age))
groups = {}
for l in sys.stdin.read().split("\n"):
    if not l:
        continue
    last, typ, reason, obj, msg, count = l.split("|")
    k = (typ, reason, obj, msg)
    g = groups.setdefault(k, [last, 0])
    if secs(last) < secs(g[0]):
        g[0] = last
    g[1] += int(count)
print("\n".join(sorted("|".join([g[0], k[0], k[1], k[2], k[3], str(g[1])])
                       for k, g in groups.items())))
PY
kevents() {
    kubectl get events -n cols -o wide | cols "LAST SEEN" TYPE REASON OBJECT MESSAGE COUNT |
        python3 "$TEST_TMP/group.py"
}
keys ':' 'events' Enter
check ":events shows the events" wait_for "pod/web-1" 100
check "events: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, COUNT as kubectl's, every group" \
    agree events kevents "LAST SEEN" TYPE REASON OBJECT MESSAGE COUNT
check "... the two BackOff Events of web-1 one row counted 7, the newest's LAST SEEN" \
    grep -q '^[0-9]*d|Warning|BackOff|pod/web-1|Back-off restarting failed container web|7$' "$TEST_TMP/ours.events"
check "... a series counted by its count; an object without a name by its kind" \
    sh -c "grep -q '|Normal|Pulling|pod/web-1|.*|5\$' '$TEST_TMP/ours.events' && grep -q '|Warning|Rebooted|node|Node rebooted|1\$' '$TEST_TMP/ours.events'"
n=$(wc -l <"$TEST_TMP/ours.events")
check "... all $n groups, more than the scenario's own four" test "$n" -gt 20

keys ':' 'q' Enter
done_testing
