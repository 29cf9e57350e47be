// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth status [--json]: the module's state (GET_STATUS).
 */

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "lib/netlink.h"
#include "swauth/status-print.h"
#include "swauth/subcommands.h"

static void usage(FILE *f, const char *subcmd)
{
	fprintf(f, "Usage: %s %s [--json]\n\n", PROG_NAME, subcmd);
	fprintf(f, "Show the swauth module's version, ABI version, mode, enabled debug\n"
		   "categories, keys per keyring and image counters. Loads the module\n"
		   "when the kernel does not have it yet.\n\n");
	fprintf(f, "  -j, --json   print one JSON object (keys in swauth(8), JSON OUTPUT)\n");
	fprintf(f, "  -h, --help   show this help\n");
}

int status_main(int argc, char *argv[])
{
	const char *subcmd = argv[0];
	struct swauth_status st;
	struct swauth_error err;
	bool json;
	int ret;

	ret = cli_parse_json(argc, argv, usage, &json);
	if (ret >= 0)
		return ret;

	swauth_error_clear(&err);
	ret = swauth_status_fetch(&st, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);

	if (!json) {
		status_print_human(stdout, &st);
	} else if (status_print_json(stdout, &st)) {
		cli_msg(subcmd, "writing JSON to standard output failed");
		return CLI_EXIT_SYSTEM;
	}
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}
