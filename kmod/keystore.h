/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The key-store file format, version 1: the parser and builder that the
 * module, libswauth and the fuzzer share. Documentation/key-store.rst
 * describes the format byte by byte and how the module keeps its two
 * copies, Primary and Backup; this file and keystore.c implement exactly
 * that format and nothing else. Plain C with explicit bounds checks, no
 * allocation, no I/O: the caller reads and writes the files.
 */

#ifndef _SWAUTH_KEYSTORE_H
#define _SWAUTH_KEYSTORE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <linux/types.h>
#endif
#include <linux/swauth.h>

/* The layout of format version 1, in bytes unless said otherwise. */
enum swauth_store_layout {
	SWAUTH_STORE_HEADER_SIZE = 64,
	SWAUTH_STORE_MAGIC_SIZE = 8,
	/* Production and special keys, versions 'A' to 'Z' each. */
	SWAUTH_STORE_MAX_KEYS = 52,
	/* key_type, version, le16 cert_len; then the certificate. */
	SWAUTH_STORE_RECORD_HEADER_SIZE = 4,
	SWAUTH_STORE_BODY_MAX = SWAUTH_STORE_MAX_KEYS *
				(SWAUTH_STORE_RECORD_HEADER_SIZE + SWAUTH_CERT_MAX),
};

/* The largest valid file: 52 keys with SWAUTH_CERT_MAX-byte certificates. */
#define SWAUTH_STORE_MAX_SIZE \
	((size_t)SWAUTH_STORE_HEADER_SIZE + SWAUTH_STORE_BODY_MAX)

/* The format version this code reads and writes. */
#define SWAUTH_STORE_FORMAT_V1 1

/* The 8 magic bytes at offset 0. */
extern const unsigned char swauth_store_magic[SWAUTH_STORE_MAGIC_SIZE];

/* One production or special key. */
struct swauth_store_key {
	__u8 type;		/* SWAUTH_KEY_PRODUCTION or SWAUTH_KEY_SPECIAL */
	__u8 version;		/* 'A'..'Z' */
	__u16 cert_len;		/* 1..SWAUTH_CERT_MAX */
	/*
	 * The X.509 certificate (DER): points into the parsed buffer after
	 * swauth_store_parse(), to the caller's data when building.
	 */
	const __u8 *cert;
};

/*
 * A key store in host byte order. keys[] is sorted by (type, version), no
 * key is below its type's floor.
 */
struct swauth_store {
	__u64 sequence;				/* >= 1 */
	/*
	 * Indexed by enum swauth_key_type: 0 (no floor) or the lowest
	 * version still trusted, 'A'..'Z'. Only the production and special
	 * entries can be non-zero.
	 */
	__u8 floors[SWAUTH_KEY_MAX + 1];
	unsigned int nkeys;
	struct swauth_store_key keys[SWAUTH_STORE_MAX_KEYS];
};

/* The outcome of swauth_store_parse(), one value per cause. */
enum swauth_store_error {
	SWAUTH_STORE_E_OK = 0,
	SWAUTH_STORE_E_TRUNCATED,	/* shorter than the header or body */
	SWAUTH_STORE_E_BAD_MAGIC,	/* not a key store */
	SWAUTH_STORE_E_BAD_VERSION,	/* a format version this code lacks */
	SWAUTH_STORE_E_HEADER_CRC,	/* the header's CRC does not match */
	SWAUTH_STORE_E_BAD_HEADER,	/* a header field out of range */
	SWAUTH_STORE_E_TRAILING,	/* bytes after the body */
	SWAUTH_STORE_E_BODY_CRC,	/* the body's CRC does not match */
	SWAUTH_STORE_E_BAD_RECORD,	/* a key record is malformed */
	__SWAUTH_STORE_E_MAX
};

#define SWAUTH_STORE_E_MAX (__SWAUTH_STORE_E_MAX - 1)

int swauth_store_parse_header(const void *buf, size_t len,
			      struct swauth_store *st);
int swauth_store_parse(const void *buf, size_t len, struct swauth_store *st);
size_t swauth_store_size(const struct swauth_store *st);
int swauth_store_build(const struct swauth_store *st, void *buf, size_t len);
int swauth_store_find(const struct swauth_store *st, __u8 type, __u8 version);
__u32 swauth_store_crc32(__u32 crc, const void *buf, size_t len);
const char *swauth_store_strerror(int error);

#endif /* _SWAUTH_KEYSTORE_H */
