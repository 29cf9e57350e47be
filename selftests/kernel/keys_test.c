// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Key management with key storage: KEY_ADD and KEY_REVOKE follow the
 * seeds' rules (which image may add or revoke which key), floors only
 * rise and keep revoked keys out for good, and the state survives a
 * reload of the module from its two copies, even when one is damaged.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "genl.h"
#include "kselftest_harness.h"

#define IMG "build/tests/images/"
#define CERTS IMG "certs/"

FIXTURE(keys) {
	char dir[64];
	char params[128];
	struct genl_change c;
	struct genl_ext ext;
	struct genl_status s;
};

/* SWAUTH_CMD_STORE_INIT: creates key storage where there is none. */
static int store_init(struct genl_ext *ext)
{
	return genl_request(SWAUTH_CMD_STORE_INIT, SWAUTH_GENL_VERSION, NULL,
			    NULL, ext);
}

/* A fresh store with the factory keys: production A and special A. */
FIXTURE_SETUP(keys)
{
	strcpy(self->dir, "/tmp/swauth-store-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->params, sizeof(self->params), "store_dir=%s", self->dir);
	ASSERT_EQ(0, module_reload(self->params));
	ASSERT_EQ(0, store_init(NULL));
	ASSERT_EQ(0, genl_provision(CERTS "production-A.der", NULL));
	ASSERT_EQ(0, genl_provision(CERTS "special-A.der", NULL));
}

FIXTURE_TEARDOWN(keys)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	system(cmd);
}

/* Flips one byte of a store copy, in place. */
static int damage(const char *dir, const char *copy, long offset)
{
	char path[128];
	unsigned char b;
	int fd, ret = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, copy);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	if (pread(fd, &b, 1, offset) == 1) {
		b ^= 0x01;
		ret = pwrite(fd, &b, 1, offset) == 1 ? 0 : -errno;
	}
	close(fd);
	return ret;
}

TEST_F(keys, storage_state)
{
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ(SWAUTH_MODE_KEY_MANAGEMENT, self->s.mode);
	EXPECT_EQ(SWAUTH_STORE_OK, self->s.store_primary);
	EXPECT_EQ(SWAUTH_STORE_OK, self->s.store_backup);
	EXPECT_LT(0, self->s.store_sequence);
	EXPECT_EQ(1, self->s.keys_production);
	EXPECT_EQ(1, self->s.keys_special);
}

/* A production image adds the special key it bundles, to both copies. */
TEST_F(keys, add_special_from_production_image)
{
	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				  &self->c, NULL));
	EXPECT_EQ('B', self->c.version);
	EXPECT_EQ(0, self->c.primary);
	EXPECT_EQ(0, self->c.backup);
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ(2, self->s.keys_special);

	/* Again: both copies hold it already; nothing is written. */
	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				  &self->c, NULL));
	EXPECT_EQ(-EEXIST, self->c.primary);
	EXPECT_EQ(-EEXIST, self->c.backup);
}

/* A revocation image, signed by rollover, adds a production key. */
TEST_F(keys, add_production_from_revocation_image)
{
	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_PRODUCTION, IMG "ok-revocation.SRA",
				  &self->c, NULL));
	EXPECT_EQ('B', self->c.version);
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ(2, self->s.keys_production);
}

