// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth reload: the words after the options ([/verify|/noverify] [in |
 * at ... | reason ... | cancel] [TEXT...]) and the reload's identifier.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "swauth/reload.h"

/* The words after the options: [/verify|/noverify] [in|at ...|reason ...|cancel]. */
int reload_parse_words(struct reload *r, int argc, char *argv[], time_t now, time_t *when,
		       bool *do_cancel)
{
	struct swauth_error err;
	int i = 0, used = 0, verify = 0;
	size_t len = 0;

	for (; i < argc && argv[i][0] == '/'; i++) {
		if (strcmp(argv[i], "/verify") && strcmp(argv[i], "/noverify")) {
			cli_msg(r->subcmd, "unknown switch '%s' (known: /verify, /noverify)",
				argv[i]);
			return CLI_EXIT_USAGE;
		}
		if (verify && verify != (argv[i][1] == 'v' ? 1 : 2)) {
			cli_msg(r->subcmd, "/verify and /noverify exclude each other");
			return CLI_EXIT_USAGE;
		}
		verify = argv[i][1] == 'v' ? 1 : 2;
	}
	if (verify == 2)
		printf("/noverify ignored: every image is verified by the module before it is loaded\n");
	if (i < argc && !strcmp(argv[i], "cancel")) {
		if (verify || i + 1 < argc) {
			cli_msg(r->subcmd, "'cancel' takes nothing else, found '%s'",
				verify ? argv[0] : argv[i + 1]);
			return CLI_EXIT_USAGE;
		}
		*do_cancel = true;
		return CLI_EXIT_OK;
	}
	if (i < argc && (!strcmp(argv[i], "in") || !strcmp(argv[i], "at"))) {
		swauth_error_clear(&err);
		if (swauth_reload_parse_when(argc - i, argv + i, now, when, &used, &err)) {
			cli_msg(r->subcmd, "%s", err.msg);
			return CLI_EXIT_USAGE;
		}
		i += used;
	} else if (i < argc && !strcmp(argv[i], "reason")) {
		if (++i == argc) {
			cli_msg(r->subcmd, "'reason' needs a TEXT");
			return CLI_EXIT_USAGE;
		}
	} else if (i < argc) {
		cli_msg(r->subcmd, "unknown word '%s' (expected in, at, reason or cancel)",
			argv[i]);
		return CLI_EXIT_USAGE;
	}
	for (; i < argc; i++) {
		if (strchr(argv[i], '\n') ||
		    len + strlen(argv[i]) + 1 >= sizeof(r->rec.reason)) {
			cli_msg(r->subcmd, "the reason must be one line of at most %d characters",
				SWAUTH_RELOAD_REASON_MAX - 1);
			return CLI_EXIT_USAGE;
		}
		len += (size_t)sprintf(r->rec.reason + len, "%s%s", len ? " " : "", argv[i]);
	}
	return CLI_EXIT_OK;
}

static void hex(const uint8_t *buf, uint32_t len, char *out)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", buf[i]);
	out[2 * len] = '\0';
}

int reload_new_id(char *id)
{
	uint8_t rnd[SWAUTH_RELOAD_ID_LEN / 2];

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -errno;
	hex(rnd, sizeof(rnd), id);
	return 0;
}
