// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Small files to and from any URL, in memory (lib/xfer.h): a CA
 * certificate, a certificate request, a CRL, an exported key. Bounded:
 * a file larger than the caller's limit is refused, never truncated.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fs.h"
#include "lib/xfer.h"

static const struct swauth_xfer_opts defaults;

struct mem_sink {
	struct swauth_sink sink;
	size_t max;
	unsigned char *buf;
	size_t len;
};

static int mem_size(struct swauth_sink *sink, uint64_t total)
{
	struct mem_sink *m = (struct mem_sink *)sink;

	if (total > m->max)
		return swauth_error_set(&sink->err, -EFBIG,
					"the file is %llu bytes, more than the %zu allowed",
					(unsigned long long)total, m->max);
	return 0;
}

static int mem_write(struct swauth_sink *sink, const void *buf, size_t len)
{
	struct mem_sink *m = (struct mem_sink *)sink;
	unsigned char *n;

	if (len > m->max - m->len)
		return swauth_error_set(&sink->err, -EFBIG,
					"the file is longer than the %zu bytes allowed", m->max);
	n = realloc(m->buf, m->len + len + 1);
	if (!n)
		return swauth_error_set(&sink->err, -ENOMEM, "out of memory");
	m->buf = n;
	memcpy(m->buf + m->len, buf, len);
	m->len += len;
	m->buf[m->len] = '\0';
	return 0;
}

static int file_fetch(const char *url, struct mem_sink *m, struct swauth_error *err)
{
	char path[PATH_MAX], chunk[4096];
	struct stat st;
	ssize_t n;
	int fd, ret;

	ret = swauth_storage_resolve(NULL, url, path, sizeof(path), err);
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return swauth_error_set(err, -errno, "%s: %s", url,
					errno == ELOOP ? "a symbolic link (refused)" : strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return swauth_error_set(err, -EINVAL, "%s: not a regular file", url);
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		ret = mem_write(&m->sink, chunk, (size_t)n);
		if (ret) {
			close(fd);
			*err = m->sink.err;
			return ret;
		}
	}
	ret = n < 0 ? swauth_error_set(err, -errno, "%s: %s", url, strerror(errno)) : 0;
	close(fd);
	return ret;
}

/**
 * swauth_url_fetch() - a whole small file from a URL, into memory
 * @url: tftp://, ftp://, http(s)://, scp://, or a path or flash:NAME
 * @o: the transfer's options (timeouts, the interface to leave from); NULL: defaults
 * @max: the largest file accepted
 * @buf: set to the contents, NUL-terminated (one byte more than @len); free() it
 * @len: set to their length
 * @err: filled on failure
 *
 * Return: 0, -EFBIG for a file larger than @max, or what the transfer
 * returned (see the top of xfer.h); on failure *@buf is NULL.
 */
int swauth_url_fetch(const char *url, const struct swauth_xfer_opts *o, size_t max,
		     unsigned char **buf, size_t *len, struct swauth_error *err)
{
	struct mem_sink m = { .sink = { .size = mem_size, .write = mem_write }, .max = max };
	struct swauth_xfer_result r;
	struct swauth_url u;
	int ret;

	*buf = NULL;
	*len = 0;
	if (!o)
		o = &defaults;
	ret = swauth_url_parse(url, &u, err);
	if (ret)
		return ret;
	if (u.scheme == SWAUTH_URL_FILE)
		ret = file_fetch(url, &m, err);
	else if (u.scheme == SWAUTH_URL_TFTP)
		ret = swauth_tftp_get(&u, o, &m.sink, &r, err);
	else
		ret = swauth_curl_get(&u, o, &m.sink, &r, err);
	if (!ret && !m.buf)
		m.buf = calloc(1, 1);
	if (!ret && !m.buf)
		ret = swauth_error_set(err, -ENOMEM, "out of memory");
	if (ret) {
		free(m.buf);
		return ret;
	}
	*buf = m.buf;
	*len = m.len;
	return 0;
}

/**
 * swauth_url_send() - write a whole small file to a URL
 * @url: tftp://, ftp://, scp://, or a path or flash:NAME (written with
 *	swauth_safewrite_path(), mode 0644)
 * @o: the transfer's options; NULL: defaults
 * @buf: the contents
 * @len: their length
 * @err: filled on failure
 *
 * Return: 0 or -errno (see the top of xfer.h).
 */
int swauth_url_send(const char *url, const struct swauth_xfer_opts *o, const void *buf,
		    size_t len, struct swauth_error *err)
{
	struct swauth_xfer_result r;
	char path[PATH_MAX];
	struct swauth_url u;
	int fd, ret;

	if (!o)
		o = &defaults;
	ret = swauth_url_parse(url, &u, err);
	if (ret)
		return ret;
	if (u.scheme == SWAUTH_URL_FILE) {
		ret = swauth_storage_resolve(NULL, url, path, sizeof(path), err);
		return ret ? ret : swauth_safewrite_path(path, buf, len, 0644, 0, err);
	}
	fd = memfd_create("swauth-send", MFD_CLOEXEC);
	if (fd < 0)
		return swauth_error_set(err, -errno, "memfd_create: %s", strerror(errno));
	if (write(fd, buf, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET)) {
		ret = swauth_error_set(err, -errno ? -errno : -EIO, "memfd: %s", strerror(errno));
		close(fd);
		return ret;
	}
	if (u.scheme == SWAUTH_URL_TFTP)
		ret = swauth_tftp_put(&u, o, fd, len, &r, err);
	else
		ret = swauth_curl_put(&u, o, fd, len, &r, err);
	close(fd);
	return ret;
}