/* The seeds' rules: which image type may add which key type. */
TEST_F(keys, add_rules)
{
	EXPECT_EQ(-EMEDIUMTYPE, genl_key_add(SWAUTH_KEY_PRODUCTION,
					     IMG "prod-A-special-B.SPA",
					     &self->c, &self->ext));
	EXPECT_STREQ("a production key is added only from a revocation image",
		     self->ext.msg);
	/* A special image (special B, trusted) can add no key. */
	ASSERT_EQ(0, genl_provision(CERTS "special-B.der", NULL));
	EXPECT_EQ(-EMEDIUMTYPE, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "ok-special.SSB",
					     &self->c, &self->ext));
	EXPECT_STREQ("a special key is added only from a production image",
		     self->ext.msg);
	EXPECT_EQ(-EMEDIUMTYPE, genl_key_add(SWAUTH_KEY_SPECIAL,
					     IMG "ok-revocation.SRA",
					     &self->c, NULL));
	/* A revocation image signed by a production key does not verify. */
	EXPECT_EQ(-EKEYREJECTED, genl_key_add(SWAUTH_KEY_PRODUCTION,
					      IMG "revocation-by-production.img",
					      &self->c, &self->ext));
	EXPECT_STREQ("the image does not verify", self->ext.msg);
	EXPECT_EQ(-ENOKEY, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "ok-sha256.SPA",
					&self->c, &self->ext));
	EXPECT_STREQ("the image bundles no key", self->ext.msg);
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ(1, self->s.keys_production);
	EXPECT_EQ(2, self->s.keys_special);
}

/*
 * The seeds' special-key revocation: floor B, A revoked, and A refused
 * from then on; the old special boot loader no longer verifies.
 */
TEST_F(keys, revoke_special)
{
	struct genl_verify v;
	int fd;

	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				  &self->c, NULL));
	ASSERT_EQ(0, genl_key_revoke(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				     IMG "bl-special-B.SSB", 0, &self->c,
				     &self->ext)) TH_LOG("%s", self->ext.msg);
	EXPECT_EQ('B', self->c.version);
	EXPECT_EQ(1, self->c.nrevoked);
	EXPECT_EQ('A', self->c.revoked[0]);
	EXPECT_EQ(0, self->c.primary);
	EXPECT_EQ(0, self->c.backup);
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ('B', self->s.floor_special);
	EXPECT_EQ(1, self->s.keys_special);

	/* Refused by the keyring's deny list, before the floor is asked. */
	EXPECT_EQ(-EKEYREVOKED, genl_provision(CERTS "special-A.der", &self->ext));
	EXPECT_STREQ("key revoked: on the deny list", self->ext.msg);
	fd = open(IMG "bl-special-A.SSA", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, genl_verify(fd, &v, NULL));
	close(fd);
	EXPECT_EQ(SWAUTH_VERDICT_UNKNOWN_KEY, v.verdict);
}

/* Not while the boot loader is signed by the key to revoke, unless forced. */
TEST_F(keys, revoke_refused_for_old_bootloader)
{
	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				  &self->c, NULL));
	EXPECT_EQ(-EKEYREVOKED, genl_key_revoke(SWAUTH_KEY_SPECIAL,
						IMG "prod-A-special-B.SPA",
						IMG "bl-special-A.SSA", 0,
						&self->c, &self->ext));
	EXPECT_STREQ("the boot loader is signed by a key below the new floor",
		     self->ext.msg);
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ(0, self->s.floor_special);
	EXPECT_EQ(0, genl_key_revoke(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				     IMG "bl-special-A.SSA", SWAUTH_REVOKE_F_FORCE,
				     &self->c, NULL));
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ('B', self->s.floor_special);
}

/*
 * Production revocation runs from an image signed by the new key: from
 * one signed by the old key it is refused.
 */
TEST_F(keys, revoke_production)
{
	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_PRODUCTION, IMG "ok-revocation.SRA",
				  &self->c, NULL));
	EXPECT_EQ(-EKEYREVOKED, genl_key_revoke(SWAUTH_KEY_PRODUCTION,
						IMG "ok-sha256.SPA", NULL, 0,
						&self->c, &self->ext));
	EXPECT_STREQ("the running image is signed by a key below the new floor",
		     self->ext.msg);
	ASSERT_EQ(0, genl_key_revoke(SWAUTH_KEY_PRODUCTION, IMG "prod-B.SPB",
				     NULL, 0, &self->c, NULL));
	EXPECT_EQ('B', self->c.version);
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ('B', self->s.floor_production);
	EXPECT_EQ(1, self->s.keys_production);
}

