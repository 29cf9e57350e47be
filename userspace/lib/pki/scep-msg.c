// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * SCEP's messages (RFC 8894 section 3, lib/pki.h): a pkiMessage is a CMS
 * SignedData whose content is the pkcsPKIEnvelope, a CMS EnvelopedData
 * (DER) holding the request or the reply, and whose signer's signed
 * attributes say what it is: messageType, transactionID, senderNonce,
 * recipientNonce, pkiStatus and failInfo. This file builds and reads
 * them; it is used by the client (scep.c) and by the tests' CA.
 *
 * DES-CBC is in OpenSSL 3's legacy provider only. It is loaded for the one
 * operation that needs it and asked for (swpki_scep_seal() with
 * SWPKI_SCEP_DES, swpki_scep_open() with @allow_des), never by default.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/provider.h>

#include "lib/pki.h"

/* The attributes' OIDs: RFC 8894 section 3.2.1. */
#define OID_MESSAGE_TYPE	"2.16.840.1.113733.1.9.2"
#define OID_PKI_STATUS		"2.16.840.1.113733.1.9.3"
#define OID_FAIL_INFO		"2.16.840.1.113733.1.9.4"
#define OID_SENDER_NONCE	"2.16.840.1.113733.1.9.5"
#define OID_RECIPIENT_NONCE	"2.16.840.1.113733.1.9.6"
#define OID_TRANSACTION_ID	"2.16.840.1.113733.1.9.7"
/**
 * swpki_scep_txid() - the transactionID of a request for @key
 * @key: the key to certify
 * @txid: receives the SHA-256 digest of its SubjectPublicKeyInfo (DER), in
 *        64 upper-case hexadecimal digits (RFC 8894 section 3.2.1.1); ""
 *        when it cannot be computed
 */
void swpki_scep_txid(EVP_PKEY *key, char txid[SWPKI_SCEP_TXID_MAX + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE], *der = NULL;
	unsigned int md_len = 0, i;
	int len = i2d_PUBKEY(key, &der);

	txid[0] = '\0';
	if (len > 0 && EVP_Digest(der, (size_t)len, md, &md_len, EVP_sha256(), NULL))
		for (i = 0; i < md_len; i++)
			snprintf(txid + 2 * i, 3, "%02X", md[i]);
	OPENSSL_free(der);
}

static int add_attr(CMS_SignerInfo *si, const char *oid, int type, const void *data, int len)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	int ok = obj && CMS_signed_add1_attr_by_OBJ(si, obj, type, data, len);

	ASN1_OBJECT_free(obj);
	return ok ? 0 : -ENOMEM;
}

static int add_number(CMS_SignerInfo *si, const char *oid, int n)
{
	char text[16];

	snprintf(text, sizeof(text), "%d", n);
	return add_attr(si, oid, V_ASN1_PRINTABLESTRING, text, (int)strlen(text));
}

static int add_attrs(CMS_SignerInfo *si, const struct swpki_scep_msg *m)
{
	int ret = add_number(si, OID_MESSAGE_TYPE, (int)m->type);

	if (!ret)
		ret = add_attr(si, OID_TRANSACTION_ID, V_ASN1_PRINTABLESTRING, m->txid,
			       (int)strlen(m->txid));
	if (!ret && m->has_sender_nonce)
		ret = add_attr(si, OID_SENDER_NONCE, V_ASN1_OCTET_STRING, m->sender_nonce,
			       SWPKI_SCEP_NONCE_LEN);
	if (!ret && m->has_recipient_nonce)
		ret = add_attr(si, OID_RECIPIENT_NONCE, V_ASN1_OCTET_STRING, m->recipient_nonce,
			       SWPKI_SCEP_NONCE_LEN);
	if (!ret && m->status >= 0)
		ret = add_number(si, OID_PKI_STATUS, m->status);
	if (!ret && m->fail_info >= 0)
		ret = add_number(si, OID_FAIL_INFO, m->fail_info);
	return ret;
}

/* @cms in DER, OPENSSL_malloc'ed. */
static int encode(CMS_ContentInfo *cms, unsigned char **der, size_t *len, const char *what,
		  struct swauth_error *err)
{
	int n = i2d_CMS_ContentInfo(cms, der);

	if (n <= 0)
		return swauth_error_set(err, -ENOMEM, "SCEP: cannot encode the %s", what);
	*len = (size_t)n;
	return 0;
}

