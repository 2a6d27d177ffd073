/* screens/progress_file.c: a file's last bytes in a log pane of their own
 * (the progress pane's "full log": every line with its timestamp). Reads at
 * most FILE_TAIL_MAX bytes from the end, once when opened and again on R;
 * a local file of bounded size, so the loop waits for a few milliseconds at
 * most. Every line passes textsafe. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/textsafe.h"
#include "core/util.h"
#include "screens/app.h"
#include "screens/progress.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/logview.h"
#include "tui/theme.h"

#define FILE_TAIL_MAX ((off_t)4 << 20)

struct pfile {
    char *title, *path;
    struct tui_logview lv;
    char *note; /* what was read, or why not */
    int note_role;
};

static int line_role(const char *line)
{
    /* the log's "STAMP LEVEL text" */
    const char *sp = strchr(line, ' ');
    if (!sp)
        return TUI_NORMAL;
    if (str_starts_with(sp + 1, "error "))
        return TUI_ERROR;
    if (str_starts_with(sp + 1, "warn "))
        return TUI_WARN;
    if (str_starts_with(sp + 1, "debug "))
        return TUI_DIM;
    return TUI_NORMAL;
}

static void pfile_load(struct pfile *f)
{
    tui_logview_clear(&f->lv);
    free(f->note);
    f->note = NULL;
    f->note_role = TUI_NORMAL;
    int fd = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        f->note = xasprintf("%s: %s", f->path, fd < 0 ? strerror(errno) : "not a regular file");
        f->note_role = TUI_ERROR;
        if (fd >= 0)
            close(fd);
        return;
    }
    off_t from = st.st_size > FILE_TAIL_MAX ? st.st_size - FILE_TAIL_MAX : 0;
    size_t len = (size_t)(st.st_size - from);
    char *buf = xmalloc(len + 1);
    size_t got = 0;
    while (got < len) {
        ssize_t k = pread(fd, buf + got, len - got, from + (off_t)got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    buf[got] = '\0';
    char *p = buf;
    if (from > 0) { /* started inside a line: it begins after the first newline */
        char *nl = memchr(p, '\n', got);
        p = nl ? nl + 1 : buf + got;
    }
    size_t lines = 0;
    while (p < buf + got) {
        char *nl = memchr(p, '\n', (size_t)(buf + got - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(buf + got - p);
        struct strbuf sb;
        strbuf_init(&sb);
        textsafe_add(&sb, p, n, 0, 0);
        tui_logview_add(&f->lv, sb.buf ? sb.buf : "", line_role(sb.buf ? sb.buf : ""));
        strbuf_done(&sb);
        lines++;
        p = nl ? nl + 1 : buf + got;
    }
    free(buf);
    f->note = xasprintf("%zu lines%s of %s", lines, from > 0 ? " (the end)" : "", f->path);
}

static int pfile_key(struct screen *s, struct app *a, int key)
{
    struct pfile *f = s->data;
    if (f->lv.prompting) {
        tui_logview_key(&f->lv, key);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    switch (key) {
    case TUI_KEY_ESC:
    case 'q':
        return SCREEN_HANDLED | SCREEN_POP;
    case 'R':
        pfile_load(f);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case TUI_KEY_UP:
    case 'k':
        tui_logview_key(&f->lv, TUI_KEY_UP);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    case TUI_KEY_DOWN:
    case 'j':
        tui_logview_key(&f->lv, TUI_KEY_DOWN);
        return SCREEN_HANDLED | SCREEN_DIRTY;
    }
    if (tui_logview_key(&f->lv, key))
        return SCREEN_HANDLED | SCREEN_DIRTY;
    return SCREEN_IGNORED;
}

static void pfile_draw(struct screen *s, WINDOW *w)
{
    struct pfile *f = s->data;
    int width = getmaxx(w), height = getmaxy(w);
    tui_fill(w, 0, 0, width, tui_attr(TUI_TITLE));
    char *title = xasprintf(" dify-tui: %s", f->title);
    tui_put(w, 0, 0, width, title, tui_attr(TUI_TITLE));
    free(title);
    tui_logview_draw(&f->lv, w, 1, 0, height - 3, width);
    char desc[160];
    tui_logview_describe(&f->lv, desc, sizeof(desc));
    char *safe_note = textsafe(f->note ? f->note : "", 0, 0);
    char *line = xasprintf("%s  (%s)", desc, safe_note);
    tui_put(w, height - 2, 0, width, line, tui_attr(f->note_role));
    free(line);
    free(safe_note);
    static const struct tui_hint hints[] = {
        {"Esc", "back", NULL},       {"\xe2\x86\x91\xe2\x86\x93", "line", "Up/Dn"},
        {"PgUp/PgDn", "page", NULL}, {"Home/End", "top, end", NULL},
        {"/", "search", NULL},       {"n/N", "next, prev", NULL},
        {"R", "read again", NULL}};
    tui_hints_draw(w, height - 1, hints, ARRAY_LEN(hints));
}

static void pfile_free(struct screen *s)
{
    struct pfile *f = s->data;
    tui_logview_done(&f->lv);
    free(f->title);
    free(f->path);
    free(f->note);
    free(f);
    free(s);
}

static const struct screen_ops pfile_ops = {
    .name = "file", .on_key = pfile_key, .draw = pfile_draw, .free = pfile_free};

struct screen *progress_file_screen_new(const char *title, const char *path)
{
    struct pfile *f = xcalloc(1, sizeof(*f));
    f->title = xstrdup(title);
    f->path = xstrdup(path);
    tui_logview_init(&f->lv, 50000, (size_t)FILE_TAIL_MAX + ((size_t)1 << 20));
    pfile_load(f);
    return screen_new(&pfile_ops, f, false);
}
