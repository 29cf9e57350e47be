// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * FTP, HTTP(S) and SCP transfers through libcurl (lib/xfer.h). libcurl
 * does the protocols; this file builds the URL from the parsed one (the
 * path percent-encoded, the credentials passed as options so that they
 * never appear in a URL), turns libcurl's codes and the server's own text
 * into the errors of xfer.h, and feeds a download to the sink.
 *
 * A dead server is noticed from two settings: opts->timeout_ms times
 * opts->retries bounds the TCP connect and a silent FTP or SSH server, and
 * timeout_ms times (retries + 1) without a new byte received or sent (a
 * reply, a header, the file) is a stalled transfer, the budget the TFTP
 * client spends on one packet and its retransmissions. perform() runs
 * libcurl's multi interface so that this clock, and opts->deadline_s, are
 * ours: libcurl's CURLOPT_LOW_SPEED_* is an average over whole seconds,
 * which a server that trickles one byte a second satisfies forever.
 *
 * FTP over TLS: ftps:// is implicit TLS; ftpes:// is ftp:// that must
 * switch to TLS (AUTH TLS) for the login and the data, or fail.
 *
 * A download of known size (HTTP Content-Length, FTP SIZE) that is cut
 * resumes where the sink's bytes end, at most opts->retries times and only
 * after an attempt that brought new bytes: HTTP asks for the rest with
 * Range and If-Range and takes only a 206 whose Content-Range continues
 * the same file; FTP sends REST and wants the same SIZE. The sink sees one
 * stream, as if nothing had happened; the stall clock and the deadline run
 * across the attempts.
 */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <time.h>

#include <curl/curl.h>

#include "lib/xfer.h"

enum {
	DEFAULT_TIMEOUT_MS = 2000,
	DEFAULT_RETRIES = 5,
	MAX_REDIRECTS = 5,
	/*
	 * libcurl reads 16 KiB at a time by default: a system call and a
	 * sink call per 16 KiB cost a tenth of the throughput over loopback.
	 */
	RECV_BUFFER = 512 * 1024,
	SEND_BUFFER = 2 * 1024 * 1024,	/* the largest upload buffer libcurl takes */
	PROGRESS_STEP = 1024 * 1024,	/* a download reports at least this often */
	POLL_MS = 50,			/* how often the stall clock is looked at */
};

struct xfer {
	CURL *curl;
	const struct swauth_url *u;
	const struct swauth_xfer_opts *o;
	struct swauth_sink *sink;
	int sink_ret;		/* what the sink returned when it stopped us */
	bool sized;		/* sink->size() called */
	bool http_failed;	/* a download's HTTP status was not 200 */
	struct swauth_reply hdr;	/* what the server's lines said */
	struct curl_slist *prequote;	/* FTP: the SIZE command */
	struct curl_slist *if_range;	/* HTTP resumes: the If-Range header */
	/* Download: the first response's validators, escaped, or "". */
	char etag[SWAUTH_REPLY_MAX], last_modified[SWAUTH_REPLY_MAX];
	bool checked;		/* this attempt's response was looked at */
	bool resumable;		/* a size known and framed: a cut can resume */
	bool cut;		/* this attempt was cut */
	uint64_t offset;	/* where this attempt started: the bytes before */
	unsigned int resumes;
	struct swauth_error stop;	/* why a resumed reply was refused */
	int fd;			/* upload source */
	int read_errno;		/* upload: read(2) failed */
	uint64_t last_progress;
	uint64_t received, total;	/* download: bytes so far; announced size or 0 */
	uint64_t moved;		/* bytes of replies, headers and data, both ways */
	bool stalled;		/* given up: no progress (see the top of this file) */
	bool past_deadline;	/* given up: opts->deadline_s passed */
	unsigned long stall_ms;
	long long start_ms, last_ms;	/* the clocks: the start, the last progress */
	uint64_t seen;		/* bytes moved at last_ms */
	char curl_err[CURL_ERROR_SIZE];
};

static const char *scheme_name(enum swauth_url_scheme s)
{
	switch (s) {
	case SWAUTH_URL_FTP:
	case SWAUTH_URL_FTPES:
		return "ftp";
	case SWAUTH_URL_FTPS:
		return "ftps";
	case SWAUTH_URL_HTTP:
		return "http";
	case SWAUTH_URL_HTTPS:
		return "https";
	case SWAUTH_URL_SCP:
		return "scp";
	default:
		return NULL;
	}
}

