// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * kmod/keystore.c, the key-store parser and builder the module, libswauth
 * and the fuzzer share: round trips, every parse error one field at a time
 * on a file that is valid otherwise, the header-only parse that keeps
 * floors when a body is corrupt, and the builder's refusals. Offsets and
 * the CRC are written out here on purpose (a bitwise CRC-32 of its own):
 * the test pins down Documentation/key-store.rst, not the parser's own
 * constants.
 */

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmod/keystore.h"
#include "kselftest_harness.h"
#include "lib/image.h"

enum { HDR = 64, REC = 4 };

static void put_le(uint8_t *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* zlib's crc32, one bit at a time: the reference for the parser's. */
static uint32_t ref_crc32(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffff;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320 : crc >> 1;
	}
	return ~crc;
}

/* Recompute the body CRC (over body_size bytes) and then the header CRC. */
static void fix_crcs(uint8_t *f)
{
	put_le(f + 32, ref_crc32(f + HDR, get_le32(f + 28)), 4);
	put_le(f + 12, 0, 4);
	put_le(f + 12, ref_crc32(f, HDR), 4);
}

/* A file from raw parts: the header fields, then @body as it is. */
static size_t raw_store(uint8_t *f, uint64_t seq, uint8_t fp, uint8_t fs,
			uint16_t nkeys, const uint8_t *body, size_t body_len)
{
	memset(f, 0, HDR);
	memcpy(f, "\x89SWKEYS\n", 8);
	put_le(f + 8, 1, 4);
	put_le(f + 16, seq, 8);
	f[24] = fp;
	f[25] = fs;
	put_le(f + 26, nkeys, 2);
	put_le(f + 28, body_len, 4);
	if (body_len)
		memcpy(f + HDR, body, body_len);
	fix_crcs(f);
	return HDR + body_len;
}

/* One record: type, version, cert_len, then cert_len bytes of @fill. */
static size_t put_record(uint8_t *p, uint8_t type, uint8_t version,
			 uint16_t len, uint8_t fill)
{
	p[0] = type;
	p[1] = version;
	put_le(p + 2, len, 2);
	memset(p + REC, fill, len);
	return REC + len;
}

/*
 * The small valid file most tests start from: sequence 7, floors B and A,
 * production B (10 bytes), production C (3), special A (5).
 */
static size_t good_store(uint8_t *f)
{
	uint8_t body[64];
	size_t n = 0;

	n += put_record(body + n, SWAUTH_KEY_PRODUCTION, 'B', 10, 0x11);
	n += put_record(body + n, SWAUTH_KEY_PRODUCTION, 'C', 3, 0x22);
	n += put_record(body + n, SWAUTH_KEY_SPECIAL, 'A', 5, 0x33);
	return raw_store(f, 7, 'B', 'A', 3, body, n);
}

/* Parse an exact-size heap copy, so that ASan sees any over-read. */
static int parse_copy(const uint8_t *f, size_t len, struct swauth_store *st)
{
	uint8_t *copy = malloc(len ? len : 1);
	int ret;

	if (!copy)
		abort();
	memcpy(copy, f, len);
	ret = swauth_store_parse(copy, len, st);
	free(copy);
	return ret;
}

static int parse(const uint8_t *f, size_t len)
{
	struct swauth_store st;

	return parse_copy(f, len, &st);
}

/* Build @st and parse the result back; both must agree with @st. */
static int round_trip(struct __test_metadata *_metadata,
		      const struct swauth_store *st, uint8_t *buf, size_t len)
{
	struct swauth_store back;
	size_t size = swauth_store_size(st);
	unsigned int i;

	EXPECT_GE(len, size);
	EXPECT_EQ(0, swauth_store_build(st, buf, len));
	EXPECT_EQ(SWAUTH_STORE_E_OK, swauth_store_parse(buf, size, &back));
	EXPECT_EQ(st->sequence, back.sequence);
	EXPECT_EQ(0, memcmp(st->floors, back.floors, sizeof(st->floors)));
	EXPECT_EQ(st->nkeys, back.nkeys);
	for (i = 0; i < st->nkeys && i < back.nkeys; i++) {
		EXPECT_EQ(st->keys[i].type, back.keys[i].type);
		EXPECT_EQ(st->keys[i].version, back.keys[i].version);
		EXPECT_EQ(st->keys[i].cert_len, back.keys[i].cert_len);
		EXPECT_EQ(0, memcmp(st->keys[i].cert, back.keys[i].cert,
				    st->keys[i].cert_len));
		/* The parsed key points into the file, not at a copy. */
		EXPECT_TRUE(back.keys[i].cert > buf && back.keys[i].cert < buf + size);
	}
	return (int)size;
}

