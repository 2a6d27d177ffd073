#!/bin/sh
# tests/svc.sh: real services for the tests, on 127.0.0.1 in a temporary
# directory: a PostgreSQL server (initdb/pg_ctl from the Debian packages) and
# an OpenSSH server with a test host key and a test user key.
#
#   tests/svc.sh pg-start DIR     prints KEY=VALUE lines (PG_PORT, PG_ADMIN_USER,
#                                 PG_ADMIN_PASSWORD, ...), or "SKIP=reason"
#   tests/svc.sh pg-stop DIR
#   tests/svc.sh sshd-start DIR   prints SSH_PORT, SSH_USER, SSH_KEY,
#                                 SSH_KNOWN_HOSTS, SSH_OTHER_KNOWN_HOSTS, or "SKIP=reason"
#   tests/svc.sh sshd-stop DIR
#
# The C tests run it through tests/unit/svc.c; shell tests may call it too.
# Roles made in PostgreSQL (passwords are random per run):
#   postgres  superuser (PG_ADMIN_*)
#   dify      CREATEDB, owns database "dify" (PG_USER, PG_PASSWORD)
#   plain     no CREATEDB (PG_PLAIN_USER, PG_PLAIN_PASSWORD)
set -u

die_skip() {
    echo "SKIP=$*"
    exit 0
}

pg_bin() {
    for d in ${DIFY_SIM_PG_BIN:-} /usr/lib/postgresql/*/bin; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

rand() {
    od -An -N12 -tx1 /dev/urandom | tr -d ' \n'
}

# as_db CMD...: PostgreSQL refuses to run as root; run as "postgres" then.
as_db() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_start() {
    dir=$1
    bin=$(pg_bin) || die_skip "the PostgreSQL server (initdb, pg_ctl) is not installed"
    command -v psql >/dev/null 2>&1 || die_skip "psql is not installed"
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        die_skip "running as root and there is no postgres user to run the server as"
    fi
    mkdir -p "$dir"
    adminpw=$(rand)
    printf '%s\n' "$adminpw" >"$dir/pw"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres "$dir"
        chmod 0711 "$dir"
    fi
    if ! as_db "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 --pwfile="$dir/pw" -E UTF8 --no-instructions \
        >"$dir/initdb.log" 2>&1; then
        echo "ERROR=initdb failed: $(tail -n 1 "$dir/initdb.log")"
        exit 1
    fi
    rm -f "$dir/pw"
    tries=0
    while :; do
        port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
        if as_db "$bin/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
            start >/dev/null 2>&1; then
            break
        fi
        tries=$((tries + 1))
        if [ "$tries" -ge 5 ]; then
            echo "ERROR=postgres did not start: $(tail -n 1 "$dir/pg.log")"
            exit 1
        fi
    done
    pw=$(rand)
    plainpw=$(rand)
    as_db psql -X -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 >"$dir/psql.log" 2>&1 <<EOF || {
CREATE ROLE dify LOGIN CREATEDB PASSWORD '$pw';
CREATE DATABASE dify OWNER dify;
CREATE ROLE plain LOGIN PASSWORD '$plainpw';
EOF
        echo "ERROR=creating the roles failed: $(tail -n 1 "$dir/psql.log")"
        exit 1
    }
    echo "$port" >"$dir/port"
    echo "PG_HOST=127.0.0.1"
    echo "PG_PORT=$port"
    echo "PG_SOCKET_DIR=$dir"
    echo "PG_BIN=$bin"
    echo "PG_ADMIN_USER=postgres"
    echo "PG_ADMIN_PASSWORD=$adminpw"
    echo "PG_USER=dify"
    echo "PG_PASSWORD=$pw"
    echo "PG_PLAIN_USER=plain"
    echo "PG_PLAIN_PASSWORD=$plainpw"
}

pg_stop() {
    dir=$1
    bin=$(pg_bin) || exit 0
    if [ -d "$dir/data" ]; then
        as_db "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

sshd_start() {
    dir=$1
    sshd=$(command -v sshd || ls /usr/sbin/sshd 2>/dev/null) || die_skip "sshd (openssh-server) is not installed"
    command -v ssh-keygen >/dev/null 2>&1 || die_skip "ssh-keygen is not installed"
    mkdir -p "$dir"
    chmod 0700 "$dir"
    # sshd needs its privilege separation directory when run as root
    if [ "$(id -u)" -eq 0 ] && [ ! -d /run/sshd ]; then
        mkdir -p /run/sshd && chmod 0755 /run/sshd
    fi
    ssh-keygen -q -t ed25519 -N '' -C dify-tui-test-host -f "$dir/host_key" >/dev/null || exit 1
    ssh-keygen -q -t ed25519 -N '' -C dify-tui-test-other -f "$dir/other_host_key" >/dev/null || exit 1
    ssh-keygen -q -t ed25519 -N '' -C dify-tui-test-user -f "$dir/user_key" >/dev/null || exit 1
    cp "$dir/user_key.pub" "$dir/authorized_keys"
    user=$(id -un)
    tries=0
    while :; do
        port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
        cat >"$dir/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowTcpForwarding yes
AllowAgentForwarding no
X11Forwarding no
PrintMotd no
LogLevel VERBOSE
EOF
        "$sshd" -f "$dir/sshd_config" -E "$dir/sshd.log" -o "PidFile=$dir/sshd.pid" 2>>"$dir/sshd.err"
        for _ in $(seq 1 100); do
            [ -s "$dir/sshd.pid" ] && break
            sleep 0.05
        done
        if [ -s "$dir/sshd.pid" ] && grep -q "Server listening" "$dir/sshd.log" 2>/dev/null; then
            break
        fi
        # the log line may lag the pid file a little
        sleep 0.2
        if [ -s "$dir/sshd.pid" ] && grep -q "Server listening" "$dir/sshd.log" 2>/dev/null; then
            break
        fi
        [ -s "$dir/sshd.pid" ] && kill "$(cat "$dir/sshd.pid")" 2>/dev/null
        rm -f "$dir/sshd.pid"
        tries=$((tries + 1))
        if [ "$tries" -ge 5 ]; then
            echo "ERROR=sshd did not start: $(tail -n 2 "$dir/sshd.log" "$dir/sshd.err" 2>/dev/null | tr '\n' ' ')"
            exit 1
        fi
    done
    # known_hosts as `ssh` writes it for a non-default port
    printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$dir/host_key.pub")" >"$dir/known_hosts"
    printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$dir/other_host_key.pub")" >"$dir/other_known_hosts"
    : >"$dir/empty_known_hosts"
    echo "SSH_HOST=127.0.0.1"
    echo "SSH_PORT=$port"
    echo "SSH_USER=$user"
    echo "SSH_KEY=$dir/user_key"
    echo "SSH_KNOWN_HOSTS=$dir/known_hosts"
    echo "SSH_OTHER_KNOWN_HOSTS=$dir/other_known_hosts"
    echo "SSH_EMPTY_KNOWN_HOSTS=$dir/empty_known_hosts"
    echo "SSH_FINGERPRINT=$(ssh-keygen -l -E sha256 -f "$dir/host_key.pub" | cut -d' ' -f2)"
}

sshd_stop() {
    dir=$1
    if [ -s "$dir/sshd.pid" ]; then
        kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
pg-start) pg_start "$2" ;;
pg-stop) pg_stop "$2" ;;
sshd-start) sshd_start "$2" ;;
sshd-stop) sshd_stop "$2" ;;
*)
    echo "usage: tests/svc.sh pg-start|pg-stop|sshd-start|sshd-stop DIR" >&2
    exit 2
    ;;
esac
