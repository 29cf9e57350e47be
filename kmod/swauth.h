/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The module's private interfaces, one section per .c file. Every symbol
 * shared between files starts with swauth_; the rest is static.
 */

#ifndef _SWAUTH_H
#define _SWAUTH_H

#include <linux/types.h>
#include <uapi/linux/swauth.h>

/* The keyrings, one per key type, indexed by this id. */
enum swauth_keyring_id {
	SWAUTH_KEYRING_ROLLOVER,
	SWAUTH_KEYRING_PRODUCTION,
	SWAUTH_KEYRING_SPECIAL,
	SWAUTH_KEYRING_COUNT
};

/* state.c */
enum swauth_mode swauth_state_mode(void);
u32 swauth_state_debug(void);
void swauth_state_set_debug(u32 mask);
u64 swauth_state_verified(void);
u64 swauth_state_rejected(void);

/*
 * Log a debug message of the given category when it is switched on with
 * SWAUTH_CMD_SET_DEBUG. Ratelimited: a request can be made by any user.
 */
#define swauth_dbg(category, fmt, ...)					\
	do {								\
		if (swauth_state_debug() & (category))			\
			pr_info_ratelimited(fmt, ##__VA_ARGS__);	\
	} while (0)

/* keyring.c */
int swauth_keyring_init(void);
void swauth_keyring_uninit(void);
unsigned int swauth_keyring_count(enum swauth_keyring_id id);

/* sysfs.c */
int swauth_sysfs_init(void);
void swauth_sysfs_uninit(void);

/* netlink.c */
int swauth_genetlink_init(void);
void swauth_genetlink_uninit(void);

#endif /* _SWAUTH_H */
