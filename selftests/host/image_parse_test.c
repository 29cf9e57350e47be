// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * kmod/image.c, the header parser the module, libswauth and the fuzzer
 * share: every verdict of swauth_image_parse() and
 * swauth_image_check_size(), one malformed field at a time, on a header
 * that is valid otherwise. Offsets are those of
 * Documentation/image-format.rst, written out here on purpose: the test
 * pins down the format, not the parser's own constants.
 */

#include <stdint.h>
#include <string.h>

#include "kmod/image.h"
#include "kselftest_harness.h"

enum { HDR = SWAUTH_IMAGE_HEADER_SIZE };

static void put_le(uint8_t *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A valid production image header: SHA-256, RSA 2048, no cert, 1000 bytes. */
static void good_header(uint8_t *h)
{
	memset(h, 0, HDR);
	memcpy(h, "\x89SWAUTH\n", 8);
	put_le(h + 8, 1, 4);
	h[12] = SWAUTH_IMAGE_PRODUCTION;
	h[13] = SWAUTH_KEY_PRODUCTION;
	h[14] = 'A';
	h[15] = SWAUTH_HASH_SHA256;
	put_le(h + 16, 256, 2);
	put_le(h + 18, 0, 2);
	put_le(h + 24, 1000, 8);
	put_le(h + 32, 1767225600, 8);
	memset(h + 40, 0xa5, 32);
	memcpy(h + 104, "c3900-universalk9-mz", 20);
	memcpy(h + 168, "15.5(3)M", 8);
	memcpy(h + 200, "C3900", 5);
}

static enum swauth_verdict parse(const uint8_t *h, size_t len)
{
	struct swauth_image_header hdr;

	return swauth_image_parse(h, len, &hdr);
}

TEST(good_header_parses)
{
	struct swauth_image_header hdr;
	uint8_t h[HDR], big[HDR + 100] = { 0 };

	good_header(h);
	ASSERT_EQ(SWAUTH_VERDICT_OK, swauth_image_parse(h, HDR, &hdr));
	EXPECT_EQ(1, hdr.format_version);
	EXPECT_EQ(SWAUTH_IMAGE_PRODUCTION, hdr.image_type);
	EXPECT_EQ(SWAUTH_KEY_PRODUCTION, hdr.key_type);
	EXPECT_EQ('A', hdr.key_version);
	EXPECT_EQ(SWAUTH_HASH_SHA256, hdr.hash_algo);
	EXPECT_EQ(256, hdr.sig_size);
	EXPECT_EQ(0, hdr.cert_size);
	EXPECT_EQ(1000, hdr.payload_size);
	EXPECT_EQ(1767225600, hdr.build_time);
	EXPECT_EQ(32, hdr.digest_size);
	EXPECT_EQ(0xa5, hdr.payload_digest[31]);
	EXPECT_EQ(0, hdr.payload_digest[32]);
	EXPECT_STREQ("c3900-universalk9-mz", hdr.name);
	EXPECT_STREQ("15.5(3)M", hdr.image_version);
	EXPECT_STREQ("C3900", hdr.platform);
	EXPECT_EQ(256, hdr.manifest_size);
	EXPECT_EQ(512, hdr.payload_offset);
	EXPECT_EQ(1512, hdr.image_size);
	/* A longer buffer (the caller read more than the header) is fine. */
	memcpy(big, h, HDR);
	EXPECT_EQ(SWAUTH_VERDICT_OK, parse(big, sizeof(big)));
}

TEST(bad_magic)
{
	uint8_t h[HDR];
	int i;

	/* Each magic byte counts. */
	for (i = 0; i < 8; i++) {
		good_header(h);
		h[i] ^= 0x01;
		EXPECT_EQ(SWAUTH_VERDICT_BAD_MAGIC, parse(h, HDR));
	}
	/* CRLF translation, the reason for the trailing \n. */
	good_header(h);
	h[7] = '\r';
	EXPECT_EQ(SWAUTH_VERDICT_BAD_MAGIC, parse(h, HDR));
	/* A short file that is not a prefix of the magic is not an image. */
	EXPECT_EQ(SWAUTH_VERDICT_BAD_MAGIC, parse((const uint8_t *)"MZ", 2));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_MAGIC, parse((const uint8_t *)"\x89SWA!", 5));
	/* Magic checked before the length: a long non-image is BAD_MAGIC. */
	memset(h, 'x', HDR);
	EXPECT_EQ(SWAUTH_VERDICT_BAD_MAGIC, parse(h, 10));
}

