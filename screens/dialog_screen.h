/* screens/dialog_screen.h: a tui dialog as a screen pushed over another, with
 * a callback for the answer. Used for "leave without writing?" and help. */
#ifndef SCREENS_DIALOG_SCREEN_H
#define SCREENS_DIALOG_SCREEN_H

#include <stdbool.h>

#include "screens/screen.h"

struct app;

/* Called with yes=true for Yes/OK; returns flags applied after the dialog
 * has been popped (e.g. SCREEN_QUIT). */
typedef int (*dialog_answer_cb)(struct app *a, bool yes, void *arg);

struct screen *dialog_screen_confirm(const char *title, const char *text, dialog_answer_cb cb,
                                     void *arg);
struct screen *dialog_screen_message(const char *title, const char *text);

#endif
