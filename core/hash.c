/* core/hash.c: SHA-256 through libcrypto's EVP interface. */
#include "config.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/util.h"

void hash_init(struct hash *h)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        /* Only allocation can fail here, which xmalloc treats the same way. */
        xalloc_fail(sizeof(EVP_MD_CTX *));
    }
    h->ctx = ctx;
}

void hash_add(struct hash *h, const void *data, size_t len)
{
    if (len)
        EVP_DigestUpdate(h->ctx, data, len);
}

void hash_add_str(struct hash *h, const char *s)
{
    if (!s)
        s = "";
    hash_add(h, s, strlen(s) + 1);
}

void hash_hex(struct hash *h, char out[HASH_HEX_LEN + 1])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(h->ctx, md, &n);
    EVP_MD_CTX_free(h->ctx);
    h->ctx = NULL;
    static const char digits[] = "0123456789abcdef";
    for (unsigned int i = 0; i < n && i < HASH_HEX_LEN / 2; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[HASH_HEX_LEN] = '\0';
}

void hash_sha256_hex(const void *data, size_t len, char out[HASH_HEX_LEN + 1])
{
    struct hash h;
    hash_init(&h);
    hash_add(&h, data, len);
    hash_hex(&h, out);
}
