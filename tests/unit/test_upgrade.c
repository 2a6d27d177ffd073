/* tests/unit/test_upgrade.c: what an upgrade shows before it changes
 * anything. A profile rendered and written as `render` writes it, then a
 * new image tag and a replica count: the changed files with their old and
 * new lines, the manifests' objects named, the secret files saying only
 * that they changed, registered secrets masked in every line; nothing
 * changed when nothing did; a first install (no earlier rendering) adds
 * everything; and the api/plugin daemon pair checked against the version
 * table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/dify_versions.h"
#include "core/error.h"
#include "core/log.h"
#include "core/profile.h"
#include "core/render.h"
#include "core/upgrade.h"
#include "core/util.h"
#include "tests/unit/tap.h"

static char *tmp;

static void fill(struct profile *p, struct secrets *s)
{
    profile_init(p, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    p->method = METHOD_MANIFESTS;
    secrets_init(s);
    const char *vals[][2] = {{"secret_key", "sk-0123456789abcdef0123456789"},
                             {"db_password", "dbpw-old-0123456789"},
                             {"redis_password", "redis-0123456789"},
                             {"plugin_daemon_key", "pdk-0123456789abcdef"},
                             {"inner_api_key", "iak-0123456789abcdef"},
                             {"sandbox_key", "sbk-0123456789abcdef"}};
    for (size_t i = 0; i < ARRAY_LEN(vals); i++)
        for (size_t k = 0; k < secret_nfields; k++)
            if (strcmp(secret_fields[k].key, vals[i][0]) == 0)
                str_replace(secrets_field_ptr(s, &secret_fields[k]), vals[i][1]);
    str_replace(&p->db.host, "db.internal");
    str_replace(&p->redis.host, "redis.internal");
    str_replace(&p->domains.web_host, "dify.example.com");
}

static void write_rendering(const struct profile *p, const struct secrets *s, const char *dir)
{
    struct rendered r = {0};
    struct error err = {0};
    CHECK_MSG(render_profile(p, s, &r, &err) == 0, "%s", err.msg);
    struct render_out o = {0};
    CHECK_MSG(render_out_open(&o, dir, &err) == 0, "%s", err.msg);
    CHECK_MSG(render_out_write(&o, &r, &err) == 0, "%s", err.msg);
    render_out_done(&o);
    rendered_done(&r);
}

static void test_changes_old_and_new(void)
{
    struct profile p;
    struct secrets s;
    fill(&p, &s);
    const struct dify_release *old = &dify_releases[dify_nreleases > 1 ? 1 : 0];
    const struct dify_release *now = &dify_releases[0];
    str_replace(&p.image_tag, old->api);
    char *dir = path_join(tmp, "rendered");
    write_rendering(&p, &s, dir);

    /* the same profile: nothing changes */
    struct rendered r = {0};
    struct error err = {0};
    CHECK(render_profile(&p, &s, &r, &err) == 0);
    struct up_diff d;
    CHECK(upgrade_diff(dir, &r, &d, &err) == 0);
    CHECK_INT(d.n, 0);
    struct strbuf sb;
    strbuf_init(&sb);
    upgrade_diff_describe(&d, 0, &sb);
    CHECK_CONTAINS(sb.buf, "nothing changes");
    upgrade_diff_done(&d);
    rendered_done(&r);

    /* a new release and a new database password */
    str_replace(&p.image_tag, now->api);
    str_replace(&s.db_password, "dbpw-new-9876543210");
    log_add_secret("dbpw-new-9876543210");
    log_add_secret("dbpw-old-0123456789");
    CHECK(render_profile(&p, &s, &r, &err) == 0);
    CHECK(upgrade_diff(dir, &r, &d, &err) == 0);
    strbuf_reset(&sb);
    upgrade_diff_describe(&d, 0, &sb);
    if (strcmp(old->api, now->api) != 0) {
        CHECK_CONTAINS(sb.buf, old->api);
        CHECK_CONTAINS(sb.buf, now->api);
    }
    CHECK_CONTAINS(sb.buf, "Deployment dify-api changed");
    char *want = xasprintf("manifests/32-api.yaml: changed (-1 +1 lines)\n  Deployment dify-api "
                           "changed\n    -         image: langgenius/dify-api:%s\n    +         "
                           "image: langgenius/dify-api:%s\n",
                           old->api, now->api);
    if (strcmp(old->api, now->api) != 0)
        CHECK_CONTAINS(sb.buf, want);
    free(want);
    CHECK_CONTAINS(sb.buf, "(it holds secrets: values not shown)");
    CHECK_LACKS(sb.buf, "dbpw-new-9876543210");
    CHECK_LACKS(sb.buf, "dbpw-old-0123456789");
    upgrade_diff_done(&d);
    rendered_done(&r);

    /* a first install: everything is added */
    char *none = path_join(tmp, "nothing-here");
    CHECK(render_profile(&p, &s, &r, &err) == 0);
    CHECK(upgrade_diff(none, &r, &d, &err) == 0);
    CHECK_INT(d.n, r.n);
    CHECK_INT(d.v[0].kind, UP_ADDED);
    upgrade_diff_done(&d);
    rendered_done(&r);
    free(none);
    strbuf_done(&sb);
    free(dir);
    profile_done(&p);
    secrets_done(&s);
}

static void test_pairs(void)
{
    char msg[512];
    const struct dify_release *r = &dify_releases[0];
    CHECK_INT(upgrade_check_pair(r->api, NULL, msg, sizeof(msg)), 0);
    CHECK_CONTAINS(msg, r->plugin_daemon);
    CHECK_INT(upgrade_check_pair("0.0.1-unknown", NULL, msg, sizeof(msg)), 1);
    CHECK_CONTAINS(msg, "not in this program's version table");
    /* a daemon of another release */
    const char *other = NULL;
    for (size_t i = 1; i < dify_nreleases && !other; i++)
        if (dify_releases[i].plugin_daemon &&
            strcmp(dify_releases[i].plugin_daemon, r->plugin_daemon) != 0)
            other = dify_releases[i].plugin_daemon;
    if (other) {
        CHECK_INT(upgrade_check_pair(r->api, other, msg, sizeof(msg)), -1);
        CHECK_CONTAINS(msg, "does not go with");
    }
}

int main(void)
{
    const char *t = getenv("TMPDIR");
    tmp = xasprintf("%s/dify-upgrade-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmp))
        return 1;
    static const struct tap_case cases[] = {
        {"upgrade: files and objects old vs new, secrets masked", test_changes_old_and_new, NULL},
        {"upgrade: the api / plugin daemon pair", test_pairs, NULL},
    };
    int rc = tap_run(cases, ARRAY_LEN(cases));
    char *cmd = xasprintf("rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        rc = 1;
    free(cmd);
    free(tmp);
    return rc;
}
