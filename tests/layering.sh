#!/bin/sh
# The layering rules of docs/style.md: core/ never includes curses, tui/ never
# includes core/ (or any library but ncurses), sim/ never includes curses; and
# core/ never prints to a terminal (it logs; commands in screens/ print).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
cd "$top_srcdir" || exit 1

bad=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|tui/|screens/)' core/*.c core/*.h 2>/dev/null)
if [ -z "$bad" ]; then ok "core/ includes neither curses nor tui/ nor screens/"; else
    diag "$bad"; fail "core/ includes neither curses nor tui/ nor screens/"; fi

bad=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](core/|screens/|curl/|yaml\.h|cjson/|libpq|libssh2)' tui/*.c tui/*.h 2>/dev/null)
if [ -z "$bad" ]; then ok "tui/ includes no core/, screens/ or other library"; else
    diag "$bad"; fail "tui/ includes no core/, screens/ or other library"; fi

bad=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|tui/|screens/)' sim/*.c sim/*.h 2>/dev/null)
if [ -z "$bad" ]; then ok "sim/ includes no curses, tui/ or screens/"; else
    diag "$bad"; fail "sim/ includes no curses, tui/ or screens/"; fi

# core/ writes nothing to stdout or stderr: no printf/puts/perror, no
# fprintf/fputs/fwrite/putc to stdout or stderr, no write(2) to fd 1 or 2.
# Comments are left out first (they may name these calls).
bad=""
for f in core/*.c core/*.h; do
    hits=$(sed -e 's|/\*.*\*/||g' -e 's|//.*$||' -e '/^[[:space:]]*\*/d' -e '/^[[:space:]]*\/\*/d' "$f" |
        grep -nE '(^|[^[:alnum:]_])(printf|vprintf|puts|putchar|perror)[[:space:]]*\(|(^|[^[:alnum:]_])(fprintf|vfprintf|fputs|fputc|putc|fwrite|fflush)[[:space:]]*\([^;]*\b(stdout|stderr)\b|(^|[^[:alnum:]_])d?printf[[:space:]]*\([[:space:]]*[12][[:space:]]*,|(^|[^[:alnum:]_])write[[:space:]]*\([[:space:]]*([12]|STDOUT_FILENO|STDERR_FILENO)[[:space:]]*,')
    [ -n "$hits" ] && bad="$bad
$f: $hits"
done
if [ -z "$bad" ]; then ok "core/ prints nothing to a terminal"; else
    diag "$bad"; fail "core/ prints nothing to a terminal"; fi

# Every .c file includes config.h first.
missing=""
for f in core/*.c tui/*.c screens/*.c sim/*.c; do
    [ -f "$f" ] || continue
    first=$(grep -m1 -E '^#include' "$f")
    [ "$first" = '#include "config.h"' ] || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "every .c includes config.h first"; else
    diag "$missing"; fail "every .c includes config.h first"; fi

done_testing
