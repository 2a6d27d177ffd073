/* sim/select.h: label selectors (=, ==, !=, in, notin, exists, !exists) and
 * field selectors (=, ==, !=) on the fields a real API server indexes for
 * each kind (metadata.name and metadata.namespace everywhere; status.phase,
 * spec.nodeName ... for pods; involvedObject.* for events; see select.c). */
#ifndef SIM_SELECT_H
#define SIM_SELECT_H

#include <cjson/cJSON.h>
#include <stdbool.h>

struct error;
struct selector;

/* Either string may be NULL or empty. Fails with a message for bad syntax. */
struct selector *selector_parse(const char *labels, const char *fields, struct error *err);
void selector_free(struct selector *s);
/* Checks the field selector's keys against what a real API server accepts
 * for the kind; fails with its 400 message ("field label not supported:
 * spec.x", "\"x\" is not a known field selector: only ..."). */
int selector_check_fields(const struct selector *s, const char *kind, struct error *err);
bool selector_match(const struct selector *s, const cJSON *obj);
/* The same for a stored object, from the fields kept with it (labels, name,
 * namespace, a pod's node and phase); the object is parsed (and dropped
 * again) only for another field. */
struct sim_obj;
bool selector_match_obj(const struct selector *s, struct sim_obj *o);
bool selector_empty(const struct selector *s); /* matches everything */
/* Matches a label selector given as a map (matchLabels style) or a
 * LabelSelector object (matchLabels + matchExpressions) against labels. */
bool selector_match_labels(const cJSON *selector, const cJSON *labels);

#endif
