# screens/: the only layer that includes both core/ and tui/; and the program.
bin_PROGRAMS += dify-tui
dify_tui_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS) $(CURL_CFLAGS)
dify_tui_SOURCES = \
	screens/main.c \
	screens/command.h
dify_tui_LDADD = $(TUI_LIBS) $(CORE_LIBS) $(NCURSES_LIBS)
