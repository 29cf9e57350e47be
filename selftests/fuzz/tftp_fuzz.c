// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * libFuzzer target for swcopy's TFTP client (userspace/lib/xfer/tftp.c and
 * tftp-sock.c): everything it reads from a server, the first reply (OACK,
 * ERROR, DATA or ACK) and every packet after it, in a download and in an
 * upload. The client runs unchanged; the link replaces sendto() and
 * recvfrom() (ld --wrap) with a server that answers from the input:
 *
 *   byte 0    bit 0: upload, else download; bits 1-2: the block size asked
 *             for (none, 8, 512, 1428); bits 3-4: the window (none, 2, 4, 16)
 *   byte 1    the upload's size, in units of 37 bytes
 *   then      packets, each a flags byte (bit 0: from another port than
 *             the server's), a 16-bit length and the bytes; when they run
 *             out, the server is silent and the client times out
 *
 * Besides memory safety (ASan, UBSan), it checks the client's promises:
 * every packet it sends is well formed (a DATA block no larger than the
 * block size asked for), a download hands the sink the announced size
 * first and never more bytes than announced, and a transfer that succeeds
 * moved exactly the announced bytes (download) or the whole file (upload).
 * Built by `make fuzz` into build/fuzz/tftp_fuzz; the seeds
 * (build/fuzz/corpus/tftp/) are the dialogues of tftpd-hpa, written by
 * tftp_seeds.sh.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/xfer.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
ssize_t __wrap_sendto(int fd, const void *buf, size_t len, int flags,
		      const struct sockaddr *to, socklen_t to_len);
ssize_t __wrap_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
			socklen_t *from_len);

enum { SERVER_PORT = 40000, STRANGER_PORT = 40001, UPLOAD_UNIT = 37 };

static const uint8_t *in, *in_end;	/* the packets still to come */
static unsigned int max_blksize;	/* the largest DATA block the client may send */

ssize_t __wrap_sendto(int fd, const void *buf, size_t len, int flags,
		      const struct sockaddr *to, socklen_t to_len)
{
	const uint8_t *p = buf;
	unsigned int op;

	(void)fd;
	(void)flags;
	(void)to;
	CHECK(len >= 4 && to_len > 0);
	op = get16(p);
	CHECK(op >= TFTP_RRQ && op <= TFTP_ERROR);
	if (op == TFTP_ACK)
		CHECK(len == 4);
	if (op == TFTP_DATA)
		CHECK(len - TFTP_HDR_LEN <= max_blksize);
	if (op == TFTP_ERROR || op == TFTP_RRQ || op == TFTP_WRQ)
		CHECK(p[len - 1] == '\0');
	return (ssize_t)len;
}

ssize_t __wrap_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
			socklen_t *from_len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	size_t n;
	uint8_t how;

	(void)fd;
	(void)flags;
	if (in_end - in < 3) {
		errno = EAGAIN;
		return -1;
	}
	how = in[0];
	n = get16(in + 1);
	in += 3;
	if (n > (size_t)(in_end - in))
		n = (size_t)(in_end - in);
	CHECK(n <= len);
	memcpy(buf, in, n);
	in += n;
	sin.sin_port = htons(how & 1 ? STRANGER_PORT : SERVER_PORT);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(*from_len >= sizeof(sin));
	memcpy(from, &sin, sizeof(sin));
	*from_len = sizeof(sin);
	return (ssize_t)n;
}

struct counting_sink {
	struct swauth_sink sink;
	bool sized;
	uint64_t announced, written;
};

static int sink_size(struct swauth_sink *sink, uint64_t total)
{
	struct counting_sink *c = (struct counting_sink *)sink;

	CHECK(!c->sized && !c->written);
	c->sized = true;
	c->announced = total;
	return 0;
}

static int sink_write(struct swauth_sink *sink, const void *buf, size_t len)
{
	struct counting_sink *c = (struct counting_sink *)sink;

	CHECK(len > 0);
	(void)((const volatile uint8_t *)buf)[len - 1];
	c->written += len;
	CHECK(!c->sized || c->written <= c->announced);
	return 0;
}

static void download(const struct swauth_url *u, const struct swauth_xfer_opts *o)
{
	struct counting_sink c = { .sink = { .size = sink_size, .write = sink_write } };
	struct swauth_xfer_result r;
	struct swauth_error err = { 0 };
	int ret;

	ret = swauth_tftp_get(u, o, &c.sink, &r, &err);
	CHECK(r.bytes == c.written);
	if (ret) {
		CHECK(ret < 0 && err.code == ret && err.msg[0]);
		return;
	}
	CHECK(!c.sized || c.written == c.announced);
}

static void upload(const struct swauth_url *u, const struct swauth_xfer_opts *o,
		   uint64_t size)
{
	static uint8_t bytes[255 * UPLOAD_UNIT];
	struct swauth_xfer_result r;
	struct swauth_error err = { 0 };
	int fd = memfd_create("upload", MFD_CLOEXEC), ret;

	CHECK(fd >= 0);
	CHECK(write(fd, bytes, size) == (ssize_t)size);
	ret = swauth_tftp_put(u, o, fd, size, &r, &err);
	close(fd);
	CHECK(r.bytes <= size);
	if (ret)
		CHECK(ret < 0 && err.code == ret && err.msg[0]);
	else
		CHECK(r.bytes == size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int blksizes[] = { 0, 8, 512, 1428 }, windows[] = { 0, 2, 4, 16 };
	static struct swauth_url u = {
		.scheme = SWAUTH_URL_TFTP, .host = "127.0.0.1", .path = "/image.SPA",
	};
	struct swauth_xfer_opts o = { .timeout_ms = 1000, .retries = 1 };

	if (size < 2)
		return 0;
	o.blksize = blksizes[(data[0] >> 1) & 3];
	o.windowsize = windows[(data[0] >> 3) & 3];
	/* A server that ignores the options gets 512-byte blocks. */
	max_blksize = o.blksize > TFTP_BLKSIZE_DEFAULT ? o.blksize : TFTP_BLKSIZE_DEFAULT;
	in = data + 2;
	in_end = data + size;
	if (data[0] & 1)
		upload(&u, &o, (uint64_t)data[1] * UPLOAD_UNIT);
	else
		download(&u, &o);
	return 0;
}
