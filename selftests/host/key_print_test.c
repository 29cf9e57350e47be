// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The exact text of key add, key revoke, show keys, show upgrade-status,
 * monitor and status's key storage lines, from canned replies; and the
 * modulus of keyrings/dev/production-A.crt against `openssl x509 -modulus`.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/image.h"
#include "lib/netlink.h"
#include "swauth/key-print.h"
#include "swauth/status-print.h"

#include "kselftest_harness.h"

#define CERT_A "keyrings/dev/production-A.crt"

struct out {
	char *buf;
	size_t len;
	FILE *f;
};

static void out_open(struct out *o)
{
	o->buf = NULL;
	o->f = open_memstream(&o->buf, &o->len);
}

static const char *out_text(struct out *o)
{
	fclose(o->f);
	o->f = NULL;
	return o->buf;
}

static void load(struct swauth_key *k, const char *path, uint32_t type, uint32_t version,
		 uint32_t where)
{
	size_t len = 0;
	struct swauth_error err;

	memset(k, 0, sizeof(*k));
	if (path && !swauth_cert_read_file(path, k->cert, sizeof(k->cert), &len, &err))
		k->cert_len = (uint32_t)len;
	k->type = type;
	k->version = version;
	k->where = where;
}

TEST(modulus_matches_openssl)
{
	static struct swauth_key k;
	uint8_t mod[1024];
	char expect[4096], hex[2100];
	struct swauth_error err;
	uint64_t e;
	size_t len, i;
	FILE *p;

	load(&k, CERT_A, SWAUTH_KEY_PRODUCTION, 'A', SWAUTH_KEY_F_PRIMARY);
	ASSERT_NE(0, k.cert_len);
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_cert_rsa_public(k.cert, k.cert_len, mod, sizeof(mod), &len, &e, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(65537, e);
	p = popen("openssl x509 -noout -modulus -in " CERT_A, "r");
	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, fgets(expect, sizeof(expect), p));
	pclose(p);
	expect[strcspn(expect, "\n")] = '\0';
	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02X", mod[i]);
	EXPECT_STREQ(expect + strlen("Modulus="), hex);

	/* Not a certificate. */
	EXPECT_EQ(-EBADMSG, swauth_cert_rsa_public((const uint8_t *)"xx", 2, mod, sizeof(mod),
						   &len, &e, &err));
}

TEST(modulus_layout)
{
	uint8_t mod[33];
	struct out o;
	size_t i;

	for (i = 0; i < sizeof(mod); i++)
		mod[i] = (uint8_t)(0xC0 + i);
	out_open(&o);
	key_print_modulus(o.f, mod, sizeof(mod));
	EXPECT_STREQ("        C0:C1:C2:C3:C4:C5:C6:C7:C8:C9:CA:CB:CC:CD:CE:CF:\n"
		     "        D0:D1:D2:D3:D4:D5:D6:D7:D8:D9:DA:DB:DC:DD:DE:DF:\n"
		     "        E0\n", out_text(&o));
	free(o.buf);
	out_open(&o);
	key_print_modulus(o.f, mod, 16);
	EXPECT_STREQ("        C0:C1:C2:C3:C4:C5:C6:C7:C8:C9:CA:CB:CC:CD:CE:CF\n", out_text(&o));
	free(o.buf);
}

#define SHOW_HEAD "Public Key #1 Information\n" \
		  "-------------------------\n" \
		  "Key Type             : Rollover  (Built-in)\n" \
		  "Public Key Algorithm : RSA\n" \
		  "Modulus :\n        "
#define JSON_HEAD "{\"keys\":[{\"number\":1,\"type\":\"rollover\",\"type_name\":\"Rollover\"," \
		  "\"version\":\"A\",\"location\":\"builtin\",\"algorithm\":\"RSA\"," \
		  "\"bits\":2048,\"modulus\":\""

