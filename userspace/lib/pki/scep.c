// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The SCEP client (RFC 8894, lib/pki.h): GetCACaps, GetCACert, PKCSReq
 * and RenewalReq, polling with CertPoll (GetCertInitial) while the CA
 * says PENDING, and GetCRL, over HTTP(S) through libcurl. The messages
 * are scep-msg.c's.
 *
 * Every request goes to URL?operation=OP[&message=...]: GetCACaps and
 * GetCACert by GET, PKIOperation by POST when the CA offers
 * POSTPKIOperation, else by GET with the message in base64. A reply is
 * read into memory up to http->max_reply bytes and its Content-Type must be
 * the operation's; no redirect is followed (the CA's URL is configured and
 * its certificate fingerprint checked against it).
 *
 * Requests are signed by the requester: with a transient self-signed
 * certificate of the key to certify (PKCSReq), or with the current
 * certificate and its key (RenewalReq), and the CA encrypts its reply to
 * that certificate.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "lib/pki.h"
#include "lib/xfer.h"

#define DEFAULT_PATH "/cgi-bin/pkiclient.exe"
#define USER_AGENT "swpki (swauth SCEP client)"
#define TYPE_PKI_MESSAGE "application/x-pki-message"

/* The CA's URL, checked, with IOS's default path when it has none. */
static char *base_url(const char *url, struct swauth_error *err)
{
	struct swauth_url u;
	struct swauth_error why;
	size_t len;
	char *s;

	if (!url || swauth_url_parse(url, &u, &why)) {
		swauth_error_set(err, -EINVAL, "SCEP URL: %s", url ? why.msg : "not set");
		return NULL;
	}
	if ((u.scheme != SWAUTH_URL_HTTP && u.scheme != SWAUTH_URL_HTTPS) || !u.host[0]) {
		swauth_error_set(err, -EINVAL,
				 "SCEP URL: must be http://HOST[:PORT][/PATH] or https://");
		return NULL;
	}
	if (u.has_user || strpbrk(url, "?#")) {
		swauth_error_set(err, -EINVAL,
				 "SCEP URL: must not hold a user, a query (?) or a fragment (#)");
		return NULL;
	}
	len = strlen(url);
	while (len && url[len - 1] == '/')
		len--;
	if (asprintf(&s, "%.*s%s", (int)len, url, u.path[0] && strcmp(u.path, "/") ? "" :
		     DEFAULT_PATH) < 0) {
		swauth_error_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	return s;
}

struct request {
	const char *url;
	const struct swpki_scep_http *http;
	const char *op;
	const char *message;		/* GET: the message parameter, or NULL */
	const unsigned char *body;	/* POST, or NULL */
	size_t body_len;
	const char *const *types;	/* acceptable Content-Types, NULL-ended */
};

/*
 * One HTTP exchange (swauth_http_exchange()). Returns 0 with the reply's
 * body in @r (swauth_http_reply_free() it) and its Content-Type's index in
 * @type.
 */
static int exchange(const struct request *q, struct swauth_http_reply *r, size_t *type,
		    struct swauth_error *err)
{
	static const struct swpki_scep_http defaults;
	const struct swpki_scep_http *h = q->http ? q->http : &defaults;
	struct swauth_http_opts o = {
		.timeout_ms = h->timeout_ms ? h->timeout_ms : SWPKI_SCEP_TIMEOUT_MS,
		.max_reply = h->max_reply ? h->max_reply : SWPKI_SCEP_REPLY_MAX,
		.source_iface = h->source_iface,
		.vrf = h->vrf,
		.ca_file = h->ca_file,
		.what = "SCEP CA",
		.user_agent = USER_AGENT,
	};
	struct swauth_http_req req = {
		.body = q->body, .body_len = q->body_len, .content_type = TYPE_PKI_MESSAGE,
	};
	char *base, *full = NULL, *esc = NULL, host[SWAUTH_URL_HOST_MAX], shown[128];
	struct swauth_url u;
	int ret;

	memset(r, 0, sizeof(*r));
	base = base_url(q->url, err);
	if (!base)
		return err->code;
	swauth_url_parse(q->url, &u, err);
	snprintf(host, sizeof(host), "%s", u.host);
	if (q->message)
		esc = curl_easy_escape(NULL, q->message, 0);
	if ((q->message && !esc) ||
	    asprintf(&full, "%s?operation=%s%s%s", base, q->op, esc ? "&message=" : "",
		     esc ? esc : "") < 0) {
		full = NULL;
		ret = swauth_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	req.url = full;
	ret = swauth_http_exchange(&req, &o, r, err);
	if (ret)
		goto out;
	if (r->status != 200) {
		ret = swauth_error_set(err, -EIO, "SCEP CA %s: %s: HTTP status %ld", host, q->op,
				       r->status);
		goto out;
	}
	for (*type = 0; q->types[*type]; (*type)++)
		if (swauth_http_type_is(r->content_type, q->types[*type]))
			break;
	if (!q->types[*type])
		ret = swauth_error_set(err, -EPROTO,
				       "SCEP CA %s: %s: the reply's Content-Type is \"%s\", not %s: refused",
				       host, q->op,
				       swauth_escape(shown, sizeof(shown), r->content_type, SIZE_MAX),
				       q->types[0]);
out:
	if (ret)
		swauth_http_reply_free(r);
	curl_free(esc);
	free(full);
	free(base);
	return ret;
}

/**
 * swpki_scep_getcacaps() - ask the CA what it can do (GetCACaps)
 * @url: the CA's URL
 * @http: how to reach it; NULL: the defaults
 * @caps: receives the capabilities it lists (unknown ones are ignored)
 * @err: why it failed
 *
 * Return: 0, or an error listed in lib/pki.h.
 */
int swpki_scep_getcacaps(const char *url, const struct swpki_scep_http *http,
			 struct swpki_scep_caps *caps, struct swauth_error *err)
{
	static const char *const types[] = { "text/plain", NULL };
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
		{ "POSTPKIOperation", offsetof(struct swpki_scep_caps, post) },
		{ "SHA-256", offsetof(struct swpki_scep_caps, sha256) },
		{ "SHA-1", offsetof(struct swpki_scep_caps, sha1) },
		{ "AES", offsetof(struct swpki_scep_caps, aes) },
		{ "DES3", offsetof(struct swpki_scep_caps, des3) },
		{ "Renewal", offsetof(struct swpki_scep_caps, renewal) },
		{ "GetNextCACert", offsetof(struct swpki_scep_caps, next_ca) },
		{ "SCEPStandard", offsetof(struct swpki_scep_caps, standard) },
	};
	struct request q = { .url = url, .http = http, .op = "GetCACaps", .types = types };
	struct swauth_http_reply r;
	size_t type, i, pos = 0, len;
	int ret;

	memset(caps, 0, sizeof(*caps));
	ret = exchange(&q, &r, &type, err);
	if (ret)
		return ret;
	while (pos < r.len) {
		const char *line = (const char *)r.data + pos;

		for (len = 0; pos + len < r.len && line[len] != '\n' && line[len] != '\r'; len++)
			;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (len == strlen(names[i].name) && !strncasecmp(line, names[i].name, len))
				*(bool *)((char *)caps + names[i].off) = true;
		pos += len + 1;
	}
	/* RFC 8894 section 3.5.2: SCEPStandard means AES, SHA-256 and POST. */
	if (caps->standard)
		caps->aes = caps->sha256 = caps->post = true;
	swauth_http_reply_free(&r);
	return 0;
}

static bool is_ca(X509 *x)
{
	return X509_check_ca(x) > 0;
}

/* The RA certificate of @certs with key usage @usage; -EKEYREJECTED when none has it. */
static int pick_ra(STACK_OF(X509) *certs, X509 *ca, uint32_t usage, const char *usage_name,
		   X509 **ra, struct swauth_error *err)
{
	char name[256];
	X509 *x, *without = NULL;
	int i;

	*ra = NULL;
	for (i = 0; i < sk_X509_num(certs); i++) {
		x = sk_X509_value(certs, i);
		if (is_ca(x))
			continue;
		if (X509_check_issued(ca, x) != X509_V_OK)
			continue;
		if (X509_get_key_usage(x) & usage) {
			*ra = x;
			return X509_up_ref(x) ? 0 : -ENOMEM;
		}
		without = x;
	}
	if (!without)
		return 0;
	X509_NAME_oneline(X509_get_subject_name(without), name, sizeof(name));
	return swauth_error_set(err, -EKEYREJECTED,
				"SCEP: the RA certificate %s lacks key usage %s: refused", name,
				usage_name);
}

/* The CA of an x-x509-ca-ra-cert reply: the issuer of the RA, or the last of a chain. */
static X509 *find_ca(STACK_OF(X509) *certs)
{
	X509 *x, *y, *ca = NULL;
	bool issues_ca;
	int i, j;

	for (i = 0; i < sk_X509_num(certs); i++) {
		x = sk_X509_value(certs, i);
		if (!is_ca(x))
			continue;
		issues_ca = false;
		for (j = 0; j < sk_X509_num(certs); j++) {
			y = sk_X509_value(certs, j);
			if (y == x || X509_check_issued(x, y) != X509_V_OK)
				continue;
			if (!is_ca(y))
				return x;
			issues_ca = true;
		}
		if (!issues_ca)
			ca = x;
	}
	return ca;
}

static int ca_ra_certs(const struct swauth_http_reply *r, STACK_OF(X509) **certs, X509 **ca, X509 **ra_sign,
		       X509 **ra_encr, struct swauth_error *err)
{
	const unsigned char *p = r->data;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)r->len);
	STACK_OF(X509) *in;
	int ret;

	if (!p7 || p != r->data + r->len || !PKCS7_type_is_signed(p7) || !p7->d.sign->cert ||
	    !sk_X509_num(p7->d.sign->cert)) {
		ERR_clear_error();
		PKCS7_free(p7);
		return swauth_error_set(err, -EPROTO,
					"SCEP: GetCACert: the reply is not a certificates-only PKCS#7");
	}
	in = p7->d.sign->cert;
	*ca = find_ca(in);
	if (!*ca) {
		PKCS7_free(p7);
		return swauth_error_set(err, -EPROTO,
					"SCEP: GetCACert: no CA certificate in the reply");
	}
	X509_up_ref(*ca);
	ret = pick_ra(in, *ca, KU_DIGITAL_SIGNATURE, "digitalSignature", ra_sign, err);
	if (!ret)
		ret = pick_ra(in, *ca, KU_KEY_ENCIPHERMENT, "keyEncipherment", ra_encr, err);
	if (!ret && !*ra_sign != !*ra_encr)
		ret = swauth_error_set(err, -EKEYREJECTED,
				       "SCEP: GetCACert: the RA has a %s certificate but no %s one: refused",
				       *ra_sign ? "signing" : "encryption",
				       *ra_sign ? "encryption" : "signing");
	if (!ret) {
		*certs = X509_chain_up_ref(in);
		if (!*certs)
			ret = swauth_error_set(err, -ENOMEM, "out of memory");
	}
	PKCS7_free(p7);
	return ret;
}

