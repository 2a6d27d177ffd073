/* core/checks_remote.c: area 10, the bastion: a fixed set of read-only
 * commands run over SSH on the profile's bastion, which sits in the VPC and
 * sees what this machine cannot: whether the database's and Redis's names
 * resolve there and their ports accept a connection.
 *
 * The session is core/sshtunnel's (remote_port 0: no forward), driven by
 * the program's loop, and the commands run with sshtunnel_exec, one after
 * another, each bounded in time and output. The host key is checked there
 * against known_hosts (core/sshknown, the one implementation the database's
 * tunnel uses too): a key that is not there stops the check with its type
 * and SHA256 fingerprint, and is trusted only when the person accepts that
 * exact fingerprint (--accept-host-key, or the screen's accept key); it is
 * then appended to known_hosts. A key that differs from the recorded one is
 * refused, as OpenSSH refuses it. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checks_impl.h"
#include "core/checks_stores.h"
#include "core/error.h"
#include "core/profile.h"
#include "core/sshtunnel.h"
#include "core/steps_native.h"
#include "core/util.h"

#define DOC "docs/diagnose.md#"
#define REMOTE_MAX_CMDS 6
#define REMOTE_OUT_MAX 4096
#define REMOTE_CMD_TIMEOUT_MS 10000

struct remote_cmd {
    char what[96]; /* "the database's name resolves" */
    char cmd[512];
    char out[REMOTE_OUT_MAX + 64]; /* one line: stdout, then stderr */
    int status;                    /* exit status, -1 when it did not run or end */
};

struct remote {
    struct check *c;
    struct sshtunnel *t;
    char host[256], user[64], key[1024];
    int port;
    struct remote_cmd cmds[REMOTE_MAX_CMDS];
    int ncmds, next;
};

/* A host name or address safe to put in a command line. */
static bool plain_host(const char *h)
{
    if (str_empty(h) || strlen(h) > 253)
        return false;
    for (const char *p = h; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != ':' && *p != '_')
            return false;
    return h[0] != '-';
}

static void add_cmd(struct remote *r, const char *what, const char *cmd)
{
    if (r->ncmds >= REMOTE_MAX_CMDS)
        return;
    struct remote_cmd *c = &r->cmds[r->ncmds++];
    snprintf(c->what, sizeof(c->what), "%s", what);
    snprintf(c->cmd, sizeof(c->cmd), "%s", cmd);
    c->status = -1;
}

/* "the database" at host:port: does its name resolve, does its port accept
 * a connection, seen from the bastion. */
static void add_store(struct remote *r, const char *what, const char *host, int port)
{
    char w[96], cmd[512];
    snprintf(w, sizeof(w), "%s's name resolves", what);
    snprintf(cmd, sizeof(cmd), "getent hosts %s", host);
    add_cmd(r, w, cmd);
    snprintf(w, sizeof(w), "%s's port accepts connections", what);
    snprintf(cmd, sizeof(cmd), "timeout 5 bash -c 'exec 3<>/dev/tcp/%s/%d' && echo open", host,
             port);
    add_cmd(r, w, cmd);
}

/* The session failed: why, and what to do. */
static void judge_session(struct remote *r, const struct error *err)
{
    struct check *c = r->c;
    struct sshtunnel *t = r->t;
    const char *fp = sshtunnel_fingerprint(t), *type = sshtunnel_key_type(t);
    const char *known = sshtunnel_known_hosts(t);
    check_evidence(c, "%s", err->msg);
    switch (sshtunnel_failure(t)) {
    case SSH_FAIL_HOSTKEY_UNKNOWN:
        if (!fp)
            break;
        check_explain(c,
                      "The bastion's host key is not in %s, so dify-tui cannot tell it from a "
                      "machine posing as it. Compare the fingerprint with the one the "
                      "bastion's owner publishes (on the bastion: ssh-keygen -lf "
                      "/etc/ssh/ssh_host_ed25519_key.pub); accepting it appends it to %s.",
                      known, known);
        check_offer_host_key(c, type, fp, r->host, r->port, known);
        check_try(c, "dify-tui diagnose --only remote --accept-host-key %s", fp);
        check_fail(c, "the bastion's host key is unknown: %s %s", type, fp);
        return;
    case SSH_FAIL_HOSTKEY_CHANGED:
        check_explain(c,
                      "%s holds another key for the bastion. Either the bastion was rebuilt "
                      "(then remove the old line), or something is posing as it. Nothing was "
                      "sent to it.",
                      known);
        check_try(c, "ssh-keygen -R '[%s]:%d' -f %s", r->host, r->port, known);
        check_fail(c, "the bastion's host key changed: refused");
        return;
    case SSH_FAIL_AUTH:
    case SSH_FAIL_KEY:
        check_try(c, "ssh -i %s -p %d %s@%s true", r->key[0] ? r->key : "KEY", r->port, r->user,
                  r->host);
        check_fail(c, "the bastion refused the key");
        return;
    default:
        break;
    }
    check_try(c, "ssh -p %d %s@%s true", r->port, r->user, r->host);
    check_fail(c, "no SSH session with the bastion");
}

