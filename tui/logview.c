/* tui/logview.c: the log pane (see logview.h). Lines are numbered from the
 * first ever added ("absolute" numbers), so the view and the current match
 * stay on the same text while old lines are dropped from the ring. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/logview.h"
#include "tui/theme.h"
#include "tui/util.h"

#define HSTEP 8 /* columns Left/Right scroll */

void tui_logview_init(struct tui_logview *lv, size_t max_lines, size_t max_bytes)
{
    memset(lv, 0, sizeof(*lv));
    lv->cap = max_lines ? max_lines : 5000;
    lv->max_bytes = max_bytes ? max_bytes : (size_t)4 << 20;
    lv->ring = tui_xmalloc(lv->cap * sizeof(*lv->ring));
    lv->follow = true;
    tui_textfield_init(&lv->prompt);
    lv->prompt.max = 256;
}

static struct tui_logline *slot(const struct tui_logview *lv, unsigned long long abs)
{
    size_t k = (size_t)(abs - (lv->total - lv->n));
    return &lv->ring[(lv->head + k) % lv->cap];
}

unsigned long long tui_logview_first(const struct tui_logview *lv)
{
    return lv->total - lv->n;
}

size_t tui_logview_count(const struct tui_logview *lv)
{
    return lv->n;
}

const char *tui_logview_line(const struct tui_logview *lv, unsigned long long abs)
{
    if (abs < tui_logview_first(lv) || abs >= lv->total)
        return NULL;
    return slot(lv, abs)->text;
}

/* ---- matching ---- */

/* Where the query occurs in ws[0..n) from position from, or -1. */
static long find_in(const struct tui_logview *lv, const wchar_t *ws, size_t n, size_t from)
{
    size_t q = lv->wquery_len;
    if (q == 0 || n < q)
        return -1;
    for (size_t i = from; i + q <= n; i++) {
        size_t k = 0;
        while (k < q) {
            wchar_t c = lv->fold ? (wchar_t)towlower((wint_t)ws[i + k]) : ws[i + k];
            if (c != lv->wquery[k])
                break;
            k++;
        }
        if (k == q)
            return (long)i;
    }
    return -1;
}

static bool holds(const struct tui_logview *lv, const char *text)
{
    if (!lv->wquery_len)
        return false;
    size_t n;
    wchar_t *ws = tui_wcs_from_mbs(text, &n);
    bool found = find_in(lv, ws, n, 0) >= 0;
    free(ws);
    return found;
}

static void set_note(struct tui_logview *lv, const char *text)
{
    tui_str_set(&lv->note, text);
}

static void note_not_found(struct tui_logview *lv)
{
    const char *q = lv->query ? lv->query : "";
    size_t n = strlen(q) + 32;
    char *t = tui_xmalloc(n);
    snprintf(t, n, "no line holds '%s'", q);
    free(lv->note);
    lv->note = t;
}

static void set_query(struct tui_logview *lv, const char *q)
{
    tui_str_set(&lv->query, q);
    free(lv->wquery);
    lv->wquery = tui_wcs_from_mbs(q, &lv->wquery_len);
    lv->fold = true;
    for (size_t i = 0; i < lv->wquery_len; i++)
        if (iswupper((wint_t)lv->wquery[i]))
            lv->fold = false;
    if (lv->fold)
        for (size_t i = 0; i < lv->wquery_len; i++)
            lv->wquery[i] = (wchar_t)towlower((wint_t)lv->wquery[i]);
    lv->have_match = false;
    lv->matching = 0;
    for (unsigned long long a = tui_logview_first(lv); a < lv->total; a++)
        lv->matching += holds(lv, slot(lv, a)->text);
}

/* ---- adding and dropping ---- */

