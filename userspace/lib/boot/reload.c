// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Reload times and records; see lib/reload.h. Times are local time (TZ),
 * as the seeds print them: "19:30:00 UTC Wed Jun 5 1996".
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/boot.h"

/* "7", "123": minutes; at most @max_digits digits, no sign, no blank. */
static bool parse_uint(const char *s, size_t min_digits, size_t max_digits, long *out)
{
	size_t n = strspn(s, "0123456789");

	if (n < min_digits || n > max_digits || s[n])
		return false;
	*out = strtol(s, NULL, 10);
	return true;
}

/* "HH:MM" with HH of 1 to @hour_digits digits; false when malformed. */
static bool parse_clock(const char *s, size_t hour_digits, long *h, long *m)
{
	char hours[8];
	const char *colon = strchr(s, ':');
	size_t n;

	if (!colon)
		return false;
	n = (size_t)(colon - s);
	if (n < 1 || n > hour_digits || n >= sizeof(hours))
		return false;
	memcpy(hours, s, n);
	hours[n] = '\0';
	return parse_uint(hours, 1, hour_digits, h) && parse_uint(colon + 1, 2, 2, m) &&
	       *m < 60;
}

/* A month's name or its first three letters or more; -1 when it is none. */
static int parse_month(const char *s)
{
	static const char *const months[] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december",
	};
	size_t n = strlen(s);
	int i;

	if (n < 3)
		return -1;
	for (i = 0; i < 12; i++)
		if (n <= strlen(months[i]) && !strncasecmp(s, months[i], n))
			return i;
	return -1;
}

static int check_ahead(time_t now, time_t when, const char *what, struct swauth_error *err)
{
	if (when <= now)
		return swauth_error_set(err, -EINVAL, "%s is in the past", what);
	if (when - now > SWAUTH_RELOAD_MAX_AHEAD)
		return swauth_error_set(err, -ERANGE,
					"%s is more than 24 days away (576 hours at most)", what);
	return 0;
}

static int parse_in(const char *arg, time_t now, time_t *when, struct swauth_error *err)
{
	long h = 0, m;

	if (!parse_clock(arg, 3, &h, &m) && !parse_uint(arg, 1, 5, &m))
		return swauth_error_set(err, -EINVAL,
					"'in %s': give minutes (MMM) or hours and minutes (HHH:MM)",
					arg);
	if (h * 60 + m == 0)
		return swauth_error_set(err, -EINVAL, "'in %s': the delay must be at least a minute",
					arg);
	*when = now + (time_t)(h * 60 + m) * 60;
	return check_ahead(now, *when, "the reload time", err);
}

static int parse_at(int argc, char *const argv[], time_t now, time_t *when, int *used,
		    struct swauth_error *err)
{
	const char *clock = argv[1], *mon = NULL;
	int month = -1;
	long h, m, day = 0;
	struct tm tm;
	char what[64];

	if (!parse_clock(clock, 2, &h, &m) || h > 23)
		return swauth_error_set(err, -EINVAL, "'at %s': give the time as HH:MM (00:00 to 23:59)",
					clock);
	*used = 2;
	/* "at HH:MM MON DAY" or "at HH:MM DAY MON"; anything else is the text. */
	if (argc >= 4 && parse_month(argv[2]) >= 0) {
		mon = argv[2];
		month = parse_month(mon);
		if (!parse_uint(argv[3], 1, 2, &day))
			return swauth_error_set(err, -EINVAL, "'at %s %s %s': the day must be a number",
						clock, argv[2], argv[3]);
		*used = 4;
	} else if (argc >= 3 && parse_uint(argv[2], 1, 2, &day)) {
		mon = argc >= 4 ? argv[3] : NULL;
		month = mon ? parse_month(mon) : -1;
		if (month < 0)
			return swauth_error_set(err, -EINVAL,
						"'at %s %s': give the date as MON DAY or DAY MON",
						clock, argv[2]);
		*used = 4;
	} else if (argc == 3 && parse_month(argv[2]) >= 0) {
		return swauth_error_set(err, -EINVAL, "'at %s %s': the day is missing", clock,
					argv[2]);
	}

