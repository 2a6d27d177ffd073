/* tui/form.c: the form's rows, focus, scrolling and drawing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/form.h"
#include "tui/keys.h"
#include "tui/theme.h"
#include "tui/util.h"

#define FORM_MAX_LABEL 28

void tui_form_init(struct tui_form *f, const struct tui_form_ops *ops, void *arg)
{
    memset(f, 0, sizeof(*f));
    f->focus = -1;
    f->follow = true;
    f->ops = ops;
    f->arg = arg;
}

static void row_free(struct tui_form_row *r)
{
    free(r->label);
    free(r->help);
    free(r->error);
    free(r->display);
    tui_textfield_done(&r->text);
}

void tui_form_clear(struct tui_form *f)
{
    for (size_t i = 0; i < f->n; i++)
        row_free(&f->rows[i]);
    f->n = 0;
    f->focus = -1;
    f->top = 0;
    f->follow = true;
    f->editing = false;
    free(f->saved);
    f->saved = NULL;
}

void tui_form_done(struct tui_form *f)
{
    tui_form_clear(f);
    free(f->rows);
    f->rows = NULL;
    f->cap = 0;
}

static bool row_focusable(const struct tui_form_row *r)
{
    return r->kind != TUI_ROW_HEADING && r->kind != TUI_ROW_NOTE && r->kind != TUI_ROW_TABLE;
}

static int form_add(struct tui_form *f, enum tui_row_kind kind, const char *label, void *item)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->rows = tui_xrealloc(f->rows, f->cap * sizeof(*f->rows));
    }
    struct tui_form_row *r = &f->rows[f->n];
    memset(r, 0, sizeof(*r));
    r->kind = kind;
    r->label = tui_xstrdup(label);
    r->item = item;
    tui_textfield_init(&r->text);
    int i = (int)f->n++;
    if (f->focus < 0 && row_focusable(r)) {
        f->focus = i;
        f->follow = true;
    }
    return i;
}

int tui_form_add_text(struct tui_form *f, const char *label, const char *value, void *item)
{
    int i = form_add(f, TUI_ROW_TEXT, label, item);
    tui_textfield_set(&f->rows[i].text, value);
    return i;
}

int tui_form_add_choice(struct tui_form *f, const char *label, const char *const *options,
                        int selected, void *item)
{
    int i = form_add(f, TUI_ROW_CHOICE, label, item);
    f->rows[i].options = options;
    f->rows[i].selected = selected;
    return i;
}

int tui_form_add_check(struct tui_form *f, const char *label, bool checked, void *item)
{
    int i = form_add(f, TUI_ROW_CHECK, label, item);
    f->rows[i].checked = checked;
    return i;
}

int tui_form_add_button(struct tui_form *f, const char *label, void *item)
{
    return form_add(f, TUI_ROW_BUTTON, label, item);
}

int tui_form_add_heading(struct tui_form *f, const char *text)
{
    return form_add(f, TUI_ROW_HEADING, text, NULL);
}

int tui_form_add_note(struct tui_form *f, const char *text, int role)
{
    int i = form_add(f, TUI_ROW_NOTE, text, NULL);
    f->rows[i].role = role;
    return i;
}

int tui_form_add_table(struct tui_form *f, const struct tui_table *t)
{
    int i = form_add(f, TUI_ROW_TABLE, "", NULL);
    f->rows[i].table = t;
    return i;
}

struct tui_form_row *tui_form_row_at(struct tui_form *f, int i)
{
    return i >= 0 && (size_t)i < f->n ? &f->rows[i] : NULL;
}

void tui_form_set_help(struct tui_form *f, int i, const char *help)
{
    tui_str_set(&f->rows[i].help, help);
}

void tui_form_set_error(struct tui_form *f, int i, const char *msg, bool warning)
{
    tui_str_set(&f->rows[i].error, msg && *msg ? msg : NULL);
    f->rows[i].warning = warning;
}

void tui_form_set_max(struct tui_form *f, int i, size_t max)
{
    f->rows[i].text.max = max;
}

void tui_form_set_display(struct tui_form *f, int i, const char *display)
{
    tui_str_set(&f->rows[i].display, display);
}

struct tui_form_row *tui_form_focused(struct tui_form *f)
{
    return tui_form_row_at(f, f->focus);
}

void tui_form_focus(struct tui_form *f, int i)
{
    for (int k = i < 0 ? 0 : i; (size_t)k < f->n; k++)
        if (row_focusable(&f->rows[k])) {
            f->focus = k;
            f->follow = true;
            return;
        }
    for (int k = i - 1; k >= 0; k--)
        if ((size_t)k < f->n && row_focusable(&f->rows[k])) {
            f->focus = k;
            f->follow = true;
            return;
        }
}

bool tui_form_focus_item(struct tui_form *f, const void *item, int tag)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->rows[i].item == item && f->rows[i].tag == tag && row_focusable(&f->rows[i])) {
            f->focus = (int)i;
            f->follow = true;
            return true;
        }
    return false;
}

bool tui_form_move(struct tui_form *f, int dir)
{
    for (int k = f->focus + dir; k >= 0 && (size_t)k < f->n; k += dir)
        if (row_focusable(&f->rows[k])) {
            f->focus = k;
            f->follow = true;
            return true;
        }
    /* At either end: still bring the focus back into view. */
    f->follow = true;
    return false;
}

