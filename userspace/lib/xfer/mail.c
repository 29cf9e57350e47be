// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * A status mail through libcurl's SMTP (lib/xfer.h). This file checks
 * every field, builds the whole RFC 5322 message itself and hands it to
 * libcurl, which speaks SMTP: EHLO, MAIL FROM, RCPT TO, DATA, with the
 * dot-stuffing of RFC 5321 4.5.2 (a line that starts with '.' is sent
 * with one more).
 *
 * Nothing a caller passes can add a header or a recipient: the addresses
 * are one dot-atom local@domain each (no blank, no '<', ',' or quote, no
 * line break), the subject is printable ASCII without line breaks, and the
 * body is quoted-printable (RFC 2045 6.7), so that every line sent is
 * short, ASCII and ends in CRLF whatever the text holds.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "lib/xfer.h"

enum {
	LOCAL_PART_MAX = 64,	/* RFC 5321 4.5.3.1.1 */
	LABEL_MAX = 63,		/* RFC 1035 2.3.4 */
	QP_LINE_MAX = 76,	/* RFC 2045 6.7 (5), with the soft break's '=' */
	SMTP_PORT = 25,
	SMTPS_PORT = 465,
};

struct mail_server {
	bool tls;		/* smtps:// */
	struct swauth_url u;	/* host and port */
};

/* What a dot-atom may hold besides letters, digits and dots (RFC 5322 3.2.3). */
static bool is_atext(unsigned char c)
{
	return isalnum(c) || strchr("!#$%&'*+-/=?^_`{|}~", c);
}

/* Labels of letters, digits and '-', none starting or ending with '-'. */
static int check_domain(const char *what, const char *d, struct swauth_error *err)
{
	size_t label = 0, len = strlen(d), i;

	if (!len || len > SWAUTH_URL_HOST_MAX - 3)
		return swauth_error_set(err, -EINVAL, "%s: the domain after @ must be 1 to %d bytes",
					what, SWAUTH_URL_HOST_MAX - 3);
	for (i = 0; i <= len; i++) {
		if (i == len || d[i] == '.') {
			if (!label || label > LABEL_MAX || d[i - 1] == '-' ||
			    d[i - label] == '-')
				return swauth_error_set(err, -EINVAL,
							"%s: \"%s\" is not a domain name (labels of 1 to %d letters, digits or '-', separated by dots)",
							what, d, LABEL_MAX);
			label = 0;
		} else if (isalnum((unsigned char)d[i]) || d[i] == '-') {
			label++;
		} else {
			return swauth_error_set(err, -EINVAL,
						"%s: '%c' is not allowed in the domain \"%s\"",
						what, d[i], d);
		}
	}
	return 0;
}

/**
 * swauth_mail_check_addr() - check one mail address
 * @what: what the address is, for the message ("recipient", "sender")
 * @addr: the address: local@domain, nothing else
 * @err: says what is wrong
 *
 * One address as RFC 5321 sends it, without a display name or angle
 * brackets: a dot-atom local part of at most 64 bytes, one '@', and a host
 * name, at most SWAUTH_MAIL_ADDR_MAX bytes in all. Line breaks, blanks,
 * control and non-ASCII bytes are refused first, each with its own message.
 *
 * Return: 0, or -EINVAL.
 */
int swauth_mail_check_addr(const char *what, const char *addr, struct swauth_error *err)
{
	const unsigned char *p;
	const char *at;
	size_t local;

	if (!addr || !*addr)
		return swauth_error_set(err, -EINVAL, "%s: the address is empty", what);
	for (p = (const unsigned char *)addr; *p; p++) {
		if (*p == '\r' || *p == '\n')
			return swauth_error_set(err, -EINVAL,
						"%s: the address contains a line break (CR or LF)", what);
		if (*p == ' ' || *p == '\t')
			return swauth_error_set(err, -EINVAL,
						"%s: the address contains a blank: give one address, local@domain, without a name or <>",
						what);
		if (*p < 0x20 || *p >= 0x7f)
			return swauth_error_set(err, -EINVAL,
						"%s: the address contains a control or non-ASCII byte (0x%02x)",
						what, *p);
	}
	if (strlen(addr) > SWAUTH_MAIL_ADDR_MAX)
		return swauth_error_set(err, -EINVAL, "%s: the address is longer than %d bytes",
					what, SWAUTH_MAIL_ADDR_MAX);
	at = strchr(addr, '@');
	if (!at || strchr(at + 1, '@'))
		return swauth_error_set(err, -EINVAL, "%s: \"%s\" must contain exactly one @",
					what, addr);
	local = (size_t)(at - addr);
	if (!local || local > LOCAL_PART_MAX)
		return swauth_error_set(err, -EINVAL,
					"%s: \"%s\": the part before @ must be 1 to %d bytes", what,
					addr, LOCAL_PART_MAX);
	if (addr[0] == '.' || at[-1] == '.' || memmem(addr, local, "..", 2))
		return swauth_error_set(err, -EINVAL,
					"%s: \"%s\": a dot cannot start or end the part before @, or follow another",
					what, addr);
	for (p = (const unsigned char *)addr; p < (const unsigned char *)at; p++)
		if (*p != '.' && !is_atext(*p))
			return swauth_error_set(err, -EINVAL,
						"%s: '%c' is not allowed before the @ (letters, digits and .!#$%%&'*+-/=?^_`{|}~ only)",
						what, *p);
	return check_domain(what, at + 1, err);
}

