// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The key-store parser and builder shared by the module, libswauth and the
 * fuzzer. Every field is read from the byte buffer explicitly,
 * little-endian, at the offset Documentation/key-store.rst gives. The
 * parser and the builder apply the same rules (check_floor() and
 * check_key()), so whatever one writes the other reads back unchanged,
 * and nothing the parser accepts can be written differently.
 *
 * The CRCs detect corruption and torn writes, not tampering: anyone who
 * can write the file can compute them. The module re-checks every key
 * against its built-in rollover keys on load.
 */

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "keystore.h"

/* 0x89 keeps text tools away, "\n" catches newline translation. */
const unsigned char swauth_store_magic[SWAUTH_STORE_MAGIC_SIZE] = {
	0x89, 'S', 'W', 'K', 'E', 'Y', 'S', '\n'
};

/* Offsets of the header fields (Documentation/key-store.rst). */
enum {
	OFF_MAGIC = 0,
	OFF_FORMAT_VERSION = 8,
	OFF_HEADER_CRC = 12,
	OFF_SEQUENCE = 16,
	OFF_FLOOR_PRODUCTION = 24,
	OFF_FLOOR_SPECIAL = 25,
	OFF_NKEYS = 26,
	OFF_BODY_SIZE = 28,
	OFF_BODY_CRC = 32,
	OFF_RESERVED = 36,
	RESERVED_SIZE = SWAUTH_STORE_HEADER_SIZE - OFF_RESERVED,
};

/*
 * CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320), four bits at a
 * time: a 64-byte table instead of zlib's 1 KiB, fast enough for a file
 * of at most SWAUTH_STORE_MAX_SIZE bytes read once per module load.
 */
static const __u32 crc32_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

static const char * const store_errors[] = {
	[SWAUTH_STORE_E_OK] = "valid",
	[SWAUTH_STORE_E_TRUNCATED] = "truncated",
	[SWAUTH_STORE_E_BAD_MAGIC] = "not a key store (bad magic)",
	[SWAUTH_STORE_E_BAD_VERSION] = "unsupported format version",
	[SWAUTH_STORE_E_HEADER_CRC] = "header checksum mismatch",
	[SWAUTH_STORE_E_BAD_HEADER] = "invalid header field",
	[SWAUTH_STORE_E_TRAILING] = "trailing data after the body",
	[SWAUTH_STORE_E_BODY_CRC] = "body checksum mismatch",
	[SWAUTH_STORE_E_BAD_RECORD] = "invalid key record",
};

static __u16 get_le16(const __u8 *p)
{
	return (__u16)(p[0] | p[1] << 8);
}

static __u32 get_le32(const __u8 *p)
{
	return (__u32)p[0] | (__u32)p[1] << 8 | (__u32)p[2] << 16 |
	       (__u32)p[3] << 24;
}

static __u64 get_le64(const __u8 *p)
{
	return (__u64)get_le32(p) | (__u64)get_le32(p + 4) << 32;
}

static void put_le(__u8 *p, __u64 v, unsigned int n)
{
	while (n--) {
		*p++ = (__u8)v;
		v >>= 8;
	}
}

static int all_zero(const __u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return 0;
	return 1;
}

/**
 * swauth_store_crc32() - CRC-32 as zlib's crc32() computes it
 * @crc: 0 to start, or the result for the bytes before @buf
 * @buf: the bytes
 * @len: how many
 *
 * Reflected polynomial 0xedb88320, initial value and final XOR ~0, so that
 * "123456789" gives 0xcbf43926 and a CRC can be continued across buffers:
 * swauth_store_crc32(swauth_store_crc32(0, a, m), b, n) is the CRC of a
 * then b. One implementation for the module and userspace: the kernel's
 * crc32_le() takes different pre and post conditioning and does not
 * exist in userspace.
 *
 * Return: the CRC-32 of the bytes so far.
 */
