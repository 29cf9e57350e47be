// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The status printers. The JSON keys are an interface documented in
 * swauth.8: these tests pin them down byte for byte.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/swauth.h>

#include "swauth/status-print.h"

#include "kselftest_harness.h"

#define HAS_ALL 0x1ffU

static struct swauth_status full(void)
{
	struct swauth_status st = {
		.has = HAS_ALL,
		.abi_version = 1,
		.mode = SWAUTH_MODE_VERIFY_ONLY,
		.debug = SWAUTH_DEBUG_F_ERRORS | SWAUTH_DEBUG_F_VERBOSE,
		.keys_rollover = 1,
		.keys_production = 2,
		.keys_special = 3,
		.images_verified = 10,
		.images_rejected = 4,
	};

	strcpy(st.version, "0.1-\"q\"");
	return st;
}

static char *json(const struct swauth_status *st, int *ret)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	*ret = status_print_json(f, st);
	fclose(f);
	return out;
}

static char *human(const struct swauth_status *st)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	status_print_human(f, st);
	fclose(f);
	return out;
}

/* Every key, in the documented order, with escaped strings. */
TEST(json_full)
{
	struct swauth_status st = full();
	int ret = -1;
	char *out = json(&st, &ret);

	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, ret);
	EXPECT_STREQ("{\"version\":\"0.1-\\\"q\\\"\",\"abi_version\":1,\"mode\":\"verify-only\","
		     "\"debug\":[\"errors\",\"verbose\"],\"debug_mask\":34,"
		     "\"keys\":{\"rollover\":1,\"production\":2,\"special\":3},"
		     "\"images\":{\"verified\":10,\"rejected\":4},\"boot\":null}\n", out);
	free(out);
}

/* What the module did not report is null; the keys are all still there. */
TEST(json_nothing_reported)
{
	struct swauth_status st = { 0 };
	int ret = -1;
	char *out = json(&st, &ret);

	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, ret);
	EXPECT_STREQ("{\"version\":null,\"abi_version\":null,\"mode\":null,\"debug\":null,"
		     "\"debug_mask\":null,\"keys\":{\"rollover\":null,\"production\":null,"
		     "\"special\":null},\"images\":{\"verified\":null,\"rejected\":null},"
		     "\"boot\":null}\n", out);
	free(out);
}

/* No category: []. An unnamed bit: only in debug_mask. An odd mode: "unknown". */
TEST(json_edge_values)
{
	struct swauth_status st = full();
	int ret = -1;
	char *out;

	st.debug = 0;
	st.mode = 77;
	out = json(&st, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "\"mode\":\"unknown\",\"debug\":[],\"debug_mask\":0,"))
		TH_LOG("%s", out);
	free(out);

	st.debug = SWAUTH_DEBUG_F_KEY | (1U << 9);
	out = json(&st, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "\"debug\":[\"key\"],\"debug_mask\":516,")) TH_LOG("%s", out);
	free(out);
}

/* The human form: one "label: value" line per field. */
TEST(human_full)
{
	struct swauth_status st = full();
	char *out = human(&st);

	ASSERT_NE(NULL, out);
	EXPECT_STREQ("module version:    0.1-\"q\"\n"
		     "ABI version:       1\n"
		     "mode:              verify-only\n"
		     "debug categories:  errors verbose\n"
		     "rollover keys:     1\n"
		     "production keys:   2\n"
		     "special keys:      3\n"
		     "images verified:   10\n"
		     "images rejected:   4\n"
		     "boot:              unknown\n"
		     "running image:     unknown: the module does not report it\n", out);
	free(out);
}

/* "none", "unknown", and unnamed bits in the human form. */
TEST(human_edge_values)
{
	struct swauth_status st = full();
	char *out;

	st.debug = 0;
	out = human(&st);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "debug categories:  none\n")) TH_LOG("%s", out);
	free(out);

	st.debug = SWAUTH_DEBUG_F_ENVELOPE | (1U << 7);
	st.mode = 9;
	st.has &= ~SWAUTH_STATUS_HAS_KEYS_SPECIAL;
	out = human(&st);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "debug categories:  envelope bit7\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "mode:              unknown (9)\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "special keys:      unknown\n")) TH_LOG("%s", out);
	free(out);
}

