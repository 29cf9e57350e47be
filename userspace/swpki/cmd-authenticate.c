// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki authenticate TP (IOS `crypto pki authenticate`, E4.3-E4.5): the CA
 * certificate from a file, a URL or pasted on the terminal, accepted
 * through swpki_tp_authenticate_cert(); swpki import TP certificate (E5.6,
 * manual enrollment's certificate) through swpki_tp_import_cert().
 */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/xfer.h"
#include "swpki/subcommands.h"

enum { CA_INPUT_MAX = 64 * 1024 };

static void auth_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s %s TRUSTPOINT [--file FILE|URL | --terminal] [--yes]\n\n"
		"Authenticates the trustpoint's CA (IOS `crypto pki authenticate`): its\n"
		"certificate (PEM or DER) from FILE (flash:NAME and the like), from a\n"
		"tftp://, ftp://, http(s):// or scp:// URL, or pasted on the terminal;\n"
		"without --file and --terminal, from the trustpoint's enrollment URL\n"
		"(SCEP GetCACert, with the RA's certificates, for http(s)://; the file\n"
		"BASE.ca for tftp://host/BASE or ftp://) or its `enrollment profile`,\n"
		"else pasted. It is shown with its MD5, SHA-1 and SHA-256 fingerprints\n"
		"and stored once accepted. A `fingerprint` configured in the trustpoint\n"
		"decides without a question; without one the operator is asked on a\n"
		"terminal, and without a terminal it is refused unless --yes is given.\n"
		"The certificate must be a CA (basicConstraints CA:TRUE, keyCertSign).\n\n"
		"  --file FILE   read the certificate from FILE or a URL\n"
		"  --terminal    paste it (ends with a blank line or \"quit\")\n"
		"  --yes         accept without a fingerprint or a question\n"
		"  --help        this text\n",
		PROG_NAME, subcmd);
}

static void import_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s %s TRUSTPOINT certificate [--file FILE|URL | --terminal]\n\n"
		"Installs the router's certificate of manual enrollment (IOS `crypto pki\n"
		"import TRUSTPOINT certificate`): PEM or DER from FILE (flash:NAME and the\n"
		"like), a tftp://, ftp://, http(s):// or scp:// URL, or pasted on the\n"
		"terminal; without --file and --terminal, BASE.crt (BASE-sign.crt and\n"
		"BASE-encr.crt for usage keys) from an `enrollment url tftp://host/BASE`\n"
		"(or ftp://), else pasted. It must be issued by the trustpoint's CA\n"
		"(`%s authenticate` first), not be a CA, not have expired, and carry\n"
		"one of the trustpoint's keys (the one in use, or the new one of an\n"
		"enrollment with `regenerate`); it replaces the certificate of that\n"
		"key's usage.\n"
		"`%s %s TRUSTPOINT pkcs12|pem --help`: a trustpoint's key and certificates.\n\n"
		"  --file FILE   read the certificate from FILE or a URL\n"
		"  --terminal    paste it (ends with a blank line or \"quit\")\n"
		"  --help        this text\n",
		PROG_NAME, subcmd, PROG_NAME, PROG_NAME, subcmd);
}

/* E4.5, E5.6: the paste, up to a blank line, "quit" or the end of input. */
static int read_paste(const char *what, unsigned char *buf, size_t *len,
		      struct swauth_error *err)
{
	char line[1024];
	size_t n = 0, l;

	printf("Enter the base 64 encoded %scertificate.\n"
	       "End with a blank line or the word \"quit\" on a line by itself\n", what);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		l = strcspn(line, "\r\n");
		line[l] = '\0';
		if (!l || !strcmp(line, "quit"))
			break;
		if (n + l + 1 > CA_INPUT_MAX)
			return swauth_error_set(err, -EINVAL, "the pasted certificate is too long");
		memcpy(buf + n, line, l);
		n += l;
		buf[n++] = '\n';
	}
	*len = n;
	return 0;
}

/* What both commands parse, open and read. */
struct job {
	const char *subcmd;
	const char *file;		/* --file, or NULL: the terminal */
	bool terminal, yes;
	struct swpki_store s;
	struct swpki_trustpoint tp;
	X509 *x509;
	STACK_OF(X509) *ra;		/* SCEP GetCACert's RA certificates */
	struct swauth_error err;
};

