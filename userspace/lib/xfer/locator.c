// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The image locator (lib/xfer.h; the seeds' IDA): one HTTPS POST of
 *
 *   username=USER&password=PASSWORD&image=IMAGE
 *
 * (application/x-www-form-urlencoded, every byte but A-Z a-z 0-9 - . _ ~
 * percent-encoded) to the locator URL, answered by 200 and a body of
 * exactly one line "url=URL", or by an error status whose body's first
 * line says why (not authorised, not registered). The protocol is
 * Documentation/swupgrade.rst's "Image locator".
 *
 * The password travels only in the request's body, over TLS to a server
 * whose certificate is trusted; it is never written into a message (a
 * server's words that repeat it are shown with "***" in its place), and
 * the request and the reply are wiped before they are freed. Redirects are
 * not followed: the credentials go to the configured URL and nowhere else.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "lib/xfer.h"

enum {
	WORDS_MAX = 200,	/* of an error reply's first line, shown */
};

struct locator_xfer {
	const char *host;	/* for messages */
	char body[SWAUTH_LOCATOR_REPLY_MAX + 1];
	size_t len;
	bool too_long;
	char curl_err[CURL_ERROR_SIZE];
};

static size_t on_data(char *buf, size_t size, size_t n, void *arg)
{
	struct locator_xfer *x = arg;
	size_t len = size * n;

	/* What fits is kept: a refusal's first line, for its message. */
	if (len > SWAUTH_LOCATOR_REPLY_MAX - x->len) {
		x->too_long = true;
		len = SWAUTH_LOCATOR_REPLY_MAX - x->len;
	}
	memcpy(x->body + x->len, buf, len);
	x->len += len;
	x->body[x->len] = '\0';
	return x->too_long ? CURL_WRITEFUNC_ERROR : len;
}

static int check_field(const char *what, const char *s, struct swauth_error *err)
{
	const unsigned char *p;

	if (!s || !*s)
		return swauth_error_set(err, -EINVAL, "locator: the %s is empty", what);
	if (strlen(s) > SWAUTH_LOCATOR_FIELD_MAX)
		return swauth_error_set(err, -EINVAL, "locator: the %s is longer than %d bytes", what,
					SWAUTH_LOCATOR_FIELD_MAX);
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return swauth_error_set(err, -EINVAL,
						"locator: the %s contains a control character", what);
	return 0;
}

static void put_field(FILE *f, const char *name, const char *value)
{
	const unsigned char *p;

	fprintf(f, "%s=", name);
	for (p = (const unsigned char *)value; *p; p++) {
		if (isalnum(*p) || strchr("-._~", *p))
			fputc(*p, f);
		else
			fprintf(f, "%%%02X", *p);
	}
}

/* The request's body, malloc'ed; the caller wipes it. */
static char *form(const struct swauth_locator *l, size_t *len)
{
	char *body = NULL;
	FILE *f;

	f = open_memstream(&body, len);
	if (!f)
		return NULL;
	put_field(f, "username", l->username);
	fputc('&', f);
	put_field(f, "password", l->password);
	fputc('&', f);
	put_field(f, "image", l->image);
	if (ferror(f) | fclose(f)) {
		if (body)
			explicit_bzero(body, *len);
		free(body);
		return NULL;
	}
	return body;
}

/*
 * An error reply's first line, at most WORDS_MAX bytes, with the password
 * replaced by "***" wherever it appears, escaped.
 */
static void server_words(const struct locator_xfer *x, const char *password, char *out,
			 size_t out_len)
{
	char line[WORDS_MAX + 1], shown[WORDS_MAX * 3 + 1];
	size_t len = strcspn(x->body, "\r\n"), pw = strlen(password), i = 0, o = 0;

	if (len > WORDS_MAX)
		len = WORDS_MAX;
	memcpy(line, x->body, len);
	line[len] = '\0';
	while (i < len) {
		if (pw && !strncmp(line + i, password, pw)) {
			memcpy(shown + o, "***", 3);
			o += 3;
			i += pw;
		} else {
			shown[o++] = line[i++];
		}
	}
	swauth_escape(out, out_len, shown, o);
	explicit_bzero(line, sizeof(line));
	explicit_bzero(shown, sizeof(shown));
}

static int status_error(const struct locator_xfer *x, long status, const char *password,
			struct swauth_error *err)
{
	char words[WORDS_MAX * 4 + 1];
	int code;

	if (status >= 300 && status < 400)
		return swauth_error_set(err, -EPROTO,
					"locator %s answered %ld, a redirect, which is not followed: set locator-url to the locator itself",
					x->host, status);
	if (status == 401 || status == 403)
		code = -EACCES;
	else if (status == 404 || status == 410)
		code = -ENOENT;
	else if (status >= 400)
		code = -EIO;
	else
		return swauth_error_set(err, -EPROTO, "locator %s answered %ld, not 200", x->host,
					status);
	server_words(x, password, words, sizeof(words));
	if (!words[0])
		return swauth_error_set(err, code, "locator %s refused (HTTP status %ld)", x->host,
					status);
	return swauth_error_set(err, code, "locator %s refused (HTTP status %ld): %s", x->host,
				status, words);
}

/* The one line "url=URL" of a usable download URL, into @url. */
static int parse_reply(const struct locator_xfer *x, char *url, size_t url_len,
		       struct swauth_error *err)
{
	const char *value = x->body + 4, *end;
	char shown[SWAUTH_LOCATOR_REPLY_MAX];
	struct swauth_error why;
	struct swauth_url u;
	size_t len;

	if (x->len < 4 || memcmp(x->body, "url=", 4) || memchr(x->body, '\0', x->len))
		return swauth_error_set(err, -EPROTO,
					"locator %s: the reply is not the line \"url=URL\"", x->host);
	len = strcspn(value, "\r\n");
	end = value + len;
	if (!strcmp(end, "\r\n") || !strcmp(end, "\n"))
		end = x->body + x->len;
	if (end != x->body + x->len)
		return swauth_error_set(err, -EPROTO,
					"locator %s: the reply has more than the one line \"url=URL\"",
					x->host);
	for (end = value; end < value + len; end++)
		if ((unsigned char)*end <= 0x20 || (unsigned char)*end >= 0x7f)
			return swauth_error_set(err, -EPROTO,
						"locator %s: the URL contains a blank, control or non-ASCII byte",
						x->host);
	if (!len || len >= url_len)
		return swauth_error_set(err, -EPROTO, "locator %s: the URL is empty or too long",
					x->host);
	memcpy(url, value, len);
	url[len] = '\0';
	swauth_url_redact(url, shown, sizeof(shown));
	if (swauth_url_parse(url, &u, &why))
		return swauth_error_set(err, -EPROTO, "locator %s: unusable URL: %s", x->host,
					why.msg);
	explicit_bzero(u.pass, sizeof(u.pass));
	if (u.scheme == SWAUTH_URL_FILE || !u.host[0])
		return swauth_error_set(err, -EPROTO,
					"locator %s: \"%s\" is not an ftp, ftps, ftpes, tftp, http, https or scp URL with a host",
					x->host, shown);
	if (!u.path[1] || u.path[strlen(u.path) - 1] == '/')
		return swauth_error_set(err, -EPROTO, "locator %s: \"%s\" does not name a file",
					x->host, shown);
	return 0;
}

static int curl_error(const struct locator_xfer *x, CURL *curl, CURLcode rc,
		      unsigned int timeout_ms, struct swauth_error *err)
{
	char why[CURL_ERROR_SIZE];
	long os_errno = 0;

	swauth_escape(why, sizeof(why), x->curl_err[0] ? x->curl_err : curl_easy_strerror(rc),
		      SIZE_MAX);
	if (x->too_long)
		return swauth_error_set(err, -EPROTO, "locator %s: the reply is longer than %d bytes",
					x->host, SWAUTH_LOCATOR_REPLY_MAX);
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
		if (os_errno == ECONNREFUSED)
			return swauth_error_set(err, -ECONNREFUSED, "locator %s: connection refused",
						x->host);
		return swauth_error_set(err, -EHOSTUNREACH, "locator %s: %s", x->host, why);
	case CURLE_COULDNT_RESOLVE_HOST:
		return swauth_error_set(err, -EHOSTUNREACH, "locator %s: %s", x->host, why);
	case CURLE_OPERATION_TIMEDOUT:
		return swauth_error_set(err, -ETIMEDOUT, "locator %s: no answer within %u ms",
					x->host, timeout_ms);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return swauth_error_set(err, -EKEYREJECTED, "locator %s cannot be trusted: %s",
					x->host, why);
	default:
		return swauth_error_set(err, -EPROTO, "locator %s: %s", x->host, why);
	}
}

