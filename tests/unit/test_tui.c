/* tests/unit/test_tui.c: the widgets on their own: text field editing (UTF-8,
 * cursor, masks), form focus and callbacks, dialogs, tables, and drawing into
 * a fixed 80x24 virtual terminal read back as text. Links tui/ only. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/bar.h"
#include "tui/dialog.h"
#include "tui/errorbox.h"
#include "tui/draw.h"
#include "tui/form.h"
#include "tui/keys.h"
#include "tui/logview.h"
#include "tui/table.h"
#include "tui/term.h"
#include "tui/textfield.h"
#include "tui/theme.h"
#include "tui/util.h"

static void type_text(struct tui_textfield *t, const wchar_t *s)
{
    for (; *s; s++)
        assert_int_equal(tui_textfield_key(t, (int)*s), TUI_TF_CHANGED);
}

static void check_text(const struct tui_textfield *t, const char *want)
{
    char *s = tui_textfield_get(t);
    assert_string_equal(s, want);
    free(s);
}

static void test_textfield_utf8_editing(void **state)
{
    struct tui_textfield t;
    tui_textfield_init(&t);
    tui_textfield_set(&t, "h\xc3\xa9llo"); /* héllo */
    assert_int_equal(t.len, 5);
    assert_int_equal(t.cursor, 5);
    tui_textfield_key(&t, TUI_KEY_HOME);
    tui_textfield_key(&t, TUI_KEY_RIGHT);
    tui_textfield_key(&t, TUI_KEY_DELETE); /* removes é, one char not one byte */
    check_text(&t, "hllo");
    type_text(&t, L"\u00fc\u4e16"); /* ü and a double-width CJK char */
    check_text(&t, "h\xc3\xbc\xe4\xb8\x96llo");
    tui_textfield_key(&t, TUI_KEY_BACKSPACE);
    check_text(&t, "h\xc3\xbcllo");
    tui_textfield_key(&t, TUI_KEY_END);
    assert_int_equal(t.cursor, t.len);
    tui_textfield_key(&t, TUI_CTRL('a'));
    assert_int_equal(t.cursor, 0);
    tui_textfield_key(&t, TUI_KEY_BACKSPACE); /* at the start: nothing to delete */
    check_text(&t, "h\xc3\xbcllo");
    tui_textfield_key(&t, TUI_KEY_RIGHT);
    tui_textfield_key(&t, TUI_CTRL('k'));
    check_text(&t, "h");
    assert_int_equal(tui_textfield_key(&t, TUI_KEY_PGDN), TUI_TF_IGNORED);
    assert_int_equal(tui_textfield_key(&t, TUI_KEY_ENTER), TUI_TF_IGNORED);
    tui_textfield_done(&t);
}

static void test_textfield_draw_masked_and_scrolled(void **state)
{
    struct tui_textfield t;
    tui_textfield_init(&t);
    tui_textfield_set(&t, "secret-value");
    t.masked = true;
    werase(stdscr);
    tui_textfield_draw(&t, stdscr, 0, 0, 20, A_NORMAL, false);
    char *dump = tui_dump(stdscr);
    assert_true(strncmp(dump, "************\n", 13) == 0);
    free(dump);
    t.revealed = true;
    werase(stdscr);
    tui_textfield_draw(&t, stdscr, 0, 0, 5, A_NORMAL, true);
    dump = tui_dump(stdscr);
    /* The cursor sits after the end, so the window shows the last chars. */
    assert_true(strncmp(dump, "alue\n", 5) == 0);
    free(dump);
    tui_textfield_done(&t);
}

struct form_log {
    int commits;
    int activations;
    int last_tag;
};

static void on_commit(struct tui_form *f, struct tui_form_row *row, void *arg)
{
    struct form_log *log = arg;
    log->commits++;
    log->last_tag = row->tag;
}

static void on_activate(struct tui_form *f, struct tui_form_row *row, void *arg)
{
    struct form_log *log = arg;
    log->activations++;
}

static const struct tui_form_ops log_ops = {on_commit, on_activate};
static const char *const fruit[] = {"apple", "pear", "fig", NULL};

