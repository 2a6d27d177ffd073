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
    return r->kind != TUI_ROW_HEADING && r->kind != TUI_ROW_NOTE;
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
    if (f->focus < 0 && row_focusable(r))
        f->focus = i;
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
            return;
        }
    for (int k = i - 1; k >= 0; k--)
        if ((size_t)k < f->n && row_focusable(&f->rows[k])) {
            f->focus = k;
            return;
        }
}

bool tui_form_focus_item(struct tui_form *f, const void *item, int tag)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->rows[i].item == item && f->rows[i].tag == tag && row_focusable(&f->rows[i])) {
            f->focus = (int)i;
            return true;
        }
    return false;
}

bool tui_form_move(struct tui_form *f, int dir)
{
    for (int k = f->focus + dir; k >= 0 && (size_t)k < f->n; k += dir)
        if (row_focusable(&f->rows[k])) {
            f->focus = k;
            return true;
        }
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

#define FORM_ERROR_LINES 3

/* "error: <message>", as shown under a row. */
static char *row_message(const struct tui_form_row *r)
{
    const char *prefix = r->warning ? "warning: " : "error: ";
    char *m = tui_xmalloc(strlen(prefix) + strlen(r->error) + 1);
    strcpy(m, prefix);
    strcat(m, r->error);
    return m;
}

/* Lines the row takes: itself plus its wrapped message in errw columns. */
static int row_lines(const struct tui_form_row *r, int errw)
{
    if (!r->error)
        return 1;
    char *m = row_message(r);
    int n = tui_put_wrapped(NULL, 0, 0, errw, FORM_ERROR_LINES, m, A_NORMAL);
    free(m);
    return 1 + n;
}

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

static void draw_choice(struct tui_form_row *r, WINDOW *w, int y, int x, int width, bool focused)
{
    int col = 0;
    for (int i = 0; r->options && r->options[i] && col < width; i++) {
        bool sel = i == r->selected;
        if (i > 0)
            col += 2;
        col += tui_put(w, y, x + col, width - col, sel ? "(x) " : "( ) ",
                       sel && focused ? tui_attr(TUI_FOCUS) : tui_attr(TUI_NORMAL));
        col += tui_put(w, y, x + col, width - col, r->options[i],
                       sel ? (focused ? tui_attr(TUI_FOCUS) : tui_attr(TUI_SELECTED))
                           : tui_attr(TUI_NORMAL));
    }
}

static void draw_row(struct tui_form *f, struct tui_form_row *r, bool focused, WINDOW *w, int y,
                     int x, int width, int lw)
{
    if (focused)
        tui_put(w, y, x, 2, ">", tui_attr(TUI_SELECTED));
    int vx = x + 2 + lw + 2; /* value column */
    int vw = width - (vx - x);
    attr_t va = focused ? tui_attr(TUI_FOCUS) : tui_attr(TUI_NORMAL);
    switch (r->kind) {
    case TUI_ROW_HEADING:
        tui_put(w, y, x, width, r->label, tui_attr(TUI_HEADING));
        return;
    case TUI_ROW_NOTE:
        tui_put(w, y, x + 2, width - 2, r->label, tui_attr(r->role));
        return;
    case TUI_ROW_BUTTON: {
        if (r->role != TUI_NORMAL) {
            /* A link-like action (a problem to jump to): plain text in its role. */
            tui_put(w, y, x + 2, width - 2, r->label, focused ? va : tui_attr(r->role));
            return;
        }
        int n = tui_put(w, y, x + 2, width - 2, "[ ", va);
        n += tui_put(w, y, x + 2 + n, width - 2 - n, r->label, va);
        tui_put(w, y, x + 2 + n, width - 2 - n, " ]", va);
        return;
    }
    default:
        break;
    }
    tui_put(w, y, x + 2, lw, r->label, tui_attr(TUI_LABEL));
    if (vw <= 0)
        return;
    switch (r->kind) {
    case TUI_ROW_TEXT:
        if (focused && f->editing) {
            tui_textfield_draw(&r->text, w, y, vx, vw, tui_attr(TUI_EDIT), true);
        } else if (r->display) {
            tui_put(w, y, vx, vw, r->display, va);
        } else {
            r->text.scroll = 0;
            char *s = tui_textfield_get(&r->text);
            if (r->text.masked && !r->text.revealed) {
                for (char *c = s; *c; c++)
                    *c = '*';
            }
            tui_put(w, y, vx, vw, *s ? s : (focused ? " " : ""), va);
            free(s);
        }
        break;
    case TUI_ROW_CHOICE:
        draw_choice(r, w, y, vx, vw, focused);
        break;
    case TUI_ROW_CHECK:
        tui_put(w, y, vx, vw, r->checked ? "[x]" : "[ ]", va);
        break;
    default:
        break;
    }
}

void tui_form_draw(struct tui_form *f, WINDOW *w, int y, int x, int h, int width)
{
    if (h <= 0 || width <= 0)
        return;
    int lw = form_label_width(f);
    if (lw > width / 2)
        lw = width / 2;
    /* Messages start under the value column, or further left when narrow. */
    int ex = x + 2 + lw + 2;
    if (ex > x + width / 2)
        ex = x + 4;
    int errw = width - (ex - x);
    /* Scroll so that the focused row and its message are inside the area. */
    int line = 0, fstart = 0, fend = 0, total = 0;
    for (size_t i = 0; i < f->n; i++) {
        if ((int)i == f->focus) {
            fstart = line;
            fend = line + row_lines(&f->rows[i], errw);
        }
        line += row_lines(&f->rows[i], errw);
    }
    total = line;
    if (f->focus >= 0) {
        /* Show the heading just above the first focusable row too. */
        if (fstart < f->top)
            f->top = fstart;
        if (fend > f->top + h)
            f->top = fend - h;
        if (f->focus > 0 && f->rows[f->focus - 1].kind == TUI_ROW_HEADING && fstart - 1 < f->top &&
            fstart - 1 >= 0 && fend - (fstart - 1) <= h)
            f->top = fstart - 1;
    }
    if (f->top > total - h)
        f->top = total - h;
    if (f->top < 0)
        f->top = 0;
    line = 0;
    for (size_t i = 0; i < f->n; i++) {
        struct tui_form_row *r = &f->rows[i];
        int ry = line - f->top;
        if (ry >= h)
            break;
        if (ry >= 0)
            draw_row(f, r, (int)i == f->focus, w, y + ry, x, width, lw);
        int lines = row_lines(r, errw);
        if (r->error) {
            /* Draw the message's lines that fall inside the area. */
            char *m = row_message(r);
            int skip = ry + 1 < 0 ? -(ry + 1) : 0;
            int avail = h - (ry + 1 + skip);
            if (avail > 0 && skip < lines - 1) {
                /* Wrap in full, then copy only the visible lines. */
                WINDOW *pad = newpad(FORM_ERROR_LINES, errw > 0 ? errw : 1);
                if (pad) {
                    tui_put_wrapped(pad, 0, 0, errw, FORM_ERROR_LINES, m,
                                    tui_attr(r->warning ? TUI_WARN : TUI_ERROR));
                    int rows = lines - 1 - skip < avail ? lines - 1 - skip : avail;
                    copywin(pad, w, skip, 0, y + ry + 1 + skip, ex, y + ry + skip + rows,
                            ex + errw - 1, FALSE);
                    delwin(pad);
                }
            }
            free(m);
        }
        line += lines;
    }
    /* Say when there is more than fits. */
    if (f->top > 0)
        tui_put(w, y, x + width - 3, 3, " ^ ", tui_attr(TUI_DIM));
    if (total - f->top > h)
        tui_put(w, y + h - 1, x + width - 3, 3, " v ", tui_attr(TUI_DIM));
}