/**
 * swpki_scep_msg_build() - sign a pkiMessage
 * @m: its type, transactionID, nonces, status and failInfo (-1: none) and
 *     content (the pkcsPKIEnvelope; none when @m->content_len is 0)
 * @signer: the certificate of @key, included in the message
 * @key: signs
 * @md: the digest (SHA-256, or SHA-1 for a CA that offers nothing else)
 * @der: receives the message, OPENSSL_malloc'ed
 * @len: its length
 * @err: why it failed
 *
 * Return: 0, -ENOMEM, or -EINVAL when OpenSSL refuses the key or digest.
 */
int swpki_scep_msg_build(const struct swpki_scep_msg *m, X509 *signer, EVP_PKEY *key,
			 const EVP_MD *md, unsigned char **der, size_t *len,
			 struct swauth_error *err)
{
	unsigned int flags = CMS_BINARY | CMS_PARTIAL;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	char why[256];
	BIO *in = NULL;
	int ret = -EINVAL;

	*der = NULL;
	*len = 0;
	if (!m->content_len)
		flags |= CMS_DETACHED;
	cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	si = cms ? CMS_add1_signer(cms, signer, key, md, CMS_BINARY | CMS_NOSMIMECAP) : NULL;
	if (!si) {
		swauth_error_set(err, -EINVAL, "SCEP: cannot sign with this key: %s",
				 swauth_ossl_reason(why, sizeof(why)));
		goto out;
	}
	ret = add_attrs(si, m);
	if (ret) {
		swauth_error_set(err, ret, "SCEP: out of memory");
		goto out;
	}
	in = BIO_new_mem_buf(m->content_len ? m->content : (const unsigned char *)"",
			     (int)m->content_len);
	if (!in || !CMS_final(cms, in, NULL, CMS_BINARY)) {
		ret = swauth_error_set(err, -EINVAL, "SCEP: cannot sign the message: %s",
				       swauth_ossl_reason(why, sizeof(why)));
		goto out;
	}
	ret = encode(cms, der, len, "message", err);
out:
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	return ret;
}

/* A signed attribute's one value of @type, or NULL. */
static const ASN1_STRING *get_attr(CMS_SignerInfo *si, const char *oid, int type)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	int idx = obj ? CMS_signed_get_attr_by_OBJ(si, obj, -1) : -1;
	X509_ATTRIBUTE *a = idx >= 0 ? CMS_signed_get_attr(si, idx) : NULL;
	ASN1_TYPE *t = a && X509_ATTRIBUTE_count(a) == 1 ? X509_ATTRIBUTE_get0_type(a, 0) : NULL;

	ASN1_OBJECT_free(obj);
	return t && t->type == type ? t->value.asn1_string : NULL;
}

/* A PrintableString of 1 to 3 decimal digits, or -1. */
static int get_number(CMS_SignerInfo *si, const char *oid)
{
	const ASN1_STRING *s = get_attr(si, oid, V_ASN1_PRINTABLESTRING);
	const unsigned char *p;
	int i, n = 0;

	if (!s || s->length < 1 || s->length > 3)
		return -1;
	for (i = 0, p = ASN1_STRING_get0_data(s); i < s->length; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		n = n * 10 + (p[i] - '0');
	}
	return n;
}

static bool get_nonce(CMS_SignerInfo *si, const char *oid, unsigned char *nonce)
{
	const ASN1_STRING *s = get_attr(si, oid, V_ASN1_OCTET_STRING);

	if (!s || s->length != SWPKI_SCEP_NONCE_LEN)
		return false;
	memcpy(nonce, ASN1_STRING_get0_data(s), SWPKI_SCEP_NONCE_LEN);
	return true;
}

