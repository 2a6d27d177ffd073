/* tui/bar.c: the progress bar (see bar.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/bar.h"
#include "tui/draw.h"
#include "tui/util.h"

/* U+2588 FULL BLOCK, then U+258F..U+2589: one to seven eighths. */
static const char *const eighths[8] = {
    "",
    "\xe2\x96\x8f",
    "\xe2\x96\x8e",
    "\xe2\x96\x8d",
    "\xe2\x96\x8c",
    "\xe2\x96\x8b",
    "\xe2\x96\x8a",
    "\xe2\x96\x89",
};
static const char full_block[] = "\xe2\x96\x88";
static const char light_shade[] = "\xe2\x96\x91"; /* U+2591 for the empty part */

/* Eighths of the bar filled. */
static long filled_eighths(int width, long current, long total)
{
    if (total <= 0 || width <= 0)
        return 0;
    if (current < 0)
        current = 0;
    if (current > total)
        current = total;
    return (long)((long double)current * width * 8 / total);
}

/* Splits the bar into whole cells, a partial cell (eighths) and empty cells. */
static void split(int width, long current, long total, bool unicode, int *whole, int *part,
                  int *empty)
{
    long e = filled_eighths(width, current, total);
    if (!unicode) /* '#' only for a cell filled at least half */
        e = (e + 4) / 8 * 8;
    *whole = (int)(e / 8);
    *part = (int)(e % 8);
    *empty = width - *whole - (*part ? 1 : 0);
}

char *tui_bar_text(int width, long current, long total, bool unicode)
{
    if (width < 0)
        width = 0;
    int whole, part, empty;
    split(width, current, total, unicode, &whole, &part, &empty);
    char *s = tui_xmalloc((size_t)width * 3 + 1);
    size_t o = 0;
    for (int i = 0; i < whole; i++) {
        const char *c = unicode ? full_block : "#";
        memcpy(s + o, c, strlen(c));
        o += strlen(c);
    }
    if (part) {
        memcpy(s + o, eighths[part], strlen(eighths[part]));
        o += strlen(eighths[part]);
    }
    for (int i = 0; i < empty; i++) {
        const char *c = unicode ? light_shade : ".";
        memcpy(s + o, c, strlen(c));
        o += strlen(c);
    }
    s[o] = '\0';
    return s;
}

int tui_bar_draw(WINDOW *w, int y, int x, int width, long current, long total, attr_t fill,
                 attr_t empty_attr)
{
    if (width <= 0)
        return 0;
    bool unicode = tui_text_showable(full_block) && tui_text_showable(eighths[1]) &&
                   tui_text_showable(light_shade);
    int whole, part, empty;
    split(width, current, total, unicode, &whole, &part, &empty);
    char *text = tui_bar_text(width, current, total, unicode);
    /* The filled part first, then the rest in its own attribute. */
    size_t cut = (size_t)whole * (unicode ? 3 : 1) + (part ? 3 : 0);
    char *rest = tui_xstrdup(text + cut);
    text[cut] = '\0';
    int used = tui_put(w, y, x, width, text, fill);
    used += tui_put(w, y, x + used, width - used, rest, empty_attr);
    free(rest);
    free(text);
    return used;
}
