/* tests/unit/test_kube_jparse.c: the client's arena JSON parser against
 * libcjson (the same tree for every document both accept), its stricter
 * grammar, error positions, escapes, the nesting limit, trees bigger than
 * a chunk, and leaving managedFields out. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_jparse.h"
#include "core/kube_json.h"
#include "core/util.h"
#include "tests/unit/kube_check_diff.h"

/* Both parsers accept text and build the same tree, prev links included. */
static void same_as_cjson(const char *text, size_t len)
{
    cJSON *a = cJSON_ParseWithLength(text, len);
    size_t at = 0;
    cJSON *b = kube_jparse(text, len, &at);
    if (!a || !b)
        fail_msg("%s did not parse: %.80s", a ? "kube_jparse" : "libcjson", text);
    char *pa = cJSON_PrintUnformatted(a), *pb = cJSON_PrintUnformatted(b);
    assert_string_equal(pa, pb);
    /* (cJSON_Compare finds a member by name, so not for repeated keys) */
    if (!strstr(text, "\"a\":1,\"a\"") && !cJSON_Compare(a, b, true))
        fail_msg("different trees: %s", text);
    free(pa);
    free(pb);
    cJSON_Delete(a);
    kube_jparse_free(b);
}

static void test_same_tree(void **state)
{
    static const char *const docs[] = {
        "{}",
        "[]",
        "7",
        "\"x\"",
        "null",
        " \t\r\n{ \"a\" : [ 1 , 2.5 , -3e2 , true , false , null , \"s\" ] , \"b\" : { } } ",
        "{\"a\":1,\"a\":2}",
        "[[[[[]]]],{\"k\":[{}]}]",
        "{\"s\":\"tab\\tnl\\nq\\\"bs\\\\sl\\/u\\u00e9\\u20ac\\ud83d\\ude00\"}",
        "{\"n\":[0,-0,1e300,-1e-300,123456789012345678,1234567890123456789012,2147483648,"
        "-2147483649,4.6116860184273879e18,0.1,1E+2]}",
        "\xEF\xBB\xBF{\"bom\":true}",
        "{\"raw\":\"caf\xc3\xa9 \xff\xfe\"}",
        "{\"\":\"empty key\",\"k\":\"\"}",
    };
    for (size_t i = 0; i < ARRAY_LEN(docs); i++)
        same_as_cjson(docs[i], strlen(docs[i]));
}

/* Strings of every length around the scanner's 8- and 16-byte steps, with
 * an escape at every place, and cut off at every place (which must fail,
 * not read past the text). */
static void test_string_lengths(void **state)
{
    char doc[256], body[64];
    for (size_t n = 0; n <= 40; n++) {
        memset(body, 'a', n);
        body[n] = '\0';
        snprintf(doc, sizeof(doc), "[\"%s\",\"%s\"]", body, body);
        same_as_cjson(doc, strlen(doc));
        for (size_t at = 0; at < n; at++) {
            static const char *const escapes[] = {"\\\"", "\\\\", "\\n", "\\u00e9"};
            for (size_t e = 0; e < ARRAY_LEN(escapes); e++) {
                snprintf(doc, sizeof(doc), "{\"%.*s%s%s\":\"%.*s%s%s\"}", (int)at, body, escapes[e],
                         body + at, (int)at, body, escapes[e], body + at);
                same_as_cjson(doc, strlen(doc));
            }
        }
        snprintf(doc, sizeof(doc), "\"%s\"", body);
        for (size_t cut = 1; cut < strlen(doc); cut++) {
            char *copy = xstrndup(doc, cut); /* its own allocation: ASan sees an overread */
            assert_null(kube_jparse(copy, cut, NULL));
            free(copy);
        }
    }
}

struct got {
    struct strbuf items; /* each item printed, one a line */
    int n;
};

static void got_item(const cJSON *item, void *arg)
{
    struct got *g = arg;
    char *p = cJSON_PrintUnformatted(item);
    strbuf_addf(&g->items, "%s\n", p);
    free(p);
    g->n++;
}

/* Item by item: every container item of the root's first "items" handed
 * over in order, whole, and gone from the tree returned; scalars, other
 * lists and a second "items" stay; items before a syntax error were handed
 * over; items bigger than a chunk (the arena grows, then is rewound past the
 * new chunk and reuses it). */
