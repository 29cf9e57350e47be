// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * SWAUTH_CMD_PROVISION_KEY: only certificates issued by a built-in
 * rollover key, named by the convention, enter the keyrings, each type
 * and version once; everything else gets its own errno and message.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <keyutils.h>

#include "genl.h"
#include "kselftest_harness.h"

#define CERTS "build/tests/images/certs/"

FIXTURE(provision) {
	struct genl_ext ext;
};

/* A fresh module for every test: provisioned keys live until unload. */
FIXTURE_SETUP(provision)
{
	int ret;

	ret = module_unload();
	ASSERT_TRUE(ret == 0 || ret == -ENOENT);
	ASSERT_EQ(0, module_ensure_loaded());
}

FIXTURE_TEARDOWN(provision)
{
}

TEST_F(provision, production_and_special)
{
	struct genl_status s;

	ASSERT_EQ(0, genl_provision(CERTS "production-A.der", NULL));
	ASSERT_EQ(0, genl_provision(CERTS "production-B.der", NULL));
	ASSERT_EQ(0, genl_provision(CERTS "special-A.der", NULL));
	ASSERT_EQ(0, genl_provision(CERTS "special-C.der", NULL));
	ASSERT_EQ(0, genl_get_status(&s));
	EXPECT_EQ(1, s.keys_rollover);
	EXPECT_EQ(2, s.keys_production);
	EXPECT_EQ(2, s.keys_special);
}

/* keyctl shows each key's type and version in its description. */
TEST_F(provision, described_in_keyring)
{
	FILE *f;
	char line[512];
	int found = 0;

	ASSERT_EQ(0, genl_provision(CERTS "production-B.der", NULL));
	f = fopen("/proc/keys", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " asymmetri swauth production key B: "))
			found++;
	fclose(f);
	EXPECT_EQ(1, found);
}

TEST_F(provision, duplicate)
{
	ASSERT_EQ(0, genl_provision(CERTS "production-A.der", NULL));
	EXPECT_EQ(-EEXIST, genl_provision(CERTS "production-A.der", &self->ext));
	EXPECT_STREQ("a key of this type and version is present", self->ext.msg);
}

/* Issued by a rollover key that is not built in. */
TEST_F(provision, forged_issuer)
{
	EXPECT_EQ(-ENOKEY, genl_provision(CERTS "forged-production.der",
					  &self->ext));
	EXPECT_STREQ("certificate not issued by a rollover key", self->ext.msg);
}

/* The right issuer named, but the signature does not verify. */
TEST_F(provision, bad_signature)
{
	EXPECT_EQ(-EKEYREJECTED, genl_provision(CERTS "badsig-production-E.der",
						&self->ext));
	EXPECT_STREQ("certificate signature does not verify", self->ext.msg);
}

TEST_F(provision, not_a_certificate)
{
	EXPECT_EQ(-EBADMSG, genl_provision(CERTS "garbage.der", &self->ext));
	EXPECT_STREQ("not a valid X.509 certificate", self->ext.msg);
}

/* Issued by rollover, but the subject does not say what key it is. */
TEST_F(provision, bad_subject)
{
	EXPECT_EQ(-EINVAL, genl_provision(CERTS "badcn.der", &self->ext));
	EXPECT_STREQ("subject is not \"swauth production|special key <A-Z>\"",
		     self->ext.msg);
}

/* A rollover certificate is not provisioned: rollover keys are built in. */
TEST_F(provision, rollover_refused)
{
	EXPECT_EQ(-EINVAL, genl_provision(CERTS "rollover.der", NULL));
}

/* None of the refusals left a key behind. */
TEST_F(provision, refusals_leave_nothing)
{
	struct genl_status s;

	genl_provision(CERTS "forged-production.der", NULL);
	genl_provision(CERTS "badsig-production-E.der", NULL);
	genl_provision(CERTS "badcn.der", NULL);
	genl_provision(CERTS "garbage.der", NULL);
	ASSERT_EQ(0, genl_get_status(&s));
	EXPECT_EQ(0, s.keys_production);
	EXPECT_EQ(0, s.keys_special);
}

TEST_F(provision, unprivileged)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(10);
		_exit(genl_provision(CERTS "production-A.der", NULL) == -EPERM ?
		      0 : 11);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
