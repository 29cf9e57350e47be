// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Auto-enrollment (lib/pki.h, E6): when swpkid enrolls or renews a
 * trustpoint's certificate, and the state file that carries its timers
 * across a restart or a power cut.
 */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>

#include "lib/fs.h"
#include "lib/pki.h"

#define STATE_HEADER "swpkid-state 1\n"

static const char *const action_names[] = {
	[SWPKI_AUTO_ENROLL] = "enroll",
	[SWPKI_AUTO_RENEW] = "renew",
};

static const char *const status_names[] = {
	[SWPKI_AUTO_SCHEDULED] = "scheduled",
	[SWPKI_AUTO_RETRY] = "retry",
	[SWPKI_AUTO_GIVEN_UP] = "given-up",
};

/**
 * swpki_auto_renew_time() - when a certificate is renewed (lib/pki.h)
 * @percent: the trustpoint's auto-enroll percentage; 0: none given
 * @v: the certificate's validity
 *
 * Return: notBefore + @percent% of the lifetime, at the latest
 * SWPKI_AUTO_MARGIN seconds before notAfter.
 */
time_t swpki_auto_renew_time(unsigned int percent, const struct swpki_validity *v)
{
	long long life = (long long)v->not_after - (long long)v->not_before;
	time_t latest = v->not_after - SWPKI_AUTO_MARGIN;
	time_t at;

	if (!percent)
		return latest;
	if (percent < SWPKI_AUTO_PERCENT_MIN)
		percent = SWPKI_AUTO_PERCENT_MIN;
	if (percent > SWPKI_AUTO_PERCENT_MAX)
		percent = SWPKI_AUTO_PERCENT_MAX;
	at = v->not_before + (time_t)(life / 100 * percent + life % 100 * percent / 100);
	return at < latest ? at : latest;
}

/**
 * swpki_time_text() - @t as the seeds print dates: "21:08:03 GMT Jan 6 2006"
 * @t: the time
 * @buf: filled
 * @len: its size (32 is enough)
 */
void swpki_time_text(time_t t, char *buf, size_t len)
{
	char hms[16], mon[8];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	strftime(mon, sizeof(mon), "%b", &tm);
	snprintf(buf, len, "%s GMT %s %d %d", hms, mon, tm.tm_mday, tm.tm_year + 1900);
}

static bool usable(const struct swpki_validity *v, time_t now)
{
	return v && now < v->not_after;
}

/**
 * swpki_auto_schedule() - the next action of an auto-enrolled trustpoint
 * @percent: its auto-enroll percentage (0: none given)
 * @id: its identity certificate's validity, or NULL when it has none
 * @rollover: its rollover certificate's validity, or NULL
 * @now: the time
 * @at: set to when to act (@now for an enrollment; maybe past: due)
 * @from_rollover: set when the renewal time is the rollover certificate's
 *
 * Return: SWPKI_AUTO_ENROLL when no certificate is usable, else
 * SWPKI_AUTO_RENEW.
 */
enum swpki_auto_action swpki_auto_schedule(unsigned int percent, const struct swpki_validity *id,
					   const struct swpki_validity *rollover, time_t now,
					   time_t *at, bool *from_rollover)
{
	*from_rollover = usable(rollover, now);
	if (*from_rollover) {
		*at = swpki_auto_renew_time(percent, rollover);
		return SWPKI_AUTO_RENEW;
	}
	if (usable(id, now)) {
		*at = swpki_auto_renew_time(percent, id);
		return SWPKI_AUTO_RENEW;
	}
	*at = now;
	return SWPKI_AUTO_ENROLL;
}

static time_t asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (!ASN1_TIME_to_tm(t, &tm))
		return 0;
	return timegm(&tm);
}

static void validity_of(X509 *x509, struct swpki_validity *v)
{
	v->not_before = asn1_time(X509_get0_notBefore(x509));
	v->not_after = asn1_time(X509_get0_notAfter(x509));
}

static int serial_of(X509 *x509, char *out, size_t len, struct swauth_error *err)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x509), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	int ret = 0;

	if (!hex || hex[0] == '-' || strlen(hex) >= len)
		ret = swauth_error_set(err, -EINVAL, "a certificate's serial number is not usable");
	else
		snprintf(out, len, "%s", hex);
	OPENSSL_free(hex);
	BN_free(bn);
	return ret;
}