void tui_form_edit_begin(struct tui_form *f)
{
    struct tui_form_row *r = tui_form_focused(f);
    if (!r || r->kind != TUI_ROW_TEXT)
        return;
    free(f->saved);
    f->saved = tui_textfield_get(&r->text);
    r->text.cursor = r->text.len;
    f->editing = true;
}

static void form_commit(struct tui_form *f, struct tui_form_row *r)
{
    if (f->ops && f->ops->commit)
        f->ops->commit(f, r, f->arg);
}

/* Ends an edit; accept false puts the old text back. */
static void form_edit_end(struct tui_form *f, bool accept)
{
    struct tui_form_row *r = tui_form_focused(f);
    f->editing = false;
    if (r && !accept && f->saved)
        tui_textfield_set(&r->text, f->saved);
    if (f->saved) {
        memset(f->saved, 0, strlen(f->saved));
        free(f->saved);
        f->saved = NULL;
    }
    if (r && accept)
        form_commit(f, r);
}

static int choice_count(const struct tui_form_row *r)
{
    int n = 0;
    while (r->options && r->options[n])
        n++;
    return n;
}

static bool form_key_editing(struct tui_form *f, struct tui_form_row *r, int key)
{
    switch (key) {
    case TUI_KEY_ENTER:
        form_edit_end(f, true);
        return true;
    case TUI_KEY_ESC:
        form_edit_end(f, false);
        return true;
    case TUI_KEY_TAB:
    case TUI_KEY_DOWN:
        form_edit_end(f, true);
        tui_form_move(f, +1);
        return true;
    case TUI_KEY_BTAB:
    case TUI_KEY_UP:
        form_edit_end(f, true);
        tui_form_move(f, -1);
        return true;
    case TUI_KEY_PGUP:
    case TUI_KEY_PGDN:
    case TUI_CTRL('n'):
    case TUI_CTRL('p'):
        form_edit_end(f, true);
        return false;
    }
    return tui_textfield_key(&r->text, key) != TUI_TF_IGNORED;
}

bool tui_form_key(struct tui_form *f, int key)
{
    struct tui_form_row *r = tui_form_focused(f);
    if (r && f->editing)
        return form_key_editing(f, r, key);
    switch (key) {
    case TUI_KEY_TAB:
    case TUI_KEY_DOWN:
        tui_form_move(f, +1);
        return true;
    case TUI_KEY_BTAB:
    case TUI_KEY_UP:
        tui_form_move(f, -1);
        return true;
    case TUI_KEY_HOME:
        tui_form_home(f);
        return true;
    case TUI_KEY_END:
        tui_form_end(f);
        return true;
    }
    if (!r)
        return false;
    switch (r->kind) {
    case TUI_ROW_TEXT:
        if (key == TUI_KEY_ENTER) {
            tui_form_edit_begin(f);
            return true;
        }
        return false;
    case TUI_ROW_CHOICE: {
        int n = choice_count(r);
        if (n == 0)
            return false;
        if (key == ' ' || key == TUI_KEY_RIGHT || key == TUI_KEY_ENTER)
            r->selected = (r->selected + 1) % n;
        else if (key == TUI_KEY_LEFT)
            r->selected = (r->selected + n - 1) % n;
        else
            return false;
        form_commit(f, r);
        return true;
    }
    case TUI_ROW_CHECK:
        if (key != ' ' && key != TUI_KEY_ENTER)
            return false;
        r->checked = !r->checked;
        form_commit(f, r);
        return true;
    case TUI_ROW_BUTTON:
        if (key != TUI_KEY_ENTER)
            return false;
        if (f->ops && f->ops->activate)
            f->ops->activate(f, r, f->arg);
        return true;
    default:
        return false;
    }
}

