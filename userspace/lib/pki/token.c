// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Key pairs on a PKCS#11 token (lib/pki.h, "Tokens"): the module, the
 * login with its failure count, on-token generation of non-extractable
 * keys, listing, zeroize, and EVP_PKEYs whose private operations run on
 * the token.
 */

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libp11.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <p11-kit/pkcs11.h>

#include "lib/config.h"
#include "lib/fs.h"
#include "lib/pki.h"

/* DER of the OID of P-256 (prime256v1), CKA_EC_PARAMS of a P-256 key. */
static const CK_BYTE p256_params[] = {
	0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07
};

struct swpki_token {
	const struct swpki_store *s;
	char name[SWPKI_TOKEN_NAME_MAX + 1];
	char module[PATH_MAX];
	int tokens_fd;			/* DIR/tokens, flock()ed around a login */
	void *dl;			/* our reference to the module, for its function list */
	CK_FUNCTION_LIST *f;
	bool own_init;			/* f is an instance of its own (p11-kit's proxy) */
	PKCS11_CTX *ctx;		/* libp11 initialises and finalises the module */
	PKCS11_SLOT *slots;
	unsigned int nslots;
	PKCS11_SLOT *slot;
	CK_SLOT_ID slot_id;
	char serial[17];
	struct swpki_token_state st;
	time_t gone_since;		/* when the token was first missed, 0 while present */
	bool logged_in;
};

/* A token's name is its label, and a file name in DIR/tokens. */
static int check_name(const char *name, const char *what, size_t max, struct swauth_error *err)
{
	size_t i, len = strlen(name);
	char shown[4 * 64 + 1];

	/* A token's label is the token's word: escaped in the message. */
	swauth_escape(shown, sizeof(shown), name, 64);
	if (!len || len > max || name[0] == '.')
		return swauth_error_set(err, -EINVAL,
					"%s '%s': 1 to %zu characters, not starting with a dot",
					what, shown, max);
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)name[i]) && !strchr("-_.", name[i]))
			return swauth_error_set(err, -EINVAL,
						"%s '%s': only letters, digits, '-', '_' and '.'",
						what, shown);
	}
	return 0;
}

/* DIR/tokens, made when @create; ours or root's, written by nobody else. */
static int open_tokens(const struct swpki_store *s, bool create, struct swauth_error *err)
{
	struct stat st;
	int fd;

	fd = openat(s->dir_fd, "tokens", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		if (mkdirat(s->dir_fd, "tokens", 0700) && errno != EEXIST)
			return swauth_error_set(err, -errno, "%s/tokens: %s", s->path,
						strerror(errno));
		fd = openat(s->dir_fd, "tokens", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return swauth_error_set(err, -errno, "%s/tokens: %s", s->path, strerror(errno));
	if (fstat(fd, &st) || (st.st_uid != geteuid() && st.st_uid != 0) || (st.st_mode & 077)) {
		close(fd);
		return swauth_error_set(err, -EPERM,
					"%s/tokens must be a directory of root's (or yours), mode 0700: refused",
					s->path);
	}
	return fd;
}

/* Reads a small file of DIR/tokens or DIR into @buf; -ENOENT when missing. */
static int read_small(int dir_fd, const char *name, bool secret, char *buf, size_t len,
		      struct swauth_error *err)
{
	ssize_t r;
	int fd;

	fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return swauth_error_set(err, -errno, "%s: %s", name, strerror(errno));
	}
	if (secret && swauth_secret_file_check(name, fd, err)) {
		close(fd);
		return err->code;
	}
	r = read(fd, buf, len - 1);
	close(fd);
	if (r < 0)
		return swauth_error_set(err, -errno, "%s: %s", name, strerror(errno));
	buf[r] = '\0';
	return 0;
}

/**
 * swpki_token_module() - the PKCS#11 module: `token module PATH` in DIR/pki.conf
 * @s: the store
 * @path: receives the module (SWPKI_TOKEN_MODULE when none is configured)
 * @len: size of @path
 * @err: filled on failure
 *
 * Return: 0 or -errno.
 */
int swpki_token_module(const struct swpki_store *s, char *path, size_t len,
		       struct swauth_error *err)
{
	struct swpki_conf c;
	int ret = swpki_conf_read(s->dir_fd, &c, err);
	const char *val = c.token_module[0] ? c.token_module : SWPKI_TOKEN_MODULE;

	if (ret)
		return ret;
	if (strlen(val) >= len)
		return swauth_error_set(err, -EINVAL, "%s/pki.conf: token module: a path, please",
					s->path);
	strcpy(path, val);
	return 0;
}

/* "@kw N": N in decimal digits only, @min to SWPKI_TOKEN_SETTING_MAX, into *@v. */
static bool state_number(const char *line, const char *kw, unsigned int min, unsigned int *v)
{
	const char *p = line + strlen(kw);
	unsigned long n = 0;

	if (strncmp(line, kw, strlen(kw)) || !*p)
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > SWPKI_TOKEN_SETTING_MAX)
			return false;
	}
	*v = (unsigned int)n;
	return n >= min;
}

/**
 * swpki_token_state_get() - what swpki keeps about token @name
 * @s: the store
 * @name: the token's label
 * @st: receives it (the defaults when nothing is kept)
 * @err: filled on failure
 *
 * Return: 0 or -errno.
 */
int swpki_token_state_get(const struct swpki_store *s, const char *name,
			  struct swpki_token_state *st, struct swauth_error *err)
{
	char file[SWPKI_TOKEN_NAME_MAX + 8], buf[512], *line, *save = NULL;
	unsigned int v;
	int fd, ret;