/**
 * swpki_auto_plan() - @tp's next action from its certificates in the store
 * @s: the store
 * @tp: the trustpoint (auto-enroll set)
 * @now: the time
 * @e: filled: name, action, time, the certificate's serial; 0 attempts
 * @err: filled on failure
 *
 * The identity certificate is the one that expires first among the general
 * purpose, signature and encryption certificates (usage keys are renewed
 * together).
 *
 * Return: 0 or -errno.
 */
int swpki_auto_plan(struct swpki_store *s, const struct swpki_trustpoint *tp, time_t now,
		    struct swpki_auto_entry *e, struct swauth_error *err)
{
	struct swpki_validity idv, rov, v;
	X509 *id = NULL, *ro = NULL;
	struct swpki_cert *c;
	bool from_rollover;
	size_t n, i;
	int ret;

	ret = swpki_cert_list(s, tp->name, SWPKI_CERT_ANY, &c, &n, err);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		validity_of(c[i].x509, &v);
		if (c[i].role == SWPKI_CERT_ROLLOVER && (!ro || v.not_after > rov.not_after)) {
			ro = c[i].x509;
			rov = v;
		} else if ((c[i].role == SWPKI_CERT_GENERAL || c[i].role == SWPKI_CERT_SIGN ||
			    c[i].role == SWPKI_CERT_ENCR) && (!id || v.not_after < idv.not_after)) {
			id = c[i].x509;
			idv = v;
		}
	}
	memset(e, 0, sizeof(*e));
	snprintf(e->tp, sizeof(e->tp), "%s", tp->name);
	e->status = SWPKI_AUTO_SCHEDULED;
	e->action = swpki_auto_schedule(tp->auto_enroll_percent, id ? &idv : NULL,
					ro ? &rov : NULL, now, &e->at, &from_rollover);
	if (e->action == SWPKI_AUTO_RENEW)
		ret = serial_of(from_rollover ? ro : id, e->serial, sizeof(e->serial), err);
	swpki_cert_list_free(c, n);
	return ret;
}

/* One decimal number of at most @max, no sign, no leading zero. */
static bool parse_num(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *p;

	if (!*s || (s[0] == '0' && s[1]))
		return false;
	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p) || v > (max - (unsigned long long)(*p - '0')) / 10)
			return false;
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	*out = v;
	return true;
}

static int lookup(const char *word, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(word, names[i]))
			return (int)i;
	return -1;
}

static bool serial_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n > SWPKI_AUTO_SERIAL_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]) && (s[i] < 'A' || s[i] > 'F'))
			return false;
	return true;
}

/* One line, its fields split on single spaces, into @e. */
static const char *parse_line(char *line, struct swpki_auto_entry *e)
{
	char *f[7], *save = NULL, *p;
	unsigned long long at, attempts;
	int nf = 0, a, st;

	if (!*line || line[0] == ' ' || strstr(line, "  ") || line[strlen(line) - 1] == ' ')
		return "fields are separated by one space";
	for (p = strtok_r(line, " ", &save); p && nf < 7; p = strtok_r(NULL, " ", &save))
		f[nf++] = p;
	if (nf != 6)
		return "expected NAME ACTION AT ATTEMPTS STATUS SERIAL";
	if (!swpki_tp_name_valid(f[0]))
		return "not a trustpoint name";
	a = lookup(f[1], action_names, sizeof(action_names) / sizeof(action_names[0]));
	if (a < 0)
		return "the action is not 'enroll' or 'renew'";
	if (!parse_num(f[2], (unsigned long long)1 << 40, &at))
		return "the time is not a number of seconds";
	if (!parse_num(f[3], SWPKI_AUTO_ATTEMPTS_MAX, &attempts))
		return "the attempts are not a number from 0 to 1000";
	st = lookup(f[4], status_names, sizeof(status_names) / sizeof(status_names[0]));
	if (st < 0)
		return "the status is not 'scheduled', 'retry' or 'given-up'";
	if ((st == SWPKI_AUTO_SCHEDULED) != (attempts == 0))
		return "'scheduled' goes with 0 attempts, 'retry' and 'given-up' with more";
	if (a == SWPKI_AUTO_ENROLL ? strcmp(f[5], "-") != 0 : !serial_valid(f[5]))
		return "an enrollment has the serial '-', a renewal an upper-case hex serial";
	memset(e, 0, sizeof(*e));
	snprintf(e->tp, sizeof(e->tp), "%s", f[0]);
	e->action = (enum swpki_auto_action)a;
	e->at = (time_t)at;
	e->attempts = (unsigned int)attempts;
	e->status = (enum swpki_auto_status)st;
	if (a == SWPKI_AUTO_RENEW)
		snprintf(e->serial, sizeof(e->serial), "%s", f[5]);
	return NULL;
}

