// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The one verification policy of every tool (issue 13, point 2): the
 * module is the authority whenever it can be reached, and whatever it
 * answers is the answer, an error too (EPERM, EACCES, ENOMEM, a malformed
 * reply): never a userspace verdict in its place. OpenSSL in userspace
 * verifies only when the caller asks for it (--userspace) or when the
 * module is not loaded and cannot be (-ENOPKG); the choice records which
 * verifier decided and why, so that every printer says it truthfully.
 * Whether the module is loaded is sysfs's answer, not the netlink
 * family's: the family is visible only from the initial network
 * namespace, /sys/module and /dev/swauth, through which the module
 * verifies, from every one.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/fs.h"
#include "lib/image.h"
#include "lib/netlink.h"

/**
 * swauth_policy_choose() - who verifies: the module, or OpenSSL and why
 * @p: the caller's policy
 * @c: receives the choice
 * @err: filled on failure
 *
 * Unless @p->userspace is set, loads the module when it is not loaded,
 * and chooses it; its version for the label comes over netlink when the
 * family is reachable.
 *
 * Return: 0: a module that is not loaded and cannot be chooses userspace.
 */
int swauth_policy_choose(const struct swauth_policy *p, struct swauth_policy_choice *c,
			 struct swauth_error *err)
{
	struct swauth_status st;
	struct swauth_error serr;
	struct swauth_nl *nl;

	memset(c, 0, sizeof(*c));
	c->verifier = SWAUTH_VERIFIER_USERSPACE;
	if (p->userspace) {
		c->why = SWAUTH_WHY_ASKED;
		snprintf(c->by, sizeof(c->by), "userspace (OpenSSL), --userspace");
		return 0;
	}
	if (!swauth_module_loaded() && swauth_kmodload(err)) {
		c->why = SWAUTH_WHY_NO_MODULE;
		snprintf(c->by, sizeof(c->by), "userspace (OpenSSL), module not loaded");
		swauth_error_clear(err);
		return 0;
	}
	c->verifier = SWAUTH_VERIFIER_KERNEL;
	c->why = SWAUTH_WHY_MODULE;
	snprintf(c->by, sizeof(c->by), "kernel (swauth.ko)");
	/* Only a label: the verdict itself comes through /dev/swauth. */
	swauth_error_clear(&serr);
	if (swauth_nl_open(&nl, &serr))
		return 0;
	if (!swauth_status_get(nl, &st, &serr) && (st.has & SWAUTH_STATUS_HAS_VERSION))
		snprintf(c->by, sizeof(c->by), "kernel (swauth.ko %s)", st.version);
	swauth_nl_close(nl);
	return 0;
}

/**
 * swauth_policy_verify_fd() - verify an open image as @c chose
 * @p: the caller's policy (the userspace verifier's trust)
 * @c: what swauth_policy_choose() chose
 * @fd: the image, open for reading (the module's verifier)
 * @path: the same file by name (the userspace verifier)
 * @res: receives the result, with its verifier and why
 * @err: filled on failure
 *
 * Return: 0 when @res holds a verdict, good or bad; else -errno.
 */
int swauth_policy_verify_fd(const struct swauth_policy *p, const struct swauth_policy_choice *c,
			    int fd, const char *path, struct swauth_verify_result *res,
			    struct swauth_error *err)
{
	int ret;

	if (c->verifier == SWAUTH_VERIFIER_KERNEL)
		ret = swauth_verify_kernel(fd, res, err);
	else
		ret = swauth_verify_user(path, p->dirs, res, err);
	if (ret)
		return ret;
	res->verifier = c->verifier;
	res->why = c->why;
	return 0;
}

/**
 * swauth_policy_verify() - verify an image file as every tool does
 * @p: the caller's policy
 * @path: the image file; with @p->cfg, confined to its file system
 * @res: receives the result, with its verifier and why
 * @c: receives who verified, for the printers
 * @err: filled on failure
 *
 * Return: 0 when @res holds a verdict, good or bad; else -errno, and no
 * verdict at all: an error from the module is never replaced by OpenSSL's.
 */
int swauth_policy_verify(const struct swauth_policy *p, const char *path,
			 struct swauth_verify_result *res, struct swauth_policy_choice *c,
			 struct swauth_error *err)
{
	char fd_path[32];
	int fd = -1, ret;

	memset(res, 0, sizeof(*res));
	ret = swauth_policy_choose(p, c, err);
	if (ret)
		return ret;
	if (p->cfg) {
		/* The userspace verifier reads the same open file by name. */
		fd = swauth_storage_open(p->cfg, path, O_NONBLOCK, err);
		if (fd < 0)
			return fd;
		snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
		path = fd_path;
	} else if (c->verifier == SWAUTH_VERIFIER_KERNEL) {
		fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			return swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
	}
	ret = swauth_policy_verify_fd(p, c, fd, path, res, err);
	if (fd >= 0)
		close(fd);
	return ret;
}