static void test_list_items(void **state)
{
    static const char doc[] =
        "{\"kind\":\"PodList\",\"items\":[{\"a\":1},7,[1,{\"b\":[]}],{\"c\":{\"d\":\"e\"}},null],"
        "\"metadata\":{\"continue\":\"t\",\"items\":[{\"x\":1}]},\"items\":[{\"second\":1}]}";
    struct got g = {.n = 0};
    strbuf_init(&g.items);
    cJSON *j = kube_jparse_list(doc, strlen(doc), 0, got_item, &g, NULL);
    assert_non_null(j);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.items.buf, "{\"a\":1}\n[1,{\"b\":[]}]\n{\"c\":{\"d\":\"e\"}}\n");
    char *rest = cJSON_PrintUnformatted(j);
    assert_string_equal(rest, "{\"kind\":\"PodList\",\"items\":[7,null],\"metadata\":{\"continue\":"
                              "\"t\",\"items\":[{\"x\":1}]},\"items\":[{\"second\":1}]}");
    free(rest);
    kube_jparse_free(j);

    /* a syntax error after two items: both were handed over */
    static const char cut[] = "{\"items\":[{\"a\":1},{\"b\":2},{\"c\":";
    strbuf_reset(&g.items);
    g.n = 0;
    size_t at = 0;
    assert_null(kube_jparse_list(cut, strlen(cut), 0, got_item, &g, &at));
    assert_int_equal(g.n, 2);
    assert_int_equal(at, strlen(cut) - 1);
    /* not a list: nothing handed over */
    static const char other[] = "{\"items\":{\"a\":{}},\"x\":[{}]}";
    g.n = 0;
    j = kube_jparse_list(other, strlen(other), 0, got_item, &g, NULL);
    assert_non_null(j);
    assert_int_equal(g.n, 0);
    kube_jparse_free(j);

    /* 300 items of about 40 KB each, around two big ones of 2 MB */
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "{\"items\":[");
    for (int i = 0; i < 300; i++) {
        int n = i == 100 || i == 200 ? 50000 : 1000;
        strbuf_addf(&sb, "%s{\"metadata\":{\"name\":\"pod-%d\"},\"v\":[", i ? "," : "", i);
        for (int k = 0; k < n; k++)
            strbuf_addf(&sb, "%s%d", k ? "," : "", k);
        strbuf_adds(&sb, "]}");
    }
    strbuf_adds(&sb, "]}");
    strbuf_reset(&g.items);
    g.n = 0;
    j = kube_jparse_list(sb.buf, sb.len, 0, got_item, &g, NULL);
    assert_non_null(j);
    assert_int_equal(g.n, 300);
    assert_int_equal(cJSON_GetArraySize(kj_get(j, "items")), 0);
    kube_jparse_free(j);
    /* each item came out whole: the same as the whole tree's */
    cJSON *whole = kube_jparse(sb.buf, sb.len, NULL);
    struct got w = {.n = 0};
    strbuf_init(&w.items);
    const cJSON *it;
    cJSON_ArrayForEach(it, kj_get(whole, "items")) got_item(it, &w);
    assert_int_equal(w.items.len, g.items.len);
    assert_true(!strcmp(w.items.buf, g.items.buf));
    kube_jparse_free(whole);
    strbuf_done(&w.items);
    strbuf_done(&sb);
    strbuf_done(&g.items);
}

/* kj_get's paths: segments split at dots (a key with a dot in it is not
 * found), the first member of a name, a scalar or list on the way is not an
 * object, an empty segment names the empty key, a trailing dot ends it. */
static void test_kj_paths(void **state)
{
    static const char doc[] =
        "{\"a\":{\"b\":{\"c\":1},\"b\":{\"c\":2},\"bc\":3,\"\":{\"x\":4}},\"a.b\":5,"
        "\"l\":[{\"c\":6}],\"s\":\"t\",\"ab\":{\"c\":7},\"a\":{\"b\":{\"c\":8}}}";
    cJSON *j = kube_jparse(doc, strlen(doc), NULL);
    assert_non_null(j);
    assert_int_equal(kj_int(j, "a.b.c", -1), 1);
    assert_int_equal(kj_int(j, "a.bc", -1), 3);
    assert_int_equal(kj_int(j, "ab.c", -1), 7);
    assert_int_equal(kj_int(j, "a.b.c.d", -1), -1);
    assert_int_equal(kj_int(j, "a..x", -1), 4);
    assert_null(kj_get(j, "a.b.cd"));
    assert_null(kj_get(j, "a.bcd"));
    assert_null(kj_get(j, "a.b.c.d"));
    assert_null(kj_get(j, "l.c"));
    assert_null(kj_get(j, "s.t"));
    assert_null(kj_get(j, "x"));
    assert_ptr_equal(kj_get(j, "a.b."), kj_get(j, "a.b"));
    assert_ptr_equal(kj_get(j, ""), j);
    /* "a.b" is two segments: the member named "a.b" is not it */
    assert_int_equal(kj_int(kj_get(j, "a"), "b.c", -1), 1);
    assert_string_equal(kj_str(j, "s"), "t");
    assert_true(kj_has(j, "l"));
    kube_jparse_free(j);
}

