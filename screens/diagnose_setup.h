/* screens/diagnose_setup.h: what `dify-tui diagnose` and the diagnostics
 * screen start from: the arguments, the answers and secrets files, the
 * Kubernetes client and the loop, gathered into a core check_env. */
#ifndef SCREENS_DIAGNOSE_SETUP_H
#define SCREENS_DIAGNOSE_SETUP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/checks.h"
#include "core/profile.h"
#include "screens/command.h"

struct loop;

struct diagnose_setup {
    struct check_env env;
    struct profile profile;
    struct secrets secrets;
    bool have_profile;
    char *answers;
    char **only;
    size_t nonly;
    char *kube_error;
    char *kube_desc;
    char *ns, *release;
    char *db_host, *redis_host;
    bool ns_given;
    const char *kubeconfig, *context; /* the global options */
    struct loop *own_loop;            /* made by connect when none was given */
};

/* Parses diagnose's arguments, loads the answers and secrets and makes the
 * client (a kubeconfig that cannot be used is not fatal: the cluster checks
 * say why). Returns EXIT_OK, or EXIT_BADINPUT after printing the problem
 * and usage. */
int diagnose_setup_parse(struct diagnose_setup *s, int argc, char **argv,
                         const struct global_opts *g, const char *usage, bool *json, bool *print,
                         bool *verbose);
/* Makes the Kubernetes client on loop l (NULL: a loop of its own) and
 * completes the env (namespace from the context when none was given). A
 * kubeconfig that cannot be used is not fatal: kube_error says why. */
void diagnose_setup_connect(struct diagnose_setup *s, struct loop *l);
void diagnose_setup_done(struct diagnose_setup *s);

/* "HOST:PORT" or "[V6]:PORT" into host and port; false when it is not one. */
bool diagnose_hostport(const char *s, char **host, int *port);

#endif
