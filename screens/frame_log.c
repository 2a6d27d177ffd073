/* screens/frame_log.c: DIFY_TUI_FRAME_LOG (frame_log.h). The time is taken
 * after doupdate() returned, that is after ncurses wrote the frame to the
 * terminal's file descriptor: what a terminal emulator reads next. The text
 * is read back from the window that was flushed (equal to what the terminal
 * now shows).
 *
 * The hook is part of what a benchmark measures, so it is cheap: the cells
 * are copied out whole (win_wchnstr, one cchar_t a character, the second
 * cell of a double-width one left out) and their characters encoded to
 * UTF-8 here. winnstr, which says the same, converted every cell through
 * the locale's wcstombs: about half of the dashboard's CPU at 10 frames a
 * second (docs/bench.md). */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "screens/frame_log.h"

static int fl_fd = -2; /* -2: not looked at yet; -1: off */

static size_t utf8_put(char *o, unsigned long c)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    if (c > 0x10FFFF)
        c = 0xFFFD;
    o[0] = (char)(0xF0 | (c >> 18));
    o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

void frame_text(WINDOW *w, struct strbuf *sb)
{
    int rows, cols, cy, cx;
    getmaxyx(w, rows, cols);
    getyx(w, cy, cx);
    cchar_t *cells = xcalloc((size_t)cols + 1, sizeof(*cells));
    char *row = xmalloc((size_t)cols * CCHARW_MAX * 4 + 1);
    for (int y = 0; y < rows; y++) {
        size_t n = 0, end = 0;
        if (mvwin_wchnstr(w, y, 0, cells, cols) != ERR)
            for (int i = 0; i < cols && cells[i].chars[0]; i++) {
                for (int k = 0; k < CCHARW_MAX && cells[i].chars[k]; k++)
                    n += utf8_put(row + n, (unsigned long)cells[i].chars[k]);
                if (cells[i].chars[0] != L' ')
                    end = n; /* trailing blanks are left out */
            }
        strbuf_adds(sb, "| ");
        strbuf_add(sb, row, end);
        strbuf_adds(sb, "\n");
    }
    free(row);
    free(cells);
    wmove(w, cy, cx);
}

void frame_log(WINDOW *w)
{
    if (fl_fd == -2) {
        const char *path = getenv("DIFY_TUI_FRAME_LOG");
        fl_fd = path && *path ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : -1;
    }
    if (fl_fd < 0 || !w)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "frame %lld.%06ld\n", (long long)ts.tv_sec, ts.tv_nsec / 1000);
    frame_text(w, &sb);
    /* one write a frame: a reader never sees half of one */
    if (write(fl_fd, sb.buf, sb.len) < 0) {
        close(fl_fd);
        fl_fd = -1;
    }
    strbuf_done(&sb);
}
