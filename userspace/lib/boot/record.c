// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Records: small state files of "keyword value" lines, every keyword at
 * most once, nothing else; a table of fields says which keywords a record
 * has, where each goes in its struct and what its value is. The reload
 * records (reload.c) and the upgrade job (upgrade.c) are records. A
 * record is replaced whole through the safe write (swauth_file_replace()),
 * so that a crash leaves the old one or the new one, never a mix.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/boot.h"

static int parse_field(const struct swauth_record_field *f, const char *val, const char *name,
		       unsigned int lineno, void *rec, struct swauth_error *err)
{
	char *p = (char *)rec + f->offset, *end;
	long long v;
	unsigned int i;

	switch (f->kind) {
	case SWAUTH_FIELD_STRING:
		if (strlen(val) >= f->size)
			return swauth_error_set(err, -EINVAL, "%s:%u: '%s' is too long", name,
						lineno, f->name);
		strcpy(p, val);
		return 0;
	case SWAUTH_FIELD_CHOICE:
		for (i = 0; f->choices[i] && strcmp(val, f->choices[i]); i++)
			;
		if (!f->choices[i])
			return swauth_error_set(err, -EINVAL, "%s:%u: %s is %s, not '%s'", name,
						lineno, f->name, f->choice_list, val);
		*(int *)(void *)p = (int)i;
		return 0;
	default:
		errno = 0;
		v = strtoll(val, &end, 10);
		if (errno || end == val || *end || v < f->min)
			return swauth_error_set(err, -EINVAL, "%s:%u: bad %s '%s'", name, lineno,
						f->name, val);
		if (f->kind == SWAUTH_FIELD_INT64)
			*(int64_t *)(void *)p = v;
		else
			*(long *)(void *)p = (long)v;
		return 0;
	}
}

/**
 * swauth_record_parse() - parse a record's text
 * @fields: the record's fields; the first @required ones must be given
 * @n: how many
 * @required: how many of the first fields are required
 * @text: the text, NUL-terminated
 * @name: the file's name, for messages
 * @rec: receives the record; cleared first
 * @rec_size: its size
 * @err: filled on failure: "NAME:LINE: ..."
 *
 * An unknown or repeated keyword, a line without a value, a value too
 * long or out of range is an error.
 *
 * Return: 0 or -EINVAL.
 */
int swauth_record_parse(const struct swauth_record_field *fields, size_t n, size_t required,
			const char *text, const char *name, void *rec, size_t rec_size,
			struct swauth_error *err)
{
	bool seen[SWAUTH_RECORD_FIELDS_MAX] = { false };
	char line[SWAUTH_RECORD_MAX / 2];
	unsigned int lineno = 0;
	const char *p = text, *nl, *sp;
	size_t len, i;
	int ret;

	if (n > SWAUTH_RECORD_FIELDS_MAX)
		return swauth_error_set(err, -EINVAL, "%s: too many fields", name);
	memset(rec, 0, rec_size);
	while (*p) {
		lineno++;
		nl = strchr(p, '\n');
		if (!nl)
			return swauth_error_set(err, -EINVAL, "%s:%u: the last line is cut off",
						name, lineno);
		len = (size_t)(nl - p);
		if (len >= sizeof(line))
			return swauth_error_set(err, -EINVAL, "%s:%u: line too long", name, lineno);
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl + 1;
		sp = strchr(line, ' ');
		if (!sp || !sp[1])
			return swauth_error_set(err, -EINVAL, "%s:%u: expected 'keyword value'",
						name, lineno);
		line[sp - line] = '\0';
		for (i = 0; i < n && strcmp(line, fields[i].name); i++)
			;
		if (i == n)
			return swauth_error_set(err, -EINVAL, "%s:%u: unknown keyword '%s'", name,
						lineno, line);
		if (seen[i])
			return swauth_error_set(err, -EINVAL, "%s:%u: '%s' is given twice", name,
						lineno, line);
		seen[i] = true;
		ret = parse_field(&fields[i], sp + 1, name, lineno, rec, err);
		if (ret)
			return ret;
	}
	for (i = 0; i < required; i++)
		if (!seen[i])
			return swauth_error_set(err, -EINVAL, "%s: '%s' is missing", name,
						fields[i].name);
	return 0;
}

/**
 * swauth_record_format() - a record's text
 * @fields: the record's fields
 * @n: how many
 * @rec: the record; its strings must not hold a newline
 * @buf: receives the text; empty strings and zero PIDs are left out
 * @len: its size
 *
 * Return: 0, -EINVAL for a string with a newline, -ENOSPC when @buf is short.
 */
