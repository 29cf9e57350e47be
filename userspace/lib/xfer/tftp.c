// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swcopy's TFTP client: RFC 1350 in octet mode, with the options of
 * RFC 2347 (negotiation), 2348 (blksize), 2349 (tsize, timeout) and 7440
 * (windowsize). A server that ignores the options gets plain RFC 1350; one
 * that refuses them (ERROR 8) is asked again without them. The socket
 * layer is tftp-sock.c.
 *
 * Duplicates never trigger a retransmission (the Sorcerer's Apprentice bug,
 * RFC 1123 4.2.3.1): the downloader answers a gap, a block from the future,
 * once with an ACK of the last block it has (RFC 7440 section 4), and
 * otherwise only its own timeout resends; the uploader ignores repeated ACKs.
 * Packets that are no progress do not put the timeout off.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/xfer.h"

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
	char ename[128], evalue[128];

	swauth_tftp_abort(t, TFTP_EOPTNEG, "Bad option acknowledgement");
	return swauth_error_set(t->err, -EPROTO, "%s: the server's OACK %s: '%s' = '%s'",
				t->peer, what, swauth_escape(ename, sizeof(ename), name, SIZE_MAX),
				swauth_escape(evalue, sizeof(evalue), value, SIZE_MAX));
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

	swauth_escape(text, sizeof(text), (const char *)t->pkt + TFTP_HDR_LEN,
		      t->pkt_len - TFTP_HDR_LEN);
	return swauth_error_set(t->err, code < sizeof(codes) / sizeof(codes[0]) ? codes[code] : -EIO,
				"%s: %s: %s (TFTP error %u)", t->peer, t->path,
				text[0] ? text : "no reason given", code);
}

static int unexpected(struct tftp *t, unsigned int op)
{
	swauth_tftp_abort(t, TFTP_EBADOP, "Illegal TFTP operation");
	return swauth_error_set(t->err, -EPROTO, "%s: the server sent an unexpected opcode %u",
				t->peer, op);
}

static int timed_out(struct tftp *t, const char *what)
{
	swauth_tftp_abort(t, TFTP_EUNDEF, "Timed out");
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
		ret = swauth_tftp_send(t, req, len, &t->server, t->server_len);
		if (ret)
			goto out;
		ret = swauth_tftp_recv(t);
		if (ret < 0)
			goto out;
		if (ret == 0) {
			t->timeouts++;
			continue;
		}
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
	swauth_tftp_abort(t, ret == -ENOSPC ? TFTP_ENOSPACE : TFTP_EUNDEF,
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
	long long progress_ms = swauth_tftp_now_ms();
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
			ret = swauth_tftp_recv(t);
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
			ret = swauth_tftp_ack(t, 0);
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
				ret = swauth_tftp_ack(t, expect - 1);
				if (ret)
					return ret;
			}
			goto ignored;
		}
		if (len > t->blksize) {
			swauth_tftp_abort(t, TFTP_EBADOP, "Block larger than blksize");
			return swauth_error_set(t->err, -EPROTO,
						"%s: block %u has %zu bytes, more than the block size %u",
						t->peer, block, len, t->blksize);
		}
		if (t->has_tsize && *done + len > t->tsize) {
			swauth_tftp_abort(t, TFTP_EBADOP, "More data than tsize");
			return swauth_error_set(t->err, -EPROTO,
						"%s: the server sends more than the %llu bytes it announced",
						t->peer, (unsigned long long)t->tsize);
		}
		tries = 0;
		progress_ms = swauth_tftp_now_ms();
		gap_acked = false;
		last = len < t->blksize;
		/* ACK first: the server sends on while the sink writes. */
		if (!last && ++in_window >= t->window) {
			in_window = 0;
			ret = swauth_tftp_ack(t, block);
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
		if (swauth_tftp_now_ms() - progress_ms < t->timeout_ms)
			continue;
stalled:
		t->timeouts++;
		if (++tries > t->retries)
			return timed_out(t, "during the transfer");
		progress_ms = swauth_tftp_now_ms();
		in_window = 0;
		ret = swauth_tftp_ack(t, expect - 1);
		if (ret)
			return ret;
	}
	if (t->has_tsize && *done != t->tsize) {
		swauth_tftp_abort(t, TFTP_EBADOP, "Less data than tsize");
		return swauth_error_set(t->err, -EPROTO,
					"%s: the server sent %llu bytes, not the %llu it announced",
					t->peer, (unsigned long long)*done,
					(unsigned long long)t->tsize);
	}
	/* Every byte is in: a lost last ACK only makes the server retry. */
	swauth_tftp_ack(t, expect);
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

	ret = swauth_tftp_open(&t, u, o, r, err);
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
		ret = swauth_tftp_ack(&t, 0);
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
	r->timeouts = t.timeouts;
	swauth_tftp_close(&t);
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
				swauth_tftp_abort(t, TFTP_EUNDEF, "Read error");
				return swauth_error_set(t->err, -errno,
							"cannot read the file at byte %llu: %s",
							(unsigned long long)(off + got),
							strerror(errno));
			}
			if (n == 0) {
				swauth_tftp_abort(t, TFTP_EUNDEF, "File shrank");
				return swauth_error_set(t->err, -EIO,
							"the file ends at byte %llu, before its size %llu",
							(unsigned long long)(off + got),
							(unsigned long long)size);
			}
			got += (size_t)n;
		}
		put16(t->out, TFTP_DATA);
		put16(t->out + 2, (unsigned int)(b & 0xffff));
		ret = swauth_tftp_send(t, t->out, TFTP_HDR_LEN + want, &t->tid, t->tid_len);
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
		long long sent_ms = swauth_tftp_now_ms();

		ret = send_blocks(t, fd, size, acked + 1, count);
		if (ret)
			return ret;
		for (;;) {
			unsigned int op, d = 0;

			ret = swauth_tftp_recv(t);
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
				if (ret > 0 && swauth_tftp_now_ms() - sent_ms < t->timeout_ms)
					continue;
				t->timeouts++;
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

	ret = swauth_tftp_open(&t, u, o, r, err);
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
		swauth_tftp_abort(&t, TFTP_EBADOP, "Expected ACK 0");
		ret = swauth_error_set(err, -EPROTO, "%s: the server acknowledged block %u, not the request",
				       t.peer, get16(t.pkt + 2));
	}
	if (!ret)
		ret = send_data(&t, o, fd, size, &done);
out:
	r->bytes = done;
	r->timeouts = t.timeouts;
	swauth_tftp_close(&t);
	return ret;
}
