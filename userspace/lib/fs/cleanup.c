// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The disk clean-up utility of the Auto-Upgrade Manager (`autoupgrade
 * disk-cleanup`, `disk-management auto|confirm|no`); see lib/fs.h and
 * Documentation/admin-guide.rst, "Cleaning up flash".
 *
 * Every directory is opened once, as a trusted fd, and every file is named
 * relative to it, looked at with AT_SYMLINK_NOFOLLOW and opened O_NOFOLLOW:
 * a symbolic link is never followed, a subdirectory of a flash directory
 * never entered. A file is identified by device and inode, at planning
 * time, again just before unlinkat(), and against the protected files.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "kmod/image.h"
#include "lib/fs.h"
#include "lib/image.h"

static const char *const category_names[SWAUTH_CLEANUP_CATEGORIES] = {
	[SWAUTH_CLEANUP_IRRECOVERABLE] = "irrecoverable",
	[SWAUTH_CLEANUP_CRASHINFO] = "crashinfo",
	[SWAUTH_CLEANUP_CORE] = "core",
	[SWAUTH_CLEANUP_IMAGE] = "image",
};

/* Where a file was found: which rules apply to it. */
enum where {
	IN_FLASH,
	IN_CRASH,
	IN_COREDUMP,
};

enum { ELF_HEADER = 18, ET_CORE = 4 };

/**
 * swauth_cleanup_category_name() - the configuration word of a category
 * @category: enum swauth_cleanup_category
 *
 * Return: "irrecoverable", "crashinfo", "core", "image", or NULL.
 */
const char *swauth_cleanup_category_name(unsigned int category)
{
	return category < SWAUTH_CLEANUP_CATEGORIES ? category_names[category] : NULL;
}

/**
 * swauth_cleanup_category_parse() - a category from its configuration word
 * @name: "crashinfo", "core", "image" or "irrecoverable"
 * @category: receives the enum swauth_cleanup_category
 *
 * Return: 0, or -EINVAL for another word.
 */
int swauth_cleanup_category_parse(const char *name, unsigned int *category)
{
	unsigned int i;

	for (i = 0; i < SWAUTH_CLEANUP_CATEGORIES; i++) {
		if (!strcmp(name, category_names[i])) {
			*category = i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * swauth_cleanup_flash_dirs() - the file systems of swauth.conf, as clean-up directories
 * @cfg: the configuration, or NULL for the defaults
 * @dirs: receives up to @max directories with their prefixes
 * @max: size of @dirs
 *
 * Return: how many were filled.
 */
size_t swauth_cleanup_flash_dirs(const struct swauth_config *cfg, struct swauth_cleanup_dir *dirs,
				 size_t max)
{
	const char *prefix;
	size_t n = 0;

	for (prefix = swauth_storage_prefix(0); prefix && n < max;
	     prefix = swauth_storage_prefix(n)) {
		dirs[n].path = swauth_storage_dir(cfg, prefix);
		dirs[n].prefix = prefix;
		n++;
	}
	return n;
}

static int statvfs_free(int target_fd, uint64_t *bytes, void *arg)
{
	struct statvfs sv;

	(void)arg;
	if (fstatvfs(target_fd, &sv))
		return -errno;
	*bytes = (uint64_t)sv.f_bavail * sv.f_frsize;
	return 0;
}

static int free_space(const struct swauth_cleanup_plan *plan, uint64_t *bytes,
		      struct swauth_error *err)
{
	int ret = plan->free_space(plan->target_fd, bytes, plan->free_arg);

	if (ret)
		return swauth_error_set(err, ret, "%%Error checking free space on %s (%s)",
					plan->target_name, strerror(-ret));
	return 0;
}

static int add_dir(struct swauth_cleanup_plan *plan, int fd, struct swauth_error *err)
{
	int *fds = realloc(plan->dir_fds, (plan->n_dirs + 1) * sizeof(*fds));

	if (!fds) {
		close(fd);
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	plan->dir_fds = fds;
	fds[plan->n_dirs] = fd;
	return (int)plan->n_dirs++;
}

static bool protected_now(const struct swauth_cleanup_plan *plan, dev_t dev, ino_t ino)
{
	size_t i;

	for (i = 0; i < plan->n_protect; i++)
		if (plan->protect[i].dev == dev && plan->protect[i].ino == ino)
			return true;
	return false;
}

/*
 * The protected files, by device and inode of what each path names now
 * (symbolic links followed: the caller's paths are trusted). A path that
 * names nothing protects nothing; one that cannot be looked at stops the
 * clean-up, since its file could be any of the candidates.
 */
static int stat_protected(struct swauth_cleanup_plan *plan, struct swauth_error *err)
{
	struct stat st;
	size_t i;

	plan->n_protect = 0;
	for (i = 0; i < plan->n_protect_paths; i++) {
		if (stat(plan->protect_paths[i], &st)) {
			if (errno == ENOENT)
				continue;
			return swauth_error_set(err, -errno,
						"%%Error checking protected file %s (%s): nothing deleted",
						plan->protect_paths[i], strerror(errno));
		}
		plan->protect[plan->n_protect].dev = st.st_dev;
		plan->protect[plan->n_protect].ino = st.st_ino;
		plan->n_protect++;
	}
	return 0;
}

/*
 * Whether no process has the file open, ourselves included (another fd of
 * this process counts): a write lease is granted only then. On success
 * the lease is held on @fd, so that an open(2) of the file waits until
 * @fd is closed. Where leases are not available (EINVAL), or we may not
 * take one (EACCES), nobody can say, and the answer is no.
 */
static bool nobody_has_open(int fd)
{
	return !fcntl(fd, F_SETLEASE, F_WRLCK);
}

/* @fd's header makes it an ELF core file. */
static bool is_elf_core(int fd)
{
	unsigned char h[ELF_HEADER];
	unsigned int type;

	if (pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) || memcmp(h, "\177ELF", 4))
		return false;
	type = h[5] == 2 ? (unsigned int)h[16] << 8 | h[17] : (unsigned int)h[17] << 8 | h[16];
	return (h[5] == 1 || h[5] == 2) && type == ET_CORE;
}

/* "core" or "core.PID". */
static bool core_name(const char *name)
{
	const char *p;

	if (!strcmp(name, "core"))
		return true;
	if (strncmp(name, "core.", 5) || !name[5])
		return false;
	for (p = name + 5; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/*
 * A swauth image by its header and size alone, never by its signature or
 * the keys: those change (a key provisioned later makes an unknown key
 * known), the bytes do not. Returns the category and @why, or -1 to keep
 * the file.
 */
static int image_category(int fd, const struct stat *st, const struct swauth_cleanup_request *req,
			  char *why, size_t len)
{
	const char *platform = req->platform;
	unsigned char buf[SWAUTH_IMAGE_HEADER_SIZE];
	struct swauth_image_header hdr;
	enum swauth_verdict v;
	ssize_t n;

	n = pread(fd, buf, sizeof(buf), 0);
	if (n < SWAUTH_IMAGE_MAGIC_SIZE || memcmp(buf, swauth_image_magic, SWAUTH_IMAGE_MAGIC_SIZE))
		return -1;	/* not a swauth image: not ours to judge */
	v = swauth_image_parse(buf, (size_t)n, &hdr);
	switch (v) {
	case SWAUTH_VERDICT_OK:
		v = swauth_image_check_size(&hdr, (uint64_t)st->st_size);
		break;
	case SWAUTH_VERDICT_TRUNCATED_HEADER:
	case SWAUTH_VERDICT_BAD_HEADER:
	case SWAUTH_VERDICT_SIZE_OVERFLOW:
	case SWAUTH_VERDICT_TYPE_NOT_ALLOWED:
		break;
	default:
		/* BAD_FORMAT_VERSION: a later swauth may read it. */
		return -1;
	}
	if (v != SWAUTH_VERDICT_OK) {
		snprintf(why, len, "%s", swauth_verdict_message(v));
		return SWAUTH_CLEANUP_IRRECOVERABLE;
	}
	if (hdr.image_type != SWAUTH_IMAGE_PRODUCTION && hdr.image_type != SWAUTH_IMAGE_SPECIAL)
		return -1;	/* boot loaders and key bundles are small, and may be needed */
	if (platform && platform[0] && hdr.platform[0] && strcmp(hdr.platform, platform)) {
		snprintf(why, len, "an image for platform %s, this is %s", hdr.platform, platform);
		return SWAUTH_CLEANUP_IRRECOVERABLE;
	}
	/*
	 * A floor never goes down, and the key the header names must be the
	 * signer's: an image that names a key below its floor never verifies.
	 */
	if (req->floors && hdr.key_type <= SWAUTH_KEY_MAX && req->floors[hdr.key_type] &&
	    hdr.key_version < req->floors[hdr.key_type]) {
		snprintf(why, len, "signed by %s key %c, revoked (floor %c)",
			 swauth_key_type_token(hdr.key_type), hdr.key_version,
			 (char)req->floors[hdr.key_type]);
		return SWAUTH_CLEANUP_IRRECOVERABLE;
	}
	snprintf(why, len, "%s %s %s", swauth_image_type_name(hdr.image_type), hdr.name,
		 hdr.image_version);
	return SWAUTH_CLEANUP_IMAGE;
}

/* The category of a regular file @fd found as @name and @why, or -1 to keep it. */
static int categorize(int fd, const char *name, const struct stat *st, enum where where,
		      const struct swauth_cleanup_request *req, char *why, size_t len)
{
	int cat;

	switch (where) {
	case IN_CRASH:
		snprintf(why, len, "crash dump or report");
		return SWAUTH_CLEANUP_CRASHINFO;
	case IN_COREDUMP:
		snprintf(why, len, "core dump (systemd-coredump)");
		return strncmp(name, "core.", 5) ? -1 : SWAUTH_CLEANUP_CORE;
	case IN_FLASH:
		break;
	}
	if (swauth_safewrite_is_tmp(name)) {
		snprintf(why, len, "left over from an interrupted copy");
		cat = SWAUTH_CLEANUP_IRRECOVERABLE;
	} else if (core_name(name)) {
		snprintf(why, len, "core dump");
		cat = is_elf_core(fd) ? SWAUTH_CLEANUP_CORE : -1;
	} else {
		cat = image_category(fd, st, req, why, len);
	}
	/* A copy or download still being written is not left over. */
	if (cat == SWAUTH_CLEANUP_IRRECOVERABLE && !nobody_has_open(fd))
		return -1;
	return cat;
}

static bool planned(const struct swauth_cleanup_plan *plan, const struct stat *st)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (plan->files[i].dev == st->st_dev && plan->files[i].ino == st->st_ino)
			return true;
	return false;
}

/* Looks at @name in directory @dir (index), and lists it when it qualifies. */
static int consider(struct swauth_cleanup_plan *plan, const struct swauth_cleanup_request *req,
		    int dir, const char *name, const char *show, enum where where,
		    struct swauth_error *err)
{
	struct swauth_cleanup_file *f;
	char why[sizeof(f->why)];
	struct stat st, fst;
	int fd, cat;

	if (fstatat(plan->dir_fds[dir], name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
		return 0;
	/* Another name would keep the space; another file system frees none here. */
	if (st.st_nlink != 1 || st.st_dev != plan->target_dev)
		return 0;
	if (where == IN_FLASH && st.st_uid != geteuid())
		return 0;
	if (protected_now(plan, st.st_dev, st.st_ino) || planned(plan, &st))
		return 0;
	fd = openat(plan->dir_fds[dir], name,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	cat = -1;
	if (!fstat(fd, &fst) && fst.st_dev == st.st_dev && fst.st_ino == st.st_ino)
		cat = categorize(fd, name, &fst, where, req, why, sizeof(why));
	close(fd);
	if (cat < 0 || !(req->policy & SWAUTH_CLEANUP_BIT(cat)))
		return 0;
	f = realloc(plan->files, (plan->n + 1) * sizeof(*f));
	if (!f)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	plan->files = f;
	f += plan->n++;
	memset(f, 0, sizeof(*f));
	f->category = (unsigned int)cat;
	f->dir = (size_t)dir;
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->display, sizeof(f->display), "%s%s", show, name);
	snprintf(f->why, sizeof(f->why), "%s", why);
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->size = (uint64_t)st.st_size;
	f->frees = (uint64_t)st.st_blocks * 512;
	f->mtime = st.st_mtim;
	return 0;
}

static int scan(struct swauth_cleanup_plan *plan, const struct swauth_cleanup_request *req,
		int dir, const char *show, enum where where, int depth, struct swauth_error *err);

/* kdump's per-crash directories, one level below the crash directory. */
static int scan_subdir(struct swauth_cleanup_plan *plan, const struct swauth_cleanup_request *req,
		       int dir, const char *name, const char *show, struct swauth_error *err)
{
	char sub[PATH_MAX + NAME_MAX + 2];
	int fd, idx;

	fd = openat(plan->dir_fds[dir], name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	idx = add_dir(plan, fd, err);
	if (idx < 0)
		return idx;
	snprintf(sub, sizeof(sub), "%s%s/", show, name);
	return scan(plan, req, idx, sub, IN_CRASH, 1, err);
}

static int scan(struct swauth_cleanup_plan *plan, const struct swauth_cleanup_request *req,
		int dir, const char *show, enum where where, int depth, struct swauth_error *err)
{
	struct dirent *e;
	int fd, ret = 0;
	DIR *d;

	fd = openat(plan->dir_fds[dir], ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		ret = swauth_error_set(err, -errno, "%%Error reading %s (%s)", show, strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	while (!ret && (e = readdir(d))) {
		unsigned char type = e->d_type;
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (type == DT_UNKNOWN && !fstatat(plan->dir_fds[dir], e->d_name, &st,
						   AT_SYMLINK_NOFOLLOW))
			type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		if (type == DT_DIR && where == IN_CRASH && depth == 0)
			ret = scan_subdir(plan, req, dir, e->d_name, show, err);
		else if (type == DT_REG)
			ret = consider(plan, req, dir, e->d_name, show, where, err);
	}
	closedir(d);
	return ret;
}

/*
 * Opens @path as a trusted directory (lib/fs/safewrite.c) and scans it. A
 * directory that does not exist has nothing to clean; one on another file
 * system frees nothing where the space is needed.
 */
static int scan_root(struct swauth_cleanup_plan *plan, const struct swauth_cleanup_request *req,
		     const char *path, const char *show, enum where where, struct swauth_error *err)
{
	struct stat st;
	int fd, idx;

	fd = swauth_dir_open_trusted(path, err);
	if (fd == -ENOENT) {
		swauth_error_clear(err);
		return 0;
	}
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) || st.st_dev != plan->target_dev) {
		close(fd);
		return 0;
	}
	idx = add_dir(plan, fd, err);
	if (idx < 0)
		return idx;
	return scan(plan, req, idx, show, where, 0, err);
}

static int by_order(const void *a, const void *b)
{
	const struct swauth_cleanup_file *x = a, *y = b;

	if (x->category != y->category)
		return x->category < y->category ? -1 : 1;
	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->display, y->display);
}

static int copy_protected(struct swauth_cleanup_plan *plan,
			  const struct swauth_cleanup_request *req, struct swauth_error *err)
{
	size_t i;

	plan->protect_paths = calloc(req->n_protect ? req->n_protect : 1,
				     sizeof(*plan->protect_paths));
	plan->protect = calloc(req->n_protect ? req->n_protect : 1, sizeof(*plan->protect));
	if (!plan->protect_paths || !plan->protect)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < req->n_protect; i++) {
		plan->protect_paths[i] = strdup(req->protect[i]);
		if (!plan->protect_paths[i])
			return swauth_error_set(err, -ENOMEM, "out of memory");
		plan->n_protect_paths++;
	}
	return stat_protected(plan, err);
}

/**
 * swauth_cleanup_plan() - list what the policy would delete, and how much it would free
 * @req: the policy, the directories, the protected files and the space needed
 * @plan: receives the plan; swauth_cleanup_plan_free() it, also on failure
 * @err: filled on failure
 *
 * Only files on @req->target's file system are listed, in deletion order:
 * by category (enum swauth_cleanup_category), oldest modification time
 * first within one, then by name.
 *
 * Return: 0 (a plan, possibly empty), or -errno: the target, a directory
 * or a protected file could not be looked at (nothing will be deleted).
 */
int swauth_cleanup_plan(const struct swauth_cleanup_request *req, struct swauth_cleanup_plan *plan,
			struct swauth_error *err)
{
	const char *crash = req->crash_dir ? req->crash_dir : SWAUTH_CRASH_DIR;
	const char *coredump = req->coredump_dir ? req->coredump_dir : SWAUTH_COREDUMP_DIR;
	char show[PATH_MAX + 1];
	struct stat st;
	uint64_t sum = 0;
	size_t i;
	int ret;

	memset(plan, 0, sizeof(*plan));
	plan->target_fd = -1;
	plan->needed = req->needed;
	plan->free_space = req->free_space ? req->free_space : statvfs_free;
	plan->free_arg = req->free_arg;
	snprintf(plan->target_name, sizeof(plan->target_name), "%s",
		 req->target_name ? req->target_name : req->target);
	plan->target_fd = swauth_dir_open_trusted(req->target, err);
	if (plan->target_fd < 0)
		return plan->target_fd;
	if (fstat(plan->target_fd, &st))
		return swauth_error_set(err, -errno, "%s: %s", req->target, strerror(errno));
	plan->target_dev = st.st_dev;
	ret = copy_protected(plan, req, err);
	if (!ret)
		ret = free_space(plan, &plan->free_now, err);
	for (i = 0; !ret && i < req->n_flash; i++) {
		if (req->flash[i].prefix)
			snprintf(show, sizeof(show), "%s", req->flash[i].prefix);
		else
			snprintf(show, sizeof(show), "%s/", req->flash[i].path);
		ret = scan_root(plan, req, req->flash[i].path, show, IN_FLASH, err);
	}
	if (!ret && crash[0] && (req->policy & SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_CRASHINFO))) {
		snprintf(show, sizeof(show), "%s/", crash);
		ret = scan_root(plan, req, crash, show, IN_CRASH, err);
	}
	if (!ret && coredump[0] && (req->policy & SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_CORE))) {
		snprintf(show, sizeof(show), "%s/", coredump);
		ret = scan_root(plan, req, coredump, show, IN_COREDUMP, err);
	}
	if (ret)
		return ret;
	if (plan->n)
		qsort(plan->files, plan->n, sizeof(*plan->files), by_order);
	for (i = 0; i < plan->n; i++)
		sum += plan->files[i].frees;
	plan->free_after = plan->free_now + sum;
	return 0;
}

/**
 * swauth_cleanup_plan_free() - close and free what a plan holds
 * @plan: a plan from swauth_cleanup_plan(), successful or not
 */
void swauth_cleanup_plan_free(struct swauth_cleanup_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n_dirs; i++)
		close(plan->dir_fds[i]);
	for (i = 0; i < plan->n_protect_paths; i++)
		free(plan->protect_paths[i]);
	if (plan->target_fd >= 0)
		close(plan->target_fd);
	free(plan->dir_fds);
	free(plan->files);
	free(plan->protect_paths);
	free(plan->protect);
	memset(plan, 0, sizeof(*plan));
	plan->target_fd = -1;
}

/**
 * swauth_cleanup_describe() - a file as a message shows it
 * @f: a planned file
 * @buf: receives e.g. "flash:old.SPA (image: Production image c3900 15.1, 1048576 bytes)"
 * @len: size of @buf
 */
void swauth_cleanup_describe(const struct swauth_cleanup_file *f, char *buf, size_t len)
{
	snprintf(buf, len, "%s (%s: %s, %" PRIu64 " bytes)", f->display,
		 swauth_cleanup_category_name(f->category), f->why, f->size);
}

/* Whether @f is still under its name. */
static bool unchanged(const struct swauth_cleanup_plan *plan, const struct swauth_cleanup_file *f)
{
	struct stat st;

	return !fstatat(plan->dir_fds[f->dir], f->name, &st, AT_SYMLINK_NOFOLLOW) &&
	       S_ISREG(st.st_mode) && st.st_dev == f->dev && st.st_ino == f->ino;
}

static int not_enough(const struct swauth_cleanup_plan *plan, uint64_t free_bytes,
		      struct swauth_error *err)
{
	return swauth_error_set(err, -ENOSPC,
				"%%Not enough space on %s (%" PRIu64 " bytes needed, %" PRIu64 " free)",
				plan->target_name, plan->needed, free_bytes);
}

/*
 * Deletes @f if it is still the planned file, unprotected, and (for a
 * left-over) open nowhere. Returns 0 when it was deleted, else -errno and
 * @why. The window between the last look and unlinkat() is the
 * directory's: whoever may rename files in it may delete them as well.
 */
static int delete_one(struct swauth_cleanup_plan *plan, const struct swauth_cleanup_file *f,
		      const char **why)
{
	int dir = plan->dir_fds[f->dir], fd, ret = 0;
	struct stat st;

	fd = openat(dir, f->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_dev != f->dev ||
	    st.st_ino != f->ino) {
		*why = "changed since it was listed: kept";
		ret = -ESTALE;
		goto out;
	}
	if (stat_protected(plan, NULL)) {
		*why = "a protected file could not be looked at: kept";
		ret = -EPERM;
		goto out;
	}
	if (protected_now(plan, st.st_dev, st.st_ino)) {
		*why = "protected (running, boot or fallback image): kept";
		ret = -EPERM;
		goto out;
	}
	if (f->category == SWAUTH_CLEANUP_IRRECOVERABLE && !nobody_has_open(fd)) {
		*why = "in use: kept";
		ret = -EBUSY;
		goto out;
	}
	if (!unchanged(plan, f)) {
		*why = "changed since it was listed: kept";
		ret = -ESTALE;
		goto out;
	}
	if (unlinkat(dir, f->name, 0)) {
		ret = -errno;
		*why = strerror(errno);
	}
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

/**
 * swauth_cleanup_execute() - free space by the plan, one file at a time
 * @plan: from swauth_cleanup_plan()
 * @mode: SWAUTH_CLEANUP_NO deletes nothing; SWAUTH_CLEANUP_AUTO deletes
 *	without asking; SWAUTH_CLEANUP_CONFIRM asks @confirm for each file
 * @confirm: for SWAUTH_CLEANUP_CONFIRM: > 0 deletes the file, 0 keeps it
 *	and goes on with the next, < 0 stops (that value is returned)
 * @report: called for every file tried, with 0 (deleted) or why it was
 *	kept: -ECANCELED (@confirm said no), -ESTALE (another file under its
 *	name, or gone), -EPERM (now protected, or a protected path could not
 *	be looked at), -EBUSY (a left-over that is open), or unlinkat()'s
 *	-errno, and a message; may be NULL
 * @arg: for @confirm and @report
 * @err: filled on failure
 *
 * Before each file the free space is measured again; as soon as
 * @plan->needed bytes are free, nothing more is deleted.
 *
 * Return: 0 when enough space is free; -ENOSPC with "%Not enough space on
 * flash: (N bytes needed, M free)" when not (always so for
 * SWAUTH_CLEANUP_NO with too little space); @confirm's negative value; or
 * -errno (-EINVAL for a bad @mode, or CONFIRM without @confirm).
 */
int swauth_cleanup_execute(struct swauth_cleanup_plan *plan, enum swauth_cleanup_mode mode,
			   swauth_cleanup_confirm_fn *confirm, swauth_cleanup_report_fn *report,
			   void *arg, struct swauth_error *err)
{
	uint64_t free_bytes;
	const char *why;
	size_t i;
	int ret;

	if (mode == SWAUTH_CLEANUP_CONFIRM && !confirm)
		return swauth_error_set(err, -EINVAL, "disk-management confirm: nobody to ask");
	if (mode != SWAUTH_CLEANUP_NO && mode != SWAUTH_CLEANUP_AUTO &&
	    mode != SWAUTH_CLEANUP_CONFIRM)
		return swauth_error_set(err, -EINVAL, "disk-management: no such mode (%d)", mode);
	ret = free_space(plan, &free_bytes, err);
	for (i = 0; !ret && free_bytes < plan->needed && mode != SWAUTH_CLEANUP_NO &&
		    i < plan->n; i++) {
		const struct swauth_cleanup_file *f = &plan->files[i];
		int r = 1;

		/* Nobody is asked about a file that is no longer the one listed. */
		if (!unchanged(plan, f)) {
			r = -ESTALE;
			why = "changed since it was listed: kept";
		} else {
			if (mode == SWAUTH_CLEANUP_CONFIRM)
				r = confirm(f, arg);
			if (r < 0)
				return swauth_error_set(err, r, "%%Disk clean-up stopped before %s",
							f->display);
			if (r) {
				r = delete_one(plan, f, &why);
			} else {
				r = -ECANCELED;
				why = "declined: kept";
			}
		}
		if (report)
			report(f, r, r ? why : "deleted", arg);
		ret = free_space(plan, &free_bytes, err);
	}
	if (ret)
		return ret;
	return free_bytes < plan->needed ? not_enough(plan, free_bytes, err) : 0;
}
