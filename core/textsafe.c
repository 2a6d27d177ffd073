/* core/textsafe.c: making untrusted text safe to print (see textsafe.h). */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/textsafe.h"
#include "core/util.h"

/* Decodes one UTF-8 sequence at s (n bytes left). Returns its length and
 * sets *cp, or returns the length of the maximal bad subsequence (at least
 * 1) with *cp = -1, following Unicode's "U+FFFD substitution of maximal
 * subparts" (Unicode 15, section 3.9). */
static size_t utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
    unsigned char c = s[0];
    *cp = -1;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    int32_t v;
    unsigned char lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing past U+10FFFF */
    } else {
        return 1; /* a continuation byte, C0/C1 lead or F5..FF */
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= n)
            return i; /* truncated: the valid prefix is one bad subpart */
        unsigned char b = s[i];
        unsigned char l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
        if (b < l || b > h)
            return i;
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return need + 1;
}

/* Terminal columns of a printable code point: 0 for combining marks and
 * zero-width characters, 2 for East Asian wide and fullwidth ranges and
 * most emoji, else 1. A small table, enough to keep table columns aligned;
 * it is not a full wcwidth(). */
static int cp_width(int32_t cp)
{
    if (cp < 0x300)
        return 1; /* below the first range: nearly every character drawn (status --watch at
                   * 10,000 pods spent 39 % of its CPU walking the tables for ASCII) */
    static const int32_t zero[][2] = {
        {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
        {0x064B, 0x065F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
        {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
    };
    static const int32_t wide[][2] = {
        {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
        {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
        {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
        {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
    };
    for (size_t i = 0; i < ARRAY_LEN(zero); i++)
        if (cp >= zero[i][0] && cp <= zero[i][1])
            return 0;
    for (size_t i = 0; i < ARRAY_LEN(wide); i++)
        if (cp >= wide[i][0] && cp <= wide[i][1])
            return 2;
    return 1;
}

/* Code points that are shown as "\uXXXX" instead of themselves. */
static bool cp_hidden(int32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) ||     /* C1 controls: CSI, OSC, ST ... */
           (cp >= 0x202A && cp <= 0x202E) || /* bidi embeddings and overrides */
           (cp >= 0x2066 && cp <= 0x2069);   /* bidi isolates */
}

static void add_safe(struct strbuf *sb, const char *s, size_t len, unsigned flags, size_t max_cols);

void textsafe_add(struct strbuf *sb, const char *s, size_t len, unsigned flags, size_t max_cols)
{
    /* The secrets this process knows (core/log.h: the profile's, a token,
     * a key read from the cluster) are masked before anything else, so a
     * log line, a message or an object that carries one never shows it,
     * whole or cut at the width. */
    size_t rlen = 0;
    char *red = s ? log_redact_buf(s, len, &rlen) : NULL;
    if (red) {
        add_safe(sb, red, rlen, flags, max_cols);
        str_free_secret(red);
        return;
    }
    add_safe(sb, s, len, flags, max_cols);
}

static void add_safe(struct strbuf *sb, const char *s, size_t len, unsigned flags, size_t max_cols)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t start = sb->len, cut = sb->len, cols = 0;
    bool cut_short = false;
    if (max_cols > 0 && max_cols < 4)
        max_cols = 4; /* room for one character and "..." */
    while (len > 0) {
        int32_t cp;
        size_t n = utf8_decode(p, len, &cp);
        char rep[16];
        size_t rlen;
        int w;
        if (cp < 0) {
            memcpy(rep, "\xEF\xBF\xBD", 3); /* U+FFFD */
            rlen = 3;
            w = 1;
        } else if ((cp == '\n' || cp == '\t') && (flags & TEXTSAFE_KEEP_NL)) {
            rep[0] = (char)cp;
            rlen = 1;
            w = 0;
        } else if (cp < 0x20 || cp == 0x7F) {
            rep[0] = '^';
            rep[1] = cp == 0x7F ? '?' : (char)(cp + '@');
            rlen = 2;
            w = 2;
        } else if (cp_hidden(cp)) {
            rlen = (size_t)snprintf(rep, sizeof(rep), "\\u%04x", (unsigned)cp);
            w = (int)rlen;
        } else {
            memcpy(rep, p, n);
            rlen = n;
            w = cp_width(cp);
        }
        if (max_cols) {
            if (cols + (size_t)w > max_cols) {
                cut_short = true;
                break;
            }
            if (cols + (size_t)w <= max_cols - 3)
                cut = sb->len + rlen;
        }
        strbuf_add(sb, rep, rlen);
        cols += (size_t)w;
        p += n;
        len -= n;
    }
    if (cut_short) {
        sb->len = cut > start ? cut : start;
        sb->buf[sb->len] = '\0';
        strbuf_adds(sb, "...");
    }
}

char *textsafe(const char *s, unsigned flags, size_t max_cols)
{
    struct strbuf sb;
    strbuf_init(&sb);
    textsafe_add(&sb, s ? s : "", s ? strlen(s) : 0, flags, max_cols);
    /* a copy of the text's size: callers keep many (`get`'s 100,000-row
     * table held each cell in the buffer's first 64 bytes, 32 MB) */
    char *r = xmalloc(sb.len + 1);
    memcpy(r, sb.buf, sb.len + 1);
    strbuf_done(&sb);
    return r;
}

size_t textsafe_width(const char *s)
{
    size_t cols = 0, len = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    while (len > 0) {
        int32_t cp;
        size_t n = utf8_decode(p, len, &cp);
        cols += cp < 0 ? 1 : cp < 0x20 ? 0 : (size_t)cp_width(cp);
        p += n;
        len -= n;
    }
    return cols;
}