static void test_form_focus_edit_and_callbacks(void **state)
{
    struct form_log log = {0};
    struct tui_form f;
    tui_form_init(&f, &log_ops, &log);
    tui_form_add_heading(&f, "Section");
    int t = tui_form_add_text(&f, "Name", "abc", NULL);
    f.rows[t].tag = 7;
    int c = tui_form_add_choice(&f, "Fruit", fruit, 0, NULL);
    int k = tui_form_add_check(&f, "Enabled", false, NULL);
    tui_form_add_note(&f, "a note", TUI_DIM);
    int b = tui_form_add_button(&f, "Go", NULL);
    assert_int_equal(f.focus, t); /* headings are skipped */

    /* Enter edits, typing changes, Esc puts the old text back. */
    assert_true(tui_form_key(&f, TUI_KEY_ENTER));
    assert_true(f.editing);
    tui_form_key(&f, 'x');
    tui_form_key(&f, TUI_KEY_ESC);
    assert_false(f.editing);
    check_text(&f.rows[t].text, "abc");
    assert_int_equal(log.commits, 0);

    /* Enter, type, Tab accepts, commits and moves on. */
    tui_form_key(&f, TUI_KEY_ENTER);
    tui_form_key(&f, 'd');
    tui_form_key(&f, TUI_KEY_TAB);
    check_text(&f.rows[t].text, "abcd");
    assert_int_equal(log.commits, 1);
    assert_int_equal(log.last_tag, 7);
    assert_int_equal(f.focus, c);

    tui_form_key(&f, ' ');
    assert_int_equal(f.rows[c].selected, 1);
    tui_form_key(&f, TUI_KEY_LEFT);
    tui_form_key(&f, TUI_KEY_LEFT);
    assert_int_equal(f.rows[c].selected, 2);
    assert_int_equal(log.commits, 4);

    tui_form_key(&f, TUI_KEY_DOWN);
    assert_int_equal(f.focus, k);
    tui_form_key(&f, ' ');
    assert_true(f.rows[k].checked);

    tui_form_key(&f, TUI_KEY_DOWN); /* skips the note */
    assert_int_equal(f.focus, b);
    assert_false(tui_form_move(&f, +1));
    tui_form_key(&f, TUI_KEY_ENTER);
    assert_int_equal(log.activations, 1);
    tui_form_key(&f, TUI_KEY_BTAB);
    assert_int_equal(f.focus, k);

    /* While editing, PgDn accepts the edit and is left to the caller. */
    tui_form_focus(&f, t);
    tui_form_key(&f, TUI_KEY_ENTER);
    tui_form_key(&f, 'e');
    assert_false(tui_form_key(&f, TUI_KEY_PGDN));
    assert_false(f.editing);
    check_text(&f.rows[t].text, "abcde");

    tui_form_done(&f);
}

static void test_form_draw_and_scroll(void **state)
{
    struct tui_form f;
    tui_form_init(&f, NULL, NULL);
    char label[32];
    for (int i = 0; i < 30; i++) {
        snprintf(label, sizeof(label), "Row %d", i);
        int r = tui_form_add_text(&f, label, "value", NULL);
        if (i == 25)
            tui_form_set_error(&f, r, "bad value", false);
    }
    tui_form_focus(&f, 25);
    werase(stdscr);
    tui_form_draw(&f, stdscr, 0, 0, 10, 60);
    char *dump = tui_dump(stdscr);
    assert_non_null(strstr(dump, "> Row 25    value"));
    assert_non_null(strstr(dump, "error: bad value"));
    assert_null(strstr(dump, "Row 3 "));
    free(dump);
    tui_form_done(&f);
}

static void test_form_wraps_long_messages(void **state)
{
    struct tui_form f;
    tui_form_init(&f, NULL, NULL);
    int r = tui_form_add_text(&f, "Host", "bad_host", NULL);
    tui_form_set_error(&f, r, "character '_' is not allowed; use a-z, 0-9 and '-' only", false);
    tui_form_add_text(&f, "Next", "x", NULL);
    werase(stdscr);
    tui_form_draw(&f, stdscr, 0, 0, 10, 40);
    char *dump = tui_dump(stdscr);
    assert_string_equal(dump, "> Host      bad_host\n"
                              "            error: character '_' is not\n"
                              "            allowed; use a-z, 0-9 and\n"
                              "            '-' only\n"
                              "  Next      x\n"
                              "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n");
    free(dump);
    /* Scrolled so that only the last message line is visible: no garbage. */
    f.top = 3;
    tui_form_focus(&f, 1);
    werase(stdscr);
    tui_form_draw(&f, stdscr, 0, 0, 2, 40);
    dump = tui_dump(stdscr);
    assert_true(strncmp(dump, "            '-' only ", 21) == 0);
    assert_non_null(strstr(dump, " ^\n> Next      x\n"));
    free(dump);
    tui_form_done(&f);
}

/* Wrapping: a word that ends exactly at the width stays on its line; a word
 * longer than a line is cut anywhere; the hanging indent narrows the rest. */
static void test_wrap(void **state)
{
    struct tui_wrap_line l[8];
    assert_int_equal(tui_wrap(L"ab cd ef", 8, 5, 0, l, 8), 2);
    assert_int_equal(l[0].start, 0);
    assert_int_equal(l[0].len, 5); /* "ab cd" */
    assert_int_equal(l[1].start, 6);
    assert_int_equal(tui_wrap(L"abcdefghij", 10, 4, 0, l, 8), 3);
    assert_int_equal(l[2].len, 2);
    assert_int_equal(tui_wrap(L"abcdefghij", 10, 4, 2, l, 8), 4); /* 4, then 2 a line */
    assert_int_equal(tui_text_lines("", 10, 0), 0);
    /* Cut to two lines: the second ends in the cut mark. */
    werase(stdscr);
    assert_int_equal(tui_put_wrapped(stdscr, 0, 0, 4, 2, "abcdefghijkl", A_NORMAL), 2);
    char *dump = tui_dump(stdscr);
    assert_true(strncmp(dump, "abcd\nefg\xe2\x80\xa6\n", 10) == 0);
    free(dump);
}

