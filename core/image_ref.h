/* core/image_ref.h: a container image reference taken apart, for the
 * client's component rules (core/dify_components.c, which defines it) and
 * the simulator's Dify model (sim/dify_model.c), which has a component
 * enum of its own and so does not include core/dify_components.h. */
#ifndef CORE_IMAGE_REF_H
#define CORE_IMAGE_REF_H

#include <stddef.h>

/* "registry.example.com:5000/langgenius/dify-api:1.13.3@sha256:..." ->
 * repo "langgenius/dify-api", tag "1.13.3" ("latest" when none is given).
 * A registry host (a first part with a dot or a port, or localhost) and
 * "library/" are dropped. repo or tag may be NULL. */
void dify_image_split(const char *image, char *repo, size_t rn, char *tag, size_t tn);

#endif
