/* core/checks_signatures.h: the log lines by which Dify's images say how
 * they failed, each with its cause, the command that fixes it and the
 * upstream thread or source it comes from (docs/diagnose.md prints the
 * table). The workload checks match a crash-looping container's previous
 * log, and a running one's current log, against it. */
#ifndef CORE_CHECKS_SIGNATURES_H
#define CORE_CHECKS_SIGNATURES_H

#include <stdbool.h>
#include <stddef.h>

struct dify_signature {
    const char *key;     /* "pg-password": stable, for tests and JSON */
    const char *needle;  /* a substring of the line */
    const char *needle2; /* and this one too, when set */
    const char *cause;   /* a paragraph */
    /* The remedy: a command with placeholders (struct sig_ctx). */
    const char *remedy;
    const char *source; /* upstream issue or file */
    bool fatal;         /* it stops the component (else: it degrades it) */
};

extern const struct dify_signature dify_signatures[];
extern const size_t dify_nsignatures;

/* The first signature (in table order: the most specific first) that one of
 * the lines matches, searching from the last line back; *line gets the
 * matching line (pointing into text, len *line_len). NULL when none. */
const struct dify_signature *dify_signature_match(const char *text, size_t len, const char **line,
                                                  size_t *line_len);

/* What fills a remedy's placeholders: {kubectl}, {workload}, {db_host},
 * {db_user}, {migration_job} (each NULL: a capitalised stand-in); {db} is
 * the database the line names (`database "X"`), else dify_plugin. */
struct sig_ctx {
    const char *kubectl;
    const char *workload;
    const char *db_host, *db_user;
    const char *migration_job;
};
/* The remedy with its placeholders filled in; caller frees. */
char *dify_signature_remedy(const struct dify_signature *s, const struct sig_ctx *ctx,
                            const char *line, size_t line_len);

#endif
