// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * IOS configuration blocks (subcmd.h): one sub-command applied, a block
 * written, a block's file read, for any table of rows (trustpoints,
 * enrollment profiles).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pki/subcmd.h"

/* The row whose keyword begins @line, the longest; -1 when none. */
static long find_row(const struct subcmd_table *t, const char *line, const char **rest)
{
	size_t i, len, best_len = 0;
	long best = -1;
	const char *kw;

	for (i = 0; i < t->rows; i++) {
		kw = t->keyword(i);
		len = strlen(kw);
		if (!strncmp(line, kw, len) && (line[len] == '\0' || line[len] == ' ') &&
		    len > best_len) {
			best = (long)i;
			best_len = len;
		}
	}
	if (best >= 0)
		*rest = line + best_len;
	return best;
}

/**
 * swpki_subcmd_apply() - one sub-command
 * @t: the block's table
 * @obj: changed only on success
 * @line: "KEYWORD [ARGS]" or "no KEYWORD [...]" (blanks collapsed)
 * @err: the reason, naming the keyword
 *
 * Return: 0 or the row's -EINVAL/-ERANGE.
 */
int swpki_subcmd_apply(const struct subcmd_table *t, void *obj, const char *line,
		       struct swauth_error *err)
{
	char norm[SUBCMD_LINE_MAX], *save = NULL, *w;
	struct args a = { .n = 0 };
	const char *p, *rest;
	size_t len = 0;
	void *copy;
	long row;
	bool neg;
	int ret;

	/* Collapse blanks: "enrollment   url X" is "enrollment url X". */
	for (p = line; *p; p++) {
		if (*p == '\t' || *p == '\r' || *p == '\n')
			return swauth_error_set(err, -EINVAL, "a tab or line break in '%s'", line);
		if (*p == ' ' && (len == 0 || norm[len - 1] == ' '))
			continue;
		if (len + 1 >= sizeof(norm))
			return swauth_error_set(err, -EINVAL,
						"line too long (%zu characters at most)",
						sizeof(norm) - 1);
		norm[len++] = *p;
	}
	while (len && norm[len - 1] == ' ')
		len--;
	norm[len] = '\0';
	if (!len)
		return swauth_error_set(err, -EINVAL, "an empty sub-command");
	neg = !strncmp(norm, "no ", 3);
	row = find_row(t, neg ? norm + 3 : norm, &rest);
	if (row < 0) {
		w = strtok_r(neg ? norm + 3 : norm, " ", &save);
		return swauth_error_set(err, -EINVAL, "unknown keyword '%s'", w ? w : "");
	}
	if (neg) {
		t->unset(obj, (size_t)row);
		return 0;
	}
	if (*rest == ' ')
		rest++;
	a.rest = rest;
	strcpy(a.buf, rest);
	for (w = strtok_r(a.buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (a.n < MAX_ARGS)
			a.v[a.n] = w;
		a.n++;
	}
	copy = malloc(t->obj_size);
	if (!copy)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	memcpy(copy, obj, t->obj_size);
	ret = t->set(copy, (size_t)row, &a, err);
	if (!ret)
		memcpy(obj, copy, t->obj_size);
	free(copy);
	return ret;
}

/* swpki_subcmd_format() - the block of @obj named @name (malloc()ed into *@text) */
int swpki_subcmd_format(const struct subcmd_table *t, const void *obj, const char *name,
			char **text, struct swauth_error *err)
{
	size_t i, len;
	FILE *f;

	f = open_memstream(text, &len);
	if (!f)
		return swauth_error_set(err, -errno, "formatting %s %s: %s", t->what, name,
					strerror(errno));
	fprintf(f, "%s %s\n", t->header, name);
	for (i = 0; i < t->rows; i++)
		t->print(obj, i, f);
	if (fclose(f))
		return swauth_error_set(err, -ENOMEM, "formatting %s %s: out of memory", t->what,
					name);
	return 0;
}

/**
 * swpki_subcmd_parse() - a block's file
 * @t: the block's table
 * @obj: initialised by the caller; filled
 * @name: the name the file's header must declare
 * @text: NUL-terminated
 * @file: for messages ("FILE:LINE: ...")
 * @err: filled on failure
 *
 * Return: 0 or -EINVAL.
 */
int swpki_subcmd_parse(const struct subcmd_table *t, void *obj, const char *name,
		       const char *text, const char *file, struct swauth_error *err)
{
	char line[SUBCMD_LINE_MAX], header[SUBCMD_LINE_MAX];
	struct swauth_error e = { 0 };
	const char *p = text, *nl;
	unsigned int lineno = 0;
	size_t len;

	snprintf(header, sizeof(header), "%s %s", t->header, name);
	while (*p) {
		lineno++;
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= sizeof(line))
			return swauth_error_set(err, -EINVAL, "%s:%u: line too long", file, lineno);
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl ? 1 : 0);
		if (lineno == 1) {
			if (strcmp(line, header))
				return swauth_error_set(err, -EINVAL,
							"%s:1: expected '%s' (the file's own name)",
							file, header);
			continue;
		}
		if (line[0] != ' ' || line[1] == ' ' || !line[1])
			return swauth_error_set(err, -EINVAL,
						"%s:%u: a sub-command indented by one blank expected",
						file, lineno);
		if (!strncmp(line + 1, "no ", 3))
			return swauth_error_set(err, -EINVAL, "%s:%u: 'no' in a stored %s",
						file, lineno, t->what);
		if (swpki_subcmd_apply(t, obj, line + 1, &e))
			return swauth_error_set(err, e.code, "%s:%u: %s", file, lineno, e.msg);
	}
	if (!lineno)
		return swauth_error_set(err, -EINVAL, "%s: empty", file);
	return 0;
}
