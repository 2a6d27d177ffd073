/* core/render.c: the render driver. render_profile picks the artifacts for
 * target and method; core/render_write.c writes them into a directory. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/render.h"
#include "core/render_manifests.h"
#include "core/render_tf.h"
#include "core/render_util.h"
#include "core/render_values.h"
#include "core/util.h"

void rendered_done(struct rendered *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].name);
        if (r->v[i].mode == 0600)
            str_free_secret(r->v[i].data);
        else
            free(r->v[i].data);
    }
    free(r->v);
    r->v = NULL;
    r->n = 0;
}

static int rendered_cmp(const void *a, const void *b)
{
    const struct rendered_file *x = a, *y = b;
    return strcmp(x->name, y->name);
}

int render_profile(const struct profile *p, const struct secrets *s, struct rendered *out,
                   struct error *err)
{
    out->v = NULL;
    out->n = 0;
    int rc = 0;
    if (p->target == TARGET_EKS)
        rc = render_tfvars(p, s, out, err);
    if (rc == 0 && p->method == METHOD_HELM)
        rc = render_values(p, s, out, err);
    if (rc == 0)
        rc = render_manifests(p, s, out, err);
    if (rc)
        rendered_done(out);
    else /* one stable order for listings, whatever order renderers add in */
        qsort(out->v, out->n, sizeof(*out->v), rendered_cmp);
    return rc;
}

int render_to_dir(const struct profile *p, const struct secrets *s, const char *out_dir,
                  struct error *err)
{
    struct rendered r;
    if (render_profile(p, s, &r, err))
        return -1;
    int rc = rendered_write(&r, out_dir, err);
    rendered_done(&r);
    return rc;
}
