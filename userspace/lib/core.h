/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * What every part of libswauth shares: how a failure is reported, and JSON output.
 */

#ifndef SWAUTH_LIB_CORE_H
#define SWAUTH_LIB_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * How libswauth reports a failure: every function returns 0 or -errno, and
 * fills a struct swauth_error with a sentence the caller can print after its
 * own "swauth: <subcmd>: " prefix. The library itself never prints.
 *
 * A peer's words (a server's reply, a packet's text) go into a message only
 * through swauth_escape(), so that what reaches a terminal cannot drive it.
 */

enum { SWAUTH_ERROR_MSG_LEN = 512 };

struct swauth_error {
	int code;			/* the -errno also returned */
	char msg[SWAUTH_ERROR_MSG_LEN];	/* human-readable, no trailing newline */
};

int swauth_error_set(struct swauth_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int swauth_error_ossl(struct swauth_error *err, int code, const char *what);
const char *swauth_ossl_reason(char *buf, size_t len);
void swauth_error_clear(struct swauth_error *err);
char *swauth_escape(char *dst, size_t len, const char *src, size_t n);

/*
 * A tiny streaming JSON writer for --json output: compact, one document per
 * call sequence, keys written in the order they are given. A @key is the
 * member name inside an object and must be NULL inside an array or for the
 * top-level value.
 */

enum { SWAUTH_JSON_MAX_DEPTH = 16 };

struct swauth_json {
	FILE *f;
	unsigned int depth;
	bool first[SWAUTH_JSON_MAX_DEPTH];	/* no member written yet at this depth */
	bool misuse;				/* too deep or unbalanced */
};

void swauth_json_init(struct swauth_json *j, FILE *f);
void swauth_json_object_begin(struct swauth_json *j, const char *key);
void swauth_json_object_end(struct swauth_json *j);
void swauth_json_array_begin(struct swauth_json *j, const char *key);
void swauth_json_array_end(struct swauth_json *j);
void swauth_json_string(struct swauth_json *j, const char *key, const char *value);
void swauth_json_u64(struct swauth_json *j, const char *key, uint64_t value);
void swauth_json_null(struct swauth_json *j, const char *key);
int swauth_json_finish(struct swauth_json *j);
void swauth_json_write_string(FILE *f, const char *s);

#endif /* SWAUTH_LIB_CORE_H */
