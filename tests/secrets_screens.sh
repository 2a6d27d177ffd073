#!/bin/bash
# tests/secrets_screens.sh: no secret value on any screen. The real binary
# in a private tmux server, against dify-sim with its Dify model and a real
# PostgreSQL and Redis; every screen a user meets on the way from the wizard
# to the diagnostics is captured (tmux capture-pane) and searched for every
# secret the profile holds: the database password loaded from the answers'
# secrets file, the Redis password typed into the wizard, and the keys the
# wizard generates (read back from the secrets file it wrote). A secret cut
# at the screen's edge is caught too: the first 10 characters of each are
# searched as well. Each capture must also show what it is a capture of (the
# page, the field, the log, the env), so the search looks at a real screen.
#  - the wizard: the Secrets page (a secret loaded, one being typed, one
#    typed), every other page, the Review page scrolled to its end;
#  - the progress pane: the steps, the log pane, the error box of a failed
#    migration with the Job's log, the full log viewer (top and end);
#  - the dashboard after the retry: overview, pods, the api pod's describe
#    (its environment, Secrets by reference) and YAML, the api's and the
#    plugin daemon's logs, the jobs view with the migration Job's log;
#  - the diagnostics screen with the data stores' checks (which log in with
#    those passwords), its failure detail.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

BIN="$top_builddir/dify-tui"
need_or_skip "no secret on screen" tmux kubectl curl psql stores
tmpdir_new
. "$top_srcdir/tests/tmuxlib.sh"
tmux_server secrets
TMUX_WAIT=300 # 30 s
LOCALE=C.UTF-8
DB_PW=loadedDbSecret8472q  # in the secrets file; the server's role gets it after the failure
REDIS_PW=typedRedisSecret5913z
SUPER_PW=secretsSuper4tests
CAP="$TEST_TMP/captures"
mkdir -p "$CAP"

# Esc alone: a key right after it would be read as Alt+key
esc() {
    keys Escape
    sleep 0.4
}
NCAP=0
keep() { # NAME: the screen as it is now, kept for the search
    NCAP=$((NCAP + 1))
    screen >"$CAP/$(printf %02d $NCAP)-$1.txt"
}
# capture NAME TEXT [TRIES]: waits for TEXT (what the screen is), keeps the screen
capture() {
    if wait_for "$2" "${3:-}"; then
        keep "$1"
        ok "$1: shown (\"$2\")"
    else
        keep "$1"
        fail "$1: shown (\"$2\")"
    fi
}
# capture_pages NAME TEXT: keeps each page of a long view (PgDn, at most
# 8), until one shows TEXT
capture_pages() {
    local i=0
    sleep 0.5
    while [ $i -lt 8 ]; do
        keep "$1-page$i"
        if screen | grep -qF -- "$2"; then
            ok "$1: shown, with \"$2\" on page $((i + 1))"
            return 0
        fi
        keys PageDown
        sleep 0.3
        i=$((i + 1))
    done
    fail "$1: \"$2\" on one of its pages"
    screen | sed 's/^/# | /'
}

# the server's role dify has another password than the answers' (the
# migration fails until it is changed, below)
DB_PW=serverSideOther4471 stores_scenario secrets-test "pods:
  # a component that logs its credentials (a debug line, a connection URL):
  # what the cluster says is shown, the secrets the install knows are not
  - match: {namePrefix: dify-ssrf-proxy}
    logs:
      - \"debug: upstream redis://:$REDIS_PW@dbnode0.example.com:6379/1\"
      - \"debug: DB_PASSWORD=$DB_PW\"" >"$TEST_TMP/scenario.yaml"
if ! sim_start_stores "$TEST_TMP/scenario.yaml"; then
    fail "dify-sim starts with data stores"
    done_testing
    exit 1
fi

