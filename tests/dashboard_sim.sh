#!/bin/bash
# tests/dashboard_sim.sh: the dashboard's model, `status` and `get -w`
# against dify-sim, beside the real kubectl:
#   - the scripted failures of tests/data/scenarios/dashboard.yaml (image pull
#     error, a rollout stuck until ProgressDeadlineExceeded, a crash loop, a
#     migration Job that fails): what `status --json` says;
#   - `status --json` and `get`/`get -w` agree with kubectl on the same
#     objects, whole columns (READY, STATUS, RESTARTS, UP-TO-DATE, AVAILABLE,
#     rollout complete or not);
#   - a rolling update watched from start to end with `status --watch
#     --json`: progressing, then complete, and no stale pod row;
#   - the dashboard in tmux at 100x30: the overview (compared with a golden
#     text after ages and clocks are masked), logs with escape sequences
#     shown safely, read-only;
#   - the API server going away and coming back: the banner and `status
#     --watch`'s connection lines, recovery without a restart;
#   - the demo's crash loop from a wrong database password (real PostgreSQL
#     and Redis), fixed by correcting the Secret.
# Every wait polls a bounded number of times.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

BIN="$top_builddir/dify-tui"
if ! need_tool kubectl || ! need_tool curl; then
    skip "the dashboard against dify-sim" "kubectl or curl is not installed"
    done_testing
    exit 0
fi
tmpdir_new
SCN="$top_srcdir/tests/data/scenarios"
GOLD="$top_srcdir/tests/data/screens"

# json EXPR FILE: a jq-like read with python3 (present wherever the suite runs)
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))" "$@"; }

# holds EXPR FILE: true when the python expression over d is True (json
# alone prints the value and succeeds whatever it is)
holds() { [ "$(json "$@" 2>/dev/null)" = True ]; }

status_json() { "$BIN" -n dash status --json --timeout 20 >"$TEST_TMP/st.json" 2>"$TEST_TMP/st.err"; }

# until_json TRIES EXPR: polls `status --json` until the python expression
# over d is true.
until_json() {
    local tries=$1 expr=$2 i
    for i in $(seq 1 "$tries"); do
        status_json
        if [ "$(json "$expr" "$TEST_TMP/st.json" 2>/dev/null)" = True ]; then return 0; fi
        sleep 0.3
    done
    diag "never true: $expr"
    sed 's/^/# /' "$TEST_TMP/st.json" | head -60
    return 1
}

if ! sim_start --speed 10 --scenario "$SCN/dashboard.yaml"; then
    fail "dify-sim starts with dashboard.yaml"
    done_testing
    exit 1
fi
ok "dify-sim starts with dashboard.yaml"

# ---- what status --json says of each failure ----
comp() { echo "[c for c in d['components'] if c['name']=='$1'][0]"; }
check "image pull error: the web's row says ImagePullBackOff or ErrImagePull" \
    until_json 60 "$(comp dify-web)['rollout']=='progressing' and ('ImagePullBackOff' in $(comp dify-web)['problem'] or 'ErrImagePull' in $(comp dify-web)['problem'])"
check "stuck rollout: the worker's row is ProgressDeadlineExceeded with kubectl's message" \
    until_json 60 "$(comp dify-worker)['rollout']=='ProgressDeadlineExceeded' and 'exceeded its progress deadline' in $(comp dify-worker)['reason']"
check "crash loop: the daemon's row has CrashLoopBackOff, restarts and the last termination" \
    until_json 60 "'CrashLoopBackOff' in $(comp dify-plugin-daemon)['problem'] and $(comp dify-plugin-daemon)['restarts']>0 and 'last: Error' in $(comp dify-plugin-daemon)['problem']"
check "failed migration: the migration Job failed after its attempts" \
    until_json 60 "d['migration']['state']=='failed' and d['migration']['attempts']==2 and 'BackoffLimitExceeded' in d['migration']['message']"
check "components found by their labels (the object's or its pod template's); the other pod listed" \
    holds "[(c['component'],c['matchedBy']) for c in d['components']]==[('api','label'),('worker','label'),('web','label'),('plugin-daemon','label')] and [o['name'] for o in d['others']]==['noisy']" "$TEST_TMP/st.json"
