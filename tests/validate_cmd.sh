#!/bin/sh
# tests/validate_cmd.sh: `dify-tui validate` on the real binary. Every file in
# tests/data/bad-answers/NAME.yaml must fail with exit status 2, print each
# line of NAME.expect (exact lines, in any order) on stderr, one line per
# problem with no control characters, and write nothing. The examples in assets/examples must validate with status 0.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

BIN="$top_builddir/dify-tui"
CORPUS="$top_srcdir/tests/data/bad-answers"
tmpdir_new

# A listing that changes when anything is created, removed or rewritten.
listing() {
    (cd "$1" && find . -printf '%p %s %T@ %m\n' | sort)
}

# The answers file sits alone in $W; output goes to $TEST_TMP, so any file
# the command creates or changes shows in $W's listing.
W="$TEST_TMP/w"
run_bad() { # NAME: runs validate on $W/NAME.yaml from inside $W
    (cd "$W" && "$BIN" validate --answers "$1.yaml" >"$TEST_TMP/out.txt" 2>"$TEST_TMP/err.txt")
}

for yaml in "$CORPUS"/*.yaml; do
    name=$(basename "$yaml" .yaml)
    expect="$CORPUS/$name.expect"
    rm -rf "$W"
    mkdir "$W"
    cp "$yaml" "$W/"
    if [ ! -f "$expect" ]; then
        fail "$name: no $name.expect"
        continue
    fi
    before=$(listing "$W")
    run_bad "$name"
    status=$?
    after=$(listing "$W")
    if [ "$status" -ne 2 ]; then
        fail "$name: exit status $status, expected 2"
        sed 's/^/# /' "$TEST_TMP/err.txt"
        continue
    fi
    missing=0
    while IFS= read -r line; do
        [ -z "$line" ] && continue
        if ! grep -qxF -- "$line" "$TEST_TMP/err.txt"; then
            diag "$name: missing on stderr: $line"
            missing=1
        fi
    done <"$expect"
    if [ "$missing" -ne 0 ]; then
        sed 's/^/# got: /' "$TEST_TMP/err.txt"
        fail "$name: expected messages"
    else
        ok "$name: exit 2 with the expected messages"
    fi
    if [ "$before" = "$after" ]; then
        ok "$name: nothing written"
    else
        fail "$name: files changed"
    fi
    if [ -s "$TEST_TMP/out.txt" ]; then
        fail "$name: stdout should be empty on failure"
    fi
    # Each problem is one line naming the file, and nothing on it acts on a
    # terminal: a value quoted in a message cannot forge a second line or
    # send an escape sequence (text-one-line.yaml holds both).
    if grep -v "^$name\." "$TEST_TMP/err.txt" >"$TEST_TMP/stray.txt" ||
        LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$TEST_TMP/err.txt"; then
        sed 's/^/# stray: /' "$TEST_TMP/stray.txt"
        fail "$name: a line that is not one problem, or a control character, on stderr"
    else
        ok "$name: one line per problem, no control characters"
    fi
done

# A directory instead of a file.
rm -rf "$TEST_TMP"/*
mkdir "$TEST_TMP/dir.yaml"
(cd "$TEST_TMP" && "$BIN" validate --answers dir.yaml 2>err.txt)
status=$?
if [ "$status" -eq 2 ] && grep -q 'dir.yaml: is a directory, not a file' "$TEST_TMP/err.txt"; then
    ok "directory: exit 2, says it is a directory"
else
    fail "directory: status $status: $(cat "$TEST_TMP/err.txt")"
fi

# A file that does not exist.
(cd "$TEST_TMP" && "$BIN" validate --answers nope.yaml 2>err.txt)
status=$?
if [ "$status" -eq 2 ] && grep -q 'nope.yaml: No such file or directory' "$TEST_TMP/err.txt"; then
    ok "nonexistent: exit 2, names the file"
else
    fail "nonexistent: status $status: $(cat "$TEST_TMP/err.txt")"
fi

# An unreadable file. Root reads anything, so as root the case runs as
# nobody through setpriv (in a world-readable directory); without setpriv it
# is skipped, visibly.
U="$TEST_TMP/unreadable"
mkdir "$U"
chmod 755 "$TEST_TMP" "$U"
printf 'version: 1\n' >"$U/locked.yaml"
chmod 000 "$U/locked.yaml"
as_user=""
if [ "$(id -u)" -eq 0 ]; then
    if need_tool setpriv && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
        as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
    else
        as_user=skip
    fi
fi
if [ "$as_user" = skip ]; then
    skip "unreadable file" "running as root (reads a chmod 000 file) and setpriv cannot drop to nobody"
else
    (cd "$U" && $as_user "$BIN" validate --answers locked.yaml 2>"$TEST_TMP/err.txt")
    status=$?
    if [ "$status" -eq 2 ] && grep -q 'locked.yaml: Permission denied' "$TEST_TMP/err.txt"; then
        ok "unreadable: exit 2, permission denied${as_user:+ (run as nobody)}"
    else
        fail "unreadable: status $status: $(cat "$TEST_TMP/err.txt")"
    fi
fi
chmod 600 "$U/locked.yaml"
chmod 700 "$TEST_TMP"

# Usage errors.
"$BIN" validate >/dev/null 2>"$TEST_TMP/err.txt"
status=$?
if [ "$status" -eq 2 ] && grep -q -- '--answers FILE is required' "$TEST_TMP/err.txt"; then
    ok "no --answers: exit 2 with usage"
else
    fail "no --answers: status $status"
fi

# The examples are valid once the secrets only their user can give are
# given (validate checks what render checks: tests/validate_render.sh); with
# a secrets file the secret rules apply too.
for yaml in "$top_srcdir"/assets/examples/*.yaml; do
    name=$(basename "$yaml")
    if HOME="$TEST_TMP" DIFY_S3_ACCESS_KEY=AKIAEXAMPLE DIFY_S3_SECRET_KEY=example-secret \
        DIFY_DB_PASSWORD=example-db-password DIFY_REDIS_PASSWORD=example-redis-pw \
        "$BIN" validate --answers "$yaml" >"$TEST_TMP/out.txt" 2>"$TEST_TMP/err.txt"; then
        ok "example $name is valid"
    else
        sed 's/^/# /' "$TEST_TMP/err.txt"
        fail "example $name"
    fi
done
# Without them, the example that needs S3 keys says so, as render would.
if ! HOME="$TEST_TMP" "$BIN" validate --answers "$top_srcdir/assets/examples/existing-cluster.yaml" \
    2>"$TEST_TMP/err.txt" &&
    grep -q 'secrets.s3_access_key: storage.auth is keys but no S3 access key' "$TEST_TMP/err.txt"; then
    ok "validate reads the secrets render would read, and names the missing S3 keys"
else
    fail "missing S3 keys: $(cat "$TEST_TMP/err.txt")"
fi

cat >"$TEST_TMP/s.yaml" <<'YAML'
db_password: "short"
s3_access_key: AKIAEXAMPLE
YAML
chmod 600 "$TEST_TMP/s.yaml"
"$BIN" validate --answers "$top_srcdir/assets/examples/existing-cluster.yaml" \
    --secrets "$TEST_TMP/s.yaml" 2>"$TEST_TMP/err.txt"
status=$?
if [ "$status" -eq 2 ] && grep -q 'secrets.db_password: the database password is 5 characters; at least 12' "$TEST_TMP/err.txt" &&
    grep -q 'secrets.s3_secret_key: storage.auth is keys but no S3 secret key' "$TEST_TMP/err.txt" &&
    ! grep -q 'short' "$TEST_TMP/err.txt"; then
    ok "secrets rules apply with --secrets, and no value is printed"
else
    sed 's/^/# /' "$TEST_TMP/err.txt"
    fail "secrets rules with --secrets (status $status)"
fi
chmod 644 "$TEST_TMP/s.yaml"
"$BIN" validate --answers "$top_srcdir/assets/examples/existing-cluster.yaml" \
    --secrets "$TEST_TMP/s.yaml" 2>"$TEST_TMP/err.txt"
status=$?
if [ "$status" -eq 2 ] && grep -q "chmod 600 $TEST_TMP/s.yaml" "$TEST_TMP/err.txt"; then
    ok "group-readable secrets file refused with the chmod that fixes it"
else
    fail "group-readable secrets (status $status): $(cat "$TEST_TMP/err.txt")"
fi

done_testing
