// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/pki: CA authentication with RA certificates (the SCEP GetCACert
 * path: an RA without the right key usage, or not issued by the CA, is
 * refused and nothing stored), the roles in the certificate store's file
 * names, and the trustpoint table's "no" lines.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "lib/pki.h"

#include "kselftest_harness.h"

static EVP_PKEY *key(void)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value);
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
}

/* A certificate of @cn for @k, issued by @issuer/@ikey (NULL: self-signed). */
static X509 *cert(const char *cn, long serial, EVP_PKEY *k, X509 *issuer, EVP_PKEY *ikey,
		  const char *bc, const char *ku)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
	X509_NAME_free(name);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, k);
	add_ext(x, issuer ? issuer : x, NID_basic_constraints, bc);
	if (ku)
		add_ext(x, issuer ? issuer : x, NID_key_usage, ku);
	X509_sign(x, ikey ? ikey : k, EVP_sha256());
	return x;
}

FIXTURE(store) {
	char dir[64];
	struct swpki_store s;
	struct swpki_trustpoint tp;
	EVP_PKEY *cakey, *rakey, *otherkey;
	X509 *ca;
	FILE *out;
};

FIXTURE_SETUP(store)
{
	struct swauth_error err = { 0 };

	strcpy(self->dir, "/tmp/pki_tp_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, swpki_store_open(&self->s, self->dir, true, &err)) TH_LOG("%s", err.msg);
	swpki_tp_init(&self->tp, "TP");
	ASSERT_EQ(0, swpki_tp_save(&self->s, &self->tp, &err)) TH_LOG("%s", err.msg);
	self->cakey = key();
	self->rakey = key();
	self->otherkey = key();
	self->ca = cert("ca", 0x7401, self->cakey, NULL, NULL, "critical,CA:TRUE",
			"critical,keyCertSign,cRLSign");
	self->out = fopen("/dev/null", "w");
}

FIXTURE_TEARDOWN(store)
{
	char cmd[128];

	swpki_store_close(&self->s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
	X509_free(self->ca);
	EVP_PKEY_free(self->cakey);
	EVP_PKEY_free(self->rakey);
	EVP_PKEY_free(self->otherkey);
	fclose(self->out);
}

static size_t count(struct swpki_store *s, enum swpki_cert_role role)
{
	struct swauth_error err = { 0 };
	struct swpki_cert *v;
	size_t n;

	if (swpki_cert_list(s, "TP", role, &v, &n, &err))
		return 999;
	swpki_cert_list_free(v, n);
	return n;
}

static int authenticate(struct __test_metadata *_metadata, FIXTURE_DATA(store) *self,
			X509 *ra1, X509 *ra2, struct swauth_error *err)
{
	STACK_OF(X509) *ra = sk_X509_new_null();
	int ret;

	if (ra1)
		sk_X509_push(ra, ra1);
	if (ra2)
		sk_X509_push(ra, ra2);
	ret = swpki_tp_authenticate_cert(&self->s, &self->tp, self->ca, ra, false, true, self->out,
					 err);
	sk_X509_pop_free(ra, X509_free);
	return ret;
}

TEST_F(store, ra_sign_and_encr_stored_by_role)
{
	struct swauth_error err = { 0 };
	X509 *sign = cert("ra-sign", 0x11, self->rakey, self->ca, self->cakey, "CA:FALSE",
			  "critical,digitalSignature");
	X509 *encr = cert("ra-encr", 0x12, self->rakey, self->ca, self->cakey, "CA:FALSE",
			  "critical,keyEncipherment");

	ASSERT_EQ(0, authenticate(_metadata, self, sign, encr, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, count(&self->s, SWPKI_CERT_CA));
	EXPECT_EQ(1, count(&self->s, SWPKI_CERT_RA_SIGN));
	EXPECT_EQ(1, count(&self->s, SWPKI_CERT_RA_ENCR));
	EXPECT_EQ(0, faccessat(self->s.certs_fd, "TP#7401CA.cer", F_OK, 0));
	EXPECT_EQ(0, faccessat(self->s.certs_fd, "TP#11-ra-sign.cer", F_OK, 0));
	EXPECT_EQ(0, faccessat(self->s.certs_fd, "TP#12-ra-encr.cer", F_OK, 0));
}

TEST_F(store, ra_without_the_right_key_usage_refused)
{
	struct swauth_error err = { 0 };
	X509 *bad = cert("ra", 0x11, self->rakey, self->ca, self->cakey, "CA:FALSE",
			 "critical,nonRepudiation");

	EXPECT_EQ(-EINVAL, authenticate(_metadata, self, bad, NULL, &err));
	EXPECT_NE(NULL, strstr(err.msg, "without the key usage digitalSignature or keyEncipherment"))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(0, count(&self->s, SWPKI_CERT_ANY));
}

TEST_F(store, ra_without_key_usage_refused)
{
	struct swauth_error err = { 0 };
	X509 *bad = cert("ra", 0x11, self->rakey, self->ca, self->cakey, "CA:FALSE", NULL);

	EXPECT_EQ(-EINVAL, authenticate(_metadata, self, bad, NULL, &err));
	EXPECT_EQ(0, count(&self->s, SWPKI_CERT_ANY));
}

TEST_F(store, ra_signing_only_refused)
{
	struct swauth_error err = { 0 };
	X509 *sign = cert("ra", 0x11, self->rakey, self->ca, self->cakey, "CA:FALSE",
			  "critical,digitalSignature");

	EXPECT_EQ(-EINVAL, authenticate(_metadata, self, sign, NULL, &err));
	EXPECT_NE(NULL, strstr(err.msg, "no RA certificate with the key usage keyEncipherment"))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(0, count(&self->s, SWPKI_CERT_ANY));
}

TEST_F(store, ra_not_issued_by_the_ca_refused)
{
	struct swauth_error err = { 0 };
	X509 *other = cert("other", 9, self->otherkey, NULL, NULL, "critical,CA:TRUE", NULL);
	X509 *ra = cert("ra", 0x11, self->rakey, other, self->otherkey, "CA:FALSE",
			"critical,digitalSignature,keyEncipherment");

	EXPECT_EQ(-EINVAL, authenticate(_metadata, self, ra, NULL, &err));
	EXPECT_NE(NULL, strstr(err.msg, "not signed by the CA")) TH_LOG("%s", err.msg);
	EXPECT_EQ(0, count(&self->s, SWPKI_CERT_ANY));
	X509_free(other);
}

TEST_F(store, one_ra_for_both_roles_and_reauthentication_replaces)
{
	struct swauth_error err = { 0 };
	X509 *ra = cert("ra", 0x11, self->rakey, self->ca, self->cakey, "CA:FALSE",
			"critical,digitalSignature,keyEncipherment");
	X509 *ca2;

	ASSERT_EQ(0, authenticate(_metadata, self, ra, NULL, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, count(&self->s, SWPKI_CERT_RA_SIGN));
	EXPECT_EQ(1, count(&self->s, SWPKI_CERT_RA_ENCR));
	ca2 = cert("ca2", 0x7402, self->cakey, NULL, NULL, "critical,CA:TRUE", NULL);
	ASSERT_EQ(0, swpki_tp_authenticate_cert(&self->s, &self->tp, ca2, NULL, false, true,
						self->out, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, count(&self->s, SWPKI_CERT_CA));
	EXPECT_EQ(0, count(&self->s, SWPKI_CERT_RA_SIGN));
	EXPECT_EQ(0, faccessat(self->s.certs_fd, "TP#7402CA.cer", F_OK, 0));
	X509_free(ca2);
}

/* A device certificate whose serial ends in "CA" is no CA certificate. */
TEST_F(store, serial_ending_in_ca_keeps_its_role)
{
	struct swauth_error err = { 0 };
	X509 *id = cert("router", 0x74CA, self->rakey, self->ca, self->cakey, "CA:FALSE", NULL);

	ASSERT_EQ(0, swpki_cert_add(&self->s, "TP", SWPKI_CERT_GENERAL, id, &err));
	EXPECT_EQ(0, faccessat(self->s.certs_fd, "TP#74CA.cer", F_OK, 0));
	EXPECT_EQ(1, count(&self->s, SWPKI_CERT_GENERAL));
	EXPECT_EQ(0, count(&self->s, SWPKI_CERT_CA));
	ASSERT_EQ(0, swpki_cert_remove(&self->s, "TP", SWPKI_CERT_GENERAL, &err));
	EXPECT_EQ(0, count(&self->s, SWPKI_CERT_ANY));
	X509_free(id);
}

TEST(no_lines_restore_the_defaults)
{
	static const char *const lines[] = {
		"enrollment url tftp://h/x pem", "enrollment mode ra", "enrollment retry period 9",
		"enrollment retry count 9", "subject-name cn=x", "subject-alt-name x.example",
		"ip-address none", "serial-number", "fqdn none", "password p", "usage ssl-client",
		"eckeypair k", "fingerprint 00112233445566778899AABBCCDDEEFF",
		"source interface eth1", "vrf v", "auto-enroll regenerate", "regenerate",
		"hash sha512",
	};
	struct swpki_trustpoint tp, empty;
	struct swauth_error err = { 0 };
	char line[128], *a, *b;
	size_t i;

	swpki_tp_init(&tp, "T");
	swpki_tp_init(&empty, "T");
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		ASSERT_EQ(0, swpki_tp_apply(&tp, lines[i], &err)) TH_LOG("line %zu: %s", i, err.msg);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(line, sizeof(line), "no %s", lines[i]);
		ASSERT_EQ(0, swpki_tp_apply(&tp, line, &err)) TH_LOG("%s: %s", line, err.msg);
	}
	ASSERT_EQ(0, swpki_tp_format(&tp, &a, &err));
	ASSERT_EQ(0, swpki_tp_format(&empty, &b, &err));
	EXPECT_EQ(0, strcmp(b, a)) TH_LOG("after the no lines:\n%s", a);
	EXPECT_EQ(0, strcmp("crypto pki trustpoint T\n", a));
	free(a);
	free(b);
}

TEST(parse_names_the_line)
{
	struct swpki_trustpoint tp;
	struct swauth_error err = { 0 };

	EXPECT_EQ(-EINVAL, swpki_tp_parse(&tp, "T", "crypto pki trustpoint U\n", "f", &err));
	EXPECT_STREQ("f:1: expected 'crypto pki trustpoint T' (the file's own name)", err.msg);
	EXPECT_EQ(-EINVAL, swpki_tp_parse(&tp, "T", "crypto pki trustpoint T\n vrf a\nvrf b\n",
					  "f", &err));
	EXPECT_STREQ("f:3: a sub-command indented by one blank expected", err.msg);
	EXPECT_EQ(-ERANGE, swpki_tp_parse(&tp, "T",
					  "crypto pki trustpoint T\n auto-enroll 100\n", "f", &err));
	EXPECT_STREQ("f:2: auto-enroll: 100 is out of range (10-99 percent)", err.msg);
	EXPECT_EQ(-EINVAL, swpki_tp_apply(&tp, "rsakeypair ../x", &err));
	EXPECT_EQ(-EINVAL, swpki_tp_apply(&tp, "enrollment url file:///etc/passwd", &err));
	EXPECT_EQ(-EINVAL, swpki_tp_apply(&tp, "ip-address 300.1.1.1", &err));
	EXPECT_FALSE(swpki_tp_name_valid("a#b"));
	EXPECT_FALSE(swpki_tp_name_valid("../x"));
}

TEST_HARNESS_MAIN
