/* tests/unit/kube_check_diff.h: the type check the client's parser does as
 * it reads (an object marked KUBE_CHECK_OK) against the reference walk of
 * kube_obj_check over the same document parsed by libcjson. For every object
 * of the document: the same result and the same message from both trees; an
 * object the parser marked clean is one the walk finds clean; and the
 * objects the store checks (the root, the items of its "items", its
 * "object") are marked whenever the walk finds them clean, so the fast path
 * is taken. Shared by tests/unit/test_kube_jparse.c and the fuzz harness. */
#ifndef TESTS_UNIT_KUBE_CHECK_DIFF_H
#define TESTS_UNIT_KUBE_CHECK_DIFF_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_check.h"
#include "core/kube_jparse.h"
#include "core/kube_keys.h"

/* a: libcjson's node, b: the client parser's; store: an object the store
 * would check. 0, or -1 with what differs in why. */
static int check_diff_node(const cJSON *a, const cJSON *b, bool store, char *why, size_t len)
{
    if ((a->type & 0xFF) != (b->type & 0xFF) || !a->string != !b->string ||
        (a->string && strcmp(a->string, b->string) != 0)) {
        snprintf(why, len, "the trees differ at \"%s\"", a->string ? a->string : "(item)");
        return -1;
    }
    if ((a->type & 0xFF) == cJSON_Object) {
        struct error ea, eb;
        error_clear(&ea);
        error_clear(&eb);
        int ra = kube_obj_check(a, "pod", &ea), rb = kube_obj_check(b, "pod", &eb);
        if (ra != rb || strcmp(ea.msg, eb.msg) != 0) {
            snprintf(why, len, "walks differ: \"%.200s\" against \"%.200s\"", ea.msg, eb.msg);
            return -1;
        }
        if ((b->type & KUBE_CHECK_OK) && ra < 0) {
            snprintf(why, len, "marked clean, but the walk says: %.300s", ea.msg);
            return -1;
        }
        if (store && ra == 0 && !(b->type & KUBE_CHECK_OK)) {
            snprintf(why, len, "clean but not marked (\"%s\")", a->string ? a->string : "(item)");
            return -1;
        }
    }
    const cJSON *ca = a->child, *cb = b->child;
    for (; ca && cb; ca = ca->next, cb = cb->next)
        if (check_diff_node(ca, cb, false, why, len) < 0)
            return -1;
    if (ca || cb) {
        snprintf(why, len, "the trees differ in length");
        return -1;
    }
    return 0;
}

/* The document text both ways; 0 when consistent (or not JSON to both). */
static int check_diff(const char *text, size_t len, char *why, size_t whylen)
{
    cJSON *a = cJSON_ParseWithLength(text, len);
    cJSON *b = kube_jparse(text, len, NULL);
    int rc = 0;
    if (a && b) {
        rc = check_diff_node(a, b, true, why, whylen);
        /* the items and the watch event's object, as the store is given them */
        const cJSON *ia = cJSON_IsObject(a) ? a->child : NULL;
        const cJSON *ib = cJSON_IsObject(b) ? b->child : NULL;
        for (; rc == 0 && ia && ib; ia = ia->next, ib = ib->next) {
            if (!strcmp(ia->string, "object"))
                rc = check_diff_node(ia, ib, true, why, whylen);
            if (strcmp(ia->string, "items") != 0 || !cJSON_IsArray(ia))
                continue;
            const cJSON *xa = ia->child, *xb = ib->child;
            for (; rc == 0 && xa && xb; xa = xa->next, xb = xb->next)
                rc = check_diff_node(xa, xb, true, why, whylen);
        }
    }
    cJSON_Delete(a);
    kube_jparse_free(b);
    return rc;
}

#endif
