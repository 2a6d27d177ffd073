/* sim/select.h: label selectors (=, ==, !=, in, notin, exists, !exists) and
 * field selectors (=, ==, != on any dotted path, e.g. metadata.name,
 * status.phase, spec.nodeName, involvedObject.uid). */
#ifndef SIM_SELECT_H
#define SIM_SELECT_H

#include <cjson/cJSON.h>
#include <stdbool.h>

struct error;
struct selector;

/* Either string may be NULL or empty. Fails with a message for bad syntax. */
struct selector *selector_parse(const char *labels, const char *fields, struct error *err);
void selector_free(struct selector *s);
bool selector_match(const struct selector *s, const cJSON *obj);
/* Matches a label selector given as a map (matchLabels style) or a
 * LabelSelector object (matchLabels + matchExpressions) against labels. */
bool selector_match_labels(const cJSON *selector, const cJSON *labels);

#endif
