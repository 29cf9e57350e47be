// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * A look at a certificate before the kernel's X.509 parser gets it. The
 * parser (crypto/asymmetric_keys/x509_cert_parser.c) logs, without a rate
 * limit, when the signatureAlgorithm differs from tbsCertificate.signature
 * and when the AuthorityKeyIdentifier extension does not decode; the
 * PKCS#8 parser, tried after it, logs about a private key's version and
 * algorithm. A caller could fill the kernel log with one request each.
 * This walker refuses those certificates first, quietly, with explicit
 * bounds: the outer structure must be a Certificate, SEQUENCE {
 * tbsCertificate, signatureAlgorithm, signature }, spanning the input; the
 * two algorithm identifiers must be the same bytes (RFC 5280 4.1.1.2);
 * an AuthorityKeyIdentifier must be a SEQUENCE of [0], [1], [2] in that
 * order, each well formed, and its [1] directory names only, each a
 * Name. Definite lengths only, as DER has them.
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "swauth.h"

#define TAG_INTEGER 0x02
#define TAG_BIT_STRING 0x03
#define TAG_OCTET_STRING 0x04
#define TAG_OID 0x06
#define TAG_BOOLEAN 0x01
#define TAG_SEQUENCE 0x30
#define TAG_SET 0x31
#define TAG_VERSION 0xa0		/* [0] EXPLICIT */
#define TAG_ISSUER_UID 0x81		/* [1] IMPLICIT */
#define TAG_SUBJECT_UID 0x82		/* [2] IMPLICIT */
#define TAG_EXTENSIONS 0xa3		/* [3] EXPLICIT */
#define TAG_AKID_KEYID 0x80		/* [0] IMPLICIT OCTET STRING */
#define TAG_AKID_ISSUER 0xa1		/* [1] IMPLICIT GeneralNames */
#define TAG_AKID_SERIAL 0x82		/* [2] IMPLICIT INTEGER */
#define TAG_DIRECTORY_NAME 0xa4		/* GeneralName [4] Name */

/* id-ce-authorityKeyIdentifier, 2.5.29.35, as DER content bytes. */
static const u8 oid_akid[] = { 0x55, 0x1d, 0x23 };

/* A span of DER being read: p up to end. */
struct der {
	const u8 *p, *end;
};

/* One element: its tag, its content, and the whole element (TLV). */
struct tlv {
	u8 tag;
	struct der val;
	const u8 *start;
};

/*
 * Reads the next element of d into t. Single-byte tags; lengths in
 * short form or long form of at most three bytes (a certificate is at
 * most SWAUTH_CERT_MAX); never past d->end.
 */
static int der_next(struct der *d, struct tlv *t)
{
	size_t avail = d->end - d->p, len, n, i;

	if (avail < 2)
		return -EBADMSG;
	t->start = d->p;
	t->tag = d->p[0];
	if ((t->tag & 0x1f) == 0x1f)
		return -EBADMSG;
	len = d->p[1];
	n = 2;
	if (len & 0x80) {
		size_t bytes = len & 0x7f;

		if (!bytes || bytes > 3 || avail - n < bytes)
			return -EBADMSG;
		for (len = 0, i = 0; i < bytes; i++)
			len = len << 8 | d->p[n + i];
		n += bytes;
	}
	if (len > avail - n)
		return -EBADMSG;
	t->val.p = d->p + n;
	t->val.end = t->val.p + len;
	d->p = t->val.end;
	return 0;
}

/* The next element, which must have tag. */
static int der_expect(struct der *d, u8 tag, struct tlv *t)
{
	int ret = der_next(d, t);

	return ret ?: t->tag == tag ? 0 : -EBADMSG;
}

/* Whether the next element of d has tag, without moving. */
static bool der_peek(const struct der *d, u8 tag)
{
	return d->p < d->end && d->p[0] == tag;
}

/*
 * Name ::= SEQUENCE OF SET OF SEQUENCE { OBJECT IDENTIFIER, ANY }, the
 * whole of d.
 */
static int check_name(struct der d)
{
	struct tlv name, rdn, atv, t;
	int ret;

	ret = der_expect(&d, TAG_SEQUENCE, &name);
	if (ret || d.p != d.end)
		return -EBADMSG;
	while (name.val.p < name.val.end) {
		ret = der_expect(&name.val, TAG_SET, &rdn);
		if (ret)
			return ret;
		while (rdn.val.p < rdn.val.end) {
			ret = der_expect(&rdn.val, TAG_SEQUENCE, &atv);
			if (!ret)
				ret = der_expect(&atv.val, TAG_OID, &t);
			if (!ret)
				ret = der_next(&atv.val, &t);
			if (ret || atv.val.p != atv.val.end)
				return -EBADMSG;
		}
	}
	return 0;
}

/*
 * The authorityCertIssuer's GeneralNames: directory names only, each
 * holding a Name. The parser's grammar takes other choices with other
 * taggings than RFC 5280's and logs when one does not decode; an issuer
 * certificate is named by its directory name anyway.
 */
static int check_general_names(struct der d)
{
	struct tlv t;
	int ret;

	while (d.p < d.end) {
		ret = der_expect(&d, TAG_DIRECTORY_NAME, &t);
		if (!ret)
			ret = check_name(t.val);
		if (ret)
			return ret;
	}
	return 0;
}

