/* core/proc.c: subprocesses on the loop (see proc.h). posix_spawnp with a
 * process group of its own and default signal dispositions; pipes read on
 * the loop; reaped by the loop's one SIGCHLD owner (loop_watch_child). */
#include "config.h"

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
#include "core/log.h"
#include "core/loop.h"
#include "core/proc.h"
#include "core/util.h"

extern char **environ;

#define PROC_MAX_LINE 16384 /* a longer line is handed over in pieces */
#define PROC_TAIL_LINE 1024 /* bytes kept of each tail line */
#define PROC_READ_CHUNK 65536

struct proc_stream_state {
    int fd;
    struct strbuf keep; /* the first max_output bytes */
    bool truncated;
    struct strbuf partial; /* an incomplete line */
};

struct proc {
    struct loop *loop;
    pid_t pid;
    char *name; /* argv[0], for messages */
    struct proc_stream_state s[2];
    int in_fd;
    char *input;
    size_t input_len, input_off;
    char **tail; /* ring of tail_cap lines */
    size_t tail_cap, tail_n, tail_next;
    bool reaped;
    int status;
    bool timed_out, lingered;
    long long t0;
    long long deadline_timer, kill_timer, linger_timer, start_timer;
    long long timeout_ms, kill_grace_ms, linger_ms;
    size_t max_output;
    struct error start_err;
    proc_line_cb on_line;
    proc_done_cb done;
    void *arg;
};

static void proc_reap_quietly(struct loop *l, pid_t pid, int status, void *arg)
{
    log_debug("process %ld reaped after its owner let it go (status %d)", (long)pid, status);
}

static void tail_add(struct proc *p, const char *line, size_t len)
{
    if (!p->tail_cap)
        return;
    if (len > PROC_TAIL_LINE)
        len = PROC_TAIL_LINE;
    free(p->tail[p->tail_next]);
    p->tail[p->tail_next] = xstrndup(line, len);
    p->tail_next = (p->tail_next + 1) % p->tail_cap;
    if (p->tail_n < p->tail_cap)
        p->tail_n++;
}

static void emit_line(struct proc *p, enum proc_stream which, const char *line, size_t len)
{
    if (len > 0 && line[len - 1] == '\r')
        len--;
    tail_add(p, line, len);
    if (p->on_line)
        p->on_line(which, line, len, p->arg);
}

/* Splits what arrived into lines; keeps the head of the stream. */
static void stream_feed(struct proc *p, int idx, const char *data, size_t n)
{
    struct proc_stream_state *st = &p->s[idx];
    enum proc_stream which = idx == 0 ? PROC_STDOUT : PROC_STDERR;
    if (!st->truncated) {
        size_t room = p->max_output - st->keep.len;
        if (n > room) {
            strbuf_add(&st->keep, data, room);
            st->truncated = true;
        } else {
            strbuf_add(&st->keep, data, n);
        }
    }
    while (n > 0) {
        const char *nl = memchr(data, '\n', n);
        size_t take = nl ? (size_t)(nl - data) : n;
        strbuf_add(&st->partial, data, take);
        if (nl) {
            emit_line(p, which, st->partial.buf, st->partial.len);
            strbuf_reset(&st->partial);
            take++;
        } else if (st->partial.len >= PROC_MAX_LINE) {
            emit_line(p, which, st->partial.buf, st->partial.len);
            strbuf_reset(&st->partial);
        }
        data += take;
        n -= take;
    }
}

static void stream_close(struct proc *p, int idx)
{
    struct proc_stream_state *st = &p->s[idx];
    if (st->fd < 0)
        return;
    loop_del_fd(p->loop, st->fd);
    close(st->fd);
    st->fd = -1;
    if (st->partial.len > 0) {
        emit_line(p, idx == 0 ? PROC_STDOUT : PROC_STDERR, st->partial.buf, st->partial.len);
        strbuf_reset(&st->partial);
    }
}

static void input_close(struct proc *p)
{
    if (p->in_fd < 0)
        return;
    loop_del_fd(p->loop, p->in_fd);
    close(p->in_fd);
    p->in_fd = -1;
}

static void cancel_timers(struct proc *p)
{
    long long *timers[] = {&p->deadline_timer, &p->kill_timer, &p->linger_timer, &p->start_timer};
    for (size_t i = 0; i < ARRAY_LEN(timers); i++)
        if (*timers[i]) {
            loop_cancel_timer(p->loop, *timers[i]);
            *timers[i] = 0;
        }
}

