/* core/render_check.h: the checks that only the renderer can make, because
 * they need its tables: whether the image set is one Dify release and
 * whether the chart version is one render knows the keys of. Called by
 * profile_validate, so `validate`, the wizard and `render` agree. */
#ifndef CORE_RENDER_CHECK_H
#define CORE_RENDER_CHECK_H

#include "core/profile.h"

struct problems;

void render_check(const struct profile *p, struct problems *out);

#endif
