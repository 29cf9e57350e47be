// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Generic netlink transport: open a socket, resolve the swauth family
 * (loading the module when the family is missing), run one request and
 * read its replies up to the kernel's ack, and turn a netlink error into
 * -errno plus the kernel's extended ack message.
 */

#include <errno.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/swauth.h>

#include "lib/netlink.h"

/* Large enough for any reply of the family, as libmnl suggests for dumps. */
enum { NL_BUF_SIZE = 32768, NL_EXTACK_LEN = 256 };

struct swauth_nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	/* Messages are built and parsed in place: align as struct nlmsghdr. */
	alignas(struct nlmsghdr) char buf[NL_BUF_SIZE];
};

struct transaction {
	swauth_nl_reply_fn fn;
	void *data;
	struct swauth_error *err;
	const char *what;
	uint16_t type;		/* the nlmsg_type replies must carry */
	int ret;		/* first failure, or 0 */
	bool acked;		/* the final ack or error was read */
	bool intr;		/* a dump message carried NLM_F_DUMP_INTR */
};

/**
 * swauth_nl_parse_error() - decode an NLMSG_ERROR message
 * @nlh: the message, whose nlmsg_len the caller has checked against the
 *       received buffer
 * @ext: receives the kernel's NLMSGERR_ATTR_MSG, or "" when there is none
 * @extlen: size of @ext
 *
 * The extended ack attributes follow the echoed request, which the kernel
 * shortens to its header when NETLINK_CAP_ACK is set (NLM_F_CAPPED).
 *
 * Return: 0 for an ack, the kernel's -errno for an error, -EBADMSG when the
 * message is too short to hold a struct nlmsgerr.
 */
int swauth_nl_parse_error(const struct nlmsghdr *nlh, char *ext, size_t extlen)
{
	const struct nlmsgerr *e;
	const struct nlattr *attr;
	size_t payload, off;

	if (extlen)
		ext[0] = '\0';
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*e))
		return -EBADMSG;
	payload = nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
	e = mnl_nlmsg_get_payload(nlh);
	if (e->error > 0 || e->error < -4095)
		return -EBADMSG;
	if (!e->error || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return e->error;

	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < MNL_NLMSG_HDRLEN)
			return e->error;
		off += e->msg.nlmsg_len - MNL_NLMSG_HDRLEN;
	}
	if (MNL_ALIGN(off) >= payload)
		return e->error;

	/* The errno is what matters: a malformed TLV is skipped, not fatal. */
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG)
			continue;
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0 || !extlen)
			continue;
		snprintf(ext, extlen, "%s", mnl_attr_get_str(attr));
	}
	return e->error;
}

/* The transaction's result from an error or the end of a dump: @ret, @ext its text. */
static int ack_result(struct transaction *t, int ret, const char *ext)
{
	if (ret && ext[0])
		swauth_error_set(t->err, ret, "%s: %s: %s", t->what, strerror(-ret), ext);
	else if (ret)
		swauth_error_set(t->err, ret, "%s: %s", t->what, strerror(-ret));
	if (!t->ret)
		t->ret = ret;
	return MNL_CB_STOP;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct transaction *t = data;
	char ext[NL_EXTACK_LEN];
	int ret;

	t->acked = true;
	ret = swauth_nl_parse_error(nlh, ext, sizeof(ext));
	if (ret == -EBADMSG && nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(struct nlmsgerr)) {
		swauth_error_set(t->err, ret, "%s: malformed netlink error message", t->what);
		if (!t->ret)
			t->ret = ret;
		return MNL_CB_STOP;
	}
	return ack_result(t, ret, ext);
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct transaction *t = data;
	int ret;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		t->intr = true;
	if (t->ret)
		return MNL_CB_OK;	/* drain up to the ack */
	if (nlh->nlmsg_type != t->type)
		ret = swauth_error_set(t->err, -EBADMSG,
				       "%s: reply has netlink type %u, expected %u",
				       t->what, nlh->nlmsg_type, t->type);
	else
		ret = t->fn ? t->fn(nlh, t->data, t->err) : 0;
	t->ret = ret;
	return MNL_CB_OK;
}

/*
 * Sends req with NLM_F_REQUEST | flags and feeds the replies through ctl
 * (NLMSG_ERROR, and for dumps NLMSG_DONE) and t until the kernel closes
 * the transaction.
 */