/* keyrings/dev, next to build/ (build/tests/host/keystore.t). */
static const char *keys_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("SWAUTH_KEYS");
	char self[PATH_MAX];
	ssize_t n;

	if (env && env[0])
		return env;
	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return "keyrings/dev";
	self[n] = '\0';
	snprintf(dir, sizeof(dir), "%s/../../../keyrings/dev", dirname(self));
	return dir;
}

/* CRC-32 known answers, and the table-driven CRC against the bitwise one. */
TEST(crc32)
{
	uint8_t data[1000];
	uint32_t crc;
	size_t i, split;

	EXPECT_EQ(0xcbf43926, swauth_store_crc32(0, "123456789", 9));
	EXPECT_EQ(0, swauth_store_crc32(0, "", 0));
	EXPECT_EQ(0xe8b7be43, swauth_store_crc32(0, "a", 1));
	/* "The quick brown fox jumps over the lazy dog" */
	EXPECT_EQ(0x414fa339, swauth_store_crc32(0, "The quick brown fox jumps over the lazy dog", 43));

	srand(1);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)rand();
	EXPECT_EQ(ref_crc32(data, sizeof(data)), swauth_store_crc32(0, data, sizeof(data)));
	/* A CRC continues across buffers. */
	for (split = 0; split <= sizeof(data); split += 97) {
		crc = swauth_store_crc32(0, data, split);
		crc = swauth_store_crc32(crc, data + split, sizeof(data) - split);
		EXPECT_EQ(ref_crc32(data, sizeof(data)), crc);
	}
}

/* The limits the documentation states. */
TEST(layout)
{
	EXPECT_EQ(64, SWAUTH_STORE_HEADER_SIZE);
	EXPECT_EQ(52, SWAUTH_STORE_MAX_KEYS);
	EXPECT_EQ(64 + 52 * (4 + 8192), SWAUTH_STORE_MAX_SIZE);
	EXPECT_EQ(0, memcmp("\x89SWKEYS\n", swauth_store_magic, 8));
	EXPECT_EQ(1, SWAUTH_STORE_FORMAT_V1);
}

