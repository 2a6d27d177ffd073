/* screens/wizard_fields.h: the wizard's knowledge of the profile that is not
 * drawing: which page shows which field (by path prefix over profile_fields[],
 * never a second list of settings), when a field is visible (when its
 * descriptor says it applies), which validation problem a field shows, and
 * the instance shapes shown beside the size presets. */
#ifndef SCREENS_WIZARD_FIELDS_H
#define SCREENS_WIZARD_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/problems.h"
#include "core/profile.h"

enum wiz_page {
    PAGE_EDITION, /* edition and target */
    PAGE_METHOD,  /* helm chart or built-in manifests */
    PAGE_SIZE,    /* the preset table, then the preset-derived values */
    PAGE_CLUSTER, /* AWS details (EKS) or cluster details (existing) */
    PAGE_DOMAINS, /* hosts and TLS */
    PAGE_DATA,    /* database, redis, vector store, file storage */
    PAGE_SECRETS,
    PAGE_ROLLOUT, /* extra files, rollout, migration */
    PAGE_REVIEW,
    PAGE__COUNT
};

/* Short name for the page strip ("Size") and the title ("Size presets"). */
const char *wizard_page_name(enum wiz_page page, const struct profile *p);
const char *wizard_page_title(enum wiz_page page, const struct profile *p);

/* True when field f is listed on page. */
bool wizard_field_on_page(const struct field_desc *f, enum wiz_page page);
/* The page a problem on this field jumps to (the last page that lists it,
 * where it sits with its section). */
enum wiz_page wizard_field_home(const struct field_desc *f);
/* Whether the field applies to the profile as it stands (target, method,
 * storage kind, split hosts ...). */
bool wizard_field_visible(const struct profile *p, const struct field_desc *f);
/* Whether a secret applies (S3 keys only with keys auth). */
bool wizard_secret_visible(const struct profile *p, const struct secret_desc *d);
/* Section heading for a path ("database.port" -> "Database (PostgreSQL)"). */
const char *wizard_section_title(const char *path);

enum wiz_check { WIZ_OK, WIZ_WARNING, WIZ_ERROR };
/* The first problem in ps (from profile_validate) on the field at path,
 * errors before warnings: what the wizard shows beside the field and says as
 * a person leaves it. The rules are the descriptors' (core/profile.c); the
 * wizard keeps no table of its own. */
enum wiz_check wizard_field_problem(const struct problems *ps, const char *path, char *msg,
                                    size_t msgsz);

/* "4 vCPU / 16 GiB" for an EC2 instance type, "?" when unknown; caller frees. */
char *wizard_instance_shape(const char *type);

/* The page and field a validation problem's path points at: a profile field,
 * a secret ("secrets.db_password" or "db_password"), or an extra file. */
struct wiz_target {
    enum wiz_page page;
    const struct field_desc *field;   /* or NULL */
    const struct secret_desc *secret; /* or NULL */
    int extra;                        /* extra file index, or -1 */
};
bool wizard_problem_target(const char *path, struct wiz_target *out);

#endif
