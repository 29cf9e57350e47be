// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The benchmark's download driver (scripts/bench): swauth_curl_get() into
 * a file, the way swcopy's sink writes it, nothing else.
 * Usage: curl-fetch ftp|http|https HOST PORT PATH OUT
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/xfer.h"

struct file_sink {
	struct swauth_sink s;
	int fd;
};

static int file_write(struct swauth_sink *s, const void *buf, size_t len)
{
	struct file_sink *f = (struct file_sink *)s;
	const char *p = buf;

	while (len) {
		ssize_t n = write(f->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return swauth_error_set(&s->err, -errno, "write: %s", strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct file_sink sink = { .s.write = file_write };
	struct swauth_xfer_opts o = { 0 };
	struct swauth_xfer_result r;
	struct swauth_error err;
	struct swauth_url u = { 0 };
	char *end;
	int ret;

	if (argc != 6) {
		fprintf(stderr, "Usage: curl-fetch ftp|http|https HOST PORT PATH OUT\n");
		return 2;
	}
	if (!strcmp(argv[1], "ftp")) {
		u.scheme = SWAUTH_URL_FTP;
		snprintf(u.user, sizeof(u.user), "anonymous");
	} else if (!strcmp(argv[1], "http")) {
		u.scheme = SWAUTH_URL_HTTP;
	} else if (!strcmp(argv[1], "https")) {
		u.scheme = SWAUTH_URL_HTTPS;
	} else {
		fprintf(stderr, "curl-fetch: scheme \"%s\": expected ftp, http or https\n", argv[1]);
		return 2;
	}
	snprintf(u.host, sizeof(u.host), "%s", argv[2]);
	u.port = (unsigned int)strtoul(argv[3], &end, 10);
	if (!*argv[3] || *end) {
		fprintf(stderr, "curl-fetch: port \"%s\": expected a number\n", argv[3]);
		return 2;
	}
	snprintf(u.path, sizeof(u.path), "%s", argv[4]);
	sink.fd = open(argv[5], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (sink.fd < 0) {
		perror("curl-fetch: Unable to open the output file");
		return 1;
	}
	ret = swauth_curl_get(&u, &o, &sink.s, &r, &err);
	if (close(sink.fd) && !ret) {
		perror("curl-fetch: Unable to close the output file");
		return 1;
	}
	if (ret) {
		fprintf(stderr, "curl-fetch: %s\n", err.msg);
		return 1;
	}
	return 0;
}
