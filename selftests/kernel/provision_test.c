// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * SWAUTH_CMD_PROVISION_KEY: only certificates issued by a built-in
 * rollover key, named by the convention, enter the keyrings, each type
 * and version once; everything else gets its own errno and message.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

/*
 * Certificates of the largest size a key may have are dumped whole: one
 * key per message, none left out, however the reader sized its buffer.
 */
TEST_F(provision, dump_largest_certificates)
{
	struct genl_keys *keys = malloc(sizeof(*keys));
	unsigned int i, big = 0;

	ASSERT_NE(NULL, keys);
	ASSERT_EQ(0, genl_provision(CERTS "big-production-E.der", &self->ext))
		TH_LOG("%s", self->ext.msg);
	ASSERT_EQ(0, genl_provision(CERTS "big-special-E.der", &self->ext))
		TH_LOG("%s", self->ext.msg);
	ASSERT_EQ(0, genl_provision(CERTS "production-A.der", NULL));
	/*
	 * libmnl's MNL_SOCKET_BUFFER_SIZE on 4 KiB pages: a message does not
	 * fit, which the reader must learn rather than see the dump end.
	 */
	EXPECT_EQ(-ENOSPC, genl_get_keys(SWAUTH_GENL_VERSION, 4096, keys, NULL))
		TH_LOG("%u keys", keys->n);
	ASSERT_EQ(0, genl_get_keys(SWAUTH_GENL_VERSION, 0, keys, NULL));
	EXPECT_EQ(4, keys->n);
	for (i = 0; i < keys->n; i++) {
		if (keys->keys[i].version != 'E')
			continue;
		EXPECT_EQ(SWAUTH_CERT_MAX, keys->keys[i].cert_len);
		big |= 1U << keys->keys[i].type;
	}
	EXPECT_EQ(1U << SWAUTH_KEY_PRODUCTION | 1U << SWAUTH_KEY_SPECIAL, big);
	free(keys);
}

/* The sequence number of the newest kernel log record, or -1. */
static long long last_log_seq(void)
{
	long long seq = -1, s;
	char rec[8192];
	ssize_t n;
	int fd;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten while read: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (sscanf(rec, "%*d,%lld", &s) == 1)
			seq = s;
	}
	close(fd);
	return seq;
}

/*
 * A thousand malformed certificates of each kind add at most a handful
 * of kernel log lines: nothing the module hands to the X.509 parser
 * makes it log once per request.
 */
TEST_F_TIMEOUT(provision, malformed_do_not_flood_log, 300)
{
	static const char *const kinds[] = {
		"algo-mismatch.der", "bad-akid.der", "garbage.der", "truncated.der",
		"bad-akid-name.der", "bad-akid-dirname.der",
		"forged-production.der", "badsig-production-E.der", "badcn.der",
	};
	long long before, after;
	unsigned int k, i;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		char path[128];

		snprintf(path, sizeof(path), CERTS "%s", kinds[k]);
		before = last_log_seq();
		ASSERT_LE(0, before);
		for (i = 0; i < 1000; i++)
			ASSERT_GT(0, genl_provision(path, NULL)) TH_LOG("%s", path);
		after = last_log_seq();
		EXPECT_GE(10, after - before) TH_LOG("%s: %lld lines", kinds[k],
						    after - before);
	}
}

/* The parser's complaint about mismatched algorithms never runs. */
TEST_F(provision, algorithm_mismatch)
{
	EXPECT_EQ(-EBADMSG, genl_provision(CERTS "algo-mismatch.der",
					   &self->ext));
	EXPECT_STREQ("signature algorithm differs from tbsCertificate.signature",
		     self->ext.msg);
	EXPECT_EQ(-EBADMSG, genl_provision(CERTS "truncated.der", &self->ext));
	EXPECT_STREQ("not a valid X.509 certificate", self->ext.msg);
	EXPECT_EQ(-EBADMSG, genl_provision(CERTS "bad-akid.der", &self->ext));
	EXPECT_STREQ("not a valid X.509 certificate", self->ext.msg);
}

/*
 * GeneralNames in an AuthorityKeyIdentifier that are well-formed TLVs but
 * not what the parser's grammar decodes are refused before the parser,
 * quietly; the issuer name OpenSSL writes for `keyid, issuer` is not.
 */
TEST_F(provision, akid_general_names)
{
	EXPECT_EQ(-EBADMSG, genl_provision(CERTS "bad-akid-name.der",
					   &self->ext));
	EXPECT_STREQ("not a valid X.509 certificate", self->ext.msg);
	EXPECT_EQ(-EBADMSG, genl_provision(CERTS "bad-akid-dirname.der",
					   &self->ext));
	EXPECT_STREQ("not a valid X.509 certificate", self->ext.msg);
	EXPECT_EQ(0, genl_provision(CERTS "akid-issuer-production-G.der",
				    &self->ext)) TH_LOG("%s", self->ext.msg);
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