static int parse_options(struct job *j, int argc, char *argv[], bool import,
			 void (*usage)(FILE *f, const char *subcmd))
{
	static const struct option options[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "terminal", no_argument, NULL, 't' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int opt, want = import ? 2 : 1;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, import ? "f:th" : "f:tyh", options, NULL)) != -1) {
		if (opt == 'f')
			j->file = optarg;
		else if (opt == 't')
			j->terminal = true;
		else if (opt == 'y' && !import)
			j->yes = true;
		else
			return cli_help_or_bad_option(j->subcmd, argc, argv, opt, usage);
	}
	if (argc - optind != want || (j->file && j->terminal) ||
	    (import && strcmp(argv[optind + 1], "certificate"))) {
		cli_msg(j->subcmd, argc - optind != want ? "one TRUSTPOINT expected" :
			j->terminal ? "--file or --terminal, not both" :
			"only `certificate` is imported here");
		usage(stderr, j->subcmd);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

/* The certificate from the trustpoint's URL rather than --file or a paste. */
static bool from_url(const struct job *j, bool import)
{
	return !j->file && !j->terminal && j->tp.enroll == SWPKI_ENROLL_URL &&
	       (!import || !swpki_tp_is_scep(&j->tp));
}

/* Open the store, load the trustpoint (recovering a rollover): 0 or -errno. */
static int open_tp(struct job *j, const char *name)
{
	int ret;

	ret = swpki_store_open(&j->s, swpki_store_path(swpki_dir), false, &j->err);
	if (!ret)
		ret = swpki_tp_load(&j->s, name, &j->tp, &j->err);
	if (!ret)
		ret = swpki_rollover_recover(&j->s, &j->tp, stdout, &j->err);
	return ret;
}

/* Read the certificate from --file or the terminal: 0 or -errno. */
static int read_cert(struct job *j, const char *what)
{
	unsigned char *buf = NULL;
	struct swauth_xfer_opts o;
	size_t len = 0;
	int ret;

	swpki_tp_xfer_opts(&j->tp, &o);
	if (j->file) {
		ret = swauth_url_fetch(j->file, &o, CA_INPUT_MAX, &buf, &len, &j->err);
	} else {
		buf = malloc(CA_INPUT_MAX + 1);
		ret = buf ? read_paste(what, buf, &len, &j->err) :
			    swauth_error_set(&j->err, -ENOMEM, "out of memory");
	}
	if (!ret)
		ret = swpki_cert_parse(buf, len, j->file ? j->file : "the pasted certificate",
				       &j->x509, &j->err);
	free(buf);
	return ret;
}

/* The exit code after @ret: 1 for a refusal, with its message. */
static int finish(struct job *j, int ret, const char *done)
{
	X509_free(j->x509);
	sk_X509_pop_free(j->ra, X509_free);
	swpki_store_close(&j->s);
	fflush(stdout);
	if (ret == -EINVAL || ret == -EACCES) {
		cli_msg(j->subcmd, "%s", j->err.msg);
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (ret)
		return cli_fail(j->subcmd, ret, &j->err);
	printf("%s\n", done);
	return cli_stdout_done(j->subcmd, CLI_EXIT_OK);
}

int authenticate_main(int argc, char *argv[])
{
	struct job j = { .subcmd = argv[0] };
	int ret;

	ret = parse_options(&j, argc, argv, false, auth_usage);
	if (ret >= 0)
		return ret;
	if (!j.file && !j.terminal) {
		ret = profile_authenticate(j.subcmd, argv[optind], j.yes);
		if (ret >= 0)
			return ret;
	}
	ret = open_tp(&j, argv[optind]);
	if (!ret && from_url(&j, false))
		ret = swpki_tp_fetch_ca(&j.tp, &j.x509, &j.ra, &j.err);
	else if (!ret)
		ret = read_cert(&j, "CA ");
	if (!ret)
		ret = swpki_tp_authenticate_cert(&j.s, &j.tp, j.x509, j.ra, isatty(STDIN_FILENO),
						 j.yes, stdout, &j.err);
	return finish(&j, ret, "% Certificate successfully imported");
}

/* E5.7: BASE.crt, or BASE-sign.crt and BASE-encr.crt, each installed. */
static int import_url(struct job *j)
{
	static const enum swpki_key_usage general[] = { SWPKI_KEY_GENERAL };
	static const enum swpki_key_usage usage[] = { SWPKI_KEY_SIGNATURE, SWPKI_KEY_ENCRYPTION };
	const enum swpki_key_usage *u = j->tp.rsa_encsize && !j->tp.eckeypair[0] ? usage : general;
	size_t i, n = u == usage ? 2 : 1;
	enum swpki_cert_role role;
	int ret = 0;

	for (i = 0; !ret && i < n; i++) {
		X509_free(j->x509);
		j->x509 = NULL;
		ret = swpki_tp_fetch_cert(&j->tp, u[i], &j->x509, &j->err);
		if (!ret)
			ret = swpki_tp_import_cert(&j->s, &j->tp, j->x509, &role, stdout, &j->err);
	}
	return ret;
}

int import_main(int argc, char *argv[])
{
	struct job j = { .subcmd = argv[0] };
	enum swpki_cert_role role;
	int ret;

	if (argc >= 3 && (!strcmp(argv[2], "pkcs12") || !strcmp(argv[2], "pem")))
		return tp_import_main(argc, argv);
	ret = parse_options(&j, argc, argv, true, import_usage);
	if (ret >= 0)
		return ret;
	ret = open_tp(&j, argv[optind]);
	if (!ret && from_url(&j, true))
		return finish(&j, import_url(&j), "% Router Certificate successfully imported");
	if (!ret)
		ret = read_cert(&j, "");
	if (!ret)
		ret = swpki_tp_import_cert(&j.s, &j.tp, j.x509, &role, stdout, &j.err);
	return finish(&j, ret, "% Router Certificate successfully imported");
}
