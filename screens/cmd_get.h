/* screens/cmd_get.h: the `get` and `rollout-status` commands. */
#ifndef SCREENS_CMD_GET_H
#define SCREENS_CMD_GET_H

#include "screens/command.h"

extern const struct command cmd_get;
extern const struct command cmd_rollout_status;

#endif
