// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * PKCS#12 (lib/pki.h, "PKCS#12"): a trustpoint's key pair, its certificate
 * and its CA's certificates in one file protected by a passphrase (E2.1),
 * written and read with OpenSSL's PKCS12 API.
 */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "lib/pki.h"

/* At least OpenSSL's default; the MAC the same. */
enum { P12_ITER = 2048 };

/**
 * swpki_p12_write() - a PKCS#12 file of @key, @cert and @cas
 * @key: the key pair
 * @cert: its certificate
 * @cas: the CA's certificates (the root at least), may not be empty
 * @name: the friendly name: the trustpoint's, which is the key's label
 * @pass: the passphrase
 * @cipher: of the key and certificates: SWPKI_CIPHER_AES (PBES2 AES-256-CBC)
 *	or SWPKI_CIPHER_3DES (PBE SHA1 3DES, for old readers)
 * @der: set to the file's bytes; OPENSSL_free() them
 * @len: set to their length
 * @err: filled on failure
 *
 * Return: 0 or -errno (-EINVAL: nothing to write or a key that does not
 * match @cert).
 */
int swpki_p12_write(EVP_PKEY *key, X509 *cert, STACK_OF(X509) *cas, const char *name,
		    const char *pass, enum swpki_cipher cipher, unsigned char **der, size_t *len,
		    struct swauth_error *err)
{
	int nid = cipher == SWPKI_CIPHER_3DES ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC :
		NID_aes_256_cbc;
	PKCS12 *p12;
	int n;

	*der = NULL;
	if (sk_X509_num(cas) <= 0)
		return swauth_error_set(err, -EINVAL, "a PKCS#12 file needs the CA's certificate");
	if (X509_check_private_key(cert, key) != 1) {
		ERR_clear_error();
		return swauth_error_set(err, -EINVAL,
					"the certificate is not the key pair's (refused)");
	}
	p12 = PKCS12_create_ex((char *)pass, name, key, cert, cas, nid, nid, P12_ITER, P12_ITER,
			       0, NULL, NULL);
	if (!p12)
		return swauth_error_ossl(err, -EIO, "building the PKCS#12 file");
	n = i2d_PKCS12(p12, der);
	PKCS12_free(p12);
	if (n <= 0)
		return swauth_error_ossl(err, -EIO, "encoding the PKCS#12 file");
	*len = (size_t)n;
	return 0;
}

/**
 * swpki_p12_read() - the key pair, its certificate and the CA's from a PKCS#12 file
 * @der: the file's bytes
 * @len: their length
 * @pass: the passphrase
 * @key: set to the key pair
 * @cert: set to the certificate of @key
 * @cas: set to the other certificates, never empty (E2.1: a PKCS#12 file
 *	from another vendor must hold the CA's certificate)
 * @err: filled on failure
 *
 * An old file encrypted with RC2 is read through OpenSSL's legacy provider.
 *
 * Return: 0; -EBADMSG for what is not a whole PKCS#12 file (truncated,
 * another format); -ENOPROTOOPT for RC2 without the legacy provider;
 * -EKEYREJECTED for a wrong passphrase; -EINVAL for a
 * file without a key, its certificate or a CA certificate. Nothing is
 * returned on failure.
 */
int swpki_p12_read(const unsigned char *der, size_t len, const char *pass, EVP_PKEY **key,
		   X509 **cert, STACK_OF(X509) **cas, struct swauth_error *err)
{
	OSSL_PROVIDER *prov[2] = { NULL, NULL };
	const unsigned char *p = der;
	STACK_OF(X509) *ca = NULL;
	EVP_PKEY *k = NULL;
	X509 *c = NULL;
	PKCS12 *p12;
	int ok;

	*key = NULL;
	*cert = NULL;
	*cas = NULL;
	p12 = len <= LONG_MAX ? d2i_PKCS12(NULL, &p, (long)len) : NULL;
	if (!p12 || p != der + len) {
		PKCS12_free(p12);
		ERR_clear_error();
		return swauth_error_set(err, -EBADMSG,
					"not a PKCS#12 file, or a truncated one (%zu bytes)", len);
	}
	if (!PKCS12_mac_present(p12) || !PKCS12_verify_mac(p12, pass, -1)) {
		PKCS12_free(p12);
		ERR_clear_error();
		return swauth_error_set(err, -EKEYREJECTED,
					"wrong passphrase (the PKCS#12 file's integrity check fails)");
	}
	ok = PKCS12_parse(p12, pass, &k, &c, &ca);
	if (!ok && ERR_GET_REASON(ERR_peek_last_error()) == ERR_R_UNSUPPORTED) {
		/* An old file's RC2-40 (OpenSSL 1.1's default, Windows'). */
		ERR_clear_error();
		if (swpki_legacy_load(prov, "a PKCS#12 file encrypted with RC2",
				      "export it again with AES or 3DES", err)) {
			PKCS12_free(p12);
			return err->code;
		}
		ok = PKCS12_parse(p12, pass, &k, &c, &ca);
		swpki_legacy_unload(prov);
	}
	if (!ok) {
		PKCS12_free(p12);
		return swauth_error_ossl(err, -EBADMSG, "reading the PKCS#12 file");
	}
	PKCS12_free(p12);
	if (!k || !c || sk_X509_num(ca) <= 0) {
		EVP_PKEY_free(k);
		X509_free(c);
		sk_X509_pop_free(ca, X509_free);
		return swauth_error_set(err, -EINVAL,
					"the PKCS#12 file lacks %s (it must hold the key pair, its certificate and the CA's certificate)",
					!k ? "a private key" : !c ? "the key's certificate" :
					"the CA's certificate");
	}
	*key = k;
	*cert = c;
	*cas = ca;
	return 0;
}
