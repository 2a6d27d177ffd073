# mk/render.mk: build and test lists of the render work area (see Makefile.am).
