// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth show file PATH [--json] [--userspace] [--trust-dir DIR]...:
 * `show software authenticity file`, the signature information of one
 * image file (FEATURES A7.3), and who verified it.
 */

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "swauth/cli.h"
#include "swauth/subcommands.h"
#include "swauth/verify-print.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s show file PATH [--json] [--userspace] [--trust-dir DIR]...\n\n",
		PROG_NAME);
	fprintf(f, "Show the signature information of an image file: image type, signer\n"
		   "(common name, organization unit and name, certificate serial), hash and\n"
		   "signature algorithms, key version, and the verdict. The swauth module\n"
		   "verifies when it is loaded (or can be); otherwise OpenSSL in userspace\n"
		   "does, and the output says which.\n\n");
	fprintf(f, "  -j, --json              print one JSON object (keys in swauth(8), JSON OUTPUT)\n");
	fprintf(f, "%s", VERIFY_OPTIONS_HELP);
	fprintf(f, "  -h, --help              show this help\n");
}

static int show_file(const char *subcmd, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		VERIFY_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	char verified_by[VERIFIED_BY_LEN];
	static struct swauth_verify_result res;
	struct verify_opts o = { 0 };
	bool json = false;
	int opt, ret;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":jh" VERIFY_OPTSTRING, options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		default:
			ret = verify_opt(subcmd, &o, opt, optarg);
			if (ret == 0)
				break;
			if (ret == 1)
				cli_bad_option(subcmd, argc, argv, opt);
			usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_msg(subcmd, argc == optind ? "missing PATH" : "unexpected argument '%s'",
			argv[optind + 1 < argc ? optind + 1 : optind]);
		usage(stderr);
		return CLI_EXIT_USAGE;
	}

	ret = verify_run(subcmd, argv[optind], &o, &res, verified_by, sizeof(verified_by));
	if (ret)
		return ret;
	if (!json) {
		verify_print_show(stdout, argv[optind], &res, verified_by);
	} else if (verify_print_show_json(stdout, argv[optind], &res, verified_by)) {
		cli_msg(subcmd, "writing JSON to standard output failed");
		return CLI_EXIT_SYSTEM;
	}
	if (fflush(stdout) || ferror(stdout)) {
		cli_msg(subcmd, "writing to standard output failed");
		return CLI_EXIT_SYSTEM;
	}
	return res.verdict == SWAUTH_VERDICT_OK ? CLI_EXIT_OK : CLI_EXIT_VERIFY_FAILED;
}

int show_main(int argc, char *argv[])
{
	if (argc >= 2 && !strcmp(argv[1], "file"))
		return show_file("show file", argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (argc < 2)
		cli_msg(argv[0], "missing object: file");
	else
		cli_msg(argv[0], "unknown object '%s' (known: file)", argv[1]);
	usage(stderr);
	return CLI_EXIT_USAGE;
}
