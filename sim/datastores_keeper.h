/* sim/datastores_keeper.h: the keeper process of sim/datastores.c: the
 * configuration both halves share and the keeper's entry point. Only
 * datastores.c includes it. */
#ifndef SIM_DATASTORES_KEEPER_H
#define SIM_DATASTORES_KEEPER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ds_user {
    char *name;
    char *password;
    bool createdb;
};

struct ds_db {
    char *name;
    char *owner;
};

/* The scenario's dataStores, read before the fork. */
struct ds_config {
    bool pg, redis;
    char **pg_hosts, **redis_hosts;
    size_t n_pg_hosts, n_redis_hosts;
    int pg_port, redis_port; /* the ports the names answer on (5432, 6379) */
    char *pg_superpassword;  /* the "postgres" role's password */
    struct ds_user *users;   /* roles created at start */
    size_t n_users;
    struct ds_db *dbs; /* databases created at start */
    size_t n_dbs;
    char *redis_password; /* requirepass, or NULL */
};

/* Runs in the forked child: starts the stores, reports on rep ("redis
 * PORT", "pg PORT", "ready", "error TEXT"), waits for the end of file on
 * ctl or a signal, then stops them and removes its directory. */
void ds_keeper_main(struct ds_config *cfg, int ctl, int rep);
/* The superuser's libpq conninfo for the server on 127.0.0.1:port. */
char *ds_admin_conninfo(const struct ds_config *cfg, int port, const char *dbname);
/* Waits up to ms for pid to exit (true when it did, or is not ours). */
bool ds_wait_exit(pid_t pid, long ms, int *status);

#endif
