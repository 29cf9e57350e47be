// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Trustpoints (lib/pki.h): IOS's ca-trustpoint sub-commands, one row of
 * keywords[] each, read from and written to DIR/trustpoints/NAME.conf.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fs.h"
#include "lib/pki.h"
#include "lib/pki/subcmd.h"

enum { TP_FILE_MAX = 64 * 1024 };

struct keyword {
	const char *kw;
	int (*set)(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err);
	void (*print)(const struct swpki_trustpoint *tp, FILE *f);
	void (*unset)(struct swpki_trustpoint *tp);
};

static bool label_valid(const char *s, size_t max)
{
	size_t i, len = strlen(s);

	if (!len || len > max || s[0] == '.' || s[0] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

bool swpki_tp_name_valid(const char *name)
{
	return label_valid(name, SWPKI_TP_NAME_MAX);
}

static int parse_uint(const char *kw, const char *s, unsigned int min, unsigned int max,
		      const char *unit, unsigned int *out, struct swauth_error *err)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!isdigit((unsigned char)s[0]) || *end || errno)
		return swauth_error_set(err, -EINVAL, "%s: '%s' is not a number", kw, s);
	if (v < min || v > max)
		return swauth_error_set(err, -ERANGE, "%s: %lu is out of range (%u-%u%s)", kw, v,
					min, max, unit);
	*out = (unsigned int)v;
	return 0;
}

static int copy_label(const char *kw, const char *s, char *dst, size_t size,
		      struct swauth_error *err)
{
	if (!label_valid(s, size - 1))
		return swauth_error_set(err, -EINVAL,
					"%s: '%s' is not a label (letters, digits, '.', '_', '-'; at most %zu)",
					kw, s, size - 1);
	strcpy(dst, s);
	return 0;
}

static int ifname_copy(const char *kw, const char *s, char *dst, size_t size,
		       struct swauth_error *err)
{
	size_t i;

	if (!s[0] || strlen(s) >= IFNAMSIZ || strlen(s) >= size)
		return swauth_error_set(err, -EINVAL, "%s: '%s' is not an interface name", kw, s);
	for (i = 0; s[i]; i++)
		if (!isgraph((unsigned char)s[i]) || s[i] == '/')
			return swauth_error_set(err, -EINVAL, "%s: '%s' is not an interface name",
						kw, s);
	strcpy(dst, s);
	return 0;
}

/* enrollment url|terminal|selfsigned|profile: one method at a time */
static int set_url(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	static const char *const schemes[] = { "http://", "https://", "tftp://", "ftp://" };
	size_t i;
	int ret = want_args("enrollment url", a, 1, 2, "URL [pem]", err);

	if (ret)
		return ret;
	if (a->n == 2 && strcmp(a->v[1], "pem"))
		return swauth_error_set(err, -EINVAL, "enrollment url: '%s' after the URL (only 'pem')",
					a->v[1]);
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncmp(a->v[0], schemes[i], strlen(schemes[i])) &&
		    a->v[0][strlen(schemes[i])])
			break;
	if (i == sizeof(schemes) / sizeof(schemes[0]))
		return swauth_error_set(err, -EINVAL,
					"enrollment url: '%s' is not an http://, https://, tftp:// or ftp:// URL",
					a->v[0]);
	ret = copy_text("enrollment url", a->v[0], tp->url, sizeof(tp->url), err);
	if (ret)
		return ret;
	tp->enroll = SWPKI_ENROLL_URL;
	tp->pem = a->n == 2;
	return 0;
}

static void print_url(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->enroll == SWPKI_ENROLL_URL)
		fprintf(f, " enrollment url %s%s\n", tp->url, tp->pem ? " pem" : "");
}

static void unset_method(struct swpki_trustpoint *tp)
{
	tp->enroll = SWPKI_ENROLL_NONE;
	tp->url[0] = tp->profile[0] = '\0';
	tp->pem = false;
}

static int set_terminal(struct swpki_trustpoint *tp, const struct args *a,
			struct swauth_error *err)
{
	int ret = want_args("enrollment terminal", a, 0, 1, "[pem]", err);

