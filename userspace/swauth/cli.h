/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * What every subcommand shares: exit codes (documented in swauth.8, EXIT
 * STATUS) and the "swauth: <subcmd>: ..." message format.
 */

#ifndef SWAUTH_CLI_H
#define SWAUTH_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/error.h"

/* "swauth", or the name of the other tool that shares this code (swcopy). */
extern const char *cli_prog_name;
#define PROG_NAME cli_prog_name

enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_VERIFY_FAILED = 1,
	CLI_EXIT_USAGE = 2,
	CLI_EXIT_SYSTEM = 3,
	CLI_EXIT_NO_MODULE = 4,
};

void cli_msg(const char *subcmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_fail(const char *subcmd, int ret, const struct swauth_error *err);
/* main.c: the version of the tools. */
const char *cli_version(void);
int cli_bad_option(const char *subcmd, int argc, char *argv[], int opt);
int cli_parse_json(int argc, char *argv[], void (*usage)(FILE *f, const char *subcmd),
		   bool *json);

#endif /* SWAUTH_CLI_H */
