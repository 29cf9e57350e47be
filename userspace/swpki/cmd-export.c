// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki export|import TP pkcs12|pem (IOS `crypto pki export|import`,
 * E2.1-E2.4, E2.6): a trustpoint's key pair(s), labelled with its name,
 * its certificate(s) and its CA's, as one PKCS#12 file or as PEM files
 * BASE.ca, BASE.prv and BASE.crt (usage keys: BASE-sign.* and
 * BASE-encr.*), through key-pem.c's files and the library's
 * swpki_tp_bundle_load() and swpki_tp_import() (all or nothing).
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "lib/xfer.h"
#include "swpki/subcommands.h"

enum { NAME_ANSWER_MAX = 256 };

struct xopts {
	const char *tp;
	bool pkcs12;
	const char *url;		/* pkcs12: the file; pem: BASE, or NULL: --terminal */
	const char *pfile;
	enum swpki_cipher cipher;
	bool check, exportable, usage_keys;
};

static void export_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s %s TRUSTPOINT pkcs12 URL [--passphrase-file FILE] [--cipher aes|3des]\n"
		"       %s %s TRUSTPOINT pem --url BASE|--terminal [--passphrase-file FILE]\n"
		"                            [--cipher aes|3des]\n\n"
		"Export the trustpoint's key pair (the key labelled TRUSTPOINT, which must be\n"
		"exportable and unlocked), its certificate and its CA's certificate (IOS\n"
		"`crypto pki export`): as one PKCS#12 file protected by the passphrase, or as\n"
		"PEM files BASE.ca, BASE.prv (the private key encrypted with the passphrase)\n"
		"and BASE.crt (usage keys: BASE-sign.prv, BASE-sign.crt, BASE-encr.prv,\n"
		"BASE-encr.crt), or on the terminal. URL and BASE are paths, flash:NAME, or\n"
		"tftp, ftp, http(s) or scp URLs.\n\n"
		"  --cipher aes    PKCS#12: PBES2 AES-256-CBC; PEM: PKCS#8 AES-256-CBC (default)\n"
		"  --cipher 3des   PKCS#12: PBE SHA1 3DES; PEM: traditional DES-EDE3-CBC\n"
		"  --passphrase-file FILE   the passphrase (at least %d characters, no '?');\n"
		"                           default: ask on the terminal\n"
		"  --help          this text\n",
		PROG_NAME, subcmd, PROG_NAME, subcmd, SWPKI_PASSPHRASE_MIN);
}

static void import_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s %s TRUSTPOINT pkcs12 URL [--passphrase-file FILE] [--exportable]\n"
		"       [--check]\n"
		"       %s %s TRUSTPOINT pem --url BASE|--terminal [--passphrase-file FILE]\n"
		"       [--exportable] [--usage-keys] [--check]\n\n"
		"Import a trustpoint's key pair, certificate and CA certificate (IOS `crypto\n"
		"pki import`) from a PKCS#12 file or from PEM files BASE.ca, BASE.prv and\n"
		"BASE.crt (usage keys: BASE-sign.* and BASE-encr.*), or pasted on the\n"
		"terminal. The trustpoint is created if missing; the key pair is stored as\n"
		"TRUSTPOINT. The CA certificate must be a CA and have issued the certificate,\n"
		"which must be the key's. All or nothing: on any failure nothing changes.\n\n"
		"  --exportable   the key pair may be exported again (never settable later)\n"
		"  --usage-keys   PEM: a signature and an encryption key pair\n"
		"  --check        refuse a certificate that has expired or is not valid yet\n"
		"  --passphrase-file FILE   the passphrase; default: ask on the terminal\n"
		"  --help         this text\n",
		PROG_NAME, subcmd, PROG_NAME, subcmd);
}

