/* tests/unit/test_render.c: the YAML writer and the renderers: quoting,
 * determinism, the secrets rule, the Terraform key contract, values that
 * must match across pods, and the staged writer. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/render.h"
#include "core/tfstack.h"
#include "core/util.h"
#include "core/yamldoc.h"
#include "core/yamlout.h"
#include "tests/render_fixture.h"

#define DATADIR DIFY_SRCDIR "/tests/data/render"

static const struct rendered_file *find(const struct rendered *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0)
            return &r->v[i];
    return NULL;
}

static void render_case(const char *name, struct profile *p, struct secrets *s, struct rendered *r)
{
    struct error err;
    error_clear(&err);
    for (size_t i = 0; i < render_ncases; i++)
        if (strcmp(render_cases[i].name, name) == 0)
            render_case_build(&render_cases[i], DATADIR, p);
    render_fixture_secrets(s);
    if (render_profile(p, s, r, &err))
        fail_msg("render %s: %s", name, err.msg);
}

static void test_quoting(void **state)
{
    const char *quoted[] = {"",     "yes",        "No",    "on",   "null", "~",
                            "true", "0",          "1.33",  "0.5",  "-1",   "0x1F",
                            "1e3",  "2026-01-02", "12:30", ".inf", "007"};
    const char *plain[] = {"dify", "250m", "512Mi", "10.0.0.0/16", "m7g.xlarge", "a b"};
    for (size_t i = 0; i < ARRAY_LEN(quoted); i++)
        assert_true(yamlout_needs_quotes(quoted[i]));
    for (size_t i = 0; i < ARRAY_LEN(plain); i++)
        assert_false(yamlout_needs_quotes(plain[i]));

    /* Round trip through the emitter and the reader: strings stay strings. */
    cJSON *doc = cJSON_CreateObject();
    for (size_t i = 0; i < ARRAY_LEN(quoted); i++) {
        char key[16];
        snprintf(key, sizeof(key), "k%zu", i);
        cJSON_AddStringToObject(doc, key, quoted[i]);
    }
    cJSON_AddStringToObject(doc, "multi", "line one\nline two\n");
    cJSON_AddStringToObject(doc, "colon", "a: b # c");
    cJSON_AddNumberToObject(doc, "half", 0.5);
    cJSON_AddNumberToObject(doc, "three", 3);
    cJSON_AddBoolToObject(doc, "flag", 1);
    cJSON_AddItemToObject(doc, "empty", cJSON_CreateObject());
    char *text;
    size_t len;
    struct error err;
    error_clear(&err);
    assert_int_equal(yamlout_emit(&doc, 1, &text, &len, &err), 0);
    assert_non_null(strstr(text, "multi: |"));
    assert_non_null(strstr(text, "half: 0.5\n"));
    assert_non_null(strstr(text, "empty: {}\n"));
    struct ynode *root;
    assert_int_equal(yamldoc_parse("t.yaml", text, len, &root, &err), 0);
    for (size_t i = 0; i < ARRAY_LEN(quoted); i++) {
        char key[16];
        snprintf(key, sizeof(key), "k%zu", i);
        struct ynode *n = ynode_get(root, key);
        assert_non_null(n);
        assert_string_equal(n->value, quoted[i]);
        assert_true(n->quoted);
    }
    assert_string_equal(ynode_get_str(root, "multi"), "line one\nline two\n");
    assert_string_equal(ynode_get_str(root, "colon"), "a: b # c");
    yamldoc_free(root);
    free(text);
    cJSON_Delete(doc);
}

static const char *const *secret_values(const struct secrets *s, size_t *n)
{
    static const char *v[16];
    *n = 0;
    for (size_t i = 0; i < secret_nfields; i++) {
        char **ptr = secrets_field_ptr((struct secrets *)s, &secret_fields[i]);
        if (!str_empty(*ptr))
            v[(*n)++] = *ptr;
    }
    return v;
}

/* Every case: YAML and JSON parse; secrets only in 0600 files; two renders
 * give identical bytes and modes. */