static int run(struct swauth_nl *nl, struct nlmsghdr *req, uint16_t flags,
	       mnl_cb_t ctl[NLMSG_DONE + 1], struct transaction *t)
{
	ssize_t len;
	int ret;

	req->nlmsg_flags = NLM_F_REQUEST | flags;
	req->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return swauth_error_set(t->err, -errno, "%s: sending to netlink: %s",
					t->what, strerror(errno));
	while (!t->acked) {
		len = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (len < 0)
			return swauth_error_set(t->err, -errno,
						"%s: receiving from netlink: %s",
						t->what, strerror(errno));
		ret = mnl_cb_run2(nl->buf, len, req->nlmsg_seq, nl->portid, data_cb, t,
				  ctl, NLMSG_DONE + 1);
		if (ret == MNL_CB_ERROR && !t->acked)
			return swauth_error_set(t->err, -errno, "%s: bad netlink reply: %s",
						t->what, strerror(errno));
		if (ret == MNL_CB_STOP)
			break;
	}
	return t->ret;
}

/**
 * swauth_nl_transact() - send a request and read every reply up to the ack
 * @nl: the handle
 * @req: a request built in the handle's buffer (swauth_nl_request()) or an
 *       equivalent one; NLM_F_REQUEST|NLM_F_ACK and the sequence number are
 *       set here
 * @what: the request's name for messages, e.g. "GET_STATUS"
 * @fn: called for each reply message; may be NULL for ack-only commands
 * @data: passed to @fn
 * @err: filled on failure
 *
 * Always reads up to the ack, even after a failure, so that the socket is
 * left clean for the next transaction.
 *
 * Return: 0, the kernel's -errno, @fn's first -errno, or -errno of the
 * socket.
 */
int swauth_nl_transact(struct swauth_nl *nl, struct nlmsghdr *req, const char *what,
		       swauth_nl_reply_fn fn, void *data, struct swauth_error *err)
{
	mnl_cb_t ctl[NLMSG_DONE + 1] = { [NLMSG_ERROR] = error_cb };
	struct transaction t = {
		.fn = fn, .data = data, .err = err, .what = what, .type = req->nlmsg_type,
	};

	return run(nl, req, NLM_F_ACK, ctl, &t);
}

/*
 * The end of a dump: NLMSG_DONE carries an int, the dump's -errno or 0,
 * and, like an error, extended ack attributes after it.
 */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct transaction *t = data;
	char ext[NL_EXTACK_LEN] = "";
	const struct nlattr *attr;
	int ret = 0;

	t->acked = true;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		t->intr = true;
	if (nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(int)) {
		memcpy(&ret, mnl_nlmsg_get_payload(nlh), sizeof(ret));
		if (ret > 0 || ret < -4095)
			ret = -EBADMSG;
		if (ret && nlh->nlmsg_flags & NLM_F_ACK_TLVS &&
		    nlh->nlmsg_len > MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(int))) {
			mnl_attr_for_each(attr, nlh, MNL_ALIGN(sizeof(int))) {
				if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
				    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
					snprintf(ext, sizeof(ext), "%s", mnl_attr_get_str(attr));
			}
		}
	}
	return ack_result(t, ret, ext);
}

/**
 * swauth_nl_dump() - send a dump request and read every message up to its end
 * @nl: the handle
 * @req: a request built with swauth_nl_request(); NLM_F_REQUEST|NLM_F_DUMP
 *       and the sequence number are set here
 * @what: the request's name for messages, e.g. "GET_KEYS"
 * @fn: called for each message of the dump
 * @data: passed to @fn
 * @err: filled on failure
 *
 * Reads up to NLMSG_DONE (or an NLMSG_ERROR) even after a failure.
 *
 * Return: 0; -EAGAIN when a message carried NLM_F_DUMP_INTR (the dump raced
 * with a change and must be repeated, @fn's results discarded); the
 * kernel's -errno; @fn's first -errno; or -errno of the socket.
 */
int swauth_nl_dump(struct swauth_nl *nl, struct nlmsghdr *req, const char *what,
		   swauth_nl_reply_fn fn, void *data, struct swauth_error *err)
{
	mnl_cb_t ctl[NLMSG_DONE + 1] = { [NLMSG_ERROR] = error_cb, [NLMSG_DONE] = done_cb };
	struct transaction t = {
		.fn = fn, .data = data, .err = err, .what = what, .type = req->nlmsg_type,
	};
	int ret;

	ret = run(nl, req, NLM_F_DUMP, ctl, &t);
	if (!ret && t.intr)
		return swauth_error_set(err, -EAGAIN,
					"%s: the dump was interrupted by a change", what);
	return ret;
}

