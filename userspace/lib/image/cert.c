// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Certificate helpers on OpenSSL 3. The kernel takes DER only; people have
 * PEM as often as DER, so files are accepted in either form and converted.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <linux/swauth.h>

#include "lib/image.h"

/**
 * swauth_cert_read_file() - read one certificate, PEM or DER, as DER
 * @path: the file
 * @der: receives the DER encoding
 * @size: size of @der
 * @len: receives the DER's length
 * @err: filled on failure
 *
 * Return: 0; -errno when the file cannot be read; -EBADMSG when it holds
 * no certificate in either form; -E2BIG when the DER exceeds @size.
 */
int swauth_cert_read_file(const char *path, uint8_t *der, size_t size, size_t *len,
			  struct swauth_error *err)
{
	char reason[256];
	unsigned char *out = NULL;
	X509 *cert = NULL;
	BIO *bio;
	int n, ret;

	bio = BIO_new_file(path, "rb");
	if (!bio) {
		ret = errno ? -errno : -EIO;
		ERR_clear_error();
		return swauth_error_set(err, ret, "%s: %s", path, strerror(-ret));
	}
	cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (!cert) {
		ERR_clear_error();
		(void)BIO_reset(bio);
		cert = d2i_X509_bio(bio, NULL);
	}
	BIO_free(bio);
	if (!cert)
		return swauth_error_set(err, -EBADMSG,
					"%s: not an X.509 certificate in PEM or DER form: %s", path,
					swauth_ossl_reason(reason, sizeof(reason)));
	n = i2d_X509(cert, &out);
	X509_free(cert);
	if (n <= 0)
		return swauth_error_set(err, -EBADMSG, "%s: cannot encode as DER: %s", path,
					swauth_ossl_reason(reason, sizeof(reason)));
	if ((size_t)n > size) {
		OPENSSL_free(out);
		return swauth_error_set(err, -E2BIG, "%s: the certificate has %d bytes, at most %zu allowed",
					path, n, size);
	}
	memcpy(der, out, (size_t)n);
	*len = (size_t)n;
	OPENSSL_free(out);
	return 0;
}

static void name_entry(const X509_NAME *name, int nid, char *out, size_t len)
{
	int i = X509_NAME_get_index_by_NID(name, nid, -1);
	const ASN1_STRING *s;
	unsigned char *utf8 = NULL;
	int n;

	out[0] = '\0';
	if (i < 0)
		return;
	s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
	n = ASN1_STRING_to_UTF8(&utf8, s);
	if (n < 0) {
		ERR_clear_error();
		return;
	}
	snprintf(out, len, "%.*s", n, utf8);
	OPENSSL_free(utf8);
}

/**
 * swauth_cert_info() - the subject fields, serial and key size of a
 * certificate
 * @der: the certificate, DER
 * @len: its length
 * @info: receives the details
 * @err: filled on failure
 *
 * Return: 0, or -EBADMSG when @der does not parse.
 */
int swauth_cert_info(const uint8_t *der, size_t len, struct swauth_cert_info *info,
		     struct swauth_error *err)
{
	char reason[256];
	const unsigned char *p = der;
	const X509_NAME *subject;
	BIGNUM *bn = NULL;
	EVP_PKEY *pkey;
	char *hex;
	X509 *cert;

	memset(info, 0, sizeof(*info));
	cert = d2i_X509(NULL, &p, (long)len);
	if (!cert || p != der + len) {
		X509_free(cert);
		return swauth_error_set(err, -EBADMSG, "the signer certificate does not parse: %s",
					swauth_ossl_reason(reason, sizeof(reason)));
	}
	subject = X509_get_subject_name(cert);
	name_entry(subject, NID_commonName, info->common_name, sizeof(info->common_name));
	name_entry(subject, NID_organizationalUnitName, info->org_unit, sizeof(info->org_unit));
	name_entry(subject, NID_organizationName, info->org_name, sizeof(info->org_name));

	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	hex = bn ? BN_bn2hex(bn) : NULL;
	if (hex)
		snprintf(info->serial, sizeof(info->serial), "%s", hex);
	OPENSSL_free(hex);
	BN_free(bn);

	pkey = X509_get0_pubkey(cert);
	if (pkey && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA)
		info->key_bits = (unsigned int)EVP_PKEY_get_bits(pkey);
	X509_free(cert);
	ERR_clear_error();
	return 0;
}

/**
 * swauth_cert_hash_md() - the OpenSSL digest of an image hash algorithm
 * @hash_algo: enum swauth_hash_algo
 *
 * Return: the digest, or NULL for an unknown algorithm.
 */
const EVP_MD *swauth_cert_hash_md(unsigned int hash_algo)
{
	switch (hash_algo) {
	case SWAUTH_HASH_SHA256:
		return EVP_sha256();
	case SWAUTH_HASH_SHA384:
		return EVP_sha384();
	case SWAUTH_HASH_SHA512:
		return EVP_sha512();
	}
	return NULL;
}

/**
 * swauth_cert_rsa_public() - the RSA modulus and exponent of a certificate's key
 * @der: the certificate, DER
 * @len: its size
 * @modulus: receives the modulus, big-endian, without leading zero bytes
 * @size: size of @modulus
 * @mod_len: receives the modulus's length in bytes
 * @exponent: receives the public exponent
 * @err: filled on failure
 *
 * Return: 0; -EBADMSG for a certificate that does not parse; -EOPNOTSUPP
 * when its key is not RSA or its exponent exceeds 64 bits; -E2BIG when the
 * modulus exceeds @size.
 */
int swauth_cert_rsa_public(const uint8_t *der, size_t len, uint8_t *modulus, size_t size,
			   size_t *mod_len, uint64_t *exponent, struct swauth_error *err)
{
	char reason[256];
	const unsigned char *p = der;
	BIGNUM *n = NULL, *e = NULL;
	EVP_PKEY *pkey = NULL;
	X509 *cert;
	int ret = 0, nbytes;

	cert = d2i_X509(NULL, &p, (long)len);
	if (!cert)
		return swauth_error_set(err, -EBADMSG, "not an X.509 certificate: %s",
					swauth_ossl_reason(reason, sizeof(reason)));
	pkey = X509_get_pubkey(cert);
	if (!pkey || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA ||
	    !EVP_PKEY_get_bn_param(pkey, "n", &n) || !EVP_PKEY_get_bn_param(pkey, "e", &e)) {
		ERR_clear_error();
		ret = swauth_error_set(err, -EOPNOTSUPP, "the certificate's key is not RSA");
		goto out;
	}
	nbytes = BN_num_bytes(n);
	if (nbytes <= 0 || (size_t)nbytes > size) {
		ret = swauth_error_set(err, -E2BIG, "the RSA modulus has %d bytes, at most %zu shown",
				       nbytes, size);
		goto out;
	}
	if (BN_num_bits(e) > 64) {
		ret = swauth_error_set(err, -EOPNOTSUPP, "the RSA exponent exceeds 64 bits");
		goto out;
	}
	BN_bn2bin(n, modulus);
	*mod_len = (size_t)nbytes;
	*exponent = 0;
	for (int i = BN_num_bits(e) - 1; i >= 0; i--)
		*exponent = (*exponent << 1) | (uint64_t)BN_is_bit_set(e, i);
out:
	BN_free(n);
	BN_free(e);
	EVP_PKEY_free(pkey);
	X509_free(cert);
	return ret;
}
