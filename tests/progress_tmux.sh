#!/bin/bash
# tests/progress_tmux.sh: the progress pane in the real binary, in a private
# tmux server, against dify-sim with its Dify model and a real PostgreSQL
# and Redis (docs/progress.md):
#  - `install` on a terminal runs behind the pane, from the first key to the
#    dashboard on what was installed; q leaves with status 0;
#  - a failure (the migration Job refused by the database) opens the error
#    box with the Job's log; it stays while the run waits; after the fix on
#    the server (the role's password) r retries the Job and the install ends;
#  - abort asks first: No goes back and the install goes on; Yes stops the
#    running step cleanly, the journal says so and the exit status is 1;
#  - the wizard's Install now, after Write, runs the same install;
#  - `dify-tui demo` from its first key: the wizard on the demo's answers,
#    Write, Install now, the pane, the dashboard, the pods read back, and
#    nothing left behind.
# Every wait polls capture-pane a bounded number of times; nothing sleeps
# and hopes.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

BIN="$top_builddir/dify-tui"
need_or_skip "the progress pane in tmux" tmux kubectl curl psql stores
tmpdir_new
. "$top_srcdir/tests/tmuxlib.sh"
tmux_server progress
TMUX_WAIT=300 # 30 s
LOCALE=C.UTF-8
DB_PW=progressDbPassw0rd2026
REDIS_PW=progressRedisPassw0rd26
SUPER_PW=progressSuper4tests
export DIFY_REDIS_PASSWORD=$REDIS_PW

# run DIR ENV... -- ARGS...: dify-tui ARGS in DIR in a new session (100x30, or $SIZE);
# its exit status lands on the pane as EXIT=N.
run() {
    local d=$1 envs=""
    shift
    while [ "$1" != "--" ]; do
        envs="$envs $1"
        shift
    done
    shift
    local size=${SIZE:-100x30}
    PANE_DIR=$d pane_run "${size%x*}" "${size#*x}" \
        "env TERM=screen LANG=$LOCALE LC_ALL=$LOCALE DIFY_REDIS_PASSWORD=$REDIS_PW $envs \
         '$BIN' --kubeconfig '$KUBECONFIG' $*"
}

start_sim() {
    stores_scenario progress-test "${1:-}" >"$TEST_TMP/scenario.yaml"
    sim_start_stores "$TEST_TMP/scenario.yaml"
}

# workdir NAME: the existing-manifests example (and its files) in a directory of its own
workdir() {
    local d="$TEST_TMP/$1"
    mkdir -p "$d"
    cp -r "$top_srcdir/assets/examples/files" "$d/"
    sed 's/^method: helm/method: manifests/' "$top_srcdir/assets/examples/existing-manifests.yaml" \
        >"$d/answers.yaml"
    echo "$d"
}

if ! start_sim; then
    fail "dify-sim starts with data stores"
    done_testing
    exit 1
fi

# --- install on a terminal: from the first key to the dashboard
A=$(workdir a)
run "$A" DIFY_DB_PASSWORD=$DB_PW -- install --answers answers.yaml
check "install on a terminal shows the steps" wait_for "Steps"
check "the title says what and where" wait_for "dify-tui install: dify into namespace dify"
check "the migration Job is shown while it runs or after" wait_for "Migrate the database" 600
check "success opens the dashboard on the namespace installed" \
    wait_for "namespace: dify " 1200
check "which shows the components rolled out" wait_for "dify-plugin-daemon  1/1"
check "and the health the checks saw" wait_for "api -> daemon key     accepted"
keys q
check "q leaves with status 0" wait_for "EXIT=0"
check "and says it is done, and where the log is" wait_for "install: done; the full log is"
check "the journal finished the rollouts" \
    grep -q '"event":"finished","step":"rollouts"' "$A/answers.state/journal.jsonl"

# --- a failure: the error box, the fix on the server, r
sim_stop
start_sim || fail "dify-sim starts again"
C=$(workdir c)
WRONG=wrongDbPassw0rd4tests
run "$C" DIFY_DB_PASSWORD=$WRONG -- install --answers answers.yaml
check "a failed migration opens the error box" wait_for "failed (" 1200
check "the box shows the Job's log" wait_for "Log of pod dify-db-migrate-"
check "with the database's refusal" wait_for "OperationalError"
# the box's bottom edge (the status line says "r retry" too)
BOX="a abort  Esc close"
check "with the keys that act on it" wait_for "r retry  l full log  $BOX"
# j, then ? (help over the pane): once the help shows, j was handled too
keys j
keys '?'
wait_for "the full log, with timestamps" >/dev/null
keys Escape
wait_gone "the full log, with timestamps" >/dev/null
box_up() { screen | grep -qF "$BOX"; }
check "other keys leave the box up" box_up
keys Escape
check "Esc closes it" wait_gone "$BOX"
keys /
keys -l "preflight-tools"
keys Enter
check "the log searches from the end, wrapping, and says so" wait_for "search wrapped to the top"
check "the first step's lines, scrolled away, are back" wait_for "ok   preflight-tools: "
keys e
check "e opens the box again" wait_for "$BOX"
# The fix: the server's role takes the password the install has.
PGPASSWORD=$SUPER_PW psql -h 127.0.0.1 -p "$(sim_port PostgreSQL)" -U postgres -d postgres -qtAc \
    "ALTER ROLE dify PASSWORD '$WRONG'" >"$TEST_TMP/psql.out" 2>&1
