/* screens/cmd_wizard.h: the wizard command for the table in screens/main.c. */
#ifndef SCREENS_CMD_WIZARD_H
#define SCREENS_CMD_WIZARD_H

#include "screens/command.h"

extern const struct command cmd_wizard;

#endif
