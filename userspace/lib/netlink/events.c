// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Listening to the swauth family's events. The subscription has its own
 * socket: multicast messages arrive with sequence number 0 at any time and
 * must not be mistaken for replies of a request/reply handle (nl.c).
 */

#include <errno.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "lib/netlink.h"

enum { EV_BUF_SIZE = 8192 };

struct swauth_events {
	struct swauth_nl *nl;	/* the family resolved, the module loaded */
	uint16_t family;
	uint32_t group;
	alignas(struct nlmsghdr) char buf[EV_BUF_SIZE];
};

struct event_ctx {
	struct swauth_event_msg *e;
	bool seen_event;
};

/* The attributes of the enforcement events, checked once each. */
static int once(struct swauth_event_msg *e, uint32_t bit, const char *name,
		struct swauth_error *err)
{
	if (e->has & bit)
		return swauth_error_set(err, -EBADMSG, "malformed EVENT reply: %s appears twice",
					name);
	e->has |= bit;
	return 0;
}

static int attr_string(const struct nlattr *attr, const char *name, char *buf, size_t size,
		       struct swauth_error *err)
{
	uint16_t len = mnl_attr_get_payload_len(attr);

	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0 || len > size)
		return swauth_error_set(err, -EBADMSG,
					"malformed EVENT reply: %s is not a string of at most %zu bytes",
					name, size - 1);
	memcpy(buf, mnl_attr_get_payload(attr), len);
	return 0;
}

static int enforce_attr(const struct nlattr *attr, struct swauth_event_msg *e,
			struct swauth_error *err)
{
	static const char what[] = "EVENT";

	switch (mnl_attr_get_type(attr)) {
	case SWAUTH_A_ENFORCE:
		return once(e, SWAUTH_EVENT_HAS_ENFORCE, "SWAUTH_A_ENFORCE", err) ?:
		       swauth_attr_u32(attr, what, "SWAUTH_A_ENFORCE", &e->enforce, err);
	case SWAUTH_A_REFUSED:
		return once(e, SWAUTH_EVENT_HAS_REFUSED, "SWAUTH_A_REFUSED", err) ?:
		       swauth_attr_u32(attr, what, "SWAUTH_A_REFUSED", &e->refused, err);
	case SWAUTH_A_PID:
		return once(e, SWAUTH_EVENT_HAS_PID, "SWAUTH_A_PID", err) ?:
		       swauth_attr_u32(attr, what, "SWAUTH_A_PID", &e->pid, err);
	case SWAUTH_A_UID:
		return once(e, SWAUTH_EVENT_HAS_UID, "SWAUTH_A_UID", err) ?:
		       swauth_attr_u32(attr, what, "SWAUTH_A_UID", &e->uid, err);
	case SWAUTH_A_COMM:
		return once(e, SWAUTH_EVENT_HAS_COMM, "SWAUTH_A_COMM", err) ?:
		       attr_string(attr, "SWAUTH_A_COMM", e->comm, sizeof(e->comm), err);
	case SWAUTH_A_FILE_NAME:
		return once(e, SWAUTH_EVENT_HAS_FILE_NAME, "SWAUTH_A_FILE_NAME", err) ?:
		       attr_string(attr, "SWAUTH_A_FILE_NAME", e->file_name,
				   sizeof(e->file_name), err);
	case SWAUTH_A_KEXEC_REFUSED:
		if (once(e, SWAUTH_EVENT_HAS_COUNT, "SWAUTH_A_KEXEC_REFUSED", err))
			return -EBADMSG;
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			return swauth_error_set(err, -EBADMSG,
						"malformed EVENT reply: SWAUTH_A_KEXEC_REFUSED is not a u64");
		e->count = mnl_attr_get_u64(attr);
		return 0;
	}
	return 0;
}

