/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The image signer: payload + key + certificate -> an image in format v1
 * (Documentation/image-format.rst). The payload is hashed while it is
 * copied into a temporary file next to the output, in one pass with O(1)
 * memory; the header, bundled certificate and signature are then written
 * in front of it and the file is renamed into place. On any failure no
 * output file exists and an existing one is untouched.
 *
 * For tests that need images (the verifier's, the fuzzer's corpus):
 * fill a struct swauth_sign_params with swauth_sign_params_init() and the
 * key, certificate and type, then call swauth_sign_file() on a payload
 * file or swauth_sign_mem() on a buffer. The keys of keyrings/dev/ work
 * (keyrings/README); an image with a bad field is made by signing a good
 * one and patching the bytes.
 */

#ifndef SWAUTH_LIB_SIGN_H
#define SWAUTH_LIB_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

struct swauth_sign_params {
	const char *key_path;	/* the private key, PEM (PKCS#8 or RSA) */
	const char *cert_path;	/* its certificate, PEM or DER */
	uint8_t image_type;	/* enum swauth_image_type */
	char key_version;	/* 'A'..'Z', must match the certificate's CN */
	uint8_t hash_algo;	/* enum swauth_hash_algo */
	const char *name;	/* NULL: the payload file's basename */
	const char *image_version;	/* NULL: empty */
	const char *platform;		/* NULL: empty */
	uint64_t build_time;	/* seconds since the epoch, UTC */
	const char *bundle_cert_path;	/* NULL: no bundled certificate */
};

/**
 * swauth_sign_params_init() - defaults: SHA-512, build time now
 * @p: the parameters to reset; everything else is zero or NULL
 */
void swauth_sign_params_init(struct swauth_sign_params *p);

/*
 * The output file name when the output is a directory: NAME + ".S" +
 * P (production, or bootloader signed by a production key),
 * S (special, or bootloader signed by a special key) or R (revocation) +
 * the key version, e.g. "c3900-universalk9-mz.SPA".
 */
int swauth_sign_extension(uint8_t image_type, uint8_t key_type,
			  char key_version, char ext[5]);

int swauth_sign_file(const struct swauth_sign_params *p, const char *payload_path,
		     const char *out, char *written, size_t written_len,
		     struct swauth_error *err);
int swauth_sign_mem(const struct swauth_sign_params *p, const void *payload,
		    size_t len, const char *out, struct swauth_error *err);

int swauth_hash_from_name(const char *name, uint8_t *hash_algo);
int swauth_image_type_from_name(const char *name, uint8_t *image_type);

#endif /* SWAUTH_LIB_SIGN_H */
