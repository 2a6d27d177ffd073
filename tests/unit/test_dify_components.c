/* tests/unit/test_dify_components.c: finding Dify components by the labels
 * of every supported layout and by image, and leaving everything else as
 * "other" (core/dify_components.h). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <string.h>

#include "core/dify_components.h"
#include "core/kube_store.h"
#include "core/util.h"

static enum dify_comp of_json(const char *json, enum dify_match *how)
{
    cJSON *j = cJSON_Parse(json);
    assert_non_null(j);
    enum dify_comp c = dify_comp_of_json(j, how);
    cJSON_Delete(j);
    return c;
}

/* Each layout's labels (docs/dashboard.md's table). */
static void test_layouts(void **state)
{
    enum dify_match how;
    /* the community chart and the built-in manifests: component= */
    assert_int_equal(of_json("{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{"
                             "\"name\":\"x\",\"labels\":{\"app.kubernetes.io/name\":\"dify\","
                             "\"component\":\"plugin-daemon\"}}}",
                             &how),
                     DIFY_COMP_PLUGIN_DAEMON);
    assert_int_equal(how, DIFY_MATCH_LABEL);
    /* douban: app.kubernetes.io/component=, with its own names */
    assert_int_equal(of_json("{\"metadata\":{\"labels\":{\"app.kubernetes.io/component\":"
                             "\"frontend\"}}}",
                             &how),
                     DIFY_COMP_WEB);
    assert_int_equal(of_json("{\"metadata\":{\"labels\":{\"app.kubernetes.io/component\":"
                             "\"worker-beat\"}}}",
                             NULL),
                     DIFY_COMP_BEAT);
    /* hand-written manifests: app=dify-api */
    assert_int_equal(of_json("{\"metadata\":{\"labels\":{\"app\":\"dify-plugin-daemon\"}}}", NULL),
                     DIFY_COMP_PLUGIN_DAEMON);
    /* the migration Job (DECISIONS 5) */
    assert_int_equal(of_json("{\"kind\":\"Job\",\"apiVersion\":\"batch/v1\",\"metadata\":{"
                             "\"labels\":{\"app.kubernetes.io/component\":\"db-migration\"}}}",
                             NULL),
                     DIFY_COMP_MIGRATION);
    /* the order: app.kubernetes.io/component before component before app */
    assert_int_equal(of_json("{\"metadata\":{\"labels\":{\"app\":\"dify-web\",\"component\":"
                             "\"worker\",\"app.kubernetes.io/component\":\"sandbox\"}}}",
                             NULL),
                     DIFY_COMP_SANDBOX);
    /* a value nobody knows is passed over: the next label decides */
    assert_int_equal(of_json("{\"metadata\":{\"labels\":{\"app.kubernetes.io/component\":"
                             "\"primary\",\"app\":\"dify-api\"}}}",
                             NULL),
                     DIFY_COMP_API);
    /* labels on the pod template only */
    assert_int_equal(
        of_json("{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"spec\":{"
                "\"template\":{\"metadata\":{\"labels\":{\"component\":\"ssrf_proxy\"}}"
                "}}}",
                NULL),
        DIFY_COMP_SSRF_PROXY);
}

/* By image when no label says: the enterprise chart, bitnami's data stores,
 * the api image's roles by kind and name. */
