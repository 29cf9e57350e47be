// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * /dev/swauth: the two operations that read a caller's file for long and
 * may return descriptors, SWAUTH_IOC_VERIFY and SWAUTH_IOC_SEAL. They run
 * in the caller's context, hold no global lock while they read, and end
 * with -EINTR on a fatal signal. Descriptors are handed out the way
 * pidfd_open(2) and memfd_create(2) do it: reserved, reported, and
 * installed only once the report reached the caller.
 *
 * The device is mode 0600, root's: opening it is the privilege VERIFY
 * needs (it holds a file's writers off while it reads). SEAL also needs
 * CAP_SYS_BOOT, since its copies are meant for kexec_file_load(2).
 */

#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

#include "swauth.h"

static char *platform;
module_param(platform, charp, 0444);
MODULE_PARM_DESC(platform,
		 "this system's platform, as image headers name it (default: the machine, uname -m)");

/* Every field the module fills must be zero on entry. */
static bool arg_clean(const struct swauth_verify_arg *arg)
{
	struct swauth_verify_arg out = *arg;

	out.fd = 0;
	out.cert_buf = 0;
	out.cert_buf_len = 0;
	return !arg->flags && !memchr_inv(&out, 0, sizeof(out));
}

static void fill_header(struct swauth_verify_arg *arg,
			const struct swauth_image_header *hdr)
{
	BUILD_BUG_ON(sizeof(arg->image_name) != sizeof(hdr->name) ||
		     sizeof(arg->image_version) != sizeof(hdr->image_version) ||
		     sizeof(arg->platform) != sizeof(hdr->platform) ||
		     sizeof(arg->embedded_digest) != sizeof(hdr->payload_digest));
	arg->valid |= SWAUTH_VERIFY_V_HEADER;
	arg->image_type = hdr->image_type;
	arg->key_type = hdr->key_type;
	arg->key_version = hdr->key_version;
	arg->hash_algo = hdr->hash_algo;
	arg->sig_bits = hdr->sig_size * 8;
	arg->digest_size = hdr->digest_size;
	arg->payload_size = hdr->payload_size;
	arg->build_time = hdr->build_time;
	memcpy(arg->image_name, hdr->name, sizeof(arg->image_name));
	memcpy(arg->image_version, hdr->image_version,
	       sizeof(arg->image_version));
	memcpy(arg->platform, hdr->platform, sizeof(arg->platform));
	memcpy(arg->embedded_digest, hdr->payload_digest, hdr->digest_size);
}

/* The result into arg; the signer's certificate to the caller's buffer. */
static int fill_arg(struct swauth_verify_arg *arg,
		    const struct swauth_verify_result *res)
{
	const struct swauth_key *signer = res->signer;

	arg->verdict = res->verdict;
	arg->file_size = res->file_size;
	if (res->have_header)
		fill_header(arg, &res->hdr);
	if (res->have_computed) {
		arg->valid |= SWAUTH_VERIFY_V_COMPUTED;
		memcpy(arg->computed_digest, res->computed_digest,
		       res->hdr.digest_size);
	}
	if (!signer)
		return 0;
	arg->valid |= SWAUTH_VERIFY_V_SIGNER;
	arg->signer_key_type = signer->type;
	arg->signer_key_version = signer->version;
	arg->signer_cert_len = signer->cert_len;
	if (!arg->cert_buf)
		return 0;
	if (arg->cert_buf_len < signer->cert_len)
		return -ENOSPC;
	if (copy_to_user(u64_to_user_ptr(arg->cert_buf), signer->cert,
			 signer->cert_len))
		return -EFAULT;
	return 0;
}

/**
 * swauth_dev_seal_check() - whether a verified image is one to boot here
 * @res: an image that verified
 *
 * Sealing, and naming the running image, take a system image for this
 * machine (or for any: an empty platform); its payload must also be a
 * kernel and an initramfs, which the seal checks.
 *
 * Return: 0, -EMEDIUMTYPE for another image type, -ENOEXEC for another
 * platform.
 */
int swauth_dev_seal_check(const struct swauth_verify_result *res)
{
	const char *machine = platform && platform[0] ? platform :
			      init_utsname()->machine;

	if (res->hdr.image_type != SWAUTH_IMAGE_PRODUCTION &&
	    res->hdr.image_type != SWAUTH_IMAGE_SPECIAL)
		return -EMEDIUMTYPE;
	if (res->hdr.platform[0] && strcmp(res->hdr.platform, machine))
		return -ENOEXEC;
	return 0;
}

static int verify_ioctl(struct swauth_verify_arg __user *uarg, bool sealing)
{
	int fds[SWAUTH_SEAL_PARTS] = { -1, -1 };
	struct swauth_verify_result *res;
	struct swauth_seal *seal = NULL;
	struct swauth_verify_arg arg;
	int ret;

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (!arg_clean(&arg))
		return -EINVAL;
	if (sealing && !capable(CAP_SYS_BOOT))
		return -EPERM;
	res = kmalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	swauth_state_mem(sizeof(*res));
	if (sealing) {
		seal = kmalloc(sizeof(*seal), GFP_KERNEL);
		if (!seal) {
			ret = -ENOMEM;
			goto out_free_res;
		}
		swauth_seal_init(seal);
	}
	ret = swauth_verify_fd(arg.fd, res, seal);
	if (ret)
		goto out_free_seal;
	arg.kernel_fd = -1;
	arg.initrd_fd = -1;
	ret = fill_arg(&arg, res);
	if (ret == -ENOSPC && copy_to_user(uarg, &arg, sizeof(arg)))
		ret = -EFAULT;
	if (ret)
		goto out_release;
	if (sealing && res->verdict == SWAUTH_VERDICT_OK) {
		ret = swauth_dev_seal_check(res) ?: swauth_seal_reserve(seal, fds);
		if (ret)
			goto out_release;
		arg.valid |= SWAUTH_VERIFY_V_SEALED;
		arg.kernel_fd = fds[0];
		arg.initrd_fd = fds[1];
	}
	if (copy_to_user(uarg, &arg, sizeof(arg))) {
		ret = -EFAULT;
		goto out_release;
	}
	/* The caller knows the numbers: now they may refer to something. */
	if (arg.valid & SWAUTH_VERIFY_V_SEALED) {
		swauth_seal_install(seal);
		if (res->signer->type == SWAUTH_KEY_SPECIAL)
			pr_warn_ratelimited("%%DIGISIGN-4-DEV_IMAGE: System software signed using special key version %c\n",
					    res->signer->version);
	}

out_release:
	swauth_verify_result_release(res);
out_free_seal:
	if (seal) {
		swauth_seal_release(seal);
		kfree(seal);
	}
out_free_res:
	kfree(res);
	swauth_state_mem(-(long)sizeof(*res));
	return ret;
}

static long swauth_dev_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	switch (cmd) {
	case SWAUTH_IOC_VERIFY:
		return verify_ioctl((void __user *)arg, false);
	case SWAUTH_IOC_SEAL:
		return verify_ioctl((void __user *)arg, true);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations swauth_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = swauth_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice swauth_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = SWAUTH_DEV_NAME,
	.fops = &swauth_dev_fops,
	.mode = 0600,
};

/**
 * swauth_dev_init() - create /dev/swauth
 *
 * Return: 0 or the error of misc_register().
 */
int swauth_dev_init(void)
{
	return misc_register(&swauth_misc);
}

/**
 * swauth_dev_uninit() - remove /dev/swauth
 *
 * An open device holds a reference on the module, so no ioctl runs when
 * this is called from the module's exit.
 */
void swauth_dev_uninit(void)
{
	misc_deregister(&swauth_misc);
}
