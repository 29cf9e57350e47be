/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Images for the verifier's host tests: signed with the development keys
 * of keyrings/dev (found from the test binary's own path) through the
 * signer library, then patched and, where a test needs a header that still
 * carries a valid signature, re-signed with OpenSSL.
 */

#ifndef SWAUTH_TEST_IMAGEGEN_H
#define SWAUTH_TEST_IMAGEGEN_H

#include <stddef.h>
#include <stdint.h>

int imagegen_keys_dir(char *dir, size_t len);
/* The platform imagegen_sign() writes; "" for any. */
extern const char *imagegen_platform;

int imagegen_sign(const char *keys, const char *key, uint8_t image_type, uint8_t hash_algo,
		  const char *bundle, const void *payload, size_t len, const char *out);
int imagegen_patch(const char *path, uint64_t off, const void *bytes, size_t len);
int imagegen_flip(const char *path, uint64_t off);
int imagegen_truncate(const char *path, uint64_t size);
int imagegen_append(const char *path, uint8_t byte);
int imagegen_resign(const char *path, const char *keys, const char *key);
int imagegen_trust_dir(const char *keys, const char *dir, const char *const names[]);

#endif /* SWAUTH_TEST_IMAGEGEN_H */
