/* tests/unit/test_kube_store.c: the object cache: events keyed by
 * namespace/name, stale resourceVersions ignored, relists, per-kind fields,
 * and memory: 10,000 pods stay small and every interned string goes away
 * with the objects that used it. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_intern.h"
#include "core/kube_store.h"
#include "core/util.h"

static int apply(struct kube_store *s, const char *type, const char *json)
{
    cJSON *j = cJSON_Parse(json);
    assert_non_null(j);
    struct error err;
    error_clear(&err);
    int rc = kube_store_apply(s, type, j, &err);
    cJSON_Delete(j);
    return rc;
}

struct counts {
    int added, modified, deleted;
};

static void count(enum kube_kind k, enum kube_change ch, const struct kube_obj *o, void *arg)
{
    struct counts *c = arg;
    if (ch == KUBE_ADDED)
        c->added++;
    else if (ch == KUBE_MODIFIED)
        c->modified++;
    else
        c->deleted++;
}

static void test_events_and_stale(void **state)
{
    struct kube_store *s = kube_store_new(KUBE_POD);
    struct counts c = {0};
    kube_store_subscribe(s, count, &c);
    apply(s, "ADDED",
          "{\"metadata\":{\"name\":\"a\",\"namespace\":\"x\",\"resourceVersion\":\"5\"}}");
    apply(s, "ADDED",
          "{\"metadata\":{\"name\":\"a\",\"namespace\":\"y\",\"resourceVersion\":\"6\"}}");
    assert_int_equal(kube_store_count(s), 2); /* same name, other namespace */
    apply(s, "MODIFIED",
          "{\"metadata\":{\"name\":\"a\",\"namespace\":\"x\",\"resourceVersion\":\"4\"}}");
    assert_int_equal(kube_store_find(s, "x", "a")->rv, 5); /* stale: ignored */
    apply(s, "MODIFIED",
          "{\"metadata\":{\"name\":\"a\",\"namespace\":\"x\",\"resourceVersion\":\"5\"}}");
    assert_int_equal(c.modified, 0); /* same version: no news */
    apply(s, "MODIFIED",
          "{\"metadata\":{\"name\":\"a\",\"namespace\":\"x\",\"resourceVersion\":\"9\"},"
          "\"status\":{\"phase\":\"Failed\",\"reason\":\"Evicted\"}}");
    assert_string_equal(kube_store_find(s, "x", "a")->u.pod.reason, "Evicted");
    assert_int_equal(c.modified, 1);
    apply(s, "DELETED",
          "{\"metadata\":{\"name\":\"a\",\"namespace\":\"y\",\"resourceVersion\":\"10\"}}");
    assert_null(kube_store_find(s, "y", "a"));
    assert_int_equal(c.deleted, 1);
    assert_int_equal(apply(s, "ADDED", "{\"metadata\":{}}"), -1);
    /* relist: what the list lacks is deleted */
    kube_store_relist_begin(s);
    apply(s, NULL,
          "{\"metadata\":{\"name\":\"b\",\"namespace\":\"x\",\"resourceVersion\":\"11\"}}");
    kube_store_relist_end(s);
    assert_null(kube_store_find(s, "x", "a"));
    assert_non_null(kube_store_find(s, "x", "b"));
    assert_true(kube_store_synced(s));
    assert_int_equal(c.added, 3);
    assert_int_equal(c.deleted, 2);
    kube_store_free(s);
}

