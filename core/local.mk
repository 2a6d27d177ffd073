# core/: everything that is not drawing. Never includes curses (checked by
# tests/layering.sh). Linked by the program, the simulator's tests and the
# core unit tests, which do not link ncurses.
noinst_LIBRARIES += core/libcore.a
core_libcore_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(YAML_CFLAGS) $(CJSON_CFLAGS) \
	$(PQ_CFLAGS) $(SSH2_CFLAGS)
core_libcore_a_SOURCES = \
	core/error.c core/error.h \
	core/util.c core/util.h \
	core/log.c core/log.h \
	core/loop.c core/loop.h \
	core/paths.c core/paths.h \
	core/profile.c core/profile.h \
	core/validate.h \
	core/answers.h \
	core/render.h \
	core/yamldoc.c core/yamldoc.h

CORE_LIBS = core/libcore.a $(CURL_LIBS) $(YAML_LIBS) $(CJSON_LIBS) $(PQ_LIBS) $(SSH2_LIBS) \
	$(CRYPTO_LIBS) -lm
