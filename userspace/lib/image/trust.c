// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The userspace trust store, fed by what the module trusts, so that the
 * two never drift apart (issue 13, point 2): every production and special
 * key the module holds as DIR/<type>-<V>.der, and the module's floors in
 * DIR/floors, one "<type> <V>" line per key type: a key below its type's
 * floor is revoked, and the userspace verifier does not trust it. Floors
 * only ever rise here, as in the module. A DIR/<type>-<V>.der of a key the
 * module no longer holds (after a reload or key store init) is removed;
 * the operator's other files in DIR are not touched. The floors are raised
 * first, then those files removed, then the new keys written: stopped at
 * any point (killed, a full disk), DIR trusts no key that both it and the
 * module stopped trusting.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fs.h"
#include "lib/image.h"
#include "lib/netlink.h"

/* Each missing directory of @dir, 0755 whatever the umask: anyone may verify. */
static int make_dir(const char *dir, struct swauth_error *err)
{
	char path[PATH_MAX];
	char *p;
	int ret;

	if ((size_t)snprintf(path, sizeof(path), "%s", dir) >= sizeof(path))
		return swauth_error_set(err, -ENAMETOOLONG, "%s: name too long", dir);
	for (p = path + 1; ; p++) {
		char c = *p;

		if (c && c != '/')
			continue;
		*p = '\0';
		if (p[-1] != '/') {
			ret = swauth_dir_create(path, 0755, err);
			if (ret)
				return ret;
		}
		if (!c)
			return 0;
		*p = c;
	}
}

static int write_floors(const char *dir, const uint32_t floors[SWAUTH_KEY_MAX + 1],
			struct swauth_error *err)
{
	static const uint32_t types[] = { SWAUTH_KEY_PRODUCTION, SWAUTH_KEY_SPECIAL };
	char path[PATH_MAX], text[SWAUTH_FLOORS_MAX];
	size_t i, n = 0;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (floors[types[i]])
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s %c\n",
					      swauth_key_type_token(types[i]),
					      (char)floors[types[i]]);
	snprintf(path, sizeof(path), "%s/%s", dir, SWAUTH_FLOORS_FILE);
	return swauth_safewrite_path(path, text, n, 0644, 0, err);
}

/* Whether @name is the mirror's own file of a key that @list does not hold. */
static bool stale(const char *name, const struct swauth_key_list *list)
{
	static const uint32_t types[] = { SWAUTH_KEY_PRODUCTION, SWAUTH_KEY_SPECIAL };
	size_t i, j, len;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const char *token = swauth_key_type_token(types[i]);

		len = strlen(token);
		if (strncmp(name, token, len) || name[len] != '-' || !name[len + 1] ||
		    strcmp(name + len + 2, ".der"))
			continue;
		for (j = 0; j < list->n; j++)
			if (list->keys[j].type == types[i] &&
			    (char)list->keys[j].version == name[len + 1])
				return false;
		return true;
	}
	return false;
}

/* Through the directory swauth_dir_open_trusted() opens, as the writes. */
static int remove_stale(const char *dir, const struct swauth_key_list *list,
			struct swauth_error *err)
{
	struct dirent *de;
	int fd, ret = 0;
	DIR *d;

	fd = swauth_dir_open_trusted(dir, err);
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		ret = swauth_error_set(err, -errno, "%s: %s", dir, strerror(errno));
		close(fd);
		return ret;
	}
	while (!ret && (errno = 0, de = readdir(d))) {
		if (!stale(de->d_name, list))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) && errno != ENOENT)
			ret = swauth_error_set(err, -errno, "removing %s/%s: %s", dir, de->d_name,
					       strerror(errno));
	}
	if (!ret && errno)
		ret = swauth_error_set(err, -errno, "reading %s: %s", dir, strerror(errno));
	closedir(d);
	return ret;
}

/* Raises DIR/floors to the module's floors; never lowers one. */
static int raise_floors(const char *dir, const struct swauth_status *st,
			struct swauth_error *err)
{
	uint32_t floors[SWAUTH_KEY_MAX + 1], was[SWAUTH_KEY_MAX + 1];
	int ret;

	ret = swauth_trust_floors_read(dir, was, err);
	if (ret)
		return ret;
	memcpy(floors, was, sizeof(floors));
	if ((st->has & SWAUTH_STATUS_HAS_FLOOR_PRODUCTION) &&
	    st->floor_production > floors[SWAUTH_KEY_PRODUCTION])
		floors[SWAUTH_KEY_PRODUCTION] = st->floor_production;
	if ((st->has & SWAUTH_STATUS_HAS_FLOOR_SPECIAL) &&
	    st->floor_special > floors[SWAUTH_KEY_SPECIAL])
		floors[SWAUTH_KEY_SPECIAL] = st->floor_special;
	if (!memcmp(floors, was, sizeof(floors)))
		return 0;
	return write_floors(dir, floors, err);
}

/**
 * swauth_trust_mirror() - make the userspace trust store hold what the module does
 * @nl: an open handle
 * @dir: the trust directory, created when missing (SWAUTH_KEYS_DIR)
 * @err: filled on failure
 *
 * Raises DIR/floors to the module's floors, removes the DIR/<type>-<V>.der
 * of every key the module's GET_KEYS dump does not hold, and writes every
 * production and special key of the dump as DIR/<type>-<V>.der; in this
 * order, each file with swauth_safewrite_path(), so that a failure half way
 * leaves no revoked key trusted. Called after every change of the module's
 * keys (key provision, add, revoke, key store init and reload) and by key
 * sync.
 *
 * Return: 0 or -errno.
 */
int swauth_trust_mirror(struct swauth_nl *nl, const char *dir, struct swauth_error *err)
{
	struct swauth_key_list list = { 0 };
	struct swauth_status st;
	char path[PATH_MAX];
	size_t i;
	int ret;

	ret = swauth_keys_get(nl, &list, err);
	if (!ret)
		ret = swauth_status_get(nl, &st, err);
	if (!ret)
		ret = make_dir(dir, err);
	if (!ret)
		ret = raise_floors(dir, &st, err);
	if (!ret)
		ret = remove_stale(dir, &list, err);
	for (i = 0; !ret && i < list.n; i++) {
		const struct swauth_key *k = &list.keys[i];

		if (k->type != SWAUTH_KEY_PRODUCTION && k->type != SWAUTH_KEY_SPECIAL)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s-%c.der", dir,
				     swauth_key_type_token(k->type), (char)k->version) >= sizeof(path))
			ret = swauth_error_set(err, -ENAMETOOLONG, "%s: name too long", dir);
		else
			ret = swauth_safewrite_path(path, k->cert, k->cert_len, 0644, 0, err);
	}
	swauth_key_list_free(&list);
	return ret;
}