TEST(short_magic_is_truncated)
{
	uint8_t h[HDR];
	size_t len;

	good_header(h);
	/* Every prefix of a header, the empty one included, is truncated. */
	for (len = 0; len < HDR; len++)
		EXPECT_EQ(SWAUTH_VERDICT_TRUNCATED_HEADER, parse(h, len));
	EXPECT_EQ(SWAUTH_VERDICT_OK, parse(h, HDR));
}

TEST(format_version)
{
	static const uint32_t bad[] = { 0, 2, 0x101, 0x01000000, 0xffffffff };
	uint8_t h[HDR];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		good_header(h);
		put_le(h + 8, bad[i], 4);
		EXPECT_EQ(SWAUTH_VERDICT_BAD_FORMAT_VERSION, parse(h, HDR));
	}
	/* Checked before the fields of v1: a v2 header may look different. */
	good_header(h);
	put_le(h + 8, 2, 4);
	h[12] = 0;
	EXPECT_EQ(SWAUTH_VERDICT_BAD_FORMAT_VERSION, parse(h, HDR));
}

/* Set byte @off of a good header to @v and return the verdict. */
static enum swauth_verdict with_byte(int off, uint8_t v)
{
	uint8_t h[HDR];

	good_header(h);
	h[off] = v;
	return parse(h, HDR);
}

TEST(image_and_key_type)
{
	/* Values outside the enums. */
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(12, SWAUTH_IMAGE_UNSPEC));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(12, SWAUTH_IMAGE_MAX + 1));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(12, 0xff));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(13, SWAUTH_KEY_UNSPEC));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(13, SWAUTH_KEY_MAX + 1));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(13, 0xff));
}

TEST(key_version)
{
	int v;

	for (v = 0; v < 256; v++) {
		enum swauth_verdict expect = v >= 'A' && v <= 'Z' ?
			SWAUTH_VERDICT_OK : SWAUTH_VERDICT_BAD_HEADER;

		EXPECT_EQ(expect, with_byte(14, (uint8_t)v));
	}
}

TEST(hash_algo)
{
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(15, SWAUTH_HASH_UNSPEC));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(15, SWAUTH_HASH_MAX + 1));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(15, 0xff));
	EXPECT_EQ(32, swauth_image_digest_size(SWAUTH_HASH_SHA256));
	EXPECT_EQ(48, swauth_image_digest_size(SWAUTH_HASH_SHA384));
	EXPECT_EQ(64, swauth_image_digest_size(SWAUTH_HASH_SHA512));
	EXPECT_EQ(0, swauth_image_digest_size(SWAUTH_HASH_UNSPEC));
	EXPECT_EQ(0, swauth_image_digest_size(SWAUTH_HASH_MAX + 1));
}

TEST(sig_size)
{
	static const unsigned int good[] = { 256, 384, 512 };
	static const unsigned int bad[] = { 0, 1, 128, 255, 257, 383, 511, 513,
					    1024, 0xffff };
	uint8_t h[HDR];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		good_header(h);
		put_le(h + 16, good[i], 2);
		EXPECT_EQ(SWAUTH_VERDICT_OK, parse(h, HDR));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		good_header(h);
		put_le(h + 16, bad[i], 2);
		EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, parse(h, HDR));
	}
}

TEST(cert_size)
{
	struct swauth_image_header hdr;
	uint8_t h[HDR];

	good_header(h);
	put_le(h + 18, SWAUTH_CERT_MAX, 2);
	ASSERT_EQ(SWAUTH_VERDICT_OK, swauth_image_parse(h, HDR, &hdr));
	EXPECT_EQ(HDR + SWAUTH_CERT_MAX, hdr.manifest_size);
	put_le(h + 18, SWAUTH_CERT_MAX + 1, 2);
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, parse(h, HDR));
	put_le(h + 18, 0xffff, 2);
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, parse(h, HDR));
}

TEST(reserved_bytes)
{
	int off;

	/* Reserved at 20..23 and 232..255: each byte, each bit position. */
	for (off = 20; off < 24; off++) {
		EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(off, 0x01));
		EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(off, 0x80));
	}
	for (off = 232; off < HDR; off++) {
		EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(off, 0x01));
		EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(off, 0x80));
	}
}

TEST(digest_padding)
{
	uint8_t h[HDR];
	int off;

	/* SHA-256: bytes 32..63 of the digest field are padding. */
	for (off = 40 + 32; off < 104; off++)
		EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_byte(off, 0x01));
	/* SHA-384: 48..63. */
	for (off = 40; off < 104; off++) {
		good_header(h);
		h[15] = SWAUTH_HASH_SHA384;
		h[off] = 0x01;
		EXPECT_EQ(off < 40 + 48 ? SWAUTH_VERDICT_OK : SWAUTH_VERDICT_BAD_HEADER,
			  parse(h, HDR));
	}
	/* SHA-512: no padding, every byte is digest. */
	good_header(h);
	h[15] = SWAUTH_HASH_SHA512;
	memset(h + 40, 0xff, 64);
	EXPECT_EQ(SWAUTH_VERDICT_OK, parse(h, HDR));
}

