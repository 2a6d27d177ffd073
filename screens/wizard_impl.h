/* screens/wizard_impl.h: what the wizard's files share (not for other
 * screens). The wizard is split at its seams:
 *   wizard.c         the screen: keys, leaving, creating and freeing
 *   wizard_pages.c   each page's rows, built from profile_fields[]
 *   wizard_review.c  the Review page: summary, problems, jumping to a field
 *   wizard_extra.c   the extra-file rows: adding, checking, editing, removing
 *   wizard_commit.c  accepted edits: fields, secrets, drafts, the status line
 *   wizard_write.c   loading the answers and writing the files
 *   wizard_draw.c    drawing */
#ifndef SCREENS_WIZARD_IMPL_H
#define SCREENS_WIZARD_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/profile.h"
#include "core/validate.h"
#include "screens/screen.h"
#include "screens/wizard.h"
#include "screens/wizard_fields.h"
#include "tui/form.h"
#include "tui/table.h"

/* Row tags: what kind of thing a form row edits (the item says which one). */
enum {
    TAG_FIELD,   /* item: const struct field_desc * */
    TAG_SECRET,  /* item: const struct secret_desc * */
    TAG_WRITE,   /* the "Write files" button */
    TAG_EXIT,    /* the "Exit" button once written */
    TAG_INSTALL, /* the "Install now" button once written */
    TAG_ADD_EXTRA,
    TAG_PROBLEM = 1000, /* + index into probs */
    TAG_EXTRA = 100000, /* + file index * 8 + part */
};

enum extra_part { XP_SOURCE, XP_CONFIGMAP, XP_KEY, XP_MOUNT, XP_API, XP_WORKER, XP_REMOVE };

/* Text typed into a field that did not parse, kept until it does. */
struct draft {
    char *path;
    char *text;
    char *msg;
};

struct wizard {
    struct profile prof;
    struct secrets sec;
    bool touched; /* edited beyond the first page: keep values on edition/target changes */
    char *workdir;
    char *answers_path; /* where the answers are written */
    char *example;      /* the shipped example they were read from, or NULL */
    char *secrets_path;
    char *out_dir;
    enum wiz_page page;
    struct tui_form form;
    struct draft *drafts;
    size_t ndrafts;
    bool revealed[32]; /* per secret_fields index */
    struct problems probs;
    bool have_probs;
    char *status;
    int status_role;
    struct tui_table presets;
    struct wizard_result *result;
    bool written;
    struct screen *(*install)(const char *answers_path, void *arg, struct error *err);
    void *install_arg;
    int cols, rows;
    /* Per profile_fields[] index: the person set this value (typed, or it was
     * in the file opened): presets never overwrite it. */
    bool *field_touched;
    /* A secret edit or g that would replace a stored value, waiting for a yes. */
    const struct secret_desc *pending_secret;
    char *pending_value;
};

/* wizard_commit.c */
extern const struct tui_form_ops wizard_form_ops;
struct draft *draft_find(struct wizard *w, const char *path);
void draft_set(struct wizard *w, const char *path, const char *text, const char *msg);
void draft_clear(struct wizard *w, const char *path);
void set_status(struct wizard *w, int role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Marks as touched every field of w->prof that differs from the defaults
 * of its edition, target and size (after an answers file was opened). */
void wizard_mark_loaded(struct wizard *w);
/* g (generate) or r (reveal) on the Secrets page. */
void secret_key(struct wizard *w, int key);
/* The yes/no question for a pending secret replacement, or NULL. */
struct screen *wizard_pending_dialog(struct wizard *w);

/* wizard_pages.c */
#define WIZ_TEXT_MAX 1024 /* chars a value field takes (tui_form_set_max) */
#define WIZ_PATH_MAX 4096 /* chars a path field takes */
size_t wizard_field_max(const struct field_desc *f);
int secret_index(const struct secret_desc *d);
/* Rebuilds the current page's rows from the model, keeping focus and scroll. */
void wizard_build(struct wizard *w);
void wizard_goto(struct wizard *w, enum wiz_page page);

/* wizard_review.c */
void add_review(struct wizard *w);
void wizard_jump(struct wizard *w, const struct problem *pr);

/* wizard_extra.c */
void add_extra_files(struct wizard *w);
void extra_check_rows(struct wizard *w);
void commit_extra(struct wizard *w, struct tui_form_row *row);
void extra_add(struct wizard *w);
void extra_remove(struct wizard *w, size_t idx);

/* wizard_write.c */
void wizard_write(struct wizard *w);
void result_files_clear(struct wizard_result *r);
/* Decides workdir, answers_path, secrets_path and out_dir from the options,
 * and which answers file to open first (*load_from, or NULL); -1 with err
 * when the options cannot be honoured without replacing a file. */
int wizard_paths(struct wizard *w, const struct wizard_opts *opts, char **load_from,
                 struct error *err);
/* Opens load_from (when not NULL) and the secrets file (when there is one)
 * into w, and says on the status line what was opened; false (err and
 * result filled) when they cannot be opened. */
bool wizard_load(struct wizard *w, const char *load_from, struct wizard_result *result,
                 struct error *err);

/* wizard_cost.c: on EKS, the presets' monthly cost as a row of the preset
 * table; a note under it with the prices' region and date and the cost of
 * the values as edited; and the prices' sources at the end of the page. */
void wizard_cost_row(struct wizard *w, const struct profile *test, const struct profile *prod);
void wizard_cost_note(struct wizard *w);
void wizard_cost_sources(struct wizard *w);

/* Esc: "Leave without writing any file?", then the offer of a draft. */
struct screen *wizard_leave_dialog(struct wizard *w);

/* wizard_draw.c */
void wizard_draw(struct screen *s, WINDOW *win);

/* wizard.c */
void wizard_state_free(struct wizard *w);

#endif
