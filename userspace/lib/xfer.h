/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Transfers: URLs, the TFTP client, and FTP, HTTP(S) and SCP through libcurl.
 */

#ifndef SWAUTH_LIB_XFER_H
#define SWAUTH_LIB_XFER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lib/core.h"

/*
 * Image transfer (swcopy): URLs, and the transports that move bytes between
 * a server and swcopy. A download hands its bytes, in order, to a sink,
 * which writes them to a temporary file, hashes them and checks the image
 * manifest as soon as it has arrived; the sink may stop the transfer at any
 * point by returning an error. An upload reads a file descriptor.
 *
 * Transports: TFTP (tftp.c, swcopy's own client: RFC 1350, 2347, 2348,
 * 2349, 7440) and FTP, HTTP(S) and SCP (curl.c, libcurl). A cut FTP or
 * HTTP(S) download of known size resumes, the sink seeing one stream
 * (swauth_curl_get()).
 *
 * Errors are negative errno values with a message in @err that a network
 * operator can act on, the server's own text included:
 *   -ENOENT        the server has no such file
 *   -EACCES        the server refused (permission, login)
 *   -ECONNREFUSED  nothing listens there
 *   -ETIMEDOUT     the server stopped answering (after the retries), the
 *                  transfer made no progress for timeout_ms * (retries + 1),
 *                  or it passed its deadline
 *   -EHOSTUNREACH  the host cannot be reached or resolved
 *   -EPROTO        the server broke the protocol, or the transfer was cut
 *                  and could not be resumed (see swauth_curl_get())
 *   -EKEYREJECTED  the server's certificate or SSH host key is not trusted
 *   -ENOSPC        the server's disk is full (TFTP error 3, on an upload)
 *   -EEXIST        the server will not overwrite the file (TFTP error 6)
 *   -EINVAL        the URL cannot be used (bad host or port, no file name)
 *   -EIO           other transfer errors
 *   any error a sink returned, unchanged (the transfer is stopped)
 */

enum swauth_url_scheme {
	SWAUTH_URL_FILE,	/* a plain path, or flash:NAME and the like */
	SWAUTH_URL_FTP,
	SWAUTH_URL_TFTP,
	SWAUTH_URL_HTTP,
	SWAUTH_URL_HTTPS,
	SWAUTH_URL_SCP,
	SWAUTH_URL_FTPS,	/* implicit TLS */
	SWAUTH_URL_FTPES,	/* explicit TLS: AUTH TLS, required; the last */
};

enum { SWAUTH_URL_USER_MAX = 128, SWAUTH_URL_HOST_MAX = 256 };

struct swauth_url {
	enum swauth_url_scheme scheme;
	bool has_user, has_pass;		/* given in the URL */
	char user[SWAUTH_URL_USER_MAX];		/* decoded */
	char pass[SWAUTH_URL_USER_MAX];		/* decoded; never printed */
	char host[SWAUTH_URL_HOST_MAX];		/* without brackets */
	unsigned int port;			/* 0: the scheme's default */
	char path[PATH_MAX];			/* decoded, from the first '/' on */
};

/* Where a download's bytes go; see the top of this file. */
struct swauth_sink {
	/*
	 * The size the server announced (FTP SIZE, Content-Length, TFTP
	 * tsize), before the first byte; not called when there is none.
	 * Returns 0, or -errno to stop (-ENOSPC: it will not fit).
	 */
	int (*size)(struct swauth_sink *sink, uint64_t total);
	/* The next bytes, in order. Returns 0, or -errno to stop. */
	int (*write)(struct swauth_sink *sink, const void *buf, size_t len);
	/* Why the sink stopped the transfer, when it did. */
	struct swauth_error err;
};

/*
 * A transfer is given up when it makes no progress for timeout_ms *
 * (retries + 1): no new TFTP block received or acknowledged (duplicates
 * and stale ACKs are no progress), no new byte of a reply, header or body
 * received or of the file sent (libcurl). That is the time the TFTP client
 * spends waiting for one packet and resending it @retries times. A
 * deadline, when given, bounds the whole transfer besides.
 */
