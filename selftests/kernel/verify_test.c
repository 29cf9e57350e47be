// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * SWAUTH_IOC_VERIFY against the images selftests/kernel/make-images
 * builds on the host: every good image of every hash and key size is
 * accepted, and every kind of bad input gets its own verdict, with the
 * kernel log kept clean (the VM runner checks that).
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "genl.h"
#include "kselftest_harness.h"

#define IMAGES "build/tests/images"

static void provision_all(struct __test_metadata *_metadata)
{
	static const char *const certs[] = {
		"production-A", "production-B", "production-C",
		"special-A", "special-B", "special-C",
	};
	char path[PATH_MAX];
	size_t i;
	int ret;

	ASSERT_EQ(0, module_ensure_loaded());
	for (i = 0; i < sizeof(certs) / sizeof(certs[0]); i++) {
		snprintf(path, sizeof(path), IMAGES "/certs/%s.der", certs[i]);
		ret = genl_provision(path, NULL);
		ASSERT_TRUE(ret == 0 || ret == -EEXIST) TH_LOG("%s: %d", path, ret);
	}
}

static int verify_path(const char *name, struct genl_verify *v)
{
	char path[PATH_MAX];
	int fd, ret;

	snprintf(path, sizeof(path), IMAGES "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = genl_verify(fd, v, NULL);
	close(fd);
	return ret;
}

FIXTURE(verify) {
	struct genl_verify v;
};

FIXTURE_SETUP(verify)
{
	provision_all(_metadata);
}

FIXTURE_TEARDOWN(verify)
{
}

FIXTURE_VARIANT(verify) {
	const char *image;
	uint32_t verdict;
	uint32_t signer_type;		/* 0: none expected */
	uint32_t signer_version;
	uint32_t sig_bits;		/* 0: not checked */
	int computed;			/* the payload was hashed */
};

#define GOOD(n, file, type, ver, bits)					\
	FIXTURE_VARIANT_ADD(verify, n) {				\
		.image = file, .verdict = SWAUTH_VERDICT_OK,		\
		.signer_type = type, .signer_version = ver,		\
		.sig_bits = bits, .computed = 1,			\
	}
#define BAD(n, file, v)							\
	FIXTURE_VARIANT_ADD(verify, n) { .image = file, .verdict = v }

GOOD(sha256, "ok-sha256.SPA", SWAUTH_KEY_PRODUCTION, 'A', 2048);
GOOD(sha384, "ok-sha384.SPA", SWAUTH_KEY_PRODUCTION, 'A', 2048);
GOOD(sha512, "ok-sha512.SPA", SWAUTH_KEY_PRODUCTION, 'A', 2048);
GOOD(rsa4096, "ok-rsa4096.SPC", SWAUTH_KEY_PRODUCTION, 'C', 4096);
GOOD(special, "ok-special.SSB", SWAUTH_KEY_SPECIAL, 'B', 2048);
GOOD(bootloader, "ok-bootloader.SPB", SWAUTH_KEY_PRODUCTION, 'B', 2048);
GOOD(revocation, "ok-revocation.SRA", SWAUTH_KEY_ROLLOVER, 'A', 2048);
GOOD(openssl_made, "ok-openssl.img", SWAUTH_KEY_PRODUCTION, 'A', 2048);

BAD(empty, "empty.img", SWAUTH_VERDICT_EMPTY);
BAD(directory, "certs", SWAUTH_VERDICT_NOT_REGULAR);
BAD(bad_magic, "bad-magic.img", SWAUTH_VERDICT_BAD_MAGIC);
BAD(short_garbage, "short-garbage.img", SWAUTH_VERDICT_BAD_MAGIC);
BAD(format_version, "bad-format-version.img", SWAUTH_VERDICT_BAD_FORMAT_VERSION);
BAD(truncated_header, "truncated-header.img", SWAUTH_VERDICT_TRUNCATED_HEADER);
BAD(reserved_set, "reserved-set.img", SWAUTH_VERDICT_BAD_HEADER);
BAD(size_overflow, "size-overflow.img", SWAUTH_VERDICT_SIZE_OVERFLOW);
BAD(special_claims_production, "special-claims-production.img",
    SWAUTH_VERDICT_TYPE_NOT_ALLOWED);
BAD(truncated_manifest, "truncated-manifest.img", SWAUTH_VERDICT_TRUNCATED_MANIFEST);
BAD(truncated_signature, "truncated-signature.img",
    SWAUTH_VERDICT_TRUNCATED_SIGNATURE);
BAD(truncated_payload, "truncated-payload.img", SWAUTH_VERDICT_TRUNCATED_PAYLOAD);
BAD(trailing_byte, "trailing-byte.img", SWAUTH_VERDICT_TRAILING_DATA);
BAD(unknown_key, "unknown-key.img", SWAUTH_VERDICT_UNKNOWN_KEY);
BAD(flip_header, "flip-header.img", SWAUTH_VERDICT_BAD_SIGNATURE);
BAD(flip_signature, "flip-signature.img", SWAUTH_VERDICT_BAD_SIGNATURE);
BAD(flip_cert, "flip-cert.img", SWAUTH_VERDICT_BAD_SIGNATURE);
BAD(forged, "forged.img", SWAUTH_VERDICT_BAD_SIGNATURE);

/* The signature holds, so the signer is known; the payload then fails. */
FIXTURE_VARIANT_ADD(verify, flip_payload) {
	.image = "flip-payload.img", .verdict = SWAUTH_VERDICT_BAD_DIGEST,
	.signer_type = SWAUTH_KEY_PRODUCTION, .signer_version = 'A',
	.computed = 1,
};

FIXTURE_VARIANT_ADD(verify, signed_by_other_type) {
	.image = "signer-type.img",
	.verdict = SWAUTH_VERDICT_SIGNER_TYPE_MISMATCH,
	.signer_type = SWAUTH_KEY_SPECIAL, .signer_version = 'A',
};

FIXTURE_VARIANT_ADD(verify, signed_by_other_version) {
	.image = "signer-version.img",
	.verdict = SWAUTH_VERDICT_SIGNER_VERSION_MISMATCH,
	.signer_type = SWAUTH_KEY_PRODUCTION, .signer_version = 'B',
};

/* Each image gets exactly its verdict, and only what was checked. */
TEST_F(verify, verdict)
{
	struct genl_verify *v = &self->v;
	struct genl_status before, after;

	ASSERT_EQ(0, genl_get_status(&before));
	ASSERT_EQ(0, verify_path(variant->image, v));
	EXPECT_EQ(variant->verdict, v->verdict) TH_LOG("%s", variant->image);
	EXPECT_EQ(variant->signer_type, v->signer_type);
	EXPECT_EQ(variant->signer_version, v->signer_version);
	if (variant->signer_type) {
		EXPECT_LT(0, v->signer_cert_len);
	}
	if (variant->sig_bits) {
		EXPECT_EQ(variant->sig_bits, v->sig_bits);
	}
	EXPECT_EQ(variant->computed ? v->embedded_len : 0, v->computed_len);
	ASSERT_EQ(0, genl_get_status(&after));
	if (variant->verdict == SWAUTH_VERDICT_OK) {
		EXPECT_EQ(before.images_verified + 1, after.images_verified);
	} else {
		EXPECT_EQ(before.images_rejected + 1, after.images_rejected);
	}
}

/* The netlink commands of old answer that they are gone. */
TEST(netlink_verify_gone)
{
	int fd = open(IMAGES "/ok-sha256.SPA", O_RDONLY | O_CLOEXEC);
	const struct genl_attr attrs[] = { { SWAUTH_A_FD, (uint32_t)fd }, { 0 } };

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, module_ensure_loaded());
	EXPECT_EQ(-EOPNOTSUPP, genl_request(SWAUTH_CMD_VERIFY_IMAGE, SWAUTH_GENL_VERSION,
					    attrs, NULL, NULL));
	EXPECT_EQ(-EOPNOTSUPP, genl_request(SWAUTH_CMD_SEAL_IMAGE, SWAUTH_GENL_VERSION,
					    attrs, NULL, NULL));
	close(fd);
}

TEST_HARNESS_MAIN