/* KUBE_JPARSE_IN_PLACE: the same trees and the same refusals as from a
 * copy, reading the caller's buffer of exactly len + 1 bytes (ASan: not a
 * byte past its NUL), whole or item by item. */
static void in_place_same(const char *doc, size_t len)
{
    char *buf = xmalloc(len + 1);
    memcpy(buf, doc, len);
    buf[len] = '\0';
    size_t at_copy = 0, at_in = 0;
    cJSON *a = kube_jparse_opts(doc, len, KUBE_JPARSE_NO_MANAGED_FIELDS, &at_copy);
    cJSON *b =
        kube_jparse_opts(buf, len, KUBE_JPARSE_NO_MANAGED_FIELDS | KUBE_JPARSE_IN_PLACE, &at_in);
    assert_true(!a == !b);
    if (a) {
        char *pa = cJSON_PrintUnformatted(a), *pb = cJSON_PrintUnformatted(b);
        assert_string_equal(pa, pb);
        free(pa);
        free(pb);
    } else {
        assert_int_equal(at_copy, at_in);
    }
    kube_jparse_free(a);
    kube_jparse_free(b);
    /* item by item, in a fresh copy (the first parse wrote into buf) */
    memcpy(buf, doc, len);
    struct got g = {.n = 0};
    strbuf_init(&g.items);
    cJSON *c = kube_jparse_list(buf, len, KUBE_JPARSE_IN_PLACE, got_item, &g, NULL);
    cJSON *d = kube_jparse(doc, len, NULL);
    assert_true(!c == !d);
    kube_jparse_free(c);
    kube_jparse_free(d);
    strbuf_done(&g.items);
    free(buf);
}

static void test_in_place(void **state)
{
    static const char *const docs[] = {
        "{\"items\":[{\"metadata\":{\"name\":\"a\",\"managedFields\":[{\"x\":\"\\u00e9\"}]}}],"
        "\"metadata\":{\"continue\":\"t\"}}",
        "{\"s\":\"tab\\tnl\\nq\\\"bs\\\\u\\u20ac\\ud83d\\ude00\"}",
        "[1,-0.5e3,true,false,null,\"x\"]",
        "\"no end",
        "{\"a\":\"\\u12",
        "{\"a\":1",
        "{\"a\":\"x\\",
        "[[[[",
        "123456789012345678901234567890",
        "",
    };
    for (size_t i = 0; i < ARRAY_LEN(docs); i++)
        in_place_same(docs[i], strlen(docs[i]));
    /* strings of every length around the scan's steps, ending the text */
    char doc[80];
    for (size_t n = 0; n < 40; n++) {
        snprintf(doc, sizeof(doc), "\"%.*s\"", (int)n, "0123456789012345678901234567890123456789");
        in_place_same(doc, strlen(doc));
        in_place_same(doc, strlen(doc) - 1); /* cut before the closing quote */
    }
}

/* The first child's prev is the last child, as cJSON links them (cJSON's
 * own add and delete functions rely on it). */
static void test_links(void **state)
{
    cJSON *j = kube_jparse("[1,2,3]", 7, NULL);
    assert_non_null(j);
    assert_int_equal(cJSON_GetArraySize(j), 3);
    assert_ptr_equal(j->child->prev, j->child->next->next);
    assert_ptr_equal(j->child->next->prev, j->child);
    assert_null(j->child->next->next->next);
    assert_int_equal(cJSON_GetArrayItem(j, 2)->valueint, 3);
    kube_jparse_free(j);
}

struct bad {
    const char *text;
    size_t at; /* where the error is reported */
};

static void test_rejects(void **state)
{
    static const struct bad bad[] = {
        {"", 0},
        {"   ", 2},
        {"{} x", 3},         /* content after the value (libcjson ignores it) */
        {"01", 1},           /* JSON numbers have no leading zeros */
        {"1.", 1},           /* a fraction needs a digit */
        {"-", 0},            /* a sign needs a number */
        {"1e", 1},           /* an exponent needs a digit */
        {"[1,]", 3},         /* no trailing comma */
        {"{\"a\":1,}", 7},   /* nor in an object */
        {"{\"a\" 1}", 5},    /* a colon */
        {"{a:1}", 1},        /* quoted keys */
        {"[1 2]", 3},        /* a comma */
        {"{\"a\":tru}", 5},  /* literals whole */
        {"\"abc", 3},        /* the text ended: the last byte, as cJSON */
        {"{\"a\":", 4},      /* likewise */
        {"\"\\x\"", 1},      /* an unknown escape */
        {"\"\\u12g4\"", 1},  /* a bad hex digit */
        {"\"\\udc00\"", 1},  /* a low surrogate alone */
        {"\"\\ud800x\"", 1}, /* a high surrogate without its low half */
        {"[}", 1},
        {"{]", 1},
        {"]", 0},
        {"\"\\", 1},
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        size_t at = 99;
        cJSON *j = kube_jparse(bad[i].text, strlen(bad[i].text), &at);
        if (j)
            fail_msg("accepted: %s", bad[i].text);
        if (at != bad[i].at)
            fail_msg("%s: error at %zu, want %zu", bad[i].text, at, bad[i].at);
    }
}

