/* sim/crd.h: CustomResourceDefinitions (apiextensions.k8s.io/v1). A stored
 * definition makes each of its served versions a kind of the store (sim_rtypes,
 * added at the end and never reused for another kind), so that its instances
 * are created, listed, watched, patched and deleted like any other object and
 * appear in discovery; its status says NamesAccepted and Established. Deleting
 * the definition deletes its instances and stops serving them. Instances are
 * checked against the version's openAPIV3Schema only for types and required
 * fields (docs/sim.md says what is not checked). */
#ifndef SIM_CRD_H
#define SIM_CRD_H

#include <cjson/cJSON.h>
#include <stdbool.h>

struct ferrs;
struct rtype;

/* Brings the served kinds in line with the stored definitions (sim_lock held):
 * after a definition is written or deleted, and on every controller pass. */
void crd_sync(void);
/* The rules for a definition being created or replaced. */
void crd_validate_definition(const cJSON *crd, struct ferrs *e);
/* The rules for replacing old with new (the scope and group are immutable). */
void crd_validate_update(const cJSON *old, const cJSON *new, struct ferrs *e);
/* The rules for an instance of a custom kind: the version's schema's types
 * and required fields. */
void crd_validate_instance(const struct rtype *rt, const cJSON *obj, struct ferrs *e);
/* Is this the CustomResourceDefinition kind? */
bool crd_is_definition(const struct rtype *rt);

#endif
