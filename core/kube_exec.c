/* core/kube_exec.c: running exec credential plugins on the loop and parsing
 * their ExecCredential output. A plugin that is not found, exits non-zero,
 * runs too long or prints garbage gives a message naming the command and the
 * kubeconfig user it belongs to. */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "core/kube_exec.h"
#include "core/kube_http.h"
#include "core/kube_json.h"
#include "core/kubeconfig.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"

extern char **environ;

#define EXEC_MAX_STDOUT (1u << 20)
#define EXEC_MAX_STDERR (16u << 10)

void kube_cred_free(struct kube_cred *c)
{
    if (!c)
        return;
    str_free_secret(c->token);
    free(c->cert_pem);
    str_free_secret(c->key_pem);
    free(c);
}

int kube_exec_parse(const char *out, size_t len, const char *api_version, struct kube_cred *cred,
                    struct error *err)
{
    memset(cred, 0, sizeof(*cred));
    cJSON *j = cJSON_ParseWithLength(out, len);
    if (!j || !cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return error_set(err, ERR_AUTH, 0, "output is not JSON (%zu bytes%s)", len,
                         len ? "" : ": the plugin printed nothing");
    }
    int rc = -1;
    const char *kind = kj_str(j, "kind");
    const char *api = kj_str(j, "apiVersion");
    if (!str_eq(kind, "ExecCredential")) {
        error_set(err, ERR_AUTH, 0, "output is not an ExecCredential (kind %s%s%s)",
                  kind ? "\"" : "", kind ? kind : "missing", kind ? "\"" : "");
        goto done;
    }
    if (api_version && !str_eq(api, api_version)) {
        error_set(err, ERR_AUTH, 0,
                  "plugin returned apiVersion \"%s\", the kubeconfig asks for \"%s\"",
                  api ? api : "", api_version);
        goto done;
    }
    const cJSON *st = kj_get(j, "status");
    if (!cJSON_IsObject(st)) {
        error_set(err, ERR_AUTH, 0, "ExecCredential has no status object");
        goto done;
    }
    const char *token = kj_str(st, "token");
    const char *cert = kj_str(st, "clientCertificateData");
    const char *key = kj_str(st, "clientKeyData");
    const char *exp = kj_str(st, "expirationTimestamp");
    if (str_empty(token) && (str_empty(cert) || str_empty(key))) {
        error_set(err, ERR_AUTH, 0,
                  "ExecCredential status has neither a token nor clientCertificateData and "
                  "clientKeyData");
        goto done;
    }
    long bad = str_empty(token) ? -1 : kube_http_bad_header_byte(token);
    if (bad >= 0) {
        error_set(err, ERR_AUTH, 0,
                  "status.token holds a control character (byte %ld of it, 0x%02x); a bearer "
                  "token cannot",
                  bad, (unsigned char)token[bad]);
        goto done;
    }
    if (kj_has(st, "expirationTimestamp")) {
        long long t = kube_time_parse(exp);
        if (t < 0) {
            error_set(err, ERR_AUTH, 0, "status.expirationTimestamp \"%s\" is not an RFC 3339 time",
                      exp ? exp : "(not a string)");
            goto done;
        }
        cred->expires = t;
    }
    cred->token = xstrdup_or_null(str_empty(token) ? NULL : token);
    cred->cert_pem = cred->token ? NULL : xstrdup(cert);
    cred->key_pem = cred->token ? NULL : xstrdup(key);
    rc = 0;
done:
    cJSON_Delete(j);
    return rc;
}

struct kube_exec_job {
    struct loop *loop;
    char *command;
    char *desc;
    char *hint;
    char *api_version;
    kube_exec_cb cb;
    void *arg;
    pid_t pid;
    int out_fd, err_fd;
    struct strbuf out, errb;
    bool out_big;
    int status;
    bool reaped;
    bool lingered; /* exited, but its output pipes stayed open until the timeout */
    long long timeout_ms;
    long long timeout_timer, start_timer;
    struct error start_err; /* set when posix_spawnp failed */
};