TEST_F(keys, revoke_errors)
{
	/* Only one special key: nothing older to revoke. */
	EXPECT_EQ(-ENOKEY, genl_key_revoke(SWAUTH_KEY_SPECIAL, IMG "ok-sha256.SPA",
					   NULL, 0, &self->c, NULL));
	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				  &self->c, NULL));
	/* Keys are revoked from a production image, never a special one. */
	EXPECT_EQ(-EMEDIUMTYPE, genl_key_revoke(SWAUTH_KEY_SPECIAL,
						IMG "ok-special.SSB", NULL, 0,
						&self->c, &self->ext));
	EXPECT_STREQ("keys are revoked only from a production image",
		     self->ext.msg);
	/* A boot loader file must be a boot loader image. */
	EXPECT_EQ(-EMEDIUMTYPE, genl_key_revoke(SWAUTH_KEY_SPECIAL,
						IMG "ok-sha256.SPA",
						IMG "ok-sha256.SPA", 0,
						&self->c, NULL));
	/* A running image that does not verify. */
	EXPECT_EQ(-EKEYREJECTED, genl_key_revoke(SWAUTH_KEY_SPECIAL,
						 IMG "flip-payload.img", NULL, 0,
						 &self->c, NULL));
	/* An unknown flag. */
	EXPECT_EQ(-EINVAL, genl_key_revoke(SWAUTH_KEY_SPECIAL, IMG "ok-sha256.SPA",
					   NULL, 2, &self->c, NULL));
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ(0, self->s.floor_special);
	EXPECT_EQ(2, self->s.keys_special);
}

TEST_F(keys, unprivileged)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct genl_change c;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				 &c, NULL) != -EPERM)
			_exit(11);
		_exit(genl_key_revoke(SWAUTH_KEY_SPECIAL, IMG "ok-sha256.SPA",
				      NULL, 0, &c, NULL) == -EPERM ? 0 : 12);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* The state comes back after a reload: keys and floors. */
TEST_F(keys, persists_across_reload)
{
	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				  &self->c, NULL));
	ASSERT_EQ(0, genl_key_revoke(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				     NULL, 0, &self->c, NULL));
	ASSERT_EQ(0, module_reload(self->params));
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ('B', self->s.floor_special);
	EXPECT_EQ(1, self->s.keys_production);
	EXPECT_EQ(1, self->s.keys_special);
	EXPECT_EQ(SWAUTH_STORE_OK, self->s.store_primary);
	EXPECT_EQ(SWAUTH_STORE_OK, self->s.store_backup);
	/* A fresh module has no deny list: the stored floor refuses it. */
	EXPECT_EQ(-EKEYREVOKED, genl_provision(CERTS "special-A.der", &self->ext));
	EXPECT_STREQ("key version is below its type's floor: revoked",
		     self->ext.msg);
}

/* One damaged copy: the other wins and the damaged one is repaired. */
TEST_F(keys, one_copy_damaged)
{
	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				  &self->c, NULL));
	ASSERT_EQ(0, damage(self->dir, "keystore.primary", 100));
	ASSERT_EQ(0, module_reload(self->params));
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ(SWAUTH_STORE_REPAIRED, self->s.store_primary);
	EXPECT_EQ(SWAUTH_STORE_OK, self->s.store_backup);
	EXPECT_EQ(2, self->s.keys_special);
	/* Repaired for real: the next load finds both copies good. */
	ASSERT_EQ(0, module_reload(self->params));
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ(SWAUTH_STORE_OK, self->s.store_primary);
}

/*
 * Both bodies damaged: the module starts from its built-in keys, but the
 * floors the intact headers prove stay.
 */