	if (ret)
		return ret;
	if (a->n == 1 && strcmp(a->v[0], "pem"))
		return swauth_error_set(err, -EINVAL, "enrollment terminal: '%s' (only 'pem')",
					a->v[0]);
	unset_method(tp);
	tp->enroll = SWPKI_ENROLL_TERMINAL;
	tp->pem = a->n == 1;
	return 0;
}

static void print_terminal(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->enroll == SWPKI_ENROLL_TERMINAL)
		fprintf(f, " enrollment terminal%s\n", tp->pem ? " pem" : "");
}

static int set_selfsigned(struct swpki_trustpoint *tp, const struct args *a,
			  struct swauth_error *err)
{
	int ret = want_args("enrollment selfsigned", a, 0, 0, "", err);

	if (ret)
		return ret;
	unset_method(tp);
	tp->enroll = SWPKI_ENROLL_SELFSIGNED;
	return 0;
}

static void print_selfsigned(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->enroll == SWPKI_ENROLL_SELFSIGNED)
		fputs(" enrollment selfsigned\n", f);
}

static int set_profile(struct swpki_trustpoint *tp, const struct args *a,
		       struct swauth_error *err)
{
	char label[sizeof(tp->profile)];
	int ret = want_args("enrollment profile", a, 1, 2, "LABEL [pem]", err);

	if (!ret && a->n == 2 && strcmp(a->v[1], "pem"))
		ret = swauth_error_set(err, -EINVAL,
				       "enrollment profile: '%s' after the label (only 'pem')", a->v[1]);
	if (!ret)
		ret = copy_label("enrollment profile", a->v[0], label, sizeof(label), err);
	if (ret)
		return ret;
	unset_method(tp);
	strcpy(tp->profile, label);
	tp->enroll = SWPKI_ENROLL_PROFILE;
	tp->pem = a->n == 2;
	return 0;
}

static void print_profile(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->enroll == SWPKI_ENROLL_PROFILE)
		fprintf(f, " enrollment profile %s%s\n", tp->profile, tp->pem ? " pem" : "");
}

static int set_mode(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	int ret = want_args("enrollment mode", a, 1, 1, "ra", err);

	if (ret)
		return ret;
	if (strcmp(a->v[0], "ra"))
		return swauth_error_set(err, -EINVAL, "enrollment mode: '%s' (only 'ra')", a->v[0]);
	tp->ra_mode = true;
	return 0;
}

static void print_mode(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->ra_mode)
		fputs(" enrollment mode ra\n", f);
}

static void unset_mode(struct swpki_trustpoint *tp)
{
	tp->ra_mode = false;
}

static int set_period(struct swpki_trustpoint *tp, const struct args *a,
		      struct swauth_error *err)
{
	int ret = want_args("enrollment retry period", a, 1, 1, "MINUTES", err);

	return ret ? ret : parse_uint("enrollment retry period", a->v[0], 1, 60, " minutes",
				      &tp->retry_period, err);
}

static void print_period(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->retry_period != SWPKI_RETRY_PERIOD_DEFAULT)
		fprintf(f, " enrollment retry period %u\n", tp->retry_period);
}

static void unset_period(struct swpki_trustpoint *tp)
{
	tp->retry_period = SWPKI_RETRY_PERIOD_DEFAULT;
}

static int set_count(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	int ret = want_args("enrollment retry count", a, 1, 1, "NUMBER", err);

	return ret ? ret : parse_uint("enrollment retry count", a->v[0], 1, 100, "",
				      &tp->retry_count, err);
}

static void print_count(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->retry_count != SWPKI_RETRY_COUNT_DEFAULT)
		fprintf(f, " enrollment retry count %u\n", tp->retry_count);
}

static void unset_count(struct swpki_trustpoint *tp)
{
	tp->retry_count = SWPKI_RETRY_COUNT_DEFAULT;
}

static int set_subject(struct swpki_trustpoint *tp, const struct args *a,
		       struct swauth_error *err)
{
	int ret = copy_text("subject-name", a->rest, tp->subject_name, sizeof(tp->subject_name),
			    err);

