/* sim/proxy.h: the service proxy, /api/v1/namespaces/NS/services/NAME[:PORT]/
 * proxy/PATH, answering like the Dify component behind the Service (api
 * /health, plugin daemon /health/check, sandbox /health, web /apps), and 503
 * when no ready pod backs it. */
#ifndef SIM_PROXY_H
#define SIM_PROXY_H

struct req;
struct reply;

void proxy_handle(struct req *r, struct reply *rep);

#endif
