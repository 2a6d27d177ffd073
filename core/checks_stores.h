/* core/checks_stores.h: where the installation's PostgreSQL and Redis are,
 * and how this machine reaches them, for the checks of areas 4 and 5.
 *
 * The values are the ones the pods use when the cluster says (the api's
 * environment, resolved as the kubelet resolves it), else the answers
 * file's; a host that is a name inside the cluster cannot be reached from
 * here, so a reach address (--db, --redis: a port-forward, a tunnel, the
 * simulator's port) or the profile's bastion is needed for it. */
#ifndef CORE_CHECKS_STORES_H
#define CORE_CHECKS_STORES_H

#include <stdbool.h>

struct check;

struct store_target {
    char host[256]; /* as the installation names it */
    int port;
    char reach_host[256]; /* where to connect from here; "" = host */
    int reach_port;
    char user[128];
    char *password; /* owned; wiped by store_target_done */
    char db[128];   /* PostgreSQL: the api's database; Redis: "0" */
    char plugin_db[128];
    char sslmode[32];
    bool tls;         /* Redis over TLS */
    bool sentinel;    /* the configuration expects a sentinel (REDIS_USE_SENTINEL) */
    bool cluster;     /* ... a Redis cluster (REDIS_USE_CLUSTERS) */
    char source[256]; /* where the values came from, for the evidence */
};

enum store_find {
    STORE_FOUND,
    STORE_UNKNOWN, /* neither the cluster nor an answers file says */
    STORE_INSIDE,  /* a name inside the cluster and no way in from here */
};

/* Fills t for PostgreSQL or Redis; on anything but STORE_FOUND, why says
 * what is missing and what to give. */
enum store_find checks_db_target(struct check *c, struct store_target *t, char *why, size_t n);
enum store_find checks_redis_target(struct check *c, struct store_target *t, char *why, size_t n);
void store_target_done(struct store_target *t);

/* The plugin daemon's own PostgreSQL login, when the cluster shows the
 * daemon and its environment names the server and the user (DB_HOST,
 * DB_USERNAME; DB_PORT 5432, DB_DATABASE dify_plugin when unset, as
 * plugin-daemon internal/types/app/config.go): t->db is its database,
 * t->source names the workload. False when there is none to try. */
bool checks_db_daemon_login(struct check *c, struct store_target *t);

/* "host:port" as connected to, and "host:port" as named, for messages. */
const char *store_reach_host(const struct store_target *t);
int store_reach_port(const struct store_target *t);

#endif
