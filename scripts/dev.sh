#!/bin/sh
# scripts/dev.sh: one entry point for a fresh Debian/Ubuntu machine.
#   scripts/dev.sh demo   install what is missing, build, start the demo
#   scripts/dev.sh test   install what is missing, build, run every test
#   scripts/dev.sh setup  install what is missing and build
# Installs with apt-get (through sudo when not root) and npm where a tool is
# only published there (helm 3, for the tests). Nothing is assumed to be on the
# machine beforehand.
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)

APT_PACKAGES="build-essential autoconf automake libtool pkg-config git
libncurses-dev libcurl4-openssl-dev libyaml-dev libcjson-dev libpq-dev libssh2-1-dev
libmicrohttpd-dev libssl-dev libcmocka-dev libhiredis-dev
tmux openssl postgresql redis-server openssh-server openssh-client unzip"

say() { printf '==> %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
    missing=""
    for p in $APT_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        say "installing:$missing"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        # shellcheck disable=SC2086
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
    fi
}

build() {
    if [ ! -x configure ] || [ configure.ac -nt configure ] || [ ! -f build-aux/tap-driver.sh ]; then
        say "generating the build system"
        ./autogen.sh >/dev/null 2>autogen.err || { cat autogen.err >&2; exit 1; }
    fi
    if [ ! -f Makefile ] || [ configure -nt config.status ]; then
        say "configuring"
        # configure's clean-up tries to remove core dumps named "core"; our
        # core/ directory makes that noisy, so that one line is filtered.
        if ! ./configure -q 2>configure.err; then
            cat configure.err >&2
            exit 1
        fi
        grep -v "cannot remove 'core'" configure.err >&2 || true
    fi
    say "building"
    make -j"$(nproc)" -s
}

cmd=${1:-}
case "$cmd" in
setup)
    install_packages
    build
    ;;
demo)
    install_packages
    build
    exec "$TOP/dify-tui" demo
    ;;
test)
    install_packages
    build
    exec "$TOP/scripts/test.sh"
    ;;
*)
    echo "usage: scripts/dev.sh demo|test|setup" >&2
    exit 2
    ;;
esac
