/* core/steps_native.h: the install's parts that talk to the outside world
 * natively or through tools: preflight (core/steps_preflight.c), Terraform
 * (core/steps_tf.c), the databases (core/steps_db.c, libpq through an
 * optional SSH tunnel) and the Helm method (core/steps_helm.c). Each part
 * is a plan_part_fn for plan.c's table. */
#ifndef CORE_STEPS_NATIVE_H
#define CORE_STEPS_NATIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/pgconn.h"
#include "core/plan.h"

struct error;
struct loop;
struct profile;
struct pg_target;
struct ssh_target;

int steps_preflight_add(struct plan *p, const struct plan_ctx *ctx, struct error *err);
int steps_tf_add(struct plan *p, const struct plan_ctx *ctx, struct error *err);
int steps_db_add(struct plan *p, const struct plan_ctx *ctx, struct error *err);
int steps_helm_add(struct plan *p, const struct plan_ctx *ctx, struct error *err);

/* The databases an install needs on the profile's server, in order: the
 * main one, the plugin daemon's, and for Dify Enterprise "enterprise" and
 * "audit". *n gets the count; the names are the profile's (not copies). */
size_t steps_db_names(const struct profile *p, const char *names[4]);

/* Where the database is and how this machine reaches it, from the profile,
 * the context (the demo's loopback port) and Terraform's outputs (lookup
 * may be NULL, or give "db_endpoint"/"db_port"). Fills t (strings point
 * into p, ctx or lookup's values). Returns false with why set when the
 * database cannot be reached from here (a private endpoint and no
 * bastion). */
typedef const char *(*steps_output_fn)(const char *name, void *arg);
bool steps_db_target(const struct plan_ctx *ctx, steps_output_fn lookup, void *arg,
                     struct pg_target *t, bool *tunnel, const char **why);
/* The bastion from the profile, for a tunnel to host:port. */
void steps_db_bastion(const struct profile *p, const char *host, int port, struct ssh_target *t);

/* The Terraform step over any configuration (the tests' fixtures): id
 * "terraform", STAGE_INFRA; var_files are copied into the working copy. */
struct plan_step *steps_add_terraform(struct plan *p, const char *src_dir,
                                      const char *const *var_files, size_t nvar);
/* The "kubeconfig" step after "terraform": writes STATE/kubeconfig from
 * its outputs and gives its "path". */
struct plan_step *steps_add_kubeconfig(struct plan *p);
/* The kubeconfig `aws eks update-kubeconfig` writes for a cluster: the
 * cluster ARN as cluster, user and context name, the exec entry running
 * `aws --region R eks get-token --cluster-name N --output json`, and
 * AWS_PROFILE when one is given. Values must be plain (checked by the
 * caller). */
char *steps_eks_kubeconfig(const char *cluster, const char *endpoint, const char *ca_data,
                           const char *region, const char *account, const char *profile);
/* "m7g.xlarge" with its Graviton generation moved by delta ("m8g.xlarge"
 * for +1), or NULL when type is not a Graviton type. */
char *steps_graviton_neighbour(const char *type, int delta);
/* The "helm-release" step (STAGE_APP): helm status (a release stuck in
 * pending-* stops here, with the command that clears it), then helm
 * upgrade --install with the values files (placeholders filled, copied to
 * STATE/helm/), --wait, and the release's workloads watched meanwhile. */
struct plan_step *steps_add_helm_release(struct plan *p, const char *release, const char *ns,
                                         const char *chart, const char *version,
                                         const char *const values[2], long long timeout_ms);
/* A step (id given) running `helm rollback RELEASE [REVISION] --wait`,
 * watching the release's workloads meanwhile (revision NULL: the one
 * before the current). */
struct plan_step *steps_add_helm_rollback(struct plan *p, const char *id, const char *release,
                                          const char *ns, const char *revision,
                                          long long timeout_ms);
/* "helm", or $HELM. */
const char *steps_helm_bin(void);
/* Fills @@name@@ placeholders in text from the "terraform" step's outputs
 * (render_fill's rules: a token no output fills is an error naming it). */
int steps_fill_outputs(struct step_run *sr, const char *text, char **out, struct error *err);

/* Reaching a PostgreSQL server for a step (the database step, preflight):
 * through an SSH tunnel when tunnel is given, waiting up to wait_ms while
 * the server refuses, times out or is starting up (a status line on sr
 * each attempt; a host name that does not resolve only when dns_waits: a
 * database Terraform just made), and falling back to fallback_db (the maintenance database
 * "postgres") when t->dbname does not exist. cb gets the connection (the
 * caller's, free it with pgconn_free; the tunnel stays up until
 * db_reach_free) or the failure. */
struct db_reach;
struct pgconn;
struct step_run;
typedef void (*db_reach_cb)(struct db_reach *d, struct pgconn *c, const struct error *err,
                            void *arg);
struct db_reach *db_reach_start(struct loop *l, struct step_run *sr, const struct pg_target *t,
                                const struct ssh_target *tunnel, const char *fallback_db,
                                long long wait_ms, bool dns_waits, db_reach_cb cb, void *arg);
/* The class of the last failure (PG_OK before one). */
enum pg_fail db_reach_failure(const struct db_reach *d);
void db_reach_free(struct db_reach *d);

#endif
