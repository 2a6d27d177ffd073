/* core/manifests.h: a rendered manifests directory (render's
 * manifests/NN-name.yaml) as the list of objects the runner applies: each
 * document's kind, resource, namespace and name, its text as written, and
 * the file it came from, in file-name order and document order (the order
 * the renderer numbered them in: seed 002's). Also the @@placeholder@@
 * filling of objects whose values Terraform gives. */
#ifndef CORE_MANIFESTS_H
#define CORE_MANIFESTS_H

#include <stdbool.h>
#include <stddef.h>

struct error;
struct kube_resource;

struct manifest_obj {
    const struct kube_resource *res;
    char *kind; /* "Deployment" */
    char *ns;   /* "" for cluster-scoped */
    char *name;
    char *component; /* app.kubernetes.io/component, else component, else NULL */
    char *file;      /* "32-api.yaml" */
    char *text;      /* the YAML document */
    bool secret;     /* a Secret: its text is never shown */
};

struct manifests {
    struct manifest_obj *v;
    size_t n;
};

/* Reads every *.yaml of dir. A document without kind, apiVersion or
 * metadata.name, or of a kind the client does not know, fails with the
 * file and line. */
int manifests_load(const char *dir, struct manifests *out, struct error *err);
/* Splits one file's text (name for messages). */
int manifests_parse(const char *name, const char *text, struct manifests *out, struct error *err);
void manifests_done(struct manifests *m);
void manifest_obj_done(struct manifest_obj *o); /* frees one object's strings */

/* "Deployment dify/dify-api" (caller frees). */
char *manifest_obj_what(const struct manifest_obj *o);

/* Replaces each @@name@@ in text with lookup(name); a token lookup does
 * not know stays and is named in err (-1). The result is the caller's. */
typedef const char *(*manifest_lookup_fn)(const char *name, void *arg);
int manifests_fill(const char *text, manifest_lookup_fn lookup, void *arg, char **out,
                   struct error *err);

#endif
