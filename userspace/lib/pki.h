/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The PKI client (swpki, swpkid): the store of keys, trustpoints and
 * certificates, and what reads and writes it. OpenSSL 3 throughout.
 */

#ifndef SWAUTH_LIB_PKI_H
#define SWAUTH_LIB_PKI_H

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <stdio.h>

#include <openssl/bio.h>
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
 *   tokens/        what swpki keeps about each PKCS#11 token (pki/token.c)
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

DIR *swpki_dir_stream(int fd);
int swpki_store_open_certs(const char *path, struct swauth_error *err);

/*
 * Trustpoints (pki/trustpoint.c): one CA each, kept as
 * DIR/trustpoints/NAME.conf in IOS syntax, "crypto pki trustpoint NAME"
 * then one sub-command a line, each indented by one space. Written with
 * safe-write (a failure leaves the old file); read without following a
 * symbolic link. The sub-commands are the rows of one table in
 * trustpoint.c: a new one (revocation-check, ocsp url, ...) is a new row
 * and a new member here.
 */

enum { SWPKI_TP_NAME_MAX = 64, SWPKI_TP_STR_MAX = 256, SWPKI_TP_URL_MAX = 512 };

enum swpki_enroll {
	SWPKI_ENROLL_NONE,		/* no enrollment configured */
	SWPKI_ENROLL_URL,		/* SCEP (http://) or a file URL (tftp://...) */
	SWPKI_ENROLL_TERMINAL,		/* cut and paste */
	SWPKI_ENROLL_SELFSIGNED,
	SWPKI_ENROLL_PROFILE,		/* enrollment profile LABEL */
};

enum swpki_ip_address { SWPKI_IP_UNSET, SWPKI_IP_ADDR, SWPKI_IP_INTERFACE, SWPKI_IP_NONE };
enum swpki_serial { SWPKI_SERIAL_UNSET, SWPKI_SERIAL_INCLUDE, SWPKI_SERIAL_NONE };

enum { SWPKI_RETRY_PERIOD_DEFAULT = 1, SWPKI_RETRY_COUNT_DEFAULT = 10 };

struct swpki_trustpoint {
	char name[SWPKI_TP_NAME_MAX + 1];
	enum swpki_enroll enroll;
	char url[SWPKI_TP_URL_MAX];		/* enrollment url */
	char profile[SWPKI_TP_NAME_MAX + 1];	/* enrollment profile */
	bool pem;				/* enrollment url|terminal ... pem */
	bool ra_mode;				/* enrollment mode ra */
	unsigned int retry_period;		/* minutes, 1..60 */
	unsigned int retry_count;		/* 1..100 */
	char subject_name[SWPKI_TP_STR_MAX];	/* "" = the FQDN */
	bool subject_name_set;
	char subject_alt_name[SWPKI_TP_STR_MAX];
	enum swpki_ip_address ip_mode;
	char ip_address[SWPKI_TP_NAME_MAX];	/* the address or the interface */
	enum swpki_serial serial;
	bool fqdn_none;
	char password[SWPKI_TP_STR_MAX];	/* the challenge password */
	unsigned int usage;			/* SWPKI_USAGE_* (below); 0 = ike */
	char rsakeypair[SWPKI_TP_NAME_MAX + 1];
	unsigned int rsa_size, rsa_encsize;	/* 0 = not given */
	char eckeypair[SWPKI_TP_NAME_MAX + 1];
	unsigned char fingerprint[32];		/* MD5, SHA-1 or SHA-256 */
	unsigned int fingerprint_len;		/* 0, 16, 20 or 32 */
	char source_interface[SWPKI_TP_NAME_MAX];
	char vrf[SWPKI_TP_NAME_MAX];
	bool auto_enroll;
	unsigned int auto_enroll_percent;	/* 10..99; 0 = at expiry */
	bool auto_enroll_regenerate;
	bool regenerate;
	char hash[8];				/* md5 sha1 sha256 sha384 sha512, "" */
	/*
	 * swauth's own sub-commands (not IOS's): `scep cipher
	 * aes256|aes128|3des|des` (enum swpki_scep_cipher, default AES-256)
	 * and `scep accept-des-reply` (a CA that always answers with DES).
	 */
	int scep_cipher;
	bool scep_accept_des;
};

