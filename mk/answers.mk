# mk/answers.mk: build and test lists of the answers work area (see Makefile.am).
core_libcore_a_SOURCES += core/validate.c core/answers.c core/secrets.c \
	core/yamlemit.c core/yamlemit.h
dify_tui_SOURCES += screens/cmd_validate.c screens/cmds.h

check_PROGRAMS += tests/unit/test_validate
tests_unit_test_validate_SOURCES = tests/unit/test_validate.c
tests_unit_test_validate_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_validate_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_validate

check_PROGRAMS += tests/unit/test_answers
tests_unit_test_answers_SOURCES = tests/unit/test_answers.c
tests_unit_test_answers_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_answers_LDADD = $(UNIT_LIBS)
TESTS += tests/unit/test_answers

TESTS += tests/validate_cmd.sh
EXTRA_DIST += tests/validate_cmd.sh tests/data/bad-answers
EXTRA_DIST += docs/answers.md
