/* core/preflight.h: everything `render` does before it writes a file, as one
 * function both commands run: `validate` is exactly this and nothing more, so
 * it passes exactly when `render` would write. The answers are loaded and
 * validated, the secrets file and DIFY_* variables loaded, the missing
 * secrets generated (in memory only), the rules that need the secrets
 * applied, and everything rendered in memory. */
#ifndef CORE_PREFLIGHT_H
#define CORE_PREFLIGHT_H

#include "core/problems.h"
#include "core/profile.h"
#include "core/render.h"

struct error;

struct preflight {
    struct profile p;
    struct secrets s;
    struct problems probs; /* every problem, each with its file and position */
    int generated;         /* secrets generated in memory and not yet saved */
    struct rendered r;     /* the rendering, in memory */
};

/* 0: render may write pf->r (warnings may be in pf->probs). -1: it may not;
 * err->code says why: ERR_INVALID, ERR_PARSE or ERR_NOTFOUND for bad input
 * (each problem in pf->probs), anything else for the system failing (no
 * random source, an unreadable file). pf is always initialised. */
int preflight_run(const char *answers, const char *secrets_path, struct preflight *pf,
                  struct error *err);
void preflight_done(struct preflight *pf);

#endif
