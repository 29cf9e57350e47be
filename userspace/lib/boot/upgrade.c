// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The Auto-Upgrade Manager's files: the job record (state-dir/upgrade),
 * swupgrade.conf and where the control socket is; see lib/boot.h.
 */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "lib/boot.h"
#include "lib/xfer.h"

static const char *const states[] = {
	"running", "ready", "scheduled", "reloading", "confirming", "rollback", "done", "failed",
	"aborted", NULL
};
static const char *const steps[] = {
	"locate", "space", "download", "check", "schedule", "boot-image", "reload", "health",
	"rollback", "fallback", NULL
};
static const char *const fallbacks[] = { "none", "deleted", "restored", "failed", NULL };
static const char *const disks[] = { "no", "auto", "confirm", NULL };
static const char *const kinds[] = { "cold", "warm", NULL };
static const char *const yes_no[] = { "no", "yes", NULL };

const char *swauth_upgrade_state_name(enum swauth_upgrade_state s)
{
	return states[s];
}

const char *swauth_upgrade_step_name(enum swauth_upgrade_step s)
{
	return steps[s];
}

const char *swauth_fallback_state_name(enum swauth_fallback_state s)
{
	return fallbacks[s];
}

const char *swauth_disk_mgmt_name(enum swauth_cleanup_mode d)
{
	return disks[d];
}

/* swauth_disk_mgmt_parse() - "no", "auto" or "confirm"; 0 or -EINVAL */
int swauth_disk_mgmt_parse(const char *word, enum swauth_cleanup_mode *d)
{
	int i;

	for (i = 0; disks[i]; i++)
		if (!strcmp(word, disks[i])) {
			*d = (enum swauth_cleanup_mode)i;
			return 0;
		}
	return -EINVAL;
}

#define JOB_STR(kw, f) { kw, SWAUTH_FIELD_STRING, offsetof(struct swauth_upgrade_job, f), \
			 sizeof(((struct swauth_upgrade_job *)0)->f), 0, NULL, NULL }
#define JOB_INT(kw, f) { kw, SWAUTH_FIELD_INT64, offsetof(struct swauth_upgrade_job, f), 0, 0, \
			 NULL, NULL }
#define JOB_CHOICE(kw, f, c, l) { kw, SWAUTH_FIELD_CHOICE, \
				  offsetof(struct swauth_upgrade_job, f), 0, 0, c, l }
static const struct swauth_record_field job_fields[] = {
	JOB_STR("id", id),
	JOB_CHOICE("state", state, states,
		   "running, ready, scheduled, reloading, confirming, rollback, done, failed or aborted"),
	JOB_CHOICE("step", step, steps,
		   "locate, space, download, check, schedule, boot-image, reload, health, rollback or fallback"),
	JOB_INT("started", started),
	JOB_INT("updated", updated),
	JOB_STR("source", source),
	JOB_STR("image", image),
	JOB_STR("path", path),
	JOB_CHOICE("disk-management", disk, disks, "no, auto or confirm"),
	JOB_INT("when", when),
	JOB_CHOICE("kind", kind, kinds, "'cold' or 'warm'"),
	JOB_STR("verified-digest", verified_digest),
	JOB_STR("previous-boot-image", prev_boot),
	JOB_CHOICE("boot-switched", boot_switched, yes_no, "no or yes"),
	JOB_CHOICE("downloaded", downloaded, yes_no, "no or yes"),
	JOB_STR("boot-id", boot_id),
	JOB_INT("deadline", deadline),
	JOB_STR("message", message),
	JOB_STR("fallback-image", fallback_image),
	JOB_STR("fallback-url", fallback_url),
	JOB_STR("fallback-sha256", fallback_sha256),
	JOB_CHOICE("fallback", fallback, fallbacks, "none, deleted, restored or failed"),
	JOB_CHOICE("fallback-then", fallback_then, states,
		   "running, ready, scheduled, reloading, confirming, rollback, done, failed or aborted"),
};
#undef JOB_STR
#undef JOB_INT
#undef JOB_CHOICE

enum { JOB_FIELDS = sizeof(job_fields) / sizeof(job_fields[0]) };

/**
 * swauth_upgrade_job_read() - read the job record
 * @path: state-dir/upgrade
 * @j: receives the job
 * @err: filled on failure
 *
 * Return: 0, -ENOENT when there is none, -EINVAL for a malformed one, or
 * -errno of reading it.
 */
int swauth_upgrade_job_read(const char *path, struct swauth_upgrade_job *j,
			    struct swauth_error *err)
{
	return swauth_record_read(job_fields, JOB_FIELDS, 3, path, j, sizeof(*j), err);
}

/**
 * swauth_upgrade_job_write() - replace the job record atomically
 * @path: state-dir/upgrade
 * @j: the job
 * @err: filled on failure
 *
 * Return: 0 or -errno; on failure the old record is intact.
 */
