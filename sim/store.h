/* sim/store.h: the simulator's object store. Every object is kept as its
 * compact JSON (one allocation, what lists, gets and watches send) in a
 * per-resource array sorted by "namespace/name" (the order a real API server
 * lists in), stamped with a global resourceVersion counter, with the few
 * fields the controllers and selectors read on every pass copied out
 * (namespace, name, uid, owners, labels; a pod's node, phase and readiness).
 * The cJSON tree is parsed on demand (obj_json) for a write, a controller or
 * a Table, and dropped again by store_trim at the end of each request and
 * controller pass; a few kinds the controllers reconcile every pass keep
 * theirs. Every change is appended to a bounded history that watches replay
 * (sharing the object's JSON). One global mutex (sim_lock) guards the store,
 * the history, pod state and logs; the condition sim_changed is broadcast on
 * every change so streams wake up. */
#ifndef SIM_STORE_H
#define SIM_STORE_H

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/kube_json.h"

struct pod_state;
struct field_owner;

/* One kind of object the server knows: its REST coordinates and its storage. */
struct rtype {
    const char *group;       /* "" for the core group */
    const char *version;     /* "v1" */
    const char *plural;      /* "pods": the URL segment */
    const char *singular;    /* "pod" */
    const char *kind;        /* "Pod" */
    bool namespaced;         /* lives under /namespaces/NS/ */
    const char *short_names; /* comma-separated ("po"), or "" */
    bool has_status;         /* has the status subresource */
    bool has_scale;          /* has the scale subresource */
    bool has_generation;     /* spec changes bump metadata.generation */
    bool keep_tree;          /* the controllers read every object every pass: keep trees */
    bool served;             /* false: a custom resource whose definition was deleted */
    bool custom;             /* defined by a CustomResourceDefinition (sim/crd.c) */
    cJSON *schema;           /* custom: the version's openAPIV3Schema, or NULL */
    struct sim_obj **objs;   /* sorted by key */
    size_t n, cap;
    unsigned long gen; /* bumped by every change to an object of this kind */
    /* The objects of this kind with ownerReferences, in no order, so that
     * the controllers' owner index and the garbage collector walk the owned
     * objects rather than every object (100,000 bare pods own nothing). */
    struct sim_obj **owned;
    size_t n_owned, cap_owned;
    unsigned long owner_gen; /* bumped when an owned object comes, goes or changes owners */
};

/* One stored object. */
struct sim_obj {
    cJSON *tree;                /* parsed, or NULL: read and write it through obj_json() */
    char *key;                  /* "ns/name" or "name" */
    const char *ns;             /* its namespace (interned), or NULL */
    struct rtype *rt;           /* its kind */
    long long created_ms;       /* monotonic time of creation */
    long long deleting_ms;      /* monotonic time deletion began, 0 if not */
    struct pod_state *pod;      /* pods only: lifecycle and logs */
    struct field_owner *owners; /* server-side apply: who set which field */
    long long progress_ms;      /* deployments: last progress seen; jobs: next retry */
    long progress_sig;          /* deployments: the progress counters last seen */
    char *cache;                /* the object as served, compact JSON (shared with the history) */
    char *pb;                   /* ... and as protobuf (sim/proto_write.h), made when asked */
    size_t pb_len;
    /* Read from the tree at every add, commit, replace and refresh, so that
     * the controllers' passes and selectors need not parse the object. */
    char *uid;                /* metadata.uid (never changes) */
    char *owner_uid;          /* the controller owner's uid, or NULL */
    char *refs;               /* every ownerReference uid, "uid\0uid\0\0", or NULL */
    bool has_refs;            /* metadata.ownerReferences is not empty */
    size_t owned_idx;         /* 1 + its place in rt->owned, 0 when it has no owner */
    cJSON *labels;            /* a copy of metadata.labels, or NULL */
    const char *node;         /* pods: spec.nodeName (interned), or NULL */
    const char *phase;        /* pods: status.phase (interned), or NULL */
    bool ready;               /* pods: pod_is_ready */
    bool hot;                 /* has a tree that store_trim drops */
    size_t hot_idx;           /* its place in the hot list */
    struct sim_obj *uid_next; /* the uid index's chain */
};

enum watch_type { WATCH_ADDED, WATCH_MODIFIED, WATCH_DELETED, WATCH_BOOKMARK, WATCH_ERROR };

/* One change in the history. The object is kept serialized (a tenth of
 * the memory of a cJSON tree); watches parse it only to match selectors. */
struct sim_event {
    long long rv;         /* resourceVersion after the change */
    enum watch_type type; /* ADDED, MODIFIED, DELETED */
    struct rtype *rt;     /* kind of the object */
    char *json;           /* the object at that version, compact JSON */
    const char *ns;       /* its namespace (interned), or NULL */
};