/* The builder writes exactly what the documentation describes. */
TEST(build_matches_format)
{
	struct swauth_store st = { .sequence = 7, .nkeys = 3 };
	uint8_t want[256], got[256], c1[10], c2[3], c3[5];
	size_t n = good_store(want);

	memset(c1, 0x11, sizeof(c1));
	memset(c2, 0x22, sizeof(c2));
	memset(c3, 0x33, sizeof(c3));
	st.floors[SWAUTH_KEY_PRODUCTION] = 'B';
	st.floors[SWAUTH_KEY_SPECIAL] = 'A';
	st.keys[0] = (struct swauth_store_key){ SWAUTH_KEY_PRODUCTION, 'B', 10, c1 };
	st.keys[1] = (struct swauth_store_key){ SWAUTH_KEY_PRODUCTION, 'C', 3, c2 };
	st.keys[2] = (struct swauth_store_key){ SWAUTH_KEY_SPECIAL, 'A', 5, c3 };
	ASSERT_EQ(n, swauth_store_size(&st));
	ASSERT_EQ(0, swauth_store_build(&st, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(want, got, n));
	EXPECT_EQ(n, round_trip(_metadata, &st, got, sizeof(got)));
}

/* The smallest store: sequence 1, no floors, no keys, 64 bytes. */
TEST(round_trip_empty)
{
	struct swauth_store st = { .sequence = 1 };
	uint8_t f[HDR], want[HDR];

	ASSERT_EQ(HDR, swauth_store_size(&st));
	EXPECT_EQ(HDR, round_trip(_metadata, &st, f, sizeof(f)));
	raw_store(want, 1, 0, 0, 0, NULL, 0);
	EXPECT_EQ(0, memcmp(want, f, HDR));
	/* The CRC of no bytes is 0; the header's is the documented example's. */
	EXPECT_EQ(0, get_le32(f + 32));
	EXPECT_EQ(0x2508ed08, get_le32(f + 12));
	/* A header alone is a whole file when body_size is 0. */
	EXPECT_EQ(SWAUTH_STORE_E_TRUNCATED, parse(f, HDR - 1));
}

/* Floors and sequence survive without keys, up to the largest values. */
TEST(round_trip_floors_only)
{
	struct swauth_store st = { .sequence = UINT64_MAX };
	uint8_t f[HDR];

	st.floors[SWAUTH_KEY_PRODUCTION] = 'Z';
	st.floors[SWAUTH_KEY_SPECIAL] = 'C';
	round_trip(_metadata, &st, f, sizeof(f));
	EXPECT_EQ('Z', f[24]);
	EXPECT_EQ('C', f[25]);
	st.floors[SWAUTH_KEY_PRODUCTION] = 0;
	st.sequence = 2;
	round_trip(_metadata, &st, f, sizeof(f));
}

/* The development certificates (DER) of both types, above a floor. */
TEST(round_trip_dev_certs)
{
	static const char * const names[] = {
		"production-B", "production-C", "special-A", "special-B", "special-C",
	};
	static uint8_t der[5][SWAUTH_CERT_MAX], f[SWAUTH_STORE_MAX_SIZE], g[SWAUTH_STORE_MAX_SIZE];
	struct swauth_store st = { .sequence = 42 }, back;
	struct swauth_error err;
	char path[PATH_MAX + 32];
	size_t len, size;
	unsigned int i;

	st.floors[SWAUTH_KEY_PRODUCTION] = 'B';
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s.crt", keys_dir(), names[i]);
		swauth_error_clear(&err);
		ASSERT_EQ(0, swauth_cert_read_file(path, der[i], sizeof(der[i]), &len, &err))
			TH_LOG("%s (make generates keyrings/dev)", err.msg);
		ASSERT_EQ(0x30, der[i][0]);	/* a DER SEQUENCE */
		st.keys[i].type = i < 2 ? SWAUTH_KEY_PRODUCTION : SWAUTH_KEY_SPECIAL;
		st.keys[i].version = names[i][strlen(names[i]) - 1];
		st.keys[i].cert_len = (uint16_t)len;
		st.keys[i].cert = der[i];
	}
	st.nkeys = 5;
	size = (size_t)round_trip(_metadata, &st, f, sizeof(f));

	/* Parsed, then built again: the same bytes. */
	ASSERT_EQ(SWAUTH_STORE_E_OK, swauth_store_parse(f, size, &back));
	ASSERT_EQ(size, swauth_store_size(&back));
	ASSERT_EQ(0, swauth_store_build(&back, g, sizeof(g)));
	EXPECT_EQ(0, memcmp(f, g, size));

	EXPECT_EQ(0, swauth_store_find(&back, SWAUTH_KEY_PRODUCTION, 'B'));
	EXPECT_EQ(4, swauth_store_find(&back, SWAUTH_KEY_SPECIAL, 'C'));
	EXPECT_EQ(2, swauth_store_find(&back, SWAUTH_KEY_SPECIAL, 'A'));
	EXPECT_EQ(-1, swauth_store_find(&back, SWAUTH_KEY_PRODUCTION, 'A'));
	EXPECT_EQ(-1, swauth_store_find(&back, SWAUTH_KEY_ROLLOVER, 'A'));
	EXPECT_EQ(-1, swauth_store_find(&back, SWAUTH_KEY_SPECIAL, 'D'));
}

/* The largest file: 52 keys of SWAUTH_CERT_MAX bytes is SWAUTH_STORE_MAX_SIZE. */
TEST(round_trip_largest)
{
	static uint8_t cert[SWAUTH_CERT_MAX], f[SWAUTH_STORE_MAX_SIZE + 1];
	struct swauth_store st = { .sequence = 3, .nkeys = 52 };
	unsigned int i;

	memset(cert, 0xab, sizeof(cert));
	for (i = 0; i < 52; i++) {
		st.keys[i].type = i < 26 ? SWAUTH_KEY_PRODUCTION : SWAUTH_KEY_SPECIAL;
		st.keys[i].version = (uint8_t)('A' + i % 26);
		st.keys[i].cert_len = SWAUTH_CERT_MAX;
		st.keys[i].cert = cert;
	}
	ASSERT_EQ(SWAUTH_STORE_MAX_SIZE, swauth_store_size(&st));
	EXPECT_EQ(SWAUTH_STORE_MAX_SIZE, round_trip(_metadata, &st, f, sizeof(f)));
	EXPECT_EQ(SWAUTH_STORE_E_TRAILING, swauth_store_parse(f, sizeof(f), &st));
}

