/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The netlink transport of libswauth: a generic netlink socket bound to the
 * "swauth" family, and one request/reply transaction at a time. Only the
 * files of userspace/lib/ include this header; subcommands call the
 * per-command functions (status.h, debug.h) instead.
 */

#ifndef SWAUTH_LIB_NL_H
#define SWAUTH_LIB_NL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

struct nlmsghdr;
struct mnl_socket;
struct swauth_nl;

/*
 * Called once for every reply message of a transaction (not for the final
 * ack). Returns 0 or -errno with @err filled; the first failure is what
 * swauth_nl_transact() returns, once the kernel's ack has been read.
 */
typedef int (*swauth_nl_reply_fn)(const struct nlmsghdr *nlh, void *data,
				  struct swauth_error *err);

int swauth_nl_open(struct swauth_nl **nlp, struct swauth_error *err);
void swauth_nl_close(struct swauth_nl *nl);
struct nlmsghdr *swauth_nl_request(struct swauth_nl *nl, uint8_t cmd);
int swauth_nl_transact(struct swauth_nl *nl, struct nlmsghdr *req, const char *what,
		       swauth_nl_reply_fn fn, void *data, struct swauth_error *err);
int swauth_nl_dump(struct swauth_nl *nl, struct nlmsghdr *req, const char *what,
		   swauth_nl_reply_fn fn, void *data, struct swauth_error *err);
int swauth_nl_parse_error(const struct nlmsghdr *nlh, char *ext, size_t extlen);
struct nlmsghdr *swauth_nl_getfamily(struct swauth_nl *nl);
struct mnl_socket *swauth_nl_socket(struct swauth_nl *nl);

#endif /* SWAUTH_LIB_NL_H */
