// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/reload.c: the seeds' reload times ("in MMM", "in HHH:MM",
 * "at HH:MM [MON DAY]"), how they are printed, and the reload records.
 * Times are UTC (TZ is set), "now" is fixed: Wed Jun 5 17:05:00 1996, the
 * seeds' example.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/boot.h"

#include "kselftest_harness.h"

/* 1996-06-05 17:05:00 UTC, a Wednesday. */
#define NOW ((time_t)833994300)

static int when_of(const char *words, time_t *when, int *used, char *msg)
{
	char buf[256], *argv[16], *save = NULL, *w;
	struct swauth_error err;
	int argc = 0, ret;

	snprintf(buf, sizeof(buf), "%s", words);
	for (w = strtok_r(buf, " ", &save); w && argc < 16; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	swauth_error_clear(&err);
	ret = swauth_reload_parse_when(argc, argv, NOW, when, used, &err);
	snprintf(msg, SWAUTH_ERROR_MSG_LEN, "%s", ret ? err.msg : "");
	return ret;
}

FIXTURE(utc) {
	char msg[SWAUTH_ERROR_MSG_LEN];
};

FIXTURE_SETUP(utc)
{
	setenv("TZ", "UTC", 1);
	tzset();
}

FIXTURE_TEARDOWN(utc)
{
}

/* The seeds' two examples, word for word. */
TEST_F(utc, seeds_examples)
{
	char at[96], in[96];
	time_t when;
	int used;

	ASSERT_EQ(0, when_of("at 19:30", &when, &used, self->msg));
	EXPECT_EQ(2, used);
	swauth_reload_format_time(when, at, sizeof(at));
	swauth_reload_format_in(NOW, when, in, sizeof(in));
	EXPECT_STREQ("19:30:00 UTC Wed Jun 5 1996", at);
	EXPECT_STREQ("2 hours and 25 minutes", in);

	ASSERT_EQ(0, when_of("at 02:00 jun 20", &when, &used, self->msg));
	EXPECT_EQ(4, used);
	swauth_reload_format_time(when, at, sizeof(at));
	swauth_reload_format_in(NOW, when, in, sizeof(in));
	EXPECT_STREQ("02:00:00 UTC Thu Jun 20 1996", at);
	EXPECT_STREQ("344 hours and 55 minutes", in);
}

TEST_F(utc, in_minutes_and_hours)
{
	char in[96];
	time_t when;
	int used;

	ASSERT_EQ(0, when_of("in 10", &when, &used, self->msg));
	EXPECT_EQ(NOW + 600, when);
	swauth_reload_format_in(NOW, when, in, sizeof(in));
	EXPECT_STREQ("10 minutes", in);
	ASSERT_EQ(0, when_of("in 1", &when, &used, self->msg));
	swauth_reload_format_in(NOW, when, in, sizeof(in));
	EXPECT_STREQ("1 minute", in);
	ASSERT_EQ(0, when_of("in 1:00 text after", &when, &used, self->msg));
	EXPECT_EQ(2, used);
	swauth_reload_format_in(NOW, when, in, sizeof(in));
	EXPECT_STREQ("1 hour", in);
	ASSERT_EQ(0, when_of("in 125:01", &when, &used, self->msg));
	EXPECT_EQ(NOW + (125 * 60 + 1) * 60, when);
	swauth_reload_format_in(NOW, when, in, sizeof(in));
	EXPECT_STREQ("125 hours and 1 minute", in);
}

/* A time of day already past is tomorrow; a date past is an error. */
TEST_F(utc, at_past_and_dates)
{
	char at[96];
	time_t when;
	int used;

	ASSERT_EQ(0, when_of("at 17:05", &when, &used, self->msg));
	swauth_reload_format_time(when, at, sizeof(at));
	EXPECT_STREQ("17:05:00 UTC Thu Jun 6 1996", at);
	ASSERT_EQ(0, when_of("at 9:00 20 June reason words", &when, &used, self->msg));
	EXPECT_EQ(4, used);
	swauth_reload_format_time(when, at, sizeof(at));
	EXPECT_STREQ("09:00:00 UTC Thu Jun 20 1996", at);

	EXPECT_EQ(-EINVAL, when_of("at 10:00 jun 1", &when, &used, self->msg));
	EXPECT_STREQ("10:00 on jun 1 is in the past", self->msg);
	EXPECT_EQ(-EINVAL, when_of("at 17:04 jun 5", &when, &used, self->msg));
	EXPECT_EQ(-ERANGE, when_of("at 10:00 jul 1", &when, &used, self->msg));
	EXPECT_STREQ("10:00 on jul 1 is more than 24 days away (576 hours at most)", self->msg);
	EXPECT_EQ(-EINVAL, when_of("at 10:00 feb 30", &when, &used, self->msg));
	EXPECT_STREQ("'at 10:00': feb 30 is not a date", self->msg);
}

TEST_F(utc, malformed)
{
	static const struct {
		const char *words, *msg;
	} cases[] = {
		{ "in", "'in' needs a time (MMM or HHH:MM)" },
		{ "at", "'at' needs a time (HH:MM [MON DAY])" },
		{ "in 0", "'in 0': the delay must be at least a minute" },
		{ "in 0:00", "'in 0:00': the delay must be at least a minute" },
		{ "in -5", "'in -5': give minutes (MMM) or hours and minutes (HHH:MM)" },
		{ "in 5m", "'in 5m': give minutes (MMM) or hours and minutes (HHH:MM)" },
		{ "in 1:5", "'in 1:5': give minutes (MMM) or hours and minutes (HHH:MM)" },
		{ "in 1:60", "'in 1:60': give minutes (MMM) or hours and minutes (HHH:MM)" },
		{ "in 1000:00", "'in 1000:00': give minutes (MMM) or hours and minutes (HHH:MM)" },
		{ "in 577:00", "the reload time is more than 24 days away (576 hours at most)" },
		{ "in 34561", "the reload time is more than 24 days away (576 hours at most)" },
		{ "at 24:00", "'at 24:00': give the time as HH:MM (00:00 to 23:59)" },
		{ "at 7", "'at 7': give the time as HH:MM (00:00 to 23:59)" },
		{ "at 07:5", "'at 07:5': give the time as HH:MM (00:00 to 23:59)" },
		{ "at 123:00", "'at 123:00': give the time as HH:MM (00:00 to 23:59)" },
		{ "at 10:00 jun", "'at 10:00 jun': the day is missing" },
		{ "at 10:00 jun x", "'at 10:00 jun x': the day must be a number" },
		{ "at 10:00 20", "'at 10:00 20': give the date as MON DAY or DAY MON" },
		{ "at 10:00 20 ju", "'at 10:00 20': give the date as MON DAY or DAY MON" },
		{ "soon", "expected 'in' or 'at'" },
	};
	time_t when;
	size_t i;
	int used;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_NE(0, when_of(cases[i].words, &when, &used, self->msg));
		EXPECT_STREQ(cases[i].msg, self->msg) {
			TH_LOG("for '%s'", cases[i].words);
		}
	}
}