static int parse_server(const char *server, struct mail_server *ms, struct swauth_error *err)
{
	struct swauth_error why;
	const char *s = server;
	size_t len;

	memset(ms, 0, sizeof(*ms));
	if (!s || !*s)
		return swauth_error_set(err, -EINVAL, "smtp-server: empty");
	if (!strncasecmp(s, "smtps://", 8)) {
		ms->tls = true;
		s += 8;
	} else if (!strncasecmp(s, "smtp://", 7)) {
		s += 7;
	} else if (strstr(s, "://")) {
		return swauth_error_set(err, -EINVAL,
					"smtp-server: only smtp:// and smtps:// (or a bare HOST[:PORT])");
	}
	len = strlen(s);
	if (len && s[len - 1] == '/')
		len--;
	if (memchr(s, '/', len) || memchr(s, '@', len))
		return swauth_error_set(err, -EINVAL,
					"smtp-server: \"%.*s\": give HOST[:PORT] only, no path or user",
					(int)len, s);
	if (swauth_url_hostport(s, len, &ms->u, &why))
		return swauth_error_set(err, why.code, "smtp-server: %s", why.msg);
	if (!ms->u.port)
		ms->u.port = ms->tls ? SMTPS_PORT : SMTP_PORT;
	return 0;
}

/**
 * swauth_mail_check_server() - check an smtp-server setting
 * @server: HOST, HOST:PORT, smtp://HOST[:PORT] or smtps://HOST[:PORT],
 *          with an optional '/' at the end; HOST a name, an IPv4 address
 *          or an [IPv6] address
 * @err: says what is wrong
 *
 * Return: 0, -EINVAL or -ENAMETOOLONG.
 */
int swauth_mail_check_server(const char *server, struct swauth_error *err)
{
	struct mail_server ms;

	return parse_server(server, &ms, err);
}

static int check_subject(const char *subject, struct swauth_error *err)
{
	const unsigned char *p;

	if (!subject)
		return swauth_error_set(err, -EINVAL, "subject: missing");
	for (p = (const unsigned char *)subject; *p; p++) {
		if (*p == '\r' || *p == '\n')
			return swauth_error_set(err, -EINVAL,
						"subject: contains a line break (CR or LF), which would start a new header");
		if (*p < 0x20 || *p >= 0x7f)
			return swauth_error_set(err, -EINVAL,
						"subject: contains a control or non-ASCII byte (0x%02x): printable ASCII only",
						*p);
	}
	if (strlen(subject) > SWAUTH_MAIL_SUBJECT_MAX)
		return swauth_error_set(err, -EINVAL, "subject: longer than %d bytes",
					SWAUTH_MAIL_SUBJECT_MAX);
	return 0;
}

/* This host's name for the sender and EHLO, when it is a usable one. */
static void host_name(char *buf, size_t len)
{
	struct swauth_error ignored;

	if (gethostname(buf, len))
		buf[0] = '\0';
	buf[len - 1] = '\0';
	if (!buf[0] || check_domain("host", buf, &ignored))
		snprintf(buf, len, "localhost");
}