TEST(show_keys)
{
	struct swauth_key_list list = { 0 };
	static struct swauth_key k;
	const char *t;
	struct out o;

	load(&k, CERT_A, SWAUTH_KEY_PRODUCTION, 'A', SWAUTH_KEY_F_PRIMARY | SWAUTH_KEY_F_BACKUP);
	ASSERT_EQ(0, swauth_key_list_append(&list, &k));
	load(&k, "keyrings/dev/special-B.crt", SWAUTH_KEY_SPECIAL, 'B', SWAUTH_KEY_F_PRIMARY);
	ASSERT_EQ(0, swauth_key_list_append(&list, &k));
	load(&k, "keyrings/dev/rollover.crt", SWAUTH_KEY_ROLLOVER, 'A', SWAUTH_KEY_F_BUILTIN);
	ASSERT_EQ(0, swauth_key_list_append(&list, &k));

	out_open(&o);
	key_print_show(o.f, &list);
	t = out_text(&o);
	EXPECT_EQ(0, strncmp(t, SHOW_HEAD, strlen(SHOW_HEAD))) TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(t, "Public Key #2 Information\n-------------------------\n"
				  "Key Type             : Release  (Primary)\n")) TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(t, "Key Type             : Development  (Primary)\n"));
	EXPECT_NE(NULL, strstr(t, "Public Key #4 Information\n-------------------------\n"
				  "Key Type             : Release  (Backup)\n"));
	EXPECT_EQ(NULL, strstr(t, "Public Key #5"));
	EXPECT_NE(NULL, strstr(t, "\nExponent : 65537\nKey Version          : B\n"));
	/* The last modulus line has no trailing colon. */
	EXPECT_EQ(NULL, strstr(t, ":\nExponent"));
	free(o.buf);

	out_open(&o);
	ASSERT_EQ(0, key_print_show_json(o.f, &list));
	t = out_text(&o);
	EXPECT_EQ(0, strncmp(t, JSON_HEAD, strlen(JSON_HEAD))) TH_LOG("%s", t);
	EXPECT_NE(NULL, strstr(t, "\"number\":4,\"type\":\"production\",\"type_name\":\"Release\","
				  "\"version\":\"A\",\"location\":\"backup\""));
	free(o.buf);

	/* A certificate that does not parse still lists the key. */
	list.keys[2].cert_len = 3;
	out_open(&o);
	key_print_show(o.f, &list);
	t = out_text(&o);
	EXPECT_NE(NULL, strstr(t, "Key Type             : Rollover  (Built-in)\n"
				  "Public Key Algorithm : unknown (not an X.509 certificate"));
	free(o.buf);
	swauth_key_list_free(&list);

	out_open(&o);
	key_print_show(o.f, &list);
	EXPECT_STREQ("No public keys\n", out_text(&o));
	free(o.buf);
}

TEST(key_add_special_as_the_seed)
{
	struct swauth_key_add_result res = { .version = 'B' };
	struct out o;

	out_open(&o);
	key_print_add_intro(o.f, SWAUTH_KEY_SPECIAL);
	EXPECT_TRUE(key_print_add(o.f, &res));
	EXPECT_STREQ("Validating running image...\n"
		     "Validating new special key...\n"
		     "Adding the key to Primary\n"
		     "Checking for duplicate keys\n"
		     "Writing the key...Success\n"
		     "Adding the key to Backup\n"
		     "Checking for duplicate keys\n"
		     "Writing the key...Success\n"
		     "Done!\n", out_text(&o));
	free(o.buf);
}

TEST(key_add_partial)
{
	struct swauth_key_add_result res = { .version = 'B', .primary = -EEXIST, .backup = -EIO };
	struct out o;

	out_open(&o);
	key_print_add_intro(o.f, SWAUTH_KEY_PRODUCTION);
	EXPECT_FALSE(key_print_add(o.f, &res));
	EXPECT_STREQ("Validating revocation image...\n"
		     "Validating new production key...\n"
		     "Adding the key to Primary\n"
		     "Checking for duplicate keys\n"
		     "Key already present\n"
		     "Adding the key to Backup\n"
		     "Checking for duplicate keys\n"
		     "Writing the key...Failed: Input/output error\n"
		     "Done!\n", out_text(&o));
	free(o.buf);

	res.backup = -EEXIST;
	out_open(&o);
	EXPECT_TRUE(key_print_add(o.f, &res));
	out_text(&o);
	free(o.buf);
	EXPECT_NE(NULL, strstr(key_add_hint(-EMEDIUMTYPE),
			       "a production key can only be added from a revocation image"));
	EXPECT_STREQ("the image bundles no key", key_add_hint(-ENOKEY));
	EXPECT_STREQ("no key storage configured (module parameter store_dir)",
		     key_add_hint(-EROFS));
	EXPECT_EQ(NULL, key_add_hint(-ENOMEM));
}

