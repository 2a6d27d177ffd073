/* core/dify_components.h: which Dify component a Kubernetes object is.
 *
 * Every supported layout labels its workloads differently (docs/dashboard.md
 * has the table, with sources): the community chart (BorisPolonsky/dify-helm)
 * and the built-in manifests put `component: api` beside
 * `app.kubernetes.io/name: dify`; the douban chart uses
 * `app.kubernetes.io/component: api` (`frontend`, `worker-beat`); plain
 * manifests people write use `app: dify-api`; the enterprise chart's pod
 * labels are not published, so its workloads are known by their images
 * (langgenius/dify-ee-api, dify-enterprise, ...). The rule (DECISIONS 9):
 * `app.kubernetes.io/component`, then `component`, then `app`, each value
 * tried in turn, then the image (the repositories core/dify_versions.h rows
 * are tags of). A value no rule knows (bitnami's `primary`) is passed over,
 * not trusted. The api image runs the api, the worker, beat and the
 * migration: by image alone the object's kind and name tell them apart.
 *
 * Data stores running in the cluster (PostgreSQL, Redis, a vector store)
 * are components too, so the dashboard can show them when present. */
#ifndef CORE_DIFY_COMPONENTS_H
#define CORE_DIFY_COMPONENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/image_ref.h" /* dify_image_split */
#include "core/kube_kinds.h"

struct cJSON;

enum dify_comp {
    DIFY_COMP_NONE = 0, /* not a Dify component: listed as "other" */
    DIFY_COMP_API,
    DIFY_COMP_WORKER,
    DIFY_COMP_BEAT,
    DIFY_COMP_WEB,
    DIFY_COMP_SANDBOX,
    DIFY_COMP_PLUGIN_DAEMON,
    DIFY_COMP_SSRF_PROXY,
    DIFY_COMP_PROXY, /* the charts' nginx in front of api and web */
    DIFY_COMP_API_WEBSOCKET,
    DIFY_COMP_AGENT_BACKEND,
    DIFY_COMP_MIGRATION, /* the migration Job (DECISIONS 5) */
    /* Dify Enterprise */
    DIFY_COMP_ENTERPRISE,
    DIFY_COMP_AUDIT,
    DIFY_COMP_ENTERPRISE_FRONTEND,
    DIFY_COMP_GATEWAY,
    DIFY_COMP_PLUGIN_CONNECTOR,
    DIFY_COMP_PLUGIN_CONTROLLER,
    DIFY_COMP_PLUGIN_MANAGER,
    /* data stores in the cluster */
    DIFY_COMP_POSTGRES,
    DIFY_COMP_REDIS,
    DIFY_COMP_VECTOR,
    DIFY_COMP_COUNT
};

/* How an object was recognised. */
enum dify_match {
    DIFY_MATCH_NONE,
    DIFY_MATCH_LABEL, /* one of the three labels */
    DIFY_MATCH_IMAGE, /* a container's image */
};

struct dify_comp_desc {
    enum dify_comp id;
    const char *key;   /* "plugin-daemon": stable, for JSON and the journal */
    const char *title; /* "plugin daemon": for people */
    bool datastore;
    bool enterprise;
};

/* The description of a component (DIFY_COMP_NONE gives key "other"). */
const struct dify_comp_desc *dify_comp_desc(enum dify_comp c);
/* The component of a key ("plugin-daemon"), or DIFY_COMP_NONE. */
enum dify_comp dify_comp_from_key(const char *key);

/* The component a label value names ("api", "frontend", "dify-plugin-daemon",
 * "worker-beat", "db-migration"; any case, '_' as '-'), or DIFY_COMP_NONE. */
enum dify_comp dify_comp_of_label(const char *value);

/* The component an image's repository runs, or DIFY_COMP_NONE. The api
 * image gives DIFY_COMP_API: see dify_comp_classify for the rest. */
enum dify_comp dify_comp_of_image(const char *image);

/* What classification looks at. Labels may be NULL. */
struct dify_comp_input {
    enum kube_kind kind;       /* a Job of the api image is the migration */
    const char *name;          /* tells api, worker and beat apart by image */
    const char *labels[3];     /* app.kubernetes.io/component, component, app */
    const char *const *images; /* the containers' images */
    size_t nimages;
};

/* The rule above. how (may be NULL) says what decided; image_out (may be
 * NULL) gets the image the component runs (the one that matched, else the
 * first), pointing into in->images, or NULL when there is none. */
enum dify_comp dify_comp_classify(const struct dify_comp_input *in, enum dify_match *how,
                                  const char **image_out);

/* An API object as JSON (a Deployment, StatefulSet, DaemonSet, Job, Pod or
 * ReplicaSet): its own labels (and its pod template's, for workloads) and
 * its containers' images. */
enum dify_comp dify_comp_of_json(const struct cJSON *obj, enum dify_match *how);

/* An object of the store. obj->component holds the first of the three
 * labels present (kube_project.c); workloads and Jobs carry their images in
 * tpl.images. tag (may be NULL, tn bytes) gets the running image's tag, ""
 * when none is known. */
enum dify_comp dify_comp_of_obj(enum kube_kind kind, const struct kube_obj *obj,
                                enum dify_match *how, char *tag, size_t tn);

/* Whether a Service (from the store) fronts a component: its own component
 * label, else the component label of its selector. Which port the probes use
 * is dify_service_port's. */
enum dify_comp dify_comp_of_service(const struct kube_obj *svc);
/* The port of a Service to reach a component on, as a string for the
 * service proxy: the component's well-known port when the Service has it
 * (api 5001, plugin daemon 5002, web 3000, sandbox 8194), else the first.
 * Writes "" when the Service lists no port. */
void dify_service_port(const struct kube_obj *svc, enum dify_comp c, char *out, size_t n);
/* True when every pair of the Service's selector ("k=v,k2=v2") is in the
 * workload's selector: the Service reaches that workload's pods. */
bool dify_selector_covers(const char *svc_selector, const char *workload_selector);

#endif
