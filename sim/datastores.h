/* sim/datastores.h: the real data stores a scenario declares (its
 * "dataStores" section): a PostgreSQL server (initdb and postgres from the
 * Debian packages, in a temporary directory) and a redis-server, both on
 * 127.0.0.1 at free ports, run by a keeper process so that they stop however
 * dify-sim ends. The keeper is dify-sim's child in a process group of its
 * own; the stores are its children. On a normal exit dify-sim closes the
 * keeper's pipe; if dify-sim dies, the pipe closes by itself; either way the
 * keeper stops the servers and removes the directory. PR_SET_PDEATHSIG
 * covers the keeper dying first.
 *
 * Pods reach the stores by the names the scenario lists: a DB_HOST or
 * REDIS_HOST is resolved the way a pod's resolver would (the namespace's
 * search path first), and a known name on another port is refused. */
#ifndef SIM_DATASTORES_H
#define SIM_DATASTORES_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct error;

/* Reads and checks a scenario's dataStores mapping (path names the file in
 * messages). NULL clears the configuration. */
int datastores_configure(const cJSON *spec, const char *path, struct error *err);
/* Does the loaded scenario declare data stores? */
bool datastores_enabled(void);
/* Forks the keeper, which starts the stores in the background. Call before
 * any thread exists (fork copies only the calling thread). No-op without
 * data stores. */
int datastores_start(struct error *err);
/* Stops the stores and waits for the keeper (bounded). */
void datastores_stop(void);
/* Waits at most timeout_ms for the stores: 0 when they are up, -1 when they
 * failed or are still starting (msg says which). */
int datastores_wait(long timeout_ms, char *msg, size_t msg_len);

enum ds_kind {
    DS_NONE,    /* no store has this name: the name does not resolve */
    DS_REFUSED, /* a store's name, but nothing listens on that port */
    DS_POSTGRES,
    DS_REDIS,
};

/* What a pod in namespace ns reaches at host:port. *real_port is the
 * 127.0.0.1 port to connect to (for DS_REFUSED a port that refuses). */
enum ds_kind datastores_route(const char *host, int port, const char *ns, int *real_port);

#endif
