// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth_verify_user(): the userspace verifier against real images signed
 * with keyrings/dev, each good form and each way of breaking one, with the
 * exact verdict and what the result says about the signer. The trust
 * directory holds every development key but special-C, so that one is
 * unknown, plus a production key D that no rollover key issued.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/swauth.h>

#include "kmod/image.h"
#include "lib/image.h"
#include "selftests/host/imagegen.h"

#include "kselftest_harness.h"

enum { PAYLOAD_SIZE = 200000 };	/* several 64 KiB chunks and a partial one */

enum mutation {
	M_NONE,
	M_FLIP_HEADER,		/* a bit of the build time */
	M_FLIP_NAME,		/* a bit of the name: a control character */
	M_FLIP_CERT,		/* a bit of the bundled certificate */
	M_FLIP_SIGNATURE,
	M_FLIP_PAYLOAD_FIRST,
	M_FLIP_PAYLOAD_LAST,
	M_MAGIC,
	M_FORMAT_VERSION,
	M_TRUNC_HEADER,
	M_TRUNC_CERT,
	M_TRUNC_SIGNATURE,
	M_TRUNC_PAYLOAD,
	M_TRAILING,
	M_CLAIM_VERSION_A,	/* header says version A, re-signed with the real key */
	M_CLAIM_PRODUCTION_A,	/* header says production A, re-signed with the real key */
	M_CLAIM_SPECIAL_IMAGE,	/* a production key on a special image */
	M_EMPTY,
	M_DIRECTORY,
	M_FIFO,
};

FIXTURE(verify) {
	char dir[64];
	char trust[PATH_MAX];
	char rollover[PATH_MAX];
	char image[PATH_MAX];
	char keys[PATH_MAX];
	struct swauth_trust_dirs dirs;
	struct swauth_verify_result res;
};

FIXTURE_VARIANT(verify) {
	const char *key;	/* keyrings/dev name */
	uint8_t image_type;
	uint8_t hash_algo;
	const char *bundle;	/* a certificate to bundle, or NULL */
	enum mutation mutation;
	uint32_t verdict;
	uint32_t signer_type;	/* 0: no signer in the result */
	char signer_version;
	unsigned int sig_bits;
};

#define GOOD(name, k, it, h, bits, st, sv) \
	FIXTURE_VARIANT_ADD(verify, name) { \
		.key = k, .image_type = it, .hash_algo = h, .verdict = SWAUTH_VERDICT_OK, \
		.signer_type = st, .signer_version = sv, .sig_bits = bits, \
	}
#define BAD(name, m, v) \
	FIXTURE_VARIANT_ADD(verify, name) { \
		.key = "production-A", .image_type = SWAUTH_IMAGE_PRODUCTION, \
		.hash_algo = SWAUTH_HASH_SHA512, .bundle = "special-B", .mutation = m, \
		.verdict = v, .sig_bits = 2048, \
	}

GOOD(sha256, "production-A", SWAUTH_IMAGE_PRODUCTION, SWAUTH_HASH_SHA256, 2048,
     SWAUTH_KEY_PRODUCTION, 'A');
GOOD(sha384, "production-A", SWAUTH_IMAGE_PRODUCTION, SWAUTH_HASH_SHA384, 2048,
     SWAUTH_KEY_PRODUCTION, 'A');
GOOD(sha512, "production-B", SWAUTH_IMAGE_PRODUCTION, SWAUTH_HASH_SHA512, 2048,
     SWAUTH_KEY_PRODUCTION, 'B');
GOOD(rsa4096, "production-C", SWAUTH_IMAGE_PRODUCTION, SWAUTH_HASH_SHA512, 4096,
     SWAUTH_KEY_PRODUCTION, 'C');
GOOD(special, "special-A", SWAUTH_IMAGE_SPECIAL, SWAUTH_HASH_SHA512, 2048,
     SWAUTH_KEY_SPECIAL, 'A');
GOOD(bootloader, "special-B", SWAUTH_IMAGE_BOOTLOADER, SWAUTH_HASH_SHA384, 2048,
     SWAUTH_KEY_SPECIAL, 'B');
GOOD(revocation, "rollover", SWAUTH_IMAGE_REVOCATION, SWAUTH_HASH_SHA512, 2048,
     SWAUTH_KEY_ROLLOVER, 'A');

