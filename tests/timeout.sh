#!/bin/sh
# tests/timeout.sh: every test runs under this (Makefile.am, LOG_COMPILER and
# SH_LOG_COMPILER), so a test that hangs (a daemon that never answers, a tmux
# pane waited on forever) fails in bounded time with a visible reason instead of
# stalling the whole suite. DIFY_TEST_TIMEOUT (seconds, default 600) sets the
# bound; 0 turns it off. `timeout` signals the test's whole process group, so
# the test script's EXIT/TERM traps still stop what it started.
limit=${DIFY_TEST_TIMEOUT:-600}
if [ "$limit" = 0 ] || ! command -v timeout >/dev/null 2>&1; then
    exec "$@"
fi
timeout --kill-after=20 "$limit" "$@"
rc=$?
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    # TAP: the driver counts this as an error, and the log says why.
    echo "Bail out! $* did not finish within $limit s (DIFY_TEST_TIMEOUT)"
fi
exit "$rc"