struct swauth_xfer_opts {
	unsigned int timeout_ms;	/* per reply or packet; 0: 2000 */
	/* Retransmissions before giving up, and resumes of a cut download; 0: 5. */
	unsigned int retries;
	unsigned int deadline_s;	/* the whole transfer at most; 0: none */
	unsigned int blksize;		/* TFTP block size to ask for; 0: 512, no option */
	unsigned int windowsize;	/* TFTP RFC 7440 window; 0 or 1: none */
	/* Called now and then with the bytes moved so far; may be NULL. */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	/*
	 * Called with progress_arg when a cut download resumes at @offset,
	 * the @n-th resume of at most @max (libcurl; may be NULL).
	 */
	void (*resumed)(void *arg, uint64_t offset, unsigned int n, unsigned int max);
	void *progress_arg;
	/* HTTPS: the CA certificates (PEM) to trust; NULL: the system's. */
	const char *ca_file;
	/* SCP: the private key; NULL: ~/.ssh/id_ed25519, id_ecdsa, id_rsa. */
	const char *ssh_key;
	/* SCP: the known host keys; NULL: ~/.ssh/known_hosts (required). */
	const char *known_hosts;
	/*
	 * Where the connection leaves from (swauth_xfer_bind()): the device of
	 * a VRF (SO_BINDTODEVICE), and an interface whose address is the
	 * source (a trustpoint's `vrf` and `source interface`); NULL: the route's.
	 */
	const char *vrf;
	const char *source_iface;
};

struct swauth_xfer_result {
	uint64_t bytes;			/* moved */
	unsigned int timeouts;		/* TFTP: waits for the server that timed out */
	char peer[64];			/* the server's address as text */
	char iface[32];			/* the local interface used, or "" */
	char redirect[256];		/* HTTP: where redirects led, escaped, or "" */
	unsigned int resumes;		/* libcurl: times a cut download was resumed */
	/*
	 * A download whose end only the closing connection marked: no HTTP
	 * Content-Length nor chunks, no FTP SIZE. A cut looks like the end.
	 */
	bool unframed;
};

/* An authority split (url.c); the pointers point into the text split. */
struct swauth_url_authority {
	size_t len;		/* up to the first '/' or the end */
	const char *at;		/* the last '@' in it, or NULL: no user */
	const char *colon;	/* the first ':' before @at: the password follows; or NULL */
};

void swauth_url_authority(const char *s, struct swauth_url_authority *a);
bool swauth_url_secret(const char *text, size_t *off, size_t *len);
const char *swauth_url_redact(const char *text, char *buf, size_t size);
int swauth_url_hostport(const char *s, size_t len, struct swauth_url *u,
			struct swauth_error *err);
int swauth_url_parse(const char *text, struct swauth_url *u, struct swauth_error *err);
void swauth_url_display(const struct swauth_url *u, char *buf, size_t len);

/* iface.c: the local interface, for "via IFACE". */
struct sockaddr;
void swauth_iface_of(const struct sockaddr *addr, char *name, size_t len);
void swauth_iface_to(const struct sockaddr *peer, unsigned int peer_len, char *name, size_t len);
void swauth_iface_named(const char *host, bool local, char *name, size_t len);
int swauth_xfer_bind(int fd, int family, const struct swauth_xfer_opts *o,
		     struct swauth_error *err);

/*
 * Small files to and from any URL, in memory (mem.c): a CA certificate, a
 * certificate request, a CRL. Bounded by the caller's @max: a larger file
 * is refused (-EFBIG), never cut short.
 */
int swauth_url_fetch(const char *url, const struct swauth_xfer_opts *o, size_t max,
		     unsigned char **buf, size_t *len, struct swauth_error *err);