/* Fill the string field at @off (@size bytes) with @s, rest NUL. */
static enum swauth_verdict with_string(int off, int size, const char *s, size_t len)
{
	uint8_t h[HDR];

	good_header(h);
	memset(h + off, 0, size);
	memcpy(h + off, s, len);
	return parse(h, HDR);
}

TEST(name)
{
	char s[80];

	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(104, 64, "", 0));
	EXPECT_EQ(SWAUTH_VERDICT_OK, with_string(104, 64, "a", 1));
	/* 63 printable characters and the NUL fit; 64 leave no NUL. */
	memset(s, 'n', sizeof(s));
	EXPECT_EQ(SWAUTH_VERDICT_OK, with_string(104, 64, s, 63));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(104, 64, s, 64));
	/* Every character outside 0x20..0x7e. */
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(104, 64, "a\x1f", 2));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(104, 64, "a\x7f", 2));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(104, 64, "a\x80", 2));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(104, 64, "a\n", 2));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(104, 64, "\xff", 1));
	EXPECT_EQ(SWAUTH_VERDICT_OK, with_string(104, 64, " ~", 2));
	/* Garbage after the NUL, near and at the end of the field. */
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(104, 64, "ab\0c", 4));
	memset(s, 0, sizeof(s));
	s[0] = 'a';
	s[63] = 'z';
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(104, 64, s, 64));
}

TEST(image_version_and_platform)
{
	static const struct { int off; } fields[] = { { 168 }, { 200 } };
	char s[40];
	size_t i;

	for (i = 0; i < 2; i++) {
		int off = fields[i].off;

		EXPECT_EQ(SWAUTH_VERDICT_OK, with_string(off, 32, "", 0));
		memset(s, 'v', sizeof(s));
		EXPECT_EQ(SWAUTH_VERDICT_OK, with_string(off, 32, s, 31));
		EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(off, 32, s, 32));
		EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(off, 32, "1.0\t", 4));
		EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(off, 32, "1.0\0x", 5));
		memset(s, 0, sizeof(s));
		s[31] = 'x';
		EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, with_string(off, 32, s, 32));
	}
}

TEST(payload_size_overflow)
{
	struct swauth_image_header hdr;
	uint8_t h[HDR];

	good_header(h);
	put_le(h + 24, SWAUTH_IMAGE_PAYLOAD_MAX, 8);
	ASSERT_EQ(SWAUTH_VERDICT_OK, swauth_image_parse(h, HDR, &hdr));
	EXPECT_EQ(512 + SWAUTH_IMAGE_PAYLOAD_MAX, hdr.image_size);
	put_le(h + 24, SWAUTH_IMAGE_PAYLOAD_MAX + 1, 8);
	EXPECT_EQ(SWAUTH_VERDICT_SIZE_OVERFLOW, parse(h, HDR));
	put_le(h + 24, UINT64_MAX, 8);
	EXPECT_EQ(SWAUTH_VERDICT_SIZE_OVERFLOW, parse(h, HDR));
	/* A bad field is reported before the size. */
	h[232] = 1;
	EXPECT_EQ(SWAUTH_VERDICT_BAD_HEADER, parse(h, HDR));
	/* Zero bytes of payload is an image too. */
	good_header(h);
	put_le(h + 24, 0, 8);
	EXPECT_EQ(SWAUTH_VERDICT_OK, parse(h, HDR));
}

TEST(type_rules)
{
	/* allowed[image_type][key_type], the table of image-format.rst. */
	static const int allowed[SWAUTH_IMAGE_MAX + 1][SWAUTH_KEY_MAX + 1] = {
		[SWAUTH_IMAGE_PRODUCTION] = { [SWAUTH_KEY_PRODUCTION] = 1 },
		[SWAUTH_IMAGE_SPECIAL] = { [SWAUTH_KEY_SPECIAL] = 1 },
		[SWAUTH_IMAGE_REVOCATION] = { [SWAUTH_KEY_ROLLOVER] = 1 },
		[SWAUTH_IMAGE_BOOTLOADER] = { [SWAUTH_KEY_PRODUCTION] = 1,
					      [SWAUTH_KEY_SPECIAL] = 1 },
	};
	struct swauth_image_header hdr;
	uint8_t h[HDR];
	int it, kt;

	for (it = 1; it <= SWAUTH_IMAGE_MAX; it++) {
		for (kt = 1; kt <= SWAUTH_KEY_MAX; kt++) {
			good_header(h);
			h[12] = (uint8_t)it;
			h[13] = (uint8_t)kt;
			memset(&hdr, 0, sizeof(hdr));
			EXPECT_EQ(allowed[it][kt] ? SWAUTH_VERDICT_OK :
				  SWAUTH_VERDICT_TYPE_NOT_ALLOWED,
				  swauth_image_parse(h, HDR, &hdr)) {
				TH_LOG("image type %d, key type %d", it, kt);
			}
			/* The header is filled for TYPE_NOT_ALLOWED too. */
			EXPECT_EQ(it, hdr.image_type);
			EXPECT_EQ(kt, hdr.key_type);
			EXPECT_EQ(1512, hdr.image_size);
		}
	}
}

