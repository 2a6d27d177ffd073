# mk/terraform.mk: build and test lists of the terraform work area (see Makefile.am).

# The contract with assets/terraform: variable and output names.
core_libcore_a_SOURCES += core/tfstack.c core/tfstack.h

check_PROGRAMS += tests/unit/test_tfstack
tests_unit_test_tfstack_SOURCES = tests/unit/test_tfstack.c
tests_unit_test_tfstack_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_tfstack_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_tfstack

# Shell tests: formatting, validation against a local provider mirror, and the
# tfvars contract checked by the real terraform without any provider.
TESTS += tests/terraform_fmt.sh tests/terraform_validate.sh tests/terraform_contract.sh
EXTRA_DIST += tests/terraform_fmt.sh tests/terraform_validate.sh tests/terraform_contract.sh \
	tests/terraform_lib.sh tests/data/terraform