BAD(flip_header, M_FLIP_HEADER, SWAUTH_VERDICT_BAD_SIGNATURE);
BAD(flip_name, M_FLIP_NAME, SWAUTH_VERDICT_BAD_HEADER);
BAD(flip_cert, M_FLIP_CERT, SWAUTH_VERDICT_BAD_SIGNATURE);
BAD(flip_signature, M_FLIP_SIGNATURE, SWAUTH_VERDICT_BAD_SIGNATURE);
BAD(flip_payload_first, M_FLIP_PAYLOAD_FIRST, SWAUTH_VERDICT_BAD_DIGEST);
BAD(flip_payload_last, M_FLIP_PAYLOAD_LAST, SWAUTH_VERDICT_BAD_DIGEST);
BAD(bad_magic, M_MAGIC, SWAUTH_VERDICT_BAD_MAGIC);
BAD(format_version, M_FORMAT_VERSION, SWAUTH_VERDICT_BAD_FORMAT_VERSION);
BAD(truncated_header, M_TRUNC_HEADER, SWAUTH_VERDICT_TRUNCATED_HEADER);
BAD(truncated_cert, M_TRUNC_CERT, SWAUTH_VERDICT_TRUNCATED_MANIFEST);
BAD(truncated_signature, M_TRUNC_SIGNATURE, SWAUTH_VERDICT_TRUNCATED_SIGNATURE);
BAD(truncated_payload, M_TRUNC_PAYLOAD, SWAUTH_VERDICT_TRUNCATED_PAYLOAD);
BAD(trailing_byte, M_TRAILING, SWAUTH_VERDICT_TRAILING_DATA);
BAD(type_not_allowed, M_CLAIM_SPECIAL_IMAGE, SWAUTH_VERDICT_TYPE_NOT_ALLOWED);
BAD(empty, M_EMPTY, SWAUTH_VERDICT_EMPTY);
BAD(directory, M_DIRECTORY, SWAUTH_VERDICT_NOT_REGULAR);
BAD(fifo, M_FIFO, SWAUTH_VERDICT_NOT_REGULAR);

/* Signed by production B, the header claims A: the re-sign trick. */
FIXTURE_VARIANT_ADD(verify, signer_version_mismatch) {
	.key = "production-B", .image_type = SWAUTH_IMAGE_PRODUCTION,
	.hash_algo = SWAUTH_HASH_SHA512, .mutation = M_CLAIM_VERSION_A,
	.verdict = SWAUTH_VERDICT_SIGNER_VERSION_MISMATCH,
	.signer_type = SWAUTH_KEY_PRODUCTION, .signer_version = 'B', .sig_bits = 2048,
};

/* A special-signed image that claims to be a production image. */
FIXTURE_VARIANT_ADD(verify, signer_type_mismatch) {
	.key = "special-B", .image_type = SWAUTH_IMAGE_SPECIAL,
	.hash_algo = SWAUTH_HASH_SHA256, .mutation = M_CLAIM_PRODUCTION_A,
	.verdict = SWAUTH_VERDICT_SIGNER_TYPE_MISMATCH,
	.signer_type = SWAUTH_KEY_SPECIAL, .signer_version = 'B', .sig_bits = 2048,
};

/* special-C is not in the trust directory. */
FIXTURE_VARIANT_ADD(verify, unknown_key) {
	.key = "special-C", .image_type = SWAUTH_IMAGE_SPECIAL,
	.hash_algo = SWAUTH_HASH_SHA512, .verdict = SWAUTH_VERDICT_UNKNOWN_KEY,
	.sig_bits = 4096,
};

/* Production D is trusted by nobody: its certificate is self-signed. */
FIXTURE_VARIANT_ADD(verify, unchained_key) {
	.key = "production-D", .image_type = SWAUTH_IMAGE_PRODUCTION,
	.hash_algo = SWAUTH_HASH_SHA512, .verdict = SWAUTH_VERDICT_UNKNOWN_KEY,
	.sig_bits = 2048,
};

static int make_rogue_key(const char *dir)
{
	char cmd[PATH_MAX * 3];

	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj '/O=swauth/CN=swauth production key D' "
		 "-keyout %s/production-D.key -out %s/production-D.crt >/dev/null 2>&1", dir, dir);
	return system(cmd) ? -EIO : 0;
}