int swauth_url_send(const char *url, const struct swauth_xfer_opts *o, const void *buf,
		    size_t len, struct swauth_error *err);

/*
 * HTTP exchanges in memory (http.c), for the PKI's protocols (SCEP,
 * enrollment profiles): one GET or POST, the reply bounded, no redirect
 * followed, the connection bound as swauth_xfer_bind() does, TLS client
 * authentication with a certificate and key in memory (OpenSSL's X509 and
 * EVP_PKEY: libcurl must be built on OpenSSL).
 */
enum {
	SWAUTH_HTTP_TIMEOUT_MS = 30000,		/* one exchange at most, by default */
	SWAUTH_HTTP_REPLY_MAX = 256 * 1024,	/* a reply's bytes at most, by default */
	SWAUTH_HTTP_TYPE_MAX = 128,
};

struct x509_st;
struct evp_pkey_st;

struct swauth_http_opts {
	unsigned int timeout_ms;	/* 0: SWAUTH_HTTP_TIMEOUT_MS */
	size_t max_reply;		/* 0: SWAUTH_HTTP_REPLY_MAX */
	const char *source_iface;	/* as struct swauth_xfer_opts; NULL: the route's */
	const char *vrf;
	const char *ca_file;		/* https: the CAs to trust; NULL: the system's */
	const void *ca_pem;		/* ... or these, PEM in memory; NULL: @ca_file */
	size_t ca_pem_len;
	struct x509_st *client_cert;	/* https: TLS client authentication, or NULL */
	struct evp_pkey_st *client_key;	/* ... with this key (a token's too) */
	const char *what;		/* the server in messages ("SCEP CA"); NULL: "HTTP server" */
	const char *user_agent;		/* NULL: "swauth" */
};

struct swauth_http_req {
	const char *url;		/* http:// or https://, query and all */
	const void *body;		/* POST this, or NULL: GET */
	size_t body_len;
	const char *content_type;	/* of the body; NULL: application/octet-stream */
};

struct swauth_http_reply {
	long status;			/* the HTTP status */
	char content_type[SWAUTH_HTTP_TYPE_MAX];	/* "" when none */
	unsigned char *data;		/* the body, NUL-terminated after @len bytes */
	size_t len;
};

int swauth_http_exchange(const struct swauth_http_req *q, const struct swauth_http_opts *o,
			 struct swauth_http_reply *r, struct swauth_error *err);
void swauth_http_reply_free(struct swauth_http_reply *r);
bool swauth_http_type_is(const char *type, const char *want);

int swauth_tftp_get(const struct swauth_url *u, const struct swauth_xfer_opts *o,
		    struct swauth_sink *sink, struct swauth_xfer_result *r,
		    struct swauth_error *err);
int swauth_tftp_put(const struct swauth_url *u, const struct swauth_xfer_opts *o, int fd,
		    uint64_t size, struct swauth_xfer_result *r, struct swauth_error *err);

int swauth_curl_get(const struct swauth_url *u, const struct swauth_xfer_opts *o,
		    struct swauth_sink *sink, struct swauth_xfer_result *r,
		    struct swauth_error *err);
int swauth_curl_put(const struct swauth_url *u, const struct swauth_xfer_opts *o, int fd,
		    uint64_t size, struct swauth_xfer_result *r, struct swauth_error *err);

/*
 * A status mail (mail.c): one plain-text mail to one recipient through an
 * SMTP server, over libcurl. Every field is checked before any connection
 * is made, so that nothing a field holds can add a header or a recipient.
 * Besides the errors listed at the top of this file:
 *   -EINVAL        a field is unusable (the message says which and why)
 *   -EACCES        the server refused the mail for good (5xx), its reply quoted
 *   -EAGAIN        the server refused it for now (4xx), its reply quoted
 */
enum {
	SWAUTH_MAIL_ADDR_MAX = 254,		/* RFC 5321 4.5.3.1.3, without <> */
	SWAUTH_MAIL_SUBJECT_MAX = 200,
	SWAUTH_MAIL_BODY_MAX = 64 * 1024,
	SWAUTH_MAIL_TIMEOUT_MS = 30000,		/* the default bound of one mail */
};

