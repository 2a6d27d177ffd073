/* core/dify_probe.h: one-shot health probes of a Dify install, through the
 * API server's service proxy (core/kube_client.h kube_service_proxy_get), so
 * they work from outside the cluster with nothing but a kubeconfig.
 *
 *   - api health: GET /health on the api Service (dify
 *     api/extensions/ext_app_metrics.py: {"status":"ok","version":...});
 *   - plugin daemon health: GET /health/check on its Service (plugin-daemon
 *     internal/server/http_server.go; /health is not a route there);
 *   - the api -> daemon key: the api's PLUGIN_DAEMON_KEY and
 *     PLUGIN_DAEMON_URL read from its Deployment's environment (env,
 *     envFrom, the Secrets and ConfigMaps they name), then one call the api
 *     itself makes, GET /plugin/TENANT/management/list with X-Api-Key, to the
 *     Service the URL names. The daemon's key middleware answers 401 (its
 *     source; some versions and proxies say 403) on a key mismatch; a 404 from
 *     the daemon is a route it does not have, the sign of an api and daemon of
 *     different releases (dify issues #28241, #29929);
 *   - the daemon's plugin storage: whether what it installs survives a
 *     restart, from PLUGIN_STORAGE_TYPE and the volume mounted at
 *     PLUGIN_STORAGE_LOCAL_ROOT (a PVC keeps it; emptyDir loses it with the
 *     pod, no volume with the container; dify-plugin-daemon #424).
 *
 * Each probe is asynchronous on the client's loop and reports once; whoever
 * starts one owns it and may cancel it (no callback after that). Keys read
 * from Secrets are registered with the log's redaction and wiped after use;
 * no result carries one. Messages quote the cluster: screens pass them
 * through core/textsafe before drawing. */
#ifndef CORE_DIFY_PROBE_H
#define CORE_DIFY_PROBE_H

#include <stdbool.h>

#include "core/dify_versions.h"

struct kube_client;
struct dify_probe;

enum dify_probe_kind {
    DIFY_PROBE_API_HEALTH,
    DIFY_PROBE_DAEMON_HEALTH,
    DIFY_PROBE_DAEMON_KEY,
    DIFY_PROBE_DAEMON_STORAGE,
};

enum dify_key_state {
    DIFY_KEY_UNKNOWN,  /* not checked (or the check itself failed: see msg) */
    DIFY_KEY_OK,       /* the daemon accepted the api's key */
    DIFY_KEY_MISMATCH, /* 401/403: the api's PLUGIN_DAEMON_KEY is not the daemon's SERVER_KEY */
    DIFY_KEY_SKEW,     /* 404 from the daemon: a route it lacks, api and daemon releases differ */
    DIFY_KEY_UNREACHABLE, /* the Service the api's PLUGIN_DAEMON_URL names has no endpoint */
};

enum dify_storage_state {
    DIFY_STORAGE_UNKNOWN,
    DIFY_STORAGE_VOLUME,    /* a PersistentVolumeClaim (or another lasting volume): kept */
    DIFY_STORAGE_EXTERNAL,  /* PLUGIN_STORAGE_TYPE is a bucket (s3, ...): kept */
    DIFY_STORAGE_POD,       /* emptyDir: lost when the pod is replaced */
    DIFY_STORAGE_CONTAINER, /* no volume: lost when the container restarts */
    DIFY_STORAGE_NODE,      /* hostPath: kept only while the pod stays on its node */
};

struct dify_probe_result {
    enum dify_probe_kind kind;
    bool ok;              /* healthy / key accepted / storage kept */
    long status;          /* the component's HTTP status (0: no answer) */
    long http_status;     /* the reply's status, the API server's included (0: no reply) */
    bool no_reply;        /* the API server did not answer (connect, TLS, timeout) */
    long long latency_ms; /* from sending to the whole answer */
    char version[64];     /* health: the version the component reports */
    enum dify_key_state key;
    enum dify_storage_state storage;
    char msg[1024]; /* what was found, a sentence ("503 no endpoints available for ...") */
};

typedef void (*dify_probe_cb)(const struct dify_probe_result *r, void *arg);

/* GET /health (api) or /health/check (plugin daemon) on ns/service:port
 * (port may be NULL or "": the Service's first). */
struct dify_probe *dify_probe_api_health(struct kube_client *c, const char *ns, const char *service,
                                         const char *port, dify_probe_cb cb, void *arg);
struct dify_probe *dify_probe_daemon_health(struct kube_client *c, const char *ns,
                                            const char *service, const char *port, dify_probe_cb cb,
                                            void *arg);

/* The api -> daemon call with the api's key. api_kind/api_name: the api's
 * workload ("deployment", "dify-api"). daemon_service/daemon_port: where to
 * call when the api's PLUGIN_DAEMON_URL names no Service reachable through
 * the proxy (localhost, an IP); may be NULL. */
struct dify_probe *dify_probe_daemon_key(struct kube_client *c, const char *ns,
                                         const char *api_kind, const char *api_name,
                                         const char *daemon_service, const char *daemon_port,
                                         dify_probe_cb cb, void *arg);

/* The same call on another of the daemon's management routes
 * ("management/triggers": /plugin/<tenant>/management/triggers), one the
 * api's release calls that a daemon of an older release lacks (404). */
struct dify_probe *dify_probe_daemon_key_route(struct kube_client *c, const char *ns,
                                               const char *api_kind, const char *api_name,
                                               const char *daemon_service, const char *daemon_port,
                                               const char *route, dify_probe_cb cb, void *arg);

/* Where the daemon workload (daemon_kind/daemon_name) keeps its plugins. */
struct dify_probe *dify_probe_daemon_storage(struct kube_client *c, const char *ns,
                                             const char *daemon_kind, const char *daemon_name,
                                             dify_probe_cb cb, void *arg);

/* No callback runs after this. NULL is allowed. */
void dify_probe_cancel(struct dify_probe *p);

/* Short words for states ("ok", "key mismatch", "version skew", ...). */
const char *dify_key_state_name(enum dify_key_state k);
const char *dify_storage_state_name(enum dify_storage_state s);

/* The api/daemon pair judged by core/dify_versions: a sentence in msg
 * ("api 1.13.3 ships with plugin daemon 0.5.3-local, not 0.4.0-local"),
 * empty when the pair is known. */
enum dify_pair dify_probe_pair(const char *api_version, const char *daemon_version, char *msg,
                               size_t len);

#endif
