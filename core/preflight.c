/* core/preflight.c: the checks `render` makes before writing, shared with
 * `validate` (see preflight.h). Stops at the first stage with an error, as
 * render always has: the answers and secrets files, then the secrets' rules,
 * then the rendering. */
#include "config.h"

#include <string.h>

#include "core/answers.h"
#include "core/error.h"
#include "core/preflight.h"
#include "core/util.h"
#include "core/validate.h"

static int stop(struct preflight *pf, struct error *err, size_t before)
{
    size_t n = problems_errors(&pf->probs) - before;
    return error_set(err, ERR_INVALID, 0, "%zu problem%s", n, n == 1 ? "" : "s");
}

int preflight_run(const char *answers, const char *secrets_path, struct preflight *pf,
                  struct error *err)
{
    memset(pf, 0, sizeof(*pf));
    problems_init(&pf->probs);
    secrets_init(&pf->s);
    struct error lerr;
    error_clear(&lerr);

    /* The answers (answers_load applies profile_validate to the profile
     * itself) and the secrets file. */
    int rc = answers_load(answers, &pf->p, &pf->probs, &lerr);
    if (secrets_load(secrets_path, &pf->s, &pf->probs, &lerr) < 0)
        rc = -1;
    if (rc < 0 || problems_errors(&pf->probs) > 0) {
        if (pf->probs.n == 0 && error_is_set(&lerr))
            problems_add_at(&pf->probs, NULL, 0, 0, NULL, "%s", lerr.msg);
        if (error_is_set(&lerr) && lerr.code != ERR_INVALID && lerr.code != ERR_PARSE &&
            lerr.code != ERR_NOTFOUND && lerr.code != ERR_IO) {
            *err = lerr;
            return -1;
        }
        return stop(pf, err, 0);
    }

    /* The secrets render would generate, then the rules that need them
     * (paths "secrets.*"; the others were reported with the answers). */
    pf->generated = secrets_fill(&pf->s, &pf->p, err);
    if (pf->generated < 0)
        return -1;
    struct problems sp;
    problems_init(&sp);
    profile_validate(&pf->p, &pf->s, &sp);
    size_t before = problems_errors(&pf->probs);
    for (size_t i = 0; i < sp.n; i++) {
        if (!str_starts_with(sp.v[i].path, "secrets."))
            continue;
        problems_add_at(&pf->probs, secrets_path, 0, 0, sp.v[i].path, "%s", sp.v[i].message);
        pf->probs.v[pf->probs.n - 1].warning = sp.v[i].warning;
    }
    problems_done(&sp);
    if (problems_errors(&pf->probs) > before)
        return stop(pf, err, before);

    /* The rendering itself, in memory. */
    error_clear(&lerr);
    if (render_profile(&pf->p, &pf->s, &pf->r, &lerr) < 0) {
        problems_add_at(&pf->probs, answers, 0, 0, NULL, "%s", lerr.msg);
        if (lerr.code == ERR_INVALID || lerr.code == ERR_NOTFOUND || lerr.code == ERR_PARSE)
            return stop(pf, err, before);
        *err = lerr;
        return -1;
    }
    return 0;
}

void preflight_done(struct preflight *pf)
{
    rendered_done(&pf->r);
    problems_done(&pf->probs);
    secrets_done(&pf->s);
    profile_done(&pf->p);
}
