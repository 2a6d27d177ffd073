/* tests/unit/test_answers.c: the answers file (load, positions, round trip,
 * idempotent dump) and the secrets file (0600, round trip, env overrides,
 * generation that never replaces a value, masking). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/log.h"
#include "core/profile.h"
#include "core/util.h"
#include "core/validate.h"

static const char *const examples[] = {"eks-test.yaml", "eks-prod.yaml", "eks-enterprise.yaml",
                                       "existing-cluster.yaml", "existing-manifests.yaml"};

static void dump_problems(const struct problems *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        char *s = problem_format(&ps->v[i]);
        print_message("# %s\n", s);
        free(s);
    }
}

/* Every field and every extra file equal. */
static void assert_profiles_equal(const struct profile *a, const struct profile *b)
{
    for (size_t i = 0; i < profile_nfields; i++) {
        const struct field_desc *f = &profile_fields[i];
        char *x = profile_field_format(a, f), *y = profile_field_format(b, f);
        if (strcmp(x, y))
            fail_msg("%s: \"%s\" != \"%s\"", f->path, x, y);
        free(x);
        free(y);
    }
    /* profile_field_format joins lists with ", ": compare items one by one. */
    const struct strlist *la[2] = {&a->aws.public_subnets, &a->aws.private_subnets};
    const struct strlist *lb[2] = {&b->aws.public_subnets, &b->aws.private_subnets};
    for (int l = 0; l < 2; l++) {
        assert_int_equal(la[l]->n, lb[l]->n);
        for (size_t i = 0; i < la[l]->n; i++)
            assert_string_equal(la[l]->v[i], lb[l]->v[i]);
    }
    assert_int_equal(a->version, b->version);
    assert_int_equal(a->n_extra_files, b->n_extra_files);
    for (size_t i = 0; i < a->n_extra_files; i++) {
        const struct extra_file *x = &a->extra_files[i], *y = &b->extra_files[i];
        assert_string_equal(x->source, y->source);
        assert_string_equal(x->configmap, y->configmap);
        assert_string_equal(x->key, y->key);
        assert_string_equal(x->mount_path, y->mount_path);
        assert_int_equal(x->api, y->api);
        assert_int_equal(x->worker, y->worker);
    }
}

/* load(dump(p)) == p and dump(load(dump(p))) == dump(p). Only load problems
 * (type, unknown key) count here: validation is not the point. */
static void check_round_trip(const struct profile *p)
{
    char *text = answers_dump(p, NULL);
    assert_non_null(text);
    struct profile q;
    struct problems ps;
    struct error err;
    problems_init(&ps);
    error_clear(&err);
    /* The result may fail validation (tricky test values); what matters is
     * that every value came back. */
    answers_load_text("rt.yaml", text, strlen(text), &q, &ps, &err);
    assert_profiles_equal(p, &q);
    char *again = answers_dump(&q, NULL);
    assert_non_null(again);
    assert_string_equal(text, again);
    free(again);
    free(text);
    problems_done(&ps);
    profile_done(&q);
}

static char *example_path(const char *name)
{
    return xasprintf("%s/assets/examples/%s", DIFY_SRCDIR, name);
}

static void test_examples_load_clean_and_round_trip(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(examples); i++) {
        char *path = example_path(examples[i]);
        struct profile p;
        struct problems ps;
        struct error err;
        problems_init(&ps);
        error_clear(&err);
        int rc = answers_load(path, &p, &ps, &err);
        if (rc != 0 || problems_errors(&ps) != 0) {
            dump_problems(&ps);
            fail_msg("%s: %s", path, err.msg);
        }
        check_round_trip(&p);
        problems_done(&ps);
        profile_done(&p);
        free(path);
    }
}

