/* tests/unit/test_manifests.c: rendered manifests as objects. Documents
 * split at "---" lines (comments and empty documents skipped), each one's
 * kind, resource, namespace, name and component read, cluster-scoped kinds
 * without a namespace, unknown kinds and nameless documents refused with
 * the file and line; @@placeholders@@ filled, an unknown one named. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kube_kinds.h"
#include "core/manifests.h"
#include "core/util.h"

static void test_split_and_identify(void **state)
{
    (void)state;
    const char *text = "# rendered by dify-tui\n"
                       "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dify\n"
                       "---\n# nothing here\n---\n"
                       "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dify-api\n"
                       "  namespace: dify\n  labels:\n    component: api\nspec:\n  replicas: 1\n"
                       "--- # a comment after the separator\n"
                       "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: m\n  namespace: dify\n"
                       "  labels:\n    app.kubernetes.io/component: db-migration\n"
                       "    component: other\n";
    struct manifests m = {0};
    struct error err = {0};
    assert_int_equal(manifests_parse("x/30-app.yaml", text, &m, &err), 0);
    assert_int_equal(m.n, 3);
    assert_string_equal(m.v[0].kind, "Namespace");
    assert_string_equal(m.v[0].ns, "");
    assert_string_equal(m.v[1].res->plural, "deployments");
    assert_string_equal(m.v[1].ns, "dify");
    assert_string_equal(m.v[1].component, "api");
    assert_string_equal(m.v[1].file, "30-app.yaml");
    assert_non_null(strstr(m.v[1].text, "replicas: 1"));
    assert_null(strstr(m.v[1].text, "kind: Job"));
    assert_string_equal(m.v[2].component, "db-migration");
    char *what = manifest_obj_what(&m.v[1]);
    assert_string_equal(what, "Deployment dify/dify-api");
    free(what);
    manifests_done(&m);
}

static void test_bad_documents(void **state)
{
    (void)state;
    struct manifests m = {0};
    struct error err = {0};
    assert_int_equal(manifests_parse("a.yaml",
                                     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"
                                     "---\napiVersion: v9\nkind: Gadget\nmetadata:\n"
                                     "  name: g\n",
                                     &m, &err),
                     -1);
    assert_string_equal(err.msg, "a.yaml:6: v9 Gadget: a kind dify-tui cannot apply");
    manifests_done(&m);
    error_clear(&err);
    assert_int_equal(manifests_parse("b.yaml", "apiVersion: v1\nkind: Secret\n", &m, &err), -1);
    assert_string_equal(err.msg, "b.yaml:1: a document without apiVersion, kind or metadata.name");
    manifests_done(&m);
}

static const char *lookup(const char *name, void *arg)
{
    return strcmp(name, "db_endpoint") == 0 ? "db.cluster.example.com" : NULL;
}

static void test_fill(void **state)
{
    (void)state;
    char *out = NULL;
    struct error err = {0};
    assert_int_equal(
        manifests_fill("host: @@db_endpoint@@ # a@@b and @@ alone", lookup, NULL, &out, &err), 0);
    assert_string_equal(out, "host: db.cluster.example.com # a@@b and @@ alone");
    free(out);
    assert_int_equal(manifests_fill("arn: @@aws_account_id@@", lookup, NULL, &out, &err), -1);
    assert_string_equal(out, "arn: @@aws_account_id@@");
    assert_non_null(strstr(err.msg, "@@aws_account_id@@ has no value"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_and_identify),
        cmocka_unit_test(test_bad_documents),
        cmocka_unit_test(test_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