/* RFC 5322 3.3, with English names whatever the locale. */
static void put_date(FILE *f)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t now = time(NULL);
	struct tm tm;
	long off;

	localtime_r(&now, &tm);
	off = tm.tm_gmtoff / 60;
	fprintf(f, "Date: %s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld\r\n", days[tm.tm_wday],
		tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

/* A line ends at LF or CRLF. */
static bool line_end(const char *p)
{
	return !*p || *p == '\n' || (p[0] == '\r' && p[1] == '\n');
}

/* The body, quoted-printable (RFC 2045 6.7), in CRLF lines. */
static void put_body(FILE *f, const char *body)
{
	const unsigned char *p;
	size_t col = 0, width;
	bool literal;

	for (p = (const unsigned char *)body; *p; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		if (*p == '\n') {
			fputs("\r\n", f);
			col = 0;
			continue;
		}
		/* A blank that ends a line would be lost on the way: encoded. */
		literal = (*p > 0x20 && *p < 0x7f && *p != '=') ||
			  ((*p == ' ' || *p == '\t') && !line_end((const char *)p + 1));
		width = literal ? 1 : 3;
		if (col + width > QP_LINE_MAX - 1) {
			fputs("=\r\n", f);
			col = 0;
		}
		if (literal)
			fputc(*p, f);
		else
			fprintf(f, "=%02X", *p);
		col += width;
	}
	if (col)
		fputs("\r\n", f);
}

/* The whole message, malloc'ed in *msg. */
static int build_message(const struct swauth_mail *m, const char *from, char **msg,
			 size_t *len, struct swauth_error *err)
{
	unsigned char id[16];
	size_t i;
	FILE *f;

	if (getrandom(id, sizeof(id), 0) != (ssize_t)sizeof(id))
		return swauth_error_set(err, -EIO, "no random bytes for the Message-ID");
	f = open_memstream(msg, len);
	if (!f)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	put_date(f);
	fprintf(f, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <", from, m->to, m->subject);
	for (i = 0; i < sizeof(id); i++)
		fprintf(f, "%02x", id[i]);
	fprintf(f, "@%s>\r\nMIME-Version: 1.0\r\n"
		"Content-Type: text/plain; charset=utf-8\r\n"
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n", strchr(from, '@') + 1);
	put_body(f, m->body);
	if (ferror(f) | fclose(f)) {
		free(*msg);
		*msg = NULL;
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

struct mail_xfer {
	const char *msg;
	size_t left;
	char reply[SWAUTH_REPLY_MAX];	/* the last reply, when it refused: escaped */
	char curl_err[CURL_ERROR_SIZE];
};

static size_t on_read(char *buf, size_t size, size_t n, void *arg)
{
	struct mail_xfer *x = arg;
	size_t len = size * n < x->left ? size * n : x->left;

	memcpy(buf, x->msg, len);
	x->msg += len;
	x->left -= len;
	return len;
}

/*
 * libcurl shows the server's replies only to a debug callback (SMTP has no
 * header callback), a chunk of whole lines at a time: the last line of a
 * refusal (4xx, 5xx) is kept, escaped, and any other reply but the
 * 221 to the QUIT that follows a refusal forgets it.
 */
static int on_debug(CURL *curl, curl_infotype type, char *buf, size_t size, void *arg)
{
	struct mail_xfer *x = arg;
	size_t len;

	(void)curl;
	if (type != CURLINFO_HEADER_IN)
		return 0;
	while (size) {
		len = 0;
		while (len < size && buf[len] != '\n')
			len++;
		if (len >= 4 && isdigit((unsigned char)buf[0]) && buf[3] == ' ') {
			size_t end = len;

			while (end && buf[end - 1] == '\r')
				end--;
			if (buf[0] == '4' || buf[0] == '5')
				swauth_escape(x->reply, sizeof(x->reply), buf, end);
			else if (memcmp(buf, "221", 3))
				x->reply[0] = '\0';
		}
		if (len < size)
			len++;
		buf += len;
		size -= len;
	}
	return 0;
}

static int mail_error(const struct mail_xfer *x, CURL *curl, const struct mail_server *ms,
		      unsigned int timeout_ms, CURLcode rc, struct swauth_error *err)
{
	const char *host = ms->u.host;
	char why[CURL_ERROR_SIZE];
	long os_errno = 0;

	swauth_escape(why, sizeof(why), x->curl_err[0] ? x->curl_err : curl_easy_strerror(rc),
		      SIZE_MAX);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return swauth_error_set(err, -ETIMEDOUT, "mail server %s: no answer within %u ms",
					host, timeout_ms);
	if (x->reply[0] == '5')
		return swauth_error_set(err, -EACCES, "mail server %s refused the mail: %s", host,
					x->reply);
	if (x->reply[0] == '4')
		return swauth_error_set(err, -EAGAIN,
					"mail server %s refused the mail for now: %s", host,
					x->reply);
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
		if (os_errno == ECONNREFUSED)
			return swauth_error_set(err, -ECONNREFUSED,
						"mail server %s port %u: connection refused", host,
						ms->u.port);
		return swauth_error_set(err, -EHOSTUNREACH, "mail server %s: %s", host, why);
	case CURLE_COULDNT_RESOLVE_HOST:
		return swauth_error_set(err, -EHOSTUNREACH, "mail server %s: %s", host, why);
	case CURLE_USE_SSL_FAILED:
		return swauth_error_set(err, -EPROTO,
					"mail server %s does not offer STARTTLS: nothing was sent", host);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return swauth_error_set(err, -EKEYREJECTED, "mail server %s cannot be trusted: %s",
					host, why);
	case CURLE_LOGIN_DENIED:
		return swauth_error_set(err, -EACCES, "mail server %s: %s", host, why);
	default:
		return swauth_error_set(err, -EPROTO, "mail server %s: %s", host, why);
	}
}

static int send_message(const struct swauth_mail *m, const struct mail_server *ms,
			const char *from, const char *msg, size_t len, struct swauth_error *err)
{
	unsigned int timeout_ms = m->timeout_ms ? m->timeout_ms : SWAUTH_MAIL_TIMEOUT_MS;
	struct mail_xfer x = { .msg = msg, .left = len };
	bool v6 = strchr(ms->u.host, ':') != NULL;
	struct curl_slist *rcpt = NULL;
	char url[SWAUTH_URL_HOST_MAX * 2 + 32], ehlo[SWAUTH_URL_HOST_MAX];
	char path[SWAUTH_MAIL_ADDR_MAX + 3];
	CURLcode rc;
	CURL *curl;
	int ret;

	host_name(ehlo, sizeof(ehlo));
	snprintf(url, sizeof(url), "%s://%s%s%s:%u/%s", ms->tls ? "smtps" : "smtp", v6 ? "[" : "",
		 ms->u.host, v6 ? "]" : "", ms->u.port, ehlo);
	curl = curl_easy_init();
	if (!curl)
		return swauth_error_set(err, -ENOMEM, "libcurl cannot start a transfer");
	snprintf(path, sizeof(path), "<%s>", m->to);
	rcpt = curl_slist_append(NULL, path);
	if (!rcpt) {
		curl_easy_cleanup(curl);
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	snprintf(path, sizeof(path), "<%s>", from);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, ms->tls ? "smtps" : "smtp");
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, x.curl_err);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, path);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &x);
	curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &x);
	curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
	if (m->starttls && !ms->tls)
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (m->ca_file)
		curl_easy_setopt(curl, CURLOPT_CAINFO, m->ca_file);
	rc = curl_easy_perform(curl);
	ret = rc == CURLE_OK ? 0 : mail_error(&x, curl, ms, timeout_ms, rc, err);
	curl_easy_cleanup(curl);
	curl_slist_free_all(rcpt);
	return ret;
}

