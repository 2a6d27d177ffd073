# mk/wizard.mk: build and test lists of the wizard work area (see Makefile.am).