static void test_depth_limit(void **state)
{
    size_t n = KUBE_JPARSE_MAX_DEPTH;
    char *deep = xmalloc(2 * n + 3);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    cJSON *j = kube_jparse(deep, 2 * n, NULL);
    assert_non_null(j);
    kube_jparse_free(j);
    memset(deep, '[', n + 1);
    memset(deep + n + 1, ']', n + 1);
    assert_null(kube_jparse(deep, 2 * n + 2, NULL));
    free(deep);
}

static void test_numbers(void **state)
{
    static const char nums[] = "[4611686018427387904,-7,3e9,-3e9,0.5]";
    cJSON *j = kube_jparse(nums, strlen(nums), NULL);
    assert_non_null(j);
    assert_true(cJSON_GetArrayItem(j, 0)->valuedouble == 4611686018427387904.0);
    assert_int_equal(cJSON_GetArrayItem(j, 1)->valueint, -7);
    assert_int_equal(cJSON_GetArrayItem(j, 2)->valueint, 2147483647);
    assert_int_equal(cJSON_GetArrayItem(j, 3)->valueint, -2147483647 - 1);
    assert_true(cJSON_GetArrayItem(j, 4)->valuedouble == 0.5);
    kube_jparse_free(j);
}

/* A tree much bigger than the first chunk, built twice (the second parse
 * reuses the kept chunk). */
static void test_big(void **state)
{
    struct strbuf sb;
    strbuf_init(&sb);
    strbuf_adds(&sb, "{\"items\":[");
    for (int i = 0; i < 50000; i++)
        strbuf_addf(&sb, "%s{\"metadata\":{\"name\":\"pod-%d\"},\"n\":%d}", i ? "," : "", i, i);
    strbuf_adds(&sb, "]}");
    for (int round = 0; round < 2; round++) {
        cJSON *j = kube_jparse(sb.buf, sb.len, NULL);
        assert_non_null(j);
        const cJSON *items = kj_get(j, "items");
        assert_int_equal(cJSON_GetArraySize(items), 50000);
        assert_string_equal(kj_str(cJSON_GetArrayItem(items, 49999), "metadata.name"), "pod-49999");
        kube_jparse_free(j);
    }
    strbuf_done(&sb);
}

