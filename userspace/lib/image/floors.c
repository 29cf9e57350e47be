// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The floors file of a userspace trust directory (trust.c writes it): one
 * "<type> <V>" line per key type, the lowest version of that type the
 * module still trusts. The userspace verifier trusts no key below it.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "lib/image.h"

static int floor_type(const char *word, size_t len, uint32_t *type)
{
	static const uint32_t types[] = { SWAUTH_KEY_PRODUCTION, SWAUTH_KEY_SPECIAL };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const char *t = swauth_key_type_token(types[i]);

		if (strlen(t) == len && !strncmp(word, t, len)) {
			*type = types[i];
			return 0;
		}
	}
	return -1;
}

/**
 * swauth_trust_floors_parse() - parse the text of a floors file
 * @text: the file's contents, NUL-terminated
 * @what: the file's name, for messages
 * @floors: receives the floor per enum swauth_key_type, 0 for none
 * @err: filled on failure
 *
 * Each line is "production V" or "special V", V a letter A to Z, ended by
 * a newline; a type at most once.
 *
 * Return: 0, or -EINVAL with the line and what is wrong with it.
 */
int swauth_trust_floors_parse(const char *text, const char *what,
			      uint32_t floors[SWAUTH_KEY_MAX + 1], struct swauth_error *err)
{
	const char *p = text, *nl, *sp;
	unsigned int line = 0;
	uint32_t type;

	memset(floors, 0, sizeof(uint32_t) * (SWAUTH_KEY_MAX + 1));
	while (*p) {
		line++;
		nl = strchr(p, '\n');
		if (!nl)
			return swauth_error_set(err, -EINVAL, "%s: line %u: no newline at its end",
						what, line);
		sp = memchr(p, ' ', (size_t)(nl - p));
		if (!sp || floor_type(p, (size_t)(sp - p), &type))
			return swauth_error_set(err, -EINVAL,
						"%s: line %u: expected \"production V\" or \"special V\"",
						what, line);
		if (nl - sp != 2 || sp[1] < 'A' || sp[1] > 'Z')
			return swauth_error_set(err, -EINVAL,
						"%s: line %u: the floor must be one letter A to Z",
						what, line);
		if (floors[type])
			return swauth_error_set(err, -EINVAL, "%s: line %u: a second %s floor",
						what, line, swauth_key_type_token(type));
		floors[type] = (uint32_t)sp[1];
		p = nl + 1;
	}
	return 0;
}

/**
 * swauth_trust_floors_read() - read DIR/floors
 * @dir: a trust directory
 * @floors: receives the floor per enum swauth_key_type, 0 for none
 * @err: filled on failure
 *
 * Return: 0 (also when there is no such file: no floors), -EINVAL for a
 * malformed file, -EFBIG for one too large to be a floors file, or -errno.
 */
int swauth_trust_floors_read(const char *dir, uint32_t floors[SWAUTH_KEY_MAX + 1],
			     struct swauth_error *err)
{
	char path[PATH_MAX], text[SWAUTH_FLOORS_MAX + 1];
	size_t n;
	FILE *f;

	memset(floors, 0, sizeof(uint32_t) * (SWAUTH_KEY_MAX + 1));
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, SWAUTH_FLOORS_FILE) >= sizeof(path))
		return swauth_error_set(err, -ENAMETOOLONG, "%s: name too long", dir);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 :
		       swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
	n = fread(text, 1, sizeof(text), f);
	if (ferror(f)) {
		fclose(f);
		return swauth_error_set(err, -EIO, "%s: read error", path);
	}
	fclose(f);
	if (n > SWAUTH_FLOORS_MAX)
		return swauth_error_set(err, -EFBIG, "%s: more than %d bytes: not a floors file",
					path, SWAUTH_FLOORS_MAX);
	if (memchr(text, '\0', n))
		return swauth_error_set(err, -EINVAL, "%s: a NUL byte: not a floors file", path);
	text[n] = '\0';
	return swauth_trust_floors_parse(text, path, floors, err);
}