/**
 * swpki_auto_state_parse() - the state file's text (lib/pki.h)
 * @text: the file's bytes
 * @len: their number
 * @v: set to the entries (free() it)
 * @n: set to their number
 * @err: filled on failure, naming the line
 *
 * Return: 0, or -EBADMSG for anything but the format.
 */
int swpki_auto_state_parse(const char *text, size_t len, struct swpki_auto_entry **v, size_t *n,
			   struct swauth_error *err)
{
	struct swpki_auto_entry *out = NULL, *nv;
	const char *why = NULL, *p, *nl, *end = text + len;
	size_t count = 0, i, lineno = 1;
	char line[512];

	*v = NULL;
	*n = 0;
	if (memchr(text, '\0', len))
		return swauth_error_set(err, -EBADMSG, "a NUL byte in the file");
	if (len < strlen(STATE_HEADER) || memcmp(text, STATE_HEADER, strlen(STATE_HEADER)))
		return swauth_error_set(err, -EBADMSG, "line 1: not 'swpkid-state 1'");
	for (p = text + strlen(STATE_HEADER); !why && p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));

		lineno++;
		if (!nl)
			why = "the last line has no newline (a cut-off file)";
		else if ((size_t)(nl - p) >= sizeof(line))
			why = "line too long";
		if (why)
			break;
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		nv = realloc(out, (count + 1) * sizeof(*out));
		if (!nv) {
			free(out);
			return swauth_error_set(err, -ENOMEM, "out of memory");
		}
		out = nv;
		why = parse_line(line, &out[count]);
		for (i = 0; !why && i < count; i++)
			if (!strcmp(out[i].tp, out[count].tp))
				why = "a second line for the same trustpoint";
		count++;
	}
	if (why) {
		free(out);
		return swauth_error_set(err, -EBADMSG, "line %zu: %s", lineno, why);
	}
	*v = out;
	*n = count;
	return 0;
}

/**
 * swpki_auto_state_format() - the state file's text for @v[0..n)
 * @v: the entries
 * @n: their number
 * @text: set to the text (free() it)
 * @len: set to its length
 * @err: filled on failure
 *
 * Return: 0 or -ENOMEM.
 */
int swpki_auto_state_format(const struct swpki_auto_entry *v, size_t n, char **text,
			    size_t *len, struct swauth_error *err)
{
	FILE *f = open_memstream(text, len);
	size_t i;

	if (!f)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	fputs(STATE_HEADER, f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s %s %lld %u %s %s\n", v[i].tp, action_names[v[i].action],
			(long long)v[i].at, v[i].attempts, status_names[v[i].status],
			v[i].action == SWPKI_AUTO_RENEW ? v[i].serial : "-");
	if (fclose(f)) {
		free(*text);
		*text = NULL;
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

/**
 * swpki_auto_state_load() - DIR/swpkid.state
 * @s: the store
 * @v: set to the entries (free() it)
 * @n: set to their number
 * @err: filled on failure, naming the file
 *
 * Return: 0, -ENOENT when there is none, -EBADMSG when it is malformed, or
 * -errno.
 */
int swpki_auto_state_load(struct swpki_store *s, struct swpki_auto_entry **v, size_t *n,
			  struct swauth_error *err)
{
	unsigned char *buf;
	size_t len;
	int ret;

	ret = swpki_read_at(s->dir_fd, SWPKI_AUTO_STATE, SWPKI_AUTO_STATE, SWPKI_AUTO_STATE_MAX,
			    &buf, &len, err);
	if (ret)
		return ret;
	ret = swpki_auto_state_parse((const char *)buf, len, v, n, err);
	free(buf);
	if (ret) {
		struct swauth_error why = *err;

		swauth_error_set(err, ret, "%s/%s: %s", s->path, SWPKI_AUTO_STATE, why.msg);
	}
	return ret;
}

/**
 * swpki_auto_state_save() - write DIR/swpkid.state (safe-write, 0600)
 * @s: the store
 * @v: the entries
 * @n: their number
 * @err: filled on failure
 *
 * Return: 0 or -errno; on failure the old file is left.
 */
int swpki_auto_state_save(struct swpki_store *s, const struct swpki_auto_entry *v, size_t n,
			  struct swauth_error *err)
{
	char *text;
	size_t len;
	int ret;

	ret = swpki_auto_state_format(v, n, &text, &len, err);
	if (ret)
		return ret;
	ret = swauth_safewrite_at(s->dir_fd, SWPKI_AUTO_STATE, text, len, 0600, 0, err);
	free(text);
	return ret;
}
