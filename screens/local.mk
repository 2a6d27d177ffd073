# screens/: the only layer that includes both core/ and tui/; and the program.
# Everything but main.c and the command-line commands goes into
# screens/libscreens.a so the screen tests link the same code as the program.
noinst_LIBRARIES += screens/libscreens.a
screens_libscreens_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS) \
	$(CURL_CFLAGS)
screens_libscreens_a_SOURCES = \
	screens/screen.h \
	screens/app.c screens/app.h \
	screens/frame_log.c screens/frame_log.h \
	screens/dialog_screen.c screens/dialog_screen.h \
	screens/cmd_args.c screens/cmd_args.h \
	screens/wizard_fields.c screens/wizard_fields.h \
	screens/wizard.c screens/wizard.h screens/wizard_impl.h \
	screens/wizard_pages.c screens/wizard_review.c screens/wizard_extra.c \
	screens/wizard_commit.c screens/wizard_write.c screens/wizard_draw.c \
	screens/wizard_cost.c \
	screens/cmd_wizard.c screens/cmd_wizard.h \
	screens/cmd_install.c screens/cmd_install.h \
	screens/cmd_demo.c \
	screens/diagnose_setup.c screens/diagnose_setup.h \
	screens/diagnostics.c screens/diagnostics.h \
	screens/dashboard.c screens/dashboard.h screens/dashboard_impl.h \
	screens/dashboard_list.h screens/dashboard_views.c screens/dashboard_pods.c \
	screens/dashboard_overview.c screens/dashboard_logs.c screens/dashboard_detail.c \
	screens/dashboard_actions.c screens/dashboard_mask.c \
	screens/progress.c screens/progress.h screens/progress_impl.h \
	screens/progress_draw.c screens/progress_file.c screens/progress_summary.c \
	screens/progress_launch.c
SCREENS_LIBS = screens/libscreens.a

bin_PROGRAMS += dify-tui
dify_tui_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS) $(CJSON_CFLAGS) $(YAML_CFLAGS) $(CURL_CFLAGS)
dify_tui_SOURCES = \
	screens/main.c \
	screens/command.h \
	screens/cmds.h \
	screens/cmd_validate.c \
	screens/cmd_render.c \
	screens/cmd_diagnose.c \
	screens/cmd_get.c screens/cmd_get_watch.c screens/cmd_get_watch.h \
	screens/cmd_status.c \
	screens/cmd_dashboard.c \
	screens/cmd_history.c \
	screens/cmd_upgrade.c \
	screens/cmd_bundle.c \
	screens/cmd_completion.c
dify_tui_LDADD = $(SCREENS_LIBS) $(TUI_LIBS) $(CORE_LIBS) $(NCURSES_LIBS)
