/* core/kube_store.h: a cache of one watched kind, in plain structs. Each
 * object keeps only the fields the kind registry (core/kube_kinds.h) lists
 * for its kind: what the screens, `get`, diagnostics and rollout status
 * need; every string is interned in the store (one copy of "dify", of each node
 * name, of "Running"), so 10,000 pods stay cheap (docs/kube.md has the
 * measured bytes per pod). Watch events update it (keyed by namespace/name,
 * stale resourceVersions ignored) and subscribers hear what changed. */
#ifndef CORE_KUBE_STORE_H
#define CORE_KUBE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/kube_kinds.h"

struct cJSON;
struct error;
struct kube_client;
struct kube_resource;
struct kube_watch;
struct kube_watch_opts;

enum kube_change { KUBE_ADDED, KUBE_MODIFIED, KUBE_DELETED };

/* A change: obj is valid during the call (for DELETED, its last state). */
typedef void (*kube_store_cb)(enum kube_kind kind, enum kube_change change,
                              const struct kube_obj *obj, void *arg);

struct kube_store;

struct kube_store *kube_store_new(enum kube_kind kind);
void kube_store_free(struct kube_store *s);

/* One subscriber per call. Subscribing from inside a notification is not
 * supported. */
void kube_store_subscribe(struct kube_store *s, kube_store_cb cb, void *arg);

/* Applies a watch event ("ADDED", "MODIFIED", "DELETED") or, with type
 * NULL, a list item. Fails (err) for an object without a name. */
int kube_store_apply(struct kube_store *s, const char *type, const struct cJSON *obj,
                     struct error *err);
/* A relist: objects not seen between begin and end are deleted at end. */
void kube_store_relist_begin(struct kube_store *s);
void kube_store_relist_end(struct kube_store *s);

size_t kube_store_count(const struct kube_store *s);
/* Objects in no particular order; i < count. */
const struct kube_obj *kube_store_at(const struct kube_store *s, size_t i);
const struct kube_obj *kube_store_find(const struct kube_store *s, const char *ns,
                                       const char *name);
/* Bytes held: objects, index and interned strings. */
size_t kube_store_memory(const struct kube_store *s);
/* True once the first list completed. */
bool kube_store_synced(const struct kube_store *s);

/* Starts a watch that feeds the store (o->res must match the store's kind). */
struct kube_watch *kube_store_watch(struct kube_store *s, struct kube_client *c,
                                    const struct kube_watch_opts *o);

/* Parses one object outside a store (rollout-status, tests). Strings are
 * owned by the returned holder; free with kube_obj_free. */
struct kube_obj *kube_obj_parse(enum kube_kind kind, const struct cJSON *obj, struct error *err);
void kube_obj_free(struct kube_obj *o);

#endif