/* How the kernel was started: a name, "unknown" for a value without one. */
TEST(boot)
{
	static const struct { uint32_t boot; const char *json, *human; } cases[] = {
		{ SWAUTH_BOOT_COLD, "\"boot\":\"cold\"}", "boot:              cold\n" },
		{ SWAUTH_BOOT_WARM, "\"boot\":\"warm\"}",
		  "boot:              warm (kexec): key revocation needs a cold reload\n" },
		{ SWAUTH_BOOT_UNKNOWN, "\"boot\":\"unknown\"}", "boot:              unknown\n" },
		{ 7, "\"boot\":\"unknown\"}", "boot:              unknown (7)\n" },
	};
	struct swauth_status st = full();
	int ret = -1;
	char *out;
	size_t i;

	st.has |= SWAUTH_STATUS_HAS_BOOT;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		st.boot = cases[i].boot;
		out = json(&st, &ret);
		ASSERT_NE(NULL, out);
		EXPECT_EQ(0, ret);
		EXPECT_NE(NULL, strstr(out, cases[i].json)) TH_LOG("%s", out);
		free(out);
		out = human(&st);
		ASSERT_NE(NULL, out);
		EXPECT_NE(NULL, strstr(out, cases[i].human)) TH_LOG("%s", out);
		free(out);
	}
}

/* A store that is absent or cannot be read says so, and why. */
TEST(store_absent_unreadable)
{
	struct swauth_status st = full();
	int ret = -1;
	char *out;

	st.has |= SWAUTH_STATUS_HAS_STORE_PRIMARY | SWAUTH_STATUS_HAS_STORE_BACKUP |
		  SWAUTH_STATUS_HAS_STORE_SEQUENCE;
	st.store_primary = SWAUTH_STORE_ABSENT;
	st.store_backup = SWAUTH_STORE_ABSENT;
	out = human(&st);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "primary storage:   ABSENT: no key storage was created; 'swauth key store init' creates it\n"))
		TH_LOG("%s", out);
	free(out);
	out = json(&st, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "\"primary\":\"absent\"")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "\"error\"")) TH_LOG("%s", out);
	free(out);

	st.has |= SWAUTH_STATUS_HAS_STORE_ERROR;
	st.store_primary = SWAUTH_STORE_UNREADABLE;
	st.store_backup = SWAUTH_STORE_UNREADABLE;
	st.store_error = -5;
	out = human(&st);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "backup storage:    UNREADABLE: Input/output error; key changes are refused until 'swauth key store reload'\n"))
		TH_LOG("%s", out);
	free(out);
	out = json(&st, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, ret);
	EXPECT_NE(NULL, strstr(out, "\"backup\":\"unreadable\"")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"error\":\"Input/output error\"")) TH_LOG("%s", out);
	free(out);

	/* A store_dir that is missing (a disk not mounted) says which directory to look at. */
	st.store_error = -ENOTDIR;
	out = human(&st);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "primary storage:   UNREADABLE: the directory of key storage (module parameter store_dir) is missing or not a directory; key changes are refused until 'swauth key store reload'\n"))
		TH_LOG("%s", out);
	free(out);
}

/* What the boot kind rests on: the loader ID is shown as the hint it is. */
TEST(boot_basis)
{
	struct swauth_status st = full();
	int ret = -1;
	char *out;

	st.has |= SWAUTH_STATUS_HAS_BOOT | SWAUTH_STATUS_HAS_BOOT_BASIS;
	st.boot = SWAUTH_BOOT_COLD;
	st.boot_basis = SWAUTH_BOOT_BASIS_LOADER_ID;
	out = human(&st);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "boot:              cold\n"
			       "boot basis:        boot loader ID, a hint a kexec_load caller can set\n"))
		TH_LOG("%s", out);
	free(out);
	out = json(&st, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "\"boot\":\"cold\",\"boot_basis\":\"loader-id\"}"))
		TH_LOG("%s", out);
	free(out);
	st.boot = SWAUTH_BOOT_UNKNOWN;
	st.boot_basis = SWAUTH_BOOT_BASIS_NONE;
	out = human(&st);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "boot basis:        none\n")) TH_LOG("%s", out);
	free(out);
}