static void seed_keys(struct swauth_key_list *list)
{
	static struct swauth_key k;

	load(&k, NULL, SWAUTH_KEY_SPECIAL, 'A', SWAUTH_KEY_F_PRIMARY | SWAUTH_KEY_F_BACKUP);
	swauth_key_list_append(list, &k);
	load(&k, NULL, SWAUTH_KEY_SPECIAL, 'B', SWAUTH_KEY_F_PRIMARY | SWAUTH_KEY_F_BACKUP);
	swauth_key_list_append(list, &k);
	/* The same letter of another type must not be mistaken for the revoked one. */
	load(&k, NULL, SWAUTH_KEY_PRODUCTION, 'A', SWAUTH_KEY_F_PRIMARY);
	swauth_key_list_append(list, &k);
}

TEST(key_revoke_special_as_the_seed)
{
	struct swauth_key_revoke_result res = { .floor = 'B', .n_revoked = 1, .revoked = { 'A' } };
	struct swauth_key_list before = { 0 };
	struct out o;

	seed_keys(&before);
	out_open(&o);
	key_print_revoke_intro(o.f, SWAUTH_KEY_SPECIAL);
	EXPECT_TRUE(key_print_revoke(o.f, SWAUTH_KEY_SPECIAL, &before, &res, true));
	EXPECT_STREQ("Finding the new special key in the key storage\n"
		     "Validating running image...\n"
		     "Revoking keys with version less than B\n"
		     "Validating upgradable rommon...\n"
		     "Scanning the keys in Primary\n"
		     "Revoking the key with version A...Success\n"
		     "Scanning the keys in Backup\n"
		     "Revoking the key with version A...Success\n"
		     "Done!\n", out_text(&o));
	free(o.buf);
	swauth_key_list_free(&before);
}

TEST(key_revoke_partial)
{
	struct swauth_key_revoke_result res = {
		.floor = 'C', .n_revoked = 2, .revoked = { 'A', 'B' }, .backup = -ENOSPC,
	};
	struct swauth_key_list before = { 0 };
	struct out o;

	seed_keys(&before);
	before.keys[1].where = SWAUTH_KEY_F_PRIMARY;	/* B only in Primary */
	out_open(&o);
	EXPECT_FALSE(key_print_revoke(o.f, SWAUTH_KEY_SPECIAL, &before, &res, false));
	EXPECT_STREQ("Revoking keys with version less than C\n"
		     "Scanning the keys in Primary\n"
		     "Revoking the key with version A...Success\n"
		     "Revoking the key with version B...Success\n"
		     "Scanning the keys in Backup\n"
		     "Revoking the key with version A...Failed: No space left on device\n"
		     "Done!\n", out_text(&o));
	free(o.buf);

	/* Nothing below the floor in a copy. */
	res.n_revoked = 0;
	res.backup = 0;
	out_open(&o);
	EXPECT_TRUE(key_print_revoke(o.f, SWAUTH_KEY_SPECIAL, &before, &res, false));
	EXPECT_STREQ("Revoking keys with version less than C\n"
		     "Scanning the keys in Primary\n"
		     "No key with version less than C\n"
		     "Scanning the keys in Backup\n"
		     "No key with version less than C\n"
		     "Done!\n", out_text(&o));
	free(o.buf);
	swauth_key_list_free(&before);
}

static void signed_by(struct swauth_verify_result *r, uint32_t type, uint32_t version)
{
	memset(r, 0, sizeof(*r));
	r->verdict = SWAUTH_VERDICT_OK;
	r->signer_key_type = type;
	r->signer_key_version = version;
}

