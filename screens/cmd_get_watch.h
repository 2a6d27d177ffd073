/* screens/cmd_get_watch.h: `dify-tui get KIND -w` (cmd_get.c parses, this
 * watches and prints). */
#ifndef SCREENS_CMD_GET_WATCH_H
#define SCREENS_CMD_GET_WATCH_H

#include <stdbool.h>

struct kube_client;
struct kube_resource;

/* Prints the first list's table, then a row per change, until a refusal or
 * one of cmd_watch_stop_signals (exit 1 both, as kubectl), or the reader of
 * a pipe leaves (SIGPIPE). ns NULL: all namespaces. */
struct error;
/* A request's error on stderr as kubectl says it ("error: ..."; a 401 with
 * kubectl's "You must be logged in to the server (Unauthorized)"). */
void get_print_kube_error(const struct error *err);

int cmd_get_watch(struct kube_client *c, const struct kube_resource *res, const char *ns,
                  const char *name, const char *lsel, const char *fsel, bool with_ns, bool wide);

#endif
