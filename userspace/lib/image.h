/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The image format and its verification: verdicts, the device and netlink
 * verifiers, the userspace verifier, certificates and the signer.
 */

#ifndef SWAUTH_LIB_IMAGE_H
#define SWAUTH_LIB_IMAGE_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/swauth.h>

#include "lib/core.h"

/*
 * Words for what SWAUTH_CMD_VERIFY_IMAGE reports: one operator-readable
 * message per enum swauth_verdict value, a stable token per verdict for
 * --json, and the display names of image types, key types and hash
 * algorithms (the seeds' "Release"/"Development", "SHA512").
 */

struct swauth_verify_result;

const char *swauth_verdict_message(uint32_t verdict);
const char *swauth_verdict_token(uint32_t verdict);
int swauth_verdict_describe(const struct swauth_verify_result *res, char *buf, size_t len);
const char *swauth_image_type_name(uint32_t image_type);
const char *swauth_image_type_token(uint32_t image_type);
const char *swauth_key_type_name(uint32_t key_type);
const char *swauth_key_type_token(uint32_t key_type);
const char *swauth_hash_algo_name(uint32_t hash_algo);

/*
 * The outcome of verifying one image file, as an in-memory model of what
 * SWAUTH_IOC_VERIFY returns, and its two producers: the kernel module
 * through /dev/swauth (verify.c), and OpenSSL in userspace for machines
 * without the module (verify-user.c). Each field is valid only when its
 * SWAUTH_VERIFY_HAS_* bit is set in @has. SWAUTH_CMD_PROVISION_KEY lives
 * here too: it is the other half of the kernel's key handling the CLI
 * drives.
 */

struct swauth_nl;

enum swauth_verify_has {
	SWAUTH_VERIFY_HAS_VERDICT = 1U << 0,
	SWAUTH_VERIFY_HAS_FILE_SIZE = 1U << 1,
	SWAUTH_VERIFY_HAS_IMAGE_TYPE = 1U << 2,
	SWAUTH_VERIFY_HAS_KEY_TYPE = 1U << 3,
	SWAUTH_VERIFY_HAS_KEY_VERSION = 1U << 4,
	SWAUTH_VERIFY_HAS_HASH_ALGO = 1U << 5,
	SWAUTH_VERIFY_HAS_PAYLOAD_SIZE = 1U << 6,
	SWAUTH_VERIFY_HAS_BUILD_TIME = 1U << 7,
	SWAUTH_VERIFY_HAS_IMAGE_NAME = 1U << 8,
	SWAUTH_VERIFY_HAS_IMAGE_VERSION = 1U << 9,
	SWAUTH_VERIFY_HAS_PLATFORM = 1U << 10,
	SWAUTH_VERIFY_HAS_SIG_BITS = 1U << 11,
	SWAUTH_VERIFY_HAS_EMBEDDED_DIGEST = 1U << 12,
	SWAUTH_VERIFY_HAS_SIGNER_KEY_TYPE = 1U << 13,
	SWAUTH_VERIFY_HAS_SIGNER_KEY_VERSION = 1U << 14,
	SWAUTH_VERIFY_HAS_SIGNER_CERT = 1U << 15,
	SWAUTH_VERIFY_HAS_COMPUTED_DIGEST = 1U << 16,
	SWAUTH_VERIFY_HAS_KERNEL_FD = 1U << 17,		/* SWAUTH_IOC_SEAL only */
	SWAUTH_VERIFY_HAS_INITRD_FD = 1U << 18,
};

/* Every bit a parsed header implies (verdict TYPE_NOT_ALLOWED or later). */
#define SWAUTH_VERIFY_HAS_HEADER \
	(SWAUTH_VERIFY_HAS_IMAGE_TYPE | SWAUTH_VERIFY_HAS_KEY_TYPE | \
	 SWAUTH_VERIFY_HAS_KEY_VERSION | SWAUTH_VERIFY_HAS_HASH_ALGO | \
	 SWAUTH_VERIFY_HAS_PAYLOAD_SIZE | SWAUTH_VERIFY_HAS_BUILD_TIME | \
	 SWAUTH_VERIFY_HAS_IMAGE_NAME | SWAUTH_VERIFY_HAS_IMAGE_VERSION | \
	 SWAUTH_VERIFY_HAS_PLATFORM | SWAUTH_VERIFY_HAS_SIG_BITS | \
	 SWAUTH_VERIFY_HAS_EMBEDDED_DIGEST)