	if (!ret)
		tp->subject_name_set = true;
	return ret;
}

static void print_subject(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->subject_name_set)
		fprintf(f, " subject-name%s%s\n", tp->subject_name[0] ? " " : "", tp->subject_name);
}

static void unset_subject(struct swpki_trustpoint *tp)
{
	tp->subject_name_set = false;
	tp->subject_name[0] = '\0';
}

static int set_san(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	int ret = want_args("subject-alt-name", a, 1, 1, "NAME", err);

	return ret ? ret : copy_text("subject-alt-name", a->v[0], tp->subject_alt_name,
				     sizeof(tp->subject_alt_name), err);
}

static void print_san(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->subject_alt_name[0])
		fprintf(f, " subject-alt-name %s\n", tp->subject_alt_name);
}

static void unset_san(struct swpki_trustpoint *tp)
{
	tp->subject_alt_name[0] = '\0';
}

static int set_ip(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	unsigned char addr[16];
	int ret = want_args("ip-address", a, 1, 1, "ADDRESS|INTERFACE|none", err);

	if (ret)
		return ret;
	if (!strcmp(a->v[0], "none")) {
		tp->ip_mode = SWPKI_IP_NONE;
		tp->ip_address[0] = '\0';
		return 0;
	}
	if (inet_pton(AF_INET, a->v[0], addr) == 1 || inet_pton(AF_INET6, a->v[0], addr) == 1) {
		strcpy(tp->ip_address, a->v[0]);
		tp->ip_mode = SWPKI_IP_ADDR;
		return 0;
	}
	if (strchr(a->v[0], ':') || strspn(a->v[0], "0123456789.") == strlen(a->v[0]))
		return swauth_error_set(err, -EINVAL, "ip-address: '%s' is not an IP address",
					a->v[0]);
	ret = ifname_copy("ip-address", a->v[0], tp->ip_address, sizeof(tp->ip_address), err);
	if (!ret)
		tp->ip_mode = SWPKI_IP_INTERFACE;
	return ret;
}

static void print_ip(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->ip_mode == SWPKI_IP_NONE)
		fputs(" ip-address none\n", f);
	else if (tp->ip_mode != SWPKI_IP_UNSET)
		fprintf(f, " ip-address %s\n", tp->ip_address);
}

static void unset_ip(struct swpki_trustpoint *tp)
{
	tp->ip_mode = SWPKI_IP_UNSET;
	tp->ip_address[0] = '\0';
}

static int set_serial(struct swpki_trustpoint *tp, const struct args *a,
		      struct swauth_error *err)
{
	int ret = want_args("serial-number", a, 0, 1, "[none]", err);

	if (ret)
		return ret;
	if (a->n && strcmp(a->v[0], "none"))
		return swauth_error_set(err, -EINVAL, "serial-number: '%s' (only 'none')", a->v[0]);
	tp->serial = a->n ? SWPKI_SERIAL_NONE : SWPKI_SERIAL_INCLUDE;
	return 0;
}

static void print_serial(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->serial != SWPKI_SERIAL_UNSET)
		fprintf(f, " serial-number%s\n", tp->serial == SWPKI_SERIAL_NONE ? " none" : "");
}

static void unset_serial(struct swpki_trustpoint *tp)
{
	tp->serial = SWPKI_SERIAL_UNSET;
}

static int set_fqdn(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	int ret = want_args("fqdn", a, 1, 1, "none", err);

	if (ret)
		return ret;
	if (strcmp(a->v[0], "none"))
		return swauth_error_set(err, -EINVAL, "fqdn: '%s' (only 'none')", a->v[0]);
	tp->fqdn_none = true;
	return 0;
}

static void print_fqdn(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->fqdn_none)
		fputs(" fqdn none\n", f);
}

static void unset_fqdn(struct swpki_trustpoint *tp)
{
	tp->fqdn_none = false;
}