check "the role's password is changed on the server" [ $? -eq 0 ]
keys r
check "r retries: the box goes" wait_gone "$BOX"
check "after the retry the install ends on the dashboard" wait_for "overview  context: " 1200
keys q
check "and leaves with status 0" wait_for "EXIT=0"
check "the journal has the failure and the finish" sh -c \
    "grep -q '\"event\":\"failed\",\"step\":\"migration\"' '$C/answers.state/journal.jsonl' &&
     grep -q '\"event\":\"finished\",\"step\":\"migration\"' '$C/answers.state/journal.jsonl'"
sim_stop

# --- abort asks first
start_sim "pods:
  - match: {namePrefix: dify-db-migrate}
    pullDelay: 6000" || fail "dify-sim starts again"
E=$(workdir e)
run "$E" DIFY_DB_PASSWORD=$DB_PW -- install --answers answers.yaml
check "the migration runs (its pod is slow to start)" wait_for "Migrate the database" 600
check "the running step's elapsed time is shown" wait_for "running for" 600
keys a
check "a asks first" wait_for "Stop the install?"
keys n
check "No goes back" wait_gone "Stop the install?"
check "and the install goes on" wait_for "a abort"
keys a
wait_for "Stop the install?" >/dev/null
keys y
check "Yes stops it" wait_for "stopped after" 600
check "saying how to resume" wait_for "dify-tui install --answers answers.yaml"
keys q
check "leaving after a stop exits 1" wait_for "EXIT=1"
check "the journal records the interruption" grep -q '"event":"interrupted"' \
    "$E/answers.state/journal.jsonl"

# --- the wizard's Install now
W=$(workdir w)
sim_stop
start_sim || fail "dify-sim starts again"
run "$W" DIFY_DB_PASSWORD=$DB_PW -- wizard --answers answers.yaml
check "the wizard opens the answers" wait_for "[Edition]"
for i in 1 2 3 4 5 6 7 8 9 10; do keys C-n; done
check "review page" wait_for "[Review]"
i=0
while [ $i -lt 40 ] && ! screen | grep -qF "> [ Write files ]"; do keys Down; i=$((i + 1)); done
keys Enter
check "files written" wait_for "Written"
keys Down
check "Install now is offered below Exit" wait_for "> [ Install now ]"
keys Enter
check "Install now opens the progress pane" wait_for "Steps"
check "and installs, to the dashboard" wait_for "overview  context: " 1200
keys q
check "leaving after the install exits 0" wait_for "EXIT=0"
sim_stop

# --- dify-tui demo, from its first key to the end of the install
mkdir -p "$TEST_TMP/dtmp"
chmod 711 "$TEST_TMP" "$TEST_TMP/dtmp"
SIZE=80x24 # the smallest size the screens are laid out for
run "$TEST_TMP" TMPDIR="$TEST_TMP/dtmp" -- demo --speed 20
check "the demo opens the wizard on its answers" wait_for "[Edition]" 600
for i in 1 2 3 4 5 6 7 8 9 10; do keys C-n; done
check "its Review page" wait_for "[Review]"
i=0
while [ $i -lt 40 ] && ! screen | grep -qF "> [ Write files ]"; do keys Down; i=$((i + 1)); done
keys Enter
check "the demo's files are written" wait_for "Wrote "
keys Down
wait_for "> [ Install now ]" >/dev/null
keys Enter
check "Install now runs the demo's plan behind the pane" wait_for "Steps"
check "the demo's install lands on the dashboard" wait_for "overview  context: dify-sim" 1200
check "every component rolled out" wait_for "plugin daemon  1/1"
check "the plugin daemon healthy" wait_for "plugin daemon /health ok"
keys q
check "leaving the dashboard shows the pods, read back" wait_for "dify-api-" 600
check "and offers the kept-volume story" wait_for "Press Enter for the kept-volume story"
keys q Enter
check "q there ends the demo with status 0" wait_for "EXIT=0" 600
check "saying what it removed" wait_for "stores stopped"
check "its directory is removed" sh -c "[ -z \"\$(ls -A '$TEST_TMP/dtmp')\" ]"

done_testing
