/* screens/cmds.h: the commands defined outside screens/main.c, one extern
 * each, so main.c's table can list them. */
#ifndef SCREENS_CMDS_H
#define SCREENS_CMDS_H

#include "screens/command.h"

extern const struct command cmd_validate;
extern const struct command cmd_get;
extern const struct command cmd_rollout_status;
extern const struct command cmd_render;
extern const struct command cmd_diagnose;
extern const struct command cmd_status;
extern const struct command cmd_dashboard;
extern const struct command cmd_install;
extern const struct command cmd_uninstall;
extern const struct command cmd_demo;
extern const struct command cmd_history;
extern const struct command cmd_upgrade;
extern const struct command cmd_bundle;
extern const struct command cmd_completion;

#endif
