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
#include <string.h>

#include "core/dify_versions.h"
#include "core/error.h"
#include "core/history.h"
#include "core/log.h"
#include "core/plan.h"
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

/* A rendering kept in the state directory comes back as written; the tag
 * of an image is read from a manifest and from chart values. */
static void test_kept_rendering(void)
{
    struct profile p;
    struct secrets s;
    fill(&p, &s);
    char *state = path_join(tmp, "state");
    char *dir = path_join(state, "rendered");
    write_rendering(&p, &s, dir);
    struct error err = {0};
    CHECK_MSG(upgrade_keep_deployed(state, &err) == 0, "%s", err.msg);
    char *kept = path_join(state, UPGRADE_DEPLOYED);
    struct rendered a = {0}, b = {0};
    CHECK(render_profile(&p, &s, &a, &err) == 0);
    CHECK_MSG(upgrade_load_rendering(kept, &b, &err) == 0, "%s", err.msg);
    CHECK_INT(b.n, a.n);
    size_t same = 0, secret_modes = 0;
    for (size_t i = 0; i < a.n; i++)
        for (size_t k = 0; k < b.n; k++)
            if (strcmp(a.v[i].name, b.v[k].name) == 0 && a.v[i].len == b.v[k].len &&
                memcmp(a.v[i].data, b.v[k].data, a.v[i].len) == 0 && a.v[i].mode == b.v[k].mode) {
                same++;
                secret_modes += (b.v[k].mode & 077) == 0;
            }
    CHECK_INT(same, a.n);
    CHECK(secret_modes > 0); /* the Secrets' files stay 0600 */
    /* the kept copy compares as unchanged */
    struct up_diff d;
    CHECK(upgrade_diff(kept, &a, &d, &err) == 0);
    CHECK_INT(d.n, 0);
    upgrade_diff_done(&d);
    /* the plugin daemon's tag as the manifests deploy it */
    char *tag = upgrade_rendered_tag(&a, "langgenius/dify-plugin-daemon");
    const struct dify_release *rel = dify_release_find(p.image_tag);
    CHECK(tag && rel);
    if (tag && rel)
        CHECK_STR(tag, rel->plugin_daemon);
    free(tag);
    /* and as chart values write it */
    struct rendered_file vf = {"values.yaml",
                               "image:\n  pluginDaemon:\n    repository: "
                               "langgenius/dify-plugin-daemon\n    tag: \"0.9.9-local\"\n",
                               0, 0644};
    vf.len = strlen(vf.data);
    struct rendered v = {&vf, 1};
    tag = upgrade_rendered_tag(&v, "langgenius/dify-plugin-daemon");
    CHECK_STR(tag, "0.9.9-local");
    free(tag);
    CHECK(upgrade_rendered_tag(&v, "langgenius/dify-sandbox") == NULL);
    /* nothing recorded: a clear error */
    struct rendered none = {0};
    char *empty = path_join(tmp, "empty");
    CHECK(upgrade_load_rendering(empty, &none, &err) < 0);
    CHECK_CONTAINS(err.msg, "no rendering recorded");
    free(empty);
    rendered_done(&a);
    rendered_done(&b);
    free(kept);
    free(dir);
    free(state);
    profile_done(&p);
    secrets_done(&s);
}

static struct plan_step *step_of(struct plan *pl, const char *id)
{
    struct plan_step *st = plan_find(pl, id);
    CHECK_MSG(st != NULL, "no step %s", id);
    return st;
}

/* The rollback plan: the kept rendering's config and application applied
 * again (manifests), or helm rollback to the recorded release revision;
 * then the rollouts and the revision restored. The target step refuses a
 * pair that does not go together. */
