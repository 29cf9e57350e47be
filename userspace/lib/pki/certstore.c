// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The certificate store (lib/pki.h): TP#SERIAL[CA|-role].cer files, DER,
 * in the certs directory or the one DIR/pki.conf names.
 */

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/x509v3.h>

#include "lib/fs.h"
#include "lib/pki.h"

enum { CERT_FILE_MAX = 64 * 1024 };


/* The suffix after TP#SERIAL of each role ("" and "CA": see lib/pki.h). */
static const char *const role_suffix[] = {
	[SWPKI_CERT_CA] = "CA",
	[SWPKI_CERT_RA_SIGN] = "-ra-sign",
	[SWPKI_CERT_RA_ENCR] = "-ra-encr",
	[SWPKI_CERT_GENERAL] = "",
	[SWPKI_CERT_SIGN] = "-sign",
	[SWPKI_CERT_ENCR] = "-encr",
	[SWPKI_CERT_ROLLOVER] = "-rollover",
};

static const char *const role_names[] = {
	[SWPKI_CERT_CA] = "CA",
	[SWPKI_CERT_RA_SIGN] = "RA signature",
	[SWPKI_CERT_RA_ENCR] = "RA encryption",
	[SWPKI_CERT_GENERAL] = "General Purpose",
	[SWPKI_CERT_SIGN] = "Signature",
	[SWPKI_CERT_ENCR] = "Encryption",
	[SWPKI_CERT_ROLLOVER] = "Rollover",
	[SWPKI_CERT_ANY] = "any",
};

const char *swpki_cert_role_name(enum swpki_cert_role role)
{
	return role_names[role];
}

/**
 * swpki_cert_storage_get() - the certificate directory DIR/pki.conf names
 * @dir_fd: DIR
 * @path: filled, "" when pki.conf names none (DIR/certs)
 * @len: size of @path
 * @err: filled on failure
 *
 * pki.conf is read by swpki_conf_read().
 *
 * Return: 0 or -errno (-EBADMSG for a pki.conf not understood).
 */
int swpki_cert_storage_get(int dir_fd, char *path, size_t len, struct swauth_error *err)
{
	struct swpki_conf c;
	int ret = swpki_conf_read(dir_fd, &c, err);

	path[0] = '\0';
	if (ret)
		return ret;
	if (strlen(c.storage) >= len)
		return swauth_error_set(err, -ENAMETOOLONG, "%s: the storage path is too long",
					SWPKI_PKI_CONF);
	strcpy(path, c.storage);
	return 0;
}


/**
 * swpki_read_at() - a whole small file of the store, never through a link
 * @dir_fd: its directory
 * @name: the file in it
 * @what: the file as messages name it
 * @max: the largest size accepted
 * @buf: set to the contents, NUL-terminated (free() it)
 * @len: set to their length
 * @err: filled on failure
 *
 * Return: 0, -ENOENT when there is no such file, -ELOOP for a symbolic link,
 * -EINVAL for what is not a regular file of at most @max bytes, or -errno.
 */
int swpki_read_at(int dir_fd, const char *name, const char *what, size_t max,
		  unsigned char **buf, size_t *len, struct swauth_error *err)
{
	struct stat st;
	ssize_t n;
	int fd;

	fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return swauth_error_set(err, -errno, "%s: %s", what,
					errno == ELOOP ? "a symbolic link (refused)" : strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		close(fd);
		return swauth_error_set(err, -EINVAL, "%s: not a regular file of at most %zu bytes",
					what, max);
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		close(fd);
		return swauth_error_set(err, -ENOMEM, "%s: out of memory", what);
	}
	n = read(fd, *buf, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(*buf);
		return swauth_error_set(err, n < 0 ? -errno : -EIO, "reading %s: %s", what,
					n < 0 ? strerror(errno) : "short read");
	}
	(*buf)[n] = '\0';
	*len = (size_t)n;
	return 0;
}

static bool is_cert_file(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && strchr(name, '#') && !strcmp(name + len - 4, ".cer") &&
	       !swauth_safewrite_is_tmp(name);
}