TEST(upgrade_status)
{
	static struct swauth_verify_result boot_res, bl_res;
	struct upgrade_image boot = { "/boot/sys.SPB", NULL, &boot_res };
	struct upgrade_image bl = { NULL, NULL, NULL };
	struct swauth_key_list keys = { 0 };
	static struct swauth_key k;
	struct upgrade_status us;
	struct out o;

	load(&k, NULL, SWAUTH_KEY_PRODUCTION, 'A', SWAUTH_KEY_F_PRIMARY | SWAUTH_KEY_F_BACKUP);
	swauth_key_list_append(&keys, &k);
	load(&k, NULL, SWAUTH_KEY_PRODUCTION, 'B', SWAUTH_KEY_F_PRIMARY);
	swauth_key_list_append(&keys, &k);
	signed_by(&boot_res, SWAUTH_KEY_PRODUCTION, 'A');

	EXPECT_FALSE(upgrade_status_eval(&us, SWAUTH_KEY_PRODUCTION, &keys, &boot, &bl));
	out_open(&o);
	upgrade_status_print(o.f, &us);
	EXPECT_STREQ("New key version                      : B\n"
		     "Key type                             : production\n"
		     "New key installed                    : OK (production key B)\n"
		     "New key in Primary storage           : OK\n"
		     "New key in Backup storage            : FAILED\n"
		     "    remedy: re-run 'swauth key add production --image <revocation image>'\n"
		     "Boot image signed with the new key   : FAILED (/boot/sys.SPB: signed with production key A)\n"
		     "    remedy: copy the new production image and point boot-image at it\n"
		     "Boot loader signed with the new key  : FAILED (no bootloader-image in swauth.conf)\n"
		     "    remedy: set bootloader-image in swauth.conf, then upgrade the boot loader: swauth upgrade bootloader FILE\n",
		     out_text(&o));
	free(o.buf);

	/* All passes. */
	keys.keys[1].where |= SWAUTH_KEY_F_BACKUP;
	signed_by(&boot_res, SWAUTH_KEY_PRODUCTION, 'B');
	signed_by(&bl_res, SWAUTH_KEY_PRODUCTION, 'B');
	bl.path = "/boot/rom.SPB";
	bl.res = &bl_res;
	EXPECT_TRUE(upgrade_status_eval(&us, SWAUTH_KEY_PRODUCTION, &keys, &boot, &bl));
	out_open(&o);
	ASSERT_EQ(0, upgrade_status_print_json(o.f, &us));
	EXPECT_STREQ("{\"type\":\"production\",\"new_version\":\"B\",\"result\":\"ok\",\"checks\":["
		     "{\"name\":\"key-installed\",\"result\":\"ok\",\"detail\":\"production key B\",\"remedy\":null},"
		     "{\"name\":\"key-in-primary\",\"result\":\"ok\",\"detail\":null,\"remedy\":null},"
		     "{\"name\":\"key-in-backup\",\"result\":\"ok\",\"detail\":null,\"remedy\":null},"
		     "{\"name\":\"boot-image\",\"result\":\"ok\",\"detail\":\"/boot/sys.SPB: signed with production key B\",\"remedy\":null},"
		     "{\"name\":\"bootloader\",\"result\":\"ok\",\"detail\":\"/boot/rom.SPB: signed with production key B\",\"remedy\":null}]}\n",
		     out_text(&o));
	free(o.buf);

	/* Special: a production-signed image is unaffected; a bad verdict fails. */
	bl_res.verdict = SWAUTH_VERDICT_BAD_DIGEST;
	EXPECT_FALSE(upgrade_status_eval(&us, SWAUTH_KEY_SPECIAL, &keys, &boot, &bl));
	EXPECT_FALSE(us.checks[0].ok);
	EXPECT_STREQ("add the new key: swauth key add special --image <production image>",
		     us.checks[0].remedy);
	load(&k, NULL, SWAUTH_KEY_SPECIAL, 'C', SWAUTH_KEY_F_PRIMARY | SWAUTH_KEY_F_BACKUP);
	swauth_key_list_append(&keys, &k);
	EXPECT_FALSE(upgrade_status_eval(&us, SWAUTH_KEY_SPECIAL, &keys, &boot, &bl));
	EXPECT_TRUE(us.checks[0].ok && us.checks[1].ok && us.checks[2].ok && us.checks[3].ok);
	EXPECT_FALSE(us.checks[4].ok);
	EXPECT_NE(NULL, strstr(us.checks[4].detail, "/boot/rom.SPB: ")) TH_LOG("%s", us.checks[4].detail);
	swauth_key_list_free(&keys);
}