/**
 * swauth_mail_send() - send one status mail
 * @m: the server, the addresses, the subject and the body, and how long
 *     the whole exchange may take
 * @err: why it failed
 *
 * Checks every field first (swauth_mail_check_server(),
 * swauth_mail_check_addr(), a subject of printable ASCII, a body of at
 * most SWAUTH_MAIL_BODY_MAX bytes), then sends a message with the
 * headers Date, From, To, Subject, Message-ID, MIME-Version and
 * Content-Type (text/plain; charset=utf-8) and the body quoted-printable.
 * With m->starttls or smtps://, the server's certificate must be trusted.
 *
 * Return: 0 once the server accepted the mail; -EINVAL for a field, before
 * any connection; -ECONNREFUSED, -EHOSTUNREACH, -ETIMEDOUT; -EACCES or
 * -EAGAIN with the server's reply when it refused (5xx, 4xx);
 * -EKEYREJECTED for an untrusted certificate; -EPROTO for a server
 * without STARTTLS when it was required, or one that broke SMTP.
 */
int swauth_mail_send(const struct swauth_mail *m, struct swauth_error *err)
{
	char from[SWAUTH_MAIL_ADDR_MAX + 1];
	struct mail_server ms;
	size_t len;
	char *msg;
	int ret;

	ret = parse_server(m->server, &ms, err);
	if (ret)
		return ret;
	ret = swauth_mail_check_addr("recipient", m->to, err);
	if (ret)
		return ret;
	if (m->from) {
		ret = swauth_mail_check_addr("sender", m->from, err);
		if (ret)
			return ret;
		snprintf(from, sizeof(from), "%s", m->from);
	} else {
		char host[SWAUTH_MAIL_ADDR_MAX - 10];

		host_name(host, sizeof(host));
		snprintf(from, sizeof(from), "swupgrade@%s", host);
	}
	ret = check_subject(m->subject, err);
	if (ret)
		return ret;
	if (!m->body || strlen(m->body) > SWAUTH_MAIL_BODY_MAX)
		return swauth_error_set(err, -EINVAL, "body: missing, or longer than %d bytes",
					SWAUTH_MAIL_BODY_MAX);
	ret = build_message(m, from, &msg, &len, err);
	if (ret)
		return ret;
	ret = send_message(m, &ms, from, msg, len, err);
	free(msg);
	return ret;
}
