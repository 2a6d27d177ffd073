/* core/loop.h: the program's one event loop, shaped like redis's ae.h.
 * File descriptors (terminal, curl sockets, subprocess pipes, libpq, libssh2),
 * one-shot timers, signals through a self-pipe, and a before_sleep hook where
 * the screen is drawn. poll()'s timeout is the next timer deadline, never a tick. */
#ifndef CORE_LOOP_H
#define CORE_LOOP_H

#include <stdbool.h>
#include <sys/types.h>

struct loop;

enum {
    LOOP_READ = 1,  /* wake when readable (or hung up) */
    LOOP_WRITE = 2, /* wake when writable */
};

/* events is a mask of LOOP_READ/LOOP_WRITE, plus LOOP_READ on error/hangup. */
typedef void (*loop_fd_cb)(struct loop *l, int fd, int events, void *arg);
typedef void (*loop_timer_cb)(struct loop *l, long long id, void *arg);
typedef void (*loop_signal_cb)(struct loop *l, int signo, void *arg);
typedef void (*loop_hook_cb)(struct loop *l, void *arg);
/* status as waitpid(2) gives it. */
typedef void (*loop_child_cb)(struct loop *l, pid_t pid, int status, void *arg);

struct loop *loop_new(void);
void loop_free(struct loop *l);

/* Watches fd for the events in mask; calling again for the same fd replaces
 * the mask and callback. A mask of 0 keeps the fd registered but idle. */
void loop_add_fd(struct loop *l, int fd, int mask, loop_fd_cb cb, void *arg);
void loop_del_fd(struct loop *l, int fd);

/* A one-shot timer after ms milliseconds; returns an id > 0 for cancel. */
long long loop_add_timer(struct loop *l, long long ms, loop_timer_cb cb, void *arg);
/* Cancelling an id that already fired or never existed is harmless. */
void loop_cancel_timer(struct loop *l, long long id);

/* Delivers signo through the self-pipe, inside the loop, to cb. Installs the
 * handler with SA_RESTART. Use for SIGCHLD, SIGWINCH, SIGINT, SIGTERM. */
int loop_watch_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg);

/* Reaps child pid inside the loop: when it exits (SIGCHLD through the
 * self-pipe; a child that exited before this call is found too), cb gets
 * its status, once. loop_unwatch_child forgets it (no callback); the caller
 * then reaps it itself. Only watched children are waited for. */
void loop_watch_child(struct loop *l, pid_t pid, loop_child_cb cb, void *arg);
void loop_unwatch_child(struct loop *l, pid_t pid);

/* Runs before every poll(): the only place a screen draws. */
void loop_set_before_sleep(struct loop *l, loop_hook_cb cb, void *arg);

/* Runs one iteration: waits at most max_wait_ms (-1: until the next timer or
 * event), dispatches what is ready. */
void loop_run_once(struct loop *l, long long max_wait_ms);
/* Runs until loop_stop(). */
void loop_run(struct loop *l);
void loop_stop(struct loop *l);
bool loop_stopped(const struct loop *l);

#endif
