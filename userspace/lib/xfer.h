/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Image transfer (swcopy): URLs, and the transports that move bytes between
 * a server and swcopy. A download hands its bytes, in order, to a sink,
 * which writes them to a temporary file, hashes them and checks the image
 * manifest as soon as it has arrived; the sink may stop the transfer at any
 * point by returning an error. An upload reads a file descriptor.
 *
 * Transports: TFTP (tftp.c, swcopy's own client: RFC 1350, 2347, 2348,
 * 2349, 7440) and FTP, HTTP(S) and SCP (curl.c, libcurl).
 *
 * Errors are negative errno values with a message in @err that a network
 * operator can act on, the server's own text included:
 *   -ENOENT        the server has no such file
 *   -EACCES        the server refused (permission, login)
 *   -ECONNREFUSED  nothing listens there
 *   -ETIMEDOUT     the server stopped answering (after the retries)
 *   -EHOSTUNREACH  the host cannot be reached or resolved
 *   -EPROTO        the server broke the protocol, or the transfer was cut
 *   -EKEYREJECTED  the server's certificate or SSH host key is not trusted
 *   -ENOSPC        the server's disk is full (TFTP error 3, on an upload)
 *   -EEXIST        the server will not overwrite the file (TFTP error 6)
 *   -EINVAL        the URL cannot be used (bad host or port, no file name)
 *   -EIO           other transfer errors
 *   any error a sink returned, unchanged (the transfer is stopped)
 */

#ifndef SWAUTH_LIB_XFER_H
#define SWAUTH_LIB_XFER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

enum swauth_url_scheme {
	SWAUTH_URL_FILE,	/* a plain path, or flash:NAME and the like */
	SWAUTH_URL_FTP,
	SWAUTH_URL_TFTP,
	SWAUTH_URL_HTTP,
	SWAUTH_URL_HTTPS,
	SWAUTH_URL_SCP,
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

struct swauth_xfer_opts {
	unsigned int timeout_ms;	/* per reply or packet; 0: 2000 */
	unsigned int retries;		/* retransmissions before giving up; 0: 5 */
	unsigned int blksize;		/* TFTP block size to ask for; 0: 512, no option */
	unsigned int windowsize;	/* TFTP RFC 7440 window; 0 or 1: none */
	/* Called now and then with the bytes moved so far; may be NULL. */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
	/* HTTPS: the CA certificates (PEM) to trust; NULL: the system's. */
	const char *ca_file;
	/* SCP: the private key; NULL: ~/.ssh/id_ed25519, id_ecdsa, id_rsa. */
	const char *ssh_key;
	/* SCP: the known host keys; NULL: ~/.ssh/known_hosts (required). */
	const char *known_hosts;
};

struct swauth_xfer_result {
	uint64_t bytes;			/* moved */
	char peer[64];			/* the server's address as text */
	char iface[32];			/* the local interface used, or "" */
};

int swauth_url_parse(const char *text, struct swauth_url *u, struct swauth_error *err);
void swauth_url_display(const struct swauth_url *u, char *buf, size_t len);

/* iface.c: the local interface, for "via IFACE". */
struct sockaddr;
void swauth_iface_of(const struct sockaddr *addr, char *name, size_t len);
void swauth_iface_to(const struct sockaddr *peer, unsigned int peer_len, char *name, size_t len);
void swauth_iface_named(const char *host, bool local, char *name, size_t len);

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

#endif /* SWAUTH_LIB_XFER_H */
