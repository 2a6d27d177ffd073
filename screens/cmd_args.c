/* screens/cmd_args.c: argument checks shared by the commands. */
#include "config.h"

#include <errno.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/paths.h"
#include "core/rules.h"
#include "core/textsafe.h"
#include "screens/cmd_args.h"

bool cmd_path_ok(const char *cmd, const char *opt, const char *value)
{
    char msg[160];
    if (paths_arg_ok(value, msg, sizeof(msg)))
        return true;
    fprintf(stderr, "dify-tui %s: %s: %s\n", cmd, opt, msg);
    return false;
}

bool cmd_globals_ok(const char *cmd, const struct global_opts *g)
{
    if (g->kubeconfig && !cmd_path_ok(cmd, "--kubeconfig", g->kubeconfig))
        return false;
    if (g->context && !*g->context) {
        fprintf(stderr, "dify-tui %s: --context: an empty name\n", cmd);
        return false;
    }
    if (g->ns && !*g->ns) {
        fprintf(stderr, "dify-tui %s: --namespace: an empty name\n", cmd);
        return false;
    }
    /* a namespace is a DNS label (the API server's rule): anything else
     * names no namespace, and would only be an empty answer */
    char msg[200];
    if (g->ns && !valid_dns_label(g->ns, msg, sizeof(msg))) {
        char *safe = textsafe(msg, 0, 0);
        fprintf(stderr, "dify-tui %s: --namespace: %s\n", cmd, safe);
        free(safe);
        return false;
    }
    return true;
}

/* Whether stdout is a pipe or socket whose reader went away (`| head -3`
 * read its lines and left): poll says POLLERR on such a write end. */
static bool stdout_reader_gone(void)
{
    struct stat st;
    if (fstat(STDOUT_FILENO, &st) < 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
        return false;
    struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

const int cmd_watch_stop_signals[CMD_WATCH_NSTOP] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

bool cmd_stdout_failed(const char *cmd, bool closed)
{
    errno = 0;
    int flushed = fflush(stdout);
    int e = errno;
    if (flushed == 0 && !ferror(stdout))
        return false;
    /* A reader that left is no failure to report: end as kubectl, cat and
     * `status --watch` end there, by SIGPIPE, saying nothing (a watch that
     * caught the signal, or a command that ignores it for its subprocesses,
     * would otherwise say "the output is incomplete" and exit 1). */
    if (e == EPIPE || stdout_reader_gone()) {
        fflush(stderr);
        signal(SIGPIPE, SIG_DFL);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        raise(SIGPIPE);
    }
    fprintf(stderr, "dify-tui%s%s: the output is incomplete: writing it failed (%s)\n",
            cmd ? " " : "", cmd ? cmd : "",
            closed ? "stdout is closed"
            : e    ? strerror(e)
                   : "a write failed before the end");
    return true;
}

const char *cmd_opt_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0 || (a[n] && a[n] != '='))
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

bool cmd_take_global(int argc, char **argv, int *i, struct global_opts *g)
{
    static const struct {
        const char *flag;
        size_t off;
    } flags[] = {
        {"--kubeconfig", offsetof(struct global_opts, kubeconfig)},
        {"--context", offsetof(struct global_opts, context)},
        {"--namespace", offsetof(struct global_opts, ns)},
        {"-n", offsetof(struct global_opts, ns)},
    };
    for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
        bool missing = false; /* a flag last without its value is not taken */
        const char *v = cmd_opt_value(argc, argv, i, flags[f].flag, &missing);
        if (v) {
            *(const char **)(void *)((char *)g + flags[f].off) = v;
            return true;
        }
    }
    return false;
}

void cmd_heap_for_models(void)
{
#if defined(__GLIBC__)
    /* glibc raises its mmap threshold to the size of each large block freed,
     * so a model's growing arrays come from the heap after the first one,
     * and the holes they leave stay resident: 3.6 MB of `status --watch`'s
     * 63 at 100,000 pods. A fixed threshold keeps blocks of 128 KiB and more
     * in mappings of their own, given back when freed. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}