static void test_all_cases(void **state)
{
    for (size_t c = 0; c < render_ncases; c++) {
        struct profile p;
        struct secrets s;
        struct rendered r, r2;
        struct error err;
        render_case(render_cases[c].name, &p, &s, &r);
        error_clear(&err);
        assert_int_equal(render_profile(&p, &s, &r2, &err), 0);
        assert_int_equal(r.n, r2.n);
        size_t nsec;
        const char *const *sec = secret_values(&s, &nsec);
        assert_true(nsec >= 10);
        for (size_t i = 0; i < r.n; i++) {
            const struct rendered_file *f = &r.v[i];
            assert_string_equal(f->name, r2.v[i].name);
            assert_int_equal(f->len, r2.v[i].len);
            assert_memory_equal(f->data, r2.v[i].data, f->len);
            assert_int_equal(f->mode, r2.v[i].mode);
            assert_int_equal(strlen(f->data), f->len);
            if (str_ends_with(f->name, ".json")) {
                cJSON *j = cJSON_Parse(f->data);
                if (!j)
                    fail_msg("%s/%s: not JSON", render_cases[c].name, f->name);
                cJSON_Delete(j);
            } else {
                struct ynode **docs;
                size_t nd;
                if (yamldoc_parse_all(f->name, f->data, f->len, &docs, &nd, &err))
                    fail_msg("%s/%s: %s", render_cases[c].name, f->name, err.msg);
                assert_true(nd >= 1);
                for (size_t d = 0; d < nd; d++)
                    yamldoc_free(docs[d]);
                free(docs);
            }
            bool secret_file = strcmp(f->name, "manifests/10-secrets.yaml") == 0 ||
                               strcmp(f->name, "secrets.tfvars.json") == 0 ||
                               strcmp(f->name, "values-secrets.yaml") == 0;
            assert_int_equal(f->mode, secret_file ? 0600 : 0644);
            if (secret_file)
                continue;
            for (size_t k = 0; k < nsec; k++)
                if (strstr(f->data, sec[k]))
                    fail_msg("%s/%s carries a secret value", render_cases[c].name, f->name);
        }
        rendered_done(&r);
        rendered_done(&r2);
        profile_done(&p);
        secrets_done(&s);
    }
}

static void test_tfvars_contract(void **state)
{
    struct profile p;
    struct secrets s;
    struct rendered r;
    render_case("ce-eks-helm-test", &p, &s, &r);
    const struct rendered_file *f = find(&r, "terraform.tfvars.json");
    assert_non_null(f);
    cJSON *j = cJSON_Parse(f->data);
    /* Against core/tfstack.c's list, which tests/terraform_contract.sh holds
     * to variables.tf: one list of the stack's variables, not a second copy. */
    size_t nkeys = 0;
    while (tfstack_variables[nkeys])
        nkeys++;
    assert_int_equal(cJSON_GetArraySize(j), nkeys);
    for (size_t i = 0; i < nkeys; i++)
        if (!cJSON_GetObjectItemCaseSensitive(j, tfstack_variables[i]))
            fail_msg("missing %s", tfstack_variables[i]);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(j, "aurora_min_acu")));
    assert_true(cJSON_GetObjectItem(j, "aurora_min_acu")->valuedouble == 0.5);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "irsa_enabled")));
    assert_string_equal(cJSON_GetObjectItem(j, "environment")->valuestring, "test");
    assert_string_equal(cJSON_GetObjectItem(j, "node_arch")->valuestring, "arm64");
    assert_string_equal(cJSON_GetObjectItem(j, "opensearch_engine_version")->valuestring,
                        "OpenSearch_2.19");
    assert_string_equal(cJSON_GetObjectItem(j, "plugin_daemon_db_name")->valuestring,
                        "dify_plugin_daemon");
    cJSON *tags = cJSON_GetObjectItem(j, "tags");
    assert_string_equal(cJSON_GetObjectItem(tags, "ManagedBy")->valuestring, "dify-tui");
    assert_string_equal(cJSON_GetObjectItem(tags, "Cluster")->valuestring, "dify-test");
    cJSON_Delete(j);
    f = find(&r, "secrets.tfvars.json");
    assert_non_null(f);
    j = cJSON_Parse(f->data);
    assert_int_equal(cJSON_GetArraySize(j), 2);
    assert_string_equal(cJSON_GetObjectItem(j, "db_password")->valuestring, s.db_password);
    /* One secret: the AUTH token is the Redis password Dify is given. */
    assert_string_equal(cJSON_GetObjectItem(j, "redis_auth_token")->valuestring, s.redis_password);
    cJSON_Delete(j);
    rendered_done(&r);
    profile_done(&p);
    secrets_done(&s);

    render_case("ce-eks-manifests-prod", &p, &s, &r);
    j = cJSON_Parse(find(&r, "terraform.tfvars.json")->data);
    assert_string_equal(cJSON_GetObjectItem(j, "node_arch")->valuestring, "x86_64");
    assert_string_equal(cJSON_GetObjectItem(j, "environment")->valuestring, "prod");
    cJSON_Delete(j);
    rendered_done(&r);
    profile_done(&p);
    secrets_done(&s);
}

