# tui/: terminal widgets. Knows ncursesw and nothing of core/ (checked by
# tests/layering.sh).
noinst_LIBRARIES += tui/libtui.a
tui_libtui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
tui_libtui_a_SOURCES = \
	tui/util.c tui/util.h \
	tui/draw.c tui/draw.h \
	tui/keys.c tui/keys.h \
	tui/theme.c tui/theme.h \
	tui/term.c tui/term.h \
	tui/textfield.c tui/textfield.h \
	tui/form.c tui/form.h \
	tui/table.c tui/table.h \
	tui/dialog.c tui/dialog.h \
	tui/clipboard.c tui/clipboard.h \
	tui/logview.c tui/logview.h \
	tui/bar.c tui/bar.h \
	tui/errorbox.c tui/errorbox.h
TUI_LIBS = tui/libtui.a
