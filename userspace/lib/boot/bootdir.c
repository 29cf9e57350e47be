// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * boot-dir as the boot loader sees it (Documentation/swupgrade.rst, "How
 * the attempts are counted"; userspace/grub/swauth.cfg is the boot
 * loader's side):
 *
 *   current -> ID    the kernel and initramfs the boot loader boots
 *   previous -> ID   the pair it goes back to while a trial is pending
 *   grubenv          GRUB's environment block (1024 bytes), swauth_trial:
 *                      unset  boot current
 *                      1      current is new: the boot loader sets 2 and
 *                             boots it, once
 *                      2      current was booted and not confirmed: boot
 *                             previous
 *
 * The boot loader passes swauth.entry=current or swauth.entry=previous to
 * the kernel, so the system knows which of the two runs. A warm reload
 * --trial stages its pair (staged -> ID, its kernel has swauth.reload=ID):
 * the boot loader never boots it, so a reset goes back by itself; once
 * confirmed it becomes current. Every change
 * below is ordered so that a cut at any point leaves the boot loader a
 * pair to boot that is either known good or the sanctioned trial.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/boot.h"
#include "lib/config.h"
#include "lib/fs.h"

static const char grubenv_header[] = "# GRUB Environment Block\n";

static bool var_name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return true;
}

/* Whether a line before @line of @block sets the variable @line sets, NAME= @n bytes. */
static bool set_before(const char *block, const char *line, size_t n)
{
	const char *p;

	for (p = block; p < line; p = (const char *)memchr(p, '\n', (size_t)(line - p)) + 1)
		if (!memcmp(p, line, n))
			return true;
	return false;
}

/*
 * Checks @block: GRUB's header, then lines that are comments ("#...") or
 * NAME=VALUE, each NAME once (GRUB's load_env takes the last, its save_env
 * rewrites the first), then '#' padding to the end. Escaped values (GRUB
 * writes a backslash before a backslash or a newline) are refused: swauth
 * writes none, and a block with them was not written for this boot-dir.
 */
static int grubenv_check(const char *block, size_t len, struct swauth_error *err)
{
	const char *p, *end = block + len, *nl, *eq;

	if (len != SWAUTH_GRUBENV_SIZE)
		return swauth_error_set(err, -EINVAL, "grubenv: %zu bytes, GRUB's block is %d",
					len, SWAUTH_GRUBENV_SIZE);
	if (memcmp(block, grubenv_header, sizeof(grubenv_header) - 1))
		return swauth_error_set(err, -EINVAL, "grubenv: no \"# GRUB Environment Block\" header");
	if (memchr(block, '\0', len) || memchr(block, '\\', len))
		return swauth_error_set(err, -EINVAL, "grubenv: a NUL byte or an escaped value");
	for (p = block + sizeof(grubenv_header) - 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			for (; p < end; p++)
				if (*p != '#')
					return swauth_error_set(err, -EINVAL,
								"grubenv: the padding is not '#'");
			return 0;
		}
		eq = memchr(p, '=', (size_t)(nl - p));
		if (*p != '#' && (!eq || !var_name_ok(p, (size_t)(eq - p))))
			return swauth_error_set(err, -EINVAL, "grubenv: the line \"%.*s\" is not NAME=VALUE",
						(int)(nl - p), p);
		if (*p != '#' && set_before(block, p, (size_t)(eq - p) + 1))
			return swauth_error_set(err, -EINVAL, "grubenv: %.*s is set twice",
						(int)(eq - p), p);
	}
	return 0;
}

/**
 * swauth_grubenv_get() - a variable of a GRUB environment block
 * @block: the block (SWAUTH_GRUBENV_SIZE bytes)
 * @len: its length
 * @name: the variable
 * @val: receives its value, "" when it is not set
 * @vlen: @val's size
 * @err: why the block is malformed
 *
 * Return: 0, or -EINVAL for a malformed block.
 */
