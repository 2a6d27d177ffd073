/* tests/unit/test_steps_db.c: the install's database step run by the real
 * runner against a real PostgreSQL (tests/svc.sh): the plugin daemon's
 * database created once and skipped the second time; Dify Enterprise's
 * enterprise and audit databases; a user without CREATEDB refused before
 * anything is created, with what to ask the administrator; a wrong
 * password (28P01) with the kept-volume hint; waiting for a server that
 * does not accept connections yet; through a real sshd to the database,
 * and an unknown bastion host key refused with its fingerprint; an
 * existing cluster's database name unknown here left to the database Job,
 * or reached at the address given (--db-address); on EKS
 * without a bastion, skipped with the reason. */
#include "config.h"

#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/pgconn.h"
#include "core/profile.h"
#include "core/sshtunnel.h"
#include "core/steps_native.h"
#include "tests/unit/stephar.h"
#include "tests/unit/svc.h"
#include "tests/unit/tap.h"

static struct svc pg, sshd;

static const char *need_pg(void)
{
    return pg.skip;
}

static const char *need_pg_sshd(void)
{
    return pg.skip ? pg.skip : sshd.skip;
}

struct fix {
    struct sh h;
    struct profile p;
    struct secrets s;
};

static void fix_init(struct fix *f, enum edition e, const char *user, const char *password,
                     const char *plugin_db)
{
    sh_init(&f->h);
    profile_init(&f->p, e, TARGET_EXISTING, SIZE_TEST);
    secrets_init(&f->s);
    str_replace(&f->p.db.host, svc_get(&pg, "PG_HOST"));
    f->p.db.port = svc_get_int(&pg, "PG_PORT");
    str_replace(&f->p.db.user, user);
    str_replace(&f->p.db.name, "dify");
    str_replace(&f->p.db.plugin_db, plugin_db);
    str_replace(&f->p.db.sslmode, "disable");
    str_replace(&f->s.db_password, password);
    f->h.ctx.profile = &f->p;
    f->h.ctx.secrets = &f->s;
    f->h.ctx.answers_path = "answers.yaml";
}

static void fix_done(struct fix *f)
{
    sh_done(&f->h);
    profile_done(&f->p);
    secrets_done(&f->s);
}

static enum runner_state run_db(struct fix *f)
{
    struct plan *p = plan_new("install");
    struct error err = {0};
    CHECK_MSG(steps_db_add(p, &f->h.ctx, &err) == 0, "%s", err.msg);
    return sh_run(&f->h, p, true);
}

/* Asks the server (as its superuser) whether a database exists. */
static bool db_exists(const char *name)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd),
             "PGPASSWORD='%s' psql -X -At -h 127.0.0.1 -p %s -U postgres -d postgres -c "
             "\"SELECT 1 FROM pg_database WHERE datname='%s'\" 2>/dev/null | grep -q 1",
             svc_get(&pg, "PG_ADMIN_PASSWORD"), svc_get(&pg, "PG_PORT"), name);
    return system(cmd) == 0;
}

static void test_created_once_then_skipped(void)
{
    CHECK_MSG(!pg.error, "%s", pg.error);
    struct fix f;
    fix_init(&f, EDITION_COMMUNITY, svc_get(&pg, "PG_USER"), svc_get(&pg, "PG_PASSWORD"),
             "dify_plugin");
    CHECK(!db_exists("dify_plugin"));
    CHECK_INT(run_db(&f), RUNNER_DONE);
    const struct runner_step_info *si = sh_step(&f.h, "database");
    CHECK_INT(si->state, STEP_DONE);
    CHECK_CONTAINS(si->message, "created dify_plugin");
    CHECK_CONTAINS(si->message, "exists: dify");
    CHECK(db_exists("dify_plugin"));
    const struct runner_row *row = sh_row(&f.h, "database", "dify_plugin");
    CHECK(row != NULL);
    CHECK_STR(row->status, "created");
    /* the password is in no line the step printed */
    CHECK_LACKS(f.h.lines.buf, svc_get(&pg, "PG_PASSWORD"));
    sh_end(&f.h, false);

    /* a second install on a fresh journal: nothing to create */
    CHECK_INT(run_db(&f), RUNNER_DONE);
    si = sh_step(&f.h, "database");
    CHECK_CONTAINS(si->message, "exists: dify, dify_plugin (nothing to do)");
    row = sh_row(&f.h, "database", "dify_plugin");
    CHECK_CONTAINS(row->status, "exists (owner dify)");
    fix_done(&f);
}

static void test_enterprise_databases(void)
{
    CHECK_MSG(!pg.error, "%s", pg.error);
    struct fix f;
    fix_init(&f, EDITION_ENTERPRISE, svc_get(&pg, "PG_USER"), svc_get(&pg, "PG_PASSWORD"),
             "dify_plugin_daemon");
    CHECK_INT(run_db(&f), RUNNER_DONE);
    CHECK(db_exists("dify_plugin_daemon"));
    CHECK(db_exists("enterprise"));
    CHECK(db_exists("audit"));
    CHECK_CONTAINS(sh_step(&f.h, "database")->message,
                   "created dify_plugin_daemon, enterprise, audit");
    fix_done(&f);
}

