/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Between keystore.c (the key pairs' API, lib/pki.h) and keyfile.c (one
 * pair's file) and keyring.c (an unlocked key in the kernel's keyring).
 */

#ifndef SWAUTH_LIB_PKI_KEYSTORE_H
#define SWAUTH_LIB_PKI_KEYSTORE_H

#include <openssl/x509.h>

#include "lib/pki.h"

struct keyfile {
	struct swpki_key_info info;	/* all but @locked */
	EVP_PKEY *pub;
	EVP_PKEY *priv;			/* unencrypted pairs */
	X509_SIG *p8;			/* encrypted pairs */
};

/* keyfile.c */
int keyfile_usage_of(const char *name, size_t *label_len);
void keyfile_name(char *name, size_t len, const char *label, enum swpki_key_usage usage);
int keyfile_describe(EVP_PKEY *pkey, struct swpki_key_info *info, struct swauth_error *err);
int keyfile_write(struct swpki_store *s, struct swpki_key_info *info, EVP_PKEY *pkey,
		  const char *pass, struct swauth_error *err);
int keyfile_read(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		 struct keyfile *k, struct swauth_error *err);
EVP_PKEY *keyfile_decrypt(const struct keyfile *k, const char *pass);
void keyfile_free(struct keyfile *k);

/* keyring.c */
EVP_PKEY *keyring_get(struct swpki_store *s, const struct keyfile *k);
int keyring_put(struct swpki_store *s, const struct keyfile *k, EVP_PKEY *pkey,
		struct swauth_error *err);
void keyring_drop(struct swpki_store *s, const char *label, enum swpki_key_usage usage);

#endif /* SWAUTH_LIB_PKI_KEYSTORE_H */