/* Choices wrap between options; long values wrap; the scroll marks get a
 * column of their own. */
static void test_form_wraps_rows(void **state)
{
    static const char *const kinds[] = {"opensearch", "milvus",   "pgvector",
                                        "qdrant",     "weaviate", NULL};
    struct tui_form f;
    tui_form_init(&f, NULL, NULL);
    tui_form_add_choice(&f, "Store", kinds, 4, NULL);
    int r = tui_form_add_text(&f, "Key", "0123456789012345678901234567890123456789END", NULL);
    f.rows[r].text.masked = true;
    tui_form_add_note(&f, "a note long enough to need a second line in forty columns", 0);
    werase(stdscr);
    tui_form_draw(&f, stdscr, 0, 0, 20, 40);
    char *dump = tui_dump(stdscr);
    assert_non_null(strstr(dump, "(x) weaviate"));
    assert_null(strstr(dump, "END"));
    assert_non_null(
        strstr(dump, "  a note long enough to need a second\n  line in forty columns\n"));
    free(dump);
    f.rows[r].text.revealed = true;
    werase(stdscr);
    tui_form_draw(&f, stdscr, 0, 0, 20, 40);
    dump = tui_dump(stdscr);
    assert_non_null(strstr(dump, "END\n"));
    free(dump);
    /* Three lines high: the marks sit in the last column, over no text. */
    werase(stdscr);
    tui_form_draw(&f, stdscr, 0, 0, 3, 40);
    dump = tui_dump(stdscr);
    assert_non_null(strstr(dump, "v\n"));
    assert_int_equal(strchr(dump, '\n') - dump <= 40, 1);
    free(dump);
    tui_form_done(&f);
}

/* Home/End and page-wise movement over a form taller than its area. */
static void test_form_page_keys(void **state)
{
    struct tui_form f;
    tui_form_init(&f, NULL, NULL);
    tui_form_add_heading(&f, "Top");
    for (int i = 0; i < 30; i++) {
        char label[16];
        snprintf(label, sizeof(label), "row%02d", i);
        tui_form_add_text(&f, label, "", NULL);
    }
    tui_form_add_note(&f, "the end", 0);
    assert_false(tui_form_page(&f, +1)); /* never drawn: no height known */
    tui_form_draw(&f, stdscr, 0, 0, 10, 40);
    assert_true(tui_form_key(&f, TUI_KEY_END));
    assert_int_equal(f.focus, 30);
    werase(stdscr);
    tui_form_draw(&f, stdscr, 0, 0, 10, 40);
    char *dump = tui_dump(stdscr);
    assert_non_null(strstr(dump, "the end")); /* the last row brings the note */
    free(dump);
    assert_false(tui_form_page(&f, +1)); /* the end is shown: the caller's turn */
    assert_true(tui_form_key(&f, TUI_KEY_HOME));
    assert_int_equal(f.focus, 1);
    tui_form_draw(&f, stdscr, 0, 0, 10, 40);
    assert_false(tui_form_page(&f, -1));
    assert_true(tui_form_page(&f, +1));
    assert_int_equal(f.top, 9);
    assert_int_equal(f.focus, 9); /* the first row in the new view */
    tui_form_draw(&f, stdscr, 0, 0, 10, 40);
    assert_int_equal(f.top, 9);
    assert_true(tui_form_page(&f, -1));
    assert_int_equal(f.top, 0);
    tui_form_done(&f);
}

static void test_dialog_keys_and_draw(void **state)
{
    struct tui_dialog d;
    tui_dialog_init(&d, TUI_DIALOG_CONFIRM, "Leave?", "Leave without writing?");
    assert_int_equal(tui_dialog_key(&d, TUI_KEY_ENTER), TUI_DIALOG_NO); /* No is the default */
    tui_dialog_key(&d, TUI_KEY_LEFT);
    assert_int_equal(tui_dialog_key(&d, TUI_KEY_ENTER), TUI_DIALOG_YES);
    assert_int_equal(tui_dialog_key(&d, 'n'), TUI_DIALOG_NO);
    assert_int_equal(tui_dialog_key(&d, TUI_KEY_ESC), TUI_DIALOG_NO);
    assert_int_equal(tui_dialog_key(&d, 'x'), TUI_DIALOG_NONE);
    werase(stdscr);
    tui_dialog_draw(&d, stdscr);
    char *dump = tui_dump(stdscr);
    assert_non_null(strstr(dump, "Leave without writing?"));
    assert_non_null(strstr(dump, "[ Yes ]    [ No ]"));
    free(dump);
    tui_dialog_done(&d);
}