/* Every length short of a whole file is an error, and reads nothing beyond. */
TEST(truncated_at_every_length)
{
	uint8_t f[256];
	size_t n = good_store(f), len;

	ASSERT_EQ(SWAUTH_STORE_E_OK, parse(f, n));
	for (len = 0; len < n; len++)
		EXPECT_EQ(SWAUTH_STORE_E_TRUNCATED, parse(f, len)) TH_LOG("length %zu", len);
}

/* One byte after the body. */
TEST(trailing)
{
	uint8_t f[256];
	size_t n = good_store(f);

	f[n] = 0;
	EXPECT_EQ(SWAUTH_STORE_E_TRAILING, parse(f, n + 1));
	EXPECT_EQ(SWAUTH_STORE_E_TRAILING, parse(f, n + 100));
}

TEST(bad_magic)
{
	uint8_t f[256];
	size_t n = good_store(f);
	int i;

	for (i = 0; i < 8; i++) {
		f[i] ^= 0x20;
		fix_crcs(f);
		EXPECT_EQ(SWAUTH_STORE_E_BAD_MAGIC, parse(f, n)) TH_LOG("byte %d", i);
		f[i] ^= 0x20;
	}
	/* An image is not a key store. */
	memcpy(f, "\x89SWAUTH\n", 8);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_MAGIC, parse(f, n));
}

/* The version is checked before the CRC: a v2 header may differ in layout. */
TEST(format_version)
{
	static const uint32_t bad[] = { 0, 2, 0x100, 0x01000000, 0xffffffff };
	uint8_t f[256];
	size_t n = good_store(f), i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put_le(f + 8, bad[i], 4);
		EXPECT_EQ(SWAUTH_STORE_E_BAD_VERSION, parse(f, n));
		fix_crcs(f);
		EXPECT_EQ(SWAUTH_STORE_E_BAD_VERSION, parse(f, n));
	}
}

TEST(header_crc)
{
	uint8_t f[256];
	size_t n = good_store(f);
	uint32_t crc = get_le32(f + 12);

	put_le(f + 12, crc ^ 1, 4);
	EXPECT_EQ(SWAUTH_STORE_E_HEADER_CRC, parse(f, n));
	put_le(f + 12, 0, 4);
	EXPECT_EQ(SWAUTH_STORE_E_HEADER_CRC, parse(f, n));
	/* The CRC is over the header with its own field zero. */
	EXPECT_EQ(ref_crc32(f, HDR), crc);
}

/* Each header field out of range, with both CRCs correct. */
TEST(header_fields)
{
	static const uint8_t bad_floors[] = { 1, '@', '[', 'a', 'z', 0xff };
	uint8_t f[256], g[256];
	size_t n = good_store(g), i;

#define RESET() memcpy(f, g, sizeof(f))
	RESET();
	put_le(f + 16, 0, 8);
	fix_crcs(f);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_HEADER, parse(f, n));

	for (i = 0; i < sizeof(bad_floors); i++) {
		RESET();
		f[24] = bad_floors[i];
		fix_crcs(f);
		EXPECT_EQ(SWAUTH_STORE_E_BAD_HEADER, parse(f, n));
		RESET();
		f[25] = bad_floors[i];
		fix_crcs(f);
		EXPECT_EQ(SWAUTH_STORE_E_BAD_HEADER, parse(f, n));
	}

	RESET();
	put_le(f + 26, 53, 2);
	fix_crcs(f);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_HEADER, parse(f, n));
	RESET();
	put_le(f + 26, 0xffff, 2);
	fix_crcs(f);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_HEADER, parse(f, n));

	/* body_size above the largest body, even if the file were that long. */
	RESET();
	put_le(f + 28, SWAUTH_STORE_MAX_SIZE - HDR + 1, 4);
	put_le(f + 12, 0, 4);
	put_le(f + 12, ref_crc32(f, HDR), 4);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_HEADER, parse(f, n));
	put_le(f + 28, 0xffffffff, 4);
	put_le(f + 12, 0, 4);
	put_le(f + 12, ref_crc32(f, HDR), 4);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_HEADER, parse(f, n));

	for (i = 36; i < HDR; i++) {
		RESET();
		f[i] = 0x80;
		fix_crcs(f);
		EXPECT_EQ(SWAUTH_STORE_E_BAD_HEADER, parse(f, n)) TH_LOG("reserved byte %zu", i);
	}
