/* tui/util.c: aborting allocators and locale-aware text conversion. */
#include "config.h"

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

wchar_t *tui_wcs_from_mbs(const char *s, size_t *n_out)
{
    if (!s)
        s = "";
    size_t len = strlen(s);
    wchar_t *w = tui_xmalloc((len + 1) * sizeof(*w));
    size_t n = 0;
    mbstate_t st;
    memset(&st, 0, sizeof(st));
    while (*s) {
        wchar_t c;
        size_t k = mbrtowc(&c, s, len, &st);
        if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
            /* Not valid in this locale: show a replacement, skip one byte. */
            c = (unsigned char)*s < 0x80 ? (wchar_t)(unsigned char)*s : L'?';
            memset(&st, 0, sizeof(st));
            k = 1;
        }
        w[n++] = c;
        s += k;
        len -= k;
    }
    w[n] = 0;
    if (n_out)
        *n_out = n;
    return w;
}

char *tui_mbs_from_wcs(const wchar_t *w, size_t n)
{
    char *out = tui_xmalloc(n * MB_CUR_MAX + 1);
    size_t o = 0;
    mbstate_t st;
    memset(&st, 0, sizeof(st));
    for (size_t i = 0; i < n; i++) {
        size_t k = wcrtomb(out + o, w[i], &st);
        if (k == (size_t)-1) {
            out[o++] = '?';
            memset(&st, 0, sizeof(st));
        } else {
            o += k;
        }
    }
    out[o] = 0;
    return out;
}

int tui_wchar_cols(wchar_t c)
{
    int k = wcwidth(c);
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
    mbstate_t st;
    memset(&st, 0, sizeof(st));
    size_t len = strlen(s);
    while (len > 0) {
        wchar_t c;
        size_t k = mbrtowc(&c, s, len, &st);
        if (k == (size_t)-1 || k == (size_t)-2 || k == 0 || wcwidth(c) < 0)
            return false;
        s += k;
        len -= k;
    }
    return true;
}
