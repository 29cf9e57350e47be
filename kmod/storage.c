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
 * Everything here runs under the key table's lock (keys.c), or at load.
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/reboot.h>
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

/* The sequence number of the state in the module. */
static u64 sequence;

/* Copies rewritten at load; shown as repaired once that succeeded. */
static unsigned int repairing;

/* Neither copy was valid at load: say so until the next update. */
static bool recovered;

/*
 * Test hook, debugfs storage_crash_at: cut the power (emergency_restart,
 * no sync) at this step of the next update. Steps, per copy c = 0, 1:
 * 3c + 1 after truncating, 3c + 2 after writing half, 3c + 3 after sync.
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

/**
 * swauth_storage_configured() - whether key storage is configured
 *
 * Return: true when store_dir names a directory to keep keys in.
 */
bool swauth_storage_configured(void)
{
	return store_dir && *store_dir;
}

static struct file *open_copy(int c, int flags)
{
	struct file *f;
	char *path;

	path = kasprintf(GFP_KERNEL, "%s/%s", store_dir, copy_names[c]);
	if (!path)
		return ERR_PTR(-ENOMEM);
	f = filp_open(path, flags | O_LARGEFILE | O_NOFOLLOW, 0600);
	kfree(path);
	return f;
}

/* Reads a copy into buf; its size in *len. */
static int read_copy(int c, void *buf, size_t *len)
{
	struct file *f = open_copy(c, O_RDONLY);
	loff_t size, pos = 0;
	ssize_t n;
	int ret = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	size = i_size_read(file_inode(f));
	if (!S_ISREG(file_inode(f)->i_mode) || size > SWAUTH_STORE_MAX_SIZE) {
		ret = -EFBIG;
		goto out;
	}
	while (pos < size) {
		n = kernel_read(f, buf + pos, size - pos, &pos);
		if (n <= 0) {
			ret = n ? n : -EIO;
			goto out;
		}
	}
	*len = size;
out:
	filp_close(f, NULL);
	return ret;
}

/* Replaces a copy's content and syncs it; see crash_point() for steps. */
static int write_copy(int c, const void *buf, size_t len)
{
	unsigned int step = 3 * c;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	int ret;

	f = open_copy(c, O_WRONLY | O_CREAT | O_TRUNC);
	if (IS_ERR(f))
		return PTR_ERR(f);
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
	filp_close(f, NULL);
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
 * swauth_storage_read() - read key storage at load
 * @st: receives the state to start from
 * @repair: receives the copies to rewrite (SWAUTH_STORAGE_* mask)
 *
 * The valid copy with the highest sequence wins; a stale, corrupt or
 * missing copy is to be repaired with @st as it is, sequence included.
 * When neither copy is valid, @st is empty but keeps the highest floors
 * any valid copy header proves, under a sequence number above any seen.
 * The certificates @st points to live until swauth_storage_release().
 *
 * Return: 0 with @st filled, -ENOENT without key storage, or -ENOMEM.
 */
int __init swauth_storage_read(struct swauth_store *st, unsigned int *repair)
{
	void *buf[SWAUTH_STORAGE_COPIES] = {};
	size_t len[SWAUTH_STORAGE_COPIES] = {};
	int err[SWAUTH_STORAGE_COPIES], c, best = -1, t, ret = 0;
	struct swauth_store *hdr, *scratch;

	*repair = 0;
	if (!swauth_storage_configured())
		return -ENOENT;
	/* One parsed store per copy, and one for a header alone. */
	hdr = kcalloc(SWAUTH_STORAGE_COPIES + 1, sizeof(*hdr), GFP_KERNEL);
	if (!hdr)
		return -ENOMEM;
	scratch = &hdr[SWAUTH_STORAGE_COPIES];
	memset(st, 0, sizeof(*st));
	for (c = 0; c < SWAUTH_STORAGE_COPIES; c++) {
		buf[c] = kvmalloc(SWAUTH_STORE_MAX_SIZE, GFP_KERNEL);
		if (!buf[c]) {
			ret = -ENOMEM;
			goto out;
		}
		err[c] = read_copy(c, buf[c], &len[c]);
		if (err[c]) {
			copies[c].state = err[c] == -ENOENT ? SWAUTH_STORE_MISSING :
							      SWAUTH_STORE_CORRUPT;
			pr_warn("key storage: %s: cannot read: %d\n",
				copy_names[c], err[c]);
			continue;
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

	if (best < 0) {
		pr_err("key storage: no valid copy: starting from the built-in keys, floors production %c special %c\n",
		       st->floors[SWAUTH_KEY_PRODUCTION] ?: '-',
		       st->floors[SWAUTH_KEY_SPECIAL] ?: '-');
		*repair = SWAUTH_STORAGE_ALL;
		recovered = true;
		st->sequence = sequence + 1;
		goto out;
	}
	for (t = 0; t <= SWAUTH_KEY_MAX; t++)
		hdr[best].floors[t] = max(hdr[best].floors[t], st->floors[t]);
	*st = hdr[best];
	/* A torn copy's header may name a later sequence: the winner's counts. */
	sequence = st->sequence;
	loaded = buf[best];
	buf[best] = NULL;
	for (c = 0; c < SWAUTH_STORAGE_COPIES; c++) {
		if (err[c]) {
			*repair |= BIT(c);
			continue;
		}
		note_content(c, &hdr[c]);
		if (hdr[c].sequence == sequence) {
			copies[c].state = SWAUTH_STORE_OK;
		} else {
			copies[c].state = SWAUTH_STORE_STALE;
			*repair |= BIT(c);
		}
	}
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
void __init swauth_storage_release(void)
{
	kvfree(loaded);
	loaded = NULL;
}

/**
 * swauth_storage_write() - write a state to copies of key storage
 * @st: the state; its sequence follows the module's
 * @mask: the copies to write, SWAUTH_STORAGE_* bits; Primary goes first
 * @results: receives each written copy's outcome, 0 or -errno
 *
 * A copy whose write fails is left invalid (it was truncated) and is
 * reported corrupt; the copies after it are not touched (-ECANCELED), so
 * the other copy still holds a valid state.
 */
void swauth_storage_write(const struct swauth_store *st, unsigned int mask,
			  int results[SWAUTH_STORAGE_COPIES])
{
	size_t len = swauth_store_size(st);
	void *buf;
	int c, ret;

	buf = kvmalloc(len, GFP_KERNEL);
	ret = buf ? swauth_store_build(st, buf, len) : -ENOMEM;
	for (c = 0; c < SWAUTH_STORAGE_COPIES; c++) {
		if (!(mask & BIT(c)))
			continue;
		if (ret) {
			/* Not built, or an earlier copy failed: untouched. */
			results[c] = ret;
			continue;
		}
		results[c] = write_copy(c, buf, len);
		if (results[c]) {
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
	kvfree(buf);
	/* Later updates show plain states again. */
	if (!repairing)
		recovered = false;
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
 * swauth_storage_sequence() - the sequence number of the current state
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
	return swauth_storage_configured() ? copies[copy].state :
					     SWAUTH_STORE_NONE;
}

/**
 * swauth_storage_init() - create the debugfs test hook
 */
void swauth_storage_init(void)
{
	debug_dir = debugfs_create_dir("swauth", NULL);
	debugfs_create_u32("storage_crash_at", 0600, debug_dir, &crash_at);
}

/**
 * swauth_storage_uninit() - remove the debugfs test hook
 */
void swauth_storage_uninit(void)
{
	debugfs_remove(debug_dir);
}