static void drop_oldest(struct tui_logview *lv)
{
    struct tui_logline *l = &lv->ring[lv->head];
    if (lv->query && holds(lv, l->text))
        lv->matching--;
    lv->bytes -= strlen(l->text);
    free(l->text);
    l->text = NULL;
    lv->head = (lv->head + 1) % lv->cap;
    lv->n--;
    if (lv->have_match && lv->match < tui_logview_first(lv))
        lv->have_match = false;
}

void tui_logview_add(struct tui_logview *lv, const char *line, int role)
{
    size_t len = strcspn(line, "\n");
    if (len > TUI_LOGVIEW_LINE_MAX) {
        len = TUI_LOGVIEW_LINE_MAX;
        /* Cut on a character boundary: back over continuation bytes. */
        while (len > 0 && ((unsigned char)line[len] & 0xC0) == 0x80)
            len--;
    }
    while (lv->n > 0 && (lv->n == lv->cap || lv->bytes + len > lv->max_bytes))
        drop_oldest(lv);
    char *text = tui_xmalloc(len + 1);
    memcpy(text, line, len);
    text[len] = '\0';
    struct tui_logline *l = &lv->ring[(lv->head + lv->n) % lv->cap];
    l->text = text;
    l->role = role;
    lv->n++;
    lv->total++;
    lv->bytes += len;
    if (lv->query && holds(lv, text))
        lv->matching++;
}

void tui_logview_clear(struct tui_logview *lv)
{
    while (lv->n > 0)
        drop_oldest(lv);
    lv->total = 0;
    lv->top = 0;
    lv->follow = true;
    lv->hscroll = 0;
    lv->have_match = false;
    lv->matching = 0;
}

void tui_logview_done(struct tui_logview *lv)
{
    tui_logview_clear(lv);
    free(lv->ring);
    free(lv->query);
    free(lv->wquery);
    free(lv->note);
    tui_textfield_done(&lv->prompt);
    memset(lv, 0, sizeof(*lv));
}

/* ---- the view ---- */

/* Rows that show lines (the prompt takes the last one). */
static int text_rows(const struct tui_logview *lv)
{
    int h = lv->height > 0 ? lv->height : 1;
    if (lv->prompting && h > 1)
        h--;
    return h;
}

/* The first line a full last page starts at. */
static unsigned long long last_top(const struct tui_logview *lv)
{
    unsigned long long first = tui_logview_first(lv);
    unsigned long long h = (unsigned long long)text_rows(lv);
    return lv->total > first + h ? lv->total - h : first;
}

/* The first line shown. */
static unsigned long long shown_top(const struct tui_logview *lv)
{
    if (lv->follow)
        return last_top(lv);
    unsigned long long t = lv->top, first = tui_logview_first(lv), last = last_top(lv);
    if (t < first)
        t = first;
    if (t > last)
        t = last;
    return t;
}

static void scroll_to(struct tui_logview *lv, long long top)
{
    unsigned long long first = tui_logview_first(lv), last = last_top(lv);
    if (top < (long long)first)
        top = (long long)first;
    if ((unsigned long long)top >= last) {
        lv->follow = true;
        lv->top = last;
        return;
    }
    lv->follow = false;
    lv->top = (unsigned long long)top;
}

void tui_logview_show(struct tui_logview *lv, unsigned long long abs)
{
    unsigned long long top = shown_top(lv), h = (unsigned long long)text_rows(lv);
    if (abs >= top && abs < top + h)
        return;
    scroll_to(lv, (long long)abs);
    if (abs < last_top(lv))
        lv->follow = false;
}

/* Makes the first occurrence on line abs visible across. */
static void show_column(struct tui_logview *lv, unsigned long long abs)
{
    size_t n;
    wchar_t *ws = tui_wcs_from_mbs(slot(lv, abs)->text, &n);
    long at = find_in(lv, ws, n, 0);
    int col = 0, qcols = 0;
    for (long i = 0; i < at; i++)
        col += tui_wchar_cols(ws[i]);
    for (size_t i = 0; at >= 0 && i < lv->wquery_len && (size_t)at + i < n; i++)
        qcols += tui_wchar_cols(ws[(size_t)at + i]);
    free(ws);
    int width = lv->width > 0 ? lv->width : 80;
    if (at < 0)
        return;
    if (col < lv->hscroll || col + qcols > lv->hscroll + width)
        lv->hscroll = col > width / 3 ? col - width / 3 : 0;
}

