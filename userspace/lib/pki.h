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
#include <stddef.h>
#include <time.h>

#include <openssl/types.h>

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
 * Key pairs (pki/keystore.c): RSA and ECDSA key pairs under a label (the
 * host's FQDN by default: swpki_key_default_label()), general-purpose (one
 * pair) or usage keys (a signature and an encryption pair under one label,
 * never both kinds). One file per pair in keys/, "LABEL.general",
 * "LABEL.signature" or "LABEL.encryption", mode 0600, written with the
 * safe-write primitive: a metadata record, then the public key (PEM
 * SubjectPublicKeyInfo), then the private key (PEM PKCS#8, or PKCS#8
 * encrypted with AES-256-CBC and scrypt for an encrypted key). The parser
 * accepts exactly that and names the file in every error.
 *
 * Exportability is fixed when a pair enters the store (generation or
 * import) and nothing sets it later. An encrypted pair is usable only while
 * unlocked: its decrypted private key then sits in the kernel's keyring (a
 * "user" key described "swpki:DEV:INO:LABEL:USAGE" in the caller's user
 * keyring, DEV and INO the store directory's), which a reboot empties: an
 * encrypted key is LOCKED after a restart until swpki_key_unlock().
 *
 * Errors besides the store's: -ENOENT no such key; -EINVAL a bad label,
 * size or passphrase; -EBADMSG a malformed file (named); -EPERM a
 * non-exportable key asked for export; -EKEYREJECTED a locked key, or a
 * wrong passphrase.
 */
enum swpki_key_usage { SWPKI_KEY_GENERAL, SWPKI_KEY_SIGNATURE, SWPKI_KEY_ENCRYPTION };

enum {
	SWPKI_LABEL_MAX = 64,
	/*
	 * The seeds allow 360 to 4096 bits (FEATURES E1.3); OpenSSL 3 refuses
	 * to generate an RSA key under 512 bits, so swpki takes 512 to 4096.
	 */
	SWPKI_RSA_BITS_MIN = 512,
	SWPKI_RSA_BITS_MAX = 4096,
	SWPKI_RSA_BITS_DEFAULT = 2048,
	SWPKI_PASSPHRASE_MIN = 8,	/* E1.12: at least 8, no '?' */
	SWPKI_PASSPHRASE_MAX = 1023,
	SWPKI_SPKI_MAX = 1024,		/* DER SubjectPublicKeyInfo of RSA 4096: 550 */
};

struct swpki_key_info {
	char label[SWPKI_LABEL_MAX + 1];
	enum swpki_key_usage usage;
	int type;			/* EVP_PKEY_RSA or EVP_PKEY_EC */
	unsigned int bits;		/* RSA modulus; EC: 256 or 384 */
	char curve[8];			/* "P-256", "P-384"; "" for RSA */
	bool exportable, encrypted;
	bool locked;			/* encrypted and not in the keyring */
	time_t generated;		/* when the pair entered the store */
	unsigned char spki[SWPKI_SPKI_MAX];	/* the public key, DER */
	size_t spki_len;
};

/* The PEM protection of an exported private key. */
enum swpki_pem_cipher {
	SWPKI_PEM_3DES,		/* traditional PEM, DEK-Info: DES-EDE3-CBC (E2.4) */
	SWPKI_PEM_AES,		/* PKCS#8, AES-256-CBC, PBKDF2 */
};

const char *swpki_key_usage_word(enum swpki_key_usage usage);
const char *swpki_key_usage_text(enum swpki_key_usage usage);
int swpki_key_label_check(const char *label, struct swauth_error *err);
int swpki_key_default_label(char *label, size_t len, struct swauth_error *err);
int swpki_passphrase_check(const char *pass, struct swauth_error *err);
bool swpki_key_exists(struct swpki_store *s, const char *label);
int swpki_key_generate(struct swpki_store *s, const char *label, int type, unsigned int bits,
		       bool usage_keys, bool exportable, struct swauth_error *err);
int swpki_key_store(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		    EVP_PKEY *pkey, bool exportable, struct swauth_error *err);
int swpki_key_load(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		   EVP_PKEY **pkey, struct swpki_key_info *info, struct swauth_error *err);
int swpki_key_info(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		   struct swpki_key_info *info, struct swauth_error *err);
int swpki_key_list(struct swpki_store *s, const char *label, struct swpki_key_info **infos,
		   size_t *n, struct swauth_error *err);
int swpki_key_zeroize(struct swpki_store *s, const char *label, struct swauth_error *err);
int swpki_key_encrypt(struct swpki_store *s, const char *label, const char *pass,
		      struct swauth_error *err);
int swpki_key_decrypt(struct swpki_store *s, const char *label, const char *pass,
		      struct swauth_error *err);
int swpki_key_lock(struct swpki_store *s, const char *label, const char *pass,
		   struct swauth_error *err);
int swpki_key_unlock(struct swpki_store *s, const char *label, const char *pass,
		     struct swauth_error *err);
int swpki_key_export_pem(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
			 enum swpki_pem_cipher cipher, const char *pass, char **pub,
			 char **prv, struct swauth_error *err);
int swpki_key_decode_pem(const char *pub, size_t pub_len, const char *prv, size_t prv_len,
			 const char *pass, EVP_PKEY **pkey, struct swauth_error *err);
int swpki_key_import_pem(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
			 const char *pub, size_t pub_len, const char *prv, size_t prv_len,
			 const char *pass, bool exportable, struct swauth_error *err);

#endif /* SWAUTH_LIB_PKI_H */