TEST(record_round_trip)
{
	struct swauth_reload_record r, back;
	struct swauth_error err;
	char text[8192];

	memset(&r, 0, sizeof(r));
	strcpy(r.id, "0123456789abcdef0123456789abcdef");
	r.kind = SWAUTH_RELOAD_WARM;
	r.time = 833994300;
	r.pid = 4242;
	strcpy(r.boot_id, "577ec55e-9521-434f-b485-63b076c25490");
	strcpy(r.image, "/var/lib/swauth/flash/v2.SPA");
	strcpy(r.name, "flash:v2.SPA");
	strcpy(r.digest, "ab12");
	strcpy(r.key, "production B");
	strcpy(r.reason, "planned upgrade: v2 # not a comment");
	ASSERT_EQ(0, swauth_reload_record_format(&r, text, sizeof(text)));
	EXPECT_STREQ("id 0123456789abcdef0123456789abcdef\nkind warm\ntime 833994300\npid 4242\n"
		     "boot-id 577ec55e-9521-434f-b485-63b076c25490\n"
		     "image /var/lib/swauth/flash/v2.SPA\nname flash:v2.SPA\ndigest ab12\n"
		     "key production B\nreason planned upgrade: v2 # not a comment\n", text);
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_reload_record_parse(text, "reload", &back, &err));
	EXPECT_EQ(0, memcmp(&r, &back, sizeof(r)));

	strcpy(r.reason, "two\nlines");
	EXPECT_EQ(-EINVAL, swauth_reload_record_format(&r, text, sizeof(text)));
	EXPECT_EQ(-ENOSPC, swauth_reload_record_format(&back, text, 40));
}

