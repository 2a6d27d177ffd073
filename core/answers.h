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

/* The keys of an extra_files item, NULL-terminated. */
extern const char *const answers_extra_keys[];

/* The profile as answers YAML, keys in profile_fields order; caller frees.
 * NULL (err set) when libyaml's emitter refuses. */
char *answers_dump(const struct profile *p, struct error *err);
/* What saving over an existing file did with keys the profile does not
 * hold: each one is kept, commented out, at the end of the file (kept), or,
 * when it looks like a secret, left out (dropped). Paths like "aws.colour". */
struct answers_kept {
    char **kept;
    size_t nkept;
    char **dropped;
    size_t ndropped;
};
void answers_kept_done(struct answers_kept *k);

/* Writes answers_dump() to path atomically (0644). When path exists, its
 * comments are kept with their keys and its unknown keys as comments at
 * the end (answers_merge; each is logged, and listed in kept when given);
 * a path that no longer parses, or is not a regular file, is refused. */
int answers_save(const char *path, const struct profile *p, struct error *err);
int answers_save_kept(const char *path, const struct profile *p, struct answers_kept *kept,
                      struct error *err);
/* The same for a draft left part-way through the wizard: the file begins
 * with ANSWERS_DRAFT_MARK and the page (1-based) where it stopped. */
#define ANSWERS_DRAFT_MARK "# dify-tui wizard draft:"
int answers_save_draft(const char *path, const struct profile *p, int page, const char *page_name,
                       struct answers_kept *kept, struct error *err);
/* The page a draft stopped at (from its marker line), or 0 for a file that
 * is not a draft. */
int answers_draft_page(const char *text, size_t len);

/* new_text (an answers_dump) merged over old_text, the file it replaces:
 * comment lines above a key and a comment at the end of its line go with
 * the key; comments at the end stay at the end; keys the profile does not
 * read are appended as comments (secret-looking ones left out); see kept.
 * NULL with err when old_text does not parse. Caller frees. */
char *answers_merge(const char *name, const char *old_text, size_t old_len, const char *new_text,
                    struct answers_kept *kept, struct error *err);

/* The secrets file that goes with an answers file: "x.yaml" -> "x.secrets.yaml". */
char *secrets_path_for(const char *answers_path);

/* Where the secrets of an answers file live unless given: beside it, but for
 * an answers file inside the program's assets (a shipped example) in
 * STATE/examples/, never in the install tree; *in_state says which. */
char *secrets_path_default(const char *answers_path, bool *in_state);

/* Loads a secrets file if it exists (a missing file is not an error), then
 * applies DIFY_* environment overrides. Refuses a file readable by group or
 * others, naming the chmod that fixes it. */
int secrets_load(const char *path, struct secrets *s, struct problems *probs, struct error *err);
/* Writes the secrets file atomically with mode 0600. */
int secrets_save(const char *path, const struct secrets *s, struct error *err);
/* Generates every missing secret secret_generated() allows for p (core/
 * profile.h: never the password of a database or Redis the user runs);
 * never touches one already set (the database password is fixed once
 * chosen). Returns the number generated. */
int secrets_fill(struct secrets *s, const struct profile *p, struct error *err);
/* Random URL-safe text from nbytes of /dev/urandom; caller frees. */
char *secret_generate(int nbytes);
/* nchars random letters and digits (an ElastiCache AUTH token); caller frees. */
char *secret_generate_alnum(int nchars);
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
