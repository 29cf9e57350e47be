// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki enroll TP (IOS `crypto pki enroll`, E5.4-E5.9, E6.3, E8.1-E8.3):
 * the dialogue, then lib/pki/enroll.c by the trustpoint's enrollment
 * method: SCEP, a file URL, the terminal, or a self-signed certificate.
 */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "swpki/subcommands.h"

static void enroll_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s %s TRUSTPOINT [--yes] [--auto] [--renew] [--regenerate]\n"
		"                 [--password-file FILE]\n\n"
		"Enrolls the trustpoint with its CA (IOS `crypto pki enroll`) by its\n"
		"enrollment method: SCEP (`enrollment url http://...`), a file URL\n"
		"(tftp://host/BASE: BASE.req written, the certificate imported later from\n"
		"BASE.crt with `%s import`), the terminal (the request shown; the\n"
		"certificate pasted to `%s import`), an enrollment profile's commands,\n"
		"or a self-signed certificate.\n"
		"The CA must be authenticated first (`%s authenticate`). The key pair\n"
		"is the trustpoint's rsakeypair or eckeypair (also on a token), else the\n"
		"FQDN's; a missing one is generated (non-exportable). On a terminal the challenge password,\n"
		"the serial number and the IP address are asked unless configured.\n"
		"A trustpoint with a certificate is renewed: the new certificate (and\n"
		"the new key pair with --regenerate or `regenerate`) replace the old\n"
		"ones only once installed (rollover).\n\n"
		"  --yes                 answer yes to the confirmations\n"
		"  --auto                ask nothing: the configuration only (no challenge\n"
		"                        password unless `password` or --password-file)\n"
		"  --renew               renew the trustpoint's certificate\n"
		"  --regenerate          a new key pair\n"
		"  --password-file FILE  the challenge password (its first line)\n"
		"  --help                this text\n",
		PROG_NAME, subcmd, PROG_NAME, PROG_NAME, PROG_NAME);
}

struct enroll {
	const char *subcmd;
	bool yes, auto_, renew, regenerate, interactive;
	const char *password_file;
	struct swpki_store s;
	struct swpki_trustpoint tp;
	struct swpki_enroll_keys k;
	struct swpki_enroll_answers a;
	char fqdn[SWPKI_LABEL_MAX + 1];
	X509_REQ *reqs[2];
	struct swauth_error err;
};

/*
 * A line from the terminal without echo; false at the end of input. Echo
 * goes off before the prompt shows, so that nothing typed after it is
 * flushed.
 */
static bool read_secret(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	bool ok, tty = !tcgetattr(STDIN_FILENO, &old);

	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	fputs(prompt, stdout);
	fflush(stdout);
	ok = fgets(buf, (int)size, stdin) != NULL;
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
	fputc('\n', stdout);
	if (ok)
		buf[strcspn(buf, "\r\n")] = '\0';
	return ok;
}

/* A line answered to @prompt, "" at the end of input. */
static void read_line(const char *prompt, char *buf, size_t size)
{
	fputs(prompt, stdout);
	fflush(stdout);
	if (!fgets(buf, (int)size, stdin))
		buf[0] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
}

/* A confirmation: yes without a terminal (--auto or --yes), else asked. */
static bool ask(struct enroll *e, const char *question, bool yes)
{
	if (!e->interactive)
		return true;
	return cli_confirm(e->subcmd, stdout, question, CLI_ASK_YES_NO, yes);
}

/*
 * The challenge password (E5.4): --password-file, `password`, or asked
 * twice; none in a request for a file server, which anyone may read.
 */
