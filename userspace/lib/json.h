/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * A tiny streaming JSON writer for --json output: compact, one document per
 * call sequence, keys written in the order they are given. A @key is the
 * member name inside an object and must be NULL inside an array or for the
 * top-level value.
 */

#ifndef SWAUTH_LIB_JSON_H
#define SWAUTH_LIB_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

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

#endif /* SWAUTH_LIB_JSON_H */