	st->max_retries = SWPKI_TOKEN_MAX_RETRIES;
	st->removal_timeout = 0;
	st->failed_logins = 0;
	ret = check_name(name, "token", SWPKI_TOKEN_NAME_MAX, err);
	if (ret)
		return ret;
	fd = openat(s->dir_fd, "tokens", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : swauth_error_set(err, -errno, "%s/tokens: %s",
							      s->path, strerror(errno));
	snprintf(file, sizeof(file), "%s.conf", name);
	ret = read_small(fd, file, false, buf, sizeof(buf), err);
	close(fd);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (state_number(line, "max-retries ", 1, &v))
			st->max_retries = v;
		else if (state_number(line, "removal-timeout ", 0, &v))
			st->removal_timeout = v;
		else if (state_number(line, "failed-logins ", 0, &v))
			st->failed_logins = v;
		else
			return swauth_error_set(err, -EBADMSG,
						"%s/tokens/%s: '%.64s' is not max-retries, removal-timeout or failed-logins N",
						s->path, file, line);
	}
	return 0;
}

/**
 * swpki_token_state_set() - keep @st for token @name (written safely)
 * @s: the store
 * @name: the token's label
 * @st: what to keep
 * @err: filled on failure
 *
 * Return: 0 or -errno.
 */
int swpki_token_state_set(const struct swpki_store *s, const char *name,
			  const struct swpki_token_state *st, struct swauth_error *err)
{
	char file[SWPKI_TOKEN_NAME_MAX + 8], text[128];
	int fd, ret;

	ret = check_name(name, "token", SWPKI_TOKEN_NAME_MAX, err);
	if (ret)
		return ret;
	fd = open_tokens(s, true, err);
	if (fd < 0)
		return fd;
	snprintf(file, sizeof(file), "%s.conf", name);
	snprintf(text, sizeof(text), "max-retries %u\nremoval-timeout %u\nfailed-logins %u\n",
		 st->max_retries, st->removal_timeout, st->failed_logins);
	ret = swauth_safewrite_at(fd, file, text, strlen(text), 0600, 0, err);
	close(fd);
	return ret;
}

/* libp11's last error, for messages, into @buf. */
static const char *p11_error(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();

	snprintf(buf, len, "no reason given");
	if (e)
		ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}

/*
 * The module is code that runs as root: one named by a path is opened and
 * must be a regular file of root's (or the caller's) that group and others
 * may not write (@dir: the store, for messages). @load is then
 * /proc/self/fd/N of that descriptor, so that what is loaded is the file
 * checked, not one put in its place since. A bare name is the dynamic
 * linker's to find in the system's directories.
 *
 * Return: 0 with *@fd the descriptor (close it once loaded; -1 for a bare
 * name), or -errno with @err.
 */
static int open_module(const char *module, const char *dir, int *fd, char *load, size_t len,
		       struct swauth_error *err)
{
	struct stat st;
	int ret = 0;

	snprintf(load, len, "%s", module);
	*fd = -1;
	if (!strchr(module, '/'))
		return 0;
	*fd = open(module, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (*fd < 0)
		return swauth_error_set(err, -ENOENT,
					"token module %s cannot be loaded: %s (set `token module PATH` in %s/pki.conf)",
					module, strerror(errno), dir);
	if (fstat(*fd, &st) || !S_ISREG(st.st_mode))
		ret = swauth_error_set(err, -ENOEXEC, "token module %s is not a regular file",
				       module);
	else if (st.st_uid != 0 && st.st_uid != geteuid())
		ret = swauth_error_set(err, -EPERM,
				       "token module %s belongs to uid %u, not to root or you: not loaded",
				       module, (unsigned int)st.st_uid);
	else if (st.st_mode & 022)
		ret = swauth_error_set(err, -EPERM,
				       "token module %s may be written by group or others (mode %04o): not loaded",
				       module, (unsigned int)(st.st_mode & 07777));
	if (ret) {
		close(*fd);
		*fd = -1;
		return ret;
	}
	snprintf(load, len, "/proc/self/fd/%d", *fd);
	return 0;
}

/*
 * Loads the module twice over: dlopen() for its function list, libp11 for
 * the rest (the same file: the dynamic linker maps it once). A module gives
 * every caller the same list, which libp11 has initialised; p11-kit's proxy
 * gives each its own, which we initialise and finalise.
 */
static int load_module(struct swpki_token *t, const struct swpki_store *s,
		       struct swauth_error *err)
{
	CK_C_INITIALIZE_ARGS args = { .flags = CKF_OS_LOCKING_OK };
	CK_C_GetFunctionList get;
	char why[256], load[PATH_MAX];
	CK_RV rv;
	int ret, fd, failed;