static int read_attrs(CMS_SignerInfo *si, struct swpki_scep_msg *m, struct swauth_error *err)
{
	const ASN1_STRING *txid = get_attr(si, OID_TRANSACTION_ID, V_ASN1_PRINTABLESTRING);
	int type = get_number(si, OID_MESSAGE_TYPE);
	int i;

	if (type < 0)
		return swauth_error_set(err, -EPROTO, "SCEP: the message has no valid messageType");
	m->type = (enum swpki_scep_msg_type)type;
	if (!txid || !txid->length || txid->length > SWPKI_SCEP_TXID_MAX)
		return swauth_error_set(err, -EPROTO,
					"SCEP: the message has no valid transactionID");
	for (i = 0; i < txid->length; i++)
		if (txid->data[i] < 0x20 || txid->data[i] > 0x7e)
			return swauth_error_set(err, -EPROTO,
						"SCEP: the message's transactionID is not printable");
	memcpy(m->txid, txid->data, (size_t)txid->length);
	m->txid[txid->length] = '\0';
	m->has_sender_nonce = get_nonce(si, OID_SENDER_NONCE, m->sender_nonce);
	m->has_recipient_nonce = get_nonce(si, OID_RECIPIENT_NONCE, m->recipient_nonce);
	m->status = get_number(si, OID_PKI_STATUS);
	m->fail_info = get_number(si, OID_FAIL_INFO);
	return 0;
}

/* The verified content into @m, OPENSSL_malloc'ed. */
static int take_content(BIO *out, struct swpki_scep_msg *m, struct swauth_error *err)
{
	char *data;
	long n = BIO_get_mem_data(out, &data);

	if (n <= 0)
		return 0;
	m->content = OPENSSL_memdup(data, (size_t)n);
	if (!m->content)
		return swauth_error_set(err, -ENOMEM, "SCEP: out of memory");
	m->content_len = (size_t)n;
	return 0;
}

/*
 * The one signer of @cms, which must be @signer when given. Returns its
 * certificate (@signer, or the one the message holds), or NULL with @err.
 */
static X509 *find_signer(CMS_ContentInfo *cms, X509 *signer, CMS_SignerInfo **si,
			 struct swauth_error *err)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	X509 *cert = NULL;

	if (!sis || sk_CMS_SignerInfo_num(sis) != 1) {
		swauth_error_set(err, -EPROTO, "SCEP: the message has %d signers, not one",
				 sis ? sk_CMS_SignerInfo_num(sis) : 0);
		return NULL;
	}
	*si = sk_CMS_SignerInfo_value(sis, 0);
	if (signer) {
		if (CMS_SignerInfo_cert_cmp(*si, signer)) {
			swauth_error_set(err, -EBADMSG,
					 "SCEP: the reply is not signed by the CA's (or RA's) signing certificate: refused");
			return NULL;
		}
		return signer;
	}
	CMS_set1_signers_certs(cms, NULL, 0);
	CMS_SignerInfo_get0_algs(*si, NULL, &cert, NULL, NULL);
	if (!cert)
		swauth_error_set(err, -EBADMSG,
				 "SCEP: the message holds no certificate of its signer");
	return cert;
}

/**
 * swpki_scep_msg_parse() - verify and read a pkiMessage
 * @der: the message
 * @len: its length
 * @signer: the certificate that must have signed it (the CA's or RA's),
 *          or NULL: the one it holds (a CA reading a request)
 * @embedded: when not NULL, receives the signer's certificate (a reference)
 * @m: receives its attributes and content; free with swpki_scep_msg_free()
 * @err: why it failed
 *
 * The message must be one SignedData with exactly one signer, whose
 * signature (and its messageDigest) verifies against @signer's key, with a
 * messageType and a printable transactionID. Missing nonces, status and
 * failInfo are left to the caller to judge (has_*, -1).
 *
 * Return: 0, -EPROTO (not a pkiMessage), -EBADMSG (bad or foreign
 * signature) or -ENOMEM.
 */