struct swpki_store;

bool swpki_tp_name_valid(const char *name);
void swpki_tp_init(struct swpki_trustpoint *tp, const char *name);
int swpki_tp_apply(struct swpki_trustpoint *tp, const char *line, struct swauth_error *err);
int swpki_tp_format(const struct swpki_trustpoint *tp, char **text, struct swauth_error *err);
int swpki_tp_parse(struct swpki_trustpoint *tp, const char *name, const char *text,
		   const char *file, struct swauth_error *err);
int swpki_tp_load(struct swpki_store *s, const char *name, struct swpki_trustpoint *tp,
		  struct swauth_error *err);
int swpki_tp_save(struct swpki_store *s, const struct swpki_trustpoint *tp,
		  struct swauth_error *err);
int swpki_tp_list(struct swpki_store *s, char ***names, size_t *n, struct swauth_error *err);
void swpki_tp_list_free(char **names, size_t n);
int swpki_tp_delete(struct swpki_store *s, const char *name, struct swauth_error *err);

/*
 * Certificates (pki/certstore.c): DER files, mode 0644, in the store's
 * certs directory, or in the local directory that DIR/pki.conf names
 * ("crypto pki certificate storage /path", swpki_cert_storage_set()).
 * swpki_store_open() opens that directory as s->certs_fd.
 *
 * A file is named TP#SERIAL[CA].cer (IOS, E17.1) with SERIAL the
 * certificate's serial number in upper-case hex; roles other than CA and
 * the general-purpose identity add a dash and a word:
 *
 *   TP#SERIALCA.cer            the CA certificate
 *   TP#SERIAL.cer              the identity certificate (general purpose)
 *   TP#SERIAL-sign.cer         the identity certificate of the signing key
 *   TP#SERIAL-encr.cer         the identity certificate of the encryption key
 *   TP#SERIAL-ra-sign.cer      the RA's signing certificate
 *   TP#SERIAL-ra-encr.cer      the RA's encryption certificate
 *   TP#SERIAL-rollover.cer     the shadow identity of auto-enrollment
 *
 * As a serial may end in "CA", the role of a file named without a dash is
 * the certificate's own: a CA (basicConstraints CA:TRUE) is SWPKI_CERT_CA,
 * anything else SWPKI_CERT_GENERAL.
 */

enum swpki_cert_role {
	SWPKI_CERT_CA,
	SWPKI_CERT_RA_SIGN,
	SWPKI_CERT_RA_ENCR,
	SWPKI_CERT_GENERAL,
	SWPKI_CERT_SIGN,
	SWPKI_CERT_ENCR,
	SWPKI_CERT_ROLLOVER,
	SWPKI_CERT_ANY,			/* for swpki_cert_list() and _remove() */
};

struct swpki_cert {
	enum swpki_cert_role role;
	char file[NAME_MAX + 1];
	X509 *x509;
};

#define SWPKI_PKI_CONF "pki.conf"

/*
 * The store's settings (pki/conf.c): DIR/pki.conf, one setting a line,
 * every line known ("crypto pki certificate storage /PATH", "token module
 * PATH"); anything else is refused by line number.
 */
struct swpki_conf {
	char storage[PATH_MAX];		/* "": DIR/certs */
	char token_module[PATH_MAX];	/* "": SWPKI_TOKEN_MODULE */
};

int swpki_conf_read(int dir_fd, struct swpki_conf *c, struct swauth_error *err);
int swpki_conf_write(int dir_fd, const struct swpki_conf *c, struct swauth_error *err);

int swpki_cert_storage_get(int dir_fd, char *path, size_t len, struct swauth_error *err);
int swpki_cert_storage_set(struct swpki_store *s, const char *path, bool *created,
			   struct swauth_error *err);
