# mk/kube.mk: build and test lists of the kube work area (see Makefile.am).
