// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * An unlocked encrypted key pair (lib/pki.h, "Key pairs"): its private key,
 * PKCS#8 DER, as a "user" key described "swpki:DEV:INO:LABEL:USAGE" in the
 * caller's user keyring, readable by its possessor and its user alone. The
 * kernel keeps it in memory only, so a reboot locks every encrypted key.
 * What the keyring holds is used only when it is the private key of the
 * public key on disk: a key left there for another store that had the same
 * DEV:INO is ignored.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <keyutils.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>

#include "lib/pki/keystore.h"

#define KEY_PERM (KEY_POS_VIEW | KEY_POS_READ | KEY_POS_WRITE | KEY_POS_SEARCH | \
		  KEY_POS_LINK | KEY_POS_SETATTR | KEY_USR_VIEW | KEY_USR_READ | \
		  KEY_USR_WRITE | KEY_USR_SEARCH | KEY_USR_LINK | KEY_USR_SETATTR)

static int describe(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		    char *desc, size_t len)
{
	struct stat st;

	if (fstat(s->dir_fd, &st))
		return -errno;
	snprintf(desc, len, "swpki:%llu:%llu:%s:%s", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino, label, swpki_key_usage_word(usage));
	return 0;
}

/* The unlocked private key of @k, or NULL: locked. */
EVP_PKEY *keyring_get(struct swpki_store *s, const struct keyfile *k)
{
	char desc[128];
	const unsigned char *p;
	PKCS8_PRIV_KEY_INFO *p8inf;
	EVP_PKEY *pkey = NULL;
	key_serial_t id;
	void *buf = NULL;
	long len;

	if (describe(s, k->info.label, k->info.usage, desc, sizeof(desc)))
		return NULL;
	id = keyctl_search(KEY_SPEC_USER_KEYRING, "user", desc, 0);
	if (id < 0)
		return NULL;
	len = keyctl_read_alloc(id, &buf);
	if (len <= 0)
		return NULL;
	p = buf;
	p8inf = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, len);
	if (p8inf)
		pkey = EVP_PKCS82PKEY(p8inf);
	PKCS8_PRIV_KEY_INFO_free(p8inf);
	OPENSSL_cleanse(buf, (size_t)len);
	free(buf);
	if (pkey && EVP_PKEY_eq(pkey, k->pub) != 1) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	return pkey;
}

/* Unlock: @pkey, the private key of @k, into the keyring. */
int keyring_put(struct swpki_store *s, const struct keyfile *k, EVP_PKEY *pkey,
		struct swauth_error *err)
{
	PKCS8_PRIV_KEY_INFO *p8inf;
	unsigned char *der = NULL;
	char desc[128];
	key_serial_t id;
	int len, ret;

	ret = describe(s, k->info.label, k->info.usage, desc, sizeof(desc));
	if (ret)
		return swauth_error_set(err, ret, "%s: %s", s->path, strerror(-ret));
	p8inf = EVP_PKEY2PKCS8(pkey);
	len = p8inf ? i2d_PKCS8_PRIV_KEY_INFO(p8inf, &der) : -1;
	PKCS8_PRIV_KEY_INFO_free(p8inf);
	if (len <= 0)
		return swauth_error_set(err, -ENOMEM, "encoding key %s failed", k->info.label);
	id = add_key("user", desc, der, (size_t)len, KEY_SPEC_USER_KEYRING);
	ret = id < 0 ? -errno : 0;
	OPENSSL_clear_free(der, (size_t)len);
	if (!ret && keyctl_setperm(id, KEY_PERM)) {
		ret = -errno;
		keyctl_revoke(id);
		keyctl_unlink(id, KEY_SPEC_USER_KEYRING);
	}
	if (ret)
		return swauth_error_set(err, ret,
					"key %s: the kernel's keyring refused it (%s): it stays locked",
					k->info.label, strerror(-ret));
	return 0;
}

/* Lock: revoke the keyring's copy and unlink it. */
void keyring_drop(struct swpki_store *s, const char *label, enum swpki_key_usage usage)
{
	char desc[128];
	key_serial_t id;

	if (describe(s, label, usage, desc, sizeof(desc)))
		return;
	id = keyctl_search(KEY_SPEC_USER_KEYRING, "user", desc, 0);
	if (id < 0)
		return;
	keyctl_revoke(id);
	keyctl_unlink(id, KEY_SPEC_USER_KEYRING);
}