const char *swpki_cert_role_name(enum swpki_cert_role role);
int swpki_read_at(int dir_fd, const char *name, const char *what, size_t max,
		  unsigned char **buf, size_t *len, struct swauth_error *err);
int swpki_cert_add(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
		   X509 *x509, struct swauth_error *err);
int swpki_cert_add_check(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
			 X509 *x509, struct swauth_error *err);
int swpki_cert_list(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
		    struct swpki_cert **certs, size_t *n, struct swauth_error *err);
void swpki_cert_list_free(struct swpki_cert *certs, size_t n);
X509 *swpki_cert_load(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
		      struct swauth_error *err);
int swpki_cert_remove(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
		      struct swauth_error *err);

/*
 * CA authentication (pki/authenticate.c): the CA certificate (and the RA's,
 * from SCEP GetCACert) checked, shown with its fingerprints, accepted by
 * the trustpoint's fingerprint, --yes or the operator, and stored.
 */
enum { SWPKI_FP_MD5 = 16, SWPKI_FP_SHA1 = 20, SWPKI_FP_SHA256 = 32 };

int swpki_cert_check_ca(X509 *ca, struct swauth_error *err);
void swpki_print_fingerprint(FILE *out, const char *label, const unsigned char *md,
			     unsigned int len);
void swpki_print_fingerprints(FILE *out, const char *indent, X509 *x509);
int swpki_tp_authenticate_cert(struct swpki_store *s, const struct swpki_trustpoint *tp,
			       X509 *ca, STACK_OF(X509) *ra, bool interactive, bool yes,
			       FILE *out, struct swauth_error *err);
int swpki_cert_parse(const unsigned char *buf, size_t len, const char *what, X509 **x509,
		     struct swauth_error *err);
int swpki_cert_find(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
		    X509 *x509, char *file, struct swauth_error *err);

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

/*
 * The protection of an exported private key: PEM (swpki_key_export_pem():
 * PKCS#8 with AES-256-CBC and PBKDF2, or traditional PEM with DEK-Info:
 * DES-EDE3-CBC as E2.4 shows), and PKCS#12 (p12.c).
 */
enum swpki_cipher { SWPKI_CIPHER_AES, SWPKI_CIPHER_3DES };

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
			 enum swpki_cipher cipher, const char *pass, char **pub,
			 char **prv, struct swauth_error *err);
int swpki_key_decode_pem(const char *pub, size_t pub_len, const char *prv, size_t prv_len,
			 const char *pass, EVP_PKEY **pkey, struct swauth_error *err);
int swpki_key_import_pem(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
			 const char *pub, size_t pub_len, const char *prv, size_t prv_len,
			 const char *pass, bool exportable, struct swauth_error *err);

/*
 * Tokens (pki/token.c): key pairs on a PKCS#11 token (E17.2, E18), through
 * libp11 (slots, login, keys as EVP_PKEYs whose operations run on the token)
 * and the module's own function list for what libp11 0.4.12 cannot ask for
 * (on-token generation with CKA_SENSITIVE and not CKA_EXTRACTABLE, ECDSA
 * keys, destroying objects). libp11 owns the module: it initialises and
 * finalises it; token.c opens its own sessions beside libp11's, which share
 * the application's login.
 *
 * The module is `token module PATH` in DIR/pki.conf, else SWPKI_TOKEN_MODULE
 * (p11-kit's proxy: every module p11-kit is configured with). A token is
 * named by its PKCS#11 label. What swpki keeps about it is in DIR/tokens/:
 *
 *   NAME.conf   max-retries N, removal-timeout S, failed-logins K
 *   NAME.pin    the user PIN given to `swpki token NAME login` (0600),
 *               used by every later operation; `logout` removes it
 *
 * There is no default PIN: the seeds' 1234567890 is the factory PIN of
 * one vendor's token, and trying it on any token would burn a retry.
 */
#define SWPKI_TOKEN_MODULE "p11-kit-proxy.so"

