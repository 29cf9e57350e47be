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
 * Requests (pki/request.c): what a device asks a CA to sign, built from a
 * trustpoint's enrollment parameters (E5.3), and the persistent
 * self-signed certificate (E8.2).
 */
enum { SWPKI_DN_MAX = 512, SWPKI_FP_MD5_LEN = 36 };

/* `usage` (E5.3): the request's extended key usages; none: IKE. */
#define SWPKI_USAGE_IKE		0x1
#define SWPKI_USAGE_SSL_CLIENT	0x2
#define SWPKI_USAGE_SSL_SERVER	0x4

/* Which key of a trustpoint the request is for: its key usage. */
enum swpki_req_key { SWPKI_REQ_GENERAL, SWPKI_REQ_SIGNATURE, SWPKI_REQ_ENCRYPTION };

struct swpki_req_params {
	const char *subject;	/* subject-name, "CN=r1, O=Example", or NULL */
	const char *fqdn;	/* unstructuredName; NULL: `fqdn none` */
	const char *serial;	/* serialNumber; NULL: none */
	const char *ip;		/* unstructuredAddress; NULL: none */
	const char *challenge;	/* challengePassword; NULL: none */
	const char *san;	/* a subjectAltName DNS name; NULL: none */
	const char *hash;	/* `hash`; NULL: SHA-256 (SHA-384 for P-384) */
	unsigned int usage;	/* SWPKI_USAGE_* */
	enum swpki_req_key key;
};

#include <openssl/x509.h>

int swpki_subject(const struct swpki_req_params *p, X509_NAME **out, struct swauth_error *err);
int swpki_req_build(EVP_PKEY *key, const struct swpki_req_params *p, X509_REQ **out,
		    struct swauth_error *err);
int swpki_req_fingerprint(X509_REQ *req, char *out, size_t size);
int swpki_selfsigned_build(EVP_PKEY *key, const struct swpki_req_params *p, long serial,
			   unsigned int days, X509 **out, struct swauth_error *err);
void swpki_hex_groups(const unsigned char *buf, size_t len, char *out, size_t size);

/*
 * PKCS#12 (pki/p12.c): a trustpoint's key pair, its certificate and its
 * CA's certificates in one file protected by a passphrase (E2.1).
 */
enum swpki_cipher { SWPKI_CIPHER_AES, SWPKI_CIPHER_3DES };

int swpki_p12_write(EVP_PKEY *key, X509 *cert, STACK_OF(X509) *cas, const char *name,
		    const char *pass, enum swpki_cipher cipher, unsigned char **der, size_t *len,
		    struct swauth_error *err);
int swpki_p12_read(const unsigned char *der, size_t len, const char *pass, EVP_PKEY **key,
		   X509 **cert, STACK_OF(X509) **cas, struct swauth_error *err);

#endif /* SWAUTH_LIB_PKI_H */
