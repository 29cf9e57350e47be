// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * libFuzzer target for swcopy's URL parser (userspace/lib/xfer/url.c),
 * which reads what the operator typed, or a script built from a server's
 * listing. Besides memory safety (ASan, UBSan), it checks the parser's
 * promises: every part it returns is terminated inside its buffer and
 * free of control characters, a host is a name or an IPv6 address, a
 * port is 1..65535, a plain path is kept unchanged, and the form
 * swauth_url_display() prints parses back to the same URL. Built by
 * `make fuzz` into build/fuzz/url_fuzz; the seeds
 * (build/fuzz/corpus/url/) are URLs of every scheme and form.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xfer.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static bool host_ok(const char *h)
{
	bool v6 = strchr(h, ':') != NULL;

	for (; *h; h++)
		if (v6 ? !strchr("0123456789abcdefABCDEF:.", *h) :
			 !strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._",
				 *h))
			return false;
	return true;
}

static void check_parsed(const char *text, const struct swauth_url *u)
{
	static struct swauth_url again;
	static char shown[sizeof(u->host) + sizeof(u->path) + 32];
	struct swauth_error err = { 0 };

	CHECK(terminated(u->user, sizeof(u->user)) && terminated(u->pass, sizeof(u->pass)));
	CHECK(terminated(u->host, sizeof(u->host)) && terminated(u->path, sizeof(u->path)));
	CHECK(printable(u->user) && printable(u->pass) && printable(u->path));
	if (u->scheme == SWAUTH_URL_FILE) {
		/* A plain path or flash:NAME is the text, unchanged. */
		CHECK(!strcmp(u->path, text));
		CHECK(!u->host[0] && !u->has_user && !u->port);
		return;
	}
	CHECK(u->scheme >= SWAUTH_URL_FTP && u->scheme <= SWAUTH_URL_FTPES);
	CHECK(u->port <= 65535);
	CHECK(!u->has_pass || u->has_user);
	CHECK(u->has_user == (u->user[0] != '\0'));
	CHECK(u->scheme != SWAUTH_URL_TFTP || !u->has_user);
	CHECK(!u->path[0] || u->path[0] == '/');
	if (!u->host[0]) {
		/* "SCHEME:" alone: the caller asks for the host and the file. */
		CHECK(!u->path[0] && !u->port && !u->has_user);
		return;
	}
	CHECK(host_ok(u->host));

	/* What is shown parses back, without the credentials. */
	swauth_url_display(u, shown, sizeof(shown));
	CHECK(terminated(shown, sizeof(shown)));
	if (strpbrk(u->path, "% "))
		return;		/* shown decoded: not a URL any more */
	CHECK(swauth_url_parse(shown, &again, &err) == 0);
	CHECK(again.scheme == u->scheme && again.port == u->port && !again.has_user);
	CHECK(!strcmp(again.host, u->host) && !strcmp(again.path, u->path));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct swauth_url u;
	struct swauth_error err = { 0 };
	char *text;
	int ret;

	/* A command-line argument: a C string. */
	if (memchr(data, '\0', size))
		return 0;
	text = malloc(size + 1);
	CHECK(text);
	memcpy(text, data, size);
	text[size] = '\0';

	ret = swauth_url_parse(text, &u, &err);
	if (ret) {
		CHECK(ret == -EINVAL || ret == -ENAMETOOLONG);
		CHECK(err.code == ret && err.msg[0] && terminated(err.msg, sizeof(err.msg)));
	} else {
		check_parsed(text, &u);
	}
	free(text);
	return 0;
}