enum {
	SWPKI_TOKEN_NAME_MAX = 32,		/* a PKCS#11 token label */
	SWPKI_TOKEN_PIN_MAX = 64,
	SWPKI_TOKEN_MAX_RETRIES = 15,		/* E18.2's default */
	SWPKI_TOKEN_SETTING_MAX = 1000000,	/* max-retries, removal-timeout */
	SWPKI_TOKEN_RSA_MIN = 1024,
	SWPKI_TOKEN_RSA_MAX = 2048,		/* E18.1: keys on a token <= 2048 */
	SWPKI_TOKEN_LABEL_MAX = 64,		/* a key's label */
};

enum swpki_token_alg { SWPKI_TOKEN_RSA, SWPKI_TOKEN_EC_P256 };

/* What swpki keeps about a token (DIR/tokens/NAME.conf). */
struct swpki_token_state {
	unsigned int max_retries;	/* refuse a login after this many failures */
	unsigned int removal_timeout;	/* seconds a vanished token's keys stay loaded */
	unsigned int failed_logins;	/* consecutive, reset by a good login */
};

/* One key pair on a token, for listings. */
struct swpki_token_key {
	char label[SWPKI_TOKEN_LABEL_MAX + 1];
	enum swpki_token_alg alg;
	unsigned int bits;
	bool has_private;		/* seen only after a login */
	bool extractable;		/* CKA_EXTRACTABLE of the private key */
	bool sensitive;			/* CKA_SENSITIVE of the private key */
	EVP_PKEY *pub;			/* the public key, or NULL */
};

/* One slot, for `swpki token list`. */
struct swpki_token_slot {
	unsigned long id;
	char description[65];
	bool present;			/* a token is in it */
	bool initialized;		/* and it has a label, a PIN: usable */
	char label[SWPKI_TOKEN_NAME_MAX + 1];
	char manufacturer[33];
	char model[17];
	char serial[17];
	bool user_pin_locked;		/* the token's own lock, if it has one */
};

struct swpki_token;

int swpki_token_module(const struct swpki_store *s, char *path, size_t len,
		       struct swauth_error *err);
int swpki_token_slots(const struct swpki_store *s, struct swpki_token_slot **slots,
		      size_t *n, char *module, size_t module_len, struct swauth_error *err);
int swpki_token_state_get(const struct swpki_store *s, const char *name,
			  struct swpki_token_state *st, struct swauth_error *err);
int swpki_token_state_set(const struct swpki_store *s, const char *name,
			  const struct swpki_token_state *st, struct swauth_error *err);
int swpki_token_open(struct swpki_token **tp, const struct swpki_store *s, const char *name,
		     struct swauth_error *err);
void swpki_token_close(struct swpki_token *t);
int swpki_token_login(struct swpki_token *t, const char *pin, struct swauth_error *err);
int swpki_token_remember_pin(struct swpki_token *t, const char *pin, struct swauth_error *err);
int swpki_token_logout(const struct swpki_store *s, const char *name, struct swauth_error *err);
int swpki_token_change_pin(struct swpki_token *t, const char *old_pin, const char *new_pin,
			   struct swauth_error *err);
int swpki_token_check(struct swpki_token *t, struct swauth_error *err);
int swpki_token_generate(struct swpki_token *t, enum swpki_token_alg alg, unsigned int bits,
			 const char *label, struct swauth_error *err);
int swpki_token_keys(struct swpki_token *t, struct swpki_token_key **keys, size_t *n,
		     struct swauth_error *err);
void swpki_token_keys_free(struct swpki_token_key *keys, size_t n);
int swpki_token_zeroize(struct swpki_token *t, const char *label, struct swauth_error *err);
int swpki_token_key_get(struct swpki_token *t, const char *label, EVP_PKEY **pkey,
			struct swauth_error *err);
int swpki_token_key_load(const struct swpki_store *s, const char *token, const char *label,
			 struct swpki_token **tp, EVP_PKEY **pkey, struct swauth_error *err);

