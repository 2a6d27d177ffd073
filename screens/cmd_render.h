/* screens/cmd_render.h: the `render` command. */
#ifndef SCREENS_CMD_RENDER_H
#define SCREENS_CMD_RENDER_H

#include "screens/command.h"

extern const struct command cmd_render;

#endif