static int set_password(struct swpki_trustpoint *tp, const struct args *a,
			struct swauth_error *err)
{
	if (!a->rest[0])
		return swauth_error_set(err, -EINVAL, "password: expected 'password STRING'");
	return copy_text("password", a->rest, tp->password, sizeof(tp->password), err);
}

static void print_password(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->password[0])
		fprintf(f, " password %s\n", tp->password);
}

static void unset_password(struct swpki_trustpoint *tp)
{
	memset(tp->password, 0, sizeof(tp->password));
}

static const char *const usages[] = { "ike", "ssl-client", "ssl-server" };

static int set_usage(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	unsigned int usage = 0;
	size_t j;
	int i, ret = want_args("usage", a, 1, 3, "ike|ssl-client|ssl-server...", err);

	if (ret)
		return ret;
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < sizeof(usages) / sizeof(usages[0]); j++)
			if (!strcmp(a->v[i], usages[j]))
				break;
		if (j == sizeof(usages) / sizeof(usages[0]))
			return swauth_error_set(err, -EINVAL,
						"usage: '%s' (ike, ssl-client or ssl-server)", a->v[i]);
		usage |= 1u << j;
	}
	tp->usage = usage;
	return 0;
}

static void print_usage(const struct swpki_trustpoint *tp, FILE *f)
{
	size_t j;

	if (!tp->usage)
		return;
	fputs(" usage", f);
	for (j = 0; j < sizeof(usages) / sizeof(usages[0]); j++)
		if (tp->usage & (1u << j))
			fprintf(f, " %s", usages[j]);
	fputc('\n', f);
}

static void unset_usage(struct swpki_trustpoint *tp)
{
	tp->usage = 0;
}

static int set_rsa(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	unsigned int size = 0, encsize = 0;
	char label[sizeof(tp->rsakeypair)];
	int ret = want_args("rsakeypair", a, 1, 3, "LABEL [SIZE [ENCRYPTION-SIZE]]", err);

	if (!ret)
		ret = copy_label("rsakeypair", a->v[0], label, sizeof(label), err);
	if (!ret && a->n > 1)
		ret = parse_uint("rsakeypair", a->v[1], 512, 4096, " bits", &size, err);
	if (!ret && a->n > 2)
		ret = parse_uint("rsakeypair", a->v[2], 512, 4096, " bits", &encsize, err);
	if (ret)
		return ret;
	strcpy(tp->rsakeypair, label);
	tp->rsa_size = size;
	tp->rsa_encsize = encsize;
	tp->eckeypair[0] = '\0';
	return 0;
}

static void print_rsa(const struct swpki_trustpoint *tp, FILE *f)
{
	if (!tp->rsakeypair[0])
		return;
	fprintf(f, " rsakeypair %s", tp->rsakeypair);
	if (tp->rsa_size)
		fprintf(f, " %u", tp->rsa_size);
	if (tp->rsa_encsize)
		fprintf(f, " %u", tp->rsa_encsize);
	fputc('\n', f);
}

static void unset_rsa(struct swpki_trustpoint *tp)
{
	tp->rsakeypair[0] = '\0';
	tp->rsa_size = tp->rsa_encsize = 0;
}

static int set_ec(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	char label[sizeof(tp->eckeypair)];
	int ret = want_args("eckeypair", a, 1, 1, "LABEL", err);

	if (!ret)
		ret = copy_label("eckeypair", a->v[0], label, sizeof(label), err);
	if (ret)
		return ret;
	unset_rsa(tp);
	strcpy(tp->eckeypair, label);
	return 0;
}

static void print_ec(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->eckeypair[0])
		fprintf(f, " eckeypair %s\n", tp->eckeypair);
}

static void unset_ec(struct swpki_trustpoint *tp)
{
	tp->eckeypair[0] = '\0';
}

static int set_fingerprint(struct swpki_trustpoint *tp, const struct args *a,
			   struct swauth_error *err)
{
	unsigned char fp[sizeof(tp->fingerprint)];
	unsigned int n = 0, nibbles = 0;
	const char *p;
	int v;

