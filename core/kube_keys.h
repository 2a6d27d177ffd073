/* core/kube_keys.h: the member names the client reads or checks in API
 * objects, as small numbers. The parser (core/kube_jparse.c) looks each
 * member's name up as it reads it, while the name is in the cache and its
 * length known, and marks the node with its number; the type check
 * (core/kube_check.c) and the projection (core/kube_project.c) then compare
 * numbers instead of hashing and comparing strings for every member of every
 * object (docs/bench.md has the measurements).
 *
 * A member the parser read carries KUBE_KEYED in its cJSON type (bits the
 * cJSON library leaves alone: it tests types with & 0xFF and flags with
 * bits 8 and 9), and its number, KK_NONE for a name not in the list, in the
 * bits above. A node without KUBE_KEYED (a tree libcjson made, or a member
 * added to a copy) is found by its name: kube_key_is answers for both. */
#ifndef CORE_KUBE_KEYS_H
#define CORE_KUBE_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

/* Every name the type check has a rule for or a parent of (kube_check.c
 * verifies this when it builds its table), those the projection reads, and
 * every segment of the registry's field paths (core/kube_obj.c walks them
 * by number). */
#define KUBE_KEYS(X)                                                                               \
    X(active)                                                                                      \
    X(activeDeadlineSeconds)                                                                       \
    X(annotations)                                                                                 \
    X(app)                                                                                         \
    X(availableReplicas)                                                                           \
    X(backoffLimit)                                                                                \
    X(blockOwnerDeletion)                                                                          \
    X(collisionCount)                                                                              \
    X(completions)                                                                                 \
    X(completionTime)                                                                              \
    X(component)                                                                                   \
    X(conditions)                                                                                  \
    X(conditionType)                                                                               \
    X(containerPort)                                                                               \
    X(containerRuntimeVersion)                                                                     \
    X(containers)                                                                                  \
    X(containerStatuses)                                                                           \
    X(controller)                                                                                  \
    X(count)                                                                                       \
    X(creationTimestamp)                                                                           \
    X(currentNumberScheduled)                                                                      \
    X(currentReplicas)                                                                             \
    X(currentRevision)                                                                             \
    X(deletionGracePeriodSeconds)                                                                  \
    X(deletionTimestamp)                                                                           \
    X(desiredNumberScheduled)                                                                      \
    X(ephemeralContainerStatuses)                                                                  \
    X(exitCode)                                                                                    \
    X(failed)                                                                                      \
    X(fieldPath)                                                                                   \
    X(finishedAt)                                                                                  \
    X(firstTimestamp)                                                                              \
    X(fullyLabeledReplicas)                                                                        \
    X(generation)                                                                                  \
    X(hostPort)                                                                                    \
    X(image)                                                                                       \
    X(ingressClassName)                                                                            \
    X(initContainers)                                                                              \
    X(initContainerStatuses)                                                                       \
    X(involvedObject)                                                                              \
    X(ip)                                                                                          \
    X(items)                                                                                       \
    X(kernelVersion)                                                                               \
    X(kind)                                                                                        \
    X(kubeletVersion)                                                                              \
    X(labels)                                                                                      \
    X(lastHeartbeatTime)                                                                           \
    X(lastProbeTime)                                                                               \
    X(lastState)                                                                                   \
    X(lastTimestamp)                                                                               \
    X(lastTransitionTime)                                                                          \
    X(lastUpdateTime)                                                                              \
    X(managedFields)                                                                               \
    X(matchLabels)                                                                                 \
    X(message)                                                                                     \
    X(metadata)                                                                                    \
    X(minReadySeconds)                                                                             \
    X(name)                                                                                        \
    X(namespace)                                                                                   \
    X(nodeInfo)                                                                                    \
    X(nodeName)                                                                                    \
    X(nodePort)                                                                                    \
    X(nominatedNodeName)                                                                           \
    X(numberAvailable)                                                                             \
    X(numberMisscheduled)                                                                          \
    X(numberReady)                                                                                 \
    X(numberUnavailable)                                                                           \
    X(observedGeneration)                                                                          \
    X(osImage)                                                                                     \
    X(ownerReferences)                                                                             \
    X(parallelism)                                                                                 \
    X(partition)                                                                                   \
    X(paused)                                                                                      \
    X(phase)                                                                                       \
    X(podIP)                                                                                       \
    X(podIPs)                                                                                      \
    X(progressDeadlineSeconds)                                                                     \
    X(readinessGates)                                                                              \
    X(ready)                                                                                       \
    X(readyReplicas)                                                                               \
    X(reason)                                                                                      \
    X(replicas)                                                                                    \
    X(resourceVersion)                                                                             \
    X(restartCount)                                                                                \
    X(restartPolicy)                                                                               \
    X(revisionHistoryLimit)                                                                        \
    X(rollingUpdate)                                                                               \
    X(running)                                                                                     \
    X(signal)                                                                                      \
    X(spec)                                                                                        \
    X(started)                                                                                     \
    X(startedAt)                                                                                   \
    X(startTime)                                                                                   \
    X(state)                                                                                       \
    X(status)                                                                                      \
    X(succeeded)                                                                                   \
    X(suspend)                                                                                     \
    X(template)                                                                                    \
    X(terminated)                                                                                  \
    X(terminatingReplicas)                                                                         \
    X(terminationGracePeriodSeconds)                                                               \
    X(type)                                                                                        \
    X(uid)                                                                                         \
    X(unavailableReplicas)                                                                         \
    X(unschedulable)                                                                               \
    X(updatedNumberScheduled)                                                                      \
    X(updatedReplicas)                                                                             \
    X(updateRevision)                                                                              \
    X(updateStrategy)                                                                              \
    X(volumeAttributesClassName)                                                                   \
    X(volumeMode)                                                                                  \
    X(volumeName)                                                                                  \
    X(waiting)

