// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Key storage: two copies of the key store (keystore.c), Primary and
 * Backup, as the files keystore.primary and keystore.backup in the
 * directory named by the store_dir module parameter. Every update writes
 * Primary completely and syncs it, then Backup: a crash leaves at least
 * one valid copy, and the newest valid copy wins at the next load, which
 * repairs the other (Documentation/key-store.rst has the whole argument).
 *
 * The store is read before it is written: until both copies have been
 * read and accounted for, nothing is written, and a store comes into being
 * only by swauth_storage_create(). The files are looked up from init's
 * root, with the module's own credentials, never from the caller's.
 *
 * Everything here runs under the key table's lock (keys.c), or at load.
 */

#include <linux/cred.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/ratelimit.h>
#include <linux/reboot.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "swauth.h"

static char *store_dir;
module_param(store_dir, charp, 0444);
MODULE_PARM_DESC(store_dir,
		 "directory of key storage (keystore.primary, keystore.backup); none: verify only");

static const char *const copy_names[SWAUTH_STORAGE_COPIES] = {
	[SWAUTH_STORAGE_PRIMARY_COPY] = "keystore.primary",
	[SWAUTH_STORAGE_BACKUP_COPY] = "keystore.backup",
};

/* What each copy on disk holds, as last read or written. */
static struct {
	enum swauth_store_state state;
	u32 present[SWAUTH_KEY_MAX + 1];	/* versions held, bit 0 = 'A' */
} copies[SWAUTH_STORAGE_COPIES];

/*
 * The highest sequence number seen on disk or written: every write takes
 * a number above it, so that no copy is ever written with a lower one.
 */
static u64 sequence;

/*
 * 0 once both copies were read and accounted for (or created); until
 * then why not: -ENOENT when no store was ever created in store_dir, any
 * other -errno when it cannot be read now. Nothing is written unless 0.
 */
static int unread = -ENOENT;

/* The module's own credentials, for every access to store_dir. */
static const struct cred *kcred;

/*
 * A store that cannot be written fails every key change: a few lines a
 * minute say so, however many requests come (the status says it too).
 */
static DEFINE_RATELIMIT_STATE(write_errors, 60 * HZ, 3);

/* Copies rewritten at load; shown as repaired once that succeeded. */
static unsigned int repairing;

/* Neither copy was valid at load: say so until the next update. */
static bool recovered;

#ifdef CONFIG_SWAUTH_TEST
/*
 * Test hook, debugfs storage_crash_at, in the test build only: cut the
 * power (emergency_restart, no sync) at this step of the next update.
 * Steps, per copy c = 0, 1: 3c + 1 after truncating, 3c + 2 after writing
 * half, 3c + 3 after sync.
 */
static u32 crash_at;
static struct dentry *debug_dir;

static void crash_point(unsigned int step)
{
	if (crash_at && crash_at == step) {
		pr_emerg("key storage: test hook cuts the power at step %u\n",
			 step);
		emergency_restart();
	}
}
#else
static inline void crash_point(unsigned int step)
{
}
#endif

/**
 * swauth_storage_configured() - whether key storage is configured
 *
 * Return: true when store_dir names a directory to keep keys in.
 */
bool swauth_storage_configured(void)
{
	return store_dir && *store_dir;
}

/**
 * swauth_storage_setup() - check store_dir and take the module's credentials
 *
 * Return: 0; -EINVAL when store_dir is not an absolute path, -ENOMEM.
 */
int __init swauth_storage_setup(void)
{
	if (!swauth_storage_configured())
		return 0;
	if (store_dir[0] != '/') {
		pr_err("key storage: store_dir=%s is not an absolute path\n",
		       store_dir);
		return -EINVAL;
	}
	kcred = prepare_kernel_cred(NULL);
	return kcred ? 0 : -ENOMEM;
}

