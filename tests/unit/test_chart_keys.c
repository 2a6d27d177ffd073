/* tests/unit/test_chart_keys.c: the chart key tables and what render writes
 * against them: every fixture case renders for every supported chart version
 * of its line with only keys that version reads (render_values refuses any
 * other), the keys that differ between versions land where each version
 * reads them, and a chart version without a table is refused up front. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/chart_keys.h"
#include "core/error.h"
#include "core/render.h"
#include "core/util.h"
#include "core/validate.h"
#include "core/yamldoc.h"
#include "tests/render_fixture.h"

#define DATADIR DIFY_SRCDIR "/tests/data/render"

static void test_tables_well_formed(void **state)
{
    (void)state;
    assert_true(chart_keys_ntables >= 2);
    unsigned every = 0;
    for (size_t i = 0; i < chart_keys_nall; i++) {
        if (i > 0 && strcmp(chart_keys_all[i - 1].key, chart_keys_all[i].key) >= 0)
            fail_msg("%s before %s (not sorted or repeated)", chart_keys_all[i - 1].key,
                     chart_keys_all[i].key);
        if (chart_keys_all[i].versions == 0)
            fail_msg("%s: read by no version", chart_keys_all[i].key);
    }
    for (size_t t = 0; t < chart_keys_ntables; t++) {
        const struct chart_keys *ck = &chart_keys_tables[t];
        assert_true(ck->n > 100);
        assert_false(str_empty(ck->source));
        /* one bit a version, and n is what the shared table holds for it */
        assert_int_equal(ck->bit & (ck->bit - 1), 0);
        assert_int_equal(every & ck->bit, 0);
        every |= ck->bit;
        size_t n = 0;
        for (size_t i = 0; i < chart_keys_nall; i++)
            n += (chart_keys_all[i].versions & ck->bit) != 0;
        assert_int_equal(n, ck->n);
        assert_ptr_equal(chart_keys_find(ck->line, ck->version), ck);
    }
    assert_null(chart_keys_find(DIFY_LINE_COMMUNITY, "0.1.0"));
    assert_null(chart_keys_find(DIFY_LINE_ENTERPRISE, "0.37.0"));
}

static void test_reads(void **state)
{
    (void)state;
    const struct chart_keys *ck = chart_keys_find(DIFY_LINE_COMMUNITY, "0.37.0");
    assert_non_null(ck);
    assert_true(chart_keys_reads(ck, "externalPostgres.address"));
    assert_true(chart_keys_reads(ck, "api.extraEnv[].name"));      /* read whole */
    assert_true(chart_keys_reads(ck, "api.resources.limits.cpu")); /* read whole */
    assert_true(chart_keys_reads(ck, "ingress.annotations"));      /* empty map */
    assert_false(chart_keys_reads(ck, "externalPostgres.adress"));
    assert_false(chart_keys_reads(ck, "api.secretKey"));
    assert_false(chart_keys_reads(ck, "api.auth.internalApiKey")); /* 0.38 only */

    /* A misspelt key is reported by its path. */
    cJSON *doc = cJSON_Parse("{\"api\":{\"replicas\":2,\"replicsa\":1},\"global\":{}}");
    char *bad = chart_keys_unread(ck, doc);
    assert_non_null(bad);
    assert_string_equal(bad, "api.replicsa");
    free(bad);
    cJSON_Delete(doc);
    doc = cJSON_Parse("{\"api\":{\"extraEnv\":[{\"name\":\"A\",\"value\":\"b\"}]}}");
    assert_null(chart_keys_unread(ck, doc));
    cJSON_Delete(doc);
}

static const struct rendered_file *find(const struct rendered *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0)
            return &r->v[i];
    return NULL;
}

/* The scalar at a dotted path of a YAML file, NULL when absent; "(node)"
 * for a map or list there. */
static char *value_at(const struct rendered *r, const char *file, const char *path)
{
    const struct rendered_file *f = find(r, file);
    if (!f)
        return NULL;
    struct ynode *doc;
    struct error err;
    error_clear(&err);
    if (yamldoc_parse(f->name, f->data, f->len, &doc, &err))
        fail_msg("%s: %s", file, err.msg);
    const struct ynode *n = doc, *parent = NULL;
    char *copy = xstrdup(path), *save = NULL, *last = NULL;
    for (char *k = strtok_r(copy, ".", &save); k && n; k = strtok_r(NULL, ".", &save)) {
        parent = n;
        last = k;
        n = ynode_get(n, k);
    }
    char *out = NULL;
    if (n) {
        const char *v = ynode_get_str(parent, last);
        out = xstrdup(v ? v : "(node)");
    }
    free(copy);
    yamldoc_free(doc);
    return out;
}

