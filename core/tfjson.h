/* core/tfjson.h: Terraform's machine-readable UI (`plan -json`,
 * `apply -json`): one JSON object a line, read into plain structs, and a
 * tracker that turns a stream of them into one row per resource (state,
 * action, elapsed time), the change summary, the diagnostics and the
 * outputs' names. The message types and fields follow Terraform's
 * "Machine-readable UI" documentation (internals/machine-readable-ui);
 * docs/terraform.md lists what is used. A line that is not JSON (Terraform
 * prints plain text before its JSON view starts, or on a crash) is kept as
 * TF_TEXT. Sensitive outputs' values are never kept. */
#ifndef CORE_TFJSON_H
#define CORE_TFJSON_H

#include <stdbool.h>
#include <stddef.h>

enum tf_type {
    TF_TEXT, /* not JSON */
    TF_UNKNOWN,
    TF_VERSION,
    TF_LOG,
    TF_DIAGNOSTIC,
    TF_PLANNED_CHANGE,
    TF_RESOURCE_DRIFT,
    TF_CHANGE_SUMMARY,
    TF_OUTPUTS,
    TF_APPLY_START,
    TF_APPLY_PROGRESS,
    TF_APPLY_COMPLETE,
    TF_APPLY_ERRORED,
    TF_PROVISION_START,
    TF_PROVISION_PROGRESS,
    TF_PROVISION_COMPLETE,
    TF_PROVISION_ERRORED,
    TF_REFRESH_START,
    TF_REFRESH_COMPLETE,
};

struct tf_msg {
    enum tf_type type;
    char *type_name; /* as Terraform wrote it */
    char *level;     /* "info", "warn", "error" */
    char *message;   /* @message: Terraform's own summary line */
    /* hook and change messages */
    char *addr;   /* resource address, "terraform_data.vpc", "module.x.aws_vpc.this[0]" */
    char *action; /* create, update, delete, replace, read, noop, move */
    char *id_value;
    char *provisioner;
    char *output; /* provision_progress: one line of the provisioner's output */
    long elapsed_s;
    /* diagnostic */
    char *severity; /* "error", "warning" */
    char *summary;
    char *detail;
    char *filename;
    int line;
    /* change_summary */
    int add, change, remove;
    char *operation; /* plan, apply, destroy */
    /* version */
    char *version;
    char *ui_version;
};

/* Parses one line; never fails (a line that is not JSON is TF_TEXT with
 * message = the line). */
void tfjson_parse(const char *line, size_t len, struct tf_msg *m);
void tf_msg_done(struct tf_msg *m);
const char *tf_type_name(enum tf_type t);

/* ---- the tracker ---- */

enum tf_res_state { TF_RES_PLANNED, TF_RES_WORKING, TF_RES_DONE, TF_RES_FAILED };

struct tf_resource {
    char *addr;
    char *action;
    enum tf_res_state state;
    long long started_ms, ended_ms; /* the tracker's clock */
    long elapsed_s;                 /* Terraform's own count */
    char *id_value;
    char *last_output; /* a provisioner's last line */
};

struct tf_diag {
    char *severity, *summary, *detail, *addr; /* addr: the resource it names, or NULL */
    char *where;                              /* "main.tf:12", or NULL */
};

struct tf_track {
    struct tf_resource *res;
    size_t nres;
    struct tf_diag *diags;
    size_t ndiags;
    bool have_plan_summary, have_apply_summary;
    int plan_add, plan_change, plan_remove;
    int apply_add, apply_change, apply_remove;
    char **outputs; /* the names of the outputs (values are read with `terraform output -json`) */
    size_t noutputs;
    char *version; /* Terraform's version from the first message */
    size_t done, failed;
    char *ui_major_problem; /* a UI schema major version this reader does not know */
};

void tf_track_init(struct tf_track *t);
void tf_track_done(struct tf_track *t);
/* Feeds one parsed message at now_ms. Returns the index of the resource it
 * changed, or -1. */
long tf_track_feed(struct tf_track *t, const struct tf_msg *m, long long now_ms);
/* The first error diagnostic as one line ("Error: summary: detail"), or NULL. */
char *tf_track_error(const struct tf_track *t);

#endif