static void test_kinds(void **state)
{
    struct kube_store *s = kube_store_new(KUBE_SECRET);
    apply(s, NULL,
          "{\"metadata\":{\"name\":\"db\",\"namespace\":\"dify\"},\"type\":\"Opaque\","
          "\"data\":{\"password\":\"c2VjcmV0\",\"user\":\"dQ==\"}}");
    const struct kube_obj *o = kube_store_find(s, "dify", "db");
    assert_int_equal(o->u.keys.nkeys, 2);
    assert_string_equal(o->u.keys.keys[0], "password");
    kube_store_free(s);

    s = kube_store_new(KUBE_SERVICEACCOUNT);
    apply(s, NULL,
          "{\"metadata\":{\"name\":\"api\",\"namespace\":\"dify\",\"annotations\":{"
          "\"eks.amazonaws.com/role-arn\":\"arn:aws:iam::1:role/dify\"}}}");
    o = kube_store_find(s, "dify", "api");
    assert_int_equal(o->u.sa.nannotations, 1);
    assert_string_equal(o->u.sa.annotations[0].value, "arn:aws:iam::1:role/dify");
    kube_store_free(s);

    s = kube_store_new(KUBE_POD);
    apply(s, NULL,
          "{\"metadata\":{\"name\":\"p\",\"namespace\":\"dify\",\"ownerReferences\":["
          "{\"kind\":\"ReplicaSet\",\"name\":\"rs1\",\"controller\":true}],"
          "\"deletionTimestamp\":\"2026-11-24T05:00:00Z\"},\"spec\":{\"initContainers\":"
          "[{\"name\":\"i\"}],\"containers\":[{\"name\":\"c\"}]},\"status\":{"
          "\"initContainerStatuses\":[{\"state\":{\"waiting\":{\"reason\":"
          "\"CrashLoopBackOff\"}},\"restartCount\":4}]}}");
    o = kube_store_find(s, "dify", "p");
    assert_string_equal(o->owner_kind, "ReplicaSet");
    assert_string_equal(o->owner_name, "rs1");
    assert_string_equal(o->u.pod.reason, "Terminating"); /* deletion wins, as in kubectl */
    assert_int_equal(o->u.pod.restarts, 4);
    apply(s, NULL,
          "{\"metadata\":{\"name\":\"q\",\"namespace\":\"dify\"},\"spec\":{"
          "\"initContainers\":[{\"name\":\"i\"},{\"name\":\"j\"}],\"containers\":[{}]},"
          "\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"state\":{"
          "\"terminated\":{\"exitCode\":0}}},{\"state\":{\"running\":{}}}]}}");
    assert_string_equal(kube_store_find(s, "dify", "q")->u.pod.reason, "Init:1/2");
    kube_store_free(s);
}

static void test_memory_10000_pods(void **state)
{
    struct kube_store *s = kube_store_new(KUBE_POD);
    size_t empty = kube_store_memory(s);
    char buf[1024];
    for (int i = 0; i < 10000; i++) {
        snprintf(buf, sizeof(buf),
                 "{\"metadata\":{\"name\":\"dify-worker-%07d\",\"namespace\":\"team-%d\","
                 "\"uid\":\"00000000-0000-0000-0000-%012d\",\"resourceVersion\":\"%d\","
                 "\"labels\":{\"app.kubernetes.io/component\":\"worker\"},\"ownerReferences\":[{"
                 "\"kind\":\"ReplicaSet\",\"name\":\"dify-worker-7d9f\",\"controller\":true}]},"
                 "\"spec\":{\"nodeName\":\"node-%d\",\"containers\":[{\"name\":\"w\"}]},"
                 "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"ready\":true,"
                 "\"restartCount\":1,\"state\":{\"running\":{}}}]}}",
                 i, i % 10, i, 100 + i, i % 50);
        assert_int_equal(apply(s, NULL, buf), 0);
    }
    size_t per = (kube_store_memory(s) - empty) / 10000;
    printf("# store: %zu bytes per pod\n", per);
    /* a Go informer keeps >10 KB per pod; 407 bytes before objects took
     * their kind's size in slabs and uids 16 bytes (docs/bench.md) */
    assert_true(per < 300);
    kube_store_relist_begin(s);
    kube_store_relist_end(s); /* an empty relist deletes everything */
    assert_int_equal(kube_store_count(s), 0);
    /* What stays is the grown index and arrays (well under 1 MB); every
     * interned string went with its objects, so a second round of the same
     * churn (as many objects and strings: the tables do not shrink) ends at
     * exactly the same size. */
    size_t after = kube_store_memory(s);
    assert_true(after - empty < (1u << 20));
    for (int i = 0; i < 10000; i++) {
        snprintf(buf, sizeof(buf),
                 "{\"metadata\":{\"name\":\"other-%07d\",\"namespace\":\"ns-%d\","
                 "\"resourceVersion\":\"%d\"},\"spec\":{\"nodeName\":\"n-%d\"}}",
                 i, i % 7, 50000 + i, i % 50);
        assert_int_equal(apply(s, "ADDED", buf), 0);
    }
    kube_store_relist_begin(s);
    kube_store_relist_end(s);
    assert_int_equal(kube_store_memory(s), after);
    kube_store_free(s);
}

