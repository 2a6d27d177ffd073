# mk/render.mk: build and test lists of the render work area (see Makefile.am).
core_libcore_a_SOURCES += \
	core/yamlout.c core/yamlout.h \
	core/render.c \
	core/render_util.c core/render_util.h \
	core/render_tf.c core/render_tf.h \
	core/render_values.c core/render_values.h \
	core/render_manifests.c core/render_manifests.h \
	core/render_app.c core/render_app.h

# The render fixture cases, shared by the unit test and the golden test.
check_PROGRAMS += tests/unit/test_render tests/render_cases
tests_unit_test_render_SOURCES = tests/unit/test_render.c tests/render_fixture.c \
	tests/render_fixture.h
tests_unit_test_render_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_render_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_render

tests_render_cases_SOURCES = tests/render_cases.c tests/render_fixture.c tests/render_fixture.h
tests_render_cases_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS)
tests_render_cases_LDADD = $(CORE_LIBS)

TESTS += tests/render_golden.sh
EXTRA_DIST += tests/render_golden.sh \
	tests/data/render tests/data/golden

# The render command and its test through the real binary.
dify_tui_SOURCES += screens/cmd_render.c
TESTS += tests/render_cmd.sh
EXTRA_DIST += tests/render_cmd.sh

# The rendered manifests applied to the local cluster simulator.
TESTS += tests/render_sim.sh
EXTRA_DIST += tests/render_sim.sh
