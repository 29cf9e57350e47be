// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth monitor [--json]: print the module's events as they
 * arrive (the "events" multicast group), until SIGINT or SIGTERM.
 */

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "lib/netlink.h"
#include "swauth/key-print.h"
#include "swauth/subcommands.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f, const char *subcmd)
{
	fprintf(f, "Usage: %s %s [--json]\n\n", PROG_NAME, subcmd);
	fprintf(f, "Print each event of the module as it happens (key added, key revoked,\n"
		   "floor raised, kexec enforcement turned on or off, kexec refused) until\n"
		   "interrupted.\n\n");
	fprintf(f, "  -j, --json   print one JSON object a line (keys in swauth(8), JSON OUTPUT)\n");
	fprintf(f, "  -h, --help   show this help\n");
}

static int print_json(const struct swauth_event_msg *e, void *data)
{
	(void)data;
	return event_print_json(stdout, e) ? -EIO : 0;
}

static int print_text(const struct swauth_event_msg *e, void *data)
{
	(void)data;
	event_print(stdout, e);
	return ferror(stdout) ? -EIO : 0;
}

int monitor_main(int argc, char *argv[])
{
	const char *subcmd = argv[0];
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	struct swauth_events *ev;
	struct swauth_error err;
	bool json;
	int ret;

	ret = cli_parse_json(argc, argv, usage, &json);
	if (ret >= 0)
		return ret;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	swauth_error_clear(&err);
	ret = swauth_events_open(&ev, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	while (!stop) {
		swauth_error_clear(&err);
		ret = swauth_events_recv(ev, json ? print_json : print_text, NULL, &err);
		if (ret == -EINTR)
			continue;
		if (ret == -EIO) {
			cli_msg(subcmd, "writing to standard output failed");
			break;
		}
		/* Lost or malformed events are reported; listening goes on. */
		if (ret == -ENOBUFS || ret == -EBADMSG) {
			cli_msg(subcmd, "%s", err.msg);
			continue;
		}
		if (ret) {
			cli_msg(subcmd, "%s", err.msg);
			break;
		}
	}
	swauth_events_close(ev);
	if (ret && ret != -EINTR && ret != -ENOBUFS && ret != -EBADMSG)
		return CLI_EXIT_SYSTEM;
	return CLI_EXIT_OK;
}
