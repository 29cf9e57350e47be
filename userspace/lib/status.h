/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * SWAUTH_CMD_GET_STATUS: the module's state as an in-memory model. Each
 * field is valid only when its SWAUTH_STATUS_HAS_* bit is set in @has, so
 * that "not reported by this module" is never confused with zero.
 */

#ifndef SWAUTH_LIB_STATUS_H
#define SWAUTH_LIB_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/swauth.h>

#include "lib/error.h"

struct nlmsghdr;
struct swauth_nl;

enum swauth_status_has {
	SWAUTH_STATUS_HAS_VERSION = 1U << 0,
	SWAUTH_STATUS_HAS_ABI_VERSION = 1U << 1,
	SWAUTH_STATUS_HAS_MODE = 1U << 2,
	SWAUTH_STATUS_HAS_DEBUG = 1U << 3,
	SWAUTH_STATUS_HAS_KEYS_ROLLOVER = 1U << 4,
	SWAUTH_STATUS_HAS_KEYS_PRODUCTION = 1U << 5,
	SWAUTH_STATUS_HAS_KEYS_SPECIAL = 1U << 6,
	SWAUTH_STATUS_HAS_IMAGES_VERIFIED = 1U << 7,
	SWAUTH_STATUS_HAS_IMAGES_REJECTED = 1U << 8,
	SWAUTH_STATUS_HAS_FLOOR_PRODUCTION = 1U << 9,
	SWAUTH_STATUS_HAS_FLOOR_SPECIAL = 1U << 10,
	SWAUTH_STATUS_HAS_STORE_PRIMARY = 1U << 11,
	SWAUTH_STATUS_HAS_STORE_BACKUP = 1U << 12,
	SWAUTH_STATUS_HAS_STORE_SEQUENCE = 1U << 13,
	SWAUTH_STATUS_HAS_BOOT = 1U << 14,
	SWAUTH_STATUS_HAS_STORE_ERROR = 1U << 15,
	SWAUTH_STATUS_HAS_BOOT_BASIS = 1U << 16,
	SWAUTH_STATUS_HAS_ENFORCE = 1U << 17,
	SWAUTH_STATUS_HAS_KEXEC_REFUSED = 1U << 18,
	SWAUTH_STATUS_HAS_RUNNING = 1U << 19,
	SWAUTH_STATUS_HAS_RUNNING_WHY = 1U << 20,
	SWAUTH_STATUS_HAS_IMAGE_NAME = 1U << 21,
	SWAUTH_STATUS_HAS_IMAGE_VERSION = 1U << 22,
	SWAUTH_STATUS_HAS_IMAGE_TYPE = 1U << 23,
	SWAUTH_STATUS_HAS_SIGNER_KEY_TYPE = 1U << 24,
	SWAUTH_STATUS_HAS_SIGNER_KEY_VERSION = 1U << 25,
	SWAUTH_STATUS_HAS_HASH_ALGO = 1U << 26,
	SWAUTH_STATUS_HAS_EMBEDDED_DIGEST = 1U << 27,
	SWAUTH_STATUS_HAS_BUILD_TIME = 1U << 28,
	SWAUTH_STATUS_HAS_RUNNING_KERNEL = 1U << 29,
};

/* Bounds of the running image's strings, with the NUL. */
enum {
	SWAUTH_STATUS_WHY_LEN = 256,
	SWAUTH_STATUS_NAME_LEN = 64,		/* the image header's field sizes */
	SWAUTH_STATUS_IMAGE_VERSION_LEN = 32,
	SWAUTH_STATUS_KERNEL_LEN = 256,		/* utsname release, a blank, version */
	SWAUTH_STATUS_DIGEST_MAX = 64,		/* SHA-512 */
};

struct swauth_status {
	uint32_t has;			/* mask of enum swauth_status_has */
	char version[SWAUTH_VERSION_LEN];
	uint32_t abi_version;
	uint32_t mode;			/* enum swauth_mode, possibly one we don't know */
	uint32_t debug;			/* mask of enum swauth_debug_flag */
	uint32_t keys_rollover;
	uint32_t keys_production;
	uint32_t keys_special;
	uint64_t images_verified;
	uint64_t images_rejected;
	/* Key storage (include/uapi/linux/swauth.h, "Key storage"). */
	uint32_t floor_production;	/* 'A'..'Z', or 0 for no floor */
	uint32_t floor_special;
	uint32_t store_primary;		/* enum swauth_store_state */
	uint32_t store_backup;
	uint64_t store_sequence;
	int32_t store_error;		/* -errno: why key storage is unreadable */
	uint32_t boot;			/* enum swauth_boot, possibly one we don't know */
	uint32_t boot_basis;		/* enum swauth_boot_basis, likewise */
	uint32_t enforce;		/* 1 while kexec is enforced */
	uint64_t kexec_refused;		/* kexec loads refused */
	/*
	 * The running image, as the module measured it at load: running is
	 * enum swauth_running; with SWAUTH_RUNNING_UNKNOWN running_why says
	 * why, with SWAUTH_RUNNING_MEASURED the rest is the image's record.
	 */
	uint32_t running;
	char running_why[SWAUTH_STATUS_WHY_LEN];
	char image_name[SWAUTH_STATUS_NAME_LEN];
	char image_version[SWAUTH_STATUS_IMAGE_VERSION_LEN];
	uint32_t image_type;		/* enum swauth_image_type */
	uint32_t signer_key_type;	/* enum swauth_key_type */
	uint32_t signer_key_version;	/* 'A'..'Z' */
	uint32_t hash_algo;		/* enum swauth_hash_algo */
	uint8_t embedded_digest[SWAUTH_STATUS_DIGEST_MAX];	/* the payload digest */
	uint32_t embedded_digest_len;
	uint64_t build_time;		/* seconds since the epoch, UTC */
	char running_kernel[SWAUTH_STATUS_KERNEL_LEN];	/* release and version */
};

int swauth_status_get(struct swauth_nl *nl, struct swauth_status *st, struct swauth_error *err);
int swauth_status_fetch(struct swauth_status *st, struct swauth_error *err);
int swauth_status_parse(const struct nlmsghdr *nlh, struct swauth_status *st,
			struct swauth_error *err);
const char *swauth_status_mode_name(uint32_t mode);
const char *swauth_store_state_name(uint32_t state);
const char *swauth_boot_name(uint32_t boot);
bool swauth_status_running_measured(const struct swauth_status *st);
const char *swauth_status_running_why(const struct swauth_status *st);
char swauth_status_running_signer(const struct swauth_status *st);
int swauth_enforce_set(struct swauth_nl *nl, bool on, struct swauth_error *err);

#endif /* SWAUTH_LIB_STATUS_H */
