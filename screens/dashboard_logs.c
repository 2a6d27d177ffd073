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

#include <cjson/cJSON.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/textsafe.h"
#include "core/util.h"
#include "screens/dashboard_impl.h"
#include "screens/screen.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/theme.h"
#include "tui/util.h"

/* Tabs to the next multiple of 8 columns, as a terminal and `kubectl
 * logs` show them (a Java stack trace's "\tat ..."), not as "^I". Columns
 * are counted by characters (UTF-8 lead bytes). */
static void expand_tabs(struct strbuf *out, const char *s, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t') {
            do
                strbuf_addc(out, ' ');
            while (++col % 8);
            continue;
        }
        strbuf_addc(out, (char)c);
        if ((c & 0xC0) != 0x80)
            col++;
    }
}

/* One line into the ring: the secrets this process knows masked over the
 * whole kept line first (a secret across the cut is never half shown),
 * then cut at DASH_LOG_LINE_MAX bytes on a character's boundary, tabs
 * expanded, controls and escapes made visible, bad UTF-8 replaced. */
static void add_line(struct dash_logs *l, const char *line, size_t len, bool was_cut)
{
    if (!was_cut && len && line[len - 1] == '\r')
        len--; /* a "\r\n" ending */
    size_t take =
        len > DASH_LOG_LINE_MAX + DASH_LOG_SLACK ? DASH_LOG_LINE_MAX + DASH_LOG_SLACK : len;
    bool cut = was_cut || take < len;
    size_t rlen = 0;
    char *red = log_redact_buf(line, take, &rlen);
    const char *s = red ? red : line;
    size_t n = red ? rlen : take;
    if (n > DASH_LOG_LINE_MAX) {
        n = DASH_LOG_LINE_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        cut = true;
    }
    struct strbuf sb, tabs;
    strbuf_init(&sb);
    strbuf_init(&tabs);
    if (memchr(s, '\t', n)) {
        expand_tabs(&tabs, s, n);
        s = tabs.buf;
        n = tabs.len;
    }
    textsafe_add(&sb, s, n, 0, 0);
    if (cut)
        strbuf_adds(&sb, " [line cut]");
    strbuf_done(&tabs);
    if (red)
        str_free_secret(red);
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

void dash_logs_add(struct dash_logs *l, const char *line, size_t len)
{
    add_line(l, line, len, false);
}

void dash_logs_feed(struct dash_logs *l, const char *data, size_t n)
{
    /* one byte past what add_line keeps: enough to know the line is longer */
    const size_t keep_max = DASH_LOG_LINE_MAX + DASH_LOG_SLACK + 1;
    if (!l->part.buf)
        strbuf_init(&l->part);
    while (n > 0) {
        const char *nl = memchr(data, '\n', n);
        size_t take = nl ? (size_t)(nl - data) : n;
        size_t room = l->part.len < keep_max ? keep_max - l->part.len : 0;
        size_t keep = take < room ? take : room;
        strbuf_add(&l->part, data, keep);
        if (keep < take)
            l->part_cut = true;
        if (!nl)
            return;
        add_line(l, l->part.buf, l->part.len, l->part_cut);
        strbuf_reset(&l->part);
        l->part_cut = false;
        data += take + 1;
        n -= take + 1;
    }
}

void dash_logs_end(struct dash_logs *l)
{
    if (l->part.len || l->part_cut)
        add_line(l, l->part.buf, l->part.len, l->part_cut);
    if (l->part.buf)
        strbuf_reset(&l->part);
    l->part_cut = false;
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

/* A request's error: the heading says there is one; the view shows it
 * whole under the heading, the server's words first ("GET PATH: " left
 * out: the pod and container are in the heading), so a narrow terminal
 * shows why, not the URL. */
static void set_error(struct dash_logs *l, const struct error *err)
{
    const char *m = err->msg;
    const char *p = strstr(m, ": ");
    if (err->code == ERR_HTTP && p && (!strncmp(m, "GET ", 4) || !strncmp(m, "POST ", 5)))
        m = p + 2;
    char *safe = textsafe(m, 0, 0);
    snprintf(l->error, sizeof(l->error), "%s", safe);
    free(safe);
    snprintf(l->state, sizeof(l->state), "error (below)");
}

/* Whether a follow's error is the connection's, not the answer's: a
 * network error, or the API server's 5xx (a 4xx is the last word: the pod
 * is gone, the container is waiting). */
static bool stream_broke(const struct error *err)
{
    return err->code == ERR_NETWORK || (err->code == ERR_HTTP && err->detail >= 500);
}

static void start(struct dash *d);

static void retry(struct loop *lp, long long id, void *arg)
{
    struct dash *d = arg;
    struct dash_logs *l = &d->logs;
    l->retry = 0;
    l->scroll = 0;
    clear_lines(l); /* the tail is read again */
    start(d);
    dash_dirty(d);
}

static int on_chunk(const char *data, size_t n, void *arg)
{
    struct dash *d = arg;
    d->logs.backoff_ms = 0; /* bytes came: the next break starts the backoff again */
    dash_logs_feed(&d->logs, data, n);
    dash_dirty(d);
    return 0;
}

static void on_done(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct dash *d = arg;
    struct dash_logs *l = &d->logs;
    l->req = NULL;
    dash_logs_end(l); /* what is left without a newline */
    if (err && l->follow && stream_broke(err) && d->loop) {
        /* the API server went away (or the kubelet behind it): follow again
         * with backoff, as the watches do; the lines stay until then */
        long long ms = l->backoff_ms ? l->backoff_ms : 1000;
        l->backoff_ms = ms * 2 > 30000 ? 30000 : ms * 2;
        l->retry = loop_add_timer(d->loop, ms, retry, d);
        set_error(l, err);
        snprintf(l->state, sizeof(l->state), "the stream broke: following again in %llds (f: now)",
                 ms / 1000);
    } else if (err) {
        set_error(l, err);
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
    if (l->retry && d->loop)
        loop_cancel_timer(d->loop, l->retry);
    l->retry = 0;
    if (l->part.buf)
        strbuf_reset(&l->part);
    l->part_cut = false;
    l->error[0] = '\0';
    if (l->pod_req || l->waiting_mask)
        return; /* the mask, then the pod's containers first: they start */
    struct kube_client *c = d->m ? status_client(d->m) : NULL;
    if (!c) {
        snprintf(l->state, sizeof(l->state), "no cluster connection");
        return;
    }
    /* the previous container has ended: nothing to follow */
    l->follow = !l->previous;
    /* previous: the instance before the running one (kubectl logs -p); an
     * ended container's last words, or the API server's "not found" */
    struct kube_log_opts o = {.container = l->container[0] ? l->container : NULL,
                              .tail_lines = 500,
                              .follow = l->follow,
                              .previous = l->previous};
    snprintf(l->state, sizeof(l->state), "%s",
             l->previous ? "reading the previous container..." : "following...");
    /* streamed into the ring either way: a previous container's log is
     * read as the follow is, so however long it is, memory is the ring's
     * (it was one reply, up to the client's 64 MiB) */
    l->req = kube_logs(c, status_namespace(d->m), l->pod, &o, on_chunk, d, on_done, d);
}

static void free_containers(struct dash_logs *l)
{
    for (size_t i = 0; i < l->ncontainers; i++)
        free(l->containers[i]);
    free(l->containers);
    l->containers = NULL;
    l->ncontainers = 0;
}

static void add_containers(struct dash_logs *l, const cJSON *list)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, list)
    {
        const char *name = kj_str(c, "name");
        if (!name || !*name)
            continue;
        l->containers = xrealloc(l->containers, (l->ncontainers + 1) * sizeof(char *));
        l->containers[l->ncontainers++] = xstrdup(name);
    }
}

static bool has_container(const struct dash_logs *l, const char *name)
{
    for (size_t i = 0; name && i < l->ncontainers; i++)
        if (!strcmp(l->containers[i], name))
            return true;
    return false;
}

/* The pod read: its containers (init containers after them, for `o`), and,
 * unless one was named, the one kubectl logs reads by default: the
 * kubectl.kubernetes.io/default-container annotation's when it names one,
 * else the first (kubectl's "Defaulted container ... out of: ..."). A pod
 * with several containers has no log without a container name (the API
 * server's 400). */
static void got_pod(long status, const char *body, size_t len, const struct error *err, void *arg)
{
    struct dash *d = arg;
    struct dash_logs *l = &d->logs;
    l->pod_req = NULL;
    free_containers(l);
    cJSON *j = err ? NULL : cJSON_ParseWithLength(body, len);
    if (!j) {
        struct error e;
        error_clear(&e);
        if (!err)
            error_set(&e, ERR_PARSE, 0, "the pod's reply is not JSON");
        set_error(l, err ? err : &e);
        dash_dirty(d);
        return;
    }
    add_containers(l, kj_get(j, "spec.containers"));
    size_t regular = l->ncontainers;
    add_containers(l, kj_get(j, "spec.initContainers"));
    if (!l->container_given && regular > 0) {
        const cJSON *ann = kj_get(j, "metadata.annotations");
        const cJSON *def =
            ann ? cJSON_GetObjectItemCaseSensitive(ann, "kubectl.kubernetes.io/default-container")
                : NULL;
        const char *pick = cJSON_IsString(def) && has_container(l, def->valuestring)
                               ? def->valuestring
                               : l->containers[0];
        snprintf(l->container, sizeof(l->container), "%s", pick);
    }
    cJSON_Delete(j);
    start(d);
    dash_dirty(d);
}

static void read_pod(struct dash *d)
{
    struct dash_logs *l = &d->logs;
    struct kube_client *c = d->m ? status_client(d->m) : NULL;
    if (c) {
        snprintf(l->state, sizeof(l->state), "reading the pod...");
        l->pod_req =
            kube_get(c, kube_resource_get(KUBE_POD), status_namespace(d->m), l->pod, got_pod, d);
    }
    start(d);
}

void dash_logs_open(struct dash *d, const char *pod, const char *container, bool previous)
{
    dash_logs_close(d);
    struct dash_logs *l = &d->logs;
    snprintf(l->pod, sizeof(l->pod), "%s", pod);
    snprintf(l->container, sizeof(l->container), "%s", container ? container : "");
    l->container_given = container && *container;
    l->previous = previous;
    l->search[0] = l->include[0] = l->exclude[0] = '\0';
    l->scroll = 0;
    /* no line before its mask: the namespace's Secrets are read first
     * (dashboard_mask.c), then the pod, then its log */
    if (!dash_mask_ready(d)) {
        l->waiting_mask = true;
        snprintf(l->state, sizeof(l->state), "reading the namespace's Secrets to mask them...");
        return;
    }
    read_pod(d);
}

void dash_logs_mask_ready(struct dash *d)
{
    struct dash_logs *l = &d->logs;
    if (!l->waiting_mask)
        return;
    l->waiting_mask = false;
    read_pod(d);
}

void dash_logs_close(struct dash *d)
{
    struct dash_logs *l = &d->logs;
    kube_req_cancel(l->req);
    l->req = NULL;
    kube_req_cancel(l->pod_req);
    l->pod_req = NULL;
    l->waiting_mask = false;
    if (l->retry && d->loop)
        loop_cancel_timer(d->loop, l->retry);
    l->retry = 0;
    l->backoff_ms = 0;
    free_containers(l);
    strbuf_done(&l->part);
    memset(&l->part, 0, sizeof(l->part));
    l->part_cut = false;
    clear_lines(l);
    l->state[0] = l->error[0] = '\0';
}

void dash_logs_target(struct dash *d, struct dash_target *t)
{
    const struct dash_logs *l = &d->logs;
    if (!l->pod[0])
        return;
    const struct status_pod *p = d->m ? status_pod_find(d->m, l->pod) : NULL;
    t->kind = KUBE_POD;
    t->comp = p ? p->comp : DIFY_COMP_NONE;
    snprintf(t->name, sizeof(t->name), "%s", l->pod);
    snprintf(t->pod, sizeof(t->pod), "%s", l->pod);
}

/* o: the pod's next container (then its init containers), from the end of
 * its log. */
static void next_container(struct dash *d)
{
    struct dash_logs *l = &d->logs;
    if (l->ncontainers < 2) {
        dash_flash(d, false, "%s",
                   l->ncontainers ? "the pod has one container" : "no containers known");
        return;
    }
    size_t i = 0;
    while (i < l->ncontainers && strcmp(l->containers[i], l->container) != 0)
        i++;
    i = i < l->ncontainers ? (i + 1) % l->ncontainers : 0;
    snprintf(l->container, sizeof(l->container), "%s", l->containers[i]);
    l->scroll = 0;
    clear_lines(l);
    start(d);
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
    char head[2400], which[64] = "";
    if (l->ncontainers > 1) {
        size_t i = 0;
        while (i < l->ncontainers && strcmp(l->containers[i], l->container) != 0)
            i++;
        snprintf(which, sizeof(which), " (%zu of %zu, o: next)", i + 1, l->ncontainers);
    }
    bool named = l->container_given || l->ncontainers > 1;
    snprintf(head, sizeof(head), "logs %s%s%s%s%s · %s · %s%s%s%s%s%s%s", l->pod,
             named ? " -c " : "", named ? l->container : "", which,
             l->previous ? " (previous)" : "", l->state, l->cut ? "cut" : "wrap",
             l->include[0] ? " · include " : "", l->include, l->exclude[0] ? " · exclude " : "",
             l->exclude, l->search[0] ? " · search " : "", l->search);
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
    if (l->error[0]) {
        y += draw_line(d, w, y, y1, l->error, 0, tui_attr(TUI_ERROR));
        if (y >= y1) {
            free(idx);
            return;
        }
    }
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
    case 'o':
        next_container(d);
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