	if (!a->rest[0])
		return swauth_error_set(err, -EINVAL, "fingerprint: expected 'fingerprint HEX'");
	for (p = a->rest; *p; p++) {
		if (*p == ' ' || *p == ':')
			continue;
		if (!isxdigit((unsigned char)*p))
			return swauth_error_set(err, -EINVAL,
						"fingerprint: '%c' is not a hex digit", *p);
		if (nibbles / 2 >= sizeof(fp))
			return swauth_error_set(err, -EINVAL,
						"fingerprint: longer than a SHA-256 fingerprint (64 hex digits)");
		v = isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10);
		if (nibbles % 2 == 0)
			fp[nibbles / 2] = (unsigned char)(v << 4);
		else
			fp[nibbles / 2] |= (unsigned char)v;
		nibbles++;
	}
	n = nibbles / 2;
	if (nibbles % 2 || (n != SWPKI_FP_MD5 && n != SWPKI_FP_SHA1 && n != SWPKI_FP_SHA256))
		return swauth_error_set(err, -EINVAL,
					"fingerprint: %u hex digits; an MD5 (32), SHA-1 (40) or SHA-256 (64) fingerprint expected",
					nibbles);
	memcpy(tp->fingerprint, fp, n);
	tp->fingerprint_len = n;
	return 0;
}

static void print_fingerprint(const struct swpki_trustpoint *tp, FILE *f)
{
	if (!tp->fingerprint_len)
		return;
	fputc(' ', f);
	swpki_print_fingerprint(f, "fingerprint", tp->fingerprint, tp->fingerprint_len);
}

static void unset_fingerprint(struct swpki_trustpoint *tp)
{
	memset(tp->fingerprint, 0, sizeof(tp->fingerprint));
	tp->fingerprint_len = 0;
}

static int set_source(struct swpki_trustpoint *tp, const struct args *a,
		      struct swauth_error *err)
{
	int ret = want_args("source interface", a, 1, 1, "IFNAME", err);

	return ret ? ret : ifname_copy("source interface", a->v[0], tp->source_interface,
				       sizeof(tp->source_interface), err);
}

static void print_source(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->source_interface[0])
		fprintf(f, " source interface %s\n", tp->source_interface);
}

static void unset_source(struct swpki_trustpoint *tp)
{
	tp->source_interface[0] = '\0';
}

static int set_vrf(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	int ret = want_args("vrf", a, 1, 1, "NAME", err);

	return ret ? ret : ifname_copy("vrf", a->v[0], tp->vrf, sizeof(tp->vrf), err);
}

static void print_vrf(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->vrf[0])
		fprintf(f, " vrf %s\n", tp->vrf);
}

static void unset_vrf(struct swpki_trustpoint *tp)
{
	tp->vrf[0] = '\0';
}

static int set_auto(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	unsigned int percent = 0;
	bool regen = false;
	int i, ret = want_args("auto-enroll", a, 0, 2, "[PERCENT] [regenerate]", err);

	for (i = 0; !ret && i < a->n; i++) {
		if (!strcmp(a->v[i], "regenerate") && i == a->n - 1)
			regen = true;
		else if (i == 0)
			ret = parse_uint("auto-enroll", a->v[i], 10, 99, " percent", &percent, err);
		else
			ret = swauth_error_set(err, -EINVAL, "auto-enroll: '%s' (only 'regenerate')",
					       a->v[i]);
	}
	if (ret)
		return ret;
	tp->auto_enroll = true;
	tp->auto_enroll_percent = percent;
	tp->auto_enroll_regenerate = regen;
	return 0;
}

static void print_auto(const struct swpki_trustpoint *tp, FILE *f)
{
	if (!tp->auto_enroll)
		return;
	fputs(" auto-enroll", f);
	if (tp->auto_enroll_percent)
		fprintf(f, " %u", tp->auto_enroll_percent);
	fprintf(f, "%s\n", tp->auto_enroll_regenerate ? " regenerate" : "");
}

static void unset_auto(struct swpki_trustpoint *tp)
{
	tp->auto_enroll = tp->auto_enroll_regenerate = false;
	tp->auto_enroll_percent = 0;
}

