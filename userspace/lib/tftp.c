// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swcopy's TFTP client: RFC 1350 in octet mode, with the options of
 * RFC 2347 (negotiation), 2348 (blksize), 2349 (tsize, timeout) and 7440
 * (windowsize). A server that ignores the options gets plain RFC 1350.
 *
 * One socket per transfer, unconnected: the server answers from a new port
 * (its transfer ID), and a packet from any other port gets an ERROR 5 and is
 * otherwise ignored. IP_RECVERR lets an ICMP port unreachable for the
 * server's address end the transfer at once (-ECONNREFUSED) instead of after
 * all the retries. The receive buffer is as large as the system allows, so
 * that a whole window of the largest blocks fits in it and nothing is lost.
 *
 * Duplicates never trigger a retransmission (the Sorcerer's Apprentice bug,
 * RFC 1123 4.2.3.1): the downloader answers a gap, a block from the future,
 * once with an ACK of the last block it has (RFC 7440 section 4), and
 * otherwise only its own timeout resends; the uploader ignores repeated ACKs.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/errqueue.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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

struct tftp {
	int fd;
	struct sockaddr_storage server;		/* where the request goes */
	socklen_t server_len;
	struct sockaddr_storage tid;		/* the server's transfer port, once known */
	socklen_t tid_len;
	bool has_tid;
	unsigned int timeout_ms, retries;
	/* Asked for (0: not asked), then what the server agreed to. */
	bool options;				/* cleared when the server refuses them */
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

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static unsigned int get16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b,
		      bool port)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_addr.s_addr == y->sin_addr.s_addr &&
		       (!port || x->sin_port == y->sin_port);
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

		return !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) &&
		       (!port || x->sin6_port == y->sin6_port);
	}
	return false;
}

static int icmp_error(struct tftp *t);

static int send_to(struct tftp *t, const void *buf, size_t len,
		   const struct sockaddr_storage *to, socklen_t to_len)
{
	while (sendto(t->fd, buf, len, 0, (const struct sockaddr *)to, to_len) < 0) {
		if (errno == EINTR)
			continue;
		/* A pending ICMP error; 0 when it is not about our server. */
		if (errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH)
			return icmp_error(t);
		return swauth_error_set(t->err, -EIO, "%s: cannot send: %s", t->peer,
					strerror(errno));
	}
	return 0;
}

/* Best effort: the transfer has failed already, whatever this returns. */
static void send_error(struct tftp *t, const struct sockaddr_storage *to, socklen_t to_len,
		       unsigned int code, const char *msg)
{
	uint8_t buf[TFTP_HDR_LEN + 128];
	size_t len = strnlen(msg, sizeof(buf) - TFTP_HDR_LEN - 1);

	put16(buf, TFTP_ERROR);
	put16(buf + 2, code);
	memcpy(buf + TFTP_HDR_LEN, msg, len);
	buf[TFTP_HDR_LEN + len] = '\0';
	sendto(t->fd, buf, TFTP_HDR_LEN + len + 1, 0, (const struct sockaddr *)to, to_len);
}

static void abort_xfer(struct tftp *t, unsigned int code, const char *msg)
{
	if (t->has_tid)
		send_error(t, &t->tid, t->tid_len, code, msg);
}

static int send_ack(struct tftp *t, unsigned int block)
{
	uint8_t ack[TFTP_HDR_LEN];

	put16(ack, TFTP_ACK);
	put16(ack + 2, block & 0xffff);
	return send_to(t, ack, sizeof(ack), &t->tid, t->tid_len);
}

/*
 * An ICMP error was queued (IP_RECVERR). It ends the transfer only when it
 * is about the address we talk to: anyone could send an ICMP message.
 */
