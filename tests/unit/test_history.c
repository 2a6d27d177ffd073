/* tests/unit/test_history.c: the "revision" step and the history read back
 * from the journal the real runner wrote: a run that deployed (its revision
 * with the image and daemon tags, the chart and Helm's revision number), a
 * later run that failed before recording one, the last good revision, and
 * a torn last line. */
#include "config.h"

#include <stdio.h>

#include "core/history.h"
#include "core/profile.h"
#include "tests/unit/stephar.h"
#include "tests/unit/tap.h"

static bool fail_app;

static void app_start(struct step_run *sr, void *data)
{
    (void)data;
    if (fail_app) {
        struct error e;
        error_set(&e, ERR_PROCESS, 1, "helm upgrade failed: timed out waiting for the condition");
        step_run_permanent(sr);
        step_run_done(sr, &e);
        return;
    }
    step_run_output(sr, "helm_revision", "7");
    step_run_done(sr, NULL);
}

static void app_cancel(struct step_run *sr, void *data)
{
    (void)sr, (void)data;
}

static const struct step_ops app_ops = {"fake-helm", app_start, app_cancel, NULL, NULL};

static struct plan *make_plan(struct sh *h)
{
    struct plan *p = plan_new("upgrade");
    plan_step_always(plan_add(p, STAGE_APP, "helm-release", "fake helm", &app_ops, NULL));
    struct error err = {0};
    steps_revision_add(p, &h->ctx, &err);
    return p;
}

static void test_runs_and_revisions(void)
{
    struct sh h;
    sh_init(&h);
    struct profile prof;
    profile_init(&prof, EDITION_COMMUNITY, TARGET_EXISTING, SIZE_TEST);
    prof.method = METHOD_HELM;
    str_replace(&prof.helm.chart, "dify/dify");
    str_replace(&prof.helm.version, "0.37.0");
    h.ctx.profile = &prof;
    fail_app = false;
    CHECK_INT(sh_run(&h, make_plan(&h), true), RUNNER_DONE);
    sh_end(&h, true);
    fail_app = true;
    CHECK_INT(sh_run(&h, make_plan(&h), true), RUNNER_FAILED);
    sh_end(&h, true);

    struct history hi;
    struct error err = {0};
    CHECK(history_load(h.dir, &hi, &err) == 0);
    CHECK_INT(hi.n, 2);
    CHECK_STR(hi.v[0].what, "upgrade");
    CHECK_STR(hi.v[0].result, "done");
    /* the times the journal wrote (RFC 3339 strings) are read back */
    CHECK(hi.v[0].started > 1600000000);
    CHECK(hi.v[0].ended >= hi.v[0].started);
    CHECK(hi.v[1].started >= hi.v[0].started);
    CHECK(hi.v[0].has_revision);
    CHECK_STR(hi.v[0].image_tag, prof.image_tag);
    CHECK_STR(hi.v[0].chart_version, "0.37.0");
    CHECK_STR(hi.v[0].helm_revision, "7");
    CHECK_STR(hi.v[1].result, "failed");
    CHECK(!hi.v[1].has_revision);
    CHECK_CONTAINS(hi.v[1].message, "timed out waiting");
    const struct history_run *g = history_last_good(&hi, hi.n);
    CHECK(g == &hi.v[0]);
    CHECK_STR(history_outcome(&hi, 0), "upgraded");
    CHECK_STR(history_outcome(&hi, 1), "failed");
    history_done(&hi);

    /* a rollback that finished after the failed upgrade: the upgrade was
     * rolled back, the rollback restored */
    struct plan *rb = plan_new("rollback");
    plan_step_always(plan_add(rb, STAGE_APP, "rollback-application", "fake", &app_ops, NULL));
    fail_app = false;
    CHECK_INT(sh_run(&h, rb, true), RUNNER_DONE);
    sh_end(&h, true);
    CHECK(history_load(h.dir, &hi, &err) == 0);
    CHECK_INT(hi.n, 3);
    CHECK_STR(history_outcome(&hi, 1), "rolled back");
    CHECK_STR(history_outcome(&hi, 2), "restored");
    history_done(&hi);

    /* a torn last line (a run killed while writing) is counted, not fatal */
    char *path = path_join(h.dir, "journal.jsonl");
    FILE *f = fopen(path, "a");
    fputs("{\"time\":1,\"event\":\"run\",\"wh", f);
    fclose(f);
    free(path);
    CHECK(history_load(h.dir, &hi, &err) == 0);
    CHECK_INT(hi.n, 3);
    CHECK_INT(hi.torn, 1);
    history_done(&hi);

    /* no journal: an empty history */
    CHECK(history_load("/nonexistent-state-dir", &hi, &err) == 0);
    CHECK_INT(hi.n, 0);
    history_done(&hi);
    profile_done(&prof);
    sh_done(&h);
}

int main(void)
{
    static const struct tap_case cases[] = {
        {"history: runs and revisions from the runner's journal", test_runs_and_revisions, NULL},
    };
    return tap_run(cases, ARRAY_LEN(cases));
}
