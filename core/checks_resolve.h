/* core/checks_resolve.h: host names resolved off the loop. getaddrinfo
 * blocks for as long as the resolver takes (seconds for a name that does
 * not exist behind a slow DNS server), so it runs on a thread of its own
 * that answers through a pipe the loop watches: a check of an ingress host
 * or a database name never holds up the others. libpq and hiredis are then
 * given the numeric address. */
#ifndef CORE_CHECKS_RESOLVE_H
#define CORE_CHECKS_RESOLVE_H

#include <stddef.h>

struct loop;
struct resolve;

#define RESOLVE_MAX_ADDRS 8

/* addrs are numeric ("10.0.3.7", "2600:1f14::1"); n is 0 and err set when
 * the name did not resolve ("Name or service not known"). */
typedef void (*resolve_cb)(const char *host, const char *const *addrs, size_t n, const char *err,
                           void *arg);

/* Starts resolving host; cb comes on a later loop turn. A numeric host
 * answers at once (on the next turn, without a thread). Never NULL. */
struct resolve *resolve_start(struct loop *l, const char *host, resolve_cb cb, void *arg);
/* No callback after this; the thread finishes on its own. */
void resolve_cancel(struct resolve *r);

#endif
