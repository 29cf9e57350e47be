// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth debug CATEGORY... and swauth undebug CATEGORY...|all: the IOS
 * "debug software authenticity {envelope|errors|key|revocation|show|verbose}"
 * and its "undebug". The current mask is read with GET_STATUS, the named
 * bits are set or cleared, and the result is written with SET_DEBUG, so
 * categories not named keep their state.
 */

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "lib/netlink.h"
#include "swauth/subcommands.h"

static void usage(FILE *f, const char *subcmd)
{
	const struct swauth_debug_category *c;

	fprintf(f, "Usage: %s %s CATEGORY...\n\n", PROG_NAME, subcmd);
	fprintf(f, "%s kernel log messages of the swauth module for the named categories;\n"
		   "the other categories keep their state. Needs CAP_NET_ADMIN.\n\n",
		strcmp(subcmd, "undebug") ? "Enable" : "Disable");
	fprintf(f, "Categories:");
	for (c = swauth_debug_categories; c->name; c++)
		fprintf(f, " %s", c->name);
	fprintf(f, " all\n\n  -h, --help   show this help\n");
}

int debug_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = argv[0];
	bool undebug = !strcmp(subcmd, "undebug");
	struct swauth_status st;
	struct swauth_error err;
	struct swauth_nl *nl;
	uint32_t bits = 0, flag, mask;
	int opt, ret, i;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'h':
		default:
			return cli_help_or_bad_option(subcmd, argc, argv, opt, usage);
		}
	}
	if (optind == argc) {
		cli_msg(subcmd, "no category given");
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	/* Check every name before touching the kernel: all or nothing. */
	for (i = optind; i < argc; i++) {
		if (swauth_debug_from_name(argv[i], &flag)) {
			cli_msg(subcmd, "unknown debug category '%s'", argv[i]);
			usage(stderr, subcmd);
			return CLI_EXIT_USAGE;
		}
		bits |= flag;
	}

	swauth_error_clear(&err);
	ret = swauth_nl_open(&nl, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ret = swauth_status_get(nl, &st, &err);
	if (!ret && !(st.has & SWAUTH_STATUS_HAS_DEBUG))
		ret = swauth_error_set(&err, -EBADMSG,
				       "the module did not report its current debug categories");
	if (!ret) {
		mask = undebug ? st.debug & ~bits : st.debug | bits;
		ret = swauth_debug_set(nl, mask, &err);
	}
	swauth_nl_close(nl);
	if (ret == -EPERM) {
		cli_msg(subcmd, "permission denied (needs CAP_NET_ADMIN)");
		return CLI_EXIT_SYSTEM;
	}
	if (ret)
		return cli_fail(subcmd, ret, &err);
	return CLI_EXIT_OK;
}
