/* core/tfstack.h: the contract between the installer and the Terraform stack
 * in assets/terraform: the names of its input variables (split by the file
 * that carries them) and of the outputs the runner reads after apply.
 * tests/terraform_contract.sh checks these lists against the .tf files. */
#ifndef CORE_TFSTACK_H
#define CORE_TFSTACK_H

#include <stdbool.h>

/* Variables rendered into terraform.tfvars.json (no secrets), NULL-terminated. */
extern const char *const tfstack_variables[];
/* Variables rendered into secrets.tfvars.json (mode 0600), NULL-terminated. */
extern const char *const tfstack_secret_variables[];
/* Outputs the stack declares and the runner reads, NULL-terminated. */
extern const char *const tfstack_outputs[];

/* True when name is one of tfstack_variables or tfstack_secret_variables. */
bool tfstack_is_variable(const char *name);
/* True when name is one of tfstack_secret_variables. */
bool tfstack_is_secret_variable(const char *name);
/* True when name is one of tfstack_outputs. */
bool tfstack_is_output(const char *name);

#endif