TEST(events)
{
	struct swauth_event_msg e = {
		.has = SWAUTH_EVENT_HAS_KEY_TYPE | SWAUTH_EVENT_HAS_KEY_VERSION,
		.event = SWAUTH_EVENT_KEY_ADDED, .key_type = SWAUTH_KEY_PRODUCTION,
		.key_version = 'B',
	};
	struct out o;

	out_open(&o);
	event_print(o.f, &e);
	e.event = SWAUTH_EVENT_KEY_REVOKED;
	e.key_type = SWAUTH_KEY_SPECIAL;
	e.key_version = 'A';
	event_print(o.f, &e);
	e.event = SWAUTH_EVENT_FLOOR_RAISED;
	e.floor = 'B';
	e.has |= SWAUTH_EVENT_HAS_FLOOR;
	event_print(o.f, &e);
	ASSERT_EQ(0, event_print_json(o.f, &e));
	EXPECT_STREQ("key added: production B\n"
		     "key revoked: special A\n"
		     "floor raised: special B\n"
		     "{\"event\":\"floor-raised\",\"key_type\":\"special\",\"version\":\"A\",\"floor\":\"B\"}\n",
		     out_text(&o));
	free(o.buf);
}

TEST(enforce_events)
{
	struct swauth_event_msg e = {
		.event = SWAUTH_EVENT_ENFORCE, .enforce = 1,
	};
	struct out o;

	out_open(&o);
	event_print(o.f, &e);
	ASSERT_EQ(0, event_print_json(o.f, &e));
	e.event = SWAUTH_EVENT_KEXEC_REFUSED;
	e.refused = SWAUTH_REFUSED_KEXEC_KERNEL;
	e.pid = 812;
	e.uid = 1000;
	strcpy(e.comm, "kexec");
	strcpy(e.file_name, "vmlinuz \"x\"");
	e.count = 7;
	event_print(o.f, &e);
	ASSERT_EQ(0, event_print_json(o.f, &e));
	e.refused = SWAUTH_REFUSED_KEXEC_LOAD;
	e.file_name[0] = '\0';
	event_print(o.f, &e);
	ASSERT_EQ(0, event_print_json(o.f, &e));
	EXPECT_STREQ("kexec enforcement: on\n"
		     "{\"event\":\"enforce\",\"enforce\":\"on\"}\n"
		     "kexec refused: kexec_file_load kernel of vmlinuz \"x\" by pid 812 (kexec), uid 1000; 7 refused so far\n"
		     "{\"event\":\"kexec-refused\",\"refused\":\"kexec_file_load kernel\",\"file\":\"vmlinuz \\\"x\\\"\",\"pid\":812,\"uid\":1000,\"comm\":\"kexec\",\"count\":7}\n"
		     "kexec refused: kexec_load by pid 812 (kexec), uid 1000; 7 refused so far\n"
		     "{\"event\":\"kexec-refused\",\"refused\":\"kexec_load\",\"file\":null,\"pid\":812,\"uid\":1000,\"comm\":\"kexec\",\"count\":7}\n",
		     out_text(&o));
	free(o.buf);
}

TEST(status_key_storage_lines)
{
	struct swauth_status st = {
		.has = SWAUTH_STATUS_HAS_FLOOR_PRODUCTION | SWAUTH_STATUS_HAS_FLOOR_SPECIAL |
		       SWAUTH_STATUS_HAS_STORE_PRIMARY | SWAUTH_STATUS_HAS_STORE_BACKUP |
		       SWAUTH_STATUS_HAS_STORE_SEQUENCE,
		.floor_production = 'B', .store_primary = SWAUTH_STORE_OK,
		.store_backup = SWAUTH_STORE_CORRUPT, .store_sequence = 42,
	};
	const char *t;
	struct out o;

	out_open(&o);
	status_print_human(o.f, &st);
	t = out_text(&o);
	EXPECT_NE(NULL, strstr(t, "images rejected:   unknown\n"
				  "production floor:  B\n"
				  "special floor:     none\n"
				  "primary storage:   ok\n"
				  "backup storage:    CORRUPT: invalid and could not be rewritten, see swauth(8)\n"
				  "storage sequence:  42\n"
				  "boot:              unknown\n")) TH_LOG("%s", t);
	free(o.buf);
	out_open(&o);
	ASSERT_EQ(0, status_print_json(o.f, &st));
	t = out_text(&o);
	EXPECT_NE(NULL, strstr(t, ",\"floors\":{\"production\":\"B\",\"special\":null},"
				  "\"store\":{\"primary\":\"ok\",\"backup\":\"corrupt\",\"sequence\":42},"
				  "\"boot\":null}\n"))
		TH_LOG("%s", t);
	free(o.buf);
}

TEST_HARNESS_MAIN