/*
 * A warm reload's command line: the base without its swauth.reload= words,
 * retain_initrd once, then the new id.
 */
TEST(warm_cmdline)
{
	static const struct {
		const char *base, *want;
	} cases[] = {
		{ "", "retain_initrd swauth.reload=42" },
		{ "console=ttyS0 quiet", "console=ttyS0 quiet retain_initrd swauth.reload=42" },
		{ "  console=ttyS0   swauth.reload=0123 quiet ",
		  "console=ttyS0 quiet retain_initrd swauth.reload=42" },
		{ "retain_initrd console=ttyS0 swauth.reload=0123",
		  "retain_initrd console=ttyS0 swauth.reload=42" },
		{ "console=ttyS0 retain_initrd", "console=ttyS0 retain_initrd swauth.reload=42" },
		{ "retain_initrd=1 xretain_initrd",
		  "retain_initrd=1 xretain_initrd retain_initrd swauth.reload=42" },
		/* The boot loader's word names a pair of boot-dir, not the new kernel. */
		{ "BOOT_IMAGE=/vmlinuz swauth.entry=previous quiet",
		  "BOOT_IMAGE=/vmlinuz quiet retain_initrd swauth.reload=42" },
	};
	char out[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_EQ(0, swauth_reload_warm_cmdline(cases[i].base, "42", out, sizeof(out)));
		EXPECT_STREQ(cases[i].want, out) TH_LOG("for '%s'", cases[i].base);
	}
	/* Exactly the size it needs, then one byte less. */
	ASSERT_EQ(0, swauth_reload_warm_cmdline("quiet", "42", out,
						sizeof("quiet retain_initrd swauth.reload=42")));
	EXPECT_EQ(-E2BIG, swauth_reload_warm_cmdline("quiet", "42", out,
						     sizeof("quiet retain_initrd swauth.reload=42") - 1));
	EXPECT_EQ(-E2BIG, swauth_reload_warm_cmdline("console=ttyS0", "42", out, 8));
}

TEST(record_malformed)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "", "reload: 'id' is missing" },
		{ "id x\nkind cold\n", "reload: 'time' is missing" },
		{ "id x\nkind cold\ntime 1", "reload:3: the last line is cut off" },
		{ "id x\nkind lukewarm\ntime 1\n", "reload:2: kind is 'cold' or 'warm', not 'lukewarm'" },
		{ "id x\nkind cold\ntime -1\n", "reload:3: bad time '-1'" },
		{ "id x\nkind cold\ntime 12x\n", "reload:3: bad time '12x'" },
		{ "id x\nkind cold\ntime 1\npid 1\n", "reload:4: bad pid '1'" },
		{ "id x\nid y\n", "reload:2: 'id' is given twice" },
		{ "id x\nwhen 5\n", "reload:2: unknown keyword 'when'" },
		{ "id\n", "reload:1: expected 'keyword value'" },
		{ "id \n", "reload:1: expected 'keyword value'" },
	};
	struct swauth_reload_record r;
	struct swauth_error err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		swauth_error_clear(&err);
		EXPECT_EQ(-EINVAL, swauth_reload_record_parse(cases[i].text, "reload", &r, &err));
		EXPECT_STREQ(cases[i].msg, err.msg) {
			TH_LOG("for '%s'", cases[i].text);
		}
	}
}

TEST_HARNESS_MAIN
