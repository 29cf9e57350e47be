// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The driver of selftests/host/mail-locator.t: one swauth_mail_send() or
 * swauth_locator_get() with the arguments given. Prints the URL found on
 * stdout; on failure "ENAME: message" on stderr, exit status 1.
 * Usage: mail-locator mail [-c CA] [-s] [-f FROM] [-t MS] SERVER TO SUBJECT BODY-FILE
 *        mail-locator locate [-c CA] [-t MS] LOCATOR-URL USER PASSWORD IMAGE
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/xfer.h"

static int usage(void)
{
	fprintf(stderr, "usage: mail-locator mail [-c CA] [-s] [-f FROM] [-t MS] SERVER TO SUBJECT BODY-FILE\n"
		"       mail-locator locate [-c CA] [-t MS] LOCATOR-URL USER PASSWORD IMAGE\n");
	return 2;
}

static int fail(const struct swauth_error *err, int ret)
{
	fprintf(stderr, "%s: %s\n", strerrorname_np(-ret), err->msg);
	return 1;
}

static char *slurp(const char *path)
{
	char *text = calloc(1, SWAUTH_MAIL_BODY_MAX + 2);
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f || !text) {
		perror(path);
		exit(2);
	}
	n = fread(text, 1, SWAUTH_MAIL_BODY_MAX + 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

int main(int argc, char **argv)
{
	struct swauth_mail m = { 0 };
	struct swauth_locator l = { 0 };
	char url[SWAUTH_LOCATOR_REPLY_MAX];
	struct swauth_error err;
	const char *cmd;
	char *body;
	int c, ret;

	if (argc < 2)
		return usage();
	cmd = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "c:sf:t:")) != -1) {
		switch (c) {
		case 'c':
			m.ca_file = l.ca_file = optarg;
			break;
		case 's':
			m.starttls = true;
			break;
		case 'f':
			m.from = optarg;
			break;
		case 't':
			m.timeout_ms = l.timeout_ms = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		default:
			return usage();
		}
	}
	if (argc - optind != 4)
		return usage();
	if (!strcmp(cmd, "mail")) {
		m.server = argv[optind];
		m.to = argv[optind + 1];
		m.subject = argv[optind + 2];
		m.body = body = slurp(argv[optind + 3]);
		ret = swauth_mail_send(&m, &err);
		free(body);
		return ret ? fail(&err, ret) : 0;
	}
	if (!strcmp(cmd, "locate")) {
		l.url = argv[optind];
		l.username = argv[optind + 1];
		l.password = argv[optind + 2];
		l.image = argv[optind + 3];
		ret = swauth_locator_get(&l, url, sizeof(url), &err);
		if (ret)
			return fail(&err, ret);
		printf("%s\n", url);
		return 0;
	}
	return usage();
}
