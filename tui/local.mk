# tui/: terminal widgets. Knows ncursesw and nothing of core/ (checked by
# tests/layering.sh).
TUI_LIBS =
