// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki trustpoint NAME [SUB-COMMAND...] (IOS `crypto pki trustpoint`),
 * swpki certificate storage DIR, and the shows of trustpoints,
 * certificates and timers, in the seeds' layouts (E4.7-E4.10, E17.1).
 */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "swpki/subcommands.h"

static void trustpoint_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s %s NAME [SUB-COMMAND...]\n"
		"       %s %s --delete NAME [--yes]\n\n"
		"Creates trustpoint NAME (IOS `crypto pki trustpoint NAME`) when it does\n"
		"not exist, applies one sub-command (its words as arguments), or\n"
		"`no SUB-COMMAND` to remove one, and shows the configuration:\n\n"
		"  enrollment url URL [pem] | terminal [pem] | selfsigned | profile LABEL [pem]\n"
		"  enrollment mode ra        enrollment retry period MINUTES (1-60, 1)\n"
		"  enrollment retry count N (1-100, 10)\n"
		"  subject-name [X.500-NAME] subject-alt-name NAME\n"
		"  ip-address ADDRESS|INTERFACE|none       serial-number [none]\n"
		"  fqdn none                 password - (the challenge, from standard input)\n"
		"  usage ike|ssl-client|ssl-server...\n"
		"  rsakeypair LABEL [SIZE [ENCRYPTION-SIZE]] | eckeypair LABEL\n"
		"  fingerprint HEX           (the CA's MD5, SHA-1 or SHA-256 fingerprint)\n"
		"  source interface IFNAME   vrf NAME\n"
		"  auto-enroll [PERCENT] [regenerate]      regenerate\n"
		"  hash md5|sha1|sha256|sha384|sha512\n"
		"  scep cipher aes256|aes128|3des|des      scep accept-des-reply\n"
		"             (swauth's own: SCEP's envelope cipher, AES-256 by default,\n"
		"             and taking a CA's DES reply, as Debian's scepserver sends)\n\n"
		"  --delete   remove the trustpoint and its certificates (asks first)\n"
		"  --yes      do not ask\n"
		"  --help     this text\n",
		PROG_NAME, subcmd, PROG_NAME, subcmd);
}

/*
 * `password -`: the challenge password, which authorises enrollment at the
 * CA, is read from standard input (asked without echo on a terminal) into
 * @line, never taken from the command line where anyone reads it (ps).
 *
 * Return: 0, or CLI_EXIT_USAGE after a message.
 */
static int read_challenge(const char *subcmd, char *line, size_t len)
{
	char pw[SWPKI_TP_STR_MAX + 1] = "";
	int ret = 0;

	if (strcmp(line, "password -")) {
		cli_msg(subcmd, "password: a challenge password is never taken on the command line (anyone may read it with ps): `password -` reads it from standard input");
		return CLI_EXIT_USAGE;
	}
	if (isatty(STDIN_FILENO))
		ret = cli_read_password(subcmd, "-", pw, sizeof(pw));
	else if (!fgets(pw, sizeof(pw), stdin))
		pw[0] = '\0';
	pw[strcspn(pw, "\r\n")] = '\0';
	if (!ret && !pw[0]) {
		cli_msg(subcmd, "password -: no challenge password on standard input");
		ret = CLI_EXIT_USAGE;
	}
	if (!ret)
		snprintf(line, len, "password %s", pw);
	OPENSSL_cleanse(pw, sizeof(pw));
	return ret;
}