static int set_regen(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	int ret = want_args("regenerate", a, 0, 0, "", err);

	if (!ret)
		tp->regenerate = true;
	return ret;
}

static void print_regen(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->regenerate)
		fputs(" regenerate\n", f);
}

static void unset_regen(struct swpki_trustpoint *tp)
{
	tp->regenerate = false;
}

static int set_hash(struct swpki_trustpoint *tp, const struct args *a, struct swauth_error *err)
{
	static const char *const hashes[] = { "md5", "sha1", "sha256", "sha384", "sha512" };
	size_t i;
	int ret = want_args("hash", a, 1, 1, "md5|sha1|sha256|sha384|sha512", err);

	if (ret)
		return ret;
	for (i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (!strcmp(a->v[0], hashes[i])) {
			strcpy(tp->hash, hashes[i]);
			return 0;
		}
	return swauth_error_set(err, -EINVAL, "hash: '%s' (md5, sha1, sha256, sha384 or sha512)",
				a->v[0]);
}

static void print_hash(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->hash[0])
		fprintf(f, " hash %s\n", tp->hash);
}

static void unset_hash(struct swpki_trustpoint *tp)
{
	tp->hash[0] = '\0';
}

/* swauth's own: the pkcsPKIEnvelope's cipher (SCEP), "aes256" by default. */
static const char *const scep_ciphers[] = {
	[SWPKI_SCEP_AES256] = "aes256",
	[SWPKI_SCEP_AES128] = "aes128",
	[SWPKI_SCEP_DES3] = "3des",
	[SWPKI_SCEP_DES] = "des",
};

static int set_cipher(struct swpki_trustpoint *tp, const struct args *a,
		      struct swauth_error *err)
{
	size_t i;
	int ret = want_args("scep cipher", a, 1, 1, "aes256|aes128|3des|des", err);

	if (ret)
		return ret;
	for (i = 0; i < sizeof(scep_ciphers) / sizeof(scep_ciphers[0]); i++)
		if (!strcmp(a->v[0], scep_ciphers[i])) {
			tp->scep_cipher = (int)i;
			return 0;
		}
	return swauth_error_set(err, -EINVAL, "scep cipher: '%s' (aes256, aes128, 3des or des)",
				a->v[0]);
}

static void print_cipher(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->scep_cipher != SWPKI_SCEP_AES256)
		fprintf(f, " scep cipher %s\n", scep_ciphers[tp->scep_cipher]);
}

static void unset_cipher(struct swpki_trustpoint *tp)
{
	tp->scep_cipher = SWPKI_SCEP_AES256;
}

static int set_accept_des(struct swpki_trustpoint *tp, const struct args *a,
			  struct swauth_error *err)
{
	int ret = want_args("scep accept-des-reply", a, 0, 0, "", err);

	if (!ret)
		tp->scep_accept_des = true;
	return ret;
}

static void print_accept_des(const struct swpki_trustpoint *tp, FILE *f)
{
	if (tp->scep_accept_des)
		fputs(" scep accept-des-reply\n", f);
}

static void unset_accept_des(struct swpki_trustpoint *tp)
{
	tp->scep_accept_des = false;
}