static void test_user_without_createdb(void)
{
    CHECK_MSG(!pg.error, "%s", pg.error);
    struct fix f;
    fix_init(&f, EDITION_COMMUNITY, svc_get(&pg, "PG_PLAIN_USER"),
             svc_get(&pg, "PG_PLAIN_PASSWORD"), "plain_plugin");
    CHECK_INT(run_db(&f), RUNNER_FAILED);
    const struct runner_step_info *si = sh_step(&f.h, "database");
    CHECK_INT(si->state, STEP_FAILED);
    CHECK_CONTAINS(si->message, "the user plain may not create databases");
    CHECK_CONTAINS(si->message, "plain_plugin is missing");
    CHECK_CONTAINS(si->hint, "ALTER ROLE plain CREATEDB");
    CHECK_CONTAINS(si->hint, "CREATE DATABASE");
    CHECK_INT(si->max_attempts, 1);
    CHECK(!db_exists("plain_plugin"));
    fix_done(&f);
}

static void test_wrong_password(void)
{
    CHECK_MSG(!pg.error, "%s", pg.error);
    struct fix f;
    fix_init(&f, EDITION_COMMUNITY, svc_get(&pg, "PG_USER"), "kept-volume-old-password",
             "dify_plugin");
    CHECK_INT(run_db(&f), RUNNER_FAILED);
    const struct runner_step_info *si = sh_step(&f.h, "database");
    CHECK_CONTAINS(si->message, "28P01");
    CHECK_CONTAINS(si->message, "user dify");
    CHECK_LACKS(si->message, "kept-volume-old-password");
    CHECK_CONTAINS(si->hint, "kept from an earlier install");
    CHECK_LACKS(f.h.lines.buf, "kept-volume-old-password");
    fix_done(&f);
}

/* ---- a server that starts accepting only after a while ---- */

struct late {
    int lfd, port, pg_port;
    volatile int stop;
};

static void relay(int a, int b)
{
    char buf[8192];
    struct pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    for (;;) {
        if (poll(p, 2, 200) < 0)
            return;
        for (int i = 0; i < 2; i++) {
            if (!p[i].revents)
                continue;
            ssize_t n = read(p[i].fd, buf, sizeof(buf));
            if (n <= 0)
                return;
            if (write(p[1 - i].fd, buf, (size_t)n) != n)
                return;
        }
    }
}

static void *late_main(void *arg)
{
    struct late *l = arg;
    int c = accept(l->lfd, NULL, NULL);
    if (c < 0)
        return NULL;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                            .sin_port = htons((uint16_t)l->pg_port)};
    if (connect(s, (struct sockaddr *)&a, sizeof(a)) == 0)
        relay(c, s);
    close(s);
    close(c);
    return NULL;
}

