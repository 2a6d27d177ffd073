/* tests/render_fixture.h: the render cases shared by the unit test and the
 * golden test: profiles built in C over profile_init, with FIXED secrets so
 * that rendered files are stable byte for byte. */
#ifndef TESTS_RENDER_FIXTURE_H
#define TESTS_RENDER_FIXTURE_H

#include <stddef.h>

#include "core/profile.h"

struct render_case {
    const char *name; /* directory name under tests/data/golden/ */
    void (*build)(struct profile *p, const char *datadir);
};

extern const struct render_case render_cases[];
extern const size_t render_ncases;

/* Builds case c; datadir holds prompts.py (tests/data/render). */
void render_case_build(const struct render_case *c, const char *datadir, struct profile *p);
/* Every secret set, with values no renderer could invent. */
void render_fixture_secrets(struct secrets *s);

#endif
