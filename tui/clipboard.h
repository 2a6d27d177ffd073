/* tui/clipboard.h: putting text on the terminal's clipboard with OSC 52
 * ("\e]52;c;BASE64\a"), which xterm, kitty, iTerm2, Windows Terminal and
 * tmux (set-clipboard on) understand; inside ssh it reaches the person's own
 * terminal. A terminal that does not know it ignores it, so the screens that
 * offer a copy also show the text. */
#ifndef TUI_CLIPBOARD_H
#define TUI_CLIPBOARD_H

#include <stddef.h>

/* The OSC 52 sequence for text (caller frees). */
char *tui_clipboard_sequence(const char *text);
/* Writes the sequence to the terminal the screens draw on. */
void tui_clipboard_set(const char *text);

#endif