/* The extnValue of an AuthorityKeyIdentifier, the OCTET STRING's content. */
static int check_akid(struct der v)
{
	static const u8 order[] = { TAG_AKID_KEYID, TAG_AKID_ISSUER,
				    TAG_AKID_SERIAL };
	struct tlv seq, t;
	unsigned int i = 0;
	int ret;

	ret = der_expect(&v, TAG_SEQUENCE, &seq);
	if (ret || v.p != v.end)
		return -EBADMSG;
	while (seq.val.p < seq.val.end) {
		ret = der_next(&seq.val, &t);
		if (ret)
			return ret;
		while (i < ARRAY_SIZE(order) && order[i] != t.tag)
			i++;
		if (i == ARRAY_SIZE(order))
			return -EBADMSG;
		i++;
		if (t.tag == TAG_AKID_ISSUER) {
			ret = check_general_names(t.val);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Extensions ::= SEQUENCE OF Extension, inside the [3] wrapper. */
static int check_extensions(struct der d)
{
	struct tlv seq, ext, oid, t;
	int ret;

	ret = der_expect(&d, TAG_SEQUENCE, &seq);
	if (ret || d.p != d.end)
		return -EBADMSG;
	while (seq.val.p < seq.val.end) {
		ret = der_expect(&seq.val, TAG_SEQUENCE, &ext);
		if (!ret)
			ret = der_expect(&ext.val, TAG_OID, &oid);
		if (!ret && der_peek(&ext.val, TAG_BOOLEAN))
			ret = der_expect(&ext.val, TAG_BOOLEAN, &t);
		if (!ret)
			ret = der_expect(&ext.val, TAG_OCTET_STRING, &t);
		if (ret || ext.val.p != ext.val.end)
			return -EBADMSG;
		if (oid.val.end - oid.val.p == sizeof(oid_akid) &&
		    !memcmp(oid.val.p, oid_akid, sizeof(oid_akid))) {
			ret = check_akid(t.val);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * tbsCertificate up to its signature field, which must equal sig_alg;
 * then issuer, validity, subject, subjectPublicKeyInfo, the optional
 * unique IDs and extensions, and nothing after them.
 */
static int check_tbs(struct der d, const struct tlv *sig_alg,
		     bool *algo_mismatch)
{
	struct tlv t;
	int i, ret;

	if (der_peek(&d, TAG_VERSION) && der_next(&d, &t))
		return -EBADMSG;
	ret = der_expect(&d, TAG_INTEGER, &t);
	if (!ret)
		ret = der_expect(&d, TAG_SEQUENCE, &t);
	if (ret)
		return ret;
	if (t.val.end - t.start != sig_alg->val.end - sig_alg->start ||
	    memcmp(t.start, sig_alg->start, t.val.end - t.start)) {
		*algo_mismatch = true;
		return -EBADMSG;
	}
	/* issuer, validity, subject, subjectPublicKeyInfo */
	for (i = 0; i < 4; i++) {
		ret = der_expect(&d, TAG_SEQUENCE, &t);
		if (ret)
			return ret;
	}
	if (der_peek(&d, TAG_ISSUER_UID) && der_next(&d, &t))
		return -EBADMSG;
	if (der_peek(&d, TAG_SUBJECT_UID) && der_next(&d, &t))
		return -EBADMSG;
	if (der_peek(&d, TAG_EXTENSIONS)) {
		ret = der_next(&d, &t);
		if (!ret)
			ret = check_extensions(t.val);
		if (ret)
			return ret;
	}
	return d.p == d.end ? 0 : -EBADMSG;
}

/**
 * swauth_cert_check() - refuse what the X.509 parser would log about
 * @der: a certificate from a request
 * @len: its size
 * @extack: where to say why it was refused
 *
 * Logs nothing: a request can be repeated at will.
 *
 * Return: 0 when the certificate may go to the parser, -EBADMSG when not.
 */
int swauth_cert_check(const u8 *der, u32 len, struct netlink_ext_ack *extack)
{
	bool algo_mismatch = false;
	struct der d = { der, der + len };
	struct tlv cert, tbs, sig_alg, sig;
	int ret;

	ret = der_expect(&d, TAG_SEQUENCE, &cert);
	if (!ret && d.p != d.end)
		ret = -EBADMSG;
	if (!ret)
		ret = der_expect(&cert.val, TAG_SEQUENCE, &tbs);
	if (!ret)
		ret = der_expect(&cert.val, TAG_SEQUENCE, &sig_alg);
	if (!ret)
		ret = der_expect(&cert.val, TAG_BIT_STRING, &sig);
	if (!ret && cert.val.p != cert.val.end)
		ret = -EBADMSG;
	if (!ret)
		ret = check_tbs(tbs.val, &sig_alg, &algo_mismatch);
	if (ret && algo_mismatch)
		NL_SET_ERR_MSG(extack,
			       "signature algorithm differs from tbsCertificate.signature");
	else if (ret)
		NL_SET_ERR_MSG(extack, "not a valid X.509 certificate");
	return ret;
}