__u32 swauth_store_crc32(__u32 crc, const void *buf, size_t len)
{
	const __u8 *p = buf;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc32_nibble[crc & 15];
		crc = (crc >> 4) ^ crc32_nibble[crc & 15];
	}
	return ~crc;
}

/* The header CRC: the 64 bytes with the header_crc field taken as zero. */
static __u32 header_crc(const __u8 *p)
{
	static const __u8 zero[4];
	__u32 crc;

	crc = swauth_store_crc32(0, p, OFF_HEADER_CRC);
	crc = swauth_store_crc32(crc, zero, sizeof(zero));
	return swauth_store_crc32(crc, p + OFF_HEADER_CRC + 4,
				  SWAUTH_STORE_HEADER_SIZE - OFF_HEADER_CRC - 4);
}

/* A floor is 0 (none) or a version letter. */
static int check_floor(__u8 floor)
{
	return !floor || (floor >= 'A' && floor <= 'Z');
}

/*
 * A key after @prev (NULL for the first) in a store with @floors: of a
 * storable type, a version letter at or above its type's floor, a
 * certificate of allowed size, and strictly after @prev in (type, version)
 * order, which also rules out duplicates.
 */
static int check_key(const __u8 *floors, const struct swauth_store_key *prev,
		     const struct swauth_store_key *key)
{
	if (key->type != SWAUTH_KEY_PRODUCTION &&
	    key->type != SWAUTH_KEY_SPECIAL)
		return 0;
	if (key->version < 'A' || key->version > 'Z' ||
	    key->version < floors[key->type])
		return 0;
	if (!key->cert_len || key->cert_len > SWAUTH_CERT_MAX)
		return 0;
	if (prev && (key->type < prev->type ||
		     (key->type == prev->type && key->version <= prev->version)))
		return 0;
	return 1;
}

/**
 * swauth_store_parse_header() - parse and check a key-store header alone
 * @buf: the file's first bytes
 * @len: how many bytes @buf holds; SWAUTH_STORE_HEADER_SIZE are needed
 * @st: overwritten entirely (nkeys 0): the sequence and floors when the
 *      header is valid; never pass a store swauth_store_parse() filled
 *
 * Checks the magic, the format version, the header CRC and every header
 * field, but neither the body nor the file's size. A copy whose body is
 * corrupt can still prove its floors this way, so that the module keeps
 * the floors as high as any copy proves. On any error, @st is zeroed
 * (sequence 0, no floors), so that a caller may take the maximum of the
 * floors over all copies without looking at the result first.
 *
 * Return: SWAUTH_STORE_E_OK, or the first check that failed:
 * SWAUTH_STORE_E_TRUNCATED, _BAD_MAGIC, _BAD_VERSION, _HEADER_CRC or
 * _BAD_HEADER.
 */
int swauth_store_parse_header(const void *buf, size_t len,
			      struct swauth_store *st)
{
	const __u8 *p = buf;
	__u64 sequence;
	__u8 floor_production, floor_special;

	memset(st, 0, sizeof(*st));
	if (len < SWAUTH_STORE_HEADER_SIZE)
		return SWAUTH_STORE_E_TRUNCATED;
	if (memcmp(p + OFF_MAGIC, swauth_store_magic, SWAUTH_STORE_MAGIC_SIZE))
		return SWAUTH_STORE_E_BAD_MAGIC;
	if (get_le32(p + OFF_FORMAT_VERSION) != SWAUTH_STORE_FORMAT_V1)
		return SWAUTH_STORE_E_BAD_VERSION;
	if (get_le32(p + OFF_HEADER_CRC) != header_crc(p))
		return SWAUTH_STORE_E_HEADER_CRC;

	sequence = get_le64(p + OFF_SEQUENCE);
	floor_production = p[OFF_FLOOR_PRODUCTION];
	floor_special = p[OFF_FLOOR_SPECIAL];
	if (!sequence || !check_floor(floor_production) ||
	    !check_floor(floor_special) ||
	    get_le16(p + OFF_NKEYS) > SWAUTH_STORE_MAX_KEYS ||
	    get_le32(p + OFF_BODY_SIZE) > SWAUTH_STORE_BODY_MAX ||
	    !all_zero(p + OFF_RESERVED, RESERVED_SIZE))
		return SWAUTH_STORE_E_BAD_HEADER;