static void test_table_columns(void **state)
{
    static const char *const head[] = {"", "test", "prod"};
    static const char *const r1[] = {"Nodes", "m7g.xlarge x 1", "m7g.2xlarge x 6"};
    static const char *const r2[] = {"ACU", "0.5-4", NULL};
    struct tui_table t;
    tui_table_init(&t, 3, head);
    tui_table_add_row(&t, r1);
    tui_table_add_row(&t, r2);
    assert_int_equal(tui_table_height(&t), 4);
    assert_string_equal(tui_table_cell(&t, 1, 2), "");
    werase(stdscr);
    tui_table_draw(&t, stdscr, 0, 0, 10, 80);
    char *dump = tui_dump(stdscr);
    assert_true(strncmp(dump,
                        "       test            prod\n"
                        "-------------------------------------------\n"
                        "Nodes  m7g.xlarge x 1  m7g.2xlarge x 6\n"
                        "ACU    0.5-4\n",
                        strlen("       test")) == 0);
    assert_non_null(strstr(dump, "Nodes  m7g.xlarge x 1  m7g.2xlarge x 6\n"));
    assert_non_null(strstr(dump, "ACU    0.5-4\n"));
    free(dump);
    tui_table_done(&t);
}

static void test_too_small_and_hints(void **state)
{
    resize_term(20, 60);
    tui_term_draw_too_small(stdscr);
    char *dump = tui_dump(stdscr);
    assert_non_null(strstr(dump, "terminal too small: 60x20, need 80x24"));
    assert_true(tui_term_too_small());
    free(dump);
    resize_term(24, 80);
    assert_false(tui_term_too_small());
    static const struct tui_hint hints[] = {{"Tab", "next", NULL}, {"\xe2\x86\x91", "prev", NULL}};
    werase(stdscr);
    tui_hints_draw(stdscr, 23, hints, 2);
    dump = tui_dump(stdscr);
    assert_non_null(strstr(dump, "Tab next  \xe2\x86\x91 prev\n"));
    free(dump);
    /* Where the locale cannot show the arrows, the hint says it in ASCII. */
    static const struct tui_hint arrows[] = {{"Tab/\xe2\x86\x93\xe2\x86\x91", "field", "Tab"},
                                             {"Esc", "quit"}};
    assert_true(tui_text_showable("\xe2\x86\x93"));
    setlocale(LC_CTYPE, "C");
    assert_false(tui_text_showable("\xe2\x86\x93"));
    werase(stdscr);
    tui_hints_draw(stdscr, 23, arrows, 2);
    dump = tui_dump(stdscr);
    assert_non_null(strstr(dump, "Tab field  Esc quit\n"));
    free(dump);
    setlocale(LC_CTYPE, "C.UTF-8");
}

/* A locale that is not UTF-8 (LANG=C over ssh): the program's text stays
 * UTF-8, so an edited value keeps its characters (it became one '?' per
 * byte), and each character the locale cannot show is drawn as one ASCII
 * column (it was one '?' per byte, and the columns after it moved). */
static void test_non_utf8_locale(void **state)
{
    setlocale(LC_CTYPE, "C");
    struct tui_textfield t;
    tui_textfield_init(&t);
    tui_textfield_set(&t, "p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac"); /* pässwörd€ */
    assert_int_equal(t.len, 9);
    tui_textfield_key(&t, TUI_KEY_END);
    type_text(&t, L"x");
    check_text(&t, "p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xacx");
    werase(stdscr);
    tui_textfield_draw(&t, stdscr, 0, 0, 20, A_NORMAL, false);
    tui_put(stdscr, 1, 0, 40, "ok \xc2\xb7 1.13.3 \xc2\xb7 3 ms|", A_NORMAL);
    tui_put(stdscr, 2, 0, 40, "\xe2\x86\x91\xe2\x86\x93 \xe2\x94\x80\xe2\x94\x82 \xe4\xb8\x96|",
            A_NORMAL);
    char *dump = tui_dump(stdscr);
    assert_true(strncmp(dump, "p?ssw?rd?x\nok - 1.13.3 - 3 ms|\n^v -| ?|\n", 39) == 0);
    free(dump);
    assert_int_equal(tui_text_cols("\xc2\xb7\xe4\xb8\x96"), 2);
    assert_false(tui_text_showable("\xc2\xb7"));
    tui_textfield_done(&t);
    setlocale(LC_CTYPE, "C.UTF-8");
    /* and in UTF-8 every character is itself */
    werase(stdscr);
    tui_put(stdscr, 0, 0, 40, "ok \xc2\xb7 \xe4\xb8\x96|", A_NORMAL);
    dump = tui_dump(stdscr);
    assert_true(strncmp(dump, "ok \xc2\xb7 \xe4\xb8\x96|\n", 11) == 0);
    free(dump);
    assert_int_equal(tui_text_cols("\xc2\xb7\xe4\xb8\x96"), 3);
}

