/* core/kube_keys.c: the member name numbers (see kube_keys.h): their names
 * and the table kube_key_lookup reads. */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "core/kube_keys.h"

const char *const kube_key_names[KK_COUNT] = {[KK_NONE] = "",
#define KUBE_KEY_NAME(k) [KK_##k] = #k,
                                              KUBE_KEYS(KUBE_KEY_NAME)
#undef KUBE_KEY_NAME
#define KUBE_KEY_NAMED_NAME(k, text) [KK_##k] = text,
                                                  KUBE_KEYS_NAMED(KUBE_KEY_NAMED_NAME)
#undef KUBE_KEY_NAMED_NAME
};

struct kube_key_slot kube_key_slots[1u << KUBE_KEY_BITS];

static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void keys_build(void)
{
    for (unsigned k = 1; k < KK_COUNT; k++) {
        const unsigned char *s = (const unsigned char *)kube_key_names[k];
        size_t n = strlen(kube_key_names[k]);
        uint32_t head, tail;
        kube_key_words(s, n, &head, &tail);
        unsigned h = kube_key_hash(head, tail, n);
        while (kube_key_slots[h].key)
            h = (h + 1) & ((1u << KUBE_KEY_BITS) - 1);
        kube_key_slots[h] = (struct kube_key_slot){head, tail, (unsigned char)n, (unsigned char)k};
    }
}

void kube_keys_init(void)
{
    pthread_once(&g_once, keys_build);
}

enum kube_key kube_key_find(const char *s, size_t n)
{
    kube_keys_init();
    return kube_key_lookup(s, n);
}
