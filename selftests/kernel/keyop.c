// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * A raw key-operation client for scripted kernel tests (the crash tests
 * drive the module across reboots with it): one netlink request per run,
 * the result on stdout, the errno as the exit status (127 for 127 and up).
 *
 *   keyop provision CERT.der
 *   keyop add production|special IMAGE
 *   keyop revoke production|special RUNNING [BOOTLOADER]
 *   keyop store-init     SWAUTH_CMD_STORE_INIT
 *   keyop reload         SWAUTH_CMD_STORE_RELOAD
 *   keyop status         prints "floor_special=B primary=1 backup=1 ..."
 *   keyop -n COUNT OP... the request COUNT times in this one process (a
 *                        process start costs much in the VM); says how many
 *                        failed, and exits with the last one's status
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genl.h"

static int type_of(const char *s)
{
	if (!strcmp(s, "production"))
		return SWAUTH_KEY_PRODUCTION;
	if (!strcmp(s, "special"))
		return SWAUTH_KEY_SPECIAL;
	return -1;
}

static int letter(uint32_t v)
{
	return v ? (int)v : '-';
}

/* One request; 1 for a command line it does not know. */
static int keyop(int argc, char *argv[], struct genl_ext *ext)
{
	struct genl_status s;
	struct genl_change c;
	int ret, type = argc > 2 ? type_of(argv[2]) : -1;

	if (argc == 3 && !strcmp(argv[1], "provision")) {
		ret = genl_provision(argv[2], ext);
	} else if (argc == 4 && !strcmp(argv[1], "add") && type > 0) {
		ret = genl_key_add(type, argv[3], &c, ext);
		if (!ret)
			printf("added=%c primary=%d backup=%d\n", c.version,
			       c.primary, c.backup);
	} else if ((argc == 4 || argc == 5) && !strcmp(argv[1], "revoke") &&
		   type > 0) {
		ret = genl_key_revoke(type, argv[3], argc == 5 ? argv[4] : NULL,
				      0, &c, ext);
		if (!ret)
			printf("floor=%c primary=%d backup=%d\n", c.version,
			       c.primary, c.backup);
	} else if (argc == 2 && !strcmp(argv[1], "store-init")) {
		ret = genl_request(SWAUTH_CMD_STORE_INIT, SWAUTH_GENL_VERSION,
				   NULL, NULL, ext);
	} else if (argc == 2 && !strcmp(argv[1], "reload")) {
		ret = genl_request(SWAUTH_CMD_STORE_RELOAD, SWAUTH_GENL_VERSION,
				   NULL, NULL, ext);
	} else if (argc == 2 && !strcmp(argv[1], "status")) {
		ret = genl_get_status(&s);
		if (!ret)
			printf("floor_production=%c floor_special=%c production=%u special=%u primary=%u backup=%u sequence=%llu error=%d\n",
			       letter(s.floor_production), letter(s.floor_special),
			       s.keys_production, s.keys_special, s.store_primary,
			       s.store_backup, (unsigned long long)s.store_sequence,
			       s.store_error);
	} else {
		return 1;
	}
	if (ret)
		fprintf(stderr, "keyop: %s: %s%s%s\n", argv[1], strerror(-ret),
			ext->msg[0] ? ": " : "", ext->msg);
	return ret;
}

int main(int argc, char *argv[])
{
	unsigned long count = 1, failed = 0, i;
	int ret = 0;
	char *end;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		count = strtoul(argv[2], &end, 10);
		if (*end || !count)
			goto usage;
		argc -= 2;
		argv += 2;
	}
	for (i = 0; i < count; i++) {
		struct genl_ext ext = { 0 };

		ret = keyop(argc, argv, &ext);
		if (ret > 0)
			goto usage;
		if (ret)
			failed++;
	}
	if (count > 1)
		fprintf(stderr, "keyop: %lu of %lu requests failed\n", failed,
			count);
	/* An errno of 128 and up must not look like success. */
	return ret ? (-ret < 0x80 ? -ret : 0x7f) : 0;
usage:
	fprintf(stderr, "usage: keyop [-n COUNT] provision CERT | add TYPE IMAGE | revoke TYPE RUNNING [BOOTLOADER] | store-init | reload | status\n");
	return 2;
}
