/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The output of key add, key revoke, show keys, show upgrade-status and
 * monitor, from parsed replies only, so that every line can be tested
 * without the module (selftests/host/key_print_test.c). The JSON key names
 * are an interface documented in swauth.8: add keys, never rename one.
 */

#ifndef SWAUTH_KEY_PRINT_H
#define SWAUTH_KEY_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/image.h"
#include "lib/netlink.h"

enum { UPGRADE_CHECKS = 5, UPGRADE_TEXT_LEN = 512 };

void key_print_modulus(FILE *f, const uint8_t *mod, size_t len);
void key_print_show(FILE *f, const struct swauth_key_list *keys);
int key_print_show_json(FILE *f, const struct swauth_key_list *keys);

void key_print_add_intro(FILE *f, uint32_t type);
bool key_print_add(FILE *f, const struct swauth_key_add_result *res);
/*
 * A key change while store_dir does not exist: the module reports the
 * store unreadable with -ENOTDIR (Documentation/key-store.rst).
 */
#define KEY_HINT_NO_STORE_DIR \
	"the directory of key storage (module parameter store_dir) does not exist: mount or create it (mode 0700), then run 'swauth key store reload', or 'swauth key store init' for new key storage"

const char *key_add_hint(int ret);

void key_print_revoke_intro(FILE *f, uint32_t type);
bool key_print_revoke(FILE *f, uint32_t type, const struct swauth_key_list *before,
		      const struct swauth_key_revoke_result *res, bool bootloader);
const char *key_revoke_hint(int ret);

/* An image upgrade-status checks: the boot image or the boot loader. */
struct upgrade_image {
	const char *path;		/* NULL when not configured */
	const char *error;		/* why it could not be verified, or NULL */
	const struct swauth_verify_result *res;	/* when verified */
};

struct upgrade_check {
	const char *token;		/* JSON "name" */
	const char *label;
	bool ok;
	char detail[UPGRADE_TEXT_LEN];	/* "" when none */
	char remedy[UPGRADE_TEXT_LEN];	/* "" when ok */
};

struct upgrade_status {
	uint32_t type;			/* SWAUTH_KEY_PRODUCTION or SWAUTH_KEY_SPECIAL */
	uint32_t new_version;		/* 0 when no key of the type */
	struct upgrade_check checks[UPGRADE_CHECKS];
};

bool upgrade_status_eval(struct upgrade_status *us, uint32_t type,
			 const struct swauth_key_list *keys, const struct upgrade_image *boot,
			 const struct upgrade_image *bootloader);
void upgrade_status_print(FILE *f, const struct upgrade_status *us);
int upgrade_status_print_json(FILE *f, const struct upgrade_status *us);

void event_print(FILE *f, const struct swauth_event_msg *e);
int event_print_json(FILE *f, const struct swauth_event_msg *e);

#endif /* SWAUTH_KEY_PRINT_H */