/* Names that are not C identifiers: the number's name, then the text. */
#define KUBE_KEYS_NAMED(X) X(app_kubernetes_io_component, "app.kubernetes.io/component")

enum kube_key {
    KK_NONE, /* a member name not in the list */
#define KUBE_KEY_ENUM(k) KK_##k,
    KUBE_KEYS(KUBE_KEY_ENUM)
#undef KUBE_KEY_ENUM
#define KUBE_KEY_NAMED_ENUM(k, text) KK_##k,
        KUBE_KEYS_NAMED(KUBE_KEY_NAMED_ENUM)
#undef KUBE_KEY_NAMED_ENUM
            KK_COUNT
};

/* In a node's cJSON type: the parser read it as an object member and looked
 * its name up; the number is in the bits from KUBE_KEY_SHIFT. */
#define KUBE_KEYED (1 << 15)
#define KUBE_KEY_SHIFT 16
/* On an object the client's parser read: kube_obj_check would find nothing
 * wrong in it (core/kube_check.h). cJSON_Duplicate keeps it: a copy whose
 * members are changed must not be checked again. */
#define KUBE_CHECK_OK (1 << 14)

extern const char *const kube_key_names[KK_COUNT];

/* The number of the member name s of n bytes (KK_NONE when not listed). */
enum kube_key kube_key_find(const char *s, size_t n);

/* kube_key_find inline, for the parser (after kube_keys_init): open
 * addressing over the names' first and last four bytes and length; for a
 * name of up to eight bytes those say it all, a longer one compares its
 * middle too. About twenty instructions a name. */
void kube_keys_init(void);

#define KUBE_KEY_BITS 9

extern struct kube_key_slot {
    uint32_t head, tail;
    unsigned char len, key; /* key KK_NONE: an empty slot */
} kube_key_slots[1u << KUBE_KEY_BITS];

static inline void kube_key_words(const unsigned char *s, size_t n, uint32_t *head, uint32_t *tail)
{
    if (n >= 4) {
        memcpy(head, s, 4);
        memcpy(tail, s + n - 4, 4);
    } else {
        *head = n ? s[0] | (uint32_t)s[n - 1] << 8 | (uint32_t)s[n / 2] << 16 : 0;
        *tail = 0;
    }
}

/* One multiplication: of the 114 names, 10 share a slot with one before. */
static inline unsigned kube_key_hash(uint32_t head, uint32_t tail, size_t n)
{
    return (((head + tail) ^ (uint32_t)n) * 0x9E3779B1u) >> (32 - KUBE_KEY_BITS);
}

/* The bytes between the first and the last four of a name over eight bytes
 * long: eight at a time (the last step overlapping the one before); fewer
 * than eight by two words of four that overlap, fewer than four by three
 * bytes that cover them. Nothing outside the name is read. */
static inline bool kube_key_middle_eq(const unsigned char *a, const unsigned char *b, size_t n)
{
    size_t end = n - 4, m = end - 4;
    if (m < 4)
        return a[4] == b[4] && a[4 + m / 2] == b[4 + m / 2] && a[end - 1] == b[end - 1];
    if (m < 8) {
        uint32_t x1, y1, x2, y2;
        memcpy(&x1, a + 4, 4);
        memcpy(&y1, b + 4, 4);
        memcpy(&x2, a + end - 4, 4);
        memcpy(&y2, b + end - 4, 4);
        return x1 == y1 && x2 == y2;
    }
    uint64_t x, y;
    for (size_t i = 4; i < end; i += 8) {
        size_t at = i + 8 <= end ? i : end - 8;
        memcpy(&x, a + at, 8);
        memcpy(&y, b + at, 8);
        if (x != y)
            return false;
    }
    return true;
}

static inline __attribute__((always_inline)) enum kube_key kube_key_lookup(const char *name,
                                                                           size_t n)
{
    const unsigned char *s = (const unsigned char *)name;
    uint32_t head, tail;
    kube_key_words(s, n, &head, &tail);
    for (unsigned h = kube_key_hash(head, tail, n); kube_key_slots[h].key;
         h = (h + 1) & ((1u << KUBE_KEY_BITS) - 1)) {
        const struct kube_key_slot *k = &kube_key_slots[h];
        if (k->head == head && k->tail == tail && k->len == n &&
            (n <= 8 || kube_key_middle_eq(s, (const unsigned char *)kube_key_names[k->key], n)))
            return (enum kube_key)k->key;
    }
    return KK_NONE;
}

/* The member node c's name is key k (c from any parser). */
static inline bool kube_key_is(const cJSON *c, enum kube_key k)
{
    if (c->type & KUBE_KEYED)
        return (enum kube_key)((unsigned)c->type >> KUBE_KEY_SHIFT) == k;
    return c->string && !strcmp(c->string, kube_key_names[k]);
}

/* The number of member node c's name, looked up by name for a node the
 * client's parser did not read. */
static inline enum kube_key kube_key_of(const cJSON *c)
{
    if (c->type & KUBE_KEYED)
        return (enum kube_key)((unsigned)c->type >> KUBE_KEY_SHIFT);
    return c->string ? kube_key_find(c->string, strlen(c->string)) : KK_NONE;
}

/* The first member of object o named k, as cJSON_GetObjectItemCaseSensitive
 * finds it; NULL when o is not an object or has none. */
static inline const cJSON *kube_key_get(const cJSON *o, enum kube_key k)
{
    if (!o || (o->type & 0xFF) != cJSON_Object)
        return NULL;
    for (const cJSON *c = o->child; c; c = c->next)
        if (kube_key_is(c, k))
            return c;
    return NULL;
}

#endif