/**
 * swpki_scep_getcacert() - fetch the CA's certificates (GetCACert)
 * @url: the CA's URL
 * @http: how to reach it; NULL: the defaults
 * @identifier: the message parameter (a CA name), or NULL
 * @certs: receives every certificate the CA sent
 * @ca: receives the CA certificate
 * @ra_sign: receives the RA's signing certificate (keyUsage
 *           digitalSignature), or NULL when there is no RA
 * @ra_encr: receives the RA's encryption certificate (keyEncipherment),
 *           possibly the same, or NULL when there is no RA
 * @err: why it failed
 *
 * A reply of type application/x-x509-ca-cert is one DER certificate, the
 * CA's; application/x-x509-ca-ra-cert is a certificates-only PKCS#7 with
 * the CA (the issuer of the RA certificates, or the last CA of a chain)
 * and RA certificates issued by it. An RA certificate without a keyUsage
 * extension serves both purposes. The certificates are not trusted by
 * this: the caller checks the CA's fingerprint.
 *
 * Return: 0, or an error listed in lib/pki.h; -EKEYREJECTED when the RA
 * has no certificate with the key usage needed.
 */
int swpki_scep_getcacert(const char *url, const struct swpki_scep_http *http,
			 const char *identifier, STACK_OF(X509) **certs, X509 **ca,
			 X509 **ra_sign, X509 **ra_encr, struct swauth_error *err)
{
	static const char *const types[] = { "application/x-x509-ca-cert",
					     "application/x-x509-ca-ra-cert", NULL };
	struct request q = { .url = url, .http = http, .op = "GetCACert",
			     .message = identifier && identifier[0] ? identifier : NULL,
			     .types = types };
	const unsigned char *p;
	struct swauth_http_reply r;
	size_t type;
	int ret;

	*certs = NULL;
	*ca = *ra_sign = *ra_encr = NULL;
	ret = exchange(&q, &r, &type, err);
	if (ret)
		return ret;
	if (type == 0) {
		p = r.data;
		*ca = d2i_X509(NULL, &p, (long)r.len);
		if (!*ca || p != r.data + r.len) {
			ERR_clear_error();
			ret = swauth_error_set(err, -EPROTO,
					       "SCEP: GetCACert: the reply is not one DER certificate");
		} else if (!is_ca(*ca)) {
			ret = swauth_error_set(err, -EKEYREJECTED,
					       "SCEP: GetCACert: the certificate is not a CA's: refused");
		} else {
			*certs = sk_X509_new_null();
			if (!*certs || !X509_up_ref(*ca) || !sk_X509_push(*certs, *ca))
				ret = swauth_error_set(err, -ENOMEM, "out of memory");
		}
	} else {
		ret = ca_ra_certs(&r, certs, ca, ra_sign, ra_encr, err);
	}
	swauth_http_reply_free(&r);
	if (ret) {
		sk_X509_pop_free(*certs, X509_free);
		X509_free(*ca);
		X509_free(*ra_sign);
		X509_free(*ra_encr);
		*certs = NULL;
		*ca = *ra_sign = *ra_encr = NULL;
	}
	return ret;
}