int swauth_grubenv_get(const char *block, size_t len, const char *name, char *val, size_t vlen,
		       struct swauth_error *err)
{
	size_t n = strlen(name);
	const char *p, *nl;
	int ret = grubenv_check(block, len, err);

	val[0] = '\0';
	if (ret)
		return ret;
	for (p = block; (nl = memchr(p, '\n', (size_t)(block + len - p))); p = nl + 1)
		if (!strncmp(p, name, n) && p[n] == '=') {
			snprintf(val, vlen, "%.*s", (int)(nl - p - n - 1), p + n + 1);
			break;
		}
	return 0;
}

/**
 * swauth_grubenv_set() - a GRUB environment block with one variable changed
 * @block: the block (SWAUTH_GRUBENV_SIZE bytes), or NULL for an empty one
 * @len: its length
 * @name: the variable
 * @val: its new value, NULL to unset it; letters, digits, '_', '-', '.'
 * @out: receives the new block, SWAUTH_GRUBENV_SIZE bytes
 * @err: why not
 *
 * The other variables and comments are kept in their order.
 *
 * Return: 0; -EINVAL for a malformed @block or value, -E2BIG when the
 * block has no room.
 */
int swauth_grubenv_set(const char *block, size_t len, const char *name, const char *val,
		       char *out, struct swauth_error *err)
{
	size_t n = strlen(name), used = sizeof(grubenv_header) - 1, i;
	const char *p, *nl;
	int w;

	for (i = 0; val && val[i]; i++)
		if (!var_name_ok(val + i, 1) && val[i] != '-' && val[i] != '.')
			return swauth_error_set(err, -EINVAL, "grubenv: the value \"%s\" of %s", val,
						name);
	if (block && grubenv_check(block, len, err))
		return -EINVAL;
	memcpy(out, grubenv_header, used);
	for (p = block ? block + used : NULL; p && (nl = memchr(p, '\n', (size_t)(block + len - p)));
	     p = nl + 1) {
		if (*p == '#' || (!strncmp(p, name, n) && p[n] == '='))
			continue;
		if (used + (size_t)(nl - p) + 1 > SWAUTH_GRUBENV_SIZE)
			return swauth_error_set(err, -E2BIG, "grubenv: no room for %s", name);
		memcpy(out + used, p, (size_t)(nl - p) + 1);
		used += (size_t)(nl - p) + 1;
	}
	if (val) {
		w = snprintf(out + used, SWAUTH_GRUBENV_SIZE - used, "%s=%s\n", name, val);
		if (w < 0 || (size_t)w >= SWAUTH_GRUBENV_SIZE - used)
			return swauth_error_set(err, -E2BIG, "grubenv: no room for %s", name);
		used += (size_t)w;
	}
	memset(out + used, '#', SWAUTH_GRUBENV_SIZE - used);
	return 0;
}

/*
 * boot-dir's links say what the boot loader boots: the directory is root's
 * (or the caller's) and no one else may write in it.
 */
static int bootdir_check(int boot_fd, struct swauth_error *err)
{
	struct stat st;

	if (fstat(boot_fd, &st))
		return swauth_error_set(err, -errno, "boot-dir: %s", strerror(errno));
	if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return swauth_error_set(err, -EPERM,
					"boot-dir: another user's directory, or others may write in it: chown root and chmod go-w it");
	return 0;
}

