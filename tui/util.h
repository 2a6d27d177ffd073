/* tui/util.h: allocation and UTF-8 text helpers for the widgets. tui/ links
 * nothing but ncursesw, so it keeps its own small aborting allocators. */
#ifndef TUI_UTIL_H
#define TUI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

void *tui_xmalloc(size_t n);
void *tui_xrealloc(void *p, size_t n);
char *tui_xstrdup(const char *s);
/* Frees *p and stores a copy of s (NULL allowed). */
void tui_str_set(char **p, const char *s);

/* UTF-8 (the program's text, whatever the locale) to a new wide string of
 * code points; each byte that is not UTF-8 becomes '?'. *n_out gets the
 * length in wide chars when not NULL. */
wchar_t *tui_wcs_from_mbs(const char *s, size_t *n_out);
/* The same into w (room for len + 1 wide chars: a byte gives at most one),
 * from len bytes of s; returns the wide chars written (w is terminated). */
size_t tui_wcs_from_mbs_n(const char *s, size_t len, wchar_t *w);
/* A wide string of n code points to a new UTF-8 string. */
char *tui_mbs_from_wcs(const wchar_t *w, size_t n);
/* Display columns of a multibyte string (non-printable chars count 1). */
int tui_text_cols(const char *s);
/* Whether the locale can show every char of s (false for "\u2193" under
 * LANG=C, where it would come out as question marks). */
bool tui_text_showable(const char *s);
/* Display columns of one wide char as tui_glyph draws it, 0..2. */
int tui_wchar_cols(wchar_t c);
/* The character drawn for c: c itself where the locale can show it, else one
 * ASCII column standing in for it ('-' for U+00B7, '>' for an arrow, '|' and
 * '-' for box lines, '?' for the rest), so a non-UTF-8 locale (LANG=C over
 * ssh) never shows one '?' per byte of a character. */
wchar_t tui_glyph(wchar_t c);

#endif
