// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The JSON writer: string escaping of untrusted bytes, separators, and
 * refusal of documents that are not one balanced value.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core.h"

#include "kselftest_harness.h"

/* Escape @in; the caller frees the result. */
static char *escape(const char *in)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	swauth_json_write_string(f, in);
	fclose(f);
	return out;
}

#define EXPECT_ESCAPED(expected, in) do { \
	char *__out = escape(in); \
	ASSERT_NE(NULL, __out); \
	EXPECT_STREQ(expected, __out); \
	free(__out); \
} while (0)

/* Plain ASCII is quoted and otherwise left alone, DEL included. */
TEST(plain)
{
	EXPECT_ESCAPED("\"\"", "");
	EXPECT_ESCAPED("\"6.1.0-swauth 1.0/a'b\"", "6.1.0-swauth 1.0/a'b");
	EXPECT_ESCAPED("\"\x7f\"", "\x7f");
}

/* Quote and backslash get a backslash. */
TEST(quote_and_backslash)
{
	EXPECT_ESCAPED("\"a\\\"b\\\\c\"", "a\"b\\c");
	EXPECT_ESCAPED("\"\\\\\\\"\"", "\\\"");
}

/* Every control character is escaped: short forms where JSON has them. */
TEST(control_characters)
{
	EXPECT_ESCAPED("\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t");
	EXPECT_ESCAPED("\"\\u0001\\u001f\\u001b[31m\"", "\x01\x1f\x1b[31m");
}

/* Valid UTF-8 passes through unchanged, 2, 3 and 4 bytes long. */
TEST(valid_utf8)
{
	EXPECT_ESCAPED("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91\"",
		       "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91");
}

/* Each byte of an invalid sequence becomes U+FFFD, so output is always UTF-8. */
TEST(invalid_utf8)
{
	EXPECT_ESCAPED("\"\\ufffd\"", "\x80");				/* lone continuation */
	EXPECT_ESCAPED("\"\\ufffd\\ufffd\"", "\xc0\xaf");		/* overlong '/' */
	EXPECT_ESCAPED("\"\\ufffd\\ufffd\"", "\xe2\x82");		/* cut at the end */
	EXPECT_ESCAPED("\"\\ufffd\\ufffdx\"", "\xe2\x82x");		/* cut in the middle */
	EXPECT_ESCAPED("\"\\ufffd\\ufffd\\ufffd\"", "\xed\xa0\x80");	/* surrogate */
	EXPECT_ESCAPED("\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "\xf4\x90\x80\x80"); /* > U+10FFFF */
	EXPECT_ESCAPED("\"\\ufffd\"", "\xff");
}

/* Separators and nesting, in the order the calls were made. */
TEST(document)
{
	struct swauth_json j;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	ASSERT_NE(NULL, f);
	swauth_json_init(&j, f);
	swauth_json_object_begin(&j, NULL);
	swauth_json_string(&j, "s", "x\"y");
	swauth_json_u64(&j, "n", 18446744073709551615ULL);
	swauth_json_null(&j, "z");
	swauth_json_array_begin(&j, "a");
	swauth_json_string(&j, NULL, "one");
	swauth_json_u64(&j, NULL, 2);
	swauth_json_object_begin(&j, NULL);
	swauth_json_object_end(&j);
	swauth_json_array_end(&j);
	swauth_json_array_begin(&j, "empty");
	swauth_json_array_end(&j);
	swauth_json_object_begin(&j, "o\n");
	swauth_json_u64(&j, "k", 0);
	swauth_json_object_end(&j);
	swauth_json_object_end(&j);
	EXPECT_EQ(0, swauth_json_finish(&j));
	fclose(f);
	EXPECT_STREQ("{\"s\":\"x\\\"y\",\"n\":18446744073709551615,\"z\":null,"
		     "\"a\":[\"one\",2,{}],\"empty\":[],\"o\\n\":{\"k\":0}}\n", out);
	free(out);
}

/* finish() refuses an empty, unclosed, over-closed or doubled document. */
TEST(unbalanced)
{
	struct swauth_json j;
	FILE *f = fopen("/dev/null", "w");

	ASSERT_NE(NULL, f);
	swauth_json_init(&j, f);
	EXPECT_EQ(-EINVAL, swauth_json_finish(&j));

	swauth_json_init(&j, f);
	swauth_json_object_begin(&j, NULL);
	EXPECT_EQ(-EINVAL, swauth_json_finish(&j));

	swauth_json_init(&j, f);
	swauth_json_array_begin(&j, NULL);
	swauth_json_array_end(&j);
	swauth_json_array_end(&j);
	EXPECT_EQ(-EINVAL, swauth_json_finish(&j));

	swauth_json_init(&j, f);
	swauth_json_u64(&j, NULL, 1);
	swauth_json_u64(&j, NULL, 2);
	EXPECT_EQ(-EINVAL, swauth_json_finish(&j));
	fclose(f);
}

/* Nesting deeper than SWAUTH_JSON_MAX_DEPTH is refused, not overflowed. */
TEST(too_deep)
{
	struct swauth_json j;
	FILE *f = fopen("/dev/null", "w");
	int i;

	ASSERT_NE(NULL, f);
	swauth_json_init(&j, f);
	for (i = 0; i < SWAUTH_JSON_MAX_DEPTH + 4; i++)
		swauth_json_array_begin(&j, NULL);
	for (i = 0; i < SWAUTH_JSON_MAX_DEPTH + 4; i++)
		swauth_json_array_end(&j);
	EXPECT_EQ(-EINVAL, swauth_json_finish(&j));
	fclose(f);
}

/* A write error on the stream is reported. */
TEST(write_error)
{
	struct swauth_json j;
	FILE *f = fopen("/dev/full", "w");

	if (!f)
		SKIP(return, "no /dev/full");
	swauth_json_init(&j, f);
	swauth_json_u64(&j, NULL, 1);
	EXPECT_EQ(-EIO, swauth_json_finish(&j));
	fclose(f);
}

TEST_HARNESS_MAIN