/* Return: -1 to go on, else the exit code (after --help, or a message). */
static int parse(int argc, char *argv[], struct xopts *o, bool import)
{
	static const struct option options[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "terminal", no_argument, NULL, 't' },
		{ "cipher", required_argument, NULL, 'c' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "check", no_argument, NULL, 'C' },
		{ "exportable", no_argument, NULL, 'e' },
		{ "usage-keys", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	void (*usage)(FILE *f, const char *subcmd) = import ? import_usage : export_usage;
	const char *subcmd = argv[0];
	bool terminal = false;
	int opt;

	memset(o, 0, sizeof(*o));
	o->cipher = SWPKI_CIPHER_AES;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":u:tc:p:Cekh", options, NULL)) != -1) {
		if ((import && opt == 'c') || (!import && strchr("Cek", opt)))
			opt = '?';
		switch (opt) {
		case 'u':
			o->url = optarg;
			break;
		case 't':
			terminal = true;
			break;
		case 'c':
			if (pem_cipher(subcmd, optarg, &o->cipher))
				return CLI_EXIT_USAGE;
			break;
		case 'p':
			o->pfile = optarg;
			break;
		case 'C':
			o->check = true;
			break;
		case 'e':
			o->exportable = true;
			break;
		case 'k':
			o->usage_keys = true;
			break;
		default:
			return cli_help_or_bad_option(subcmd, argc, argv, opt, usage);
		}
	}
	if (argc - optind >= 2)
		o->pkcs12 = !strcmp(argv[optind + 1], "pkcs12");
	if (argc - optind < 2 || (!o->pkcs12 && strcmp(argv[optind + 1], "pem")) ||
	    argc - optind != (o->pkcs12 ? 3 : 2) ||
	    (o->pkcs12 && (o->url || terminal || o->usage_keys)) ||
	    (!o->pkcs12 && terminal == !!o->url)) {
		cli_msg(subcmd,
			"TRUSTPOINT pkcs12 URL, or TRUSTPOINT pem with one of --url and --terminal");
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	o->tp = argv[optind];
	if (o->pkcs12)
		o->url = argv[optind + 2];
	return -1;
}

/*
 * On a terminal, IOS's "Destination filename [NAME]?": an answer replaces
 * the file name of @url (what follows its last '/' or ':') in @out.
 */
static void ask_filename(const char *question, const char *url, char *out, size_t len)
{
	const char *slash = strrchr(url, '/'), *colon = strrchr(url, ':');
	const char *base = slash > colon ? slash + 1 : colon ? colon + 1 : url;
	char answer[NAME_ANSWER_MAX];

	snprintf(out, len, "%s", url);
	if (!isatty(STDIN_FILENO))
		return;
	printf("%s filename [%s]? ", question, base);
	fflush(stdout);
	if (!fgets(answer, sizeof(answer), stdin))
		return;
	answer[strcspn(answer, "\r\n")] = '\0';
	if (answer[0])
		snprintf(out, len, "%.*s%s", (int)(base - url), url, answer);
}

/* @x509 as PEM, NUL-terminated; free() it. */
static char *cert_pem(X509 *x509)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *str = NULL;
	long n;

	if (bio && PEM_write_bio_X509(bio, x509) && (n = BIO_get_mem_data(bio, &data)) > 0 &&
	    (str = malloc((size_t)n + 1))) {
		memcpy(str, data, (size_t)n);
		str[n] = '\0';
	}
	BIO_free(bio);
	return str;
}

/* One PEM text to BASE+SUFFIX or the terminal, after its heading. */
static int put_text(const char *subcmd, const struct xopts *o, const char *heading,
		    const char *suffix, const char *text, mode_t mode)
{
	char name[PATH_MAX + 16], shown[PATH_MAX + 16];

	if (!o->url) {
		printf("%s\n%s", heading, text);
		return 0;
	}
	snprintf(name, sizeof(name), "%s%s", o->url, suffix);
	printf("%s\nWriting file to %s\n", heading, swauth_url_redact(name, shown, sizeof(shown)));
	fflush(stdout);
	return pem_put(subcmd, name, text, strlen(text), mode);
}

static int export_pem(const char *subcmd, struct swpki_store *s, const struct xopts *o,
		      const struct swpki_tp_bundle *b, const char *pass)
{
	static const enum swpki_key_usage usages[2][2] = {
		{ SWPKI_KEY_GENERAL }, { SWPKI_KEY_SIGNATURE, SWPKI_KEY_ENCRYPTION },
	};
	struct swauth_error err = { 0 };
	char heading[128], suffix[16], *pem, *pub, *prv;
	int i, ret = 0, n = b->usage_keys ? 2 : 1;
	enum swpki_key_usage u;

	for (i = 0; !ret && i < sk_X509_num(b->cas); i++) {
		pem = cert_pem(sk_X509_value(b->cas, i));
		ret = pem ? put_text(subcmd, o, o->url ? "% Exporting CA certificate..." :
				     "% CA certificate:", ".ca", pem, 0644) :
			cli_fail(subcmd, -ENOMEM, &err);
		free(pem);
	}
	for (i = 0; !ret && i < n; i++) {
		u = usages[b->usage_keys][i];
		ret = swpki_key_export_pem(s, o->tp, u, o->cipher, pass, &pub, &prv, &err);
		if (ret)
			return cli_fail(subcmd, ret, &err);
		free(pub);
		snprintf(heading, sizeof(heading), "%% Key name: %s\nUsage: %s%s", o->tp,
			 swpki_key_usage_text(u), o->url ? "\nExporting private key..." : "");
		snprintf(suffix, sizeof(suffix), "%s.prv", pem_suffixes[u]);
		ret = put_text(subcmd, o, heading, suffix, prv, 0600);
		pem_wipe_free(prv, strlen(prv));
		pem = ret ? NULL : cert_pem(b->cert[i]);
		snprintf(suffix, sizeof(suffix), "%s.crt", pem_suffixes[u]);
		if (!ret)
			ret = pem ? put_text(subcmd, o, o->url ? "% Exporting certificate..." :
					     "% Certificate:", suffix, pem, 0644) :
				cli_fail(subcmd, -ENOMEM, &err);
		free(pem);
	}
	return ret;
}

