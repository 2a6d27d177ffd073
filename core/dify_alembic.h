/* core/dify_alembic.h: the alembic revision each Dify release's schema
 * ends at (its migration head: the revision no other migration of that
 * release names as down_revision), for DT-403 to compare a database with
 * what the api's version expects. Upstream publishes no such table; each
 * row was computed from api/migrations/versions of the release's tree and
 * names where that tree was read (docs/diagnose.md, DT-403). Releases
 * without a row are not guessed: the check says so and falls back to the
 * migration Job's log. */
#ifndef CORE_DIFY_ALEMBIC_H
#define CORE_DIFY_ALEMBIC_H

#include <stddef.h>

struct dify_alembic_head {
    const char *api;    /* the dify-api tag, as in core/dify_versions */
    const char *head;   /* the head revision id */
    const char *source; /* where the release's migrations were read */
};

extern const struct dify_alembic_head dify_alembic_heads[];
extern const size_t dify_nalembic_heads;

/* The row of an api tag, or NULL when the release's head is not known. */
const struct dify_alembic_head *dify_alembic_find(const char *api_version);

#endif
