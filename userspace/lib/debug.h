/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Debug categories (enum swauth_debug_flag) by name, and
 * SWAUTH_CMD_SET_DEBUG.
 */

#ifndef SWAUTH_LIB_DEBUG_H
#define SWAUTH_LIB_DEBUG_H

#include <stdint.h>

#include "lib/error.h"

struct swauth_nl;

struct swauth_debug_category {
	const char *name;
	uint32_t flag;
};

/* In bit order; ends with { NULL, 0 }. */
extern const struct swauth_debug_category swauth_debug_categories[];

int swauth_debug_from_name(const char *name, uint32_t *flag);
const char *swauth_debug_name(uint32_t flag);
int swauth_debug_set(struct swauth_nl *nl, uint32_t mask, struct swauth_error *err);

#endif /* SWAUTH_LIB_DEBUG_H */