static void test_no_managed_fields(void **state)
{
    static const char doc[] =
        "{\"metadata\":{\"name\":\"p\",\"managedFields\":[{\"manager\":\"kubectl\","
        "\"fieldsV1\":{\"f:spec\":{\"k:{\\\"name\\\":\\\"c\\\"}\":{}}}}],\"uid\":\"u\"},"
        "\"spec\":{\"managedFields\":1}}";
    cJSON *j = kube_jparse_opts(doc, strlen(doc), KUBE_JPARSE_NO_MANAGED_FIELDS, NULL);
    assert_non_null(j);
    assert_null(kj_get(j, "metadata.managedFields"));
    assert_string_equal(kj_str(j, "metadata.name"), "p");
    assert_string_equal(kj_str(j, "metadata.uid"), "u");
    assert_int_equal(cJSON_GetArraySize(kj_get(j, "metadata")), 2);
    /* only metadata's: a field of that name elsewhere stays */
    assert_int_equal(kj_int(j, "spec.managedFields", 0), 1);
    kube_jparse_free(j);
    /* without the flag it is kept */
    j = kube_jparse(doc, strlen(doc), NULL);
    assert_non_null(kj_get(j, "metadata.managedFields"));
    kube_jparse_free(j);
    /* a scalar and a last member */
    static const char doc2[] = "{\"metadata\":{\"managedFields\":null}}";
    j = kube_jparse_opts(doc2, strlen(doc2), KUBE_JPARSE_NO_MANAGED_FIELDS, NULL);
    assert_non_null(j);
    assert_null(kj_get(j, "metadata")->child);
    kube_jparse_free(j);
    /* what is left out is still read as JSON: the same errors at the same
     * places as when it is kept */
    static const char *const bad[] = {
        "{\"metadata\":{\"managedFields\":[1 2]}}",
        "{\"metadata\":{\"managedFields\":[{\"a\":1,}]}}",
        "{\"metadata\":{\"managedFields\":[{\"a\" 1}]}}",
        "{\"metadata\":{\"managedFields\":[{\"k:{\\\"x\\q\":{}}]}}",
        "{\"metadata\":{\"managedFields\":[{\"a\":tru}]}}",
        "{\"metadata\":{\"managedFields\":[{\"a\":-}]}}",
        "{\"metadata\":{\"managedFields\":[{\"a\":[}]}}",
        "{\"metadata\":{\"managedFields\":[{\"a\":{\"b\":\"\\ud800\"}}]}}",
        "{\"metadata\":{\"managedFields\":[[[]]]]}}",
        "{\"metadata\":{\"managedFields\":\"cut",
        "{\"metadata\":{\"managedFields\":{",
        "{\"metadata\":{\"managedFields\":",
        "{\"metadata\":{\"managedFields\":{}}",
        "{\"metadata\":{\"managedFields\":{} ,}}",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        size_t at_kept = 0, at_left = 0;
        assert_null(kube_jparse_opts(bad[i], strlen(bad[i]), 0, &at_kept));
        assert_null(
            kube_jparse_opts(bad[i], strlen(bad[i]), KUBE_JPARSE_NO_MANAGED_FIELDS, &at_left));
        if (at_kept != at_left)
            fail_msg("%s: error at %zu kept, %zu left out", bad[i], at_kept, at_left);
    }
    /* nested deeper than the limit inside what is left out */
    struct strbuf deep;
    strbuf_init(&deep);
    strbuf_adds(&deep, "{\"metadata\":{\"managedFields\":");
    for (int i = 0; i < KUBE_JPARSE_MAX_DEPTH; i++)
        strbuf_addc(&deep, '[');
    for (int i = 0; i < KUBE_JPARSE_MAX_DEPTH; i++)
        strbuf_addc(&deep, ']');
    strbuf_adds(&deep, "}}");
    size_t at_kept = 0, at_left = 0;
    assert_null(kube_jparse_opts(deep.buf, deep.len, 0, &at_kept));
    assert_null(kube_jparse_opts(deep.buf, deep.len, KUBE_JPARSE_NO_MANAGED_FIELDS, &at_left));
    assert_int_equal(at_kept, at_left);
    strbuf_done(&deep);
}

/* Every JSON file of the client's bad corpus gives the same tree, or both
 * parsers refuse it (or libcjson alone, for what it accepts and JSON does
 * not). */
static void test_corpus(void **state)
{
    char *dir = xasprintf("%s/tests/data/kube/bad", DIFY_SRCDIR);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL) {
        if (!str_ends_with(e->d_name, ".json"))
            continue;
        char *path = xasprintf("%s/%s", dir, e->d_name), *text;
        size_t len;
        struct error err;
        assert_int_equal(file_read_all(path, 1 << 20, &text, &len, &err), 0);
        cJSON *a = cJSON_ParseWithLength(text, len), *b = kube_jparse(text, len, NULL);
        if (b) {
            assert_non_null(a);
            assert_true(cJSON_Compare(a, b, true));
        }
        n++;
        cJSON_Delete(a);
        kube_jparse_free(b);
        free(text);
        free(path);
    }
    closedir(d);
    free(dir);
    assert_true(n > 5);
}

/* The type check done while parsing (kube_check_diff.h) against the walk
 * over libcjson's tree: a pod with every kind of field the rules name, each
 * of its values replaced by values of every JSON type (and times, numbers
 * out of range, lists of the wrong things), and members named as the rules'
 * keys added to every object with each of those values: the same result
 * and message from both, and nothing marked clean that the walk refuses. */