static int event_attr(const struct nlattr *attr, void *data, struct swauth_error *err)
{
	static const char what[] = "EVENT";
	struct event_ctx *ctx = data;
	struct swauth_event_msg *e = ctx->e;
	int ret;

	switch (mnl_attr_get_type(attr)) {
	case SWAUTH_A_EVENT:
		if (ctx->seen_event)
			return swauth_error_set(err, -EBADMSG,
						"malformed EVENT reply: SWAUTH_A_EVENT appears twice");
		ctx->seen_event = true;
		return swauth_attr_u32(attr, what, "SWAUTH_A_EVENT", &e->event, err);
	case SWAUTH_A_KEY_TYPE:
		if (e->has & SWAUTH_EVENT_HAS_KEY_TYPE)
			return swauth_error_set(err, -EBADMSG,
						"malformed EVENT reply: SWAUTH_A_KEY_TYPE appears twice");
		ret = swauth_attr_u32(attr, what, "SWAUTH_A_KEY_TYPE", &e->key_type, err);
		e->has |= ret ? 0 : SWAUTH_EVENT_HAS_KEY_TYPE;
		return ret;
	case SWAUTH_A_KEY_VERSION:
		if (e->has & SWAUTH_EVENT_HAS_KEY_VERSION)
			return swauth_error_set(err, -EBADMSG,
						"malformed EVENT reply: SWAUTH_A_KEY_VERSION appears twice");
		ret = swauth_attr_version(attr, what, "SWAUTH_A_KEY_VERSION", &e->key_version, err);
		e->has |= ret ? 0 : SWAUTH_EVENT_HAS_KEY_VERSION;
		return ret;
	case SWAUTH_A_FLOOR:
		if (e->has & SWAUTH_EVENT_HAS_FLOOR)
			return swauth_error_set(err, -EBADMSG,
						"malformed EVENT reply: SWAUTH_A_FLOOR appears twice");
		ret = swauth_attr_version(attr, what, "SWAUTH_A_FLOOR", &e->floor, err);
		e->has |= ret ? 0 : SWAUTH_EVENT_HAS_FLOOR;
		return ret;
	}
	return enforce_attr(attr, e, err);
}

/* What a kexec refusal must carry; SWAUTH_A_FILE_NAME is optional. */
#define KEXEC_REFUSED_HAS (SWAUTH_EVENT_HAS_REFUSED | SWAUTH_EVENT_HAS_PID | SWAUTH_EVENT_HAS_UID | \
			   SWAUTH_EVENT_HAS_COMM | SWAUTH_EVENT_HAS_COUNT)

/**
 * swauth_event_parse() - parse one SWAUTH_CMD_EVENT message
 * @nlh: the message
 * @e: receives the event; cleared first
 * @err: filled on failure
 *
 * Every event must name its event; key events their key type, key added
 * and revoked the version, floor raised the floor; enforcement its new
 * state, a kexec refusal what was refused, by whom, and the count. An event this parser does not know
 * is returned as it is, for the caller to skip.
 *
 * Return: 0 or -EBADMSG.
 */
int swauth_event_parse(const struct nlmsghdr *nlh, struct swauth_event_msg *e,
		       struct swauth_error *err)
{
	struct event_ctx ctx = { .e = e };
	int ret;

	memset(e, 0, sizeof(*e));
	ret = swauth_reply_walk(nlh, SWAUTH_CMD_EVENT, "EVENT", event_attr, &ctx, err);
	if (ret)
		return ret;
	if (!ctx.seen_event)
		return swauth_error_set(err, -EBADMSG, "malformed EVENT reply: no SWAUTH_A_EVENT");
	if (e->event == SWAUTH_EVENT_ENFORCE) {
		if (!(e->has & SWAUTH_EVENT_HAS_ENFORCE))
			return swauth_error_set(err, -EBADMSG,
						"malformed EVENT reply: no SWAUTH_A_ENFORCE");
		return 0;
	}
	if (e->event == SWAUTH_EVENT_KEXEC_REFUSED) {
		if ((e->has & KEXEC_REFUSED_HAS) != KEXEC_REFUSED_HAS)
			return swauth_error_set(err, -EBADMSG,
						"malformed EVENT reply: a kexec refusal without its caller, kind or count");
		return 0;
	}
	if (!(e->has & SWAUTH_EVENT_HAS_KEY_TYPE))
		return swauth_error_set(err, -EBADMSG, "malformed EVENT reply: no SWAUTH_A_KEY_TYPE");
	if ((e->event == SWAUTH_EVENT_KEY_ADDED || e->event == SWAUTH_EVENT_KEY_REVOKED) &&
	    !(e->has & SWAUTH_EVENT_HAS_KEY_VERSION))
		return swauth_error_set(err, -EBADMSG,
					"malformed EVENT reply: no SWAUTH_A_KEY_VERSION");
	if (e->event == SWAUTH_EVENT_FLOOR_RAISED && !(e->has & SWAUTH_EVENT_HAS_FLOOR))
		return swauth_error_set(err, -EBADMSG, "malformed EVENT reply: no SWAUTH_A_FLOOR");
	return 0;
}

