// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The TFTP client's socket layer: one unconnected UDP socket per transfer.
 * The server answers from a new port (its transfer ID), and a packet from
 * any other port gets an ERROR 5 and is otherwise ignored. IP_RECVERR lets
 * an ICMP port unreachable for the server's address end the transfer at
 * once instead of after all the retries. The receive buffer is as large as
 * the system allows, so that a whole window of the largest blocks fits in
 * it and nothing is lost.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/xfer.h"

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

/**
 * swauth_tftp_send() - send one packet
 * @t: the transfer
 * @buf: the packet
 * @len: its length
 * @to: where to: the server's request port or its transfer ID
 * @to_len: the length of @to
 *
 * Return: 0 (also when a pending ICMP error concerns another address), or
 * -errno with t->err set.
 */
int swauth_tftp_send(struct tftp *t, const void *buf, size_t len,
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

/* Best effort: the transfer has failed already. */
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

/**
 * swauth_tftp_abort() - tell the server that the transfer is over
 * @t: the transfer; nothing is sent before the server has answered
 * @code: the TFTP error code
 * @msg: its text
 *
 * Best effort: the transfer has failed already, whatever happens to this.
 */
void swauth_tftp_abort(struct tftp *t, unsigned int code, const char *msg)
{
	if (t->has_tid)
		send_error(t, &t->tid, t->tid_len, code, msg);
}

/**
 * swauth_tftp_ack() - acknowledge a block to the server's transfer ID
 * @t: the transfer
 * @block: the block number; only its low 16 bits go on the wire
 *
 * Return: 0 or -errno, as swauth_tftp_send().
 */
int swauth_tftp_ack(struct tftp *t, unsigned int block)
{
	uint8_t ack[TFTP_HDR_LEN];

	put16(ack, TFTP_ACK);
	put16(ack + 2, block & 0xffff);
	return swauth_tftp_send(t, ack, sizeof(ack), &t->tid, t->tid_len);
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

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/**
 * swauth_tftp_now_ms() - the monotonic clock
 *
 * Return: milliseconds since an arbitrary point, never going back.
 */
long long swauth_tftp_now_ms(void)
{
	return now_ns() / 1000000;
}

/*
 * How long to poll for the next packet before sleeping in recvfrom(). In
 * lock step every block waits a round trip, and a client that sleeps adds
 * its own wake-up to each one (tens of microseconds on a virtual machine);
 * polling a little first takes that out, and costs nothing when packets
 * are already queued, as they are with a window.
 */
enum { TFTP_POLL_NS = 100000 };

/* recvfrom() of the next packet: polled for a while, then waited for. */
static ssize_t recv_packet(struct tftp *t, struct sockaddr_storage *from, socklen_t *from_len)
{
	long long until = 0;
	ssize_t n;

	for (;;) {
		*from_len = sizeof(*from);
		n = recvfrom(t->fd, t->pkt, TFTP_PACKET_MAX, MSG_DONTWAIT,
			     (struct sockaddr *)from, from_len);
		if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			return n;
		if (!until)
			until = now_ns() + TFTP_POLL_NS;
		else if (now_ns() >= until)
			break;
		sched_yield();
	}
	*from_len = sizeof(*from);
	return recvfrom(t->fd, t->pkt, TFTP_PACKET_MAX, 0, (struct sockaddr *)from, from_len);
}

/**
 * swauth_tftp_recv() - wait for the next packet of the transfer
 * @t: the transfer
 *
 * Waits at most about one timeout. Packets from another port than the
 * server's get an ERROR 5 (RFC 1350: "Unknown transfer ID") and are
 * otherwise ignored: they neither return nor put the timeout off. The
 * first reply from the server's address fixes that port (its transfer
 * ID). Packets too short for any opcode end the transfer, and so does the
 * transfer's deadline.
 *
 * Return: 1 with t->pkt and t->pkt_len set, 0 on timeout, or -errno with
 * t->err set.
 */
int swauth_tftp_recv(struct tftp *t)
{
	long long deadline = swauth_tftp_now_ms() + t->timeout_ms;

	if (t->deadline_ms && swauth_tftp_now_ms() >= t->deadline_ms) {
		swauth_tftp_abort(t, TFTP_EUNDEF, "Deadline passed");
		return swauth_error_set(t->err, -ETIMEDOUT,
					"%s: the transfer did not end within its deadline of %u s",
					t->peer, t->deadline_s);
	}

	for (;;) {
		struct sockaddr_storage from;
		socklen_t from_len;
		ssize_t n;
		int ret;

		n = recv_packet(t, &from, &from_len);
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
				swauth_tftp_abort(t, TFTP_EBADOP, "Packet too short");
				return swauth_error_set(t->err, -EPROTO,
							"%s: the server sent a %zd-byte packet",
							t->peer, n);
			}
			return 1;
		}
		send_error(t, &from, from_len, TFTP_EBADID, "Unknown transfer ID");
		if (swauth_tftp_now_ms() >= deadline)
			return 0;
	}
}

static void set_bufsize(int fd, int force, int plain)
{
	int size = TFTP_SOCKBUF;

	if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, plain, &size, sizeof(size));
}

/**
 * swauth_tftp_open() - check the options, resolve the server, open the socket
 * @t: the transfer to set up; swauth_tftp_close() it even on failure
 * @u: the tftp:// URL
 * @o: the caller's options, or NULL for the defaults
 * @r: the result, cleared; its peer and iface are filled here
 * @err: where the transfer's errors go
 *
 * Return: 0 or -errno.
 */
int swauth_tftp_open(struct tftp *t, const struct swauth_url *u, const struct swauth_xfer_opts *o,
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
	t->deadline_s = o ? o->deadline_s : 0;
	if (t->deadline_s)
		t->deadline_ms = swauth_tftp_now_ms() + (long long)t->deadline_s * 1000;
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
		return swauth_error_set(err, -EINVAL,
					"TFTP window size %u is above %u: 16-bit block numbers could not tell a stale ACK from a new one",
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
	swauth_iface_to((const struct sockaddr *)&t->server, t->server_len, r->iface,
			sizeof(r->iface));

	t->pkt = malloc(TFTP_PACKET_MAX);
	if (!t->pkt)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	t->fd = socket(t->server.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (t->fd < 0)
		return swauth_error_set(err, -errno, "cannot open a UDP socket: %s",
					strerror(errno));
	ret = swauth_xfer_bind(t->fd, t->server.ss_family, o, err);
	if (ret)
		return ret;
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

/**
 * swauth_tftp_close() - release what swauth_tftp_open() took
 * @t: the transfer
 */
void swauth_tftp_close(struct tftp *t)
{
	if (t->fd >= 0)
		close(t->fd);
	free(t->pkt);
	free(t->out);
}
