#!/bin/sh
# make install puts the binary and assets/ under the prefix, and the installed
# binary finds its assets there (not in the source tree).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
tmpdir_new
# The source tree is configured in place, so build a distribution copy of it
# (which also proves the distribution lists every file) with its own prefix.
build="$TEST_TMP/dify-tui-src"
prefix="$TEST_TMP/prefix"
if ! make -s -C "$top_builddir" distdir distdir="$build" >"$TEST_TMP/dist.out" 2>&1; then
    sed 's/^/# /' "$TEST_TMP/dist.out" | tail -n 30
    fail "make distdir"
    done_testing
    exit
fi
ok "make distdir"
if (cd "$build" && ./configure -q --prefix="$prefix" >make.out 2>&1 &&
    make -s -j2 install >>make.out 2>&1); then
    ok "build from the distribution and make install"
else
    grep -v "cannot remove 'core'" "$build/make.out" 2>/dev/null | tail -n 30 | sed 's/^/# /'
    fail "build from the distribution and make install"
    done_testing
    exit
fi
check "binary installed" test -x "$prefix/bin/dify-tui"
check "assets installed" test -d "$prefix/share/dify-tui/assets"
out=$("$prefix/bin/dify-tui" version)
diag "$out"
case "$out" in
*"assets: $prefix/share/dify-tui/assets"*) ok "installed binary finds the installed assets" ;;
*) fail "installed binary finds the installed assets" ;;
esac
out=$("$top_builddir/dify-tui" version)
# The program prints the canonical path; top_srcdir may hold "..", as in
# make distcheck's build directory (_build/sub/../..).
srcdir_real=$(cd "$top_srcdir" && pwd -P)
case "$out" in
*"assets: $srcdir_real/assets"*) ok "uninstalled binary finds the source tree's assets" ;;
*) fail "uninstalled binary finds the source tree's assets" ;;
esac
out=$(DIFY_TUI_ASSETS=/elsewhere/assets "$prefix/bin/dify-tui" version)
case "$out" in
*"assets: /elsewhere/assets"*) ok "DIFY_TUI_ASSETS overrides" ;;
*) fail "DIFY_TUI_ASSETS overrides" ;;
esac
done_testing
