/* core/journal.h: an install's journal and the lock on its state directory.
 *
 * The journal is one JSON object per line in DIR/journal.jsonl, appended and
 * synced one record at a time, so a crash or a kill loses at most the record
 * being written (a torn last line is recognised and skipped). Each record has
 * a time, an event ("started", "finished", "failed", "skipped", "run",
 * "revision", ...), the step it belongs to (may be empty) and flat string
 * fields (an inputs hash, a step's outputs, a message). The runner resumes
 * from it, `history` lists it and the support bundle copies it.
 *
 * Secrets never reach it: every value is passed through the log's redaction
 * of registered secrets before it is written, and callers never pass one.
 *
 * The lock (DIR/lock, flock) stops two runs on one state directory at once.
 * The kernel drops it when its holder dies, so a lock file left by a dead
 * process is taken over, with a warning in the log naming the old pid. */
#ifndef CORE_JOURNAL_H
#define CORE_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

struct error;

struct journal_field {
    char *key;
    char *value;
};

struct journal_record {
    long long time; /* Unix seconds */
    char *event;    /* "started", "finished", ... */
    char *step;     /* the step's id, "" for records of the whole run */
    struct journal_field *fields;
    size_t nfields;
};

struct journal;

/* Opens DIR (created 0700 when missing), takes its lock and loads its
 * journal. what says who holds the lock ("install", "upgrade") in the message
 * another run gets. Fails with a message naming the holder's pid when the
 * lock is held, and with the line number when a record other than the last
 * does not parse (nothing is overwritten: the person decides). */
int journal_open(const char *dir, const char *what, struct journal **out, struct error *err);
/* Releases the lock and frees the journal. NULL is allowed. */
void journal_close(struct journal *j);

/* Appends a record. kv is key, value, key, value, ..., NULL; a NULL value
 * leaves its key out. The record is on disk (fdatasync) when this returns 0. */
int journal_append(struct journal *j, const char *event, const char *step, const char *const *kv,
                   struct error *err);

size_t journal_count(const struct journal *j);
const struct journal_record *journal_record_at(const struct journal *j, size_t i);
/* The newest record of step, or NULL. */
const struct journal_record *journal_last(const struct journal *j, const char *step);
/* A field of a record, or NULL. */
const char *journal_field(const struct journal_record *r, const char *key);
/* The journal file's path. */
const char *journal_path(const struct journal *j);
/* Records skipped when loading because the last line was torn (0 or 1). */
size_t journal_torn(const struct journal *j);

#endif
