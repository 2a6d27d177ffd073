#!/bin/sh
# tests/man.sh: the manual pages (man/, docs/package.md) say what the
# programs and their sources say. The command sections are generated from
# --help, so this checks that the built pages are current (every command and
# every option of every command's --help is there), and it checks the prose
# written by hand against the sources: every environment variable the
# program or the simulator reads (getenv) is described, every global option
# is; the answers page lists every key and secret docs/answers.md lists. And
# each page formats without a warning (man --warnings, as lintian runs it).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
tmpdir_new
tui="$top_builddir/dify-tui"
page1="$top_builddir/man/dify-tui.1"
page5="$top_builddir/man/dify-tui-answers.5"
pagesim="$top_builddir/man/dify-sim.1"
for p in "$page1" "$page5" "$pagesim"; do
    check "$(basename "$p") was built" test -s "$p"
done
# The roff source as plain text: \- is -, font changes and \& go.
plain() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' -e 's/\\e/\\/g' "$1"; }
plain "$page1" >"$TEST_TMP/1.txt"
plain "$page5" >"$TEST_TMP/5.txt"
plain "$pagesim" >"$TEST_TMP/sim.txt"

# Every command of the command table, with every option its --help shows.
"$tui" --help | sed -n '/^commands:/,/^$/{/^  [a-z]/p}' | awk '{print $1}' >"$TEST_TMP/commands"
check "dify-tui --help lists commands" test -s "$TEST_TMP/commands"
missing=
for c in $(cat "$TEST_TMP/commands"); do
    grep -qx "\\.SS $c" "$TEST_TMP/1.txt" || missing="$missing $c"
    for o in $("$tui" "$c" --help | grep -oE -- '(^|[^a-z-])--?[a-zA-Z][a-z-]*' | grep -oE -- '--?[a-zA-Z][a-z-]*' | sort -u); do
        grep -qF -- "$o" "$TEST_TMP/1.txt" || missing="$missing $c:$o"
    done
done
if [ -z "$missing" ]; then ok "dify-tui(1) has every command and option of --help"; else
    fail "dify-tui(1) lacks:$missing (rebuild: make man/dify-tui.1)"
fi

# The global options: those the usage line shows and those main.c parses.
global=$(sed -n '/^\.SH GLOBAL OPTIONS/,/^\.SH /p' "$TEST_TMP/1.txt")
missing=
for o in $("$tui" --help | head -n 1 | grep -oE -- '--[a-z-]+') \
    $(grep -oE '"--?[a-z-]+"' "$top_srcdir/screens/main.c" | tr -d '"' | sort -u); do
    printf '%s\n' "$global" | grep -qF -- "$o" || missing="$missing $o"
done
if [ -z "$missing" ]; then ok "GLOBAL OPTIONS describes every global option"; else
    fail "GLOBAL OPTIONS lacks:$missing (man/mkman.sh)"
fi

# Every variable read with getenv("NAME") is an ENVIRONMENT entry.
# The tag lines of ENVIRONMENT's .TP entries.
envs() { sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$1" | awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }'; }
envs "$TEST_TMP/1.txt" >"$TEST_TMP/env1"
envs "$TEST_TMP/sim.txt" >"$TEST_TMP/envsim"
missing=
for v in $(cat "$top_srcdir"/core/*.c "$top_srcdir"/screens/*.c "$top_srcdir"/tui/*.c |
    grep -oE 'getenv\("[A-Za-z_0-9]+"\)' | sed 's/getenv("\(.*\)")/\1/' | sort -u); do
    grep -qw -- "$v" "$TEST_TMP/env1" || missing="$missing $v"
done
if [ -z "$missing" ]; then ok "dify-tui(1) ENVIRONMENT has every variable core/, screens/ and tui/ read"; else
    fail "dify-tui(1) ENVIRONMENT lacks:$missing (man/mkman.sh)"
fi
missing=
for v in $(cat "$top_srcdir"/sim/*.c | grep -oE 'getenv\("[A-Za-z_0-9]+"\)' |
    sed 's/getenv("\(.*\)")/\1/' | sort -u); do
    grep -qw -- "$v" "$TEST_TMP/envsim" || missing="$missing $v"
done
if [ -z "$missing" ]; then ok "dify-sim(1) ENVIRONMENT has every variable sim/ reads"; else
    fail "dify-sim(1) ENVIRONMENT lacks:$missing (man/mkman.sh)"
fi
# The secrets' variables, read through the table (getenv(secret_fields[i].env)).
missing=
for v in $(grep -oE 'DIFY_[A-Z0-9_]+' "$top_srcdir/docs/answers.md" | sort -u); do
    case $v in DIFY_TUI_* | DIFY_SIM*) continue ;; esac
    grep -qw -- "$v" "$TEST_TMP/env1" || missing="$missing $v"
done
if [ -z "$missing" ]; then ok "dify-tui(1) ENVIRONMENT has every secret's variable"; else
    fail "dify-tui(1) ENVIRONMENT lacks:$missing"
fi

# The answers page: every key and secret docs/answers.md's tables list.
missing=
for k in $(sed -n 's/^| `\([a-z_.]*\)` |.*/\1/p' "$top_srcdir/docs/answers.md" | sort -u); do
    grep -qE "^$k( |\$)" "$TEST_TMP/5.txt" || missing="$missing $k"
done
if [ -z "$missing" ]; then ok "dify-tui-answers(5) has every key and secret of docs/answers.md"; else
    fail "dify-tui-answers(5) lacks:$missing"
fi
check "dify-tui-answers(5) lists the shipped examples" \
    grep -q "eks-test.yaml" "$TEST_TMP/5.txt"

# Formatting: as lintian checks, no warning from man/groff.
if need_tool man && need_tool groff; then
    for p in "$page1" "$page5" "$pagesim"; do
        LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$p" \
            >/dev/null 2>"$TEST_TMP/warn"
        if [ -s "$TEST_TMP/warn" ]; then
            sed 's/^/# /' "$TEST_TMP/warn"
            fail "$(basename "$p") formats with warnings"
        else
            ok "$(basename "$p") formats without a warning"
        fi
    done
else
    skip "the pages format without a warning" "man-db or groff is not installed"
fi
done_testing
