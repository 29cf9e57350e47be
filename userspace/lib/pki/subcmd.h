/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * IOS configuration blocks in files (subcmd.c): a header line "crypto pki
 * trustpoint NAME" (or "crypto pki profile enrollment LABEL") then one
 * sub-command a line, indented by one blank, each the row of a table whose
 * keyword (words separated by one blank) begins the line, the longest
 * match winning. trustpoint.c and profile.c each give their table; the
 * parsing, the "no" form and the writing are here, once.
 */

#ifndef SWAUTH_LIB_PKI_SUBCMD_H
#define SWAUTH_LIB_PKI_SUBCMD_H

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/pki.h"

enum { MAX_ARGS = 4, SUBCMD_LINE_MAX = 1024 };

/* The words after a keyword, split at blanks (at most MAX_ARGS). */
struct args {
	char buf[SUBCMD_LINE_MAX];
	char *v[MAX_ARGS];
	int n;				/* words, also those beyond v[] */
	const char *rest;		/* everything after the keyword, trimmed */
};

/* A block's rows, reached by index (the table stays its file's). */
struct subcmd_table {
	const char *header;		/* "crypto pki trustpoint" */
	const char *what;		/* "trustpoint", for messages */
	size_t rows;
	size_t obj_size;		/* of the object the rows change */
	const char *(*keyword)(size_t row);
	int (*set)(void *obj, size_t row, const struct args *a, struct swauth_error *err);
	void (*print)(const void *obj, size_t row, FILE *f);
	void (*unset)(void *obj, size_t row);
};

int swpki_subcmd_apply(const struct subcmd_table *t, void *obj, const char *line,
		       struct swauth_error *err);
int swpki_subcmd_format(const struct subcmd_table *t, const void *obj, const char *name,
			char **text, struct swauth_error *err);
int swpki_subcmd_parse(const struct subcmd_table *t, void *obj, const char *name,
		       const char *text, const char *file, struct swauth_error *err);

/* @kw takes @min to @max words: -EINVAL with the syntax otherwise. */
static inline int want_args(const char *kw, const struct args *a, int min, int max,
			    const char *syntax, struct swauth_error *err)
{
	if (a->n < min || a->n > max)
		return swauth_error_set(err, -EINVAL, "%s: expected '%s %s'", kw, kw, syntax);
	return 0;
}

/* Free text (subject-name, password, a URL): printable, fits @size. */
static inline int copy_text(const char *kw, const char *s, char *dst, size_t size,
			    struct swauth_error *err)
{
	size_t i;

	if (strlen(s) >= size)
		return swauth_error_set(err, -EINVAL,
					"%s: longer than %zu characters", kw, size - 1);
	for (i = 0; s[i]; i++)
		if (!isprint((unsigned char)s[i]))
			return swauth_error_set(err, -EINVAL,
						"%s: a control character (refused)", kw);
	strcpy(dst, s);
	return 0;
}

#endif /* SWAUTH_LIB_PKI_SUBCMD_H */