/**
 * swauth_locator_check_url() - check a locator-url setting
 * @url: the locator's URL: https://HOST[:PORT]/PATH, no user, password or fragment
 * @u: receives it parsed
 * @err: says what is wrong
 *
 * Return: 0 or -EINVAL.
 */
int swauth_locator_check_url(const char *url, struct swauth_url *u, struct swauth_error *err)
{
	struct swauth_error why;

	if (!url || swauth_url_parse(url, u, &why))
		return swauth_error_set(err, -EINVAL, "locator-url: %s",
					url ? why.msg : "not set");
	if (u->scheme != SWAUTH_URL_HTTPS || !u->host[0])
		return swauth_error_set(err, -EINVAL,
					"locator-url: must be https://HOST/PATH: the password travels in the request");
	if (u->has_user)
		return swauth_error_set(err, -EINVAL,
					"locator-url: must not hold a user or password");
	if (strchr(url, '#'))
		return swauth_error_set(err, -EINVAL, "locator-url: must not hold a fragment (#)");
	return 0;
}

static int check_request(const struct swauth_locator *l, struct swauth_url *u,
			 struct swauth_error *err)
{
	int ret = swauth_locator_check_url(l->url, u, err);

	if (!ret)
		ret = check_field("user name", l->username, err);
	if (!ret)
		ret = check_field("password", l->password, err);
	if (!ret)
		ret = check_field("image name", l->image, err);
	return ret;
}

