// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/pki/keystore.c, as trustpoints and rollover call it: a locked key is
 * refused by swpki_key_load(), a keyring copy that is not the key on disk
 * is never used, usage keys and their general fallback, a key file whose
 * two halves do not match, the bounds of sizes, labels and passphrases.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <keyutils.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "lib/pki.h"

#include "kselftest_harness.h"

FIXTURE(store)
{
	char dir[64];
	struct swpki_store s;
	struct swauth_error err;
};

FIXTURE_SETUP(store)
{
	strcpy(self->dir, "/tmp/pki_keys_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	swauth_error_clear(&self->err);
	ASSERT_EQ(0, swpki_store_open(&self->s, self->dir, true, &self->err))
		TH_LOG("%s", self->err.msg);
}

FIXTURE_TEARDOWN(store)
{
	char cmd[128];

	/* Drops the keyring's copies of this store's keys too. */
	swpki_key_zeroize(&self->s, NULL, &self->err);
	swpki_store_close(&self->s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

TEST_F(store, locked_load)
{
	struct swpki_key_info info;
	EVP_PKEY *pkey = NULL, *again = NULL;

	ASSERT_EQ(0, swpki_key_generate(&self->s, "k", EVP_PKEY_EC, 256, false, false,
					&self->err)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(0, swpki_key_load(&self->s, "k", SWPKI_KEY_GENERAL, &pkey, &info, &self->err));
	EXPECT_FALSE(info.encrypted);
	ASSERT_EQ(0, swpki_key_encrypt(&self->s, "k", "passphrase", &self->err))
		TH_LOG("%s", self->err.msg);
	ASSERT_EQ(0, swpki_key_load(&self->s, "k", SWPKI_KEY_GENERAL, &again, &info, &self->err));
	EXPECT_TRUE(info.encrypted);
	EXPECT_FALSE(info.locked);
	EXPECT_EQ(1, EVP_PKEY_eq(pkey, again));
	EVP_PKEY_free(again);
	again = NULL;

	EXPECT_EQ(-EKEYREJECTED, swpki_key_lock(&self->s, "k", "not the one", &self->err));
	ASSERT_EQ(0, swpki_key_lock(&self->s, "k", "passphrase", &self->err));
	EXPECT_EQ(-EKEYREJECTED, swpki_key_load(&self->s, "k", SWPKI_KEY_GENERAL, &again, &info,
						&self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "key k is locked: swpki key unlock"));
	EXPECT_EQ(NULL, again);
	EXPECT_TRUE(info.locked);

	ASSERT_EQ(0, swpki_key_unlock(&self->s, "k", "passphrase", &self->err));
	ASSERT_EQ(0, swpki_key_load(&self->s, "k", SWPKI_KEY_GENERAL, &again, NULL, &self->err));
	EXPECT_EQ(1, EVP_PKEY_eq(pkey, again));
	EVP_PKEY_free(again);
	EVP_PKEY_free(pkey);
}

TEST_F(store, stale_keyring)
{
	PKCS8_PRIV_KEY_INFO *p8inf;
	unsigned char *der = NULL;
	EVP_PKEY *other, *pkey = NULL;
	struct stat st;
	char desc[128];
	key_serial_t id;
	int len;

	ASSERT_EQ(0, swpki_key_generate(&self->s, "k", EVP_PKEY_EC, 256, false, false,
					&self->err));
	ASSERT_EQ(0, swpki_key_encrypt(&self->s, "k", "passphrase", &self->err));
	ASSERT_EQ(0, swpki_key_lock(&self->s, "k", "passphrase", &self->err));

	/* Another key under this pair's description: a store that had its DEV:INO. */
	other = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	ASSERT_NE(NULL, other);
	p8inf = EVP_PKEY2PKCS8(other);
	len = i2d_PKCS8_PRIV_KEY_INFO(p8inf, &der);
	ASSERT_LT(0, len);
	ASSERT_EQ(0, stat(self->dir, &st));
	snprintf(desc, sizeof(desc), "swpki:%llu:%llu:k:general", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	id = add_key("user", desc, der, (size_t)len, KEY_SPEC_USER_KEYRING);
	ASSERT_LT(0, id);
	EXPECT_EQ(-EKEYREJECTED, swpki_key_load(&self->s, "k", SWPKI_KEY_GENERAL, &pkey, NULL,
						&self->err));
	EXPECT_EQ(NULL, pkey);
	keyctl_unlink(id, KEY_SPEC_USER_KEYRING);
	OPENSSL_free(der);
	PKCS8_PRIV_KEY_INFO_free(p8inf);
	EVP_PKEY_free(other);
}

TEST_F(store, usage_keys)
{
	EVP_PKEY *sig = NULL, *enc = NULL, *gen = NULL;
	struct swpki_key_info info;
	struct swpki_key_info *v;
	size_t n;

	ASSERT_EQ(0, swpki_key_generate(&self->s, "u", EVP_PKEY_RSA, 1024, true, true,
					&self->err)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(0, swpki_key_load(&self->s, "u", SWPKI_KEY_SIGNATURE, &sig, &info, &self->err));
	EXPECT_EQ(SWPKI_KEY_SIGNATURE, info.usage);
	ASSERT_EQ(0, swpki_key_load(&self->s, "u", SWPKI_KEY_ENCRYPTION, &enc, &info,
				    &self->err));
	EXPECT_EQ(SWPKI_KEY_ENCRYPTION, info.usage);
	EXPECT_NE(1, EVP_PKEY_eq(sig, enc));
	EXPECT_EQ(-ENOENT, swpki_key_load(&self->s, "u", SWPKI_KEY_GENERAL, &gen, NULL,
					  &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "usage keys"));

	/* A general pair replaces them (rollover, import). */
	ASSERT_EQ(0, swpki_key_store(&self->s, "u", SWPKI_KEY_GENERAL, sig, true, &self->err))
		TH_LOG("%s", self->err.msg);
	ASSERT_EQ(0, swpki_key_list(&self->s, "u", &v, &n, &self->err));
	ASSERT_EQ(1, n);
	EXPECT_EQ(SWPKI_KEY_GENERAL, v[0].usage);
	EXPECT_TRUE(v[0].exportable);
	EXPECT_EQ(1024, v[0].bits);
	free(v);
	/* A usage key asked of a general pair is the general pair. */
	ASSERT_EQ(0, swpki_key_load(&self->s, "u", SWPKI_KEY_ENCRYPTION, &gen, &info,
				    &self->err));
	EXPECT_EQ(SWPKI_KEY_GENERAL, info.usage);
	EXPECT_EQ(1, EVP_PKEY_eq(sig, gen));
	EVP_PKEY_free(sig);
	EVP_PKEY_free(enc);
	EVP_PKEY_free(gen);
}

/* A key file with the public key of one pair and the private key of another. */
/* E1.6: a key the store holds as not exportable is never stored as exportable. */
TEST_F(store, never_exportable)
{
	EVP_PKEY *k = NULL;

	ASSERT_EQ(0, swpki_key_generate(&self->s, "ne", EVP_PKEY_RSA, 1024, false, false,
					&self->err)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(0, swpki_key_load(&self->s, "ne", SWPKI_KEY_GENERAL, &k, NULL, &self->err));
	EXPECT_EQ(-EPERM, swpki_key_store(&self->s, "ne", SWPKI_KEY_GENERAL, k, true, &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "key ne holds this private key and is not exportable"));
	EXPECT_EQ(-EPERM, swpki_key_store(&self->s, "other", SWPKI_KEY_GENERAL, k, true,
					  &self->err));
	EXPECT_FALSE(swpki_key_exists(&self->s, "other"));
	EXPECT_EQ(0, swpki_key_store(&self->s, "other", SWPKI_KEY_GENERAL, k, false, &self->err));
	EVP_PKEY_free(k);
}

TEST_F(store, mismatched_pair)
{
	char a[4096], b[4096], path[128], *pa, *pb;
	struct swpki_key_info info;
	ssize_t na, nb;
	int fd;

	ASSERT_EQ(0, swpki_key_generate(&self->s, "a", EVP_PKEY_EC, 256, false, false,
					&self->err));
	ASSERT_EQ(0, swpki_key_generate(&self->s, "b", EVP_PKEY_EC, 256, false, false,
					&self->err));
	fd = openat(self->s.keys_fd, "a.general", O_RDONLY);
	na = read(fd, a, sizeof(a) - 1);
	close(fd);
	fd = openat(self->s.keys_fd, "b.general", O_RDONLY);
	nb = read(fd, b, sizeof(b) - 1);
	close(fd);
	ASSERT_LT(0, na);
	ASSERT_LT(0, nb);
	a[na] = b[nb] = '\0';
	pa = strstr(a, "-----BEGIN PRIVATE KEY-----");
	pb = strstr(b, "-----BEGIN PRIVATE KEY-----");
	ASSERT_NE(NULL, pa);
	ASSERT_NE(NULL, pb);
	snprintf(path, sizeof(path), "%s/keys/a.general", self->dir);
	fd = open(path, O_WRONLY | O_TRUNC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(pa - a, write(fd, a, (size_t)(pa - a)));
	ASSERT_EQ((ssize_t)strlen(pb), write(fd, pb, strlen(pb)));
	close(fd);
	EXPECT_EQ(-EBADMSG, swpki_key_info(&self->s, "a", SWPKI_KEY_GENERAL, &info, &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "keys/a.general: malformed key file"));
	EXPECT_NE(NULL, strstr(self->err.msg, "does not match"));
}

/* What trustpoint PEM import and PKCS#12 call: export, then import under another label. */
TEST_F(store, pem_round_trip)
{
	struct swpki_key_info a, b;
	char *pub = NULL, *prv = NULL;

	ASSERT_EQ(0, swpki_key_generate(&self->s, "n", EVP_PKEY_EC, 384, false, false,
					&self->err));
	EXPECT_EQ(-EPERM, swpki_key_export_pem(&self->s, "n", SWPKI_KEY_GENERAL, SWPKI_CIPHER_AES,
					       "passphrase", &pub, &prv, &self->err));
	EXPECT_EQ(NULL, prv);
	ASSERT_EQ(0, swpki_key_generate(&self->s, "x", EVP_PKEY_EC, 384, false, true,
					&self->err));
	ASSERT_EQ(0, swpki_key_export_pem(&self->s, "x", SWPKI_KEY_GENERAL, SWPKI_CIPHER_3DES,
					  "passphrase", &pub, &prv, &self->err));
	EXPECT_NE(NULL, strstr(prv, "DEK-Info: DES-EDE3-CBC,"));
	EXPECT_EQ(-EKEYREJECTED, swpki_key_import_pem(&self->s, "y", SWPKI_KEY_GENERAL, pub,
						      strlen(pub), prv, strlen(prv), "passphrasE",
						      false, &self->err));
	EXPECT_FALSE(swpki_key_exists(&self->s, "y"));
	ASSERT_EQ(0, swpki_key_import_pem(&self->s, "y", SWPKI_KEY_GENERAL, pub, strlen(pub),
					  prv, strlen(prv), "passphrase", false, &self->err))
		TH_LOG("%s", self->err.msg);
	ASSERT_EQ(0, swpki_key_info(&self->s, "x", SWPKI_KEY_GENERAL, &a, &self->err));
	ASSERT_EQ(0, swpki_key_info(&self->s, "y", SWPKI_KEY_GENERAL, &b, &self->err));
	EXPECT_FALSE(b.exportable);
	EXPECT_STREQ("P-384", b.curve);
	ASSERT_EQ(a.spki_len, b.spki_len);
	EXPECT_EQ(0, memcmp(a.spki, b.spki, a.spki_len));
	free(pub);
	free(prv);
}

TEST_F(store, bounds)
{
	EXPECT_EQ(-EINVAL, swpki_key_generate(&self->s, "r", EVP_PKEY_RSA, 511, false, false,
					      &self->err));
	EXPECT_EQ(-EINVAL, swpki_key_generate(&self->s, "r", EVP_PKEY_RSA, 4097, false, false,
					      &self->err));
	EXPECT_EQ(-EINVAL, swpki_key_generate(&self->s, "e", EVP_PKEY_EC, 521, false, false,
					      &self->err));
	EXPECT_FALSE(swpki_key_exists(&self->s, "r"));
	EXPECT_FALSE(swpki_key_exists(&self->s, "e"));
	EXPECT_EQ(-ENOENT, swpki_key_zeroize(&self->s, "r", &self->err));
}

TEST(labels_and_passphrases)
{
	struct swauth_error err;
	char label[SWPKI_LABEL_MAX + 2];

	swauth_error_clear(&err);
	EXPECT_EQ(0, swpki_key_label_check("router.example.com", &err));
	EXPECT_EQ(-EINVAL, swpki_key_label_check("", &err));
	EXPECT_EQ(-EINVAL, swpki_key_label_check(".x", &err));
	EXPECT_EQ(-EINVAL, swpki_key_label_check("a/b", &err));
	EXPECT_EQ(-EINVAL, swpki_key_label_check("a\tb", &err));
	memset(label, 'x', SWPKI_LABEL_MAX);
	label[SWPKI_LABEL_MAX] = '\0';
	EXPECT_EQ(0, swpki_key_label_check(label, &err));
	label[SWPKI_LABEL_MAX] = 'x';
	label[SWPKI_LABEL_MAX + 1] = '\0';
	EXPECT_EQ(-EINVAL, swpki_key_label_check(label, &err));

	EXPECT_EQ(-EINVAL, swpki_passphrase_check("1234567", &err));
	EXPECT_EQ(0, swpki_passphrase_check("1234 5678", &err));
	EXPECT_EQ(-EINVAL, swpki_passphrase_check("what is it?", &err));
	EXPECT_EQ(0, swpki_key_default_label(label, sizeof(label), &err)) TH_LOG("%s", err.msg);
	EXPECT_NE(0, strlen(label));
}

/* The store holds private keys and PINs: a process that opens it dumps no core. */
TEST(store_open_not_dumpable)
{
	char dir[] = "/tmp/pki_keys_test.XXXXXX", cmd[64];
	struct swauth_error err;
	struct swpki_store s;

	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
	ASSERT_EQ(0, swpki_store_open(&s, dir, true, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(0, prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	swpki_store_close(&s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	EXPECT_EQ(0, system(cmd));
}

TEST_HARNESS_MAIN
