// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki show WHAT: one table of what can be shown, each with its own entry
 * point in the file of its concern.
 */

#include <stdio.h>

#include "swpki/subcommands.h"

static const struct cli_subcmd shows[] = {
	{ "storage", show_storage_main, "Where certificates are stored" },
	{ "key", show_key_main, "The public keys of the key pairs (key mypubkey rsa|ec)" },
	{ "trustpoints", show_trustpoints_main, "Trustpoints [NAME] [status]" },
	{ "certificates", show_certificates_main, "Certificates [TRUSTPOINT] [verbose]" },
	{ "timers", show_timers_main, "The renewal timers of auto-enrollment" },
	{ "token", show_token_main, "PKCS#11 tokens, their login state and keys" },
};

int show_main(int argc, char *argv[])
{
	return swpki_dispatch("WHAT [<args>]", shows, sizeof(shows) / sizeof(shows[0]), argc,
			      argv);
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
