// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki authenticate TP (IOS `crypto pki authenticate`, E4.3-E4.5): the CA
 * certificate from a file or pasted on the terminal, accepted through
 * swpki_tp_authenticate_cert().
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/xfer.h"
#include "swpki/subcommands.h"

enum { CA_INPUT_MAX = 64 * 1024 };

static void usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s %s TRUSTPOINT [--file FILE|URL | --terminal] [--yes]\n\n"
		"Authenticates the trustpoint's CA (IOS `crypto pki authenticate`): its\n"
		"certificate (PEM or DER) from FILE (flash:NAME and the like), from a\n"
		"tftp://, ftp://, http(s):// or scp:// URL, or pasted on the terminal\n"
		"(the default), is shown with its MD5, SHA-1 and SHA-256 fingerprints\n"
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

static int read_input(const char *file, unsigned char *buf, size_t *len,
		      struct swauth_error *err)
{
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return swauth_error_set(err, -errno, "%s: %s", file, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > CA_INPUT_MAX) {
		close(fd);
		return swauth_error_set(err, -EINVAL, "%s: not a regular file of at most %d bytes",
					file, CA_INPUT_MAX);
	}
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size)
		return swauth_error_set(err, -EIO, "reading %s: short read", file);
	*len = (size_t)n;
	return 0;
}

/* A download into memory, CA_INPUT_MAX bytes at most. */
struct mem_sink {
	struct swauth_sink sink;
	unsigned char *buf;
	size_t len;
};

static int mem_write(struct swauth_sink *sink, const void *buf, size_t len)
{
	struct mem_sink *m = (struct mem_sink *)sink;

	if (len > CA_INPUT_MAX - m->len)
		return swauth_error_set(&sink->err, -EFBIG,
					"more than %d bytes: not a CA certificate", CA_INPUT_MAX);
	memcpy(m->buf + m->len, buf, len);
	m->len += len;
	return 0;
}

/* --file URL: TFTP, or FTP, HTTP(S) and SCP through libcurl (lib/xfer.h). */
static int read_url(const struct swauth_url *u, unsigned char *buf, size_t *len,
		    struct swauth_error *err)
{
	struct mem_sink m = { .sink = { .write = mem_write }, .buf = buf };
	struct swauth_xfer_opts o = { .deadline_s = 60 };
	struct swauth_xfer_result r = { 0 };
	int ret;

	if (u->scheme == SWAUTH_URL_TFTP)
		ret = swauth_tftp_get(u, &o, &m.sink, &r, err);
	else
		ret = swauth_curl_get(u, &o, &m.sink, &r, err);
	*len = m.len;
	return ret;
}

/* E4.5: the paste, up to a blank line, "quit" or the end of input. */
static int read_paste(unsigned char *buf, size_t *len, struct swauth_error *err)
{
	char line[1024];
	size_t n = 0, l;

	printf("Enter the base 64 encoded CA certificate.\n"
	       "End with a blank line or the word \"quit\" on a line by itself\n");
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

int authenticate_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "terminal", no_argument, NULL, 't' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = argv[0], *file = NULL;
	struct swauth_error err = { 0 };
	struct swpki_trustpoint tp;
	struct swpki_store s;
	struct swauth_url url;
	char path[PATH_MAX];
	unsigned char *buf;
	bool yes = false, terminal = false, is_url;
	X509 *ca = NULL;
	size_t len = 0;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "f:tyh", options, NULL)) != -1) {
		if (opt == 'f')
			file = optarg;
		else if (opt == 't')
			terminal = true;
		else if (opt == 'y')
			yes = true;
		else
			return cli_help_or_bad_option(subcmd, argc, argv, opt, usage);
	}
	if (argc - optind != 1 || (file && terminal)) {
		cli_msg(subcmd, argc - optind != 1 ? "one TRUSTPOINT expected" :
			"--file or --terminal, not both");
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	is_url = file && !swauth_url_parse(file, &url, &err) && url.scheme != SWAUTH_URL_FILE;
	if (file && !is_url && cli_resolve_file(subcmd, file, path, sizeof(path)))
		return CLI_EXIT_USAGE;
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), false, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ret = swpki_tp_load(&s, argv[optind], &tp, &err);
	if (ret) {
		swpki_store_close(&s);
		return cli_fail(subcmd, ret, &err);
	}
	buf = malloc(CA_INPUT_MAX + 1);
	if (!buf)
		ret = swauth_error_set(&err, -ENOMEM, "out of memory");
	else if (is_url)
		ret = read_url(&url, buf, &len, &err);
	else if (file)
		ret = read_input(path, buf, &len, &err);
	else
		ret = read_paste(buf, &len, &err);
	if (!ret)
		ret = swpki_cert_parse(buf, len, file ? file : "the pasted certificate", &ca, &err);
	free(buf);
	if (!ret)
		ret = swpki_tp_authenticate_cert(&s, &tp, ca, NULL, isatty(STDIN_FILENO), yes, stdout,
						 &err);
	X509_free(ca);
	swpki_store_close(&s);
	fflush(stdout);
	if (ret == -EINVAL || ret == -EACCES) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (ret)
		return cli_fail(subcmd, ret, &err);
	printf("%% Certificate successfully imported\n");
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}
