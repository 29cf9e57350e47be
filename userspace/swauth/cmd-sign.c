// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth sign: make a signed image (Documentation/image-format.rst) from a
 * payload, a key and its certificate. The build side of the seeds' .SPA /
 * .SSA images; the module and `swauth verify` are the other side.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cli.h"
#include "lib/image.h"
#include "swauth/subcommands.h"

static void usage(FILE *f, const char *subcmd)
{
	fprintf(f, "Usage: %s %s --key KEY --cert CERT --type TYPE --key-version V\n"
		   "       [--hash sha256|sha384|sha512] [--name N] [--image-version V]\n"
		   "       [--platform P] [--build-time T] [--bundle-key CERT] PAYLOAD -o OUT\n\n",
		PROG_NAME, subcmd);
	fprintf(f, "Sign PAYLOAD into an image in the swauth format (swauth(8)). When OUT is\n"
		   "a directory, the image is OUT/NAME.S<P|S|R><V>, e.g. OUT/c3900.SPA.\n"
		   "The path written is printed on standard output.\n\n");
	fprintf(f, "  -k, --key KEY            the signing private key (PEM, RSA 2048/3072/4096)\n"
		   "  -c, --cert CERT          its certificate (PEM or DER); its CN\n"
		   "                           \"swauth <type> key <V>\" must match the image\n"
		   "  -t, --type TYPE          production, special, revocation or bootloader\n"
		   "  -K, --key-version V      the key's version letter, A to Z\n"
		   "  -H, --hash HASH          sha256, sha384 or sha512 (default sha512)\n"
		   "  -n, --name N             image name (default: the payload's basename)\n"
		   "  -i, --image-version V    image version string (default empty)\n"
		   "  -p, --platform P         platform string (default empty)\n"
		   "  -T, --build-time T       seconds since the epoch (default: $SOURCE_DATE_EPOCH,\n"
		   "                           else now)\n"
		   "  -b, --bundle-key CERT    bundle this X.509 certificate in the signed manifest\n"
		   "  -o, --output OUT         the image file, or a directory\n"
		   "  -h, --help               show this help\n");
}

static int parse_time(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s[0] || s[0] == '-' || s[0] == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

int sign_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "cert", required_argument, NULL, 'c' },
		{ "type", required_argument, NULL, 't' },
		{ "key-version", required_argument, NULL, 'K' },
		{ "hash", required_argument, NULL, 'H' },
		{ "name", required_argument, NULL, 'n' },
		{ "image-version", required_argument, NULL, 'i' },
		{ "platform", required_argument, NULL, 'p' },
		{ "build-time", required_argument, NULL, 'T' },
		{ "bundle-key", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = argv[0];
	const char *out = NULL, *epoch;
	struct swauth_sign_params p;
	struct swauth_error err;
	char written[4096];
	int opt, ret;

	swauth_sign_params_init(&p);
	p.image_type = 0;
	epoch = getenv("SOURCE_DATE_EPOCH");
	if (epoch && epoch[0] && parse_time(epoch, &p.build_time)) {
		cli_msg(subcmd, "SOURCE_DATE_EPOCH '%s' is not a number of seconds", epoch);
		return CLI_EXIT_USAGE;
	}

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":k:c:t:K:H:n:i:p:T:b:o:h",
				  options, NULL)) != -1) {
		switch (opt) {
		case 'k':
			p.key_path = optarg;
			break;
		case 'c':
			p.cert_path = optarg;
			break;
		case 't':
			if (swauth_image_type_from_name(optarg, &p.image_type)) {
				cli_msg(subcmd, "unknown image type '%s' (production, special, revocation or bootloader)",
					optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'K':
			if (strlen(optarg) != 1 || optarg[0] < 'A' || optarg[0] > 'Z') {
				cli_msg(subcmd, "key version '%s' is not a letter A to Z", optarg);
				return CLI_EXIT_USAGE;
			}
			p.key_version = optarg[0];
			break;
		case 'H':
			if (swauth_hash_from_name(optarg, &p.hash_algo)) {
				cli_msg(subcmd, "unknown hash '%s' (sha256, sha384 or sha512)",
					optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'n':
			p.name = optarg;
			break;
		case 'i':
			p.image_version = optarg;
			break;
		case 'p':
			p.platform = optarg;
			break;
		case 'T':
			if (parse_time(optarg, &p.build_time)) {
				cli_msg(subcmd, "build time '%s' is not a number of seconds",
					optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'b':
			p.bundle_cert_path = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
		default:
			return cli_help_or_bad_option(subcmd, argc, argv, opt, usage);
		}
	}
	if (!p.key_path || !p.cert_path || !p.image_type || !p.key_version || !out) {
		cli_msg(subcmd, "--key, --cert, --type, --key-version and -o are required");
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (optind != argc - 1) {
		cli_msg(subcmd, optind == argc ? "no payload given" : "more than one payload given");
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}

	swauth_error_clear(&err);
	ret = swauth_sign_file(&p, argv[optind], out, written, sizeof(written), &err);
	if (ret) {
		cli_msg(subcmd, "%s", err.msg[0] ? err.msg : strerror(-ret));
		/* Refused input is a usage error; the rest is the system's. */
		return ret == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_SYSTEM;
	}
	printf("%s\n", written);
	return CLI_EXIT_OK;
}
