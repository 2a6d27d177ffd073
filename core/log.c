/* core/log.c: file log, ring buffer and secret masking. Single-threaded by
 * design: worker threads report through pipes, not through the log. */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/textsafe.h"
#include "core/util.h"

static FILE *log_file;
static log_echo_cb echo;
static enum log_level log_min = LOG_INFO;
static char *ring[LOG_RING_SIZE];
static size_t ring_start, ring_len;
static char **secrets;
static size_t nsecrets;

int log_open(const char *path)
{
    log_close();
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    log_file = fdopen(fd, "a");
    if (!log_file) {
        close(fd);
        return -1;
    }
    setvbuf(log_file, NULL, _IOLBF, 0);
    return 0;
}

void log_close(void)
{
    if (log_file)
        fclose(log_file);
    log_file = NULL;
}

void log_set_echo(log_echo_cb cb)
{
    echo = cb;
}

void log_set_level(enum log_level min)
{
    log_min = min;
}

void log_add_secret(const char *value)
{
    if (!value || strlen(value) < 4)
        return;
    for (size_t i = 0; i < nsecrets; i++)
        if (strcmp(secrets[i], value) == 0)
            return;
    /* longest first: a secret that contains another (a key and its
     * prefix, a password and a URL carrying it) is masked whole before the
     * shorter one could cut it and leave the rest of it showing */
    size_t at = 0, len = strlen(value);
    while (at < nsecrets && strlen(secrets[at]) >= len)
        at++;
    secrets = xrealloc(secrets, (nsecrets + 1) * sizeof(*secrets));
    memmove(secrets + at + 1, secrets + at, (nsecrets - at) * sizeof(*secrets));
    secrets[at] = xstrdup(value);
    nsecrets++;
}

void log_clear_secrets(void)
{
    for (size_t i = 0; i < nsecrets; i++)
        str_free_secret(secrets[i]);
    free(secrets);
    secrets = NULL;
    nsecrets = 0;
}

char *log_redact(const char *s)
{
    char *out = xstrdup(s);
    for (size_t i = 0; i < nsecrets; i++) {
        const char *sec = secrets[i];
        size_t sl = strlen(sec);
        char *hit;
        while ((hit = strstr(out, sec)) != NULL) {
            char *next = xasprintf("%.*s***%s", (int)(hit - out), out, hit + sl);
            free(out);
            out = next;
        }
    }
    return out;
}

char *log_redact_buf(const char *s, size_t len, size_t *out_len)
{
    char *out = NULL;
    size_t n = len;
    for (size_t i = 0; i < nsecrets; i++) {
        const char *sec = secrets[i];
        size_t sl = strlen(sec);
        const char *cur = out ? out : s;
        if (!memmem(cur, n, sec, sl))
            continue;
        struct strbuf sb;
        strbuf_init(&sb);
        const char *p = cur, *end = cur + n, *hit;
        while ((hit = memmem(p, (size_t)(end - p), sec, sl)) != NULL) {
            strbuf_add(&sb, p, (size_t)(hit - p));
            strbuf_adds(&sb, "***");
            p = hit + sl;
        }
        strbuf_add(&sb, p, (size_t)(end - p));
        if (out)
            str_free_secret(out);
        out = strbuf_detach(&sb, &n);
    }
    if (out && out_len)
        *out_len = n;
    return out;
}

static const char *level_name(enum log_level l)
{
    switch (l) {
    case LOG_DEBUG:
        return "debug";
    case LOG_INFO:
        return "info";
    case LOG_WARN:
        return "warn";
    default:
        return "error";
    }
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    if (lvl < log_min)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *raw = xvasprintf(fmt, ap);
    va_end(ap);
    char *redacted = log_redact(raw);
    free(raw);
    /* Log lines quote servers and subprocesses; they are read in a
     * terminal (the file with less, stderr, the TUI's log view). */
    char *line = textsafe(redacted, 0, 0);
    free(redacted);

    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (log_file)
        fprintf(log_file, "%s %s %s\n", stamp, level_name(lvl), line);
    if (echo)
        echo(level_name(lvl), line);

    char *entry = xasprintf("%s %s", level_name(lvl), line);
    free(line);
    if (ring_len == LOG_RING_SIZE) {
        free(ring[ring_start]);
        ring[ring_start] = entry;
        ring_start = (ring_start + 1) % LOG_RING_SIZE;
    } else {
        ring[(ring_start + ring_len) % LOG_RING_SIZE] = entry;
        ring_len++;
    }
}

size_t log_ring_count(void)
{
    return ring_len;
}

const char *log_ring_line(size_t i)
{
    if (i >= ring_len)
        return NULL;
    return ring[(ring_start + i) % LOG_RING_SIZE];
}