check "health: api ok, daemon unreachable, storage lost with the container" \
    holds "d['health']['api']['ok'] and not d['health']['pluginDaemon']['ok'] and 'no endpoints' in d['health']['pluginDaemon']['message'] and d['health']['pluginStorage']['state']=='container'" "$TEST_TMP/st.json"
if "$BIN" -n dash status --timeout 20 >"$TEST_TMP/st.txt" 2>&1; then
    fail "status exits 1 when Dify is not healthy"
else
    check "status exits 1 when Dify is not healthy, with the table" grep -q '^plugin daemon   deployment/dify-plugin-daemon' "$TEST_TMP/st.txt"
fi

# ---- the same objects as kubectl: whole columns ----
# pods: NAME READY STATUS RESTARTS (the number) from both, until two kubectl
# reads agree (a crash loop moves between reads)
pods_agree() {
    local i
    for i in $(seq 1 20); do
        kubectl get pods -n dash --no-headers | awk '{print $1, $2, $3, $4}' | sort >"$TEST_TMP/k1"
        status_json
        kubectl get pods -n dash --no-headers | awk '{print $1, $2, $3, $4}' | sort >"$TEST_TMP/k2"
        json "'\n'.join(sorted('%s %s %s %d' % (p['name'], p['ready'], p['status'], p['restarts']) for p in d['pods']))" "$TEST_TMP/st.json" >"$TEST_TMP/ours"
        if cmp -s "$TEST_TMP/k1" "$TEST_TMP/k2" && cmp -s "$TEST_TMP/k1" "$TEST_TMP/ours"; then return 0; fi
        sleep 0.3
    done
    diff "$TEST_TMP/k2" "$TEST_TMP/ours" | sed 's/^/# /'
    return 1
}
check "status --json's pods: NAME, READY, STATUS, RESTARTS as kubectl's" pods_agree

deploys_agree() {
    kubectl get deploy -n dash --no-headers | awk '{print $1, $2, $3, $4}' | sort >"$TEST_TMP/k"
    status_json
    json "'\n'.join(sorted('%s %d/%d %d %d' % (c['name'], c['ready'], c['desired'], c['updated'], c['available']) for c in d['components']+d['others'] if c['kind']=='Deployment'))" "$TEST_TMP/st.json" >"$TEST_TMP/ours"
    cmp -s "$TEST_TMP/k" "$TEST_TMP/ours" || { diff "$TEST_TMP/k" "$TEST_TMP/ours" | sed 's/^/# /'; return 1; }
}
check "status --json's deployments: READY, UP-TO-DATE, AVAILABLE as kubectl's" deploys_agree

rollouts_agree() {
    local n rc ours
    for n in dify-api dify-web dify-worker dify-plugin-daemon; do
        # --watch=false exits 0 while it waits too: the words tell
        if kubectl rollout status "deploy/$n" -n dash --watch=false 2>&1 | grep -q 'successfully rolled out'; then
            rc=complete
        else
            rc=not
        fi
        ours=$(json "'complete' if $(comp $n)['rollout']=='complete' else 'not'" "$TEST_TMP/st.json")
        [ "$rc" = "$ours" ] || { diag "$n: kubectl $rc, ours $ours"; return 1; }
    done
}
check "rollout complete or not, as kubectl rollout status says" rollouts_agree

# get -w: the first table is kubectl's, byte for byte (both list the same
# state; AGE masked), then a change arrives as a row
get_w_agree() {
    timeout 3 kubectl get deploy -n dash -w >"$TEST_TMP/kw" 2>&1
    timeout 3 "$BIN" -n dash get deploy -w >"$TEST_TMP/ow" 2>&1
    sed -E 's/[0-9]+(s|m|h|d)[0-9]*(s|m)?( *)$/AGE\3/' "$TEST_TMP/kw" | head -5 >"$TEST_TMP/kw5"
    sed -E 's/[0-9]+(s|m|h|d)[0-9]*(s|m)?( *)$/AGE\3/' "$TEST_TMP/ow" | head -5 >"$TEST_TMP/ow5"
    cmp -s "$TEST_TMP/kw5" "$TEST_TMP/ow5" || { diff "$TEST_TMP/kw5" "$TEST_TMP/ow5" | sed 's/^/# /'; return 1; }
}
check "get -w prints kubectl's table first" get_w_agree
"$BIN" -n dash get pods -w -o json >/dev/null 2>"$TEST_TMP/gw.err"
check "get -w -o json is bad input (exit 2), said" \
    test $? -eq 2 -a -n "$(grep -- '-w prints tables only' "$TEST_TMP/gw.err")"