/*
 * Keys on a token for the key store (pki/tokenkey.c, E1.1 `on`, E17.2):
 * generated on the token, never exportable; DIR/keys/LABEL.token names
 * the token and keeps the public key, so that a trustpoint's rsakeypair
 * or eckeypair LABEL leads to the token (swpki_key_load_any()).
 */
struct swpki_token_keyref {
	struct swpki_key_info info;		/* general, not exportable */
	char token[SWPKI_TOKEN_NAME_MAX + 1];	/* the token holding it */
};

int swpki_key_generate_on_token(struct swpki_store *s, const char *token, const char *label,
				int type, unsigned int bits, struct swauth_error *err);
int swpki_token_keyref_get(struct swpki_store *s, const char *label,
			   struct swpki_token_keyref *r, struct swauth_error *err);
int swpki_token_keyref_list(struct swpki_store *s, struct swpki_token_keyref **refs, size_t *n,
			    struct swauth_error *err);
int swpki_key_load_any(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		       EVP_PKEY **pkey, struct swpki_token **t, struct swauth_error *err);
int swpki_key_zeroize_on_token(struct swpki_store *s, const char *label,
			       struct swauth_error *err);

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
int swpki_p12_write(EVP_PKEY *key, X509 *cert, STACK_OF(X509) *cas, const char *name,
		    const char *pass, enum swpki_cipher cipher, unsigned char **der, size_t *len,
		    struct swauth_error *err);
int swpki_p12_read(const unsigned char *der, size_t len, const char *pass, EVP_PKEY **key,
		   X509 **cert, STACK_OF(X509) **cas, struct swauth_error *err);

/*
 * OpenSSL 3's legacy provider (pki/legacy.c), loaded for one operation on
 * an old algorithm: DES-CBC (SCEP), RC2 (an old PKCS#12 file).
 */
int swpki_legacy_load(OSSL_PROVIDER **prov, const char *what, const char *instead,
		      struct swauth_error *err);
void swpki_legacy_unload(OSSL_PROVIDER **prov);

/*
 * Export and import of a trustpoint (pki/bundle.c, E2.1-E2.3, E2.6): its
 * key pair(s), labelled with the trustpoint's name, their certificates and
 * the CA's. An import checks everything before it writes, and puts back
 * every file it may have written when a write fails.
 */
struct swpki_tp_bundle {
	bool usage_keys;		/* key[0] signature, key[1] encryption */
	EVP_PKEY *key[2];		/* general: key[0] only */
	X509 *cert[2];			/* key[i]'s certificate */
	STACK_OF(X509) *cas;		/* the CA's certificate(s) */
};

int swpki_cert_file_name(const char *tp, enum swpki_cert_role role, X509 *x509, char *file,
			 struct swauth_error *err);
int swpki_key_load_exportable(struct swpki_store *s, const char *label,
			      enum swpki_key_usage usage, EVP_PKEY **pkey,
			      struct swauth_error *err);
int swpki_tp_bundle_load(struct swpki_store *s, const char *name, struct swpki_tp_bundle *b,
			 struct swauth_error *err);
void swpki_tp_bundle_free(struct swpki_tp_bundle *b);
int swpki_tp_import(struct swpki_store *s, const char *name, const struct swpki_tp_bundle *b,
		    bool exportable, bool check, struct swauth_error *err);

/*
 * Enrollment profiles (pki/profile.c, E7): how to reach a CA that speaks
 * plain HTTP, kept as DIR/profiles/LABEL.conf in IOS syntax ("crypto pki
 * profile enrollment LABEL", then one sub-command a line, indented by one
 * blank), parsed by the trustpoints' table machinery. A trustpoint's
 * `enrollment profile LABEL` names one.
 */
enum { SWPKI_PROFILE_PARAMS = 9, SWPKI_PROFILE_CMD_MAX = 512 };

struct swpki_profile_step {
	char url[SWPKI_TP_URL_MAX];		/* authentication|enrollment url */
	bool terminal;				/* ... terminal: pasted */
	char command[SWPKI_PROFILE_CMD_MAX];	/* "GET /PATH" or "POST BODY"; "" */
};