static int icmp_error(struct tftp *t)
{
	struct sockaddr_storage dst;
	char ctl[512];
	uint8_t dummy[1];
	struct iovec iov = { dummy, sizeof(dummy) };
	struct msghdr mh = {
		.msg_name = &dst, .msg_namelen = sizeof(dst),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	int why = 0;

	while (recvmsg(t->fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) >= 0) {
		struct cmsghdr *c;

		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			const struct sock_extended_err *ee = (const void *)CMSG_DATA(c);

			if (((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
			     (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) &&
			    same_addr(&dst, t->has_tid ? &t->tid : &t->server, true))
				why = (int)ee->ee_errno;
		}
		mh.msg_namelen = sizeof(dst);
		mh.msg_controllen = sizeof(ctl);
	}
	if (!why)
		return 0;
	if (why != ECONNREFUSED)
		return swauth_error_set(t->err, -EHOSTUNREACH, "%s: cannot reach the server: %s",
					t->peer, strerror(why));
	if (!t->has_tid)
		return swauth_error_set(t->err, -ECONNREFUSED,
					"%s: no TFTP server answers there (port unreachable)",
					t->peer);
	return swauth_error_set(t->err, -EPROTO,
				"%s: the server went away during the transfer (port unreachable)",
				t->peer);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Wait for the next packet of the transfer, at most one timeout. Packets
 * from another port than the server's get an ERROR 5; the first reply fixes
 * that port. Return: 1 with t->pkt/pkt_len set, 0 on timeout, or -errno.
 */
static int recv_packet(struct tftp *t)
{
	long long deadline = now_ms() + t->timeout_ms;

	for (;;) {
		struct sockaddr_storage from;
		socklen_t from_len = sizeof(from);
		ssize_t n;
		int ret;

		n = recvfrom(t->fd, t->pkt, TFTP_PACKET_MAX, 0, (struct sockaddr *)&from,
			     &from_len);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			if (errno == ECONNREFUSED || errno == EHOSTUNREACH ||
			    errno == ENETUNREACH) {
				ret = icmp_error(t);
				if (ret)
					return ret;
				continue;
			}
			return swauth_error_set(t->err, -EIO, "%s: cannot receive: %s", t->peer,
						strerror(errno));
		}
		if (!t->has_tid && same_addr(&from, &t->server, false)) {
			memcpy(&t->tid, &from, from_len);
			t->tid_len = from_len;
			t->has_tid = true;
		}
		if (t->has_tid && same_addr(&from, &t->tid, true)) {
			t->pkt_len = (size_t)n;
			if (n < 4 && !(n >= 2 && get16(t->pkt) == TFTP_OACK)) {
				abort_xfer(t, TFTP_EBADOP, "Packet too short");
				return swauth_error_set(t->err, -EPROTO,
							"%s: the server sent a %zd-byte packet",
							t->peer, n);
			}
			return 1;
		}
		send_error(t, &from, from_len, TFTP_EBADID, "Unknown transfer ID");
		if (now_ms() >= deadline)
			return 0;
	}
}

static void set_bufsize(int fd, int force, int plain)
{
	int size = TFTP_SOCKBUF;

	if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, plain, &size, sizeof(size));
}

/* The interface a packet to the server leaves by, for "via IFACE". */
static void find_iface(const struct tftp *t, char *name, size_t len)
{
	struct sockaddr_storage local;
	socklen_t local_len = sizeof(local);
	struct ifaddrs *ifa, *i;
	int fd;

	name[0] = '\0';
	fd = socket(t->server.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (connect(fd, (const struct sockaddr *)&t->server, t->server_len) < 0 ||
	    getsockname(fd, (struct sockaddr *)&local, &local_len) < 0 || getifaddrs(&ifa) < 0) {
		close(fd);
		return;
	}
	close(fd);
	for (i = ifa; i; i = i->ifa_next) {
		if (i->ifa_addr && same_addr((const void *)i->ifa_addr, &local, false)) {
			snprintf(name, len, "%s", i->ifa_name);
			break;
		}
	}
	freeifaddrs(ifa);
}

static int tftp_open(struct tftp *t, const struct swauth_url *u, const struct swauth_xfer_opts *o,
		     struct swauth_xfer_result *r, struct swauth_error *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM, .ai_flags = AI_NUMERICSERV };
	struct addrinfo *ai;
	char port[8];
	int on = 1, ret;
	struct timeval tv;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->err = err;
	t->timeout_ms = o && o->timeout_ms ? o->timeout_ms : TFTP_TIMEOUT_MS;
	t->retries = o && o->retries ? o->retries : TFTP_RETRIES;
	t->want_blksize = o ? o->blksize : 0;
	t->want_window = o && o->windowsize > 1 ? o->windowsize : 0;
	t->want_timeout_s = (t->timeout_ms + 999) / 1000;
	if (t->want_timeout_s > TFTP_TIMEOUT_MAX_S)
		t->want_timeout_s = TFTP_TIMEOUT_MAX_S;
	t->options = true;
	t->blksize = TFTP_BLKSIZE_DEFAULT;
	t->window = 1;
	t->path = u->path;
	memset(r, 0, sizeof(*r));
	swauth_error_clear(err);

	if (u->scheme != SWAUTH_URL_TFTP)
		return swauth_error_set(err, -EINVAL, "not a tftp:// URL");
	if (t->want_blksize && (t->want_blksize < TFTP_BLKSIZE_MIN ||
				t->want_blksize > TFTP_BLKSIZE_MAX))
		return swauth_error_set(err, -EINVAL,
					"TFTP block size %u is outside %u..%u", t->want_blksize,
					TFTP_BLKSIZE_MIN, TFTP_BLKSIZE_MAX);
	if (t->want_window > TFTP_WINDOW_MAX)
		return swauth_error_set(err, -EINVAL, "TFTP window size %u is above %u",
					t->want_window, TFTP_WINDOW_MAX);
	if (u->port > 65535)
		return swauth_error_set(err, -EINVAL, "port %u is above 65535", u->port);
	if (!u->path[0] || !u->path[1])
		return swauth_error_set(err, -EINVAL, "the TFTP URL names no file");

	snprintf(port, sizeof(port), "%u", u->port ? u->port : TFTP_PORT);
	ret = getaddrinfo(u->host, port, &hints, &ai);
	if (ret)
		return swauth_error_set(err, -EHOSTUNREACH, "cannot resolve '%s': %s", u->host,
					gai_strerror(ret));
	memcpy(&t->server, ai->ai_addr, ai->ai_addrlen);
	t->server_len = ai->ai_addrlen;
	freeaddrinfo(ai);
	if (t->server.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&t->server)->sin_addr, r->peer,
			  sizeof(r->peer));
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&t->server)->sin6_addr, r->peer,
			  sizeof(r->peer));
	snprintf(t->peer, sizeof(t->peer), "%s", r->peer);
	find_iface(t, r->iface, sizeof(r->iface));

	t->pkt = malloc(TFTP_PACKET_MAX);
	if (!t->pkt)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	t->fd = socket(t->server.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (t->fd < 0)
		return swauth_error_set(err, -errno, "cannot open a UDP socket: %s",
					strerror(errno));
	set_bufsize(t->fd, SO_RCVBUFFORCE, SO_RCVBUF);
	set_bufsize(t->fd, SO_SNDBUFFORCE, SO_SNDBUF);
	if (t->server.ss_family == AF_INET)
		setsockopt(t->fd, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
	else
		setsockopt(t->fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on));
	tv.tv_sec = t->timeout_ms / 1000;
	tv.tv_usec = (t->timeout_ms % 1000) * 1000;
	if (setsockopt(t->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return swauth_error_set(err, -errno, "cannot set the socket timeout: %s",
					strerror(errno));
	return 0;
}

static void tftp_close(struct tftp *t)
{
	if (t->fd >= 0)
		close(t->fd);
	free(t->pkt);
	free(t->out);
}

static size_t add_str(uint8_t *buf, size_t pos, const char *s)
{
	size_t len = strlen(s) + 1;

	memcpy(buf + pos, s, len);
	return pos + len;
}

static size_t add_opt(uint8_t *buf, size_t pos, const char *name, unsigned long long v)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", v);
	pos = add_str(buf, pos, name);
	return add_str(buf, pos, num);
}

/*
 * RRQ or WRQ for t->path, with every option we want (none once the server
 * has refused them); tsize is 0 in an RRQ.
 */
static size_t build_request(const struct tftp *t, uint8_t *buf, enum tftp_opcode op,
			    uint64_t tsize)
{
	size_t pos = 2;

	put16(buf, op);
	pos = add_str(buf, pos, t->path + 1);
	pos = add_str(buf, pos, "octet");
	if (!t->options)
		return pos;
	if (t->want_blksize)
		pos = add_opt(buf, pos, "blksize", t->want_blksize);
	pos = add_opt(buf, pos, "tsize", tsize);
	pos = add_opt(buf, pos, "timeout", t->want_timeout_s);
	if (t->want_window)
		pos = add_opt(buf, pos, "windowsize", t->want_window);
	return pos;
}

static int bad_oack(struct tftp *t, const char *what, const char *name, const char *value)
{
	abort_xfer(t, TFTP_EOPTNEG, "Bad option acknowledgement");
	return swauth_error_set(t->err, -EPROTO, "%s: the server's OACK %s: '%s' = '%s'",
				t->peer, what, name, value);
}

static bool parse_number(const char *s, unsigned long long max, unsigned long long *v)
{
	unsigned long long n = 0;

	if (!*s || strlen(s) > 20)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (n > (max - (unsigned long long)(*s - '0')) / 10)
			return false;
		n = n * 10 + (unsigned long long)(*s - '0');
	}
	*v = n;
	return true;
}