/* Who gave the verdict. */
enum swauth_verifier {
	SWAUTH_VERIFIER_KERNEL = 1,
	SWAUTH_VERIFIER_USERSPACE,
};

/* Why that one (policy.c). */
enum swauth_verifier_why {
	SWAUTH_WHY_MODULE = 1,		/* the module was reachable: it is the authority */
	SWAUTH_WHY_ASKED,		/* the caller asked for userspace (--userspace) */
	SWAUTH_WHY_NO_MODULE,		/* the module is not loaded and cannot be */
};

enum swauth_verify_limits {
	SWAUTH_VERIFY_DIGEST_MAX = 64,		/* SHA-512 */
	SWAUTH_VERIFY_NAME_LEN = 64,		/* the header's field sizes */
	SWAUTH_VERIFY_VERSION_LEN = 32,
	SWAUTH_VERIFY_PLATFORM_LEN = 32,
};

struct swauth_verify_result {
	uint32_t has;			/* mask of enum swauth_verify_has */
	uint32_t verdict;		/* enum swauth_verdict, possibly one we don't know */
	uint64_t file_size;
	uint32_t image_type;		/* enum swauth_image_type */
	uint32_t key_type;		/* enum swauth_key_type, as the header claims */
	uint32_t key_version;		/* 'A'..'Z', as the header claims */
	uint32_t hash_algo;		/* enum swauth_hash_algo */
	uint64_t payload_size;
	uint64_t build_time;
	char image_name[SWAUTH_VERIFY_NAME_LEN];
	char image_version[SWAUTH_VERIFY_VERSION_LEN];
	char platform[SWAUTH_VERIFY_PLATFORM_LEN];
	uint32_t sig_bits;
	uint8_t embedded_digest[SWAUTH_VERIFY_DIGEST_MAX];
	uint32_t embedded_digest_len;
	uint32_t signer_key_type;	/* the key that really signed */
	uint32_t signer_key_version;
	uint8_t signer_cert[SWAUTH_CERT_MAX];	/* DER */
	uint32_t signer_cert_len;
	uint8_t computed_digest[SWAUTH_VERIFY_DIGEST_MAX];
	uint32_t computed_digest_len;
	uint32_t kernel_fd;		/* SWAUTH_IOC_SEAL: sealed copies, read-only */
	uint32_t initrd_fd;

	/* Not from the module: filled by the producer. */
	uint32_t verifier;		/* enum swauth_verifier */
	uint32_t why;			/* enum swauth_verifier_why (policy.c), 0 if unset */
};

/* Where the userspace verifier finds its trust; NULL lists mean the defaults. */
#ifndef SWAUTH_ROLLOVER_DIR	/* set by the build from DATADIR */
#define SWAUTH_ROLLOVER_DIR "/usr/share/swauth/rollover"
#endif
#define SWAUTH_KEYS_DIR "/etc/swauth/keys"
enum { SWAUTH_TRUST_DIRS_MAX = 8 };

struct swauth_trust_dirs {
	const char *rollover[SWAUTH_TRUST_DIRS_MAX];	/* NULL-terminated */
	const char *keys[SWAUTH_TRUST_DIRS_MAX];	/* NULL-terminated */
};

/* verify.c: the kernel, through /dev/swauth (PROVISION_KEY over netlink). */
int swauth_verify_convert(const struct swauth_verify_arg *arg, const uint8_t *cert,
			  size_t cert_len, struct swauth_verify_result *res,
			  struct swauth_error *err);
int swauth_seal_kernel(int fd, struct swauth_verify_result *res, struct swauth_error *err);
int swauth_payload_bootable(int fd, const struct swauth_verify_result *res,
			    struct swauth_error *err);