# a pod of its own to delete (noisy's logs are read in tmux below)
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: doomed, namespace: dash}
spec: {containers: [{name: c, image: busybox}]}
YAML
wait_for 50 sh -c "kubectl get pod doomed -n dash --no-headers | grep -q Running"
"$BIN" -n dash get pods -w >"$TEST_TMP/gw" 2>&1 &
GW=$!
wait_for 50 grep -q '^doomed ' "$TEST_TMP/gw"
kubectl delete pod doomed -n dash --wait=false >/dev/null
check "get -w prints a row for a change (the deleted pod's Terminating)" \
    wait_for 50 grep -qE '^doomed +1/1 +Terminating' "$TEST_TMP/gw"
kill "$GW" 2>/dev/null
wait "$GW" 2>/dev/null

# ---- a rolling update, watched from start to end ----
kubectl apply --server-side -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: dify-sandbox, namespace: dash}
spec:
  replicas: 3
  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  selector: {matchLabels: {component: sandbox}}
  template:
    metadata: {labels: {component: sandbox}}
    spec: {containers: [{name: sandbox, image: "langgenius/dify-sandbox:0.2.12"}]}
YAML
check "the sandbox rolls out first" until_json 60 "$(comp dify-sandbox)['rollout']=='complete'"
"$BIN" -n dash status --watch --json >"$TEST_TMP/watch.jsonl" 2>"$TEST_TMP/watch.err" &
WP=$!
wait_for 50 test -s "$TEST_TMP/watch.jsonl"
kubectl set image deploy/dify-sandbox -n dash sandbox=langgenius/dify-sandbox:0.2.14 >/dev/null
watched_to_the_end() {
    local i
    for i in $(seq 1 150); do
        if python3 - "$TEST_TMP/watch.jsonl" <<'PY'; then return 0; fi
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def row(d): return [c for c in d['components'] if c['name'] == 'dify-sandbox'][0]
states = [(row(d)['rollout'], row(d)['tag']) for d in docs]
seen_progress = any(s == 'progressing' and t == '0.2.14' for s, t in states)
last = docs[-1]
done = row(last)['rollout'] == 'complete' and row(last)['tag'] == '0.2.14'
pods = [p for p in last['pods'] if p['workload'] == 'dify-sandbox']
sys.exit(0 if seen_progress and done and len(pods) == 3 and row(last)['pods'] == 3 else 1)
PY
        sleep 0.2
    done
    tail -3 "$TEST_TMP/watch.jsonl" | cut -c1-400 | sed 's/^/# /'
    return 1
}
check "a rolling update watched: progressing with the new tag, then complete" watched_to_the_end
no_stale_row() {
    python3 - "$TEST_TMP/watch.jsonl" <<'PY' >"$TEST_TMP/ours"
import json, sys
last = [json.loads(l) for l in open(sys.argv[1]) if l.strip()][-1]
print('\n'.join(sorted(p['name'] for p in last['pods'] if p['workload'] == 'dify-sandbox')))
PY
    kubectl get pods -n dash -l component=sandbox --no-headers -o custom-columns=N:.metadata.name | sort >"$TEST_TMP/k"
    cmp -s "$TEST_TMP/k" "$TEST_TMP/ours" || { diff "$TEST_TMP/k" "$TEST_TMP/ours" | sed 's/^/# /'; return 1; }
}
wait_for 50 no_stale_row
check "after the rollout the watched pod rows are exactly kubectl's (no stale row)" no_stale_row
kill "$WP" 2>/dev/null
wait "$WP" 2>/dev/null