static int challenge(struct enroll *e)
{
	char again[SWPKI_TP_STR_MAX];
	int ret;

	if (swpki_tp_is_file(&e->tp)) {
		printf("%% The challenge password is not put in a request written to a file server (anyone may read it there)\n");
		return 0;
	}
	if (e->password_file) {
		ret = cli_read_password(e->subcmd, e->password_file, e->a.challenge,
					sizeof(e->a.challenge));
		if (ret)
			return ret;
		e->a.challenge[strcspn(e->a.challenge, "\r\n")] = '\0';
		return 0;
	}
	if (e->tp.password[0]) {
		snprintf(e->a.challenge, sizeof(e->a.challenge), "%s", e->tp.password);
		return 0;
	}
	if (!e->interactive)
		return 0;
	printf("%% Create a challenge password. You will need to verbally provide this password to the CA\n"
	       "Administrator in order to revoke your certificate.\n"
	       "For security reasons your password will not be saved in the configuration.\n"
	       "Please make a note of it.\n");
	if (!read_secret("Password:", e->a.challenge, sizeof(e->a.challenge)) ||
	    !read_secret("Re-enter password:", again, sizeof(again))) {
		cli_msg(e->subcmd, "no password given: enrollment cancelled");
		return CLI_EXIT_USAGE;
	}
	ret = strcmp(again, e->a.challenge) ? CLI_EXIT_USAGE : 0;
	OPENSSL_cleanse(again, sizeof(again));
	if (ret)
		cli_msg(e->subcmd, "the passwords do not match: enrollment cancelled");
	return ret;
}

/* The subject's serial number and IP address (E5.3, E5.4, E8.1). */
static int subject_parts(struct enroll *e)
{
	char line[sizeof(e->a.ip)];
	int ret = 0;

	if (e->tp.serial == SWPKI_SERIAL_INCLUDE ||
	    (e->tp.serial == SWPKI_SERIAL_UNSET && e->interactive &&
	     cli_confirm(e->subcmd, stdout,
			 "% Include the router serial number in the subject name? [yes/no]: ",
			 CLI_ASK_YES_NO, false)))
		ret = swpki_device_serial(e->a.serial, sizeof(e->a.serial), &e->err);
	if (ret)
		return ret;
	if (e->tp.ip_mode == SWPKI_IP_ADDR) {
		snprintf(e->a.ip, sizeof(e->a.ip), "%s", e->tp.ip_address);
	} else if (e->tp.ip_mode == SWPKI_IP_INTERFACE) {
		ret = swpki_iface_address(e->tp.ip_address, e->a.ip, sizeof(e->a.ip), &e->err);
	} else if (e->tp.ip_mode == SWPKI_IP_UNSET && e->interactive) {
		read_line("% Include an IP address in the subject name? [no]: ", line, sizeof(line));
		if (!strcasecmp(line, "yes") || !strcasecmp(line, "y")) {
			read_line("Enter Interface name or IP Address[]: ", line, sizeof(line));
			if (strchr(line, '.') || strchr(line, ':'))
				snprintf(e->a.ip, sizeof(e->a.ip), "%s", line);
			else if (line[0])
				ret = swpki_iface_address(line, e->a.ip, sizeof(e->a.ip), &e->err);
		}
	}
	return ret;
}

static const char *key_prefix(const struct enroll *e, unsigned int i)
{
	if (e->k.n == 1)
		return "";
	return e->k.usage[i] == SWPKI_KEY_SIGNATURE ? "Signature key " : "Encryption key ";
}

static void print_fingerprints(struct enroll *e)
{
	char fp[SWPKI_FP_MD5_LEN];
	unsigned int i;

	for (i = 0; i < e->k.n; i++)
		if (!swpki_req_fingerprint(e->reqs[i], fp, sizeof(fp)))
			printf("%sFingerprint: %s\n", key_prefix(e, i), fp);
}

/* E5.6: the requests on the terminal, shown again on request. */
static int show_requests(struct enroll *e)
{
	BIO *bio = BIO_new_fp(stdout, BIO_NOCLOSE);
	unsigned int i;
	bool again;

	if (!bio)
		return -ENOMEM;
	if (!e->interactive ||
	    ask(e, "Display Certificate Request to terminal? [yes/no]: ", e->yes)) {
		do {
			for (i = 0; i < e->k.n; i++) {
				if (e->k.n == 2)
					printf("%s\n", e->k.usage[i] == SWPKI_KEY_SIGNATURE ?
					       "Signature key certificate request -" :
					       "Encryption key certificate request -");
				printf("Certificate Request follows:\n\n");
				(void)BIO_flush(bio);
				swpki_req_write(bio, e->reqs[i], e->tp.pem);
				(void)BIO_flush(bio);
				printf("\n---End - This line not part of the certificate request---\n");
			}
			again = e->interactive &&
				cli_confirm(e->subcmd, stdout,
					    "Redisplay enrollment request? [yes/no]: ",
					    CLI_ASK_YES_NO, false);
		} while (again);
	}
	BIO_free(bio);
	print_fingerprints(e);
	printf("%% Import the certificate%s with `%s import %s certificate`\n",
	       e->k.n == 2 ? "s (one each)" : "", PROG_NAME, e->tp.name);
	return 0;
}