/* Lines a value, note, link or message may take before it ends in an
 * ellipsis (the editor shows a whole value, the log a whole message). */
#define FORM_TEXT_LINES 8

/* Where a row's parts go in an area width columns wide (x relative to it). */
struct form_geom {
    int width;
    int lw;   /* label column width */
    int vx;   /* value column */
    int vw;   /* value width */
    int ex;   /* message column */
    int errw; /* message width */
};

static int form_label_width(const struct tui_form *f)
{
    if (f->label_width > 0)
        return f->label_width;
    int w = 8;
    for (size_t i = 0; i < f->n; i++) {
        const struct tui_form_row *r = &f->rows[i];
        if (r->kind == TUI_ROW_TEXT || r->kind == TUI_ROW_CHOICE || r->kind == TUI_ROW_CHECK) {
            int c = tui_text_cols(r->label);
            if (c > w)
                w = c;
        }
    }
    return w > FORM_MAX_LABEL ? FORM_MAX_LABEL : w;
}

static void form_geom(const struct tui_form *f, int width, struct form_geom *g)
{
    g->width = width;
    g->lw = form_label_width(f);
    if (g->lw > width / 2)
        g->lw = width / 2;
    g->vx = 2 + g->lw + 2;
    g->vw = width - g->vx;
    /* Messages start under the value column, or further left when narrow. */
    g->ex = g->vx > width / 2 ? 4 : g->vx;
    g->errw = width - g->ex;
}

/* "error: <message>", as shown under a row. */
static char *row_message(const struct tui_form_row *r)
{
    const char *prefix = r->warning ? "warning: " : "error: ";
    char *m = tui_xmalloc(strlen(prefix) + strlen(r->error) + 1);
    strcpy(m, prefix);
    strcat(m, r->error);
    return m;
}

/* What a TEXT row shows when it is not being edited. */
static char *row_value(struct tui_form_row *r)
{
    if (r->display)
        return tui_xstrdup(r->display);
    char *s = tui_textfield_get(&r->text);
    if (r->text.masked && !r->text.revealed) {
        /* One '*' a character, not a byte. */
        size_t n = r->text.len;
        free(s);
        s = tui_xmalloc(n + 1);
        memset(s, '*', n);
        s[n] = 0;
    }
    return s;
}

static int cap_lines(int n, int max)
{
    return n < 1 ? 1 : n > max ? max : n;
}

/* Lays the options of a CHOICE row out in lines of width columns, wrapping
 * between options; draws them when w is set. Returns the lines used. */
static int choice_layout(struct tui_form_row *r, WINDOW *w, int y, int x, int width, bool focused)
{
    int line = 0, col = 0;
    for (int i = 0; r->options && r->options[i]; i++) {
        int iw = 4 + tui_text_cols(r->options[i]);
        if (col > 0 && col + 2 + iw > width) {
            line++;
            col = 0;
        } else if (col > 0) {
            col += 2;
        }
        if (w) {
            bool sel = i == r->selected;
            int cx = x + col;
            int n = tui_put(w, y + line, cx, width - col, sel ? "(x) " : "( ) ",
                            sel && focused ? tui_attr(TUI_FOCUS) : tui_attr(TUI_NORMAL));
            tui_put(w, y + line, cx + n, width - col - n, r->options[i],
                    sel ? (focused ? tui_attr(TUI_FOCUS) : tui_attr(TUI_SELECTED))
                        : tui_attr(TUI_NORMAL));
        }
        col += iw;
    }
    return line + 1;
}

/* Lines of the row itself, without its message. */
static int row_main_lines(const struct tui_form *f, size_t i, const struct form_geom *g)
{
    struct tui_form_row *r = &f->rows[i];
    switch (r->kind) {
    case TUI_ROW_HEADING:
        return cap_lines(tui_text_lines(r->label, g->width, 0), FORM_TEXT_LINES);
    case TUI_ROW_NOTE:
        return cap_lines(tui_text_lines(r->label, g->width - 2, 0), FORM_TEXT_LINES);
    case TUI_ROW_BUTTON:
        if (r->role == TUI_NORMAL)
            return 1;
        return cap_lines(tui_text_lines(r->label, g->width - 2, 2), FORM_TEXT_LINES);
    case TUI_ROW_TEXT: {
        if (g->vw <= 0 || (f->editing && (int)i == f->focus))
            return 1;
        char *v = row_value(r);
        int n = tui_text_lines(v, g->vw, 0);
        free(v);
        return cap_lines(n, FORM_TEXT_LINES);
    }
    case TUI_ROW_CHOICE:
        return g->vw > 0 ? choice_layout(r, NULL, 0, 0, g->vw, false) : 1;
    case TUI_ROW_TABLE:
        return tui_table_height(r->table);
    default:
        return 1;
    }
}