static void test_images(void **state)
{
    enum dify_match how;
    assert_int_equal(
        of_json("{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":"
                "\"dify-ee-worker\"},\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":"
                "\"registry.example.com:5000/langgenius/dify-ee-api:3.6.0\"}]}}}}",
                &how),
        DIFY_COMP_WORKER);
    assert_int_equal(how, DIFY_MATCH_IMAGE);
    assert_int_equal(
        of_json("{\"kind\":\"Job\",\"apiVersion\":\"batch/v1\",\"metadata\":{\"name\":\"up\"},"
                "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":"
                "\"langgenius/dify-api:1.13.3\"}]}}}}",
                NULL),
        DIFY_COMP_MIGRATION);
    assert_int_equal(
        of_json("{\"kind\":\"StatefulSet\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":"
                "\"dify-postgresql\",\"labels\":{\"app.kubernetes.io/name\":\"postgresql\","
                "\"app.kubernetes.io/component\":\"primary\"}},\"spec\":{\"template\":{\"spec\":{"
                "\"containers\":[{\"image\":\"docker.io/bitnamilegacy/postgresql:15.3.0-debian-11-"
                "r7\"}]}}}}",
                NULL),
        DIFY_COMP_POSTGRES);
    assert_int_equal(dify_comp_of_image("redis:7-alpine"), DIFY_COMP_REDIS);
    assert_int_equal(dify_comp_of_image("semitechnologies/weaviate:1.19.0"), DIFY_COMP_VECTOR);
    assert_int_equal(dify_comp_of_image("langgenius/dify-enterprise:3.6.0"), DIFY_COMP_ENTERPRISE);
    assert_int_equal(dify_comp_of_image("mirror.example.com/dify/langgenius/dify-web:1.9.1"),
                     DIFY_COMP_WEB);
    /* look-alikes are not ours */
    assert_int_equal(dify_comp_of_image("someone/redis:7"), DIFY_COMP_NONE);
    assert_int_equal(dify_comp_of_image("evil/langgenius-dify-api:1"), DIFY_COMP_NONE);
    assert_int_equal(dify_comp_of_image("nginx:latest"), DIFY_COMP_NONE);
    assert_int_equal(dify_comp_of_image(""), DIFY_COMP_NONE);
    /* anything else stays other */
    assert_int_equal(of_json("{\"metadata\":{\"name\":\"grafana\",\"labels\":{\"app\":"
                             "\"grafana\"}},\"spec\":{\"containers\":[{\"image\":\"grafana/"
                             "grafana:10\"}]}}",
                             &how),
                     DIFY_COMP_NONE);
    assert_int_equal(how, DIFY_MATCH_NONE);
    /* wrongly typed fields are no labels and no images */
    assert_int_equal(of_json("{\"metadata\":{\"labels\":{\"component\":7}},\"spec\":{"
                             "\"containers\":[{\"image\":[\"langgenius/dify-api:1\"]}]}}",
                             NULL),
                     DIFY_COMP_NONE);
    assert_int_equal(of_json("{\"metadata\":{\"labels\":[1,2]},\"spec\":{\"containers\":7}}", NULL),
                     DIFY_COMP_NONE);
}

static void test_image_split(void **state)
{
    char repo[128], tag[64];
    dify_image_split("registry.example.com:5000/langgenius/dify-api:1.13.3@sha256:ab", repo,
                     sizeof(repo), tag, sizeof(tag));
    assert_string_equal(repo, "langgenius/dify-api");
    assert_string_equal(tag, "1.13.3");
    dify_image_split("localhost:5000/redis", repo, sizeof(repo), tag, sizeof(tag));
    assert_string_equal(repo, "redis");
    assert_string_equal(tag, "latest");
    dify_image_split("docker.io/library/postgres:15-alpine", repo, sizeof(repo), tag, sizeof(tag));
    assert_string_equal(repo, "postgres");
    assert_string_equal(tag, "15-alpine");
    dify_image_split(NULL, repo, sizeof(repo), tag, sizeof(tag));
    assert_string_equal(repo, "");
}

static void test_labels(void **state)
{
    assert_int_equal(dify_comp_of_label("Plugin_Daemon"), DIFY_COMP_PLUGIN_DAEMON);
    assert_int_equal(dify_comp_of_label("dify-worker-beat"), DIFY_COMP_BEAT);
    assert_int_equal(dify_comp_of_label("dify"), DIFY_COMP_NONE);
    assert_int_equal(dify_comp_of_label(NULL), DIFY_COMP_NONE);
    char huge[4096];
    memset(huge, 'a', sizeof(huge) - 1);
    huge[sizeof(huge) - 1] = '\0';
    assert_int_equal(dify_comp_of_label(huge), DIFY_COMP_NONE);
    for (int c = 0; c < DIFY_COMP_COUNT; c++)
        assert_int_equal(dify_comp_from_key(dify_comp_desc(c)->key), c == 0 ? 0 : c);
    assert_string_equal(dify_comp_desc(DIFY_COMP_COUNT)->key, "other");
}

