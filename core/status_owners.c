/* core/status_owners.c: the model's index of objects by their owner's name
 * (one for the pods, one for the ReplicaSets), kept change by change as the
 * stores tell (core/status.c), so that a workload, ReplicaSet or Job that
 * comes, goes or changes finds its pods without a walk over every pod, and
 * a workload row's numbers are counted over its own pods (status_inc.c),
 * not over its component's stretch of 100,000 rows.
 *
 * An entry per object that has an owner, in a doubly linked list per owner
 * name; objects are found by address (a store's object keeps its address
 * until it is deleted), owner names by their text. Both tables are linear
 * probing with backward-shift deletion; about 32 bytes a pod with an owner
 * (docs/bench.md). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/status_impl.h"
#include "core/util.h"

#define NIL UINT32_MAX

struct own_ent {
    const struct kube_obj *obj;
    const char *okind; /* its owner's kind as it was put (compared, never read) */
    uint32_t key;      /* its owner name's entry */
    uint32_t next, prev;
};

struct own_key {
    char *name;
    uint32_t head, n;
};

static size_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 29;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x ^ (x >> 32));
}

static size_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)(h ^ (h >> 29));
}

/* ---- the two tables: slots hold an id + 1, 0 is empty ---- */

static size_t ent_home(const struct status_owners *x, uint32_t id)
{
    return hash_ptr(x->ents[id].obj) & (x->nobj_slots - 1);
}

static size_t key_home(const struct status_owners *x, uint32_t id)
{
    return hash_name(x->keys[id].name) & (x->nkey_slots - 1);
}

/* Empties slot i, moving back what probing would no longer find. */
static void slot_clear(const struct status_owners *x, uint32_t *slots, size_t nslots, size_t i,
                       size_t (*home_of)(const struct status_owners *, uint32_t))
{
    size_t mask = nslots - 1;
    slots[i] = 0;
    for (size_t j = (i + 1) & mask; slots[j]; j = (j + 1) & mask) {
        size_t home = home_of(x, slots[j] - 1);
        if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
            continue;
        slots[i] = slots[j];
        slots[j] = 0;
        i = j;
    }
}

static size_t ent_slot(const struct status_owners *x, const struct kube_obj *o)
{
    size_t mask = x->nobj_slots - 1;
    size_t i = hash_ptr(o) & mask;
    while (x->obj_slots[i] && x->ents[x->obj_slots[i] - 1].obj != o)
        i = (i + 1) & mask;
    return i;
}

static size_t key_slot(const struct status_owners *x, const char *name)
{
    size_t mask = x->nkey_slots - 1;
    size_t i = hash_name(name) & mask;
    while (x->key_slots[i] && strcmp(x->keys[x->key_slots[i] - 1].name, name) != 0)
        i = (i + 1) & mask;
    return i;
}

/* Doubles the objects' table (objs) or the names' and puts every live id
 * back in it. */
static void rehash(struct status_owners *x, bool objs)
{
    uint32_t **old = objs ? &x->obj_slots : &x->key_slots;
    size_t *nold = objs ? &x->nobj_slots : &x->nkey_slots;
    uint32_t nids = objs ? x->nents : x->nkeys;
    size_t n = *nold ? *nold * 2 : 64;
    uint32_t *slots = xcalloc(n, sizeof(*slots));
    for (uint32_t id = 0; id < nids; id++) {
        const void *at = objs ? (const void *)x->ents[id].obj : x->keys[id].name;
        if (!at)
            continue; /* a free id */
        size_t i = (objs ? hash_ptr(at) : hash_name(at)) & (n - 1);
        while (slots[i])
            i = (i + 1) & (n - 1);
        slots[i] = id + 1;
    }
    free(*old);
    *old = slots;
    *nold = n;
}

/* ---- owner names ---- */

static uint32_t key_get(struct status_owners *x, const char *name)
{
    if ((x->live_keys + 1) * 2 > x->nkey_slots)
        rehash(x, false);
    size_t i = key_slot(x, name);
    if (x->key_slots[i])
        return x->key_slots[i] - 1;
    uint32_t id;
    if (x->free_key != NIL) {
        id = x->free_key;
        x->free_key = x->keys[id].head;
    } else {
        if (x->nkeys == x->keys_cap) {
            x->keys_cap = x->keys_cap ? x->keys_cap * 2 : 16;
            x->keys = xrealloc(x->keys, x->keys_cap * sizeof(*x->keys));
        }
        id = x->nkeys++;
    }
    x->keys[id] = (struct own_key){xstrdup(name), NIL, 0};
    x->key_slots[i] = id + 1;
    x->live_keys++;
    return id;
}

