/* screens/cmd_args.h: checks shared by every command's arguments, so an
 * empty or impossible path is the same usage error (exit 2) everywhere. */
#ifndef SCREENS_CMD_ARGS_H
#define SCREENS_CMD_ARGS_H

#include <stdbool.h>

#include "screens/command.h"

/* A path option's value (core/paths.h paths_arg_ok). When it is not usable,
 * prints "dify-tui CMD: OPT: reason" on stderr and returns false. */
bool cmd_path_ok(const char *cmd, const char *opt, const char *value);
/* The global options: --kubeconfig is a path, --context and --namespace are
 * not empty when given, and a namespace is a DNS label. Prints the problem and returns false. */
bool cmd_globals_ok(const char *cmd, const struct global_opts *g);
/* Flushes stdout; when that or an earlier write failed (a full disk, a
 * closed descriptor: closed tells, see main.c), says so on stderr and
 * returns true: the command's output is incomplete and it must not exit 0. */
bool cmd_stdout_failed(const char *cmd, bool closed);

/* The signals that end a watching command (get -w, status --watch): Ctrl-C,
 * kill, a closed terminal, Ctrl-\. kubectl get -w catches these four
 * (k8s.io/kubectl/pkg/util/interrupt) and exits 1 saying nothing; so do
 * ours: a watch never ends by itself, so an interrupted one is no success
 * a script could take for "done". */
#define CMD_WATCH_NSTOP 4
extern const int cmd_watch_stop_signals[CMD_WATCH_NSTOP];

/* One option with its value (as "--opt V" or "--opt=V"): the value, *i
 * moved past it; NULL when argv[*i] is not that option, and *missing set
 * when it is, without a value. */
const char *cmd_opt_value(int argc, char **argv, int *i, const char *name, bool *missing);
/* kubectl takes its global flags anywhere: --kubeconfig, --context,
 * --namespace/-n (with a value, or =value) at argv[*i] are stored in g and
 * true is returned (*i moved past the value). */
bool cmd_take_global(int argc, char **argv, int *i, struct global_opts *g);
/* For the commands that keep a live model of a namespace (status, the
 * dashboard): blocks of 128 KiB and more in mappings of their own, so the
 * model's growing arrays leave no resident holes (docs/bench.md). */
void cmd_heap_for_models(void);

#endif