int swauth_upgrade_job_write(const char *path, const struct swauth_upgrade_job *j,
			     struct swauth_error *err)
{
	return swauth_record_store(job_fields, JOB_FIELDS, path, j, err);
}

#define CONF_KW(kw, f, kind, min, max) { kw, offsetof(struct swauth_upgrade_conf, f), \
	sizeof(((struct swauth_upgrade_conf *)0)->f), kind, min, max, NULL, NULL }
static const struct swauth_conf_key conf_keys[] = {
	CONF_KW("disk-cleanup", disk_cleanup, SWAUTH_CONF_TEXT, 0, 0),
	CONF_KW("locator-url", locator_url, SWAUTH_CONF_TEXT, 0, 0),
	CONF_KW("locator-ca", locator_ca, SWAUTH_CONF_PATH, 0, 0),
	CONF_KW("email-recipient", email_recipient, SWAUTH_CONF_TEXT, 0, 0),
	CONF_KW("smtp-server", smtp_server, SWAUTH_CONF_TEXT, 0, 0),
	CONF_KW("space-margin", space_margin, SWAUTH_CONF_UINT, 0, 1 << 20),
	CONF_KW("health-check", health_check, SWAUTH_CONF_TEXT, 0, 0),
	CONF_KW("confirm-deadline", confirm_deadline, SWAUTH_CONF_UINT, 10, 86400),
	CONF_KW("fallback-url", fallback_url, SWAUTH_CONF_TEXT, 0, 0),
};
#undef CONF_KW

static const struct swauth_conf_schema conf_schema = {
	.keys = conf_keys,
	.n_keys = sizeof(conf_keys) / sizeof(conf_keys[0]),
	.size = sizeof(struct swauth_upgrade_conf),
};

/* swauth_upgrade_conf_keyword() - the @i-th keyword of swupgrade.conf, or NULL */
const char *swauth_upgrade_conf_keyword(size_t i)
{
	return i < conf_schema.n_keys ? conf_keys[i].name : NULL;
}

/**
 * swauth_upgrade_conf_path() - swupgrade.conf, in swauth.conf's directory
 * @buf: receives the path
 * @len: its size
 *
 * Return: 0 or -ENAMETOOLONG.
 */