/**
 * swauth_event_token() - an event's name in JSON
 * @event: enum swauth_event
 *
 * Return: "key-added", "key-revoked", "floor-raised", "enforce",
 * "kexec-refused" or "unknown".
 */
const char *swauth_event_token(uint32_t event)
{
	switch (event) {
	case SWAUTH_EVENT_ENFORCE:
		return "enforce";
	case SWAUTH_EVENT_KEXEC_REFUSED:
		return "kexec-refused";
	case SWAUTH_EVENT_KEY_ADDED:
		return "key-added";
	case SWAUTH_EVENT_KEY_REVOKED:
		return "key-revoked";
	case SWAUTH_EVENT_FLOOR_RAISED:
		return "floor-raised";
	}
	return "unknown";
}

/* One CTRL_ATTR_MCAST_GROUPS entry: a nest of name and id. */
static int mcast_group(const struct nlattr *nest, uint32_t *group)
{
	const struct nlattr *a;
	const char *name = NULL;
	uint32_t id = 0;
	bool has_id = false;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_MCAST_GRP_NAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				name = mnl_attr_get_str(a);
			break;
		case CTRL_ATTR_MCAST_GRP_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
				id = mnl_attr_get_u32(a);
				has_id = true;
			}
			break;
		}
	}
	if (!name || !has_id || strcmp(name, SWAUTH_MCGRP_EVENTS))
		return 0;
	*group = id;
	return 1;
}

/**
 * swauth_events_parse_family() - the family id and events group of a GETFAMILY reply
 * @nlh: a CTRL_CMD_NEWFAMILY message
 * @family: receives CTRL_ATTR_FAMILY_ID
 * @group: receives the id of the SWAUTH_MCGRP_EVENTS group
 * @err: filled on failure
 *
 * Return: 0; -EBADMSG for a malformed message or one without a family id;
 * -EOPNOTSUPP when the family has no events group (a module that predates it).
 */
int swauth_events_parse_family(const struct nlmsghdr *nlh, uint16_t *family,
			       uint32_t *group, struct swauth_error *err)
{
	const struct nlattr *attr, *nest;
	const char *end;
	bool has_family = false, has_group = false;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN || nlh->nlmsg_len % MNL_ALIGNTO)
		return swauth_error_set(err, -EBADMSG, "CTRL_CMD_GETFAMILY: short reply");
	end = (const char *)nlh + nlh->nlmsg_len;
	attr = (const struct nlattr *)((const char *)mnl_nlmsg_get_payload(nlh) + GENL_HDRLEN);
	while ((const char *)attr < end) {
		if (!mnl_attr_ok(attr, (int)(end - (const char *)attr)))
			return swauth_error_set(err, -EBADMSG,
						"CTRL_CMD_GETFAMILY: attribute truncated");
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
				return swauth_error_set(err, -EBADMSG,
							"CTRL_CMD_GETFAMILY: bad CTRL_ATTR_FAMILY_ID");
			*family = mnl_attr_get_u16(attr);
			has_family = true;
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
				return swauth_error_set(err, -EBADMSG,
							"CTRL_CMD_GETFAMILY: bad CTRL_ATTR_MCAST_GROUPS");
			mnl_attr_for_each_nested(nest, attr) {
				if (!has_group && mcast_group(nest, group))
					has_group = true;
			}
			break;
		}
		attr = mnl_attr_next(attr);
	}
	if (!has_family)
		return swauth_error_set(err, -EBADMSG,
					"CTRL_CMD_GETFAMILY: reply without a family id");
	if (!has_group)
		return swauth_error_set(err, -EOPNOTSUPP,
					"the swauth module has no \"%s\" multicast group (too old?)",
					SWAUTH_MCGRP_EVENTS);
	return 0;
}

