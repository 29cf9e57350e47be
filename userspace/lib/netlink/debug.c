// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Debug categories: the keywords of IOS "debug software authenticity", and
 * the SET_DEBUG request that replaces the module's mask of them.
 */

#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/swauth.h>

#include "lib/netlink.h"

const struct swauth_debug_category swauth_debug_categories[] = {
	{ "envelope", SWAUTH_DEBUG_F_ENVELOPE },
	{ "errors", SWAUTH_DEBUG_F_ERRORS },
	{ "key", SWAUTH_DEBUG_F_KEY },
	{ "revocation", SWAUTH_DEBUG_F_REVOCATION },
	{ "show", SWAUTH_DEBUG_F_SHOW },
	{ "verbose", SWAUTH_DEBUG_F_VERBOSE },
	{ NULL, 0 }
};

/**
 * swauth_debug_from_name() - look up a category by its exact name
 * @name: e.g. "errors"; "all" gives every category
 * @flag: receives the category's bit, or __SWAUTH_DEBUG_F_ALL for "all"
 *
 * Return: 0, or -EINVAL for an unknown name.
 */
int swauth_debug_from_name(const char *name, uint32_t *flag)
{
	const struct swauth_debug_category *c;

	if (!strcmp(name, "all")) {
		*flag = __SWAUTH_DEBUG_F_ALL;
		return 0;
	}
	for (c = swauth_debug_categories; c->name; c++) {
		if (!strcmp(name, c->name)) {
			*flag = c->flag;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * swauth_debug_name() - the name of one category
 * @flag: a single bit of enum swauth_debug_flag
 *
 * Return: the name, or NULL for a bit this library does not know.
 */
const char *swauth_debug_name(uint32_t flag)
{
	const struct swauth_debug_category *c;

	for (c = swauth_debug_categories; c->name; c++)
		if (c->flag == flag)
			return c->name;
	return NULL;
}

/**
 * swauth_debug_set() - replace the module's debug mask
 * @nl: an open handle
 * @mask: the new mask; 0 turns every category off
 * @err: filled on failure
 *
 * Return: 0, -EPERM without CAP_NET_ADMIN, -EOPNOTSUPP for a bit the
 * module does not know, or another -errno.
 */
int swauth_debug_set(struct swauth_nl *nl, uint32_t mask, struct swauth_error *err)
{
	struct nlmsghdr *nlh = swauth_nl_request(nl, SWAUTH_CMD_SET_DEBUG);

	mnl_attr_put_u32(nlh, SWAUTH_A_DEBUG, mask);
	return swauth_nl_transact(nl, nlh, "SET_DEBUG", NULL, NULL, err);
}
