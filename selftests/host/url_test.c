// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/url.c: the places swcopy copies from and to, and how they are shown
 * (never with a user or password).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/xfer.h"

#include "kselftest_harness.h"

TEST(good)
{
	struct swauth_url u;
	struct swauth_error err;
	char show[PATH_MAX + 300];

	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_url_parse("ftp://bob:p%40ss%3Aw@ftp.example.com:2121/pub/c3900%20x.SPA",
				      &u, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(SWAUTH_URL_FTP, u.scheme);
	EXPECT_TRUE(u.has_user);
	EXPECT_TRUE(u.has_pass);
	EXPECT_STREQ("bob", u.user);
	EXPECT_STREQ("p@ss:w", u.pass);
	EXPECT_STREQ("ftp.example.com", u.host);
	EXPECT_EQ(2121, u.port);
	swauth_url_display(&u, show, sizeof(show));
	EXPECT_STREQ("ftp://ftp.example.com:2121/pub/c3900 x.SPA", show);

	ASSERT_EQ(0, swauth_url_parse("TFTP://[fd00::1]:6969/images/c3900.SPA", &u, &err));
	EXPECT_EQ(SWAUTH_URL_TFTP, u.scheme);
	EXPECT_STREQ("fd00::1", u.host);
	EXPECT_EQ(6969, u.port);
	EXPECT_STREQ("/images/c3900.SPA", u.path);
	swauth_url_display(&u, show, sizeof(show));
	EXPECT_STREQ("tftp://[fd00::1]:6969/images/c3900.SPA", show);

	ASSERT_EQ(0, swauth_url_parse("scp://root:x@10.0.0.1/c.SPA", &u, &err));
	swauth_url_display(&u, show, sizeof(show));
	EXPECT_STREQ("scp://10.0.0.1/c.SPA", show);

	ASSERT_EQ(0, swauth_url_parse("https://h", &u, &err));
	EXPECT_EQ(SWAUTH_URL_HTTPS, u.scheme);
	EXPECT_STREQ("", u.path);
	ASSERT_EQ(0, swauth_url_parse("ftp:", &u, &err));
	EXPECT_EQ(SWAUTH_URL_FTP, u.scheme);
	EXPECT_STREQ("", u.host);
	ASSERT_EQ(0, swauth_url_parse("ftps://h/x", &u, &err));
	EXPECT_EQ(SWAUTH_URL_FTPS, u.scheme);
	ASSERT_EQ(0, swauth_url_parse("FTPES://h:21/x", &u, &err));
	EXPECT_EQ(SWAUTH_URL_FTPES, u.scheme);
	EXPECT_EQ(21, u.port);
	ASSERT_EQ(0, swauth_url_parse("flash:c3900.SPA", &u, &err));
	EXPECT_EQ(SWAUTH_URL_FILE, u.scheme);
	EXPECT_STREQ("flash:c3900.SPA", u.path);
	ASSERT_EQ(0, swauth_url_parse("/tmp/a:b", &u, &err));
	EXPECT_EQ(SWAUTH_URL_FILE, u.scheme);
	ASSERT_EQ(0, swauth_url_parse("rel/x", &u, &err));
	EXPECT_EQ(SWAUTH_URL_FILE, u.scheme);
}

TEST(bad)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "", "empty file name" },
		{ "ftp:/x", "'ftp:/x': expected 'ftp://HOST/PATH' or 'ftp:'" },
		{ "ftp://", "'ftp://': the host is missing" },
		{ "ftp:///x", "'ftp:///x': the host is missing" },
		{ "gopher://h/x", "'gopher': unknown scheme (known: ftp, ftps, ftpes, tftp, http, https, scp)" },
		{ "ftp://u@/x", "host: missing" },
		{ "ftp://@h/x", "user: empty before '@'" },
		{ "ftp://h:0/x", "port: '0' is not a number from 1 to 65535" },
		{ "ftp://h:65536/x", "port: '65536' is not a number from 1 to 65535" },
		{ "ftp://h:/x", "port: '' is not a number from 1 to 65535" },
		{ "ftp://h:2x/x", "port: '2x' is not a number from 1 to 65535" },
		{ "ftp://h!/x", "host: 'h!' is not a host name" },
		{ "ftp://[fd00::1/x", "host: '[' without ']'" },
		{ "ftp://[zz]/x", "host: 'zz' is not an IPv6 address" },
		{ "ftp://[::1]x/y", "host: unexpected 'x' after ']'" },
		{ "http://h/%zz", "path: '%' must be followed by two hex digits" },
		{ "http://h/%4", "path: '%' must be followed by two hex digits" },
		{ "http://h/a%00b", "path: contains %00" },
		{ "http://h/a%0ab", "path: contains a control character" },
		{ "http://h/a b", "path: contains a blank (write it as %20)" },
		{ "tftp://u@h/x", "tftp has no user or password" },
		{ "ftp://h/x\n", "'ftp://h/x\n': contains a control character" },
	};
	struct swauth_error err;
	struct swauth_url u;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		swauth_error_clear(&err);
		EXPECT_NE(0, swauth_url_parse(cases[i].text, &u, &err)) {
			TH_LOG("accepted '%s'", cases[i].text);
		}
		EXPECT_STREQ(cases[i].msg, err.msg) {
			TH_LOG("for '%s'", cases[i].text);
		}
	}
}

/* Found by url_fuzz: the bracketed host was copied without a length check. */
TEST(ipv6_too_long)
{
	char text[16 + 2 * SWAUTH_URL_HOST_MAX];
	struct swauth_error err;
	struct swauth_url u;
	size_t i, n = 0;

	n += (size_t)snprintf(text, sizeof(text), "ftp://[");
	for (i = 0; i < SWAUTH_URL_HOST_MAX / 2 + 20; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "1:");
	snprintf(text + n, sizeof(text) - n, ":1]/x");
	swauth_error_clear(&err);
	EXPECT_EQ(-ENAMETOOLONG, swauth_url_parse(text, &u, &err));
	EXPECT_STREQ("host: too long", err.msg);
}

TEST_HARNESS_MAIN