W="$TEST_TMP/w"
mkdir -p "$W"
cp -r "$top_srcdir/assets/examples/files" "$W/"
cp "$top_srcdir/assets/examples/existing-manifests.yaml" "$W/answers.yaml"
printf 'db_password: %s\n' "$DB_PW" >"$W/answers.secrets.yaml"
chmod 600 "$W/answers.secrets.yaml"

# --- the wizard, with the database password loaded and the Redis one typed
PANE_DIR=$W pane_run 100 30 \
    "env TERM=screen LANG=$LOCALE LC_ALL=$LOCALE '$BIN' --kubeconfig '$KUBECONFIG' wizard --answers answers.yaml"
capture wizard-edition "[Edition]"
for page in Method Size Cluster Domains Data; do
    keys C-n
    capture "wizard-$page" "[$page]"
done
keys C-n
capture wizard-secrets-loaded "Database password"
# typing over a stored secret asks first; No keeps it
keys Down Enter C-u
keys -l "replacedDbSecret6650x"
keys Enter
capture wizard-secret-replace "Replace a secret?"
keys n
capture wizard-secret-kept "Database password       lo"
keys Down Enter
keys -l "$REDIS_PW"
capture wizard-secret-typing "> Redis password"
keys Enter
capture wizard-secret-typed "Redis password          ty"
keys C-n
capture wizard-rollout "[Rollout]"
keys C-n
capture wizard-review "[Review]"
for i in 1 2 3; do
    keys PageDown
    capture "wizard-review-$i" "[Review]"
done
capture wizard-review-secrets "Given: db_password, redis_password"
keys End
wait_for "> [ Write files ]" >/dev/null
keys Enter
capture wizard-written "Written"
check "the wizard wrote the secrets it generated" grep -q '^secret_key: ' "$W/answers.secrets.yaml"
keys Down
wait_for "> [ Install now ]" >/dev/null
keys Enter

# --- the progress pane: the migration fails (the server's role has another
# password), the error box with the Job's log; the log pane; the full log
capture progress-steps "Steps" 600
capture progress-error-box "Log of pod dify-db-migrate-" 1800
capture progress-error-box-log "OperationalError"
keys l
capture progress-full-log "info step migration"
keys Home
capture progress-full-log-top "dify-tui install --answers answers.yaml"
esc
wait_gone "dify-tui: Full log"
# the error box again, if it is up: Esc closes it (without a box Esc asks to stop)
if screen | grep -qF "a abort  Esc close"; then esc; fi
capture progress-log-pane "FAIL migration"
# the fix on the server: the role takes the password the install has
PGPASSWORD=$SUPER_PW psql -h 127.0.0.1 -p "$(sim_port PostgreSQL)" -U postgres -d postgres -qtAc \
    "ALTER ROLE dify PASSWORD '$DB_PW'" >"$TEST_TMP/psql.out" 2>&1
check "the role's password is changed on the server" [ $? -eq 0 ]
keys r

# --- the dashboard the install lands on
capture dashboard-overview "overview  context: " 1800
if ! screen | grep -qF "overview  context: "; then
    fail "the install reached the dashboard: its screens are not checked"
    keys C-c
else
capture dashboard-health "api -> daemon key     accepted" 600
keys : ; keys -l pods ; keys Enter
capture dashboard-pods "dify-api-"
keys / ; keys -l dify-api ; keys Enter
wait_for "filter: dify-api" >/dev/null
keys d
capture dashboard-describe-api-pod "describe pod/dify-api-"
capture_pages dashboard-describe-api-env "name: dify-secrets"
esc
keys y
capture dashboard-yaml-api-pod "apiVersion: v1"
capture_pages dashboard-yaml-api-env "name: dify-secrets"
esc
keys l
capture dashboard-logs-api "logs dify-api"
esc
esc
keys / ; keys -l plugin ; keys Enter
wait_for "filter: plugin" >/dev/null
keys l
capture dashboard-logs-daemon "logs dify-plugin-daemon"
esc
esc
keys / ; keys -l ssrf ; keys Enter
wait_for "filter: ssrf" >/dev/null
keys l
capture dashboard-logs-ssrf "debug: upstream redis://:"
capture dashboard-logs-ssrf-env "debug: DB_PASSWORD="
esc
esc
keys : ; keys -l jobs ; keys Enter
capture dashboard-jobs "dify-db-migrate-"
keys : ; keys -l q ; keys Enter
check "leaving the dashboard ends the install (status 0)" wait_for "EXIT=0" 600
fi

