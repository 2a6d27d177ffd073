/* screens/dashboard_logs.c: a pod's container log, tail and follow, in a
 * ring of at most DASH_LOG_LINES lines of at most DASH_LOG_LINE_MAX bytes
 * each, so memory stays flat however long a follow runs (k9s #1188: an hour
 * of logs grew to 30 GB). Lines are made safe (core/textsafe) once, when
 * they arrive. `p` switches to the previous container (a crash loop's last
 * words), `f` follows again after the stream ended, `/` searches (n: next),
 * `i`/`x` keep only lines with / without a text, `w` switches between
 * wrapping long lines (the default, as less does) and cutting them at the
 * screen's edge (as k9s's wrap toggle, less -S). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/dashboard_impl.h"
#include "screens/screen.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/theme.h"
#include "tui/util.h"

void dash_logs_add(struct dash_logs *l, const char *line, size_t len)
{
    struct strbuf sb;
    strbuf_init(&sb);
    size_t keep = len > DASH_LOG_LINE_MAX ? DASH_LOG_LINE_MAX : len;
    /* tabs become spaces; controls and escapes visible; bad UTF-8 replaced */
    textsafe_add(&sb, line, keep, 0, 0);
    if (keep < len)
        strbuf_adds(&sb, " [line cut]");
    size_t slot;
    if (l->n < DASH_LOG_LINES) {
        slot = (l->first + l->n++) % DASH_LOG_LINES;
    } else {
        slot = l->first;
        free(l->lines[slot]);
        l->first = (l->first + 1) % DASH_LOG_LINES;
        l->dropped++;
    }
    l->lines[slot] = strbuf_detach(&sb, NULL);
}

static const char *line_at(const struct dash_logs *l, size_t i)
{
    return l->lines[(l->first + i) % DASH_LOG_LINES];
}

static void clear_lines(struct dash_logs *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->lines[(l->first + i) % DASH_LOG_LINES]);
    l->first = l->n = 0;
    l->dropped = 0;
}

static int on_line(const char *line, size_t len, void *arg)
{
    struct dash_logs *l = arg;
    dash_logs_add(l, line, len);
    return 0;
}

static int on_chunk(const char *data, size_t n, void *arg)
{
    struct dash *d = arg;
    /* a line longer than the splitter's bound is cut, not fatal */
    if (kube_lines_feed(&d->logs.splitter, data, n, on_line, &d->logs) < 0) {
        on_line(d->logs.splitter.buf.buf, d->logs.splitter.buf.len, &d->logs);
        strbuf_reset(&d->logs.splitter.buf);
    }
    dash_dirty(d);
    return 0;
}

static void on_done(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct dash *d = arg;
    struct dash_logs *l = &d->logs;
    l->req = NULL;
    if (!l->follow && !err && len)
        on_chunk(body, len, d);
    /* what is left without a newline */
    if (l->splitter.buf.len) {
        on_line(l->splitter.buf.buf, l->splitter.buf.len, l);
        strbuf_reset(&l->splitter.buf);
    }
    if (err) {
        char *safe = textsafe(err->msg, 0, 400);
        snprintf(l->state, sizeof(l->state), "%s", safe);
        free(safe);
    } else if (l->follow) {
        snprintf(l->state, sizeof(l->state),
                 "the stream ended (the container stopped?): f follows again");
    } else {
        snprintf(l->state, sizeof(l->state), "%s", l->previous ? "previous container" : "tail");
    }
    dash_dirty(d);
}

static void start(struct dash *d)
{
    struct dash_logs *l = &d->logs;
    kube_req_cancel(l->req);
    l->req = NULL;
    kube_lines_done(&l->splitter);
    kube_lines_init(&l->splitter, DASH_LOG_LINE_MAX);
    struct kube_client *c = d->m ? status_client(d->m) : NULL;
    if (!c) {
        snprintf(l->state, sizeof(l->state), "no cluster connection");
        return;
    }
    /* the previous container has ended: nothing to follow */
    l->follow = !l->previous;
    struct kube_log_opts o = {
        .container = l->container[0] ? l->container : NULL, .tail_lines = 500, .follow = l->follow};
    snprintf(l->state, sizeof(l->state), "%s",
             l->previous ? "reading the previous container..." : "following...");
    l->req = kube_logs(c, status_namespace(d->m), l->pod, &o, l->follow ? on_chunk : NULL,
                       l->follow ? d : NULL, on_done, d);
}

