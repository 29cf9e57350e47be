// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Enrollment profiles (lib/pki.h, E7): IOS's ca-profile-enroll
 * sub-commands, one row of keywords[] each, kept as
 * DIR/profiles/LABEL.conf through subcmd.c; CA authentication and
 * enrollment by the HTTP commands a profile gives, with $P1..$P9 and $REQ
 * substituted (swauth_http_exchange()).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include "lib/fs.h"
#include "lib/pki.h"
#include "lib/pki/subcmd.h"
#include "lib/xfer.h"

enum { PROFILE_FILE_MAX = 64 * 1024, PASTE_MAX = 64 * 1024 };

struct keyword {
	const char *kw;
	int (*set)(struct swpki_profile *p, const struct args *a, struct swauth_error *err);
	void (*print)(const struct swpki_profile *p, FILE *f);
	void (*unset)(struct swpki_profile *p);
};

/* A URL: http:// or https:// and a host. */
static int copy_url(const char *kw, const char *s, char *dst, size_t size,
		    struct swauth_error *err)
{
	if ((strncmp(s, "http://", 7) || !s[7]) && (strncmp(s, "https://", 8) || !s[8]))
		return swauth_error_set(err, -EINVAL, "%s: '%s' is not an http:// or https:// URL",
					kw, s);
	return copy_text(kw, s, dst, size, err);
}

static int set_where(const char *kw, struct swpki_profile_step *st, const struct args *a,
		     bool terminal, struct swauth_error *err)
{
	int ret = want_args(kw, a, terminal ? 0 : 1, terminal ? 0 : 1, terminal ? "" : "URL", err);

	if (!ret && !terminal)
		ret = copy_url(kw, a->v[0], st->url, sizeof(st->url), err);
	if (!ret && terminal)
		st->url[0] = '\0';
	if (!ret)
		st->terminal = terminal;
	return ret;
}

static void print_where(const char *word, const struct swpki_profile_step *st, FILE *f)
{
	if (st->terminal)
		fprintf(f, " %s terminal\n", word);
	else if (st->url[0])
		fprintf(f, " %s url %s\n", word, st->url);
}

/* METHOD REST: GET /PATH?QUERY or POST BODY. */
static int set_command(const char *kw, struct swpki_profile_step *st, const struct args *a,
		       struct swauth_error *err)
{
	int ret = want_args(kw, a, 2, 1024, "GET /PATH | POST BODY", err);

	if (ret)
		return ret;
	if (strcmp(a->v[0], "GET") && strcmp(a->v[0], "POST"))
		return swauth_error_set(err, -EINVAL, "%s: '%s' (GET or POST)", kw, a->v[0]);
	if (!strcmp(a->v[0], "GET") && a->v[1][0] != '/')
		return swauth_error_set(err, -EINVAL, "%s: GET takes a path (/...), not '%s'", kw,
					a->v[1]);
	return copy_text(kw, a->rest, st->command, sizeof(st->command), err);
}

static int set_auth_url(struct swpki_profile *p, const struct args *a, struct swauth_error *err)
{
	return set_where("authentication url", &p->auth, a, false, err);
}

static int set_auth_terminal(struct swpki_profile *p, const struct args *a,
			     struct swauth_error *err)
{
	return set_where("authentication terminal", &p->auth, a, true, err);
}

static void print_auth_where(const struct swpki_profile *p, FILE *f)
{
	print_where("authentication", &p->auth, f);
}

static void unset_auth_where(struct swpki_profile *p)
{
	p->auth.url[0] = '\0';
	p->auth.terminal = false;
}

static int set_auth_command(struct swpki_profile *p, const struct args *a,
			    struct swauth_error *err)
{
	return set_command("authentication command", &p->auth, a, err);
}

static void print_auth_command(const struct swpki_profile *p, FILE *f)
{
	if (p->auth.command[0])
		fprintf(f, " authentication command %s\n", p->auth.command);
}

static void unset_auth_command(struct swpki_profile *p)
{
	p->auth.command[0] = '\0';
}

