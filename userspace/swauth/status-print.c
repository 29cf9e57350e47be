// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The JSON key names written here are an interface: they are documented in
 * swauth.8 (JSON OUTPUT) and tested by selftests/host/status_print_test.c.
 * Add keys; never rename or remove one.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "lib/core.h"
#include "lib/image.h"
#include "lib/netlink.h"
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

#define HAS_FLOORS (SWAUTH_STATUS_HAS_FLOOR_PRODUCTION | SWAUTH_STATUS_HAS_FLOOR_SPECIAL)
#define HAS_STORE (SWAUTH_STATUS_HAS_STORE_PRIMARY | SWAUTH_STATUS_HAS_STORE_BACKUP | \
		   SWAUTH_STATUS_HAS_STORE_SEQUENCE)

static void print_floor(FILE *f, const char *label, const struct swauth_status *st,
			uint32_t has, uint32_t floor)
{
	if (!(st->has & has))
		fprintf(f, "%-18s unknown\n", label);
	else if (!floor)
		fprintf(f, "%-18s none\n", label);
	else
		fprintf(f, "%-18s %c\n", label, (char)floor);
}

/* A copy that could not be repaired is shouted, so that it is not missed. */
static void print_store(FILE *f, const char *label, const struct swauth_status *st,
			uint32_t has, uint32_t state)
{
	if (!(st->has & has))
		fprintf(f, "%-18s unknown\n", label);
	else if (state == SWAUTH_STORE_CORRUPT)
		fprintf(f, "%-18s CORRUPT: invalid and could not be rewritten, see swauth(8)\n",
			label);
	else if (state == SWAUTH_STORE_RECOVERED)
		fprintf(f, "%-18s RECOVERED: both copies were invalid; only built-in keys, floors kept\n",
			label);
	else if (state == SWAUTH_STORE_ABSENT)
		fprintf(f, "%-18s ABSENT: no key storage was created; 'swauth key store init' creates it\n",
			label);
	else if (state == SWAUTH_STORE_UNREADABLE && (st->has & SWAUTH_STATUS_HAS_STORE_ERROR) &&
		 st->store_error == -ENOTDIR)
		fprintf(f, "%-18s UNREADABLE: the directory of key storage (module parameter store_dir) is missing or not a directory; key changes are refused until 'swauth key store reload'\n",
			label);
	else if (state == SWAUTH_STORE_UNREADABLE && (st->has & SWAUTH_STATUS_HAS_STORE_ERROR))
		fprintf(f, "%-18s UNREADABLE: %s; key changes are refused until 'swauth key store reload'\n",
			label, strerror(-st->store_error));
	else if (state == SWAUTH_STORE_UNREADABLE)
		fprintf(f, "%-18s UNREADABLE: key changes are refused until 'swauth key store reload'\n",
			label);
	else if (state > SWAUTH_STORE_MAX)
		fprintf(f, "%-18s unknown (%" PRIu32 ")\n", label, state);
	else
		fprintf(f, "%-18s %s\n", label, swauth_store_state_name(state));
}

/* After a warm reload, say at once what it rules out. */
static void print_boot(FILE *f, const struct swauth_status *st)
{
	if (!(st->has & SWAUTH_STATUS_HAS_BOOT))
		fprintf(f, "%-18s unknown\n", "boot:");
	else if (st->boot == SWAUTH_BOOT_COLD)
		fprintf(f, "%-18s cold\n", "boot:");
	else if (st->boot == SWAUTH_BOOT_WARM)
		fprintf(f, "%-18s warm (kexec): key revocation needs a cold reload\n", "boot:");
	else if (st->boot == SWAUTH_BOOT_UNKNOWN)
		fprintf(f, "%-18s unknown\n", "boot:");
	else
		fprintf(f, "%-18s unknown (%" PRIu32 ")\n", "boot:", st->boot);
	/* The loader ID is a hint: a kexec_load(2) caller chooses it. */
	if (!(st->has & SWAUTH_STATUS_HAS_BOOT_BASIS))
		return;
	if (st->boot_basis == SWAUTH_BOOT_BASIS_LOADER_ID)
		fprintf(f, "%-18s boot loader ID, a hint a kexec_load caller can set\n",
			"boot basis:");
	else
		fprintf(f, "%-18s none\n", "boot basis:");
}

/* What runs, as the module measured it at load, or why it does not know. */
static void print_running(FILE *f, const struct swauth_status *st)
{
	const char *why = swauth_status_running_why(st);

	if (why)
		fprintf(f, "%-18s unknown: %s\n", "running image:", why);
	else
		fprintf(f, "%-18s %s%s%s (%s %c, measured at boot)\n", "running image:",
			st->image_name, st->image_version[0] ? " " : "", st->image_version,
			swauth_key_type_token(st->signer_key_type), swauth_status_running_signer(st));
}

