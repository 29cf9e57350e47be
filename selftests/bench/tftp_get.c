// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The benchmark's TFTP client (scripts/bench-tftp): swauth_tftp_get() into
 * a file, timed from outside like the reference clients. Like their stdio,
 * the sink gathers small blocks into larger writes; a block as large as
 * its buffer goes straight from the client's receive buffer to the file.
 * Usage: tftp-get HOST PORT FILE BLKSIZE WINDOW OUT
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/xfer.h"

enum { GATHER = 256 << 10 };

struct fd_sink {
	struct swauth_sink s;
	int fd;
	size_t used;
	char buf[GATHER];
};

static int write_all(struct fd_sink *f, const char *p, size_t len)
{
	struct swauth_sink *s = &f->s;

	while (len) {
		ssize_t n = write(f->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return swauth_error_set(&s->err, n < 0 ? -errno : -EIO,
						"cannot write: %s", strerror(n < 0 ? errno : EIO));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int flush(struct fd_sink *f)
{
	int ret = write_all(f, f->buf, f->used);

	f->used = 0;
	return ret;
}

static int fd_write(struct swauth_sink *s, const void *buf, size_t len)
{
	struct fd_sink *f = (struct fd_sink *)s;
	int ret;

	if (f->used + len > sizeof(f->buf)) {
		ret = flush(f);
		if (ret)
			return ret;
	}
	if (len >= sizeof(f->buf) / 4)
		return write_all(f, buf, len);
	memcpy(f->buf + f->used, buf, len);
	f->used += len;
	return 0;
}

static unsigned int number(const char *s, const char *what)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > 65535) {
		fprintf(stderr, "tftp-get: %s must be a number up to 65535, not '%s'\n", what, s);
		exit(2);
	}
	return (unsigned int)v;
}

int main(int argc, char **argv)
{
	static struct fd_sink f = { .s.write = fd_write };
	struct swauth_xfer_result r;
	struct swauth_xfer_opts o = { 0 };
	struct swauth_error err;
	struct swauth_url u = { .scheme = SWAUTH_URL_TFTP };

	if (argc != 7) {
		fprintf(stderr, "Usage: tftp-get HOST PORT FILE BLKSIZE WINDOW OUT\n");
		return 2;
	}
	snprintf(u.host, sizeof(u.host), "%s", argv[1]);
	u.port = number(argv[2], "PORT");
	snprintf(u.path, sizeof(u.path), "/%s", argv[3]);
	o.blksize = number(argv[4], "BLKSIZE");
	o.windowsize = number(argv[5], "WINDOW");
	f.fd = open(argv[6], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (f.fd < 0) {
		perror("tftp-get: Unable to open the output");
		return 1;
	}
	if (swauth_tftp_get(&u, &o, &f.s, &r, &err)) {
		fprintf(stderr, "tftp-get: %s\n", err.msg);
		return 1;
	}
	if (flush(&f) || close(f.fd) < 0) {
		perror("tftp-get: Unable to close the output");
		return 1;
	}
	return 0;
}
