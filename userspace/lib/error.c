// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 */

#include <stdarg.h>
#include <stdio.h>

#include "lib/error.h"

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