static void test_rollback_plan(void)
{
    struct profile p;
    struct secrets s;
    fill(&p, &s);
    char *dir = path_join(tmp, "rb");
    write_rendering(&p, &s, dir);
    struct plan_ctx c = {0};
    c.profile = &p;
    c.secrets = &s;
    c.rendered_dir = dir;
    struct history_run good = {0};
    good.image_tag = "1.13.3";
    good.method = "manifests";
    struct plan *pl = NULL;
    struct error err = {0};
    CHECK_MSG(plan_build_rollback(&c, &good, &pl, &err) == 0, "%s", err.msg);
    if (pl) {
        CHECK_STR(plan_what(pl), "rollback");
        const char *order[] = {"rollback-target", "rollback-config", "rollback-application",
                               "rollouts", "revision"};
        CHECK_INT(plan_count(pl), ARRAY_LEN(order));
        for (size_t i = 0; i < ARRAY_LEN(order) && i < plan_count(pl); i++)
            CHECK_STR(plan_step_id(plan_step_at(pl, i)), order[i]);
        struct strbuf sb;
        strbuf_init(&sb);
        plan_describe(pl, &sb);
        CHECK_CONTAINS(sb.buf, "object Deployment dify/dify-api");
        CHECK_CONTAINS(sb.buf, "object ConfigMap dify/dify-config");
        CHECK_LACKS(sb.buf, "object Job ");                  /* the migration is not run again */
        CHECK_LACKS(sb.buf, "object PersistentVolumeClaim"); /* volumes stay */
        CHECK_LACKS(sb.buf, "dbpw-old-0123456789");
        CHECK_CONTAINS(sb.buf, "Dify 1.13.3");
        strbuf_done(&sb);
        step_of(pl, "revision");
        plan_free(pl);
    }
    /* Helm: helm rollback to the revision the good run recorded */
    good.method = "helm";
    good.helm_revision = "3";
    pl = NULL;
    CHECK_MSG(plan_build_rollback(&c, &good, &pl, &err) == 0, "%s", err.msg);
    if (pl) {
        CHECK(plan_find(pl, "rollback-application") == NULL);
        struct strbuf sb;
        strbuf_init(&sb);
        plan_describe(pl, &sb);
        CHECK_CONTAINS(sb.buf, "rollback dify 3 --namespace dify --wait");
        strbuf_done(&sb);
        plan_free(pl);
    }
    /* the target step: a pair that does not go together fails for good */
    const struct dify_release *ee = NULL;
    for (size_t i = 0; i < dify_nreleases && !ee; i++)
        if (dify_releases[i].line == DIFY_LINE_ENTERPRISE)
            ee = &dify_releases[i];
    pl = plan_new("upgrade");
    str_replace(&p.image_tag, dify_releases[0].api);
    CHECK(steps_upgrade_target_add(pl, &c, "1.13.3", dify_releases[0].plugin_daemon, &err) == 0);
    struct strbuf sb;
    strbuf_init(&sb);
    plan_describe(pl, &sb);
    CHECK_CONTAINS(sb.buf, "Upgrade Dify 1.13.3 to");
    CHECK_CONTAINS(sb.buf, "goes with plugin daemon");
    strbuf_done(&sb);
    plan_free(pl);
    if (ee) {
        pl = plan_new("upgrade");
        str_replace(&p.image_tag, ee->api);
        CHECK(steps_upgrade_target_add(pl, &c, "1.13.3", dify_releases[0].plugin_daemon, &err) ==
              0);
        strbuf_init(&sb);
        plan_describe(pl, &sb);
        CHECK_CONTAINS(sb.buf, "does not go with");
        strbuf_done(&sb);
        plan_free(pl);
    }
    free(dir);
    profile_done(&p);
    secrets_done(&s);
}

/* A changed ConfigMap changes the checksum/config annotation of the pod
 * templates that read it, so their Deployments roll (seed 004), and no
 * other Deployment's. */
static void test_config_checksum(void)
{
    struct profile p;
    struct secrets s;
    fill(&p, &s);
    char *dir = path_join(tmp, "ck");
    write_rendering(&p, &s, dir);
    str_replace(&p.db.plugin_db, "dify_plugin_renamed");
    struct rendered r = {0};
    struct error err = {0};
    CHECK(render_profile(&p, &s, &r, &err) == 0);
    struct up_diff d;
    CHECK(upgrade_diff(dir, &r, &d, &err) == 0);
    bool api = false, web = false, cm = false;
    for (size_t i = 0; i < d.n; i++) {
        const struct up_file *f = &d.v[i];
        if (strcmp(f->name, "manifests/32-api.yaml") == 0) {
            api = true;
            CHECK_CONTAINS(f->diff.buf, "-         checksum/config: ");
            CHECK_CONTAINS(f->diff.buf, "+         checksum/config: ");
            CHECK_INT(f->added, 1);
        }
        web = web || strcmp(f->name, "manifests/35-web.yaml") == 0;
        cm = cm || strcmp(f->name, "manifests/20-configmaps.yaml") == 0;
    }
    CHECK(api);
    CHECK(cm);
    CHECK(!web); /* web reads no ConfigMap: it does not restart */
    upgrade_diff_done(&d);
    rendered_done(&r);
    free(dir);
    profile_done(&p);
    secrets_done(&s);
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
        {"upgrade: the deployed rendering kept and read back, image tags", test_kept_rendering,
         NULL},
        {"upgrade: the rollback plan and the target step", test_rollback_plan, NULL},
        {"upgrade: a changed ConfigMap rolls the pods that read it", test_config_checksum, NULL},
    };
    int rc = tap_run(cases, ARRAY_LEN(cases));
    char *cmd = xasprintf("rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        rc = 1;
    free(cmd);
    free(tmp);
    return rc;
}
