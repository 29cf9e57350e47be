// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth verify PATH [--json] [--userspace] [--trust-dir DIR]...: the
 * integrity check of `copy /verify` (FEATURES A9.2): computed and embedded
 * payload digests, the whole file's MD5 for comparison with a published
 * one, and whether the digital signature verified, or all that as one JSON
 * object. Exit 0 only when it did.
 */

#include <limits.h>
#include <getopt.h>
#include <stdio.h>

#include "lib/cli.h"
#include "swauth/subcommands.h"

static void usage(FILE *f, const char *subcmd)
{
	fprintf(f, "Usage: %s %s PATH [--json] [--userspace] [--trust-dir DIR]...\n\n", PROG_NAME,
		subcmd);
	fprintf(f, "Verify an image file as `copy /verify` does: print the computed and the\n"
		   "embedded payload hash, the MD5 of the whole file, and whether the digital\n"
		   "signature verified. The swauth module verifies when it is loaded (or can\n"
		   "be), and an error from it is an error; OpenSSL in userspace verifies only\n"
		   "with --userspace or without the module, and the output says which and why.\n"
		   "Exits 0 when the image verified, 1 when it did not.\n\n");
	fprintf(f, "  -j, --json              the result as one JSON object (swauth(8), JSON OUTPUT)\n");
	fprintf(f, "%s", VERIFY_OPTIONS_HELP);
	fprintf(f, "  -h, --help              show this help\n");
}

int verify_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		VERIFY_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = argv[0];
	char verified_by[VERIFIED_BY_LEN];
	char path[PATH_MAX];
	static struct swauth_verify_result res;
	struct verify_opts o = { 0 };
	struct swauth_error err;
	uint8_t md5[16];
	bool have_md5, json = false;
	int ret;

	ret = verify_getopt(subcmd, argc, argv, options, 'j', &json, &o);
	if (ret == 'h') {
		usage(stdout, subcmd);
		return CLI_EXIT_OK;
	}
	if (ret) {
		usage(stderr, subcmd);
		return ret;
	}
	if (!cli_one_operand(subcmd, argc, argv, "PATH")) {
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}

	if (cli_resolve_file(subcmd, argv[optind], path, sizeof(path)))
		return CLI_EXIT_USAGE;
	ret = verify_run(subcmd, path, &o, &res, verified_by, sizeof(verified_by));
	if (ret)
		return ret;
	/* Only for a file: the MD5 of a directory or a FIFO means nothing. */
	swauth_error_clear(&err);
	have_md5 = res.verdict != SWAUTH_VERDICT_NOT_REGULAR &&
		   !swauth_file_md5(path, md5, &err);
	if (json)
		verify_print_verify_json(stdout, argv[optind], &res, have_md5 ? md5 : NULL,
					 verified_by);
	else
		verify_print_copy(stdout, argv[optind], &res, NULL, have_md5 ? md5 : NULL,
				  verified_by);
	return cli_stdout_done(subcmd, res.verdict == SWAUTH_VERDICT_OK ? CLI_EXIT_OK :
									  CLI_EXIT_VERIFY_FAILED);
}