/* E8: the one persistent self-signed certificate of the device. */
static int selfsigned(struct enroll *e)
{
	char holder[SWPKI_TP_NAME_MAX + 1];
	int ret;

	ret = swpki_selfsigned_holder(&e->s, holder, sizeof(holder), &e->err);
	if (ret)
		return ret;
	if (holder[0] && strcmp(holder, e->tp.name))
		return swauth_error_set(&e->err, -EEXIST,
					"trustpoint %s already holds the device's self-signed certificate (one per device): refused",
					holder);
	if (holder[0] &&
	    !ask(e, "% You already have a self-signed certificate. Do you want to replace it? [yes/no]: ",
		 e->yes))
		return swauth_error_set(&e->err, -ECANCELED, "the self-signed certificate is kept");
	ret = subject_parts(e);
	if (ret)
		return ret;
	if (!ask(e, "Generate Self Signed Router Certificate? [yes/no]: ", e->yes))
		return swauth_error_set(&e->err, -ECANCELED, "no certificate generated");
	ret = swpki_selfsigned_enroll(&e->s, &e->tp, &e->k, &e->a, e->fqdn, &e->err);
	if (!ret)
		printf("Router Self Signed Certificate successfully created\n");
	return ret;
}

/* A CA-signed certificate: SCEP, a file URL or the terminal. */
static int with_ca(struct enroll *e)
{
	unsigned int i;
	int ret;

	printf("%% Start certificate enrollment ..\n");
	ret = challenge(e);
	if (ret > 0)
		return swauth_error_set(&e->err, -ECANCELED, "enrollment cancelled");
	if (!e->tp.fqdn_none)
		printf("%% The fully-qualified domain name in the certificate will be: %s\n", e->fqdn);
	printf("%% The subject name in the certificate will be: %s\n",
	       e->tp.subject_name_set && e->tp.subject_name[0] ? e->tp.subject_name : e->fqdn);
	ret = subject_parts(e);
	for (i = 0; !ret && i < e->k.n; i++)
		ret = swpki_enroll_request(&e->tp, &e->k, i, &e->a, e->fqdn, &e->reqs[i], &e->err);
	if (ret)
		return ret;
	if (e->tp.enroll == SWPKI_ENROLL_TERMINAL)
		return show_requests(e);
	if (!ask(e, "Request certificate from CA? [yes/no]: ", e->yes))
		return swauth_error_set(&e->err, -ECANCELED, "no request sent");
	if (e->tp.enroll == SWPKI_ENROLL_PROFILE) {
		struct swpki_profile_io io = { e->interactive, stdin, stdout };

		print_fingerprints(e);
		return swpki_enroll_by_profile(&e->s, &e->tp, &e->k, e->reqs, &io, stdout, &e->err);
	}
	if (!swpki_tp_is_scep(&e->tp)) {
		ret = swpki_enroll_file(&e->tp, &e->k, e->reqs, &e->err);
		if (ret)
			return ret;
		printf("%% Certificate request sent to file system\n");
		print_fingerprints(e);
		printf("%% Import the certificate%s, once issued, with `%s import %s certificate`\n",
		       e->k.n == 2 ? "s" : "", PROG_NAME, e->tp.name);
		return 0;
	}
	printf("%% Certificate request sent to Certificate Authority\n"
	       "%% The certificate request fingerprint will be displayed.\n"
	       "%% The '%s show certificates' command will also show the fingerprint.\n", PROG_NAME);
	print_fingerprints(e);
	fflush(stdout);
	return swpki_enroll_scep(&e->s, &e->tp, &e->k, e->reqs, stdout, &e->err);
}