static void key_put_back(struct status_owners *x, uint32_t id)
{
    size_t i = key_slot(x, x->keys[id].name);
    slot_clear(x, x->key_slots, x->nkey_slots, i, key_home);
    free(x->keys[id].name);
    x->keys[id].name = NULL;
    x->keys[id].head = x->free_key; /* the free list */
    x->free_key = id;
    x->live_keys--;
}

/* ---- entries ---- */

static void unlink_ent(struct status_owners *x, uint32_t id)
{
    struct own_ent *e = &x->ents[id];
    struct own_key *k = &x->keys[e->key];
    if (e->prev != NIL)
        x->ents[e->prev].next = e->next;
    else
        k->head = e->next;
    if (e->next != NIL)
        x->ents[e->next].prev = e->prev;
    if (--k->n == 0)
        key_put_back(x, e->key);
}

static void link_ent(struct status_owners *x, uint32_t id, const char *owner)
{
    struct own_ent *e = &x->ents[id];
    uint32_t key = key_get(x, owner);
    struct own_key *k = &x->keys[key];
    e->key = key;
    e->prev = NIL;
    e->next = k->head;
    if (k->head != NIL)
        x->ents[k->head].prev = id;
    k->head = id;
    k->n++;
}

static void ent_drop(struct status_owners *x, size_t slot);

bool status_owners_put(struct status_owners *x, const struct kube_obj *o)
{
    if ((x->live_ents + 1) * 2 > x->nobj_slots)
        rehash(x, true);
    size_t i = ent_slot(x, o);
    if (x->obj_slots[i]) {
        uint32_t id = x->obj_slots[i] - 1;
        struct own_ent *e = &x->ents[id];
        if (o->owner_name && e->okind == o->owner_kind &&
            !strcmp(x->keys[e->key].name, o->owner_name))
            return false;
        unlink_ent(x, id);
        if (!o->owner_name) {
            ent_drop(x, i);
            return true;
        }
        e->okind = o->owner_kind;
        link_ent(x, id, o->owner_name);
        return true;
    }
    if (!o->owner_name)
        return false;
    uint32_t id;
    if (x->free_ent != NIL) {
        id = x->free_ent;
        x->free_ent = x->ents[id].next;
    } else {
        if (x->nents == x->ents_cap) {
            x->ents_cap = x->ents_cap ? x->ents_cap * 2 : 64;
            x->ents = xrealloc(x->ents, x->ents_cap * sizeof(*x->ents));
        }
        id = x->nents++;
    }
    x->ents[id].obj = o;
    x->ents[id].okind = o->owner_kind;
    x->obj_slots[i] = id + 1;
    x->live_ents++;
    link_ent(x, id, o->owner_name);
    return true;
}

/* Takes an unlinked entry out of the object table (slot: where it is). */
static void ent_drop(struct status_owners *x, size_t slot)
{
    uint32_t id = x->obj_slots[slot] - 1;
    slot_clear(x, x->obj_slots, x->nobj_slots, slot, ent_home);
    x->ents[id].obj = NULL;
    x->ents[id].next = x->free_ent;
    x->free_ent = id;
    x->live_ents--;
}

bool status_owners_del(struct status_owners *x, const struct kube_obj *o)
{
    if (!x->nobj_slots)
        return false;
    size_t i = ent_slot(x, o);
    if (!x->obj_slots[i])
        return false;
    unlink_ent(x, x->obj_slots[i] - 1);
    ent_drop(x, i);
    return true;
}

uint32_t status_owners_first(const struct status_owners *x, const char *name)
{
    if (!name || !x->nkey_slots)
        return NIL;
    size_t i = key_slot(x, name);
    return x->key_slots[i] ? x->keys[x->key_slots[i] - 1].head : NIL;
}

uint32_t status_owners_next(const struct status_owners *x, uint32_t id)
{
    return x->ents[id].next;
}

const struct kube_obj *status_owners_obj(const struct status_owners *x, uint32_t id)
{
    return x->ents[id].obj;
}

size_t status_owners_memory(const struct status_owners *x)
{
    size_t b = x->ents_cap * sizeof(*x->ents) + x->keys_cap * sizeof(*x->keys) +
               (x->nobj_slots + x->nkey_slots) * sizeof(uint32_t);
    for (uint32_t i = 0; i < x->nkeys; i++)
        if (x->keys[i].name)
            b += strlen(x->keys[i].name) + 1;
    return b;
}

void status_owners_init(struct status_owners *x)
{
    memset(x, 0, sizeof(*x));
    x->free_ent = x->free_key = NIL;
}