/* Enforcement, from a module that reports it; nothing from one that does not. */
TEST(enforce)
{
	struct swauth_status st = full();
	int ret = -1;
	char *out;

	out = human(&st);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(NULL, strstr(out, "kexec")) TH_LOG("%s", out);
	free(out);
	st.has |= SWAUTH_STATUS_HAS_ENFORCE | SWAUTH_STATUS_HAS_KEXEC_REFUSED;
	st.enforce = 0;
	st.kexec_refused = 4;
	out = human(&st);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "kexec enforcement: off: any kernel can be started\n"
			       "kexec refused:     4\n")) TH_LOG("%s", out);
	free(out);
	st.enforce = 1;
	out = json(&st, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, ret);
	EXPECT_NE(NULL, strstr(out, "\"enforce\":\"on\",\"kexec_refused\":4}")) TH_LOG("%s", out);
	free(out);
}

/* The running image: the module's record, or why the module does not know it. */
TEST(running)
{
	struct swauth_status st = full();
	char *out;

	st.has |= SWAUTH_STATUS_HAS_BOOT | SWAUTH_STATUS_HAS_RUNNING |
		  SWAUTH_STATUS_HAS_RUNNING_WHY | SWAUTH_STATUS_HAS_ENFORCE;
	st.boot = SWAUTH_BOOT_COLD;
	st.running = SWAUTH_RUNNING_UNKNOWN;
	strcpy(st.running_why, "no swauth record in the initramfs");
	st.enforce = 1;
	out = human(&st);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "boot:              cold\n"
			       "running image:     unknown: no swauth record in the initramfs\n"
			       "kexec enforcement: on\n")) TH_LOG("%s", out);
	free(out);

	st.running = SWAUTH_RUNNING_MEASURED;
	st.has |= SWAUTH_STATUS_HAS_IMAGE_NAME | SWAUTH_STATUS_HAS_IMAGE_VERSION |
		  SWAUTH_STATUS_HAS_SIGNER_KEY_TYPE | SWAUTH_STATUS_HAS_SIGNER_KEY_VERSION;
	strcpy(st.image_name, "v2");
	strcpy(st.image_version, "1.0");
	st.signer_key_type = SWAUTH_KEY_PRODUCTION;
	st.signer_key_version = 'A';
	out = human(&st);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "boot:              cold\n"
			       "running image:     v2 1.0 (production A, measured at boot)\n"))
		TH_LOG("%s", out);
	free(out);

	/* An image without a version: no blank where it would be. */
	st.image_version[0] = '\0';
	out = human(&st);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "running image:     v2 (production A, measured at boot)\n"))
		TH_LOG("%s", out);
	free(out);
}

/* --json: the same two cases, as an object "running" after the enforcement keys. */
TEST(running_json)
{
	struct swauth_status st = full();
	int ret = -1;
	char *out;

	st.has |= SWAUTH_STATUS_HAS_RUNNING | SWAUTH_STATUS_HAS_RUNNING_WHY;
	st.running = SWAUTH_RUNNING_UNKNOWN;
	strcpy(st.running_why, "no swauth record in the \"initramfs\"");
	out = json(&st, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, ret);
	EXPECT_NE(NULL, strstr(out, "\"boot\":null,\"running\":{\"state\":\"unknown\","
			       "\"why\":\"no swauth record in the \\\"initramfs\\\"\"}}\n"))
		TH_LOG("%s", out);
	free(out);

	st.running = SWAUTH_RUNNING_MEASURED;
	st.has |= SWAUTH_STATUS_HAS_IMAGE_NAME | SWAUTH_STATUS_HAS_IMAGE_VERSION |
		  SWAUTH_STATUS_HAS_SIGNER_KEY_TYPE | SWAUTH_STATUS_HAS_SIGNER_KEY_VERSION |
		  SWAUTH_STATUS_HAS_RUNNING_KERNEL;
	strcpy(st.image_name, "v2");
	strcpy(st.image_version, "1.0");
	strcpy(st.running_kernel, "6.1.0-57-amd64 #1 SMP");
	st.signer_key_type = SWAUTH_KEY_PRODUCTION;
	st.signer_key_version = 'B';
	out = json(&st, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, ret);
	EXPECT_NE(NULL, strstr(out, "\"running\":{\"state\":\"measured\",\"image_name\":\"v2\","
			       "\"image_version\":\"1.0\",\"signer\":\"production B\","
			       "\"kernel\":\"6.1.0-57-amd64 #1 SMP\"}}\n"))
		TH_LOG("%s", out);
	free(out);

	/* A module that does not report it: no "running" key, as before. */
	st.has &= ~SWAUTH_STATUS_HAS_RUNNING;
	out = json(&st, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(NULL, strstr(out, "running"));
	free(out);
}

TEST_HARNESS_MAIN