int swpki_scep_msg_parse(const unsigned char *der, size_t len, X509 *signer,
			 X509 **embedded, struct swpki_scep_msg *m, struct swauth_error *err)
{
	unsigned int flags = CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY;
	const unsigned char *p = der;
	STACK_OF(X509) *certs = NULL;
	ASN1_OCTET_STRING **content;
	CMS_ContentInfo *cms;
	BIO *out = NULL, *detached = NULL;
	CMS_SignerInfo *si = NULL;
	bool has_content;
	X509 *cert;
	char why[256];
	int ret = -EPROTO;

	memset(m, 0, sizeof(*m));
	m->status = m->fail_info = -1;
	if (embedded)
		*embedded = NULL;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	if (!cms || p != der + len || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		ERR_clear_error();
		swauth_error_set(err, -EPROTO,
				 "SCEP: the reply is not a pkiMessage (CMS SignedData, DER)");
		goto out;
	}
	cert = find_signer(cms, signer, &si, err);
	if (!cert) {
		ret = err->code;
		goto out;
	}
	certs = sk_X509_new_null();
	out = BIO_new(BIO_s_mem());
	content = CMS_get0_content(cms);
	has_content = content && *content;
	/* FAILURE and PENDING carry no content: the signature covers none. */
	if (!has_content)
		detached = BIO_new_mem_buf("", 0);
	if (!certs || !out || !sk_X509_push(certs, cert) || (!has_content && !detached)) {
		ret = swauth_error_set(err, -ENOMEM, "SCEP: out of memory");
		goto out;
	}
	if (CMS_verify(cms, certs, NULL, detached, out, flags | CMS_NOINTERN) != 1) {
		ret = swauth_error_set(err, -EBADMSG,
				       "SCEP: the message's signature does not verify: %s",
				       swauth_ossl_reason(why, sizeof(why)));
		goto out;
	}
	ret = read_attrs(si, m, err);
	if (!ret)
		ret = take_content(out, m, err);
	if (!ret && embedded && X509_up_ref(cert))
		*embedded = cert;
out:
	if (ret)
		swpki_scep_msg_free(m);
	sk_X509_free(certs);
	BIO_free(out);
	BIO_free(detached);
	CMS_ContentInfo_free(cms);
	return ret;
}

/* swpki_scep_msg_free() - free what swpki_scep_msg_parse() allocated */
void swpki_scep_msg_free(struct swpki_scep_msg *m)
{
	OPENSSL_free(m->content);
	m->content = NULL;
	m->content_len = 0;
}

static const char *const cipher_names[] = {
	[SWPKI_SCEP_AES256] = "AES-256-CBC",
	[SWPKI_SCEP_AES128] = "AES-128-CBC",
	[SWPKI_SCEP_DES3] = "DES-EDE3-CBC",
	[SWPKI_SCEP_DES] = "DES-CBC",
};

/**
 * swpki_scep_seal() - make a pkcsPKIEnvelope
 * @data: what it holds (a CSR, IssuerAndSubject, a degenerate PKCS#7, ...)
 * @len: its length
 * @recipient: the certificate whose key may open it (the CA's or RA's
 *             encryption certificate, or the requester's)
 * @cipher: the content encryption
 * @der: receives the EnvelopedData (a CMS ContentInfo, DER), OPENSSL_malloc'ed
 * @der_len: its length
 * @err: why it failed
 *
 * Return: 0, -ENOPROTOOPT (DES without the legacy provider), -EINVAL (a
 * recipient key that cannot encrypt) or -ENOMEM.
 */
int swpki_scep_seal(const unsigned char *data, size_t len, X509 *recipient,
		    enum swpki_scep_cipher cipher, unsigned char **der, size_t *der_len,
		    struct swauth_error *err)
{
	OSSL_PROVIDER *prov[2] = { NULL, NULL };
	STACK_OF(X509) *recips = NULL;
	CMS_ContentInfo *cms = NULL;
	EVP_CIPHER *c = NULL;
	BIO *in = NULL;
	char why[256];
	int ret;

	*der = NULL;
	*der_len = 0;
	if ((unsigned int)cipher > SWPKI_SCEP_DES)
		return swauth_error_set(err, -EINVAL, "SCEP: unknown cipher %d", (int)cipher);
	if (cipher == SWPKI_SCEP_DES) {
		ret = swpki_legacy_load(prov, "SCEP: DES-CBC", "use aes256, aes128 or 3des", err);
		if (ret)
			return ret;
	}
	c = EVP_CIPHER_fetch(NULL, cipher_names[cipher], NULL);
	if (!c) {
		ret = swauth_error_set(err, -ENOPROTOOPT, "SCEP: %s is not available: %s",
				       cipher_names[cipher], swauth_ossl_reason(why, sizeof(why)));
		goto out;
	}
	recips = sk_X509_new_null();
	in = BIO_new_mem_buf(data, (int)len);
	if (!recips || !in || !sk_X509_push(recips, recipient)) {
		ret = swauth_error_set(err, -ENOMEM, "SCEP: out of memory");
		goto out;
	}
	cms = CMS_encrypt(recips, in, c, CMS_BINARY);
	if (!cms) {
		ret = swauth_error_set(err, -EINVAL, "SCEP: cannot encrypt to this certificate: %s",
				       swauth_ossl_reason(why, sizeof(why)));
		goto out;
	}
	ret = encode(cms, der, der_len, "envelope", err);
out:
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	sk_X509_free(recips);
	EVP_CIPHER_free(c);
	swpki_legacy_unload(prov);
	return ret;
}