/* One transaction's state. */
struct txn {
	const struct swpki_scep_enroll *e;
	X509 *signer;		/* signs our messages; the CA encrypts to it */
	EVP_PKEY *signer_key;
	X509 *own;		/* the transient certificate, when that is the signer */
	const EVP_MD *md;
	char txid[SWPKI_SCEP_TXID_MAX + 1];
};

/* A self-signed certificate of @key with @csr's subject, valid for a day. */
static X509 *transient_cert(EVP_PKEY *key, X509_REQ *csr)
{
	X509_NAME *name = X509_REQ_get_subject_name(csr);
	unsigned char serial[8];
	ASN1_INTEGER *sn = NULL;
	BIGNUM *bn = NULL;
	X509 *x = X509_new();
	bool ok;

	ok = x && RAND_bytes(serial, sizeof(serial)) == 1;
	serial[0] &= 0x7f;
	bn = ok ? BN_bin2bn(serial, sizeof(serial), NULL) : NULL;
	sn = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
	ok = sn && X509_set_version(x, X509_VERSION_3) && X509_set_serialNumber(x, sn) &&
	     X509_set_subject_name(x, name) && X509_set_issuer_name(x, name) &&
	     X509_gmtime_adj(X509_getm_notBefore(x), -300) &&
	     X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600) && X509_set_pubkey(x, key) &&
	     X509_sign(x, key, EVP_sha256()) > 0;
	ASN1_INTEGER_free(sn);
	BN_free(bn);
	if (!ok) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* A DER SEQUENCE of two DER values, OPENSSL_malloc'ed. */