/* @boot opened by swauth_dir_open_trusted() and checked by bootdir_check(). */
static int bootdir_open(const char *boot, struct swauth_error *err)
{
	int fd = swauth_dir_open_trusted(boot, err), ret;

	if (fd < 0)
		return fd;
	ret = bootdir_check(fd, err);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/* boot-dir/grubenv into @block; -ENOENT when there is none. */
static int grubenv_read(int boot_fd, char *block, struct swauth_error *err)
{
	struct stat st;
	ssize_t n;
	int fd = openat(boot_fd, "grubenv", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return swauth_error_set(err, -errno, "boot-dir/grubenv: %s", strerror(errno));
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 022)) {
		close(fd);
		return swauth_error_set(err, -EPERM,
					"boot-dir/grubenv: not a regular file that only root may write");
	}
	n = read(fd, block, SWAUTH_GRUBENV_SIZE + 1);
	close(fd);
	if (n < 0)
		return swauth_error_set(err, -errno, "boot-dir/grubenv: %s", strerror(errno));
	return grubenv_check(block, (size_t)n, err);
}

/**
 * swauth_bootdir_trial() - swauth_trial of boot-dir/grubenv
 * @boot_fd: boot-dir
 * @val: receives it: "" (none pending, or no grubenv), "1" or "2"
 * @len: its size
 * @err: why it cannot be read
 *
 * Return: 0 or -errno.
 */
int swauth_bootdir_trial(int boot_fd, char *val, size_t len, struct swauth_error *err)
{
	char block[SWAUTH_GRUBENV_SIZE + 1];
	int ret = grubenv_read(boot_fd, block, err);

	val[0] = '\0';
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	return swauth_grubenv_get(block, SWAUTH_GRUBENV_SIZE, "swauth_trial", val, len, err);
}

static int set_trial(int boot_fd, const char *val, struct swauth_error *err)
{
	char block[SWAUTH_GRUBENV_SIZE + 1], out[SWAUTH_GRUBENV_SIZE];
	int ret = grubenv_read(boot_fd, block, err);

	if (ret && ret != -ENOENT)
		return ret;
	ret = swauth_grubenv_set(ret ? NULL : block, SWAUTH_GRUBENV_SIZE, "swauth_trial", val,
				 out, err);
	if (ret)
		return ret;
	return swauth_safewrite_at(boot_fd, "grubenv", out, sizeof(out), 0644, 0, err);
}

/* The directory boot-dir/@name points to, "" when there is no such link. */
static void target(int boot_fd, const char *name, char *id, size_t len)
{
	ssize_t n = readlinkat(boot_fd, name, id, len - 1);

	id[n > 0 ? n : 0] = '\0';
	if (strchr(id, '/') || id[0] == '.')
		id[0] = '\0';
}

/* boot-dir/@name -> @id, by rename(2) of a new link, then fsync. */
static int link_to(int boot_fd, const char *name, const char *id, struct swauth_error *err)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), ".%s.%s", name, id);
	unlinkat(boot_fd, tmp, 0);
	if (symlinkat(id, boot_fd, tmp) || renameat(boot_fd, tmp, boot_fd, name) ||
	    fsync(boot_fd)) {
		unlinkat(boot_fd, tmp, 0);
		return swauth_error_set(err, -errno, "boot-dir/%s: %s", name, strerror(errno));
	}
	return 0;
}

/**
 * swauth_bootdir_remove() - delete a pair's directory boot-dir/@id
 * @boot_fd: boot-dir
 * @id: the directory; "" or a name with '/' is ignored, and so is a pair
 *	that current, previous or staged names (a switch that failed half
 *	way may have linked it)
 */
void swauth_bootdir_remove(int boot_fd, const char *id)
{
	static const char *const files[] = { "vmlinuz", "initrd.img", "image" };
	static const char *const links[] = { "current", "previous", "staged" };
	char linked[SWAUTH_RELOAD_ID_LEN + 8];
	int fd;
	size_t i;

	if (!id[0] || strchr(id, '/') || id[0] == '.')
		return;
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		target(boot_fd, links[i], linked, sizeof(linked));
		if (!strcmp(linked, id))
			return;
	}
	fd = openat(boot_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			unlinkat(fd, files[i], 0);
		close(fd);
	}
	unlinkat(boot_fd, id, AT_REMOVEDIR);
}