int swauth_verify_kernel(int fd, struct swauth_verify_result *res, struct swauth_error *err);
int swauth_key_provision(struct swauth_nl *nl, const void *der, size_t len,
			 struct swauth_error *err);

/* verify-user.c: OpenSSL in userspace. */
int swauth_verify_user(const char *path, const struct swauth_trust_dirs *dirs,
		       struct swauth_verify_result *res, struct swauth_error *err);
struct swauth_verify_stream;
int swauth_verify_stream_new(const struct swauth_trust_dirs *dirs,
			     struct swauth_verify_result *res, struct swauth_verify_stream **sp,
			     struct swauth_error *err);
uint32_t swauth_verify_stream_size(struct swauth_verify_stream *s, uint64_t total);
bool swauth_verify_stream_signed(const struct swauth_verify_stream *s);
uint32_t swauth_verify_stream_feed(struct swauth_verify_stream *s, const void *buf,
				   size_t len);
uint32_t swauth_verify_stream_end(struct swauth_verify_stream *s);
void swauth_verify_stream_free(struct swauth_verify_stream *s);
int swauth_file_md5(const char *path, uint8_t md5[16], struct swauth_error *err);
int swauth_image_seal_digest(int fd, bool check_payload, uint8_t sha256[32],
			     struct swauth_error *err);
int swauth_image_header_read(int fd, struct swauth_verify_result *res, struct swauth_error *err);

/*
 * trust.c and floors.c: the userspace trust store fed by the module: its production and
 * special keys as DIR/<type>-<V>.der and its floors in DIR/floors, one
 * "<type> <V>" line per type; the userspace verifier trusts no key below
 * its type's floor (a revoked key).
 */
#define SWAUTH_FLOORS_FILE "floors"
enum { SWAUTH_FLOORS_MAX = 256 };	/* bytes: two short lines, and room */

int swauth_trust_floors_parse(const char *text, const char *what,
			      uint32_t floors[SWAUTH_KEY_MAX + 1], struct swauth_error *err);
int swauth_trust_floors_read(const char *dir, uint32_t floors[SWAUTH_KEY_MAX + 1],
			     struct swauth_error *err);
int swauth_trust_mirror(struct swauth_nl *nl, const char *dir, struct swauth_error *err);

/*
 * policy.c: the one verification policy of every tool. The module decides
 * whenever it can be reached, and an error from it is an error; OpenSSL
 * decides only with --userspace or when the module is absent (-ENOPKG).
 */

enum { SWAUTH_VERIFIED_BY_LEN = 256 };

struct swauth_config;

struct swauth_policy {
	bool userspace;				/* --userspace: never ask the module */
	const struct swauth_trust_dirs *dirs;	/* the userspace verifier's; NULL: defaults */
	/*
	 * Non-NULL: a file in one of its file systems (flash: and the others
	 * of lib/fs.h) is opened with swauth_storage_open(), confined to that
	 * file system's directory, and both verifiers read that open file.
	 * NULL: the path is opened as it is.
	 */
	const struct swauth_config *cfg;
};

struct swauth_policy_choice {
	uint32_t verifier;			/* enum swauth_verifier */
	uint32_t why;				/* enum swauth_verifier_why */
	char by[SWAUTH_VERIFIED_BY_LEN];	/* e.g. "kernel (swauth.ko 1.0)" */
};

int swauth_policy_choose(const struct swauth_policy *p, struct swauth_policy_choice *c,
			 struct swauth_error *err);
int swauth_policy_verify_fd(const struct swauth_policy *p, const struct swauth_policy_choice *c,
			    int fd, const char *path, struct swauth_verify_result *res,
			    struct swauth_error *err);
int swauth_policy_verify(const struct swauth_policy *p, const char *path,
			 struct swauth_verify_result *res, struct swauth_policy_choice *c,
			 struct swauth_error *err);
const char *swauth_verifier_why_token(uint32_t why);
bool swauth_verdict_on_trust(uint32_t verdict);

/* system.c: what a verified image must be to become the boot image. */
bool swauth_platform_ok(const struct swauth_verify_result *res, const char *platform,
			char *msg, size_t len);