/*
 * The envelope's content-encryption algorithm, which must be one we use:
 * AES-CBC, 3DES, and DES only when @allow_des. PKCS#7's structures are
 * public where CMS's are not; the encoding is the same.
 */
static int check_cipher(const unsigned char *der, size_t len, bool allow_des,
			struct swauth_error *err)
{
	const unsigned char *p = der;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
	char name[80];
	int nid, ret = 0;

	if (!p7 || p != der + len || !PKCS7_type_is_enveloped(p7)) {
		ERR_clear_error();
		ret = swauth_error_set(err, -EPROTO,
				       "SCEP: the reply's pkcsPKIEnvelope is not a CMS EnvelopedData");
		goto out;
	}
	nid = OBJ_obj2nid(p7->d.enveloped->enc_data->algorithm->algorithm);
	switch (nid) {
	case NID_aes_128_cbc:
	case NID_aes_192_cbc:
	case NID_aes_256_cbc:
	case NID_des_ede3_cbc:
		break;
	case NID_des_cbc:
		if (!allow_des)
			ret = swauth_error_set(err, -ENOPROTOOPT,
					       "SCEP: the reply is encrypted with DES-CBC, which is taken only when asked for (cipher des, or accepting DES replies)");
		break;
	default:
		OBJ_obj2txt(name, sizeof(name), p7->d.enveloped->enc_data->algorithm->algorithm, 0);
		ret = swauth_error_set(err, -ENOPROTOOPT,
				       "SCEP: the reply is encrypted with an unknown algorithm (%s): refused",
				       name);
		break;
	}
out:
	PKCS7_free(p7);
	return ret;
}

/**
 * swpki_scep_open() - open a pkcsPKIEnvelope
 * @der: the EnvelopedData
 * @len: its length
 * @cert: the recipient's certificate (the one that signed the request)
 * @key: its key
 * @allow_des: DES-CBC is acceptable (through the legacy provider)
 * @out: receives the content, OPENSSL_malloc'ed
 * @out_len: its length
 * @err: why it failed
 *
 * Return: 0, -EPROTO (not an EnvelopedData), -ENOPROTOOPT (an algorithm
 * not in use, or DES without the legacy provider), -EBADMSG (our key does
 * not open it) or -ENOMEM.
 */
int swpki_scep_open(const unsigned char *der, size_t len, X509 *cert, EVP_PKEY *key,
		    bool allow_des, unsigned char **out, size_t *out_len,
		    struct swauth_error *err)
{
	OSSL_PROVIDER *prov[2] = { NULL, NULL };
	const unsigned char *p = der;
	CMS_ContentInfo *cms = NULL;
	BIO *bio = NULL;
	char why[256], *data;
	long n;
	int ret;

	*out = NULL;
	*out_len = 0;
	ret = check_cipher(der, len, allow_des, err);
	if (!ret && allow_des)
		ret = swpki_legacy_load(prov, "SCEP: DES-CBC", "use aes256, aes128 or 3des", err);
	if (ret)
		return ret;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	bio = BIO_new(BIO_s_mem());
	if (!cms || !bio) {
		ret = swauth_error_set(err, -ENOMEM, "SCEP: out of memory");
		goto out;
	}
	if (!CMS_decrypt(cms, key, cert, NULL, bio, CMS_BINARY)) {
		ret = swauth_error_set(err, -EBADMSG,
				       "SCEP: cannot open the reply with our key: %s",
				       swauth_ossl_reason(why, sizeof(why)));
		goto out;
	}
	n = BIO_get_mem_data(bio, &data);
	*out = n > 0 ? OPENSSL_memdup(data, (size_t)n) : NULL;
	if (!*out) {
		ret = swauth_error_set(err, n > 0 ? -ENOMEM : -EPROTO,
				       n > 0 ? "SCEP: out of memory" : "SCEP: the reply's envelope is empty");
		goto out;
	}
	*out_len = (size_t)n;
out:
	BIO_free(bio);
	CMS_ContentInfo_free(cms);
	swpki_legacy_unload(prov);
	return ret;
}