/* The root of init, PID 1 of the initial PID namespace, into *root. */
static int init_root(struct path *root)
{
	struct task_struct *init;
	int ret = -ESRCH;

	rcu_read_lock();
	init = get_pid_task(find_pid_ns(1, &init_pid_ns), PIDTYPE_PID);
	rcu_read_unlock();
	if (!init)
		return ret;
	task_lock(init);
	if (init->fs) {
		get_fs_root(init->fs, root);
		ret = 0;
	}
	task_unlock(init);
	put_task_struct(init);
	return ret;
}

/* Creates a copy that does not exist, for writing; never opens another. */
static struct file *create_copy(const struct path *root, int c)
{
	struct file *f;
	char *name;

	name = kasprintf(GFP_KERNEL, "%s/%s", store_dir, copy_names[c]);
	if (!name)
		return ERR_PTR(-ENOMEM);
	f = file_open_root(root, name, O_WRONLY | O_CREAT | O_EXCL |
			   O_NOFOLLOW | O_LARGEFILE, 0600);
	kfree(name);
	return f;
}

/*
 * Opens a copy in store_dir, from root, as it is: O_PATH and O_NOFOLLOW
 * first, so that a symbolic link, a FIFO, a device or a socket is refused
 * without being opened (nor blocking), then the same dentry for real.
 */
static struct file *open_copy(const struct path *root, int c, int flags)
{
	struct file *p, *f;
	umode_t mode;
	char *name;

	name = kasprintf(GFP_KERNEL, "%s/%s", store_dir, copy_names[c]);
	if (!name)
		return ERR_PTR(-ENOMEM);
	p = file_open_root(root, name, O_PATH | O_NOFOLLOW, 0);
	kfree(name);
	if (IS_ERR(p))
		return p;
	mode = file_inode(p)->i_mode;
	if (S_ISLNK(mode))
		f = ERR_PTR(-ELOOP);
	else if (S_ISDIR(mode))
		f = ERR_PTR(-EISDIR);
	else if (!S_ISREG(mode))
		f = ERR_PTR(-ENXIO);
	else
		f = dentry_open(&p->f_path, flags | O_LARGEFILE, current_cred());
	fput(p);
	return f;
}

/* Whether store_dir is a directory that can be looked into. */
static int check_dir(const struct path *root)
{
	struct file *d;

	d = file_open_root(root, store_dir, O_PATH | O_DIRECTORY, 0);
	if (IS_ERR(d))
		return PTR_ERR(d);
	fput(d);
	return 0;
}

/* Reads a copy into buf; its size in *len. */
static int read_copy(const struct path *root, int c, void *buf, size_t *len)
{
	struct file *f = open_copy(root, c, O_RDONLY);
	loff_t size, pos = 0;
	ssize_t n;
	int ret = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	size = i_size_read(file_inode(f));
	if (size > SWAUTH_STORE_MAX_SIZE) {
		ret = -EFBIG;
		goto out;
	}
	while (pos < size) {
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
		n = kernel_read(f, buf + pos, size - pos, &pos);
		if (n <= 0) {
			ret = n ? n : -EIO;
			goto out;
		}
	}
	*len = size;
out:
	fput(f);
	return ret;
}

/*
 * Replaces a copy's content and syncs it; see crash_point() for the
 * steps. A copy found missing when read is created, never opened: what
 * appeared there since was not read. A copy that was read is truncated,
 * or created if it went away since.
 */
static int write_copy(const struct path *root, int c, const void *buf,
		      size_t len)
{
	unsigned int step = 3 * c;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	int ret = 0;

	if (copies[c].state == SWAUTH_STORE_MISSING) {
		f = create_copy(root, c);
	} else {
		f = open_copy(root, c, O_WRONLY);
		if (f == ERR_PTR(-ENOENT))
			f = create_copy(root, c);
		else if (!IS_ERR(f))
			ret = vfs_truncate(&f->f_path, 0);
	}
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (ret)
		goto out;
	crash_point(step + 1);
	while (pos < len) {
		n = kernel_write(f, buf + pos, min_t(size_t, len - pos, len / 2 + 1),
				 &pos);
		if (n <= 0) {
			ret = n ? n : -EIO;
			goto out;
		}
		crash_point(step + 2);
	}
	ret = vfs_fsync(f, 0);
	if (!ret)
		crash_point(step + 3);
out:
	fput(f);
	return ret;
}