/* In the order written; the longest keyword that starts a line is its row. */
static const struct keyword keywords[] = {
	{ "enrollment url", set_url, print_url, unset_method },
	{ "enrollment terminal", set_terminal, print_terminal, unset_method },
	{ "enrollment selfsigned", set_selfsigned, print_selfsigned, unset_method },
	{ "enrollment profile", set_profile, print_profile, unset_method },
	{ "enrollment mode", set_mode, print_mode, unset_mode },
	{ "enrollment retry period", set_period, print_period, unset_period },
	{ "enrollment retry count", set_count, print_count, unset_count },
	{ "subject-name", set_subject, print_subject, unset_subject },
	{ "subject-alt-name", set_san, print_san, unset_san },
	{ "ip-address", set_ip, print_ip, unset_ip },
	{ "serial-number", set_serial, print_serial, unset_serial },
	{ "fqdn", set_fqdn, print_fqdn, unset_fqdn },
	{ "password", set_password, print_password, unset_password },
	{ "usage", set_usage, print_usage, unset_usage },
	{ "rsakeypair", set_rsa, print_rsa, unset_rsa },
	{ "eckeypair", set_ec, print_ec, unset_ec },
	{ "fingerprint", set_fingerprint, print_fingerprint, unset_fingerprint },
	{ "source interface", set_source, print_source, unset_source },
	{ "vrf", set_vrf, print_vrf, unset_vrf },
	{ "auto-enroll", set_auto, print_auto, unset_auto },
	{ "regenerate", set_regen, print_regen, unset_regen },
	{ "hash", set_hash, print_hash, unset_hash },
	{ "scep cipher", set_cipher, print_cipher, unset_cipher },
	{ "scep accept-des-reply", set_accept_des, print_accept_des, unset_accept_des },
};

void swpki_tp_init(struct swpki_trustpoint *tp, const char *name)
{
	memset(tp, 0, sizeof(*tp));
	snprintf(tp->name, sizeof(tp->name), "%s", name);
	tp->retry_period = SWPKI_RETRY_PERIOD_DEFAULT;
	tp->retry_count = SWPKI_RETRY_COUNT_DEFAULT;
}

static const char *tp_keyword(size_t row)
{
	return keywords[row].kw;
}

static int tp_set(void *obj, size_t row, const struct args *a, struct swauth_error *err)
{
	return keywords[row].set(obj, a, err);
}

static void tp_print(const void *obj, size_t row, FILE *f)
{
	keywords[row].print(obj, f);
}

static void tp_unset(void *obj, size_t row)
{
	keywords[row].unset(obj);
}

static const struct subcmd_table tp_table = {
	.header = "crypto pki trustpoint",
	.what = "trustpoint",
	.rows = sizeof(keywords) / sizeof(keywords[0]),
	.obj_size = sizeof(struct swpki_trustpoint),
	.keyword = tp_keyword,
	.set = tp_set,
	.print = tp_print,
	.unset = tp_unset,
};

/**
 * swpki_tp_apply() - one ca-trustpoint sub-command
 * @tp: changed only on success
 * @line: "KEYWORD [ARGS]" or "no KEYWORD [...]" (blanks collapsed)
 * @err: the reason, naming the keyword
 *
 * Return: 0 or -EINVAL/-ERANGE.
 */
int swpki_tp_apply(struct swpki_trustpoint *tp, const char *line, struct swauth_error *err)
{
	return swpki_subcmd_apply(&tp_table, tp, line, err);
}

/* swpki_tp_format() - @tp as NAME.conf's text (malloc()ed into *@text) */
int swpki_tp_format(const struct swpki_trustpoint *tp, char **text, struct swauth_error *err)
{
	return swpki_subcmd_format(&tp_table, tp, tp->name, text, err);
}

/**
 * swpki_tp_parse() - NAME.conf's text
 * @tp: filled
 * @name: the trustpoint the file must declare
 * @text: NUL-terminated
 * @file: for messages ("FILE:LINE: ...")
 * @err: filled on failure
 *
 * Return: 0 or -EINVAL.
 */
int swpki_tp_parse(struct swpki_trustpoint *tp, const char *name, const char *text,
		   const char *file, struct swauth_error *err)
{
	swpki_tp_init(tp, name);
	return swpki_subcmd_parse(&tp_table, tp, name, text, file, err);
}

static void conf_name(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s.conf", name);
}

static int check_name(const char *name, struct swauth_error *err)
{
	if (!swpki_tp_name_valid(name))
		return swauth_error_set(err, -EINVAL,
					"'%s' is not a trustpoint name (letters, digits, '.', '_', '-'; at most %d)",
					name, SWPKI_TP_NAME_MAX);
	return 0;
}

/**
 * swpki_tp_load() - read DIR/trustpoints/NAME.conf
 *
 * Return: 0, -ENOENT when there is no such trustpoint, or -errno/-EINVAL.
 */