	ret = swpki_token_module(s, t->module, sizeof(t->module), err);
	if (ret)
		return ret;
	ret = open_module(t->module, s->path, &fd, load, sizeof(load), err);
	if (ret)
		return ret;
	t->dl = dlopen(load, RTLD_NOW | RTLD_LOCAL);
	if (!t->dl) {
		if (fd >= 0)
			close(fd);
		return swauth_error_set(err, -ENOENT,
					"token module %s cannot be loaded: %s (set `token module PATH` in %s/pki.conf)",
					t->module, dlerror(), s->path);
	}
	get = (CK_C_GetFunctionList)dlsym(t->dl, "C_GetFunctionList");
	if (!get || get(&t->f) != CKR_OK || !t->f) {
		if (fd >= 0)
			close(fd);
		return swauth_error_set(err, -ENOEXEC,
					"token module %s is not a PKCS#11 module (no C_GetFunctionList)",
					t->module);
	}
	t->ctx = PKCS11_CTX_new();
	failed = !t->ctx || PKCS11_CTX_load(t->ctx, load);
	if (fd >= 0)
		close(fd);
	if (!t->ctx)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	if (failed) {
		PKCS11_CTX_free(t->ctx);
		t->ctx = NULL;
		ERR_clear_error();
		/* libp11 only says "could not load": ask the module why. */
		rv = t->f->C_Initialize(&args);
		if (rv == CKR_OK)
			t->f->C_Finalize(NULL);
		return swauth_error_set(err, -EIO,
					"token module %s: initialisation failed (CKR 0x%lx): is the token store it is configured with there?",
					t->module, (unsigned long)rv);
	}
	if (PKCS11_enumerate_slots(t->ctx, &t->slots, &t->nslots))
		return swauth_error_set(err, -EIO, "token module %s: no slot list: %s",
					t->module, p11_error(why, sizeof(why)));
	rv = t->f->C_Initialize(&args);
	if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
		return swauth_error_set(err, -EIO, "token module %s: initialisation failed (CKR 0x%lx)",
					t->module, (unsigned long)rv);
	t->own_init = rv == CKR_OK;
	return 0;
}

static void unload_module(struct swpki_token *t)
{
	if (t->own_init)
		t->f->C_Finalize(NULL);
	if (t->slots)
		PKCS11_release_all_slots(t->ctx, t->slots, t->nslots);
	if (t->ctx) {
		PKCS11_CTX_unload(t->ctx);
		PKCS11_CTX_free(t->ctx);
	}
	if (t->dl)
		dlclose(t->dl);
	t->slots = NULL;
	t->ctx = NULL;
	t->dl = NULL;
}

enum { MAX_SLOTS = 64, MAX_OBJECTS = 256 };

/* A blank-padded PKCS#11 text field as a C string. */
static void field(char *dst, size_t len, const CK_UTF8CHAR *src, size_t n)
{
	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	while (n && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

/**
 * swpki_token_slots() - every slot of the module, with its token if any
 * @s: the store (its pki.conf names the module)
 * @slots: receives an array; free() it
 * @n: receives its length
 * @module: receives the module's path
 * @module_len: size of @module
 * @err: filled on failure
 *
 * Return: 0 or -errno.
 */
int swpki_token_slots(const struct swpki_store *s, struct swpki_token_slot **slots,
		      size_t *n, char *module, size_t module_len, struct swauth_error *err)
{
	struct swpki_token t = { .tokens_fd = -1 };
	struct swpki_token_slot *out = NULL;
	CK_SLOT_ID ids[MAX_SLOTS];
	CK_ULONG i, count = MAX_SLOTS;
	CK_SLOT_INFO si;
	CK_TOKEN_INFO ti;
	int ret;

	*slots = NULL;
	*n = 0;
	ret = load_module(&t, s, err);
	if (!ret && t.f->C_GetSlotList(CK_FALSE, ids, &count) != CKR_OK)
		ret = swauth_error_set(err, -EIO, "token module %s: no slot list", t.module);
	if (!ret && !(out = calloc(count ? count : 1, sizeof(*out))))
		ret = swauth_error_set(err, -ENOMEM, "out of memory");
	for (i = 0; !ret && i < count; i++) {
		out[i].id = ids[i];
		if (t.f->C_GetSlotInfo(out[i].id, &si) == CKR_OK)
			field(out[i].description, sizeof(out[i].description),
			      si.slotDescription, sizeof(si.slotDescription));
		if (t.f->C_GetTokenInfo(out[i].id, &ti) != CKR_OK)
			continue;
		out[i].present = true;
		out[i].initialized = ti.flags & CKF_TOKEN_INITIALIZED;
		field(out[i].label, sizeof(out[i].label), ti.label, sizeof(ti.label));
		field(out[i].manufacturer, sizeof(out[i].manufacturer), ti.manufacturerID,
		      sizeof(ti.manufacturerID));
		field(out[i].model, sizeof(out[i].model), ti.model, sizeof(ti.model));
		field(out[i].serial, sizeof(out[i].serial), ti.serialNumber,
		      sizeof(ti.serialNumber));
		out[i].user_pin_locked = ti.flags & CKF_USER_PIN_LOCKED;
	}
	if (!ret) {
		*slots = out;
		*n = count;
		snprintf(module, module_len, "%s", t.module);
	}
	unload_module(&t);
	return ret;
}

/* Is the token whose serial we saw at open still in its slot? */
static bool present(struct swpki_token *t)
{
	CK_TOKEN_INFO ti;
	char serial[17];

	if (t->f->C_GetTokenInfo(t->slot_id, &ti) != CKR_OK)
		return false;
	field(serial, sizeof(serial), ti.serialNumber, sizeof(ti.serialNumber));
	return !strcmp(serial, t->serial);
}

/**
 * swpki_token_check() - is the token still there? Before each use.
 * @t: the token
 * @err: filled when it is not
 *
 * A token that is gone is an error at once with removal-timeout 0. With
 * removal-timeout S, a long-running process keeps the token's session
 * and keys loaded for S seconds after it was first missed, so that a
 * token put back in time is used again without a new login; meanwhile
 * each use fails with -EAGAIN, and after S seconds with -ENODEV.
 *
 * Return: 0, -EAGAIN (gone, within the timeout) or -ENODEV (gone).
 */
int swpki_token_check(struct swpki_token *t, struct swauth_error *err)
{
	time_t now = time(NULL);

	if (present(t)) {
		t->gone_since = 0;
		return 0;
	}
	if (!t->gone_since)
		t->gone_since = now;
	if (t->st.removal_timeout && now - t->gone_since < (time_t)t->st.removal_timeout)
		return swauth_error_set(err, -EAGAIN,
					"token %s was removed: its keys stay loaded %lld more seconds (removal-timeout %u)",
					t->name,
					(long long)(t->st.removal_timeout - (now - t->gone_since)),
					t->st.removal_timeout);
	return swauth_error_set(err, -ENODEV,
				"token %s was removed (serial %s, module %s): its keys are unloaded; nothing was written",
				t->name, t->serial, t->module);
}

/* The token's slot in our function list's numbering (the proxy's may differ). */
static int own_slot(struct swpki_token *t, struct swauth_error *err)
{
	CK_SLOT_ID ids[MAX_SLOTS];
	CK_ULONG i, count = MAX_SLOTS;

	if (t->f->C_GetSlotList(CK_TRUE, ids, &count) != CKR_OK)
		count = 0;
	for (i = 0; i < count; i++) {
		t->slot_id = ids[i];
		if (present(t))
			return 0;
	}
	return swauth_error_set(err, -ENODEV, "token %s (serial %s) vanished from module %s",
				t->name, t->serial, t->module);
}

/**
 * swpki_token_open() - load the module and find the token labelled @name
 * @tp: receives the token; swpki_token_close() it
 * @s: the store; stays open while the token is
 * @name: the token's label
 * @err: filled on failure
 *
 * One token is open at a time in a process: libp11 finalises the module
 * when it is closed.
 *
 * Return: 0 or -errno; -ENODEV when no token has that label.
 */
int swpki_token_open(struct swpki_token **tp, const struct swpki_store *s, const char *name,
		     struct swauth_error *err)
{
	struct swpki_token *t;
	PKCS11_SLOT *slot = NULL;
	unsigned int i;
	int ret;

	*tp = NULL;
	ret = check_name(name, "token", SWPKI_TOKEN_NAME_MAX, err);
	if (ret)
		return ret;
	t = calloc(1, sizeof(*t));
	if (!t)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	t->s = s;
	t->tokens_fd = -1;
	strcpy(t->name, name);
	ret = swpki_token_state_get(s, name, &t->st, err);
	if (!ret)
		ret = load_module(t, s, err);
	for (i = 0; !ret && i < t->nslots; i++) {
		if (!t->slots[i].token || strcmp(t->slots[i].token->label, name))
			continue;
		if (slot) {
			ret = swauth_error_set(err, -ENOTUNIQ,
					       "two tokens are labelled %s (module %s): relabel one",
					       name, t->module);
			break;
		}
		slot = &t->slots[i];
	}
	if (!ret && !slot)
		ret = swauth_error_set(err, -ENODEV,
				       "no token labelled %s in module %s (is it plugged in? `swpki token list`)",
				       name, t->module);
	if (ret) {
		swpki_token_close(t);
		return ret;
	}
	t->slot = slot;
	snprintf(t->serial, sizeof(t->serial), "%s", slot->token->serialnr);
	ret = own_slot(t, err);
	if (ret) {
		swpki_token_close(t);
		return ret;
	}
	*tp = t;
	return 0;
}

/**
 * swpki_token_close() - unload the token's sessions and its module
 * @t: the token, or NULL
 *
 * Keys from swpki_token_key_get() must be freed first.
 */
void swpki_token_close(struct swpki_token *t)
{
	if (!t)
		return;
	unload_module(t);
	if (t->tokens_fd >= 0)
		close(t->tokens_fd);
	free(t);
}

/* The reason libp11 gave for its last failure: the PKCS#11 return value. */
static CK_RV p11_rv(void)
{
	return ERR_GET_REASON(ERR_peek_last_error());
}

/*
 * Counts a login attempt before the token is asked, so that a guess is
 * never tried uncounted: not when the count cannot be written (a full
 * disk), nor by a process killed between C_Login and the write. A good
 * login resets the count; a failure that is not a wrong PIN takes the
 * attempt back.
 */
static int count_attempt(struct swpki_token *t, struct swauth_error *err)
{
	struct swauth_error werr;

	t->st.failed_logins++;
	if (swpki_token_state_set(t->s, t->name, &t->st, &werr)) {
		t->st.failed_logins--;
		return swauth_error_set(err, werr.code,
					"token %s: the login attempt cannot be counted (%s): the PIN was not tried",
					t->name, werr.msg);
	}
	return 0;
}

/* Refuses without asking the token once max-retries logins failed in a row. */
static int retries_left(struct swpki_token *t, struct swauth_error *err)
{
	int ret = swpki_token_state_get(t->s, t->name, &t->st, err);

	if (ret)
		return ret;
	if (t->st.failed_logins >= t->st.max_retries)
		return swauth_error_set(err, -EPERM,
					"token %s: %u failed logins reached max-retries %u: login refused without trying the token; check the PIN, then reset the count with `swpki token %s max-retries N`",
					t->name, t->st.failed_logins, t->st.max_retries, t->name);
	return 0;
}

static int stored_pin(struct swpki_token *t, char *pin, size_t len, struct swauth_error *err)
{
	char file[SWPKI_TOKEN_NAME_MAX + 8];
	int fd, ret;

	fd = openat(t->s->dir_fd, "tokens", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	snprintf(file, sizeof(file), "%s.pin", t->name);
	ret = fd < 0 ? -ENOENT : read_small(fd, file, true, pin, len, err);
	if (fd >= 0)
		close(fd);
	if (ret == -ENOENT)
		return swauth_error_set(err, -EACCES,
					"token %s: not logged in (`swpki token %s login --pin-file FILE`)",
					t->name, t->name);
	pin[strcspn(pin, "\r\n")] = '\0';
	return ret;
}

/**
 * swpki_token_login() - C_Login as the user, counted against max-retries
 * @t: the token
 * @pin: the user PIN, or NULL for the one `swpki token NAME login` kept
 * @err: filled on failure
 *
 * Past max-retries consecutive failures the token is not asked at all
 * until `swpki token NAME max-retries N` resets the count; a good login
 * resets it too. The attempt is counted before the token is asked, and
 * not made when the count cannot be written. Logins of several processes
 * are serialised (flock on DIR/tokens) so that the count is exact.
 *
 * Return: 0, -EACCES (wrong or no PIN), -EPERM (max-retries reached),
 * -ENODEV (the token is gone) or another -errno (-ENOSPC: not counted,
 * not tried).
 */
int swpki_token_login(struct swpki_token *t, const char *pin, struct swauth_error *err)
{
	char kept[SWPKI_TOKEN_PIN_MAX + 2];
	CK_RV rv;
	int ret;

	if (t->logged_in)
		return swpki_token_check(t, err);
	ret = swpki_token_check(t, err);
	if (ret)
		return ret;
	if (t->tokens_fd < 0) {
		t->tokens_fd = open_tokens(t->s, true, err);
		if (t->tokens_fd < 0)
			return t->tokens_fd;
	}
	if (flock(t->tokens_fd, LOCK_EX))
		return swauth_error_set(err, -errno, "%s/tokens: lock: %s", t->s->path,
					strerror(errno));
	ret = retries_left(t, err);
	if (!ret && !pin && !(ret = stored_pin(t, kept, sizeof(kept), err)))
		pin = kept;
	if (!ret)
		ret = count_attempt(t, err);
	if (!ret && PKCS11_login(t->slot, 0, pin)) {
		rv = p11_rv();
		ERR_clear_error();
		if (rv != CKR_PIN_INCORRECT && rv != CKR_PIN_LEN_RANGE) {
			t->st.failed_logins--;
			swpki_token_state_set(t->s, t->name, &t->st, err);
		}
		if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LEN_RANGE)
			ret = swauth_error_set(err, -EACCES,
					       "token %s: wrong PIN (failed login %u of max-retries %u)",
					       t->name, t->st.failed_logins, t->st.max_retries);
		else if (rv == CKR_PIN_LOCKED)
			ret = swauth_error_set(err, -EPERM,
					       "token %s: the token itself locked its user PIN (the security officer must unlock it)",
					       t->name);
		else if (!present(t))
			ret = swpki_token_check(t, err);
		else
			ret = swauth_error_set(err, -EIO, "token %s: login failed (CKR 0x%lx)",
					       t->name, (unsigned long)rv);
	}
	if (!ret) {
		t->logged_in = true;
		t->st.failed_logins = 0;
		ret = swpki_token_state_set(t->s, t->name, &t->st, err);
	}
	OPENSSL_cleanse(kept, sizeof(kept));
	flock(t->tokens_fd, LOCK_UN);
	return ret;
}

/**
 * swpki_token_remember_pin() - keep @pin in DIR/tokens/NAME.pin (0600)
 * @t: the token, logged in with @pin
 * @pin: the user PIN
 * @err: filled on failure
 *
 * The seeds' automatic login: the PIN is in the store, root's alone,
 * never in a configuration that is shown.
 *
 * Return: 0 or -errno.
 */
int swpki_token_remember_pin(struct swpki_token *t, const char *pin, struct swauth_error *err)
{
	char file[SWPKI_TOKEN_NAME_MAX + 8], text[SWPKI_TOKEN_PIN_MAX + 2];
	int fd, ret;

	fd = open_tokens(t->s, true, err);
	if (fd < 0)
		return fd;
	snprintf(file, sizeof(file), "%s.pin", t->name);
	snprintf(text, sizeof(text), "%s\n", pin);
	ret = swauth_safewrite_at(fd, file, text, strlen(text), 0600, 0, err);
	OPENSSL_cleanse(text, sizeof(text));
	close(fd);
	return ret;
}

/**
 * swpki_token_logout() - forget token @name's PIN
 * @s: the store
 * @name: the token's label
 * @err: filled on failure
 *
 * A process's PKCS#11 login ends with the process; what outlives it is the
 * kept PIN, which this removes: later operations are refused until the
 * next `login`.
 *
 * Return: 0, -ENOENT when not logged in, or another -errno.
 */
int swpki_token_logout(const struct swpki_store *s, const char *name, struct swauth_error *err)
{
	char file[SWPKI_TOKEN_NAME_MAX + 8];
	int fd, ret = 0;

	ret = check_name(name, "token", SWPKI_TOKEN_NAME_MAX, err);
	if (ret)
		return ret;
	fd = openat(s->dir_fd, "tokens", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	snprintf(file, sizeof(file), "%s.pin", name);
	if (fd < 0 || unlinkat(fd, file, 0))
		ret = errno == ENOENT ? swauth_error_set(err, -ENOENT, "token %s: not logged in",
							 name) :
		      swauth_error_set(err, -errno, "%s/tokens/%s: %s", s->path, file,
				       strerror(errno));
	else if (fsync(fd))
		ret = swauth_error_set(err, -errno, "%s/tokens: %s", s->path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return ret;
}

static int need_login(struct swpki_token *t, struct swauth_error *err)
{
	int ret = swpki_token_check(t, err);

	if (!ret && !t->logged_in)
		ret = swpki_token_login(t, NULL, err);
	return ret;
}

/* A PKCS#11 failure in a session: a removed token says so. */
static int rv_error(struct swpki_token *t, CK_RV rv, const char *what, struct swauth_error *err)
{
	if (rv == CKR_DEVICE_REMOVED || rv == CKR_TOKEN_NOT_PRESENT ||
	    rv == CKR_SESSION_HANDLE_INVALID || rv == CKR_SESSION_CLOSED || !present(t))
		return swauth_error_set(err, -ENODEV, "token %s was removed during %s: nothing was written",
					t->name, what);
	return swauth_error_set(err, -EIO, "token %s: %s failed (CKR 0x%lx)", t->name, what,
				(unsigned long)rv);
}

static int open_session(struct swpki_token *t, CK_SESSION_HANDLE *h, struct swauth_error *err)
{
	CK_RV rv = t->f->C_OpenSession(t->slot_id, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL,
				       NULL, h);

	return rv == CKR_OK ? 0 : rv_error(t, rv, "opening a session", err);
}

/**
 * swpki_token_change_pin() - C_SetPIN, counted against max-retries
 * @t: the token
 * @old_pin: the current user PIN, or NULL for the kept one
 * @new_pin: the new one
 * @err: filled on failure
 *
 * A kept PIN is replaced by the new one.
 *
 * Return: 0 or -errno as swpki_token_login().
 */
int swpki_token_change_pin(struct swpki_token *t, const char *old_pin, const char *new_pin,
			   struct swauth_error *err)
{
	char kept[SWPKI_TOKEN_PIN_MAX + 2], file[SWPKI_TOKEN_NAME_MAX + 8];
	CK_SESSION_HANDLE h;
	bool was_kept = false;
	CK_RV rv;
	int ret;

	ret = swpki_token_login(t, old_pin, err);
	if (!ret && !old_pin && !(ret = stored_pin(t, kept, sizeof(kept), err))) {
		old_pin = kept;
		was_kept = true;
	}
	snprintf(file, sizeof(file), "%s.pin", t->name);
	if (!ret && !was_kept)
		was_kept = !faccessat(t->tokens_fd, file, F_OK, AT_SYMLINK_NOFOLLOW);
	/* C_SetPIN needs a read-write session: libp11's are read-only. */
	if (!ret && !(ret = open_session(t, &h, err))) {
		rv = t->f->C_SetPIN(h, (CK_UTF8CHAR *)old_pin, strlen(old_pin),
				    (CK_UTF8CHAR *)new_pin, strlen(new_pin));
		t->f->C_CloseSession(h);
		if (rv != CKR_OK)
			ret = rv_error(t, rv, "changing the PIN", err);
	}
	if (!ret && was_kept)
		ret = swpki_token_remember_pin(t, new_pin, err);
	OPENSSL_cleanse(kept, sizeof(kept));
	return ret;
}

/* The objects of @class (CKO_*, or all when ~0) labelled @label (or all). */
static int find(struct swpki_token *t, CK_SESSION_HANDLE h, CK_OBJECT_CLASS class,
		const char *label, CK_OBJECT_HANDLE *objs, CK_ULONG max, CK_ULONG *n,
		struct swauth_error *err)
{
	CK_ATTRIBUTE tmpl[2];
	CK_ULONG nt = 0;
	CK_RV rv;

	if (class != (CK_OBJECT_CLASS)~0UL)
		tmpl[nt++] = (CK_ATTRIBUTE){ CKA_CLASS, &class, sizeof(class) };
	if (label)
		tmpl[nt++] = (CK_ATTRIBUTE){ CKA_LABEL, (void *)label, strlen(label) };
	rv = t->f->C_FindObjectsInit(h, tmpl, nt);
	if (rv == CKR_OK) {
		rv = t->f->C_FindObjects(h, objs, max, n);
		t->f->C_FindObjectsFinal(h);
	}
	return rv == CKR_OK ? 0 : rv_error(t, rv, "a search", err);
}

/**
 * swpki_token_generate() - a key pair made on the token, never leaving it
 * @t: the token, logged in (or with a kept PIN)
 * @alg: RSA or ECDSA P-256
 * @bits: RSA's modulus, SWPKI_TOKEN_RSA_MIN..SWPKI_TOKEN_RSA_MAX
 * @label: CKA_LABEL of both objects
 * @err: filled on failure
 *
 * The private key is CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE and not
 * CKA_EXTRACTABLE (the seeds' "keys on the token are non-exportable");
 * both are read back, and a token that did not honour them loses the pair.
 *
 * Return: 0, -EINVAL (a bound), -EEXIST (the label is taken), -ENODEV
 * (the token is gone) or another -errno.
 */
int swpki_token_generate(struct swpki_token *t, enum swpki_token_alg alg, unsigned int bits,
			 const char *label, struct swauth_error *err)
{
	static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
	static CK_BYTE exponent[] = { 1, 0, 1 };
	CK_MECHANISM mech = { alg == SWPKI_TOKEN_RSA ? CKM_RSA_PKCS_KEY_PAIR_GEN :
			      CKM_EC_KEY_PAIR_GEN, NULL, 0 };
	CK_ULONG modulus_bits = bits, len = strlen(label), npub = 5, npriv = 8, n;
	CK_OBJECT_HANDLE pub, priv, found;
	CK_BBOOL sensitive = CK_FALSE, extractable = CK_TRUE;
	CK_SESSION_HANDLE h;
	CK_BYTE id[16];
	CK_RV rv;
	int ret;

	ret = check_name(label, "key label", SWPKI_TOKEN_LABEL_MAX, err);
	if (ret)
		return ret;
	if (alg == SWPKI_TOKEN_RSA && (bits < SWPKI_TOKEN_RSA_MIN || bits > SWPKI_TOKEN_RSA_MAX))
		return swauth_error_set(err, -EINVAL,
					"RSA keys on a token are %d to %d bits (E18.1): %u refused",
					SWPKI_TOKEN_RSA_MIN, SWPKI_TOKEN_RSA_MAX, bits);
	if (RAND_bytes(id, sizeof(id)) != 1)
		return swauth_error_set(err, -EIO, "no random bytes for the key's CKA_ID");
	ret = need_login(t, err);
	if (!ret)
		ret = open_session(t, &h, err);
	if (ret)
		return ret;
	ret = find(t, h, CKO_PRIVATE_KEY, label, &found, 1, &n, err);
	if (!ret && n)
		ret = swauth_error_set(err, -EEXIST,
				       "token %s already holds a key labelled %s (zeroize it first)",
				       t->name, label);
	if (!ret) {
		CK_ATTRIBUTE pubt[] = {
			{ CKA_TOKEN, &yes, sizeof(yes) },
			{ CKA_LABEL, (void *)label, len },
			{ CKA_ID, id, sizeof(id) },
			{ CKA_VERIFY, &yes, sizeof(yes) },
			{ CKA_MODULUS_BITS, &modulus_bits, sizeof(modulus_bits) },
			{ CKA_PUBLIC_EXPONENT, exponent, sizeof(exponent) },
		};
		CK_ATTRIBUTE privt[] = {
			{ CKA_TOKEN, &yes, sizeof(yes) },
			{ CKA_LABEL, (void *)label, len },
			{ CKA_ID, id, sizeof(id) },
			{ CKA_PRIVATE, &yes, sizeof(yes) },
			{ CKA_SENSITIVE, &yes, sizeof(yes) },
			{ CKA_EXTRACTABLE, &no, sizeof(no) },
			{ CKA_SIGN, &yes, sizeof(yes) },
			{ CKA_DECRYPT, &yes, sizeof(yes) },
		};

		if (alg == SWPKI_TOKEN_EC_P256) {
			pubt[4] = (CK_ATTRIBUTE){ CKA_EC_PARAMS, (void *)p256_params,
						  sizeof(p256_params) };
			npriv = 7;	/* ECDSA keys sign, they do not decrypt */
		} else {
			npub = 6;
		}
		rv = t->f->C_GenerateKeyPair(h, &mech, pubt, npub, privt, npriv, &pub, &priv);
		if (rv != CKR_OK)
			ret = rv_error(t, rv, "key generation", err);
	}
	if (!ret) {
		CK_ATTRIBUTE check[] = {
			{ CKA_SENSITIVE, &sensitive, sizeof(sensitive) },
			{ CKA_EXTRACTABLE, &extractable, sizeof(extractable) },
		};

		rv = t->f->C_GetAttributeValue(h, priv, check, 2);
		if (rv != CKR_OK || !sensitive || extractable) {
			t->f->C_DestroyObject(h, priv);
			t->f->C_DestroyObject(h, pub);
			ret = swauth_error_set(err, -EOPNOTSUPP,
					       "token %s made key %s extractable or not sensitive: destroyed",
					       t->name, label);
		}
	}
	t->f->C_CloseSession(h);
	return ret;
}

/* An attribute of variable size, malloc()ed into @a->pValue. */
static CK_RV get_attr(struct swpki_token *t, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o,
		      CK_ATTRIBUTE *a)
{
	CK_RV rv;

	a->pValue = NULL;
	rv = t->f->C_GetAttributeValue(h, o, a, 1);
	if (rv != CKR_OK || a->ulValueLen == CK_UNAVAILABLE_INFORMATION)
		return rv != CKR_OK ? rv : CKR_ATTRIBUTE_TYPE_INVALID;
	a->pValue = malloc(a->ulValueLen + 1);
	if (!a->pValue)
		return CKR_HOST_MEMORY;
	rv = t->f->C_GetAttributeValue(h, o, a, 1);
	if (rv != CKR_OK) {
		free(a->pValue);
		a->pValue = NULL;
	}
	return rv;
}

/* The public key object @o as an EVP_PKEY (OSSL_PARAM, no legacy types). */
static EVP_PKEY *public_key(struct swpki_token *t, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o,
			    CK_KEY_TYPE type)
{
	CK_ATTRIBUTE a[2] = { { CKA_MODULUS, NULL, 0 }, { CKA_PUBLIC_EXPONENT, NULL, 0 } };
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	ASN1_OCTET_STRING *point = NULL;
	BIGNUM *nb = NULL, *eb = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	const unsigned char *p;
	bool ok = false;

	if (type == CKK_EC)
		a[0].type = CKA_EC_POINT;
	if (!bld || get_attr(t, h, o, &a[0]) != CKR_OK ||
	    (type == CKK_RSA && get_attr(t, h, o, &a[1]) != CKR_OK))
		goto out;
	if (type == CKK_RSA) {
		nb = BN_bin2bn(a[0].pValue, (int)a[0].ulValueLen, NULL);
		eb = BN_bin2bn(a[1].pValue, (int)a[1].ulValueLen, NULL);
		ok = nb && eb && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, nb) &&
		     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, eb);
	} else {
		/* CKA_EC_POINT is the DER of an OCTET STRING holding the point. */
		p = a[0].pValue;
		point = d2i_ASN1_OCTET_STRING(NULL, &p, (long)a[0].ulValueLen);
		ok = point && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
							      "prime256v1", 0) &&
		     OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
						      point->data, (size_t)point->length);
	}
	if (!ok || !(params = OSSL_PARAM_BLD_to_param(bld)))
		goto out;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type == CKK_RSA ? "RSA" : "EC", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	ASN1_OCTET_STRING_free(point);
	BN_free(nb);
	BN_free(eb);
	free(a[0].pValue);
	free(a[1].pValue);
	return pkey;
}

/* One key of the listing: its public half, and its private half's flags. */
static void describe(struct swpki_token *t, CK_SESSION_HANDLE h, CK_OBJECT_HANDLE pub,
		     struct swpki_token_key *k)
{
	CK_ATTRIBUTE la = { CKA_LABEL, NULL, 0 };
	CK_KEY_TYPE type = CKK_RSA;
	CK_ATTRIBUTE ta = { CKA_KEY_TYPE, &type, sizeof(type) };
	CK_BBOOL sens = CK_FALSE, extr = CK_TRUE;
	CK_ATTRIBUTE fa[] = {
		{ CKA_SENSITIVE, &sens, sizeof(sens) },
		{ CKA_EXTRACTABLE, &extr, sizeof(extr) },
	};
	CK_OBJECT_HANDLE priv;
	struct swauth_error ignored;
	CK_ULONG n = 0;

