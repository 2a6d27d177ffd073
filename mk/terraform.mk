# mk/terraform.mk: build and test lists of the terraform work area (see Makefile.am).
