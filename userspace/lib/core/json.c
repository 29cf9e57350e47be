// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Streaming JSON writer. Strings from the kernel (a module version) are
 * untrusted bytes: quotes, backslashes and control characters are escaped,
 * valid UTF-8 passes through, and each byte of an invalid UTF-8 sequence
 * becomes U+FFFD, so the output is always valid JSON (RFC 8259).
 */

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>

#include "lib/core.h"

/* Length of the valid UTF-8 sequence at @s (first byte >= 0x80), or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and values past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/**
 * swauth_json_write_string() - write @s as a quoted, escaped JSON string
 * @f: the stream
 * @s: NUL-terminated bytes, not necessarily UTF-8
 */
void swauth_json_write_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	fputc('"', f);
	while (*p) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20) {
				fprintf(f, "\\u%04x", *p);
			} else if (*p < 0x80) {
				fputc(*p, f);
			} else {
				n = utf8_len(p);
				if (n) {
					fwrite(p, 1, n, f);
					p += n;
					continue;
				}
				fputs("\\ufffd", f);
			}
		}
		p++;
	}
	fputc('"', f);
}

/* Write the separator and the key that come before a value. */
static bool member(struct swauth_json *j, const char *key)
{
	if (j->misuse)
		return false;
	if (j->depth && !j->first[j->depth - 1])
		fputc(',', j->f);
	else if (!j->depth && !j->first[0])
		j->misuse = true;	/* a second top-level value */
	if (j->depth)
		j->first[j->depth - 1] = false;
	else
		j->first[0] = false;
	if (key) {
		swauth_json_write_string(j->f, key);
		fputc(':', j->f);
	}
	return !j->misuse;
}

/**
 * swauth_json_init() - start a document
 * @j: the writer
 * @f: where to write
 */
void swauth_json_init(struct swauth_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->misuse = false;
	j->first[0] = true;
}

static void open_container(struct swauth_json *j, const char *key, char c)
{
	if (j->depth + 1 >= SWAUTH_JSON_MAX_DEPTH) {
		j->misuse = true;
		return;
	}
	if (!member(j, key))
		return;
	fputc(c, j->f);
	j->first[j->depth++] = true;
}

static void close_container(struct swauth_json *j, char c)
{
	if (j->misuse)
		return;
	if (!j->depth) {
		j->misuse = true;
		return;
	}
	j->depth--;
	fputc(c, j->f);
}

/**
 * swauth_json_object_begin() - open an object
 * @j: the writer
 * @key: member name in the enclosing object, or NULL
 */
void swauth_json_object_begin(struct swauth_json *j, const char *key)
{
	open_container(j, key, '{');
}

/**
 * swauth_json_object_end() - close the innermost object
 * @j: the writer
 */
void swauth_json_object_end(struct swauth_json *j)
{
	close_container(j, '}');
}

/**
 * swauth_json_array_begin() - open an array
 * @j: the writer
 * @key: member name in the enclosing object, or NULL
 */
void swauth_json_array_begin(struct swauth_json *j, const char *key)
{
	open_container(j, key, '[');
}

/**
 * swauth_json_array_end() - close the innermost array
 * @j: the writer
 */
void swauth_json_array_end(struct swauth_json *j)
{
	close_container(j, ']');
}

/**
 * swauth_json_string() - write a string value
 * @j: the writer
 * @key: member name, or NULL in an array
 * @value: the string, escaped on output
 */
void swauth_json_string(struct swauth_json *j, const char *key, const char *value)
{
	if (member(j, key))
		swauth_json_write_string(j->f, value);
}

/**
 * swauth_json_u64() - write an unsigned number
 * @j: the writer
 * @key: member name, or NULL in an array
 * @value: the number
 */
void swauth_json_u64(struct swauth_json *j, const char *key, uint64_t value)
{
	if (member(j, key))
		fprintf(j->f, "%" PRIu64, value);
}

/**
 * swauth_json_null() - write null, for a value the module did not report
 * @j: the writer
 * @key: member name, or NULL in an array
 */
void swauth_json_null(struct swauth_json *j, const char *key)
{
	if (member(j, key))
		fputs("null", j->f);
}

/**
 * swauth_json_finish() - end the document with a newline
 * @j: the writer
 *
 * Return: 0, -EINVAL if the calls did not form one balanced value, or -EIO
 * if the stream reported an error.
 */
int swauth_json_finish(struct swauth_json *j)
{
	if (j->misuse || j->depth || j->first[0])
		return -EINVAL;
	fputc('\n', j->f);
	if (fflush(j->f) || ferror(j->f))
		return -EIO;
	return 0;
}
