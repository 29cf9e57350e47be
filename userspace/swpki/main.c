// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki: the router's PKI client (IOS `crypto key` and `crypto pki`).
 * main() only takes --dir and dispatches; each subcommand lives in its own
 * cmd-*.c file.
 */

#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "lib/fs.h"
#include "swpki/subcommands.h"

#ifndef SWAUTH_VERSION
#error "build with -DSWAUTH_VERSION=\"...\" (userspace/build.mk does)"
#endif

const char *swpki_dir;

static const struct cli_subcmd subcommands[] = {
	{ "show", show_main, "Show keys, trustpoints, certificates, timers, the storage" },
	{ "key", key_main, "Key pairs: generate, zeroize, export, import, encrypt, lock" },
	{ "trustpoint", trustpoint_main, "Create, change, show or delete a trustpoint" },
	{ "authenticate", authenticate_main, "Accept a trustpoint's CA certificate" },
	{ "enroll", enroll_main, "Enroll a trustpoint: SCEP, file URL, terminal, self-signed" },
	{ "import", import_main, "Install a certificate, or a trustpoint's PKCS#12 or PEM files" },
	{ "profile", profile_main, "Enrollment profiles: a CA reached by HTTP commands" },
	{ "export", export_main, "A trustpoint's key and certificates as PKCS#12 or PEM" },
	{ "certificate", certificate_main, "Where certificates are stored (storage DIR)" },
	{ "token", token_main, "PKCS#11 tokens: login, PIN, retries, keys made on the token" },
};

const char *cli_version(void)
{
	return SWAUTH_VERSION;
}

static void show_usage(FILE *file)
{
	fprintf(file, "Usage: %s [--dir DIR] <cmd> [<args>]\n\n", PROG_NAME);
	fprintf(file, "Available subcommands:\n");
	cli_subcmd_list(file, subcommands, sizeof(subcommands) / sizeof(subcommands[0]), 12);
	fprintf(file, "\n  --dir DIR    the PKI store (default $SWPKI_DIR, else %s)\n", SWPKI_DIR);
	fprintf(file, "\n'%s <cmd> --help' describes one subcommand; see also swpki(8).\n",
		PROG_NAME);
}

int main(int argc, char *argv[])
{
	const struct cli_subcmd *c;

	cli_prog_name = "swpki";
	if (argc >= 3 && !strcmp(argv[1], "--dir")) {
		swpki_dir = argv[2];
		argv[2] = argv[0];
		argc -= 2;
		argv += 2;
	} else if (argc >= 2 && !strncmp(argv[1], "--dir=", 6)) {
		swpki_dir = argv[1] + 6;
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	if (argc == 1 || (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
					 !strcmp(argv[1], "help")))) {
		show_usage(argc == 1 ? stderr : stdout);
		return argc == 1 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	if (argc == 2 && (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version") ||
			  !strcmp(argv[1], "version"))) {
		printf("%s %s\n", PROG_NAME, SWAUTH_VERSION);
		return CLI_EXIT_OK;
	}

	/* A file half written when SIGINT, SIGTERM or SIGHUP comes is removed. */
	swauth_safewrite_signals();
	c = cli_subcmd_find(subcommands, sizeof(subcommands) / sizeof(subcommands[0]), argv[1]);
	if (c)
		return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "%s: invalid subcommand '%s'\n", PROG_NAME, argv[1]);
	show_usage(stderr);
	return CLI_EXIT_USAGE;
}