static void test_keys_and_theme(void **state)
{
    assert_int_equal(tui_key_from_curses(OK, '\r'), TUI_KEY_ENTER);
    assert_int_equal(tui_key_from_curses(OK, 27), TUI_KEY_ESC);
    assert_int_equal(tui_key_from_curses(KEY_CODE_YES, KEY_BTAB), TUI_KEY_BTAB);
    assert_int_equal(tui_key_from_curses(KEY_CODE_YES, KEY_NPAGE), TUI_KEY_PGDN);
    assert_int_equal(tui_key_from_curses(OK, 0x4e16), 0x4e16);
    assert_true(tui_key_is_text(0x4e16));
    assert_false(tui_key_is_text(TUI_CTRL('n')));
    assert_string_equal(tui_key_name(TUI_CTRL('n')), "C-n");
    /* The virtual terminal runs without colour: roles are plain attributes. */
    assert_false(tui_theme_has_colour());
    assert_int_equal(tui_attr(TUI_FOCUS), A_REVERSE);
    setenv("NO_COLOR", "1", 1);
    assert_true(tui_theme_no_color_env());
    setenv("NO_COLOR", "", 1);
    assert_false(tui_theme_no_color_env());
}

/* Reads every key the bytes in seq make on a terminal of type type. */
static int read_keys(const char *type, const char *seq, int *keys, int max)
{
    tui_term_done();
    int fd = -1;
    assert_int_equal(tui_term_init_test(80, 24, type, &fd, NULL), 0);
    assert_int_equal(write(fd, seq, strlen(seq)), (ssize_t)strlen(seq));
    int n = 0, k;
    while (n < max && (k = tui_key_read(stdscr)) != TUI_KEY_NONE)
        keys[n++] = k;
    tui_term_done();
    assert_int_equal(tui_term_init_virtual(80, 24, NULL), 0);
    return n;
}

/* PgDn, Home and End as tmux and xterm send them, on terminal types whose
 * entries do not list them (vt100 has none of the three): never Esc. */
static void test_keys_from_sequences(void **state)
{
    static const char *const types[] = {"vt100", "xterm", "xterm-256color", "screen"};
    for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
        int keys[16];
        int n = read_keys(types[t], "\033[6~\033[5~\033[1~\033[4~\033[H\033[Fx", keys, 16);
        print_message("# %s: %d keys\n", types[t], n);
        assert_int_equal(n, 7);
        assert_int_equal(keys[0], TUI_KEY_PGDN);
        assert_int_equal(keys[1], TUI_KEY_PGUP);
        assert_int_equal(keys[2], TUI_KEY_HOME);
        assert_int_equal(keys[3], TUI_KEY_END);
        assert_int_equal(keys[4], TUI_KEY_HOME);
        assert_int_equal(keys[5], TUI_KEY_END);
        assert_int_equal(keys[6], 'x');
    }
    /* A sequence nothing knows (F20 with modifiers, an Alt+letter) is
     * skipped whole: no Esc, no stray "[" or "~" typed into a field; a key
     * nothing uses (F10, "\033Ox" on a vt100) does not hide the keys after it. */
    int keys[16];
    int n = read_keys("vt100", "\033[34;5~a\033Ozb\033zc\033Oxd", keys, 16);
    assert_int_equal(n, 4);
    assert_int_equal(keys[0], 'a');
    assert_int_equal(keys[1], 'b');
    assert_int_equal(keys[2], 'c');
    assert_int_equal(keys[3], 'd');
    /* A lone Esc is still Esc. */
    n = read_keys("vt100", "\033", keys, 16);
    assert_int_equal(n, 1);
    assert_int_equal(keys[0], TUI_KEY_ESC);
    /* A bracketed paste is text: its line ends are not Enter (dropped), a
     * tab is a space, and the Enter after it is Enter again. */
    n = read_keys("xterm", "\033[200~ab\r\n?\tq\033[201~\r", keys, 16);
    assert_int_equal(n, 6);
    assert_int_equal(keys[0], 'a');
    assert_int_equal(keys[1], 'b');
    assert_int_equal(keys[2], '?');
    assert_int_equal(keys[3], ' ');
    assert_int_equal(keys[4], 'q');
    assert_int_equal(keys[5], TUI_KEY_ENTER);
}

/* Terminals that cannot show the screens are refused with a reason. */
static void test_terminal_types(void **state)
{
    struct tui_error why;
    assert_true(tui_term_usable("xterm", &why));
    assert_true(tui_term_usable("vt100", &why));
    assert_false(tui_term_usable("dumb", &why));
    assert_non_null(strstr(why.msg, "TERM=dumb"));
    assert_non_null(strstr(why.msg, "cannot move the cursor"));
    assert_false(tui_term_usable("no-such-terminal-type", &why));
    assert_non_null(strstr(why.msg, "no terminfo entry"));
    /* The test terminal is still there afterwards. */
    assert_int_equal(getmaxx(stdscr), 80);
}

/* ---- the log pane ---- */

static void add_lines(struct tui_logview *lv, int from, int to)
{
    for (int i = from; i < to; i++) {
        char line[64];
        snprintf(line, sizeof(line), "line %d%s", i, i % 7 == 3 ? " error here" : "");
        tui_logview_add(lv, line, TUI_NORMAL);
    }
}