static int set_enroll_url(struct swpki_profile *p, const struct args *a, struct swauth_error *err)
{
	return set_where("enrollment url", &p->enroll, a, false, err);
}

static int set_enroll_terminal(struct swpki_profile *p, const struct args *a,
			       struct swauth_error *err)
{
	return set_where("enrollment terminal", &p->enroll, a, true, err);
}

static void print_enroll_where(const struct swpki_profile *p, FILE *f)
{
	print_where("enrollment", &p->enroll, f);
}

static void unset_enroll_where(struct swpki_profile *p)
{
	p->enroll.url[0] = '\0';
	p->enroll.terminal = false;
}

static int set_enroll_command(struct swpki_profile *p, const struct args *a,
			      struct swauth_error *err)
{
	return set_command("enrollment command", &p->enroll, a, err);
}

static void print_enroll_command(const struct swpki_profile *p, FILE *f)
{
	if (p->enroll.command[0])
		fprintf(f, " enrollment command %s\n", p->enroll.command);
}

static void unset_enroll_command(struct swpki_profile *p)
{
	p->enroll.command[0] = '\0';
}

static int set_credential(struct swpki_profile *p, const struct args *a,
			  struct swauth_error *err)
{
	int ret = want_args("enrollment credential", a, 1, 1, "TRUSTPOINT", err);

	if (!ret && !swpki_tp_name_valid(a->v[0]))
		ret = swauth_error_set(err, -EINVAL,
				       "enrollment credential: '%s' is not a trustpoint name",
				       a->v[0]);
	if (!ret)
		strcpy(p->credential, a->v[0]);
	return ret;
}

static void print_credential(const struct swpki_profile *p, FILE *f)
{
	if (p->credential[0])
		fprintf(f, " enrollment credential %s\n", p->credential);
}

static void unset_credential(struct swpki_profile *p)
{
	p->credential[0] = '\0';
}

/* parameter N value V | prompt STRING (N 1-9; STRING the rest of the line) */
static int set_param(struct swpki_profile *p, const struct args *a, struct swauth_error *err)
{
	struct swpki_profile_param *pp;
	const char *text;
	int ret = want_args("parameter", a, 3, 1024, "N value VALUE | prompt STRING", err);

	if (ret)
		return ret;
	if (strlen(a->v[0]) != 1 || a->v[0][0] < '1' || a->v[0][0] > '9')
		return swauth_error_set(err, -ERANGE, "parameter: '%s' is not 1-9", a->v[0]);
	pp = &p->param[a->v[0][0] - '1'];
	if (!strcmp(a->v[1], "value") && a->n == 3) {
		pp->prompt = false;
	} else if (!strcmp(a->v[1], "prompt")) {
		pp->prompt = true;
	} else {
		return swauth_error_set(err, -EINVAL,
					"parameter: expected 'parameter N value VALUE' (one word) or 'parameter N prompt STRING'");
	}
	text = strstr(a->rest, a->v[1]) + strlen(a->v[1]) + 1;
	return copy_text("parameter", text, pp->text, sizeof(pp->text), err);
}

static void print_param(const struct swpki_profile *p, FILE *f)
{
	size_t i;

	for (i = 0; i < SWPKI_PROFILE_PARAMS; i++)
		if (p->param[i].text[0])
			fprintf(f, " parameter %zu %s %s\n", i + 1,
				p->param[i].prompt ? "prompt" : "value", p->param[i].text);
}

/* `no parameter`: all of them (the row cannot see which). */
static void unset_param(struct swpki_profile *p)
{
	memset(p->param, 0, sizeof(p->param));
}

/* The url row prints the terminal row's line too: one of the two is set. */
static void print_none(const struct swpki_profile *p, FILE *f)
{
	(void)p;
	(void)f;
}

/* In the order written; the longest keyword that starts a line is its row. */
static const struct keyword keywords[] = {
	{ "authentication url", set_auth_url, print_auth_where, unset_auth_where },
	{ "authentication terminal", set_auth_terminal, print_none, unset_auth_where },
	{ "authentication command", set_auth_command, print_auth_command, unset_auth_command },
	{ "enrollment url", set_enroll_url, print_enroll_where, unset_enroll_where },
	{ "enrollment terminal", set_enroll_terminal, print_none, unset_enroll_where },
	{ "enrollment credential", set_credential, print_credential, unset_credential },
	{ "enrollment command", set_enroll_command, print_enroll_command, unset_enroll_command },
	{ "parameter", set_param, print_param, unset_param },
};

