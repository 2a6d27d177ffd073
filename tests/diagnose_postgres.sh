#!/bin/bash
# tests/diagnose_postgres.sh: the PostgreSQL checks (DT-401..404) against a
# real PostgreSQL started for the test (tests/svc.sh): good credentials, a
# wrong password, a database that does not exist, a user without CREATEDB
# missing the daemon's database, a database never migrated and then
# migrated, TLS asked of a server without it, a stopped server. Each
# failure comes from a server really in that state.
. "$(dirname "$0")/lib.sh"
tmpdir_new
. "$(dirname "$0")/diaglib.sh"

# A directory of its own: the server runs as "postgres" when the tests run
# as root, and TEST_TMP is private to the test's user.
PGDIR=$(mktemp -d /tmp/dify-tui-pg.XXXXXX)
sh "$top_srcdir/tests/svc.sh" pg-start "$PGDIR" >"$TEST_TMP/pg.env" 2>&1
if grep -q '^SKIP=' "$TEST_TMP/pg.env"; then
    skip "PostgreSQL checks" "$(sed -n 's/^SKIP=//p' "$TEST_TMP/pg.env")"
    rm -rf "$PGDIR"
    done_testing
    exit
fi
if grep -q '^ERROR=' "$TEST_TMP/pg.env"; then
    fail "PostgreSQL starts: $(sed -n 's/^ERROR=//p' "$TEST_TMP/pg.env")"
    sh "$top_srcdir/tests/svc.sh" pg-stop "$PGDIR"
    done_testing
    exit 1
fi
TEST_CLEANUP="sh \"$top_srcdir/tests/svc.sh\" pg-stop \"$PGDIR\""
get() { sed -n "s/^$1=//p" "$TEST_TMP/pg.env"; }
PG_PORT=$(get PG_PORT)
ADMIN_PW=$(get PG_ADMIN_PASSWORD)
PW=$(get PG_PASSWORD)
PLAIN_PW=$(get PG_PLAIN_PASSWORD)
sql() { PGPASSWORD=$ADMIN_PW psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "${2:-postgres}" -tAc "$1"; }
usql() { PGPASSWORD=$PW psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U dify -d dify -tAc "$1"; }

W="$TEST_TMP/w"
mkdir -p "$W"
# answers USER DATABASE [SSLMODE]: the answers file with these.
answers() {
    DB_PORT=$PG_PORT answers_for "$W"
    sed -i -e "s/^  user: dify/  user: $1/" -e "s/^  name: dify$/  name: $2/" \
        -e "s/^  sslmode: disable/  sslmode: ${3:-disable}/" "$W/answers.yaml"
}
run_pg() {
    diag_run "$TEST_TMP/out.json" diagnose --json --answers "$W/answers.yaml" --only postgres --timeout 20 "$@"
}
has() { if grep -q -- "$3" "$2"; then ok "$1"; else fail "$1"; sed 's/^/# /' "$2" | head -c 3000; echo; fi; }
hasnt() { if grep -q -- "$3" "$2"; then fail "$1"; else ok "$1"; fi; }

# Good credentials, the daemon's database not made yet (the user may create
# it), never migrated.
answers dify dify
secrets_for "$W" db_password "$PW"
run_pg
R="$TEST_TMP/out.json"
expect_status "good credentials" "$R" DT-401 ok
expect_status "daemon database missing, CREATEDB" "$R" DT-402 warn
expect_status "never migrated" "$R" DT-403 fail
has "never migrated: said so" "$R" "never migrated (no alembic_version)"
expect_status "good credentials" "$R" DT-404 ok
expect_rc "never migrated" 2
hasnt "the password never appears in the report" "$R" "$PW"

# The fix: the daemon's database made, the schema migrated.
sql "CREATE DATABASE dify_plugin OWNER dify" >/dev/null
usql "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY); INSERT INTO alembic_version VALUES ('a1b2c3d4e5f6')" >/dev/null
run_pg
expect_status "both databases" "$R" DT-402 ok
expect_status "migrated" "$R" DT-403 ok
has "migrated: the revision is shown" "$R" "a1b2c3d4e5f6"
expect_rc "healthy" 0

# Wrong password: 28P01 with the kept-volume explanation; the others skip.
secrets_for "$W" db_password "Wrong-db-passw0rd-789"
run_pg
expect_status "wrong password" "$R" DT-401 fail
has "wrong password: 28P01" "$R" "28P01"
has "wrong password: the kept volume is explained" "$R" "volume was kept"
expect_status "wrong password" "$R" DT-402 skipped
expect_rc "wrong password" 2
hasnt "the wrong password is not shown" "$R" "Wrong-db-passw0rd-789"

# A database that does not exist: 3D000 and the command that creates it.
secrets_for "$W" db_password "$PW"
answers dify dify_nothere
run_pg
expect_status "missing database" "$R" DT-401 fail
has "missing database: 3D000" "$R" "3D000"
has "missing database: the command that creates it" "$R" "CREATE DATABASE dify_nothere OWNER dify"
expect_status "missing database (seen from postgres)" "$R" DT-402 fail

# A user without CREATEDB whose daemon database is missing: the daemon
# cannot make it itself (langgenius/dify#14791).
sql "CREATE DATABASE plaindb OWNER plain" >/dev/null
answers plain plaindb
sed -i "s/plugin_database: dify_plugin/plugin_database: plain_plugin/" "$W/answers.yaml"
secrets_for "$W" db_password "$PLAIN_PW"
run_pg
expect_status "no CREATEDB" "$R" DT-401 ok
expect_status "no CREATEDB, daemon database missing" "$R" DT-402 fail
has "no CREATEDB: said so" "$R" "may not create it"
sql "CREATE DATABASE plain_plugin OWNER plain" >/dev/null
run_pg
expect_status "no CREATEDB, database made by the administrator" "$R" DT-402 ok

# TLS required of a server that has none.
answers dify dify require
secrets_for "$W" db_password "$PW"
run_pg
expect_status "TLS refused" "$R" DT-401 fail
has "TLS refused: said so" "$R" "TLS"

# --db: the answers name another host; this machine reaches it here.
answers dify dify
sed -i "s/^  host: 127.0.0.1\$/  host: pg.internal.example.com/" "$W/answers.yaml"
run_pg --db "127.0.0.1:$PG_PORT"
expect_status "--db" "$R" DT-401 ok
has "--db: the installation's host is named" "$R" "pg.internal.example.com"

# Stopped: nothing answers at the address.
answers dify dify
sh "$top_srcdir/tests/svc.sh" pg-stop "$PGDIR"
TEST_CLEANUP=
run_pg
expect_status "stopped" "$R" DT-401 fail
has "stopped: does not answer" "$R" "does not answer"
expect_status "stopped" "$R" DT-404 skipped
expect_rc "stopped" 2

done_testing
