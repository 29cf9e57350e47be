// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * libFuzzer target for the streaming verifier (swauth_verify_stream_* in
 * userspace/lib/image/verify-user.c), which swcopy /verify feeds with a
 * server's bytes as they arrive, in whatever pieces the transport hands
 * over. The input is a few control bytes, then the image:
 *
 *   byte 0        bit 0: announce the image's size first (as tsize or
 *                 Content-Length do); bit 1: announce one byte more
 *   bytes 1..8    the sizes of the pieces, used in turn: 1..255 bytes, or
 *                 0 for all the rest
 *
 * Besides memory safety (ASan, UBSan), it checks that the pieces do not
 * matter (the verdict is that of the same bytes fed at once), that a good
 * verdict means the whole image was hashed and its digest matched, and
 * that with the true size announced the stream agrees with the file
 * verifier (swauth_verify_user) on the same bytes. Built by `make fuzz`
 * into build/fuzz/verify_stream_fuzz; the seeds
 * (build/fuzz/corpus/verify_stream/) are images signed by the development
 * keys, trusted through build/fuzz/trust/.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kmod/image.h"
#include "lib/image.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { CONTROL = 9, ANNOUNCE = 1, ANNOUNCE_MORE = 2 };

static const struct swauth_trust_dirs trust = {
	.rollover = { FUZZ_TRUST_DIR "/rollover", NULL },
	.keys = { FUZZ_TRUST_DIR "/keys", NULL },
};

/* Feeds @img in the pieces @split gives (NULL: at once); the final verdict. */
static uint32_t stream(const uint8_t *img, size_t len, uint8_t flags, const uint8_t *split,
		       struct swauth_verify_result *res)
{
	struct swauth_verify_stream *s;
	struct swauth_error err = { 0 };
	uint32_t v = SWAUTH_VERDICT_OK, first = SWAUTH_VERDICT_OK;
	size_t off = 0, take;
	unsigned int i = 0;
	bool was_signed = false;

	CHECK(swauth_verify_stream_new(&trust, res, &s, &err) == 0);
	if (flags & ANNOUNCE)
		first = swauth_verify_stream_size(s, len + !!(flags & ANNOUNCE_MORE));
	while (off < len) {
		take = split && split[i % (CONTROL - 1)] ? split[i % (CONTROL - 1)] : len - off;
		take = take < len - off ? take : len - off;
		i++;
		v = swauth_verify_stream_feed(s, img + off, take);
		/* A failure is final; the manifest, once checked, stays checked. */
		CHECK(!first || v == first);
		if (v)
			first = v;
		CHECK(!was_signed || swauth_verify_stream_signed(s));
		was_signed = swauth_verify_stream_signed(s);
		off += take;
	}
	v = swauth_verify_stream_end(s);
	CHECK(v == res->verdict && v <= SWAUTH_VERDICT_MAX);
	CHECK(!first || v == first);
	return v;
}

/* The file verifier on the same bytes, through a memfd. */
static uint32_t file_verdict(const uint8_t *img, size_t len)
{
	static struct swauth_verify_result res;
	struct swauth_error err = { 0 };
	char path[64];
	int fd = memfd_create("image", MFD_CLOEXEC);

	CHECK(fd >= 0);
	CHECK(write(fd, img, len) == (ssize_t)len);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	CHECK(swauth_verify_user(path, &trust, &res, &err) == 0);
	close(fd);
	return res.verdict;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct swauth_verify_result split_res, whole_res;
	const uint8_t *img = data + CONTROL;
	size_t len;
	uint32_t v;

	if (size < CONTROL)
		return 0;
	len = size - CONTROL;
	v = stream(img, len, data[0], data + 1, &split_res);
	CHECK(stream(img, len, data[0], NULL, &whole_res) == v);
	if (v == SWAUTH_VERDICT_OK) {
		CHECK(split_res.file_size == len);
		CHECK(split_res.computed_digest_len == split_res.embedded_digest_len);
		CHECK(!memcmp(split_res.computed_digest, split_res.embedded_digest,
			      split_res.computed_digest_len));
		CHECK(!memcmp(split_res.computed_digest, whole_res.computed_digest,
			      split_res.computed_digest_len));
	}
	if ((data[0] & (ANNOUNCE | ANNOUNCE_MORE)) == ANNOUNCE && len >= SWAUTH_IMAGE_HEADER_SIZE)
		CHECK(file_verdict(img, len) == v);
	else if (v == SWAUTH_VERDICT_OK)
		CHECK(file_verdict(img, len) == SWAUTH_VERDICT_OK);
	return 0;
}