/* Goes to the first line holding the query from kept line start (relative
 * to the first kept; -1 and n are allowed and wrap at once), forward or
 * backward; wraps once around and says so. */
static bool search_at(struct tui_logview *lv, long long start, bool forward)
{
    long long n = (long long)lv->n;
    unsigned long long first = tui_logview_first(lv);
    for (long long i = 0; i < n && lv->wquery_len; i++) {
        long long k = forward ? start + i : start - i;
        bool wrapped = false;
        if (k >= n) {
            k -= n;
            wrapped = true;
        } else if (k < 0) {
            k += n;
            wrapped = true;
        }
        unsigned long long abs = first + (unsigned long long)k;
        if (!holds(lv, slot(lv, abs)->text))
            continue;
        lv->match = abs;
        lv->have_match = true;
        tui_logview_show(lv, abs);
        show_column(lv, abs);
        set_note(lv, !wrapped  ? NULL
                     : forward ? "search wrapped to the top"
                               : "search wrapped to the bottom");
        return true;
    }
    lv->have_match = false;
    note_not_found(lv);
    return false;
}

static bool search_next(struct tui_logview *lv, bool forward)
{
    if (!lv->query) {
        set_note(lv, "no search yet: / searches");
        return false;
    }
    unsigned long long first = tui_logview_first(lv);
    unsigned long long top = shown_top(lv), h = (unsigned long long)text_rows(lv);
    unsigned long long end = top + h < lv->total ? top + h : lv->total;
    long long start;
    if (lv->have_match && lv->match >= top && lv->match < end)
        start = (long long)(lv->match - first) + (forward ? 1 : -1);
    else if (forward)
        start = (long long)(top - first); /* from the top line shown */
    else
        start = (long long)(end - first) - 1; /* from the last line shown */
    return search_at(lv, start, forward);
}

bool tui_logview_search(struct tui_logview *lv, const char *query, bool forward)
{
    if (query && *query)
        set_query(lv, query);
    return search_next(lv, forward);
}

static bool prompt_key(struct tui_logview *lv, int key)
{
    if (key == TUI_KEY_ESC) {
        lv->prompting = false;
        return true;
    }
    if (key == TUI_KEY_ENTER) {
        char *q = tui_textfield_get(&lv->prompt);
        lv->prompting = false;
        if (*q)
            set_query(lv, q);
        free(q);
        if (lv->query)
            search_next(lv, true);
        return true;
    }
    if (key == TUI_KEY_BACKSPACE && lv->prompt.len == 0) {
        lv->prompting = false;
        return true;
    }
    tui_textfield_key(&lv->prompt, key);
    return true; /* every key belongs to the prompt while it is open */
}

bool tui_logview_key(struct tui_logview *lv, int key)
{
    if (lv->prompting)
        return prompt_key(lv, key);
    set_note(lv, NULL);
    long long top = (long long)shown_top(lv);
    int page = text_rows(lv) > 1 ? text_rows(lv) - 1 : 1;
    switch (key) {
    case TUI_KEY_UP:
        scroll_to(lv, top - 1);
        if (top - 1 < (long long)last_top(lv))
            lv->follow = false;
        return true;
    case TUI_KEY_DOWN:
        scroll_to(lv, top + 1);
        return true;
    case TUI_KEY_PGUP:
        scroll_to(lv, top - page);
        if (top - page < (long long)last_top(lv))
            lv->follow = false;
        return true;
    case TUI_KEY_PGDN:
        scroll_to(lv, top + page);
        return true;
    case TUI_KEY_HOME:
        scroll_to(lv, (long long)tui_logview_first(lv));
        if (tui_logview_first(lv) < last_top(lv))
            lv->follow = false;
        lv->hscroll = 0;
        return true;
    case TUI_KEY_END:
        lv->follow = true;
        lv->hscroll = 0;
        return true;
    case TUI_KEY_LEFT:
        lv->hscroll = lv->hscroll > HSTEP ? lv->hscroll - HSTEP : 0;
        return true;
    case TUI_KEY_RIGHT:
        if (lv->hscroll < TUI_LOGVIEW_LINE_MAX)
            lv->hscroll += HSTEP;
        return true;
    case '/':
        lv->prompting = true;
        tui_textfield_set(&lv->prompt, "");
        return true;
    case 'n':
        search_next(lv, true);
        return true;
    case 'N':
        search_next(lv, false);
        return true;
    }
    return false;
}

