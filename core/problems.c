/* core/problems.c: the list of problems validation and the answers loader
 * report, each with a position and a field path, and their one text form. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/problems.h"
#include "core/textsafe.h"
#include "core/util.h"

void problems_init(struct problems *ps)
{
    ps->v = NULL;
    ps->n = 0;
}

void problems_done(struct problems *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->v[i].file);
        free(ps->v[i].path);
        free(ps->v[i].message);
    }
    free(ps->v);
    ps->v = NULL;
    ps->n = 0;
}

/* Every problem is one line of text that is safe on a terminal: a message
 * may quote a value from the answers file (a newline there would forge a
 * second problem line, an escape sequence would act on the terminal), so the
 * message, the key path and the file name pass the one sanitiser
 * (core/textsafe.h) as the problem is made, for every reader (validate,
 * render, the wizard's fields and Review, the log). */
static char *problem_text(const char *fmt, va_list ap)
{
    char *raw = xvasprintf(fmt, ap);
    char *safe = textsafe(raw, 0, 0);
    free(raw);
    return safe;
}

static char *problem_name(const char *s)
{
    return s ? textsafe(s, 0, 0) : NULL;
}

static struct problem *problems_push(struct problems *ps)
{
    ps->v = xrealloc(ps->v, (ps->n + 1) * sizeof(*ps->v));
    struct problem *pr = &ps->v[ps->n++];
    memset(pr, 0, sizeof(*pr));
    return pr;
}

void problems_add(struct problems *ps, bool warning, const char *path, const char *fmt, ...)
{
    struct problem *pr = problems_push(ps);
    va_list ap;
    va_start(ap, fmt);
    pr->message = problem_text(fmt, ap);
    va_end(ap);
    pr->path = problem_name(path);
    pr->warning = warning;
}

void problems_add_at(struct problems *ps, const char *file, int line, int col, const char *path,
                     const char *fmt, ...)
{
    struct problem *pr = problems_push(ps);
    va_list ap;
    va_start(ap, fmt);
    pr->message = problem_text(fmt, ap);
    va_end(ap);
    pr->file = problem_name(file);
    pr->line = line;
    pr->col = col;
    pr->path = problem_name(path);
}

size_t problems_errors(const struct problems *ps)
{
    size_t n = 0;
    for (size_t i = 0; i < ps->n; i++)
        if (!ps->v[i].warning)
            n++;
    return n;
}

char *problem_format(const struct problem *pr)
{
    struct strbuf sb;
    strbuf_init(&sb);
    if (pr->file) {
        strbuf_adds(&sb, pr->file);
        if (pr->line > 0) {
            strbuf_addf(&sb, ":%d", pr->line);
            if (pr->col > 0)
                strbuf_addf(&sb, ":%d", pr->col);
        }
        strbuf_adds(&sb, ": ");
    }
    if (pr->warning)
        strbuf_adds(&sb, "warning: ");
    if (pr->path)
        strbuf_addf(&sb, "%s: ", pr->path);
    strbuf_adds(&sb, pr->message ? pr->message : "");
    return strbuf_detach(&sb, NULL);
}