static void job_free(struct kube_exec_job *j)
{
    if (j->out_fd >= 0) {
        loop_del_fd(j->loop, j->out_fd);
        close(j->out_fd);
    }
    if (j->err_fd >= 0) {
        loop_del_fd(j->loop, j->err_fd);
        close(j->err_fd);
    }
    if (j->pid > 0 && !j->reaped) {
        loop_unwatch_child(j->loop, j->pid);
        kill(j->pid, SIGKILL);
        /* A SIGKILLed child goes away at once; this wait is not a hang. */
        while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    loop_cancel_timer(j->loop, j->timeout_timer);
    loop_cancel_timer(j->loop, j->start_timer);
    if (j->out.buf)
        memset(j->out.buf, 0, j->out.len);
    strbuf_done(&j->out);
    strbuf_done(&j->errb);
    free(j->command);
    free(j->desc);
    free(j->hint);
    free(j->api_version);
    free(j);
}

static void job_finish(struct kube_exec_job *j, struct kube_cred *cred, const struct error *e)
{
    kube_exec_cb cb = j->cb;
    void *arg = j->arg;
    job_free(j);
    cb(cred, e, arg);
}

/* The first line of stderr, for messages. */
static void first_line(const struct strbuf *sb, char *buf, size_t len)
{
    size_t n = 0;
    const char *s = sb->buf;
    while (*s == '\n' || *s == ' ')
        s++;
    while (s[n] && s[n] != '\n' && n < len - 1)
        n++;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

static void job_complete(struct kube_exec_job *j)
{
    struct error e;
    error_clear(&e);
    char line[300];
    first_line(&j->errb, line, sizeof(line));
    if (WIFEXITED(j->status) && WEXITSTATUS(j->status) == 127 && j->out.len == 0) {
        error_set(&e, ERR_AUTH, 127, "%s: exec: command \"%s\" not found%s%s%s", j->desc,
                  j->command, j->hint ? " (install hint: " : "", j->hint ? j->hint : "",
                  j->hint ? ")" : "");
        job_finish(j, NULL, &e);
        return;
    }
    if (!WIFEXITED(j->status) || WEXITSTATUS(j->status) != 0) {
        if (WIFEXITED(j->status))
            error_set(&e, ERR_AUTH, WEXITSTATUS(j->status),
                      "%s: exec: command \"%s\" exited with status %d%s%s", j->desc, j->command,
                      WEXITSTATUS(j->status), line[0] ? ": " : "", line);
        else
            error_set(&e, ERR_AUTH, -1, "%s: exec: command \"%s\" was killed by signal %d", j->desc,
                      j->command, WTERMSIG(j->status));
        job_finish(j, NULL, &e);
        return;
    }
    if (j->out_big) {
        error_set(&e, ERR_AUTH, 0, "%s: exec: command \"%s\" printed more than %u bytes", j->desc,
                  j->command, EXEC_MAX_STDOUT);
        job_finish(j, NULL, &e);
        return;
    }
    struct kube_cred *cred = xcalloc(1, sizeof(*cred));
    if (kube_exec_parse(j->out.buf, j->out.len, j->api_version, cred, &e) < 0) {
        free(cred);
        error_prefix(&e, "%s: exec: command \"%s\"", j->desc, j->command);
        if (j->lingered)
            error_append(&e,
                         " (it exited, but a process it started kept its stdout open for "
                         "%lld ms)",
                         j->timeout_ms);
        job_finish(j, NULL, &e);
        return;
    }
    job_finish(j, cred, NULL);
}

/* Finished when both pipes reached EOF and the loop reaped the child,
 * in whichever order the two happen. */
static void job_check_done(struct kube_exec_job *j)
{
    if (j->out_fd >= 0 || j->err_fd >= 0 || !j->reaped)
        return;
    job_complete(j);
}

static void job_reaped(struct loop *l, pid_t pid, int status, void *arg)
{
    struct kube_exec_job *j = arg;
    j->status = status;
    j->reaped = true;
    job_check_done(j);
}

static void job_read(struct loop *l, int fd, int events, void *arg)
{
    struct kube_exec_job *j = arg;
    char buf[8192];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n > 0) {
        if (fd == j->out_fd) {
            if (j->out.len + (size_t)n > EXEC_MAX_STDOUT)
                j->out_big = true;
            else
                strbuf_add(&j->out, buf, (size_t)n);
        } else if (j->errb.len + (size_t)n <= EXEC_MAX_STDERR) {
            strbuf_add(&j->errb, buf, (size_t)n);
        }
        return;
    }
    loop_del_fd(l, fd);
    close(fd);
    if (fd == j->out_fd)
        j->out_fd = -1;
    else
        j->err_fd = -1;
    job_check_done(j);
}

static void job_timeout(struct loop *l, long long id, void *arg)
{
    struct kube_exec_job *j = arg;
    j->timeout_timer = 0;
    if (!j->reaped && j->pid > 0 && waitpid(j->pid, &j->status, WNOHANG) == j->pid)
        j->reaped = true;
    if (j->reaped) {
        /* The plugin itself is done; a process it started (a daemon, a
         * credential helper) still holds its stdout or stderr open, so EOF
         * never came. What it printed is all there is: judge that, and say
         * so rather than "did not finish". */
        j->lingered = true;
        for (int *fd = &j->out_fd; fd; fd = fd == &j->out_fd ? &j->err_fd : NULL)
            if (*fd >= 0) {
                loop_del_fd(l, *fd);
                close(*fd);
                *fd = -1;
            }
        log_warn("%s: exec: command \"%s\" exited, but a process it started kept its output "
                 "open for %lld ms; using what it printed",
                 j->desc, j->command, j->timeout_ms);
        job_complete(j);
        return;
    }
    struct error e;
    error_set(&e, ERR_AUTH, 0, "%s: exec: command \"%s\" did not finish within %lld ms", j->desc,
              j->command, j->timeout_ms);
    job_finish(j, NULL, &e);
}

static void job_start_failed(struct loop *l, long long id, void *arg)
{
    struct kube_exec_job *j = arg;
    j->start_timer = 0;
    struct error e = j->start_err;
    job_finish(j, NULL, &e);
}

struct kube_exec_job *kube_exec_start(struct loop *l, const struct kube_exec_spec *spec,
                                      const char *desc, long long timeout_ms, kube_exec_cb cb,
                                      void *arg)
{
    struct kube_exec_job *j = xcalloc(1, sizeof(*j));
    j->loop = l;
    j->command = xstrdup(spec->command);
    j->desc = xstrdup(desc ? desc : "kubeconfig");
    j->hint = xstrdup_or_null(spec->install_hint);
    j->api_version = xstrdup(spec->api_version);
    j->cb = cb;
    j->arg = arg;
    j->timeout_ms = timeout_ms;
    j->out_fd = j->err_fd = -1;
    strbuf_init(&j->out);
    strbuf_init(&j->errb);
    error_clear(&j->start_err);

    int po[2] = {-1, -1}, pe[2] = {-1, -1};
    if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
        error_set(&j->start_err, ERR_PROCESS, errno, "%s: exec: pipe: %s", j->desc,
                  strerror(errno));
        goto fail_later;
    }
    /* The environment: ours, the plugin's env list, and KUBERNETES_EXEC_INFO. */
    size_t nenv = 0;
    while (environ[nenv])
        nenv++;
    char **envp = xcalloc(nenv + spec->nenv + 2, sizeof(char *));
    size_t k = 0;
    for (size_t i = 0; i < nenv; i++) {
        bool overridden = str_starts_with(environ[i], "KUBERNETES_EXEC_INFO=");
        for (size_t e = 0; e < spec->nenv && !overridden; e++) {
            size_t nl = strlen(spec->env[e].name);
            if (strncmp(environ[i], spec->env[e].name, nl) == 0 && environ[i][nl] == '=')
                overridden = true;
        }
        if (!overridden)
            envp[k++] = xstrdup(environ[i]);
    }
    for (size_t e = 0; e < spec->nenv; e++)
        envp[k++] = xasprintf("%s=%s", spec->env[e].name, spec->env[e].value);
    envp[k++] = xasprintf("KUBERNETES_EXEC_INFO={\"kind\":\"ExecCredential\",\"apiVersion\":"
                          "\"%s\",\"spec\":{\"interactive\":false}}",
                          spec->api_version);
    char **argv = xcalloc(spec->nargs + 2, sizeof(char *));
    argv[0] = spec->command;
    for (size_t i = 0; i < spec->nargs; i++)
        argv[i + 1] = spec->args[i];

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    int rc = posix_spawnp(&j->pid, spec->command, &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    for (size_t i = 0; i < k; i++)
        free(envp[i]);
    free(envp);
    free(argv);
    close(po[1]);
    close(pe[1]);
    po[1] = pe[1] = -1;
    if (rc != 0) {
        j->pid = 0;
        if (rc == ENOENT)
            error_set(&j->start_err, ERR_AUTH, rc, "%s: exec: command \"%s\" not found%s%s%s",
                      j->desc, j->command, j->hint ? " (install hint: " : "",
                      j->hint ? j->hint : "", j->hint ? ")" : "");
        else
            error_set(&j->start_err, ERR_AUTH, rc, "%s: exec: command \"%s\": %s", j->desc,
                      j->command, strerror(rc));
        goto fail_later;
    }
    j->out_fd = po[0];
    j->err_fd = pe[0];
    fcntl(j->out_fd, F_SETFL, O_NONBLOCK);
    fcntl(j->err_fd, F_SETFL, O_NONBLOCK);
    loop_add_fd(l, j->out_fd, LOOP_READ, job_read, j);
    loop_add_fd(l, j->err_fd, LOOP_READ, job_read, j);
    loop_watch_child(l, j->pid, job_reaped, j);
    j->timeout_timer = loop_add_timer(l, timeout_ms, job_timeout, j);
    return j;

fail_later:
    for (int i = 0; i < 2; i++) {
        if (po[i] >= 0)
            close(po[i]);
        if (pe[i] >= 0)
            close(pe[i]);
    }
    j->start_timer = loop_add_timer(l, 0, job_start_failed, j);
    return j;
}

void kube_exec_cancel(struct kube_exec_job *j)
{
    if (j)
        job_free(j);
}
