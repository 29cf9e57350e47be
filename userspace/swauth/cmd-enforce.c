// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth enforce on|off|status: whether the kernel may start only images
 * that swauth sealed (SWAUTH_CMD_ENFORCE). Turning it off is deliberate:
 * it asks on a terminal and, without one, wants --yes.
 */

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/kexec.h>

#include "lib/cli.h"
#include "lib/netlink.h"
#include "swauth/subcommands.h"

static void usage(FILE *f, const char *subcmd)
{
	fprintf(f, "Usage: %s %s on|off [--yes]\n"
		   "       %s %s status\n\n"
		   "While enforcement is on, kexec_file_load(2) takes only the kernel and\n"
		   "initramfs that 'swauth reload --warm' sealed, and kexec_load(2) is refused.\n"
		   "on also unloads any kexec image and crash kernel loaded before.\n"
		   "on and off need CAP_SYS_ADMIN; off asks for confirmation on a terminal.\n\n"
		   "  -y, --yes    turn enforcement off without asking\n"
		   "  -h, --help   show this help\n",
		PROG_NAME, subcmd, PROG_NAME, subcmd);
}

static int show(const char *subcmd)
{
	struct swauth_status st;
	struct swauth_error err;
	int ret;

	swauth_error_clear(&err);
	ret = swauth_status_fetch(&st, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	if (!(st.has & SWAUTH_STATUS_HAS_ENFORCE)) {
		cli_msg(subcmd, "this swauth module does not enforce kexec");
		return CLI_EXIT_SYSTEM;
	}
	printf("kexec enforcement: %s\n", st.enforce ? "on" : "off");
	printf("kexec loads refused: %llu\n", (unsigned long long)st.kexec_refused);
	return CLI_EXIT_OK;
}

static bool confirm_off(void)
{
	char line[16];

	fputs("Turn off kexec enforcement? Any kernel could then be started. [confirm]", stdout);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == '\n' || line[0] == 'y' || line[0] == 'Y';
}

/*
 * An image loaded before enforcement would still start: kexec -e goes
 * through reboot(2), which no hook sees. Once the programs are attached
 * nothing unsealed can be loaded again, so both images (the next kernel
 * and the crash kernel) are unloaded; unloading reads no file and passes.
 * A load in progress holds the kexec lock (EBUSY): wait for it, then
 * unload what it loaded.
 */
static int unload_images(const char *subcmd)
{
	static const unsigned long flags[] = {
		KEXEC_FILE_UNLOAD, KEXEC_FILE_UNLOAD | KEXEC_FILE_ON_CRASH,
	};
	const struct timespec pause = { .tv_nsec = 100 * 1000 * 1000 };
	unsigned int i, tries;
	long ret;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		tries = 0;
		while ((ret = syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, flags[i])) &&
		       errno == EBUSY && ++tries < 100)
			nanosleep(&pause, NULL);
		if (ret) {
			cli_msg(subcmd, "kexec enforcement is on, but the %s loaded before could not be unloaded: %s; 'kexec -e' may still start it",
				i ? "crash kernel" : "kexec image", strerror(errno));
			return CLI_EXIT_SYSTEM;
		}
	}
	return CLI_EXIT_OK;
}

static int set(const char *subcmd, bool on, bool yes)
{
	struct swauth_error err;
	struct swauth_nl *nl;
	int ret;

	if (!on && !yes) {
		if (!isatty(STDIN_FILENO)) {
			cli_msg(subcmd, "not turning enforcement off without a terminal to confirm on: add --yes");
			return CLI_EXIT_USAGE;
		}
		if (!confirm_off()) {
			puts("Enforcement stays on");
			return CLI_EXIT_OK;
		}
	}
	swauth_error_clear(&err);
	ret = swauth_nl_open(&nl, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ret = swauth_enforce_set(nl, on, &err);
	swauth_nl_close(nl);
	if (ret == -EALREADY) {
		printf("kexec enforcement is %s already\n", on ? "on" : "off");
		return on ? unload_images(subcmd) : CLI_EXIT_OK;
	}
	if (ret == -EPERM && !strstr(err.msg, "lsm")) {
		cli_msg(subcmd, "permission denied (needs CAP_SYS_ADMIN)");
		return CLI_EXIT_SYSTEM;
	}
	if (ret)
		return cli_fail(subcmd, ret, &err);
	printf("kexec enforcement is %s\n", on ? "on" : "off");
	return on ? unload_images(subcmd) : CLI_EXIT_OK;
}

int enforce_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = argv[0];
	bool yes = false;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":yh", options, NULL)) != -1) {
		switch (opt) {
		case 'y':
			yes = true;
			break;
		case 'h':
		default:
			return cli_help_or_bad_option(subcmd, argc, argv, opt, usage);
		}
	}
	if (!cli_one_operand(subcmd, argc, argv, "on, off or status")) {
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[optind], "on") && strcmp(argv[optind], "off") &&
	    strcmp(argv[optind], "status")) {
		cli_msg(subcmd, "unknown action '%s' (known: on, off, status)", argv[optind]);
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "status")) {
		if (!yes)
			return show(subcmd);
		cli_msg(subcmd, "--yes goes with on or off, not status");
		return CLI_EXIT_USAGE;
	}
	return set(subcmd, !strcmp(argv[optind], "on"), yes);
}
