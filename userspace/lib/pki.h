/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The PKI client (swpki, swpkid): the store of keys, trustpoints and
 * certificates, and what reads and writes it. OpenSSL 3 throughout.
 */

#ifndef SWAUTH_LIB_PKI_H
#define SWAUTH_LIB_PKI_H

#include <limits.h>
#include <stdbool.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "lib/core.h"

/*
 * The store (pki/store.c): one directory, root's alone (0700, owned by the
 * caller or root, nobody else may write it), holding
 *
 *   keys/          the key pairs (pki/keystore.c)
 *   trustpoints/   one NAME.conf per trustpoint (pki/trustpoint.c)
 *   certs/         the certificates, NAME#SERIAL[CA].cer, unless the
 *                  store's configuration names another local directory
 *                  (pki/certstore.c)
 *
 * Its path is --dir, else the environment's SWPKI_DIR, else SWPKI_DIR
 * below. Opening never creates DIR itself: a store that is missing (a disk
 * not mounted) is an error, never an empty store. swpki_store_open() with
 * @create makes DIR's missing subdirectories, and DIR when its parent
 * exists.
 */
#define SWPKI_DIR "/var/lib/swauth/pki"

struct swpki_store {
	int dir_fd;			/* DIR, O_DIRECTORY; -1 when closed */
	int keys_fd;			/* DIR/keys */
	int tp_fd;			/* DIR/trustpoints */
	int certs_fd;			/* DIR/certs */
	char path[PATH_MAX];		/* DIR, for messages */
};

const char *swpki_store_path(const char *opt);
int swpki_store_open(struct swpki_store *s, const char *path, bool create,
		     struct swauth_error *err);
void swpki_store_close(struct swpki_store *s);

/*
 * SCEP (RFC 8894) enrollment: pki/scep-msg.c builds and reads the messages
 * (CMS SignedData around a CMS EnvelopedData), pki/scep.c talks HTTP to the
 * CA and runs the operations. It takes OpenSSL objects and a URL and keeps
 * nothing: storing keys and certificates is the caller's.
 *
 * @url is the CA's http:// or https:// URL without a query; a URL without
 * a path gets /cgi-bin/pkiclient.exe, as IOS does. Every reply is checked:
 * HTTP status 200, the Content-Type of the operation, at most
 * http->max_reply bytes, and for a CertRep its signature by the CA (or the
 * RA's signing certificate), messageType, transactionID and recipientNonce.
 *
 * Errors (negative errno, @err says what to do):
 *   -EINVAL        an unusable argument (URL, missing certificate)
 *   -ECONNREFUSED, -EHOSTUNREACH, -ETIMEDOUT  the CA cannot be reached or
 *                  did not answer within http->timeout_ms
 *   -EIO           an HTTP error status
 *   -EPROTO        a reply that breaks the protocol: Content-Type, size,
 *                  garbage, a wrong transactionID or nonce, no certificate
 *                  for our key
 *   -EBADMSG       a reply whose signature does not verify against the CA
 *   -EKEYREJECTED  an RA certificate without the key usage it needs, or an
 *                  https CA whose certificate is not trusted
 *   -ENOPROTOOPT   an encryption algorithm not in use (unknown, or DES
 *                  when DES was not asked for), or DES without OpenSSL's
 *                  legacy provider
 *   -EACCES        the CA refused the request (FAILURE, failInfo named)
 *   -EINPROGRESS   still PENDING after the last poll
 *   -EOPNOTSUPP    a RenewalReq to a CA that does not offer Renewal
 */
enum swpki_scep_msg_type {
	SWPKI_SCEP_CERTREP = 3,
	SWPKI_SCEP_RENEWALREQ = 17,
	SWPKI_SCEP_PKCSREQ = 19,
	SWPKI_SCEP_CERTPOLL = 20,	/* GetCertInitial */
	SWPKI_SCEP_GETCERT = 21,
	SWPKI_SCEP_GETCRL = 22,
};

enum swpki_scep_status {
	SWPKI_SCEP_SUCCESS = 0,
	SWPKI_SCEP_FAILURE = 2,
	SWPKI_SCEP_PENDING = 3,
};

enum swpki_scep_fail_info {
	SWPKI_SCEP_BADALG = 0,
	SWPKI_SCEP_BADMESSAGECHECK = 1,
	SWPKI_SCEP_BADREQUEST = 2,
	SWPKI_SCEP_BADTIME = 3,
	SWPKI_SCEP_BADCERTID = 4,
};

/* The pkcsPKIEnvelope's content encryption; DES only when asked for. */
enum swpki_scep_cipher {
	SWPKI_SCEP_AES256,		/* the default */
	SWPKI_SCEP_AES128,
	SWPKI_SCEP_DES3,
	SWPKI_SCEP_DES,			/* OpenSSL's legacy provider */
};

