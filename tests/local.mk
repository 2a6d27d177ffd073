# tests/: unit tests (cmocka, linking core/ only), shell tests driving the
# real binaries, tmux, kubectl and terraform. Everything speaks TAP.
EXTRA_DIST += tests/lib.sh
TESTS += tests/layering.sh
EXTRA_DIST += tests/layering.sh

UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS)
UNIT_LIBS = $(CORE_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test_util
tests_unit_test_util_SOURCES = tests/unit/test_util.c
tests_unit_test_util_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_util_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_util

check_PROGRAMS += tests/unit/test_yamldoc
tests_unit_test_yamldoc_SOURCES = tests/unit/test_yamldoc.c
tests_unit_test_yamldoc_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_yamldoc_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_yamldoc

TESTS += tests/install.sh
EXTRA_DIST += tests/install.sh

TESTS += tests/format.sh
EXTRA_DIST += tests/format.sh build-aux/tap-driver.sh

TESTS += tests/log.sh
EXTRA_DIST += tests/log.sh

TESTS += tests/demo.sh
EXTRA_DIST += tests/demo.sh