static void judge_commands(struct remote *r)
{
    struct check *c = r->c;
    int bad = 0;
    for (int i = 0; i < r->ncmds; i++) {
        struct remote_cmd *rc = &r->cmds[i];
        check_evidence(c, "%s: %s (%s)", rc->what, rc->status == 0 ? "yes" : "NO",
                       rc->out[0] ? rc->out : "no output");
        if (rc->status != 0 && i > 0)
            bad++;
    }
    if (bad) {
        check_explain(c, "From inside the network, the bastion cannot resolve or reach a data "
                         "store the installation uses: the pods cannot either. Look at the "
                         "security groups (the store's must admit the nodes' and the bastion's) "
                         "and the endpoint's name.");
        check_try(c, "ssh -p %d %s@%s", r->port, r->user, r->host);
        check_fail(c, "%d of the bastion's checks failed", bad);
        return;
    }
    check_ok(c, "the bastion reaches the data stores (%d commands)", r->ncmds);
}

/* One line for the evidence: stdout then stderr, newlines and tabs as
 * spaces, trailing blanks cut. */
static void one_line(struct remote_cmd *rc, const struct sshexec_result *x)
{
    snprintf(rc->out, sizeof(rc->out), "%.*s%s%.*s%s%s%s", (int)x->out_len, x->out,
             x->out_len && x->err_len ? " " : "", (int)x->err_len, x->err,
             x->truncated ? " [cut]" : "", x->timed_out ? " [no end within 10 s]" : "",
             x->error ? x->error : "");
    size_t n = strlen(rc->out);
    for (size_t i = 0; i < n; i++)
        if (rc->out[i] == '\n' || rc->out[i] == '\r' || rc->out[i] == '\t')
            rc->out[i] = ' ';
    while (n > 0 && rc->out[n - 1] == ' ')
        rc->out[--n] = '\0';
}

static void run_next(struct remote *r);

static void on_cmd(struct sshtunnel *t, const struct sshexec_result *x, void *arg)
{
    (void)t;
    struct remote *r = arg;
    struct remote_cmd *rc = &r->cmds[r->next++];
    rc->status = x->exit_status;
    one_line(rc, x);
    run_next(r);
}

static void run_next(struct remote *r)
{
    if (r->next >= r->ncmds) {
        judge_commands(r);
        return;
    }
    struct remote_cmd *rc = &r->cmds[r->next];
    check_waiting(r->c, "`%s` on the bastion", rc->cmd);
    if (sshtunnel_exec(r->t, rc->cmd, REMOTE_OUT_MAX, REMOTE_CMD_TIMEOUT_MS, on_cmd, r) < 0) {
        check_fail(r->c, "the SSH session with the bastion ended");
    }
}

static void on_session(struct sshtunnel *t, const struct error *err, void *arg)
{
    struct remote *r = arg;
    struct check *c = r->c;
    const char *fp = sshtunnel_fingerprint(t);
    if (fp)
        check_evidence(c, "host key %s %s", sshtunnel_key_type(t), fp);
    if (sshtunnel_key_added(t))
        check_evidence(c, "the accepted key was added to %s", sshtunnel_known_hosts(t));
    if (err) {
        judge_session(r, err);
        return;
    }
    run_next(r);
}

static void remote_stop(struct check *c)
{
    struct remote *r = check_state(c);
    if (!r)
        return;
    sshtunnel_free(r->t);
    free(r);
}

static void remote_start(struct check *c)
{
    const struct check_env *e = check_env(c);
    const struct profile *p = e->profile;
    check_more(c, DOC "dt-1001");
    if (!p || !p->bastion.enabled || str_empty(p->bastion.host)) {
        check_skip(c, "no bastion in the answers (bastion.enabled, bastion.host)");
        return;
    }
    struct remote *r = xcalloc(1, sizeof(*r));
    r->c = c;
    check_set_state(c, r);
    struct ssh_target st;
    steps_db_bastion(p, NULL, 0, &st);
    if (e->known_hosts)
        st.known_hosts = e->known_hosts;
    st.accept_fingerprint = e->accept_fingerprint;
    long long to = e->timeout_ms > 0 ? e->timeout_ms : 30000;
    st.timeout_ms = to > 4000 ? to - 2000 : to / 2;
    snprintf(r->host, sizeof(r->host), "%s", st.host);
    r->port = st.port > 0 ? st.port : 22;
    snprintf(r->user, sizeof(r->user), "%s", st.user ? st.user : "");
    snprintf(r->key, sizeof(r->key), "%s", st.key_path ? st.key_path : "");

    /* The fixed commands: what the bastion is, then each data store's name
     * and port as seen from inside the network. Only plain host names are
     * ever put on the command line. */
    add_cmd(r, "the bastion runs", "uname -sr");
    char why[512];
    struct store_target t;
    if (checks_db_target(c, &t, why, sizeof(why)) != STORE_UNKNOWN && plain_host(t.host))
        add_store(r, "the database", t.host, t.port);
    store_target_done(&t);
    if (checks_redis_target(c, &t, why, sizeof(why)) != STORE_UNKNOWN && plain_host(t.host))
        add_store(r, "Redis", t.host, t.port);
    store_target_done(&t);

    r->t = sshtunnel_open(e->loop, &st, on_session, r);
    check_evidence(c, "bastion %s@%s:%d, known_hosts %s", r->user, r->host, r->port,
                   sshtunnel_known_hosts(r->t));
    check_waiting(c, "the SSH session with %s:%d", r->host, r->port);
}

const struct check_def checks_remote[] = {
    {"DT-1001", AREA_REMOTE, "The bastion is trusted and reaches the data stores", 0, remote_start,
     remote_stop, 0, NEED_APP},
};
const size_t checks_remote_n = ARRAY_LEN(checks_remote);
