// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth key provision CERT: the factory path for production and special
 * keys (SWAUTH_CMD_PROVISION_KEY). CERT is a PEM or DER file; the kernel
 * takes DER, so PEM is converted here.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <linux/swauth.h>

#include "lib/cert.h"
#include "lib/nl.h"
#include "lib/verify.h"
#include "swauth/cli.h"
#include "swauth/subcommands.h"

static void usage(FILE *f, const char *subcmd)
{
	fprintf(f, "Usage: %s %s provision CERT\n\n", PROG_NAME, subcmd);
	fprintf(f, "Add a production or special key to the kernel. CERT (PEM or DER) must be\n"
		   "issued by a rollover key built into the module, with the common name\n"
		   "\"swauth production key V\" or \"swauth special key V\". Needs CAP_NET_ADMIN.\n\n");
	fprintf(f, "  -h, --help   show this help\n");
}

/* What each documented errno means for the operator. */
static const char *provision_hint(int ret, const struct swauth_cert_info *info)
{
	static char buf[SWAUTH_CERT_FIELD_LEN + 96];

	switch (ret) {
	case -EPERM:
		return "permission denied: provisioning a key needs CAP_NET_ADMIN";
	case -ENOKEY:
		return "the certificate is not issued by a rollover key built into the module";
	case -EKEYREJECTED:
		return "the certificate's signature does not verify with the rollover key that issued it";
	case -EEXIST:
		snprintf(buf, sizeof(buf), "a key named \"%s\" is already provisioned",
			 info->common_name[0] ? info->common_name : "like this one");
		return buf;
	case -EBADMSG:
		return "not a valid X.509 certificate";
	case -EINVAL:
		return "the common name must be \"swauth production key V\" or \"swauth special key V\", V a letter A to Z";
	case -ENOSPC:
		return "the keyring of that key type is full";
	}
	return NULL;
}

static int provision(const char *subcmd, int argc, char *argv[])
{
	static uint8_t der[SWAUTH_CERT_MAX];
	struct swauth_cert_info info = { 0 };
	struct swauth_error err;
	struct swauth_nl *nl;
	const char *hint;
	size_t len;
	int ret;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout, "key");
		return CLI_EXIT_OK;
	}
	if (argc != 2 || argv[1][0] == '-') {
		cli_msg(subcmd, argc < 2 ? "missing CERT" : "expected one argument, CERT");
		usage(stderr, "key");
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	ret = swauth_cert_read_file(argv[1], der, sizeof(der), &len, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	swauth_cert_info(der, len, &info, &err);

	swauth_error_clear(&err);
	ret = swauth_nl_open(&nl, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ret = swauth_key_provision(nl, der, len, &err);
	swauth_nl_close(nl);
	if (ret) {
		hint = provision_hint(ret, &info);
		if (hint)
			cli_msg(subcmd, "%s: %s (%s)", argv[1], hint, err.msg);
		else
			cli_msg(subcmd, "%s: %s", argv[1], err.msg);
		return CLI_EXIT_SYSTEM;
	}
	printf("Provisioned %s (serial %s) from %s\n", info.common_name[0] ? info.common_name : "key",
	       info.serial[0] ? info.serial : "unknown", argv[1]);
	return CLI_EXIT_OK;
}

int key_main(int argc, char *argv[])
{
	if (argc >= 2 && !strcmp(argv[1], "provision"))
		return provision("key provision", argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout, argv[0]);
		return CLI_EXIT_OK;
	}
	if (argc < 2)
		cli_msg(argv[0], "missing action: provision");
	else
		cli_msg(argv[0], "unknown action '%s' (known: provision)", argv[1]);
	usage(stderr, argv[0]);
	return CLI_EXIT_USAGE;
}
