/* core/log.h: the program's log. core/ never prints while the UI is up: it
 * logs here, to a file (when one is opened) and to a ring buffer the screens
 * can show. Values registered as secrets are masked in every line. */
#ifndef CORE_LOG_H
#define CORE_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Opens (appends to) path, created 0600. Without it, lines go only to the ring. */
int log_open(const char *path);
void log_close(void);
/* Also hands every line to echo (level name, redacted and sanitised line):
 * a non-interactive command prints it to stderr. NULL: no echo. */
typedef void (*log_echo_cb)(const char *level, const char *line);
void log_set_echo(log_echo_cb echo);
void log_set_level(enum log_level min);

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* Registers a value that must never appear in the log: every occurrence is
 * replaced by "***". Values shorter than 4 bytes are ignored (too common). */
void log_add_secret(const char *value);
void log_clear_secrets(void);
/* Replaces registered secrets in s; the caller frees the result. */
char *log_redact(const char *s);
/* The same for s[0..len) (NULs allowed): NULL when no secret occurs in it
 * (nothing to free), else the redacted copy, its length in *out_len. */
char *log_redact_buf(const char *s, size_t len, size_t *out_len);

/* The ring buffer: the newest LOG_RING_SIZE lines, oldest first by index. */
#define LOG_RING_SIZE 512
size_t log_ring_count(void);
const char *log_ring_line(size_t i);

#endif