/* Deletes the directories of @a and @b unless one of them is @keep1 or @keep2. */
static void remove_others(int boot_fd, const char *a, const char *b, const char *keep1,
			  const char *keep2)
{
	if (strcmp(a, keep1) && strcmp(a, keep2))
		swauth_bootdir_remove(boot_fd, a);
	if (strcmp(b, a) && strcmp(b, keep1) && strcmp(b, keep2))
		swauth_bootdir_remove(boot_fd, b);
}

/* Removes boot-dir/staged, and its pair unless it is @keep1 or @keep2. */
static void unstage(int boot_fd, const char *keep1, const char *keep2)
{
	char staged[SWAUTH_RELOAD_ID_LEN + 8];

	target(boot_fd, "staged", staged, sizeof(staged));
	if (unlinkat(boot_fd, "staged", 0))
		return;
	fsync(boot_fd);
	remove_others(boot_fd, staged, staged, keep1, keep2);
}

/**
 * swauth_bootdir_switch() - make boot-dir/@id a pair the boot loader boots
 * @boot_fd: boot-dir, with the complete directory @id in it
 * @id: the new pair
 * @mode: SWAUTH_BOOTDIR_PLAIN: @id is current from now on.
 *	SWAUTH_BOOTDIR_TRIAL (a cold reload --trial): previous keeps the pair
 *	to go back to (the last confirmed one while a trial is pending, else
 *	current's), swauth_trial=1, then current -> @id; without a previous
 *	pair to go back to, this is a plain switch.
 *	SWAUTH_BOOTDIR_STAGED (a warm reload --trial): staged -> @id and
 *	nothing else; the boot loader never boots it, swauth_bootdir_confirm()
 *	in the kernel the kexec started makes it current.
 * @err: why not
 *
 * A plain switch points previous at @id first when a trial is pending, so
 * that a boot loader that would go back boots @id; then current -> @id,
 * swauth_trial unset, previous removed. A plain or trial switch ends a
 * staged pair. Pairs that no link names any more are deleted.
 *
 * Return: 0 or -errno (-EPERM for a boot-dir others may write); a failure
 * leaves the boot loader a pair to boot.
 */
int swauth_bootdir_switch(int boot_fd, const char *id, enum swauth_bootdir_mode mode,
			  struct swauth_error *err)
{
	char cur[SWAUTH_RELOAD_ID_LEN + 8], prev[SWAUTH_RELOAD_ID_LEN + 8], t[8];
	const char *keep;
	int ret = bootdir_check(boot_fd, err);

	if (ret)
		return ret;
	target(boot_fd, "current", cur, sizeof(cur));
	target(boot_fd, "previous", prev, sizeof(prev));
	if (mode == SWAUTH_BOOTDIR_STAGED) {
		unstage(boot_fd, cur, prev);
		return link_to(boot_fd, "staged", id, err);
	}
	ret = swauth_bootdir_trial(boot_fd, t, sizeof(t), err);
	if (ret)
		return ret;
	keep = t[0] && prev[0] ? prev : cur;
	if (mode == SWAUTH_BOOTDIR_TRIAL && keep[0] && strcmp(keep, id)) {
		/*
		 * While a trial is pending current goes back to @keep before
		 * swauth_trial=1: its pair may be one that had its attempt
		 * and failed, which 1 would boot again.
		 */
		if (strcmp(keep, prev))
			ret = link_to(boot_fd, "previous", keep, err);
		if (!ret && strcmp(cur, keep))
			ret = link_to(boot_fd, "current", keep, err);
		if (!ret)
			ret = set_trial(boot_fd, "1", err);
		if (!ret)
			ret = link_to(boot_fd, "current", id, err);
		if (!ret) {
			unstage(boot_fd, id, keep);
			remove_others(boot_fd, cur, prev, id, keep);
		}
		return ret;
	}
	if (t[0] && prev[0])
		ret = link_to(boot_fd, "previous", id, err);
	if (!ret)
		ret = link_to(boot_fd, "current", id, err);
	if (!ret && t[0])
		ret = set_trial(boot_fd, NULL, err);
	if (!ret && (unlinkat(boot_fd, "previous", 0) && errno != ENOENT))
		ret = swauth_error_set(err, -errno, "boot-dir/previous: %s", strerror(errno));
	if (!ret) {
		unstage(boot_fd, id, id);
		remove_others(boot_fd, cur, prev, id, id);
	}
	return ret;
}