# ---- the dashboard in tmux ----
if need_tool tmux; then
    # (tmux_server's session "keep" outlives the dashboards' sessions)
    . "$top_srcdir/tests/tmuxlib.sh"
    tmux_server dash
    PANE=d
    start_dash() {
        $T kill-session -t d 2>/dev/null
        $T new-session -d -s d -x 100 -y 30 \
            "env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$KUBECONFIG' '$BIN' -n dash dashboard $*; echo EXIT=\$?; exec cat"
    }
    start_dash
    check "the dashboard shows the overview" wait_for "dify-plugin-daemon" 200
    # masked: the clock, latencies and the migration's duration; in the
    # table the AGE cells (whose width moves the columns after it) and the
    # crash-looping daemon's restarts and last state, re-laid at fixed
    # widths. Column alignment at a fixed clock is test_dashboard's golden.
    mask() {
        sed -E -e 's/[0-9]{2}:[0-9]{2}:[0-9]{2}/HH:MM:SS/g' -e 's/ [0-9]+ ms/ N ms/g' \
            -e 's/\(([0-9]+) attempts, [0-9]+s\)/(\1 attempts, D)/' |
            python3 -c '
import re, sys
lines = sys.stdin.read().split("\n")
pos = None
for i, l in enumerate(lines):
    if l.startswith("COMPONENT "):
        pos = (l.index("RESTARTS"), l.index("AGE"), l.index("TAG"))
    elif pos and not l.strip():
        pos = None
    if not pos:
        continue
    r, a, t = pos
    restarts, age, rest = l[r:a].rstrip(), l[a:t].rstrip(), l[t:]
    if l.startswith("plugin daemon "):
        restarts = "N"
        rest = re.sub(r"progressing: .*", "progressing: CRASHING", rest)
    rest = re.sub(r"ErrImagePull|ImagePullBac\S*", "PULLERR", rest)
    lines[i] = (l[:r] + restarts.ljust(10) + ("AGE" if l.startswith("COMPONENT ") else "A").ljust(6) + rest).rstrip()
print("\n".join(lines), end="")
'
    }
    overview_golden() {
        screen | mask >"$TEST_TMP/ov.txt"
        if [ -n "${UPDATE_GOLDEN:-}" ] && [ "$UPDATE_GOLDEN" != 0 ]; then cp "$TEST_TMP/ov.txt" "$GOLD/dashboard_tmux_overview_100x30.txt"; fi
        cmp -s "$GOLD/dashboard_tmux_overview_100x30.txt" "$TEST_TMP/ov.txt"
    }
    wait_for "since" 100
    if wait_for 50 overview_golden; then
        ok "the overview at 100x30 matches its golden text (ages and clocks masked)"
    else
        fail "the overview at 100x30 matches its golden text (ages and clocks masked)"
        diff "$GOLD/dashboard_tmux_overview_100x30.txt" "$TEST_TMP/ov.txt" | sed 's/^/# /'
    fi
    keys ':' 'pods' Enter
    check ":pods lists pods with kubectl's STATUS" wait_for "CrashLoopBackOff" 100
    keys '/' 'noisy' Enter
    wait_for "filter: noisy" 100
    keys l
    check "logs: escape sequences shown, not obeyed" wait_for '^[[2J^[]0;pwned^G hello ^[[31mred' 100
    check "logs: a bidi override and a C1 control made visible" shows 'a bidi \u202e override and a C1 \u009b control'
    keys Escape Escape ':' 'q' Enter
    check "the dashboard quits with :q" wait_for "EXIT=0" 100
    start_dash --read-only
    wait_for "[read-only]" 200
    keys r
    check "read-only: r restarts nothing" wait_for "read-only: this dashboard changes nothing" 100
    keys q
    wait_for "EXIT=0" 100
    # an action asks first; yes restarts the api
    start_dash
    wait_for "dify-api" 200
    keys r
    check "r asks before restarting" wait_for "Restart deployment/dify-api?" 100
    keys y
    check "the restart is done and said" wait_for "deployment/dify-api restarted" 100
    check "kubectl sees the restart annotation" \
        wait_for 50 sh -c "kubectl get deploy dify-api -n dash -o jsonpath='{.spec.template.metadata.annotations}' | grep -q restartedAt"
    # Esc alone, then a pause: an Esc followed at once by a key reads as Alt
    esc() { keys Escape; sleep 0.3; }
    # m: the migration Job run again (a new object under the same name)
    job_uid() { kubectl get job dify-db-migrate-0a1b2c3d4e -n dash -o jsonpath='{.metadata.uid}' 2>/dev/null; }
    uid0=$(job_uid)
    keys m
    check "m asks before running the migration again" wait_for "Run job/dify-db-migrate-0a1b2c3d4e again?" 100
    keys y
    check "the migration Job is run again and said" wait_for "job/dify-db-migrate-0a1b2c3d4e started again" 100
    check "kubectl sees a new migration Job" \
        wait_for 50 sh -c "uid=\$(kubectl get job dify-db-migrate-0a1b2c3d4e -n dash -o jsonpath='{.metadata.uid}'); [ -n \"\$uid\" ] && [ \"\$uid\" != '$uid0' ]"
    # the jobs view: the migration's attempts and its pod's last lines
    keys ':' 'jobs' Enter
    check ":jobs shows the migration Job's attempts" wait_for "dify-db-migrate-0a1b2c3d4e" 100
    check "... and the last lines of its newest pod" wait_for "last lines of dify-db-migrate-0a1b2c3d4e-" 200
    check "... which say why it failed" wait_for "(psycopg2.OperationalError) FATAL:  password" 40
    # the events view: warnings first, grouped and counted
    keys ':' 'events' Enter
    warnings_first() { screen | grep -m1 -E 'Warning|Normal' | grep -q Warning; }
    check ":events puts warnings first (the daemon's BackOff)" \
        wait_for 100 warnings_first
    esc
    # Ctrl-L: the web's new revision rolled back to the previous one
    kubectl set image deploy/dify-web -n dash web=langgenius/dify-web:1.13.3 >/dev/null
    keys ':' 'rollouts' Enter
    keys '/' 'dify-web' Enter
    check "rollouts: the web's revision history, new and old ReplicaSets" wait_for "rev 2    new" 100
    keys C-l
    check "Ctrl-L asks before rolling back" wait_for "Roll deployment/dify-web back to revision 1?" 100
    keys y
    check "the rollback is done and said" wait_for "deployment/dify-web rolled back" 100
    check "kubectl sees the previous image back" \
        wait_for 50 sh -c "kubectl get deploy dify-web -n dash -o jsonpath='{.spec.template.spec.containers[0].image}' | grep -qx 'langgenius/dify-web:9.9.9'"
    esc
    esc
    # p: the crash-looping daemon's previous container says why it died
    keys ':' 'pods' Enter
    keys '/' 'plugin' Enter
    wait_for "filter: plugin" 100
    keys l
    wait_for "logs dify-plugin-daemon" 100
    keys p
    check "p shows the previous container's last words" wait_for "(previous) · previous container" 100
    check "... the line the daemon died with" wait_for "[PANIC]failed to init dify plugin db" 40
    esc
    esc
    # Ctrl-D: a pod deleted after asking
    keys '/' 'noisy' Enter
    wait_for "filter: noisy" 100
    keys C-d
    check "Ctrl-D asks before deleting a pod" wait_for "Delete pod noisy?" 100
    keys y
    check "the pod is deleted and said" wait_for "pod/noisy deleted" 100
    check "kubectl no longer finds the pod" \
        wait_for 50 sh -c "! kubectl get pod noisy -n dash >/dev/null 2>&1"
    keys q