static void test_relative_source_resolves_to_answers_dir(void **state)
{
    char *path = example_path("existing-manifests.yaml");
    struct profile p;
    struct problems ps;
    struct error err;
    problems_init(&ps);
    assert_int_equal(answers_load(path, &p, &ps, &err), 0);
    assert_int_equal(p.n_extra_files, 1);
    char *want = xasprintf("%s/assets/examples/files/prompts.py", DIFY_SRCDIR);
    assert_string_equal(p.extra_files[0].source, want);
    assert_true(p.extra_files[0].api && p.extra_files[0].worker);
    assert_string_equal(p.extra_files[0].mount_path, "/app/api/core/llm_generator/prompts.py");
    assert_int_equal(p.method, METHOD_MANIFESTS);
    assert_true(p.domains.split);
    assert_int_equal(p.vector.kind, VECTOR_MILVUS);
    free(want);
    problems_done(&ps);
    profile_done(&p);
    free(path);
}

/* Tricky strings: each must read back as exactly this string. */
static const char *const tricky[] = {
    "true",        "123", "",  "a: b", "#x",  "null",         "1.5",      "no",  "with \"quotes\"",
    "caf\xc3\xa9", "-",   "~", "0x1F", "[x]", "line1\nline2", " padded ", "yes", "'"};