TEST(check_size)
{
	struct swauth_image_header hdr;
	uint8_t h[HDR];

	/* Manifest 256 + 100, signature 384, payload 1000: 1740 bytes. */
	good_header(h);
	put_le(h + 16, 384, 2);
	put_le(h + 18, 100, 2);
	ASSERT_EQ(SWAUTH_VERDICT_OK, swauth_image_parse(h, HDR, &hdr));
	EXPECT_EQ(356, hdr.manifest_size);
	EXPECT_EQ(740, hdr.payload_offset);
	EXPECT_EQ(1740, hdr.image_size);
	EXPECT_EQ(SWAUTH_VERDICT_TRUNCATED_MANIFEST, swauth_image_check_size(&hdr, 0));
	EXPECT_EQ(SWAUTH_VERDICT_TRUNCATED_MANIFEST, swauth_image_check_size(&hdr, 256));
	EXPECT_EQ(SWAUTH_VERDICT_TRUNCATED_MANIFEST, swauth_image_check_size(&hdr, 355));
	EXPECT_EQ(SWAUTH_VERDICT_TRUNCATED_SIGNATURE, swauth_image_check_size(&hdr, 356));
	EXPECT_EQ(SWAUTH_VERDICT_TRUNCATED_SIGNATURE, swauth_image_check_size(&hdr, 739));
	EXPECT_EQ(SWAUTH_VERDICT_TRUNCATED_PAYLOAD, swauth_image_check_size(&hdr, 740));
	EXPECT_EQ(SWAUTH_VERDICT_TRUNCATED_PAYLOAD, swauth_image_check_size(&hdr, 1739));
	EXPECT_EQ(SWAUTH_VERDICT_OK, swauth_image_check_size(&hdr, 1740));
	EXPECT_EQ(SWAUTH_VERDICT_TRAILING_DATA, swauth_image_check_size(&hdr, 1741));
	EXPECT_EQ(SWAUTH_VERDICT_TRAILING_DATA, swauth_image_check_size(&hdr, UINT64_MAX));
}

TEST(check_size_empty_payload)
{
	struct swauth_image_header hdr;
	uint8_t h[HDR];

	/* No cert, no payload: the signature is the last thing in the file. */
	good_header(h);
	put_le(h + 24, 0, 8);
	ASSERT_EQ(SWAUTH_VERDICT_OK, swauth_image_parse(h, HDR, &hdr));
	EXPECT_EQ(SWAUTH_VERDICT_TRUNCATED_SIGNATURE, swauth_image_check_size(&hdr, 256));
	EXPECT_EQ(SWAUTH_VERDICT_TRUNCATED_SIGNATURE, swauth_image_check_size(&hdr, 511));
	EXPECT_EQ(SWAUTH_VERDICT_OK, swauth_image_check_size(&hdr, 512));
	EXPECT_EQ(SWAUTH_VERDICT_TRAILING_DATA, swauth_image_check_size(&hdr, 513));
}

TEST(every_header_byte_counts)
{
	struct swauth_image_header a, b;
	uint8_t h[HDR];
	int off, bit;

	/*
	 * Flipping any bit of the header either fails the parse or changes a
	 * parsed field: no byte is ignored.
	 */
	good_header(h);
	ASSERT_EQ(SWAUTH_VERDICT_OK, swauth_image_parse(h, HDR, &a));
	for (off = 0; off < HDR; off++) {
		for (bit = 0; bit < 8; bit++) {
			good_header(h);
			h[off] ^= (uint8_t)(1 << bit);
			memset(&b, 0, sizeof(b));
			if (swauth_image_parse(h, HDR, &b) != SWAUTH_VERDICT_OK)
				continue;
			EXPECT_NE(0, memcmp(&a, &b, sizeof(a))) {
				TH_LOG("byte %d bit %d ignored", off, bit);
			}
		}
	}
}

TEST_HARNESS_MAIN
