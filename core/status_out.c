/* core/status_out.c: the model as `dify-tui status` prints it: a
 * kubectl-like table with the health lines under it, and the keyed lines
 * `status --watch` diffs (the JSON document is core/status_json.c). The
 * table and the lines are made safe here (core/textsafe). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kube_json.h"
#include "core/status_impl.h"
#include "core/textsafe.h"
#include "core/util.h"

/* a cell is cut here: a Kubernetes name is at most 253 */
#define OUT_CELL_COLS 256

/* ---- text ---- */

/* A cell as snprintf into 320 bytes would give it, without snprintf
 * (100,000 rows are 1.8 million cells in the table's two passes). */
struct cell {
    char *s;
    size_t n;
};

static void cell_add(struct cell *c, const char *v)
{
    while (*v && c->n < 319)
        c->s[c->n++] = *v++;
    c->s[c->n] = '\0';
}

static void cell_num(struct cell *c, long long v)
{
    char d[24];
    size_t k = sizeof(d);
    unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
    d[--k] = '\0';
    do
        d[--k] = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        d[--k] = '-';
    cell_add(c, d + k);
}

static void row_cells(const struct status_comp *c, long long now, char cells[9][320])
{
    struct cell x[9];
    for (int i = 0; i < 9; i++)
        x[i] = (struct cell){cells[i], 0};
    cell_add(&x[0], dify_comp_desc(c->comp)->title);
    if (c->kind == KUBE_KIND_COUNT) {
        cell_add(&x[1], "-");
    } else {
        cell_add(&x[1], kube_resource_get(c->kind)->singular);
        cell_add(&x[1], "/");
        cell_add(&x[1], c->name);
    }
    cell_num(&x[2], c->ready);
    cell_add(&x[2], "/");
    cell_num(&x[2], c->desired);
    cell_num(&x[3], c->updated);
    cell_num(&x[4], c->available);
    cell_num(&x[5], c->restarts);
    if (c->created > 0)
        kube_human_duration(now - c->created, cells[6], 320);
    else
        cell_add(&x[6], "-");
    cell_add(&x[7], c->tag[0] ? c->tag : "-");
    cell_add(&x[8], status_rollout_word(c->rollout));
    if (c->problem[0]) {
        cell_add(&x[8], ": ");
        cell_add(&x[8], c->problem);
    }
}

static void line_safe(struct strbuf *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void line_safe(struct strbuf *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    textsafe_add(out, s, strlen(s), 0, 0);
    strbuf_addc(out, '\n');
    free(s);
}

static void probe_line(struct strbuf *out, const char *what, const struct status_probe *p,
                       bool say_absent)
{
    if (p->absent && say_absent)
        line_safe(out, "%s: %s", what, p->absent);
    if (p->absent || !p->checked)
        return;
    if (p->ok)
        line_safe(out, "%s: %s (%lld ms)", what, p->msg, p->latency_ms);
    else
        line_safe(out, "%s: FAILING: %s", what, p->msg);
}

/* The table is kubectl's (core/kube_print's kube_table: Go's tabwriter,
 * minimum width 6, padding 3, widths in runes), written in two passes over
 * the rows: the widths, then the text. No cell is kept: 100,000 rows cost
 * their text, not a table of 900,000 strings beside it. */
enum { TABLE_COLS = 9, TABLE_MIN_WIDTH = 6, TABLE_PADDING = 3 };

static size_t rune_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            w++;
    return w;
}

/* A cell made safe: printable ASCII within the width is what textsafe
 * would give back unchanged, without its per-character width lookup (a
 * tenth of `status`'s time at 100,000 rows). */
static void safe_cell(struct strbuf *sb, const char *s)
{
    size_t n = 0;
    while (s[n] >= 0x20 && s[n] < 0x7f)
        n++;
    if (!s[n] && n <= OUT_CELL_COLS)
        strbuf_add(sb, s, n);
    else
        textsafe_add(sb, s, strlen(s), 0, OUT_CELL_COLS);
}

/* The safe cells of row i (the header for i == 0, then the components,
 * then the others) into sb, their ends in end[]; false past the last. */
static bool table_row_at(const struct status *m, size_t i, long long now, struct strbuf *sb,
                         size_t end[TABLE_COLS])
{
    static const char *const head[TABLE_COLS] = {"COMPONENT",  "NAME",      "READY",
                                                 "UP-TO-DATE", "AVAILABLE", "RESTARTS",
                                                 "AGE",        "TAG",       "ROLLOUT"};
    strbuf_reset(sb);
    if (i == 0) {
        for (int c = 0; c < TABLE_COLS; c++) {
            strbuf_adds(sb, head[c]);
            end[c] = sb->len;
        }
        return true;
    }
    i--;
    const struct status_comp *row = i < m->ncomps                ? &m->comps[i]
                                    : i - m->ncomps < m->nothers ? &m->others[i - m->ncomps]
                                                                 : NULL;
    if (!row)
        return false;
    char cells[TABLE_COLS][320];
    row_cells(row, now, cells);
    for (int c = 0; c < TABLE_COLS; c++) {
        safe_cell(sb, cells[c]);
        end[c] = sb->len;
    }
    return true;
}