	if (get_attr(t, h, pub, &la) == CKR_OK) {
		field(k->label, sizeof(k->label), la.pValue, la.ulValueLen);
		free(la.pValue);
	}
	t->f->C_GetAttributeValue(h, pub, &ta, 1);
	k->alg = type == CKK_EC ? SWPKI_TOKEN_EC_P256 : SWPKI_TOKEN_RSA;
	k->pub = public_key(t, h, pub, type == CKK_EC ? CKK_EC : CKK_RSA);
	k->bits = k->pub ? (unsigned int)EVP_PKEY_get_bits(k->pub) : 0;
	if (!find(t, h, CKO_PRIVATE_KEY, k->label, &priv, 1, &n, &ignored) && n) {
		k->has_private = true;
		if (t->f->C_GetAttributeValue(h, priv, fa, 2) == CKR_OK) {
			k->sensitive = sens;
			k->extractable = extr;
		}
	}
}

/**
 * swpki_token_keys() - the key pairs on the token (by their public halves)
 * @t: the token; logged in with the kept PIN when there is one
 * @keys: receives an array; swpki_token_keys_free() it
 * @n: receives its length
 * @err: filled on failure
 *
 * Without a login the private halves are not seen (has_private false).
 *
 * Return: 0 or -errno.
 */
int swpki_token_keys(struct swpki_token *t, struct swpki_token_key **keys, size_t *n,
		     struct swauth_error *err)
{
	CK_OBJECT_HANDLE objs[MAX_OBJECTS];
	struct swpki_token_key *out = NULL;
	struct swauth_error ignored;
	CK_SESSION_HANDLE h;
	CK_ULONG i, count = 0;
	int ret;