static unsigned char *seq2(const unsigned char *a, int alen, const unsigned char *b, int blen,
			   size_t *len)
{
	size_t body = (size_t)alen + (size_t)blen, hdr = body < 0x80 ? 2 : body < 0x100 ? 3 :
			body < 0x10000 ? 4 : 5, i;
	unsigned char *p = OPENSSL_malloc(hdr + body);

	if (!p)
		return NULL;
	p[0] = 0x30;
	if (hdr == 2)
		p[1] = (unsigned char)body;
	else
		p[1] = (unsigned char)(0x80 | (hdr - 2));
	for (i = 2; i < hdr; i++)
		p[i] = (unsigned char)(body >> (8 * (hdr - 1 - i)));
	memcpy(p + hdr, a, (size_t)alen);
	memcpy(p + hdr + alen, b, (size_t)blen);
	*len = hdr + body;
	return p;
}

/* IssuerAndSubject (CertPoll) or IssuerAndSerialNumber (GetCRL). */
static unsigned char *issuer_and(const X509_NAME *issuer, const X509_NAME *subject,
				 const ASN1_INTEGER *serial, size_t *len)
{
	unsigned char *a = NULL, *b = NULL, *p;
	int alen = i2d_X509_NAME(issuer, &a);
	int blen = subject ? i2d_X509_NAME(subject, &b) : i2d_ASN1_INTEGER(serial, &b);

	p = alen > 0 && blen > 0 ? seq2(a, alen, b, blen, len) : NULL;
	OPENSSL_free(a);
	OPENSSL_free(b);
	return p;
}