/* Whether the record of @boot/current is one asked for in this boot. */
static bool current_written_now(const char *boot)
{
	struct swauth_reload_record rec;
	struct swauth_error err;
	char path[PATH_MAX], boot_id[40] = "";

	snprintf(path, sizeof(path), "%s/current/image", boot);
	swauth_boot_id(boot_id, sizeof(boot_id));
	return !swauth_reload_record_read(path, &rec, &err) && !strcmp(rec.boot_id, boot_id);
}

/**
 * swauth_boot_entry() - which of boot-dir's pairs runs
 * @cfg: the configuration (boot-dir)
 *
 * The boot loader says so on the kernel command line (swauth.entry=); a
 * warm reload --trial staged the pair it started as boot-dir/ID, ID its
 * swauth.reload=.
 *
 * Return: "current", "previous" or "staged", or NULL when none runs.
 */
const char *swauth_boot_entry(const struct swauth_config *cfg)
{
	static const char *const links[] = { "current", "previous", "staged" };
	char val[SWAUTH_RELOAD_ID_LEN + 8], path[PATH_MAX], id[SWAUTH_RELOAD_ID_LEN + 8];
	ssize_t n;
	size_t i;

	swauth_cmdline_value("swauth.entry=", val, sizeof(val));
	for (i = 0; val[0] && i < 2; i++)
		if (!strcmp(val, links[i]))
			return links[i];
	if (val[0])
		return NULL;
	swauth_cmdline_value("swauth.reload=", val, sizeof(val));
	for (i = 0; val[0] && i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", swauth_reload_dir(cfg, SWAUTH_DIR_BOOT),
			 links[i]);
		n = readlink(path, id, sizeof(id) - 1);
		id[n > 0 ? n : 0] = '\0';
		if (i != 1 && !strcmp(val, id))
			return links[i];
	}
	return NULL;
}

/*
 * current -> @prev, the trial ended, @cur's pair gone, in this order: a
 * cut between two boots @prev. previous stays at @prev, the next switch
 * removes it.
 */
static int back_to_previous(int boot_fd, const char *cur, const char *prev,
			    struct swauth_error *err)
{
	int ret = link_to(boot_fd, "current", prev, err);

	if (!ret)
		ret = set_trial(boot_fd, NULL, err);
	if (!ret) {
		unstage(boot_fd, prev, prev);
		remove_others(boot_fd, cur, cur, prev, prev);
	}
	return ret;
}

/**
 * swauth_bootdir_confirm() - the pair that runs is the one to boot from now on
 * @cfg: the configuration (boot-dir)
 * @said: receives what was done, a sentence
 * @len: its size
 * @err: why not
 *
 * Booted from current: the trial ends (swauth_trial unset), previous goes.
 * Booted from previous (the trial of current failed): current -> that
 * pair, the trial ends, the failed pair goes; previous keeps naming the
 * pair that runs (swauth_running_image() reads it by swauth.entry=), and
 * the next switch removes it. Started by a warm reload
 * from staged: a plain switch to it. A current written in this boot was
 * not booted yet, and is not confirmed. A staged pair that does not run
 * goes.
 *
 * Return: 0 (@said says whether anything changed); -ENOENT when no pair of
 * boot-dir runs; -EAGAIN for a current written in this boot; -errno.
 */
