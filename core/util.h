/* core/util.h: allocation that aborts on exhaustion, a growable string buffer,
 * and atomic file writes. Everything else in core/ builds on these. */
#ifndef CORE_UTIL_H
#define CORE_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct error;

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation failure is not recoverable here: these call the failure hook
 * (which a program sets to say so on its terminal) and abort. */
typedef void (*xalloc_hook_cb)(size_t n);
void xalloc_set_failure_hook(xalloc_hook_cb hook);
/* Allocation of n bytes failed elsewhere (a library's allocator): the same. */
void xalloc_fail(size_t n) __attribute__((noreturn));
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Duplicates s, or returns NULL when s is NULL. */
char *xstrdup_or_null(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* Frees *p and stores a copy of s (which may be NULL) in its place. */
void str_replace(char **p, const char *s);
/* Overwrites the string's bytes before freeing it: for secrets. */
void str_free_secret(char *s);
bool str_eq(const char *a, const char *b); /* NULL-safe equality */
bool str_empty(const char *s);             /* NULL or "" */
bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);

/* A growable, always NUL-terminated byte buffer. */
struct strbuf {
    char *buf;  /* the bytes; never NULL after strbuf_init */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
};

void strbuf_init(struct strbuf *sb);
void strbuf_done(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the buffer to the caller; sb needs strbuf_init before reuse. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

/* Opens path for reading, only if it is a regular file of at most max_bytes:
 * a FIFO, socket, device or directory is refused with a message saying what
 * it is (the open itself never blocks). Returns the fd (blocking, O_CLOEXEC)
 * or -1. Every file a person names goes through here (answers, secrets,
 * kubeconfig and the files it names, extra files). */
int file_open_regular(const char *path, size_t max_bytes, struct error *err);
/* Reads a whole regular file (through file_open_regular). Fails with a
 * message naming the path for a directory, a FIFO or device, a missing file
 * or a file over max_bytes. */
int file_read_all(const char *path, size_t max_bytes, char **out, size_t *out_len,
                  struct error *err);

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, chmod to mode, rename. On failure the old file is untouched and no
 * temporary file is left behind. */
int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                      struct error *err);

/* mkdir -p with the given mode for the directories it creates; an empty
 * path is refused (ERR_INVALID). */
int dir_make_all(const char *path, mode_t mode, struct error *err);

/* Joins two path parts with one '/'. */
char *path_join(const char *a, const char *b);

/* Monotonic clock in milliseconds. */
long long now_ms(void);

#endif
