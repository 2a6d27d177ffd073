/* sim/tls.c: self-signed certificate generation (see tls.h). */
#include "config.h"

#include "sim/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

#include "core/error.h"
#include "core/util.h"

static char *bio_string(BIO *b)
{
    char *data;
    long n = BIO_get_mem_data(b, &data);
    return xstrndup(data, (size_t)n);
}

static int add_ext(X509 *cert, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext)
        return -1;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok ? 0 : -1;
}

int tls_self_signed(char **cert_pem, char **key_pem, struct error *err)
{
    int rc = -1;
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    BIO *kb = BIO_new(BIO_s_mem()), *cb = BIO_new(BIO_s_mem());
    if (!key || !cert || !kb || !cb)
        goto fail;
    X509_set_version(cert, 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof(serial));
    serial[0] &= 0x7f;
    BIGNUM *bn = BN_bin2bn(serial, sizeof(serial), NULL);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 60L * 60 * 24 * 365);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"dify-sim", -1, -1,
                               0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"dify-sim", -1, -1,
                               0);
    X509_set_issuer_name(cert, name);
    if (add_ext(cert, NID_basic_constraints, "critical,CA:TRUE") < 0 ||
        add_ext(cert, NID_key_usage, "critical,digitalSignature,keyCertSign") < 0 ||
        add_ext(cert, NID_ext_key_usage, "serverAuth") < 0 ||
        add_ext(cert, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost") < 0 ||
        add_ext(cert, NID_subject_key_identifier, "hash") < 0)
        goto fail;
    if (!X509_sign(cert, key, EVP_sha256()))
        goto fail;
    if (!PEM_write_bio_PrivateKey(kb, key, NULL, NULL, 0, NULL, NULL) ||
        !PEM_write_bio_X509(cb, cert))
        goto fail;
    *key_pem = bio_string(kb);
    *cert_pem = bio_string(cb);
    rc = 0;
    goto out;
fail:
    error_set(err, ERR_INTERNAL, 0, "making the self-signed certificate: %s",
              ERR_reason_error_string(ERR_get_error()) ? ERR_reason_error_string(ERR_get_error())
                                                       : "libcrypto failed");
out:
    BIO_free(kb);
    BIO_free(cb);
    X509_free(cert);
    EVP_PKEY_free(key);
    return rc;
}