	*keys = NULL;
	*n = 0;
	ret = swpki_token_check(t, err);
	if (!ret && !t->logged_in)
		swpki_token_login(t, NULL, &ignored);
	if (!ret)
		ret = open_session(t, &h, err);
	if (ret)
		return ret;
	ret = find(t, h, CKO_PUBLIC_KEY, NULL, objs, MAX_OBJECTS, &count, err);
	if (!ret && count && !(out = calloc(count, sizeof(*out))))
		ret = swauth_error_set(err, -ENOMEM, "out of memory");
	for (i = 0; !ret && i < count; i++)
		describe(t, h, objs[i], &out[i]);
	t->f->C_CloseSession(h);
	if (ret) {
		swpki_token_keys_free(out, count);
		return ret;
	}
	*keys = out;
	*n = count;
	return 0;
}

/**
 * swpki_token_keys_free() - free what swpki_token_keys() returned
 * @keys: the array, or NULL
 * @n: its length
 */
void swpki_token_keys_free(struct swpki_token_key *keys, size_t n)
{
	size_t i;

	for (i = 0; keys && i < n; i++)
		EVP_PKEY_free(keys[i].pub);
	free(keys);
}

/**
 * swpki_token_zeroize() - destroy the key pair labelled @label on the token
 * @t: the token, logged in (or with a kept PIN)
 * @label: the key's label
 * @err: filled on failure
 *
 * Every object with that label goes: private key, public key, certificate.
 *
 * Return: 0, -ENOENT (no such key) or another -errno.
 */
int swpki_token_zeroize(struct swpki_token *t, const char *label, struct swauth_error *err)
{
	CK_OBJECT_HANDLE objs[MAX_OBJECTS];
	CK_SESSION_HANDLE h;
	CK_ULONG i, n = 0;
	CK_RV rv;
	int ret;

	ret = check_name(label, "key label", SWPKI_TOKEN_LABEL_MAX, err);
	if (!ret)
		ret = need_login(t, err);
	if (!ret)
		ret = open_session(t, &h, err);
	if (ret)
		return ret;
	ret = find(t, h, (CK_OBJECT_CLASS)~0UL, label, objs, MAX_OBJECTS, &n, err);
	if (!ret && !n)
		ret = swauth_error_set(err, -ENOENT, "token %s holds no key labelled %s",
				       t->name, label);
	for (i = 0; !ret && i < n; i++) {
		rv = t->f->C_DestroyObject(h, objs[i]);
		if (rv != CKR_OK)
			ret = rv_error(t, rv, "zeroize", err);
	}
	t->f->C_CloseSession(h);
	return ret;
}

/**
 * swpki_token_key_get() - the private key labelled @label, as an EVP_PKEY
 * @t: the token; logged in with the kept PIN when needed
 * @label: the key's label
 * @pkey: receives the key; EVP_PKEY_free() it before swpki_token_close()
 * @err: filled on failure
 *
 * The key is libp11's: signing with it (X509_REQ_sign(), CMS_sign(), any
 * EVP_PKEY_sign()) runs C_Sign on the token; the private key never leaves
 * it.
 *
 * Return: 0, -ENOENT (no such key) or another -errno.
 */
int swpki_token_key_get(struct swpki_token *t, const char *label, EVP_PKEY **pkey,
			struct swauth_error *err)
{
	PKCS11_KEY *keys;
	unsigned int i, n;
	char why[256];
	int ret;