/* Row y of the screen as text. */
static char *row_text(int y)
{
    char *dump = tui_dump(stdscr);
    char *p = dump;
    for (int i = 0; i < y && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    char *nl = p ? strchr(p, '\n') : NULL;
    char *row = strndup(p ? p : "", nl ? (size_t)(nl - p) : 0);
    free(dump);
    return row;
}

static void assert_row(int y, const char *want)
{
    char *got = row_text(y);
    if (strcmp(got, want) != 0)
        print_message("# row %d: got '%s', want '%s'\n", y, got, want);
    assert_string_equal(got, want);
    free(got);
}

static void draw_log(struct tui_logview *lv, int h)
{
    werase(stdscr);
    tui_logview_draw(lv, stdscr, 0, 0, h, 40);
}

/* Bounded by lines and by bytes, whatever is added; long lines cut on a
 * character boundary. */
static void test_logview_bounded(void **state)
{
    struct tui_logview lv;
    tui_logview_init(&lv, 100, 0);
    add_lines(&lv, 0, 1000);
    assert_int_equal(tui_logview_count(&lv), 100);
    assert_int_equal(tui_logview_first(&lv), 900);
    assert_string_equal(tui_logview_line(&lv, 900), "line 900");
    assert_null(tui_logview_line(&lv, 899));
    assert_null(tui_logview_line(&lv, 1000));
    tui_logview_done(&lv);

    tui_logview_init(&lv, 0, 1000);
    char big[101];
    memset(big, 'x', 100);
    big[100] = 0;
    for (int i = 0; i < 50; i++)
        tui_logview_add(&lv, big, TUI_NORMAL);
    assert_true(lv.bytes <= 1000);
    assert_int_equal(tui_logview_count(&lv), 10);
    /* 3000 two-byte characters: cut to at most the line maximum, whole chars. */
    char *wide = malloc(6001);
    for (int i = 0; i < 3000; i++)
        memcpy(wide + 2 * i, "\xc3\xa9", 2);
    wide[6000] = 0;
    tui_logview_add(&lv, wide, TUI_NORMAL);
    const char *kept = tui_logview_line(&lv, lv.total - 1);
    assert_true(strlen(kept) <= TUI_LOGVIEW_LINE_MAX);
    assert_int_equal(strlen(kept) % 2, 0);
    assert_true(lv.bytes <= 1000 || tui_logview_count(&lv) == 1);
    free(wide);
    /* A newline ends a line: the rest is not drawn as a control. */
    tui_logview_add(&lv, "first\nsecond", TUI_NORMAL);
    assert_string_equal(tui_logview_line(&lv, lv.total - 1), "first");
    tui_logview_done(&lv);
}

/* Follows the end until scrolled away; stays put while lines come; End
 * follows again; Home is the first kept line. */
static void test_logview_follow_and_scroll(void **state)
{
    struct tui_logview lv;
    tui_logview_init(&lv, 50, 0);
    add_lines(&lv, 0, 30);
    draw_log(&lv, 10);
    assert_row(0, "line 20");
    assert_row(9, "line 29");
    char desc[128];
    tui_logview_describe(&lv, desc, sizeof(desc));
    assert_string_equal(desc, "end: 21-30 of 30");
    assert_true(tui_logview_key(&lv, TUI_KEY_UP));
    add_lines(&lv, 30, 35); /* the view stays on the same text */
    draw_log(&lv, 10);
    assert_row(0, "line 19");
    assert_false(lv.follow);
    tui_logview_key(&lv, TUI_KEY_PGUP);
    draw_log(&lv, 10);
    assert_row(0, "line 10 error here");
    tui_logview_describe(&lv, desc, sizeof(desc));
    assert_string_equal(desc, "lines 11-20 of 35");
    tui_logview_key(&lv, TUI_KEY_HOME);
    draw_log(&lv, 10);
    assert_row(0, "line 0");
    /* Lines dropped from under the view: it moves to the first kept. */
    add_lines(&lv, 35, 60);
    draw_log(&lv, 10);
    assert_row(0, "line 10 error here");
    tui_logview_key(&lv, TUI_KEY_END);
    add_lines(&lv, 60, 62);
    draw_log(&lv, 10);
    assert_row(9, "line 61");
    /* Down to the end follows again. */
    tui_logview_key(&lv, TUI_KEY_UP);
    tui_logview_key(&lv, TUI_KEY_DOWN);
    assert_true(lv.follow);
    /* Left/Right scroll across. */
    tui_logview_add(&lv, "0123456789abcdef", TUI_NORMAL);
    tui_logview_key(&lv, TUI_KEY_RIGHT);
    draw_log(&lv, 10);
    assert_row(9, "89abcdef");
    tui_logview_key(&lv, TUI_KEY_LEFT);
    draw_log(&lv, 10);
    assert_row(9, "0123456789abcdef");
    tui_logview_done(&lv);
}

/* `/` error Enter, n, N, wrapping, no match, smartcase, highlighting. */
static void test_logview_search(void **state)
{
    struct tui_logview lv;
    tui_logview_init(&lv, 0, 0);
    add_lines(&lv, 0, 40); /* "error" on lines 3, 10, 17, 24, 31, 38 */
    draw_log(&lv, 10);     /* shows 30-39 */
    tui_logview_key(&lv, TUI_KEY_HOME);
    tui_logview_key(&lv, '/');
    assert_true(lv.prompting);
    const char *q = "error";
    for (; *q; q++)
        tui_logview_key(&lv, *q);
    draw_log(&lv, 10);
    assert_row(9, "/error");
    tui_logview_key(&lv, TUI_KEY_ENTER);
    assert_false(lv.prompting);
    assert_true(lv.have_match);
    assert_int_equal(lv.match, 3);
    tui_logview_key(&lv, 'n');
    assert_int_equal(lv.match, 10);
    draw_log(&lv, 10);
    /* the match is brought to the top of the pane, highlighted */
    chtype c = mvwinch(stdscr, 0, 8); /* "line 10 error here": 'e' of error */
    assert_true((c & A_REVERSE) != 0);
    c = mvwinch(stdscr, 0, 0);
    assert_false((c & A_REVERSE) != 0);
    char desc[128];
    tui_logview_describe(&lv, desc, sizeof(desc));
    assert_string_equal(desc, "lines 11-20 of 40, 6 match 'error'");
    tui_logview_key(&lv, 'N');
    assert_int_equal(lv.match, 3);
    tui_logview_key(&lv, 'N'); /* wraps to the bottom */
    assert_int_equal(lv.match, 38);
    tui_logview_describe(&lv, desc, sizeof(desc));
    assert_string_equal(desc, "search wrapped to the bottom");
    tui_logview_key(&lv, 'n');
    assert_int_equal(lv.match, 3);
    /* smartcase: a capital makes the search exact */
    assert_false(tui_logview_search(&lv, "ERROR", true));
    tui_logview_describe(&lv, desc, sizeof(desc));
    assert_string_equal(desc, "no line holds 'ERROR'");
    tui_logview_add(&lv, "an ERROR in capitals", TUI_NORMAL);
    assert_true(tui_logview_search(&lv, "ERROR", true));
    assert_int_equal(lv.match, 40);
    assert_true(tui_logview_search(&lv, "line 2", true));
    /* Esc closes the prompt without searching; Enter on an empty prompt
     * repeats the last search. */
    tui_logview_key(&lv, '/');
    tui_logview_key(&lv, 'x');
    tui_logview_key(&lv, TUI_KEY_ESC);
    assert_false(lv.prompting);
    assert_string_equal(lv.query, "line 2");
    unsigned long long m = lv.match;
    tui_logview_key(&lv, '/');
    tui_logview_key(&lv, TUI_KEY_ENTER);
    assert_true(lv.match != m);
    /* The count follows lines added and dropped. */
    tui_logview_done(&lv);
    tui_logview_init(&lv, 10, 0);
    add_lines(&lv, 0, 10);
    tui_logview_search(&lv, "error", true);
    assert_int_equal(lv.matching, 1); /* line 3 */
    add_lines(&lv, 10, 14);           /* drops 0-3, adds 10 */
    assert_int_equal(lv.matching, 1);
    tui_logview_done(&lv);
}

/* A match far to the right scrolls the view across to it. */
static void test_logview_search_scrolls_across(void **state)
{
    struct tui_logview lv;
    tui_logview_init(&lv, 0, 0);
    char line[200];
    memset(line, '.', 150);
    strcpy(line + 150, "needle");
    tui_logview_add(&lv, line, TUI_NORMAL);
    draw_log(&lv, 5);
    assert_true(tui_logview_search(&lv, "needle", true));
    assert_true(lv.hscroll > 0 && lv.hscroll <= 150);
    draw_log(&lv, 5);
    char *r = row_text(0);
    assert_non_null(strstr(r, "needle"));
    free(r);
    tui_logview_done(&lv);
}

/* ---- the progress bar ---- */

static void test_bar(void **state)
{
    char *t = tui_bar_text(10, 5, 10, false);
    assert_string_equal(t, "#####.....");
    free(t);
    t = tui_bar_text(10, 0, 0, false);
    assert_string_equal(t, "..........");
    free(t);
    t = tui_bar_text(4, 9, 3, false); /* clamped */
    assert_string_equal(t, "####");
    free(t);
    t = tui_bar_text(4, -1, 3, false);
    assert_string_equal(t, "....");
    free(t);
    /* eighths: 1 of 16 in 8 cells is half a cell */
    t = tui_bar_text(8, 1, 16, true);
    assert_string_equal(t, "\xe2\x96\x8c\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91\xe2\x96"
                           "\x91\xe2\x96\x91\xe2\x96\x91");
    free(t);
    t = tui_bar_text(3, 3, 3, true);
    assert_string_equal(t, "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88");
    free(t);
    /* Drawn: always exactly width cells, in either locale. */
    werase(stdscr);
    assert_int_equal(tui_bar_draw(stdscr, 0, 2, 10, 2, 3, A_BOLD, A_NORMAL), 10);
    assert_row(0, "  \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88"
                  "\xe2\x96\x8b\xe2\x96\x91\xe2\x96\x91\xe2\x96\x91");
    assert_true((mvwinch(stdscr, 0, 2) & A_BOLD) != 0);
    setlocale(LC_CTYPE, "C");
    werase(stdscr);
    assert_int_equal(tui_bar_draw(stdscr, 0, 0, 10, 2, 3, A_BOLD, A_NORMAL), 10);
    assert_row(0, "#######...");
    setlocale(LC_CTYPE, "C.UTF-8");
}

/* ---- the error box ---- */

static const struct tui_hint box_keys[] = {
    {"r", "retry", NULL}, {"s", "skip", NULL}, {"a", "abort", NULL}, {"Esc", "close", NULL}};

static void test_errorbox(void **state)
{
    struct tui_errorbox b;
    tui_errorbox_init(&b);
    const char *lines[30];
    char buf[30][32];
    for (int i = 0; i < 30; i++) {
        snprintf(buf[i], sizeof(buf[i]), "output line %d", i + 1);
        lines[i] = buf[i];
    }
    tui_errorbox_set(&b, "Rollouts failed",
                     "deployment/dify-api did not become ready within 600 s: 0 of 1 pods ready "
                     "(CrashLoopBackOff)",
                     "dify-tui get pods -n dify, then the logs of the pod that restarts",
                     "Last output", lines, 30);
    tui_errorbox_set_keys(&b, box_keys, 4);
    werase(stdscr);
    tui_errorbox_draw(&b, stdscr, 1, 0, 22, 80);
    char *dump = tui_dump(stdscr);
    assert_non_null(strstr(dump, "Rollouts failed"));
    assert_non_null(strstr(dump, "deployment/dify-api did not become ready"));
    assert_non_null(strstr(dump, "(CrashLoopBackOff)"));
    assert_non_null(strstr(dump, "Try: dify-tui get pods -n dify"));
    assert_non_null(strstr(dump, "output line 30\n") || strstr(dump, "output line 30 "));
    assert_null(strstr(dump, "output line 1 "));
    assert_non_null(strstr(dump, "r retry"));
    assert_non_null(strstr(dump, "Esc close"));
    assert_non_null(strstr(dump, "of 30; Up/Down scroll"));
    free(dump);
    /* Scrolled to the top: the first line shows, the last does not. */
    assert_true(tui_errorbox_key(&b, TUI_KEY_HOME));
    werase(stdscr);
    tui_errorbox_draw(&b, stdscr, 1, 0, 22, 80);
    dump = tui_dump(stdscr);
    assert_non_null(strstr(dump, "output line 1 "));
    assert_null(strstr(dump, "output line 30"));
    free(dump);
    assert_false(tui_errorbox_key(&b, 'r'));
    /* Few lines: no scrolling note; no lines: says so. */
    tui_errorbox_set(&b, "Namespace failed", "forbidden", NULL, NULL, NULL, 0);
    werase(stdscr);
    tui_errorbox_draw(&b, stdscr, 1, 0, 22, 80);
    dump = tui_dump(stdscr);
    assert_non_null(strstr(dump, "Last output: none"));
    assert_null(strstr(dump, "Try:"));
    free(dump);
    /* A tiny area draws what fits and nothing outside it. */
    tui_errorbox_set(&b, "T", "a message long enough to wrap over several lines of a narrow box",
                     "a hint", NULL, lines, 30);
    werase(stdscr);
    tui_errorbox_draw(&b, stdscr, 5, 10, 7, 30);
    dump = tui_dump(stdscr);
    for (int y = 0; y < 5; y++) {
        char *r = row_text(y);
        assert_string_equal(r, "");
        free(r);
    }
    assert_non_null(strstr(dump, "a message"));
    free(dump);
    tui_errorbox_done(&b);
}

static int setup(void **state)
{
    setlocale(LC_ALL, "C.UTF-8");
    return tui_term_init_virtual(80, 24, NULL);
}

static int teardown(void **state)
{
    tui_term_done();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_textfield_utf8_editing),
        cmocka_unit_test(test_textfield_draw_masked_and_scrolled),
        cmocka_unit_test(test_non_utf8_locale),
        cmocka_unit_test(test_form_focus_edit_and_callbacks),
        cmocka_unit_test(test_form_draw_and_scroll),
        cmocka_unit_test(test_form_wraps_long_messages),
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_form_wraps_rows),
        cmocka_unit_test(test_form_page_keys),
        cmocka_unit_test(test_dialog_keys_and_draw),
        cmocka_unit_test(test_table_columns),
        cmocka_unit_test(test_too_small_and_hints),
        cmocka_unit_test(test_keys_and_theme),
        cmocka_unit_test(test_keys_from_sequences),
        cmocka_unit_test(test_terminal_types),
        cmocka_unit_test(test_logview_bounded),
        cmocka_unit_test(test_logview_follow_and_scroll),
        cmocka_unit_test(test_logview_search),
        cmocka_unit_test(test_logview_search_scrolls_across),
        cmocka_unit_test(test_bar),
        cmocka_unit_test(test_errorbox),
    };
    return cmocka_run_group_tests_name("tui", tests, setup, teardown);
}