/* Is every string of want[0..n) (NULL: released) still the one interned
 * copy? Interning it again gives the same pointer (then released again). */
static void check_interned(struct kube_intern *t, const char **want, char (*text)[24], size_t n)
{
    size_t live = 0;
    for (size_t i = 0; i < n; i++) {
        if (!want[i])
            continue;
        live++;
        const char *again = kube_intern(t, text[i]);
        assert_ptr_equal(again, want[i]);
        kube_intern_release(t, again);
    }
    assert_int_equal(t->n, live);
}

/* The intern table: equal strings are one pointer, different ones not
 * (prefixes, the empty string, lengths around the hash's 8-byte steps,
 * bytes after n ignored); releases in a scrambled order, checked after each
 * one in a small table (probing and deletion with wrap-around) and in steps
 * in a big one (growing), end with nothing held. */
static void test_intern_table(void **state)
{
    struct kube_intern t = {0};
    const char *a = kube_intern(&t, "abc"), *b = kube_intern_n(&t, "abcdef", 3);
    assert_ptr_equal(a, b);
    const char *ab = kube_intern(&t, "ab"), *abcd = kube_intern(&t, "abcd");
    const char *empty = kube_intern(&t, ""), *empty2 = kube_intern_n(&t, "x", 0);
    assert_ptr_not_equal(a, ab);
    assert_ptr_not_equal(a, abcd);
    assert_string_equal(ab, "ab");
    assert_ptr_equal(empty, empty2);
    assert_string_equal(empty, "");
    const char *l8 = kube_intern(&t, "12345678"), *l9 = kube_intern(&t, "123456789");
    const char *l16 = kube_intern(&t, "1234567812345678");
    assert_ptr_not_equal(l8, l9);
    assert_ptr_equal(kube_intern_n(&t, "1234567812345678xyz", 16), l16);
    assert_null(kube_intern(&t, NULL));
    const char *all[] = {a, b, ab, abcd, empty, empty2, l8, l9, l16, l16};
    for (size_t i = 0; i < ARRAY_LEN(all); i++)
        kube_intern_release(&t, all[i]);
    assert_int_equal(t.n, 0);
    assert_int_equal(t.bytes, 0);

    enum { SMALL = 180, BIG = 40000 };
    static char text[BIG][24];
    static const char *ptr[BIG];
    /* 24 rounds in the first table of 256 slots (clusters that wrap past
     * its end), then one that grows it */
    for (int round = 0; round < 25; round++) {
        size_t n = round < 24 ? SMALL : BIG;
        for (size_t i = 0; i < n; i++) {
            snprintf(text[i], sizeof(text[i]), "%c%s-%zu", 'a' + round, i % 3 ? "pod" : "", i);
            ptr[i] = kube_intern(&t, text[i]);
        }
        check_interned(&t, ptr, text, n);
        /* release in a scrambled order: i * 7919 mod n visits each once
         * when n and 7919 share no factor */
        for (size_t k = 0; k < n; k++) {
            size_t i = k * 7919 % n;
            kube_intern_release(&t, ptr[i]);
            ptr[i] = NULL;
            if (n == SMALL || k % 4000 == 0)
                check_interned(&t, ptr, text, n);
        }
        assert_int_equal(t.n, 0);
        assert_int_equal(t.bytes, 0);
    }
    assert_true(t.nb > BIG); /* it grew */
    kube_intern_done(&t);
}

