/* tests/fuzz/fuzz_kube.c: a libFuzzer harness over the client's parsers.
 * The first byte picks the parser: kubeconfig, list page (objects into a
 * store of every kind), ExecCredential, Status body, watch stream lines, or
 * the client's JSON parser against libcjson (whatever it accepts, libcjson
 * accepts too and prints the same; with managedFields left out, the rest
 * is the same; read item by item, the same items and rest), or the type
 * check it does while parsing against kube_obj_check's walk
 * (tests/unit/kube_check_diff.h).
 * Build and run: make fuzz-kube && tests/unit/test_kube_fuzz -max_total_time=60
 * tests/data/kube/bad (not part of make check; needs clang). */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_exec.h"
#include "core/kube_jparse.h"
#include "core/kube_json.h"
#include "core/kube_store.h"
#include "core/kube_watch.h"
#include "core/kubeconfig.h"
#include "core/util.h"
#include "tests/unit/kube_check_diff.h"

/* Every object into a store of every kind, and every column of its kind's
 * table (the kubectl printer) made from what the store kept. */
static void apply_all(const cJSON *obj)
{
    for (int k = 0; k < KUBE_KIND_COUNT; k++) {
        struct kube_store *s = kube_store_new((enum kube_kind)k);
        kube_store_apply(s, "ADDED", obj, NULL);
        kube_store_apply(s, "MODIFIED", obj, NULL);
        const struct kube_resource *r = kube_resource_get((enum kube_kind)k);
        struct kube_table t = {0};
        kube_table_heading(&t, r, true, true);
        for (size_t i = 0; i < kube_store_count(s); i++)
            kube_table_row(&t, r, kube_store_at(s, i), true, true, 1767225600LL);
        struct strbuf sb;
        strbuf_init(&sb);
        kube_table_render(&t, &sb);
        strbuf_done(&sb);
        kube_store_relist_begin(s);
        kube_store_relist_end(s);
        kube_store_free(s);
    }
}

static void item_cb(const cJSON *item, void *arg)
{
    apply_all(item);
}

static int line_cb(const char *line, size_t len, void *arg)
{
    cJSON *j = kube_jparse_opts(line, len, KUBE_JPARSE_NO_MANAGED_FIELDS, NULL);
    const cJSON *o = kj_get(j, "object");
    if (cJSON_IsObject(o))
        apply_all(o);
    kube_jparse_free(j);
    return 0;
}

/* Drops every metadata.managedFields of a libcjson tree. */
static void drop_managed(cJSON *j)
{
    for (cJSON *c = j ? j->child : NULL; c; c = c->next) {
        if (c->string && !strcmp(c->string, "metadata") && cJSON_IsObject(c))
            cJSON_DeleteItemFromObjectCaseSensitive(c, "managedFields");
        drop_managed(c);
    }
}

/* Each item kube_jparse_list hands over, printed, one after the other. */
static void collect_item(const cJSON *item, void *arg)
{
    char *p = cJSON_PrintUnformatted(item);
    if (!p)
        abort();
    strbuf_adds(arg, p);
    strbuf_addc(arg, '\n');
    free(p);
}

/* kube_jparse_list against the whole tree (ref, libcjson's): the same
 * acceptance, the container items of the root's first "items" handed over in
 * order, and the rest of the tree the same. */
static void differential_list(const char *text, size_t len, unsigned flags, cJSON *ref)
{
    struct strbuf got, want;
    strbuf_init(&got);
    strbuf_init(&want);
    cJSON *rest = kube_jparse_list(text, len, flags, collect_item, &got, NULL);
    if (!rest != !ref)
        abort(); /* accepted what the whole parse refuses, or the other way */
    cJSON *items = cJSON_IsObject(ref) ? cJSON_GetObjectItemCaseSensitive(ref, "items") : NULL;
    if (cJSON_IsArray(items)) {
        cJSON *it = items->child;
        while (it) {
            cJSON *next = it->next;
            if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
                collect_item(it, &want);
                cJSON_Delete(cJSON_DetachItemViaPointer(items, it));
            }
            it = next;
        }
    }
    /* (a text that is not JSON may have handed over the items before its
     * error: kube_jparse.h) */
    if (rest && strcmp(got.buf, want.buf) != 0)
        abort(); /* other items */
    if (rest) {
        char *a = cJSON_PrintUnformatted(rest), *b = cJSON_PrintUnformatted(ref);
        if (!a || !b || strcmp(a, b) != 0)
            abort(); /* a different rest */
        free(a);
        free(b);
    }
    kube_jparse_free(rest);
    strbuf_done(&got);
    strbuf_done(&want);
}

