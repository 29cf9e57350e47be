// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The hash transforms that verify images: one per algorithm, allocated at
 * load time with the implementation the crypto API ranks first, the same
 * one AF_ALG and every other kernel user get, and shared by all
 * verifications. A shash transform holds no per-hash state (that lives in
 * each caller's shash_desc), so concurrent verifications may use it at
 * once; it only has to outlive them, which module unload guarantees.
 */

#include <crypto/hash.h>

#include "swauth.h"

static const char *const hash_names[SWAUTH_HASH_MAX + 1] = {
	[SWAUTH_HASH_SHA256] = "sha256",
	[SWAUTH_HASH_SHA384] = "sha384",
	[SWAUTH_HASH_SHA512] = "sha512",
};

/* Written at load time only, then read-only until unload. */
static struct crypto_shash *tfms[SWAUTH_HASH_MAX + 1];

/**
 * swauth_hash_uninit() - free the transforms
 */
void swauth_hash_uninit(void)
{
	int algo;

	for (algo = SWAUTH_HASH_SHA256; algo <= SWAUTH_HASH_MAX; algo++) {
		crypto_free_shash(tfms[algo]);
		tfms[algo] = NULL;
	}
}

/**
 * swauth_hash_init() - allocate one transform per hash algorithm
 *
 * Logs the driver each one got, once, so that benchmarks can compare like
 * with like.
 *
 * Return: 0, or the error of the first algorithm the kernel cannot give:
 * every image hash must work once the module is loaded.
 */
int swauth_hash_init(void)
{
	struct crypto_shash *tfm;
	int algo;

	for (algo = SWAUTH_HASH_SHA256; algo <= SWAUTH_HASH_MAX; algo++) {
		tfm = crypto_alloc_shash(hash_names[algo], 0, 0);
		if (IS_ERR(tfm)) {
			pr_err("%s: no implementation: %ld\n", hash_names[algo],
			       PTR_ERR(tfm));
			swauth_hash_uninit();
			return PTR_ERR(tfm);
		}
		tfms[algo] = tfm;
		pr_info("%s: driver %s\n", hash_names[algo],
			crypto_shash_driver_name(tfm));
	}
	return 0;
}

/**
 * swauth_hash_tfm() - the shared transform of a hash algorithm
 * @algo: enum swauth_hash_algo, as validated by the image parser
 *
 * Each user allocates its own shash_desc for it and must not free it.
 *
 * Return: the transform, valid until the module is unloaded.
 */
struct crypto_shash *swauth_hash_tfm(unsigned int algo)
{
	return tfms[algo];
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
