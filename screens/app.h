/* screens/app.h: the interactive program: the terminal, the screen stack and
 * their wiring into the one event loop (terminal fd, SIGWINCH, SIGINT,
 * SIGTERM). Draws only in the loop's before_sleep, only when something is
 * dirty, with one doupdate per frame. */
#ifndef SCREENS_APP_H
#define SCREENS_APP_H

#include <stdbool.h>

#include "screens/screen.h"

struct loop;
struct error;

#define APP_MAX_SCREENS 16

struct app {
    struct loop *loop;
    struct screen *stack[APP_MAX_SCREENS];
    int depth;
    struct screen *pending; /* set by app_push, taken when SCREEN_PUSH is returned */
    bool dirty;
    int exit_status; /* what app_run returns */
    bool headless;   /* virtual terminal: no fd, no signals (screen tests) */
    bool loop_lent;  /* app_init_on: the loop is the caller's */
};

/* Starts the terminal and hooks it into a new loop. Returns -1 when there is
 * no terminal. */
int app_init(struct app *a, struct error *err);
/* The same on a loop the caller already runs things on (the demo's simulator,
 * its subprocesses): one loop, since signals reach one loop at a time.
 * app_done leaves the loop to the caller without the terminal, the draw
 * hook or the app's signal handlers (their default actions are back). */
int app_init_on(struct app *a, struct loop *loop, struct error *err);
/* A virtual cols x rows terminal for tests: keys come from app_key(). */
int app_init_headless(struct app *a, int cols, int rows, struct error *err);
/* Pops (leaving and freeing) every screen, restores the terminal. */
void app_done(struct app *a);

/* Hands a screen to the app; the current handler then returns SCREEN_PUSH. */
void app_push(struct app *a, struct screen *s);
/* Pushes a screen directly (the first screen, or from outside a handler). */
void app_push_now(struct app *a, struct screen *s);
struct screen *app_top(struct app *a);

/* Runs the loop until a screen quits or the stack is empty. */
int app_run(struct app *a);

/* Delivers a key to the top screen and applies its flags. */
void app_key(struct app *a, int key);
/* Ctrl-C: offered to the topmost screen with on_interrupt; false when none
 * has one (the app then leaves). */
bool app_interrupt(struct app *a);
/* Follows a size change (after SIGWINCH, or a test's resize_term). */
void app_resized(struct app *a);
/* Draws the stack into the terminal when dirty (before_sleep). */
void app_draw(struct app *a);
/* Draws the stack into stdscr without flushing (tests read it back). */
void app_render(struct app *a);

#endif