static void differential(const char *text, size_t len, unsigned flags)
{
    /* leaving managedFields out reads them as JSON all the same: the same
     * acceptance and the same place of an error */
    size_t at_all = 0, at_left = 0;
    cJSON *all = kube_jparse_opts(text, len, 0, &at_all);
    cJSON *left = kube_jparse_opts(text, len, KUBE_JPARSE_NO_MANAGED_FIELDS, &at_left);
    if (!all != !left || (!all && at_all != at_left))
        abort();
    kube_jparse_free(all);
    kube_jparse_free(left);
    /* the skipper's fast path, where it is sure, ends where its exact
     * reader does (kube_jparse.c skip_fast) */
    char *fa = malloc(len + 1), *ex = malloc(len + 1);
    if (!fa || !ex)
        abort();
    memcpy(fa, text, len);
    memcpy(ex, text, len);
    fa[len] = ex[len] = '\0';
    long fast = kube_jparse_skip_for_test(fa, len, true);
    if (fast >= 0 && fast != kube_jparse_skip_for_test(ex, len, false))
        abort();
    free(fa);
    free(ex);
    cJSON *mine = kube_jparse_opts(text, len, flags, NULL);
    if (!mine) {
        differential_list(text, len, flags, NULL);
        return;
    }
    /* libcjson 1.7.15 refuses a number that ends the text after a UTF-8
     * BOM ("\xEF\xBB\xBF5"; it takes "5", a BOM before anything else and
     * "5 "): the reference reads the text after the BOM */
    size_t bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    cJSON *ref = cJSON_ParseWithLength(text + bom, len - bom);
    if (!ref)
        abort(); /* accepted what libcjson refuses */
    if (flags & KUBE_JPARSE_NO_MANAGED_FIELDS)
        drop_managed(ref);
    char *a = cJSON_PrintUnformatted(mine), *b = cJSON_PrintUnformatted(ref);
    if (!a || !b || strcmp(a, b) != 0)
        abort(); /* a different tree */
    free(a);
    free(b);
    differential_list(text, len, flags, ref);
    cJSON_Delete(ref);
    kube_jparse_free(mine);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned which = data[0] % 7;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    struct error err;
    error_clear(&err);
    switch (which) {
    case 0: {
        static char path[64];
        if (!path[0])
            snprintf(path, sizeof(path), "/tmp/fuzz-kube-%d.yaml", (int)getpid());
        FILE *f = fopen(path, "w");
        if (!f)
            return 0;
        fwrite(text, 1, len, f);
        fclose(f);
        struct kube_config_opts o = {path, NULL, NULL, NULL, NULL};
        struct kube_config *c = NULL;
        if (kubeconfig_load(&o, &c, &err) == 0)
            kube_config_free(c);
        break;
    }
    case 1: {
        char *cont, *rv;
        if (kube_list_parse_page(text, len, "GET /x", item_cb, NULL, NULL, &cont, &rv, &err) == 0) {
            free(cont);
            free(rv);
        }
        break;
    }
    case 2: {
        struct kube_cred cred;
        if (kube_exec_parse(text, len, "client.authentication.k8s.io/v1", &cred, &err) == 0) {
            free(cred.token);
            free(cred.cert_pem);
            free(cred.key_pem);
        }
        break;
    }
    case 3:
        kube_status_error(&err, "GET", "/x", 500, text, len);
        break;
    case 4: {
        struct kube_lines l;
        kube_lines_init(&l, 1 << 16);
        /* feed in two pieces to exercise the carry-over */
        size_t half = len / 2;
        if (kube_lines_feed(&l, text, half, line_cb, NULL) == 0)
            kube_lines_feed(&l, text + half, len - half, line_cb, NULL);
        kube_lines_done(&l);
        break;
    }
    case 5:
        differential(text, len, data[0] & 0x80 ? KUBE_JPARSE_NO_MANAGED_FIELDS : 0);
        break;
    case 6: {
        /* the type check done while parsing against the walk */
        char why[512];
        if (check_diff(text, len, why, sizeof(why)) < 0) {
            fprintf(stderr, "%s\n", why);
            abort();
        }
        break;
    }
    }
    return 0;
}
