// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/pki/autoenroll.c: swpkid's schedule (the percentage and its bounds,
 * the 3-minute minimum before expiry, no certificate or an expired one:
 * enroll now, a rollover certificate present), the plan read from a store,
 * and the state file's strict parser (each malformed line named).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "lib/pki.h"

#include "kselftest_harness.h"

#define NOW ((time_t)1765152000)	/* Dec 8 2025 00:00:00 GMT */
#define DAY 86400
#define YEAR (365 * DAY)

static struct swpki_validity valid(time_t nb, time_t na)
{
	return (struct swpki_validity){ .not_before = nb, .not_after = na };
}

/* The seeds' example: 90% of a year renews 36.5 days before expiry. */
TEST(percent_of_the_lifetime)
{
	struct swpki_validity v = valid(NOW, NOW + YEAR);

	EXPECT_EQ(NOW + YEAR - YEAR / 10, swpki_auto_renew_time(90, &v));
	EXPECT_EQ((time_t)(36.5 * DAY), v.not_after - swpki_auto_renew_time(90, &v));
	EXPECT_EQ(NOW + YEAR / 2, swpki_auto_renew_time(50, &v));
	EXPECT_EQ(NOW + YEAR / 10, swpki_auto_renew_time(10, &v));
	EXPECT_EQ(NOW + YEAR / 100 * 99, swpki_auto_renew_time(99, &v));
}

/* Outside 10..99 the bound is used: never 100% (no rollover), never under 10%. */
TEST(percent_bounds)
{
	struct swpki_validity v = valid(NOW, NOW + 1000 * DAY);

	EXPECT_EQ(swpki_auto_renew_time(10, &v), swpki_auto_renew_time(9, &v));
	EXPECT_EQ(swpki_auto_renew_time(10, &v), swpki_auto_renew_time(1, &v));
	EXPECT_EQ(swpki_auto_renew_time(99, &v), swpki_auto_renew_time(100, &v));
	EXPECT_EQ(swpki_auto_renew_time(99, &v), swpki_auto_renew_time(250, &v));
	EXPECT_GT(v.not_after, swpki_auto_renew_time(100, &v));
	EXPECT_NE(swpki_auto_renew_time(11, &v), swpki_auto_renew_time(10, &v));
}

