// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/pki/p12.c against `openssl pkcs12`: each reads what the other
 * writes (AES and 3DES), and a wrong passphrase, a truncated file, another
 * format, a file without the CA's certificate and a key that is not the
 * certificate's are each refused with their own message.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "lib/pki.h"

#include "kselftest_harness.h"

FIXTURE(pki) {
	char dir[64];
	EVP_PKEY *key;
	X509 *cert;
	STACK_OF(X509) *cas;
};

static int run(const char *dir, const char *cmd)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "cd %s && { %s; } >/dev/null 2>&1", dir, cmd);
	return system(buf);
}

static unsigned char *slurp(const char *dir, const char *name, size_t *len)
{
	char path[128];
	unsigned char *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

FIXTURE_SETUP(pki)
{
	char path[128];
	FILE *f;

	strcpy(self->dir, "/tmp/pki_p12.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, run(self->dir,
			 "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -subj /CN=ca -days 30 && "
			 "openssl req -newkey rsa:2048 -nodes -keyout r1.key -out r1.csr -subj /CN=r1 && "
			 "openssl x509 -req -in r1.csr -CA ca.crt -CAkey ca.key -set_serial 7 -days 30 -out r1.crt && "
			 "openssl pkcs12 -export -inkey r1.key -in r1.crt -certfile ca.crt -passout pass:secret12 -out ossl.p12 && "
			 "openssl pkcs12 -export -inkey r1.key -in r1.crt -passout pass:secret12 -out noca.p12"));
	snprintf(path, sizeof(path), "%s/r1.key", self->dir);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	self->key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	snprintf(path, sizeof(path), "%s/r1.crt", self->dir);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	self->cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	snprintf(path, sizeof(path), "%s/ca.crt", self->dir);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f);
	self->cas = sk_X509_new_null();
	sk_X509_push(self->cas, PEM_read_X509(f, NULL, NULL, NULL));
	fclose(f);
	ASSERT_NE(NULL, self->key);
	ASSERT_NE(NULL, self->cert);
}

FIXTURE_TEARDOWN(pki)
{
	EVP_PKEY_free(self->key);
	X509_free(self->cert);
	sk_X509_pop_free(self->cas, X509_free);
	if (run(self->dir, "rm -rf \"$PWD\""))
		TH_LOG("could not remove %s", self->dir);
}

TEST_F(pki, reads_openssl)
{
	STACK_OF(X509) *cas;
	struct swauth_error err;
	unsigned char *der;
	EVP_PKEY *key;
	X509 *cert;
	size_t len;

	der = slurp(self->dir, "ossl.p12", &len);
	ASSERT_NE(NULL, der);
	ASSERT_EQ(0, swpki_p12_read(der, len, "secret12", &key, &cert, &cas, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(1, EVP_PKEY_eq(key, self->key));
	EXPECT_EQ(0, X509_cmp(cert, self->cert));
	EXPECT_EQ(1, sk_X509_num(cas));
	EXPECT_EQ(0, X509_cmp(sk_X509_value(cas, 0), sk_X509_value(self->cas, 0)));
	EVP_PKEY_free(key);
	X509_free(cert);
	sk_X509_pop_free(cas, X509_free);

	EXPECT_EQ(-EKEYREJECTED, swpki_p12_read(der, len, "wrong-pass", &key, &cert, &cas, &err));
	EXPECT_STREQ("wrong passphrase (the PKCS#12 file's integrity check fails)", err.msg);
	EXPECT_EQ(NULL, key);
	EXPECT_EQ(-EBADMSG, swpki_p12_read(der, len - 10, "secret12", &key, &cert, &cas, &err));
	EXPECT_EQ(0, strncmp(err.msg, "not a PKCS#12 file, or a truncated one", 38)) TH_LOG("%s", err.msg);
	EXPECT_EQ(-EBADMSG, swpki_p12_read((const unsigned char *)"-----BEGIN", 10, "secret12",
					   &key, &cert, &cas, &err));
	free(der);

	der = slurp(self->dir, "noca.p12", &len);
	ASSERT_NE(NULL, der);
	EXPECT_EQ(-EINVAL, swpki_p12_read(der, len, "secret12", &key, &cert, &cas, &err));
	EXPECT_NE(NULL, strstr(err.msg, "lacks the CA's certificate")) TH_LOG("%s", err.msg);
	EXPECT_EQ(NULL, cas);
	free(der);
}

TEST_F(pki, openssl_reads_ours)
{
	static const enum swpki_cipher ciphers[] = { SWPKI_CIPHER_AES, SWPKI_CIPHER_3DES };
	static const char *const algs[] = { "AES-256-CBC", "pbeWithSHA1And3-KeyTripleDES-CBC" };
	struct swauth_error err;
	unsigned char *der;
	char path[128], cmd[512];
	size_t len, i;
	FILE *f;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, swpki_p12_write(self->key, self->cert, self->cas, "r1", "secret12",
					     ciphers[i], &der, &len, &err)) TH_LOG("%s", err.msg);
		snprintf(path, sizeof(path), "%s/ours.p12", self->dir);
		f = fopen(path, "wb");
		ASSERT_NE(NULL, f);
		ASSERT_EQ(len, fwrite(der, 1, len, f));
		fclose(f);
		OPENSSL_free(der);
		EXPECT_EQ(0, run(self->dir, "openssl pkcs12 -in ours.p12 -passin pass:secret12 -nodes -out back.pem && "
				 "openssl pkey -in back.pem -pubout -out a.pub && openssl pkey -in r1.key -pubout -out b.pub && "
				 "cmp a.pub b.pub && grep -c 'BEGIN CERTIFICATE' back.pem | grep -qx 2"));
		snprintf(cmd, sizeof(cmd), "openssl pkcs12 -in ours.p12 -passin pass:secret12 -info -noout 2>&1 | grep -q '%s'",
			 algs[i]);
		EXPECT_EQ(0, run(self->dir, cmd)) TH_LOG("%s", algs[i]);
		EXPECT_NE(0, run(self->dir, "openssl pkcs12 -in ours.p12 -passin pass:wrongpass -nodes -out x.pem"));
	}
}

TEST_F(pki, refused_writes)
{
	STACK_OF(X509) *none = sk_X509_new_null();
	EVP_PKEY *other = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	struct swauth_error err;
	unsigned char *der;
	size_t len;

	EXPECT_EQ(-EINVAL, swpki_p12_write(self->key, self->cert, none, "r1", "secret12",
					   SWPKI_CIPHER_AES, &der, &len, &err));
	EXPECT_STREQ("a PKCS#12 file needs the CA's certificate", err.msg);
	EXPECT_EQ(-EINVAL, swpki_p12_write(other, self->cert, self->cas, "r1", "secret12",
					   SWPKI_CIPHER_AES, &der, &len, &err));
	EXPECT_STREQ("the certificate is not the key pair's (refused)", err.msg);
	EXPECT_EQ(NULL, der);
	sk_X509_free(none);
	EVP_PKEY_free(other);
}

TEST_HARNESS_MAIN
