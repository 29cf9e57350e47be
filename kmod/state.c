// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Module-wide state that several interfaces report: the mode, the debug
 * categories and the verification counters.
 */

#include <linux/atomic.h>
#include <linux/compiler.h>

#include "swauth.h"

/* Written only by SWAUTH_CMD_SET_DEBUG; read locklessly by every logger. */
static u32 debug_mask;

/*
 * Bytes held by verifications in progress, and the most ever held at once:
 * the figure that must not grow with the size of an image.
 */
static atomic_long_t verify_mem = ATOMIC_LONG_INIT(0);
static atomic_long_t verify_mem_peak = ATOMIC_LONG_INIT(0);

/* Incremented by image verification, read by status requests and sysfs. */
static atomic64_t images_verified = ATOMIC64_INIT(0);
static atomic64_t images_rejected = ATOMIC64_INIT(0);

/**
 * swauth_state_mode() - what the module can do with its keys
 *
 * Without key storage, keys verify images but can be neither added nor
 * revoked.
 *
 * Return: the current enum swauth_mode.
 */
enum swauth_mode swauth_state_mode(void)
{
	return swauth_storage_configured() ? SWAUTH_MODE_KEY_MANAGEMENT :
					     SWAUTH_MODE_VERIFY_ONLY;
}

/**
 * swauth_state_debug() - the enabled debug categories
 *
 * Return: a mask of enum swauth_debug_flag.
 */
u32 swauth_state_debug(void)
{
	return READ_ONCE(debug_mask);
}

/**
 * swauth_state_set_debug() - switch debug categories on and off
 * @mask: the new mask, already checked against __SWAUTH_DEBUG_F_ALL
 */
void swauth_state_set_debug(u32 mask)
{
	WRITE_ONCE(debug_mask, mask);
}

/**
 * swauth_state_verified() - images that passed verification
 *
 * Return: the count since the module was loaded.
 */
u64 swauth_state_verified(void)
{
	return atomic64_read(&images_verified);
}

/**
 * swauth_state_count() - count a verification
 * @verified: whether the image passed
 */
void swauth_state_count(bool verified)
{
	atomic64_inc(verified ? &images_verified : &images_rejected);
}

/**
 * swauth_state_mem() - account memory a verification holds
 * @bytes: allocated (positive) or freed (negative)
 */
void swauth_state_mem(long bytes)
{
	long now = atomic_long_add_return(bytes, &verify_mem);
	long peak = atomic_long_read(&verify_mem_peak);

	while (now > peak &&
	       !atomic_long_try_cmpxchg(&verify_mem_peak, &peak, now))
		;
}

/**
 * swauth_state_mem_peak() - the most memory verifications held at once
 *
 * Return: bytes, since the module was loaded.
 */
long swauth_state_mem_peak(void)
{
	return atomic_long_read(&verify_mem_peak);
}

/**
 * swauth_state_rejected() - images that failed verification
 *
 * Return: the count since the module was loaded.
 */
u64 swauth_state_rejected(void)
{
	return atomic64_read(&images_rejected);
}
