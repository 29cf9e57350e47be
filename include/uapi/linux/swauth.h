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
 */

#ifndef _UAPI_SWAUTH_H
#define _UAPI_SWAUTH_H

#define SWAUTH_GENL_NAME "swauth"
#define SWAUTH_GENL_VERSION 1

/* Longest module version string, including the terminating NUL. */
#define SWAUTH_VERSION_LEN 64

enum swauth_cmd {
	SWAUTH_CMD_UNSPEC,
	SWAUTH_CMD_GET_STATUS,
	SWAUTH_CMD_SET_DEBUG,
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
	__SWAUTH_A_LAST
};

#define SWAUTH_A_MAX (__SWAUTH_A_LAST - 1)

#endif /* _UAPI_SWAUTH_H */