/* The places strings are cut from: every length up to past the longest
 * short string (KUBE_INTERN_SMALL; longer ones are allocated apart) comes
 * back as it went in; a released place is taken again by a string of its
 * size, so churn does not grow what the table holds; the last string gone,
 * every block and long string is given back. */
static void test_intern_places(void **state)
{
    struct kube_intern t = {0};
    enum { MAXLEN = KUBE_INTERN_SMALL + 300 };
    static char text[MAXLEN + 1][MAXLEN + 1];
    static const char *ptr[MAXLEN + 1];
    for (int len = 0; len <= MAXLEN; len++) {
        for (int k = 0; k < len; k++)
            text[len][k] = (char)('a' + (len + k) % 26);
        text[len][len] = '\0';
        ptr[len] = kube_intern(&t, text[len]);
        assert_int_equal(strlen(ptr[len]), len);
    }
    for (int len = 0; len <= MAXLEN; len++) {
        assert_string_equal(ptr[len], text[len]);
        assert_ptr_equal(kube_intern(&t, text[len]), ptr[len]); /* a second reference */
    }
    size_t held = kube_intern_memory(&t);
    /* churn: release every other string, intern as many others of the same
     * lengths (one letter changed), several rounds */
    for (int round = 0; round < 4; round++) {
        for (int len = 1; len <= MAXLEN; len += 2) {
            kube_intern_release(&t, ptr[len]);
            kube_intern_release(&t, ptr[len]);
            text[len][0] = (char)('A' + round);
            ptr[len] = kube_intern(&t, text[len]);
            kube_intern(&t, text[len]);
        }
        assert_int_equal(kube_intern_memory(&t), held);
        for (int len = 0; len <= MAXLEN; len++)
            assert_string_equal(ptr[len], text[len]);
    }
    for (int len = 0; len <= MAXLEN; len++) {
        kube_intern_release(&t, ptr[len]);
        assert_string_equal(ptr[len], text[len]); /* one reference left */
    }
    for (int len = MAXLEN; len >= 0; len--)
        kube_intern_release(&t, ptr[len]);
    assert_int_equal(t.n, 0);
    assert_int_equal(t.bytes, 0);
    assert_int_equal(kube_intern_memory(&t), t.nb * sizeof(*t.b)); /* only the slots */
    /* and it is usable again */
    assert_string_equal(kube_intern(&t, "again"), "again");
    kube_intern_done(&t);
}

/* Owned strings (an object's name, a pod's IP): copies no other string
 * shares, kept out of the table's slots, their hash in their place. Many
 * of them, of every short length and across many blocks, interleaved with
 * interned strings and released in a scrambled order, stay intact (a place
 * given back by an owned string is found by its address: a wrong one would
 * be handed out again under a live string); churn reuses their places; the
 * last string gone, every block is given back. */