static struct nlmsghdr *put_request(struct swauth_nl *nl, uint16_t type, uint8_t cmd,
				    uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/**
 * swauth_nl_request() - start a request of the swauth family
 * @nl: the handle
 * @cmd: one of enum swauth_cmd
 *
 * Return: the message, in the handle's buffer, for attributes to be added
 * with mnl_attr_put_*().
 */
struct nlmsghdr *swauth_nl_request(struct swauth_nl *nl, uint8_t cmd)
{
	return put_request(nl, nl->family, cmd, SWAUTH_GENL_VERSION);
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	uint16_t *family = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		*family = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_reply(const struct nlmsghdr *nlh, void *data, struct swauth_error *err)
{
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN)
		return swauth_error_set(err, -EBADMSG, "CTRL_CMD_GETFAMILY: short reply");
	mnl_attr_parse(nlh, GENL_HDRLEN, family_attr_cb, data);
	return 0;
}

/**
 * swauth_nl_getfamily() - a CTRL_CMD_GETFAMILY request for the swauth family
 * @nl: the handle
 *
 * Return: the request, in @nl's buffer, for swauth_nl_transact().
 */
struct nlmsghdr *swauth_nl_getfamily(struct swauth_nl *nl)
{
	struct nlmsghdr *nlh = put_request(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SWAUTH_GENL_NAME);
	return nlh;
}

/**
 * swauth_nl_socket() - the handle's socket, to join a multicast group on
 * @nl: the handle
 *
 * Return: the socket; it stays owned by @nl.
 */
struct mnl_socket *swauth_nl_socket(struct swauth_nl *nl)
{
	return nl->sock;
}

static int resolve_family(struct swauth_nl *nl, struct swauth_error *err)
{
	uint16_t family = 0;
	int ret;

	ret = swauth_nl_transact(nl, swauth_nl_getfamily(nl), "CTRL_CMD_GETFAMILY",
				 family_reply, &family, err);
	if (ret)
		return ret;
	if (!family)
		return swauth_error_set(err, -EBADMSG,
					"CTRL_CMD_GETFAMILY: reply without a family id");
	nl->family = family;
	return 0;
}

static int set_flag(struct swauth_nl *nl, int opt, const char *name, struct swauth_error *err)
{
	int one = 1;

	/* Both options predate every kernel swauth supports; tolerate them missing anyway. */
	if (mnl_socket_setsockopt(nl->sock, opt, &one, sizeof(one)) < 0 && errno != ENOPROTOOPT)
		return swauth_error_set(err, -errno, "setting %s on the netlink socket: %s",
					name, strerror(errno));
	return 0;
}

/**
 * swauth_nl_open() - connect to the swauth generic netlink family
 * @nlp: receives the handle, to be freed with swauth_nl_close()
 * @err: filled on failure
 *
 * When the kernel has no swauth family and the module is not loaded, try
 * once to load it (swauth_kmodload()) and look again. A loaded module
 * whose family is not found (from a network namespace other than the
 * initial one) is an error, not a missing module.
 *
 * Return: 0; -ENOPKG when the module is not loaded and could not be;
 * -EPROTONOSUPPORT when it is loaded but its family is not reachable;
 * another -errno for a socket or netlink failure.
 */
int swauth_nl_open(struct swauth_nl **nlp, struct swauth_error *err)
{
	struct swauth_nl *nl;
	int ret;

	*nlp = NULL;
	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	nl->seq = (unsigned int)time(NULL);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		ret = swauth_error_set(err, -errno, "opening a generic netlink socket: %s",
				       strerror(errno));
		goto err_free;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = swauth_error_set(err, -errno, "binding the netlink socket: %s",
				       strerror(errno));
		goto err_close;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	ret = set_flag(nl, NETLINK_EXT_ACK, "NETLINK_EXT_ACK", err);
	if (!ret)
		ret = set_flag(nl, NETLINK_CAP_ACK, "NETLINK_CAP_ACK", err);
	if (ret)
		goto err_close;

	ret = resolve_family(nl, err);
	if (ret == -ENOENT && !swauth_module_loaded()) {
		ret = swauth_kmodload(err);
		if (!ret)
			ret = resolve_family(nl, err);
	}
	if (ret == -ENOENT)
		ret = swauth_error_set(err, -EPROTONOSUPPORT,
				       "the module is loaded but its %s netlink family is not reachable from this network namespace",
				       SWAUTH_GENL_NAME);
	if (ret)
		goto err_close;
	*nlp = nl;
	return 0;

err_close:
	mnl_socket_close(nl->sock);
err_free:
	free(nl);
	return ret;
}

/**
 * swauth_nl_close() - close and free a handle
 * @nl: the handle; may be NULL
 */
void swauth_nl_close(struct swauth_nl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl);
}
