/* sim/api.h: the resource verbs: get, list, create, update (PUT), patch
 * (merge, strategic, JSON, server-side apply), delete and deletecollection,
 * the status and scale subresources, defaulting and validation. */
#ifndef SIM_API_H
#define SIM_API_H

#include <cjson/cJSON.h>

struct error;
struct req;
struct reply;
struct rtype;
struct sim_obj;

/* Serves a resource request (sim_lock is taken inside). */
void api_handle(struct req *r, struct reply *rep);
/* Creates an object from a manifest outside any request (scenario objects);
 * json is taken. Call with sim_lock held. */
struct sim_obj *api_create(cJSON *json, struct error *err);
/* Fills the defaults a real API server fills (replicas, strategy, phase...). */
void api_defaults(struct rtype *rt, cJSON *json);
/* Deletes obj the way DELETE does: pods get a grace period, namespaces
 * terminate, the rest go at once (dependents are collected by the controllers). */
void api_delete(struct sim_obj *obj, long grace_seconds, const char *propagation);

#endif
