// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The places swcopy copies from and to:
 *
 *   ftp://[user[:password]@]host[:port]/path
 *   ftps://...    FTP in TLS from the first byte (implicit, port 990)
 *   ftpes://...   FTP that must switch to TLS first (AUTH TLS, port 21)
 *   tftp://host[:port]/path
 *   http://host[:port]/path, https://...
 *   scp://[user@]host[:port]/path
 *   ftp:, tftp:, http:, https:, scp:   the seeds' form: swcopy asks for
 *                                      the host and the file
 *   flash:NAME, usbflash0:NAME, nvram:NAME, or a plain path
 *
 * The authority ends at the first '/' (swcopy's URLs have no query or
 * fragment) and its user and password at its last '@': a raw '?', '#' or
 * '@' in a password is part of it (RFC 3986 wants them written %3F, %23
 * and %40; both forms are accepted). swauth_url_authority() is that one
 * split, for the parser and for swcopy's scrubbing of its arguments alike.
 *
 * Hosts may be names, IPv4 addresses or [IPv6] addresses. The user, the
 * password and the path are percent-decoded; a NUL or a control character
 * anywhere, encoded or not, is refused, and so is a blank not written as
 * %20, so that nothing the user did not mean reaches a server.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/xfer.h"

static const struct {
	const char *name;
	enum swauth_url_scheme scheme;
} schemes[] = {
	{ "ftp", SWAUTH_URL_FTP },
	{ "ftps", SWAUTH_URL_FTPS },
	{ "ftpes", SWAUTH_URL_FTPES },
	{ "tftp", SWAUTH_URL_TFTP },
	{ "http", SWAUTH_URL_HTTP },
	{ "https", SWAUTH_URL_HTTPS },
	{ "scp", SWAUTH_URL_SCP },
};