static void proc_free(struct proc *p)
{
    cancel_timers(p);
    for (int i = 0; i < 2; i++) {
        if (p->s[i].fd >= 0) {
            loop_del_fd(p->loop, p->s[i].fd);
            close(p->s[i].fd);
        }
        strbuf_done(&p->s[i].keep);
        strbuf_done(&p->s[i].partial);
    }
    input_close(p);
    if (p->input)
        str_free_secret(p->input); /* input may carry a secret (a password on stdin) */
    for (size_t i = 0; i < p->tail_cap; i++)
        free(p->tail[i]);
    free(p->tail);
    free(p->name);
    free(p);
}

static const char *ms_text(long long ms, char *buf, size_t len)
{
    if (ms % 1000 == 0)
        snprintf(buf, len, "%lld s", ms / 1000);
    else
        snprintf(buf, len, "%lld ms", ms);
    return buf;
}

/* The last non-empty line, stderr's lines counting as well as stdout's. */
static const char *last_line(const char *const *tail, size_t n)
{
    for (size_t i = n; i > 0; i--) {
        const char *s = tail[i - 1];
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s)
            return s;
    }
    return NULL;
}

static void proc_complete(struct proc *p)
{
    cancel_timers(p);
    const char **tail = xcalloc(p->tail_n + 1, sizeof(char *));
    for (size_t i = 0; i < p->tail_n; i++)
        tail[i] = p->tail[(p->tail_next + p->tail_cap - p->tail_n + i) % p->tail_cap];
    struct proc_result r = {
        .status = p->status,
        .exit_code = -1,
        .started = p->pid > 0,
        .timed_out = p->timed_out,
        .lingered = p->lingered,
        .out = p->s[0].keep.buf,
        .out_len = p->s[0].keep.len,
        .out_truncated = p->s[0].truncated,
        .err = p->s[1].keep.buf,
        .err_len = p->s[1].keep.len,
        .err_truncated = p->s[1].truncated,
        .tail = tail,
        .ntail = p->tail_n,
        .elapsed_ms = now_ms() - p->t0,
    };
    struct error e;
    error_clear(&e);
    const char *last = last_line(tail, p->tail_n);
    char span[32];
    if (r.started && WIFEXITED(p->status) && WEXITSTATUS(p->status) == 127 && !r.out_len &&
        !r.err_len) {
        /* The exec failed after the fork (posix_spawn falls back to fork and
         * exec where it cannot report exec errors, e.g. under valgrind). */
        r.started = false;
        error_set(&p->start_err, ERR_PROCESS, 127,
                  "%s: not found on PATH (install it, or put its directory on PATH)", p->name);
    }
    if (!r.started) {
        e = p->start_err;
    } else if (WIFEXITED(p->status)) {
        r.exit_code = WEXITSTATUS(p->status);
        if (p->timed_out)
            error_set(&e, ERR_PROCESS, r.exit_code, "%s did not finish within %s", p->name,
                      ms_text(p->timeout_ms, span, sizeof(span)));
        else if (r.exit_code != 0)
            error_set(&e, ERR_PROCESS, r.exit_code, "%s exited with status %d%s%s", p->name,
                      r.exit_code, last ? ": " : "", last ? last : "");
    } else if (WIFSIGNALED(p->status)) {
        r.signal = WTERMSIG(p->status);
        if (p->timed_out)
            error_set(&e, ERR_PROCESS, -1,
                      "%s did not finish within %s and was stopped (signal %d)", p->name,
                      ms_text(p->timeout_ms, span, sizeof(span)), r.signal);
        else
            error_set(&e, ERR_PROCESS, -1, "%s was killed by signal %d (%s)%s%s", p->name, r.signal,
                      strsignal(r.signal), last ? "; last output: " : "", last ? last : "");
    }
    if (!error_is_set(&e) && p->timed_out)
        error_set(&e, ERR_PROCESS, -1, "%s did not finish in time", p->name);
    log_info("%s: %s (%lld ms)", p->name, error_is_set(&e) ? e.msg : "finished", r.elapsed_ms);
    proc_done_cb done = p->done;
    void *arg = p->arg;
    done(&r, error_is_set(&e) ? &e : NULL, arg);
    free(tail);
    proc_free(p);
}

static void proc_linger_expired(struct loop *l, long long id, void *arg)
{
    struct proc *p = arg;
    p->linger_timer = 0;
    /* The leader is gone; what still holds the pipes is something it
     * started, in our group. */
    log_warn("%s exited, but a process it started kept its output open for %lld ms: stopping it",
             p->name, p->linger_ms);
    kill(-p->pid, SIGKILL);
    p->lingered = true;
    stream_close(p, 0);
    stream_close(p, 1);
    proc_complete(p);
}

static void proc_check_done(struct proc *p)
{
    if (!p->reaped)
        return;
    if (p->s[0].fd < 0 && p->s[1].fd < 0) {
        proc_complete(p);
        return;
    }
    if (!p->linger_timer)
        p->linger_timer = loop_add_timer(p->loop, p->linger_ms, proc_linger_expired, p);
}

