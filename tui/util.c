/* tui/util.c: aborting allocators, UTF-8 text conversion, and how the
 * locale shows a character. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/util.h"

void *tui_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "dify-tui: out of memory (%zu bytes)\n", n);
        abort();
    }
    return p;
}

void *tui_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "dify-tui: out of memory (%zu bytes)\n", n);
        abort();
    }
    return q;
}

char *tui_xstrdup(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *d = tui_xmalloc(n + 1);
    memcpy(d, s ? s : "", n + 1);
    return d;
}

void tui_str_set(char **p, const char *s)
{
    char *d = s ? tui_xstrdup(s) : NULL;
    free(*p);
    *p = d;
}

/* One UTF-8 character at s (len > 0 bytes): its length, with the code point
 * in *cp; 0 when the bytes there are not UTF-8 (a stray continuation byte,
 * an overlong form, a surrogate, past U+10FFFF, cut short). */
static size_t utf8_one(const unsigned char *s, size_t len, wchar_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (wchar_t)c;
        return 1;
    }
    size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (k == 0 || c > 0xF4 || len < k)
        return 0;
    unsigned v = c & (0x7F >> k);
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    if ((k == 3 && v < 0x800) || (k == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
        (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = (wchar_t)v;
    return k;
}

/* The program's text is UTF-8 whatever the locale (files, servers and
 * textsafe's output all are); what the locale decides is only how a
 * character is drawn (tui_glyph). */
wchar_t *tui_wcs_from_mbs(const char *s, size_t *n_out)
{
    if (!s)
        s = "";
    size_t len = strlen(s);
    wchar_t *w = tui_xmalloc((len + 1) * sizeof(*w));
    size_t n = tui_wcs_from_mbs_n(s, len, w);
    if (n_out)
        *n_out = n;
    return w;
}

size_t tui_wcs_from_mbs_n(const char *s, size_t len, wchar_t *w)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (len > 0) {
        wchar_t c;
        size_t k = utf8_one(p, len, &c);
        if (k == 0) {
            c = L'?'; /* not UTF-8: a replacement, one byte skipped */
            k = 1;
        }
        w[n++] = c;
        p += k;
        len -= k;
    }
    w[n] = 0;
    return n;
}

char *tui_mbs_from_wcs(const wchar_t *w, size_t n)
{
    char *out = tui_xmalloc(n * 4 + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned long c = (unsigned long)w[i];
        if (c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF))
            c = '?';
        if (c < 0x80) {
            out[o++] = (char)c;
        } else if (c < 0x800) {
            out[o++] = (char)(0xC0 | c >> 6);
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[o++] = (char)(0xE0 | c >> 12);
            out[o++] = (char)(0x80 | (c >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | c >> 18);
            out[o++] = (char)(0x80 | (c >> 12 & 0x3F));
            out[o++] = (char)(0x80 | (c >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[o] = 0;
    return out;
}

/* Whether the locale's character set has c (every one in UTF-8; only ASCII
 * under LANG=C; Latin-1 under ISO-8859-1). */
static bool locale_has(wchar_t c)
{
    if (c < 0x80)
        return true;
    char buf[MB_LEN_MAX];
    mbstate_t st;
    memset(&st, 0, sizeof(st));
    return wcrtomb(buf, c, &st) != (size_t)-1;
}

/* What a character the locale cannot show is drawn as: one ASCII column
 * that reads the same where there is one, else '?' (one per character,
 * never one per byte, so the columns stay where they were counted). */
static wchar_t ascii_stand_in(wchar_t c)
{
    static const struct {
        wchar_t lo, hi;
        char as;
    } map[] = {
        {0x00A0, 0x00A0, ' '}, {0x00AB, 0x00AB, '<'}, {0x00B7, 0x00B7, '-'},  {0x00BB, 0x00BB, '>'},
        {0x00D7, 0x00D7, 'x'}, {0x2010, 0x2015, '-'}, {0x2018, 0x201B, '\''}, {0x201C, 0x201F, '"'},
        {0x2022, 0x2022, '-'}, {0x2026, 0x2026, '~'}, {0x2032, 0x2032, '\''}, {0x2033, 0x2033, '"'},
        {0x2190, 0x2190, '<'}, {0x2191, 0x2191, '^'}, {0x2192, 0x2192, '>'},  {0x2193, 0x2193, 'v'},
        {0x2194, 0x2194, '-'}, {0x21BB, 0x21BB, '~'}, {0x2212, 0x2212, '-'},  {0x2219, 0x2219, '-'},
        {0x2500, 0x2501, '-'}, {0x2502, 0x2503, '|'}, {0x2504, 0x2505, '-'},  {0x2506, 0x2507, '|'},
        {0x2508, 0x2509, '-'}, {0x250A, 0x250B, '|'}, {0x250C, 0x254B, '+'},  {0x254C, 0x254D, '-'},
        {0x254E, 0x254F, '|'}, {0x2550, 0x2550, '-'}, {0x2551, 0x2551, '|'},  {0x2552, 0x257F, '+'},
        {0x2580, 0x259F, '#'}, {0x25B6, 0x25BA, '>'}, {0x2713, 0x2714, '+'},  {0x2717, 0x2718, 'x'},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (c >= map[i].lo && c <= map[i].hi)
            return (wchar_t)map[i].as;
    return L'?';
}

wchar_t tui_glyph(wchar_t c)
{
    if (c < 0x80 || locale_has(c))
        return c;
    return ascii_stand_in(c);
}

int tui_wchar_cols(wchar_t c)
{
    int k = wcwidth(tui_glyph(c));
    return k < 0 ? 1 : k;
}

int tui_text_cols(const char *s)
{
    size_t n;
    wchar_t *w = tui_wcs_from_mbs(s, &n);
    int cols = 0;
    for (size_t i = 0; i < n; i++)
        cols += tui_wchar_cols(w[i]);
    free(w);
    return cols;
}

bool tui_text_showable(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    while (len > 0) {
        wchar_t c;
        size_t k = utf8_one(p, len, &c);
        if (k == 0 || !locale_has(c) || wcwidth(c) < 0)
            return false;
        p += k;
        len -= k;
    }
    return true;
}
