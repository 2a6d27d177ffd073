/* tests/unit/test_dify_versions.c: the table of Dify image sets is well
 * formed, its lookups answer as documented, every rendering takes all its
 * Dify images from one row, and the renderer's checks (core/render_check.c)
 * warn on a mixed set, a long release and volumes no class can provide. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/dify_versions.h"
#include "core/error.h"
#include "core/render.h"
#include "core/util.h"
#include "core/validate.h"

static void test_table_well_formed(void **state)
{
    (void)state;
    assert_true(dify_nreleases > 0);
    for (size_t i = 0; i < dify_nreleases; i++) {
        const struct dify_release *r = &dify_releases[i];
        assert_false(str_empty(r->api));
        assert_false(str_empty(r->plugin_daemon));
        assert_false(str_empty(r->sandbox));
        assert_false(str_empty(r->source));
        assert_non_null(r->charts);
        bool ee = r->line == DIFY_LINE_ENTERPRISE;
        const char *ee_tags[] = {r->ee.enterprise,          r->ee.audit,
                                 r->ee.enterprise_frontend, r->ee.gateway,
                                 r->ee.plugin_connector,    r->ee.plugin_controller,
                                 r->ee.plugin_manager};
        for (size_t k = 0; k < ARRAY_LEN(ee_tags); k++)
            if (ee != (ee_tags[k] != NULL))
                fail_msg("row %s: enterprise tags must be set exactly on enterprise rows", r->api);
        /* The community daemon runs plugins in-process ("-local"); the EE
         * chart's runs them through the connector ("-serverless"). */
        assert_true(str_ends_with(r->plugin_daemon, ee ? "-serverless" : "-local"));
        /* One row per api tag: the api names its release. */
        for (size_t j = i + 1; j < dify_nreleases; j++)
            if (strcmp(r->api, dify_releases[j].api) == 0)
                fail_msg("api %s is in two rows", r->api);
        /* A chart version ships one set. */
        char *charts = xstrdup(r->charts), *save = NULL;
        for (char *c = strtok_r(charts, " ", &save); c; c = strtok_r(NULL, " ", &save))
            assert_ptr_equal(dify_release_for_chart(r->line, c), r);
        free(charts);
    }
}

static void test_lookups(void **state)
{
    (void)state;
    const struct dify_release *c = dify_release_default(DIFY_LINE_COMMUNITY);
    const struct dify_release *e = dify_release_default(DIFY_LINE_ENTERPRISE);
    assert_non_null(c);
    assert_non_null(e);
    /* The default is a released chart, never a release candidate. */
    char *chart = dify_release_chart(c);
    assert_string_equal(chart, "0.37.0");
    free(chart);
    assert_string_equal(c->api, "1.14.2");
    assert_string_equal(c->plugin_daemon, "0.6.1-local");
    assert_string_equal(c->sandbox, "0.2.15");
    chart = dify_release_chart(e);
    assert_string_equal(chart, "3.7.4");
    free(chart);

    assert_ptr_equal(dify_release_find("1.14.2"), c);
    assert_null(dify_release_find("1.15.0"));
    assert_null(dify_release_find(NULL));
    assert_null(dify_release_for_chart(DIFY_LINE_ENTERPRISE, "0.37.0"));
    assert_null(dify_release_for_chart(DIFY_LINE_COMMUNITY, "0.3"));
    assert_non_null(dify_release_for_chart(DIFY_LINE_COMMUNITY, "0.34.0"));

    assert_int_equal(dify_pair_check("1.14.2", "0.6.1-local"), DIFY_PAIR_KNOWN);
    assert_int_equal(dify_pair_check("1.13.3", "0.5.3-local"), DIFY_PAIR_KNOWN);
    assert_int_equal(dify_pair_check("1.14.2", "0.5.3-local"), DIFY_PAIR_SKEW);
    assert_int_equal(dify_pair_check("1.14.2", NULL), DIFY_PAIR_SKEW);
    assert_int_equal(dify_pair_check("9.9.9", "0.6.1-local"), DIFY_PAIR_UNKNOWN_API);

    assert_true(dify_ee_amd64_only("enterprise"));
    assert_true(dify_ee_amd64_only("web.logoConfig"));
    assert_false(dify_ee_amd64_only("api"));
    assert_false(dify_ee_amd64_only("plugin_daemon"));
}

