/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Subcommand entry points. Each is called with its own name in argv[0] and
 * returns an exit code (enum cli_exit).
 */

#ifndef SWAUTH_SUBCOMMANDS_H
#define SWAUTH_SUBCOMMANDS_H

#include "lib/cli.h"

int status_main(int argc, char *argv[]);
int debug_main(int argc, char *argv[]);	/* debug and undebug */
int show_main(int argc, char *argv[]);
int verify_main(int argc, char *argv[]);
int key_main(int argc, char *argv[]);
int sign_main(int argc, char *argv[]);
int monitor_main(int argc, char *argv[]);
int upgrade_main(int argc, char *argv[]);
int reload_main(int argc, char *argv[]);
int boot_main(int argc, char *argv[]);
int enforce_main(int argc, char *argv[]);
int show_boot_main(int argc, char *argv[]);	/* swauth show boot */
int show_reload_main(int argc, char *argv[]);	/* swauth show reload */
int show_running_main(int argc, char *argv[]);	/* swauth show running */
int show_version_main(int argc, char *argv[]);	/* swauth show version */

/* complete.c: what each subcommand takes, for `swauth --complete`. */
extern const struct cli_cmd swauth_complete_cmds[];

#endif /* SWAUTH_SUBCOMMANDS_H */