static const char *pf_keyword(size_t row)
{
	return keywords[row].kw;
}

static int pf_set(void *obj, size_t row, const struct args *a, struct swauth_error *err)
{
	return keywords[row].set(obj, a, err);
}

static void pf_print(const void *obj, size_t row, FILE *f)
{
	keywords[row].print(obj, f);
}

static void pf_unset(void *obj, size_t row)
{
	keywords[row].unset(obj);
}

static const struct subcmd_table profile_table = {
	.header = "crypto pki profile enrollment",
	.what = "enrollment profile",
	.rows = sizeof(keywords) / sizeof(keywords[0]),
	.obj_size = sizeof(struct swpki_profile),
	.keyword = pf_keyword,
	.set = pf_set,
	.print = pf_print,
	.unset = pf_unset,
};

void swpki_profile_init(struct swpki_profile *p, const char *name)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
}

/* swpki_profile_apply() - one ca-profile-enroll sub-command, or `no ...` */
int swpki_profile_apply(struct swpki_profile *p, const char *line, struct swauth_error *err)
{
	return swpki_subcmd_apply(&profile_table, p, line, err);
}

/* swpki_profile_format() - @p as LABEL.conf's text (malloc()ed into *@text) */
int swpki_profile_format(const struct swpki_profile *p, char **text, struct swauth_error *err)
{
	return swpki_subcmd_format(&profile_table, p, p->name, text, err);
}