static const char pod_doc[] =
    "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"7\",\"continue\":\"\"},"
    "\"items\":[{\"metadata\":{\"name\":\"p\",\"namespace\":\"n\",\"uid\":\"u\","
    "\"generation\":3,\"labels\":{\"app\":\"a\",\"ready\":\"x\"},"
    "\"annotations\":{\"k\":\"v\"},\"creationTimestamp\":\"2026-12-07T13:16:01Z\","
    "\"resourceVersion\":\"5\",\"ownerReferences\":[{\"kind\":\"ReplicaSet\",\"name\":\"r\","
    "\"controller\":true,\"blockOwnerDeletion\":true}]},"
    "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"ports\":[{\"containerPort\":80,"
    "\"hostPort\":8080}]}],\"initContainers\":[{\"name\":\"i\",\"restartPolicy\":\"Always\"}],"
    "\"terminationGracePeriodSeconds\":30,\"nodeName\":\"n1\",\"selector\":{\"matchLabels\":"
    "{\"a\":\"b\"}},\"readinessGates\":[{\"conditionType\":\"G\"}],\"template\":{\"spec\":{}}},"
    "\"status\":{\"phase\":\"Running\",\"startTime\":\"2026-12-07T13:16:02Z\",\"ready\":1,"
    "\"replicas\":2,\"observedGeneration\":3,\"conditions\":[{\"type\":\"Ready\",\"status\":"
    "\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"2026-12-07T13:16:06Z\"}],"
    "\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,\"restartCount\":2,\"started\":true,"
    "\"state\":{\"running\":{\"startedAt\":\"2026-12-07T13:16:04Z\"}},\"lastState\":"
    "{\"terminated\":{\"exitCode\":1,\"signal\":0,\"reason\":\"Error\",\"finishedAt\":"
    "\"2026-12-07T13:16:03Z\"}}}],\"initContainerStatuses\":[{\"name\":\"i\",\"ready\":false}],"
    "\"ephemeralContainerStatuses\":[{\"ready\":true}]}},"
    "{\"metadata\":{\"name\":\"q\"},\"status\":{\"conditions\":[]}}]}";

static const char *const odd_values[] = {
    "\"x\"",
    "\"\"",
    "5",
    "-1.5",
    "2147483648",
    "-2147483649",
    "9.3e18",
    "1e400",
    "true",
    "false",
    "null",
    "{}",
    "{\"a\":1}",
    "{\"a\":\"b\"}",
    "[]",
    "[1]",
    "[{}]",
    "[null]",
    "[{\"ready\":\"x\"}]",
    "\"2026-12-07T13:16:06Z\"",
    "\"1969-12-31T23:59:60Z\"",
    "\"1970-01-01T00:00:00Z\"",
    "\"2026-13-07T13:16:06Z\"",
    "\"2026-12-07T13:16:06+01:00\"",
    "\"2026-12-07T13:16:06.5Z\"",
    "\"2026-12-07 13:16:06Z\"",
    "\"2026-12-07T13:16:06Zx\"",
    "\"2026-12-07T13:16:06z\"",
    "\"2026-12-07t13:16:06Z\"",
    "\"2026-02-31T24:00:00Z\"",
    "\"2026-12-07T23:60:00Z\"",
    "\"2026-12-07T23:59:61Z\"",
    "\"2026-00-07T13:16:06Z\"",
    "\"2026-12-00T13:16:06Z\"",
    "\"9999-12-31T23:59:60Z\"",
    "\"2026-12-07T13:16:0:Z\"",
    "\"2026-1/-07T13:16:06Z\"",
    "\"2026-12-07T13:16:06\\u0000\"",
    "\"2026-12-07T13:1\\u00006:06Z\"",
    "\"20261207T131606Z\"",
    "\"2026-12-07T13:16:06+0100\"",

};

static const char *const rule_keys[] = {
    "ready",        "status",
    "name",         "labels",
    "conditions",   "containerStatuses",
    "restartCount", "creationTimestamp",
    "replicas",     "metadata",
    "generation",   "exitCode",
    "matchLabels",  "unknownKey",
};

static void diff_doc(cJSON *doc, int *n)
{
    char *text = cJSON_PrintUnformatted(doc);
    char why[512];
    if (check_diff(text, strlen(text), why, sizeof(why)) < 0)
        fail_msg("%s\nin %s", why, text);
    free(text);
    (*n)++;
}

/* Every node of doc in document order (the root first). */
static void collect_nodes(cJSON *node, cJSON ***all, size_t *n)
{
    *all = xrealloc(*all, (*n + 1) * sizeof(**all));
    (*all)[(*n)++] = node;
    for (cJSON *c = node->child; c; c = c->next)
        collect_nodes(c, all, n);
}