static int print_tp(const struct swpki_trustpoint *tp, const char *subcmd)
{
	struct swauth_error err = { 0 };
	char *text;
	int ret;

	ret = swpki_tp_format(tp, &text, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	fputs(text, stdout);
	free(text);
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

static int delete_tp(struct swpki_store *s, const char *name, bool yes, const char *subcmd)
{
	struct swauth_error err = { 0 };
	struct swpki_trustpoint tp;
	int ret;

	ret = swpki_tp_load(s, name, &tp, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	if (!cli_confirm(subcmd, stdout,
			 "% Removing a trustpoint destroys all certificates received from its Certificate Authority.\nAre you sure you want to do this? [yes/no]: ",
			 CLI_ASK_YES_NO, yes))
		return CLI_EXIT_USAGE;
	ret = swpki_tp_delete(s, name, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	printf("%% Trustpoint %s removed.\n", name);
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

int trustpoint_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "delete", no_argument, NULL, 'd' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = argv[0];
	struct swauth_error err = { 0 };
	struct swpki_trustpoint tp;
	struct swpki_store s;
	bool del = false, yes = false;
	char line[1024] = "";
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "dyh", options, NULL)) != -1) {
		if (opt == 'd')
			del = true;
		else if (opt == 'y')
			yes = true;
		else
			return cli_help_or_bad_option(subcmd, argc, argv, opt, trustpoint_usage);
	}
	if (optind >= argc || (del && argc - optind != 1)) {
		cli_msg(subcmd, del ? "--delete takes one trustpoint NAME" : "a trustpoint NAME expected");
		trustpoint_usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (!swpki_tp_name_valid(argv[optind])) {
		cli_msg(subcmd, "'%s' is not a trustpoint name (letters, digits, '.', '_', '-'; at most %d)",
			argv[optind], SWPKI_TP_NAME_MAX);
		return CLI_EXIT_USAGE;
	}
	if (swpki_join_words(subcmd, argc, argv, optind + 1, line, sizeof(line)) ||
	    (!strncmp(line, "password ", 9) && read_challenge(subcmd, line, sizeof(line))))
		return CLI_EXIT_USAGE;
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), !del, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	if (del) {
		ret = delete_tp(&s, argv[optind], yes, subcmd);
		swpki_store_close(&s);
		return ret;
	}
	ret = swpki_tp_load(&s, argv[optind], &tp, &err);
	if (ret == -ENOENT) {
		swpki_tp_init(&tp, argv[optind]);
		ret = swpki_tp_save(&s, &tp, &err);
	}
	if (!ret && line[0]) {
		ret = swpki_tp_apply(&tp, line, &err);
		if (ret) {
			cli_msg(subcmd, "%s", err.msg);
			swpki_store_close(&s);
			return CLI_EXIT_USAGE;
		}
		ret = swpki_tp_save(&s, &tp, &err);
	}
	swpki_store_close(&s);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	return print_tp(&tp, subcmd);
}

static void certificate_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s %s storage DIR\n\n"
		"Stores the certificates in the local directory DIR (IOS `crypto pki\n"
		"certificate storage`), made 0700 when missing; the certificates\n"
		"already stored are copied there. A remote location is refused.\n"
		"`%s show storage` shows where they are.\n",
		PROG_NAME, subcmd, PROG_NAME);
}

int certificate_main(int argc, char *argv[])
{
	const char *subcmd = argv[0];
	struct swauth_error err = { 0 };
	struct swpki_store s;
	bool created;
	int ret;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		certificate_usage(stdout, subcmd);
		return CLI_EXIT_OK;
	}
	if (argc != 3 || strcmp(argv[1], "storage")) {
		certificate_usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), true, &err);
	if (!ret)
		ret = swpki_cert_storage_set(&s, argv[2], &created, &err);
	else
		created = false;
	if (ret) {
		if (ret != -EINVAL)
			swpki_store_close(&s);
		return ret == -EINVAL ? (cli_msg(subcmd, "%s", err.msg), CLI_EXIT_USAGE) :
					cli_fail(subcmd, ret, &err);
	}
	swpki_store_close(&s);
	if (created)
		printf("Requested directory does not exist -- created\n");
	printf("Certificates will be stored in %s/\n", argv[2]);
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