/* Every helm case of the fixture, for every chart version of its line. */
static void test_every_version_renders(void **state)
{
    (void)state;
    for (size_t c = 0; c < render_ncases; c++) {
        for (size_t t = 0; t < chart_keys_ntables; t++) {
            struct profile p;
            struct secrets s;
            struct rendered r = {0};
            struct error err;
            error_clear(&err);
            render_case_build(&render_cases[c], DATADIR, &p);
            const struct chart_keys *ck = &chart_keys_tables[t];
            enum dify_line line =
                p.edition == EDITION_ENTERPRISE ? DIFY_LINE_ENTERPRISE : DIFY_LINE_COMMUNITY;
            if (p.method != METHOD_HELM || ck->line != line) {
                profile_done(&p);
                continue;
            }
            str_replace(&p.helm.version, ck->version);
            render_fixture_secrets(&s);
            if (render_profile(&p, &s, &r, &err))
                fail_msg("%s with chart %s: %s", render_cases[c].name, ck->version, err.msg);

            char *inner_api = value_at(&r, "values-secrets.yaml", "api.auth.internalApiKey");
            char *inner_pd = value_at(&r, "values-secrets.yaml", "pluginDaemon.auth.difyApiKey");
            char *inner_ee = value_at(&r, "values-secrets.yaml", "global.innerApiKey");
            char *trigger = value_at(&r, "values.yaml", "global.triggerDomain");
            char *host0 = value_at(&r, "values.yaml", "ingress.hosts");
            if (line == DIFY_LINE_COMMUNITY) {
                /* The inner API key, where this version reads it. */
                const char *want =
                    chart_keys_reads(ck, "api.auth.internalApiKey") ? inner_api : inner_pd;
                assert_non_null(want);
                assert_string_equal(want, s.inner_api_key);
            } else {
                assert_non_null(inner_ee);
                assert_string_equal(inner_ee, s.inner_api_key);
                char *ent = value_at(&r, "values-secrets.yaml", "enterprise.appSecretKey");
                char *salt =
                    value_at(&r, "values-secrets.yaml", "enterprise.adminAPIsSecretKeySalt");
                char *dom = value_at(&r, "values.yaml", "global.enterpriseDomain");
                assert_non_null(ent);
                assert_string_equal(ent, s.enterprise_secret_key);
                assert_non_null(salt);
                assert_non_null(dom);
                free(ent);
                free(salt);
                free(dom);
                /* No ingress.hosts on EE; a trigger domain only from 3.7. */
                assert_null(host0);
                assert_true((trigger != NULL) == (strcmp(ck->version, "3.7") > 0));
            }
            free(inner_api);
            free(inner_pd);
            free(inner_ee);
            free(trigger);
            free(host0);
            rendered_done(&r);
            secrets_done(&s);
            profile_done(&p);
        }
    }
}

static void test_unknown_version_refused(void **state)
{
    (void)state;
    struct profile p;
    struct secrets s;
    struct rendered r = {0};
    struct error err;
    struct problems ps;
    error_clear(&err);
    profile_init(&p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    str_replace(&p.helm.version, "0.30.0");
    render_fixture_secrets(&s);
    assert_int_not_equal(render_profile(&p, &s, &r, &err), 0);
    assert_non_null(strstr(err.msg, "0.37.0"));
    problems_init(&ps);
    profile_validate(&p, &s, &ps);
    bool found = false;
    for (size_t i = 0; i < ps.n; i++)
        if (!ps.v[i].warning && str_eq(ps.v[i].path, "helm.version"))
            found = true;
    assert_true(found);
    problems_done(&ps);
    rendered_done(&r);
    secrets_done(&s);
    profile_done(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_well_formed),
        cmocka_unit_test(test_reads),
        cmocka_unit_test(test_every_version_renders),
        cmocka_unit_test(test_unknown_version_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