/* Copy every *.cer of @from into @to (before the store switches to @to). */
static int copy_certs(int from, int to, const char *path, struct swauth_error *err)
{
	struct swauth_error e = { 0 };
	struct dirent *de;
	unsigned char *buf;
	size_t len;
	DIR *d;
	int ret = 0;

	d = swpki_dir_stream(from);
	if (!d)
		return swauth_error_set(err, -errno, "listing the certificates: %s", strerror(errno));
	while (!ret && (de = readdir(d))) {
		if (!is_cert_file(de->d_name))
			continue;
		ret = swpki_read_at(from, de->d_name, de->d_name, CERT_FILE_MAX, &buf, &len, &e);
		if (!ret) {
			ret = swauth_safewrite_at(to, de->d_name, buf, len, 0644, 0, &e);
			free(buf);
		}
		if (ret)
			swauth_error_set(err, ret, "copying %s to %s: %s", de->d_name, path, e.msg);
	}
	closedir(d);
	return ret;
}

static bool is_remote(const char *path)
{
	const char *colon = strchr(path, ':');
	const char *slash = strchr(path, '/');

	return strstr(path, "://") || (colon && (!slash || colon < slash));
}

/**
 * swpki_cert_storage_set() - keep the certificates in another local directory
 * @s: the store; its certs_fd is the new directory on success
 * @path: an absolute local path; made 0700 when missing
 * @created: set when @path was made
 *
 * The certificates already stored are copied there; DIR/pki.conf then names
 * it (safe-write). A remote location (URL, host:path) is refused.
 *
 * Return: 0 or -errno.
 */
int swpki_cert_storage_set(struct swpki_store *s, const char *path, bool *created,
			   struct swauth_error *err)
{
	struct swpki_conf c;
	struct stat st;
	size_t len = strlen(path);
	int fd, ret;

	*created = false;
	if (is_remote(path))
		return swauth_error_set(err, -EINVAL,
					"%s: a remote location; certificates are stored only in a local directory (not applied)",
					path);
	if (path[0] != '/' || len >= PATH_MAX || strchr(path, '\n'))
		return swauth_error_set(err, -EINVAL, "%s: an absolute local path expected", path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	ret = swpki_conf_read(s->dir_fd, &c, err);
	if (ret)
		return ret;
	snprintf(c.storage, sizeof(c.storage), "%.*s", (int)len, path);
	if (stat(path, &st) && errno == ENOENT) {
		ret = swauth_dir_create(path, 0700, err);
		if (ret)
			return ret;
		*created = true;
	}
	fd = swpki_store_open_certs(path, err);
	if (fd < 0)
		return fd;
	ret = copy_certs(s->certs_fd, fd, path, err);
	if (!ret)
		ret = swpki_conf_write(s->dir_fd, &c, err);
	if (ret) {
		close(fd);
		return ret;
	}
	close(s->certs_fd);
	s->certs_fd = fd;
	return 0;
}

static int serial_hex(X509 *x509, char *out, size_t len, struct swauth_error *err)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x509), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	int ret = 0;

	if (!hex || hex[0] == '-' || strlen(hex) >= len)
		ret = swauth_error_set(err, -EINVAL,
				       "the certificate's serial number is negative, too long or unreadable");
	else
		strcpy(out, hex);
	OPENSSL_free(hex);
	BN_free(bn);
	return ret;
}

/*
 * TP#12CA.cer is the CA certificate of serial 12 and the router's of
 * serial 12CA: the file of a CA certificate is not replaced by one that is
 * not, nor the other way round (-EEXIST). A file that is no certificate is
 * replaced.
 */
static int check_collision(struct swpki_store *s, const char *file, X509 *x509,
			   struct swauth_error *err)
{
	char serial[128];
	struct swauth_error e = { 0 };
	const unsigned char *p;
	unsigned char *buf;
	bool was_ca, is_ca = X509_get_extension_flags(x509) & EXFLAG_CA;
	X509 *old;
	size_t len;

	if (swpki_read_at(s->certs_fd, file, file, CERT_FILE_MAX, &buf, &len, &e))
		return 0;
	p = buf;
	old = d2i_X509(NULL, &p, (long)len);
	free(buf);
	if (!old)
		return 0;
	was_ca = X509_get_extension_flags(old) & EXFLAG_CA;
	X509_free(old);
	if (was_ca == is_ca || serial_hex(x509, serial, sizeof(serial), err))
		return 0;
	return swauth_error_set(err, -EEXIST,
				"%s holds the trustpoint's %s certificate, which a certificate of serial %s may not replace (refused)",
				file, was_ca ? "CA" : "own", serial);
}