static int post(const struct swauth_locator *l, struct locator_xfer *x, const char *body,
		size_t len, char *url, size_t url_len, struct swauth_error *err)
{
	unsigned int timeout_ms = l->timeout_ms ? l->timeout_ms : SWAUTH_LOCATOR_TIMEOUT_MS;
	struct curl_slist *headers = NULL, *h;
	long status = 0;
	CURLcode rc;
	CURL *curl;
	int ret;

	curl = curl_easy_init();
	h = curl_slist_append(NULL, "Content-Type: application/x-www-form-urlencoded");
	headers = h ? curl_slist_append(h, "Accept: text/plain") : NULL;
	/* The body goes with the request: no 100-continue round trip. */
	h = headers ? curl_slist_append(headers, "Expect:") : NULL;
	if (!curl || !h) {
		curl_slist_free_all(headers ? headers : h);
		curl_easy_cleanup(curl);
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	curl_easy_setopt(curl, CURLOPT_URL, l->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, x->curl_err);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, x);
	if (l->ca_file)
		curl_easy_setopt(curl, CURLOPT_CAINFO, l->ca_file);
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	/* A refusal's long page: its first line is still the locator's words. */
	if (rc != CURLE_OK && !(x->too_long && status && status != 200))
		ret = curl_error(x, curl, rc, timeout_ms, err);
	else if (status == 200)
		ret = parse_reply(x, url, url_len, err);
	else
		ret = status_error(x, status, l->password, err);
	curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	return ret;
}

/**
 * swauth_locator_get() - ask the image locator where an image is
 * @l: the locator's URL and CAs, the credentials, the image's name and
 *     how long the whole exchange may take
 * @url: receives the download URL, as the locator gave it (it may hold
 *       a user and password of its own: show it through swauth_url_redact())
 * @len: its size; SWAUTH_LOCATOR_REPLY_MAX holds any
 * @err: why it failed; never holds the password
 *
 * Posts the credentials and the image name (see the top of this file),
 * following no redirect, and checks the reply strictly: status 200, a body
 * of at most SWAUTH_LOCATOR_REPLY_MAX bytes that is exactly "url=URL" with
 * an optional line end, and a URL that swauth_url_parse() takes, with a
 * host and a file, of the schemes ftp, ftps, ftpes, tftp, http, https or
 * scp. An error status is reported with the first line of its body,
 * escaped, at most 200 bytes.
 *
 * Return: 0, or an error listed in xfer.h's locator section.
 */
int swauth_locator_get(const struct swauth_locator *l, char *url, size_t len,
		       struct swauth_error *err)
{
	struct locator_xfer *x;
	struct swauth_url u;
	size_t body_len;
	char *body;
	int ret;

	if (len)
		url[0] = '\0';
	ret = check_request(l, &u, err);
	if (ret)
		return ret;
	x = calloc(1, sizeof(*x));
	body = x ? form(l, &body_len) : NULL;
	if (!body) {
		free(x);
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	x->host = u.host;
	ret = post(l, x, body, body_len, url, len, err);
	if (ret && len)
		url[0] = '\0';
	explicit_bzero(body, body_len);
	free(body);
	explicit_bzero(x, sizeof(*x));
	free(x);
	return ret;
}