	localtime_r(&now, &tm);
	tm.tm_hour = (int)h;
	tm.tm_min = (int)m;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if (month >= 0) {
		tm.tm_mon = month;
		tm.tm_mday = (int)day;
		*when = mktime(&tm);
		if (*when == (time_t)-1 || tm.tm_mon != month || tm.tm_mday != day)
			return swauth_error_set(err, -EINVAL, "'at %s': %s %ld is not a date", clock,
						mon, day);
		snprintf(what, sizeof(what), "%s on %s %ld", clock, mon, day);
		return check_ahead(now, *when, what, err);
	}
	*when = mktime(&tm);
	if (*when != (time_t)-1 && *when <= now) {
		/* A time already past today means tomorrow, as in IOS. */
		tm.tm_mday++;
		tm.tm_hour = (int)h;
		tm.tm_min = (int)m;
		tm.tm_isdst = -1;
		*when = mktime(&tm);
	}
	if (*when == (time_t)-1)
		return swauth_error_set(err, -EINVAL, "'at %s': not a representable time", clock);
	return 0;
}

/**
 * swauth_reload_parse_when() - parse "in MMM", "in HHH:MM" or "at HH:MM [MON DAY]"
 * @argc: the words left, argv[0] being "in" or "at"
 * @argv: the words
 * @now: the current time
 * @when: receives the time of the reload
 * @used: receives how many words the time took; the rest is free text
 * @err: filled on failure
 *
 * "at HH:MM" without a date is today, or tomorrow when that time is past;
 * with a date (MON DAY or DAY MON, this year) it must be in the future.
 * Either way the reload is at most 24 days away.
 *
 * Return: 0, -EINVAL for a malformed or past time, -ERANGE for too far.
 */
int swauth_reload_parse_when(int argc, char *const argv[], time_t now, time_t *when,
			     int *used, struct swauth_error *err)
{
	if (argc < 1 || (strcmp(argv[0], "in") && strcmp(argv[0], "at")))
		return swauth_error_set(err, -EINVAL, "expected 'in' or 'at'");
	if (argc < 2)
		return swauth_error_set(err, -EINVAL, "'%s' needs a time (%s)", argv[0],
					argv[0][0] == 'i' ? "MMM or HHH:MM" : "HH:MM [MON DAY]");
	if (!strcmp(argv[0], "in")) {
		*used = 2;
		return parse_in(argv[1], now, when, err);
	}
	return parse_at(argc, argv, now, when, used, err);
}

/**
 * swauth_reload_format_time() - "19:30:00 UTC Wed Jun 5 1996"
 * @t: the time, shown in local time
 * @buf: receives the text
 * @len: its size
 */
void swauth_reload_format_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(buf, len, "%H:%M:%S %Z %a %b %-d %Y", &tm))
		snprintf(buf, len, "@%lld", (long long)t);
}

/**
 * swauth_reload_format_in() - "2 hours and 25 minutes", "10 minutes"
 * @now: the current time
 * @when: the reload's
 * @buf: receives the text
 * @len: its size
 */
void swauth_reload_format_in(time_t now, time_t when, char *buf, size_t len)
{
	long minutes = when > now ? (long)((when - now) / 60) : 0;
	long h = minutes / 60, m = minutes % 60;

	if (!h)
		snprintf(buf, len, "%ld minute%s", m, m == 1 ? "" : "s");
	else if (!m)
		snprintf(buf, len, "%ld hour%s", h, h == 1 ? "" : "s");
	else
		snprintf(buf, len, "%ld hour%s and %ld minute%s", h, h == 1 ? "" : "s", m,
			 m == 1 ? "" : "s");
}

/**
 * swauth_reload_dir() - a reload directory, configured or the default
 * @cfg: the configuration
 * @which: boot-dir, state-dir or run-dir
 *
 * Return: the directory.
 */
const char *swauth_reload_dir(const struct swauth_config *cfg, enum swauth_reload_dir which)
{
	switch (which) {
	case SWAUTH_DIR_BOOT:
		return cfg->boot_dir[0] ? cfg->boot_dir : SWAUTH_BOOT_DIR;
	case SWAUTH_DIR_STATE:
		return cfg->state_dir[0] ? cfg->state_dir : SWAUTH_STATE_DIR;
	default:
		return cfg->run_dir[0] ? cfg->run_dir : SWAUTH_RUN_DIR;
	}
}

