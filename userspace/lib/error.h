/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * How libswauth reports a failure: every function returns 0 or -errno, and
 * fills a struct swauth_error with a sentence the caller can print after its
 * own "swauth: <subcmd>: " prefix. The library itself never prints.
 *
 * A peer's words (a server's reply, a packet's text) go into a message only
 * through swauth_escape(), so that what reaches a terminal cannot drive it.
 */

#ifndef SWAUTH_LIB_ERROR_H
#define SWAUTH_LIB_ERROR_H

#include <stddef.h>

enum { SWAUTH_ERROR_MSG_LEN = 512 };

struct swauth_error {
	int code;			/* the -errno also returned */
	char msg[SWAUTH_ERROR_MSG_LEN];	/* human-readable, no trailing newline */
};

int swauth_error_set(struct swauth_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void swauth_error_clear(struct swauth_error *err);
char *swauth_escape(char *dst, size_t len, const char *src, size_t n);

#endif /* SWAUTH_LIB_ERROR_H */