extern pthread_mutex_t sim_lock;
extern pthread_cond_t sim_changed;
/* Broadcast with sim_changed at every change of an object of the kind
 * sim_rtypes[i]: a watch waits on its own kind's, so that a change wakes
 * the streams that may send it, not every stream of every kind. */
extern pthread_cond_t sim_kind_changed[];
/* The built-in kinds first, then the custom ones CustomResourceDefinitions
 * add (sim/crd.c); a kind's slot is never reused for another kind, so
 * pointers to it stay valid. */
#define SIM_RTYPES_BUILTIN 18
#define SIM_RTYPES_MAX 128
extern struct rtype sim_rtypes[SIM_RTYPES_MAX];
extern size_t sim_rtypes_n;

/* Time: objects carry wall-clock timestamps; simulated durations are divided
 * by the speed factor so tests run fast. */
extern double sim_speed;
long long sim_ms(double seconds);                      /* simulated seconds -> real milliseconds */
void sim_timestamp(char out[32], long long offset_ms); /* RFC 3339, UTC, now + offset */

void store_init(size_t history_cap);
struct rtype *store_rtype(const char *group, const char *plural);
/* The served kind at /api[s/GROUP]/VERSION/PLURAL, or NULL. */
struct rtype *store_rtype_gv(const char *group, const char *version, const char *plural);
struct rtype *store_rtype_kind(const char *api_version, const char *kind);
struct sim_obj *store_get(struct rtype *rt, const char *ns, const char *name);
/* Index of the first object with key > after (after may be NULL). */
size_t store_lower_bound(struct rtype *rt, const char *after);
long long store_rv(void);
unsigned long store_removals(void); /* bumped by every removal (for the GC) */
unsigned long store_changes(void);  /* bumped by every add, commit, refresh, removal */
/* Index of the first object past the keys that start with prefix. */
size_t store_prefix_end(struct rtype *rt, const char *prefix);
/* The object with this metadata.uid, of any kind, or NULL (a hash lookup). */
struct sim_obj *store_by_uid(const char *uid);
long long store_oldest_rv(void); /* the oldest version the history can replay from */

/* Adds an object (json is taken). Fills uid, creationTimestamp, resourceVersion,
 * generation. The caller checked that the name is free. */
struct sim_obj *store_add(struct rtype *rt, cJSON *json);
/* Records a change made to obj->json in place: new resourceVersion, event. */
void store_commit(struct sim_obj *obj);
/* Replaces the object body (json is taken), keeping what the server owns
 * (uid, creationTimestamp), bumping generation on spec changes, and commits. */
void store_replace(struct sim_obj *obj, cJSON *json);
/* After a change made without a new version (managedFields written right
 * after a commit): re-serializes obj and its latest history event. */
void store_refresh(struct sim_obj *obj);
/* Removes and frees obj, recording DELETED. */
void store_remove(struct sim_obj *obj);

/* The object's tree, parsed from its JSON when it has none. A change made to
 * it must be committed (store_commit, store_replace, store_refresh) before
 * the next store_trim, which drops the trees parsed since the last one. */
cJSON *obj_json(const struct sim_obj *o);
/* Drops the trees parsed since the last trim (sim_lock held, no tree pointer
 * kept): the end of each request and controller pass. With the environment
 * variable DIFY_SIM_CHECK_TREES=1 (the tests set it) a tree that differs from
 * the object's JSON, a change never committed, aborts the server. */
void store_trim(void);
/* Drops o's tree now if it has one store_trim would drop: for loops that
 * read many objects once (lists as Tables, scans), so that a pass never
 * holds every tree at once. */
void store_cool(struct sim_obj *o);
/* An interned copy of s (never freed): namespaces, nodes, phases. */
const char *store_intern(const char *s);

/* History access for watches: the index of the first event with rv > after;
 * returns -1 when events after that version were already dropped. */
long long store_history_find(long long after_rv);
const struct sim_event *store_history_at(long long seq); /* NULL past the end */

/* Writers for cJSON trees; readers are core's kj_str, kj_num, kj_get and
 * kj_get_mut (core/kube_json.h). */
cJSON *js_obj(cJSON *o, const char *name); /* gets or creates an object member */
void js_set_str(cJSON *o, const char *name, const char *v);
void js_set_num(cJSON *o, const char *name, double v);
void js_set_bool(cJSON *o, const char *name, bool v);
void js_set(cJSON *o, const char *name, cJSON *v); /* replaces or adds; v taken */
const char *obj_name(const struct sim_obj *o);
const char *obj_ns(const struct sim_obj *o);
const char *obj_uid(const struct sim_obj *o);
/* The uid of the controller owner, or NULL. */
const char *obj_owner_uid(const struct sim_obj *o);
/* metadata.labels (a copy kept with the object), or NULL. */
const cJSON *obj_labels(const struct sim_obj *o);
void sim_random_suffix(char *out, size_t n); /* n chars from the Kubernetes alphabet */
void store_new_uid(char out[40]);            /* a fresh metadata.uid */

#endif