static const char *const kinds[] = { "cold", "warm", NULL };

static const struct swauth_record_field fields[] = {
#define STR(kw, f) { kw, SWAUTH_FIELD_STRING, offsetof(struct swauth_reload_record, f), \
		     sizeof(((struct swauth_reload_record *)0)->f), 0, NULL, NULL }
	STR("id", id),
	{ "kind", SWAUTH_FIELD_CHOICE, offsetof(struct swauth_reload_record, kind), 0, 0, kinds,
	  "'cold' or 'warm'" },
	{ "time", SWAUTH_FIELD_INT64, offsetof(struct swauth_reload_record, time), 0, 0, NULL,
	  NULL },
	{ "pid", SWAUTH_FIELD_PID, offsetof(struct swauth_reload_record, pid), 0, 2, NULL, NULL },
	STR("boot-id", boot_id),
	STR("image", image),
	STR("name", name),
	STR("digest", digest),
	STR("key", key),
	STR("reason", reason),
#undef STR
};

enum { NFIELDS = sizeof(fields) / sizeof(fields[0]) };

/**
 * swauth_reload_record_parse() - parse a record's text
 * @text: the text, NUL-terminated
 * @name: the file's name, for messages
 * @r: receives the record; cleared first
 * @err: filled on failure: "NAME:LINE: ..."
 *
 * id, kind and time are required; see swauth_record_parse().
 *
 * Return: 0 or -EINVAL.
 */
int swauth_reload_record_parse(const char *text, const char *name,
			       struct swauth_reload_record *r, struct swauth_error *err)
{
	return swauth_record_parse(fields, NFIELDS, 3, text, name, r, sizeof(*r), err);
}

/**
 * swauth_reload_record_format() - a record's text
 * @r: the record; its strings must not hold a newline
 * @buf: receives the text
 * @len: its size
 *
 * Return: 0, -EINVAL for a string with a newline, -ENOSPC when @buf is short.
 */
int swauth_reload_record_format(const struct swauth_reload_record *r, char *buf, size_t len)
{
	return swauth_record_format(fields, NFIELDS, r, buf, len);
}

/**
 * swauth_reload_record_read() - read and parse a record file
 * @path: the file
 * @r: receives the record
 * @err: filled on failure
 *
 * Return: 0, -ENOENT when there is no record (@err says so too), -EINVAL
 * for a malformed one, or -errno of reading it.
 */
int swauth_reload_record_read(const char *path, struct swauth_reload_record *r,
			      struct swauth_error *err)
{
	return swauth_record_read(fields, NFIELDS, 3, path, r, sizeof(*r), err);
}

/**
 * swauth_reload_record_write() - write a record file atomically
 * @path: the file; its directory must exist
 * @r: the record
 * @err: filled on failure
 *
 * Return: 0 or -errno; on failure the old file, if any, is intact.
 */
int swauth_reload_record_write(const char *path, const struct swauth_reload_record *r,
			       struct swauth_error *err)
{
	return swauth_record_store(fields, NFIELDS, path, r, err);
}

/* The first line of a small /proc file, without trailing blanks. */
static int read_proc_line(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		n--;
	buf[n] = '\0';
	return 0;
}

/**
 * swauth_boot_id() - this boot's id, from /proc/sys/kernel/random/boot_id
 * @buf: receives it
 * @len: its size
 *
 * Return: 0 or -errno.
 */
int swauth_boot_id(char *buf, size_t len)
{
	return read_proc_line("/proc/sys/kernel/random/boot_id", buf, len);
}

/**
 * swauth_read_cmdline() - this kernel's command line, without the newline
 * @buf: receives it
 * @len: its size
 *
 * Return: 0 or -errno.
 */
int swauth_read_cmdline(char *buf, size_t len)
{
	return read_proc_line("/proc/cmdline", buf, len);
}

/**
 * swauth_reload_warm_cmdline() - the command line of a warm reload's kernel
 * @base: the command line to start from (this kernel's, or --append)
 * @id: the reload's id
 * @out: receives @base without its swauth.reload= and swauth.entry= words, then
 *	retain_initrd unless @base has it (so that the module measures the
 *	initramfs it boots), then swauth.reload=@id
 * @len: its size
 *
 * Return: 0, or -E2BIG when @out is too small.
 */
