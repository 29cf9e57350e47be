// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki show WHAT: one table of what can be shown, each with its own entry
 * point in the file of its concern.
 */

#include <stdio.h>
#include <string.h>

#include "swpki/subcommands.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *description;
} shows[] = {
	{ "storage", show_storage_main, "Where certificates are stored" },
	{ "trustpoints", show_trustpoints_main, "Trustpoints [NAME] [status]" },
	{ "certificates", show_certificates_main, "Certificates [TRUSTPOINT] [verbose]" },
	{ "timers", show_timers_main, "The renewal timers of auto-enrollment" },
	{ "token", show_token_main, "PKCS#11 tokens, their login state and keys" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s show WHAT [<args>]\n\n", PROG_NAME);
	for (i = 0; i < sizeof(shows) / sizeof(shows[0]); i++)
		fprintf(f, "  %-12s %s\n", shows[i].name, shows[i].description);
}

int show_main(int argc, char *argv[])
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	for (i = 0; i < sizeof(shows) / sizeof(shows[0]); i++) {
		if (!strcmp(argv[1], shows[i].name))
			return shows[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "%s: show: nothing called '%s' to show\n", PROG_NAME, argv[1]);
	usage(stderr);
	return CLI_EXIT_USAGE;
}

/* swpki show storage: E17.1's "Certificates will be stored in DIR/" */
int show_storage_main(int argc, char *argv[])
{
	struct swauth_error err = { 0 };
	struct swpki_store s;
	char path[PATH_MAX];
	int ret;

	if (argc > 1) {
		cli_msg("show storage", "takes no argument: '%s'", argv[1]);
		return CLI_EXIT_USAGE;
	}
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), false, &err);
	if (ret)
		return cli_fail("show storage", ret, &err);
	ret = swpki_cert_storage_get(s.dir_fd, path, sizeof(path), &err);
	if (ret) {
		swpki_store_close(&s);
		return cli_fail("show storage", ret, &err);
	}
	if (path[0])
		printf("Certificates will be stored in %s/\n", path);
	else
		printf("Certificates will be stored in %s/certs/\n", s.path);
	swpki_store_close(&s);
	return cli_stdout_done("show storage", CLI_EXIT_OK);
}
