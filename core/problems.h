/* core/problems.h: the problems validation and the answers loader report,
 * each tied to a field path (so the wizard's Review page can jump to it) and,
 * when it came from a file, to FILE:LINE:COL. */
#ifndef CORE_PROBLEMS_H
#define CORE_PROBLEMS_H

#include <stdbool.h>
#include <stddef.h>

struct problem {
    char *file;    /* answers file, or NULL for problems not tied to a file */
    int line, col; /* 1-based position in file; 0 when unknown */
    char *path;    /* field path, "aws.vpc_cidr", or NULL */
    char *message; /* what is wrong and what is expected */
    bool warning;  /* true: allowed, but the person should know */
};

struct problems {
    struct problem *v;
    size_t n;
};

void problems_init(struct problems *ps);
void problems_done(struct problems *ps);
void problems_add(struct problems *ps, bool warning, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void problems_add_at(struct problems *ps, const char *file, int line, int col, const char *path,
                     const char *fmt, ...) __attribute__((format(printf, 6, 7)));
size_t problems_errors(const struct problems *ps); /* count of non-warnings */
/* "FILE:LINE:COL: path: message" (or as much of it as is known); caller frees. */
char *problem_format(const struct problem *pr);

#endif