/* IOS order (E4.10): the least significant RDN first, "cn=NAME". */
static void print_dn(const X509_NAME *name, int indent)
{
	int i, set, prev_set = -1;
	char key[80], val[512];
	unsigned char *utf8;
	const X509_NAME_ENTRY *e;
	const ASN1_OBJECT *obj;
	size_t k;
	int len, nid;

	for (i = X509_NAME_entry_count(name) - 1; i >= 0; i--) {
		e = X509_NAME_get_entry(name, i);
		obj = X509_NAME_ENTRY_get_object(e);
		nid = OBJ_obj2nid(obj);
		if (nid == NID_undef) {
			memcpy(key, "OID.", 4);
			OBJ_obj2txt(key + 4, sizeof(key) - 4, obj, 1);
		} else {
			snprintf(key, sizeof(key), "%s", OBJ_nid2sn(nid));
			for (k = 0; key[k]; k++)
				key[k] = (char)tolower((unsigned char)key[k]);
		}
		len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
		swauth_escape(val, sizeof(val), len > 0 ? (char *)utf8 : "", len > 0 ? (size_t)len : 0);
		if (len >= 0)
			OPENSSL_free(utf8);
		set = X509_NAME_ENTRY_set(e);
		if (set == prev_set)
			printf("+%s=%s", key, val);
		else
			printf("%s%*s%s=%s", prev_set < 0 ? "" : "\n", indent, "", key, val);
		prev_set = set;
	}
	if (prev_set >= 0)
		putchar('\n');
}

static time_t asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (!ASN1_TIME_to_tm(t, &tm))
		return 0;
	return timegm(&tm);
}

static void print_date(const char *label, time_t t)
{
	char when[32];

	swpki_time_text(t, when, sizeof(when));
	printf("    %s %s\n", label, when);
}

/* The renewal point of auto-enrollment (lib/pki.h, swpki_auto_renew_time()). */
static time_t renew_date(const struct swpki_trustpoint *tp, X509 *x509)
{
	struct swpki_validity v = {
		.not_before = asn1_time(X509_get0_notBefore(x509)),
		.not_after = asn1_time(X509_get0_notAfter(x509)),
	};

	return swpki_auto_renew_time(tp->auto_enroll_percent, &v);
}

static bool is_identity(enum swpki_cert_role role)
{
	return role == SWPKI_CERT_GENERAL || role == SWPKI_CERT_SIGN ||
	       role == SWPKI_CERT_ENCR || role == SWPKI_CERT_ROLLOVER;
}

static void print_serial(X509 *x509)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x509), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	printf("%s\n", hex ? hex : "?");
	OPENSSL_free(hex);
	BN_free(bn);
}

static void print_cdps(X509 *x509)
{
	STACK_OF(DIST_POINT) *cdps = X509_get_ext_d2i(x509, NID_crl_distribution_points, NULL, NULL);
	char val[512];
	int i, j;

	if (!cdps)
		return;
	printf("  CRL Distribution Points:\n");
	for (i = 0; i < sk_DIST_POINT_num(cdps); i++) {
		DIST_POINT *dp = sk_DIST_POINT_value(cdps, i);

		if (!dp->distpoint || dp->distpoint->type != 0)
			continue;
		for (j = 0; j < sk_GENERAL_NAME_num(dp->distpoint->name.fullname); j++) {
			GENERAL_NAME *gn = sk_GENERAL_NAME_value(dp->distpoint->name.fullname, j);

			if (gn->type != GEN_URI)
				continue;
			swauth_escape(val, sizeof(val), (const char *)ASN1_STRING_get0_data(gn->d.uniformResourceIdentifier),
				      (size_t)ASN1_STRING_length(gn->d.uniformResourceIdentifier));
			printf("    %s\n", val);
		}
	}
	CRL_DIST_POINTS_free(cdps);
}

static void print_verbose(X509 *x509)
{
	EVP_PKEY *key = X509_get0_pubkey(x509);

	printf("  Subject Key Info:\n");
	printf("    Public Key Algorithm: %s\n", key ? OBJ_nid2ln(EVP_PKEY_get_base_id(key)) : "?");
	printf("    Public Key Size: %d bit\n", key ? EVP_PKEY_get_bits(key) : 0);
	printf("  Signature Algorithm: %s\n", OBJ_nid2ln(X509_get_signature_nid(x509)));
	swpki_print_fingerprints(stdout, "  ", x509);
	if (X509_get_extension_flags(x509) & EXFLAG_KUSAGE)
		printf("  X509v3 Key Usage: %X\n", X509_get_key_usage(x509));
}

