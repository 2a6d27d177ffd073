/* sim/validate.h: the API server's validation of objects, as far as the
 * simulator does it: a list of field errors in the shape of apimachinery's
 * field.ErrorList, turned into the real 422 Invalid Status (message
 * `Job.batch "x" is invalid: spec.template: Invalid value: ...: field is
 * immutable`, details.causes one per error), and the update rules that make
 * fields immutable (a Job's pod template and selector, a Deployment's
 * selector, a StatefulSet's spec outside its mutable fields, a bound PVC's
 * spec). */
#ifndef SIM_VALIDATE_H
#define SIM_VALIDATE_H

#include <cjson/cJSON.h>
#include <stdbool.h>

struct reply;
struct rtype;

/* One field error; type is apimachinery's ErrorType. */
enum ferr_type {
    FERR_INVALID,       /* "Invalid value: V: DETAIL" */
    FERR_REQUIRED,      /* "Required value[: DETAIL]" */
    FERR_FORBIDDEN,     /* "Forbidden: DETAIL" */
    FERR_NOT_SUPPORTED, /* "Unsupported value: V: supported values: ..." */
    FERR_TOO_LONG,      /* "Too long: may not be more than N bytes" */
    FERR_DUPLICATE,     /* "Duplicate value: V" */
};

struct ferrs {
    struct ferr {
        enum ferr_type type;
        char *field;  /* "spec.template.spec.containers[0].image" */
        char *value;  /* already rendered ("\"abc\"", "70000"), or NULL */
        char *detail; /* may be NULL */
    } * v;
    int n;
};

void ferrs_add(struct ferrs *e, enum ferr_type type, const char *field, const char *value,
               const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));
void ferrs_free(struct ferrs *e);
/* Replies 422 Invalid for the errors, as the real API server words it. */
void reply_invalid(struct reply *rep, const struct rtype *rt, const char *name,
                   const struct ferrs *e);

/* The rules for an object being created or replaced (after defaults):
 * required fields, port ranges, name and label lengths, a Job's
 * restartPolicy, a Deployment's selector against its template. */
void validate_object(const struct rtype *rt, const cJSON *obj, struct ferrs *e);

/* The rules for an update of old into new (both whole objects). */
void validate_update(const struct rtype *rt, const cJSON *old, const cJSON *new, struct ferrs *e);

#endif
