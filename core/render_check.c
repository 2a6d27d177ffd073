/* core/render_check.c: problems found with the renderer's tables (see
 * render_check.h). */
#include "config.h"

#include <stdlib.h>

#include "core/dify_versions.h"
#include "core/render_check.h"
#include "core/util.h"
#include "core/validate.h"

/* The image set: image_tag names the api/web release; the plugin daemon and
 * sandbox are rendered from the same row, so a tag no row knows, a tag of
 * the other edition's line, or a chart pinned to another release is a mixed
 * set that only fails at run time. */
static void check_release(const struct profile *p, struct problems *out)
{
    bool ee = p->edition == EDITION_ENTERPRISE;
    enum dify_line line = ee ? DIFY_LINE_ENTERPRISE : DIFY_LINE_COMMUNITY;
    const struct dify_release *r = dify_release_find(p->image_tag);
    const struct dify_release *chart =
        p->method == METHOD_HELM ? dify_release_for_chart(line, p->helm.version) : NULL;
    const struct dify_release *def = dify_release_default(line);
    const struct dify_release *used = chart ? chart : def;

    if (str_empty(p->image_tag))
        return; /* validate says it is empty */
    if (r && r->line != line) {
        problems_add(out, true, "image_tag",
                     "%s is a %s release, but the edition is %s; the plugin daemon and sandbox "
                     "are rendered from %s (%s)",
                     p->image_tag, ee ? "community" : "enterprise", ee ? "enterprise" : "community",
                     used->api, used->source);
        return;
    }
    if (!r) {
        problems_add(out, true, "image_tag",
                     "%s is not a Dify release this program knows; the plugin daemon (%s) and "
                     "sandbox (%s) are rendered from release %s (%s), check that they work with it",
                     p->image_tag, used->plugin_daemon, used->sandbox, used->api, used->source);
        return;
    }
    if (chart && chart != r) {
        char *want = dify_release_chart(r);
        if (want)
            problems_add(out, true, "image_tag",
                         "chart %s ships Dify %s (plugin daemon %s, sandbox %s), but image_tag is "
                         "%s; use helm.version %s for %s, or image_tag %s",
                         p->helm.version, chart->api, chart->plugin_daemon, chart->sandbox,
                         p->image_tag, want, p->image_tag, chart->api);
        else
            problems_add(out, true, "image_tag",
                         "chart %s ships Dify %s (plugin daemon %s, sandbox %s), but image_tag is "
                         "%s, which no chart version ships; its templates may not fit it",
                         p->helm.version, chart->api, chart->plugin_daemon, chart->sandbox,
                         p->image_tag);
        free(want);
    }
}

void render_check(const struct profile *p, struct problems *out)
{
    check_release(p, out);
}
