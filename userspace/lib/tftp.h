/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The TFTP client's private header: the wire format's constants, one
 * transfer's state, and the socket layer (tftp-sock.c) that the protocol
 * (tftp.c) runs on.
 */

#ifndef SWAUTH_LIB_TFTP_H
#define SWAUTH_LIB_TFTP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lib/xfer.h"

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
	TFTP_WINDOW_MAX = 65535,	/* RFC 7440 */
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

#endif /* SWAUTH_LIB_TFTP_H */