static void note_content(int c, const struct swauth_store *st)
{
	unsigned int i;

	memset(copies[c].present, 0, sizeof(copies[c].present));
	for (i = 0; i < st->nkeys; i++)
		copies[c].present[st->keys[i].type] |=
			BIT(st->keys[i].version - 'A');
}

/* The copy the state was loaded from, until swauth_storage_release(). */
static void *loaded;

/**
 * swauth_storage_read() - read key storage
 * @st: receives the state to start from
 * @repair: receives the copies to rewrite (SWAUTH_STORAGE_* mask)
 *
 * The valid copy with the highest sequence wins; a stale, corrupt or
 * missing copy is to be repaired with @st as it is, and then the other
 * too, under a new sequence number (keys.c). When neither copy is valid,
 * @st is empty but keeps the highest floors any valid copy header proves.
 * The certificates @st points to live until swauth_storage_release().
 *
 * Only a copy that does not exist counts as missing; any other error
 * (store_dir missing, EIO, EACCES, ENOMEM, a signal, a file that is not
 * regular) makes the store unreadable, and nothing is written until a
 * later call reads it. Even then @st has the floors of the headers read.
 *
 * Return: 0 with @st filled; -ENOENT when neither copy exists (no store
 * was ever created), -EROFS without store_dir, else the read error.
 */
int swauth_storage_read(struct swauth_store *st, unsigned int *repair)
{
	void *buf[SWAUTH_STORAGE_COPIES] = {};
	size_t len[SWAUTH_STORAGE_COPIES] = {};
	int err[SWAUTH_STORAGE_COPIES], c, best = -1, t, missing = 0, ret;
	struct swauth_store *hdr, *scratch;
	const struct cred *old;
	struct path root;

	*repair = 0;
	memset(st, 0, sizeof(*st));
	if (!swauth_storage_configured())
		return -EROFS;
	/* One parsed store per copy, and one for a header alone. */
	hdr = kcalloc(SWAUTH_STORAGE_COPIES + 1, sizeof(*hdr), GFP_KERNEL);
	ret = hdr ? init_root(&root) : -ENOMEM;
	if (ret)
		goto out_unread;
	scratch = &hdr[SWAUTH_STORAGE_COPIES];
	old = override_creds(kcred);
	ret = check_dir(&root);
	/*
	 * -ENOENT means no copy in a directory that exists: a store_dir
	 * that is missing (not mounted or created yet) cannot be read.
	 */
	if (ret == -ENOENT)
		ret = -ENOTDIR;
	for (c = 0; !ret && c < SWAUTH_STORAGE_COPIES; c++) {
		buf[c] = kvmalloc(SWAUTH_STORE_MAX_SIZE, GFP_KERNEL);
		err[c] = buf[c] ? read_copy(&root, c, buf[c], &len[c]) : -ENOMEM;
		if (err[c] == -ENOENT) {
			copies[c].state = SWAUTH_STORE_MISSING;
			missing++;
			continue;
		}
		if (err[c]) {
			ret = err[c];
			pr_warn_ratelimited("key storage: %s/%s cannot be read: %d\n",
					    store_dir, copy_names[c], ret);
			break;
		}
		err[c] = swauth_store_parse(buf[c], len[c], &hdr[c]);
		if (err[c]) {
			copies[c].state = SWAUTH_STORE_CORRUPT;
			pr_err("key storage: %s is invalid: %s\n", copy_names[c],
			       swauth_store_strerror(err[c]));
		}
		/* A valid header proves its floors even when the body is bad. */
		if (!swauth_store_parse_header(buf[c], len[c], scratch)) {
			for (t = 0; t <= SWAUTH_KEY_MAX; t++)
				st->floors[t] = max(st->floors[t], scratch->floors[t]);
			sequence = max(sequence, scratch->sequence);
		}
		if (!err[c] && (best < 0 || hdr[c].sequence > hdr[best].sequence))
			best = c;
	}
	revert_creds(old);
	path_put(&root);
	if (!ret && missing == SWAUTH_STORAGE_COPIES) {
		pr_info_ratelimited("key storage: no store in %s: `swauth key store init` creates one\n",
				    store_dir);
		ret = -ENOENT;
	}
	if (ret)
		goto out_unread;
	unread = 0;

	if (best < 0) {
		pr_err("key storage: no valid copy: starting from the built-in keys, floors production %c special %c\n",
		       st->floors[SWAUTH_KEY_PRODUCTION] ?: '-',
		       st->floors[SWAUTH_KEY_SPECIAL] ?: '-');
		*repair = SWAUTH_STORAGE_ALL;
		recovered = true;
		goto out;
	}
	for (t = 0; t <= SWAUTH_KEY_MAX; t++)
		hdr[best].floors[t] = max(hdr[best].floors[t], st->floors[t]);
	*st = hdr[best];
	loaded = buf[best];
	buf[best] = NULL;
	/*
	 * A torn copy's header may name a later sequence than the winner's:
	 * the module's sequence stays above it, and every copy not at the
	 * winner's is rewritten.
	 */
	for (c = 0; c < SWAUTH_STORAGE_COPIES; c++) {
		if (err[c]) {
			*repair |= BIT(c);
			continue;
		}
		note_content(c, &hdr[c]);
		if (hdr[c].sequence == st->sequence) {
			copies[c].state = SWAUTH_STORE_OK;
		} else {
			copies[c].state = SWAUTH_STORE_STALE;
			*repair |= BIT(c);
		}
	}
	goto out;

out_unread:
	unread = ret;
out:
	for (c = 0; c < SWAUTH_STORAGE_COPIES; c++)
		kvfree(buf[c]);
	repairing = *repair;
	kfree(hdr);
	return ret;
}