void status_text_drain(const struct status *m, struct strbuf *out,
                       void (*drain)(struct strbuf *out, void *arg), void *arg)
{
    long long now = status_now(m);
    const struct status_conn *c = status_conn(m);
    if (!c->reachable)
        line_safe(out, "the API server does not answer: %s", c->down_msg);
    for (size_t i = 0; i < c->nrefused; i++)
        line_safe(out, "%s", c->refused[i].msg);
    for (size_t i = 0; i < c->nmalformed && i < 8; i++)
        line_safe(out, "%s", c->malformed[i]);
    status_ensure(m);
    size_t w[TABLE_COLS] = {0}, end[TABLE_COLS];
    struct strbuf cell;
    strbuf_init(&cell);
    size_t rows = 0;
    for (; table_row_at(m, rows, now, &cell, end); rows++)
        for (int k = 0; k < TABLE_COLS; k++) {
            size_t from = k ? end[k - 1] : 0;
            size_t l = rune_width(cell.buf + from, end[k] - from) + TABLE_PADDING;
            if (l > w[k])
                w[k] = l;
        }
    for (size_t i = 0; rows > 1 && i < rows; i++) {
        table_row_at(m, i, now, &cell, end);
        for (int k = 0; k < TABLE_COLS; k++) {
            size_t from = k ? end[k - 1] : 0;
            strbuf_add(out, cell.buf + from, end[k] - from);
            size_t width = w[k] < TABLE_MIN_WIDTH ? TABLE_MIN_WIDTH : w[k];
            for (size_t x = rune_width(cell.buf + from, end[k] - from);
                 k + 1 < TABLE_COLS && x < width; x++)
                strbuf_addc(out, ' ');
        }
        strbuf_addc(out, '\n');
        if (drain && out->len >= 65536)
            drain(out, arg);
    }
    strbuf_done(&cell);
    if (rows <= 1)
        line_safe(
            out,
            c->synced && c->nrefused ? "Not listed: the workloads of namespace %s (refused, above)."
            : c->synced              ? "No workloads found in %s namespace."
                        : "Not yet listed: the workloads of namespace %s (no complete answer).",
            m->ns);
    const struct status_health *h = status_health(m);
    /* the key and the storage need the daemon: its absence is said once */
    probe_line(out, "api /health", &h->api, rows > 1);
    probe_line(out, "plugin daemon /health/check", &h->daemon, rows > 1);
    probe_line(out, "api -> plugin daemon key", &h->key, false);
    probe_line(out, "plugin storage", &h->storage, false);
    if (h->pair_checked && h->pair != DIFY_PAIR_KNOWN)
        line_safe(out, "versions: %s", h->pair_msg);
    const struct status_job *mig = status_migration(m);
    if (mig)
        line_safe(out, "migration: %s", mig->msg);
    if (drain)
        drain(out, arg);
}

void status_text(const struct status *m, struct strbuf *out)
{
    status_text_drain(m, out, NULL, NULL);
}

/* ---- keyed lines for --watch ---- */

static const char *pair_word(const struct status_health *h)
{
    if (!h->pair_checked)
        return "unchecked";
    return h->pair == DIFY_PAIR_KNOWN  ? "known"
           : h->pair == DIFY_PAIR_SKEW ? "skew"
                                       : "unknown-api";
}

struct lines_out {
    bool (*known)(unsigned long long gen, void *arg);
    void (*line)(const char *text, unsigned long long gen, void *arg);
    void *arg;
    struct strbuf safe;
};

/* A line made safe, handed out (s is freed). */
static void emit(struct lines_out *o, char *s, unsigned long long gen)
{
    strbuf_reset(&o->safe);
    textsafe_add(&o->safe, s, strlen(s), 0, 0);
    free(s);
    o->line(o->safe.buf, gen, o->arg);
}

static char *comp_line(const struct status_comp *c)
{
    const char *kind = c->kind == KUBE_KIND_COUNT ? "-" : kube_resource_get(c->kind)->singular;
    return xasprintf("%s %s/%s: %d/%d ready, %d up-to-date, %d available, %u restarts, tag %s, "
                     "%s%s%s: %s",
                     dify_comp_desc(c->comp)->key, kind, c->name, c->ready, c->desired, c->updated,
                     c->available, c->restarts, c->tag[0] ? c->tag : "-",
                     status_rollout_word(c->rollout), c->problem[0] ? ", " : "", c->problem,
                     c->reason);
}

static void row_line(struct lines_out *o, const struct status_comp *c)
{
    if (o->known && o->known(c->gen, o->arg))
        o->line(NULL, c->gen, o->arg);
    else
        emit(o, comp_line(c), c->gen);
}

