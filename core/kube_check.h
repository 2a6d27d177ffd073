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

#include <stdbool.h>

#include "core/kube_keys.h"

struct cJSON;
struct error;

/* 0 when every known field has its API type; else -1 with
 * "RESOURCE \"NAME\" in namespace \"NS\" is malformed: PATH: ..." in err.
 * resource names the kind in the message ("pod"). */
int kube_obj_check(const struct cJSON *obj, const char *resource, struct error *err);

/* For the client's parser (core/kube_jparse.c), which checks members as it
 * reads them and marks an object it found clean with KUBE_CHECK_OK
 * (kube_keys.h); kube_obj_check then returns at once, and walks the object
 * (the reference, whose message names the field) only when not so marked. */
enum kube_ftype {
    KUBE_T_NONE, /* no rule */
    KUBE_T_INT32,
    KUBE_T_INT64,
    KUBE_T_BOOL,
    KUBE_T_STRING,
    KUBE_T_TIME,       /* metav1.Time: RFC 3339 string, "" or null */
    KUBE_T_STRMAP,     /* map[string]string */
    KUBE_T_OBJECT,     /* a struct */
    KUBE_T_OBJECTLIST, /* []struct */
};
/* Builds the tables below (once; thread-safe). */
void kube_check_init(void);
/* The type of member key with no parent rule; kube_check_parented[key]: a
 * rule with a parent exists for key (ask kube_check_rule). */
extern unsigned char kube_check_type[KK_COUNT];
extern bool kube_check_parented[KK_COUNT];
/* The type of member key under a parent whose (or whose list's) name is
 * parent. */
enum kube_ftype kube_check_rule(enum kube_key key, enum kube_key parent);
/* A key some rule has as its parent. */
extern bool kube_check_is_parent[KK_COUNT];
/* A non-empty string is an RFC 3339 time as the check accepts it. */
bool kube_check_time_ok(const char *s);
/* A number is a whole one in the range of t (KUBE_T_INT32, KUBE_T_INT64). */
bool kube_check_int_ok(double d, enum kube_ftype t);

#endif
