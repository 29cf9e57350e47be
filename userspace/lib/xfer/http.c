// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * One HTTP(S) exchange in memory (lib/xfer.h, "HTTP exchanges"): a GET, or
 * a POST of a body, whose reply is read up to a bound, for the PKI's
 * protocols (SCEP, enrollment profiles). libcurl; no redirect is followed;
 * the connection leaves by the caller's VRF and source interface
 * (swauth_xfer_bind()); TLS client authentication with a certificate and
 * key in memory (an enrollment profile's `enrollment credential`).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "lib/xfer.h"

#define USER_AGENT "swauth"

struct reply {
	struct swauth_http_reply *r;
	size_t max;
	bool too_large;
};

static size_t on_data(char *buf, size_t size, size_t n, void *arg)
{
	struct reply *rep = arg;
	struct swauth_http_reply *r = rep->r;
	size_t len = size * n;
	unsigned char *more;

	if (len > rep->max - r->len) {
		rep->too_large = true;
		return CURL_WRITEFUNC_ERROR;
	}
	more = realloc(r->data, r->len + len + 1);
	if (!more)
		return CURL_WRITEFUNC_ERROR;
	memcpy(more + r->len, buf, len);
	r->data = more;
	r->len += len;
	r->data[r->len] = '\0';
	return len;
}

/* A new socket leaves by the VRF and source interface (swauth_xfer_bind()). */
struct bind {
	struct swauth_xfer_opts o;	/* vrf and source_iface */
	struct swauth_error err;	/* why it could not */
};

static int on_socket(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	struct bind *b = arg;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (purpose != CURLSOCKTYPE_IPCXN)
		return CURL_SOCKOPT_OK;
	if (getsockname(fd, (struct sockaddr *)&ss, &len)) {
		swauth_error_set(&b->err, -errno, "getsockname: %s", strerror(errno));
		return CURL_SOCKOPT_ERROR;
	}
	return swauth_xfer_bind(fd, ss.ss_family, &b->o, &b->err) ? CURL_SOCKOPT_ERROR :
	       CURL_SOCKOPT_OK;
}

/* The client certificate and key, into the connection's SSL_CTX. */
static CURLcode on_ssl_ctx(CURL *curl, void *ssl_ctx, void *arg)
{
	const struct swauth_http_opts *o = arg;

	(void)curl;
	if (SSL_CTX_use_certificate(ssl_ctx, o->client_cert) != 1 ||
	    SSL_CTX_use_PrivateKey(ssl_ctx, o->client_key) != 1 ||
	    SSL_CTX_check_private_key(ssl_ctx) != 1) {
		ERR_clear_error();
		return CURLE_SSL_CERTPROBLEM;
	}
	return CURLE_OK;
}

static int curl_failed(CURL *curl, CURLcode rc, const char *who, const struct reply *rep,
		       const struct bind *b, unsigned int timeout_ms, const char *curl_err,
		       struct swauth_error *err)
{
	char why[CURL_ERROR_SIZE];
	long os_errno = 0;

	if (b->err.code)
		return swauth_error_set(err, b->err.code, "%s: %s", who, b->err.msg);
	swauth_escape(why, sizeof(why), curl_err[0] ? curl_err : curl_easy_strerror(rc), SIZE_MAX);
	if (rep->too_large)
		return swauth_error_set(err, -EPROTO,
					"%s: the reply is longer than %zu bytes: refused",
					who, rep->max);
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
		if (os_errno == ECONNREFUSED)
			return swauth_error_set(err, -ECONNREFUSED, "%s: connection refused", who);
		return swauth_error_set(err, -EHOSTUNREACH, "%s: %s", who, why);
	case CURLE_COULDNT_RESOLVE_HOST:
		return swauth_error_set(err, -EHOSTUNREACH, "%s: %s", who, why);
	case CURLE_OPERATION_TIMEDOUT:
		return swauth_error_set(err, -ETIMEDOUT, "%s: no answer within %u ms", who,
					timeout_ms);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return swauth_error_set(err, -EKEYREJECTED, "%s cannot be trusted: %s", who, why);
	case CURLE_SSL_CERTPROBLEM:
		return swauth_error_set(err, -EKEYREJECTED,
					"%s: the client certificate cannot be used: %s", who, why);
	default:
		return swauth_error_set(err, -EPROTO, "%s: %s", who, why);
	}
}

