// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * libFuzzer target for the image header parser (kmod/image.c), the one
 * piece of C that reads untrusted image bytes in the kernel. Besides
 * memory safety (ASan, UBSan), it checks the parser's promises: the sizes
 * it derives are consistent and bounded, the strings it returns are
 * terminated, and swauth_image_check_size() accepts exactly the size the
 * header implies. Built by `make fuzz` into build/fuzz/image_fuzz; the
 * seed corpus (build/fuzz/corpus/image/) holds images signed with the
 * development keys.
 */

#include <stdint.h>
#include <string.h>

#include "kmod/image.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct swauth_image_header hdr;
	enum swauth_verdict v;

	v = swauth_image_parse(data, size, &hdr);
	CHECK(v <= SWAUTH_VERDICT_MAX);
	if (v != SWAUTH_VERDICT_OK && v != SWAUTH_VERDICT_TYPE_NOT_ALLOWED) {
		CHECK(v == SWAUTH_VERDICT_BAD_MAGIC ||
		      v == SWAUTH_VERDICT_TRUNCATED_HEADER ||
		      v == SWAUTH_VERDICT_BAD_FORMAT_VERSION ||
		      v == SWAUTH_VERDICT_BAD_HEADER ||
		      v == SWAUTH_VERDICT_SIZE_OVERFLOW);
		return 0;
	}

	CHECK(size >= SWAUTH_IMAGE_HEADER_SIZE);
	CHECK(hdr.format_version == SWAUTH_IMAGE_FORMAT_V1);
	CHECK(hdr.key_version >= 'A' && hdr.key_version <= 'Z');
	CHECK(hdr.digest_size == swauth_image_digest_size(hdr.hash_algo));
	CHECK(hdr.digest_size >= 32 && hdr.digest_size <= SWAUTH_IMAGE_DIGEST_MAX);
	CHECK(hdr.cert_size <= SWAUTH_IMAGE_CERT_MAX);
	CHECK(hdr.sig_size >= SWAUTH_IMAGE_SIG_MIN && hdr.sig_size <= SWAUTH_IMAGE_SIG_MAX);
	CHECK(hdr.payload_size <= SWAUTH_IMAGE_PAYLOAD_MAX);
	CHECK(hdr.manifest_size == SWAUTH_IMAGE_HEADER_SIZE + hdr.cert_size);
	CHECK(hdr.payload_offset == (__u64)hdr.manifest_size + hdr.sig_size);
	CHECK(hdr.image_size == hdr.payload_offset + hdr.payload_size);
	CHECK(memchr(hdr.name, '\0', sizeof(hdr.name)) && hdr.name[0]);
	CHECK(memchr(hdr.image_version, '\0', sizeof(hdr.image_version)));
	CHECK(memchr(hdr.platform, '\0', sizeof(hdr.platform)));

	/* The size check accepts exactly the image size. */
	v = swauth_image_check_size(&hdr, size);
	CHECK((v == SWAUTH_VERDICT_OK) == (size == hdr.image_size));
	CHECK(swauth_image_check_size(&hdr, hdr.image_size) == SWAUTH_VERDICT_OK);
	CHECK(swauth_image_check_size(&hdr, hdr.image_size + 1) ==
	      SWAUTH_VERDICT_TRAILING_DATA);
	CHECK(swauth_image_check_size(&hdr, hdr.manifest_size - 1) ==
	      SWAUTH_VERDICT_TRUNCATED_MANIFEST);
	return 0;
}