int swauth_bootdir_confirm(const struct swauth_config *cfg, char *said, size_t len,
			   struct swauth_error *err)
{
	const char *boot = swauth_reload_dir(cfg, SWAUTH_DIR_BOOT), *entry = swauth_boot_entry(cfg);
	char cur[SWAUTH_RELOAD_ID_LEN + 8], prev[SWAUTH_RELOAD_ID_LEN + 8], t[8];
	char staged[SWAUTH_RELOAD_ID_LEN + 8];
	int boot_fd, ret;

	if (!entry)
		return swauth_error_set(err, -ENOENT,
					"the boot loader did not boot this system from %s", boot);
	boot_fd = bootdir_open(boot, err);
	if (boot_fd < 0)
		return boot_fd;
	target(boot_fd, "current", cur, sizeof(cur));
	target(boot_fd, "previous", prev, sizeof(prev));
	target(boot_fd, "staged", staged, sizeof(staged));
	ret = swauth_bootdir_trial(boot_fd, t, sizeof(t), err);
	if (!ret && !strcmp(entry, "current") && current_written_now(boot))
		ret = swauth_error_set(err, -EAGAIN,
				       "%s/current was written in this boot: boot it first", boot);
	if (!ret && !strcmp(entry, "previous") && !prev[0])
		ret = swauth_error_set(err, -ENOENT, "booted from %s/previous, which is gone", boot);
	if (ret) {
		close(boot_fd);
		return ret;
	}
	if (!strcmp(entry, "staged")) {
		ret = swauth_bootdir_switch(boot_fd, staged, SWAUTH_BOOTDIR_PLAIN, err);
		snprintf(said, len,
			 "the kernel and initramfs the warm reload started are confirmed: the boot loader boots them from now on");
	} else if (!strcmp(entry, "current")) {
		if (t[0])
			ret = set_trial(boot_fd, NULL, err);
		if (!ret && unlinkat(boot_fd, "previous", 0) && errno != ENOENT)
			ret = swauth_error_set(err, -errno, "%s/previous: %s", boot, strerror(errno));
		if (!ret) {
			unstage(boot_fd, cur, cur);
			remove_others(boot_fd, prev, prev, cur, cur);
		}
		snprintf(said, len, "%s", t[0] || prev[0] || staged[0] ?
			 "the new kernel and initramfs are confirmed: the boot loader boots them from now on" :
			 "nothing to confirm: the boot loader boots this system's kernel and initramfs");
	} else {
		/* previous stays, at the same pair: it names what runs until the next boot. */
		ret = back_to_previous(boot_fd, cur, prev, err);
		snprintf(said, len,
			 "the boot loader went back to the previous kernel and initramfs: it boots them from now on");
	}
	close(boot_fd);
	return ret;
}

/**
 * swauth_bootdir_unstage() - forget a reload's pair that does not run
 * @cfg: the configuration (boot-dir)
 *
 * A warm reload's staged pair goes; so does a cold reload --trial's pair
 * written in this boot, whose reboot did not come: current goes back to
 * previous.
 */
void swauth_bootdir_unstage(const struct swauth_config *cfg)
{
	const char *boot = swauth_reload_dir(cfg, SWAUTH_DIR_BOOT), *entry = swauth_boot_entry(cfg);
	char cur[SWAUTH_RELOAD_ID_LEN + 8], prev[SWAUTH_RELOAD_ID_LEN + 8], t[8];
	struct swauth_error err;
	int boot_fd = bootdir_open(boot, &err);

	if (boot_fd < 0)
		return;
	target(boot_fd, "current", cur, sizeof(cur));
	target(boot_fd, "previous", prev, sizeof(prev));
	if (prev[0] && current_written_now(boot) &&
	    !swauth_bootdir_trial(boot_fd, t, sizeof(t), &err) && t[0])
		back_to_previous(boot_fd, cur, prev, &err);
	else if (!entry || strcmp(entry, "staged"))
		unstage(boot_fd, cur, prev);
	close(boot_fd);
}