static int export_p12(const char *subcmd, const struct xopts *o, const struct swpki_tp_bundle *b,
		      const char *pass)
{
	struct swauth_error err = { 0 };
	char url[PATH_MAX + NAME_ANSWER_MAX], shown[sizeof(url)];
	unsigned char *der;
	size_t len;
	int ret;

	ret = swpki_p12_write(b->key[0], b->cert[0], b->cas, o->tp, pass, o->cipher, &der, &len,
			      &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ask_filename("Destination", o->url, url, sizeof(url));
	printf("Writing pkcs12 file to %s\n", swauth_url_redact(url, shown, sizeof(shown)));
	fflush(stdout);
	ret = pem_put(subcmd, url, der, len, 0600);
	OPENSSL_clear_free(der, len);
	if (!ret)
		printf("CRYPTO_PKI:Exported PKCS12 file successfully.\n"
		       "%%CRYPTO-6-PKCS12EXPORT_SUCCESS:PKCS #12 Successfully Exported.\n");
	return ret;
}

int export_main(int argc, char *argv[])
{
	const char *subcmd = argv[0];
	char pass[SWPKI_PASSPHRASE_MAX + 2];
	struct swauth_error err = { 0 };
	struct swpki_tp_bundle b;
	struct swpki_store s;
	struct xopts o;
	int ret;

	ret = parse(argc, argv, &o, false);
	if (ret >= 0)
		return ret;
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), false, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ret = swpki_tp_bundle_load(&s, o.tp, &b, &err);
	if (ret) {
		swpki_store_close(&s);
		return cli_fail(subcmd, ret, &err);
	}
	if (o.pkcs12 && b.usage_keys) {
		cli_msg(subcmd,
			"trustpoint %s has usage keys: a PKCS#12 file holds one key pair (export them as PEM)",
			o.tp);
		ret = CLI_EXIT_USAGE;
	}
	if (!ret)
		ret = key_passphrase(subcmd, o.pfile, pass, true);
	if (!ret)
		ret = o.pkcs12 ? export_p12(subcmd, &o, &b, pass) :
		      export_pem(subcmd, &s, &o, &b, pass);
	OPENSSL_cleanse(pass, sizeof(pass));
	swpki_tp_bundle_free(&b);
	swpki_store_close(&s);
	return ret ? ret : cli_stdout_done(subcmd, CLI_EXIT_OK);
}

static int read_p12(const char *subcmd, const struct xopts *o, const char *pass,
		    struct swpki_tp_bundle *b)
{
	struct swauth_error err = { 0 };
	char url[PATH_MAX + NAME_ANSWER_MAX], shown[sizeof(url)];
	char *der;
	size_t len;
	int ret;

	ask_filename("Source", o->url, url, sizeof(url));
	printf("Reading pkcs12 file from %s\n", swauth_url_redact(url, shown, sizeof(shown)));
	fflush(stdout);
	ret = pem_get(subcmd, url, &der, &len);
	if (ret)
		return ret;
	ret = swpki_p12_read((unsigned char *)der, len, pass, &b->key[0], &b->cert[0], &b->cas,
			     &err);
	pem_wipe_free(der, len);
	return ret ? cli_fail(subcmd, ret, &err) : 0;
}

/* One PEM text from BASE+SUFFIX or the terminal; pem_wipe_free() it. */
static int get_text(const char *subcmd, const struct xopts *o, const char *heading,
		    const char *prompt, const char *suffix, bool blank_ends, char **text,
		    size_t *len)
{
	char name[PATH_MAX + 16], shown[PATH_MAX + 16];
	struct swauth_error err = { 0 };

	if (!o->url) {
		*text = pem_read_terminal(prompt, blank_ends);
		if (!*text)
			return cli_fail(subcmd, -ENOMEM, &err);
		*len = strlen(*text);
		return 0;
	}
	snprintf(name, sizeof(name), "%s%s", o->url, suffix);
	printf("%s\nReading file from %s\n", heading,
	       swauth_url_redact(name, shown, sizeof(shown)));
	fflush(stdout);
	return pem_get(subcmd, name, text, len);
}