static void proc_reaped(struct loop *l, pid_t pid, int status, void *arg)
{
    struct proc *p = arg;
    p->reaped = true;
    p->status = status;
    input_close(p);
    proc_check_done(p);
}

static void proc_read(struct loop *l, int fd, int events, void *arg)
{
    struct proc *p = arg;
    int idx = fd == p->s[0].fd ? 0 : 1;
    char buf[PROC_READ_CHUNK];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n > 0) {
        stream_feed(p, idx, buf, (size_t)n);
        return;
    }
    stream_close(p, idx);
    proc_check_done(p);
}

static void proc_write_input(struct loop *l, int fd, int events, void *arg)
{
    struct proc *p = arg;
    while (p->input_off < p->input_len) {
        ssize_t n = write(fd, p->input + p->input_off, p->input_len - p->input_off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n < 0) /* EPIPE: it does not read its input; that is its business */
            break;
        p->input_off += (size_t)n;
    }
    input_close(p);
}

static void proc_kill_now(struct loop *l, long long id, void *arg)
{
    struct proc *p = arg;
    p->kill_timer = 0;
    if (!p->reaped)
        kill(-p->pid, SIGKILL);
}

static void proc_deadline(struct loop *l, long long id, void *arg)
{
    struct proc *p = arg;
    p->deadline_timer = 0;
    if (p->reaped)
        return;
    log_warn("%s did not finish in time: stopping it (SIGTERM, then SIGKILL after %lld ms)",
             p->name, p->kill_grace_ms);
    p->timed_out = true;
    kill(-p->pid, SIGTERM);
    p->kill_timer = loop_add_timer(l, p->kill_grace_ms, proc_kill_now, p);
}

static void proc_start_failed(struct loop *l, long long id, void *arg)
{
    struct proc *p = arg;
    p->start_timer = 0;
    proc_complete(p);
}

/* Our environment with the given entries set on top. */
static char **build_env(const char *const *extra)
{
    size_t nenv = 0, nextra = 0;
    while (environ[nenv])
        nenv++;
    while (extra && extra[nextra])
        nextra++;
    char **envp = xcalloc(nenv + nextra + 1, sizeof(char *));
    size_t k = 0;
    for (size_t i = 0; i < nenv; i++) {
        bool overridden = false;
        for (size_t e = 0; e < nextra && !overridden; e++) {
            const char *eq = strchr(extra[e], '=');
            size_t nl = eq ? (size_t)(eq - extra[e]) : strlen(extra[e]);
            overridden = strncmp(environ[i], extra[e], nl) == 0 && environ[i][nl] == '=';
        }
        if (!overridden)
            envp[k++] = environ[i];
    }
    for (size_t e = 0; e < nextra; e++)
        envp[k++] = (char *)extra[e];
    return envp;
}

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Writing the input to a process that stopped reading must not kill us. */
static void ignore_sigpipe(void)
{
    struct sigaction old;
    if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);
}

static int proc_spawn(struct proc *p, const struct proc_opts *o, int po[2], int pe[2], int pi[2])
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    if (pi[0] >= 0)
        posix_spawn_file_actions_adddup2(&fa, pi[0], 0);
    else
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    if (o->cwd)
        posix_spawn_file_actions_addchdir_np(&fa, o->cwd);
    /* Its own group; an empty signal mask; default dispositions for what
     * we catch or ignore (SIGPIPE ignored here must not stay ignored there). */
    sigset_t none, def;
    sigemptyset(&none);
    sigemptyset(&def);
    static const int defaults[] = {SIGPIPE,  SIGINT,  SIGTERM, SIGQUIT, SIGHUP,  SIGCHLD,
                                   SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2};
    for (size_t i = 0; i < ARRAY_LEN(defaults); i++)
        sigaddset(&def, defaults[i]);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    char **envp = build_env(o->env);
    int rc = posix_spawnp(&p->pid, o->argv[0], &fa, &attr, (char *const *)o->argv, envp);
    free(envp);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

struct proc *proc_start(struct loop *l, const struct proc_opts *o)
{
    struct proc *p = xcalloc(1, sizeof(*p));
    p->loop = l;
    p->name = xstrdup(o->argv && o->argv[0] ? o->argv[0] : "(no command)");
    p->s[0].fd = p->s[1].fd = p->in_fd = -1;
    for (int i = 0; i < 2; i++) {
        strbuf_init(&p->s[i].keep);
        strbuf_init(&p->s[i].partial);
    }
    p->max_output = o->max_output ? o->max_output : 4u << 20;
    p->tail_cap = o->tail_lines ? o->tail_lines : 40;
    p->tail = xcalloc(p->tail_cap, sizeof(char *));
    p->timeout_ms = o->timeout_ms;
    p->kill_grace_ms = o->kill_grace_ms > 0 ? o->kill_grace_ms : 3000;
    p->linger_ms = o->linger_ms > 0 ? o->linger_ms : 2000;
    p->on_line = o->on_line;
    p->done = o->done;
    p->arg = o->arg;
    p->t0 = now_ms();
    error_clear(&p->start_err);

