// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth: the command-line front end of the swauth kernel module. main()
 * only dispatches; each subcommand lives in its own cmd-*.c file.
 */

#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "lib/fs.h"
#include "swauth/subcommands.h"

#ifndef SWAUTH_VERSION
#error "build with -DSWAUTH_VERSION=\"...\" (userspace/build.mk does)"
#endif

static const struct cli_subcmd subcommands[] = {
	{ "status", status_main, "Show the module's version, mode, debug categories and counters" },
	{ "debug", debug_main, "Enable kernel debug messages of the given categories" },
	{ "undebug", debug_main, "Disable kernel debug messages of the given categories, or all" },
	{ "show", show_main, "Show an image file, the keys, the upgrade status, the running image, the version" },
	{ "verify", verify_main, "Verify an image file's digests and signature, as copy /verify" },
	{ "key", key_main, "Add, revoke, provision production and special keys; sync their mirror" },
	{ "enforce", enforce_main, "Start only images that swauth sealed (kexec enforcement): on, off, status" },
	{ "monitor", monitor_main, "Print key storage and enforcement events as they happen" },
	{ "sign", sign_main, "Sign a payload into an image (.SPA, .SSA, ...)" },
	{ "upgrade", upgrade_main, "Replace the boot loader with a verified image" },
	{ "reload", reload_main, "Reload into the verified boot image, now or later, warm or cold" },
	{ "boot", boot_main, "Set the image to boot (boot system) after verifying it" },
};

const char *cli_version(void)
{
	return SWAUTH_VERSION;
}

static void show_usage(FILE *file)
{
	fprintf(file, "Usage: %s <cmd> [<args>]\n\n", PROG_NAME);
	fprintf(file, "Available subcommands:\n");
	cli_subcmd_list(file, subcommands, sizeof(subcommands) / sizeof(subcommands[0]), 9);
	fprintf(file, "\nWithout a subcommand, '%s status' is run. ", PROG_NAME);
	fprintf(file, "'%s <cmd> --help' describes one subcommand; see also swauth(8).\n",
		PROG_NAME);
}

/*
 * `swauth --complete WORD...`, for the bash completion: the subcommands are
 * this file's table, what each takes is complete.c's. A subcommand missing
 * from either is refused, so neither can be added without the other.
 */
static int complete(int argc, char *argv[])
{
	static const struct cli_opt opts[] = {
		{ "--help", CLI_ARG_NONE, NULL }, { "--version", CLI_ARG_NONE, NULL }, { 0 }
	};
	const struct cli_cmd root = { PROG_NAME, swauth_complete_cmds, opts, CLI_ARG_NONE,
				      NULL, NULL };
	const struct cli_cmd *c;
	size_t i, n = 0;

	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (!cli_cmd_find(swauth_complete_cmds, subcommands[i].name)) {
			cli_msg("--complete", "'%s' is missing from complete.c", subcommands[i].name);
			return CLI_EXIT_SYSTEM;
		}
	}
	for (c = swauth_complete_cmds; c->name; c++)
		n++;
	if (n != i) {
		cli_msg("--complete", "complete.c has subcommands that main.c does not dispatch");
		return CLI_EXIT_SYSTEM;
	}
	cli_complete(stdout, &root, argc, argv);
	return cli_stdout_done("--complete", CLI_EXIT_OK);
}

int main(int argc, char *argv[])
{
	static char *default_argv[] = { "status", NULL };
	const struct cli_subcmd *c;

	if (argc >= 2 && !strcmp(argv[1], "--complete"))
		return complete(argc - 2, argv + 2);

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
			  !strcmp(argv[1], "help"))) {
		show_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (argc == 2 && (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version") ||
			  !strcmp(argv[1], "version"))) {
		printf("%s %s\n", PROG_NAME, SWAUTH_VERSION);
		return CLI_EXIT_OK;
	}
	if (argc == 1)
		return status_main(1, default_argv);

	/* A file half written when SIGINT, SIGTERM or SIGHUP comes is removed. */
	swauth_safewrite_signals();
	c = cli_subcmd_find(subcommands, sizeof(subcommands) / sizeof(subcommands[0]), argv[1]);
	if (c)
		return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "%s: invalid subcommand '%s'\n", PROG_NAME, argv[1]);
	show_usage(stderr);
	return CLI_EXIT_USAGE;
}
