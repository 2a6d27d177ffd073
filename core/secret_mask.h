/* core/secret_mask.h: which values of a Kubernetes Secret are masked on
 * screen (core/log.h log_add_secret, core/textsafe), so a pod that logs its
 * database password, or an object that repeats it, never shows it, even
 * when no answers file told the process its secrets.
 *
 * The rule (docs/dashboard.md, "Secrets masked"):
 *   - a key whose name says it holds a secret (core/redact.h
 *     redact_name_sensitive: password, passwd, token, secret, key,
 *     credential in any case, not names that point at one such as
 *     *Name, *Ref, *Path), of a Secret that holds configuration (not a
 *     Helm release, a service account token or registry credentials);
 *   - and the password of any value that is a URL with credentials
 *     (scheme://user:PASSWORD@host, percent-decoded too), whatever its key
 *     (CELERY_BROKER_URL);
 *   - each such value is masked when it is at least SECRET_MASK_MIN bytes
 *     (a trailing newline dropped): a shorter one ("dify", "1234") would
 *     mask every occurrence of an ordinary word or number in every log
 *     line, and is counted and named (the Secret and key, never the value)
 *     as too short to mask instead;
 *   - a value of several lines (a PEM key) is masked whole and line by
 *     line (lines of SECRET_MASK_MIN bytes or more, the armour lines
 *     left).
 * Values of other keys (DB_USERNAME, DB_HOST, a port) are not secrets and
 * stay shown. Decoded values are wiped after they are registered. */
#ifndef CORE_SECRET_MASK_H
#define CORE_SECRET_MASK_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

#define SECRET_MASK_MIN 8

struct secret_mask_stats {
    unsigned secrets;      /* Secrets read for values */
    unsigned masked;       /* values registered */
    unsigned too_short;    /* secret values left shown: shorter than SECRET_MASK_MIN */
    char short_names[256]; /* "dify-secrets/DB_PASSWORD, ..." (cut) */
};

/* Whether a Secret of this type holds configuration to mask (Opaque, basic
 * and ssh auth, TLS, or no type); not helm.sh/release.v1, service account
 * tokens or registry credentials. */
bool secret_mask_type_wanted(const char *type);
/* Registers the values the rule takes from one Secret object (data
 * decoded, and stringData); adds to st. */
void secret_mask_add_secret(const struct cJSON *secret, struct secret_mask_stats *st);
/* The same for every Secret of a list reply (items). */
void secret_mask_add_list(const struct cJSON *list, struct secret_mask_stats *st);

/* The same rule for the plain env values of an object's containers (a
 * pod, a workload's template, a Job's, a CronJob's): a password given as
 * `value:` with no Secret behind it (an env named DB_PASSWORD, a URL with
 * credentials). what names the object in st's short_names
 * ("deployment/dify-api": "deployment/dify-api/DB_PASSWORD"). */
void secret_mask_add_env(const struct cJSON *obj, const char *what, struct secret_mask_stats *st);
/* What st says of the values too short to mask, said once ("shown, not
 * masked: NAMES (under 8 characters: ...)"), or "" when there are none. */
void secret_mask_short_note(const struct secret_mask_stats *st, char *out, size_t n);

#endif