# --- the diagnostics screen: the data stores' checks log in with the passwords;
# the cluster's copy of the Redis password changed by hand (DT-303 compares
# the cluster's secrets with the answers' and shows where they differ)
kubectl patch secret dify-secrets -n dify -p '{"stringData":{"REDIS_PASSWORD":"clusterSideRedis7781"}}' >/dev/null
PANE_DIR=$W pane_run 110 40 \
    "env TERM=screen LANG=$LOCALE LC_ALL=$LOCALE KUBECONFIG='$KUBECONFIG' '$BIN' diagnose \
     --answers answers.yaml --db 127.0.0.1:$(sim_port PostgreSQL) --redis 127.0.0.1:$(sim_port Redis) \
     --only postgres redis secrets workloads daemon --timeout 20 -v"
capture diagnose-run "PostgreSQL" 600
capture diagnose-done " ok  " 1200
# each check's detail, its evidence included (-v: of passing checks too)
for i in $(seq 1 14); do
    keys Enter
    sleep 0.3
    keep "diagnose-detail-$i"
    keys j
done
detail_shown() { # ID WORD: a detail pane of that check, with WORD in it
    grep -l "^ $1  " "$CAP"/*diagnose-detail-* 2>/dev/null | xargs -r grep -l -- "$2" | grep -q .
}
check "DT-303's detail: the cluster's secret differs, with its evidence" detail_shown DT-303 "Evidence"
check "DT-501's detail: Redis takes the password, with its evidence" detail_shown DT-501 "Evidence"
check "DT-401's detail: PostgreSQL takes the login, with its evidence" detail_shown DT-401 "Evidence"
keys q
sim_stop

# --- the search: every secret, whole and its first 10 characters
secrets_of() { sed -n "s/^[a-z_]*: *['\"]\{0,1\}\([^'\"]*\)['\"]\{0,1\} *$/\1/p" "$W/answers.secrets.yaml"; }
{
    secrets_of
    echo "$REDIS_PW"
    echo "$DB_PW"
    echo replacedDbSecret6650x # typed over the stored one, then refused
    echo clusterSideRedis7781  # the cluster's own copy, changed by hand
} | sort -u | awk 'length($0) >= 8' >"$TEST_TMP/secrets.txt"
check "the secrets searched for: at least the two passwords and four generated keys" \
    [ "$(wc -l <"$TEST_TMP/secrets.txt")" -ge 6 ]
cut -c1-10 "$TEST_TMP/secrets.txt" >"$TEST_TMP/prefixes.txt"
check "$NCAP screens captured" [ "$(ls "$CAP" | wc -l)" -eq "$NCAP" ]
leaks=$(grep -lF -f "$TEST_TMP/prefixes.txt" "$CAP"/* 2>/dev/null)
if [ -z "$leaks" ]; then
    ok "no secret value (nor its first 10 characters) on any of the $NCAP screens"
else
    fail "a secret value on screen: $(echo "$leaks" | xargs -n1 basename | tr '\n' ' ')"
    for f in $leaks; do
        diag "$(basename "$f"):"
        grep -nF -f "$TEST_TMP/prefixes.txt" "$f" | sed 's/^/#   /'
    done
fi

# KEEP_CAPTURES=DIR keeps the screens for a look
[ -n "${KEEP_CAPTURES:-}" ] && mkdir -p "$KEEP_CAPTURES" && cp "$CAP"/* "$KEEP_CAPTURES"/
done_testing
