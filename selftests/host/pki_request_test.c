// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/pki/request.c: the subject IOS builds, the PKCS#10 request and its
 * fingerprint, the self-signed certificate; checked with OpenSSL's own
 * readers, and the malformed subject-names each refused.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "lib/pki.h"

#include "kselftest_harness.h"

static void name_text(X509_NAME *n, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	int got;

	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	got = BIO_read(b, buf, (int)len - 1);
	buf[got > 0 ? got : 0] = '\0';
	BIO_free(b);
}

TEST(request)
{
	struct swpki_req_params p = { .subject = "CN = r1.example.com , O=Example",
				      .fqdn = "r1.example.com", .serial = "C63EBBE9",
				      .ip = "10.3.0.18", .challenge = "otp-1234",
				      .usage = SWPKI_USAGE_IKE | SWPKI_USAGE_SSL_CLIENT };
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	unsigned char md[EVP_MAX_MD_SIZE];
	char text[512], fp[SWPKI_FP_MD5_LEN], want[SWPKI_FP_MD5_LEN];
	struct swauth_error err;
	X509_REQ *req = NULL;
	STACK_OF(X509_EXTENSION) *exts;
	unsigned int n;
	int i;

	ASSERT_NE(NULL, key);
	ASSERT_EQ(0, swpki_req_build(key, &p, &req, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, X509_REQ_verify(req, key));
	name_text(X509_REQ_get_subject_name(req), text, sizeof(text));
	EXPECT_STREQ("unstructuredName=r1.example.com+unstructuredAddress=10.3.0.18+serialNumber=C63EBBE9,O=Example,CN=r1.example.com",
		     text);
	i = X509_REQ_get_attr_by_NID(req, NID_pkcs9_challengePassword, -1);
	EXPECT_LE(0, i);
	exts = X509_REQ_get_extensions(req);
	ASSERT_NE(NULL, exts);
	EXPECT_EQ(2, sk_X509_EXTENSION_num(exts));
	EXPECT_EQ(NID_key_usage, OBJ_obj2nid(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(exts, 0))));
	EXPECT_EQ(NID_ext_key_usage, OBJ_obj2nid(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(exts, 1))));
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);

	ASSERT_EQ(0, swpki_req_fingerprint(req, fp, sizeof(fp)));
	ASSERT_EQ(1, X509_REQ_digest(req, EVP_md5(), md, &n));
	swpki_hex_groups(md, n, want, sizeof(want));
	EXPECT_STREQ(want, fp);
	EXPECT_EQ(35, strlen(fp));
	EXPECT_EQ(' ', fp[8]);
	snprintf(text, sizeof(text), "%02X%02X%02X%02X", md[0], md[1], md[2], md[3]);
	EXPECT_EQ(0, strncmp(text, fp, 8));
	swpki_hex_groups(md, n, text, 12);
	EXPECT_EQ(11, strlen(text));
	X509_REQ_free(req);
	EVP_PKEY_free(key);
}

TEST(fqdn_none_and_bad_subjects)
{
	static const char *const bad[] = { "CN", "CN=", "=x", "NOSUCHTYPE=x", "CN=a,,O=b" };
	struct swpki_req_params p = { 0 };
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	struct swauth_error err;
	X509_REQ *req = NULL;
	char longname[SWPKI_DN_MAX + 8];
	size_t i;

	ASSERT_NE(NULL, key);
	EXPECT_EQ(-EINVAL, swpki_req_build(key, &p, &req, &err));
	EXPECT_STREQ("the subject would be empty: set subject-name, or keep the FQDN", err.msg);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p.subject = bad[i];
		EXPECT_EQ(-EINVAL, swpki_req_build(key, &p, &req, &err)) TH_LOG("%s", bad[i]);
		EXPECT_EQ(0, strncmp(err.msg, "subject-name", 12)) TH_LOG("%s", err.msg);
		EXPECT_EQ(NULL, req);
	}
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	memcpy(longname, "CN=", 3);
	p.subject = longname;
	EXPECT_EQ(-EINVAL, swpki_req_build(key, &p, &req, &err));
	p.subject = "CN=r2";
	ASSERT_EQ(0, swpki_req_build(key, &p, &req, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, X509_REQ_verify(req, key));
	EXPECT_EQ(NID_ecdsa_with_SHA256, X509_REQ_get_signature_nid(req));
	X509_REQ_free(req);
	EVP_PKEY_free(key);
}

TEST(selfsigned)
{
	struct swpki_req_params p = { .subject = "CN=TESTCA", .fqdn = "r1.cisco.com",
				      .san = "TESTCA" };
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	const ASN1_OCTET_STRING *skid;
	AUTHORITY_KEYID *akid;
	BASIC_CONSTRAINTS *bc;
	GENERAL_NAMES *san;
	struct swauth_error err;
	X509 *crt = NULL;
	int crit;

	ASSERT_NE(NULL, key);
	ASSERT_EQ(0, swpki_selfsigned_build(key, &p, 2, 365, &crt, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, X509_verify(crt, key));
	EXPECT_EQ(0, X509_NAME_cmp(X509_get_subject_name(crt), X509_get_issuer_name(crt)));
	EXPECT_EQ(2, ASN1_INTEGER_get(X509_get0_serialNumber(crt)));
	EXPECT_EQ(NID_ecdsa_with_SHA384, X509_get_signature_nid(crt));
	bc = X509_get_ext_d2i(crt, NID_basic_constraints, &crit, NULL);
	ASSERT_NE(NULL, bc);
	EXPECT_TRUE(bc->ca);
	EXPECT_EQ(1, crit);
	BASIC_CONSTRAINTS_free(bc);
	san = X509_get_ext_d2i(crt, NID_subject_alt_name, NULL, NULL);
	ASSERT_NE(NULL, san);
	EXPECT_EQ(GEN_DNS, sk_GENERAL_NAME_value(san, 0)->type);
	GENERAL_NAMES_free(san);
	skid = X509_get0_subject_key_id(crt);
	akid = X509_get_ext_d2i(crt, NID_authority_key_identifier, NULL, NULL);
	ASSERT_NE(NULL, skid);
	ASSERT_NE(NULL, akid);
	EXPECT_EQ(0, ASN1_OCTET_STRING_cmp(skid, akid->keyid));
	AUTHORITY_KEYID_free(akid);
	EXPECT_EQ(1, X509_check_ca(crt));
	X509_free(crt);
	EVP_PKEY_free(key);
}

TEST_HARNESS_MAIN