struct swauth_mail {
	/* HOST, HOST:PORT, smtp://HOST[:PORT][/] or smtps://HOST[:PORT][/] */
	const char *server;
	bool starttls;		/* smtp://: switch to TLS first, or send nothing */
	const char *ca_file;	/* smtps, STARTTLS: the CAs to trust; NULL: the system's */
	const char *from;	/* NULL: swupgrade@<host name> */
	const char *to;		/* one address, local@domain */
	const char *subject;	/* printable ASCII */
	const char *body;	/* text, lines ended by LF (or CRLF); UTF-8 */
	unsigned int timeout_ms;	/* the whole exchange at most; 0: SWAUTH_MAIL_TIMEOUT_MS */
};

int swauth_mail_check_addr(const char *what, const char *addr, struct swauth_error *err);
int swauth_mail_check_server(const char *server, struct swauth_error *err);
int swauth_mail_send(const struct swauth_mail *m, struct swauth_error *err);

/*
 * The image locator (locator.c, the seeds' IDA): a POST of a user name,
 * a password and an image name to an https:// URL answers with the URL to
 * download the image from. The protocol is Documentation/swupgrade.rst's.
 * Besides the errors listed at the top of this file:
 *   -EINVAL        a field or the locator URL is unusable
 *   -EACCES        the locator refused (401, 403), its words quoted
 *   -ENOENT        it knows no such image (404, 410), its words quoted
 *   -EPROTO        a reply other than the one line "url=URL" of a usable
 *                  URL, or a redirect (never followed)
 *   -EIO           any other error status, its words quoted
 * The password never appears in a message, even when the server echoes it.
 */
enum {
	SWAUTH_LOCATOR_FIELD_MAX = 255,		/* user name, password, image name */
	SWAUTH_LOCATOR_REPLY_MAX = 4096,	/* the reply's body, the URL in it */
	SWAUTH_LOCATOR_TIMEOUT_MS = 30000,
};

struct swauth_locator {
	const char *url;	/* the locator: https:// only, no user or password in it */
	const char *ca_file;	/* NULL: the system's CAs */
	const char *username;
	const char *password;	/* the library's copies of it are wiped */
	const char *image;	/* the image's name */
	unsigned int timeout_ms;	/* the whole exchange at most; 0: SWAUTH_LOCATOR_TIMEOUT_MS */
};

int swauth_locator_get(const struct swauth_locator *l, char *url, size_t len,
		       struct swauth_error *err);
int swauth_locator_check_url(const char *url, struct swauth_url *u, struct swauth_error *err);

/*
 * What the libcurl transfers keep from a server's HTTP header lines and FTP
 * replies, checked one line at a time as they arrive (curl.c).
 */
enum { SWAUTH_REPLY_MAX = 256 };

struct swauth_reply {
	enum swauth_url_scheme scheme;	/* the URL's: which lines to read */
	const char *host;		/* for messages */
	bool cl_seen;			/* this HTTP response has a Content-Length */
	bool chunked;			/* or Transfer-Encoding: chunked */
	uint64_t cl;			/* its value */
	int64_t ftp_size;		/* the FTP SIZE reply, or -1 */
	char reply[SWAUTH_REPLY_MAX];	/* the last HTTP status line or FTP error, escaped */
	char location[SWAUTH_REPLY_MAX];	/* the last HTTP Location, escaped */
	char etag[SWAUTH_REPLY_MAX];		/* this HTTP response's ETag, escaped, or "" */
	char last_modified[SWAUTH_REPLY_MAX];	/* its Last-Modified, escaped, or "" */
	bool range_seen;		/* a valid Content-Range: bytes START-END/TOTAL */
	uint64_t range_start, range_end, range_total;
	struct swauth_error bad;	/* a line broke the protocol */
};