/**
 * swpki_cert_file_name() - the file swpki_cert_add() stores @x509 in
 * @tp: the trustpoint
 * @role: the certificate's role
 * @x509: the certificate (its serial number names the file)
 * @file: receives TP#SERIAL[ROLE].cer, NAME_MAX + 1 bytes
 * @err: filled on failure
 *
 * Return: 0 or -EINVAL.
 */
int swpki_cert_file_name(const char *tp, enum swpki_cert_role role, X509 *x509, char *file,
			 struct swauth_error *err)
{
	char serial[128];
	int ret;

	if (role >= SWPKI_CERT_ANY || !swpki_tp_name_valid(tp))
		return swauth_error_set(err, -EINVAL, "no such certificate role or trustpoint");
	ret = serial_hex(x509, serial, sizeof(serial), err);
	if (!ret)
		snprintf(file, NAME_MAX + 1, "%s#%s%s.cer", tp, serial, role_suffix[role]);
	return ret;
}

/**
 * swpki_cert_add_check() - would swpki_cert_add() take @x509 as @tp's @role
 *
 * Return: 0, or swpki_cert_add()'s refusal (-EEXIST, -EINVAL), nothing written.
 */
int swpki_cert_add_check(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
			 X509 *x509, struct swauth_error *err)
{
	char file[NAME_MAX + 1];
	int ret = swpki_cert_file_name(tp, role, x509, file, err);

	return ret ? ret : check_collision(s, file, x509, err);
}

/**
 * swpki_cert_add() - store @x509 as @tp's certificate of @role
 *
 * Return: 0 or -errno (-EEXIST: its file name is that of a certificate
 * of another role); nothing is left half written.
 */
int swpki_cert_add(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
		   X509 *x509, struct swauth_error *err)
{
	char file[NAME_MAX + 1];
	unsigned char *der = NULL;
	int len, ret;

	ret = swpki_cert_file_name(tp, role, x509, file, err);
	if (ret)
		return ret;
	ret = check_collision(s, file, x509, err);
	if (ret)
		return ret;
	len = i2d_X509(x509, &der);
	if (len <= 0)
		return swauth_error_set(err, -EINVAL, "%s: the certificate cannot be encoded", file);
	ret = swauth_safewrite_at(s->certs_fd, file, der, (size_t)len, 0644, 0, err);
	OPENSSL_free(der);
	return ret;
}

/* The role a file's name gives, -1 for a name of another trustpoint or none. */
static int name_role(const char *name, const char *tp, X509 *x509)
{
	size_t tplen = strlen(tp), len = strlen(name);
	const char *p;
	char rest[NAME_MAX + 1];
	int r;

	if (strncmp(name, tp, tplen) || name[tplen] != '#' || len < tplen + 6)
		return -1;
	p = name + tplen + 1;
	while (isdigit((unsigned char)*p) || (*p >= 'A' && *p <= 'F'))
		p++;
	if (p == name + tplen + 1)
		return -1;
	snprintf(rest, sizeof(rest), "%.*s", (int)(name + len - 4 - p), p);
	if (!rest[0]) {
		if (X509_get_extension_flags(x509) & EXFLAG_CA)
			return SWPKI_CERT_CA;
		return SWPKI_CERT_GENERAL;
	}
	for (r = 0; r < SWPKI_CERT_ANY; r++)
		if (r != SWPKI_CERT_CA && r != SWPKI_CERT_GENERAL && !strcmp(rest, role_suffix[r]))
			return r;
	return -1;
}

static int cmp_certs(const void *a, const void *b)
{
	const struct swpki_cert *x = a, *y = b;

	if (x->role != y->role)
		return (int)x->role - (int)y->role;
	return strcmp(x->file, y->file);
}

void swpki_cert_list_free(struct swpki_cert *certs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		X509_free(certs[i].x509);
	free(certs);
}

/**
 * swpki_cert_list() - @tp's certificates of @role (SWPKI_CERT_ANY: all),
 * sorted by role, then file name; free with swpki_cert_list_free()
 *
 * Return: 0 or -errno; a file of the trustpoint that is not DER is an error.
 */
int swpki_cert_list(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
		    struct swpki_cert **certs, size_t *n, struct swauth_error *err)
{
	struct swpki_cert *v = NULL, *nv;
	const unsigned char *p;
	unsigned char *buf;
	struct dirent *de;
	size_t count = 0, len;
	X509 *x509;
	DIR *d;
	int r, ret = 0;

