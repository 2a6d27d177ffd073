/* core/answers.h: the answers file (YAML, with a `version`) and the separate
 * secrets file (YAML, 0600). Loading reports unknown keys, wrong types and
 * invalid values as FILE:LINE:COL: key.path: message; saving is atomic and
 * round-trips without loss. */
#ifndef CORE_ANSWERS_H
#define CORE_ANSWERS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/profile.h"

struct error;
struct problems;

/* Loads an answers file over the defaults its edition/target/size imply.
 * Returns 0 when the file parsed with no error-level problems; -1 otherwise,
 * with each problem in probs (file, line, col, path) and a summary in err. */
int answers_load(const char *path, struct profile *p, struct problems *probs, struct error *err);
/* The same from memory; name stands for the file in messages. */
int answers_load_text(const char *name, const char *text, size_t len, struct profile *p,
                      struct problems *probs, struct error *err);

/* The profile as answers YAML, keys in profile_fields order; caller frees.
 * NULL (err set) when libyaml's emitter refuses. */
char *answers_dump(const struct profile *p, struct error *err);
/* Writes answers_dump() to path atomically (0644). */
int answers_save(const char *path, const struct profile *p, struct error *err);

/* The secrets file that goes with an answers file: "x.yaml" -> "x.secrets.yaml". */
char *secrets_path_for(const char *answers_path);

/* Loads a secrets file if it exists (a missing file is not an error), then
 * applies DIFY_* environment overrides. Refuses a file readable by group or
 * others, naming the chmod that fixes it. */
int secrets_load(const char *path, struct secrets *s, struct problems *probs, struct error *err);
/* Writes the secrets file atomically with mode 0600. */
int secrets_save(const char *path, const struct secrets *s, struct error *err);
/* Generates every missing secret that can be generated; never touches one
 * already set (the database password is fixed once chosen). Returns the
 * number generated. */
int secrets_fill(struct secrets *s, const struct profile *p, struct error *err);
/* Random URL-safe text from nbytes of /dev/urandom; caller frees. */
char *secret_generate(int nbytes);
/* "abcd...wxyz" style mask for display: never the whole value. */
char *secret_mask(const char *value);

/* "Did you mean" for the answers and secrets readers: */
/* Levenshtein distance (capped inputs of 64 bytes; longer gives SIZE_MAX). */
size_t answers_edit_distance(const char *a, const char *b);
/* The candidate closest to word when close enough to be a likely typo, else NULL. */
const char *answers_closest(const char *word, const char *const *cands, size_t n);
/* True for a key that names a secret (db_password, *_token, ...): refused in
 * the answers file. */
bool answers_key_is_secret(const char *key);

#endif