/* A map of a YAML stream's documents by kind/name. */
static struct ynode *doc_named(struct ynode **docs, size_t n, const char *kind, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (str_eq(ynode_get_str(docs[i], "kind"), kind) &&
            str_eq(ynode_get_str(ynode_get(docs[i], "metadata"), "name"), name))
            return docs[i];
    return NULL;
}

/* Reference 2.3: each pair comes from one secrets field; the plugin daemon
 * uses the plugin database everywhere. */
static void test_matching_values(void **state)
{
    struct profile p;
    struct secrets s;
    struct rendered r;
    struct error err;
    struct ynode **docs, **cms;
    size_t n, ncm;
    render_case("ce-existing-manifests-test", &p, &s, &r);
    const struct rendered_file *f = find(&r, "manifests/10-secrets.yaml");
    assert_int_equal(yamldoc_parse_all(f->name, f->data, f->len, &docs, &n, &err), 0);
    struct ynode *api = ynode_get(doc_named(docs, n, "Secret", "mydify-secrets"), "stringData");
    struct ynode *pd =
        ynode_get(doc_named(docs, n, "Secret", "mydify-plugin-daemon-secrets"), "stringData");
    struct ynode *sb =
        ynode_get(doc_named(docs, n, "Secret", "mydify-sandbox-secrets"), "stringData");
    assert_string_equal(ynode_get_str(api, "PLUGIN_DAEMON_KEY"), s.plugin_daemon_key);
    assert_string_equal(ynode_get_str(pd, "SERVER_KEY"), s.plugin_daemon_key);
    assert_string_equal(ynode_get_str(api, "INNER_API_KEY_FOR_PLUGIN"), s.inner_api_key);
    assert_string_equal(ynode_get_str(pd, "DIFY_INNER_API_KEY"), s.inner_api_key);
    assert_string_equal(ynode_get_str(api, "CODE_EXECUTION_API_KEY"), s.sandbox_key);
    assert_string_equal(ynode_get_str(sb, "API_KEY"), s.sandbox_key);
    assert_string_equal(ynode_get_str(api, "CELERY_BROKER_URL"),
                        "redis://:fixture%3Aredis%40pass%2F9c%231@redis.db.svc:6379/1");
    f = find(&r, "manifests/20-configmaps.yaml");
    assert_int_equal(yamldoc_parse_all(f->name, f->data, f->len, &cms, &ncm, &err), 0);
    struct ynode *dc =
        ynode_get(doc_named(cms, ncm, "ConfigMap", "mydify-plugin-daemon-config"), "data");
    assert_string_equal(ynode_get_str(dc, "DB_DATABASE"), p.db.plugin_db);
    struct ynode *pr = ynode_get(doc_named(cms, ncm, "ConfigMap", "dify-prompts"), "data");
    assert_non_null(strstr(ynode_get_str(pr, "prompts.py"), "{{TASK_DESCRIPTION}}"));
    for (size_t i = 0; i < n; i++)
        yamldoc_free(docs[i]);
    for (size_t i = 0; i < ncm; i++)
        yamldoc_free(cms[i]);
    free(docs);
    free(cms);
    /* Migration mode api: no Job, the api migrates. */
    assert_null(find(&r, "manifests/30-migration-job.yaml"));
    f = find(&r, "manifests/32-api.yaml");
    assert_non_null(strstr(f->data, "name: MIGRATION_ENABLED\n          value: \"true\""));
    assert_non_null(find(&r, "manifests/25-storage.yaml"));
    assert_non_null(find(&r, "manifests/40-ingress.yaml"));
    assert_null(find(&r, "values.yaml"));
    assert_null(find(&r, "terraform.tfvars.json"));
    rendered_done(&r);
    profile_done(&p);
    secrets_done(&s);
}