struct swpki_profile_param {
	bool prompt;				/* asked with @text on a terminal */
	char text[SWPKI_TP_STR_MAX];		/* the value, or the prompt; "" unset */
};

struct swpki_profile {
	char name[SWPKI_TP_NAME_MAX + 1];
	struct swpki_profile_step auth, enroll;
	char credential[SWPKI_TP_NAME_MAX + 1];	/* enrollment credential TP */
	struct swpki_profile_param param[SWPKI_PROFILE_PARAMS];	/* $P1..$P9 */
};

/* Where a profile's prompts and pastes are asked. */
struct swpki_profile_io {
	bool interactive;			/* @in is a terminal */
	FILE *in, *out;
};

void swpki_profile_init(struct swpki_profile *p, const char *name);
int swpki_profile_apply(struct swpki_profile *p, const char *line, struct swauth_error *err);
int swpki_profile_format(const struct swpki_profile *p, char **text, struct swauth_error *err);
int swpki_profile_load(struct swpki_store *s, const char *name, struct swpki_profile *p,
		       struct swauth_error *err);
int swpki_profile_save(struct swpki_store *s, const struct swpki_profile *p,
		       struct swauth_error *err);
int swpki_profile_delete(struct swpki_store *s, const char *name, struct swauth_error *err);
int swpki_profile_authenticate(struct swpki_store *s, const struct swpki_trustpoint *tp,
			       bool yes, const struct swpki_profile_io *io,
			       struct swauth_error *err);
int swpki_profile_enroll(struct swpki_store *s, const struct swpki_trustpoint *tp,
			 X509_REQ *req, X509 **cert, const struct swpki_profile_io *io,
			 struct swauth_error *err);

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
 *   -ENODEV, -EADDRNOTAVAIL  no such VRF or source interface, or it has no
 *                  address (swauth_xfer_bind())
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
	/* Where requests leave from, as swauth_xfer_bind() does; NULL: the route's. */
	const char *source_iface;	/* the source address is this interface's */
	const char *vrf;		/* bound to this VRF's device */
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

/*
 * Enrollment (pki/enroll.c, E5-E8): the trustpoint's key pairs, its
 * requests, SCEP (http://, https://), file URLs (tftp://, ftp://: BASE.ca,
 * BASE.req, BASE.crt; -sign/-encr for usage keys), the certificate of a
 * manual enrollment, enrollment profiles (swpki_profile_enroll()), and the
 * persistent self-signed certificate. A trustpoint's pair may be on a token
 * (swpki key generate --on): used there, never regenerated by enrollment.
 *
 * Rollover (E6.3): a new pair waits under the shadow label LABEL.rollover,
 * a new certificate in the rollover role; swpki_rollover_recover() then
 * renames the shadow pair over the pair in use (atomic) and moves the
 * certificate to its identity role, removing the old one. A crash at any
 * step leaves what the next swpki_rollover_recover() (the start of every
 * command that uses a trustpoint's identity) finishes: the pair in use
 * always ends matching its certificate.
 *
 * The device's serial number (serial-number, E5.3) is
 * /sys/class/dmi/id/product_serial when readable and set, else the first
 * 16 hex digits of /etc/machine-id. The self-signed certificate lives
 * SWPKI_SELFSIGNED_DAYS.
 */
enum { SWPKI_SELFSIGNED_DAYS = 3650, SWPKI_SERIAL_MAX = 64 };

struct swpki_enroll_keys {
	char label[SWPKI_LABEL_MAX + 1];	/* the pairs in use */
	char shadow[SWPKI_LABEL_MAX + 1];	/* LABEL.rollover: new pairs */
	unsigned int n;				/* 1 (general) or 2 (usage keys) */
	enum swpki_key_usage usage[2];
	EVP_PKEY *key[2];		/* the pair to certify */
	EVP_PKEY *cur[2];		/* the pair in use, or NULL */
	X509 *cert[2];			/* its certificate, or NULL */
	const char *made[2];		/* label or shadow: generated now, else NULL */
	struct swpki_token *token;	/* the open token of a pair on a token */
};