static const struct rendered_file *find(const struct rendered *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0)
            return &r->v[i];
    return NULL;
}

/* Every image of a rendering belongs to the row of its image_tag: today's
 * defect was a daemon and sandbox pinned in code, a release behind. */
static void check_images(enum edition e, enum method m, const char *tag)
{
    struct profile p;
    struct secrets s;
    struct rendered r = {0};
    struct error err;
    error_clear(&err);
    profile_init(&p, e, TARGET_EXISTING, SIZE_TEST);
    p.method = m;
    if (tag)
        str_replace(&p.image_tag, tag);
    secrets_init(&s);
    s.secret_key = xstrdup("k");
    s.db_password = xstrdup("p");
    if (render_profile(&p, &s, &r, &err))
        fail_msg("render: %s", err.msg);
    const struct dify_release *rel = dify_release_find(p.image_tag);
    assert_non_null(rel);
    char *daemon = xasprintf("dify-plugin-daemon:%s", rel->plugin_daemon);
    char *sandbox = xasprintf("dify-sandbox:%s", rel->sandbox);
    char *api = xasprintf("dify-api:%s", rel->api);
    const char *file = m == METHOD_MANIFESTS ? "manifests/37-plugin-daemon.yaml" : "values.yaml";
    const struct rendered_file *f = find(&r, file);
    assert_non_null(f);
    if (m == METHOD_MANIFESTS) {
        assert_non_null(strstr(f->data, daemon));
        assert_non_null(strstr(find(&r, "manifests/36-sandbox.yaml")->data, sandbox));
        assert_non_null(strstr(find(&r, "manifests/32-api.yaml")->data, api));
    } else {
        /* values.yaml: repository and tag apart. */
        assert_non_null(strstr(f->data, rel->plugin_daemon));
        assert_non_null(strstr(f->data, rel->sandbox));
    }
    /* The migration Job runs the api's image, whatever the method. */
    const struct rendered_file *job = NULL;
    for (size_t i = 0; i < r.n; i++)
        if (strstr(r.v[i].name, "migration"))
            job = &r.v[i];
    assert_non_null(job);
    assert_non_null(strstr(job->data, api));
    free(daemon);
    free(sandbox);
    free(api);
    rendered_done(&r);
    secrets_done(&s);
    profile_done(&p);
}

static void test_render_uses_one_release(void **state)
{
    (void)state;
    check_images(EDITION_COMMUNITY, METHOD_MANIFESTS, NULL);
    check_images(EDITION_COMMUNITY, METHOD_HELM, NULL);
    check_images(EDITION_COMMUNITY, METHOD_MANIFESTS, "1.12.1");
    check_images(EDITION_COMMUNITY, METHOD_MANIFESTS, "1.13.3");
    check_images(EDITION_ENTERPRISE, METHOD_HELM, NULL);
}

/* Whether validation has a warning on path whose message holds text. */
static bool has_warning(const struct problems *ps, const char *path, const char *text)
{
    for (size_t i = 0; i < ps->n; i++)
        if (ps->v[i].warning && str_eq(ps->v[i].path, path) && strstr(ps->v[i].message, text))
            return true;
    return false;
}