static bool is_unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* A host libcurl must read as a host and nothing else: name, IPv4 or IPv6. */
static bool host_valid(const char *host)
{
	const char *p;

	if (!*host)
		return false;
	for (p = host; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-._:", *p))
			return false;
	return true;
}

/*
 * scheme://host[:port]/path with every byte of the path but the unreserved
 * ones and '/' percent-encoded. Returns a malloc'ed string or NULL.
 */
static char *build_url(const struct swauth_url *u, struct swauth_error *err)
{
	const char *scheme = scheme_name(u->scheme);
	bool v6 = strchr(u->host, ':') != NULL;
	size_t len, off;
	const char *p;
	char *url;

	if (!scheme) {
		swauth_error_set(err, -EINVAL,
				 "libcurl transfers are for ftp, ftps, ftpes, http, https and scp URLs only");
		return NULL;
	}
	if (!host_valid(u->host)) {
		swauth_error_set(err, -EINVAL, "%s URL: invalid host \"%s\"", scheme, u->host);
		return NULL;
	}
	if (u->port > 65535) {
		swauth_error_set(err, -EINVAL, "%s URL: port %u is out of range (1-65535)",
				 scheme, u->port);
		return NULL;
	}
	if (u->path[0] != '/' || !u->path[1] || u->path[strlen(u->path) - 1] == '/') {
		swauth_error_set(err, -EINVAL, "%s URL: \"%s\" does not name a file", scheme,
				 u->path);
		return NULL;
	}
	len = strlen(scheme) + strlen(u->host) + 3 * strlen(u->path) + 16;
	url = malloc(len);
	if (!url) {
		swauth_error_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	off = (size_t)snprintf(url, len, "%s://%s%s%s", scheme, v6 ? "[" : "", u->host,
			       v6 ? "]" : "");
	if (u->port)
		off += (size_t)snprintf(url + off, len - off, ":%u", u->port);
	for (p = u->path; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (is_unreserved(c) || c == '/')
			url[off++] = (char)c;
		else
			off += (size_t)snprintf(url + off, len - off, "%%%02X", c);
	}
	url[off] = '\0';
	return url;
}

/* The server's words, without blanks before or the line end, escaped (lib/error.h). */
static void keep_text(char *dst, size_t dst_len, const char *line, size_t len)
{
	while (len && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	swauth_escape(dst, dst_len, line, len);
}

static bool http_scheme(const struct xfer *x)
{
	return x->u->scheme == SWAUTH_URL_HTTP || x->u->scheme == SWAUTH_URL_HTTPS;
}

static bool is_ftp(enum swauth_url_scheme s)
{
	return s == SWAUTH_URL_FTP || s == SWAUTH_URL_FTPS || s == SWAUTH_URL_FTPES;
}

static bool ftp_scheme(const struct xfer *x)
{
	return is_ftp(x->u->scheme);
}

/* A decimal number and nothing else: no sign, no base, no trailing bytes. */
static bool parse_size(const char *s, size_t len, uint64_t *v)
{
	uint64_t n = 0;
	size_t i;

	if (!len || len > 19)
		return false;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		n = n * 10 + (uint64_t)(s[i] - '0');
	}
	*v = n;
	return true;
}

/* A header's value without the blanks around it and the line end. */
static void trim(const char **value, size_t *len)
{
	while (*len && (**value == ' ' || **value == '\t')) {
		(*value)++;
		(*len)--;
	}
	while (*len && strchr(" \t\r\n", (*value)[*len - 1]))
		(*len)--;
}

/*
 * A Content-Length that is not one decimal number, or two that differ, is
 * invalid framing (RFC 9112 section 6.3): where the body ends is unknown.
 * libcurl takes "12abc" as 12 and "0x10" as 0. Returns false, with x->hdr.bad
 * set, on such a header.
 */
static bool check_content_length(struct swauth_reply *r, const char *value, size_t len)
{
	char text[SWAUTH_REPLY_MAX];
	uint64_t v;

	trim(&value, &len);
	if (!parse_size(value, len, &v)) {
		swauth_error_set(&r->bad, -EPROTO, "%s: invalid Content-Length \"%s\"",
				 r->host, swauth_escape(text, sizeof(text), value, len));
		return false;
	}
	if (r->cl_seen && v != r->cl) {
		swauth_error_set(&r->bad, -EPROTO,
				 "%s: conflicting Content-Length headers (%llu and %llu)",
				 r->host, (unsigned long long)r->cl, (unsigned long long)v);
		return false;
	}
	r->cl_seen = true;
	r->cl = v;
	return true;
}

/*
 * "bytes START-END/TOTAL" (RFC 9110 section 14.4), three decimal numbers;
 * anything else (an unknown total "*" too) is no range that can be checked.
 */
static bool parse_content_range(struct swauth_reply *r, const char *value, size_t len)
{
	const char *dash, *slash;

	trim(&value, &len);
	if (len < 6 || strncasecmp(value, "bytes ", 6))
		return false;
	value += 6;
	len -= 6;
	dash = memchr(value, '-', len);
	slash = memchr(value, '/', len);
	return dash && slash && dash < slash &&
	       parse_size(value, (size_t)(dash - value), &r->range_start) &&
	       parse_size(dash + 1, (size_t)(slash - dash - 1), &r->range_end) &&
	       parse_size(slash + 1, (size_t)(value + len - slash - 1), &r->range_total);
}

static bool header_is(const char *buf, size_t len, const char *name)
{
	size_t n = strlen(name);

	return len > n && !strncasecmp(buf, name, n);
}

/**
 * swauth_reply_line() - check one HTTP header line or FTP reply
 * @r: what the server's lines said so far; its scheme, host and ftp_size
 *     (-1) set by the caller first
 * @buf: the line as libcurl hands it over, with its line end; not
 *       NUL-terminated
 * @len: its length
 *
 * Keeps the last HTTP status line and the last FTP reply that is an error
 * (4xx/5xx), escaped: they are the server's own explanation of a failure.
 * Checks the framing of each HTTP response, and the FTP SIZE reply (ours:
 * libcurl ignores what it cannot parse and reads "213 -5" as 5). Keeps an
 * HTTP response's validators (ETag, Last-Modified) and Content-Range, for
 * a resume.
 *
 * Return: false, with @r->bad set, when the line breaks the protocol and
 * the transfer must stop.
 */
bool swauth_reply_line(struct swauth_reply *r, const char *buf, size_t len)
{
	uint64_t v;

	if (r->scheme == SWAUTH_URL_HTTP || r->scheme == SWAUTH_URL_HTTPS) {
		if (header_is(buf, len, "HTTP/")) {
			keep_text(r->reply, sizeof(r->reply), buf, len);
			r->cl_seen = false;
			r->chunked = false;
			r->location[0] = '\0';
			r->etag[0] = '\0';
			r->last_modified[0] = '\0';
			r->range_seen = false;
		} else if (header_is(buf, len, "Content-Length:")) {
			if (!check_content_length(r, buf + 15, len - 15))
				return false;
		} else if (header_is(buf, len, "Transfer-Encoding:")) {
			r->chunked = memmem(buf, len, "chunked", 7) != NULL;
		} else if (header_is(buf, len, "Location:")) {
			keep_text(r->location, sizeof(r->location), buf + 9, len - 9);
		} else if (header_is(buf, len, "ETag:")) {
			keep_text(r->etag, sizeof(r->etag), buf + 5, len - 5);
		} else if (header_is(buf, len, "Last-Modified:")) {
			keep_text(r->last_modified, sizeof(r->last_modified), buf + 14, len - 14);
		} else if (header_is(buf, len, "Content-Range:")) {
			r->range_seen = parse_content_range(r, buf + 14, len - 14);
		}
	} else if (is_ftp(r->scheme) && len >= 4 && isdigit((unsigned char)buf[0]) &&
		   isdigit((unsigned char)buf[1]) && isdigit((unsigned char)buf[2]) &&
		   buf[3] == ' ') {
		if (buf[0] == '4' || buf[0] == '5')
			keep_text(r->reply, sizeof(r->reply), buf, len);
		if (!memcmp(buf, "213 ", 4)) {
			char text[SWAUTH_REPLY_MAX];
			size_t end = len;

			while (end > 4 && (buf[end - 1] == '\n' || buf[end - 1] == '\r'))
				end--;
			if (!parse_size(buf + 4, end - 4, &v) || v > INT64_MAX) {
				swauth_error_set(&r->bad, -EPROTO, "%s: malformed SIZE reply \"%s\"",
						 r->host, swauth_escape(text, sizeof(text), buf, end));
				return false;
			}
			r->ftp_size = (int64_t)v;
		}
	}
	return true;
}

/* libcurl hands us HTTP header lines and FTP server replies here. */
static size_t on_header(char *buf, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;

	x->moved += size * n;
	return swauth_reply_line(&x->hdr, buf, size * n) ? size * n : 0;
}


/* Tells the sink the announced size, once, if the server announced one. */
static int announce_size(struct xfer *x)
{
	curl_off_t total = -1;

	if (x->sized)
		return 0;
	x->sized = true;
	if (ftp_scheme(x))
		total = x->hdr.ftp_size;
	else
		curl_easy_getinfo(x->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &total);
	x->total = total > 0 ? (uint64_t)total : 0;
	if (total < 0 || !x->sink->size)
		return 0;
	return x->sink->size(x->sink, (uint64_t)total);
}

/* Progress forward only, and each figure once. */
static void report(struct xfer *x, uint64_t done, uint64_t total)
{
	if (done > x->last_progress) {
		x->last_progress = done;
		x->o->progress(x->o->progress_arg, done, total);
	}
}

/* Refuses the reply to a resume, with why; returns false. */
static bool refuse(struct xfer *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool refuse(struct xfer *x, const char *fmt, ...)
{
	char why[SWAUTH_ERROR_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	swauth_error_set(&x->stop, -EPROTO, "%s: %.300s (resuming at %llu of %llu bytes)",
			 x->u->host, why, (unsigned long long)x->offset,
			 (unsigned long long)x->total);
	return false;
}

/* Which validator of the first response this one contradicts, or NULL. */
static const char *changed_validator(const struct xfer *x)
{
	const struct swauth_reply *h = &x->hdr;

	if (x->etag[0] && h->etag[0] && strcmp(x->etag, h->etag))
		return "ETag";
	if (x->last_modified[0] && h->last_modified[0] &&
	    strcmp(x->last_modified, h->last_modified))
		return "Last-Modified";
	return NULL;
}

/*
 * The reply to a resume must be the rest of the same file: FTP, the same
 * SIZE; HTTP, a 206 whose Content-Range starts at x->offset and ends with
 * the file of the first response, and whose validators are its. Anything
 * else stops before the sink sees a byte: never a restart into it.
 */
static bool resume_ok(struct xfer *x)
{
	const struct swauth_reply *h = &x->hdr;
	const char *validator = changed_validator(x);
	long status = 0;

	if (ftp_scheme(x)) {
		if (h->ftp_size < 0)
			return refuse(x,
				      "the server does not resume: it no longer gives the file's SIZE");
		if ((uint64_t)h->ftp_size != x->total)
			return refuse(x, "the file changed on the server: its SIZE is now %lld",
				      (long long)h->ftp_size);
		return true;
	}
	curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status);
	if (validator)
		return refuse(x, "the file changed on the server: its %s differs", validator);
	if (status == 200)
		return refuse(x,
			      "the server does not resume: it answered the request for the rest with the whole file (%s)",
			      h->reply);
	if (status != 206)
		return refuse(x, "the server does not resume: %s", h->reply);
	if (!h->range_seen)
		return refuse(x,
			      "the server does not resume: its 206 reply has no valid Content-Range");
	if (h->range_total != x->total)
		return refuse(x, "the file changed on the server: it now has %llu bytes",
			      (unsigned long long)h->range_total);
	if (h->range_start != x->offset || h->range_end != x->total - 1 ||
	    (h->cl_seen && h->cl != x->total - x->offset))
		return refuse(x,
			      "the server does not resume: it sent bytes %llu-%llu (%s%llu bytes), not the rest",
			      (unsigned long long)h->range_start,
			      (unsigned long long)h->range_end,
			      h->cl_seen ? "" : "unframed, ",
			      (unsigned long long)(h->cl_seen ? h->cl : 0));
	return true;
}

/*
 * Before the first byte of an attempt reaches the sink: the first must be
 * the file (HTTP 200), and says whether a cut can resume; a resume must
 * continue it (resume_ok()). Returns false to stop.
 */
static bool check_reply(struct xfer *x)
{
	long status = 0;

	x->checked = true;
	if (x->offset)
		return resume_ok(x);
	if (ftp_scheme(x)) {
		x->resumable = x->hdr.ftp_size > 0;
	} else if (http_scheme(x)) {
		curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status);
		if (status != 200) {
			/*
			 * An error page, a part of the file (206) or a page
			 * of choices (300, a 302 without Location) is not the
			 * file: stop before the sink sees it.
			 */
			x->http_failed = true;
			return false;
		}
		/* Chunks or the close mark the end: where a cut was is unknown. */
		x->resumable = x->hdr.cl_seen && !x->hdr.chunked && x->hdr.cl;
		memcpy(x->etag, x->hdr.etag, sizeof(x->etag));
		memcpy(x->last_modified, x->hdr.last_modified, sizeof(x->last_modified));
	}
	return true;
}

static size_t on_data(char *buf, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;
	int ret;

	x->moved += len;
	if (!x->checked && !check_reply(x))
		return CURL_WRITEFUNC_ERROR;
	ret = announce_size(x);
	if (!ret)
		ret = x->sink->write(x->sink, buf, len);
	if (ret) {
		x->sink_ret = ret;
		return CURL_WRITEFUNC_ERROR;
	}
	/*
	 * libcurl's own progress calls follow its clock; a fast transfer may
	 * see one. A download also reports each PROGRESS_STEP that arrived.
	 */
	x->received += len;
	if (x->o->progress && x->received - x->last_progress >= PROGRESS_STEP)
		report(x, x->received, x->total);
	return len;
}

static size_t on_read(char *buf, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	ssize_t got;

	do {
		got = read(x->fd, buf, size * n);
	} while (got < 0 && errno == EINTR);
	if (got < 0) {
		x->read_errno = errno;
		return CURL_READFUNC_ABORT;
	}
	return (size_t)got;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct xfer *x = arg;
	uint64_t done = x->sink ? x->received : (uint64_t)ulnow;
	curl_off_t total = x->sink ? dltotal : ultotal;

	(void)dlnow;
	/*
	 * libcurl knows no size for FTP: it was asked for by us
	 * (setup_ftp_size()); nor the whole file's when resuming.
	 */
	if (x->sink && x->total)
		total = (curl_off_t)x->total;
	report(x, done, total > 0 ? (uint64_t)total : 0);
	return 0;
}

static const char *default_path(const char *name, char *buf, size_t len)
{
	const char *home = getenv("HOME");

	if (!home || !*home)
		return NULL;
	snprintf(buf, len, "%s/.ssh/%s", home, name);
	return access(buf, R_OK) ? NULL : buf;
}

static int setup_ssh(struct xfer *x, struct swauth_error *err)
{
	static const char *const keys[] = { "id_ed25519", "id_ecdsa", "id_rsa" };
	char key_buf[PATH_MAX], hosts_buf[PATH_MAX];
	const char *key = x->o->ssh_key, *hosts = x->o->known_hosts;
	long auth = CURLSSH_AUTH_PUBLICKEY;
	size_t i;

	for (i = 0; !key && i < sizeof(keys) / sizeof(keys[0]); i++)
		key = default_path(keys[i], key_buf, sizeof(key_buf));
	if (!hosts)
		hosts = default_path("known_hosts", hosts_buf, sizeof(hosts_buf));
	/* Without a known_hosts file libcurl would accept any host key. */
	if (!hosts)
		return swauth_error_set(err, -EKEYREJECTED,
					"scp: no known_hosts file (~/.ssh/known_hosts): cannot authenticate %s",
					x->u->host);
	if (access(hosts, R_OK))
		return swauth_error_set(err, -errno, "scp: known_hosts file %s: %s", hosts,
					strerror(errno));
	if (x->u->pass[0])
		auth |= CURLSSH_AUTH_PASSWORD;
	if (!key && !x->u->pass[0])
		return swauth_error_set(err, -EACCES,
					"scp: no SSH key (~/.ssh/id_ed25519, id_ecdsa, id_rsa) and no password");
	if (key)
		curl_easy_setopt(x->curl, CURLOPT_SSH_PRIVATE_KEYFILE, key);
	curl_easy_setopt(x->curl, CURLOPT_SSH_AUTH_TYPES, auth);
	curl_easy_setopt(x->curl, CURLOPT_SSH_KNOWNHOSTS, hosts);
	return 0;
}

/*
 * A download reads until the data connection ends, whatever SIZE said:
 * libcurl would stop at the announced size, and the sink compares what
 * arrived with it. SIZE is asked for by us (a failure to answer it is no
 * error: "*"), so that on_header() parses the reply strictly; and so is
 * REST, right before RETR, for a resume from x->offset: libcurl sends its
 * own only when it asks for the size itself. A refused REST fails the
 * attempt.
 */
static int setup_ftp_size(struct xfer *x, struct swauth_error *err)
{
	const char *name = strrchr(x->u->path, '/') + 1, *p;
	struct curl_slist *list, *more;
	char *cmd;

	for (p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return swauth_error_set(err, -EINVAL,
						"ftp URL: a control character in the file name");
	if (asprintf(&cmd, "*SIZE %s", name) < 0)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	list = curl_slist_append(NULL, cmd);
	free(cmd);
	if (list && x->offset) {
		more = NULL;
		if (asprintf(&cmd, "REST %llu", (unsigned long long)x->offset) >= 0) {
			more = curl_slist_append(list, cmd);
			free(cmd);
		}
		if (!more)
			curl_slist_free_all(list);
		list = more;
	}
	if (!list)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	curl_slist_free_all(x->prequote);
	x->prequote = list;
	curl_easy_setopt(x->curl, CURLOPT_PREQUOTE, list);
	curl_easy_setopt(x->curl, CURLOPT_IGNORE_CONTENT_LENGTH, 1L);
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A new socket leaves by the trustpoint's VRF and source interface (swauth_xfer_bind()). */
static int on_sockopt(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	struct xfer *x = arg;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (purpose != CURLSOCKTYPE_IPCXN)
		return CURL_SOCKOPT_OK;
	if (getsockname(fd, (struct sockaddr *)&ss, &len)) {
		swauth_error_set(&x->stop, -errno, "getsockname: %s", strerror(errno));
		return CURL_SOCKOPT_ERROR;
	}
	if (swauth_xfer_bind(fd, ss.ss_family, x->o, &x->stop))
		return CURL_SOCKOPT_ERROR;
	return CURL_SOCKOPT_OK;
}

/* Everything but the direction. */
static int setup(struct xfer *x, struct swauth_error *err)
{
	const struct swauth_xfer_opts *o = x->o;
	unsigned int timeout_ms = o->timeout_ms ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
	unsigned int retries = o->retries ? o->retries : DEFAULT_RETRIES;
	unsigned long budget_ms = (unsigned long)timeout_ms * retries;
	long budget_s = (long)((budget_ms + 999) / 1000);
	const char *proto = scheme_name(x->u->scheme);
	char *url;
	int ret;

	url = build_url(x->u, err);
	if (!url)
		return err->code;
	x->curl = curl_easy_init();
	if (!x->curl) {
		free(url);
		return swauth_error_set(err, -ENOMEM, "libcurl cannot start a transfer");
	}
	curl_easy_setopt(x->curl, CURLOPT_URL, url);
	free(url);
	/* Redirects are limited again below; libcurl checks them against both. */
	curl_easy_setopt(x->curl, CURLOPT_PROTOCOLS_STR, http_scheme(x) ? "http,https" : proto);
	curl_easy_setopt(x->curl, CURLOPT_ERRORBUFFER, x->curl_err);
	curl_easy_setopt(x->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->curl, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->curl, CURLOPT_BUFFERSIZE, (long)RECV_BUFFER);
	curl_easy_setopt(x->curl, CURLOPT_UPLOAD_BUFFERSIZE, (long)SEND_BUFFER);
	curl_easy_setopt(x->curl, CURLOPT_CONNECTTIMEOUT_MS, (long)budget_ms);
	curl_easy_setopt(x->curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, budget_s);
	x->stall_ms = (unsigned long)timeout_ms * (retries + 1);
	x->start_ms = x->last_ms = now_ms();
	if (x->u->user[0])
		curl_easy_setopt(x->curl, CURLOPT_USERNAME, x->u->user);
	if (x->u->pass[0])
		curl_easy_setopt(x->curl, CURLOPT_PASSWORD, x->u->pass);
	if (o->progress) {
		curl_easy_setopt(x->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(x->curl, CURLOPT_XFERINFODATA, x);
		curl_easy_setopt(x->curl, CURLOPT_NOPROGRESS, 0L);
	}
	switch (x->u->scheme) {
	case SWAUTH_URL_HTTP:
	case SWAUTH_URL_HTTPS:
		curl_easy_setopt(x->curl, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(x->curl, CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
		/* https never redirects to plain http. */
		curl_easy_setopt(x->curl, CURLOPT_REDIR_PROTOCOLS_STR,
				 x->u->scheme == SWAUTH_URL_HTTPS ? "https" : "http,https");
		break;
	case SWAUTH_URL_FTPES:
		/* TLS for the login and the data, or no transfer at all. */
		curl_easy_setopt(x->curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
		/* fall through */
	case SWAUTH_URL_FTPS:
	case SWAUTH_URL_FTP:
		/* EPSV, then PASV: libcurl's default, said here because it matters. */
		curl_easy_setopt(x->curl, CURLOPT_FTP_USE_EPSV, 1L);
		curl_easy_setopt(x->curl, CURLOPT_FTPPORT, NULL);
		ret = x->sink ? setup_ftp_size(x, err) : 0;
		if (ret)
			return ret;
		break;
	case SWAUTH_URL_SCP:
		ret = setup_ssh(x, err);
		if (ret)
			return ret;
		break;
	default:
		break;
	}
	if (o->ca_file)
		curl_easy_setopt(x->curl, CURLOPT_CAINFO, o->ca_file);
	if ((o->vrf && o->vrf[0]) || (o->source_iface && o->source_iface[0])) {
		curl_easy_setopt(x->curl, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
		curl_easy_setopt(x->curl, CURLOPT_SOCKOPTDATA, x);
	}
	return 0;
}

/*
 * curl_easy_perform() with our clocks (see the top of this file), which
 * setup() started and which run on across a download's resumes: the
 * transfer is stopped when no byte moved for x->stall_ms, or when the
 * deadline passed. Returns libcurl's result; CURLE_OPERATION_TIMEDOUT with
 * x->stalled or x->past_deadline set when we stopped it.
 */
static CURLcode perform(struct xfer *x)
{
	long long now;
	CURLcode rc = CURLE_OK;
	CURLMsg *msg;
	CURLM *m;
	int running = 1, left;

	m = curl_multi_init();
	if (!m)
		return CURLE_OUT_OF_MEMORY;
	if (curl_multi_add_handle(m, x->curl) != CURLM_OK) {
		curl_multi_cleanup(m);
		return CURLE_OUT_OF_MEMORY;
	}
	while (running) {
		curl_off_t up = 0;

		if (curl_multi_perform(m, &running) != CURLM_OK) {
			rc = CURLE_RECV_ERROR;
			break;
		}
		if (!running)
			break;
		now = now_ms();
		curl_easy_getinfo(x->curl, CURLINFO_SIZE_UPLOAD_T, &up);
		if (x->moved + (uint64_t)up != x->seen) {
			x->seen = x->moved + (uint64_t)up;
			x->last_ms = now;
		} else if (now - x->last_ms >= (long long)x->stall_ms) {
			x->stalled = true;
		}
		if (x->o->deadline_s && now - x->start_ms >= (long long)x->o->deadline_s * 1000)
			x->past_deadline = true;
		if (x->stalled || x->past_deadline)
			break;
		if (curl_multi_poll(m, NULL, 0, POLL_MS, NULL) != CURLM_OK) {
			rc = CURLE_RECV_ERROR;
			break;
		}
	}
	if (x->stalled || x->past_deadline)
		rc = CURLE_OPERATION_TIMEDOUT;
	else if (!rc)
		while ((msg = curl_multi_info_read(m, &left)))
			if (msg->msg == CURLMSG_DONE)
				rc = msg->data.result;
	curl_multi_remove_handle(m, x->curl);
	curl_multi_cleanup(m);
	return rc;
}

/* What the server said, for FTP: a 550 is a missing file or a refusal. */
static int ftp_reply_errno(const struct xfer *x, int fallback)
{
	static const char *const denied[] = { "denied", "permission", "not allowed", "refused" };
	static const char *const missing[] = { "no such", "not found", "not exist",
					       "could not get file size" };
	size_t i;

	for (i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
		if (strcasestr(x->hdr.reply, denied[i]))
			return -EACCES;
	for (i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
		if (strcasestr(x->hdr.reply, missing[i]))
			return -ENOENT;
	return fallback;
}

/*
 * The server's FTP reply as the error, and what it means when its words
 * do not say: vsftpd answers "550 Failed to open file." to a missing file
 * and to a refused one alike, and "553 Could not create file." to every
 * refused upload.
 */
static int ftp_reply_error(const struct xfer *x, int fallback, struct swauth_error *err)
{
	int code = ftp_reply_errno(x, 0);

	if (code)
		return swauth_error_set(err, code, "%s: %s", x->u->host, x->hdr.reply);
	return swauth_error_set(err, fallback, "%s: %s (%s)", x->u->host, x->hdr.reply,
				strerror(-fallback));
}

static int http_status_error(struct xfer *x, long status, struct swauth_error *err)
{
	int code;

	if (status == 404 || status == 410)
		code = -ENOENT;
	else if (status == 401 || status == 403 || status == 407)
		code = -EACCES;
	else if (status < 400)
		code = -EPROTO;
	else
		code = -EIO;
	if (!x->hdr.reply[0])
		snprintf(x->hdr.reply, sizeof(x->hdr.reply), "HTTP status %ld", status);
	if (status < 400)
		return swauth_error_set(err, code, "%s: %s: not the file (only status 200 is)",
					x->u->host, x->hdr.reply);
	return swauth_error_set(err, code, "%s: %s", x->u->host, x->hdr.reply);
}

static int connect_error(struct xfer *x, const char *why, struct swauth_error *err)
{
	static const long default_port[] = {
		[SWAUTH_URL_FTP] = 21, [SWAUTH_URL_HTTP] = 80, [SWAUTH_URL_HTTPS] = 443,
		[SWAUTH_URL_SCP] = 22, [SWAUTH_URL_FTPS] = 990, [SWAUTH_URL_FTPES] = 21,
	};
	long os_errno = 0, port = x->u->port ? (long)x->u->port : default_port[x->u->scheme];

	curl_easy_getinfo(x->curl, CURLINFO_OS_ERRNO, &os_errno);
	switch (os_errno) {
	case ECONNREFUSED:
		return swauth_error_set(err, -ECONNREFUSED, "%s port %ld: connection refused",
					x->u->host, port);
	case ETIMEDOUT:
		return swauth_error_set(err, -ETIMEDOUT, "%s: no answer to the connection",
					x->u->host);
	default:
		return swauth_error_set(err, -EHOSTUNREACH, "%s: %s", x->u->host, why);
	}
}

/* A connection that ended or broke before its reply did. */
static bool cut_short(CURLcode rc)
{
	switch (rc) {
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_FTP_WEIRD_PASV_REPLY:
	case CURLE_FTP_WEIRD_227_FORMAT:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

/*
 * The libcurl result, and the server's words, as one of xfer.h's errors;
 * sets x->cut when the connection was cut (and nothing else went wrong).
 */
static int map_error(struct xfer *x, CURLcode rc, struct swauth_error *err)
{
	const char *host = x->u->host;
	char why[CURL_ERROR_SIZE];
	long status = 0;

	/* libcurl's message may quote the server. */
	swauth_escape(why, sizeof(why), x->curl_err[0] ? x->curl_err : curl_easy_strerror(rc),
		      SIZE_MAX);
	if (x->hdr.bad.code) {
		*err = x->hdr.bad;
		return x->hdr.bad.code;
	}
	if (x->stop.code) {
		*err = x->stop;
		return x->stop.code;
	}
	if (x->stalled)
		return swauth_error_set(err, -ETIMEDOUT,
					"%s stopped answering: no progress for %lu ms (timeout %u ms, %u retries)",
					host, x->stall_ms,
					x->o->timeout_ms ? x->o->timeout_ms : DEFAULT_TIMEOUT_MS,
					x->o->retries ? x->o->retries : DEFAULT_RETRIES);
	if (x->past_deadline)
		return swauth_error_set(err, -ETIMEDOUT,
					"%s: the transfer did not end within its deadline of %u s",
					host, x->o->deadline_s);
	if (x->sink_ret) {
		if (x->sink->err.code == x->sink_ret)
			*err = x->sink->err;
		else
			swauth_error_set(err, x->sink_ret, "the transfer was stopped: %s",
					 strerror(-x->sink_ret));
		return x->sink_ret;
	}
	if (x->read_errno)
		return swauth_error_set(err, -x->read_errno, "reading the file to upload: %s",
					strerror(x->read_errno));
	if (x->http_failed || rc == CURLE_HTTP_RETURNED_ERROR) {
		curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status);
		return http_status_error(x, status, err);
	}
	if (cut_short(rc)) {
		x->cut = true;
		return swauth_error_set(err, -EPROTO, "%s: the transfer was cut: %s", host, why);
	}
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		return connect_error(x, why, err);
	case CURLE_UNSUPPORTED_PROTOCOL:
		if (x->hdr.location[0])
			return swauth_error_set(err, -EPROTO,
						"%s: redirect to %s refused: only %s is followed",
						host, x->hdr.location,
						x->u->scheme == SWAUTH_URL_HTTPS ? "https" :
						"http or https");
		return swauth_error_set(err, -EIO, "%s: %s", host, why);
	case CURLE_COULDNT_RESOLVE_HOST:
		return swauth_error_set(err, -EHOSTUNREACH, "%s: %s", host, why);
	case CURLE_OPERATION_TIMEDOUT:
		return swauth_error_set(err, -ETIMEDOUT, "%s stopped answering: %s", host, why);
	case CURLE_LOGIN_DENIED:
		return swauth_error_set(err, -EACCES, "%s: login refused: %s", host,
					x->hdr.reply[0] ? x->hdr.reply : why);
	case CURLE_REMOTE_FILE_NOT_FOUND:
		/*
		 * libcurl says "not found" for any 550 to RETR, and vsftpd says
		 * "Failed to open file" whatever the reason. A file whose SIZE
		 * the server gave exists: the server refused to open it.
		 */
		if (x->hdr.reply[0])
			return ftp_reply_error(x, x->hdr.ftp_size >= 0 ? -EACCES : -ENOENT, err);
		/*
		 * SCP: libssh2 keeps the server's "scp: PATH: why" to itself,
		 * so a missing file and an unreadable one look the same.
		 */
		return swauth_error_set(err, -ENOENT, "%s: %s: no such file, or not readable (%s)",
					host, x->u->path, why);
	case CURLE_REMOTE_ACCESS_DENIED:
	case CURLE_FTP_COULDNT_RETR_FILE:
	case CURLE_UPLOAD_FAILED:
		if (x->hdr.reply[0])
			return ftp_reply_error(x, -EACCES, err);
		/* An SCP upload, as above: the server refused the file and kept why. */
		return swauth_error_set(err, -EACCES,
					"%s: %s: refused: no such directory, or not writable (%s)",
					host, x->u->path, why);
	case CURLE_USE_SSL_FAILED:
		return swauth_error_set(err, -EPROTO, "%s: the server does not offer TLS (AUTH TLS): %s",
					host, why);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return swauth_error_set(err, -EKEYREJECTED, "%s cannot be trusted: %s", host, why);
	default:
		if (x->hdr.reply[0])
			return swauth_error_set(err, ftp_reply_errno(x, -EIO), "%s: %s", host,
						x->hdr.reply);
		return swauth_error_set(err, -EIO, "%s: %s", host, why);
	}
}

static void fill_result(struct xfer *x, uint64_t bytes, struct swauth_xfer_result *r)
{
	char *ip = NULL, *local = NULL, *url = NULL;
	long redirects = 0;

	memset(r, 0, sizeof(*r));
	r->bytes = bytes;
	curl_easy_getinfo(x->curl, CURLINFO_PRIMARY_IP, &ip);
	curl_easy_getinfo(x->curl, CURLINFO_LOCAL_IP, &local);
	snprintf(r->peer, sizeof(r->peer), "%s", ip ? ip : "");
	swauth_iface_named(local ? local : "", true, r->iface, sizeof(r->iface));
	curl_easy_getinfo(x->curl, CURLINFO_REDIRECT_COUNT, &redirects);
	curl_easy_getinfo(x->curl, CURLINFO_EFFECTIVE_URL, &url);
	if (redirects > 0 && url)
		swauth_escape(r->redirect, sizeof(r->redirect), url, SIZE_MAX);
	if (x->sink && ftp_scheme(x))
		r->unframed = x->hdr.ftp_size < 0;
	else if (x->sink && x->hdr.scheme != SWAUTH_URL_SCP)
		r->unframed = !x->hdr.cl_seen && !x->hdr.chunked;
}

/*
 * One attempt of a download: the whole file, or the rest after a cut.
 * Returns 0 or an error; x->cut says whether it was cut.
 */
static int get_attempt(struct xfer *x, struct swauth_xfer_result *r, struct swauth_error *err)
{
	curl_off_t got = 0;
	CURLcode rc;
	int ret;

	x->cut = false;
	rc = perform(x);
	curl_easy_getinfo(x->curl, CURLINFO_SIZE_DOWNLOAD_T, &got);
	fill_result(x, x->offset + (uint64_t)got, r);
	/* No byte came: the reply is still to be looked at. */
	if (rc == CURLE_OK && !x->checked && !check_reply(x))
		rc = CURLE_WRITE_ERROR;
	if (rc != CURLE_OK)
		return map_error(x, rc, err);
	if (x->resumable && x->received < x->total) {
		/* A resumed reply that only the close ended. */
		x->cut = true;
		return swauth_error_set(err, -EPROTO,
					"%s: the transfer was cut: it ended after %llu of %llu bytes",
					x->u->host, (unsigned long long)x->received,
					(unsigned long long)x->total);
	}
	/* An empty file: no write, but the sink still learns its size. */
	ret = announce_size(x);
	return ret ? map_error(x, CURLE_WRITE_ERROR, err) : 0;
}

/* The next attempt asks for the bytes from x->received on. */
static int prepare_resume(struct xfer *x, unsigned int max, struct swauth_error *err)
{
	const char *validator = x->etag[0] && strncmp(x->etag, "W/", 2) ? x->etag :
				x->last_modified;
	char range[32], *line;
	int ret;

	x->resumes++;
	x->offset = x->received;
	x->checked = false;
	x->curl_err[0] = '\0';
	x->hdr = (struct swauth_reply){ .scheme = x->u->scheme, .host = x->u->host,
					.ftp_size = -1 };
	if (ftp_scheme(x)) {
		ret = setup_ftp_size(x, err);
		if (ret)
			return ret;
	} else {
		snprintf(range, sizeof(range), "%llu-", (unsigned long long)x->offset);
		curl_easy_setopt(x->curl, CURLOPT_RANGE, range);
		/* If-Range takes a strong ETag, or the date (RFC 9110 13.1.5). */
		if (!x->if_range && validator[0]) {
			if (asprintf(&line, "If-Range: %s", validator) < 0)
				return swauth_error_set(err, -ENOMEM, "out of memory");
			x->if_range = curl_slist_append(NULL, line);
			free(line);
			if (!x->if_range)
				return swauth_error_set(err, -ENOMEM, "out of memory");
			curl_easy_setopt(x->curl, CURLOPT_HTTPHEADER, x->if_range);
		}
	}
	if (x->o->resumed)
		x->o->resumed(x->o->progress_arg, x->offset, x->resumes, max);
	return 0;
}

/*
 * A cut that was not resumed after a resume, or the error of an attempt
 * to resume, says where the transfer was cut and how often it resumed.
 * Errors of their own (the sink's, a timeout, a refused reply) stand.
 */
static int resume_failed(struct xfer *x, unsigned int max, struct swauth_error *err)
{
	char why[SWAUTH_ERROR_MSG_LEN];

	if (!x->resumes || x->sink_ret || x->stalled || x->past_deadline || x->stop.code)
		return err->code;
	snprintf(why, sizeof(why), "%s", err->msg);
	if (x->cut && x->resumes == max && x->received > x->offset)
		return swauth_error_set(err, -EPROTO,
					"%s: cut again at %llu of %llu bytes, after %u resumes (at most %u): %.300s",
					x->u->host, (unsigned long long)x->received,
					(unsigned long long)x->total, x->resumes, max, why);
	return swauth_error_set(err, -EPROTO,
				"%s: cut at %llu of %llu bytes, and resume %u of %u failed: %.300s",
				x->u->host, (unsigned long long)x->received,
				(unsigned long long)x->total, x->resumes, max, why);
}

/**
 * swauth_curl_get() - download a file over FTP, HTTP(S) or SCP into a sink
 * @u: the file's URL; u->user and u->pass are used as given (FTP, SCP;
 *     HTTP basic authentication when set)
 * @o: timeout and retries (a dead server is noticed after about
 *     timeout_ms * retries, a stalled transfer after timeout_ms *
 *     (retries + 1) without progress), deadline, progress callback, CA
 *     file (HTTPS, FTPS) and SSH key and known_hosts files (NULL: the
 *     system's and ~/.ssh's)
 * @sink: receives the announced size, then the bytes in order
 * @r: filled with the bytes moved, the server's address and the local
 *     interface, also on failure
 * @err: why it failed
 *
 * FTP uses passive mode (EPSV, then PASV) and binary type, and reads until
 * the data connection ends; a SIZE reply is announced to the sink, which
 * compares it with what arrived, and a malformed one is -EPROTO. HTTP
 * follows up to five redirects (http to http or https, https only to
 * https; to another host too, without the credentials, and r->redirect
 * says where to); a status other than 200 and an invalid or conflicting
 * Content-Length are errors, and a body with them never reaches the sink.
 *
 * A cut download (the connection closed or broke) whose size the server
 * gave (Content-Length, not chunked; FTP SIZE) resumes from the bytes the
 * sink has, when the attempt brought new ones, at most @o->retries times
 * (0: 5), each announced to @o->resumed: HTTP sends Range: bytes=N- and
 * If-Range with the first response's strong ETag or its Last-Modified, and
 * takes only a 206 with Content-Range N-(TOTAL-1)/TOTAL, TOTAL the first
 * size, and the same validators; FTP sends REST N and wants the same SIZE.
 * Any other reply (200, another range, another size or validator) is
 * -EPROTO, "the file changed on the server" or "the server does not
 * resume", and never reaches the sink. The sink sees one stream and its
 * size() once; the stall clock and the deadline span the attempts;
 * r->resumes counts the resumes. SCP and a download whose end only the
 * closing connection marks are not resumed.
 *
 * Return: 0, an error listed in xfer.h, -EKEYREJECTED when the server's
 * certificate or host key cannot be trusted, or what the sink returned.
 */
int swauth_curl_get(const struct swauth_url *u, const struct swauth_xfer_opts *o,
		    struct swauth_sink *sink, struct swauth_xfer_result *r,
		    struct swauth_error *err)
{
	struct xfer x = { .u = u, .o = o, .sink = sink, .fd = -1,
			  .hdr = { .scheme = u->scheme, .host = u->host, .ftp_size = -1 } };
	unsigned int max = o->retries ? o->retries : DEFAULT_RETRIES;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = setup(&x, err);
	if (ret)
		goto out;
	curl_easy_setopt(x.curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(x.curl, CURLOPT_WRITEDATA, &x);
	for (;;) {
		ret = get_attempt(&x, r, err);
		/* Only a cut that brought new bytes resumes. */
		if (!ret || !x.cut || !x.resumable || x.received == x.offset ||
		    x.resumes == max)
			break;
		ret = prepare_resume(&x, max, err);
		if (ret)
			break;
	}
	if (ret)
		ret = resume_failed(&x, max, err);
	r->resumes = x.resumes;
out:
	curl_easy_cleanup(x.curl);
	curl_slist_free_all(x.prequote);
	curl_slist_free_all(x.if_range);
	return ret;
}

/**
 * swauth_curl_put() - upload a file over FTP (STOR), HTTP(S) (PUT) or SCP
 * @u: the destination URL; credentials as for swauth_curl_get()
 * @o: as for swauth_curl_get()
 * @fd: read from its current offset, @size bytes
 * @size: the bytes to send, announced to the server first
 * @r: filled with the bytes moved, the server's address and the local
 *     interface, also on failure
 * @err: why it failed
 *
 * Return: 0 when the server confirmed the whole file, or an error as for
 * swauth_curl_get() (a read error of @fd as its -errno).
 */
int swauth_curl_put(const struct swauth_url *u, const struct swauth_xfer_opts *o, int fd,
		    uint64_t size, struct swauth_xfer_result *r, struct swauth_error *err)
{
	struct xfer x = { .u = u, .o = o, .fd = fd,
			  .hdr = { .scheme = u->scheme, .host = u->host, .ftp_size = -1 } };
	curl_off_t sent = 0;
	long status = 0;
	CURLcode rc;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = setup(&x, err);
	if (ret)
		goto out;
	curl_easy_setopt(x.curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(x.curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)size);
	curl_easy_setopt(x.curl, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(x.curl, CURLOPT_READDATA, &x);
	rc = perform(&x);
	curl_easy_getinfo(x.curl, CURLINFO_SIZE_UPLOAD_T, &sent);
	fill_result(&x, (uint64_t)sent, r);
	if (rc != CURLE_OK) {
		ret = map_error(&x, rc, err);
		goto out;
	}
	if (http_scheme(&x)) {
		curl_easy_getinfo(x.curl, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 400) {
			ret = http_status_error(&x, status, err);
			goto out;
		}
	}
	if ((uint64_t)sent != size)
		ret = swauth_error_set(err, -EPROTO, "%s: %llu of %llu bytes sent", u->host,
				       (unsigned long long)sent, (unsigned long long)size);
out:
	curl_easy_cleanup(x.curl);
	return ret;
}