static void test_plugin_daemon_health_and_split(void **state)
{
    struct profile p;
    struct secrets s;
    struct rendered r;
    render_case("ce-eks-manifests-prod", &p, &s, &r);
    const struct rendered_file *f = find(&r, "manifests/37-plugin-daemon.yaml");
    assert_non_null(strstr(f->data, "path: /health/check"));
    assert_null(strstr(f->data, "path: /health\n"));
    assert_non_null(strstr(f->data, "containerPort: 5003"));
    assert_non_null(find(&r, "manifests/40-web-ingress.yaml"));
    f = find(&r, "manifests/41-api-ingress.yaml");
    assert_non_null(f);
    assert_non_null(strstr(f->data, "path: /e\n"));
    assert_non_null(strstr(f->data, "host: dify-api.example.com"));
    f = find(&r, "manifests/32-api.yaml");
    assert_non_null(strstr(f->data, "maxSurge: 25%"));
    assert_non_null(strstr(f->data, "maxUnavailable: 0\n"));
    assert_non_null(strstr(f->data, "serviceAccountName: dify-api-sa"));
    f = find(&r, "manifests/34-beat.yaml");
    assert_non_null(strstr(f->data, "type: Recreate"));
    assert_non_null(strstr(f->data, "replicas: 1\n"));
    f = find(&r, "manifests/15-serviceaccounts.yaml");
    assert_non_null(
        strstr(f->data, "arn:aws:iam::" RENDER_PH_ACCOUNT ":role/DifyEE-Role-dify-prod-s3"));
    f = find(&r, "manifests/30-migration-job.yaml");
    assert_non_null(strstr(f->data, "name: dify-db-migrate-"));
    assert_non_null(strstr(f->data, "app.kubernetes.io/component: db-migration"));
    assert_non_null(strstr(f->data, "ttlSecondsAfterFinished: 86400"));
    assert_non_null(strstr(f->data, "- upgrade"));
    assert_non_null(strstr(f->data, "backoffLimit: 2"));
    rendered_done(&r);
    profile_done(&p);
    secrets_done(&s);
}

/* The Job's name, "<release>-db-migrate-<10 hex>", from a rendering. */
static char *job_name(const struct rendered *r)
{
    const struct rendered_file *f = find(r, "manifests/30-migration-job.yaml");
    assert_non_null(f);
    const char *n = strstr(f->data, "name: ");
    assert_non_null(n);
    n += 6;
    return xstrndup(n, strcspn(n, "\n"));
}

/* A Job's pod template is immutable: the name must change with the image
 * (a second install or an upgrade is a new Job) and stay for the same one. */
static void test_migration_job_per_revision(void **state)
{
    (void)state;
    struct profile p;
    struct secrets s;
    struct rendered r1 = {0}, r2 = {0}, r3 = {0};
    render_case("ce-eks-manifests-prod", &p, &s, &r1);
    struct error err;
    error_clear(&err);
    assert_int_equal(render_profile(&p, &s, &r2, &err), 0);
    str_replace(&p.image_tag, "1.12.1");
    assert_int_equal(render_profile(&p, &s, &r3, &err), 0);
    char *a = job_name(&r1), *b = job_name(&r2), *c = job_name(&r3);
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "%s-db-migrate-", p.release);
    assert_true(str_starts_with(a, prefix));
    assert_int_equal(strlen(a), strlen(prefix) + 10);
    for (const char *h = a + strlen(prefix); *h; h++)
        assert_non_null(strchr("0123456789abcdef", *h));
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_non_null(strstr(find(&r3, "manifests/30-migration-job.yaml")->data,
                           "image: langgenius/dify-api:1.12.1"));
    free(a);
    free(b);
    free(c);
    rendered_done(&r1);
    rendered_done(&r2);
    rendered_done(&r3);
    profile_done(&p);
    secrets_done(&s);
}

/* The claim and the rollout strategy of a file's object, by substring. */
static void assert_has(const struct rendered *r, const char *file, const char *text, bool want)
{
    const struct rendered_file *f = find(r, file);
    if (!f)
        fail_msg("%s is not rendered", file);
    if ((strstr(f->data, text) != NULL) != want)
        fail_msg("%s %s \"%s\"", file, want ? "lacks" : "has", text);
}

/* Volumes: ReadWriteMany only from the class that offers it; the plugin
 * daemon's single-writer volume rolls with Recreate (a RollingUpdate's new
 * pod on another node waits forever for the volume the old pod holds). */
