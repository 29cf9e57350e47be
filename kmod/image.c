// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The image header parser shared by the module, libswauth and the fuzzer.
 * Every field is read from the byte buffer explicitly, little-endian, at
 * the offset Documentation/image-format.rst gives; every byte of the header
 * is checked, reserved bytes and string padding included, so that no byte
 * of an image can change without the verdict changing with it.
 */

#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#include "image.h"

/* 0x89 keeps text tools away, "\n" catches newline translation. */
const unsigned char swauth_image_magic[SWAUTH_IMAGE_MAGIC_SIZE] = {
	0x89, 'S', 'W', 'A', 'U', 'T', 'H', '\n'
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

static int all_zero(const __u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return 0;
	return 1;
}

/*
 * A string field: printable ASCII, then at least one NUL, then only NULs.
 * Copies it to out (the same size) and returns its length, or -1.
 */
static int get_string(const __u8 *p, size_t size, char *out)
{
	size_t len = 0;

	while (len < size && p[len] >= 0x20 && p[len] <= 0x7e)
		len++;
	if (len == size || !all_zero(p + len, size - len))
		return -1;
	memcpy(out, p, size);
	return (int)len;
}

/**
 * swauth_image_digest_size() - the digest size of a hash algorithm
 * @hash_algo: an enum swauth_hash_algo value
 *
 * Return: the size in bytes, or 0 for an unknown algorithm.
 */
unsigned int swauth_image_digest_size(unsigned int hash_algo)
{
	switch (hash_algo) {
	case SWAUTH_HASH_SHA256:
		return 32;
	case SWAUTH_HASH_SHA384:
		return 48;
	case SWAUTH_HASH_SHA512:
		return 64;
	}
	return 0;
}

/* Which key type may sign which image type (the seeds' rules). */
static int type_allowed(unsigned int image_type, unsigned int key_type)
{
	switch (image_type) {
	case SWAUTH_IMAGE_PRODUCTION:
		return key_type == SWAUTH_KEY_PRODUCTION;
	case SWAUTH_IMAGE_SPECIAL:
		return key_type == SWAUTH_KEY_SPECIAL;
	case SWAUTH_IMAGE_REVOCATION:
		return key_type == SWAUTH_KEY_ROLLOVER;
	case SWAUTH_IMAGE_BOOTLOADER:
		return key_type == SWAUTH_KEY_PRODUCTION ||
		       key_type == SWAUTH_KEY_SPECIAL;
	}
	return 0;
}

static int sig_size_valid(unsigned int size)
{
	return size == 256 || size == 384 || size == 512;
}

/**
 * swauth_image_parse() - parse and check an image header
 * @buf: the first bytes of the image
 * @len: how many bytes @buf holds; SWAUTH_IMAGE_HEADER_SIZE are needed
 * @hdr: filled with the header's fields when the header parsed, that is
 *       for SWAUTH_VERDICT_OK and SWAUTH_VERDICT_TYPE_NOT_ALLOWED
 *
 * Checks the header alone: the file's size is checked by
 * swauth_image_check_size(), the signature and digest by the caller.
 *
 * Return: SWAUTH_VERDICT_OK, or the first check that failed:
 * TRUNCATED_HEADER, BAD_MAGIC, BAD_FORMAT_VERSION, BAD_HEADER,
 * SIZE_OVERFLOW or TYPE_NOT_ALLOWED.
 */
enum swauth_verdict swauth_image_parse(const void *buf, size_t len,
				       struct swauth_image_header *hdr)
{
	const __u8 *p = buf;
	size_t magic_len = len < SWAUTH_IMAGE_MAGIC_SIZE ?
			   len : SWAUTH_IMAGE_MAGIC_SIZE;

	if (magic_len && memcmp(p, swauth_image_magic, magic_len))
		return SWAUTH_VERDICT_BAD_MAGIC;
	if (len < SWAUTH_IMAGE_HEADER_SIZE)
		return SWAUTH_VERDICT_TRUNCATED_HEADER;

	memset(hdr, 0, sizeof(*hdr));
	hdr->format_version = get_le32(p + OFF_FORMAT_VERSION);
	if (hdr->format_version != SWAUTH_IMAGE_FORMAT_V1)
		return SWAUTH_VERDICT_BAD_FORMAT_VERSION;

	hdr->image_type = p[OFF_IMAGE_TYPE];
	hdr->key_type = p[OFF_KEY_TYPE];
	hdr->key_version = p[OFF_KEY_VERSION];
	hdr->hash_algo = p[OFF_HASH_ALGO];
	hdr->sig_size = get_le16(p + OFF_SIG_SIZE);
	hdr->cert_size = get_le16(p + OFF_CERT_SIZE);
	hdr->payload_size = get_le64(p + OFF_PAYLOAD_SIZE);
	hdr->build_time = get_le64(p + OFF_BUILD_TIME);
	hdr->digest_size = swauth_image_digest_size(hdr->hash_algo);
	memcpy(hdr->payload_digest, p + OFF_DIGEST, SWAUTH_IMAGE_DIGEST_MAX);

	if (hdr->image_type == SWAUTH_IMAGE_UNSPEC ||
	    hdr->image_type > SWAUTH_IMAGE_MAX ||
	    hdr->key_type == SWAUTH_KEY_UNSPEC ||
	    hdr->key_type > SWAUTH_KEY_MAX ||
	    hdr->key_version < 'A' || hdr->key_version > 'Z' ||
	    !hdr->digest_size || !sig_size_valid(hdr->sig_size) ||
	    hdr->cert_size > SWAUTH_IMAGE_CERT_MAX ||
	    get_le32(p + OFF_RESERVED0) ||
	    !all_zero(p + OFF_RESERVED1, RESERVED1_SIZE) ||
	    !all_zero(p + OFF_DIGEST + hdr->digest_size,
		      SWAUTH_IMAGE_DIGEST_MAX - hdr->digest_size) ||
	    get_string(p + OFF_NAME, SWAUTH_IMAGE_NAME_SIZE, hdr->name) < 1 ||
	    get_string(p + OFF_IMAGE_VERSION, SWAUTH_IMAGE_VERSION_SIZE,
		       hdr->image_version) < 0 ||
	    get_string(p + OFF_PLATFORM, SWAUTH_IMAGE_PLATFORM_SIZE,
		       hdr->platform) < 0)
		return SWAUTH_VERDICT_BAD_HEADER;

	if (hdr->payload_size > SWAUTH_IMAGE_PAYLOAD_MAX)
		return SWAUTH_VERDICT_SIZE_OVERFLOW;
	/* Each term is bounded above, so none of these sums can wrap. */
	hdr->manifest_size = SWAUTH_IMAGE_HEADER_SIZE + hdr->cert_size;
	hdr->payload_offset = hdr->manifest_size + hdr->sig_size;
	hdr->image_size = hdr->payload_offset + hdr->payload_size;

	if (!type_allowed(hdr->image_type, hdr->key_type))
		return SWAUTH_VERDICT_TYPE_NOT_ALLOWED;
	return SWAUTH_VERDICT_OK;
}

/**
 * swauth_image_check_size() - check a file's size against its header
 * @hdr: a header swauth_image_parse() accepted
 * @file_size: the size of the whole file
 *
 * Return: SWAUTH_VERDICT_OK when the file is exactly as long as the header
 * says, else where it ends: TRUNCATED_MANIFEST, TRUNCATED_SIGNATURE,
 * TRUNCATED_PAYLOAD, or TRAILING_DATA when it goes on.
 */
enum swauth_verdict swauth_image_check_size(const struct swauth_image_header *hdr,
					    __u64 file_size)
{
	if (file_size < hdr->manifest_size)
		return SWAUTH_VERDICT_TRUNCATED_MANIFEST;
	if (file_size < hdr->payload_offset)
		return SWAUTH_VERDICT_TRUNCATED_SIGNATURE;
	if (file_size < hdr->image_size)
		return SWAUTH_VERDICT_TRUNCATED_PAYLOAD;
	if (file_size > hdr->image_size)
		return SWAUTH_VERDICT_TRAILING_DATA;
	return SWAUTH_VERDICT_OK;
}