/* DIR/profiles, made when @create. */
static int open_dir(struct swpki_store *s, bool create, struct swauth_error *err)
{
	int fd = openat(s->dir_fd, "profiles", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && create) {
		if (mkdirat(s->dir_fd, "profiles", 0700) && errno != EEXIST)
			return swauth_error_set(err, -errno, "%s/profiles: %s", s->path,
						strerror(errno));
		fd = openat(s->dir_fd, "profiles", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return swauth_error_set(err, -errno, "%s/profiles: %s", s->path, strerror(errno));
	return fd;
}

static int check_name(const char *name, struct swauth_error *err)
{
	if (!swpki_tp_name_valid(name))
		return swauth_error_set(err, -EINVAL,
					"'%s' is not a profile label (letters, digits, '.', '_', '-'; at most %d)",
					name, SWPKI_TP_NAME_MAX);
	return 0;
}

/**
 * swpki_profile_load() - read DIR/profiles/LABEL.conf
 *
 * Return: 0, -ENOENT when there is no such profile, or -errno/-EINVAL.
 */
int swpki_profile_load(struct swpki_store *s, const char *name, struct swpki_profile *p,
		       struct swauth_error *err)
{
	char file[NAME_MAX + 1], path[PATH_MAX + NAME_MAX + 16];
	unsigned char *buf;
	size_t len;
	int fd, ret;

	ret = check_name(name, err);
	if (ret)
		return ret;
	snprintf(file, sizeof(file), "%s.conf", name);
	snprintf(path, sizeof(path), "%s/profiles/%s", s->path, file);
	fd = open_dir(s, false, err);
	if (fd == -ENOENT)
		return swauth_error_set(err, -ENOENT, "no enrollment profile %s (%s)", name, path);
	if (fd < 0)
		return fd;
	ret = swpki_read_at(fd, file, path, PROFILE_FILE_MAX, &buf, &len, err);
	close(fd);
	if (ret == -ENOENT)
		return swauth_error_set(err, -ENOENT, "no enrollment profile %s (%s)", name, path);
	if (ret)
		return ret;
	swpki_profile_init(p, name);
	if (memchr(buf, '\0', len))
		ret = swauth_error_set(err, -EINVAL, "%s: a NUL byte (not a profile)", path);
	else
		ret = swpki_subcmd_parse(&profile_table, p, name, (const char *)buf, path, err);
	free(buf);
	return ret;
}

/* swpki_profile_save() - write DIR/profiles/LABEL.conf atomically (0600) */
int swpki_profile_save(struct swpki_store *s, const struct swpki_profile *p,
		       struct swauth_error *err)
{
	char file[NAME_MAX + 1], *text = NULL;
	int fd, ret;

	ret = check_name(p->name, err);
	if (!ret)
		ret = swpki_profile_format(p, &text, err);
	if (ret)
		return ret;
	fd = open_dir(s, true, err);
	if (fd >= 0) {
		snprintf(file, sizeof(file), "%s.conf", p->name);
		ret = swauth_safewrite_at(fd, file, text, strlen(text), 0600, 0, err);
		close(fd);
	} else {
		ret = fd;
	}
	free(text);
	return ret;
}

/* swpki_profile_delete() - remove DIR/profiles/LABEL.conf; -ENOENT when none */
int swpki_profile_delete(struct swpki_store *s, const char *name, struct swauth_error *err)
{
	char file[NAME_MAX + 1];
	int fd, ret;

	ret = check_name(name, err);
	if (ret)
		return ret;
	fd = open_dir(s, false, err);
	if (fd < 0)
		return fd == -ENOENT ? swauth_error_set(err, -ENOENT,
							"no enrollment profile %s", name) :
		       fd;
	snprintf(file, sizeof(file), "%s.conf", name);
	ret = unlinkat(fd, file, 0) || fsync(fd) ?
	      swauth_error_set(err, -errno,
			       "no enrollment profile %s: %s", name, strerror(errno)) : 0;
	close(fd);
	return ret;
}

/* --- The HTTP commands --- */

/* @s appended to the growing string *@out (*@len bytes); false when out of memory. */
static bool append(char **out, size_t *len, const char *s, size_t n)
{
	char *more = realloc(*out, *len + n + 1);

	if (!more)
		return false;
	memcpy(more + *len, s, n);
	*len += n;
	more[*len] = '\0';
	*out = more;
	return true;
}

/* $P@i's value: configured, or asked on a terminal. */
static int param_value(const struct swpki_profile *p, int i, const struct swpki_profile_io *io,
		       char *value, size_t size, struct swauth_error *err)
{
	const struct swpki_profile_param *pp = &p->param[i];

	if (!pp->text[0])
		return swauth_error_set(err, -EINVAL,
					"enrollment profile %s: $P%d is used but parameter %d is not configured",
					p->name, i + 1, i + 1);
	if (!pp->prompt) {
		snprintf(value, size, "%s", pp->text);
		return 0;
	}
	if (!io || !io->interactive)
		return swauth_error_set(err, -EACCES,
					"enrollment profile %s: parameter %d is asked (\"%s\") and there is no terminal: refused",
					p->name, i + 1, pp->text);
	fprintf(io->out, "%s ", pp->text);
	fflush(io->out);
	if (!fgets(value, (int)size, io->in))
		return swauth_error_set(err, -EINVAL,
					"enrollment profile %s: parameter %d not given",
					p->name, i + 1);
	value[strcspn(value, "\r\n")] = '\0';
	return 0;
}

/* @tmpl with $P1..$P9 and $REQ (@req, may be NULL) replaced, URL-encoded. */
static int substitute(const struct swpki_profile *p, const char *tmpl, const char *req,
		      const struct swpki_profile_io *io, char **out, struct swauth_error *err)
{
	char value[SWPKI_TP_STR_MAX], *esc;
	size_t len = 0;
	const char *s;
	int ret = 0;

	*out = NULL;
	if (!append(out, &len, "", 0))
		return swauth_error_set(err, -ENOMEM, "out of memory");
	for (s = tmpl; !ret && *s; ) {
		esc = NULL;
		if (s[0] == '$' && s[1] == 'P' && s[2] >= '1' && s[2] <= '9') {
			ret = param_value(p, s[2] - '1', io, value, sizeof(value), err);
			esc = ret ? NULL : curl_easy_escape(NULL, value, 0);
			s += 3;
		} else if (!strncmp(s, "$REQ", 4)) {
			if (!req)
				ret = swauth_error_set(err, -EINVAL,
						       "enrollment profile %s: $REQ in the authentication command",
						       p->name);
			esc = ret ? NULL : curl_easy_escape(NULL, req, 0);
			s += 4;
		} else {
			if (!append(out, &len, s, 1))
				ret = swauth_error_set(err, -ENOMEM, "out of memory");
			s++;
			continue;
		}
		if (!ret && (!esc || !append(out, &len, esc, strlen(esc))))
			ret = swauth_error_set(err, -ENOMEM, "out of memory");
		curl_free(esc);
	}
	if (ret) {
		free(*out);
		*out = NULL;
	}
	return ret;
}

/* scheme://host[:port] of @url: its length. */
static size_t origin_len(const char *url)
{
	const char *host = strstr(url, "://") + 3;

	return (size_t)(host - url) + strcspn(host, "/?#");
}

/* Every certificate of a reply: DER or PEM, one or more, or a certs-only PKCS#7. */
static int reply_certs(const struct swauth_http_reply *r, const char *what,
		       STACK_OF(X509) **certs, struct swauth_error *err)
{
	const unsigned char *p = r->data, *data = r->data;
	STACK_OF(X509) *from7 = NULL;
	PKCS7 *p7 = NULL;
	X509 *x;
	BIO *bio;
	size_t i;

	for (i = 0; i < r->len && strchr(" \t\r\n", data[i]); i++)
		;
	if (swauth_http_type_is(r->content_type, "text/html") || (i < r->len && data[i] == '<'))
		return swauth_error_set(err, -EPROTO,
					"%s: the CA answered with an HTML page (an error page?), not a certificate",
					what);
	*certs = sk_X509_new_null();
	if (!*certs)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	x = r->len <= LONG_MAX ? d2i_X509(NULL, &p, (long)r->len) : NULL;
	if (x && p == data + r->len) {
		sk_X509_push(*certs, x);
		return 0;
	}
	X509_free(x);
	p = data;
	p7 = r->len <= LONG_MAX ? d2i_PKCS7(NULL, &p, (long)r->len) : NULL;
	if (!p7 && (bio = BIO_new_mem_buf(data, (int)r->len))) {
		while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
			sk_X509_push(*certs, x);
		if (!sk_X509_num(*certs) && BIO_reset(bio) == 1)
			p7 = PEM_read_bio_PKCS7(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	if (p7 && PKCS7_type_is_signed(p7) && p7->d.sign)
		from7 = p7->d.sign->cert;
	for (i = 0; from7 && i < (size_t)sk_X509_num(from7); i++)
		if (X509_up_ref(sk_X509_value(from7, (int)i)))
			sk_X509_push(*certs, sk_X509_value(from7, (int)i));
	PKCS7_free(p7);
	ERR_clear_error();
	if (!sk_X509_num(*certs)) {
		sk_X509_pop_free(*certs, X509_free);
		*certs = NULL;
		return swauth_error_set(err, -EBADMSG,
					"%s: the reply (%zu bytes) is no certificate (DER, PEM or a PKCS#7 of certificates)",
					what, r->len);
	}
	return 0;
}

/* How @tp's requests leave: its VRF and source interface. */
static void tp_opts(const struct swpki_trustpoint *tp, struct swauth_http_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->vrf = tp->vrf[0] ? tp->vrf : NULL;
	o->source_iface = tp->source_interface[0] ? tp->source_interface : NULL;
	o->what = "enrollment profile CA";
}

/* One step (authentication or enrollment) over HTTP: the reply's certificates. */
static int http_step(const struct swpki_profile *p, const struct swpki_profile_step *st,
		     const char *what, const char *req, const unsigned char *der, size_t der_len,
		     const struct swauth_http_opts *o, const struct swpki_profile_io *io,
		     STACK_OF(X509) **certs, struct swauth_error *err)
{
	struct swauth_http_req q = { 0 };
	struct swauth_http_reply r;
	char *cmd = NULL, *url = NULL;
	int ret = 0;

	if (!st->url[0])
		return swauth_error_set(err, -EINVAL,
					"enrollment profile %s has no %s url", p->name,
					what);
	if (st->command[0])
		ret = substitute(p, st->command, req, io, &cmd, err);
	if (ret)
		return ret;
	if (cmd && !strncmp(cmd, "GET ", 4)) {
		if (asprintf(&url, "%.*s%s", (int)origin_len(st->url), st->url, cmd + 4) < 0)
			url = NULL;
	} else {
		url = strdup(st->url);
		if (cmd) {
			q.body = cmd + 5;
			q.body_len = strlen(cmd + 5);
			q.content_type = "application/x-www-form-urlencoded";
		} else if (der) {
			q.body = der;
			q.body_len = der_len;
			q.content_type = "application/pkcs10";
		}
	}
	if (!url) {
		free(cmd);
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	q.url = url;
	ret = swauth_http_exchange(&q, o, &r, err);
	if (!ret && r.status != 200)
		ret = swauth_error_set(err, -EIO, "enrollment profile %s: %s: HTTP status %ld",
				       p->name, what, r.status);
	if (!ret) {
		char label[128];

		snprintf(label, sizeof(label), "enrollment profile %s: %s", p->name, what);
		ret = reply_certs(&r, label, certs, err);
	}
	swauth_http_reply_free(&r);
	free(url);
	free(cmd);
	return ret;
}

/* A PEM certificate pasted on @io (a terminal's). */
static int paste_certs(const struct swpki_profile *p, const char *what,
		       const struct swpki_profile_io *io, STACK_OF(X509) **certs,
		       struct swauth_error *err)
{
	struct swauth_http_reply r = { 0 };
	char line[1024];
	int ret;

	if (!io || !io->interactive)
		return swauth_error_set(err, -EACCES,
					"enrollment profile %s: %s terminal, and there is no terminal: refused",
					p->name, what);
	fprintf(io->out, "Enter the base 64 encoded %scertificate.\n"
		"End with a blank line or the word \"quit\" on a line by itself\n",
		strcmp(what, "authentication") ? "" : "CA ");
	fflush(io->out);
	while (fgets(line, sizeof(line), io->in) && strcmp(line, "\n") && strcmp(line, "quit\n")) {
		if (r.len + strlen(line) > PASTE_MAX || !append((char **)&r.data, &r.len, line,
								strlen(line))) {
			free(r.data);
			return swauth_error_set(err, -EINVAL, "the pasted certificate is too long");
		}
	}
	ret = r.data ? reply_certs(&r, what, certs, err) :
	      swauth_error_set(err, -EINVAL, "no certificate pasted");
	free(r.data);
	return ret;
}

/**
 * swpki_profile_authenticate() - CA authentication as @tp's profile says
 * @s: the store
 * @tp: its `enrollment profile LABEL`; its vrf and source interface
 * @yes: accept without a fingerprint or a question (swpki_tp_authenticate_cert())
 * @io: the terminal for a paste, a parameter's prompt and the question;
 *	its @out also gets the fingerprints
 * @err: why it failed
 *
 * `authentication url URL` with `authentication command GET /PATH` fetches
 * URL's origin + /PATH ($P1..$P9 substituted), without a command URL itself;
 * `authentication terminal` takes a paste. The reply: a DER or PEM
 * certificate, or a PKCS#7 of certificates whose CA (CA:TRUE) is taken.
 *
 * Return: 0 when the CA certificate is stored, or -errno: -EACCES for a
 * prompt or paste without a terminal, or a certificate refused; -EPROTO
 * for an HTML page; -EBADMSG for a reply that is no certificate.
 */
int swpki_profile_authenticate(struct swpki_store *s, const struct swpki_trustpoint *tp,
			       bool yes, const struct swpki_profile_io *io,
			       struct swauth_error *err)
{
	STACK_OF(X509) *certs = NULL;
	struct swauth_http_opts o;
	struct swpki_profile p;
	X509 *ca = NULL;
	int ret, i;

	if (tp->enroll != SWPKI_ENROLL_PROFILE)
		return swauth_error_set(err, -EINVAL, "trustpoint %s has no enrollment profile",
					tp->name);
	ret = swpki_profile_load(s, tp->profile, &p, err);
	if (ret)
		return ret;
	tp_opts(tp, &o);
	ret = p.auth.terminal ? paste_certs(&p, "authentication", io, &certs, err) :
	      http_step(&p, &p.auth, "authentication", NULL, NULL, 0, &o, io, &certs, err);
	for (i = 0; !ret && !ca && i < sk_X509_num(certs); i++)
		if (X509_get_extension_flags(sk_X509_value(certs, i)) & EXFLAG_CA)
			ca = sk_X509_value(certs, i);
	if (!ret)
		ret = swpki_tp_authenticate_cert(s, tp, ca ? ca : sk_X509_value(certs, 0), NULL,
						 io && io->interactive, yes,
						 io && io->out ? io->out : stdout, err);
	sk_X509_pop_free(certs, X509_free);
	return ret;
}

/* `enrollment credential TP`: that trustpoint's certificate and key, for TLS. */
static int load_credential(struct swpki_store *s, const char *name, X509 **cert, EVP_PKEY **key,
			   struct swpki_token **t, struct swauth_error *err)
{
	char label[SWPKI_LABEL_MAX + 1];
	struct swpki_trustpoint ctp;
	int ret;

	*key = NULL;
	*t = NULL;
	ret = swpki_tp_load(s, name, &ctp, err);
	if (ret)
		return ret;
	*cert = swpki_cert_load(s, name, SWPKI_CERT_GENERAL, err);
	if (!*cert)
		return swauth_error_set(err, err->code ? err->code : -ENOENT,
					"enrollment credential %s: the trustpoint has no certificate (%s)",
					name, err->msg);
	if (ctp.rsakeypair[0] || ctp.eckeypair[0])
		snprintf(label, sizeof(label), "%s", ctp.rsakeypair[0] ? ctp.rsakeypair :
			 ctp.eckeypair);
	else
		ret = swpki_key_default_label(label, sizeof(label), err);
	if (!ret)
		ret = swpki_key_load_any(s, label, SWPKI_KEY_GENERAL, key, t, err);
	if (ret) {
		X509_free(*cert);
		*cert = NULL;
	}
	return ret;
}

/*
 * An https:// enrollment trusts @tp's CA (authenticated first): its PEM in
 * @o (free() the return value); the system's CAs when it has none.
 */
static char *trust_ca(struct swpki_store *s, const struct swpki_trustpoint *tp,
		      struct swauth_http_opts *o)
{
	struct swauth_error e = { 0 };
	X509 *ca = swpki_cert_load(s, tp->name, SWPKI_CERT_CA, &e);
	BIO *bio = ca ? BIO_new(BIO_s_mem()) : NULL;
	char *data, *pem = NULL;
	long n;

	if (bio && PEM_write_bio_X509(bio, ca) && (n = BIO_get_mem_data(bio, &data)) > 0 &&
	    (pem = malloc((size_t)n))) {
		memcpy(pem, data, (size_t)n);
		o->ca_pem = pem;
		o->ca_pem_len = (size_t)n;
	}
	BIO_free(bio);
	X509_free(ca);
	return pem;
}

/* The request as $REQ: base64 of its DER on one line, or its PEM. */
static int request_text(X509_REQ *req, bool pem, char **text, unsigned char **der, int *der_len,
			struct swauth_error *err)
{
	BIO *bio, *b64 = NULL;
	char *data;
	long n;

	*text = NULL;
	*der = NULL;
	*der_len = i2d_X509_REQ(req, der);
	bio = BIO_new(BIO_s_mem());
	if (!pem && bio && (b64 = BIO_new(BIO_f_base64()))) {
		BIO_set_flags(b64, BIO_FLAGS_BASE64_NO_NL);
		bio = BIO_push(b64, bio);
	}
	if (*der_len > 0 && bio && (pem || b64) &&
	    (pem ? PEM_write_bio_X509_REQ(bio, req) : BIO_write(bio, *der, *der_len) == *der_len) &&
	    BIO_flush(bio) == 1 && (n = BIO_get_mem_data(pem ? bio : BIO_next(bio), &data)) > 0 &&
	    (*text = malloc((size_t)n + 1))) {
		memcpy(*text, data, (size_t)n);
		(*text)[n] = '\0';
	}
	BIO_free_all(bio);
	if (*text)
		return 0;
	OPENSSL_free(*der);
	*der = NULL;
	return swauth_error_set(err, -ENOMEM, "encoding the request failed");
}

/**
 * swpki_profile_enroll() - enrollment as @tp's profile says
 * @s: the store
 * @tp: its `enrollment profile LABEL`, its `pem`, vrf and source interface
 * @req: the request (PKCS#10), signed by the key to certify
 * @cert: receives the certificate of @req's key; X509_free() it
 * @io: the terminal for a paste and a parameter's prompt
 * @err: why it failed
 *
 * `enrollment url URL` with `enrollment command POST BODY` posts BODY
 * (application/x-www-form-urlencoded) to URL, with GET /PATH fetches URL's
 * origin + /PATH; $P1..$P9 are the parameters (a prompt asked on @io's
 * terminal, refused without one), $REQ the request's DER in base64 (its
 * PEM with the trustpoint's `pem`), each URL-encoded. Without a command
 * the DER request is posted (application/pkcs10). `enrollment credential
 * TP` authenticates the TLS connection with TP's certificate and key (on
 * a token too). `enrollment terminal` shows the request and takes a paste.
 * The reply: a DER or PEM certificate, or a PKCS#7 of certificates; the
 * one whose public key is @req's is returned, not stored.
 *
 * Return: 0 or -errno: -EACCES for a prompt or paste without a terminal,
 * -EINVAL for a parameter used but not configured, -EPROTO for an HTML
 * page, -EBADMSG for a reply without the request's certificate.
 */
int swpki_profile_enroll(struct swpki_store *s, const struct swpki_trustpoint *tp,
			 X509_REQ *req, X509 **cert, const struct swpki_profile_io *io,
			 struct swauth_error *err)
{
	STACK_OF(X509) *certs = NULL;
	struct swpki_token *t = NULL;
	struct swauth_http_opts o;
	struct swpki_profile p;
	unsigned char *der = NULL;
	char *text = NULL, *ca_pem = NULL;
	int ret, i, der_len = 0;

	*cert = NULL;
	if (tp->enroll != SWPKI_ENROLL_PROFILE)
		return swauth_error_set(err, -EINVAL, "trustpoint %s has no enrollment profile",
					tp->name);
	ret = swpki_profile_load(s, tp->profile, &p, err);
	if (!ret)
		ret = request_text(req, tp->pem, &text, &der, &der_len, err);
	tp_opts(tp, &o);
	if (!ret)
		ca_pem = trust_ca(s, tp, &o);
	if (!ret && p.credential[0])
		ret = load_credential(s, p.credential, &o.client_cert, &o.client_key, &t, err);
	if (!ret && p.enroll.terminal) {
		if (io && io->interactive)
			PEM_write_X509_REQ(io->out, req);
		ret = paste_certs(&p, "enrollment", io, &certs, err);
	} else if (!ret) {
		ret = http_step(&p, &p.enroll, "enrollment", text, der, (size_t)der_len, &o, io,
				&certs, err);
	}
	for (i = 0; !ret && !*cert && i < sk_X509_num(certs); i++)
		if (EVP_PKEY_eq(X509_get0_pubkey(sk_X509_value(certs, i)),
				X509_REQ_get0_pubkey(req)) == 1 &&
		    X509_up_ref(sk_X509_value(certs, i)))
			*cert = sk_X509_value(certs, i);
	if (!ret && !*cert)
		ret = swauth_error_set(err, -EBADMSG,
				       "enrollment profile %s: the reply holds no certificate of the request's key",
				       p.name);
	ERR_clear_error();
	sk_X509_pop_free(certs, X509_free);
	X509_free(o.client_cert);
	EVP_PKEY_free(o.client_key);
	swpki_token_close(t);
	OPENSSL_free(der);
	free(ca_pem);
	free(text);
	return ret;
}
