# mk/sim.mk: build and test lists of the sim work area (see Makefile.am).