int swauth_upgrade_conf_path(char *buf, size_t len)
{
	const char *cfg = swauth_config_path(), *slash = strrchr(cfg, '/');
	int n;

	n = slash ? snprintf(buf, len, "%.*s/%s", (int)(slash - cfg), cfg, SWAUTH_UPGRADE_CONF) :
		    snprintf(buf, len, "%s", SWAUTH_UPGRADE_CONF);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/**
 * swauth_disk_cleanup_policy() - disk-cleanup's words as SWAUTH_CLEANUP_BIT()s
 * @list: comma-separated categories (lib/fs.h), each at most once; "": none
 * @policy: receives the bits
 *
 * Return: 0 or -EINVAL.
 */
int swauth_disk_cleanup_policy(const char *list, unsigned int *policy)
{
	char word[32];
	unsigned int cat;
	const char *p = list;
	size_t n;

	*policy = 0;
	while (*p) {
		n = strcspn(p, ",");
		if (!n || n >= sizeof(word))
			return -EINVAL;
		memcpy(word, p, n);
		word[n] = '\0';
		if (swauth_cleanup_category_parse(word, &cat) ||
		    (*policy & SWAUTH_CLEANUP_BIT(cat)))
			return -EINVAL;
		*policy |= SWAUTH_CLEANUP_BIT(cat);
		p += n;
		if (*p == ',' && !*++p)
			return -EINVAL;
	}
	return 0;
}

/**
 * swauth_health_check_next() - the next word of health-check
 * @list: where the list goes on; moved past the word and its comma
 * @word: receives it: verify, confirm, unit=NAME or ping=HOST
 * @len: its size
 *
 * Return: 1 with a word, 0 at the end, -EINVAL for a word that is none of
 * those (NAME and HOST: letters, digits and "-_.@:", at most 200 bytes).
 */
int swauth_health_check_next(const char **list, char *word, size_t len)
{
	const char *p = *list, *arg;
	size_t n = strcspn(p, ",");

	if (!*p)
		return 0;
	if (!n || n >= len)
		return -EINVAL;
	memcpy(word, p, n);
	word[n] = '\0';
	*list = p[n] ? p + n + 1 : p + n;
	if (p[n] && !**list)
		return -EINVAL;
	if (!strcmp(word, "verify") || !strcmp(word, "confirm"))
		return 1;
	if (!strncmp(word, "unit=", 5))
		arg = word + 5;
	else if (!strncmp(word, "ping=", 5))
		arg = word + 5;
	else
		return -EINVAL;
	if (!*arg || strlen(arg) > 200 || arg[0] == '-' ||
	    strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@:") !=
	    strlen(arg))
		return -EINVAL;
	return 1;
}

static int check_health(const char *path, const char *list, struct swauth_error *err)
{
	char word[256];
	int ret;

	while ((ret = swauth_health_check_next(&list, word, sizeof(word))) > 0)
		;
	if (ret)
		return swauth_error_set(err, -EINVAL,
					"%s: health-check takes verify, confirm, unit=NAME and ping=HOST, separated by commas",
					path);
	return 0;
}

static int check_cleanup(const char *path, const char *list, struct swauth_error *err)
{
	unsigned int policy;

	if (swauth_disk_cleanup_policy(list, &policy))
		return swauth_error_set(err, -EINVAL,
					"%s: disk-cleanup takes crashinfo, core, image and irrecoverable, each once, separated by commas, not '%s'",
					path, list);
	return 0;
}

/*
 * fallback-url: the URL of a server's directory (any scheme swcopy takes
 * but a path), without a password (the job record keeps the URL it makes).
 */
static int check_fallback_url(const char *url, struct swauth_error *err)
{
	struct swauth_error why;
	struct swauth_url u;

	swauth_error_clear(&why);
	if (swauth_url_parse(url, &u, &why))
		return swauth_error_set(err, -EINVAL, "fallback-url: %s", why.msg);
	if (u.scheme == SWAUTH_URL_FILE || !u.host[0])
		return swauth_error_set(err, -EINVAL,
					"fallback-url: must be the URL of a server's directory the images are in");
	if (u.has_pass)
		return swauth_error_set(err, -EINVAL,
					"fallback-url: no password: the job record keeps the URL on disk");
	return 0;
}

/**
 * swauth_upgrade_conf_load() - read swupgrade.conf; a missing file is the defaults
 * @path: the file
 * @c: receives the settings (space-margin defaults to 16 MiB)
 * @err: filled on failure
 *
 * Return: 0 or -errno.
 */
int swauth_upgrade_conf_load(const char *path, struct swauth_upgrade_conf *c,
			     struct swauth_error *err)
{
	int ret;

	ret = swauth_conf_load(&conf_schema, path, c, err);
	if (!ret && !c->space_margin)
		c->space_margin = 16;
	if (!ret && !c->confirm_deadline)
		c->confirm_deadline = 600;
	if (!ret)
		ret = check_cleanup(path, c->disk_cleanup, err);
	if (!ret && c->fallback_url[0])
		ret = check_fallback_url(c->fallback_url, err);
	return ret ? ret : check_health(path, c->health_check, err);
}

/**
 * swauth_upgrade_conf_set() - set or remove (@value NULL) one keyword
 * @path: swupgrade.conf
 * @keyword: the keyword
 * @value: its value, or NULL
 * @err: filled on failure
 *
 * Return: 0 or -errno; the file is as it was on failure.
 */
int swauth_upgrade_conf_set(const char *path, const char *keyword, const char *value,
			    struct swauth_error *err)
{
	struct swauth_url u;

	if (value && !strcmp(keyword, "disk-cleanup") && check_cleanup(path, value, err))
		return -EINVAL;
	if (value && !strcmp(keyword, "health-check") && check_health(path, value, err))
		return -EINVAL;
	if (value && !strcmp(keyword, "email-recipient") &&
	    swauth_mail_check_addr("email-recipient", value, err))
		return -EINVAL;
	if (value && !strcmp(keyword, "smtp-server") && swauth_mail_check_server(value, err))
		return -EINVAL;
	if (value && !strcmp(keyword, "locator-url") && swauth_locator_check_url(value, &u, err))
		return -EINVAL;
	if (value && !strcmp(keyword, "fallback-url") && check_fallback_url(value, err))
		return -EINVAL;
	return swauth_conf_set(&conf_schema, path, keyword, value, err);
}

/**
 * swauth_fallback_url() - where the image NAME comes back from
 * @base: fallback-url, a directory's URL, with or without its last '/'
 * @name: the image's name in flash:
 * @buf: receives @base/@name
 * @len: its size
 *
 * Return: 0 or -ENAMETOOLONG.
 */
int swauth_fallback_url(const char *base, const char *name, char *buf, size_t len)
{
	size_t n = strlen(base);
	int ret = snprintf(buf, len, "%s%s%s", base, n && base[n - 1] == '/' ? "" : "/", name);

	return ret < 0 || (size_t)ret >= len ? -ENAMETOOLONG : 0;
}

/**
 * swauth_upgrade_socket_path() - run-dir/swupgrade.sock
 * @cfg: the configuration (run-dir)
 * @buf: receives the path
 * @len: its size; at most sizeof(sockaddr_un.sun_path) is usable
 *
 * Return: 0 or -ENAMETOOLONG.
 */
int swauth_upgrade_socket_path(const struct swauth_config *cfg, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", swauth_reload_dir(cfg, SWAUTH_DIR_RUN),
			 SWAUTH_UPGRADE_SOCKET);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
