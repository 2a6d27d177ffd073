/* sim/api.h: the resource verbs: get, list, create, update (PUT), patch
 * (merge, strategic, JSON, server-side apply), delete and deletecollection,
 * the status and scale subresources, defaulting and validation. */
#ifndef SIM_API_H
#define SIM_API_H

#include <cjson/cJSON.h>
#include <stdbool.h>

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
/* Has obj any metadata.finalizers (deletion waits for them)? */
bool api_has_finalizers(const struct sim_obj *obj);
/* Foreground deletion: is obj waiting for its dependents to go? */
bool api_foreground_pending(const struct sim_obj *obj);
/* Ends deletions that waited: drops foregroundDeletion once nothing owned
 * is left, and removes terminating objects without finalizers (the
 * collector calls this; sim_lock held). Pods and namespaces end their own. */
void api_foreground_finish(void);

#endif