#undef RESET
}

/* Any single flipped bit, header or body, makes the file invalid. */
TEST(every_bit_flip_detected)
{
	uint8_t f[256];
	size_t n = good_store(f), i;
	int bit, ret, want;

	for (i = 0; i < n; i++) {
		for (bit = 0; bit < 8; bit++) {
			f[i] ^= 1 << bit;
			ret = parse(f, n);
			want = i < 8 ? SWAUTH_STORE_E_BAD_MAGIC :
			       i < 12 ? SWAUTH_STORE_E_BAD_VERSION :
			       i < HDR ? SWAUTH_STORE_E_HEADER_CRC : SWAUTH_STORE_E_BODY_CRC;
			EXPECT_EQ(want, ret) TH_LOG("byte %zu bit %d", i, bit);
			f[i] ^= 1 << bit;
		}
	}
	EXPECT_EQ(SWAUTH_STORE_E_OK, parse(f, n));
}

/* Malformed records, each in a body whose CRC and size are right. */
TEST(bad_records)
{
	static const uint8_t bad_types[] = { SWAUTH_KEY_UNSPEC, SWAUTH_KEY_ROLLOVER, 4, 0xff };
	static const uint8_t bad_versions[] = { 0, '@', '[', 'a', 0xff };
	static uint8_t body[2 * (REC + SWAUTH_CERT_MAX + 1)], f[sizeof(body) + HDR];
	size_t n, i;

	for (i = 0; i < sizeof(bad_types); i++) {
		n = put_record(body, bad_types[i], 'A', 4, 1);
		EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 1, body, n)));
	}
	for (i = 0; i < sizeof(bad_versions); i++) {
		n = put_record(body, SWAUTH_KEY_SPECIAL, bad_versions[i], 4, 1);
		EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 1, body, n)));
	}
	/* cert_len 0 and SWAUTH_CERT_MAX + 1; SWAUTH_CERT_MAX itself is fine. */
	n = put_record(body, SWAUTH_KEY_SPECIAL, 'A', 0, 1);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 1, body, n)));
	n = put_record(body, SWAUTH_KEY_SPECIAL, 'A', SWAUTH_CERT_MAX + 1, 1);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 1, body, n)));
	n = put_record(body, SWAUTH_KEY_SPECIAL, 'A', SWAUTH_CERT_MAX, 1);
	EXPECT_EQ(SWAUTH_STORE_E_OK, parse(f, raw_store(f, 1, 0, 0, 1, body, n)));

	/* Unsorted by version, by type, and a duplicate. */
	n = put_record(body, SWAUTH_KEY_PRODUCTION, 'B', 4, 1);
	n += put_record(body + n, SWAUTH_KEY_PRODUCTION, 'A', 4, 1);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 2, body, n)));
	n = put_record(body, SWAUTH_KEY_SPECIAL, 'A', 4, 1);
	n += put_record(body + n, SWAUTH_KEY_PRODUCTION, 'B', 4, 1);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 2, body, n)));
	n = put_record(body, SWAUTH_KEY_PRODUCTION, 'C', 4, 1);
	n += put_record(body + n, SWAUTH_KEY_PRODUCTION, 'C', 4, 2);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 2, body, n)));
	/* The same pairs in order are fine. */
	n = put_record(body, SWAUTH_KEY_PRODUCTION, 'Z', 4, 1);
	n += put_record(body + n, SWAUTH_KEY_SPECIAL, 'A', 4, 1);
	EXPECT_EQ(SWAUTH_STORE_E_OK, parse(f, raw_store(f, 1, 0, 0, 2, body, n)));

	/* Below its type's floor; at the floor is fine. */
	n = put_record(body, SWAUTH_KEY_PRODUCTION, 'B', 4, 1);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 'C', 0, 1, body, n)));
	EXPECT_EQ(SWAUTH_STORE_E_OK, parse(f, raw_store(f, 1, 'B', 'Z', 1, body, n)));
	n = put_record(body, SWAUTH_KEY_SPECIAL, 'Y', 4, 1);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 'Z', 1, body, n)));
}

