/* tests/unit/tap.h: a small TAP runner for tests that need real services
 * (PostgreSQL, sshd, terraform): each case may be skipped with its reason,
 * shown as "ok N - name # SKIP reason" (cmocka 1.1 writes "not ok # SKIP",
 * which the TAP driver counts as a failure). A failed check ends its case
 * with the file, line and what was expected. Header-only: one test program
 * includes it once. */
#ifndef TESTS_UNIT_TAP_H
#define TESTS_UNIT_TAP_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tap_case {
    const char *name;
    void (*fn)(void);
    /* NULL: runs; else the reason it is skipped (evaluated before it runs) */
    const char *(*skip)(void);
};

static jmp_buf tap_jmp;
static char tap_why[2048];

__attribute__((format(printf, 3, 4), noreturn)) static void tap_fail_at(const char *file, int line,
                                                                        const char *fmt, ...)
{
    int n = snprintf(tap_why, sizeof(tap_why), "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tap_why + n, sizeof(tap_why) - (size_t)n, fmt, ap);
    va_end(ap);
    longjmp(tap_jmp, 1);
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            tap_fail_at(__FILE__, __LINE__, "failed: %s", #cond);                                  \
    } while (0)
#define CHECK_MSG(cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond))                                                                               \
            tap_fail_at(__FILE__, __LINE__, __VA_ARGS__);                                          \
    } while (0)
#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_)                                                                              \
            tap_fail_at(__FILE__, __LINE__, "%s is %lld, expected %lld", #a, a_, b_);              \
    } while (0)
#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                                     \
            tap_fail_at(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #a,                   \
                        a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                   \
    } while (0)
#define CHECK_CONTAINS(hay, needle)                                                                \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        if (!h_ || !strstr(h_, n_))                                                                \
            tap_fail_at(__FILE__, __LINE__, "%s does not contain \"%s\": \"%s\"", #hay, n_,        \
                        h_ ? h_ : "(null)");                                                       \
    } while (0)
#define CHECK_LACKS(hay, needle)                                                                   \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        if (h_ && n_ && *n_ && strstr(h_, n_))                                                     \
            tap_fail_at(__FILE__, __LINE__, "%s contains \"%s\": \"%s\"", #hay, n_, h_);           \
    } while (0)

/* Runs the cases; returns the exit status (1 when one failed). */
static int tap_run(const struct tap_case *cases, size_t n)
{
    volatile int failed = 0;
    printf("1..%zu\n", n);
    fflush(stdout);
    for (size_t i = 0; i < n; i++) {
        const char *why = cases[i].skip ? cases[i].skip() : NULL;
        if (why) {
            printf("ok %zu - %s # SKIP %s\n", i + 1, cases[i].name, why);
            fflush(stdout);
            continue;
        }
        tap_why[0] = '\0';
        if (setjmp(tap_jmp) == 0) {
            cases[i].fn();
            printf("ok %zu - %s\n", i + 1, cases[i].name);
        } else {
            failed = 1;
            printf("not ok %zu - %s\n# %s\n", i + 1, cases[i].name, tap_why);
        }
        fflush(stdout);
    }
    return failed;
}

#endif