/* What the enrollment dialogue (or the configuration) decided. */
struct swpki_enroll_answers {
	char challenge[SWPKI_TP_STR_MAX];	/* "" none */
	char serial[SWPKI_SERIAL_MAX];		/* "" none */
	char ip[64];				/* "" none */
};

struct swauth_xfer_opts;

int swpki_tp_key_label(const struct swpki_trustpoint *tp, char *label, char *shadow,
		       struct swauth_error *err);
int swpki_rollover_recover(struct swpki_store *s, const struct swpki_trustpoint *tp,
			   FILE *out, struct swauth_error *err);
int swpki_enroll_keys_get(struct swpki_store *s, const struct swpki_trustpoint *tp,
			  bool regenerate, struct swpki_enroll_keys *k, FILE *out,
			  struct swauth_error *err);
void swpki_enroll_keys_abort(struct swpki_store *s, const struct swpki_trustpoint *tp,
			     struct swpki_enroll_keys *k);
void swpki_enroll_keys_free(struct swpki_enroll_keys *k);
int swpki_device_serial(char *serial, size_t size, struct swauth_error *err);
int swpki_iface_address(const char *ifname, char *addr, size_t size, struct swauth_error *err);
int swpki_enroll_request(const struct swpki_trustpoint *tp, const struct swpki_enroll_keys *k,
			 unsigned int i, const struct swpki_enroll_answers *a, const char *fqdn,
			 X509_REQ **req, struct swauth_error *err);
int swpki_req_write(BIO *bio, X509_REQ *req, bool pem);
void swpki_tp_xfer_opts(const struct swpki_trustpoint *tp, struct swauth_xfer_opts *o);
bool swpki_tp_is_scep(const struct swpki_trustpoint *tp);
bool swpki_tp_is_file(const struct swpki_trustpoint *tp);
int swpki_tp_file_url(const struct swpki_trustpoint *tp, const char *suffix, char *url,
		      size_t size, struct swauth_error *err);
int swpki_tp_fetch_ca(const struct swpki_trustpoint *tp, X509 **ca, STACK_OF(X509) **ra,
		      struct swauth_error *err);
int swpki_tp_fetch_cert(const struct swpki_trustpoint *tp, enum swpki_key_usage usage,
			X509 **x509, struct swauth_error *err);
int swpki_enroll_check_cert(X509 *cert, X509 *ca, EVP_PKEY *key, struct swauth_error *err);
int swpki_enroll_install(struct swpki_store *s, const struct swpki_trustpoint *tp, X509 *cert,
			 enum swpki_key_usage usage, FILE *out, struct swauth_error *err);
int swpki_enroll_scep(struct swpki_store *s, const struct swpki_trustpoint *tp,
		      const struct swpki_enroll_keys *k, X509_REQ *const *reqs, FILE *out,
		      struct swauth_error *err);
int swpki_enroll_by_profile(struct swpki_store *s, const struct swpki_trustpoint *tp,
			    const struct swpki_enroll_keys *k, X509_REQ *const *reqs,
			    const struct swpki_profile_io *io, FILE *out, struct swauth_error *err);
int swpki_enroll_file(const struct swpki_trustpoint *tp, const struct swpki_enroll_keys *k,
		      X509_REQ *const *reqs, struct swauth_error *err);
int swpki_tp_import_cert(struct swpki_store *s, const struct swpki_trustpoint *tp, X509 *x509,
			 enum swpki_cert_role *role, FILE *out, struct swauth_error *err);
int swpki_selfsigned_holder(struct swpki_store *s, char *name, size_t size,
			    struct swauth_error *err);
int swpki_selfsigned_enroll(struct swpki_store *s, const struct swpki_trustpoint *tp,
			    const struct swpki_enroll_keys *k, const struct swpki_enroll_answers *a,
			    const char *fqdn, struct swauth_error *err);