void dash_logs_open(struct dash *d, const char *pod, const char *container, bool previous)
{
    dash_logs_close(d);
    struct dash_logs *l = &d->logs;
    snprintf(l->pod, sizeof(l->pod), "%s", pod);
    snprintf(l->container, sizeof(l->container), "%s", container ? container : "");
    l->previous = previous;
    l->search[0] = l->include[0] = l->exclude[0] = '\0';
    l->scroll = 0;
    start(d);
}

void dash_logs_close(struct dash *d)
{
    struct dash_logs *l = &d->logs;
    kube_req_cancel(l->req);
    l->req = NULL;
    kube_lines_done(&l->splitter);
    memset(&l->splitter, 0, sizeof(l->splitter));
    clear_lines(l);
    l->state[0] = '\0';
}

static bool has_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++)
        if (strncasecmp(p, needle, n) == 0)
            return true;
    return false;
}

static bool shown(const struct dash_logs *l, const char *s)
{
    if (l->include[0] && !has_ci(s, l->include))
        return false;
    if (l->exclude[0] && has_ci(s, l->exclude))
        return false;
    return true;
}

/* Where the rows of a line wrapped at cols columns start: fills at most
 * max offsets into ws, returns how many rows the line takes (at least 1). A
 * character wider than the row gets a row of its own. */
static int wrap_starts(const wchar_t *ws, size_t n, int cols, size_t *starts, int max)
{
    int rows = 0, used = 0;
    if (max > 0)
        starts[0] = 0;
    rows = 1;
    for (size_t i = 0; i < n; i++) {
        int cw = tui_wchar_cols(ws[i] < 0x20 || ws[i] == 0x7f ? L'?' : ws[i]);
        if (cw <= 0)
            continue;
        if (used + cw > cols && used > 0) {
            if (rows < max)
                starts[rows] = i;
            rows++;
            used = 0;
        }
        used += cw;
    }
    return rows;
}

/* One log line at rows [y, y1): wrapped, its first skip rows left out, or
 * cut at the screen's edge. Returns the rows drawn. */
static int draw_line(struct dash *d, WINDOW *w, int y, int y1, const char *s, int skip, attr_t a)
{
    if (!!d->logs.cut) {
        /* already safe: drawn as it is */
        tui_put(w, y, 0, d->cols, s, a);
        return 1;
    }
    size_t n;
    wchar_t *ws = tui_wcs_from_mbs(s, &n);
    int max = y1 - y + skip;
    size_t *starts = xmalloc((size_t)(max > 0 ? max : 1) * sizeof(*starts));
    int rows = wrap_starts(ws, n, d->cols, starts, max);
    int drawn = 0;
    for (int r = skip; r < rows && r < max && y + drawn < y1; r++) {
        size_t from = starts[r], to = r + 1 < rows && r + 1 < max ? starts[r + 1] : n;
        tui_putw(w, y + drawn++, 0, d->cols, ws + from, to - from, a);
    }
    free(starts);
    free(ws);
    return drawn;
}

/* Rows a line takes on screen. */
static int line_rows(const struct dash *d, const char *s)
{
    if (!!d->logs.cut)
        return 1;
    size_t n;
    wchar_t *ws = tui_wcs_from_mbs(s, &n);
    int rows = wrap_starts(ws, n, d->cols, NULL, 0);
    free(ws);
    return rows;
}

