// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki profile LABEL [SUB-COMMAND...] (IOS `crypto pki profile enrollment
 * LABEL`, E7), and CA authentication through a trustpoint's enrollment
 * profile (`swpki authenticate TP` without --file or --terminal).
 */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "swpki/subcommands.h"

static void profile_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s %s LABEL [SUB-COMMAND...]\n"
		"       %s %s --delete LABEL\n\n"
		"Creates enrollment profile LABEL (IOS `crypto pki profile enrollment LABEL`)\n"
		"when it does not exist, applies one sub-command (its words as arguments), or\n"
		"`no SUB-COMMAND` to remove one, and shows the profile. A trustpoint uses it\n"
		"with `enrollment profile LABEL`.\n\n"
		"  authentication url URL | authentication terminal\n"
		"  authentication command GET /PATH\n"
		"  enrollment url URL | enrollment terminal\n"
		"  enrollment command POST BODY | GET /PATH\n"
		"  enrollment credential TRUSTPOINT   (TLS client authentication with its\n"
		"                                      certificate and key)\n"
		"  parameter N value VALUE | parameter N prompt STRING   (N 1-9; `no parameter`\n"
		"                                      removes them all)\n\n"
		"In a command $P1..$P9 are the parameters (a prompt is asked on a terminal,\n"
		"refused without one) and $REQ the request, base64 DER (PEM with the\n"
		"trustpoint's `enrollment profile` ... `pem`), each URL-encoded.\n\n"
		"  --delete   remove the profile\n"
		"  --help     this text\n",
		PROG_NAME, subcmd, PROG_NAME, subcmd);
}

int profile_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "delete", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = argv[0];
	struct swauth_error err = { 0 };
	struct swpki_profile p;
	struct swpki_store s;
	char line[1024] = "", *text;
	bool del = false;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+dh", options, NULL)) != -1) {
		if (opt == 'd')
			del = true;
		else
			return cli_help_or_bad_option(subcmd, argc, argv, opt, profile_usage);
	}
	if (optind >= argc || (del && argc - optind != 1)) {
		cli_msg(subcmd, del ? "--delete takes one LABEL" : "a profile LABEL expected");
		profile_usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (!swpki_tp_name_valid(argv[optind])) {
		cli_msg(subcmd,
			"'%s' is not a profile label (letters, digits, '.', '_', '-'; at most %d)",
			argv[optind], SWPKI_TP_NAME_MAX);
		return CLI_EXIT_USAGE;
	}
	if (swpki_join_words(subcmd, argc, argv, optind + 1, line, sizeof(line)))
		return CLI_EXIT_USAGE;
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), !del, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	if (del) {
		ret = swpki_profile_delete(&s, argv[optind], &err);
		swpki_store_close(&s);
		if (ret)
			return cli_fail(subcmd, ret, &err);
		printf("%% Enrollment profile %s removed.\n", argv[optind]);
		return cli_stdout_done(subcmd, CLI_EXIT_OK);
	}
	ret = swpki_profile_load(&s, argv[optind], &p, &err);
	if (ret == -ENOENT) {
		swpki_profile_init(&p, argv[optind]);
		ret = 0;
	}
	if (!ret && line[0] && swpki_profile_apply(&p, line, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		swpki_store_close(&s);
		return CLI_EXIT_USAGE;
	}
	if (!ret)
		ret = swpki_profile_save(&s, &p, &err);
	swpki_store_close(&s);
	if (!ret)
		ret = swpki_profile_format(&p, &text, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	fputs(text, stdout);
	free(text);
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

/**
 * profile_authenticate() - `swpki authenticate TP` by TP's enrollment profile
 * @subcmd: for messages
 * @name: the trustpoint
 * @yes: accept without a fingerprint or a question
 *
 * Return: -1 when the trustpoint has no enrollment profile (the caller
 * goes on), else the exit code.
 */
int profile_authenticate(const char *subcmd, const char *name, bool yes)
{
	struct swpki_profile_io io = { isatty(STDIN_FILENO), stdin, stdout };
	struct swauth_error err = { 0 };
	struct swpki_trustpoint tp;
	struct swpki_store s;
	int ret;

	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), false, &err);
	if (!ret)
		ret = swpki_tp_load(&s, name, &tp, &err);
	if (!ret && tp.enroll != SWPKI_ENROLL_PROFILE) {
		swpki_store_close(&s);
		return -1;
	}
	if (!ret)
		ret = swpki_profile_authenticate(&s, &tp, yes, &io, &err);
	swpki_store_close(&s);
	fflush(stdout);
	if (ret == -EINVAL || ret == -EACCES) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (ret)
		return cli_fail(subcmd, ret, &err);
	printf("%% Certificate successfully imported\n");
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}
