/* sim/apply.h: request bodies and the ways they change an object: YAML/JSON
 * parsing (libyaml), JSON merge patch, the simulator's strategic merge patch
 * (merge patch plus merging lists of named items by "name"), JSON patch, and
 * server-side apply with per-field managers, conflicts and force. */
#ifndef SIM_APPLY_H
#define SIM_APPLY_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct error;
struct sim_obj;

/* Parses a JSON or YAML document (the first one in a stream). */
cJSON *yaml_parse(const char *text, size_t len, struct error *err);
/* Parses every document of a YAML stream into an array. */
cJSON *yaml_parse_all(const char *text, size_t len, struct error *err);

/* RFC 7386 merge patch into target, in place; strategic merges lists of
 * objects that carry a "name" by that name instead of replacing them. */
void merge_patch(cJSON *target, const cJSON *patch, bool strategic);
/* RFC 6902 JSON patch (add, remove, replace, test, copy, move), in place. */
int json_patch(cJSON *target, const cJSON *ops, struct error *err);

/* Server-side apply of body onto obj (NULL when creating). Returns the new
 * body for the caller to store, or NULL with a 409-worthy message in err. */
cJSON *apply_ssa(struct sim_obj *obj, const cJSON *body, const char *manager, bool force,
                 struct error *err);
/* Records that manager (operation "Apply" or "Update") set the leaves of
 * body (all of them for Apply, those that differ from before for Update;
 * body NULL means obj->json), then rewrites metadata.managedFields. */
void owners_record(struct sim_obj *obj, const cJSON *body, const cJSON *before, const char *manager,
                   const char *operation);
struct field_owner;
void owners_free(struct field_owner *o);

#endif