/* The lines before the rows: the connection, the kinds refused. */
static void head_lines(const struct status *m, struct lines_out *o)
{
    const struct status_conn *c = status_conn(m);
    if (!c->reachable)
        emit(o, xasprintf("connection: unreachable: %s", c->down_msg), 0);
    else
        emit(o, xstrdup("connection: ok"), 0);
    for (size_t i = 0; i < c->nrefused; i++)
        emit(o,
             xasprintf("refused %s: %s", kube_resource_get(c->refused[i].kind)->plural,
                       c->refused[i].msg),
             0);
}

/* The lines after the rows: health, versions, jobs. */
static void tail_lines(const struct status *m, struct lines_out *o)
{
    const struct status_health *h = status_health(m);
    const struct {
        const char *key;
        const struct status_probe *p;
    } probes[] = {{"health api", &h->api},
                  {"health plugin-daemon", &h->daemon},
                  {"health daemon-key", &h->key},
                  {"health plugin-storage", &h->storage}};
    for (size_t i = 0; i < ARRAY_LEN(probes); i++)
        if (probes[i].p->absent && i < 2)
            emit(o, xasprintf("%s: absent: %s", probes[i].key, probes[i].p->absent), 0);
        else if (probes[i].p->checked && !probes[i].p->absent)
            emit(o,
                 xasprintf("%s: %s: %s", probes[i].key, probes[i].p->ok ? "ok" : "FAILING",
                           probes[i].p->msg),
                 0);
    if (h->pair_checked)
        emit(o,
             xasprintf("versions: api %s, plugin daemon %s: %s%s%s", h->api_tag, h->daemon_tag,
                       pair_word(h), h->pair_msg[0] ? ": " : "", h->pair_msg),
             0);
    for (size_t i = 0; i < status_njobs(m); i++) {
        const struct status_job *j = status_job_at(m, i);
        emit(o, xasprintf("job %s: %s", j->obj->name, j->msg), 0);
    }
}

void status_lines_each(const struct status *m, bool (*known)(unsigned long long gen, void *arg),
                       void (*line)(const char *text, unsigned long long gen, void *arg), void *arg)
{
    struct lines_out o = {.known = known, .line = line, .arg = arg};
    strbuf_init(&o.safe);
    head_lines(m, &o);
    for (size_t i = 0; i < status_ncomps(m); i++)
        row_line(&o, status_comp_at(m, i));
    for (size_t i = 0; i < status_nothers(m); i++)
        row_line(&o, status_other_at(m, i));
    tail_lines(m, &o);
    strbuf_done(&o.safe);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

bool status_lines_since(const struct status *m, unsigned long long since,
                        void (*line)(const char *text, unsigned long long gen, void *arg),
                        void (*gone)(const char *key, size_t len, void *arg), void *arg)
{
    const struct status_change *v;
    size_t n;
    if (!status_changes_since(m, since, &v, &n))
        return false;
    struct lines_out o = {.line = line, .arg = arg};
    strbuf_init(&o.safe);
    head_lines(m, &o);
    /* the rows that changed, once each, in the table's order */
    size_t *pos = xmalloc((n + 1) * sizeof(*pos)), np = 0;
    const struct status_change **went = xmalloc((n + 1) * sizeof(*went));
    size_t nwent = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].pod)
            continue;
        size_t p;
        if (status_row_lookup(m, v[i].comp, v[i].kind, v[i].name, &p))
            pos[np++] = p;
        else
            went[nwent++] = &v[i];
    }
    qsort(pos, np, sizeof(*pos), cmp_size);
    for (size_t i = 0; i < np; i++)
        if (i == 0 || pos[i] != pos[i - 1])
            row_line(&o, pos[i] < m->ncomps ? &m->comps[pos[i]] : &m->others[pos[i] - m->ncomps]);
    tail_lines(m, &o);
    for (size_t i = 0; i < nwent; i++) {
        const struct status_change *c = went[i];
        const char *kind = c->kind == KUBE_KIND_COUNT ? "-" : kube_resource_get(c->kind)->singular;
        char *key = xasprintf("%s %s/%s", dify_comp_desc(c->comp)->key, kind, c->name);
        strbuf_reset(&o.safe);
        textsafe_add(&o.safe, key, strlen(key), 0, 0);
        free(key);
        gone(o.safe.buf, o.safe.len, arg);
    }
    free(pos);
    free(went);
    strbuf_done(&o.safe);
    return true;
}

struct lines_vec {
    char **v;
    size_t n, cap;
};

static void to_vec(const char *text, unsigned long long gen, void *arg)
{
    struct lines_vec *x = arg;
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 16;
        x->v = xrealloc(x->v, x->cap * sizeof(*x->v));
    }
    x->v[x->n++] = xstrdup(text);
}

void status_lines(const struct status *m, char ***lines, size_t *n)
{
    struct lines_vec x = {0};
    status_lines_each(m, NULL, to_vec, &x);
    *lines = x.v;
    *n = x.n;
}