/* A certificate of @text (pem_get()'s), freed here. */
static int parse_cert(const char *subcmd, char *text, size_t len, const char *what, X509 **x509)
{
	struct swauth_error err = { 0 };
	int ret;

	ret = swpki_cert_parse((unsigned char *)text, len, what, x509, &err);
	free(text);
	return ret ? cli_fail(subcmd, ret, &err) : 0;
}

static int read_pem(const char *subcmd, const struct xopts *o, const char *pass,
		    struct swpki_tp_bundle *b)
{
	static const char *const words[] = { "", " SIGNATURE", " ENCRYPTION" };
	struct swauth_error err = { 0 };
	char prompt[64], suffix[16], *ca, *prv, *crt;
	size_t ca_len, prv_len, crt_len;
	int i, ret, n = o->usage_keys ? 2 : 1;
	enum swpki_key_usage u;
	X509 *x;

	b->usage_keys = o->usage_keys;
	ret = get_text(subcmd, o, "% Importing CA certificate...", "CA certificate", ".ca", true,
		       &ca, &ca_len);
	if (!ret)
		ret = parse_cert(subcmd, ca, ca_len, "the CA certificate", &x);
	if (!ret && (!(b->cas = sk_X509_new_null()) || !sk_X509_push(b->cas, x))) {
		X509_free(x);
		ret = cli_fail(subcmd, -ENOMEM, &err);
	}
	for (i = 0; !ret && i < n; i++) {
		u = o->usage_keys ? (enum swpki_key_usage)(SWPKI_KEY_SIGNATURE + i) :
			SWPKI_KEY_GENERAL;
		snprintf(prompt, sizeof(prompt), "encrypted private%s key", words[u]);
		snprintf(suffix, sizeof(suffix), "%s.prv", pem_suffixes[u]);
		ret = get_text(subcmd, o, "% Importing private key PEM file...", prompt, suffix,
			       false, &prv, &prv_len);
		if (ret)
			break;
		snprintf(prompt, sizeof(prompt), "%s%scertificate", words[u] + !!u, u ? " " : "");
		snprintf(suffix, sizeof(suffix), "%s.crt", pem_suffixes[u]);
		crt = NULL;
		ret = get_text(subcmd, o, "% Importing certificate PEM file...", prompt, suffix,
			       true, &crt, &crt_len);
		if (!ret) {
			ret = swpki_key_decode_pem(crt, crt_len, prv, prv_len, pass, &b->key[i],
						   &err);
			if (ret)
				ret = cli_fail(subcmd, ret, &err);
		}
		pem_wipe_free(prv, prv_len);
		if (!ret)
			ret = parse_cert(subcmd, crt, crt_len, "the certificate", &b->cert[i]);
		else
			free(crt);
	}
	return ret;
}

int tp_import_main(int argc, char *argv[])
{
	const char *subcmd = argv[0];
	char pass[SWPKI_PASSPHRASE_MAX + 2];
	struct swauth_error err = { 0 };
	struct swpki_tp_bundle b = { 0 };
	struct swpki_store s;
	struct xopts o;
	int ret;

	ret = parse(argc, argv, &o, true);
	if (ret >= 0)
		return ret;
	if (!swpki_tp_name_valid(o.tp)) {
		cli_msg(subcmd, "'%s' is not a trustpoint name", o.tp);
		return CLI_EXIT_USAGE;
	}
	ret = key_passphrase(subcmd, o.pfile, pass, false);
	if (ret)
		return ret;
	ret = o.pkcs12 ? read_p12(subcmd, &o, pass, &b) : read_pem(subcmd, &o, pass, &b);
	OPENSSL_cleanse(pass, sizeof(pass));
	if (!ret) {
		ret = swpki_store_open(&s, swpki_store_path(swpki_dir), true, &err);
		if (!ret) {
			ret = swpki_tp_import(&s, o.tp, &b, o.exportable, o.check, &err);
			swpki_store_close(&s);
		}
		if (ret)
			ret = cli_fail(subcmd, ret, &err);
	}
	swpki_tp_bundle_free(&b);
	if (ret)
		return ret;
	printf(o.pkcs12 ? "CRYPTO_PKI:Imported PKCS12 file successfully.\n"
	       "%%CRYPTO-6-PKCS12IMPORT_SUCCESS:PKCS #12 Successfully Imported.\n" :
	       "%% PEM files import succeeded.\n");
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}
