/* core/sshknown.c: host keys against known_hosts (see sshknown.h). */
#include "config.h"

#include "core/sshknown.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/util.h"

#define KNOWN_HOSTS_MAX (8u << 20)

static const char b64tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of in into out (cap bytes), padded or not; false when it does not fit. */
static bool base64(const unsigned char *in, size_t n, bool pad, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        if (o + 5 > cap)
            return false;
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = b64tab[(v >> 18) & 63];
        out[o++] = b64tab[(v >> 12) & 63];
        if (i + 1 < n)
            out[o++] = b64tab[(v >> 6) & 63];
        else if (pad)
            out[o++] = '=';
        if (i + 2 < n)
            out[o++] = b64tab[v & 63];
        else if (pad)
            out[o++] = '=';
    }
    if (o >= cap)
        return false;
    out[o] = '\0';
    return true;
}

static int kh_type(int hostkey_type, const char **name)
{
    switch (hostkey_type) {
    case LIBSSH2_HOSTKEY_TYPE_RSA:
        *name = "ssh-rsa";
        return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
#ifdef LIBSSH2_HOSTKEY_TYPE_ECDSA_256
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
        *name = "ecdsa-sha2-nistp256";
        return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
        *name = "ecdsa-sha2-nistp384";
        return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
        *name = "ecdsa-sha2-nistp521";
        return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
#endif
#ifdef LIBSSH2_HOSTKEY_TYPE_ED25519
    case LIBSSH2_HOSTKEY_TYPE_ED25519:
        *name = "ssh-ed25519";
        return LIBSSH2_KNOWNHOST_KEY_ED25519;
#endif
    case LIBSSH2_HOSTKEY_TYPE_DSS:
        *name = "ssh-dss";
        return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
    default:
        *name = "unknown";
        return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
    }
}

int sshknown_key(LIBSSH2_SESSION *s, struct sshknown_key *k)
{
    memset(k, 0, sizeof(*k));
    int type = 0;
    k->blob = libssh2_session_hostkey(s, &k->len, &type);
    if (!k->blob)
        return -1;
    k->kh_mask = kh_type(type, &k->type);
    const char *hash = libssh2_hostkey_hash(s, LIBSSH2_HOSTKEY_HASH_SHA256);
    if (hash) {
        char b[64];
        base64((const unsigned char *)hash, 32, false, b, sizeof(b));
        snprintf(k->fingerprint, sizeof(k->fingerprint), "SHA256:%s", b);
    }
    return 0;
}

void sshknown_entry_name(const char *host, int port, char *out, size_t cap)
{
    if (port == 22 || port <= 0)
        snprintf(out, cap, "%s", host);
    else
        snprintf(out, cap, "[%s]:%d", host, port);
}

enum sshknown_verdict sshknown_check(LIBSSH2_SESSION *s, const struct sshknown_key *k,
                                     const char *file, const char *host, int port, char *err,
                                     size_t errcap)
{
    LIBSSH2_KNOWNHOSTS *kh = libssh2_knownhost_init(s);
    if (!kh) {
        snprintf(err, errcap, "out of memory");
        return SSHKNOWN_ERROR;
    }
    if (access(file, F_OK) == 0 &&
        libssh2_knownhost_readfile(kh, file, LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0) {
        char *m = NULL;
        libssh2_session_last_error(s, &m, NULL, 0);
        snprintf(err, errcap, "cannot read the known hosts file %s: %s", file,
                 m && *m ? m : "unknown error");
        libssh2_knownhost_free(kh);
        return SSHKNOWN_ERROR;
    }
    struct libssh2_knownhost *found = NULL;
    int rc = libssh2_knownhost_checkp(
        kh, host, port, k->blob, k->len,
        LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | k->kh_mask, &found);
    libssh2_knownhost_free(kh);
    switch (rc) {
    case LIBSSH2_KNOWNHOST_CHECK_MATCH:
        return SSHKNOWN_MATCH;
    case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
        return SSHKNOWN_CHANGED;
    case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
        return SSHKNOWN_UNKNOWN;
    default:
        snprintf(err, errcap, "checking the host key against %s failed", file);
        return SSHKNOWN_ERROR;
    }
}

int sshknown_add(const struct sshknown_key *k, const char *file, const char *host, int port,
                 struct error *err)
{
    if (k->kh_mask == LIBSSH2_KNOWNHOST_KEY_UNKNOWN) {
        error_set(err, ERR_INVALID, 0, "%s: a host key of a type libssh2 does not know", file);
        return -1;
    }
    /* A symbolic link (a dotfiles checkout) stays one: its target is written. */
    char *path = NULL;
    struct stat st;
    if (lstat(file, &st) == 0 && S_ISLNK(st.st_mode)) {
        path = realpath(file, NULL);
        if (!path) {
            error_set(err, ERR_IO, errno, "%s: cannot follow the link: %s", file, strerror(errno));
            return -1;
        }
    } else {
        path = xstrdup(file);
    }
    char *old = NULL;
    size_t oldlen = 0;
    mode_t mode = 0600;
    if (stat(path, &st) == 0) {
        mode = st.st_mode & 0777;
        if (file_read_all(path, KNOWN_HOSTS_MAX, &old, &oldlen, err) < 0) {
            free(path);
            return -1;
        }
    } else if (errno == ENOENT) {
        char *dir = xstrdup(path);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
            if (dir_make_all(dir, 0700, err) < 0) {
                free(dir);
                free(path);
                return -1;
            }
        }
        free(dir);
    } else {
        error_set(err, ERR_IO, errno, "%s: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    size_t cap = k->len * 4 / 3 + 8;
    char *b = xmalloc(cap);
    base64((const unsigned char *)k->blob, k->len, true, b, cap);
    char name[300];
    sshknown_entry_name(host, port, name, sizeof(name));
    struct strbuf sb;
    strbuf_init(&sb);
    if (oldlen) {
        strbuf_add(&sb, old, oldlen);
        if (old[oldlen - 1] != '\n')
            strbuf_addc(&sb, '\n');
    }
    strbuf_addf(&sb, "%s %s %s\n", name, k->type, b);
    size_t len = 0;
    char *data = strbuf_detach(&sb, &len);
    int rc = file_write_atomic(path, data, len, mode, err);
    free(data);
    free(b);
    free(old);
    free(path);
    return rc;
}