int swpki_tp_load(struct swpki_store *s, const char *name, struct swpki_trustpoint *tp,
		  struct swauth_error *err)
{
	char file[NAME_MAX + 1], path[PATH_MAX + NAME_MAX + 16];
	unsigned char *buf;
	size_t len;
	int ret;

	ret = check_name(name, err);
	if (ret)
		return ret;
	conf_name(file, sizeof(file), name);
	snprintf(path, sizeof(path), "%s/trustpoints/%s", s->path, file);
	ret = swpki_read_at(s->tp_fd, file, path, TP_FILE_MAX, &buf, &len, err);
	if (ret == -ENOENT)
		return swauth_error_set(err, -ENOENT, "no trustpoint %s (%s)", name, path);
	if (ret)
		return ret;
	if (memchr(buf, '\0', len))
		ret = swauth_error_set(err, -EINVAL, "%s: a NUL byte (not a trustpoint)", path);
	else
		ret = swpki_tp_parse(tp, name, (const char *)buf, path, err);
	free(buf);
	return ret;
}

/**
 * swpki_tp_save() - write DIR/trustpoints/NAME.conf atomically (mode 0600:
 * it holds the challenge password)
 *
 * Return: 0 or -errno; on failure the old file is untouched.
 */
int swpki_tp_save(struct swpki_store *s, const struct swpki_trustpoint *tp,
		  struct swauth_error *err)
{
	char file[NAME_MAX + 1], *text = NULL;
	int ret;

	ret = check_name(tp->name, err);
	if (!ret)
		ret = swpki_tp_format(tp, &text, err);
	if (ret)
		return ret;
	conf_name(file, sizeof(file), tp->name);
	ret = swauth_safewrite_at(s->tp_fd, file, text, strlen(text), 0600, 0, err);
	free(text);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void swpki_tp_list_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* swpki_tp_list() - the trustpoints' names, sorted (free with swpki_tp_list_free()) */
int swpki_tp_list(struct swpki_store *s, char ***names, size_t *n, struct swauth_error *err)
{
	char **v = NULL, **nv;
	struct dirent *de;
	size_t count = 0, len;
	DIR *d;

	*names = NULL;
	*n = 0;
	d = swpki_dir_stream(s->tp_fd);
	if (!d)
		return swauth_error_set(err, -errno, "%s/trustpoints: %s", s->path, strerror(errno));
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (len <= 5 || strcmp(de->d_name + len - 5, ".conf"))
			continue;
		de->d_name[len - 5] = '\0';
		if (!swpki_tp_name_valid(de->d_name))
			continue;
		nv = realloc(v, (count + 1) * sizeof(*v));
		if (!nv || !(nv[count] = strdup(de->d_name))) {
			closedir(d);
			swpki_tp_list_free(nv ? nv : v, count);
			return swauth_error_set(err, -ENOMEM, "listing trustpoints: out of memory");
		}
		v = nv;
		count++;
	}
	closedir(d);
	qsort(v, count, sizeof(*v), cmp_names);
	*names = v;
	*n = count;
	return 0;
}

/**
 * swpki_tp_delete() - remove the trustpoint and its certificates
 *
 * Return: 0, -ENOENT when there is none, or -errno.
 */
int swpki_tp_delete(struct swpki_store *s, const char *name, struct swauth_error *err)
{
	char file[NAME_MAX + 1];
	int ret;

	ret = check_name(name, err);
	if (ret)
		return ret;
	ret = swpki_cert_remove(s, name, SWPKI_CERT_ANY, err);
	if (ret)
		return ret;
	conf_name(file, sizeof(file), name);
	if (unlinkat(s->tp_fd, file, 0)) {
		if (errno == ENOENT)
			return swauth_error_set(err, -ENOENT, "no trustpoint %s", name);
		return swauth_error_set(err, -errno, "removing %s/trustpoints/%s: %s", s->path, file,
					strerror(errno));
	}
	if (fsync(s->tp_fd))
		return swauth_error_set(err, -errno, "%s/trustpoints: fsync: %s", s->path,
					strerror(errno));
	return 0;
}