/*
 * Auto-enrollment (pki/autoenroll.c, E6): swpkid's schedule and its state.
 *
 * The schedule is a pure function of a trustpoint's `auto-enroll [PERCENT]`
 * and its certificates' validity (swpki_auto_schedule()):
 *
 *   - no identity certificate, or only expired ones: enroll now (E6.1);
 *   - else renew at notBefore + PERCENT% of the lifetime, but never later
 *     than SWPKI_AUTO_MARGIN (3 minutes) before notAfter, the seeds'
 *     absolute minimum that leaves the rollover time to work (E6.2); a
 *     PERCENT outside 10..99 counts as the bound it passes (the trustpoint
 *     parser refuses it; the schedule does not trust it); `auto-enroll`
 *     without a percentage renews at that minimum, 3 minutes before expiry;
 *   - a rollover (shadow) certificate that has not expired means the renewal
 *     was received: the schedule follows the rollover certificate.
 *
 * The state file DIR/swpkid.state, written by swpkid with safe-write only,
 * keeps per trustpoint the next action, when, the failed attempts so far
 * and the certificate the renewal is for (its serial), so that a restart or
 * a power cut continues the schedule and its retry count:
 *
 *   swpkid-state 1
 *   NAME enroll|renew AT ATTEMPTS scheduled|retry|given-up SERIAL|-
 *
 * AT in seconds since the epoch; "scheduled" exactly when ATTEMPTS is 0;
 * SERIAL the upper-case hex serial for a renewal, "-" for an enrollment.
 * The parser takes exactly that (every line ended by a newline, one line
 * per trustpoint) and names the line of anything else.
 */
#define SWPKI_AUTO_STATE "swpkid.state"

enum {
	SWPKI_AUTO_PERCENT_MIN = 10,
	SWPKI_AUTO_PERCENT_MAX = 99,
	SWPKI_AUTO_MARGIN = 180,		/* seconds kept between renewal and expiry */
	SWPKI_AUTO_SERIAL_MAX = 64,		/* hex digits of a serial (RFC 5280: 20 bytes) */
	SWPKI_AUTO_ATTEMPTS_MAX = 1000,
	SWPKI_AUTO_STATE_MAX = 256 * 1024,
};

enum swpki_auto_action { SWPKI_AUTO_ENROLL, SWPKI_AUTO_RENEW };
enum swpki_auto_status { SWPKI_AUTO_SCHEDULED, SWPKI_AUTO_RETRY, SWPKI_AUTO_GIVEN_UP };

/* A certificate's validity, seconds since the epoch. */
struct swpki_validity {
	time_t not_before, not_after;
};

struct swpki_auto_entry {
	char tp[SWPKI_TP_NAME_MAX + 1];
	enum swpki_auto_action action;
	time_t at;				/* when to act (again) */
	unsigned int attempts;			/* failed attempts of this action */
	enum swpki_auto_status status;
	char serial[SWPKI_AUTO_SERIAL_MAX + 1];	/* renewal: the certificate's; "" */
};

void swpki_time_text(time_t t, char *buf, size_t len);
time_t swpki_auto_renew_time(unsigned int percent, const struct swpki_validity *v);
enum swpki_auto_action swpki_auto_schedule(unsigned int percent, const struct swpki_validity *id,
					   const struct swpki_validity *rollover, time_t now,
					   time_t *at, bool *from_rollover);
int swpki_auto_plan(struct swpki_store *s, const struct swpki_trustpoint *tp, time_t now,
		    struct swpki_auto_entry *e, struct swauth_error *err);
int swpki_auto_state_parse(const char *text, size_t len, struct swpki_auto_entry **v, size_t *n,
			   struct swauth_error *err);
int swpki_auto_state_format(const struct swpki_auto_entry *v, size_t n, char **text,
			    size_t *len, struct swauth_error *err);
int swpki_auto_state_load(struct swpki_store *s, struct swpki_auto_entry **v, size_t *n,
			  struct swauth_error *err);
int swpki_auto_state_save(struct swpki_store *s, const struct swpki_auto_entry *v, size_t n,
			  struct swauth_error *err);

#endif /* SWAUTH_LIB_PKI_H */