/*
 * An OACK: every option must be one we asked for, once, with a value the
 * RFCs allow. @upload_size is the tsize we announced in a WRQ (the server
 * must echo it), or UINT64_MAX for an RRQ.
 */
static int parse_oack(struct tftp *t, uint64_t upload_size)
{
	const char *p = (const char *)t->pkt + 2, *end = (const char *)t->pkt + t->pkt_len;
	unsigned int seen = 0;

	while (p < end) {
		const char *name = p, *value, *nul;
		unsigned long long v;
		unsigned int bit;

		nul = memchr(name, '\0', (size_t)(end - name));
		if (!nul)
			return bad_oack(t, "has an option name without its end", "", "");
		value = nul + 1;
		nul = value < end ? memchr(value, '\0', (size_t)(end - value)) : NULL;
		if (!nul)
			return bad_oack(t, "has an option without a value", name, "");
		p = nul + 1;
		if (!strcasecmp(name, "blksize") && t->want_blksize) {
			bit = 1;
			if (!parse_number(value, TFTP_BLKSIZE_MAX, &v) || v < TFTP_BLKSIZE_MIN ||
			    v > t->want_blksize)
				return bad_oack(t, "has a block size that was not asked for",
						name, value);
			t->blksize = (unsigned int)v;
		} else if (!strcasecmp(name, "windowsize") && t->want_window) {
			bit = 2;
			if (!parse_number(value, TFTP_WINDOW_MAX, &v) || v < 1 ||
			    v > t->want_window)
				return bad_oack(t, "has a window size that was not asked for",
						name, value);
			t->window = (unsigned int)v;
		} else if (!strcasecmp(name, "timeout")) {
			bit = 4;
			if (!parse_number(value, TFTP_TIMEOUT_MAX_S, &v) || v != t->want_timeout_s)
				return bad_oack(t, "changes the timeout", name, value);
		} else if (!strcasecmp(name, "tsize")) {
			bit = 8;
			if (!parse_number(value, UINT64_MAX, &v) ||
			    (upload_size != UINT64_MAX && v != upload_size))
				return bad_oack(t, "has a bad transfer size", name, value);
			t->has_tsize = upload_size == UINT64_MAX;
			t->tsize = v;
		} else {
			return bad_oack(t, "has an option that was not asked for", name, value);
		}
		if (seen & bit)
			return bad_oack(t, "repeats an option", name, value);
		seen |= bit;
	}
	return 0;
}

