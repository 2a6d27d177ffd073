/* core/proc.h: subprocesses on the loop, for the runner's command steps
 * (terraform, helm, aws) and anything else that runs a tool.
 *
 * A command runs from an argv, never through a shell, in a process group of
 * its own (so a Ctrl-C on the terminal reaches only dify-tui, which decides,
 * and a cancel reaches the tool and everything it started). stdin is
 * /dev/null or the bytes given; stdout and stderr are pipes read
 * non-blocking on the loop: each complete line goes to a callback as it
 * arrives, the first max_output bytes of each stream are kept for the end
 * (`terraform output -json` is parsed from them), and the last tail_lines
 * lines of both streams are kept for an error message.
 *
 * A process is finished when both pipes reached EOF and the loop reaped it
 * (loop_watch_child: SIGCHLD through the loop's self-pipe; the loop is the
 * one SIGCHLD owner), in whichever order. A process that exited while
 * something it started still holds its output open is given linger_ms,
 * then the group is killed. At the deadline the group gets SIGTERM, then
 * SIGKILL after kill_grace_ms. */
#ifndef CORE_PROC_H
#define CORE_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct error;
struct loop;
struct proc;

enum proc_stream { PROC_STDOUT = 1, PROC_STDERR = 2 };

/* How a process ended. The buffers are valid during the done callback. */
struct proc_result {
    int status;      /* as waitpid(2) gives it; 0 when it never started */
    int exit_code;   /* WEXITSTATUS, or -1 when killed or never started */
    int signal;      /* WTERMSIG, or 0 */
    bool started;    /* false: the command could not be run (see err) */
    bool timed_out;  /* killed at its deadline */
    bool lingered;   /* exited; a process it started kept the output open and was killed */
    const char *out; /* the first max_output bytes of stdout, NUL-terminated */
    size_t out_len;
    bool out_truncated;
    const char *err; /* the same for stderr */
    size_t err_len;
    bool err_truncated;
    const char *const *tail; /* the last lines of both streams, oldest first */
    size_t ntail;
    long long elapsed_ms;
};

/* One line of output, without its newline (a final line without one is
 * given too; a line longer than 16 KiB comes in pieces). The bytes are the
 * program's: sanitise before drawing (core/textsafe). */
typedef void (*proc_line_cb)(enum proc_stream s, const char *line, size_t len, void *arg);
/* The end: err is NULL when the process exited with status 0, else it
 * says what happened ("terraform: exited with status 1: <last stderr
 * line>", "not found on PATH", "killed by signal 9", "did not finish within
 * 60 s"); code ERR_PROCESS with detail the exit status (127: not found).
 * The process is freed after this returns. */
typedef void (*proc_done_cb)(const struct proc_result *r, const struct error *err, void *arg);

struct proc_opts {
    const char *const *argv; /* NULL-terminated; argv[0] is looked up on PATH */
    const char *const *env;  /* "NAME=VALUE" set on top of our environment; NULL: ours */
    const char *cwd;         /* NULL: ours */
    const char *input;       /* written to stdin, then closed; NULL: /dev/null */
    size_t input_len;
    long long timeout_ms;    /* 0: no deadline */
    long long kill_grace_ms; /* SIGTERM to SIGKILL at the deadline; 0: 3 s */
    long long linger_ms;     /* after exit, wait this long for EOF; 0: 2 s */
    size_t max_output;       /* bytes kept of each stream; 0: 4 MiB */
    size_t tail_lines;       /* lines kept for the end; 0: 40 */
    proc_line_cb on_line;    /* may be NULL */
    proc_done_cb done;       /* required */
    void *arg;
};

/* Starts the command. Never NULL: a failure to start (not found, not
 * executable, no pipe) is reported through done on the next loop turn, so
 * there is one path. The argv is logged (secrets registered with the log
 * are masked). */
struct proc *proc_start(struct loop *l, const struct proc_opts *o);
/* Kills the group (SIGKILL) and frees; done is not called. The loop still
 * reaps the child. Not after done was called. */
void proc_cancel(struct proc *p);
/* Sends sig to the process group (SIGINT: ask terraform to stop cleanly);
 * done comes as usual when it ends. */
void proc_signal(struct proc *p, int sig);
/* The child's pid (also its process group id), or 0 when it never started. */
pid_t proc_pid(const struct proc *p);

/* argv as one line a person can paste into a shell: words with anything
 * but [A-Za-z0-9_./:=@%+,-] are single-quoted. For logs and --dry-run. */
char *proc_argv_string(const char *const *argv);

#endif
