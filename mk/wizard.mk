# mk/wizard.mk: build and test lists of the wizard work area (see Makefile.am).
# The widgets (tui/local.mk) and the screens (screens/local.mk) list their own
# sources; this file holds the wizard's tests.

check_PROGRAMS += tests/unit/test_tui
tests_unit_test_tui_SOURCES = tests/unit/test_tui.c
tests_unit_test_tui_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_tui_LDADD = $(TUI_LIBS) $(NCURSES_LIBS) $(CMOCKA_LIBS)
TESTS += tests/unit/test_tui

# Screens on a fixed-size virtual terminal against golden text files.
check_PROGRAMS += tests/unit/test_screens
tests_unit_test_screens_SOURCES = tests/unit/test_screens.c
tests_unit_test_screens_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_screens_LDADD = $(SCREENS_LIBS) $(TUI_LIBS) $(CORE_LIBS) $(NCURSES_LIBS) \
	$(CMOCKA_LIBS)
TESTS += tests/unit/test_screens
EXTRA_DIST += tests/data/screens

# End to end: the real binary in a private tmux server.
TESTS += tests/wizard_tmux.sh
EXTRA_DIST += tests/wizard_tmux.sh
