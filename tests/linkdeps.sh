#!/bin/sh
# tests/linkdeps.sh: dify-tui links no library it needs only now and then.
# libarchive (the support bundle's tar.gz) brings libxml2, ICU and libstdc++:
# 2.5 MB of pages resident in every run, `status` and the dashboard too
# (docs/bench.md), so core/bundle_write.c loads it when a bundle is written
# (tests/bundle.sh writes one through that path).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
if ! need_tool readelf; then
    skip "dify-tui does not link libarchive" "readelf is not installed"
    done_testing
    exit 0
fi
needed=$(readelf -d "$top_builddir/dify-tui" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
if [ -z "$needed" ]; then
    fail "readelf lists dify-tui's libraries"
elif echo "$needed" | grep -q '^libarchive'; then
    diag "NEEDED: $(echo "$needed" | tr '\n' ' ')"
    fail "dify-tui does not link libarchive (loaded when a bundle is written)"
else
    ok "dify-tui does not link libarchive (loaded when a bundle is written)"
fi
if need_tool ldd; then
    loaded=$(ldd "$top_builddir/dify-tui" 2>/dev/null | awk '{print $1}' | grep -E '^lib(archive|xml2|icuuc)\.')
    if [ -z "$loaded" ]; then ok "nor libxml2 or ICU through another library"; else
        diag "loaded at start: $(echo "$loaded" | tr '\n' ' ')"
        fail "nor libxml2 or ICU through another library"
    fi
else
    skip "nor libxml2 or ICU through another library" "ldd is not installed"
fi
done_testing