static void print_cert(const struct swpki_trustpoint *tp, const struct swpki_cert *c, bool verbose)
{
	static const char *const headings[] = {
		[SWPKI_CERT_CA] = "CA Certificate",
		[SWPKI_CERT_RA_SIGN] = "RA Signature Certificate",
		[SWPKI_CERT_RA_ENCR] = "RA KeyEncipher Certificate",
		[SWPKI_CERT_GENERAL] = "Certificate",
		[SWPKI_CERT_SIGN] = "Certificate",
		[SWPKI_CERT_ENCR] = "Certificate",
		[SWPKI_CERT_ROLLOVER] = "Rollover Certificate",
	};
	static const char *const usage[] = {
		[SWPKI_CERT_CA] = "Signature",
		[SWPKI_CERT_RA_SIGN] = "Signature",
		[SWPKI_CERT_RA_ENCR] = "Encryption",
		[SWPKI_CERT_GENERAL] = "General Purpose",
		[SWPKI_CERT_SIGN] = "Signature",
		[SWPKI_CERT_ENCR] = "Encryption",
		[SWPKI_CERT_ROLLOVER] = "General Purpose",
	};
	X509_NAME *subj = X509_get_subject_name(c->x509);
	char cn[256];

	/* The self-signed certificate is a CA (E8.2): the store reads it back as one. */
	if ((c->role == SWPKI_CERT_GENERAL || c->role == SWPKI_CERT_CA) &&
	    tp->enroll == SWPKI_ENROLL_SELFSIGNED)
		printf("Router Self-Signed Certificate\n");
	else
		printf("%s\n", headings[c->role]);
	printf("  Status: Available\n");
	printf("  Certificate Serial Number: ");
	print_serial(c->x509);
	printf("  Certificate Usage: %s\n", usage[c->role]);
	printf("  Issuer:\n");
	print_dn(X509_get_issuer_name(c->x509), 4);
	printf("  Subject:\n");
	if (is_identity(c->role) &&
	    X509_NAME_get_text_by_NID(subj, NID_commonName, cn, sizeof(cn)) > 0) {
		char val[256];

		swauth_escape(val, sizeof(val), cn, strlen(cn));
		printf("    Name: %s\n", val);
	}
	print_dn(subj, 4);
	print_cdps(c->x509);
	printf("  Validity Date:\n");
	print_date("start date:", asn1_time(X509_get0_notBefore(c->x509)));
	print_date("end   date:", asn1_time(X509_get0_notAfter(c->x509)));
	if (is_identity(c->role) && tp->auto_enroll)
		print_date("renew date:", renew_date(tp, c->x509));
	if (verbose)
		print_verbose(c->x509);
	printf("  Associated Trustpoints: %s\n", tp->name);
}

/* The trustpoints a show covers: @name alone, or all of them. */
static int tp_names(struct swpki_store *s, const char *name, char ***names, size_t *n,
		    struct swauth_error *err)
{
	struct swpki_trustpoint tp;
	int ret;

	if (!name)
		return swpki_tp_list(s, names, n, err);
	ret = swpki_tp_load(s, name, &tp, err);
	if (ret)
		return ret;
	*names = calloc(1, sizeof(**names));
	if (!*names || !((*names)[0] = strdup(name))) {
		free(*names);
		*names = NULL;
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	*n = 1;
	return 0;
}

/* Run @fn on each trustpoint of the show (argv: [NAME] [WORD], WORD one of @words). */
static int each_tp(int argc, char *argv[], const char *word, const char *help,
		   int (*fn)(struct swpki_store *s, const struct swpki_trustpoint *tp, bool flag,
			     struct swauth_error *err))
{
	const char *subcmd = argv[0], *name = NULL;
	struct swauth_error err = { 0 };
	struct swpki_trustpoint tp;
	struct swpki_store s;
	bool flag = false;
	char **names = NULL;
	size_t i, n = 0;
	int ret, a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			printf("Usage: %s show %s %s\n", PROG_NAME, subcmd, help);
			return CLI_EXIT_OK;
		}
		if (word && !strcmp(argv[a], word) && !flag)
			flag = true;
		else if (!name && !flag && a == 1 && word)
			name = argv[a];
		else {
			cli_msg(subcmd, "unexpected '%s' (%s)", argv[a], help);
			return CLI_EXIT_USAGE;
		}
	}
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), false, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ret = tp_names(&s, name, &names, &n, &err);
	for (i = 0; !ret && i < n; i++) {
		ret = swpki_tp_load(&s, names[i], &tp, &err);
		/* A rollover a crash left half done is finished first (E6.3). */
		if (!ret)
			ret = swpki_rollover_recover(&s, &tp, NULL, &err);
		if (!ret)
			ret = fn(&s, &tp, flag, &err);
	}
	swpki_tp_list_free(names, n);
	swpki_store_close(&s);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

