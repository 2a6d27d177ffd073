#!/bin/sh
# tests/package.sh: the Debian package (debian/, docs/package.md). Builds it
# with the standard tools from a distribution copy of the tree
# (dpkg-buildpackage -us -uc -b), checks what it depends on and holds, runs
# lintian on it, unpacks it into a temporary root with dpkg -x and runs the
# unpacked program from there only: `version`, `validate` on a shipped
# example, and `demo` unattended. The environment is emptied for those runs
# (env -i), so nothing of the build tree can be found through it.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "$top_srcdir/tests/simlib.sh"

# Every library configure requires is a build dependency of the package
# (DIFY_REQUIRE_PKG names its Debian package).
missing=
for p in $(sed -n 's/^DIFY_REQUIRE_PKG(\[[A-Z0-9]*\], *\[[^]]*\], *\[\([^]]*\)\]).*/\1/p' "$top_srcdir/configure.ac"); do
    grep -q "^ *\(Build-Depends: *\)\?$p\b" "$top_srcdir/debian/control" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    ok "debian/control build-depends on every library configure requires"
else
    fail "debian/control lacks Build-Depends:$missing (configure.ac requires them)"
fi

if [ -n "${DIFY_IN_PACKAGE_BUILD:-}" ]; then
    skip "build the Debian package" "this suite runs inside a package build (debian/rules)"
    done_testing
    exit 0
fi
for t in dpkg-buildpackage dpkg-checkbuilddeps dh dpkg-deb; do
    if ! need_tool $t; then
        skip "build the Debian package" "$t is not installed (scripts/dev.sh installs debhelper and dpkg-dev)"
        done_testing
        exit 0
    fi
done
tmpdir_new
# As root, dify-sim's keeper runs PostgreSQL as the postgres user, who must
# reach its data directory under the demo's TMPDIR.
chmod 711 "$TEST_TMP"
version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")
src="$TEST_TMP/dify-tui-$version"
if ! make -s -C "$top_builddir" distdir distdir="$src" >"$TEST_TMP/dist.out" 2>&1; then
    tail -n 30 "$TEST_TMP/dist.out" | sed 's/^/# /'
    fail "make distdir"
    done_testing
    exit
fi
ok "make distdir (the package is built from the distribution's files)"
# the distribution holds sources only: a build in the source tree must not
# leak its objects or programs into it (an object there is taken as built by
# make distcheck's VPATH build and its link fails)
built=$(find "$src" -type f \( -name '*.o' -o -name '*.a' -o -perm -u+x \) \
    ! -name '*.sh' ! -name configure ! -name 'config.*' ! -name depcomp ! -name install-sh \
    ! -name missing ! -name compile ! -name test-driver ! -name tap-driver.sh ! -name ar-lib \
    ! -path '*/debian/rules' ! -name '*.py' ! -name '*.pl' 2>/dev/null | head -n 5)
if [ -z "$built" ]; then ok "the distribution holds no objects or programs"; else
    fail "the distribution holds build products: $(echo $built)"; fi
deb_version=$(cd "$src" && dpkg-parsechangelog -S Version)
if [ "$deb_version" = "$version" ]; then
    ok "debian/changelog's version is configure.ac's ($version)"
else
    fail "debian/changelog says $deb_version, configure.ac $version"
fi
if ! (cd "$src" && dpkg-checkbuilddeps) >"$TEST_TMP/deps.out" 2>&1; then
    sed 's/^/# /' "$TEST_TMP/deps.out"
    skip "build the Debian package" "build dependencies missing (scripts/dev.sh installs them)"
    done_testing
    exit 0
fi
# nocheck: the package's test suite is this suite, already running.
if (cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b) \
    >"$TEST_TMP/build.out" 2>&1; then
    ok "dpkg-buildpackage -us -uc -b"
else
    grep -v "cannot remove 'core'" "$TEST_TMP/build.out" | tail -n 40 | sed 's/^/# /'
    fail "dpkg-buildpackage -us -uc -b"
    done_testing
    exit
fi
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb="$TEST_TMP/dify-tui_${version}_$arch.deb"
check "the package is there" test -f "$deb"

# Depends: the runtime libraries only (dpkg-shlibdeps' list), no build tools.
depends=$(dpkg-deb -f "$deb" Depends)
diag "Depends: $depends"
case "$depends" in
*libcurl4* ) ok "it depends on the runtime libraries" ;;
*) fail "it depends on the runtime libraries" ;;
esac
# libarchive is loaded when a bundle is written (dlopen), so dpkg-shlibdeps
# does not see it: debian/control names it
case "$depends" in
*libarchive13* ) ok "it depends on libarchive (loaded, not linked)" ;;
*) fail "it depends on libarchive (loaded, not linked)" ;;
esac
if echo "$depends" | tr ',' '\n' | grep -Eq -- '-dev\b|debhelper|gcc|make|autoconf|cmocka'; then
    fail "it depends on build tools or headers"
