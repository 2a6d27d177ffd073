/* tui/clipboard.c: OSC 52 (see clipboard.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/clipboard.h"
#include "tui/util.h"

char *tui_clipboard_sequence(const char *text)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(text);
    size_t cap = 8 + (n + 2) / 3 * 4 + 2;
    char *out = tui_xmalloc(cap);
    size_t o;
    memcpy(out, "\033]52;c;", 7);
    o = 7;
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        out[o++] = b64[(v >> 18) & 63];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? b64[v & 63] : '=';
    }
    out[o++] = '\a';
    out[o] = '\0';
    return out;
}

void tui_clipboard_set(const char *text)
{
    char *seq = tui_clipboard_sequence(text);
    fputs(seq, stdout);
    fflush(stdout);
    free(seq);
}