int swauth_system_image_check(const struct swauth_config *cfg, const char *path,
			      const char *name, const struct swauth_verify_result *res,
			      struct swauth_error *err);
int swauth_system_image_pinned(const struct swauth_config *cfg, const char *path,
			       const char *name, const char *digest,
			       struct swauth_verify_result *res, struct swauth_error *err);

/*
 * X.509 certificates as swauth uses them, through OpenSSL 3: read a PEM or
 * DER file into DER, and the signer details `show file` displays; and the
 * OpenSSL digest of each image hash algorithm.
 */

enum { SWAUTH_CERT_FIELD_LEN = 256 };

struct swauth_cert_info {
	char common_name[SWAUTH_CERT_FIELD_LEN];	/* "" when absent */
	char org_unit[SWAUTH_CERT_FIELD_LEN];
	char org_name[SWAUTH_CERT_FIELD_LEN];
	char serial[SWAUTH_CERT_FIELD_LEN];		/* uppercase hex */
	unsigned int key_bits;				/* 0 when not RSA */
};

int swauth_cert_read_file(const char *path, uint8_t *der, size_t size, size_t *len,
			  struct swauth_error *err);
int swauth_cert_info(const uint8_t *der, size_t len, struct swauth_cert_info *info,
		     struct swauth_error *err);
int swauth_cert_rsa_public(const uint8_t *der, size_t len, uint8_t *modulus, size_t size,
			   size_t *mod_len, uint64_t *exponent, struct swauth_error *err);
const EVP_MD *swauth_cert_hash_md(unsigned int hash_algo);

/*
 * The image signer: payload + key + certificate -> an image in format v1
 * (Documentation/image-format.rst). The payload is hashed while it is
 * copied into a temporary file next to the output, in one pass with O(1)
 * memory; the header, bundled certificate and signature are then written
 * in front of it and the file is renamed into place. On any failure no
 * output file exists and an existing one is untouched.
 *
 * For tests that need images (the verifier's, the fuzzer's corpus):
 * fill a struct swauth_sign_params with swauth_sign_params_init() and the
 * key, certificate and type, then call swauth_sign_file() on a payload
 * file or swauth_sign_mem() on a buffer. The keys of keyrings/dev/ work
 * (keyrings/README); an image with a bad field is made by signing a good
 * one and patching the bytes.
 */

struct swauth_sign_params {
	const char *key_path;	/* the private key, PEM (PKCS#8 or RSA) */
	const char *cert_path;	/* its certificate, PEM or DER */
	uint8_t image_type;	/* enum swauth_image_type */
	char key_version;	/* 'A'..'Z', must match the certificate's CN */
	uint8_t hash_algo;	/* enum swauth_hash_algo */
	const char *name;	/* NULL: the payload file's basename */
	const char *image_version;	/* NULL: empty */
	const char *platform;		/* NULL: empty */
	uint64_t build_time;	/* seconds since the epoch, UTC */
	const char *bundle_cert_path;	/* NULL: no bundled certificate */
};

/**
 * swauth_sign_params_init() - defaults: SHA-512, build time now
 * @p: the parameters to reset; everything else is zero or NULL
 */
void swauth_sign_params_init(struct swauth_sign_params *p);

/*
 * The output file name when the output is a directory: NAME + ".S" +
 * P (production, or bootloader signed by a production key),
 * S (special, or bootloader signed by a special key) or R (revocation) +
 * the key version, e.g. "c3900-universalk9-mz.SPA".
 */
int swauth_sign_extension(uint8_t image_type, uint8_t key_type,
			  char key_version, char ext[5]);

int swauth_sign_file(const struct swauth_sign_params *p, const char *payload_path,
		     const char *out, char *written, size_t written_len,
		     struct swauth_error *err);
int swauth_sign_mem(const struct swauth_sign_params *p, const void *payload,
		    size_t len, const char *out, struct swauth_error *err);

int swauth_hash_from_name(const char *name, uint8_t *hash_algo);
int swauth_image_type_from_name(const char *name, uint8_t *image_type);

#endif /* SWAUTH_LIB_IMAGE_H */