static void test_every_field_changed_round_trips(void **state)
{
    struct profile def, p;
    profile_init(&def, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    profile_init(&p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    size_t t = 0;
    for (size_t i = 0; i < profile_nfields; i++) {
        const struct field_desc *f = &profile_fields[i];
        void *ptr = profile_field_ptr(&p, f);
        switch (f->type) {
        case FT_STRING: {
            const char *v = tricky[t++ % ARRAY_LEN(tricky)];
            if (str_eq(*(char **)ptr, v))
                v = "changed";
            str_replace((char **)ptr, v);
            break;
        }
        case FT_INT:
            *(int *)ptr += 7;
            break;
        case FT_DOUBLE:
            *(double *)ptr += 1.5;
            break;
        case FT_BOOL:
            *(bool *)ptr = !*(bool *)ptr;
            break;
        case FT_ENUM: {
            int n = 0;
            while (f->enum_names[n])
                n++;
            *(int *)ptr = (*(int *)ptr + 1) % n;
            break;
        }
        case FT_STRLIST: {
            struct strlist *l = ptr;
            strlist_clear(l);
            strlist_add(l, "192.168.0.0/24");
            strlist_add(l, "true");
            strlist_add(l, "a, b");
            break;
        }
        }
        char *a = profile_field_format(&def, f), *b = profile_field_format(&p, f);
        if (!strcmp(a, b))
            fail_msg("%s did not change", f->path);
        free(a);
        free(b);
    }
    p.extra_files = xcalloc(2, sizeof(*p.extra_files));
    p.n_extra_files = 2;
    p.extra_files[0] = (struct extra_file){xstrdup("/tmp/x.py"), xstrdup("cm"), xstrdup("x.py"),
                                           xstrdup("/app/x.py"), true,          false};
    p.extra_files[1] = (struct extra_file){xstrdup("rel/y"), xstrdup("true"), xstrdup("123"),
                                           xstrdup("/y"),    false,           true};
    check_round_trip(&p);
    profile_done(&p);
    profile_done(&def);
}

static void test_defaults_round_trip(void **state)
{
    for (int e = 0; e < 2; e++)
        for (int tg = 0; tg < 2; tg++)
            for (int s = 0; s < 2; s++) {
                struct profile p;
                profile_init(&p, (enum edition)e, (enum target)tg, (enum size_preset)s);
                check_round_trip(&p);
                profile_done(&p);
            }
}

static void load_text(const char *text, struct profile *p, struct problems *ps, int want_rc)
{
    struct error err;
    error_clear(&err);
    problems_init(ps);
    int rc = answers_load_text("t.yaml", text, strlen(text), p, ps, &err);
    if (rc != want_rc) {
        dump_problems(ps);
        fail_msg("answers_load_text returned %d, expected %d (%s)", rc, want_rc, err.msg);
    }
}

static void expect_line(const struct problems *ps, const char *want)
{
    for (size_t i = 0; i < ps->n; i++) {
        char *s = problem_format(&ps->v[i]);
        bool hit = strstr(s, want) != NULL;
        free(s);
        if (hit)
            return;
    }
    dump_problems(ps);
    fail_msg("no problem line contains \"%s\"", want);
}

static void test_head_chooses_defaults(void **state)
{
    struct profile p;
    struct problems ps;
    load_text("version: 1\nedition: enterprise\ntarget: eks\nsize: prod\n", &p, &ps, 0);
    assert_int_equal(p.edition, EDITION_ENTERPRISE);
    assert_int_equal(p.size, SIZE_PROD);
    assert_string_equal(p.aws.node_type, "m7g.2xlarge");
    assert_string_equal(p.db.plugin_db, "dify_plugin_daemon");
    problems_done(&ps);
    profile_done(&p);
    /* Keys override the preset. */
    load_text("version: 1\nsize: prod\naws:\n  node_type: m7g.4xlarge\n  node_max: 12\n", &p, &ps,
              0);
    assert_string_equal(p.aws.node_type, "m7g.4xlarge");
    assert_int_equal(p.aws.node_max, 12);
    assert_int_equal(p.aws.node_count, 6);
    problems_done(&ps);
    profile_done(&p);
}

static void test_problems_have_positions_and_all_are_reported(void **state)
{
    struct profile p;
    struct problems ps;
    load_text("version: 1\n"
              "aws:\n"
              "  vpc_cidr: 10.0.0.0/33\n"
              "  regoin: us-west-2\n"
              "  node_count: \"3\"\n"
              "  irsa: [true]\n"
              "  public_subnets: 10.0.1.0/24\n"
              "database:\n"
              "  name: {a: b}\n"
              "  db_password: hunter2hunter2\n"
              "vector:\n"
              "  kind: elastic\n"
              "domains:\n"
              "  web_host: true\n"
              "storage: s3\n",
              &p, &ps, -1);
    expect_line(&ps, "t.yaml:3:3: aws.vpc_cidr: \"10.0.0.0/33\": prefix length must be 0-32");
    expect_line(&ps, "t.yaml:4:3: aws.regoin: unknown key; did you mean \"aws.region\"?");
    expect_line(&ps, "t.yaml:5:15: aws.node_count: expected a whole number, got a quoted string "
                     "\"3\" (remove the quotes)");
    expect_line(&ps, "t.yaml:6:9: aws.irsa: expected true or false, got a list");
    expect_line(&ps, "t.yaml:7:19: aws.public_subnets: expected a list");
    expect_line(&ps, "t.yaml:9:9: database.name: expected a string, got a mapping");
    expect_line(&ps, "t.yaml:10:3: database.db_password: secrets do not belong in the answers "
                     "file; put db_password in t.secrets.yaml");
    expect_line(&ps, "t.yaml:12:9: vector.kind: \"elastic\" is not one of opensearch, milvus");
    expect_line(&ps, "t.yaml:14:13: domains.web_host: expected a string, got the boolean true");
    expect_line(&ps, "t.yaml:15:10: storage: expected a mapping, got a string \"s3\"");
    assert_true(problems_errors(&ps) >= 10);
    problems_done(&ps);
    profile_done(&p);
}

static void test_version_rules(void **state)
{
    struct profile p;
    struct problems ps;
    load_text("edition: community\n", &p, &ps, -1);
    expect_line(&ps, "t.yaml:1:1: version: missing");
    problems_done(&ps);
    profile_done(&p);
    load_text("version: 2\n", &p, &ps, -1);
    expect_line(&ps, "t.yaml:1:10: version: 2 is newer than this program understands");
    problems_done(&ps);
    profile_done(&p);
    load_text("version: \"1\"\n", &p, &ps, -1);
    expect_line(&ps, "version: expected a whole number such as 1, got a quoted string");
    problems_done(&ps);
    profile_done(&p);
    load_text("version: 1\nedition: premium\n", &p, &ps, -1);
    expect_line(&ps, "t.yaml:2:10: edition: \"premium\" is not one of community, enterprise");
    problems_done(&ps);
    profile_done(&p);
}

static void test_broken_inputs(void **state)
{
    struct profile p;
    struct problems ps;
    load_text("", &p, &ps, -1);
    expect_line(&ps, "t.yaml: the file is empty");
    problems_done(&ps);
    profile_done(&p);
    load_text("version: 1\naws: [1, 2\n", &p, &ps, -1);
    expect_line(&ps, "t.yaml:");
    problems_done(&ps);
    profile_done(&p);
    load_text("- a\n- b\n", &p, &ps, -1);
    expect_line(&ps, "t.yaml:1:1: expected a mapping of settings (key: value), got a list");
    problems_done(&ps);
    profile_done(&p);
    load_text("version: 1\nversion: 1\n", &p, &ps, -1);
    expect_line(&ps, "t.yaml:2:1: duplicate key \"version\"");
    problems_done(&ps);
    profile_done(&p);
    load_text("version: 1\nextra_files:\n  - source: x\n    mount: /a\n", &p, &ps, -1);
    expect_line(&ps, "t.yaml:4:5: extra_files[0].mount: unknown key; did you mean "
                     "\"mount_path\"?");
    expect_line(&ps, "t.yaml:3:5: extra_files[0].configmap: missing; every extra file needs");
    problems_done(&ps);
    profile_done(&p);
}

static void test_validation_problems_placed_at_key(void **state)
{
    struct profile p;
    struct problems ps;
    load_text("version: 1\ntarget: existing\ndatabase:\n  host: pg\n  name: dify\n"
              "  plugin_database: dify\nredis:\n  host: r\nvector:\n  kind: pgvector\n",
              &p, &ps, -1);
    expect_line(&ps, "t.yaml:6:3: database.plugin_database: \"dify\" is also the main database");
    problems_done(&ps);
    profile_done(&p);
    /* A field not in the file gets the file name only. */
    load_text("version: 1\ntarget: existing\n", &p, &ps, -1);
    expect_line(&ps, "t.yaml: database.host: empty");
    problems_done(&ps);
    profile_done(&p);
    /* Warnings alone still load. */
    load_text("version: 1\naws:\n  node_type: m7i.xlarge\n", &p, &ps, 0);
    expect_line(&ps, "t.yaml:3:3: warning: aws.node_type: \"m7i.xlarge\" is not a Graviton");
    problems_done(&ps);
    profile_done(&p);
}

static void test_answers_save_is_atomic_0644(void **state)
{
    char dir[] = "/tmp/dify-answers-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/a.yaml", dir);
    struct profile p;
    profile_init(&p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    struct error err;
    error_clear(&err);
    assert_int_equal(answers_save(path, &p, &err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    struct profile q;
    struct problems ps;
    problems_init(&ps);
    answers_load(path, &q, &ps, &err); /* existing without hosts: validation errors only */
    assert_profiles_equal(&p, &q);
    problems_done(&ps);
    profile_done(&q);
    profile_done(&p);
    unlink(path);
    rmdir(dir);
    free(path);
}

/* ---- secrets ---- */

static void test_secrets_path_for(void **state)
{
    char *s = secrets_path_for("x.yaml");
    assert_string_equal(s, "x.secrets.yaml");
    free(s);
    s = secrets_path_for("dir/prod.yml");
    assert_string_equal(s, "dir/prod.secrets.yaml");
    free(s);
    s = secrets_path_for("answers");
    assert_string_equal(s, "answers.secrets.yaml");
    free(s);
}

static void clear_env(void)
{
    for (size_t i = 0; i < secret_nfields; i++)
        unsetenv(secret_fields[i].env);
}

static void test_secrets_save_load_0600(void **state)
{
    clear_env();
    char dir[] = "/tmp/dify-secrets-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/a.secrets.yaml", dir);
    struct secrets s, t;
    secrets_init(&s);
    struct error err;
    error_clear(&err);
    assert_int_equal(secrets_fill(&s, NULL, &err), 6);
    s.s3_access_key = xstrdup("true");         /* must stay a string */
    s.openai_api_key = xstrdup("sk-\"x\": y"); /* quoting */
    assert_int_equal(secrets_save(path, &s, &err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    secrets_init(&t);
    struct problems ps;
    problems_init(&ps);
    assert_int_equal(secrets_load(path, &t, &ps, &err), 0);
    assert_int_equal(ps.n, 0);
    for (size_t i = 0; i < secret_nfields; i++) {
        const char *a = *secrets_field_ptr(&s, &secret_fields[i]);
        const char *b = *secrets_field_ptr(&t, &secret_fields[i]);
        if (!str_eq(a, b))
            fail_msg("%s differs after the round trip", secret_fields[i].key);
    }
    /* Every loaded value is masked in the log. */
    char *line = xasprintf("key=%s", t.secret_key);
    char *red = log_redact(line);
    assert_null(strstr(red, t.secret_key));
    free(red);
    free(line);
    secrets_done(&t);

    /* Group- or other-readable: refused with the chmod that fixes it. */
    assert_int_equal(chmod(path, 0644), 0);
    secrets_init(&t);
    assert_int_equal(secrets_load(path, &t, &ps, &err), -1);
    char *want = xasprintf("chmod 600 %s", path);
    assert_non_null(strstr(err.msg, want));
    free(want);
    assert_null(t.secret_key);
    secrets_done(&t);
    problems_done(&ps);

    secrets_done(&s);
    unlink(path);
    rmdir(dir);
    free(path);
}

static void test_secrets_missing_file_env_and_unknown(void **state)
{
    clear_env();
    struct secrets s;
    struct problems ps;
    struct error err;
    secrets_init(&s);
    problems_init(&ps);
    error_clear(&err);
    setenv("DIFY_DB_PASSWORD", "from-the-environment", 1);
    assert_int_equal(secrets_load("/nonexistent/dir/x.secrets.yaml", &s, &ps, &err), 0);
    assert_string_equal(s.db_password, "from-the-environment");
    secrets_done(&s);

    char dir[] = "/tmp/dify-secrets-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/s.yaml", dir);
    const char *text = "db_password: from-the-file-123\nsecert_key: x\nsandbox_key: [a]\n";
    assert_int_equal(file_write_atomic(path, text, strlen(text), 0600, &err), 0);
    secrets_init(&s);
    assert_int_equal(secrets_load(path, &s, &ps, &err), -1);
    /* The environment wins over the file. */
    assert_string_equal(s.db_password, "from-the-environment");
    bool unknown = false, type = false;
    for (size_t i = 0; i < ps.n; i++) {
        char *l = problem_format(&ps.v[i]);
        if (strstr(l, ":2:1: secert_key: unknown secret; did you mean \"secret_key\"?"))
            unknown = true;
        if (strstr(l, ":3:14: sandbox_key: expected a string, got a list"))
            type = true;
        free(l);
    }
    assert_true(unknown);
    assert_true(type);
    unsetenv("DIFY_DB_PASSWORD");
    secrets_done(&s);
    problems_done(&ps);
    unlink(path);
    rmdir(dir);
    free(path);
}

/* A secret that YAML reads as a number or a boolean is refused at its
 * position, without its value; quoted, it is text. */
static void test_secrets_must_be_strings(void **state)
{
    clear_env();
    char dir[] = "/tmp/dify-secrets-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/s.yaml", dir);
    const char *text = "db_password: 123456789012345\nredis_password: true\n"
                       "sandbox_key: 1e300\nsecret_key: \"0123456789012345678901234567890123\"\n";
    struct error err;
    struct secrets s;
    struct problems ps;
    error_clear(&err);
    assert_int_equal(file_write_atomic(path, text, strlen(text), 0600, &err), 0);
    secrets_init(&s);
    problems_init(&ps);
    assert_int_equal(secrets_load(path, &s, &ps, &err), -1);
    const char *want[] = {":1:14: db_password: reads as a number, not as text; put the secret in "
                          "quotes",
                          ":2:17: redis_password: reads as a boolean",
                          ":3:14: sandbox_key: reads "
                          "as a number"};
    for (size_t w = 0; w < ARRAY_LEN(want); w++) {
        bool found = false;
        for (size_t i = 0; i < ps.n; i++) {
            char *l = problem_format(&ps.v[i]);
            found |= strstr(l, want[w]) != NULL;
            assert_null(strstr(l, "123456789012345"));
            free(l);
        }
        if (!found)
            fail_msg("no problem \"%s\"", want[w]);
    }
    assert_int_equal(ps.n, 3);
    assert_null(s.db_password);
    assert_string_equal(s.secret_key, "0123456789012345678901234567890123");
    secrets_done(&s);
    problems_done(&ps);
    unlink(path);
    rmdir(dir);
    free(path);
}

static void test_secrets_fill_never_replaces(void **state)
{
    struct secrets s;
    struct error err;
    secrets_init(&s);
    s.db_password = xstrdup("chosen-by-me-1");
    s.secret_key = xstrdup("k-0123456789abcdef0123456789abcdef");
    int n = secrets_fill(&s, NULL, &err);
    assert_int_equal(n, 4); /* redis, plugin daemon, inner api, sandbox */
    assert_string_equal(s.db_password, "chosen-by-me-1");
    assert_string_equal(s.secret_key, "k-0123456789abcdef0123456789abcdef");
    assert_true(strlen(s.plugin_daemon_key) >= 32);
    assert_null(s.init_password); /* not generatable */
    assert_null(s.s3_access_key);
    char *keep = xstrdup(s.sandbox_key);
    assert_int_equal(secrets_fill(&s, NULL, &err), 0);
    assert_string_equal(s.sandbox_key, keep);
    free(keep);
    secrets_done(&s);
    /* A generated database password is then fixed too. */
    secrets_init(&s);
    assert_int_equal(secrets_fill(&s, NULL, &err), 6);
    char *pw = xstrdup(s.db_password);
    assert_int_equal(secrets_fill(&s, NULL, &err), 0);
    assert_string_equal(s.db_password, pw);
    free(pw);
    secrets_done(&s);
}

/* Secrets only where this installer makes the service: on an existing
 * cluster the database and Redis are the user's, and their passwords are
 * never invented; on EKS the stack's are generated, Redis's as the
 * ElastiCache AUTH token (32 letters and digits). */
static void test_secrets_fill_policy(void **state)
{
    struct profile p;
    struct secrets s;
    struct error err;
    profile_init(&p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    secrets_init(&s);
    assert_int_equal(secrets_fill(&s, &p, &err), 4); /* SECRET_KEY and Dify's three keys */
    assert_null(s.db_password);
    assert_null(s.redis_password);
    assert_true(secret_needed(&p, secret_field_find("db_password")));
    assert_true(secret_needed(&p, secret_field_find("redis_password")));
    p.db.auth = AUTH_NONE;
    p.redis.auth = AUTH_NONE;
    assert_false(secret_needed(&p, secret_field_find("db_password")));
    assert_false(secret_needed(&p, secret_field_find("redis_password")));
    assert_int_equal(secrets_fill(&s, &p, &err), 0);
    secrets_done(&s);
    profile_done(&p);

    profile_init(&p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    secrets_init(&s);
    assert_int_equal(secrets_fill(&s, &p, &err), 6);
    assert_non_null(s.db_password);
    assert_int_equal(strlen(s.redis_password), 32);
    for (const char *c = s.redis_password; *c; c++)
        assert_true(isalnum((unsigned char)*c));
    assert_false(secret_needed(&p, secret_field_find("db_password")));
    secrets_done(&s);
    profile_done(&p);
    char *a = secret_generate_alnum(64);
    assert_int_equal(strlen(a), 64);
    assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
                     64);
    free(a);
}

static void test_secret_generate_and_mask(void **state)
{
    char *a = secret_generate(42), *b = secret_generate(42);
    assert_int_equal(strlen(a), 56);
    assert_string_not_equal(a, b);
    for (const char *c = a; *c; c++)
        assert_non_null(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *c));
    char *m = secret_mask(a);
    assert_null(strstr(m, a + 2));
    assert_int_equal(strncmp(m, a, 2), 0);
    assert_non_null(strstr(m, "56 chars"));
    free(m);
    m = secret_mask("short-pw");
    assert_null(strstr(m, "sh"));
    assert_non_null(strstr(m, "8 chars"));
    free(m);
    m = secret_mask(NULL);
    assert_string_equal(m, "(not set)");
    free(m);
    /* counted in characters, and never cut inside one: "p\u00e4ss..." is
     * shown "p\u00e4..." (14 chars), not "p\xc3..." (17 bytes) */
    m = secret_mask("p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac-long");
    assert_string_equal(m, "p\xc3\xa4\xe2\x80\xa6 (14 chars)");
    free(m);
    m = secret_mask("p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac");
    assert_string_equal(m, "****** (9 chars)");
    free(m);
    free(a);
    free(b);
    char *c = secret_generate(1);
    assert_int_equal(strlen(c), 2);
    free(c);
    assert_null(secret_generate(0));
}

static void test_suggestions(void **state)
{
    static const char *const c[] = {"region", "cluster_name", "vpc_cidr"};
    assert_string_equal(answers_closest("regoin", c, 3), "region");
    assert_string_equal(answers_closest("vpc_cdir", c, 3), "vpc_cidr");
    assert_null(answers_closest("banana", c, 3));
    assert_true(answers_key_is_secret("db_password"));
    assert_true(answers_key_is_secret("GITHUB_TOKEN"));
    assert_false(answers_key_is_secret("tls_secret"));
    assert_false(answers_key_is_secret("region"));
}

/* docs/answers.md lists every key and every secret's variable. */
static void test_docs_list_every_key(void **state)
{
    char *path = xasprintf("%s/docs/answers.md", DIFY_SRCDIR);
    char *text;
    size_t len;
    struct error err;
    assert_int_equal(file_read_all(path, 1 << 20, &text, &len, &err), 0);
    for (size_t i = 0; i < profile_nfields; i++) {
        const char *p = profile_fields[i].path;
        char *want;
        if (str_starts_with(p, "components.")) {
            /* components.NAME.x: the api row, and NAME in the list of names. */
            const char *last = strrchr(p, '.');
            want = xasprintf("components.api%s", last);
        } else {
            want = xasprintf("`%s`", p);
        }
        if (!strstr(text, want))
            fail_msg("docs/answers.md does not mention %s", want);
        free(want);
    }
    for (int c = 0; component_names[c]; c++)
        assert_non_null(strstr(text, component_names[c]));
    for (size_t i = 0; i < secret_nfields; i++)
        assert_non_null(strstr(text, secret_fields[i].env));
    free(text);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_load_clean_and_round_trip),
        cmocka_unit_test(test_relative_source_resolves_to_answers_dir),
        cmocka_unit_test(test_every_field_changed_round_trips),
        cmocka_unit_test(test_defaults_round_trip),
        cmocka_unit_test(test_head_chooses_defaults),
        cmocka_unit_test(test_problems_have_positions_and_all_are_reported),
        cmocka_unit_test(test_version_rules),
        cmocka_unit_test(test_broken_inputs),
        cmocka_unit_test(test_validation_problems_placed_at_key),
        cmocka_unit_test(test_answers_save_is_atomic_0644),
        cmocka_unit_test(test_secrets_path_for),
        cmocka_unit_test(test_secrets_save_load_0600),
        cmocka_unit_test(test_secrets_missing_file_env_and_unknown),
        cmocka_unit_test(test_secrets_must_be_strings),
        cmocka_unit_test(test_secrets_fill_never_replaces),
        cmocka_unit_test(test_secrets_fill_policy),
        cmocka_unit_test(test_secret_generate_and_mask),
        cmocka_unit_test(test_suggestions),
        cmocka_unit_test(test_docs_list_every_key),
    };
    return cmocka_run_group_tests_name("answers", tests, NULL, NULL);
}