static void test_check_while_parsing(void **state)
{
    cJSON *base = cJSON_Parse(pod_doc);
    assert_non_null(base);
    int docs = 0;
    diff_doc(base, &docs);
    size_t nnodes = 0;
    cJSON **nodes = NULL;
    collect_nodes(base, &nodes, &nnodes);
    for (size_t i = 1; i < nnodes; i++) {
        for (size_t v = 0; v < ARRAY_LEN(odd_values); v++) {
            /* the same node in a copy: found by its index in document order */
            cJSON *copy = cJSON_Duplicate(base, true), **cn = NULL;
            size_t cnn = 0;
            collect_nodes(copy, &cn, &cnn);
            cJSON *value = cJSON_Parse(odd_values[v]);
            cJSON *target = cn[i], *parent = NULL;
            for (size_t k = 0; k < cnn && !parent; k++)
                for (cJSON *c = cn[k]->child; c; c = c->next)
                    if (c == target)
                        parent = cn[k];
            assert_true(cJSON_ReplaceItemViaPointer(parent, target, value));
            diff_doc(copy, &docs);
            free(cn);
            cJSON_Delete(copy);
        }
        if (!cJSON_IsObject(nodes[i]))
            continue;
        for (size_t k = 0; k < ARRAY_LEN(rule_keys); k++)
            for (size_t v = 0; v < ARRAY_LEN(odd_values); v++) {
                cJSON *copy = cJSON_Duplicate(base, true), **cn = NULL;
                size_t cnn = 0;
                collect_nodes(copy, &cn, &cnn);
                cJSON_AddItemToObject(cn[i], rule_keys[k], cJSON_Parse(odd_values[v]));
                diff_doc(copy, &docs);
                free(cn);
                cJSON_Delete(copy);
            }
    }
    free(nodes);
    cJSON_Delete(base);
    /* member names with a NUL, raw or escaped: C (and the walk) reads them
     * up to it */
    static const char nul_doc[] = "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"replicas\0x\":{},"
                                  "\"rea\\u0000dy\":1,\"ready\\u0000\":\"s\"}}";
    char why[512];
    if (check_diff(nul_doc, sizeof(nul_doc) - 1, why, sizeof(why)) < 0)
        fail_msg("a name with a NUL: %s", why);
    /* and every JSON file of the bad corpus */
    char *dir = xasprintf("%s/tests/data/kube/bad", DIFY_SRCDIR);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!str_ends_with(e->d_name, ".json"))
            continue;
        char *path = xasprintf("%s/%s", dir, e->d_name), *text;
        size_t len;
        struct error err;
        assert_int_equal(file_read_all(path, 1 << 20, &text, &len, &err), 0);
        if (check_diff(text, len, why, sizeof(why)) < 0)
            fail_msg("%s: %s", e->d_name, why);
        docs++;
        free(text);
        free(path);
    }
    closedir(d);
    free(dir);
    print_message("# %d documents\n", docs);
    assert_true(docs > 1000);
}

/* The skipper's fast path (skip_fast) against the exact reader of left-out
 * members: where the fast one is sure, the exact one accepts and ends at the
 * same byte; whatever the exact one refuses, the fast one is not sure of
 * (then the parser asks the exact one). And in a whole document, leaving
 * managedFields out gives the same answer and error place as keeping them.
 * Over a managedFields of a real pod, values of every kind, and thousands of
 * mutations of them (bytes replaced by JSON's own, deleted, the text cut). */
static int skip_pair(const char *text, size_t len, int *fast_sure)
{
    char *a = xmalloc(len + 1), *b = xmalloc(len + 1);
    memcpy(a, text, len);
    memcpy(b, text, len);
    a[len] = b[len] = '\0';
    long fast = kube_jparse_skip_for_test(a, len, true);
    long exact = kube_jparse_skip_for_test(b, len, false);
    free(a);
    free(b);
    if (fast >= 0) {
        (*fast_sure)++;
        if (fast != exact)
            fail_msg("fast %ld, exact %ld: %.*s", fast, exact, (int)len, text);
    }
    /* the same document with the value as metadata.managedFields */
    char *doc = xasprintf("{\"metadata\":{\"name\":\"p\",\"managedFields\":%.*s,\"uid\":\"u\"}}",
                          (int)len, text);
    size_t dl = strlen(doc), at_all = 0, at_left = 0;
    cJSON *all = kube_jparse_opts(doc, dl, 0, &at_all);
    cJSON *left = kube_jparse_opts(doc, dl, KUBE_JPARSE_NO_MANAGED_FIELDS, &at_left);
    if (!all != !left || (!all && at_all != at_left))
        fail_msg("kept %s at %zu, left out %s at %zu: %s", all ? "ok" : "refused", at_all,
                 left ? "ok" : "refused", at_left, doc);
    kube_jparse_free(all);
    kube_jparse_free(left);
    free(doc);
    return 0;
}

