/* core/textsafe.h: the one sanitiser for text that reaches a terminal.
 * Every string that comes from a server, a file or a subprocess and is
 * printed or drawn passes through here first, so a hostile name, message or
 * log line cannot clear the screen, set the window title, write the
 * clipboard (OSC 52) or reorder what is shown (bidi overrides):
 *
 *   - C0 controls and DEL become caret notation ("^[" for ESC, "^M", "^?"),
 *     as `cat -v` writes them; tab and newline too, unless the caller keeps
 *     them (TEXTSAFE_KEEP_NL for multi-line text such as logs);
 *   - C1 controls (U+0080..U+009F, which some terminals obey as CSI/OSC)
 *     become "\u009b"; so do the bidi embeddings, overrides and isolates
 *     (U+202A..U+202E, U+2066..U+2069);
 *   - bytes that are not valid UTF-8 (overlong forms, surrogates, stray
 *     continuation bytes, truncated sequences) become U+FFFD, one per
 *     maximal bad subsequence as the Unicode standard recommends;
 *   - with a width limit, the text is cut to that many terminal columns and
 *     ends with "..." when something was cut;
 *   - first of all, every secret registered with log_add_secret (core/log.h:
 *     the profile's passwords and keys, tokens, a key read from a Secret)
 *     becomes "***", as in the log: a pod's log line or an object that
 *     carries one is shown without it, never cut halfway through it.
 *
 * The result is plain bytes that are valid UTF-8; the caller owns it. */
#ifndef CORE_TEXTSAFE_H
#define CORE_TEXTSAFE_H

#include <stddef.h>

struct strbuf;

enum {
    TEXTSAFE_KEEP_NL = 1 << 0, /* keep '\n' and '\t' as they are (multi-line text) */
};

/* Appends the safe form of s[0..len) to sb, cut to max_cols columns
 * (0: no limit). */
void textsafe_add(struct strbuf *sb, const char *s, size_t len, unsigned flags, size_t max_cols);
/* The safe form of a NUL-terminated string (NULL gives ""); caller frees. */
char *textsafe(const char *s, unsigned flags, size_t max_cols);
/* Terminal columns the (already safe) UTF-8 string takes. */
size_t textsafe_width(const char *s);

#endif
