/* core/redact.h: the support bundle's redaction. Values that must not leave
 * the machine become tokens ("REDACTED-" and 12 hex digits): the same value
 * gives the same token everywhere in one bundle, so an engineer can still
 * see that two keys match or differ, and the token is an HMAC-SHA256 of the
 * value under a key drawn at random for each bundle and never written, so a
 * token cannot be reversed by hashing guesses.
 *
 * What is hidden (troubleshoot.sh's default redactors, and what its users
 * asked for after: custom resources, troubleshoot #2117):
 * - every value of every Secret (data, decoded, and stringData);
 * - a value under a name that says it is secret (password, passwd, token,
 *   secret, key, credential: env entries {name, value}, mapping keys in any
 *   object of any kind, NAME=value and NAME: value in text);
 * - the password of a URL with credentials (scheme://user:PASSWORD@host) and
 *   of a keyword DSN (password=...);
 * - every value registered with redact_add_secret (the profile's secrets).
 * Every value learnt this way is then searched for everywhere, in plain and
 * in base64 (at each of the three byte alignments, so a secret inside a
 * larger base64 blob is found too).
 *
 * Use: learn from every file first (redact_learn_json, redact_learn_text),
 * then apply (redact_json, redact_text), so a value learnt from a Secret is
 * hidden in a log read before it. Each replacement is an entry of the
 * redaction report: the file, the line, what it was (the object and field,
 * or the rule), and the token; never the value. */
#ifndef CORE_REDACT_H
#define CORE_REDACT_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;
struct redact;

#define REDACT_TOKEN_PREFIX "REDACTED-"
#define REDACT_TOKEN_LEN (sizeof(REDACT_TOKEN_PREFIX) - 1 + 12)
#define REDACT_KEY_LEN 32
/* Learnt values shorter than this are hidden where they stand but not
 * searched for elsewhere (a 3-letter value would match everywhere). */
#define REDACT_MIN_SEARCH 6

struct redact_entry {
    char *file;       /* the path in the bundle */
    long line;        /* 1-based line of the file as written; 0 until located */
    char *where;      /* "Secret dify/dify-secrets data.DB_PASSWORD", or the rule's words */
    const char *rule; /* "secret-data", "sensitive-name", "url-credentials",
                         "known-secret", "base64-of-secret" */
    char token[REDACT_TOKEN_LEN + 1];
};

/* A redactor with a key from the kernel's random source. */
struct redact *redact_new(void);
/* The same with a given key (tests); len <= REDACT_KEY_LEN. */
struct redact *redact_new_with_key(const unsigned char *key, size_t len);
/* Wipes the key and every learnt value, and frees. NULL is allowed. */
void redact_free(struct redact *r);

/* The token of a value, NUL-terminated into out. */
void redact_token(const struct redact *r, const void *value, size_t len,
                  char out[REDACT_TOKEN_LEN + 1]);
/* True when s (at its start) is a token. */
bool redact_is_token(const char *s, size_t len);

/* True for a name whose value is secret: it contains password, passwd,
 * token, secret, key or credential (any case), except names that only
 * point at a secret or describe one (key, keys, *name, *ref, *path, *file,
 * *type, *ttl, *seconds ...). */
bool redact_name_sensitive(const char *name, size_t len);

/* Registers a value to search for everywhere (and its base64 forms). */
void redact_add_secret(struct redact *r, const void *value, size_t len);
/* Values registered so far (plain values, not counting their forms). */
size_t redact_secret_count(const struct redact *r);

/* The learning pass: registers what the rules above find. */
void redact_learn_json(struct redact *r, const struct cJSON *doc);
void redact_learn_text(struct redact *r, const char *text, size_t len);

/* The applying pass. redact_json changes doc in place (a Kubernetes
 * object, a list of them, or any JSON document such as Helm values) and
 * records entries without lines; call redact_locate with the text written
 * from it to give them their lines. redact_text returns the redacted text
 * (caller frees) and records its entries with lines. */
void redact_json(struct redact *r, const char *file, struct cJSON *doc);
void redact_locate(struct redact *r, const char *file, const char *text, size_t len);
char *redact_text(struct redact *r, const char *file, const char *text, size_t len,
                  size_t *out_len);

size_t redact_entry_count(const struct redact *r);
const struct redact_entry *redact_entry_at(const struct redact *r, size_t i);
/* Entries recorded for one file. */
size_t redact_file_count(const struct redact *r, const char *file);

#endif
