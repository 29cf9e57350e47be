/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * SWAUTH_CMD_EVENT: the "events" multicast group of the swauth family, a
 * subscription to it on its own socket, and a strict parser of its
 * messages (include/uapi/linux/swauth.h, "Events").
 */

#ifndef SWAUTH_LIB_EVENTS_H
#define SWAUTH_LIB_EVENTS_H

#include <stdint.h>

#include <linux/swauth.h>

#include "lib/error.h"

struct nlmsghdr;
struct swauth_events;

enum swauth_event_has {
	SWAUTH_EVENT_HAS_KEY_TYPE = 1U << 0,
	SWAUTH_EVENT_HAS_KEY_VERSION = 1U << 1,
	SWAUTH_EVENT_HAS_FLOOR = 1U << 2,
	SWAUTH_EVENT_HAS_ENFORCE = 1U << 3,
	SWAUTH_EVENT_HAS_REFUSED = 1U << 4,
	SWAUTH_EVENT_HAS_PID = 1U << 5,
	SWAUTH_EVENT_HAS_UID = 1U << 6,
	SWAUTH_EVENT_HAS_COMM = 1U << 7,
	SWAUTH_EVENT_HAS_FILE_NAME = 1U << 8,
	SWAUTH_EVENT_HAS_COUNT = 1U << 9,
};

struct swauth_event_msg {
	uint32_t has;			/* mask of enum swauth_event_has */
	uint32_t event;			/* enum swauth_event, possibly one we don't know */
	uint32_t key_type;		/* enum swauth_key_type */
	uint32_t key_version;		/* 'A'..'Z' */
	uint32_t floor;			/* 'A'..'Z', SWAUTH_EVENT_FLOOR_RAISED */
	uint32_t enforce;		/* SWAUTH_EVENT_ENFORCE: the new state */
	/* SWAUTH_EVENT_KEXEC_REFUSED */
	uint32_t refused;		/* enum swauth_refused_load */
	uint32_t pid;
	uint32_t uid;
	char comm[16];
	char file_name[64];		/* "" for kexec_load(2) */
	uint64_t count;			/* refusals so far */
};

typedef int (*swauth_event_fn)(const struct swauth_event_msg *e, void *data);

int swauth_event_parse(const struct nlmsghdr *nlh, struct swauth_event_msg *e,
		       struct swauth_error *err);
int swauth_events_parse_family(const struct nlmsghdr *nlh, uint16_t *family,
			       uint32_t *group, struct swauth_error *err);
int swauth_events_open(struct swauth_events **evp, struct swauth_error *err);
int swauth_events_recv(struct swauth_events *ev, swauth_event_fn fn, void *data,
		       struct swauth_error *err);
void swauth_events_close(struct swauth_events *ev);
const char *swauth_event_token(uint32_t event);
const char *swauth_refused_name(uint32_t refused);

#endif /* SWAUTH_LIB_EVENTS_H */