static const char *scheme_name(enum swauth_url_scheme s)
{
	size_t i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (schemes[i].scheme == s)
			return schemes[i].name;
	return "file";
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes @len bytes of @s into @out (@size bytes). */
static int decode(const char *what, const char *s, size_t len, char *out, size_t size,
		  struct swauth_error *err)
{
	size_t i, n = 0;
	int hi, lo, c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == ' ')
			return swauth_error_set(err, -EINVAL,
						"%s: contains a blank (write it as %%20)", what);
		if (c == '%') {
			hi = i + 1 < len ? hexval((unsigned char)s[i + 1]) : -1;
			lo = i + 2 < len ? hexval((unsigned char)s[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return swauth_error_set(err, -EINVAL,
							"%s: '%%' must be followed by two hex digits",
							what);
			c = hi * 16 + lo;
			i += 2;
			if (!c)
				return swauth_error_set(err, -EINVAL, "%s: contains %%00", what);
		}
		if (c < 0x20 || c == 0x7f)
			return swauth_error_set(err, -EINVAL, "%s: contains a control character",
						what);
		if (n + 1 >= size)
			return swauth_error_set(err, -ENAMETOOLONG, "%s: too long", what);
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return 0;
}

static int parse_port(const char *s, size_t len, unsigned int *port, struct swauth_error *err)
{
	unsigned long v = 0;
	size_t i;

	if (!len || len > 5)
		return swauth_error_set(err, -EINVAL, "port: '%.*s' is not a number from 1 to 65535",
					(int)len, s);
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return swauth_error_set(err, -EINVAL,
						"port: '%.*s' is not a number from 1 to 65535",
						(int)len, s);
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (!v || v > 65535)
		return swauth_error_set(err, -EINVAL, "port: '%.*s' is not a number from 1 to 65535",
					(int)len, s);
	*port = (unsigned int)v;
	return 0;
}

/**
 * swauth_url_hostport() - parse host[:port] or [v6][:port]
 * @s: the text, not NUL-terminated
 * @len: its length
 * @u: receives host (without brackets) and port (0 when none is given)
 * @err: names the part that is wrong
 *
 * Return: 0, -EINVAL, or -ENAMETOOLONG for a host too long.
 */
int swauth_url_hostport(const char *s, size_t len, struct swauth_url *u,
			struct swauth_error *err)
{
	const char *end = s + len, *colon, *close;
	size_t i, hlen;

	if (len && s[0] == '[') {
		close = memchr(s, ']', len);
		if (!close)
			return swauth_error_set(err, -EINVAL, "host: '[' without ']'");
		hlen = (size_t)(close - s - 1);
		for (i = 1; i <= hlen; i++)
			if (!isxdigit((unsigned char)s[i]) && s[i] != ':' && s[i] != '.')
				return swauth_error_set(err, -EINVAL,
							"host: '%.*s' is not an IPv6 address",
							(int)hlen, s + 1);
		if (hlen < 2)
			return swauth_error_set(err, -EINVAL, "host: empty IPv6 address");
		if (hlen >= sizeof(u->host))
			return swauth_error_set(err, -ENAMETOOLONG, "host: too long");
		memcpy(u->host, s + 1, hlen);
		u->host[hlen] = '\0';
		if (close + 1 == end)
			return 0;
		if (close[1] != ':')
			return swauth_error_set(err, -EINVAL, "host: unexpected '%c' after ']'",
						close[1]);
		return parse_port(close + 2, (size_t)(end - close - 2), &u->port, err);
	}
	colon = memchr(s, ':', len);
	hlen = colon ? (size_t)(colon - s) : len;
	if (!hlen)
		return swauth_error_set(err, -EINVAL, "host: missing");
	if (hlen >= sizeof(u->host))
		return swauth_error_set(err, -ENAMETOOLONG, "host: too long");
	for (i = 0; i < hlen; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.' && s[i] != '_')
			return swauth_error_set(err, -EINVAL, "host: '%.*s' is not a host name",
						(int)hlen, s);
	memcpy(u->host, s, hlen);
	u->host[hlen] = '\0';
	return colon ? parse_port(colon + 1, (size_t)(end - colon - 1), &u->port, err) : 0;
}

/**
 * swauth_url_authority() - split an authority: where it ends, its user and password
 * @s: what follows "SCHEME://"
 * @a: receives the parts
 *
 * The authority ends at the first '/' or at the end of @s; its userinfo
 * at its last '@', the user at the first ':' of the userinfo.
 */
void swauth_url_authority(const char *s, struct swauth_url_authority *a)
{
	a->len = strcspn(s, "/");
	a->at = memrchr(s, '@', a->len);
	a->colon = a->at ? memchr(s, ':', (size_t)(a->at - s)) : NULL;
}

/**
 * swauth_url_secret() - where the password is in a text that looks like a URL
 * @text: an argument, as written
 * @off: receives the password's offset in @text
 * @len: receives its length
 *
 * The authority starts after a leading "word:" (an RFC 3986 scheme) and
 * any '/' after it, so that "ftp:/u:p@h" and "ftp:u:p@h" count too, else
 * after the first "://". Nothing else is looked at: "flash:NAME" and plain
 * paths have no ':' before an '@' in that authority.
 *
 * Return: true when @text has a non-empty password.
 */
bool swauth_url_secret(const char *text, size_t *off, size_t *len)
{
	struct swauth_url_authority a;
	size_t n = strspn(text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
	const char *s;

	if (n && text[n] == ':') {
		s = text + n + 1;
		s += strspn(s, "/");
	} else {
		s = strstr(text, "://");
		if (!s)
			return false;
		s += 3;
	}
	swauth_url_authority(s, &a);
	if (!a.colon || a.colon + 1 == a.at)
		return false;
	*off = (size_t)(a.colon + 1 - text);
	*len = (size_t)(a.at - a.colon - 1);
	return true;
}

/**
 * swauth_url_redact() - a text that looks like a URL, as it may be shown
 * @text: as written
 * @buf: receives @text with its password (swauth_url_secret()) shown as '*'
 * @size: the size of @buf
 *
 * Return: @buf, for messages.
 */
const char *swauth_url_redact(const char *text, char *buf, size_t size)
{
	size_t off, len;

	if (swauth_url_secret(text, &off, &len))
		snprintf(buf, size, "%.*s*%s", (int)off, text, text + off + len);
	else
		snprintf(buf, size, "%s", text);
	return buf;
}

static int parse_authority(const char *s, const struct swauth_url_authority *a,
			   struct swauth_url *u, struct swauth_error *err)
{
	size_t len = a->len, ulen;
	int ret;

	if (a->at) {
		ulen = (size_t)(a->at - s);
		ret = decode("user", s, a->colon ? (size_t)(a->colon - s) : ulen, u->user,
			     sizeof(u->user), err);
		if (ret)
			return ret;
		if (!u->user[0])
			return swauth_error_set(err, -EINVAL, "user: empty before '@'");
		u->has_user = true;
		if (a->colon) {
			ret = decode("password", a->colon + 1, (size_t)(a->at - a->colon - 1),
				     u->pass, sizeof(u->pass), err);
			if (ret)
				return ret;
			u->has_pass = true;
		}
		len -= ulen + 1;
		s = a->at + 1;
	}
	return swauth_url_hostport(s, len, u, err);
}

/**
 * swauth_url_parse() - parse a source or destination of swcopy
 * @text: what the user wrote
 * @u: receives the parts; cleared first
 * @err: filled on failure, naming the part that is wrong
 *
 * "SCHEME:" alone gives an empty host and path, for the caller to ask.
 * Anything without "word:" in front, and the storage prefixes, is
 * SWAUTH_URL_FILE with @text as the path, unchanged.
 *
 * Return: 0, -EINVAL for a malformed URL, -ENAMETOOLONG for a part too long.
 */
int swauth_url_parse(const char *text, struct swauth_url *u, struct swauth_error *err)
{
	struct swauth_url_authority a;
	const char *colon, *rest, *slash;
	char shown[sizeof(u->path)];
	size_t i, n;
	int ret;

	memset(u, 0, sizeof(*u));
	swauth_url_redact(text, shown, sizeof(shown));
	for (i = 0; text[i]; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			return swauth_error_set(err, -EINVAL, "'%s': contains a control character",
						shown);
	colon = strchr(text, ':');
	n = colon ? (size_t)(colon - text) : 0;
	for (i = 0; i < n && (isalnum((unsigned char)text[i]) || text[i] == '+'); i++)
		;
	slash = strchr(text, '/');
	if (!colon || !n || i < n || (slash && slash < colon)) {
		if (!text[0])
			return swauth_error_set(err, -EINVAL, "empty file name");
		if (strlen(text) >= sizeof(u->path))
			return swauth_error_set(err, -ENAMETOOLONG, "'%s': too long", shown);
		u->scheme = SWAUTH_URL_FILE;
		strcpy(u->path, text);
		return 0;
	}
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strlen(schemes[i].name) == n && !strncasecmp(text, schemes[i].name, n))
			break;
	if (i == sizeof(schemes) / sizeof(schemes[0])) {
		if (strncmp(colon, "://", 3)) {
			/* flash:NAME and the like: the storage layer knows them. */
			if (strlen(text) >= sizeof(u->path))
				return swauth_error_set(err, -ENAMETOOLONG, "'%s': too long", shown);
			u->scheme = SWAUTH_URL_FILE;
			strcpy(u->path, text);
			return 0;
		}
		return swauth_error_set(err, -EINVAL,
					"'%.*s': unknown scheme (known: ftp, ftps, ftpes, tftp, http, https, scp)",
					(int)n, text);
	}
	u->scheme = schemes[i].scheme;
	rest = colon + 1;
	if (!*rest)
		return 0;
	if (strncmp(rest, "//", 2))
		return swauth_error_set(err, -EINVAL, "'%s': expected '%s://HOST/PATH' or '%s:'",
					shown, schemes[i].name, schemes[i].name);
	rest += 2;
	swauth_url_authority(rest, &a);
	slash = rest[a.len] ? rest + a.len : NULL;
	if (!a.len)
		return swauth_error_set(err, -EINVAL, "'%s': the host is missing", shown);
	ret = parse_authority(rest, &a, u, err);
	if (ret)
		return ret;
	if (u->has_user && (u->scheme == SWAUTH_URL_TFTP))
		return swauth_error_set(err, -EINVAL, "tftp has no user or password");
	if (!slash)
		return 0;
	return decode("path", slash, strlen(slash), u->path, sizeof(u->path), err);
}

/**
 * swauth_url_display() - the URL as it may be shown: no user, no password
 * @u: the URL
 * @buf: receives the text
 * @len: its size
 */
void swauth_url_display(const struct swauth_url *u, char *buf, size_t len)
{
	bool v6 = strchr(u->host, ':') != NULL;
	char port[16] = "";

	if (u->scheme == SWAUTH_URL_FILE) {
		snprintf(buf, len, "%s", u->path);
		return;
	}
	if (u->port)
		snprintf(port, sizeof(port), ":%u", u->port);
	snprintf(buf, len, "%s://%s%s%s%s%s", scheme_name(u->scheme), v6 ? "[" : "", u->host,
		 v6 ? "]" : "", port, u->path);
}
