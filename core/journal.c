/* core/journal.c: the append-only journal of an install and the lock on its
 * state directory. One record a line, written with one write(2) on an
 * O_APPEND descriptor and synced before journal_append returns. */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/journal.h"
#include "core/kube_json.h"
#include "core/log.h"
#include "core/util.h"

#define JOURNAL_MAX_BYTES (64u << 20) /* far beyond any install's history */

struct journal {
    char *dir;
    char *path;
    int fd;      /* journal.jsonl, O_APPEND */
    int lock_fd; /* DIR/lock, flock'ed */
    struct journal_record *recs;
    size_t nrecs, cap;
    size_t torn;
    size_t good_len; /* bytes up to the end of the last whole record */
};

static void record_done(struct journal_record *r)
{
    free(r->event);
    free(r->step);
    for (size_t i = 0; i < r->nfields; i++) {
        free(r->fields[i].key);
        free(r->fields[i].value);
    }
    free(r->fields);
}

static bool reserved_key(const char *k)
{
    return str_eq(k, "time") || str_eq(k, "event") || str_eq(k, "step");
}

static void record_push(struct journal *j, struct journal_record *r)
{
    if (j->nrecs == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 32;
        j->recs = xrealloc(j->recs, j->cap * sizeof(*j->recs));
    }
    j->recs[j->nrecs++] = *r;
}

/* One line into a record; -1 when it is not a journal record. */
static int record_parse(const char *line, size_t len, struct journal_record *r)
{
    memset(r, 0, sizeof(*r));
    cJSON *o = cJSON_ParseWithLength(line, len);
    if (!o || !cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return -1;
    }
    const char *event = kj_str(o, "event");
    const char *t = kj_str(o, "time");
    long long when = t ? kube_time_parse(t) : -1;
    if (!event || when < 0) {
        cJSON_Delete(o);
        return -1;
    }
    r->time = when;
    r->event = xstrdup(event);
    r->step = xstrdup(kj_str(o, "step") ? kj_str(o, "step") : "");
    for (const cJSON *c = o->child; c; c = c->next) {
        if (reserved_key(c->string) || !cJSON_IsString(c))
            continue;
        r->fields = xrealloc(r->fields, (r->nfields + 1) * sizeof(*r->fields));
        r->fields[r->nfields].key = xstrdup(c->string);
        r->fields[r->nfields].value = xstrdup(c->valuestring);
        r->nfields++;
    }
    cJSON_Delete(o);
    return 0;
}

static int journal_load(struct journal *j, struct error *err)
{
    char *data = NULL;
    size_t len = 0;
    struct stat st;
    if (stat(j->path, &st) < 0 && errno == ENOENT)
        return 0;
    if (file_read_all(j->path, JOURNAL_MAX_BYTES, &data, &len, err) < 0)
        return -1;
    size_t lineno = 0;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        bool last = !nl;
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        lineno++;
        struct journal_record r;
        if (n == 0) {
            /* blank lines are harmless */
        } else if (record_parse(p, n, &r) == 0) {
            record_push(j, &r);
        } else if (last || (size_t)(nl + 1 - data) == len) {
            /* A record cut short by a crash: it never finished being written,
             * so the step it describes did not finish either. */
            j->torn++;
            log_warn("%s:%zu: an incomplete last record (a run was interrupted while "
                     "writing it) is ignored",
                     j->path, lineno);
        } else {
            free(data);
            return error_set(err, ERR_PARSE, 0,
                             "%s:%zu: not a journal record; the journal is left as it is "
                             "(move it aside to start this install's history over)",
                             j->path, lineno);
        }
        if (!j->torn)
            j->good_len = nl ? (size_t)(nl + 1 - data) : len;
        p = nl ? nl + 1 : end;
    }
    free(data);
    return 0;
}

/* Reads the pid a lock file names, 0 when it names none. */
static long lock_holder(int fd, char *what, size_t whatsz)
{
    char buf[256];
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    long pid = 0;
    what[0] = '\0';
    if (sscanf(buf, "%ld", &pid) != 1)
        return 0;
    const char *sp = strchr(buf, ' ');
    if (sp) {
        snprintf(what, whatsz, "%s", sp + 1);
        what[strcspn(what, "\n")] = '\0';
    }
    return pid;
}

static int lock_take(struct journal *j, const char *what, struct error *err)
{
    char *path = path_join(j->dir, "lock");
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        error_set(err, ERR_IO, errno, "%s: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    char holder_what[128];
    long holder = lock_holder(fd, holder_what, sizeof(holder_what));
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            error_set(err, ERR_INVALID, 0,
                      "%s is in use by another dify-tui (pid %ld%s%s); wait for it to finish "
                      "or stop it",
                      j->dir, holder, holder_what[0] ? ", " : "", holder_what);
        else
            error_set(err, ERR_IO, e, "%s: lock: %s", path, strerror(e));
        free(path);
        return -1;
    }
    if (holder > 0 && holder != (long)getpid())
        log_warn("%s: took over a lock left by pid %ld (%s), which is no longer running", path,
                 holder, holder_what[0] ? holder_what : "unknown command");
    char line[160];
    int n = snprintf(line, sizeof(line), "%ld %s\n", (long)getpid(), what ? what : "dify-tui");
    if (ftruncate(fd, 0) < 0 || pwrite(fd, line, (size_t)n, 0) != n) {
        int e = errno;
        close(fd);
        error_set(err, ERR_IO, e, "%s: %s", path, strerror(e));
        free(path);
        return -1;
    }
    free(path);
    j->lock_fd = fd;
    return 0;
}