enum {
	SWPKI_SCEP_NONCE_LEN = 16,
	SWPKI_SCEP_TXID_MAX = 128,	/* ours: 64 hex digits */
	SWPKI_SCEP_REPLY_MAX = 256 * 1024,	/* the default bound of a reply */
	SWPKI_SCEP_TIMEOUT_MS = 30000,	/* the default bound of one exchange */
};

/* GetCACaps: what the CA said it can do. */
struct swpki_scep_caps {
	bool post;		/* POSTPKIOperation */
	bool sha256, sha1;	/* SHA-256, SHA-1 */
	bool aes, des3;		/* AES, DES3 */
	bool renewal;		/* Renewal */
	bool next_ca;		/* GetNextCACert */
	bool standard;		/* SCEPStandard: AES, SHA-256 and POST */
};

/* How to reach the CA. */
struct swpki_scep_http {
	unsigned int timeout_ms;	/* one exchange at most; 0: SWPKI_SCEP_TIMEOUT_MS */
	size_t max_reply;		/* bytes; 0: SWPKI_SCEP_REPLY_MAX */
	const char *iface;		/* source interface, or NULL */
	const char *vrf;		/* VRF device to bind to, or NULL */
	const char *ca_file;		/* https: the CAs to trust; NULL: the system's */
};

/* One pkiMessage: its signed attributes and its content (pkcsPKIEnvelope). */
struct swpki_scep_msg {
	enum swpki_scep_msg_type type;
	char txid[SWPKI_SCEP_TXID_MAX + 1];
	bool has_sender_nonce, has_recipient_nonce;
	unsigned char sender_nonce[SWPKI_SCEP_NONCE_LEN];
	unsigned char recipient_nonce[SWPKI_SCEP_NONCE_LEN];
	int status;		/* CertRep: enum swpki_scep_status; -1 otherwise */
	int fail_info;		/* FAILURE: enum swpki_scep_fail_info; -1 otherwise */
	unsigned char *content;	/* DER; OPENSSL_malloc'ed by a parse, or the caller's */
	size_t content_len;
};

/* An enrollment: PKCSReq, or RenewalReq when @renew_cert is set. */
struct swpki_scep_enroll {
	const char *url;
	const struct swpki_scep_http *http;	/* NULL: the defaults */
	const struct swpki_scep_caps *caps;	/* from swpki_scep_getcacaps() */
	X509 *ca;			/* the CA certificate */
	X509 *ra_sign, *ra_encr;	/* the RA's, or NULL: the CA's */
	EVP_PKEY *key;			/* the key to certify */
	X509_REQ *csr;			/* for @key, with its challengePassword */
	X509 *renew_cert;		/* RenewalReq: the current certificate ... */
	EVP_PKEY *renew_key;		/* ... and its key; NULL: PKCSReq */
	enum swpki_scep_cipher cipher;
	/*
	 * Take a reply encrypted with DES-CBC (through the legacy provider)
	 * while sending @cipher: for CAs that always answer with DES, like
	 * Debian's scepserver (micromdm 2.1). Implied by SWPKI_SCEP_DES.
	 */
	bool accept_des;
	unsigned int retry_period_s;	/* between polls while PENDING */
	unsigned int retry_count;	/* polls at most; 0: none */
	/* Called before each poll (the @n-th of @max); may be NULL. */
	void (*pending)(void *arg, unsigned int n, unsigned int max);
	void *arg;
};

int swpki_scep_getcacaps(const char *url, const struct swpki_scep_http *http,
			 struct swpki_scep_caps *caps, struct swauth_error *err);
int swpki_scep_getcacert(const char *url, const struct swpki_scep_http *http,
			 const char *identifier, STACK_OF(X509) **certs, X509 **ca,
			 X509 **ra_sign, X509 **ra_encr, struct swauth_error *err);
int swpki_scep_enroll(const struct swpki_scep_enroll *e, X509 **cert,
		      struct swauth_error *err);
int swpki_scep_getcrl(const struct swpki_scep_enroll *e, X509 *cert, X509_CRL **crl,
		      struct swauth_error *err);

void swpki_scep_txid(EVP_PKEY *key, char txid[SWPKI_SCEP_TXID_MAX + 1]);
int swpki_scep_msg_build(const struct swpki_scep_msg *m, X509 *signer, EVP_PKEY *key,
			 const EVP_MD *md, unsigned char **der, size_t *len,
			 struct swauth_error *err);
int swpki_scep_msg_parse(const unsigned char *der, size_t len, X509 *signer,
			 X509 **embedded, struct swpki_scep_msg *m, struct swauth_error *err);
void swpki_scep_msg_free(struct swpki_scep_msg *m);
int swpki_scep_seal(const unsigned char *data, size_t len, X509 *recipient,
		    enum swpki_scep_cipher cipher, unsigned char **der, size_t *der_len,
		    struct swauth_error *err);
int swpki_scep_open(const unsigned char *der, size_t len, X509 *cert, EVP_PKEY *key,
		    bool allow_des, unsigned char **out, size_t *out_len,
		    struct swauth_error *err);

#endif /* SWAUTH_LIB_PKI_H */