/* Records and the header's nkeys and body_size must agree exactly. */
TEST(records_vs_body)
{
	uint8_t body[64], f[128];
	size_t n;

	/* A certificate that runs past the body. */
	n = put_record(body, SWAUTH_KEY_PRODUCTION, 'A', 10, 1);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 1, body, n - 1)));
	/* A record header that runs past the body, 1 to 3 bytes of it. */
	for (n = 1; n < REC; n++) {
		put_record(body, SWAUTH_KEY_PRODUCTION, 'A', 10, 1);
		EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 1, body, n)));
	}
	/* nkeys larger than the records there are. */
	n = put_record(body, SWAUTH_KEY_PRODUCTION, 'A', 10, 1);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 2, body, n)));
	/* nkeys smaller: the body is not consumed. */
	n += put_record(body + n, SWAUTH_KEY_PRODUCTION, 'B', 10, 1);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 1, body, n)));
	EXPECT_EQ(SWAUTH_STORE_E_OK, parse(f, raw_store(f, 1, 0, 0, 2, body, n)));
	/* One spare byte after the last record. */
	body[n] = 0;
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 2, body, n + 1)));
	/* No keys, yet a body. */
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse(f, raw_store(f, 1, 0, 0, 0, body, 4)));
}

/*
 * When the body is bad, the header still proves sequence and floors:
 * what lets the module keep floors as high as any copy proves.
 */
TEST(floors_survive_corrupt_body)
{
	struct swauth_store st;
	uint8_t f[256];
	size_t n = good_store(f);

	f[HDR + 5] ^= 0xff;
	memset(&st, 0x5a, sizeof(st));
	EXPECT_EQ(SWAUTH_STORE_E_BODY_CRC, parse_copy(f, n, &st));
	EXPECT_EQ(7, st.sequence);
	EXPECT_EQ('B', st.floors[SWAUTH_KEY_PRODUCTION]);
	EXPECT_EQ('A', st.floors[SWAUTH_KEY_SPECIAL]);
	EXPECT_EQ(0, st.floors[SWAUTH_KEY_ROLLOVER]);
	EXPECT_EQ(0, st.nkeys);

	/* A torn write: the header reached the disk, half the body did not. */
	f[HDR + 5] ^= 0xff;
	EXPECT_EQ(SWAUTH_STORE_E_TRUNCATED, parse_copy(f, HDR + 8, &st));
	EXPECT_EQ(7, st.sequence);
	EXPECT_EQ('B', st.floors[SWAUTH_KEY_PRODUCTION]);
	EXPECT_EQ(0, st.nkeys);

	/* The header alone, given only the header's bytes. */
	memset(&st, 0x5a, sizeof(st));
	EXPECT_EQ(SWAUTH_STORE_E_OK, swauth_store_parse_header(f, HDR, &st));
	EXPECT_EQ(7, st.sequence);
	EXPECT_EQ('B', st.floors[SWAUTH_KEY_PRODUCTION]);
	EXPECT_EQ('A', st.floors[SWAUTH_KEY_SPECIAL]);
	EXPECT_EQ(0, st.nkeys);

	/* A record error keeps them too, with no half-parsed keys counted. */
	f[HDR + 1] = 'A';	/* production A, below floor B */
	fix_crcs(f);
	EXPECT_EQ(SWAUTH_STORE_E_BAD_RECORD, parse_copy(f, n, &st));
	EXPECT_EQ('B', st.floors[SWAUTH_KEY_PRODUCTION]);
	EXPECT_EQ(0, st.nkeys);

	/* A bad header proves nothing: the store comes back zeroed. */
	f[20] ^= 1;
	memset(&st, 0x5a, sizeof(st));
	EXPECT_EQ(SWAUTH_STORE_E_HEADER_CRC, swauth_store_parse_header(f, n, &st));
	EXPECT_EQ(0, st.sequence);
	EXPECT_EQ(0, st.floors[SWAUTH_KEY_PRODUCTION]);
	EXPECT_EQ(0, st.floors[SWAUTH_KEY_SPECIAL]);
	EXPECT_EQ(SWAUTH_STORE_E_TRUNCATED, swauth_store_parse_header(f, HDR - 1, &st));
	EXPECT_EQ(0, st.sequence);
}