	st->sequence = sequence;
	st->floors[SWAUTH_KEY_PRODUCTION] = floor_production;
	st->floors[SWAUTH_KEY_SPECIAL] = floor_special;
	return SWAUTH_STORE_E_OK;
}

/* Parse the nkeys records of a body whose size and CRC were checked. */
static int parse_records(const __u8 *body, size_t body_size,
			 unsigned int nkeys, struct swauth_store *st)
{
	struct swauth_store_key *key, *prev = NULL;
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < nkeys; i++) {
		if (body_size - off < SWAUTH_STORE_RECORD_HEADER_SIZE)
			return SWAUTH_STORE_E_BAD_RECORD;
		key = &st->keys[i];
		key->type = body[off];
		key->version = body[off + 1];
		key->cert_len = get_le16(body + off + 2);
		off += SWAUTH_STORE_RECORD_HEADER_SIZE;
		if (!check_key(st->floors, prev, key) ||
		    body_size - off < key->cert_len)
			return SWAUTH_STORE_E_BAD_RECORD;
		key->cert = body + off;
		off += key->cert_len;
		prev = key;
	}
	if (off != body_size)
		return SWAUTH_STORE_E_BAD_RECORD;
	return SWAUTH_STORE_E_OK;
}

/**
 * swauth_store_parse() - parse and check a whole key-store file
 * @buf: the file
 * @len: its size; a valid file is exactly SWAUTH_STORE_HEADER_SIZE plus
 *       the header's body_size bytes
 * @st: the parsed store; each key's cert points into @buf
 *
 * The header is checked as by swauth_store_parse_header(), then the
 * file's size, the body CRC and the records, in that order. On any error
 * after the header parsed, @st->sequence and @st->floors hold the
 * header's (valid) values and @st->nkeys is 0; on a header error @st is
 * zeroed.
 *
 * Return: SWAUTH_STORE_E_OK, or the first check that failed (enum
 * swauth_store_error).
 */
int swauth_store_parse(const void *buf, size_t len, struct swauth_store *st)
{
	const __u8 *p = buf;
	__u32 body_size;
	int ret;

	ret = swauth_store_parse_header(buf, len, st);
	if (ret)
		return ret;

	/* body_size is bounded by the header check, so this cannot wrap. */
	body_size = get_le32(p + OFF_BODY_SIZE);
	if (len - SWAUTH_STORE_HEADER_SIZE < body_size)
		return SWAUTH_STORE_E_TRUNCATED;
	if (len - SWAUTH_STORE_HEADER_SIZE > body_size)
		return SWAUTH_STORE_E_TRAILING;
	if (get_le32(p + OFF_BODY_CRC) !=
	    swauth_store_crc32(0, p + SWAUTH_STORE_HEADER_SIZE, body_size))
		return SWAUTH_STORE_E_BODY_CRC;

	ret = parse_records(p + SWAUTH_STORE_HEADER_SIZE, body_size,
			    get_le16(p + OFF_NKEYS), st);
	if (ret)
		return ret;
	st->nkeys = get_le16(p + OFF_NKEYS);
	return SWAUTH_STORE_E_OK;
}

/**
 * swauth_store_size() - the size of the file swauth_store_build() writes
 * @st: the store
 *
 * Return: the header's size plus each key's record, or 0 when @st->nkeys
 * exceeds SWAUTH_STORE_MAX_KEYS.
 */
size_t swauth_store_size(const struct swauth_store *st)
{
	size_t size = SWAUTH_STORE_HEADER_SIZE;
	unsigned int i;

	if (st->nkeys > SWAUTH_STORE_MAX_KEYS)
		return 0;
	for (i = 0; i < st->nkeys; i++)
		size += SWAUTH_STORE_RECORD_HEADER_SIZE + st->keys[i].cert_len;
	return size;
}

