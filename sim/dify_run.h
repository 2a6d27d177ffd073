/* sim/dify_run.h: the Dify model's inside, shared by dify_model.c (the
 * kubelet side: one run per container start, handed to worker threads),
 * dify_components.c (what each image does when it starts, run on a worker)
 * and dify_proxy.c (what a running component answers). Not for other
 * files: they use dify_model.h. */
#ifndef SIM_DIFY_RUN_H
#define SIM_DIFY_RUN_H

#include <stdbool.h>

#include "core/util.h"
#include "sim/dify_check.h"
#include "sim/dify_env.h"

enum dify_comp {
    COMP_API,     /* langgenius/dify-api, MODE=api (gunicorn) */
    COMP_WORKER,  /* MODE=worker (celery worker) */
    COMP_BEAT,    /* MODE=beat (celery beat) */
    COMP_MIGRATE, /* flask db upgrade, MODE=migration, or MODE=job upgrade-db */
    COMP_DAEMON,  /* langgenius/dify-plugin-daemon */
    COMP_SANDBOX, /* langgenius/dify-sandbox */
    COMP_WEB,     /* langgenius/dify-web */
    COMP_SSRF,    /* squid, the ssrf proxy */
};

/* Where a container instance is. */
enum dify_life {
    LIFE_STARTING, /* running, its first steps not done */
    LIFE_SERVING,  /* up: answers its health endpoint */
    LIFE_DEGRADED, /* running but not serving (a worker retrying its broker) */
    LIFE_EXITED,   /* the process ended with exit_code */
};

/* One container instance's life, from its start to its exit. The pod and a
 * worker share it: refs, busy and the hand-over happen under sim_lock;
 * while busy only the worker touches the rest, otherwise only the pod. */
struct dify_run {
    int refs;
    bool busy;
    /* what the container was started with */
    enum dify_comp comp;
    char *tag; /* image tag ("1.13.3") */
    char *pod; /* pod name, namespace, uid, node */
    char *ns;
    char *uid;
    char *node;
    int restarts; /* the pod's restart count at this start */
    struct dify_env env;
    bool upgrade_db; /* MODE=job upgrade-db / the entrypoint's flask upgrade-db */
    bool probe;      /* the container has a readinessProbe */
    struct dify_target db, redis, broker;
    bool broker_redis; /* a redis:// broker (else celery's amqp default) */
    char *broker_user, *broker_pass;
    int broker_db;
    char *storage; /* plugin daemon: where its plugin packages live */
    bool storage_lost_on_restart;
    char *squid_conf; /* ssrf proxy: the mounted squid.conf, or NULL */
    /* the state machine, run phase by phase on a worker */
    int phase;        /* the next phase */
    double delay;     /* simulated seconds before the next phase (< 0: none) */
    long long due_ms; /* when the next phase is due (0: nothing due) */
    enum dify_life life;
    int exit_code;
    int attempt;         /* retries (celery's broker connection) */
    struct strbuf lines; /* log lines not yet written, one per '\n' */
};

/* A service-proxy request to a running component, with what it reaches. */
struct dify_call {
    struct dify_run *run; /* the instance answering (a reference) */
    /* the api: the plugin daemon its PLUGIN_DAEMON_URL reaches */
    struct dify_run *daemon;    /* a reference, or NULL */
    enum dify_fail daemon_fail; /* why not: DNS, or refused (no endpoints) */
    struct strbuf log;          /* lines for the answering container's log */
    struct strbuf daemon_log;   /* lines for the plugin daemon's log */
};

/* Answers the request (sim_lock not held: it talks to the stores). */
struct req;
struct reply;
void dify_proxy_answer(struct dify_call *c, struct req *r, const char *path, struct reply *rep);

/* Runs the run's next phase (on a worker, the run busy): does the I/O,
 * appends log lines and sets life, exit_code, phase and delay. */
void dify_components_step(struct dify_run *r);
/* Appends a log line to the run (printf-style). */
void dify_run_log(struct dify_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The alembic revision chain the simulator gives Dify's schema (see
 * docs/sim.md): revision i's id, the head of an image version, and the
 * index of an id (-1 when no known revision has it). */
void dify_revision_id(int i, char out[13]);
int dify_revision_head(const char *tag);
int dify_revision_index(const char *id);

/* Plugin packages kept in a storage (a PVC, an emptyDir, a container's
 * own file system, a bucket), by storage key; thread-safe. */
void dify_storage_add(const char *storage, const char *plugin);
bool dify_storage_has(const char *storage, const char *plugin);

#endif
