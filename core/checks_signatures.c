/* core/checks_signatures.c: the table of Dify failure signatures (see
 * checks_signatures.h). The strings are what the images print: libpq's and
 * pgx's texts with the server's SQLSTATE, redis-py's and kombu's, the
 * plugin daemon's Go messages, alembic's; the sources name where each was
 * read or reported. Order matters: the most specific first. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checks_signatures.h"
#include "core/util.h"

const struct dify_signature dify_signatures[] = {
    {"pg-password", "28P01", NULL,
     "PostgreSQL refuses the password this component logs in with (SQLSTATE 28P01). After a "
     "reinstall that kept PostgreSQL's volume, the server still holds the first install's "
     "password while the new Secret carries a new one: the kept volume keeps its password. Put "
     "the server's password back into the Secret (or set the server's to the Secret's), then "
     "restart.",
     "{kubectl} rollout restart {workload}   # after DB_PASSWORD in its Secret is the server's",
     "bitnami/charts#18150; langgenius/dify#30334", true},
    {"pg-password", "password authentication failed for user", NULL,
     "PostgreSQL refuses the password this component logs in with (28P01). After a reinstall "
     "that kept PostgreSQL's volume the server still holds the first install's password.",
     "{kubectl} rollout restart {workload}   # after DB_PASSWORD in its Secret is the server's",
     "bitnami/charts#18150; langgenius/dify#30334", true},
    {"pg-createdb", "42501", "create database",
     "The plugin daemon found its database missing and tried to create it, but its user has no "
     "CREATEDB privilege (SQLSTATE 42501). Create the database as an administrator, or grant "
     "CREATEDB.",
     "psql -h {db_host} -U postgres -c 'CREATE DATABASE {db} OWNER {db_user}'",
     "langgenius/dify-plugin-daemon internal/db/pg/pg.go; langgenius/dify#14791", true},
    {"pg-nodb", "3D000", NULL,
     "The database this component uses does not exist (SQLSTATE 3D000). The plugin daemon's own "
     "database (dify_plugin) is the usual one: external PostgreSQL servers do not have it, and "
     "the daemon creates it only when its user may.",
     "psql -h {db_host} -U postgres -c 'CREATE DATABASE {db} OWNER {db_user}'",
     "langgenius/dify#14791, #17580", true},
    {"pg-nodb", "does not exist", "FATAL:  database",
     "The database this component uses does not exist (3D000).",
     "psql -h {db_host} -U postgres -c 'CREATE DATABASE {db} OWNER {db_user}'",
     "langgenius/dify#14791, #17580", true},
    {"redis-password", "WRONGPASS", NULL,
     "Redis refuses the password this component gives (WRONGPASS): the Secret's REDIS_PASSWORD "
     "(or CELERY_BROKER_URL's) is not Redis's requirepass or the ElastiCache AUTH token.",
     "{kubectl} rollout restart {workload}   # after REDIS_PASSWORD in its Secret is Redis's",
     "redis AUTH; langgenius/dify-plugin-daemon internal/core/plugin_manager/manager.go", true},
    {"redis-password", "invalid username-password pair", NULL,
     "Redis refuses the password this component gives: the Secret's REDIS_PASSWORD (or "
     "CELERY_BROKER_URL's) is not Redis's.",
     "{kubectl} rollout restart {workload}   # after REDIS_PASSWORD in its Secret is Redis's",
     "redis AUTH; celery/kombu", true},
    {"redis-refused", "Error 111 connecting to", NULL,
     "Nothing accepts connections at REDIS_HOST:REDIS_PORT (redis-py's \"Connection refused\"): "
     "Redis is down, the port is wrong, or REDIS_HOST names another Service (a sentinel setup's "
     "name, dify-helm#299).",
     "{kubectl} get svc   # is REDIS_HOST one of these, on REDIS_PORT?",
     "redis/redis-py; BorisPolonsky/dify-helm#299", true},
    {"redis-refused", "Cannot connect to redis://", NULL,
     "Celery cannot reach its broker at CELERY_BROKER_URL: Redis is down, the URL names the "
     "wrong host or port, or its password is wrong.",
     "{kubectl} get svc   # does CELERY_BROKER_URL name one of these?", "celery/kombu", true},
    {"daemon-redis", "init redis client failed", NULL,
     "The plugin daemon cannot use Redis (REDIS_HOST, REDIS_PORT, REDIS_PASSWORD in its "
     "environment).",
     "dify-tui diagnose --only redis",
     "langgenius/dify-plugin-daemon internal/core/plugin_manager/manager.go", true},
    {"daemon-request", "Failed to request plugin daemon", NULL,
     "The api cannot use the plugin daemon. With status 401 or 403 the api's PLUGIN_DAEMON_KEY "
     "is not the daemon's SERVER_KEY (#28241); with 404 the api and the daemon are of different "
     "releases (#29929); \"Connection refused\" means no daemon is listening behind "
     "PLUGIN_DAEMON_URL (#30151, #15855).",
     "dify-tui diagnose --only daemon secrets", "langgenius/dify#28241, #29929, #30151, #15855",
     false},
    {"daemon-request", "Request to Plugin Daemon Service failed", NULL,
     "The api cannot reach the plugin daemon at PLUGIN_DAEMON_URL: no such Service, or no ready "
     "daemon behind it.",
     "dify-tui diagnose --only daemon", "langgenius/dify#30151, #15855", false},
    {"daemon-key-missing", "'Config.ServerKey'", NULL,
     "The plugin daemon will not start without SERVER_KEY (and DIFY_INNER_API_KEY); the api's "
     "PLUGIN_DAEMON_KEY must equal SERVER_KEY.",
     "{kubectl} set env {workload} --from=secret/SECRET --keys=SERVER_KEY",
     "langgenius/dify-plugin-daemon internal/types/app/config.go", true},
    {"migration-skipped", "Database migration skipped", NULL,
     "`flask upgrade-db` found its Redis lock (db_upgrade_lock) held by another pod and did "
     "nothing, exiting 0: several replicas (or the api and a Job) migrating at once. Migrate "
     "once, with the migration Job (`flask db upgrade`), and run the api with "
     "MIGRATION_ENABLED=false.",
     "{kubectl} create job --from=job/{migration_job} migrate-now",
     "langgenius/dify#32021, #32297; api/commands/system.py", false},
    {"alembic-unknown-revision", "Can't locate revision identified by", NULL,
     "The database was migrated by a newer Dify than this image: alembic does not know its "
     "revision. Run the image that migrated it (or restore the database taken before the "
     "upgrade).",
     "{kubectl} get deploy,job -o wide   # which image migrated last?", "langgenius/dify#25093",
     true},
    {"migration-failed", "Database migration failed", NULL,
     "The api's own migration at start failed (MIGRATION_ENABLED=true); the line after it says "
     "why.",
     "{kubectl} logs {workload} --previous", "langgenius/dify#32021 (exit 1 from 1.13.0 on)", true},
    {"schema-missing", "UndefinedTable", NULL,
     "The database has no Dify schema: it was never migrated (or another database is used). "
     "Run the migration.",
     "{kubectl} create job --from=job/{migration_job} migrate-now", "alembic; flask db upgrade",
     false},
    {"plugin-deps", "failed to install dependencies", NULL,
     "A plugin's Python packages could not be installed: the plugin daemon installs them from "
     "the package index (PyPI) at every start, and this cluster cannot reach it. Give the daemon "
     "a mirror (PIP_MIRROR_URL) or a proxy (HTTP_PROXY, HTTPS_PROXY).",
     "{kubectl} set env {workload} PIP_MIRROR_URL=https://MIRROR/simple",
     "aws-samples/dify-self-hosted-on-aws#69; langgenius/dify-plugin-daemon "
     "internal/core/plugin_manager/local_runtime/setup_python_environment.go",
     false},
    {"plugin-deps", "init process exited due to no activity", NULL,
     "Installing a plugin's Python packages stalled (PYTHON_ENV_INIT_TIMEOUT): usually no route "
     "to the package index. Give the daemon a mirror (PIP_MIRROR_URL) or a proxy.",
     "{kubectl} set env {workload} PIP_MIRROR_URL=https://MIRROR/simple",
     "langgenius/dify-plugin-daemon internal/core/plugin_manager/local_runtime/"
     "setup_python_environment.go",
     false},
    {"dns", "Name or service not known", NULL,
     "A host name in this component's configuration does not resolve: a typo in DB_HOST, "
     "REDIS_HOST or PLUGIN_DAEMON_URL, or a Service that does not exist.",
     "{kubectl} get svc", "getaddrinfo", true},
    {"dns", "no such host", NULL,
     "A host name in this component's configuration does not resolve (Go's resolver): a typo in "
     "DB_HOST or REDIS_HOST, or a Service that does not exist.",
     "{kubectl} get svc", "jackc/pgx pgconn", true},
    {"arch", "exec format error", NULL,
     "The image was built for another CPU architecture than the node's (amd64 on Graviton "
     "arm64).",
     "{kubectl} get pods -o wide", "kubernetes", true},
};
const size_t dify_nsignatures = ARRAY_LEN(dify_signatures);

static bool line_has(const char *line, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(line + i, needle, n) == 0)
            return true;
    return false;
}

const struct dify_signature *dify_signature_match(const char *text, size_t len, const char **line,
                                                  size_t *line_len)
{
    for (size_t s = 0; s < dify_nsignatures; s++) {
        const struct dify_signature *sig = &dify_signatures[s];
        /* From the last line back: the newest failure is the one that
         * ended the container. */
        size_t end = len;
        while (end > 0) {
            size_t start = end;
            while (start > 0 && text[start - 1] != '\n')
                start--;
            const char *l = text + start;
            size_t ll = end - start;
            if (line_has(l, ll, sig->needle) && (!sig->needle2 || line_has(l, ll, sig->needle2))) {
                *line = l;
                *line_len = ll;
                return sig;
            }
            end = start > 0 ? start - 1 : 0;
        }
    }
    return NULL;
}

