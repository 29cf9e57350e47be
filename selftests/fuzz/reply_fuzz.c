// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * libFuzzer target for the checks on what an HTTP or FTP server says
 * (swauth_reply_line() in userspace/lib/xfer/curl.c, which libcurl's header
 * callback calls with every HTTP header line and FTP reply). Byte 0 picks
 * the scheme (HTTP, HTTPS, FTP, SCP); the rest is the server's lines, each
 * up to its '\n'. Besides memory safety (ASan, UBSan), it checks the
 * promises: the kept status line, reply and Location are terminated and
 * printable (escaped: no control character, no byte from 0x80 on), a
 * Content-Length or SIZE that is accepted is exactly the decimal number
 * the line holds, two different Content-Lengths in one response are
 * refused, and a refusal says why. Built by `make fuzz` into
 * build/fuzz/reply_fuzz; the seeds (selftests/fuzz/seeds/reply/) are
 * responses of python's http.server, vsftpd's replies, and the hostile
 * replies of issue 13.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/xfer.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool printable(const char *s, size_t size)
{
	size_t i;

	for (i = 0; i < size && s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return i < size;
}

/* The decimal number in @s (@len bytes, blanks and line end around it). */
static bool number_in(const char *s, size_t len, uint64_t *v)
{
	size_t i = 0;

	while (len && strchr(" \t\r\n", s[len - 1]))
		len--;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == len)
		return false;
	for (*v = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return true;
}

static void check_line(const struct swauth_reply *r, const char *line, size_t len,
		       bool ok, uint64_t cl_before, bool cl_seen_before)
{
	uint64_t v;

	CHECK(printable(r->reply, sizeof(r->reply)) && printable(r->location, sizeof(r->location)));
	/* Validators go back to the server in If-Range: one escaped line. */
	CHECK(printable(r->etag, sizeof(r->etag)) &&
	      printable(r->last_modified, sizeof(r->last_modified)));
	if (!ok) {
		CHECK(r->bad.code == -EPROTO && r->bad.msg[0]);
		CHECK(printable(r->bad.msg, sizeof(r->bad.msg)));
		return;
	}
	CHECK(r->ftp_size >= -1);
	if (r->scheme == SWAUTH_URL_FTP && len > 4 && !memcmp(line, "213 ", 4)) {
		/* SIZE: only digits (after "213 "), and what they say. */
		CHECK(line[4] != ' ' && line[4] != '\t');
		CHECK(number_in(line + 4, len - 4, &v) && r->ftp_size == (int64_t)v);
	}
	if ((r->scheme == SWAUTH_URL_HTTP || r->scheme == SWAUTH_URL_HTTPS) && len > 15 &&
	    !strncasecmp(line, "Content-Length:", 15)) {
		CHECK(number_in(line + 15, len - 15, &v) && r->cl_seen && r->cl == v);
		CHECK(!cl_seen_before || cl_before == v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum swauth_url_scheme schemes[] = {
		SWAUTH_URL_HTTP, SWAUTH_URL_HTTPS, SWAUTH_URL_FTP, SWAUTH_URL_SCP,
	};
	static struct swauth_reply r;
	const char *p, *end, *nl;

	if (!size)
		return 0;
	memset(&r, 0, sizeof(r));
	r.scheme = schemes[data[0] & 3];
	r.host = "server.example";
	r.ftp_size = -1;
	for (p = (const char *)data + 1, end = (const char *)data + size; p < end; p = nl) {
		uint64_t cl = r.cl;
		bool cl_seen = r.cl_seen, ok;
		char *line;
		size_t len;

		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		len = (size_t)(nl - p);
		/* A buffer of the line's size: ASan sees a read past its end. */
		line = malloc(len);
		CHECK(line);
		memcpy(line, p, len);
		ok = swauth_reply_line(&r, line, len);
		check_line(&r, line, len, ok, cl, cl_seen);
		free(line);
		if (!ok)
			break;
	}
	return 0;
}