static const char *const fail_names[] = {
	[SWPKI_SCEP_BADALG] = "badAlg (unsupported algorithm)",
	[SWPKI_SCEP_BADMESSAGECHECK] = "badMessageCheck (integrity check failed: a wrong challenge password?)",
	[SWPKI_SCEP_BADREQUEST] = "badRequest (transaction not permitted or supported)",
	[SWPKI_SCEP_BADTIME] = "badTime (signingTime too far from the CA's clock)",
	[SWPKI_SCEP_BADCERTID] = "badCertId (no certificate matches)",
};

/* The reply must be ours: a CertRep to our transactionID and nonce, with a known status. */
static int check_reply(const struct txn *t, const struct swpki_scep_msg *req,
		       const struct swpki_scep_msg *rep, struct swauth_error *err)
{
	if (rep->type != SWPKI_SCEP_CERTREP)
		return swauth_error_set(err, -EPROTO,
					"SCEP: the reply's messageType is %d, not CertRep (3): refused",
					(int)rep->type);
	if (strcmp(rep->txid, t->txid))
		return swauth_error_set(err, -EPROTO,
					"SCEP: the reply's transactionID is not ours (%.70s): refused",
					rep->txid);
	if (!rep->has_recipient_nonce ||
	    memcmp(rep->recipient_nonce, req->sender_nonce, SWPKI_SCEP_NONCE_LEN))
		return swauth_error_set(err, -EPROTO,
					"SCEP: the reply's recipientNonce is not our senderNonce (a replayed reply?): refused");
	switch (rep->status) {
	case SWPKI_SCEP_SUCCESS:
		if (!rep->content_len)
			return swauth_error_set(err, -EPROTO, "SCEP: SUCCESS without content");
		return 0;
	case SWPKI_SCEP_PENDING:
		return 0;
	case SWPKI_SCEP_FAILURE:
		if (rep->fail_info >= 0 && rep->fail_info <= SWPKI_SCEP_BADCERTID)
			return swauth_error_set(err, -EACCES,
						"SCEP: the CA refused the request: %s",
						fail_names[rep->fail_info]);
		return swauth_error_set(err, -EACCES,
					"SCEP: the CA refused the request (failInfo %d)",
					rep->fail_info);
	default:
		return swauth_error_set(err, -EPROTO, "SCEP: the reply has no valid pkiStatus (%d)",
					rep->status);
	}
}

