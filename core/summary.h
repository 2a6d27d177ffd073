/* core/summary.h: the summary a person signs off on before the files are
 * written (the wizard's Review page): the URLs exactly as rendered, the data
 * stores, storage, replicas, extra files, which secrets are given, generated
 * or still needed, and which files will be written and which of them replace
 * files already there. Lines of text with a role; screens/ draws them. */
#ifndef CORE_SUMMARY_H
#define CORE_SUMMARY_H

#include <stddef.h>

#include "core/profile.h"

enum summary_role {
    SUM_HEADING, /* a section */
    SUM_TEXT,    /* a fact */
    SUM_DIM,     /* a path or a detail */
    SUM_WARN     /* something that will be replaced or is still missing */
};

struct summary_line {
    enum summary_role role;
    char *text;
};

struct summary {
    struct summary_line *v;
    size_t n;
};

/* Where writing would put the files. */
struct summary_paths {
    const char *answers;
    const char *secrets;
    const char *out_dir;
};

/* Fills out with the summary of p and s (s as it stands: secrets still
 * empty are listed as generated or needed, never shown). */
void profile_summary(const struct profile *p, const struct secrets *s,
                     const struct summary_paths *paths, struct summary *out);
void summary_done(struct summary *sm);

#endif