/* The name in `database "NAME"` in the line, into buf. */
static void line_db(const char *line, size_t len, char *buf, size_t n)
{
    snprintf(buf, n, "%s", "dify_plugin");
    static const char key[] = "database \"";
    for (size_t i = 0; i + sizeof(key) - 1 < len; i++) {
        if (memcmp(line + i, key, sizeof(key) - 1) != 0)
            continue;
        const char *s = line + i + sizeof(key) - 1;
        const char *e = memchr(s, '"', len - (size_t)(s - line));
        if (e && e > s && (size_t)(e - s) < n) {
            snprintf(buf, n, "%.*s", (int)(e - s), s);
            return;
        }
    }
}

char *dify_signature_remedy(const struct dify_signature *s, const struct sig_ctx *ctx,
                            const char *line, size_t line_len)
{
    char db[128];
    line_db(line ? line : "", line ? line_len : 0, db, sizeof(db));
    const struct {
        const char *key, *value;
    } subst[] = {
        {"{kubectl}", ctx->kubectl},
        {"{workload}", ctx->workload},
        {"{db}", db},
        {"{db_host}", ctx->db_host ? ctx->db_host : "DB_HOST"},
        {"{db_user}", ctx->db_user ? ctx->db_user : "DB_USER"},
        {"{migration_job}", ctx->migration_job ? ctx->migration_job : "MIGRATION_JOB"},
    };
    struct strbuf sb;
    strbuf_init(&sb);
    for (const char *p = s->remedy; *p;) {
        size_t i;
        for (i = 0; i < ARRAY_LEN(subst); i++) {
            size_t kl = strlen(subst[i].key);
            if (!strncmp(p, subst[i].key, kl)) {
                strbuf_adds(&sb, subst[i].value ? subst[i].value : "");
                p += kl;
                break;
            }
        }
        if (i == ARRAY_LEN(subst))
            strbuf_addc(&sb, *p++);
    }
    return strbuf_detach(&sb, NULL);
}