/*
 * One PKIOperation: @inner sealed to the CA (or RA), signed, sent; the
 * reply verified and checked. Returns 0 with @rep SUCCESS or PENDING.
 */
static int operation(const struct txn *t, enum swpki_scep_msg_type type,
		     const unsigned char *inner, size_t inner_len, struct swpki_scep_msg *rep,
		     struct swauth_error *err)
{
	static const char *const types[] = { TYPE_PKI_MESSAGE, NULL };
	const struct swpki_scep_enroll *e = t->e;
	struct swpki_scep_msg req = { .type = type, .status = -1, .fail_info = -1,
				      .has_sender_nonce = true };
	struct request q = { .url = e->url, .http = e->http, .op = "PKIOperation",
			     .types = types };
	unsigned char *env = NULL, *der = NULL;
	size_t env_len, der_len, type_idx;
	char *b64 = NULL;
	struct swauth_http_reply r;
	int ret;

	memset(rep, 0, sizeof(*rep));
	memcpy(req.txid, t->txid, sizeof(req.txid));
	if (RAND_bytes(req.sender_nonce, SWPKI_SCEP_NONCE_LEN) != 1)
		return swauth_error_set(err, -EIO, "SCEP: no random bytes for the nonce");
	ret = swpki_scep_seal(inner, inner_len, e->ra_encr ? e->ra_encr : e->ca, e->cipher, &env,
			      &env_len, err);
	if (ret)
		return ret;
	req.content = env;
	req.content_len = env_len;
	ret = swpki_scep_msg_build(&req, t->signer, t->signer_key, t->md, &der, &der_len, err);
	if (ret)
		goto out;
	if (e->caps && e->caps->post) {
		q.body = der;
		q.body_len = der_len;
	} else {
		b64 = malloc(4 * ((der_len + 2) / 3) + 1);
		if (!b64) {
			ret = swauth_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
		EVP_EncodeBlock((unsigned char *)b64, der, (int)der_len);
		q.message = b64;
	}
	ret = exchange(&q, &r, &type_idx, err);
	if (ret)
		goto out;
	ret = swpki_scep_msg_parse(r.data, r.len, e->ra_sign ? e->ra_sign : e->ca, NULL, rep,
				   err);
	if (!ret)
		ret = check_reply(t, &req, rep, err);
	if (ret)
		swpki_scep_msg_free(rep);
out:
	swauth_http_reply_free(&r);
	free(b64);
	OPENSSL_free(der);
	OPENSSL_free(env);
	return ret;
}

/* The certificates-only PKCS#7 in a SUCCESS reply's envelope. */
static PKCS7 *degenerate(const struct txn *t, const struct swpki_scep_msg *rep,
			 struct swauth_error *err)
{
	unsigned char *data;
	const unsigned char *p;
	size_t len;
	PKCS7 *p7;