/* The builder refuses what the parser would refuse. */
TEST(build_refuses_invalid)
{
	static const uint8_t cert[8] = { 0x30, 6 };
	struct swauth_store good = { .sequence = 5, .nkeys = 2 }, st;
	uint8_t buf[256];

	good.floors[SWAUTH_KEY_PRODUCTION] = 'B';
	good.keys[0] = (struct swauth_store_key){ SWAUTH_KEY_PRODUCTION, 'B', 8, cert };
	good.keys[1] = (struct swauth_store_key){ SWAUTH_KEY_SPECIAL, 'A', 8, cert };
	ASSERT_EQ(0, swauth_store_build(&good, buf, sizeof(buf)));

#define REFUSED(change) do { \
		st = good; \
		change; \
		memset(buf, 0xcc, sizeof(buf)); \
		EXPECT_EQ(-EINVAL, swauth_store_build(&st, buf, sizeof(buf))) \
			TH_LOG("%s", #change); \
		EXPECT_EQ(0xcc, buf[0]); \
	} while (0)
	REFUSED(st.sequence = 0);
	REFUSED(st.floors[SWAUTH_KEY_PRODUCTION] = 'a');
	REFUSED(st.floors[SWAUTH_KEY_SPECIAL] = '@');
	REFUSED(st.floors[SWAUTH_KEY_ROLLOVER] = 'A');
	REFUSED(st.floors[SWAUTH_KEY_UNSPEC] = 'A');
	REFUSED(st.floors[SWAUTH_KEY_PRODUCTION] = 'C');	/* key B below it */
	REFUSED(st.nkeys = SWAUTH_STORE_MAX_KEYS + 1);
	REFUSED(st.keys[0].type = SWAUTH_KEY_ROLLOVER);
	REFUSED(st.keys[1].type = 4);
	REFUSED(st.keys[0].version = 'a');
	REFUSED(st.keys[0].version = 0);
	REFUSED(st.keys[0].cert_len = 0);
	REFUSED(st.keys[0].cert_len = SWAUTH_CERT_MAX + 1);
	REFUSED(st.keys[0].cert = NULL);
	REFUSED(st.keys[1].type = SWAUTH_KEY_PRODUCTION);	/* B then A */
	REFUSED(st.keys[1] = st.keys[0]);			/* duplicate */
	REFUSED(st.keys[0] = good.keys[1]; st.keys[1] = good.keys[0]);
#undef REFUSED
	st = good;
	st.nkeys = SWAUTH_STORE_MAX_KEYS + 1;
	EXPECT_EQ(0, swauth_store_size(&st));
}

/* A buffer one byte short is refused before anything is written. */
TEST(build_buffer_too_small)
{
	static const uint8_t cert[8] = { 0x30, 6 };
	struct swauth_store st = { .sequence = 1, .nkeys = 1 };
	uint8_t buf[HDR + REC + 8 + 1];
	size_t size;

	st.keys[0] = (struct swauth_store_key){ SWAUTH_KEY_SPECIAL, 'A', 8, cert };
	size = swauth_store_size(&st);
	ASSERT_EQ(HDR + REC + 8, size);
	memset(buf, 0xcc, sizeof(buf));
	EXPECT_EQ(-ENOSPC, swauth_store_build(&st, buf, size - 1));
	EXPECT_EQ(-ENOSPC, swauth_store_build(&st, buf, 0));
	EXPECT_EQ(-ENOSPC, swauth_store_build(&st, buf, HDR));
	EXPECT_EQ(0xcc, buf[0]);
	EXPECT_EQ(0xcc, buf[size - 1]);
	/* Exactly enough; the byte after is left alone. */
	EXPECT_EQ(0, swauth_store_build(&st, buf, size));
	EXPECT_EQ(0xcc, buf[size]);
	EXPECT_EQ(SWAUTH_STORE_E_OK, parse(buf, size));
}

/* A message per error, all different; anything else is unknown. */
TEST(error_messages)
{
	int i, j;

	for (i = 0; i <= SWAUTH_STORE_E_MAX; i++) {
		ASSERT_NE(NULL, swauth_store_strerror(i));
		EXPECT_NE(0, strlen(swauth_store_strerror(i)));
		EXPECT_STRNE("unknown error", swauth_store_strerror(i));
		for (j = 0; j < i; j++)
			EXPECT_STRNE(swauth_store_strerror(j), swauth_store_strerror(i));
	}
	EXPECT_STREQ("unknown error", swauth_store_strerror(-1));
	EXPECT_STREQ("unknown error", swauth_store_strerror(SWAUTH_STORE_E_MAX + 1));
	EXPECT_STREQ("body checksum mismatch", swauth_store_strerror(SWAUTH_STORE_E_BODY_CRC));
}

TEST_HARNESS_MAIN