/* The trustpoint parser refuses what the schedule clamps. */
TEST(auto_enroll_percent_parsed_within_bounds)
{
	struct swauth_error err = { 0 };
	struct swpki_trustpoint tp;

	swpki_tp_init(&tp, "TP");
	EXPECT_EQ(-ERANGE, swpki_tp_apply(&tp, "auto-enroll 9", &err));
	EXPECT_EQ(-ERANGE, swpki_tp_apply(&tp, "auto-enroll 100", &err));
	EXPECT_FALSE(tp.auto_enroll);
	ASSERT_EQ(0, swpki_tp_apply(&tp, "auto-enroll 10 regenerate", &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(10, tp.auto_enroll_percent);
	EXPECT_TRUE(tp.auto_enroll_regenerate);
	ASSERT_EQ(0, swpki_tp_apply(&tp, "auto-enroll 99", &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(99, tp.auto_enroll_percent);
}

/* At least 3 minutes between the renewal and the expiry. */
TEST(three_minutes_before_expiry_at_the_latest)
{
	struct swpki_validity ten_min = valid(NOW, NOW + 600);
	struct swpki_validity year = valid(NOW, NOW + YEAR);
	struct swpki_validity two_min = valid(NOW, NOW + 120);

	/* 99% of 10 minutes is 6 s before expiry: 3 minutes instead. */
	EXPECT_EQ(NOW + 600 - SWPKI_AUTO_MARGIN, swpki_auto_renew_time(99, &ten_min));
	EXPECT_EQ(180, SWPKI_AUTO_MARGIN);
	/* 50% of 10 minutes leaves 5: the percentage stands. */
	EXPECT_EQ(NOW + 300, swpki_auto_renew_time(50, &ten_min));
	/* No percentage: the latest point, 3 minutes before expiry. */
	EXPECT_EQ(NOW + YEAR - 180, swpki_auto_renew_time(0, &year));
	/* A lifetime under 3 minutes: due from the start. */
	EXPECT_LE(swpki_auto_renew_time(50, &two_min), NOW);
}

TEST(no_certificate_enrolls_now)
{
	bool ro = true;
	time_t at = 0;

	EXPECT_EQ(SWPKI_AUTO_ENROLL, swpki_auto_schedule(80, NULL, NULL, NOW, &at, &ro));
	EXPECT_EQ(NOW, at);
	EXPECT_FALSE(ro);
}

TEST(expired_certificate_enrolls_now)
{
	struct swpki_validity old = valid(NOW - YEAR, NOW - 1), last = valid(NOW - YEAR, NOW);
	struct swpki_validity live = valid(NOW - YEAR, NOW + 1);
	bool ro;
	time_t at = 0;

	EXPECT_EQ(SWPKI_AUTO_ENROLL, swpki_auto_schedule(80, &old, NULL, NOW, &at, &ro));
	EXPECT_EQ(NOW, at);
	/* notAfter is the first second it is no longer valid. */
	EXPECT_EQ(SWPKI_AUTO_ENROLL, swpki_auto_schedule(80, &last, NULL, NOW, &at, &ro));
	/* One second left: a renewal, due (its time is past). */
	EXPECT_EQ(SWPKI_AUTO_RENEW, swpki_auto_schedule(80, &live, NULL, NOW, &at, &ro));
	EXPECT_LT(at, NOW);
}

TEST(valid_certificate_renews_at_its_point)
{
	struct swpki_validity id = valid(NOW - DAY, NOW + 9 * DAY);
	bool ro = true;
	time_t at = 0;

	EXPECT_EQ(SWPKI_AUTO_RENEW, swpki_auto_schedule(50, &id, NULL, NOW, &at, &ro));
	EXPECT_EQ(NOW + 4 * DAY, at);
	EXPECT_FALSE(ro);
}

/* A rollover certificate is the renewal already received: it sets the time. */
TEST(rollover_certificate_present)
{
	struct swpki_validity id = valid(NOW - 9 * DAY, NOW + DAY);
	struct swpki_validity rollover = valid(NOW - DAY, NOW + 9 * DAY);
	struct swpki_validity old_rollover = valid(NOW - 20 * DAY, NOW - 10 * DAY);
	bool ro = false;
	time_t at = 0;

	EXPECT_EQ(SWPKI_AUTO_RENEW, swpki_auto_schedule(50, &id, &rollover, NOW, &at, &ro));
	EXPECT_EQ(NOW + 4 * DAY, at);
	EXPECT_TRUE(ro);
	/* Even with the identity expired: not an enrollment. */
	id = valid(NOW - 10 * DAY, NOW - 1);
	EXPECT_EQ(SWPKI_AUTO_RENEW, swpki_auto_schedule(50, &id, &rollover, NOW, &at, &ro));
	EXPECT_TRUE(ro);
	/* An expired rollover certificate counts for nothing. */
	EXPECT_EQ(SWPKI_AUTO_ENROLL, swpki_auto_schedule(50, &id, &old_rollover, NOW, &at, &ro));
	EXPECT_FALSE(ro);
	id = valid(NOW - DAY, NOW + 3 * DAY);
	EXPECT_EQ(SWPKI_AUTO_RENEW, swpki_auto_schedule(50, &id, &old_rollover, NOW, &at, &ro));
	EXPECT_EQ(NOW + DAY, at);
	EXPECT_FALSE(ro);
}

/* ---- the plan, from a store's certificates ---- */

static X509 *cert(long serial, EVP_PKEY *k, long from, long to)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"r1", -1, -1,
				   0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, name);
	X509_NAME_free(name);
	X509_gmtime_adj(X509_getm_notBefore(x), from);
	X509_gmtime_adj(X509_getm_notAfter(x), to);
	X509_set_pubkey(x, k);
	X509_sign(x, k, EVP_sha256());
	return x;
}

FIXTURE(store) {
	char dir[64];
	struct swpki_store s;
	struct swpki_trustpoint tp;
	EVP_PKEY *key;
};

FIXTURE_SETUP(store)
{
	struct swauth_error err = { 0 };

	strcpy(self->dir, "/tmp/pki_auto_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, swpki_store_open(&self->s, self->dir, true, &err)) TH_LOG("%s", err.msg);
	swpki_tp_init(&self->tp, "TP");
	ASSERT_EQ(0, swpki_tp_apply(&self->tp, "auto-enroll 50", &err)) TH_LOG("%s", err.msg);
	self->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	ASSERT_NE(NULL, self->key);
}

FIXTURE_TEARDOWN(store)
{
	char cmd[128];

	swpki_store_close(&self->s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
	EVP_PKEY_free(self->key);
}

static int add(FIXTURE_DATA(store) *self, enum swpki_cert_role role, long serial, long from,
	       long to)
{
	struct swauth_error err = { 0 };
	X509 *x = cert(serial, self->key, from, to);
	int ret = swpki_cert_add(&self->s, "TP", role, x, &err);

	if (ret)
		fprintf(stderr, "# %s\n", err.msg);
	X509_free(x);
	return ret;
}

TEST_F(store, plan_without_certificate_enrolls)
{
	struct swauth_error err = { 0 };
	struct swpki_auto_entry e;
	time_t now = time(NULL);

	ASSERT_EQ(0, swpki_auto_plan(&self->s, &self->tp, now, &e, &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("TP", e.tp);
	EXPECT_EQ(SWPKI_AUTO_ENROLL, e.action);
	EXPECT_EQ(now, e.at);
	EXPECT_EQ(0, e.attempts);
	EXPECT_EQ(SWPKI_AUTO_SCHEDULED, e.status);
	EXPECT_STREQ("", e.serial);
}

TEST_F(store, plan_renews_the_identity_and_follows_the_rollover)
{
	struct swauth_error err = { 0 };
	struct swpki_auto_entry e;
	time_t now = time(NULL);

	ASSERT_EQ(0, add(self, SWPKI_CERT_GENERAL, 0x1A2B, -DAY, 3 * DAY));
	ASSERT_EQ(0, swpki_auto_plan(&self->s, &self->tp, now, &e, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(SWPKI_AUTO_RENEW, e.action);
	EXPECT_STREQ("1A2B", e.serial);
	EXPECT_LE(labs((long)(e.at - (now + DAY))), 2);
	ASSERT_EQ(0, add(self, SWPKI_CERT_ROLLOVER, 0x3C4D, -DAY, 9 * DAY));
	ASSERT_EQ(0, swpki_auto_plan(&self->s, &self->tp, now, &e, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(SWPKI_AUTO_RENEW, e.action);
	EXPECT_STREQ("3C4D", e.serial);
	EXPECT_LE(labs((long)(e.at - (now + 4 * DAY))), 2);
}

TEST_F(store, plan_of_an_expired_certificate_enrolls)
{
	struct swauth_error err = { 0 };
	struct swpki_auto_entry e;

	ASSERT_EQ(0, add(self, SWPKI_CERT_GENERAL, 0x77, -10 * DAY, -DAY));
	ASSERT_EQ(0, swpki_auto_plan(&self->s, &self->tp, time(NULL), &e, &err));
	EXPECT_EQ(SWPKI_AUTO_ENROLL, e.action);
	EXPECT_STREQ("", e.serial);
}

/* Usage keys: the certificate that expires first decides. */
TEST_F(store, plan_of_usage_keys_takes_the_first_to_expire)
{
	struct swauth_error err = { 0 };
	struct swpki_auto_entry e;

	ASSERT_EQ(0, add(self, SWPKI_CERT_SIGN, 0x51, -DAY, 9 * DAY));
	ASSERT_EQ(0, add(self, SWPKI_CERT_ENCR, 0x52, -DAY, 5 * DAY));
	ASSERT_EQ(0, swpki_auto_plan(&self->s, &self->tp, time(NULL), &e, &err));
	EXPECT_STREQ("52", e.serial);
}

TEST_F(store, state_saved_and_loaded)
{
	struct swauth_error err = { 0 };
	struct swpki_auto_entry in[2] = {
		{ .tp = "TP", .action = SWPKI_AUTO_RENEW, .at = NOW, .attempts = 2,
		  .status = SWPKI_AUTO_RETRY, .serial = "0A1B" },
		{ .tp = "b-2.x", .action = SWPKI_AUTO_ENROLL, .at = 0, .attempts = 0,
		  .status = SWPKI_AUTO_SCHEDULED },
	}, *out;
	size_t n;

	EXPECT_EQ(-ENOENT, swpki_auto_state_load(&self->s, &out, &n, &err));
	ASSERT_EQ(0, swpki_auto_state_save(&self->s, in, 2, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, swpki_auto_state_load(&self->s, &out, &n, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(2, n);
	for (size_t i = 0; i < 2; i++) {
		EXPECT_STREQ(in[i].tp, out[i].tp);
		EXPECT_EQ(in[i].action, out[i].action);
		EXPECT_EQ(in[i].at, out[i].at);
		EXPECT_EQ(in[i].attempts, out[i].attempts);
		EXPECT_EQ(in[i].status, out[i].status);
		EXPECT_STREQ(in[i].serial, out[i].serial);
	}
	free(out);
}

/* ---- the state file's parser ---- */

static int parse(const char *text, struct swauth_error *err)
{
	struct swpki_auto_entry *v;
	size_t n;
	int ret = swpki_auto_state_parse(text, strlen(text), &v, &n, err);

	if (!ret)
		free(v);
	return ret;
}

TEST(state_round_trip)
{
	static const char text[] = "swpkid-state 1\n"
				   "tp1 renew 1765152000 0 scheduled 1A2B\n"
				   "tp2 enroll 1765152060 3 retry -\n"
				   "tp3 renew 1765152120 11 given-up 00FF\n";
	struct swauth_error err = { 0 };
	struct swpki_auto_entry *v;
	char *out;
	size_t n, len;

	ASSERT_EQ(0, swpki_auto_state_parse(text, strlen(text), &v, &n, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(3, n);
	EXPECT_STREQ("tp2", v[1].tp);
	EXPECT_EQ(SWPKI_AUTO_ENROLL, v[1].action);
	EXPECT_EQ(1765152060, v[1].at);
	EXPECT_EQ(3, v[1].attempts);
	EXPECT_EQ(SWPKI_AUTO_RETRY, v[1].status);
	EXPECT_EQ(SWPKI_AUTO_GIVEN_UP, v[2].status);
	EXPECT_STREQ("00FF", v[2].serial);
	ASSERT_EQ(0, swpki_auto_state_format(v, n, &out, &len, &err));
	EXPECT_EQ(strlen(text), len);
	EXPECT_STREQ(text, out);
	free(out);
	free(v);
	/* No trustpoint: the header alone. */
	EXPECT_EQ(0, parse("swpkid-state 1\n", &err));
}

TEST(state_malformed_named)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "", "line 1: not 'swpkid-state 1'" },
		{ "swpkid-state 2\n", "line 1: not" },
		{ "swpkid-state 1", "line 1: not" },
		{ "swpkid-state 1\ntp1 renew 1 0 scheduled 1A", "line 2: the last line has no newline" },
		{ "swpkid-state 1\ntp1 renew 1 0 scheduled\n", "line 2: expected NAME" },
		{ "swpkid-state 1\ntp1 renew 1 0 scheduled 1A x\n", "line 2: expected NAME" },
		{ "swpkid-state 1\ntp1 renew 1 0  scheduled 1A\n", "line 2: fields are separated" },
		{ "swpkid-state 1\ntp1 renew 1 0 scheduled 1A \n", "line 2: fields are separated" },
		{ "swpkid-state 1\n\n", "line 2: fields are separated" },
		{ "swpkid-state 1\ntp/1 renew 1 0 scheduled 1A\n", "line 2: not a trustpoint name" },
		{ "swpkid-state 1\ntp1 rekey 1 0 scheduled 1A\n", "line 2: the action is not" },
		{ "swpkid-state 1\ntp1 renew -1 0 scheduled 1A\n", "line 2: the time is not" },
		{ "swpkid-state 1\ntp1 renew 01 0 scheduled 1A\n", "line 2: the time is not" },
		{ "swpkid-state 1\ntp1 renew 99999999999999999999 0 scheduled 1A\n",
		  "line 2: the time is not" },
		{ "swpkid-state 1\ntp1 renew 1 1001 retry 1A\n", "line 2: the attempts are not" },
		{ "swpkid-state 1\ntp1 renew 1 0 waiting 1A\n", "line 2: the status is not" },
		{ "swpkid-state 1\ntp1 renew 1 2 scheduled 1A\n", "line 2: 'scheduled' goes with 0" },
		{ "swpkid-state 1\ntp1 renew 1 0 retry 1A\n", "line 2: 'scheduled' goes with 0" },
		{ "swpkid-state 1\ntp1 renew 1 0 given-up 1A\n", "line 2: 'scheduled' goes with 0" },
		{ "swpkid-state 1\ntp1 renew 1 0 scheduled 1a\n", "line 2: an enrollment has" },
		{ "swpkid-state 1\ntp1 renew 1 0 scheduled -\n", "line 2: an enrollment has" },
		{ "swpkid-state 1\ntp1 enroll 1 0 scheduled 1A\n", "line 2: an enrollment has" },
		{ "swpkid-state 1\ntp1 enroll 1 0 scheduled -\ntp2 enroll 1 0 scheduled -\n"
		  "tp1 renew 5 0 scheduled 1A\n", "line 4: a second line for the same trustpoint" },
	};
	struct swauth_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		EXPECT_EQ(-EBADMSG, parse(bad[i].text, &err)) TH_LOG("case %zu", i);
		EXPECT_EQ(0, strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)))
			TH_LOG("case %zu: '%s'", i, err.msg);
	}
}

/* A NUL byte inside is refused, not cut off. */
TEST(state_with_a_nul_byte)
{
	static const char nul[] = "swpkid-state 1\ntp1 enroll 1 0 scheduled -\n\0junk\n";
	struct swauth_error err = { 0 };
	struct swpki_auto_entry *v;
	size_t n;

	EXPECT_EQ(-EBADMSG, swpki_auto_state_parse(nul, sizeof(nul) - 1, &v, &n, &err));
	EXPECT_STREQ("a NUL byte in the file", err.msg);
}

TEST_HARNESS_MAIN
