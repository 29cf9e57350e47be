// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth reload, cold: the sealed kernel and initramfs are written into
 * boot-dir, which the firmware's boot loader boots, and a symbolic link
 * is switched so that boot-dir/current is the old pair or the new one,
 * never a mix (lib/boot/bootdir.c: previous, and the trial of --trial).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fs.h"
#include "swauth/reload.h"

/* Copies a sealed part into boot-dir/ID/NAME (lib/fs.h: safewrite). */
static int write_part(struct reload *r, int dir_fd, const char *name, int src)
{
	static char buf[1 << 16];
	struct swauth_safewrite w;
	struct swauth_error err;
	off_t off = 0;
	ssize_t n;
	int ret;

	swauth_error_clear(&err);
	ret = swauth_safewrite_open(&w, dir_fd, name, 0644, 0, &err);
	while (!ret && (n = pread(src, buf, sizeof(buf), off)) != 0) {
		if (n < 0) {
			ret = swauth_error_set(&err, -errno, "reading the sealed %s: %s", name,
					       strerror(errno));
			break;
		}
		ret = swauth_safewrite_write(&w, buf, (size_t)n, &err);
		off += n;
	}
	if (!ret)
		ret = swauth_safewrite_commit(&w, &err);
	else
		swauth_safewrite_abort(&w);
	if (ret)
		reload_say(r, "writing %s/%s/%s: %s", swauth_reload_dir(&r->cfg, SWAUTH_DIR_BOOT),
			   r->rec.id, name, err.msg);
	return ret;
}

/*
 * boot-dir/ID/{vmlinuz,initrd.img,image}, then swauth_bootdir_switch()
 * makes it current (on trial with --trial; staged with --warm --trial). A failure before
 * the switch leaves boot-dir/current as it was.
 */
int reload_install_boot(struct reload *r)
{
	const char *boot = swauth_reload_dir(&r->cfg, SWAUTH_DIR_BOOT);
	char path[PATH_MAX];
	struct swauth_error err;
	int boot_fd, dir_fd = -1, ret;

	if (mkdir(boot, 0755) && errno != EEXIST) {
		reload_say(r, "%s: %s", boot, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	swauth_error_clear(&err);
	boot_fd = swauth_dir_open_trusted(boot, &err);
	if (boot_fd < 0) {
		reload_say(r, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	ret = mkdirat(boot_fd, r->rec.id, 0755) ? -errno : 0;
	if (!ret) {
		dir_fd = openat(boot_fd, r->rec.id, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ret = dir_fd < 0 ? -errno : 0;
	}
	if (ret)
		reload_say(r, "%s/%s: %s", boot, r->rec.id, strerror(-ret));
	if (!ret)
		ret = write_part(r, dir_fd, "vmlinuz", (int)r->res.kernel_fd);
	if (!ret)
		ret = write_part(r, dir_fd, "initrd.img", (int)r->res.initrd_fd);
	if (!ret) {
		swauth_error_clear(&err);
		snprintf(path, sizeof(path), "%s/%s/image", boot, r->rec.id);
		ret = swauth_reload_record_write(path, &r->rec, &err);
		if (ret)
			reload_say(r, "%s", err.msg);
	}
	if (!ret && fsync(dir_fd))
		ret = -errno;
	if (!ret) {
		swauth_error_clear(&err);
		/* A warm reload's kexec is its one attempt: the boot loader never boots it. */
		ret = swauth_bootdir_switch(boot_fd, r->rec.id, !r->trial ? SWAUTH_BOOTDIR_PLAIN :
					    r->warm ? SWAUTH_BOOTDIR_STAGED : SWAUTH_BOOTDIR_TRIAL,
					    &err);
		if (ret)
			reload_say(r, "%s: %s", boot, err.msg);
	}
	if (dir_fd >= 0)
		close(dir_fd);
	if (ret)
		swauth_bootdir_remove(boot_fd, r->rec.id);
	close(boot_fd);
	return ret ? CLI_EXIT_SYSTEM : CLI_EXIT_OK;
}