static int mutate(const char *path, enum mutation m, const char *keys, const char *key,
		  const struct swauth_image_header *h)
{
	static const uint8_t zero_magic = 0x88, v2[4] = { 2 }, special_image = SWAUTH_IMAGE_SPECIAL;
	static const uint8_t claim_a = 'A';
	static const uint8_t claim_prod[3] = { SWAUTH_IMAGE_PRODUCTION, SWAUTH_KEY_PRODUCTION, 'A' };
	int ret;

	switch (m) {
	case M_NONE:
	case M_EMPTY:
	case M_DIRECTORY:
	case M_FIFO:
		return 0;
	case M_FLIP_HEADER:
		return imagegen_flip(path, 33);
	case M_FLIP_NAME:
		return imagegen_patch(path, 104, "\x01", 1);
	case M_FLIP_CERT:
		return imagegen_flip(path, SWAUTH_IMAGE_HEADER_SIZE + h->cert_size / 2);
	case M_FLIP_SIGNATURE:
		return imagegen_flip(path, h->manifest_size + 7);
	case M_FLIP_PAYLOAD_FIRST:
		return imagegen_flip(path, h->payload_offset);
	case M_FLIP_PAYLOAD_LAST:
		return imagegen_flip(path, h->image_size - 1);
	case M_MAGIC:
		return imagegen_patch(path, 0, &zero_magic, 1);
	case M_FORMAT_VERSION:
		return imagegen_patch(path, 8, v2, sizeof(v2));
	case M_TRUNC_HEADER:
		return imagegen_truncate(path, 100);
	case M_TRUNC_CERT:
		return imagegen_truncate(path, SWAUTH_IMAGE_HEADER_SIZE + 1);
	case M_TRUNC_SIGNATURE:
		return imagegen_truncate(path, h->manifest_size + 1);
	case M_TRUNC_PAYLOAD:
		return imagegen_truncate(path, h->image_size - 1);
	case M_TRAILING:
		return imagegen_append(path, 0);
	case M_CLAIM_VERSION_A:
		ret = imagegen_patch(path, 14, &claim_a, 1);
		return ret ? ret : imagegen_resign(path, keys, key);
	case M_CLAIM_PRODUCTION_A:
		ret = imagegen_patch(path, 12, claim_prod, sizeof(claim_prod));
		return ret ? ret : imagegen_resign(path, keys, key);
	case M_CLAIM_SPECIAL_IMAGE:
		return imagegen_patch(path, 12, &special_image, 1);
	}
	return -EINVAL;
}