/* Lines the row takes: itself plus its wrapped message. */
static int row_lines(const struct tui_form *f, size_t i, const struct form_geom *g)
{
    int n = row_main_lines(f, i, g);
    const struct tui_form_row *r = &f->rows[i];
    if (r->error) {
        char *m = row_message(r);
        n += cap_lines(tui_text_lines(m, g->errw, 0), FORM_TEXT_LINES);
        free(m);
    }
    return n;
}

/* The first line of every row for this width; starts[n] is the total. */
static int *form_starts(const struct tui_form *f, const struct form_geom *g)
{
    int *start = tui_xmalloc((f->n + 1) * sizeof(*start));
    int line = 0;
    for (size_t i = 0; i < f->n; i++) {
        start[i] = line;
        line += row_lines(f, i, g);
    }
    start[f->n] = line;
    return start;
}

/* Row starts for an area h x width: a form taller than the area keeps its
 * last column free for the scroll marks, so they never cover text. */
static int *form_layout(const struct tui_form *f, int h, int width, struct form_geom *g)
{
    form_geom(f, width, g);
    int *start = form_starts(f, g);
    if (start[f->n] > h && width > 1) {
        free(start);
        form_geom(f, width - 1, g);
        start = form_starts(f, g);
    }
    return start;
}

static int first_focusable(const struct tui_form *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (row_focusable(&f->rows[i]))
            return (int)i;
    return -1;
}

static int last_focusable(const struct tui_form *f)
{
    for (size_t i = f->n; i-- > 0;)
        if (row_focusable(&f->rows[i]))
            return (int)i;
    return -1;
}

/* Moves f->top so that the focused row is in the h lines shown, with the
 * heading above it; the first focusable row also brings the lines above it
 * into view and the last one the lines below it (notes that cannot be
 * focused), when they fit. Then keeps top inside the form. */
static void form_scroll(struct tui_form *f, const int *start, int h)
{
    int total = start[f->n];
    if (f->follow && f->focus >= 0 && (size_t)f->focus < f->n) {
        int fs = start[f->focus], fe = start[f->focus + 1];
        int rs = fs, re = fe;
        if (f->focus == first_focusable(f))
            rs = 0;
        else if (f->focus > 0 && f->rows[f->focus - 1].kind == TUI_ROW_HEADING)
            rs = start[f->focus - 1];
        if (f->focus == last_focusable(f))
            re = total;
        if (re - rs > h) {
            /* The whole region does not fit: the row itself, from its top. */
            rs = fs;
            re = fe - fs > h ? fs + h : fe;
        }
        if (re > f->top + h)
            f->top = re - h;
        if (rs < f->top)
            f->top = rs;
    }
    if (f->top > total - h)
        f->top = total - h;
    if (f->top < 0)
        f->top = 0;
}

void tui_form_home(struct tui_form *f)
{
    int i = first_focusable(f);
    if (i >= 0)
        f->focus = i;
    f->top = 0;
    f->follow = true;
}

void tui_form_end(struct tui_form *f)
{
    int i = last_focusable(f);
    if (i >= 0)
        f->focus = i;
    f->follow = true;
}

bool tui_form_page(struct tui_form *f, int dir)
{
    int h = f->view_h;
    if (h <= 0 || f->n == 0 || f->editing)
        return false;
    struct form_geom g;
    int *start = form_layout(f, h, f->view_w, &g);
    int total = start[f->n];
    form_scroll(f, start, h);
    bool moved = false;
    if (dir > 0 ? total - f->top > h : f->top > 0) {
        /* A screenful less one line, which stays in view for context. */
        int step = h > 1 ? h - 1 : 1;
        int top = f->top + (dir > 0 ? step : -step);
        if (top > total - h)
            top = total - h;
        if (top < 0)
            top = 0;
        f->top = top;
        /* Focus the first row that starts in the new view; with none there
         * (a block of notes), the view stays put until focus moves again. */
        f->follow = false;
        for (size_t i = 0; i < f->n; i++)
            if (row_focusable(&f->rows[i]) && start[i] >= top && start[i] < top + h) {
                f->focus = (int)i;
                f->follow = start[i + 1] <= top + h;
                break;
            }
        moved = true;
    }
    free(start);
    return moved;
}

