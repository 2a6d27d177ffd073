/* core/render_tf.h: terraform.tfvars.json and secrets.tfvars.json for the EKS
 * target. The key set is a contract with assets/terraform (its variables.tf). */
#ifndef CORE_RENDER_TF_H
#define CORE_RENDER_TF_H

#include "core/profile.h"

struct error;
struct rendered;

int render_tfvars(const struct profile *p, const struct secrets *s, struct rendered *out,
                  struct error *err);

#endif
