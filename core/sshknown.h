/* core/sshknown.h: an SSH server's host key against an OpenSSH known_hosts
 * file: the one implementation the bastion's tunnel and its remote
 * commands (core/sshtunnel, core/checks_remote) share.
 *
 * The key's type is named as OpenSSH names it ("ssh-ed25519") and its
 * fingerprint printed as `ssh-keygen -l` prints it: "SHA256:" and unpadded
 * base64 (OpenSSH sshkey.c, sshkey_fingerprint_raw / SSH_FP_BASE64). Entries
 * are found as libssh2_knownhost_checkp finds them (hashed names too,
 * "[host]:port" for ports other than 22). A key the person accepted is
 * appended as one line, atomically, every other line of the file kept as
 * it was (comments, markers, hashed names libssh2 would rewrite). */
#ifndef CORE_SSHKNOWN_H
#define CORE_SSHKNOWN_H

#include <libssh2.h>
#include <stddef.h>

struct error;

struct sshknown_key {
    const char *type;     /* "ssh-ed25519"; "unknown" for a type libssh2 does not name */
    char fingerprint[80]; /* "SHA256:..." */
    int kh_mask;          /* LIBSSH2_KNOWNHOST_KEY_* */
    const char *blob;     /* the key as the server sent it (borrowed from the session) */
    size_t len;
};

enum sshknown_verdict {
    SSHKNOWN_MATCH,
    SSHKNOWN_UNKNOWN, /* no entry for this host (a missing file is an empty one) */
    SSHKNOWN_CHANGED, /* an entry for this host with another key */
    SSHKNOWN_ERROR,   /* the file cannot be read or parsed: err says why */
};

/* The key of a session past its handshake; -1 when the server sent none. */
int sshknown_key(LIBSSH2_SESSION *s, struct sshknown_key *k);

/* "host" for port 22, else "[host]:port", as OpenSSH writes it. */
void sshknown_entry_name(const char *host, int port, char *out, size_t cap);

/* Looks key k of host:port up in file. */
enum sshknown_verdict sshknown_check(LIBSSH2_SESSION *s, const struct sshknown_key *k,
                                     const char *file, const char *host, int port, char *err,
                                     size_t errcap);

/* Appends "NAME TYPE BASE64" for k to file atomically (a temporary file in
 * the same directory, renamed over it; a symbolic link's target is the file
 * written); the file's mode is kept (0600 for a new one, its directory
 * made 0700 when missing). */
int sshknown_add(const struct sshknown_key *k, const char *file, const char *host, int port,
                 struct error *err);

#endif