static int parse(struct enroll *e, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "auto", no_argument, NULL, 'a' },
		{ "renew", no_argument, NULL, 'r' },
		{ "regenerate", no_argument, NULL, 'g' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "yargp:h", options, NULL)) != -1) {
		if (opt == 'y')
			e->yes = true;
		else if (opt == 'a')
			e->auto_ = true;
		else if (opt == 'r')
			e->renew = true;
		else if (opt == 'g')
			e->regenerate = true;
		else if (opt == 'p')
			e->password_file = optarg;
		else
			return cli_help_or_bad_option(e->subcmd, argc, argv, opt, enroll_usage);
	}
	if (!cli_one_operand(e->subcmd, argc, argv, "TRUSTPOINT")) {
		enroll_usage(stderr, e->subcmd);
		return CLI_EXIT_USAGE;
	}
	e->interactive = !e->auto_ && isatty(STDIN_FILENO);
	if (!e->interactive && !e->auto_ && !e->yes) {
		cli_msg(e->subcmd,
			"no terminal to ask on: give --auto (the configuration only) or --yes");
		return CLI_EXIT_USAGE;
	}
	return -1;
}

/* What must hold before anything is generated or asked. */
static int check(struct enroll *e)
{
	struct swauth_error ignore = { 0 };
	X509 *ca;
	bool has_cert;

	switch (e->tp.enroll) {
	case SWPKI_ENROLL_NONE:
		return swauth_error_set(&e->err, -EINVAL,
					"trustpoint %s has no enrollment method (`%s trustpoint %s enrollment ...`)",
					e->tp.name, PROG_NAME, e->tp.name);
	case SWPKI_ENROLL_SELFSIGNED:
		return 0;
	default:
		break;
	}
	ca = swpki_cert_load(&e->s, e->tp.name, SWPKI_CERT_CA, &ignore);
	if (!ca)
		return swauth_error_set(&e->err, -ENOENT,
					"trustpoint %s is not authenticated (no CA certificate): `%s authenticate %s` first",
					e->tp.name, PROG_NAME, e->tp.name);
	X509_free(ca);
	has_cert = false;
	for (enum swpki_cert_role r = SWPKI_CERT_GENERAL; r <= SWPKI_CERT_ENCR; r++) {
		X509 *x = swpki_cert_load(&e->s, e->tp.name, r, &ignore);

		has_cert |= x != NULL;
		X509_free(x);
	}
	if (e->renew && !has_cert)
		return swauth_error_set(&e->err, -ENOENT,
					"trustpoint %s has no certificate to renew", e->tp.name);
	if (has_cert && !e->renew &&
	    !ask(e, "% You already have a certificate for this trustpoint. Renew it? [yes/no]: ",
		 e->yes))
		return swauth_error_set(&e->err, -ECANCELED, "the certificate is kept");
	return 0;
}

int enroll_main(int argc, char *argv[])
{
	struct enroll e = { .subcmd = argv[0] };
	bool keys = false;
	int ret;

	ret = parse(&e, argc, argv);
	if (ret >= 0)
		return ret;
	ret = swpki_store_open(&e.s, swpki_store_path(swpki_dir), false, &e.err);
	if (!ret)
		ret = swpki_tp_load(&e.s, argv[optind], &e.tp, &e.err);
	if (!ret)
		ret = swpki_rollover_recover(&e.s, &e.tp, stdout, &e.err);
	if (!ret)
		ret = check(&e);
	if (!ret)
		ret = swpki_key_default_label(e.fqdn, sizeof(e.fqdn), &e.err);
	if (!ret) {
		keys = true;
		ret = swpki_enroll_keys_get(&e.s, &e.tp, e.regenerate || e.tp.regenerate, &e.k,
					    stdout, &e.err);
	}
	if (!ret)
		ret = e.tp.enroll == SWPKI_ENROLL_SELFSIGNED ? selfsigned(&e) : with_ca(&e);
	if (ret && keys)
		swpki_enroll_keys_abort(&e.s, &e.tp, &e.k);
	X509_REQ_free(e.reqs[0]);
	X509_REQ_free(e.reqs[1]);
	swpki_enroll_keys_free(&e.k);
	OPENSSL_cleanse(&e.a, sizeof(e.a));
	swpki_store_close(&e.s);
	fflush(stdout);
	if (ret == -ECANCELED || ret == -EINVAL || ret == -EACCES || ret == -ESTALE ||
	    ret == -EEXIST || ret == -EKEYREJECTED) {
		cli_msg(e.subcmd, "%s", e.err.msg);
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (ret)
		return cli_fail(e.subcmd, ret, &e.err);
	return cli_stdout_done(e.subcmd, CLI_EXIT_OK);
}
