/* sim/tls.h: the server's certificate: a self-signed EC P-256 certificate
 * for IP:127.0.0.1 and DNS:localhost made at start with libcrypto, or PEM
 * files given on the command line. */
#ifndef SIM_TLS_H
#define SIM_TLS_H

struct error;

/* Makes a fresh key and certificate; both PEM strings are the caller's. */
int tls_self_signed(char **cert_pem, char **key_pem, struct error *err);

#endif
