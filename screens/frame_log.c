/* screens/frame_log.c: DIFY_TUI_FRAME_LOG (frame_log.h). The time is taken
 * after doupdate() returned, that is after ncurses wrote the frame to the
 * terminal's file descriptor: what a terminal emulator reads next. The text
 * is read back from the window that was flushed (equal to what the terminal
 * now shows). */
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
    int rows, cols, cy, cx;
    getmaxyx(w, rows, cols);
    getyx(w, cy, cx);
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "frame %lld.%06ld\n", (long long)ts.tv_sec, ts.tv_nsec / 1000);
    char *row = xmalloc((size_t)cols * 4 + 1);
    for (int y = 0; y < rows; y++) {
        int n = mvwinnstr(w, y, 0, row, cols);
        if (n < 0)
            n = 0;
        while (n > 0 && row[n - 1] == ' ')
            n--;
        strbuf_adds(&sb, "| ");
        strbuf_add(&sb, row, (size_t)n);
        strbuf_adds(&sb, "\n");
    }
    free(row);
    wmove(w, cy, cx);
    /* one write a frame: a reader never sees half of one */
    if (write(fl_fd, sb.buf, sb.len) < 0) {
        close(fl_fd);
        fl_fd = -1;
    }
    strbuf_done(&sb);
}
