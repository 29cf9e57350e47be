// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