	if (swpki_scep_open(rep->content, rep->content_len, t->signer, t->signer_key,
			    t->e->cipher == SWPKI_SCEP_DES || t->e->accept_des, &data, &len, err))
		return NULL;
	p = data;
	p7 = d2i_PKCS7(NULL, &p, (long)len);
	if (!p7 || p != data + len || !PKCS7_type_is_signed(p7)) {
		ERR_clear_error();
		PKCS7_free(p7);
		p7 = NULL;
		swauth_error_set(err, -EPROTO,
				 "SCEP: the reply's envelope does not hold a certificates-only PKCS#7");
	}
	OPENSSL_free(data);
	return p7;
}

static int txn_init(struct txn *t, const struct swpki_scep_enroll *e, X509 *signer,
		    EVP_PKEY *signer_key, struct swauth_error *err)
{
	memset(t, 0, sizeof(*t));
	t->e = e;
	if (!e->url || !e->ca || !e->key)
		return swauth_error_set(err, -EINVAL,
					"SCEP: the URL, CA certificate and key are needed");
	t->md = e->caps && !e->caps->sha256 && e->caps->sha1 ? EVP_sha1() : EVP_sha256();
	swpki_scep_txid(e->key, t->txid);
	t->signer = signer;
	t->signer_key = signer_key;
	return t->txid[0] ? 0 : swauth_error_set(err, -EINVAL, "SCEP: unusable key");
}

static void pause_s(unsigned int s)
{
	struct timespec ts = { .tv_sec = s };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Polls while PENDING: CertPoll with the same transactionID. */
static int poll(const struct txn *t, struct swpki_scep_msg *rep, struct swauth_error *err)
{
	const struct swpki_scep_enroll *e = t->e;
	unsigned char *inner;
	unsigned int n;
	size_t len;
	int ret = 0;

	inner = issuer_and(X509_get_subject_name(e->ca), X509_REQ_get_subject_name(e->csr), NULL,
			   &len);
	if (!inner)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	for (n = 1; rep->status == SWPKI_SCEP_PENDING; n++) {
		if (n > e->retry_count) {
			ret = swauth_error_set(err, -EINPROGRESS,
					       "SCEP: the request is still pending after %u polls every %u s (transaction %.16s...)",
					       e->retry_count, e->retry_period_s, t->txid);
			break;
		}
		if (e->pending)
			e->pending(e->arg, n, e->retry_count);
		pause_s(e->retry_period_s);
		swpki_scep_msg_free(rep);
		ret = operation(t, SWPKI_SCEP_CERTPOLL, inner, len, rep, err);
		if (ret)
			break;
	}
	OPENSSL_free(inner);
	return ret;
}

/* The issued certificate: the one in the reply whose public key is ours. */
static int take_cert(const struct txn *t, const struct swpki_scep_msg *rep, X509 **cert,
		     struct swauth_error *err)
{
	PKCS7 *p7 = degenerate(t, rep, err);
	STACK_OF(X509) *certs;
	X509 *x;
	int i;

	if (!p7)
		return err->code;
	certs = p7->d.sign->cert;
	for (i = 0; i < sk_X509_num(certs); i++) {
		x = sk_X509_value(certs, i);
		if (EVP_PKEY_eq(X509_get0_pubkey(x), t->e->key) == 1 && X509_up_ref(x)) {
			*cert = x;
			break;
		}
	}
	PKCS7_free(p7);
	if (!*cert)
		return swauth_error_set(err, -EPROTO,
					"SCEP: the CA's reply holds no certificate for our key: refused");
	return 0;
}

/**
 * swpki_scep_enroll() - get a certificate for a key (PKCSReq or RenewalReq)
 * @e: the CA, the key and its request, the cipher and the polling
 * @cert: receives the issued certificate, whose public key is e->key's
 * @err: why it failed
 *
 * The request is signed with a transient self-signed certificate of
 * e->key (PKCSReq), or with e->renew_cert and e->renew_key (RenewalReq,
 * which the CA must offer), and the reply must be the CA's (or RA's):
 * see lib/pki.h. While the CA answers PENDING, CertPoll is sent every
 * e->retry_period_s seconds, e->retry_count times at most.
 *
 * Return: 0, or an error listed in lib/pki.h: -EACCES when the CA
 * refused, -EINPROGRESS when it was still pending after the last poll,
 * -EOPNOTSUPP for a renewal the CA does not offer.
 */
int swpki_scep_enroll(const struct swpki_scep_enroll *e, X509 **cert, struct swauth_error *err)
{
	struct swpki_scep_msg rep = { 0 };
	enum swpki_scep_msg_type type = SWPKI_SCEP_PKCSREQ;
	unsigned char *csr = NULL;
	X509 *own = NULL;
	struct txn t;
	int len, ret;

	*cert = NULL;
	if (!e->csr)
		return swauth_error_set(err, -EINVAL, "SCEP: no certificate request");
	if (e->renew_cert) {
		if (!e->renew_key)
			return swauth_error_set(err, -EINVAL,
						"SCEP: renewal needs the current certificate's key");
		if (e->caps && !e->caps->renewal)
			return swauth_error_set(err, -EOPNOTSUPP,
						"SCEP: the CA does not offer Renewal (GetCACaps): enroll anew");
		type = SWPKI_SCEP_RENEWALREQ;
		ret = txn_init(&t, e, e->renew_cert, e->renew_key, err);
	} else {
		own = e->key ? transient_cert(e->key, e->csr) : NULL;
		if (e->key && !own)
			return swauth_error_set(err, -EINVAL,
						"SCEP: cannot make the transient certificate for this key");
		ret = txn_init(&t, e, own, e->key, err);
	}
	if (ret)
		goto out;
	len = i2d_X509_REQ(e->csr, &csr);
	if (len <= 0) {
		ret = swauth_error_set(err, -EINVAL, "SCEP: cannot encode the certificate request");
		goto out;
	}
	ret = operation(&t, type, csr, (size_t)len, &rep, err);
	if (!ret)
		ret = poll(&t, &rep, err);
	if (!ret)
		ret = take_cert(&t, &rep, cert, err);
out:
	swpki_scep_msg_free(&rep);
	OPENSSL_free(csr);
	X509_free(own);
	return ret;
}

/**
 * swpki_scep_getcrl() - fetch the CRL that covers a certificate (GetCRL)
 * @e: the CA (url, http, caps, ca, ra_*, cipher) and e->key, the key of @cert
 * @cert: our certificate, issued by e->ca; signs the request
 * @crl: receives the CRL, its signature verified with e->ca's key
 * @err: why it failed
 *
 * Return: 0, or an error listed in lib/pki.h; -EBADMSG when the CRL's
 * signature is not the CA's.
 */
int swpki_scep_getcrl(const struct swpki_scep_enroll *e, X509 *cert, X509_CRL **crl,
		      struct swauth_error *err)
{
	struct swpki_scep_msg rep = { 0 };
	STACK_OF(X509_CRL) *crls;
	unsigned char *inner;
	PKCS7 *p7 = NULL;
	struct txn t;
	size_t len;
	int ret;

	*crl = NULL;
	ret = txn_init(&t, e, cert, e->key, err);
	if (ret)
		return ret;
	inner = issuer_and(X509_get_issuer_name(cert), NULL, X509_get0_serialNumber(cert), &len);
	if (!inner)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	ret = operation(&t, SWPKI_SCEP_GETCRL, inner, len, &rep, err);
	if (!ret && rep.status != SWPKI_SCEP_SUCCESS)
		ret = swauth_error_set(err, -EPROTO, "SCEP: GetCRL: the CA answered PENDING");
	if (!ret) {
		p7 = degenerate(&t, &rep, err);
		if (!p7)
			ret = err->code;
	}
	if (!ret) {
		crls = p7->d.sign->crl;
		if (sk_X509_CRL_num(crls) != 1)
			ret = swauth_error_set(err, -EPROTO,
					       "SCEP: GetCRL: the reply holds %d CRLs, not one",
					       sk_X509_CRL_num(crls));
		else if (X509_CRL_verify(sk_X509_CRL_value(crls, 0), X509_get0_pubkey(e->ca)) != 1)
			ret = swauth_error_set(err, -EBADMSG,
					       "SCEP: GetCRL: the CRL is not signed by the CA: refused");
		else if (!X509_CRL_up_ref(sk_X509_CRL_value(crls, 0)))
			ret = swauth_error_set(err, -ENOMEM, "out of memory");
		else
			*crl = sk_X509_CRL_value(crls, 0);
	}
	ERR_clear_error();
	PKCS7_free(p7);
	swpki_scep_msg_free(&rep);
	OPENSSL_free(inner);
	return ret;
}
