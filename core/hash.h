/* core/hash.h: SHA-256 digests as lowercase hex, through libcrypto. Used
 * wherever something is named or compared by content: the migration Job's
 * name, a rendering's manifest, a step's inputs in the journal, and secrets
 * compared without being shown. */
#ifndef CORE_HASH_H
#define CORE_HASH_H

#include <stddef.h>

#define HASH_HEX_LEN 64 /* hex digits of a SHA-256 digest */

/* An incremental digest: hash_init, any number of hash_add, hash_hex. */
struct hash {
    void *ctx; /* EVP_MD_CTX */
};

void hash_init(struct hash *h);
void hash_add(struct hash *h, const void *data, size_t len);
/* Adds s and its terminating NUL, so ("ab","c") and ("a","bc") differ. */
void hash_add_str(struct hash *h, const char *s);
/* Writes HASH_HEX_LEN hex digits and a NUL into out, and frees the context. */
void hash_hex(struct hash *h, char out[HASH_HEX_LEN + 1]);

/* The digest of one buffer. */
void hash_sha256_hex(const void *data, size_t len, char out[HASH_HEX_LEN + 1]);

#endif