static void test_intern_owned(void **state)
{
    struct kube_intern t = {0};
    const char *a = kube_intern(&t, "load-1");
    const char *o1 = kube_intern_own(&t, "load-1", 6), *o2 = kube_intern_own(&t, "load-12", 6);
    assert_ptr_not_equal(o1, a);
    assert_ptr_not_equal(o1, o2);
    assert_string_equal(o1, "load-1");
    assert_string_equal(o2, "load-1");
    assert_int_equal(t.n, 1); /* no slot for the owned ones */
    assert_int_equal(t.nown, 2);
    assert_ptr_equal(kube_intern_find(&t, "load-1"), a);
    assert_null(kube_intern_find(&t, "load-2"));
    assert_int_equal(kube_intern_hash_of(o1), kube_intern_hash("load-1", 6));
    assert_int_equal(kube_intern_hash_of(a), kube_intern_hash("load-1", 6));
    assert_true(kube_intern_hash("load-1", 6) < 0x80000000u);
    kube_intern_release(&t, a);
    assert_null(kube_intern_find(&t, "load-1")); /* owned copies are not found */
    a = kube_intern(&t, "load-1");
    assert_ptr_not_equal(a, o1);
    assert_null(kube_intern_own(&t, NULL, 0));
    /* a long one is interned instead (owned ones are short) */
    static char big[KUBE_INTERN_SMALL + 10];
    memset(big, 'x', sizeof(big) - 1);
    const char *ob = kube_intern_own(&t, big, sizeof(big) - 1);
    assert_string_equal(ob, big);
    assert_int_equal(kube_intern_hash_of(ob), kube_intern_hash(big, sizeof(big) - 1));
    const char *firsts[] = {a, o1, o2, ob};
    for (size_t i = 0; i < ARRAY_LEN(firsts); i++)
        kube_intern_release(&t, firsts[i]);
    assert_int_equal(t.n + t.nown + t.bytes, 0);

    enum { N = 30000 };
    static char text[N][40];
    static const char *ptr[N];
    for (size_t i = 0; i < N; i++) {
        /* lengths 1 to 39; every fifth interned, the rest owned */
        int len = snprintf(text[i], sizeof(text[i]), "%zu-%.*s", i, (int)(i % 33),
                           "abcdefghijklmnopqrstuvwxyz0123456789");
        ptr[i] = i % 5 ? kube_intern_own(&t, text[i], (size_t)len) : kube_intern(&t, text[i]);
    }
    assert_true(t.nblk > 10);
    assert_int_equal(t.nown, N - N / 5);
    size_t held = kube_intern_memory(&t);
    for (int round = 0; round < 3; round++) {
        /* release half in a scrambled order, check the rest, take them again */
        for (size_t k = 0; k < N / 2; k++) {
            size_t i = k * 7919 % N;
            kube_intern_release(&t, ptr[i]);
            ptr[i] = NULL;
        }
        for (size_t i = 0; i < N; i++)
            if (ptr[i]) {
                assert_string_equal(ptr[i], text[i]);
                assert_int_equal(kube_intern_hash_of(ptr[i]),
                                 kube_intern_hash(text[i], strlen(text[i])));
            }
        for (size_t i = 0; i < N; i++)
            if (!ptr[i])
                ptr[i] = i % 5 ? kube_intern_own(&t, text[i], strlen(text[i]))
                               : kube_intern(&t, text[i]);
        for (size_t i = 0; i < N; i++)
            assert_string_equal(ptr[i], text[i]);
        assert_int_equal(kube_intern_memory(&t), held);
    }
    for (size_t k = 0; k < N; k++)
        kube_intern_release(&t, ptr[k * 7919 % N]);
    assert_int_equal(t.n + t.nown + t.bytes, 0);
    assert_int_equal(kube_intern_memory(&t), t.nb * sizeof(*t.b)); /* only the slots */
    kube_intern_done(&t);
}

/* The hash takes every byte: one byte changed, at any place of a string of
 * any length up to past two 16-byte steps, changes it. */
static void test_intern_hash_bytes(void **state)
{
    char s[48], u[48];
    for (size_t n = 1; n <= 40; n++) {
        for (size_t k = 0; k < n; k++)
            s[k] = (char)('a' + k % 26);
        uint32_t h = kube_intern_hash(s, n);
        assert_int_not_equal(h, kube_intern_hash(s, n - 1)); /* the length counts */
        for (size_t k = 0; k < n; k++) {
            memcpy(u, s, n);
            u[k] ^= 1;
            assert_int_not_equal(h, kube_intern_hash(u, n));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events_and_stale),  cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_memory_10000_pods), cmocka_unit_test(test_intern_table),
        cmocka_unit_test(test_intern_places),     cmocka_unit_test(test_intern_owned),
        cmocka_unit_test(test_intern_hash_bytes),
    };
    return cmocka_run_group_tests_name("kube_store", tests, NULL, NULL);
}