void status_owners_free(struct status_owners *x)
{
    for (uint32_t i = 0; i < x->nkeys; i++)
        free(x->keys[i].name);
    free(x->keys);
    free(x->ents);
    free(x->obj_slots);
    free(x->key_slots);
    status_owners_init(x);
}

/* ---- what the index answers ---- */

static const char *kind_name(enum kube_kind k)
{
    return kube_resource_get(k)->kind;
}

static void push(const struct kube_obj ***v, size_t *n, size_t *cap, const struct kube_obj *o)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *v = xrealloc(*v, *cap * sizeof(**v));
    }
    (*v)[(*n)++] = o;
}

/* The pods whose owner (or owner's owner, for a Deployment through its
 * ReplicaSets) is the workload k/name: the pods its row counts. */
size_t status_owned_pods(struct status *m, enum kube_kind k, const char *name,
                         const struct kube_obj ***v, size_t *cap)
{
    const char *kn = kind_name(k);
    size_t n = 0;
    for (uint32_t e = status_owners_first(&m->pod_owners, name); e != NIL;
         e = status_owners_next(&m->pod_owners, e)) {
        const struct kube_obj *p = status_owners_obj(&m->pod_owners, e);
        const char *ok, *on;
        status_pod_owner(m, p, &ok, &on);
        if (str_eq(ok, kn) && str_eq(on, name))
            push(v, &n, cap, p);
    }
    if (k != KUBE_DEPLOYMENT)
        return n;
    for (uint32_t r = status_owners_first(&m->rs_owners, name); r != NIL;
         r = status_owners_next(&m->rs_owners, r)) {
        const struct kube_obj *rs = status_owners_obj(&m->rs_owners, r);
        /* an RS named as its Deployment: its pods were found above */
        if (!str_eq(rs->owner_kind, "Deployment") || !strcmp(rs->name, name))
            continue;
        for (uint32_t e = status_owners_first(&m->pod_owners, rs->name); e != NIL;
             e = status_owners_next(&m->pod_owners, e)) {
            const struct kube_obj *p = status_owners_obj(&m->pod_owners, e);
            const char *ok, *on;
            status_pod_owner(m, p, &ok, &on);
            if (str_eq(ok, kn) && str_eq(on, name))
                push(v, &n, cap, p);
        }
    }
    return n;
}

/* The pods a ReplicaSet or a Job owns itself. */
size_t status_pods_of(struct status *m, enum kube_kind k, const char *name,
                      const struct kube_obj ***v, size_t *cap)
{
    const char *kn = kind_name(k);
    size_t n = 0;
    for (uint32_t e = status_owners_first(&m->pod_owners, name); e != NIL;
         e = status_owners_next(&m->pod_owners, e)) {
        const struct kube_obj *p = status_owners_obj(&m->pod_owners, e);
        if (str_eq(p->owner_kind, kn))
            push(v, &n, cap, p);
    }
    return n;
}

static int cmp_obj_name(const void *a, const void *b)
{
    return strcmp((*(const struct kube_obj *const *)a)->name,
                  (*(const struct kube_obj *const *)b)->name);
}

/* A workload row's pod numbers counted again over its own pods, in the
 * pods rows' order (by name: they are all of its component), as a whole
 * derivation counts them, so both give the same text. */
void status_count_row(struct status *m, struct status_comp *row)
{
    size_t n = status_owned_pods(m, row->kind, row->name, &m->scratch, &m->scratch_cap);
    qsort(m->scratch, n, sizeof(*m->scratch), cmp_obj_name);
    struct agg a = {0};
    for (size_t i = 0; i < n; i++)
        status_agg_pod(&a, m->scratch[i]);
    struct status_comp nw = *row;
    kube_intern(&m->strs, nw.tag);
    kube_intern(&m->strs, nw.expected_tag);
    kube_intern(&m->strs, nw.reason);
    nw.problem = NULL;
    status_count_pods(m, &nw, &a);
    status_row_update(m, row, &nw);
}

/* The newest of a Job's pods (for its log), or NULL. */
const char *status_job_newest_pod(struct status *m, const struct kube_obj *job)
{
    const struct kube_obj *best = NULL;
    for (uint32_t e = status_owners_first(&m->pod_owners, job->name); e != NIL;
         e = status_owners_next(&m->pod_owners, e)) {
        const struct kube_obj *p = status_owners_obj(&m->pod_owners, e);
        if (!str_eq(p->owner_kind, "Job"))
            continue;
        if (!best || p->created > best->created ||
            (p->created == best->created && strcmp(p->name, best->name) > 0))
            best = p;
    }
    return best ? best->name : NULL;
}
