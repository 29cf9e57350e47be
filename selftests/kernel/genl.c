// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Test plumbing for the kernel tests; see genl.h.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "genl.h"

struct reply {
	uint16_t family;
	struct genl_status *status;
	struct genl_change *change;
	struct genl_keys *keys;
	struct genl_ext *ext;
	size_t recv_len;	/* bytes to receive at a time, 0 for 64 KiB */
};

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct reply *r = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		r->family = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			      data);
}

static int status_attr_cb(const struct nlattr *attr, void *data)
{
	struct genl_status *s = data;

	s->nattrs++;
	switch (mnl_attr_get_type(attr)) {
	case SWAUTH_A_VERSION:
		strncpy(s->version, mnl_attr_get_str(attr), sizeof(s->version) - 1);
		break;
	case SWAUTH_A_ABI_VERSION:
		s->abi_version = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_MODE:
		s->mode = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_DEBUG:
		s->debug = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_KEYS_ROLLOVER:
		s->keys_rollover = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_KEYS_PRODUCTION:
		s->keys_production = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_KEYS_SPECIAL:
		s->keys_special = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_IMAGES_VERIFIED:
		s->images_verified = mnl_attr_get_u64(attr);
		break;
	case SWAUTH_A_IMAGES_REJECTED:
		s->images_rejected = mnl_attr_get_u64(attr);
		break;
	case SWAUTH_A_FLOOR_PRODUCTION:
		s->floor_production = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_FLOOR_SPECIAL:
		s->floor_special = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_STORE_PRIMARY:
		s->store_primary = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_STORE_BACKUP:
		s->store_backup = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_STORE_SEQUENCE:
		s->store_sequence = mnl_attr_get_u64(attr);
		break;
	case SWAUTH_A_BOOT:
		s->boot = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_STORE_ERROR:
		s->store_error = (int32_t)mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_BOOT_BASIS:
		s->boot_basis = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static int change_attr_cb(const struct nlattr *attr, void *data)
{
	struct genl_change *c = data;
	const struct nlattr *inner;

	switch (mnl_attr_get_type(attr)) {
	case SWAUTH_A_FLOOR:
		c->version = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_KEY_VERSION:
		/* KEY_ADD: the key added. */
		c->version = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_REVOKED:
		/* KEY_REVOKE: one SWAUTH_A_KEY_VERSION per revoked version. */
		mnl_attr_for_each_nested(inner, attr)
			if (mnl_attr_get_type(inner) == SWAUTH_A_KEY_VERSION &&
			    c->nrevoked < 26)
				c->revoked[c->nrevoked++] = mnl_attr_get_u32(inner);
		break;
	case SWAUTH_A_PRIMARY_RESULT:
		c->primary = (int32_t)mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_BACKUP_RESULT:
		c->backup = (int32_t)mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static int key_attr_cb(const struct nlattr *attr, void *data)
{
	struct genl_key *k = data;

	switch (mnl_attr_get_type(attr)) {
	case SWAUTH_A_KEY_TYPE:
		k->type = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_KEY_VERSION:
		k->version = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_KEY_WHERE:
		k->where = mnl_attr_get_u32(attr);
		break;
	case SWAUTH_A_CERT:
		k->cert_len = mnl_attr_get_payload_len(attr);
		break;
	}
	return MNL_CB_OK;
}

static int status_cb(const struct nlmsghdr *nlh, void *data)
{
	struct reply *r = data;

	if (r->keys) {
		struct genl_key *k = &r->keys->keys[r->keys->n];

		if (r->keys->n == GENL_KEYS_MAX)
			return MNL_CB_ERROR;
		memset(k, 0, sizeof(*k));
		r->keys->n++;
		return mnl_attr_parse(nlh, sizeof(struct genlmsghdr),
				      key_attr_cb, k);
	}

	if (r->change)
		return mnl_attr_parse(nlh, sizeof(struct genlmsghdr),
				      change_attr_cb, r->change);
	if (!r->status)
		return MNL_CB_OK;
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), status_attr_cb,
			      r->status);
}

static int extack_cb(const struct nlattr *attr, void *data)
{
	struct reply *r = data;

	if (!r->ext)
		return MNL_CB_OK;
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		snprintf(r->ext->msg, sizeof(r->ext->msg), "%s",
			 mnl_attr_get_str(attr));
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MISS_TYPE &&
	    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		r->ext->miss_type = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	unsigned int off = sizeof(*err);

	/* With NETLINK_CAP_ACK the request is not echoed back. */
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, off, extack_cb, data);
	if (err->error)
		errno = -err->error;
	return err->error ? MNL_CB_ERROR : MNL_CB_STOP;
}

/* The end of a dump: its -errno, and extended ack attributes after it. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	const int *err = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, sizeof(*err), extack_cb, data);
	if (*err)
		errno = -*err;
	return *err ? MNL_CB_ERROR : MNL_CB_STOP;
}

static int transact(struct mnl_socket *nl, struct nlmsghdr *nlh,
		    mnl_cb_t cb, struct reply *r)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = error_cb,
						[NLMSG_DONE] = done_cb };
	static char buf[1 << 16];
	unsigned int portid = mnl_socket_get_portid(nl);
	uint32_t seq = nlh->nlmsg_seq;
	int ret;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ret = mnl_socket_recvfrom(nl, buf, r->recv_len ?: sizeof(buf));
		if (ret <= 0)
			return ret < 0 ? -errno : -EPIPE;
		ret = mnl_cb_run2(buf, ret, seq, portid, cb, r, ctl,
				  NLMSG_MIN_TYPE);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

static struct mnl_socket *open_socket(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	int one = 1;

	if (!nl)
		return NULL;
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

static struct nlmsghdr *put_header(char *buf, uint16_t type, uint8_t cmd,
				   uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/* One request; attrs are u32s, blob (if any) goes in as SWAUTH_A_CERT. */
static int request(uint8_t cmd, uint8_t version, const struct genl_attr *attrs,
		   const void *blob, size_t blob_len, struct reply *r)
{
	static char buf[1 << 16];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	int ret;

	if (r->ext)
		memset(r->ext, 0, sizeof(*r->ext));
	nl = open_socket();
	if (!nl)
		return -errno;
	nlh = put_header(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SWAUTH_GENL_NAME);
	ret = transact(nl, nlh, family_cb, r);
	if (ret == 0 && !r->family)
		ret = -ENOENT;
	if (ret)
		goto out;

	nlh = put_header(buf, r->family, cmd, version);
	for (; attrs && attrs->type; attrs++)
		mnl_attr_put_u32(nlh, attrs->type, attrs->value);
	if (blob)
		mnl_attr_put(nlh, SWAUTH_A_CERT, blob_len, blob);
	ret = transact(nl, nlh, status_cb, r);
out:
	mnl_socket_close(nl);
	return ret;
}

int dev_ioctl(unsigned long cmd, struct swauth_verify_arg *arg)
{
	int dev = open("/dev/" SWAUTH_DEV_NAME, O_RDWR | O_CLOEXEC), ret;

	if (dev < 0)
		return -errno;
	ret = ioctl(dev, cmd, arg) ? -errno : 0;
	close(dev);
	return ret;
}

static int verify_cmd(unsigned long cmd, int fd, struct genl_verify *v,
		      struct genl_ext *ext)
{
	static uint8_t cert[SWAUTH_CERT_MAX];
	struct swauth_verify_arg arg = {
		.fd = fd,
		.cert_buf = (uintptr_t)cert,
		.cert_buf_len = sizeof(cert),
	};
	int ret;

	memset(v, 0, sizeof(*v));
	v->kernel_fd = v->initrd_fd = -1;
	if (ext)
		memset(ext, 0, sizeof(*ext));
	ret = dev_ioctl(cmd, &arg);
	if (ret)
		return ret;
	v->verdict = arg.verdict;
	v->file_size = arg.file_size;
	if (arg.valid & SWAUTH_VERIFY_V_HEADER) {
		v->have_header = 1;
		v->image_type = arg.image_type;
		v->key_type = arg.key_type;
		v->key_version = arg.key_version;
		v->hash_algo = arg.hash_algo;
		v->sig_bits = arg.sig_bits;
		v->embedded_len = arg.digest_size;
		snprintf(v->name, sizeof(v->name), "%.*s",
			 (int)sizeof(arg.image_name), arg.image_name);
	}
	if (arg.valid & SWAUTH_VERIFY_V_SIGNER) {
		v->signer_type = arg.signer_key_type;
		v->signer_version = arg.signer_key_version;
		v->signer_cert_len = arg.signer_cert_len;
	}
	if (arg.valid & SWAUTH_VERIFY_V_COMPUTED)
		v->computed_len = arg.digest_size;
	if (arg.valid & SWAUTH_VERIFY_V_SEALED) {
		v->kernel_fd = arg.kernel_fd;
		v->initrd_fd = arg.initrd_fd;
	}
	return 0;
}

int genl_verify(int fd, struct genl_verify *v, struct genl_ext *ext)
{
	return verify_cmd(SWAUTH_IOC_VERIFY, fd, v, ext);
}

int genl_seal(int fd, struct genl_verify *v, int fds[2], struct genl_ext *ext)
{
	int ret = verify_cmd(SWAUTH_IOC_SEAL, fd, v, ext);

	fds[0] = v->kernel_fd;
	fds[1] = v->initrd_fd;
	return ret;
}

int genl_key_add(uint32_t type, const char *path, struct genl_change *c,
		 struct genl_ext *ext)
{
	struct genl_attr attrs[] = {
		{ SWAUTH_A_KEY_TYPE, type }, { SWAUTH_A_FD, 0 }, { 0 } };
	struct reply r = { .change = c, .ext = ext };
	int fd, ret;

	memset(c, 0, sizeof(*c));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	attrs[1].value = (uint32_t)fd;
	ret = request(SWAUTH_CMD_KEY_ADD, SWAUTH_GENL_VERSION, attrs, NULL, 0,
		      &r);
	close(fd);
	return ret;
}

int genl_key_revoke(uint32_t type, const char *running, const char *bootloader,
		    uint32_t flags, struct genl_change *c, struct genl_ext *ext)
{
	struct genl_attr attrs[5] = { { SWAUTH_A_KEY_TYPE, type },
				      { SWAUTH_A_FLAGS, flags } };
	struct reply r = { .change = c, .ext = ext };
	int fd, bfd = -1, ret;

	memset(c, 0, sizeof(*c));
	fd = open(running, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	attrs[2] = (struct genl_attr){ SWAUTH_A_FD, (uint32_t)fd };
	if (bootloader) {
		bfd = open(bootloader, O_RDONLY | O_CLOEXEC);
		if (bfd < 0) {
			ret = -errno;
			close(fd);
			return ret;
		}
		attrs[3] = (struct genl_attr){ SWAUTH_A_BOOTLOADER_FD, (uint32_t)bfd };
	}
	ret = request(SWAUTH_CMD_KEY_REVOKE, SWAUTH_GENL_VERSION, attrs, NULL, 0,
		      &r);
	close(fd);
	if (bfd >= 0)
		close(bfd);
	return ret;
}

int module_reload(const char *params)
{
	const char *path = getenv("SWAUTH_MODULE");
	int fd, ret;

	ret = module_unload();
	if (ret && ret != -ENOENT)
		return ret;
	if (!path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

int genl_provision(const char *path, struct genl_ext *ext)
{
	struct reply r = { .ext = ext };
	static char der[16384];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, der, sizeof(der));
	close(fd);
	if (n < 0)
		return -errno;
	return request(SWAUTH_CMD_PROVISION_KEY, SWAUTH_GENL_VERSION, NULL,
		       der, (size_t)n, &r);
}

int genl_get_keys(uint8_t version, size_t recv_len, struct genl_keys *keys,
		  struct genl_ext *ext)
{
	struct reply r = { .keys = keys, .ext = ext };
	static char buf[1 << 12];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	int ret;

	keys->n = 0;
	if (ext)
		memset(ext, 0, sizeof(*ext));
	nl = open_socket();
	if (!nl)
		return -errno;
	nlh = put_header(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SWAUTH_GENL_NAME);
	ret = transact(nl, nlh, family_cb, &r);
	mnl_socket_close(nl);
	if (ret == 0 && !r.family)
		ret = -ENOENT;
	if (ret)
		return ret;

	/*
	 * A socket that has not received yet: the kernel sizes the first
	 * part of the dump by the module's needs alone, not by an earlier
	 * large read.
	 */
	nl = open_socket();
	if (!nl)
		return -errno;
	nlh = put_header(buf, r.family, SWAUTH_CMD_GET_KEYS, version);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	r.recv_len = recv_len;
	ret = transact(nl, nlh, status_cb, &r);
	mnl_socket_close(nl);
	return ret;
}

int genl_request(uint8_t cmd, uint8_t version, const struct genl_attr *attrs,
		 struct genl_status *status, struct genl_ext *ext)
{
	struct reply r = { .status = status, .ext = ext };

	if (status)
		memset(status, 0, sizeof(*status));
	return request(cmd, version, attrs, NULL, 0, &r);
}

int genl_get_status(struct genl_status *status)
{
	return genl_request(SWAUTH_CMD_GET_STATUS, SWAUTH_GENL_VERSION, NULL,
			    status, NULL);
}

int genl_set_debug(uint32_t mask)
{
	const struct genl_attr attrs[] = { { SWAUTH_A_DEBUG, mask }, { 0 } };

	return genl_request(SWAUTH_CMD_SET_DEBUG, SWAUTH_GENL_VERSION, attrs,
			    NULL, NULL);
}

int module_ensure_loaded(void)
{
	const char *path = getenv("SWAUTH_MODULE");
	int fd, ret;

	if (access("/sys/module/swauth", F_OK) == 0)
		return 0;
	if (!path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	ret = ret < 0 && errno != EEXIST ? -errno : 0;
	close(fd);
	return ret;
}

int module_unload(void)
{
	return syscall(SYS_delete_module, "swauth", O_NONBLOCK) < 0 ? -errno : 0;
}

long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/swauth/refcnt", "r");
	long n = -1;

	if (f && fscanf(f, "%ld", &n) != 1)
		n = -1;
	if (f)
		fclose(f);
	return n;
}
