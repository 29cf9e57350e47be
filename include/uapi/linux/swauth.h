/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Documentation
 * =============
 *
 * swauth is a generic netlink family, SWAUTH_GENL_NAME, version
 * SWAUTH_GENL_VERSION. Every request carries a struct genlmsghdr whose
 * version is SWAUTH_GENL_VERSION and whose reserved field is zero; the
 * kernel rejects anything else. Attributes not listed for a command are
 * rejected (strict validation), so a client learns at once that it talks to
 * a module that does not know what it asks for.
 *
 * Errors arrive as a netlink error message. Where the kernel can say more
 * than the errno, it adds an extended ack message (NLMSGERR_ATTR_MSG) and,
 * for a bad attribute, its offset (NLMSGERR_ATTR_OFFS); clients should set
 * NETLINK_EXT_ACK and print the message.
 *
 * Privileged commands need CAP_NET_ADMIN in the initial user namespace
 * (GENL_ADMIN_PERM): swauth's keyrings and policy are global to the machine,
 * never per namespace. An unprivileged caller gets -EPERM.
 *
 * SWAUTH_CMD_GET_STATUS
 * ---------------------
 *
 * Call form: NLM_F_REQUEST. Unprivileged. No attributes in the request.
 * The reply is one message, command SWAUTH_CMD_GET_STATUS, with:
 *
 *    SWAUTH_A_VERSION: NLA_NUL_STRING, the module's version, at most
 *                      SWAUTH_VERSION_LEN bytes with the NUL
 *    SWAUTH_A_ABI_VERSION: NLA_U32, SWAUTH_GENL_VERSION of the module
 *    SWAUTH_A_MODE: NLA_U32, one of enum swauth_mode
 *    SWAUTH_A_DEBUG: NLA_U32, the enabled debug categories, a mask of
 *                    enum swauth_debug_flag
 *    SWAUTH_A_KEYS_ROLLOVER: NLA_U32, keys on the rollover keyring
 *    SWAUTH_A_KEYS_PRODUCTION: NLA_U32, keys on the production keyring
 *    SWAUTH_A_KEYS_SPECIAL: NLA_U32, keys on the special keyring
 *    SWAUTH_A_IMAGES_VERIFIED: NLA_U64, images that passed verification
 *                              since the module was loaded
 *    SWAUTH_A_IMAGES_REJECTED: NLA_U64, images that failed verification
 *                              since the module was loaded
 *
 * A client must ignore attributes it does not know in a reply: later
 * versions add to this list, they never change or remove an entry.
 *
 * SWAUTH_CMD_SET_DEBUG
 * --------------------
 *
 * Call form: NLM_F_REQUEST. Privileged. Exactly these attributes:
 *
 *    SWAUTH_A_DEBUG: NLA_U32, the new mask of enabled debug categories;
 *                    0 turns every category off
 *
 * A bit outside __SWAUTH_DEBUG_F_ALL gives -EOPNOTSUPP; a missing
 * SWAUTH_A_DEBUG gives -EINVAL. On success the reply is an ack only. The
 * categories select which kernel log messages of swauth are printed; see
 * enum swauth_debug_flag.
 *
 * SWAUTH_CMD_VERIFY_IMAGE
 * -----------------------
 *
 * Call form: NLM_F_REQUEST. Privileged (the module holds the file's write
 * access denied while it verifies it). Exactly these attributes:
 *
 *    SWAUTH_A_FD: NLA_U32, a file descriptor of the caller, open for
 *                 reading, on a regular file holding an image in the format
 *                 of Documentation/image-format.rst
 *
 * The module reads the image through the descriptor in chunks, with write
 * access to the file denied from start to end: a writer gets ETXTBSY, and
 * a file already open for writing is not verified at all. It parses the
 * header, verifies the signature over the manifest with the key of the
 * type and version the header names, and only then streams the payload
 * through the header's hash. An fd that is not open for reading gives
 * -EBADF; the netlink error is kept for such request-level faults.
 *
 * Everything about the image itself is in the reply, one message, command
 * SWAUTH_CMD_VERIFY_IMAGE, with:
 *
 *    SWAUTH_A_VERDICT: NLA_U32, enum swauth_verdict; SWAUTH_VERDICT_OK
 *                      (0) only when every check passed
 *    SWAUTH_A_FILE_SIZE: NLA_U64, the size of the file
 *
 * and, when the header parsed (verdict SWAUTH_VERDICT_TYPE_NOT_ALLOWED or
 * a later one):
 *
 *    SWAUTH_A_IMAGE_TYPE: NLA_U32, enum swauth_image_type
 *    SWAUTH_A_KEY_TYPE: NLA_U32, enum swauth_key_type the header claims
 *    SWAUTH_A_KEY_VERSION: NLA_U32, the claimed version letter, 'A'..'Z'
 *    SWAUTH_A_HASH_ALGO: NLA_U32, enum swauth_hash_algo
 *    SWAUTH_A_PAYLOAD_SIZE: NLA_U64
 *    SWAUTH_A_BUILD_TIME: NLA_U64, seconds since the epoch, UTC
 *    SWAUTH_A_IMAGE_NAME, SWAUTH_A_IMAGE_VERSION, SWAUTH_A_PLATFORM:
 *                      NLA_NUL_STRING, from the header
 *    SWAUTH_A_SIG_BITS: NLA_U32, the size of the signature in bits, which
 *                       is the RSA modulus size
 *    SWAUTH_A_EMBEDDED_DIGEST: NLA_BINARY, the payload digest the header
 *                              carries (the hash's size)
 *
 * once a key verified the signature (the claimed one, or for the
 * SIGNER_*_MISMATCH verdicts the key that really signed):
 *
 *    SWAUTH_A_SIGNER_KEY_TYPE: NLA_U32, enum swauth_key_type
 *    SWAUTH_A_SIGNER_KEY_VERSION: NLA_U32, 'A'..'Z'
 *    SWAUTH_A_SIGNER_CERT: NLA_BINARY, the signer's X.509 certificate (DER)
 *
 * and once the payload was hashed:
 *
 *    SWAUTH_A_COMPUTED_DIGEST: NLA_BINARY, the digest of the payload
 *
 * SWAUTH_CMD_PROVISION_KEY
 * ------------------------
 *
 * Call form: NLM_F_REQUEST. Privileged. The factory path for production
 * and special keys. Exactly these attributes:
 *
 *    SWAUTH_A_CERT: NLA_BINARY, an X.509 certificate (DER), at most
 *                   SWAUTH_CERT_MAX bytes
 *
 * The certificate must be issued (signed) by a rollover key built into the
 * module, and its subject common name must be "swauth production key V" or
 * "swauth special key V" with V the version letter: that is what binds a
 * key to its type and version (Documentation/image-format.rst). On success
 * the key is on the keyring of its type and the reply is an ack. Errors:
 * -EBADMSG for a certificate that does not parse, -ENOKEY when no rollover
 * key issued it, -EKEYREJECTED when its signature does not verify,
 * -EINVAL for a common name outside the convention, -EEXIST when a key of
 * that type and version is present, -ENOSPC when the keyring is full.
 */

#ifndef _UAPI_SWAUTH_H
#define _UAPI_SWAUTH_H

#define SWAUTH_GENL_NAME "swauth"
#define SWAUTH_GENL_VERSION 1

/* Longest module version string, including the terminating NUL. */
#define SWAUTH_VERSION_LEN 64

/* Largest certificate SWAUTH_CMD_PROVISION_KEY accepts, in bytes. */
#define SWAUTH_CERT_MAX 8192

enum swauth_cmd {
	SWAUTH_CMD_UNSPEC,
	SWAUTH_CMD_GET_STATUS,
	SWAUTH_CMD_SET_DEBUG,
	SWAUTH_CMD_VERIFY_IMAGE,
	SWAUTH_CMD_PROVISION_KEY,
	__SWAUTH_CMD_MAX
};

#define SWAUTH_CMD_MAX (__SWAUTH_CMD_MAX - 1)

/*
 * What the module can do with the keys it holds. Without writable key
 * storage it verifies images but cannot add or revoke keys (the Catalyst
 * 4500E and ASR 1002-X restriction of the seeds); with key storage it does
 * both.
 */
enum swauth_mode {
	SWAUTH_MODE_UNSPEC,
	SWAUTH_MODE_VERIFY_ONLY,
	SWAUTH_MODE_KEY_MANAGEMENT,
	__SWAUTH_MODE_MAX
};

#define SWAUTH_MODE_MAX (__SWAUTH_MODE_MAX - 1)

/* Debug categories, the `debug software authenticity` keywords. */
enum swauth_debug_flag {
	SWAUTH_DEBUG_F_ENVELOPE = 1U << 0,	/* image header and signature */
	SWAUTH_DEBUG_F_ERRORS = 1U << 1,	/* every failure, with its cause */
	SWAUTH_DEBUG_F_KEY = 1U << 2,		/* keyring and key storage */
	SWAUTH_DEBUG_F_REVOCATION = 1U << 3,	/* floors and revocation */
	SWAUTH_DEBUG_F_SHOW = 1U << 4,		/* requests for shown state */
	SWAUTH_DEBUG_F_VERBOSE = 1U << 5,	/* step by step detail */
	__SWAUTH_DEBUG_F_ALL = SWAUTH_DEBUG_F_ENVELOPE | SWAUTH_DEBUG_F_ERRORS |
			       SWAUTH_DEBUG_F_KEY | SWAUTH_DEBUG_F_REVOCATION |
			       SWAUTH_DEBUG_F_SHOW | SWAUTH_DEBUG_F_VERBOSE
};

enum swauth_attr {
	SWAUTH_A_UNSPEC,
	SWAUTH_A_VERSION,
	SWAUTH_A_ABI_VERSION,
	SWAUTH_A_MODE,
	SWAUTH_A_DEBUG,
	SWAUTH_A_KEYS_ROLLOVER,
	SWAUTH_A_KEYS_PRODUCTION,
	SWAUTH_A_KEYS_SPECIAL,
	SWAUTH_A_IMAGES_VERIFIED,
	SWAUTH_A_IMAGES_REJECTED,
	SWAUTH_A_PAD,		/* alignment padding for 64-bit values */
	SWAUTH_A_FD,
	SWAUTH_A_VERDICT,
	SWAUTH_A_FILE_SIZE,
	SWAUTH_A_IMAGE_TYPE,
	SWAUTH_A_KEY_TYPE,
	SWAUTH_A_KEY_VERSION,
	SWAUTH_A_HASH_ALGO,
	SWAUTH_A_PAYLOAD_SIZE,
	SWAUTH_A_BUILD_TIME,
	SWAUTH_A_IMAGE_NAME,
	SWAUTH_A_IMAGE_VERSION,
	SWAUTH_A_PLATFORM,
	SWAUTH_A_SIG_BITS,
	SWAUTH_A_EMBEDDED_DIGEST,
	SWAUTH_A_SIGNER_KEY_TYPE,
	SWAUTH_A_SIGNER_KEY_VERSION,
	SWAUTH_A_SIGNER_CERT,
	SWAUTH_A_COMPUTED_DIGEST,
	SWAUTH_A_CERT,
	__SWAUTH_A_LAST
};

#define SWAUTH_A_MAX (__SWAUTH_A_LAST - 1)

/* What an image is for; byte 12 of the image header. */
enum swauth_image_type {
	SWAUTH_IMAGE_UNSPEC,
	SWAUTH_IMAGE_PRODUCTION,	/* system image, production key */
	SWAUTH_IMAGE_SPECIAL,		/* system image, special key */
	SWAUTH_IMAGE_REVOCATION,	/* key bundle, rollover key */
	SWAUTH_IMAGE_BOOTLOADER,	/* boot loader, production or special */
	__SWAUTH_IMAGE_MAX
};

#define SWAUTH_IMAGE_MAX (__SWAUTH_IMAGE_MAX - 1)

/* Key types; byte 13 of the image header. */
enum swauth_key_type {
	SWAUTH_KEY_UNSPEC,
	SWAUTH_KEY_ROLLOVER,		/* root of trust, built into the module */
	SWAUTH_KEY_PRODUCTION,		/* "Release" */
	SWAUTH_KEY_SPECIAL,		/* "Development" */
	__SWAUTH_KEY_MAX
};

#define SWAUTH_KEY_MAX (__SWAUTH_KEY_MAX - 1)

/* Hash algorithms; byte 15 of the image header. */
enum swauth_hash_algo {
	SWAUTH_HASH_UNSPEC,
	SWAUTH_HASH_SHA256,
	SWAUTH_HASH_SHA384,
	SWAUTH_HASH_SHA512,
	__SWAUTH_HASH_MAX
};

#define SWAUTH_HASH_MAX (__SWAUTH_HASH_MAX - 1)

/*
 * The outcome of SWAUTH_CMD_VERIFY_IMAGE, one value per cause, in the order
 * the checks run. Userspace turns each into its message.
 */
enum swauth_verdict {
	SWAUTH_VERDICT_OK,
	SWAUTH_VERDICT_NOT_REGULAR,	/* a directory, device, pipe, ... */
	SWAUTH_VERDICT_EMPTY,		/* zero bytes */
	SWAUTH_VERDICT_WRITE_BUSY,	/* open for writing by someone */
	SWAUTH_VERDICT_IO_ERROR,	/* reading the file failed */
	SWAUTH_VERDICT_TRUNCATED_HEADER, /* shorter than the fixed header */
	SWAUTH_VERDICT_BAD_MAGIC,	/* not a swauth image */
	SWAUTH_VERDICT_BAD_FORMAT_VERSION, /* a format this module lacks */
	SWAUTH_VERDICT_BAD_HEADER,	/* a field out of range, reserved set */
	SWAUTH_VERDICT_SIZE_OVERFLOW,	/* sizes add up past the limit */
	SWAUTH_VERDICT_TYPE_NOT_ALLOWED, /* image type vs key type rules */
	SWAUTH_VERDICT_TRUNCATED_MANIFEST, /* ends inside the bundled cert */
	SWAUTH_VERDICT_TRUNCATED_SIGNATURE, /* ends inside the signature */
	SWAUTH_VERDICT_TRUNCATED_PAYLOAD, /* shorter than header says */
	SWAUTH_VERDICT_TRAILING_DATA,	/* longer than header says */
	SWAUTH_VERDICT_UNKNOWN_KEY,	/* no key of that type and version */
	SWAUTH_VERDICT_SIGNER_TYPE_MISMATCH, /* signed by another key type */
	SWAUTH_VERDICT_SIGNER_VERSION_MISMATCH, /* ... by another version */
	SWAUTH_VERDICT_BAD_SIGNATURE,	/* no known key made the signature */
	SWAUTH_VERDICT_BAD_DIGEST,	/* the payload's digest differs */
	__SWAUTH_VERDICT_MAX
};

#define SWAUTH_VERDICT_MAX (__SWAUTH_VERDICT_MAX - 1)

#endif /* _UAPI_SWAUTH_H */
