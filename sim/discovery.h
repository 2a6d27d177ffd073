/* sim/discovery.h: non-resource paths: /version, /healthz, API discovery
 * (/api, /api/v1, /apis, /apis/G/V) and the minimal OpenAPI v3 documents
 * kubectl needs to find out that the server validates fields itself. */
#ifndef SIM_DISCOVERY_H
#define SIM_DISCOVERY_H

#include <stdbool.h>

struct req;
struct reply;

/* Answers r when its path is a discovery path; false otherwise. */
bool discovery_handle(struct req *r, struct reply *rep);
/* The address kubectl is told to use (127.0.0.1:PORT), set once listening. */
void discovery_set_address(const char *hostport);

#endif