static void draw_row(struct tui_form *f, size_t i, WINDOW *w, int y, const struct form_geom *g)
{
    struct tui_form_row *r = &f->rows[i];
    bool focused = (int)i == f->focus;
    if (focused)
        tui_put(w, y, 0, 2, ">", tui_attr(TUI_SELECTED));
    attr_t va = focused ? tui_attr(TUI_FOCUS) : tui_attr(TUI_NORMAL);
    switch (r->kind) {
    case TUI_ROW_HEADING:
        tui_put_wrapped(w, y, 0, g->width, FORM_TEXT_LINES, r->label, tui_attr(TUI_HEADING));
        return;
    case TUI_ROW_NOTE:
        tui_put_wrapped(w, y, 2, g->width - 2, FORM_TEXT_LINES, r->label, tui_attr(r->role));
        return;
    case TUI_ROW_TABLE:
        tui_table_draw(r->table, w, y, 2, tui_table_height(r->table), g->width - 4);
        return;
    case TUI_ROW_BUTTON: {
        if (r->role != TUI_NORMAL) {
            /* A link-like action (a problem to jump to): plain text in its
             * role, wrapped with a hanging indent so each stands apart. */
            tui_put_wrapped_indent(w, y, 2, g->width - 2, 2, FORM_TEXT_LINES, r->label,
                                   focused ? va : tui_attr(r->role));
            return;
        }
        int n = tui_put(w, y, 2, g->width - 2, "[ ", va);
        n += tui_put(w, y, 2 + n, g->width - 2 - n, r->label, va);
        tui_put(w, y, 2 + n, g->width - 2 - n, " ]", va);
        return;
    }
    default:
        break;
    }
    tui_put(w, y, 2, g->lw, r->label, tui_attr(TUI_LABEL));
    if (g->vw <= 0)
        return;
    switch (r->kind) {
    case TUI_ROW_TEXT:
        if (focused && f->editing) {
            tui_textfield_draw(&r->text, w, y, g->vx, g->vw, tui_attr(TUI_EDIT), true);
        } else {
            r->text.scroll = 0;
            char *s = row_value(r);
            tui_put_wrapped(w, y, g->vx, g->vw, FORM_TEXT_LINES, *s ? s : (focused ? " " : ""), va);
            free(s);
        }
        break;
    case TUI_ROW_CHOICE:
        choice_layout(r, w, y, g->vx, g->vw, focused);
        break;
    case TUI_ROW_CHECK:
        tui_put(w, y, g->vx, g->vw, r->checked ? "[x]" : "[ ]", va);
        break;
    default:
        break;
    }
}

void tui_form_draw(struct tui_form *f, WINDOW *w, int y, int x, int h, int width)
{
    if (h <= 0 || width <= 0 || y < 0 || x < 0 || y + h > getmaxy(w) || x + width > getmaxx(w))
        return;
    f->view_h = h;
    f->view_w = width;
    struct form_geom g;
    int *start = form_layout(f, h, width, &g);
    int total = start[f->n];
    form_scroll(f, start, h);
    /* Rows draw into a window over the area, which clips the lines of rows
     * cut by its top or bottom edge. */
    WINDOW *area = derwin(w, h, width, y, x);
    if (!area) {
        free(start);
        return;
    }
    for (size_t i = 0; i < f->n; i++) {
        int ry = start[i] - f->top;
        if (ry >= h)
            break;
        if (start[i + 1] - f->top <= 0)
            continue;
        draw_row(f, i, area, ry, &g);
        struct tui_form_row *r = &f->rows[i];
        if (r->error) {
            char *m = row_message(r);
            tui_put_wrapped(area, ry + row_main_lines(f, i, &g), g.ex, g.errw, FORM_TEXT_LINES, m,
                            tui_attr(r->warning ? TUI_WARN : TUI_ERROR));
            free(m);
        }
    }
    /* Say when there is more than fits, in the column kept free for it. */
    if (f->top > 0)
        tui_put(area, 0, width - 1, 1, "^", tui_attr(TUI_DIM));
    if (total - f->top > h)
        tui_put(area, h - 1, width - 1, 1, "v", tui_attr(TUI_DIM));
    wsyncup(area);
    delwin(area);
    free(start);
}