int swauth_reload_warm_cmdline(const char *base, const char *id, char *out, size_t len)
{
	bool retain = false;
	size_t used = 0, n;
	const char *p = base;
	int w;

	out[0] = '\0';
	while (*p) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		/* Not the boot loader's: swauth.entry= would name a pair this kernel is not. */
		if (n && strncmp(p, "swauth.reload=", 14) && strncmp(p, "swauth.entry=", 13)) {
			w = snprintf(out + used, len - used, "%s%.*s", used ? " " : "", (int)n, p);
			if (w < 0 || (size_t)w >= len - used)
				return -E2BIG;
			used += (size_t)w;
			if (n == strlen("retain_initrd") && !strncmp(p, "retain_initrd", n))
				retain = true;
		}
		p += n;
	}
	w = snprintf(out + used, len - used, "%s%sswauth.reload=%s", used ? " " : "",
		     retain ? "" : "retain_initrd ", id);
	return w < 0 || (size_t)w >= len - used ? -E2BIG : 0;
}

/**
 * swauth_cmdline_value() - the value of a word KEY=VALUE of this kernel's
 * command line
 * @key: "swauth.reload=", with the '='
 * @val: receives VALUE, "" when there is no such word
 * @len: its size
 *
 * The last such word counts, as the kernel's own parameters: the boot
 * loader appends swauth.entry= after the configured command line, a warm
 * reload swauth.reload=.
 */
void swauth_cmdline_value(const char *key, char *val, size_t len)
{
	char buf[4096], *p;

	val[0] = '\0';
	if (swauth_read_cmdline(buf, sizeof(buf)))
		return;
	for (p = buf; (p = strstr(p, key)); p++)
		if (p == buf || p[-1] == ' ')
			snprintf(val, len, "%.*s", (int)strcspn(p + strlen(key), " \n"),
				 p + strlen(key));
}

/**
 * swauth_running_image() - which image this system runs
 * @cfg: the configuration (state-dir, boot-dir)
 * @rec: receives the record of the running image
 * @reloaded: receives whether this boot is that record's reload (rather
 *	than, say, a power cycle that booted boot-dir again)
 *
 * A warm reload put swauth.reload=ID on the new kernel's command line and
 * ID in state-dir/last-reload. Otherwise the firmware booted
 * boot-dir/current, or boot-dir/previous when the boot loader says so
 * (swauth.entry=previous: a trial that went back, bootdir.c), whose record
 * names the image its kernel and initramfs came from; that boot is the
 * last cold reload's when last-reload has the same ID and was asked for
 * in another boot.
 *
 * Return: 0, or -ENOENT when swauth did not start this system.
 */
int swauth_running_image(const struct swauth_config *cfg, struct swauth_reload_record *rec,
			 bool *reloaded)
{
	static struct swauth_reload_record last;
	char path[PATH_MAX + 32], id[SWAUTH_RELOAD_ID_LEN + 8], boot_id[40] = "";
	struct swauth_error err;
	const char *entry;
	bool have_last;

	*reloaded = false;
	swauth_boot_id(boot_id, sizeof(boot_id));
	swauth_cmdline_value("swauth.reload=", id, sizeof(id));
	snprintf(path, sizeof(path), "%s/last-reload", swauth_reload_dir(cfg, SWAUTH_DIR_STATE));
	have_last = !swauth_reload_record_read(path, &last, &err);
	if (id[0]) {
		if (!have_last || strcmp(last.id, id) || last.kind != SWAUTH_RELOAD_WARM)
			return -ENOENT;
		*rec = last;
		*reloaded = true;
		return 0;
	}
	entry = swauth_boot_entry(cfg);
	snprintf(path, sizeof(path), "%s/%s/image", swauth_reload_dir(cfg, SWAUTH_DIR_BOOT),
		 entry ? entry : "current");
	if (swauth_reload_record_read(path, rec, &err))
		return -ENOENT;
	*reloaded = have_last && !strcmp(last.id, rec->id) &&
		    last.kind == SWAUTH_RELOAD_COLD && strcmp(last.boot_id, boot_id);
	return 0;
}
