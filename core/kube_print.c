/* core/kube_print.c: the kubectl-equivalent printer: a kind's columns from
 * the registry, made into cells from the store's objects, laid out as
 * kubectl's tabwriter does. `dify-tui get` prints what this renders; the
 * simulator's Table output sends the same cells, so the two cannot differ.
 * Nothing here prints: the caller gets text. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/kube_kinds.h"
#include "core/util.h"

/* apimachinery pkg/util/duration.HumanDuration, on whole seconds. */
void kube_human_duration(long long secs, char *buf, size_t len)
{
    if (secs < -1) {
        snprintf(buf, len, "<invalid>");
        return;
    }
    if (secs < 0)
        secs = 0;
    long long m = secs / 60, h = secs / 3600, d = h / 24, y = d / 365;
    if (secs < 120)
        snprintf(buf, len, "%llds", secs);
    else if (m < 10)
        secs % 60 ? snprintf(buf, len, "%lldm%llds", m, secs % 60) : snprintf(buf, len, "%lldm", m);
    else if (m < 180)
        snprintf(buf, len, "%lldm", m);
    else if (h < 8)
        m % 60 ? snprintf(buf, len, "%lldh%lldm", h, m % 60) : snprintf(buf, len, "%lldh", h);
    else if (h < 48)
        snprintf(buf, len, "%lldh", h);
    else if (h < 192)
        h % 24 ? snprintf(buf, len, "%lldd%lldh", d, h % 24) : snprintf(buf, len, "%lldd", d);
    else if (d < 730)
        snprintf(buf, len, "%lldd", d);
    else if (y < 8)
        d % 365 ? snprintf(buf, len, "%lldy%lldd", y, d % 365) : snprintf(buf, len, "%lldy", y);
    else
        snprintf(buf, len, "%lldy", y);
}

void kube_cell_text(const struct kube_column *c, const struct kube_obj *o, long long now,
                    struct strbuf *out)
{
    const void *at = (const char *)o + c->off;
    char age[32];
    switch (c->cell) {
    case KC_NAME:
        strbuf_adds(out, o->name);
        break;
    case KC_AGE:
        /* translateTimestampSince: <unknown> for no timestamp */
        if (!o->created) {
            strbuf_adds(out, "<unknown>");
            break;
        }
        kube_human_duration(now - o->created, age, sizeof(age));
        strbuf_adds(out, age);
        break;
    case KC_STR: {
        const char *s = *(const char *const *)at;
        strbuf_adds(out, !str_empty(s) ? s : c->def);
        break;
    }
    case KC_INT:
        strbuf_addf(out, "%d", *(const int *)at);
        break;
    case KC_FN:
        c->fn(o, now, out);
        break;
    }
}

void kube_column_heading(const struct kube_column *c, struct strbuf *out)
{
    for (const char *s = c->name; *s; s++)
        strbuf_addc(out, (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s));
}

void kube_table_add(struct kube_table *t, const char *const *row, size_t ncols)
{
    if (!t->nrows)
        t->ncols = ncols;
    t->cells = xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(char *));
    for (size_t c = 0; c < t->ncols; c++)
        t->cells[t->nrows * t->ncols + c] = xstrdup(c < ncols ? row[c] : "");
    t->nrows++;
}

/* Builds one row from the registry's columns: heading or cells. */
static void table_row(struct kube_table *t, const struct kube_resource *r, const struct kube_obj *o,
                      bool with_ns, bool wide, long long now)
{
    char **row = xcalloc(r->ncolumns + 1, sizeof(char *));
    size_t n = 0;
    struct strbuf sb;
    if (with_ns)
        row[n++] = xstrdup(o ? o->ns : "NAMESPACE");
    for (size_t i = 0; i < r->ncolumns; i++) {
        const struct kube_column *c = &r->columns[i];
        if (c->priority > 0 && !wide)
            continue;
        strbuf_init(&sb);
        if (o)
            kube_cell_text(c, o, now, &sb);
        else
            kube_column_heading(c, &sb);
        row[n++] = strbuf_detach(&sb, NULL);
    }
    kube_table_add(t, (const char *const *)row, n);
    for (size_t i = 0; i < n; i++)
        free(row[i]);
    free(row);
}

void kube_table_heading(struct kube_table *t, const struct kube_resource *r, bool with_ns,
                        bool wide)
{
    table_row(t, r, NULL, with_ns, wide, 0);
}

void kube_table_row(struct kube_table *t, const struct kube_resource *r, const struct kube_obj *o,
                    bool with_ns, bool wide, long long now)
{
    table_row(t, r, o, with_ns, wide, now);
}

/* Width in characters (UTF-8 continuation bytes do not count), as Go's
 * tabwriter counts runes. */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

/* kubectl's printers.GetNewTabWriter: tabwriter.NewWriter(out, 6, 4, 3, ' ', 0). */
void kube_table_render(struct kube_table *t, struct strbuf *out)
{
    size_t *w = xcalloc(t->ncols ? t->ncols : 1, sizeof(size_t));
    kube_table_render_widths(t, w, out);
    free(w);
}

void kube_table_render_widths(struct kube_table *t, size_t *w, struct strbuf *out)
{
    enum { MIN_WIDTH = 6, PADDING = 3, FLUSH_AT = 64 << 10 };
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t l = text_width(t->cells[r * t->ncols + c]) + PADDING;
            if (l > w[c])
                w[c] = l;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            strbuf_adds(out, s);
            if (c + 1 < t->ncols) {
                size_t width = w[c] < MIN_WIDTH ? MIN_WIDTH : w[c];
                for (size_t k = text_width(s); k < width; k++)
                    strbuf_addc(out, ' ');
            }
            free(t->cells[r * t->ncols + c]);
        }
        strbuf_addc(out, '\n');
        if (t->flush && out->len >= FLUSH_AT)
            t->flush(out, t->flush_arg);
    }
    free(t->cells);
    t->cells = NULL;
    t->nrows = t->ncols = 0;
}