    if (!o->argv || !o->argv[0] || !o->argv[0][0]) {
        error_set(&p->start_err, ERR_INTERNAL, 0, "no command to run");
        p->start_timer = loop_add_timer(l, 0, proc_start_failed, p);
        return p;
    }
    char *shown = proc_argv_string(o->argv);
    log_info("run: %s%s%s", shown, o->cwd ? " (in " : "", o->cwd ? o->cwd : "");
    free(shown);

    int po[2] = {-1, -1}, pe[2] = {-1, -1}, pi[2] = {-1, -1};
    if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0 ||
        (o->input && pipe2(pi, O_CLOEXEC) < 0)) {
        error_set(&p->start_err, ERR_PROCESS, errno, "%s: cannot make a pipe: %s", p->name,
                  strerror(errno));
        goto fail;
    }
    int rc = proc_spawn(p, o, po, pe, pi);
    close(po[1]);
    close(pe[1]);
    po[1] = pe[1] = -1;
    if (pi[0] >= 0) {
        close(pi[0]);
        pi[0] = -1;
    }
    if (rc != 0) {
        p->pid = 0;
        if (rc == ENOENT)
            error_set(&p->start_err, ERR_PROCESS, 127,
                      "%s: not found on PATH (install it, or put its directory on PATH)", p->name);
        else
            error_set(&p->start_err, ERR_PROCESS, 126, "%s: cannot run it: %s", p->name,
                      strerror(rc));
        goto fail;
    }
    p->s[0].fd = po[0];
    p->s[1].fd = pe[0];
    set_nonblock(po[0]);
    set_nonblock(pe[0]);
    loop_add_fd(l, po[0], LOOP_READ, proc_read, p);
    loop_add_fd(l, pe[0], LOOP_READ, proc_read, p);
    if (pi[1] >= 0) {
        ignore_sigpipe();
        p->input = xmalloc(o->input_len + 1);
        memcpy(p->input, o->input, o->input_len);
        p->input[o->input_len] = '\0';
        p->input_len = o->input_len;
        p->in_fd = pi[1];
        set_nonblock(pi[1]);
        loop_add_fd(l, pi[1], LOOP_WRITE, proc_write_input, p);
    }
    loop_watch_child(l, p->pid, proc_reaped, p);
    if (o->timeout_ms > 0)
        p->deadline_timer = loop_add_timer(l, o->timeout_ms, proc_deadline, p);
    return p;

fail:
    for (int i = 0; i < 2; i++) {
        if (po[i] >= 0)
            close(po[i]);
        if (pe[i] >= 0)
            close(pe[i]);
        if (pi[i] >= 0)
            close(pi[i]);
    }
    p->start_timer = loop_add_timer(l, 0, proc_start_failed, p);
    return p;
}

void proc_cancel(struct proc *p)
{
    if (!p)
        return;
    if (p->pid > 0 && !p->reaped) {
        kill(-p->pid, SIGKILL);
        /* The loop still reaps it, with nobody to tell. */
        loop_unwatch_child(p->loop, p->pid);
        loop_watch_child(p->loop, p->pid, proc_reap_quietly, NULL);
    } else if (p->pid > 0 && (p->s[0].fd >= 0 || p->s[1].fd >= 0)) {
        kill(-p->pid, SIGKILL); /* what it started still holds the pipes */
    }
    log_info("%s: cancelled", p->name);
    proc_free(p);
}

void proc_signal(struct proc *p, int sig)
{
    if (p && p->pid > 0 && !p->reaped)
        kill(-p->pid, sig);
}

pid_t proc_pid(const struct proc *p)
{
    return p ? p->pid : 0;
}

static bool shell_plain(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              strchr("_./:=@%+,-", *s)))
            return false;
    return true;
}

char *proc_argv_string(const char *const *argv)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; argv && argv[i]; i++) {
        if (i)
            strbuf_addc(&sb, ' ');
        if (shell_plain(argv[i])) {
            strbuf_adds(&sb, argv[i]);
            continue;
        }
        strbuf_addc(&sb, '\'');
        for (const char *c = argv[i]; *c; c++) {
            if (*c == '\'')
                strbuf_adds(&sb, "'\\''");
            else
                strbuf_addc(&sb, *c);
        }
        strbuf_addc(&sb, '\'');
    }
    return strbuf_detach(&sb, NULL);
}