TEST_F(keys, both_bodies_damaged_floors_kept)
{
	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				  &self->c, NULL));
	ASSERT_EQ(0, genl_key_revoke(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				     NULL, 0, &self->c, NULL));
	ASSERT_EQ(0, damage(self->dir, "keystore.primary", 100));
	ASSERT_EQ(0, damage(self->dir, "keystore.backup", 100));
	ASSERT_EQ(0, module_reload(self->params));
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ('B', self->s.floor_special);
	EXPECT_EQ(0, self->s.keys_special);
	EXPECT_EQ(SWAUTH_STORE_RECOVERED, self->s.store_primary);
	EXPECT_EQ(SWAUTH_STORE_RECOVERED, self->s.store_backup);
	EXPECT_EQ(-EKEYREVOKED, genl_provision(CERTS "special-A.der", NULL));
}

/* A truncated copy, and one from a future format, are repaired too. */
TEST_F(keys, truncated_and_future_format)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/keystore.backup", self->dir);
	ASSERT_EQ(0, truncate(path, 70));
	ASSERT_EQ(0, module_reload(self->params));
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ(SWAUTH_STORE_REPAIRED, self->s.store_backup);
	EXPECT_EQ(1, self->s.keys_special);

	ASSERT_EQ(0, damage(self->dir, "keystore.primary", 8));
	ASSERT_EQ(0, module_reload(self->params));
	ASSERT_EQ(0, genl_get_status(&self->s));
	EXPECT_EQ(SWAUTH_STORE_REPAIRED, self->s.store_primary);
	EXPECT_EQ(1, self->s.keys_production);
}

/*
 * Disk full: the Primary write fails, Backup is left alone, and the
 * module comes back from Backup with the state before the change.
 */
TEST(disk_full)
{
	const char *dir = "/tmp/swauth-small";
	struct genl_change c;
	struct genl_status s;

	mkdir(dir, 0700);
	/* Two one-page copies and one page free. */
	ASSERT_EQ(0, mount("tmpfs", dir, "tmpfs", 0, "size=12k"));
	ASSERT_EQ(0, module_reload("store_dir=/tmp/swauth-small"));
	ASSERT_EQ(0, store_init(NULL));
	ASSERT_EQ(0, genl_provision(CERTS "production-A.der", NULL));
	ASSERT_EQ(0, genl_provision(CERTS "production-B.der", NULL));
	ASSERT_EQ(0, genl_provision(CERTS "special-A.der", NULL));
	ASSERT_EQ(0, genl_provision(CERTS "special-B.der", NULL));
	system("dd if=/dev/zero of=/tmp/swauth-small/fill bs=4096 2>/dev/null");

	/* The 4096-bit special key C makes a copy outgrow its page. */
	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-C.SPA",
				  &c, NULL));
	EXPECT_EQ(-ENOSPC, c.primary);
	EXPECT_EQ(-ECANCELED, c.backup);
	ASSERT_EQ(0, genl_get_status(&s));
	EXPECT_EQ(SWAUTH_STORE_CORRUPT, s.store_primary);
	EXPECT_EQ(SWAUTH_STORE_OK, s.store_backup);

	/* Nothing lost: Backup still has the state before the change. */
	ASSERT_EQ(0, module_reload("store_dir=/tmp/swauth-small"));
	ASSERT_EQ(0, genl_get_status(&s));
	EXPECT_EQ(2, s.keys_production);
	EXPECT_EQ(2, s.keys_special);
	EXPECT_EQ(SWAUTH_STORE_OK, s.store_backup);
	module_unload();
	EXPECT_EQ(0, umount(dir));
}

/* Without key storage nothing can change keys. */
TEST(no_storage)
{
	struct genl_change c;

	ASSERT_EQ(0, module_reload(""));
	EXPECT_EQ(-EROFS, genl_key_add(SWAUTH_KEY_SPECIAL,
				       IMG "prod-A-special-B.SPA", &c, NULL));
	EXPECT_EQ(-EROFS, genl_key_revoke(SWAUTH_KEY_SPECIAL, IMG "ok-sha256.SPA",
					  NULL, 0, &c, NULL));
}

TEST_HARNESS_MAIN
