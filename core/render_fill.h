/* core/render_fill.h: fills a rendering's @@name@@ placeholders (core/render.h)
 * from the Terraform stack's outputs, for someone who runs Terraform by hand:
 * `dify-tui render --from-terraform DIR` runs `terraform output -json` in DIR,
 * `--terraform-output FILE` reads that command's saved output.
 *
 * Each token is named after the output that fills it (@@db_endpoint@@ from
 * output db_endpoint). A value must be a plain string of the characters hosts,
 * ARNs, account ids and URLs use, so that it can stand inside any quoted or
 * plain scalar of the rendered YAML and JSON without changing its meaning; a
 * token whose output is missing is an error naming it. */
#ifndef CORE_RENDER_FILL_H
#define CORE_RENDER_FILL_H

#include <stddef.h>

struct error;
struct rendered;

struct render_fill {
    char **names;  /* output names */
    char **values; /* their string values */
    size_t n;
};

void render_fill_done(struct render_fill *f);
/* Parses `terraform output -json`: {"name": {"value": ..., "type": ...}}.
 * Non-string outputs are skipped; a string output used as a placeholder must
 * pass the value rule (checked when applied). source names the input. */
int render_fill_parse(struct render_fill *f, const char *source, const char *json, size_t len,
                      struct error *err);
/* Reads a saved `terraform output -json`. */
int render_fill_load(struct render_fill *f, const char *path, struct error *err);
/* Runs `terraform -chdir=DIR output -json` (no shell; TERRAFORM names
 * another binary) and parses what it prints. */
int render_fill_from_terraform(struct render_fill *f, const char *dir, struct error *err);
/* Replaces every @@name@@ in every file of r. Errors: a token no output
 * fills, or a value outside the rule; r is unchanged then. */
int render_fill_apply(const struct render_fill *f, struct rendered *r, struct error *err);

#endif