static int show_certs(struct swpki_store *s, const struct swpki_trustpoint *tp, bool verbose,
		      struct swauth_error *err)
{
	struct swpki_cert *v;
	size_t i, n;
	int ret;

	ret = swpki_cert_list(s, tp->name, SWPKI_CERT_ANY, &v, &n, err);
	if (ret)
		return ret;
	if (!n)
		printf("Trustpoint %s: no certificates (not authenticated: `%s authenticate %s`)\n",
		       tp->name, PROG_NAME, tp->name);
	for (i = n; i > 0; i--)
		if (is_identity(v[i - 1].role))
			print_cert(tp, &v[i - 1], verbose);
	for (i = 0; i < n; i++)
		if (!is_identity(v[i].role))
			print_cert(tp, &v[i], verbose);
	swpki_cert_list_free(v, n);
	return 0;
}

int show_certificates_main(int argc, char *argv[])
{
	return each_tp(argc, argv, "verbose", "[TRUSTPOINT] [verbose]", show_certs);
}

/* Has @role among @v[0..n), and which (the first). */
static X509 *find_role(const struct swpki_cert *v, size_t n, enum swpki_cert_role role)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].role == role)
			return v[i].x509;
	return NULL;
}

static void status_cert(const char *heading, X509 *x509)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len;

	printf("  %s configured:\n", heading);
	printf("    Subject Name:\n");
	print_dn(X509_get_subject_name(x509), 5);
	if (X509_digest(x509, EVP_md5(), md, &len))
		swpki_print_fingerprint(stdout, "    Fingerprint MD5: ", md, len);
	if (X509_digest(x509, EVP_sha1(), md, &len))
		swpki_print_fingerprint(stdout, "    Fingerprint SHA1:", md, len);
}

static int show_tp(struct swpki_store *s, const struct swpki_trustpoint *tp, bool status,
		   struct swauth_error *err)
{
	static const enum swpki_cert_role ids[] = {
		SWPKI_CERT_GENERAL, SWPKI_CERT_SIGN, SWPKI_CERT_ENCR
	};
	struct swpki_cert *v;
	X509 *ca, *id = NULL, *subject;
	size_t n, i;
	int ret;

