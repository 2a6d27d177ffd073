/* screens/frame_log.h: a debug hook for measuring when a change reaches the
 * screen (bench/watch_latency.py, docs/bench.md). With DIFY_TUI_FRAME_LOG=FILE
 * in the environment, every frame, once written to the terminal, is appended
 * to FILE as a line "frame SECONDS" (CLOCK_MONOTONIC, microseconds) and the
 * frame's rows as text, one a line, each prefixed with "| ". Unset (the
 * normal case) it costs one getenv at start. */
#ifndef SCREENS_FRAME_LOG_H
#define SCREENS_FRAME_LOG_H

#include <ncurses.h>

/* After the frame in w reached the terminal (doupdate returned). */
void frame_log(WINDOW *w);
/* The frame's rows as the log has them ("| " and the row's text without
 * its trailing blanks, a line each), appended to sb: what mvwinnstr reads,
 * without the locale's conversion per cell. */
struct strbuf;
void frame_text(WINDOW *w, struct strbuf *sb);

#endif
