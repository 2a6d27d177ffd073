/* screens/screen.h: what a screen is. A screen is a table of functions over
 * its own state; the app keeps screens on a stack (wizard -> progress ->
 * dashboard, with dialogs and help pushed on top) and routes keys and events
 * to the top one. Handlers answer with flags instead of acting on the stack
 * themselves, so the app stays the one place that pushes, pops and draws. */
#ifndef SCREENS_SCREEN_H
#define SCREENS_SCREEN_H

#include <stdbool.h>
#include <ncurses.h>

struct app;
struct screen;

/* Results of enter/on_key/resize, or-ed together. */
enum screen_flags {
    SCREEN_IGNORED = 0, /* not used: the app may try a global binding */
    SCREEN_HANDLED = 1, /* used */
    SCREEN_DIRTY = 2,   /* draw again before sleeping */
    SCREEN_PUSH = 4,    /* push the screen given to app_push() */
    SCREEN_POP = 8,     /* pop this screen (it is left and freed) */
    SCREEN_QUIT = 16,   /* leave the program with app->exit_status */
};

struct screen_ops {
    const char *name;
    /* Became the top of the stack for the first time. */
    int (*enter)(struct screen *s, struct app *a);
    /* Leaves the stack: cancels everything the screen started. */
    void (*leave)(struct screen *s, struct app *a);
    int (*on_key)(struct screen *s, struct app *a, int key);
    /* Ctrl-C (SIGINT) while this screen is on the stack: the topmost screen
     * with this handler decides (the progress pane asks before stopping an
     * install). NULL everywhere: the app leaves. */
    int (*on_interrupt)(struct screen *s, struct app *a);
    /* The terminal changed size (it may be below the minimum). */
    int (*resize)(struct screen *s, struct app *a, int cols, int rows);
    /* Pure: writes cells into w, no I/O, no state the next key depends on. */
    void (*draw)(struct screen *s, WINDOW *w);
    /* Frees the screen's state and the screen itself. */
    void (*free)(struct screen *s);
};

struct screen {
    const struct screen_ops *ops;
    void *data;   /* the screen's state */
    bool overlay; /* drawn over the screen below (dialogs, help) */
    bool entered;
};

/* Allocates a screen with the given ops and state. */
struct screen *screen_new(const struct screen_ops *ops, void *data, bool overlay);

#endif