/* Whether swauth_store_parse() would accept @st written out. */
static int store_valid(const struct swauth_store *st)
{
	unsigned int i;

	if (!st->sequence || st->nkeys > SWAUTH_STORE_MAX_KEYS)
		return 0;
	for (i = 0; i <= SWAUTH_KEY_MAX; i++) {
		if (i == SWAUTH_KEY_PRODUCTION || i == SWAUTH_KEY_SPECIAL) {
			if (!check_floor(st->floors[i]))
				return 0;
		} else if (st->floors[i]) {
			return 0;
		}
	}
	for (i = 0; i < st->nkeys; i++)
		if (!check_key(st->floors, i ? &st->keys[i - 1] : NULL,
			       &st->keys[i]) || !st->keys[i].cert)
			return 0;
	return 1;
}

/**
 * swauth_store_build() - write a key store in the file format
 * @st: the store: sequence at least 1, floors and keys as
 *      swauth_store_parse() accepts them (sorted, none below its floor)
 * @buf: where to write swauth_store_size(@st) bytes; it must not overlap
 *       the certificates
 * @len: the size of @buf
 *
 * Computes both CRCs. Parsing the result gives back @st.
 *
 * Return: 0; -EINVAL when @st is not a valid store; -ENOSPC when @len is
 * smaller than swauth_store_size(@st).
 */
int swauth_store_build(const struct swauth_store *st, void *buf, size_t len)
{
	__u8 *p = buf, *body = p + SWAUTH_STORE_HEADER_SIZE;
	size_t size, off = 0;
	unsigned int i;

	if (!store_valid(st))
		return -EINVAL;
	size = swauth_store_size(st);
	if (len < size)
		return -ENOSPC;

	for (i = 0; i < st->nkeys; i++) {
		const struct swauth_store_key *key = &st->keys[i];

		body[off] = key->type;
		body[off + 1] = key->version;
		put_le(body + off + 2, key->cert_len, 2);
		off += SWAUTH_STORE_RECORD_HEADER_SIZE;
		memcpy(body + off, key->cert, key->cert_len);
		off += key->cert_len;
	}

	memset(p, 0, SWAUTH_STORE_HEADER_SIZE);
	memcpy(p + OFF_MAGIC, swauth_store_magic, SWAUTH_STORE_MAGIC_SIZE);
	put_le(p + OFF_FORMAT_VERSION, SWAUTH_STORE_FORMAT_V1, 4);
	put_le(p + OFF_SEQUENCE, st->sequence, 8);
	p[OFF_FLOOR_PRODUCTION] = st->floors[SWAUTH_KEY_PRODUCTION];
	p[OFF_FLOOR_SPECIAL] = st->floors[SWAUTH_KEY_SPECIAL];
	put_le(p + OFF_NKEYS, st->nkeys, 2);
	put_le(p + OFF_BODY_SIZE, off, 4);
	put_le(p + OFF_BODY_CRC, swauth_store_crc32(0, body, off), 4);
	put_le(p + OFF_HEADER_CRC, header_crc(p), 4);
	return 0;
}

/**
 * swauth_store_find() - look a key up by type and version
 * @st: the store
 * @type: an enum swauth_key_type value
 * @version: 'A'..'Z'
 *
 * Return: the index of the key in @st->keys, or -1 when it is absent.
 */
int swauth_store_find(const struct swauth_store *st, __u8 type, __u8 version)
{
	unsigned int i;

	for (i = 0; i < st->nkeys && i < SWAUTH_STORE_MAX_KEYS; i++)
		if (st->keys[i].type == type && st->keys[i].version == version)
			return (int)i;
	return -1;
}

/**
 * swauth_store_strerror() - a short message for a parse result
 * @error: an enum swauth_store_error value
 *
 * Return: a static string, "unknown error" for a value out of range.
 */
const char *swauth_store_strerror(int error)
{
	if (error < 0 || error > SWAUTH_STORE_E_MAX)
		return "unknown error";
	return store_errors[error];
}
