// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Which implementation of each hash verifies images. The crypto API ranks
 * implementations by a static priority that assumes the SIMD units run at
 * native speed; where they do not (an emulated or throttled CPU), the
 * plain C implementation can be twice as fast. Image verification spends
 * nearly all its time in the hash, so, as the kernel's xor and raid6 code
 * do for their routines, the module measures the candidates once at load
 * time and keeps the fastest.
 */

#include <crypto/hash.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "swauth.h"

enum {
	/* Bytes hashed per trial and trials per candidate. */
	BENCH_SIZE = 16 * 1024,
	BENCH_ROUNDS = 4,
};

static const char *const hash_names[SWAUTH_HASH_MAX + 1] = {
	[SWAUTH_HASH_SHA256] = "sha256",
	[SWAUTH_HASH_SHA384] = "sha384",
	[SWAUTH_HASH_SHA512] = "sha512",
};

/* The chosen driver of each algorithm; written only at load time. */
static char drivers[SWAUTH_HASH_MAX + 1][CRYPTO_MAX_ALG_NAME];

/* Nanoseconds for the fastest of a few digests of buf, or U64_MAX. */
static u64 time_digest(struct crypto_shash *tfm, const u8 *buf)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	u8 out[SWAUTH_IMAGE_DIGEST_MAX];
	u64 best = U64_MAX, t;
	int i;

	desc->tfm = tfm;
	for (i = 0; i < BENCH_ROUNDS; i++) {
		t = ktime_get_ns();
		if (crypto_shash_digest(desc, buf, BENCH_SIZE, out))
			return U64_MAX;
		best = min(best, ktime_get_ns() - t);
	}
	shash_desc_zero(desc);
	return best;
}

/*
 * Candidates: whatever the crypto API ranks first, and the generic C
 * implementation. Keeps the faster one's driver name.
 */
static void choose(int algo, const u8 *buf)
{
	char generic[CRYPTO_MAX_ALG_NAME];
	struct crypto_shash *tfm;
	u64 best = U64_MAX, t;
	int i;

	snprintf(generic, sizeof(generic), "%s-generic", hash_names[algo]);
	strscpy(drivers[algo], hash_names[algo], sizeof(drivers[algo]));
	for (i = 0; i < 2; i++) {
		tfm = crypto_alloc_shash(i ? generic : hash_names[algo], 0, 0);
		if (IS_ERR(tfm))
			continue;
		t = time_digest(tfm, buf);
		if (t < best) {
			best = t;
			strscpy(drivers[algo], crypto_shash_driver_name(tfm),
				sizeof(drivers[algo]));
		}
		crypto_free_shash(tfm);
	}
}

/**
 * swauth_hash_init() - choose the fastest implementation of each hash
 *
 * Return: 0, or -ENOMEM. An algorithm with no working implementation keeps
 * its plain name, and verification with it fails when it is used.
 */
int swauth_hash_init(void)
{
	u8 *buf;
	int algo;

	buf = kzalloc(BENCH_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (algo = SWAUTH_HASH_SHA256; algo <= SWAUTH_HASH_MAX; algo++)
		choose(algo, buf);
	kfree(buf);
	return 0;
}

/**
 * swauth_hash_alloc() - a transform of the chosen implementation
 * @algo: enum swauth_hash_algo, as validated by the image parser
 *
 * Return: the transform, or an ERR_PTR.
 */
struct crypto_shash *swauth_hash_alloc(unsigned int algo)
{
	return crypto_alloc_shash(drivers[algo], 0, 0);
}

/**
 * swauth_hash_name() - the crypto API name of a hash algorithm
 * @algo: enum swauth_hash_algo, as validated by the image parser
 *
 * Return: e.g. "sha512", as public_key_signature.hash_algo wants it.
 */
const char *swauth_hash_name(unsigned int algo)
{
	return hash_names[algo];
}
