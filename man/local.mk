# man/: the manual pages and the shell completion, generated at build time from the programs
# themselves (the command table's --help texts, the profile's field table),
# so they cannot fall behind them (docs/package.md; tests/man.sh checks the
# prose around them against the sources).
noinst_PROGRAMS += man/gen_man
man_gen_man_SOURCES = man/gen_man.c
man_gen_man_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS)
man_gen_man_LDADD = $(CORE_LIBS)

nodist_man_MANS = man/dify-tui.1 man/dify-sim.1 man/dify-tui-answers.5
CLEANFILES += $(nodist_man_MANS) man/*.tmp
EXTRA_DIST += man/mkman.sh

# The pages' date: the package build's SOURCE_DATE_EPOCH (debian/changelog),
# else configure.ac's, so that a rebuild makes the same bytes.
MAN_DATE = date -u -d "@$${SOURCE_DATE_EPOCH:-$$(stat -c %Y $(srcdir)/configure.ac)}" +%Y-%m-%d
MAN_GEN = $(SHELL) $(srcdir)/man/mkman.sh

man/dify-tui.1: dify-tui$(EXEEXT) man/gen_man$(EXEEXT) $(srcdir)/man/mkman.sh
	$(AM_V_GEN)$(MKDIR_P) man && $(MAN_GEN) dify-tui ./dify-tui$(EXEEXT) ./man/gen_man$(EXEEXT) \
		'$(PACKAGE_VERSION)' "$$($(MAN_DATE))" '$(pkgdatadir)' >$@.tmp && mv $@.tmp $@

man/dify-sim.1: sim/dify-sim$(EXEEXT) $(srcdir)/man/mkman.sh
	$(AM_V_GEN)$(MKDIR_P) man && $(MAN_GEN) dify-sim ./sim/dify-sim$(EXEEXT) \
		'$(PACKAGE_VERSION)' "$$($(MAN_DATE))" '$(pkgdatadir)' >$@.tmp && mv $@.tmp $@

man/dify-tui-answers.5: man/gen_man$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) man && ./man/gen_man$(EXEEXT) answers '$(PACKAGE_VERSION)' \
		"$$($(MAN_DATE))" '$(pkgdatadir)' >$@.tmp && mv $@.tmp $@

# Shell completion, written by the program (`dify-tui completion bash|zsh`,
# screens/cmd_completion.c), installed where bash-completion and Debian's zsh
# look. The scripts ask the program for the words on each Tab, so new
# commands complete without a new script.
bashcompletiondir = $(datadir)/bash-completion/completions
nodist_bashcompletion_DATA = man/completion/dify-tui
zshcompletiondir = $(datadir)/zsh/vendor-completions
nodist_zshcompletion_DATA = man/completion/_dify-tui
CLEANFILES += $(nodist_bashcompletion_DATA) $(nodist_zshcompletion_DATA) man/completion/*.tmp

man/completion/dify-tui: dify-tui$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) man/completion && ./dify-tui$(EXEEXT) completion bash >$@.tmp && mv $@.tmp $@

man/completion/_dify-tui: dify-tui$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) man/completion && ./dify-tui$(EXEEXT) completion zsh >$@.tmp && mv $@.tmp $@