void tui_logview_describe(const struct tui_logview *lv, char *buf, size_t n)
{
    if (n == 0)
        return;
    if (lv->note) {
        snprintf(buf, n, "%s", lv->note);
        return;
    }
    if (lv->total == 0) {
        snprintf(buf, n, "no lines yet");
        return;
    }
    unsigned long long top = shown_top(lv);
    unsigned long long end = top + (unsigned long long)text_rows(lv);
    if (end > lv->total)
        end = lv->total;
    int k = snprintf(buf, n, "%s %llu-%llu of %llu", lv->follow ? "end:" : "lines", top + 1, end,
                     lv->total);
    if (k < 0 || (size_t)k >= n)
        return;
    if (lv->query)
        snprintf(buf + k, n - (size_t)k, ", %zu match '%s'", lv->matching, lv->query);
}

/* Draws one line from column hscroll, the query's occurrences in reverse
 * (the current match's in the selected role). */
static void draw_line(const struct tui_logview *lv, WINDOW *w, int y, int x, int width,
                      const struct tui_logline *l, bool current)
{
    size_t n;
    wchar_t *ws = tui_wcs_from_mbs(l->text, &n);
    unsigned char *hit = NULL;
    if (lv->wquery_len && n) {
        hit = calloc(n, 1);
        long at = 0;
        while (hit && (at = find_in(lv, ws, n, (size_t)at)) >= 0) {
            memset(hit + at, 1, lv->wquery_len);
            at += (long)lv->wquery_len;
        }
    }
    attr_t base = tui_attr(l->role);
    attr_t mark = current ? tui_attr(TUI_SELECTED) | A_REVERSE : A_REVERSE;
    int col = 0, used = 0;
    for (size_t i = 0; i < n && used < width; i++) {
        int cw = tui_wchar_cols(ws[i]);
        if (cw == 0)
            continue;
        if (col < lv->hscroll) {
            col += cw;
            continue;
        }
        if (used + cw > width)
            break;
        tui_putw(w, y, x + used, cw, &ws[i], 1, hit && hit[i] ? base | mark : base);
        used += cw;
        col += cw;
    }
    free(hit);
    free(ws);
}

void tui_logview_draw(struct tui_logview *lv, WINDOW *w, int y, int x, int h, int width)
{
    lv->height = h;
    lv->width = width;
    if (h <= 0 || width <= 0)
        return;
    int rows = text_rows(lv);
    unsigned long long top = shown_top(lv);
    for (int r = 0; r < rows; r++) {
        unsigned long long abs = top + (unsigned long long)r;
        if (abs >= lv->total)
            break;
        draw_line(lv, w, y + r, x, width, slot(lv, abs), lv->have_match && abs == lv->match);
    }
    if (lv->prompting) {
        int py = y + h - 1;
        tui_fill(w, py, x, width, tui_attr(TUI_EDIT));
        tui_put(w, py, x, 1, "/", tui_attr(TUI_EDIT));
        tui_textfield_draw(&lv->prompt, w, py, x + 1, width - 1, tui_attr(TUI_EDIT), true);
    }
}