	ret = swpki_cert_list(s, tp->name, SWPKI_CERT_ANY, &v, &n, err);
	if (ret)
		return ret;
	ca = find_role(v, n, SWPKI_CERT_CA);
	for (i = 0; !id && i < sizeof(ids) / sizeof(ids[0]); i++)
		id = find_role(v, n, ids[i]);
	if (!id && tp->enroll == SWPKI_ENROLL_SELFSIGNED)
		id = ca;	/* the self-signed certificate, a CA (E8.2) */
	printf("Trustpoint %s:\n", tp->name);
	if (status) {
		if (ca)
			status_cert("Issuing CA certificate", ca);
		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
			X509 *x = find_role(v, n, ids[i]);
			char heading[64];

			snprintf(heading, sizeof(heading), "Router %s certificate",
				 swpki_cert_role_name(ids[i]));
			if (x)
				status_cert(heading, x);
		}
		printf("  State:\n");
		printf("    Issuing CA authenticated ....... %s\n", ca ? "Yes" : "No");
		printf("    Certificate(s) ................. %s\n", id ? "Yes" : "No");
		printf("    Rollover certificate ........... %s\n",
		       find_role(v, n, SWPKI_CERT_ROLLOVER) ? "Yes" : "No");
		if (tp->auto_enroll && tp->auto_enroll_percent)
			printf("    Auto-enrollment ................ at %u%% of the lifetime\n",
			       tp->auto_enroll_percent);
		else
			printf("    Auto-enrollment ................ %s\n",
			       tp->auto_enroll ? "at expiry" : "No");
	} else {
		subject = tp->enroll == SWPKI_ENROLL_SELFSIGNED && id ? id : ca;
		if (subject) {
			printf("  Subject Name:\n");
			print_dn(X509_get_subject_name(subject), 2);
			printf("  Serial Number: ");
			print_serial(subject);
		}
		if (tp->enroll == SWPKI_ENROLL_SELFSIGNED)
			printf("  Persistent self-signed certificate trust point\n");
		else if (!ca)
			printf("  Not authenticated: no CA certificate (`%s authenticate %s`).\n",
			       PROG_NAME, tp->name);
		if (id)
			printf("  Certificate configured.\n");
		else
			printf("  No certificate (not enrolled).\n");
		if (find_role(v, n, SWPKI_CERT_ROLLOVER))
			printf("  Rollover certificate configured.\n");
	}
	swpki_cert_list_free(v, n);
	return 0;
}

int show_trustpoints_main(int argc, char *argv[])
{
	return each_tp(argc, argv, "status", "[TRUSTPOINT] [status]", show_tp);
}

/*
 * One line per auto-enrolled trustpoint: swpkid's timer from DIR/swpkid.state,
 * else (swpkid has not run, or the file is malformed) the schedule swpkid
 * would follow, computed from the certificates.
 */
static int show_timer(struct swpki_store *s, const struct swpki_trustpoint *tp, bool unused,
		      struct swauth_error *err)
{
	static bool warned;
	struct swpki_auto_entry *v = NULL, e;
	time_t now = time(NULL);
	char at[32];
	long long left;
	size_t i, n = 0;
	int ret;

	(void)unused;
	if (!tp->auto_enroll)
		return 0;
	ret = swpki_auto_state_load(s, &v, &n, err);
	/* Said once, not for each trustpoint. */
	if (ret && ret != -ENOENT && !warned)
		cli_msg("timers", "%s; showing the schedule computed from the certificates",
			err->msg);
	warned = warned || (ret && ret != -ENOENT);
	for (i = 0; i < n && strcmp(v[i].tp, tp->name); i++)
		;
	if (i < n)
		e = v[i];
	free(v);
	if (i == n) {
		ret = swpki_auto_plan(s, tp, now, &e, err);
		if (ret)
			return ret;
	}
	if (e.status == SWPKI_AUTO_GIVEN_UP) {
		printf("|         given up  %s %s  after %u failed attempts (swpkid tries again at its next start or on a changed configuration)\n",
		       e.action == SWPKI_AUTO_RENEW ? "RENEW" : "ENROLL", tp->name, e.attempts);
		return 0;
	}
	left = e.at > now ? (long long)(e.at - now) : 0;
	swpki_time_text(e.at, at, sizeof(at));
	printf("|  %6lldd %02lld:%02lld:%02lld  %s %s  at %s", left / 86400, left / 3600 % 24,
	       left / 60 % 60, left % 60, e.status == SWPKI_AUTO_RETRY ? "RETRY" :
	       e.action == SWPKI_AUTO_RENEW ? "RENEW" : "ENROLL", tp->name, at);
	if (e.status == SWPKI_AUTO_RETRY)
		printf(" (%s, %u failed attempts of at most %u)",
		       e.action == SWPKI_AUTO_RENEW ? "renewal" : "enrollment", e.attempts,
		       tp->retry_count + 1);
	putchar('\n');
	return 0;
}

int show_timers_main(int argc, char *argv[])
{
	if (argc == 1)
		printf("PKI Timers\n");
	return each_tp(argc, argv, NULL, "(no argument)", show_timer);
}
