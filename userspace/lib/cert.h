/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * X.509 certificates as swauth uses them, through OpenSSL 3: read a PEM or
 * DER file into DER, and the signer details `show file` displays; and the
 * OpenSSL digest of each image hash algorithm.
 */

#ifndef SWAUTH_LIB_CERT_H
#define SWAUTH_LIB_CERT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "lib/error.h"

enum { SWAUTH_CERT_FIELD_LEN = 256 };

struct swauth_cert_info {
	char common_name[SWAUTH_CERT_FIELD_LEN];	/* "" when absent */
	char org_unit[SWAUTH_CERT_FIELD_LEN];
	char org_name[SWAUTH_CERT_FIELD_LEN];
	char serial[SWAUTH_CERT_FIELD_LEN];		/* uppercase hex */
	unsigned int key_bits;				/* 0 when not RSA */
};

int swauth_cert_read_file(const char *path, uint8_t *der, size_t size, size_t *len,
			  struct swauth_error *err);
int swauth_cert_info(const uint8_t *der, size_t len, struct swauth_cert_info *info,
		     struct swauth_error *err);
int swauth_cert_rsa_public(const uint8_t *der, size_t len, uint8_t *modulus, size_t size,
			   size_t *mod_len, uint64_t *exponent, struct swauth_error *err);
const EVP_MD *swauth_cert_hash_md(unsigned int hash_algo);

#endif /* SWAUTH_LIB_CERT_H */