void dash_logs_draw(struct dash *d, WINDOW *w, int y0, int y1)
{
    struct dash_logs *l = &d->logs;
    char head[2400];
    snprintf(head, sizeof(head), "logs %s%s%s%s · %s · %s%s%s%s%s%s%s", l->pod,
             l->container[0] ? " -c " : "", l->container, l->previous ? " (previous)" : "",
             l->state, l->cut ? "cut" : "wrap", l->include[0] ? " · include " : "", l->include,
             l->exclude[0] ? " · exclude " : "", l->exclude, l->search[0] ? " · search " : "",
             l->search);
    dash_put(w, y0, 0, d->cols, head, tui_attr(TUI_HEADING));
    int h = y1 - y0 - 1;
    if (h <= 0 || d->cols <= 0)
        return;
    /* the filtered lines, from the end, skipping scroll of them, until
     * their rows fill the view (the topmost may show only its end) */
    size_t *idx = xmalloc((size_t)h * sizeof(size_t));
    int got = 0, rows = 0;
    long skip = l->scroll;
    for (size_t i = l->n; i-- > 0 && rows < h;) {
        if (!shown(l, line_at(l, i)))
            continue;
        if (skip-- > 0)
            continue;
        idx[got++] = i;
        rows += line_rows(d, line_at(l, i));
    }
    int y = y0 + 1;
    if (l->dropped && rows < h) {
        char note[96];
        snprintf(note, sizeof(note), "(%llu older lines dropped: the view keeps the last %d)",
                 l->dropped, DASH_LOG_LINES);
        tui_put(w, y++, 0, d->cols, note, tui_attr(TUI_DIM));
    }
    int over = rows > h ? rows - h : 0; /* rows of the topmost line left out */
    for (int k = got; k-- > 0 && y < y1;) {
        const char *s = line_at(l, idx[k]);
        attr_t a =
            l->search[0] && has_ci(s, l->search) ? tui_attr(TUI_SELECTED) : tui_attr(TUI_NORMAL);
        y += draw_line(d, w, y, y1, s, k == got - 1 ? over : 0, a);
    }
    if (!l->n)
        tui_put(w, y, 0, d->cols, "(no lines yet)", tui_attr(TUI_DIM));
    free(idx);
}

/* n: the next match above the current bottom line. */
static void next_match(struct dash_logs *l)
{
    if (!l->search[0])
        return;
    long seen = 0;
    for (size_t i = l->n; i-- > 0;) {
        const char *s = line_at(l, i);
        if (!shown(l, s))
            continue;
        if (seen > l->scroll && has_ci(s, l->search)) {
            l->scroll = seen;
            return;
        }
        seen++;
    }
}

int dash_logs_key(struct dash *d, int key, int page)
{
    struct dash_logs *l = &d->logs;
    switch (key) {
    case 'f':
        l->previous = false;
        l->scroll = 0;
        clear_lines(l);
        start(d);
        break;
    case 'p':
        l->previous = !l->previous;
        l->scroll = 0;
        clear_lines(l);
        start(d);
        break;
    case '/':
        d->prompt = DP_LOG_SEARCH;
        snprintf(d->input, sizeof(d->input), "%s", l->search);
        break;
    case 'i':
        d->prompt = DP_LOG_INCLUDE;
        snprintf(d->input, sizeof(d->input), "%s", l->include);
        break;
    case 'x':
        d->prompt = DP_LOG_EXCLUDE;
        snprintf(d->input, sizeof(d->input), "%s", l->exclude);
        break;
    case 'c':
        l->search[0] = l->include[0] = l->exclude[0] = '\0';
        l->scroll = 0;
        break;
    case 'n':
        next_match(l);
        break;
    case 'w':
        l->cut = !l->cut;
        dash_flash(d, false, "long lines %s",
                   l->cut ? "cut at the edge (w wraps them)" : "wrapped (w cuts them)");
        break;
    case TUI_KEY_UP:
    case 'k':
        l->scroll++;
        break;
    case TUI_KEY_DOWN:
    case 'j':
        l->scroll = l->scroll > 0 ? l->scroll - 1 : 0;
        break;
    case TUI_KEY_PGUP:
        l->scroll += page;
        break;
    case TUI_KEY_PGDN:
        l->scroll = l->scroll > page ? l->scroll - page : 0;
        break;
    case TUI_KEY_END:
    case 'G':
        l->scroll = 0;
        break;
    case TUI_KEY_HOME:
    case 'g':
        l->scroll = (long)l->n;
        break;
    default:
        return SCREEN_IGNORED;
    }
    if (l->scroll > (long)l->n)
        l->scroll = (long)l->n;
    return SCREEN_HANDLED | SCREEN_DIRTY;
}
