// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth reload: the module seals the image (SWAUTH_IOC_SEAL) and hands
 * back read-only copies of its kernel and initramfs; a warm reload passes
 * them to kexec_file_load(2); then state-dir/last-reload is written and
 * the system reboots (into the loaded kernel, or through the firmware).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/kexec.h>
#include <linux/reboot.h>

#include "lib/fs.h"
#include "lib/netlink.h"
#include "swauth/reload.h"

enum { CMDLINE_MAX = 4096 };

/*
 * The checks of a verified image beyond its signature: a system image
 * for this platform, and, when it is the configured boot image, the one
 * `boot system` verified (its digest).
 */
int reload_check_image(struct reload *r)
{
	const struct swauth_verify_result *res = &r->res;
	char digest[2 * SWAUTH_VERIFY_DIGEST_MAX + 1], msg[128];

	if (res->verdict != SWAUTH_VERDICT_OK) {
		reload_say(r, "%s: not loaded: %s", r->rec.name,
			   swauth_verdict_message(res->verdict));
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (res->image_type != SWAUTH_IMAGE_PRODUCTION && res->image_type != SWAUTH_IMAGE_SPECIAL) {
		reload_say(r, "%s: not loaded: a %s image is not a system image", r->rec.name,
			   swauth_image_type_token(res->image_type));
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (!swauth_platform_ok(res, r->cfg.platform, msg, sizeof(msg))) {
		reload_say(r, "%s: not loaded: %s", r->rec.name, msg);
		return CLI_EXIT_VERIFY_FAILED;
	}
	verify_digest_hex(res, digest);
	if (!r->image_arg && r->cfg.boot_image_digest[0] &&
	    strcmp(digest, r->cfg.boot_image_digest)) {
		reload_say(r, "%s: not loaded: the file changed since 'swauth boot system' verified it; run 'swauth boot system' again to boot the new file",
			   r->rec.name);
		return CLI_EXIT_VERIFY_FAILED;
	}
	snprintf(r->rec.digest, sizeof(r->rec.digest), "%s", digest);
	snprintf(r->rec.key, sizeof(r->rec.key), "%s %c",
		 swauth_key_type_token(verify_signer_type(res)), verify_signer_version(res));
	return CLI_EXIT_OK;
}

/* Asks the module to seal the image. */
int reload_seal(struct reload *r)
{
	struct swauth_error err;
	int fd, ret;

	swauth_error_clear(&err);
	fd = swauth_storage_open(&r->cfg, r->path, 0, &err);
	if (fd < 0) {
		reload_say(r, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	ret = swauth_seal_kernel(fd, &r->res, &err);
	close(fd);
	/* The module refused the image itself: wrong type, platform or payload. */
	if (ret == -EMEDIUMTYPE || ret == -ENOEXEC || ret == -EBADMSG) {
		reload_say(r, "%s: not loaded: %s", r->rec.name, err.msg);
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (ret && r->scheduled) {
		reload_klog("%s: not loaded: %s", r->rec.name, err.msg);
		return CLI_EXIT_SYSTEM;
	}
	if (ret)
		return cli_fail(r->subcmd, ret, &err);
	return reload_check_image(r);
}

/* Closes the sealed copies the module gave, if it gave them. */
void reload_close_sealed(struct reload *r)
{
	if (r->res.has & SWAUTH_VERIFY_HAS_KERNEL_FD)
		close((int)r->res.kernel_fd);
	if (r->res.has & SWAUTH_VERIFY_HAS_INITRD_FD)
		close((int)r->res.initrd_fd);
	r->res.has &= ~(SWAUTH_VERIFY_HAS_KERNEL_FD | SWAUTH_VERIFY_HAS_INITRD_FD);
}

/* Loads the sealed copies for a warm reload; on failure they are closed. */
int reload_kexec_load(struct reload *r)
{
	char base[CMDLINE_MAX], cmdline[CMDLINE_MAX];
	int ret;

	ret = r->append ? (snprintf(base, sizeof(base), "%s", r->append), 0) :
			  swauth_read_cmdline(base, sizeof(base));
	if (!ret)
		ret = swauth_reload_warm_cmdline(base, r->rec.id, cmdline, sizeof(cmdline));
	if (ret) {
		reload_say(r, "the new kernel's command line: %s", strerror(-ret));
		reload_close_sealed(r);
		return CLI_EXIT_SYSTEM;
	}
	if (syscall(SYS_kexec_file_load, (int)r->res.kernel_fd, (int)r->res.initrd_fd,
		    strlen(cmdline) + 1, cmdline, 0UL)) {
		reload_say(r, "kexec_file_load: %s", strerror(errno));
		reload_close_sealed(r);
		return CLI_EXIT_SYSTEM;
	}
	return CLI_EXIT_OK;
}

void reload_kexec_unload(void)
{
	syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, (unsigned long)KEXEC_FILE_UNLOAD);
}

/* Writes state-dir/last-reload; @old receives what it replaced. */
static int record_last(struct reload *r, struct swauth_reload_record *old, bool *had_old)
{
	const char *state = swauth_reload_dir(&r->cfg, SWAUTH_DIR_STATE);
	char path[PATH_MAX + 32];
	struct swauth_error err;

	swauth_error_clear(&err);
	snprintf(path, sizeof(path), "%s/last-reload", state);
	*had_old = !swauth_reload_record_read(path, old, &err);
	if (mkdir(state, 0755) && errno != EEXIST) {
		reload_say(r, "%s: %s", state, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	if (swauth_reload_record_write(path, &r->rec, &err)) {
		reload_say(r, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	return CLI_EXIT_OK;
}

static void unrecord_last(struct reload *r, const struct swauth_reload_record *old,
			  bool had_old)
{
	char path[PATH_MAX + 32];
	struct swauth_error err;

	snprintf(path, sizeof(path), "%s/last-reload", swauth_reload_dir(&r->cfg, SWAUTH_DIR_STATE));
	if (!had_old || swauth_reload_record_write(path, old, &err))
		unlink(path);
}

/* Records the reload and reboots; returns only when the reboot failed. */
int reload_reboot(struct reload *r)
{
	static struct swauth_reload_record old;
	bool had_old = false;
	int ret;

	ret = record_last(r, &old, &had_old);
	if (ret)
		return ret;
	if (r->scheduled)
		reload_klog("reloading (%s) into %s", r->warm ? "warm" : "cold", r->rec.name);
	else
		printf("Reloading (%s) into %s\n", r->warm ? "warm" : "cold", r->rec.name);
	fflush(stdout);
	sync();
	reboot(r->warm ? LINUX_REBOOT_CMD_KEXEC : LINUX_REBOOT_CMD_RESTART);
	reload_say(r, "reboot: %s", strerror(errno));
	unrecord_last(r, &old, had_old);
	return CLI_EXIT_SYSTEM;
}