int swauth_record_format(const struct swauth_record_field *fields, size_t n, const void *rec,
			 char *buf, size_t len)
{
	const char *p;
	size_t used = 0, i;
	int w;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		p = (const char *)rec + fields[i].offset;
		switch (fields[i].kind) {
		case SWAUTH_FIELD_CHOICE:
			w = snprintf(buf + used, len - used, "%s %s\n", fields[i].name,
				     fields[i].choices[*(const int *)(const void *)p]);
			break;
		case SWAUTH_FIELD_INT64:
			w = snprintf(buf + used, len - used, "%s %lld\n", fields[i].name,
				     (long long)*(const int64_t *)(const void *)p);
			break;
		case SWAUTH_FIELD_PID:
			w = *(const long *)(const void *)p ?
			    snprintf(buf + used, len - used, "%s %ld\n", fields[i].name,
				     *(const long *)(const void *)p) : 0;
			break;
		default:
			if (strchr(p, '\n'))
				return -EINVAL;
			w = p[0] ? snprintf(buf + used, len - used, "%s %s\n", fields[i].name, p) : 0;
			break;
		}
		if (w < 0 || (size_t)w >= len - used)
			return -ENOSPC;
		used += (size_t)w;
	}
	return 0;
}

/* What a file that is not a regular one is, for a message. */
static const char *file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO:
		return "a FIFO";
	case S_IFDIR:
		return "a directory";
	case S_IFSOCK:
		return "a socket";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	default:
		return "not a regular file";
	}
}

/**
 * load_text() - read a record file's text
 * @path: the file: a regular file, never a symbolic link
 * @text: receives the text, NUL-terminated
 * @len: its size, SWAUTH_RECORD_MAX + 1
 * @err: filled on failure
 *
 * Anything else at @path is refused without waiting on it: a FIFO with
 * no writer would block a plain open forever (O_NONBLOCK, which does
 * nothing to a regular file's reads), a device would be read or driven.
 *
 * Return: 0, -ENOENT when there is no record (@err says so too), -ELOOP
 * for a symbolic link and -EINVAL for another file that is not a regular
 * one (@err names the path), -EINVAL when it is too large or holds a NUL
 * byte, or -errno of reading it.
 */
static int load_text(const char *path, char *text, size_t len, struct swauth_error *err)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 && errno == ELOOP)
		return swauth_error_set(err, -ELOOP,
					"%s: a symbolic link, not a regular file: refused", path);
	if (fd < 0)
		return swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		close(fd);
		return swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return swauth_error_set(err, -EINVAL, "%s: %s, not a regular file: refused", path,
					file_kind(st.st_mode));
	}
	while ((n = read(fd, text + got, len - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (n < 0)
		return swauth_error_set(err, -EIO, "%s: read error", path);
	if (got == len - 1)
		return swauth_error_set(err, -EINVAL, "%s: too large", path);
	text[got] = '\0';
	if (memchr(text, '\0', got))
		return swauth_error_set(err, -EINVAL, "%s: contains a NUL byte", path);
	return 0;
}

/**
 * swauth_record_read() - read and parse a record file
 * @fields: the record's fields, as for swauth_record_parse()
 * @n: how many
 * @required: how many of the first fields are required
 * @path: the file (a symlink is refused); its last component names it in messages
 * @rec: receives the record
 * @rec_size: its size
 * @err: filled on failure
 *
 * Return: 0, -ENOENT when there is no record (@err says so too), -EINVAL
 * for a malformed one, or -errno of reading it.
 */
int swauth_record_read(const struct swauth_record_field *fields, size_t n, size_t required,
		       const char *path, void *rec, size_t rec_size, struct swauth_error *err)
{
	char text[SWAUTH_RECORD_MAX + 1];
	const char *base = strrchr(path, '/');
	int ret = load_text(path, text, sizeof(text), err);

	if (ret)
		return ret;
	return swauth_record_parse(fields, n, required, text, base ? base + 1 : path, rec,
				   rec_size, err);
}

/**
 * swauth_record_store() - write a record file atomically
 * @fields: the record's fields
 * @n: how many
 * @path: the file; its directory must exist
 * @rec: the record
 * @err: filled on failure
 *
 * Return: 0 or -errno; on failure the old file, if any, is intact.
 */
int swauth_record_store(const struct swauth_record_field *fields, size_t n, const char *path,
			const void *rec, struct swauth_error *err)
{
	char text[SWAUTH_RECORD_MAX];
	int ret = swauth_record_format(fields, n, rec, text, sizeof(text));

	if (ret == -EINVAL)
		return swauth_error_set(err, ret, "%s: the record cannot hold a newline", path);
	if (ret)
		return swauth_error_set(err, ret, "%s: the record is too large", path);
	return swauth_file_replace(path, text, err);
}