int journal_open(const char *dir, const char *what, struct journal **out, struct error *err)
{
    *out = NULL;
    if (str_empty(dir))
        return error_set(err, ERR_INVALID, 0, "the state directory is empty");
    if (dir_make_all(dir, 0700, err) < 0)
        return -1;
    struct journal *j = xcalloc(1, sizeof(*j));
    j->dir = xstrdup(dir);
    j->path = path_join(dir, "journal.jsonl");
    j->fd = j->lock_fd = -1;
    if (lock_take(j, what, err) < 0 || journal_load(j, err) < 0)
        goto fail;
    j->fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (j->fd < 0) {
        error_set(err, ERR_IO, errno, "%s: %s", j->path, strerror(errno));
        goto fail;
    }
    if (j->torn && ftruncate(j->fd, (off_t)j->good_len) < 0) {
        /* Cut the torn record off so the next one starts on a line of its own. */
        error_set(err, ERR_IO, errno, "%s: %s", j->path, strerror(errno));
        goto fail;
    }
    *out = j;
    return 0;
fail:
    journal_close(j);
    return -1;
}

void journal_close(struct journal *j)
{
    if (!j)
        return;
    if (j->fd >= 0)
        close(j->fd);
    if (j->lock_fd >= 0) {
        if (ftruncate(j->lock_fd, 0) < 0)
            log_warn("%s/lock: %s", j->dir, strerror(errno));
        flock(j->lock_fd, LOCK_UN);
        close(j->lock_fd);
    }
    for (size_t i = 0; i < j->nrecs; i++)
        record_done(&j->recs[i]);
    free(j->recs);
    free(j->path);
    free(j->dir);
    free(j);
}

int journal_append(struct journal *j, const char *event, const char *step, const char *const *kv,
                   struct error *err)
{
    if (str_empty(event))
        return error_set(err, ERR_INTERNAL, 0, "journal record without an event");
    struct journal_record r = {.time = (long long)time(NULL)};
    r.event = xstrdup(event);
    r.step = xstrdup(step ? step : "");
    cJSON *o = cJSON_CreateObject();
    char stamp[32];
    kube_time_format(r.time, stamp, sizeof(stamp));
    cJSON_AddStringToObject(o, "time", stamp);
    cJSON_AddStringToObject(o, "event", r.event);
    cJSON_AddStringToObject(o, "step", r.step);
    for (size_t i = 0; kv && kv[i]; i += 2) {
        if (reserved_key(kv[i])) {
            cJSON_Delete(o);
            record_done(&r);
            return error_set(err, ERR_INTERNAL, 0, "journal field \"%s\" is reserved", kv[i]);
        }
        if (!kv[i + 1])
            continue;
        /* Registered secrets never reach the disk, whatever a caller passes. */
        char *v = log_redact(kv[i + 1]);
        cJSON_AddStringToObject(o, kv[i], v);
        r.fields = xrealloc(r.fields, (r.nfields + 1) * sizeof(*r.fields));
        r.fields[r.nfields].key = xstrdup(kv[i]);
        r.fields[r.nfields].value = v;
        r.nfields++;
    }
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    size_t n = strlen(text);
    text = xrealloc(text, n + 2);
    text[n++] = '\n';
    text[n] = '\0';
    ssize_t w = write(j->fd, text, n);
    int e = errno;
    free(text);
    if (w != (ssize_t)n || fdatasync(j->fd) < 0) {
        record_done(&r);
        return error_set(err, ERR_IO, w < 0 ? e : errno, "%s: %s", j->path,
                         w >= 0 && w != (ssize_t)n ? "short write" : strerror(w < 0 ? e : errno));
    }
    record_push(j, &r);
    return 0;
}

size_t journal_count(const struct journal *j)
{
    return j->nrecs;
}

const struct journal_record *journal_record_at(const struct journal *j, size_t i)
{
    return i < j->nrecs ? &j->recs[i] : NULL;
}

const struct journal_record *journal_last(const struct journal *j, const char *step)
{
    for (size_t i = j->nrecs; i-- > 0;)
        if (str_eq(j->recs[i].step, step ? step : ""))
            return &j->recs[i];
    return NULL;
}

const char *journal_field(const struct journal_record *r, const char *key)
{
    for (size_t i = 0; r && i < r->nfields; i++)
        if (str_eq(r->fields[i].key, key))
            return r->fields[i].value;
    return NULL;
}

const char *journal_path(const struct journal *j)
{
    return j->path;
}

size_t journal_torn(const struct journal *j)
{
    return j->torn;
}
