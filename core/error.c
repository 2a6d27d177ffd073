/* core/error.c: filling and decorating struct error. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

void error_clear(struct error *err)
{
    if (!err)
        return;
    err->code = ERR_NONE;
    err->detail = 0;
    err->msg[0] = '\0';
}

int error_set(struct error *err, enum error_code code, long detail, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    err->code = code;
    err->detail = detail;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return -1;
}

int error_prefix(struct error *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char prefix[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    /* The old message is the server's or the cause's words: shift it right
     * to make room, keeping as much of it as fits (the prefix is at most
     * 1023 bytes, so most of the 8 KiB message always survives). */
    size_t cap = sizeof(err->msg) - 1, pl = strlen(prefix), ol = strlen(err->msg);
    if (ol > cap - pl - 2)
        ol = cap - pl - 2;
    memmove(err->msg + pl + 2, err->msg, ol);
    memcpy(err->msg, prefix, pl);
    memcpy(err->msg + pl, ": ", 2);
    err->msg[pl + 2 + ol] = '\0';
    return -1;
}

int error_append(struct error *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    size_t n = strlen(err->msg);
    va_list ap;
    va_start(ap, fmt);
    if (n < sizeof(err->msg) - 1)
        vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
    va_end(ap);
    return -1;
}

bool error_is_set(const struct error *err)
{
    return err && err->code != ERR_NONE;
}
