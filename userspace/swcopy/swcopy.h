/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swcopy's subcommands besides copy (cmds.c).
 */

#ifndef SWCOPY_H
#define SWCOPY_H

int swcopy_config_main(int argc, char *argv[]);
int swcopy_show_main(int argc, char *argv[]);

#endif /* SWCOPY_H */