	*certs = NULL;
	*n = 0;
	d = swpki_dir_stream(s->certs_fd);
	if (!d)
		return swauth_error_set(err, -errno, "listing the certificates: %s", strerror(errno));
	while (!ret && (de = readdir(d))) {
		if (!is_cert_file(de->d_name) || strncmp(de->d_name, tp, strlen(tp)) ||
		    de->d_name[strlen(tp)] != '#')
			continue;
		ret = swpki_read_at(s->certs_fd, de->d_name, de->d_name, CERT_FILE_MAX, &buf, &len,
				    err);
		if (ret)
			break;
		p = buf;
		x509 = d2i_X509(NULL, &p, (long)len);
		if (!x509 || p != buf + len) {
			X509_free(x509);
			free(buf);
			ret = swauth_error_set(err, -EINVAL, "%s: not a DER certificate", de->d_name);
			break;
		}
		free(buf);
		r = name_role(de->d_name, tp, x509);
		if (r < 0 || (role != SWPKI_CERT_ANY && r != (int)role)) {
			X509_free(x509);
			continue;
		}
		nv = realloc(v, (count + 1) * sizeof(*v));
		if (!nv) {
			X509_free(x509);
			ret = swauth_error_set(err, -ENOMEM, "listing the certificates: out of memory");
			break;
		}
		v = nv;
		v[count].role = (enum swpki_cert_role)r;
		snprintf(v[count].file, sizeof(v[count].file), "%s", de->d_name);
		v[count++].x509 = x509;
	}
	closedir(d);
	if (ret) {
		swpki_cert_list_free(v, count);
		return ret;
	}
	if (count)
		qsort(v, count, sizeof(*v), cmp_certs);
	*certs = v;
	*n = count;
	return 0;
}

/* swpki_cert_load() - @tp's first certificate of @role, or NULL (err->code -ENOENT) */
X509 *swpki_cert_load(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
		      struct swauth_error *err)
{
	struct swpki_cert *v;
	X509 *x509 = NULL;
	size_t n;

	if (swpki_cert_list(s, tp, role, &v, &n, err))
		return NULL;
	if (n) {
		x509 = v[0].x509;
		v[0].x509 = NULL;
	} else {
		swauth_error_set(err, -ENOENT, "trustpoint %s has no %s certificate", tp,
				 role_names[role]);
	}
	swpki_cert_list_free(v, n);
	return x509;
}

/* Every TP#*.cer, whatever it holds (a damaged file goes with its trustpoint). */
static int remove_all(struct swpki_store *s, const char *tp, struct swauth_error *err)
{
	struct dirent *de;
	size_t len = strlen(tp);
	DIR *d;
	int ret = 0;

	d = swpki_dir_stream(s->certs_fd);
	if (!d)
		return swauth_error_set(err, -errno, "listing the certificates: %s", strerror(errno));
	while (!ret && (de = readdir(d)))
		if (is_cert_file(de->d_name) && !strncmp(de->d_name, tp, len) &&
		    de->d_name[len] == '#' && unlinkat(s->certs_fd, de->d_name, 0) && errno != ENOENT)
			ret = swauth_error_set(err, -errno, "removing %s: %s", de->d_name,
					       strerror(errno));
	closedir(d);
	return ret;
}

/**
 * swpki_cert_remove() - remove @tp's certificates of @role
 *
 * SWPKI_CERT_ANY removes every file of the trustpoint, also one that is not
 * a certificate any more.
 *
 * Return: 0 or -errno.
 */
int swpki_cert_remove(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
		      struct swauth_error *err)
{
	struct swpki_cert *v = NULL;
	size_t i, n = 0;
	int ret;

	if (role == SWPKI_CERT_ANY)
		ret = remove_all(s, tp, err);
	else
		ret = swpki_cert_list(s, tp, role, &v, &n, err);
	for (i = 0; !ret && i < n; i++)
		if (unlinkat(s->certs_fd, v[i].file, 0) && errno != ENOENT)
			ret = swauth_error_set(err, -errno, "removing %s: %s", v[i].file,
					       strerror(errno));
	if (!ret && fsync(s->certs_fd))
		ret = swauth_error_set(err, -errno, "certificate directory: fsync: %s",
				       strerror(errno));
	swpki_cert_list_free(v, n);
	return ret;
}
