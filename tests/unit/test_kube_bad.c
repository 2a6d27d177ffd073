/* tests/unit/test_kube_bad.c: broken kubeconfigs and server replies
 * (tests/data/kube/bad/) through the parsers. Built with AddressSanitizer and
 * UBSan (mk/kube.mk) so that a read past a buffer or a bad shift fails the
 * test even when the output looks right. Each file must give the message
 * tests/data/kube/bad/EXPECT names for it ("OK": accepted without error). */
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
#include "core/kube_client.h"
#include "core/kube_exec.h"
#include "core/kube_json.h"
#include "core/kube_store.h"
#include "core/kubeconfig.h"
#include "core/util.h"

#define BAD DIFY_SRCDIR "/tests/data/kube/bad/"

static void apply_all_kinds(const cJSON *obj, struct error *first)
{
    for (int k = 0; k < KUBE_KIND_COUNT; k++) {
        struct kube_store *s = kube_store_new((enum kube_kind)k);
        struct error e;
        error_clear(&e);
        if (kube_store_apply(s, "ADDED", obj, &e) < 0 && !error_is_set(first))
            *first = e;
        /* and again, then delete: the update and removal paths */
        kube_store_apply(s, "MODIFIED", obj, NULL);
        kube_store_apply(s, "DELETED", obj, NULL);
        kube_store_free(s);
    }
}

static void item_cb(const cJSON *item, void *arg)
{
    apply_all_kinds(item, arg);
}

/* Runs one file through its parser; the message, or "OK". */
static char *run_file(const char *name)
{
    char *path = xasprintf(BAD "%s", name);
    struct error err;
    error_clear(&err);
    char *body = NULL;
    size_t len = 0;
    if (!str_starts_with(name, "kc-") && file_read_all(path, 1 << 24, &body, &len, &err) < 0) {
        free(path);
        return xstrdup(err.msg);
    }
    if (str_starts_with(name, "kc-")) {
        struct kube_config_opts o = {path, NULL, NULL, NULL, NULL};
        struct kube_config *c = NULL;
        if (kubeconfig_load(&o, &c, &err) == 0)
            kube_config_free(c);
    } else if (str_starts_with(name, "list-")) {
        char *cont = NULL, *rv = NULL;
        struct error items;
        error_clear(&items);
        kube_list_parse_page(body, len, "GET /api/v1/pods", item_cb, &items, NULL, &cont, &rv,
                             &err);
        free(cont);
        free(rv);
    } else if (str_starts_with(name, "exec-")) {
        struct kube_cred cred;
        if (kube_exec_parse(body, len, "client.authentication.k8s.io/v1beta1", &cred, &err) == 0) {
            free(cred.token);
            free(cred.cert_pem);
            free(cred.key_pem);
        }
    } else if (str_starts_with(name, "obj-")) {
        cJSON *j = cJSON_ParseWithLength(body, len);
        if (!j)
            error_set(&err, ERR_PARSE, 0, "not JSON");
        else
            apply_all_kinds(j, &err);
        cJSON_Delete(j);
    } else if (str_starts_with(name, "status-")) {
        kube_status_error(&err, "GET", "/api/v1/pods", 502, body, len);
    } else {
        error_set(&err, ERR_INTERNAL, 0, "no parser for this file name");
    }
    free(body);
    free(path);
    return xstrdup(error_is_set(&err) ? err.msg : "OK");
}

static void test_corpus(void **state)
{
    char *expect;
    size_t elen;
    struct error err;
    error_clear(&err);
    assert_int_equal(file_read_all(BAD "EXPECT", 1 << 20, &expect, &elen, &err), 0);
    DIR *d = opendir(BAD);
    assert_non_null(d);
    struct dirent *de;
    int files = 0, failures = 0;
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        if (n[0] == '.' || !strcmp(n, "EXPECT"))
            continue;
        files++;
        char *msg = run_file(n);
        /* EXPECT lines: NAME<TAB>substring */
        char *key = xasprintf("\n%s\t", n);
        char *hay = xasprintf("\n%s", expect);
        const char *at = strstr(hay, key);
        if (!at) {
            printf("# %s: no EXPECT line; message: %s\n", n, msg);
            failures++;
        } else {
            const char *want = at + strlen(key);
            size_t wl = strcspn(want, "\n");
            char *w = xstrndup(want, wl);
            bool ok = !strcmp(w, "OK") ? !strcmp(msg, "OK") : strstr(msg, w) != NULL;
            if (!ok) {
                printf("# %s: message \"%s\" lacks \"%s\"\n", n, msg, w);
                failures++;
            }
            free(w);
        }
        free(key);
        free(hay);
        free(msg);
    }
    closedir(d);
    free(expect);
    assert_true(files >= 20);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_corpus)};
    return cmocka_run_group_tests_name("kube_bad", tests, NULL, NULL);
}
