/* core/kube_check.h: is an object from the server well-typed? kubectl
 * decodes objects into typed Go structs and refuses one whose fields have
 * the wrong JSON type ("json: cannot unmarshal string into Go struct field
 * ContainerStatus.status.containerStatuses.restartCount of type int32").
 * The projection (core/kube_project.c) reads leniently, so a string
 * restartCount, a 2^62 replica count or a numeric timestamp would be shown
 * as a wrong value; this check runs first and names the field instead.
 *
 * The rules go by field name, with the parent's name where one name has two
 * types (a container status's `ready` is a boolean, a Job status's `ready`
 * a count): the API's field names are consistent across kinds. Unknown
 * fields are not checked. */
#ifndef CORE_KUBE_CHECK_H
#define CORE_KUBE_CHECK_H

struct cJSON;
struct error;

/* 0 when every known field has its API type; else -1 with
 * "RESOURCE \"NAME\" in namespace \"NS\" is malformed: PATH: ..." in err.
 * resource names the kind in the message ("pod"). */
int kube_obj_check(const struct cJSON *obj, const char *resource, struct error *err);

#endif
