/* tests/unit/status_fixture.c: see status_fixture.h. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/kube_client.h"
#include "core/kube_json.h"
#include "core/kubeconfig.h"
#include "core/status.h"
#include "core/util.h"
#include "tests/unit/status_fixture.h"

static long long fixed_now(void)
{
    return FIXTURE_NOW;
}

static void apply_one(struct status *m, const char *type, const cJSON *item)
{
    status_apply(m, type, item);
}

void status_fixture_apply(struct status *m, const char *type, const char *json)
{
    cJSON *j = cJSON_Parse(json);
    if (!j) {
        fprintf(stderr, "status_fixture: not JSON: %s\n", json);
        abort();
    }
    apply_one(m, type, j);
    cJSON_Delete(j);
}

struct kube_client *status_fixture_dead_client(struct loop *l)
{
    struct kube_config *cfg = xcalloc(1, sizeof(*cfg));
    cfg->files = xstrdup("test");
    cfg->context_file = xstrdup("test");
    cfg->context = xstrdup("test");
    cfg->cluster = xstrdup("test");
    cfg->user = xstrdup("test");
    cfg->ns = xstrdup("dify");
    cfg->server = xstrdup("http://127.0.0.1:9");
    cfg->token = xstrdup("tok");
    cfg->user_desc = xstrdup("test");
    return kube_client_new(l, cfg);
}

struct status *status_fixture(const char *name)
{
    return status_fixture_client(name, NULL, NULL);
}

struct status *status_fixture_client(const char *name, struct loop *l, struct kube_client *c)
{
    struct status_opts o = {.ns = "dify", .probe_ms = -1, .now = fixed_now};
    struct status *m = status_new(l, c, &o);
    char *path = xasprintf("%s/tests/data/dashboard/%s", DIFY_SRCDIR, name);
    char *data;
    size_t len;
    struct error err;
    if (file_read_all(path, 16 << 20, &data, &len, &err) < 0) {
        fprintf(stderr, "status_fixture: %s\n", err.msg);
        abort();
    }
    cJSON *doc = cJSON_ParseWithLength(data, len);
    const cJSON *item;
    cJSON_ArrayForEach(item, kj_get(doc, "items"))
    {
        apply_one(m, NULL, item);
    }
    cJSON_Delete(doc);
    free(data);
    free(path);
    status_flush(m);
    return m;
}
