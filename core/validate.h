/* core/validate.h: checks a profile and reports every problem a person can act
 * on, each tied to a field path so the wizard's review page can jump to it and
 * the answers loader can point at FILE:LINE:COL. The problem list is
 * core/problems.h; the single-value rules are core/rules.h. */
#ifndef CORE_VALIDATE_H
#define CORE_VALIDATE_H

#include "core/problems.h"
#include "core/profile.h"
#include "core/rules.h"

/* The field's own rule (its descriptor: grammar, range, emptiness, when it
 * applies) on its value in p: true when it holds, else a reason in msg. The
 * wizard runs profile_validate rather than this as a field is left, so that
 * rules tying fields together show there too. */
bool profile_field_check(const struct profile *p, const struct field_desc *f, char *msg,
                         size_t msgsz);

/* Every rule, applied to the whole profile; secrets may be NULL (not checked). */
void profile_validate(const struct profile *p, const struct secrets *s, struct problems *out);

#endif