	*pkey = NULL;
	ret = need_login(t, err);
	if (ret)
		return ret;
	if (PKCS11_enumerate_keys(t->slot->token, &keys, &n)) {
		ERR_clear_error();
		return swpki_token_check(t, err) ? err->code :
		       swauth_error_set(err, -EIO, "token %s: its keys cannot be listed", t->name);
	}
	for (i = 0; i < n; i++) {
		if (keys[i].label && !strcmp(keys[i].label, label))
			break;
	}
	if (i == n)
		return swauth_error_set(err, -ENOENT, "token %s holds no key labelled %s",
					t->name, label);
	*pkey = PKCS11_get_private_key(&keys[i]);
	if (!*pkey)
		return swauth_error_set(err, -EIO, "token %s: key %s cannot be used: %s",
					t->name, label, p11_error(why, sizeof(why)));
	return 0;
}

/**
 * swpki_token_key_load() - open token @token and get its key @label
 * @s: the store; stays open while the token is
 * @token: the token's label
 * @label: the key's label
 * @tp: receives the open token, which the key needs; swpki_token_close()
 *	it after EVP_PKEY_free(*pkey)
 * @pkey: receives the key (see swpki_token_key_get())
 * @err: filled on failure
 *
 * Return: 0 or -errno; nothing to free on failure.
 */
int swpki_token_key_load(const struct swpki_store *s, const char *token, const char *label,
			 struct swpki_token **tp, EVP_PKEY **pkey, struct swauth_error *err)
{
	int ret;

	*pkey = NULL;
	ret = swpki_token_open(tp, s, token, err);
	if (ret)
		return ret;
	ret = swpki_token_key_get(*tp, label, pkey, err);
	if (ret) {
		swpki_token_close(*tp);
		*tp = NULL;
	}
	return ret;
}
