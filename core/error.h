/* core/error.h: the one error type. Fallible calls return an int status (0 ok,
 * -1 failed) and fill a caller-owned struct error; there is no global last error
 * because asynchronous completions interleave. */
#ifndef CORE_ERROR_H
#define CORE_ERROR_H

#include <stdbool.h>

enum error_code {
    ERR_NONE = 0,
    ERR_INVALID,  /* bad input: a file, an answer, a flag */
    ERR_IO,       /* the file system said no; detail holds errno */
    ERR_NOTFOUND, /* a named thing does not exist */
    ERR_PARSE,    /* text that does not parse */
    ERR_NETWORK,  /* connect, TLS, timeout; detail holds the curl code */
    ERR_HTTP,     /* the server answered with an error; detail holds the status */
    ERR_AUTH,     /* credentials missing, rejected or their plugin failed */
    ERR_PROCESS,  /* a subprocess failed; detail holds its exit status */
    ERR_DATABASE, /* libpq; the SQLSTATE goes in the message */
    ERR_CANCELLED,
    ERR_INTERNAL,
};

struct error {
    enum error_code code; /* what kind of failure */
    long detail;          /* errno, HTTP status, curl code or exit status */
    char msg[8192];       /* a sentence a person can act on, with context; room for
                             a whole API server Status (a real 422 runs to 3.5 KB) */
};

void error_clear(struct error *err);
/* Sets code, detail and a formatted message; err may be NULL. Returns -1 so
 * callers can write `return error_set(...)`. */
int error_set(struct error *err, enum error_code code, long detail, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Puts context before an existing message: "reading answers.yaml: <old>". */
int error_prefix(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds formatted text after the existing message. */
int error_append(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool error_is_set(const struct error *err);

#endif
