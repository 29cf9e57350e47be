// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * OpenSSL's errors in a struct swauth_error (lib/core.h). Apart from
 * error.c, so that what links error.c alone (the fuzz targets) needs no
 * libcrypto.
 */

#include <stdio.h>

#include <openssl/err.h>

#include "lib/core.h"

/**
 * swauth_ossl_reason() - OpenSSL's newest error, for a message
 * @buf: where the text goes
 * @len: size of @buf
 *
 * The reason of the newest entry of OpenSSL's error queue ("bad decrypt"),
 * its whole text when it has no reason string, or "no detail from
 * OpenSSL" when the queue is empty. The queue is cleared.
 *
 * Return: @buf.
 */
const char *swauth_ossl_reason(char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	if (r)
		snprintf(buf, len, "%s", r);
	else if (e)
		ERR_error_string_n(e, buf, len);
	else
		snprintf(buf, len, "no detail from OpenSSL");
	ERR_clear_error();
	return buf;
}

/**
 * swauth_error_ossl() - record a failure of OpenSSL, with its reason
 * @err: where to record it; may be NULL
 * @code: the -errno to return
 * @what: what failed, the message's start
 *
 * The message is "@what: " and swauth_ossl_reason().
 *
 * Return: @code.
 */
int swauth_error_ossl(struct swauth_error *err, int code, const char *what)
{
	char reason[256];

	return swauth_error_set(err, code, "%s: %s", what,
				swauth_ossl_reason(reason, sizeof(reason)));
}