/* Enforcement of kexec, from a module that reports it. */
static void print_enforce(FILE *f, const struct swauth_status *st)
{
	if (!(st->has & SWAUTH_STATUS_HAS_ENFORCE))
		return;
	fprintf(f, "%-18s %s\n", "kexec enforcement:", st->enforce ? "on" :
		"off: any kernel can be started");
	print_u64(f, "kexec refused:", st, SWAUTH_STATUS_HAS_KEXEC_REFUSED, st->kexec_refused);
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
	/* Key storage lines only from a module that reports key storage. */
	if (st->has & HAS_FLOORS) {
		print_floor(f, "production floor:", st, SWAUTH_STATUS_HAS_FLOOR_PRODUCTION,
			    st->floor_production);
		print_floor(f, "special floor:", st, SWAUTH_STATUS_HAS_FLOOR_SPECIAL,
			    st->floor_special);
	}
	if (st->has & HAS_STORE) {
		print_store(f, "primary storage:", st, SWAUTH_STATUS_HAS_STORE_PRIMARY,
			    st->store_primary);
		print_store(f, "backup storage:", st, SWAUTH_STATUS_HAS_STORE_BACKUP,
			    st->store_backup);
		print_u64(f, "storage sequence:", st, SWAUTH_STATUS_HAS_STORE_SEQUENCE,
			  st->store_sequence);
	}
	print_boot(f, st);
	print_running(f, st);
	print_enforce(f, st);
}

static void json_u64(struct swauth_json *j, const char *key, const struct swauth_status *st,
		     uint32_t has, uint64_t value)
{
	if (st->has & has)
		swauth_json_u64(j, key, value);
	else
		swauth_json_null(j, key);
}

static void json_floor(struct swauth_json *j, const char *key, const struct swauth_status *st,
		       uint32_t has, uint32_t floor)
{
	char v[2] = { (char)floor, '\0' };

	if (st->has & has && floor)
		swauth_json_string(j, key, v);
	else
		swauth_json_null(j, key);
}

static void json_store(struct swauth_json *j, const char *key, const struct swauth_status *st,
		       uint32_t has, uint32_t state)
{
	if (st->has & has)
		swauth_json_string(j, key, swauth_store_state_name(state));
	else
		swauth_json_null(j, key);
}

/* What runs, as in print_running(): measured, with the image's record, or unknown and why. */
static void json_running(struct swauth_json *j, const struct swauth_status *st)
{
	const char *why = swauth_status_running_why(st);
	char signer[32];

	swauth_json_object_begin(j, "running");
	if (why) {
		swauth_json_string(j, "state", "unknown");
		swauth_json_string(j, "why", why);
		swauth_json_object_end(j);
		return;
	}
	swauth_json_string(j, "state", "measured");
	swauth_json_string(j, "image_name", st->image_name);
	swauth_json_string(j, "image_version", st->image_version);
	snprintf(signer, sizeof(signer), "%s %c", swauth_key_type_token(st->signer_key_type),
		 swauth_status_running_signer(st));
	swauth_json_string(j, "signer", signer);
	if (st->has & SWAUTH_STATUS_HAS_RUNNING_KERNEL)
		swauth_json_string(j, "kernel", st->running_kernel);
	else
		swauth_json_null(j, "kernel");
	swauth_json_object_end(j);
}

/**
 * status_print_json() - print the state as one JSON object and a newline
 * @f: the stream
 * @st: the state
 *
 * Keys: version, abi_version, mode, debug (array of category names; a bit
 * without a name appears only in debug_mask), debug_mask, keys {rollover,
 * production, special}, images {verified, rejected}; from a module with key
 * storage also floors {production, special} (a letter, or null for no
 * floor) and store {primary, backup (state names), sequence}; last, boot
 * ("cold", "warm" or "unknown") and, from a module that reports it,
 * boot_basis ("loader-id": a hint a kexec_load caller can set, or "none");
 * from a module that enforces kexec, enforce ("on" or "off") and
 * kexec_refused.
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
	if (st->has & HAS_FLOORS) {
		swauth_json_object_begin(&j, "floors");
		json_floor(&j, "production", st, SWAUTH_STATUS_HAS_FLOOR_PRODUCTION,
			   st->floor_production);
		json_floor(&j, "special", st, SWAUTH_STATUS_HAS_FLOOR_SPECIAL, st->floor_special);
		swauth_json_object_end(&j);
	}
	if (st->has & HAS_STORE) {
		swauth_json_object_begin(&j, "store");
		json_store(&j, "primary", st, SWAUTH_STATUS_HAS_STORE_PRIMARY, st->store_primary);
		json_store(&j, "backup", st, SWAUTH_STATUS_HAS_STORE_BACKUP, st->store_backup);
		json_u64(&j, "sequence", st, SWAUTH_STATUS_HAS_STORE_SEQUENCE, st->store_sequence);
		if (st->has & SWAUTH_STATUS_HAS_STORE_ERROR)
			swauth_json_string(&j, "error", strerror(-st->store_error));
		swauth_json_object_end(&j);
	}
	if (st->has & SWAUTH_STATUS_HAS_BOOT)
		swauth_json_string(&j, "boot", swauth_boot_name(st->boot));
	else
		swauth_json_null(&j, "boot");
	if (st->has & SWAUTH_STATUS_HAS_BOOT_BASIS)
		swauth_json_string(&j, "boot_basis",
				   st->boot_basis == SWAUTH_BOOT_BASIS_LOADER_ID ? "loader-id" :
				   "none");
	if (st->has & SWAUTH_STATUS_HAS_ENFORCE) {
		swauth_json_string(&j, "enforce", st->enforce ? "on" : "off");
		json_u64(&j, "kexec_refused", st, SWAUTH_STATUS_HAS_KEXEC_REFUSED,
			 st->kexec_refused);
	}
	if (st->has & SWAUTH_STATUS_HAS_RUNNING)
		json_running(&j, st);
	swauth_json_object_end(&j);
	return swauth_json_finish(&j);
}
