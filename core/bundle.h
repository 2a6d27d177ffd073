/* core/bundle.h: the support bundle's contents, their redaction and the
 * tar.gz they are written to.
 *
 * The collector (core/bundle_collect.h) adds what it gathered: Kubernetes
 * objects (written as YAML, one file per kind), JSON documents (Helm values
 * and history, the diagnostics report), text (pod logs, events, the
 * installer's journal and log) and files from the state directory.
 * bundle_finish then redacts everything at once (core/redact.h: every file
 * is learnt from before any is changed, so a value found in a Secret is
 * hidden in a log added earlier) and adds the manifest and the redaction
 * report. Binary content (a NUL byte, or bytes that are not UTF-8) is never
 * rewritten: under redaction it is left out and listed with its size and
 * digest; without redaction it is written byte for byte.
 *
 * bundle_write writes the tar.gz through libarchive into a temporary file
 * beside the target, syncs it and renames it into place, so the target is
 * either the whole bundle or not there; a stop flag set by a signal handler
 * abandons the write and removes the temporary file. */
#ifndef CORE_BUNDLE_H
#define CORE_BUNDLE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/hash.h"

struct cJSON;
struct error;
struct redact;

struct bundle_file {
    char *path; /* below the bundle's top directory: "logs/dify-api-x/api.log" */
    char *data; /* the bytes written (after bundle_finish); NULL when left out */
    size_t len; /* of data, or of the original when left out */
    bool binary;
    bool left_out;                 /* binary under redaction: listed, not written */
    size_t hidden;                 /* values replaced by tokens in it */
    char sha256[HASH_HEX_LEN + 1]; /* of data, or of the original when left out */
};

struct bundle_opts {
    bool redact;         /* false: --no-redact */
    const char *ns;      /* for the manifest */
    const char *context; /* the kubeconfig context, for the manifest; may be NULL */
    long long created;   /* Unix seconds */
    const char *tool;    /* "dify-tui 0.1.0" */
};

struct bundle;

struct bundle *bundle_new(const struct bundle_opts *o);
void bundle_free(struct bundle *b);

/* Text or bytes (a log, a file from the state directory); copied. */
void bundle_add_text(struct bundle *b, const char *path, const char *data, size_t len);
/* Kubernetes objects written as one YAML stream; takes list (a JSON array
 * of objects). metadata.managedFields is dropped (bookkeeping, up to 40 KB a
 * pod). */
void bundle_add_objects(struct bundle *b, const char *path, struct cJSON *list);
/* A JSON document written as YAML (yaml) or JSON; takes doc. */
void bundle_add_doc(struct bundle *b, const char *path, struct cJSON *doc, bool yaml);
/* A value that must be hidden wherever it appears (a profile secret). */
void bundle_add_secret(struct bundle *b, const char *value);
/* Something that was not collected, and why: listed in not-collected.txt. */
void bundle_note(struct bundle *b, const char *what, const char *why);

/* Adds not-collected.txt, redacts, makes each file's final bytes, adds the
 * redaction report (redaction-report.md and .json) or, without redaction,
 * UNREDACTED.txt, and last manifest.json (every file's path, size and
 * digest, and the files left out). Once. */
int bundle_finish(struct bundle *b, struct error *err);

size_t bundle_count(const struct bundle *b);
const struct bundle_file *bundle_file_at(const struct bundle *b, size_t i);
bool bundle_redacting(const struct bundle *b);
/* Values hidden in all files, and distinct tokens used. */
size_t bundle_hidden(const struct bundle *b);
/* The top directory every path is under: "dify-bundle-20261207-071800". */
const char *bundle_top(const struct bundle *b);
/* The redactor (NULL without redaction); for tests. */
struct redact *bundle_redactor(const struct bundle *b);

/* The diagnostics report (the JSON of core/checks.h check_run_json) as
 * Markdown: failures and warnings with their evidence, "Try:" and "More:",
 * then the rest one line each (core/bundle_diag.c). Caller frees. */
char *bundle_diag_markdown(const struct cJSON *report, size_t *len);

/* The file name to write: out, or without redaction out with
 * ".UNREDACTED" before ".tar.gz" (or at the end), so the file says what it
 * holds. Caller frees. */
char *bundle_out_name(const char *out, bool redact);

/* Writes the finished bundle as a gzip-compressed tar (mode 0600). stop
 * (may be NULL) is checked between entries: when set, the write is
 * abandoned (ERR_CANCELLED). */
int bundle_write(const struct bundle *b, const char *path, const volatile sig_atomic_t *stop,
                 struct error *err);

#endif