static void test_volumes(void **state)
{
    (void)state;
    for (int m = METHOD_HELM; m <= METHOD_MANIFESTS; m++) {
        struct profile p;
        struct secrets s;
        struct rendered r = {0};
        struct error err;
        error_clear(&err);
        profile_init(&p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_PROD);
        p.method = (enum method)m;
        p.storage.kind = STORAGE_LOCAL;
        str_replace(&p.cluster.storage_class, "gp3");
        render_fixture_secrets(&s);
        assert_int_equal(render_profile(&p, &s, &r, &err), 0);
        if (m == METHOD_MANIFESTS) {
            const char *st = "manifests/25-storage.yaml", *pd = "manifests/37-plugin-daemon.yaml";
            assert_has(&r, st, "ReadWriteMany", false); /* no class offers it */
            assert_has(&r, st, "storageClassName: gp3", true);
            assert_has(&r, pd, "type: Recreate", true);
            assert_has(&r, pd, "maxSurge", false);
        } else {
            assert_has(&r, "values.yaml", "ReadWriteMany", false);
            assert_has(&r, "values.yaml", "storageClass: gp3", true);
            assert_has(&r, "values.yaml", "    type: Recreate", true);
        }
        rendered_done(&r);

        /* With an RWX class the shared volumes use it; a daemon with more
         * replicas then shares its volume and rolls as usual. */
        str_replace(&p.cluster.rwx_storage_class, "efs-sc");
        p.comp[COMP_PLUGIN_DAEMON].replicas = 3;
        assert_int_equal(render_profile(&p, &s, &r, &err), 0);
        if (m == METHOD_MANIFESTS) {
            const char *st = "manifests/25-storage.yaml", *pd = "manifests/37-plugin-daemon.yaml";
            assert_has(&r, st, "ReadWriteOnce", false);
            assert_has(&r, st, "storageClassName: efs-sc", true);
            assert_has(&r, st, "storageClassName: gp3", false);
            assert_has(&r, pd, "type: Recreate", false);
        } else {
            assert_has(&r, "values.yaml", "ReadWriteOnce", false);
            assert_has(&r, "values.yaml", "storageClass: efs-sc", true);
        }
        rendered_done(&r);
        secrets_done(&s);
        profile_done(&p);
    }
}

static void test_values(void **state)
{
    struct profile p;
    struct secrets s;
    struct rendered r;
    struct error err;
    struct ynode *v;
    render_case("ee-eks-helm-prod", &p, &s, &r);
    const struct rendered_file *f = find(&r, "values.yaml");
    assert_int_equal(yamldoc_parse(f->name, f->data, f->len, &v, &err), 0);
    struct ynode *pc = ynode_get(v, "plugin_connector");
    assert_string_equal(ynode_get_str(pc, "customServiceAccount"), "dify-plugin-crd-sa");
    assert_string_equal(ynode_get_str(pc, "runnerServiceAccount"), "dify-plugin-runner-sa");
    assert_string_equal(ynode_get_str(pc, "imageRepoType"), "ecr");
    assert_string_equal(ynode_get_str(pc, "imageRepoPrefix"), RENDER_PH_ECR_PLUGIN);
    struct ynode *creds = ynode_get(ynode_get(v, "externalPostgres"), "credentials");
    assert_string_equal(ynode_get_str(ynode_get(creds, "plugin_daemon"), "database"),
                        "dify_plugin_daemon");
    assert_string_equal(ynode_get_str(ynode_get(v, "persistence"), "type"), "s3");
    assert_string_equal(ynode_get_str(ynode_get(v, "api"), "serviceAccountName"), "dify-api-sa");
    yamldoc_free(v);
    rendered_done(&r);
    profile_done(&p);
    secrets_done(&s);

    render_case("ce-eks-helm-test", &p, &s, &r);
    f = find(&r, "values.yaml");
    assert_int_equal(yamldoc_parse(f->name, f->data, f->len, &v, &err), 0);
    bool b;
    assert_true(ynode_as_bool(ynode_get(ynode_get(v, "api"), "migration"), &b));
    assert_false(b);
    struct ynode *pg = ynode_get(v, "externalPostgres");
    assert_string_equal(ynode_get_str(ynode_get(pg, "database"), "pluginDaemon"),
                        "dify_plugin_daemon");
    /* The chart writes the address unquoted into a ConfigMap, where an
     * unfilled placeholder would not parse: it goes to DB_HOST by extraEnv. */
    assert_null(ynode_get(pg, "address"));
    assert_non_null(strstr(f->data, "- name: DB_HOST\n    value: '" RENDER_PH_DB_HOST "'"));
    assert_true(ynode_as_bool(ynode_get(ynode_get(v, "externalS3"), "useIAM"), &b));
    assert_true(b);
    yamldoc_free(v);
    f = find(&r, "values-secrets.yaml");
    assert_int_equal(f->mode, 0600);
    assert_non_null(strstr(f->data, s.secret_key));
    rendered_done(&r);
    profile_done(&p);
    secrets_done(&s);
}

