/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The rollover certificates the module trusts, built in: the DER file
 * that Kbuild makes from $(SWAUTH_ROLLOVER_CERTS), concatenated. Read once
 * at load time by keys.c, which copies what it keeps.
 */

#ifndef SWAUTH_ROLLOVER_DER
#error "no SWAUTH_ROLLOVER_DER and no pregenerated/rollover-certs.der: use the top-level make"
#endif

	.section ".init.rodata", "a"
	.globl swauth_rollover_certs
swauth_rollover_certs:
	.incbin SWAUTH_ROLLOVER_DER
	.globl swauth_rollover_certs_end
swauth_rollover_certs_end:
