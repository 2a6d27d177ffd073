/* core/kubeconfig.h: reading kubeconfig files the way kubectl does. Several
 * files (KUBECONFIG=a:b) are merged (the first file to name a cluster, user or
 * context wins; current-context from the first file that sets one), one
 * context is chosen (--context, else current-context) and resolved into a
 * plain struct kube_config: server, TLS material, and credentials (token,
 * client certificate, or an exec plugin run later by core/kube_exec.c).
 * Every message names the file, the context and the field. */
#ifndef CORE_KUBECONFIG_H
#define CORE_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct error;

/* One name/value pair of an exec plugin's env list. */
struct kube_exec_env {
    char *name;
    char *value;
};

/* users[].user.exec: a credential plugin. */
struct kube_exec_spec {
    char *api_version; /* client.authentication.k8s.io/v1, v1beta1 or v1alpha1 */
    char *command;     /* run without a shell; relative paths with a '/' resolved */
    char **args;       /* NULL-terminated argument vector, without the command */
    size_t nargs;
    struct kube_exec_env *env;
    size_t nenv;
    char *install_hint; /* shown when the command is not found; may be NULL */
    bool deprecated;    /* v1alpha1: accepted with a note */
};

/* One context, resolved. Strings are owned; binary blobs are PEM bytes. */
struct kube_config {
    char *files;        /* the file list, for messages ("a:b") */
    char *context_file; /* file that defined the context */
    char *context;      /* context name */
    char *cluster;      /* cluster name */
    char *user;         /* user (authinfo) name */
    char *ns;           /* --namespace, else the context's namespace, else "default" */
    char *server;       /* https://host:port (no trailing slash) */
    char *ca_pem;       /* certificate authority PEM, or NULL for the system store */
    size_t ca_len;
    bool insecure;         /* insecure-skip-tls-verify: remembered for diagnostics */
    char *tls_server_name; /* may be NULL */
    char *proxy_url;       /* may be NULL */
    char *token;           /* bearer token (token, or the tokenFile's content) */
    char *token_file;      /* where token came from, when it came from a file */
    char *cert_pem;        /* client certificate PEM (data or file) */
    size_t cert_len;
    char *key_pem; /* client key PEM */
    size_t key_len;
    struct kube_exec_spec *exec; /* credential plugin, or NULL */
    char *user_desc;             /* "FILE: context \"c\": user \"u\"" for exec messages */
};

/* Where to look and what to pick; every field may be NULL. */
struct kube_config_opts {
    const char *kubeconfig;     /* --kubeconfig: must exist */
    const char *context;        /* --context */
    const char *ns;             /* --namespace */
    const char *env_kubeconfig; /* $KUBECONFIG as read by the caller (NULL: not set) */
    const char *home;           /* $HOME, for ~/.kube/config */
};

/* Loads, merges and resolves. Fills opts from the environment when the caller
 * passes NULL for env_kubeconfig/home and sets use_env. */
int kubeconfig_load(const struct kube_config_opts *opts, struct kube_config **out,
                    struct error *err);
/* The same with $KUBECONFIG and $HOME taken from the environment. */
int kubeconfig_load_env(const char *kubeconfig, const char *context, const char *ns,
                        struct kube_config **out, struct error *err);
void kube_config_free(struct kube_config *c);

/* Decodes standard base64 (whitespace ignored). Returns -1 on bad input. */
int kube_base64_decode(const char *in, char **out, size_t *out_len);

#endif
