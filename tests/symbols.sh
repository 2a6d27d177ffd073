#!/bin/sh
# tests/symbols.sh: the binaries export no function of their own. A function
# in a binary's dynamic symbol table takes the place of a shared library's
# function of the same name for every library the binary loads: core's
# profile_init once stood in for libkrb5's (libpq -> GSSAPI -> krb5), writing
# over krb5's memory. -fvisibility=hidden (Makefile.am) keeps them out.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
if ! need_tool nm; then
    skip "the binaries export no function of their own" "nm is not installed"
    done_testing
    exit 0
fi
for bin in dify-tui sim/dify-sim; do
    # defined text symbols in the dynamic table (data copies such as stdin
    # or COLS are the libraries' own, relocated into the binary)
    own=$(nm -D --defined-only "$top_builddir/$bin" | awk '$2 == "T" || $2 == "W" {print $3}')
    if [ -z "$own" ]; then ok "$bin exports no function"; else
        diag "$bin exports: $(echo "$own" | tr '\n' ' ')"
        fail "$bin exports no function"
    fi
done
done_testing