bool swauth_reply_line(struct swauth_reply *r, const char *buf, size_t len);

/*
 * The TFTP client's private header: the wire format's constants, one
 * transfer's state, and the socket layer (tftp-sock.c) that the protocol
 * (tftp.c) runs on.
 */

enum tftp_opcode {
	TFTP_RRQ = 1,
	TFTP_WRQ = 2,
	TFTP_DATA = 3,
	TFTP_ACK = 4,
	TFTP_ERROR = 5,
	TFTP_OACK = 6,
};

/* The error codes of RFC 1350 and RFC 2347 (8). */
enum tftp_error_code {
	TFTP_EUNDEF = 0,
	TFTP_ENOTFOUND = 1,
	TFTP_EACCESS = 2,
	TFTP_ENOSPACE = 3,
	TFTP_EBADOP = 4,
	TFTP_EBADID = 5,
	TFTP_EEXISTS = 6,
	TFTP_ENOUSER = 7,
	TFTP_EOPTNEG = 8,
};

enum tftp_limits {
	TFTP_PORT = 69,
	TFTP_HDR_LEN = 4,
	TFTP_BLKSIZE_DEFAULT = 512,
	TFTP_BLKSIZE_MIN = 8,		/* RFC 2348 */
	TFTP_BLKSIZE_MAX = 65464,	/* RFC 2348 */
	/*
	 * RFC 7440 allows 65535, but 16-bit block numbers wrap: a stale
	 * ACK from one window back must not read as the ACK of the window
	 * being sent, so two windows must fit in 65536 block numbers.
	 */
	TFTP_WINDOW_MAX = 32767,
	TFTP_TIMEOUT_MAX_S = 255,	/* RFC 2349 */
	TFTP_TIMEOUT_MS = 2000,
	TFTP_RETRIES = 5,
	/* Larger than any UDP datagram, so that nothing is truncated. */
	TFTP_PACKET_MAX = 65536,
	/* Asked for; the kernel caps it at rmem_max/wmem_max without privilege. */
	TFTP_SOCKBUF = 32 << 20,
	/* How often, in bytes, the progress callback runs at most. */
	TFTP_PROGRESS_STEP = 1 << 20,
};

/* One transfer. */
struct tftp {
	int fd;
	struct sockaddr_storage server;		/* where the request goes */
	socklen_t server_len;
	struct sockaddr_storage tid;		/* the server's transfer port, once known */
	socklen_t tid_len;
	bool has_tid;
	unsigned int timeout_ms, retries;
	unsigned int timeouts;			/* waits that timed out, so far */
	unsigned int deadline_s;		/* 0: none */
	long long deadline_ms;			/* on swauth_tftp_now_ms()'s clock */
	bool options;				/* cleared when the server refuses them */
	/* Asked for (0: not asked), then what the server agreed to. */
	unsigned int want_blksize, want_window, want_timeout_s;
	unsigned int blksize, window;
	bool has_tsize;
	uint64_t tsize;
	const char *path;
	char peer[64];
	uint8_t *pkt;				/* the last packet received */
	size_t pkt_len;
	uint8_t *out;				/* DATA being sent (uploads) */
	struct swauth_error *err;
};

static inline void put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline unsigned int get16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

int swauth_tftp_open(struct tftp *t, const struct swauth_url *u, const struct swauth_xfer_opts *o,
		     struct swauth_xfer_result *r, struct swauth_error *err);
void swauth_tftp_close(struct tftp *t);
int swauth_tftp_send(struct tftp *t, const void *buf, size_t len,
		     const struct sockaddr_storage *to, socklen_t to_len);
int swauth_tftp_ack(struct tftp *t, unsigned int block);
void swauth_tftp_abort(struct tftp *t, unsigned int code, const char *msg);
int swauth_tftp_recv(struct tftp *t);
long long swauth_tftp_now_ms(void);

#endif /* SWAUTH_LIB_XFER_H */
