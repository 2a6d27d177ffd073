#!/bin/bash
# tests/upgrade_tmux.sh: `dify-tui upgrade` on a terminal (a private tmux
# server) against dify-sim with its Dify model and a real PostgreSQL and
# Redis: the comparison and the question on the terminal, then the upgrade
# behind the progress pane; a failed step (the new plugin daemon
# crash-loops) stopped with the pane's abort; the rollback asked on the
# terminal and run behind the pane again; its summary names the revision
# restored; the lines after the pane say how it ended.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

need_or_skip "upgrade in tmux" tmux kubectl curl stores
tmpdir_new
. "$top_srcdir/tests/tmuxlib.sh"
tmux_server upgrade
LOCALE=C.UTF-8
BIN="$top_builddir/dify-tui"
DB_PW=tmuxUpDbPassw0rd2026
REDIS_PW=tmuxUpRedisPassw0rd26
BAD_REDIS=tmuxUpWrongRedis2026

# see TEXT [TRIES]: polls the pane until TEXT shows (TRIES x 0.2 s, 300 by default)
see() { wait_for "$1" $((${2:-300} * 2)); }
# leave_until TEXT: q until TEXT shows (the pane may take a key to settle)
leave_until() {
    local i
    for i in 1 2 3 4 5; do
        keys q
        see "$1" 10 >/dev/null 2>&1 && return 0
    done
    see "$1" 1
}

SUPER_PW=tmuxUpSuper4tests manifests_sim upgrade-tmux-test
set_tag 1.14.2
(cd "$D" && DIFY_DB_PASSWORD=$DB_PW DIFY_REDIS_PASSWORD=$REDIS_PW "$BIN" --kubeconfig "$KUBECONFIG" \
    install --answers answers.yaml --yes --no-tui --db-address "$PG" </dev/null >install.out 2>&1)
check "Dify 1.14.2 installs (lines)" [ $? -eq 0 ]

# the upgrade to 1.16.1 whose plugin daemon crash-loops, on a terminal
set_tag 1.16.1
PANE_DIR=$D pane_run 120 40 \
    "env TERM=screen LANG=$LOCALE LC_ALL=$LOCALE DIFY_DB_PASSWORD=$DB_PW DIFY_REDIS_PASSWORD=$BAD_REDIS \
     '$BIN' --kubeconfig '$KUBECONFIG' upgrade --answers answers.yaml --db-address $PG \
     --rollout-timeout 8"
check "the comparison and the question come first" see "Upgrade Dify 1.14.2 to 1.16.1 as shown? [y/N]"
check "with the changed api image" sh -c "$T capture-pane -p -S -200 -t w | grep -q '+ .*image: langgenius/dify-api:1.16.1'"
keys y Enter
check "the upgrade runs behind the progress pane" see "dify-tui upgrade: dify in namespace dify"
check "the failed rollout's error box" see "Wait for every component to roll out failed"
# abort_asks: a (after Esc closes the error box) until the question shows
abort_asks() {
    local i
    for i in 1 2 3 4 5; do
        keys Escape
        sleep 0.5
        keys a
        see "Stop the upgrade?" 10 >/dev/null 2>&1 && return 0
    done
    see "Stop the upgrade?" 1
}
check "abort asks first" abort_asks
keys y
see "q leaves" 25 >/dev/null 2>&1 || keys Enter
check "the pane says it stopped" see "q leaves"
check "after the pane: the rollback is offered on the terminal" \
    leave_until "Roll back to Dify 1.14.2, the last revision that finished? [y/N]"
keys y Enter
check "the rollback runs behind the pane and ends in its summary" see "dify-tui rollback: done"
check "the summary names the revision restored" see "Dify 1.14.2, community edition"
check "its Next lines: history, not install again" sh -c "$T capture-pane -p -S -200 -t w | grep -q 'dify-tui history --answers' && ! $T capture-pane -p -S -200 -t w | grep -q 'dify-tui install --answers'"
check "the lines after it say how it ended" leave_until "rollback: done: Dify 1.14.2 runs again"
check "the upgrade exits 1 (it did not happen)" see "EXIT=1"
image() { kubectl get deploy -n dify "$1" -o jsonpath='{.spec.template.spec.containers[0].image}'; }
check "the api runs 1.14.2" [ "$(image dify-api)" = "langgenius/dify-api:1.14.2" ]
(cd "$D" && "$BIN" history --answers answers.yaml >hist.out 2>&1)
check "history: rolled back, restored" lines_match "$D/hist.out" \
    '^2 .* upgrade +rolled back +1\.14\.2 -> 1\.16\.1 ' \
    '^3 .* rollback +restored +1\.14\.2 '
check "no secret on the terminal" sh -c \
    "! $T capture-pane -p -S -2000 -t w | grep -qF -e '$DB_PW' -e '$REDIS_PW' -e '$BAD_REDIS'"
$T kill-server 2>/dev/null
sim_stop
done_testing
