# mk/answers.mk: build and test lists of the answers work area (see Makefile.am).