/**
 * swauth_storage_release() - free what swauth_storage_read() kept
 */
void swauth_storage_release(void)
{
	kvfree(loaded);
	loaded = NULL;
}

/**
 * swauth_storage_readable() - whether key storage was read
 *
 * Return: 0 once both copies were read and accounted for (or created);
 * -ENOENT when no store was ever created, else why it cannot be read.
 */
int swauth_storage_readable(void)
{
	return unread;
}

/**
 * swauth_storage_error() - why key storage cannot be read
 *
 * Return: the -errno of the last read, 0 when it was read or is absent.
 */
int swauth_storage_error(void)
{
	return swauth_storage_configured() && unread != -ENOENT ? unread : 0;
}

/**
 * swauth_storage_write() - write a state to copies of key storage
 * @st: the state; its sequence is above every one seen (or the one just
 *      written, for the rest of a repair), its floors at least those read
 * @mask: the copies to write, SWAUTH_STORAGE_* bits; Primary goes first
 * @results: receives each written copy's outcome, 0 or -errno
 *
 * Nothing is written before both copies were read (swauth_storage_read())
 * or a store was created: the read error is each copy's result then. A
 * copy whose write fails is left invalid (it was truncated) and is
 * reported corrupt; the copies after it are not touched (-ECANCELED), so
 * the other copy still holds a valid state.
 */
void swauth_storage_write(const struct swauth_store *st, unsigned int mask,
			  int results[SWAUTH_STORAGE_COPIES])
{
	size_t len = swauth_store_size(st);
	const struct cred *old;
	struct path root;
	void *buf = NULL;
	int c, ret;

	ret = unread;
	if (!ret && st->sequence < sequence)
		ret = -ESTALE;
	if (!ret) {
		buf = kvmalloc(len, GFP_KERNEL);
		ret = buf ? swauth_store_build(st, buf, len) : -ENOMEM;
	}
	if (!ret)
		ret = init_root(&root);
	if (ret) {
		for (c = 0; c < SWAUTH_STORAGE_COPIES; c++)
			if (mask & BIT(c))
				results[c] = ret;
		kvfree(buf);
		return;
	}
	old = override_creds(kcred);
	for (c = 0; c < SWAUTH_STORAGE_COPIES; c++) {
		if (!(mask & BIT(c)))
			continue;
		if (ret) {
			/* An earlier copy failed: untouched. */
			results[c] = ret;
			continue;
		}
		results[c] = write_copy(&root, c, buf, len);
		if (results[c]) {
			if (__ratelimit(&write_errors))
				pr_err("key storage: writing %s failed: %d\n",
				       copy_names[c], results[c]);
			copies[c].state = SWAUTH_STORE_CORRUPT;
			/*
			 * This copy is truncated now: leave the other one
			 * alone, it is the only valid state on disk.
			 */
			ret = -ECANCELED;
			continue;
		}
		if (recovered)
			copies[c].state = SWAUTH_STORE_RECOVERED;
		else if (repairing & BIT(c))
			copies[c].state = SWAUTH_STORE_REPAIRED;
		else
			copies[c].state = SWAUTH_STORE_OK;
		repairing &= ~BIT(c);
		note_content(c, st);
		sequence = st->sequence;
	}
	revert_creds(old);
	path_put(&root);
	kvfree(buf);
	/* Later updates show plain states again. */
	if (!repairing)
		recovered = false;
}