static char *tmp_dir(void)
{
    char *d = xstrdup("/tmp/test_render.XXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

static void test_write(void **state)
{
    struct profile p;
    struct secrets s;
    struct rendered r;
    struct error err;
    struct stat st;
    char *base = tmp_dir();
    char *out = path_join(base, "out/deep");
    render_case("ce-eks-helm-test", &p, &s, &r);
    error_clear(&err);
    assert_int_equal(rendered_write(&r, out, &err), 0);
    char *f = path_join(out, "manifests/10-secrets.yaml");
    assert_int_equal(stat(f, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    free(f);
    f = path_join(out, "values.yaml");
    assert_int_equal(stat(f, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    free(f);
    rendered_done(&r);
    profile_done(&p);
    secrets_done(&s);

    /* Switching method: stale files of the other method disappear. */
    render_case("ce-existing-manifests-test", &p, &s, &r);
    assert_int_equal(rendered_write(&r, out, &err), 0);
    f = path_join(out, "values.yaml");
    assert_int_not_equal(stat(f, &st), 0);
    free(f);
    f = path_join(out, "manifests/32-api.yaml");
    assert_int_equal(stat(f, &st), 0);
    free(f);

    /* A regular file as out dir, or below one: refused, nothing created. */
    char *file = path_join(base, "plain");
    assert_int_equal(file_write_atomic(file, "x", 1, 0644, &err), 0);
    assert_int_equal(rendered_write(&r, file, &err), -1);
    assert_non_null(strstr(err.msg, "not a directory"));
    char *below = path_join(file, "sub");
    assert_int_equal(rendered_write(&r, below, &err), -1);
    free(below);
    free(file);
    rendered_done(&r);
    profile_done(&p);
    secrets_done(&s);
    char *cmd = xasprintf("rm -rf '%s'", base);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(out);
    free(base);
}

/* Bad extra files and bad text fail with a message; nothing is rendered. */
static void test_bad_inputs(void **state)
{
    struct profile p;
    struct secrets s;
    struct rendered r;
    struct error err;
    render_case("ce-existing-manifests-test", &p, &s, &r);
    rendered_done(&r);
    str_replace(&p.extra_files[0].source, "/nonexistent/prompts.py");
    error_clear(&err);
    assert_int_equal(render_profile(&p, &s, &r, &err), -1);
    assert_non_null(strstr(err.msg, "extra_files[0].source"));
    assert_int_equal(r.n, 0);

    char *base = tmp_dir();
    char *bin = path_join(base, "bin.dat");
    assert_int_equal(file_write_atomic(bin, "a\0b", 3, 0644, &err), 0);
    str_replace(&p.extra_files[0].source, bin);
    assert_int_equal(render_profile(&p, &s, &r, &err), -1);
    assert_non_null(strstr(err.msg, "not a text file"));
    assert_int_equal(file_write_atomic(bin, "caf\xe9\n", 5, 0644, &err), 0);
    assert_int_equal(render_profile(&p, &s, &r, &err), -1);
    assert_non_null(strstr(err.msg, "not a text file"));
    unlink(bin);
    rmdir(base);
    free(bin);
    free(base);
    profile_done(&p);
    secrets_done(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_all_cases),
        cmocka_unit_test(test_tfvars_contract),
        cmocka_unit_test(test_matching_values),
        cmocka_unit_test(test_plugin_daemon_health_and_split),
        cmocka_unit_test(test_migration_job_per_revision),
        cmocka_unit_test(test_volumes),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_write),
        cmocka_unit_test(test_bad_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