static void test_skip_fast(void **state)
{
    static const char *const values[] = {
        "[{\"manager\":\"dify-sim-scenario\",\"operation\":\"Update\",\"apiVersion\":\"v1\","
        "\"time\":\"2026-12-07T16:15:06Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:spec\":"
        "{\"f:tolerations\":{},\"f:priority\":{},\"f:containers\":{\"k:{\\\"name\\\":\\\"main\\\"}"
        "\":"
        "{\".\":{},\"f:resources\":{},\"f:image\":{}}}},\"f:metadata\":{\"f:labels\":{\"f:app\":{}}"
        "}}}"
        ",{\"manager\":\"kubelet\",\"subresource\":\"status\",\"fieldsV1\":{\"f:status\":{\"f:"
        "conditions\":{\"k:{\\\"type\\\":\\\"Ready\\\"}\":{\".\":{}}}}}}]",
        " [ 1 , -2.5e3 , true , false , null , \"s\\n\\t\\/\\\\\\\"\" , { \"a\" : [ ] } ] ",
        "{\"u\":\"\\u00e9\\ud83d\\ude00\"}",
        "\"\\ud800\"",
        "0",
        "-0.5E+7",
        "{}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]"
        "]]]]"
        "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "\"0123456789abcdef0123456789abcdef\\\"0123456789abcdef\"",
        "{\"a\":\"x\"\"b\"}",
        "[1,,2]",
        "{\"a\":01}",
        "\"\\q\"",
    };
    static const char swaps[] = "{}[]\",:\\ \nutfn0-.eE1a";
    int fast_sure = 0, cases = 0;
    uint32_t seed = 12345;
    for (size_t v = 0; v < ARRAY_LEN(values); v++) {
        const char *text = values[v];
        size_t len = strlen(text);
        skip_pair(text, len, &fast_sure), cases++;
        char *m = xmalloc(len + 2);
        for (size_t cut = 0; cut < len; cut++) /* every prefix */
            skip_pair(text, cut, &fast_sure), cases++;
        for (int k = 0; k < 600; k++) {
            memcpy(m, text, len + 1);
            size_t ml = len;
            for (int edits = 1 + k % 3; edits > 0 && ml > 0; edits--) {
                seed = seed * 1103515245u + 12345u;
                size_t at = (seed >> 8) % ml;
                if ((seed >> 4) % 4 == 0) { /* delete a byte */
                    memmove(m + at, m + at + 1, ml - at);
                    ml--;
                } else {
                    m[at] = swaps[(seed >> 16) % (sizeof(swaps) - 1)];
                }
            }
            skip_pair(m, ml, &fast_sure), cases++;
        }
        free(m);
    }
    print_message("# %d values, the fast path sure of %d\n", cases, fast_sure);
    assert_true(fast_sure > cases / 20);
}

/* Times of the usual 20-byte form, checked a word at a time while parsing
 * (time20_ok), against the walk's kube_check_time_ok: every field at and
 * around its bounds, and each byte replaced by a neighbour of a digit or of
 * a separator. */
static void test_times(void **state)
{
    static const char *const years[] = {"0000", "1969", "1970", "1971", "1999",
                                        "2026", "9999", "197:", "19/0"};
    static const char *const twos[] = {"00", "01", "09", "10", "12", "13", "19", "20",
                                       "23", "24", "29", "30", "31", "32", "39", "59",
                                       "60", "61", "99", "0:", "/9", "1a"};
    char t[21], doc[160], why[512];
    int n = 0;
    for (size_t y = 0; y < ARRAY_LEN(years); y++)
        for (size_t f = 0; f < 5; f++) /* month, day, hour, minute, second */
            for (size_t v = 0; v < ARRAY_LEN(twos); v++) {
                const char *mo = f == 0 ? twos[v] : "06", *d = f == 1 ? twos[v] : "15";
                const char *h = f == 2 ? twos[v] : "12", *mi = f == 3 ? twos[v] : "30";
                const char *sec = f == 4 ? twos[v] : "45";
                snprintf(t, sizeof(t), "%s-%s-%sT%s:%s:%sZ", years[y], mo, d, h, mi, sec);
                snprintf(doc, sizeof(doc),
                         "{\"metadata\":{\"name\":\"p\",\"creationTimestamp\":\"%s\"}}", t);
                if (check_diff(doc, strlen(doc), why, sizeof(why)) < 0)
                    fail_msg("%s: %s", t, why);
                n++;
            }
    static const char swaps[] = "/0:9@-TZtz. +";
    for (size_t i = 0; i < 20; i++)
        for (size_t k = 0; k < sizeof(swaps) - 1; k++) {
            memcpy(t, "2026-12-07T13:16:01Z", 21);
            t[i] = swaps[k];
            snprintf(doc, sizeof(doc),
                     "{\"metadata\":{\"name\":\"p\",\"creationTimestamp\":\"%s\"}}", t);
            if (check_diff(doc, strlen(doc), why, sizeof(why)) < 0)
                fail_msg("%s: %s", t, why);
            n++;
        }
    print_message("# %d times\n", n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_tree),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_big),
        cmocka_unit_test(test_no_managed_fields),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_string_lengths),
        cmocka_unit_test(test_in_place),
        cmocka_unit_test(test_kj_paths),
        cmocka_unit_test(test_list_items),
        cmocka_unit_test(test_check_while_parsing),
        cmocka_unit_test(test_skip_fast),
        cmocka_unit_test(test_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
