/* core/kube_exec.h: client-go credential plugins (users[].user.exec). The
 * command runs without a shell, with KUBERNETES_EXEC_INFO in its environment,
 * asynchronously: its stdout and stderr pipes sit on the loop and it is
 * finished when its output reached EOF and it was reaped. Its stdout is an
 * ExecCredential JSON parsed into a struct kube_cred. */
#ifndef CORE_KUBE_EXEC_H
#define CORE_KUBE_EXEC_H

#include <stddef.h>

struct error;
struct loop;
struct kube_exec_spec;

/* A credential from a plugin. */
struct kube_cred {
    char *token;       /* bearer token, or NULL when a client certificate was given */
    char *cert_pem;    /* status.clientCertificateData */
    char *key_pem;     /* status.clientKeyData */
    long long expires; /* Unix seconds of status.expirationTimestamp; 0: none given */
};

void kube_cred_free(struct kube_cred *c);

/* Parses a plugin's stdout. api_version is what the kubeconfig asked for; the
 * reply must carry the same. Messages start with what is wrong, the caller
 * prefixes the command and user. */
int kube_exec_parse(const char *out, size_t len, const char *api_version, struct kube_cred *cred,
                    struct error *err);

struct kube_exec_job;
/* Called once, unless cancelled: cred (owned by the callee, NULL on error). */
typedef void (*kube_exec_cb)(struct kube_cred *cred, const struct error *err, void *arg);

/* Starts the plugin. desc names the user for messages ("FILE: context \"c\":
 * user \"u\""). A start failure (command not found) is reported through cb
 * on the next loop turn too, so callers have one path. */
struct kube_exec_job *kube_exec_start(struct loop *l, const struct kube_exec_spec *spec,
                                      const char *desc, long long timeout_ms, kube_exec_cb cb,
                                      void *arg);
/* Kills the plugin if it still runs; cb is not called afterwards. */
void kube_exec_cancel(struct kube_exec_job *j);

#endif
