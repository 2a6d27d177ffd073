/* tests/unit/test_render_cluster.c: renderings a real cluster and real
 * charts accept: vectors in PostgreSQL on the database's connection, the
 * ALB's ACM certificate instead of a TLS Secret, the enterprise databases
 * created beside the plugin daemon's. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/render.h"
#include "core/render_manifests.h"
#include "core/upstream_files.h"
#include "core/util.h"
#include "core/validate.h"
#include "tests/render_fixture.h"

#define ARN "arn:aws:acm:us-west-2:123456789012:certificate/0d5e5df9-3360-4081-9882-262de32c6f54"

static const char *file(const struct rendered *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0)
            return r->v[i].data;
    fail_msg("%s is not rendered", name);
    return NULL;
}

static void has(const struct rendered *r, const char *name, const char *text, bool want)
{
    if ((strstr(file(r, name), text) != NULL) != want)
        fail_msg("%s %s \"%s\"", name, want ? "lacks" : "has", text);
}

static void render_ok(const struct profile *p, struct secrets *s, struct rendered *r)
{
    struct error err;
    error_clear(&err);
    render_fixture_secrets(s);
    if (render_profile(p, s, r, &err))
        fail_msg("render: %s", err.msg);
}

static bool problem(const struct profile *p, bool warning, const char *path, const char *text)
{
    struct problems ps;
    problems_init(&ps);
    profile_validate(p, NULL, &ps);
    bool found = false;
    for (size_t i = 0; i < ps.n; i++)
        if (ps.v[i].warning == warning && str_eq(ps.v[i].path, path) &&
            strstr(ps.v[i].message, text))
            found = true;
    problems_done(&ps);
    return found;
}

/* pgvector rendered an empty host, port 443 and no credentials. */
static void test_pgvector_uses_the_database(void **state)
{
    (void)state;
    for (int m = METHOD_HELM; m <= METHOD_MANIFESTS; m++) {
        struct profile p;
        struct secrets s;
        struct rendered r = {0};
        profile_init(&p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
        p.method = (enum method)m;
        p.vector.kind = VECTOR_PGVECTOR;
        str_replace(&p.db.host, "pg.example.com");
        str_replace(&p.redis.host, "redis.example.com");
        render_ok(&p, &s, &r);
        free(s.vector_password); /* none given: the database's password */
        s.vector_password = NULL;
        rendered_done(&r);
        struct error err;
        error_clear(&err);
        assert_int_equal(render_profile(&p, &s, &r, &err), 0);
        if (m == METHOD_MANIFESTS) {
            const char *cm = "manifests/20-configmaps.yaml";
            has(&r, cm, "PGVECTOR_HOST: pg.example.com", true);
            has(&r, cm, "PGVECTOR_PORT: \"5432\"", true);
            has(&r, cm, "PGVECTOR_USER: dify", true);
            has(&r, cm, "PGVECTOR_PORT: \"443\"", false);
        } else {
            has(&r, "values.yaml", "value: pg.example.com", true);
            has(&r, "values.yaml", "key: PGVECTOR_PASSWORD", true);
        }
        char *pw = xasprintf("PGVECTOR_PASSWORD: %s", s.db_password);
        has(&r, "manifests/10-secrets.yaml", pw, true);
        free(pw);
        rendered_done(&r);

        /* A server of its own: its host, port and user. */
        str_replace(&p.vector.host, "vectors.example.com");
        p.vector.port = 6543;
        str_replace(&p.vector.user, "vec");
        render_ok(&p, &s, &r);
        if (m == METHOD_MANIFESTS) {
            has(&r, "manifests/20-configmaps.yaml", "PGVECTOR_HOST: vectors.example.com", true);
            has(&r, "manifests/20-configmaps.yaml", "PGVECTOR_USER: vec", true);
        }
        rendered_done(&r);
        secrets_done(&s);
        profile_done(&p);
    }
}

/* ALB ignores TLS Secrets: HTTPS comes from an ACM certificate. */
static void test_alb_with_acm(void **state)
{
    (void)state;
    struct profile p;
    struct secrets s;
    struct rendered r = {0};
    profile_init(&p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    p.method = METHOD_MANIFESTS;
    str_replace(&p.domains.acm_certificate_arn, ARN);
    str_replace(&p.domains.tls_secret, "ignored-tls"); /* a warning, and no spec.tls */
    render_ok(&p, &s, &r);
    const char *ing = "manifests/40-ingress.yaml";
    has(&r, ing, "alb.ingress.kubernetes.io/certificate-arn: " ARN, true);
    has(&r, ing, "alb.ingress.kubernetes.io/ssl-redirect: \"443\"", true);
    has(&r, ing, "{\"HTTPS\": 443}", true);
    has(&r, ing, "secretName", false);
    has(&r, "manifests/20-configmaps.yaml", "CONSOLE_WEB_URL: https://dify.example.com", true);
    rendered_done(&r);
    assert_true(problem(&p, true, "domains.tls_secret", "ignores TLS Secrets"));

    p.method = METHOD_HELM;
    render_ok(&p, &s, &r);
    has(&r, "values.yaml", "certificate-arn: " ARN, true);
    has(&r, "values.yaml", "secretName", false);
    rendered_done(&r);
    secrets_done(&s);

    str_replace(&p.domains.acm_certificate_arn, "arn:aws:acm:us-west-2:1234:certificate/x");
    assert_true(problem(&p, false, "domains.acm_certificate_arn", "12-digit"));
    str_replace(&p.domains.acm_certificate_arn,
                "arn:aws:acm:eu-west-1:123456789012:certificate/0d5e5df9");
    assert_true(problem(&p, false, "domains.acm_certificate_arn", "its own region"));
    profile_done(&p);
}

static void test_enterprise_databases(void **state)
{
    (void)state;
    struct profile p;
    struct secrets s;
    struct rendered r = {0};
    const char *names[3];
    profile_init(&p, EDITION_ENTERPRISE, TARGET_EKS, SIZE_TEST);
    assert_int_equal(render_databases(&p, names), 3);
    render_ok(&p, &s, &r);
    const char *job = "manifests/28-databases-job.yaml";
    has(&r, job, "- dify_plugin_daemon\n        - enterprise\n        - audit\n", true);
    has(&r, job, "key: DB_PASSWORD", true);
    has(&r, "values.yaml", "database: enterprise", true);
    has(&r, "values.yaml", "database: audit", true);
    has(&r, "values.yaml", "enterpriseDomain: enterprise.dify.example.com", true);
    /* The chart's public defaults never survive: keys of our own. */
    has(&r, "values-secrets.yaml", s.enterprise_secret_key, true);
    has(&r, "values-secrets.yaml", s.enterprise_admin_salt, true);
    rendered_done(&r);
    secrets_done(&s);
    profile_done(&p);

    profile_init(&p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    assert_int_equal(render_databases(&p, names), 1);
    assert_string_equal(names[0], p.db.plugin_db);
    profile_done(&p);
}

/* An extra file over an upstream file must define what the api imports. */
static void test_upstream_override_names(void **state)
{
    (void)state;
    const char *py = "X = 1\nclass Y:\n    Z = 2\ndef W(a):\n    pass\nV: int = 3\n"
                     "if X == 1:\n    U = 4\nT == 5\n";
    size_t n = strlen(py);
    assert_true(upstream_defines(py, n, "X"));
    assert_true(upstream_defines(py, n, "Y"));
    assert_true(upstream_defines(py, n, "W"));
    assert_true(upstream_defines(py, n, "V"));
    assert_false(upstream_defines(py, n, "Z")); /* not at module level */
    assert_false(upstream_defines(py, n, "U"));
    assert_false(upstream_defines(py, n, "T")); /* a comparison */
    assert_false(upstream_defines(py, n, "XX"));

    const struct upstream_file *u = upstream_file_find("/app/api/core/llm_generator/prompts.py");
    assert_non_null(u);
    struct profile p;
    profile_init(&p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    p.extra_files = xcalloc(1, sizeof(*p.extra_files));
    p.n_extra_files = 1;
    struct extra_file *x = &p.extra_files[0];
    x->configmap = xstrdup("dify-prompts");
    x->key = xstrdup("prompts.py");
    x->mount_path = xstrdup(u->mount_path);
    x->api = x->worker = true;
    /* The test fixture defines one name: warned, with the names it lacks. */
    x->source = xstrdup(DIFY_SRCDIR "/tests/data/render/prompts.py");
    assert_true(problem(&p, true, "extra_files[0].source", "CONVERSATION_TITLE_PROMPT"));
    assert_false(
        problem(&p, true, "extra_files[0].source", "WORKFLOW_RULE_CONFIG_PROMPT_GENERATE"));
    /* The shipped example defines every one. */
    str_replace(&x->source, DIFY_SRCDIR "/assets/examples/files/prompts.py");
    assert_false(problem(&p, true, "extra_files[0].source", ""));
    /* Any other mount path is none of this rule's business. */
    str_replace(&x->source, DIFY_SRCDIR "/tests/data/render/prompts.py");
    str_replace(&x->mount_path, "/app/api/my_prompts.py");
    assert_false(problem(&p, true, "extra_files[0].source", ""));
    profile_done(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pgvector_uses_the_database),
        cmocka_unit_test(test_alb_with_acm),
        cmocka_unit_test(test_enterprise_databases),
        cmocka_unit_test(test_upstream_override_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