static void open_late(struct loop *lp, long long id, void *arg)
{
    (void)lp, (void)id;
    struct late *l = arg;
    l->lfd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(l->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                            .sin_port = htons((uint16_t)l->port)};
    if (bind(l->lfd, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(l->lfd, 4) == 0) {
        pthread_t th;
        pthread_create(&th, NULL, late_main, l);
        pthread_detach(th);
    }
}

static void test_waits_for_the_server(void)
{
    CHECK_MSG(!pg.error, "%s", pg.error);
    struct fix f;
    fix_init(&f, EDITION_COMMUNITY, svc_get(&pg, "PG_USER"), svc_get(&pg, "PG_PASSWORD"),
             "dify_plugin_late");
    struct late l = {.port = svc_free_port(), .pg_port = svc_get_int(&pg, "PG_PORT")};
    /* the profile names the real server; this machine reaches it at a port
     * where nothing listens for the first attempts */
    f.h.ctx.db_reach_host = "127.0.0.1";
    f.h.ctx.db_reach_port = l.port;
    f.h.ctx.demo = true;
    loop_add_timer(f.h.loop, 1200, open_late, &l);
    CHECK_INT(run_db(&f), RUNNER_DONE);
    CHECK_CONTAINS(f.h.lines.buf, "Connection refused");
    CHECK_CONTAINS(f.h.lines.buf, "waiting for it");
    CHECK(db_exists("dify_plugin_late"));
    close(l.lfd);
    fix_done(&f);
}

static void set_bastion(struct fix *f, const char *known_hosts)
{
    f->p.bastion.enabled = true;
    str_replace(&f->p.bastion.host, svc_get(&sshd, "SSH_HOST"));
    f->p.bastion.port = svc_get_int(&sshd, "SSH_PORT");
    str_replace(&f->p.bastion.user, svc_get(&sshd, "SSH_USER"));
    str_replace(&f->p.bastion.key_path, svc_get(&sshd, "SSH_KEY"));
    str_replace(&f->p.bastion.known_hosts, known_hosts);
}

static void test_through_the_bastion(void)
{
    CHECK_MSG(!pg.error && !sshd.error, "%s", pg.error ? pg.error : sshd.error);
    unsetenv("SSH_AUTH_SOCK");
    struct fix f;
    fix_init(&f, EDITION_COMMUNITY, svc_get(&pg, "PG_USER"), svc_get(&pg, "PG_PASSWORD"),
             "dify_plugin_tunnel");
    set_bastion(&f, svc_get(&sshd, "SSH_KNOWN_HOSTS"));
    CHECK_INT(run_db(&f), RUNNER_DONE);
    CHECK_CONTAINS(f.h.lines.buf, "SSH tunnel through");
    CHECK(db_exists("dify_plugin_tunnel"));
    fix_done(&f);

    fix_init(&f, EDITION_COMMUNITY, svc_get(&pg, "PG_USER"), svc_get(&pg, "PG_PASSWORD"),
             "dify_plugin_never");
    set_bastion(&f, svc_get(&sshd, "SSH_EMPTY_KNOWN_HOSTS"));
    CHECK_INT(run_db(&f), RUNNER_FAILED);
    const struct runner_step_info *si = sh_step(&f.h, "database");
    CHECK_CONTAINS(si->message, svc_get(&sshd, "SSH_FINGERPRINT"));
    CHECK_CONTAINS(si->hint, "bastion.known_hosts");
    CHECK(!db_exists("dify_plugin_never"));
    fix_done(&f);
}

/* An existing cluster's database under a name only the cluster knows:
 * not waited for (the database Job creates them from inside); reached
 * from here through db_reach (install --db-address: a port-forward). */
static void test_name_only_the_cluster_knows(void)
{
    CHECK_MSG(!pg.error, "%s", pg.error);
    struct fix f;
    fix_init(&f, EDITION_COMMUNITY, svc_get(&pg, "PG_USER"), svc_get(&pg, "PG_PASSWORD"),
             "dify_plugin_inside");
    str_replace(&f.p.db.host, "postgresql.dify.svc.cluster.invalid");
    CHECK_INT(run_db(&f), RUNNER_DONE);
    const struct runner_step_info *si = sh_step(&f.h, "database");
    CHECK_INT(si->state, STEP_DONE);
    CHECK_CONTAINS(si->message, "not reachable from this machine");
    CHECK_CONTAINS(si->message, "the database Job creates them");
    CHECK_CONTAINS(f.h.lines.buf, "postgresql.dify.svc.cluster.invalid");
    CHECK(!db_exists("dify_plugin_inside"));
    sh_end(&f.h, false);

    f.h.ctx.db_reach_host = "127.0.0.1";
    f.h.ctx.db_reach_port = svc_get_int(&pg, "PG_PORT");
    CHECK_INT(run_db(&f), RUNNER_DONE);
    si = sh_step(&f.h, "database");
    CHECK_CONTAINS(si->message, "created dify_plugin_inside");
    CHECK(db_exists("dify_plugin_inside"));
    fix_done(&f);
}

static void test_eks_without_bastion_skipped(void)
{
    struct sh h;
    sh_init(&h);
    struct profile p;
    profile_init(&p, EDITION_COMMUNITY, TARGET_EKS, SIZE_TEST);
    h.ctx.profile = &p;
    struct plan *pl = plan_new("install");
    struct error err = {0};
    CHECK(steps_db_add(pl, &h.ctx, &err) == 0);
    CHECK(plan_step_skip_reason(plan_find(pl, "database")) != NULL);
    CHECK_CONTAINS(plan_step_skip_reason(plan_find(pl, "database")), "no bastion");
    struct strbuf sb;
    strbuf_init(&sb);
    plan_describe(pl, &sb);
    CHECK_CONTAINS(sb.buf, "CREATE DATABASE dify_plugin_daemon on @@db_endpoint@@:5432");
    strbuf_done(&sb);
    plan_free(pl);
    profile_done(&p);
    sh_done(&h);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    svc_start(&pg, "pg");
    svc_start(&sshd, "sshd");
    static const struct tap_case cases[] = {
        {"database: created once, nothing to do the second time", test_created_once_then_skipped,
         need_pg},
        {"database: Dify Enterprise's enterprise and audit databases", test_enterprise_databases,
         need_pg},
        {"database: a user without CREATEDB is refused before anything is created",
         test_user_without_createdb, need_pg},
        {"database: a wrong password is 28P01 with the kept-volume hint", test_wrong_password,
         need_pg},
        {"database: waits for the server to accept connections", test_waits_for_the_server,
         need_pg},
        {"database: through the bastion; an unknown host key stops it", test_through_the_bastion,
         need_pg_sshd},
        {"database: a name only the cluster knows is left to the Job, or reached by address",
         test_name_only_the_cluster_knows, need_pg},
        {"database: EKS without a bastion is skipped with the reason",
         test_eks_without_bastion_skipped, NULL},
    };
    int rc = tap_run(cases, ARRAY_LEN(cases));
    svc_stop(&sshd);
    svc_stop(&pg);
    return rc;
}
