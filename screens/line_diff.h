/* screens/line_diff.h: what changed between two lists of report lines, as
 * `dify-tui status --watch` prints it: the new lines that were not there
 * before, and the keys (the text before a line's first ": ") that are gone.
 * Sorted lookups, so a report of 100,000 rows costs O(n log n) a change,
 * not n squared (bench/watch_latency.py). */
#ifndef SCREENS_LINE_DIFF_H
#define SCREENS_LINE_DIFF_H

#include <stddef.h>

/* The length of a line's key: up to its first ": ", or all of it. */
size_t line_key_len(const char *s);

/* Calls changed(line) for every line of now[] that is not, byte for byte, a
 * line of old[], in now[]'s order; then gone(line, keylen) for every line of
 * old[] whose key no line of now[] has, in old[]'s order. */
void line_diff(char *const *old, size_t nold, char *const *now, size_t nnow,
               void (*changed)(const char *line, void *arg),
               void (*gone)(const char *line, size_t keylen, void *arg), void *arg);

#endif