else
    skip "the dashboard in tmux" "tmux is not installed"
fi

# ---- the API server goes away and comes back ----
# A second simulator on a fixed port and certificate, so a restart is the
# same server to the client.
if need_tool openssl; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
        -addext "subjectAltName=IP:127.0.0.1" -keyout "$TEST_TMP/k.pem" -out "$TEST_TMP/c.pem" 2>/dev/null
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    OUT_KC="$KUBECONFIG"
    sim_stop
    SIMARGS="--port $PORT --cert $TEST_TMP/c.pem --key $TEST_TMP/k.pem --token tok-outage --speed 10 --scenario $SCN/dashboard.yaml"
    # shellcheck disable=SC2086
    sim_start $SIMARGS
    "$BIN" -n dash status --watch >"$TEST_TMP/outage.txt" 2>&1 &
    WP=$!
    wait_for 100 grep -q 'dify-api' "$TEST_TMP/outage.txt"
    if [ -n "${T:-}" ]; then
        $T kill-session -t d 2>/dev/null
        $T new-session -d -s d -x 100 -y 30 \
            "env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='$KUBECONFIG' '$BIN' -n dash dashboard; echo EXIT=\$?; exec cat"
        wait_for "dify-api" 200
    fi
    sim_stop
    check "status --watch says the API server is unreachable" \
        wait_for 200 grep -q 'connection: unreachable' "$TEST_TMP/outage.txt"
    if [ -n "${T:-}" ]; then
        check "the dashboard shows the banner with since when, and keeps the last data" \
            wait_for 200 shows_all 'API server unreachable since' dify-api
    fi
    # shellcheck disable=SC2086
    sim_start $SIMARGS
    check "status --watch says when it answers again (reconnected with backoff)" \
        wait_for 300 awk '/connection: unreachable/ { down = 1 } down && /connection: ok/ { up = 1 } END { exit !up }' "$TEST_TMP/outage.txt"
    if [ -n "${T:-}" ]; then
        check "the banner goes when the API server is back" \
            wait_for 300 gone 'API server unreachable'
        $T kill-server 2>/dev/null
    fi
    kill "$WP" 2>/dev/null
    wait "$WP" 2>/dev/null
    sim_stop
    export KUBECONFIG="$OUT_KC"