else
    ok "it depends on no build tool or header package"
fi

dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$TEST_TMP/contents"
has() { grep -qx -- "$1" "$TEST_TMP/contents"; }
for f in /usr/bin/dify-tui /usr/bin/dify-sim \
    /usr/share/dify-tui/assets/examples/eks-test.yaml \
    /usr/share/dify-tui/assets/scenarios/demo.yaml \
    /usr/share/dify-tui/assets/terraform/main.tf \
    /usr/share/doc/dify-tui/copyright /usr/share/doc/dify-tui/README.md.gz \
    /usr/share/doc/dify-tui/answers.md.gz \
    /usr/share/man/man1/dify-tui.1.gz /usr/share/man/man1/dify-sim.1.gz \
    /usr/share/man/man5/dify-tui-answers.5.gz \
    /usr/share/bash-completion/completions/dify-tui \
    /usr/share/zsh/vendor-completions/_dify-tui; do
    check "the package holds $f" has "$f"
done
if need_tool lintian; then
    # --fail-on error: warnings and notes are shown, errors fail.
    if lintian --fail-on error "$TEST_TMP/dify-tui_${version}_$arch.changes" >"$TEST_TMP/lintian.out" 2>&1; then
        ok "lintian reports no errors"
    else
        fail "lintian reports errors"
    fi
    grep -v '^running with root' "$TEST_TMP/lintian.out" | sed 's/^/# lintian: /'
else
    skip "lintian reports no errors" "lintian is not installed (scripts/dev.sh installs it)"
fi

# The unpacked tree, run with an empty environment: the program must find
# its assets and the simulator beside itself.
root="$TEST_TMP/root"
mkdir -p "$root" "$TEST_TMP/home" "$TEST_TMP/tmp"
chmod 711 "$TEST_TMP/tmp"
dpkg -x "$deb" "$root"
run() {
    env -i PATH=/usr/bin:/bin HOME="$TEST_TMP/home" TMPDIR="$TEST_TMP/tmp" LANG=C.UTF-8 "$@"
}
out=$(run "$root/usr/bin/dify-tui" version 2>&1)
echo "$out" | sed 's/^/# /'
case "$out" in
*"dify-tui $version"*"assets: $root/usr/share/dify-tui/assets (installed"*)
    ok "the unpacked dify-tui finds the unpacked assets" ;;
*) fail "the unpacked dify-tui finds the unpacked assets" ;;
esac
example="$root/usr/share/dify-tui/assets/examples/eks-test.yaml"
if run "$root/usr/bin/dify-tui" validate --answers "$example" >"$TEST_TMP/validate.out" 2>&1; then
    ok "validate a shipped example from the unpacked tree"
else
    sed 's/^/# /' "$TEST_TMP/validate.out"
    fail "validate a shipped example from the unpacked tree"
fi
if run "$root/usr/bin/dify-tui" render --answers "$example" --out "$TEST_TMP/out" \
    >"$TEST_TMP/render.out" 2>&1 && [ -f "$TEST_TMP/out/terraform.tfvars.json" ]; then
    ok "render a shipped example from the unpacked tree"
else
    sed 's/^/# /' "$TEST_TMP/render.out"
    fail "render a shipped example from the unpacked tree"
fi
check "the shipped example is left as it was" \
    cmp -s "$example" "$top_srcdir/assets/examples/eks-test.yaml"
out=$(run "$root/usr/bin/dify-tui" completion --complete 1 dify-tui ver)
case "$out" in
":words"*version*) ok "the unpacked dify-tui completes its commands" ;;
*) fail "the unpacked dify-tui completes its commands: $out" ;;
esac
out=$(run "$root/usr/bin/dify-sim" --help 2>&1 | head -n 1)
case "$out" in
"usage: dify-sim"*) ok "the unpacked dify-sim runs" ;;
*) fail "the unpacked dify-sim runs: $out" ;;
esac

if ! run "$root/usr/bin/dify-tui" --help | grep -q '^  demo '; then
    skip "dify-tui demo from the unpacked tree" "this build has no demo command"
elif ! need_stores; then
    skip "dify-tui demo from the unpacked tree" "$STORES_WHY"
else
    run "$root/usr/bin/dify-tui" demo --speed 20 </dev/null >"$TEST_TMP/demo.out" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        ok "dify-tui demo runs unattended from the unpacked tree"
    else
        tail -n 40 "$TEST_TMP/demo.out" | sed 's/^/# /'
        fail "dify-tui demo from the unpacked tree exits $rc"
    fi
    check "the demo's install ran to the end" grep -q '^install: done' "$TEST_TMP/demo.out"
fi
done_testing
