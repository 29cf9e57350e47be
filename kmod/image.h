/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The image format, version 1: the parser that the module, libswauth and
 * the fuzzer share. Documentation/image-format.rst describes the format
 * byte by byte; this file and image.c implement exactly that and nothing
 * else. Plain C with explicit bounds checks, no allocation, no I/O.
 */

#ifndef _SWAUTH_IMAGE_H
#define _SWAUTH_IMAGE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <linux/types.h>
#endif
#include <linux/swauth.h>

/* The layout of format version 1, in bytes. */
enum swauth_image_layout {
	SWAUTH_IMAGE_HEADER_SIZE = 256,
	SWAUTH_IMAGE_MAGIC_SIZE = 8,
	SWAUTH_IMAGE_DIGEST_MAX = 64,
	SWAUTH_IMAGE_NAME_SIZE = 64,
	SWAUTH_IMAGE_VERSION_SIZE = 32,
	SWAUTH_IMAGE_PLATFORM_SIZE = 32,
	/* RSA 2048, 3072 and 4096: the signature is the modulus size. */
	SWAUTH_IMAGE_SIG_MIN = 256,
	SWAUTH_IMAGE_SIG_MAX = 512,
	SWAUTH_IMAGE_CERT_MAX = SWAUTH_CERT_MAX,
};

/* Offsets of the fields in the header, for the parser and the signer. */
enum swauth_image_offset {
	OFF_MAGIC = 0,
	OFF_FORMAT_VERSION = 8,
	OFF_IMAGE_TYPE = 12,
	OFF_KEY_TYPE = 13,
	OFF_KEY_VERSION = 14,
	OFF_HASH_ALGO = 15,
	OFF_SIG_SIZE = 16,
	OFF_CERT_SIZE = 18,
	OFF_RESERVED0 = 20,
	OFF_PAYLOAD_SIZE = 24,
	OFF_BUILD_TIME = 32,
	OFF_DIGEST = 40,
	OFF_NAME = 104,
	OFF_IMAGE_VERSION = 168,
	OFF_PLATFORM = 200,
	OFF_RESERVED1 = 232,
	RESERVED1_SIZE = SWAUTH_IMAGE_HEADER_SIZE - OFF_RESERVED1,
};

/* The format version this parser understands. */
#define SWAUTH_IMAGE_FORMAT_V1 1

/* Largest payload: 1 TiB, far beyond any router image, far below 2^64. */
#define SWAUTH_IMAGE_PAYLOAD_MAX 0x10000000000ULL

/* The 8 magic bytes at offset 0. */
extern const unsigned char swauth_image_magic[SWAUTH_IMAGE_MAGIC_SIZE];

/* A parsed header, in host byte order, with the offsets it implies. */
struct swauth_image_header {
	__u32 format_version;
	__u8 image_type;	/* enum swauth_image_type */
	__u8 key_type;		/* enum swauth_key_type */
	__u8 key_version;	/* 'A'..'Z' */
	__u8 hash_algo;		/* enum swauth_hash_algo */
	__u16 sig_size;
	__u16 cert_size;
	__u64 payload_size;
	__u64 build_time;
	__u8 payload_digest[SWAUTH_IMAGE_DIGEST_MAX];
	char name[SWAUTH_IMAGE_NAME_SIZE];
	char image_version[SWAUTH_IMAGE_VERSION_SIZE];
	char platform[SWAUTH_IMAGE_PLATFORM_SIZE];

	/* Derived from the fields above by swauth_image_parse(). */
	__u32 digest_size;	/* bytes of the hash_algo digest */
	__u32 manifest_size;	/* signed bytes: header and bundled cert */
	__u64 payload_offset;	/* manifest, then signature */
	__u64 image_size;	/* the exact size of a complete image */
};

enum swauth_verdict swauth_image_parse(const void *buf, size_t len,
				       struct swauth_image_header *hdr);
enum swauth_verdict swauth_image_check_size(const struct swauth_image_header *hdr,
					    __u64 file_size);
unsigned int swauth_image_digest_size(unsigned int hash_algo);

#endif /* _SWAUTH_IMAGE_H */