FIXTURE_SETUP(verify)
{
	static const char *const trusted[] = {
		"production-A", "production-B", "production-C", "special-A", "special-B",
		"production-D", NULL,
	};
	static const char *const rollover[] = { "rollover", NULL };
	char payload_dir[PATH_MAX], hb[SWAUTH_IMAGE_HEADER_SIZE];
	struct swauth_image_header h;
	const char *keys = self->keys;
	uint8_t *payload;
	FILE *f;
	size_t i;

	ASSERT_EQ(0, imagegen_keys_dir(self->keys, sizeof(self->keys)));
	snprintf(self->dir, sizeof(self->dir), "/tmp/swauth-verify.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->trust, sizeof(self->trust), "%s/trust", self->dir);
	snprintf(self->rollover, sizeof(self->rollover), "%s/rollover", self->dir);
	snprintf(self->image, sizeof(self->image), "%s/image", self->dir);

	/* production-D lives next to the others, but no rollover key issued it. */
	snprintf(payload_dir, sizeof(payload_dir), "%s/keys", self->dir);
	ASSERT_EQ(0, mkdir(payload_dir, 0700));
	ASSERT_EQ(0, make_rogue_key(payload_dir));
	for (i = 0; trusted[i + 1]; i++) {
		char from[PATH_MAX * 2], to[PATH_MAX * 2];

		snprintf(from, sizeof(from), "%s/%s.key", keys, trusted[i]);
		snprintf(to, sizeof(to), "%s/%s.key", payload_dir, trusted[i]);
		ASSERT_NE(NULL, realpath(from, from + PATH_MAX));
		ASSERT_EQ(0, symlink(from + PATH_MAX, to));
		snprintf(from, sizeof(from), "%s/%s.crt", keys, trusted[i]);
		snprintf(to, sizeof(to), "%s/%s.crt", payload_dir, trusted[i]);
		ASSERT_NE(NULL, realpath(from, from + PATH_MAX));
		ASSERT_EQ(0, symlink(from + PATH_MAX, to));
	}
	ASSERT_EQ(0, imagegen_trust_dir(payload_dir, self->trust, trusted));
	ASSERT_EQ(0, imagegen_trust_dir(keys, self->rollover, rollover));
	self->dirs.rollover[0] = self->rollover;
	self->dirs.keys[0] = self->trust;

	if (variant->mutation == M_DIRECTORY) {
		ASSERT_EQ(0, mkdir(self->image, 0700));
		return;
	}
	if (variant->mutation == M_FIFO) {
		ASSERT_EQ(0, mkfifo(self->image, 0600));
		return;
	}
	if (variant->mutation == M_EMPTY) {
		f = fopen(self->image, "w");
		ASSERT_NE(NULL, f);
		fclose(f);
		return;
	}
	payload = malloc(PAYLOAD_SIZE);
	ASSERT_NE(NULL, payload);
	for (i = 0; i < PAYLOAD_SIZE; i++)
		payload[i] = (uint8_t)(i * 7 + (i >> 8));
	/* Every key but special-C and rollover is linked into payload_dir. */
	if (strcmp(variant->key, "special-C") && strcmp(variant->key, "rollover"))
		keys = payload_dir;
	ASSERT_EQ(0, imagegen_sign(keys, variant->key, variant->image_type, variant->hash_algo,
				   variant->bundle, payload, PAYLOAD_SIZE, self->image));
	free(payload);

	f = fopen(self->image, "rb");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(sizeof(hb), fread(hb, 1, sizeof(hb), f));
	fclose(f);
	ASSERT_EQ(SWAUTH_VERDICT_OK, swauth_image_parse(hb, sizeof(hb), &h));
	ASSERT_EQ(0, mutate(self->image, variant->mutation, keys, variant->key, &h));
}

FIXTURE_TEARDOWN(verify)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* Each image gets exactly its verdict, and the result says only what was checked. */
TEST_F(verify, verdict)
{
	struct swauth_verify_result *r = &self->res;
	struct swauth_error err;
	uint32_t hash_has = SWAUTH_VERIFY_HAS_HEADER;

	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_verify_user(self->image, &self->dirs, r, &err)) {
		TH_LOG("%s", err.msg);
	}
	EXPECT_EQ(variant->verdict, r->verdict);
	EXPECT_EQ(SWAUTH_VERIFIER_USERSPACE, r->verifier);
	EXPECT_TRUE(r->has & SWAUTH_VERIFY_HAS_VERDICT);

	if (variant->verdict == SWAUTH_VERDICT_OK ||
	    variant->verdict >= SWAUTH_VERDICT_TYPE_NOT_ALLOWED) {
		EXPECT_EQ(hash_has, r->has & hash_has);
		EXPECT_EQ(variant->sig_bits, r->sig_bits);
	} else {
		EXPECT_EQ(0, r->has & hash_has);
	}

	if (variant->signer_type) {
		EXPECT_EQ(variant->signer_type, r->signer_key_type);
		EXPECT_EQ((uint32_t)variant->signer_version, r->signer_key_version);
		EXPECT_TRUE(r->has & SWAUTH_VERIFY_HAS_SIGNER_CERT);
		EXPECT_LT(0, r->signer_cert_len);
	} else if (variant->verdict != SWAUTH_VERDICT_BAD_DIGEST) {
		EXPECT_EQ(0, r->has & (SWAUTH_VERIFY_HAS_SIGNER_KEY_TYPE |
				       SWAUTH_VERIFY_HAS_SIGNER_CERT));
	}

	/* The payload is hashed only once the signature verified. */
	if (variant->verdict == SWAUTH_VERDICT_OK || variant->verdict == SWAUTH_VERDICT_BAD_DIGEST) {
		ASSERT_TRUE(r->has & SWAUTH_VERIFY_HAS_COMPUTED_DIGEST);
		EXPECT_EQ(r->embedded_digest_len, r->computed_digest_len);
		EXPECT_EQ(variant->verdict == SWAUTH_VERDICT_OK,
			  !memcmp(r->embedded_digest, r->computed_digest, r->computed_digest_len));
	} else {
		EXPECT_EQ(0, r->has & SWAUTH_VERIFY_HAS_COMPUTED_DIGEST);
	}
}

/* A trust directory named on the command line must exist. */
TEST(missing_trust_dir)
{
	struct swauth_trust_dirs dirs = { .keys = { "/nonexistent/swauth-keys" } };
	struct swauth_verify_result r;
	struct swauth_error err;

	swauth_error_clear(&err);
	EXPECT_EQ(-ENOENT, swauth_verify_user("/dev/null", &dirs, &r, &err));
	EXPECT_NE(NULL, strstr(err.msg, "/nonexistent/swauth-keys"));
}

/* A file that does not exist is an error, not a verdict. */
TEST(missing_file)
{
	struct swauth_trust_dirs dirs = { .keys = { "/" }, .rollover = { "/" } };
	struct swauth_verify_result r;
	struct swauth_error err;

	swauth_error_clear(&err);
	EXPECT_EQ(-ENOENT, swauth_verify_user("/nonexistent/image.SPA", &dirs, &r, &err));
}

TEST_HARNESS_MAIN