/**
 * swauth_storage_create() - create key storage where there is none
 * @st: the state to start with, sequence above every one seen
 * @results: receives each copy's outcome, 0 or -errno
 *
 * Only when the last read found neither copy (swauth_storage_read()
 * returned -ENOENT); each copy is created exclusively, so nothing that
 * appeared since is overwritten.
 *
 * Return: 0 when a copy was created; -EEXIST when the store was read,
 * the read error when it cannot be, else the first copy's error.
 */
int swauth_storage_create(const struct swauth_store *st,
			  int results[SWAUTH_STORAGE_COPIES])
{
	if (unread != -ENOENT)
		return unread ?: -EEXIST;
	unread = 0;
	swauth_storage_write(st, SWAUTH_STORAGE_ALL, results);
	if (results[SWAUTH_STORAGE_PRIMARY_COPY] &&
	    results[SWAUTH_STORAGE_BACKUP_COPY]) {
		/* Neither exists: still absent, as far as this module knows. */
		unread = -ENOENT;
		return results[SWAUTH_STORAGE_PRIMARY_COPY];
	}
	return 0;
}

/**
 * swauth_storage_has() - whether a copy holds a key
 * @copy: enum swauth_storage_copy
 * @type: enum swauth_key_type
 * @version: 'A'..'Z'
 *
 * Return: true when the copy, as last read or written, holds the key.
 */
bool swauth_storage_has(int copy, u8 type, u8 version)
{
	if (copies[copy].state != SWAUTH_STORE_OK &&
	    copies[copy].state != SWAUTH_STORE_REPAIRED)
		return false;
	return copies[copy].present[type] & BIT(version - 'A');
}

/**
 * swauth_storage_sequence() - the highest sequence number seen or written
 *
 * Return: the number, 0 before anything was read or written.
 */
u64 swauth_storage_sequence(void)
{
	return sequence;
}

/**
 * swauth_storage_state() - the state of a copy
 * @copy: enum swauth_storage_copy
 *
 * Return: an enum swauth_store_state; SWAUTH_STORE_NONE without storage.
 */
enum swauth_store_state swauth_storage_state(int copy)
{
	if (!swauth_storage_configured())
		return SWAUTH_STORE_NONE;
	if (unread == -ENOENT)
		return SWAUTH_STORE_ABSENT;
	if (unread)
		return SWAUTH_STORE_UNREADABLE;
	return copies[copy].state;
}

/**
 * swauth_storage_init() - create the debugfs test hook (test build only)
 */
void swauth_storage_init(void)
{
#ifdef CONFIG_SWAUTH_TEST
	debug_dir = debugfs_create_dir("swauth", NULL);
	debugfs_create_u32("storage_crash_at", 0600, debug_dir, &crash_at);
#endif
}

/**
 * swauth_storage_uninit() - remove the test hook, drop the credentials
 */
void swauth_storage_uninit(void)
{
#ifdef CONFIG_SWAUTH_TEST
	debugfs_remove(debug_dir);
#endif
	if (kcred)
		put_cred(kcred);
	kcred = NULL;
}