else
    skip "API outage and recovery" "openssl is not installed"
fi

# ---- the demo: a crash loop from a wrong database password ----
if ! need_stores; then
    skip "the demo's crash loop from a wrong password" "$STORES_WHY"
    done_testing
    exit $?
fi
sim_stop
sim_start --speed 5 --scenario demo
demo_json() { "$BIN" -n dify status --json --timeout 30 >"$TEST_TMP/demo.json" 2>/dev/null; }
until_demo() {
    local i
    for i in $(seq 1 "$1"); do
        demo_json
        if [ "$(json "$2" "$TEST_TMP/demo.json" 2>/dev/null)" = True ]; then return 0; fi
        sleep 0.5
    done
    head -80 "$TEST_TMP/demo.json" | sed 's/^/# /'
    return 1
}
dc() { echo "[c for c in d['components'] if c['component']=='$1'][0]"; }
check "demo: the daemon crash-loops (its pods' last termination: Error)" \
    until_demo 80 "'CrashLoopBackOff' in $(dc plugin-daemon)['problem'] and $(dc api)['rollout']=='complete'"
check "demo: the daemon's health check has no endpoint; the api answers with its version" \
    until_demo 40 "not d['health']['pluginDaemon']['ok'] and d['health']['api']['ok'] and d['health']['api']['version']=='1.13.3'"
check "demo: the migration Job completed; the api/daemon pair is known" \
    until_demo 40 "d['migration']['state']=='complete' and d['health']['versions']['pair']=='known'"
check "demo: the daemon's log says 28P01" \
    wait_for 50 sh -c "kubectl logs -n dify deploy/dify-plugin-daemon --previous 2>/dev/null | grep -q 28P01"
kubectl patch secret dify-plugin-daemon -n dify --type merge \
    -p '{"stringData":{"DB_PASSWORD":"demoDbPassw0rd2026abcd"}}' >/dev/null
check "demo: with the password fixed the daemon recovers; health and key are ok" \
    until_demo 120 "$(dc plugin-daemon)['rollout']=='complete' and d['health']['pluginDaemon']['ok'] and d['health']['daemonKey']['state']=='ok'"
check "demo: the plugin storage is said to be lost with the pod (an emptyDir)" \
    holds "d['health']['pluginStorage']['state']=='pod'" "$TEST_TMP/demo.json"
sim_stop
done_testing