/* The server's ERROR packet, as an errno and its own text. */
static int server_error(struct tftp *t)
{
	static const int codes[] = {
		[TFTP_EUNDEF] = -EIO, [TFTP_ENOTFOUND] = -ENOENT, [TFTP_EACCESS] = -EACCES,
		[TFTP_ENOSPACE] = -ENOSPC, [TFTP_EBADOP] = -EPROTO, [TFTP_EBADID] = -EPROTO,
		[TFTP_EEXISTS] = -EEXIST, [TFTP_ENOUSER] = -EACCES, [TFTP_EOPTNEG] = -EPROTO,
	};
	unsigned int code = get16(t->pkt + 2);
	char text[256];
	size_t i, len = t->pkt_len - TFTP_HDR_LEN;

	if (len >= sizeof(text))
		len = sizeof(text) - 1;
	for (i = 0; i < len && t->pkt[TFTP_HDR_LEN + i]; i++) {
		uint8_t c = t->pkt[TFTP_HDR_LEN + i];

		text[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	text[i] = '\0';
	return swauth_error_set(t->err, code < sizeof(codes) / sizeof(codes[0]) ? codes[code] : -EIO,
				"%s: %s: %s (TFTP error %u)", t->peer, t->path,
				i ? text : "no reason given", code);
}

static int unexpected(struct tftp *t, unsigned int op)
{
	abort_xfer(t, TFTP_EBADOP, "Illegal TFTP operation");
	return swauth_error_set(t->err, -EPROTO, "%s: the server sent an unexpected opcode %u",
				t->peer, op);
}

static int timed_out(struct tftp *t, const char *what)
{
	abort_xfer(t, TFTP_EUNDEF, "Timed out");
	return swauth_error_set(t->err, -ETIMEDOUT, "%s: no answer %s after %u tries of %u ms",
				t->peer, what, t->retries + 1, t->timeout_ms);
}

/*
 * Send the request and wait for the first reply, sending it again on each
 * timeout. A server that refuses the options with ERROR 8 (RFC 2347) is
 * asked again without them. Return: 0 with the reply in t->pkt (OACK,
 * ERROR, or DATA/ACK when the server ignored the options), or -errno.
 */
static int request(struct tftp *t, enum tftp_opcode op, uint64_t tsize)
{
	uint8_t *req = malloc(PATH_MAX + 128);
	unsigned int tries;
	size_t len;
	int ret = 0;

	if (!req)
		return swauth_error_set(t->err, -ENOMEM, "out of memory");
	len = build_request(t, req, op, tsize);
	tries = 0;
	while (tries++ <= t->retries) {
		ret = send_to(t, req, len, &t->server, t->server_len);
		if (ret)
			goto out;
		ret = recv_packet(t);
		if (ret < 0)
			goto out;
		if (ret == 0)
			continue;
		if (t->options && get16(t->pkt) == TFTP_ERROR &&
		    get16(t->pkt + 2) == TFTP_EOPTNEG) {
			t->options = false;
			t->has_tid = false;
			len = build_request(t, req, op, tsize);
			tries = 0;
			continue;
		}
		ret = 0;
		goto out;
	}
	ret = timed_out(t, "to the request");
out:
	free(req);
	return ret;
}

static void progress(const struct swauth_xfer_opts *o, uint64_t done, uint64_t total,
		     uint64_t *next)
{
	if (!o || !o->progress || done < *next)
		return;
	*next = done + TFTP_PROGRESS_STEP;
	o->progress(o->progress_arg, done, total);
}

static int sink_failed(struct tftp *t, struct swauth_sink *sink, int ret, const char *what)
{
	abort_xfer(t, ret == -ENOSPC ? TFTP_ENOSPACE : TFTP_EUNDEF,
		   ret == -ENOSPC ? "Disk full or allocation exceeded" : "Transfer stopped");
	if (sink->err.code && sink->err.msg[0])
		return swauth_error_set(t->err, ret, "%s", sink->err.msg);
	return swauth_error_set(t->err, ret, "%s: the destination refused the %s: %s", t->peer,
				what, strerror(-ret));
}

/* DATA blocks until a short one; the first may already be in t->pkt. */
static int receive_data(struct tftp *t, const struct swauth_xfer_opts *o,
			struct swauth_sink *sink, bool have_first, uint64_t *done)
{
	uint64_t total = t->has_tsize ? t->tsize : 0, next_progress = 0;
	unsigned int expect = 1, in_window = 0, tries = 0;
	long long progress_ms = now_ms();
	bool gap_acked = false;
	int ret;

	for (;;) {
		unsigned int op, block;
		size_t len;
		bool last;

		if (have_first) {
			ret = 1;
			have_first = false;
		} else {
			ret = recv_packet(t);
		}
		if (ret < 0)
			return ret;
		if (ret == 0)
			goto stalled;
		op = get16(t->pkt);
		if (op == TFTP_ERROR)
			return server_error(t);
		if (op == TFTP_OACK && t->options && expect == 1) {
			/* Our ACK 0 was lost. */
			ret = send_ack(t, 0);
			if (ret)
				return ret;
			goto ignored;
		}
		if (op != TFTP_DATA)
			return unexpected(t, op);
		block = get16(t->pkt + 2);
		len = t->pkt_len - TFTP_HDR_LEN;
		if (block != (expect & 0xffff)) {
			/*
			 * A block from the future means some were lost: ask once
			 * for the rest from the last one we have. An old block is
			 * a retransmission; answering it would start the
			 * Sorcerer's Apprentice, the timeout deals with it.
			 */
			if (((block - expect) & 0xffff) < 0x8000 && !gap_acked) {
				gap_acked = true;
				in_window = 0;
				ret = send_ack(t, expect - 1);
				if (ret)
					return ret;
			}
			goto ignored;
		}
		if (len > t->blksize) {
			abort_xfer(t, TFTP_EBADOP, "Block larger than blksize");
			return swauth_error_set(t->err, -EPROTO,
						"%s: block %u has %zu bytes, more than the block size %u",
						t->peer, block, len, t->blksize);
		}
		if (t->has_tsize && *done + len > t->tsize) {
			abort_xfer(t, TFTP_EBADOP, "More data than tsize");
			return swauth_error_set(t->err, -EPROTO,
						"%s: the server sends more than the %llu bytes it announced",
						t->peer, (unsigned long long)t->tsize);
		}
		tries = 0;
		progress_ms = now_ms();
		gap_acked = false;
		last = len < t->blksize;
		/* ACK first: the server sends on while the sink writes. */
		if (!last && ++in_window >= t->window) {
			in_window = 0;
			ret = send_ack(t, block);
			if (ret)
				return ret;
		}
		if (len) {
			ret = sink->write(sink, t->pkt + TFTP_HDR_LEN, len);
			if (ret)
				return sink_failed(t, sink, ret, "data");
		}
		*done += len;
		progress(o, *done, total, &next_progress);
		if (last)
			break;
		expect++;
		continue;
ignored:
		/* Packets that are no progress do not keep a transfer alive. */
		if (now_ms() - progress_ms < t->timeout_ms)
			continue;
stalled:
		if (++tries > t->retries)
			return timed_out(t, "during the transfer");
		progress_ms = now_ms();
		in_window = 0;
		ret = send_ack(t, expect - 1);
		if (ret)
			return ret;
	}
	if (t->has_tsize && *done != t->tsize) {
		abort_xfer(t, TFTP_EBADOP, "Less data than tsize");
		return swauth_error_set(t->err, -EPROTO,
					"%s: the server sent %llu bytes, not the %llu it announced",
					t->peer, (unsigned long long)*done,
					(unsigned long long)t->tsize);
	}
	/* Every byte is in: a lost last ACK only makes the server retry. */
	send_ack(t, expect);
	if (o && o->progress)
		o->progress(o->progress_arg, *done, total ? total : *done);
	return 0;
}

/**
 * swauth_tftp_get() - download a file over TFTP into a sink
 * @u: a tftp:// URL; the path is sent without its leading '/'
 * @o: timeout, retries, block and window size, progress; NULL for defaults
 * @sink: receives the announced size (tsize), then the bytes in order
 * @r: filled with the bytes received, the server's address and the interface
 * @err: why it failed
 *
 * Asks for the options in @o and tsize; a server that ignores them gets
 * plain RFC 1350 (512-byte blocks, no window). When the sink returns an
 * error the server gets an ERROR packet and the sink's error is returned.
 *
 * Return: 0 when the whole file is in the sink, or -errno (see xfer.h).
 */
int swauth_tftp_get(const struct swauth_url *u, const struct swauth_xfer_opts *o,
		    struct swauth_sink *sink, struct swauth_xfer_result *r,
		    struct swauth_error *err)
{
	struct tftp t;
	uint64_t done = 0;
	bool have_first = false;
	unsigned int op;
	int ret;

	ret = tftp_open(&t, u, o, r, err);
	if (ret)
		goto out;
	ret = request(&t, TFTP_RRQ, 0);
	if (ret)
		goto out;
	op = get16(t.pkt);
	if (op == TFTP_ERROR) {
		ret = server_error(&t);
		goto out;
	}
	if (op == TFTP_OACK && t.options) {
		ret = parse_oack(&t, UINT64_MAX);
		if (ret)
			goto out;
		if (t.has_tsize && sink->size) {
			ret = sink->size(sink, t.tsize);
			if (ret) {
				ret = sink_failed(&t, sink, ret, "announced size");
				goto out;
			}
		}
		ret = send_ack(&t, 0);
		if (ret)
			goto out;
	} else if (op == TFTP_DATA) {
		have_first = true;
	} else {
		ret = unexpected(&t, op);
		goto out;
	}
	ret = receive_data(&t, o, sink, have_first, &done);
out:
	r->bytes = done;
	tftp_close(&t);
	return ret;
}

/* Send blocks [first, first + count) of the file (1-based, 64-bit). */
static int send_blocks(struct tftp *t, int fd, uint64_t size, uint64_t first, uint64_t count)
{
	uint64_t b;

	for (b = first; b < first + count; b++) {
		uint64_t off = (b - 1) * t->blksize;
		size_t want = size - off < t->blksize ? (size_t)(size - off) : t->blksize;
		size_t got = 0;
		int ret;

		while (got < want) {
			ssize_t n = pread(fd, t->out + TFTP_HDR_LEN + got, want - got,
					  (off_t)(off + got));

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				abort_xfer(t, TFTP_EUNDEF, "Read error");
				return swauth_error_set(t->err, -errno,
							"cannot read the file at byte %llu: %s",
							(unsigned long long)(off + got),
							strerror(errno));
			}
			if (n == 0) {
				abort_xfer(t, TFTP_EUNDEF, "File shrank");
				return swauth_error_set(t->err, -EIO,
							"the file ends at byte %llu, before its size %llu",
							(unsigned long long)(off + got),
							(unsigned long long)size);
			}
			got += (size_t)n;
		}
		put16(t->out, TFTP_DATA);
		put16(t->out + 2, (unsigned int)(b & 0xffff));
		ret = send_to(t, t->out, TFTP_HDR_LEN + want, &t->tid, t->tid_len);
		if (ret)
			return ret;
	}
	return 0;
}

static int send_data(struct tftp *t, const struct swauth_xfer_opts *o, int fd, uint64_t size,
		     uint64_t *done)
{
	uint64_t blocks = size / t->blksize + 1, acked = 0, next_progress = 0;
	unsigned int tries = 0;
	int ret;

	t->out = malloc(TFTP_HDR_LEN + t->blksize);
	if (!t->out)
		return swauth_error_set(t->err, -ENOMEM, "out of memory");
	while (acked < blocks) {
		uint64_t count = blocks - acked < t->window ? blocks - acked : t->window;
		long long sent_ms = now_ms();

		ret = send_blocks(t, fd, size, acked + 1, count);
		if (ret)
			return ret;
		for (;;) {
			unsigned int op, d = 0;

			ret = recv_packet(t);
			if (ret < 0)
				return ret;
			if (ret > 0) {
				op = get16(t->pkt);
				if (op == TFTP_ERROR)
					return server_error(t);
				if (op != TFTP_ACK && !(op == TFTP_OACK && t->options && !acked))
					return unexpected(t, op);
				/* How far into the window this ACK reaches. */
				if (op == TFTP_ACK)
					d = (get16(t->pkt + 2) - (unsigned int)acked) & 0xffff;
			}
			/*
			 * A repeated ACK (d == 0) resends nothing: that is the
			 * Sorcerer's Apprentice. Only the timeout does, and
			 * packets that are no progress do not put it off.
			 */
			if (d == 0 || d > count) {
				if (ret > 0 && now_ms() - sent_ms < t->timeout_ms)
					continue;
				if (++tries > t->retries)
					return timed_out(t, "during the transfer");
				break;
			}
			acked += d;
			tries = 0;
			*done = acked * t->blksize < size ? acked * t->blksize : size;
			progress(o, *done, size, &next_progress);
			break;
		}
	}
	if (o && o->progress)
		o->progress(o->progress_arg, size, size);
	return 0;
}

/**
 * swauth_tftp_put() - upload a file over TFTP
 * @u: a tftp:// URL naming the file to write on the server
 * @o: timeout, retries, block and window size, progress; NULL for defaults
 * @fd: the file to send, read with pread(2) from offset 0
 * @size: its size, announced as tsize; exactly this many bytes are sent
 * @r: filled with the bytes the server acknowledged, its address, the interface
 * @err: why it failed
 *
 * Return: 0 when the server acknowledged the last block, or -errno (see xfer.h).
 */
int swauth_tftp_put(const struct swauth_url *u, const struct swauth_xfer_opts *o, int fd,
		    uint64_t size, struct swauth_xfer_result *r, struct swauth_error *err)
{
	struct tftp t;
	uint64_t done = 0;
	unsigned int op;
	int ret;

	ret = tftp_open(&t, u, o, r, err);
	if (ret)
		goto out;
	ret = request(&t, TFTP_WRQ, size);
	if (ret)
		goto out;
	op = get16(t.pkt);
	if (op == TFTP_ERROR) {
		ret = server_error(&t);
	} else if (op == TFTP_OACK && t.options) {
		ret = parse_oack(&t, size);
	} else if (op != TFTP_ACK) {
		ret = unexpected(&t, op);
	} else if (get16(t.pkt + 2) != 0) {
		abort_xfer(&t, TFTP_EBADOP, "Expected ACK 0");
		ret = swauth_error_set(err, -EPROTO, "%s: the server acknowledged block %u, not the request",
				       t.peer, get16(t.pkt + 2));
	}
	if (!ret)
		ret = send_data(&t, o, fd, size, &done);
out:
	r->bytes = done;
	tftp_close(&t);
	return ret;
}