static int family_reply(const struct nlmsghdr *nlh, void *data, struct swauth_error *err)
{
	struct swauth_events *ev = data;

	return swauth_events_parse_family(nlh, &ev->family, &ev->group, err);
}

/**
 * swauth_events_open() - subscribe to the swauth events group
 * @evp: receives the subscription, to be freed with swauth_events_close()
 * @err: filled on failure
 *
 * Loads the module, like swauth_nl_open(), when the family is missing.
 *
 * Return: 0; -ENOPKG when the module is missing and could not be loaded;
 * -EOPNOTSUPP when it has no events group; another -errno.
 */
int swauth_events_open(struct swauth_events **evp, struct swauth_error *err)
{
	struct swauth_events *ev;
	int ret;

	*evp = NULL;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	ret = swauth_nl_open(&ev->nl, err);
	if (ret) {
		free(ev);
		return ret;
	}
	/* swauth_nl_open() knows the family id; the group needs the reply. */
	ret = swauth_nl_transact(ev->nl, swauth_nl_getfamily(ev->nl), "CTRL_CMD_GETFAMILY",
				 family_reply, ev, err);
	if (ret)
		goto err_close;
	if (mnl_socket_setsockopt(swauth_nl_socket(ev->nl), NETLINK_ADD_MEMBERSHIP, &ev->group,
				  sizeof(ev->group)) < 0) {
		ret = swauth_error_set(err, -errno, "joining the \"%s\" multicast group: %s",
				       SWAUTH_MCGRP_EVENTS, strerror(errno));
		goto err_close;
	}
	*evp = ev;
	return 0;

err_close:
	swauth_nl_close(ev->nl);
	free(ev);
	return ret;
}

/**
 * swauth_events_recv() - wait for the next datagram and report its events
 * @ev: the subscription
 * @fn: called for each event; a non-zero return stops and is returned
 * @data: passed to @fn
 * @err: filled on failure
 *
 * Messages of other families or commands are skipped. A malformed event is
 * an error: the caller decides whether to go on.
 *
 * Return: 0, @fn's value, -EINTR when a signal interrupted the wait,
 * -ENOBUFS when the kernel dropped events, -EBADMSG, or another -errno.
 */
int swauth_events_recv(struct swauth_events *ev, swauth_event_fn fn, void *data,
		       struct swauth_error *err)
{
	const struct nlmsghdr *nlh;
	const struct genlmsghdr *genl;
	struct swauth_event_msg e;
	ssize_t len;
	int n, ret;

	len = mnl_socket_recvfrom(swauth_nl_socket(ev->nl), ev->buf, sizeof(ev->buf));
	if (len < 0 && errno == EINTR)
		return -EINTR;
	if (len < 0 && errno == ENOBUFS)
		return swauth_error_set(err, -ENOBUFS,
					"events were lost: the socket's buffer overflowed");
	if (len < 0)
		return swauth_error_set(err, -errno, "receiving events: %s", strerror(errno));
	n = (int)len;
	for (nlh = (const struct nlmsghdr *)ev->buf; mnl_nlmsg_ok(nlh, n);
	     nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_type != ev->family || nlh->nlmsg_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN)
			continue;
		genl = mnl_nlmsg_get_payload(nlh);
		if (genl->cmd != SWAUTH_CMD_EVENT)
			continue;
		ret = swauth_event_parse(nlh, &e, err);
		if (ret)
			return ret;
		ret = fn(&e, data);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * swauth_events_close() - unsubscribe and free
 * @ev: the subscription; may be NULL
 */
void swauth_events_close(struct swauth_events *ev)
{
	if (!ev)
		return;
	swauth_nl_close(ev->nl);
	free(ev);
}

/**
 * swauth_refused_name() - what a kexec refusal was of
 * @refused: enum swauth_refused_load
 *
 * Return: "kexec_file_load kernel", "kexec_file_load initramfs",
 * "kexec_load" or "unknown".
 */
const char *swauth_refused_name(uint32_t refused)
{
	switch (refused) {
	case SWAUTH_REFUSED_KEXEC_KERNEL:
		return "kexec_file_load kernel";
	case SWAUTH_REFUSED_KEXEC_INITRD:
		return "kexec_file_load initramfs";
	case SWAUTH_REFUSED_KEXEC_LOAD:
		return "kexec_load";
	}
	return "unknown";
}