/**
 * swauth_http_exchange() - one HTTP(S) request, its reply in memory
 * @q: the URL (http:// or https://), and a body to POST (else a GET)
 * @o: the bounds, where the connection leaves from, whom to trust, the
 *     client certificate; NULL: the defaults
 * @r: receives the status, the Content-Type and the body (NUL-terminated
 *     after r->len bytes); swauth_http_reply_free() it, also on failure
 * @err: why it failed
 *
 * Any status is returned: the caller judges it.
 *
 * Return: 0, or -errno as lib/xfer.h lists (-EPROTO for a reply longer
 * than the bound, -EKEYREJECTED for a server not trusted or a client
 * certificate refused, -EINVAL for a URL that is not http(s)).
 */
int swauth_http_exchange(const struct swauth_http_req *q, const struct swauth_http_opts *o,
			 struct swauth_http_reply *r, struct swauth_error *err)
{
	static const struct swauth_http_opts defaults;
	const struct swauth_http_opts *h = o ? o : &defaults;
	unsigned int timeout_ms = h->timeout_ms ? h->timeout_ms : SWAUTH_HTTP_TIMEOUT_MS;
	struct reply rep = { .r = r, .max = h->max_reply ? h->max_reply : SWAUTH_HTTP_REPLY_MAX };
	struct bind b = { .o = { .vrf = h->vrf, .source_iface = h->source_iface } };
	char curl_err[CURL_ERROR_SIZE] = "", who[SWAUTH_URL_HOST_MAX + 64], header[160];
	struct curl_slist *headers = NULL;
	const char *ctype = NULL;
	struct swauth_url u;
	CURLcode rc;
	CURL *curl;
	int ret;

	memset(r, 0, sizeof(*r));
	if (swauth_url_parse(q->url, &u, err))
		return -EINVAL;
	if ((u.scheme != SWAUTH_URL_HTTP && u.scheme != SWAUTH_URL_HTTPS) || !u.host[0])
		return swauth_error_set(err, -EINVAL, "%s: not an http:// or https:// URL", q->url);
	snprintf(who, sizeof(who), "%s %s", h->what ? h->what : "HTTP server", u.host);
	curl = curl_easy_init();
	if (!curl)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	curl_easy_setopt(curl, CURLOPT_URL, q->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, h->user_agent ? h->user_agent : USER_AGENT);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &rep);
	curl_easy_setopt(curl, CURLOPT_SOCKOPTFUNCTION, on_socket);
	curl_easy_setopt(curl, CURLOPT_SOCKOPTDATA, &b);
	if (h->ca_pem) {
		struct curl_blob blob = { (void *)h->ca_pem, h->ca_pem_len, CURL_BLOB_COPY };

		curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &blob);
	} else if (h->ca_file) {
		curl_easy_setopt(curl, CURLOPT_CAINFO, h->ca_file);
	}
	if (h->client_cert && h->client_key &&
	    (curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx) != CURLE_OK ||
	     curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, h) != CURLE_OK)) {
		ret = swauth_error_set(err, -EOPNOTSUPP,
				       "%s: this libcurl cannot authenticate with a client certificate (it is not built on OpenSSL)",
				       who);
		goto out;
	}
	if (q->body) {
		snprintf(header, sizeof(header), "Content-Type: %s",
			 q->content_type ? q->content_type : "application/octet-stream");
		headers = curl_slist_append(NULL, header);
		if (headers)
			headers = curl_slist_append(headers, "Expect:");
		if (!headers) {
			ret = swauth_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, q->body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->body_len);
	}
	rc = curl_easy_perform(curl);
	if (rc != CURLE_OK) {
		ret = curl_failed(curl, rc, who, &rep, &b, timeout_ms, curl_err, err);
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ctype);
	snprintf(r->content_type, sizeof(r->content_type), "%s", ctype ? ctype : "");
	ret = 0;
out:
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return ret;
}

void swauth_http_reply_free(struct swauth_http_reply *r)
{
	free(r->data);
	memset(r, 0, sizeof(*r));
}

/**
 * swauth_http_type_is() - the media type of a Content-Type is @want's
 * @type: the Content-Type, parameters and all, or "" or NULL
 * @want: a media type, e.g. "application/pkix-cert"
 *
 * Return: true when @type names @want, case aside, whatever its parameters.
 */
bool swauth_http_type_is(const char *type, const char *want)
{
	size_t n = strlen(want);

	if (!type)
		return false;
	while (*type == ' ')
		type++;
	return !strncasecmp(type, want, n) && (!type[n] || type[n] == ';' || type[n] == ' ');
}
