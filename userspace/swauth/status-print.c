// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The JSON key names written here are an interface: they are documented in
 * swauth.8 (JSON OUTPUT) and tested by selftests/host/status_print_test.c.
 * Add keys; never rename or remove one.
 */

#include <inttypes.h>
#include <string.h>

#include "lib/debug.h"
#include "lib/json.h"
#include "swauth/status-print.h"

static void print_u64(FILE *f, const char *label, const struct swauth_status *st,
		      uint32_t has, uint64_t value)
{
	if (st->has & has)
		fprintf(f, "%-18s %" PRIu64 "\n", label, value);
	else
		fprintf(f, "%-18s unknown\n", label);
}

static void print_debug(FILE *f, uint32_t mask)
{
	const char *name;
	unsigned int bit;
	const char *sep = "";

	if (!mask) {
		fputs("none", f);
		return;
	}
	for (bit = 0; bit < 32; bit++) {
		if (!(mask & (1U << bit)))
			continue;
		name = swauth_debug_name(1U << bit);
		if (name)
			fprintf(f, "%s%s", sep, name);
		else
			fprintf(f, "%sbit%u", sep, bit);
		sep = " ";
	}
}

/**
 * status_print_human() - print the state as "label: value" lines
 * @f: the stream
 * @st: the state
 */
void status_print_human(FILE *f, const struct swauth_status *st)
{
	const char *mode = swauth_status_mode_name(st->mode);

	fprintf(f, "%-18s %s\n", "module version:",
		st->has & SWAUTH_STATUS_HAS_VERSION ? st->version : "unknown");
	print_u64(f, "ABI version:", st, SWAUTH_STATUS_HAS_ABI_VERSION, st->abi_version);
	if (st->has & SWAUTH_STATUS_HAS_MODE && strcmp(mode, "unknown"))
		fprintf(f, "%-18s %s\n", "mode:", mode);
	else if (st->has & SWAUTH_STATUS_HAS_MODE)
		fprintf(f, "%-18s unknown (%" PRIu32 ")\n", "mode:", st->mode);
	else
		fprintf(f, "%-18s unknown\n", "mode:");
	fprintf(f, "%-18s ", "debug categories:");
	if (st->has & SWAUTH_STATUS_HAS_DEBUG)
		print_debug(f, st->debug);
	else
		fputs("unknown", f);
	fputc('\n', f);
	print_u64(f, "rollover keys:", st, SWAUTH_STATUS_HAS_KEYS_ROLLOVER, st->keys_rollover);
	print_u64(f, "production keys:", st, SWAUTH_STATUS_HAS_KEYS_PRODUCTION,
		  st->keys_production);
	print_u64(f, "special keys:", st, SWAUTH_STATUS_HAS_KEYS_SPECIAL, st->keys_special);
	print_u64(f, "images verified:", st, SWAUTH_STATUS_HAS_IMAGES_VERIFIED,
		  st->images_verified);
	print_u64(f, "images rejected:", st, SWAUTH_STATUS_HAS_IMAGES_REJECTED,
		  st->images_rejected);
}

static void json_u64(struct swauth_json *j, const char *key, const struct swauth_status *st,
		     uint32_t has, uint64_t value)
{
	if (st->has & has)
		swauth_json_u64(j, key, value);
	else
		swauth_json_null(j, key);
}

/**
 * status_print_json() - print the state as one JSON object and a newline
 * @f: the stream
 * @st: the state
 *
 * Keys: version, abi_version, mode, debug (array of category names; a bit
 * without a name appears only in debug_mask), debug_mask, keys {rollover,
 * production, special}, images {verified, rejected}.
 *
 * Return: 0, or -errno from swauth_json_finish().
 */
int status_print_json(FILE *f, const struct swauth_status *st)
{
	const struct swauth_debug_category *c;
	struct swauth_json j;

	swauth_json_init(&j, f);
	swauth_json_object_begin(&j, NULL);
	if (st->has & SWAUTH_STATUS_HAS_VERSION)
		swauth_json_string(&j, "version", st->version);
	else
		swauth_json_null(&j, "version");
	json_u64(&j, "abi_version", st, SWAUTH_STATUS_HAS_ABI_VERSION, st->abi_version);
	if (st->has & SWAUTH_STATUS_HAS_MODE)
		swauth_json_string(&j, "mode", swauth_status_mode_name(st->mode));
	else
		swauth_json_null(&j, "mode");
	if (st->has & SWAUTH_STATUS_HAS_DEBUG) {
		swauth_json_array_begin(&j, "debug");
		for (c = swauth_debug_categories; c->name; c++)
			if (st->debug & c->flag)
				swauth_json_string(&j, NULL, c->name);
		swauth_json_array_end(&j);
	} else {
		swauth_json_null(&j, "debug");
	}
	json_u64(&j, "debug_mask", st, SWAUTH_STATUS_HAS_DEBUG, st->debug);
	swauth_json_object_begin(&j, "keys");
	json_u64(&j, "rollover", st, SWAUTH_STATUS_HAS_KEYS_ROLLOVER, st->keys_rollover);
	json_u64(&j, "production", st, SWAUTH_STATUS_HAS_KEYS_PRODUCTION, st->keys_production);
	json_u64(&j, "special", st, SWAUTH_STATUS_HAS_KEYS_SPECIAL, st->keys_special);
	swauth_json_object_end(&j);
	swauth_json_object_begin(&j, "images");
	json_u64(&j, "verified", st, SWAUTH_STATUS_HAS_IMAGES_VERIFIED, st->images_verified);
	json_u64(&j, "rejected", st, SWAUTH_STATUS_HAS_IMAGES_REJECTED, st->images_rejected);
	swauth_json_object_end(&j);
	swauth_json_object_end(&j);
	return swauth_json_finish(&j);
}