/* Store objects: the component key and the template's images. */
static void test_store_objects(void **state)
{
    struct kube_store *s = kube_store_new(KUBE_DEPLOYMENT);
    cJSON *j = cJSON_Parse(
        "{\"metadata\":{\"name\":\"dify-worker\",\"namespace\":\"dify\",\"labels\":{\"app\":"
        "\"dify\"}},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"dify\",\"component\":"
        "\"worker\"}},\"template\":{\"spec\":{\"containers\":[{\"name\":\"x\",\"image\":"
        "\"busybox\"},{\"name\":\"w\",\"image\":\"langgenius/dify-api:1.13.3\"}]}}}}");
    assert_int_equal(kube_store_apply(s, NULL, j, NULL), 0);
    cJSON_Delete(j);
    char tag[64];
    enum dify_match how;
    const struct kube_obj *o = kube_store_find(s, "dify", "dify-worker");
    assert_int_equal(dify_comp_of_obj(KUBE_DEPLOYMENT, o, &how, tag, sizeof(tag)),
                     DIFY_COMP_WORKER);
    /* app=dify names no component; the selector's component=worker does */
    assert_int_equal(how, DIFY_MATCH_LABEL);
    assert_string_equal(tag, "1.13.3");
    kube_store_free(s);

    /* labelled only in its pod template (so in its selector), with an
     * image no rule knows: found by the label, not missed */
    s = kube_store_new(KUBE_DEPLOYMENT);
    j = cJSON_Parse("{\"metadata\":{\"name\":\"front\",\"namespace\":\"dify\"},\"spec\":{"
                    "\"selector\":{\"matchLabels\":{\"app.kubernetes.io/component\":\"frontend\"}},"
                    "\"template\":{\"metadata\":{\"labels\":{\"app.kubernetes.io/component\":"
                    "\"frontend\"}},\"spec\":{\"containers\":[{\"name\":\"w\",\"image\":"
                    "\"registry.local/team/custom-web:7\"}]}}}}");
    assert_int_equal(kube_store_apply(s, NULL, j, NULL), 0);
    cJSON_Delete(j);
    o = kube_store_find(s, "dify", "front");
    assert_int_equal(dify_comp_of_obj(KUBE_DEPLOYMENT, o, &how, tag, sizeof(tag)), DIFY_COMP_WEB);
    assert_int_equal(how, DIFY_MATCH_LABEL);
    assert_string_equal(tag, "7");
    kube_store_free(s);

    s = kube_store_new(KUBE_SERVICE);
    j = cJSON_Parse("{\"metadata\":{\"name\":\"d\",\"namespace\":\"dify\"},\"spec\":{\"selector\":{"
                    "\"app.kubernetes.io/instance\":\"dify\",\"component\":\"plugin-daemon\"},"
                    "\"ports\":[{\"port\":5003},{\"port\":5002}]}}");
    assert_int_equal(kube_store_apply(s, NULL, j, NULL), 0);
    cJSON_Delete(j);
    o = kube_store_find(s, "dify", "d");
    assert_int_equal(dify_comp_of_service(o), DIFY_COMP_PLUGIN_DAEMON);
    char port[16];
    dify_service_port(o, DIFY_COMP_PLUGIN_DAEMON, port, sizeof(port));
    assert_string_equal(port, "5002");
    dify_service_port(o, DIFY_COMP_API, port, sizeof(port));
    assert_string_equal(port, "5003");
    kube_store_free(s);

    assert_true(dify_selector_covers("a=1,c=api", "a=1,b=2,c=api"));
    assert_false(dify_selector_covers("a=1,c=web", "a=1,b=2,c=api"));
    assert_false(dify_selector_covers("", "a=1"));
    assert_false(dify_selector_covers("a", "a,b"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layouts),       cmocka_unit_test(test_images),
        cmocka_unit_test(test_image_split),   cmocka_unit_test(test_labels),
        cmocka_unit_test(test_store_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