static void test_mixed_set_warns(void **state)
{
    (void)state;
    struct profile p;
    struct problems ps;

    profile_init(&p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    problems_init(&ps);
    profile_validate(&p, NULL, &ps);
    assert_false(has_warning(&ps, "image_tag", ""));
    problems_done(&ps);

    /* Chart 0.37.0 ships 1.14.2: 1.12.1 is a hand-picked other release. */
    str_replace(&p.image_tag, "1.12.1");
    problems_init(&ps);
    profile_validate(&p, NULL, &ps);
    assert_true(has_warning(&ps, "image_tag", "use helm.version 0.36.0"));
    problems_done(&ps);

    str_replace(&p.image_tag, "1.15.0");
    problems_init(&ps);
    profile_validate(&p, NULL, &ps);
    assert_true(has_warning(&ps, "image_tag", "not a Dify release this program knows"));
    assert_true(has_warning(&ps, "image_tag", "0.6.1-local"));
    problems_done(&ps);

    /* A community release on the enterprise edition. */
    profile_done(&p);
    profile_init(&p, EDITION_ENTERPRISE, TARGET_EXISTING, SIZE_TEST);
    str_replace(&p.image_tag, "1.14.2");
    problems_init(&ps);
    profile_validate(&p, NULL, &ps);
    assert_true(has_warning(&ps, "image_tag", "community release"));
    problems_done(&ps);
    profile_done(&p);
}

/* The Job's name goes into a 63-character label: a release that makes it
 * longer is refused by validation, not by the API server at install time. */
static void test_job_name_fits(void **state)
{
    (void)state;
    struct profile p;
    struct problems ps;
    profile_init(&p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    str_replace(&p.release, "abcdefghij-abcdefghij-abcdefghij-abcdefghij"); /* 43 */
    problems_init(&ps);
    profile_validate(&p, NULL, &ps);
    bool found = false;
    for (size_t i = 0; i < ps.n; i++)
        if (!ps.v[i].warning && str_eq(ps.v[i].path, "release") &&
            strstr(ps.v[i].message, "at most 41"))
            found = true;
    assert_true(found);
    problems_done(&ps);
    p.migration.mode = MIGRATION_API; /* no Job, no limit of its own */
    problems_init(&ps);
    profile_validate(&p, NULL, &ps);
    for (size_t i = 0; i < ps.n; i++)
        assert_null(strstr(ps.v[i].message, "db-migrate"));
    problems_done(&ps);
    profile_done(&p);
}

static bool has_problem(const struct problems *ps, bool warning, const char *path, const char *text)
{
    for (size_t i = 0; i < ps->n; i++)
        if (ps->v[i].warning == warning && str_eq(ps->v[i].path, path) &&
            strstr(ps->v[i].message, text))
            return true;
    return false;
}

static void test_volume_checks(void **state)
{
    (void)state;
    struct profile p;
    struct problems ps;
    profile_init(&p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_PROD);
    p.storage.kind = STORAGE_LOCAL;
    p.comp[COMP_PLUGIN_DAEMON].replicas = 3;
    problems_init(&ps);
    profile_validate(&p, NULL, &ps);
    assert_true(has_problem(&ps, true, "cluster.rwx_storage_class", "ReadWriteMany"));
    assert_true(has_problem(&ps, false, "components.plugin_daemon.replicas", "ReadWriteOnce"));
    problems_done(&ps);

    str_replace(&p.cluster.rwx_storage_class, "efs-sc");
    problems_init(&ps);
    profile_validate(&p, NULL, &ps);
    assert_false(has_problem(&ps, true, "cluster.rwx_storage_class", ""));
    assert_false(has_problem(&ps, false, "components.plugin_daemon.replicas", ""));
    problems_done(&ps);

    str_replace(&p.cluster.rwx_storage_class, "EFS SC");
    problems_init(&ps);
    profile_validate(&p, NULL, &ps);
    assert_true(has_problem(&ps, false, "cluster.rwx_storage_class", ""));
    problems_done(&ps);
    profile_done(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_well_formed),       cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_render_uses_one_release), cmocka_unit_test(test_mixed_set_warns),
        cmocka_unit_test(test_job_name_fits),           cmocka_unit_test(test_volume_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
