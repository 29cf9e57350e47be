// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "lib/core.h"

/**
 * swauth_error_set() - record a failure
 * @err: where to record it; may be NULL when the caller wants only the code
 * @code: the -errno to return
 * @fmt: printf format of the message
 *
 * Return: @code, so that callers can write "return swauth_error_set(...)".
 */
int swauth_error_set(struct swauth_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

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

/**
 * swauth_error_clear() - reset a struct swauth_error to "no error"
 * @err: the error; may be NULL
 */
void swauth_error_clear(struct swauth_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}

/**
 * swauth_escape() - a peer's text made safe to print
 * @dst: the result, always NUL-terminated, cut before an escape that
 *       would not fit
 * @len: the size of @dst, at least 1
 * @src: the text: @n bytes, or fewer up to a NUL
 * @n: the most bytes of @src to read
 *
 * Printable ASCII is kept; a backslash becomes "\\", CR, LF and TAB become
 * "\r", "\n" and "\t", and every other byte (control characters, DEL and
 * all bytes from 0x80 on, the 8-bit CSI 0x9b among them) "\xHH": a
 * server's words cannot move the cursor, rewrite a line or set a window
 * title.
 *
 * Return: @dst.
 */
char *swauth_escape(char *dst, size_t len, const char *src, size_t n)
{
	size_t i, off = 0;

	for (i = 0; i < n && src[i]; i++) {
		unsigned char c = (unsigned char)src[i];
		char esc[5];
		size_t elen;

		if (c == '\\')
			elen = (size_t)snprintf(esc, sizeof(esc), "\\\\");
		else if (c == '\r')
			elen = (size_t)snprintf(esc, sizeof(esc), "\\r");
		else if (c == '\n')
			elen = (size_t)snprintf(esc, sizeof(esc), "\\n");
		else if (c == '\t')
			elen = (size_t)snprintf(esc, sizeof(esc), "\\t");
		else if (c < 0x20 || c >= 0x7f)
			elen = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", c);
		else
			elen = (size_t)snprintf(esc, sizeof(esc), "%c", c);
		if (off + elen >= len)
			break;
		memcpy(dst + off, esc, elen);
		off += elen;
	}
	dst[off] = '\0';
	return dst;
}
