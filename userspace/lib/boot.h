/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Reload: the reload records, kexec and the boot directory.
 */

#ifndef SWAUTH_LIB_BOOT_H
#define SWAUTH_LIB_BOOT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/config.h"
#include "lib/core.h"
#include "lib/fs.h"

/*
 * The seeds' reload (FEATURES A11.1): when a scheduled reload happens
 * ("in MMM", "in HHH:MM", "at HH:MM [MON DAY]"), how it is announced, and
 * the records reload keeps:
 *
 *   run-dir/reload            the scheduled reload (gone with the boot)
 *   state-dir/last-reload     the last reload requested, for show version
 *   boot-dir/image            what boot-dir's kernel and initramfs are
 *
 * A record is "keyword value" lines, every keyword once, nothing else.
 */

#define SWAUTH_BOOT_DIR "/boot/swauth"
#define SWAUTH_STATE_DIR "/var/lib/swauth"
#define SWAUTH_RUN_DIR "/run/swauth"

/* The farthest a reload can be scheduled, as in IOS: 24 days. */
#define SWAUTH_RELOAD_MAX_AHEAD (24 * 24 * 60 * 60)

/*
 * Records (record.c): "keyword value" lines, each keyword at most once; a
 * table of fields maps keywords to a struct's members.
 */
enum swauth_field_kind {
	SWAUTH_FIELD_STRING,	/* char[size], one line */
	SWAUTH_FIELD_CHOICE,	/* an enum (int): the index of the word in choices */
	SWAUTH_FIELD_INT64,	/* int64_t, at least min */
	SWAUTH_FIELD_PID,	/* long, at least min; 0 is left out */
};

struct swauth_record_field {
	const char *name;
	enum swauth_field_kind kind;
	size_t offset, size;
	long long min;
	const char *const *choices;	/* NULL-terminated */
	const char *choice_list;	/* for messages: "'cold' or 'warm'" */
};

enum { SWAUTH_RECORD_MAX = 2 * PATH_MAX + 2048, SWAUTH_RECORD_FIELDS_MAX = 32 };

int swauth_record_parse(const struct swauth_record_field *fields, size_t n, size_t required,
			const char *text, const char *name, void *rec, size_t rec_size,
			struct swauth_error *err);
int swauth_record_format(const struct swauth_record_field *fields, size_t n, const void *rec,
			 char *buf, size_t len);
int swauth_record_read(const struct swauth_record_field *fields, size_t n, size_t required,
		       const char *path, void *rec, size_t rec_size, struct swauth_error *err);
int swauth_record_store(const struct swauth_record_field *fields, size_t n, const char *path,
			const void *rec, struct swauth_error *err);

enum { SWAUTH_RELOAD_REASON_MAX = 256, SWAUTH_RELOAD_ID_LEN = 32 };

int swauth_reload_parse_when(int argc, char *const argv[], time_t now, time_t *when,
			     int *used, struct swauth_error *err);
void swauth_reload_format_time(time_t t, char *buf, size_t len);
void swauth_reload_format_in(time_t now, time_t when, char *buf, size_t len);

/* How a reload starts the next kernel. */
enum swauth_reload_kind { SWAUTH_RELOAD_COLD, SWAUTH_RELOAD_WARM };

struct swauth_reload_record {
	char id[SWAUTH_RELOAD_ID_LEN + 1];	/* random, hex */
	enum swauth_reload_kind kind;
	int64_t time;				/* when it was (to be) done */
	long pid;				/* run-dir/reload: who waits */
	char boot_id[40];			/* the boot that asked for it */
	char image[PATH_MAX];			/* absolute path */
	char name[PATH_MAX + 16];		/* flash:NAME or the path */
	char digest[2 * 64 + 1];		/* the payload digest, hex */
	char key[16];				/* "production A" */
	char reason[SWAUTH_RELOAD_REASON_MAX];	/* "" for none */
};

enum swauth_reload_dir { SWAUTH_DIR_BOOT, SWAUTH_DIR_STATE, SWAUTH_DIR_RUN };

const char *swauth_reload_dir(const struct swauth_config *cfg, enum swauth_reload_dir which);
int swauth_reload_record_parse(const char *text, const char *name,
			       struct swauth_reload_record *r, struct swauth_error *err);
int swauth_reload_record_format(const struct swauth_reload_record *r, char *buf, size_t len);
int swauth_reload_record_read(const char *path, struct swauth_reload_record *r,
			      struct swauth_error *err);
int swauth_reload_record_write(const char *path, const struct swauth_reload_record *r,
			       struct swauth_error *err);
int swauth_reload_warm_cmdline(const char *base, const char *id, char *out, size_t len);
int swauth_boot_id(char *buf, size_t len);
int swauth_read_cmdline(char *buf, size_t len);
void swauth_cmdline_value(const char *key, char *val, size_t len);
int swauth_running_image(const struct swauth_config *cfg, struct swauth_reload_record *rec,
			 bool *reloaded);

/* boot-dir as the boot loader sees it (bootdir.c): current, previous, staged, grubenv. */
enum { SWAUTH_GRUBENV_SIZE = 1024 };

int swauth_grubenv_get(const char *block, size_t len, const char *name, char *val, size_t vlen,
		       struct swauth_error *err);
int swauth_grubenv_set(const char *block, size_t len, const char *name, const char *val,
		       char *out, struct swauth_error *err);
int swauth_bootdir_trial(int boot_fd, char *val, size_t len, struct swauth_error *err);
enum swauth_bootdir_mode { SWAUTH_BOOTDIR_PLAIN, SWAUTH_BOOTDIR_TRIAL, SWAUTH_BOOTDIR_STAGED };

int swauth_bootdir_switch(int boot_fd, const char *id, enum swauth_bootdir_mode mode,
			  struct swauth_error *err);
void swauth_bootdir_remove(int boot_fd, const char *id);
const char *swauth_boot_entry(const struct swauth_config *cfg);
int swauth_bootdir_confirm(const struct swauth_config *cfg, char *said, size_t len,
			   struct swauth_error *err);
void swauth_bootdir_unstage(const struct swauth_config *cfg);

/*
 * The Auto-Upgrade Manager (upgrade.c): the job that swupgraded owns, kept
 * in state-dir/upgrade (a record, see above) so that a restart or a power
 * cut finds it; swupgrade.conf next to swauth.conf; the control socket
 * run-dir/swupgrade.sock between swupgrade and swupgraded.
 */
enum swauth_upgrade_state {
	SWAUTH_UPGRADE_RUNNING,		/* a step is in progress */
	SWAUTH_UPGRADE_READY,		/* downloaded and checked; runversion reloads */
	SWAUTH_UPGRADE_SCHEDULED,	/* the reload waits for its time */
	SWAUTH_UPGRADE_RELOADING,	/* the reload was started */
	SWAUTH_UPGRADE_CONFIRMING,	/* the new image runs, on probation */
	SWAUTH_UPGRADE_ROLLBACK,	/* the reload back to the previous image was started */
	SWAUTH_UPGRADE_DONE,		/* the system runs the new image */
	SWAUTH_UPGRADE_FAILED,
	SWAUTH_UPGRADE_ABORTED,
};

enum swauth_upgrade_step {
	SWAUTH_STEP_LOCATE, SWAUTH_STEP_SPACE, SWAUTH_STEP_DOWNLOAD, SWAUTH_STEP_CHECK,
	SWAUTH_STEP_SCHEDULE, SWAUTH_STEP_BOOT_IMAGE, SWAUTH_STEP_RELOAD, SWAUTH_STEP_HEALTH,
	SWAUTH_STEP_ROLLBACK, SWAUTH_STEP_FALLBACK,
};

/*
 * fallback-url: the previous boot image, deleted by the space step to make
 * room, comes back from there when the job ends (the fallback step).
 */
enum swauth_fallback_state {
	SWAUTH_FALLBACK_NONE,		/* not deleted */
	SWAUTH_FALLBACK_DELETED,	/* deleted; downloaded again when the job ends */
	SWAUTH_FALLBACK_RESTORED,	/* downloaded again */
	SWAUTH_FALLBACK_FAILED,		/* could not be downloaded again */
};

struct swauth_upgrade_job {
	char id[SWAUTH_RELOAD_ID_LEN + 1];
	enum swauth_upgrade_state state;
	enum swauth_upgrade_step step;	/* the last step begun */
	int64_t started, updated;	/* time() */
	char source[PATH_MAX];		/* the URL, its password removed, or flash:NAME */
	char image[PATH_MAX + 16];	/* flash:NAME */
	char path[PATH_MAX];		/* its absolute path */
	enum swauth_cleanup_mode disk;	/* disk-management */
	int64_t when;			/* the reload's time; 0: none asked for */
	enum swauth_reload_kind kind;	/* what check found possible */
	char verified_digest[2 * 64 + 1];	/* the payload digest check verified, hex */
	char prev_boot[PATH_MAX];	/* boot-image before the job, or "" */
	int boot_switched;		/* 1: the job changed boot-image */
	int downloaded;			/* 1: the job downloaded the image */
	char boot_id[40];		/* the boot that started the reload */
	int64_t deadline;		/* confirming: confirmed by then, or rolled back */
	char message[PATH_MAX + 512];	/* why it ended, or what it does */
	char fallback_image[PATH_MAX + 16];	/* flash:NAME of the previous boot image, or "" */
	char fallback_url[PATH_MAX];	/* where it comes back from: fallback-url/NAME */
	char fallback_sha256[65];	/* of the file deleted; the one that comes back matches */
	enum swauth_fallback_state fallback;
	enum swauth_upgrade_state fallback_then;	/* the state after the fallback step */
};

#define SWAUTH_UPGRADE_SOCKET "swupgrade.sock"
#define SWAUTH_UPGRADE_CONF "swupgrade.conf"

enum { SWAUTH_UPGRADE_MSG_MAX = 4096, SWAUTH_UPGRADE_JSON_MAX = 128 * 1024 };

/* swupgrade.conf: the seeds' autoupgrade settings. */
struct swauth_upgrade_conf {
	char disk_cleanup[64];		/* "crashinfo,core,image,irrecoverable", any of them */
	char locator_url[PATH_MAX];
	char locator_ca[PATH_MAX];	/* the CAs the locator's certificate must chain to */
	char email_recipient[256];
	char smtp_server[256];
	unsigned int space_margin;	/* MiB kept free beside the image */
	char health_check[256];		/* verify,unit=NAME,ping=HOST,confirm */
	unsigned int confirm_deadline;	/* seconds; 0: 600 */
	char fallback_url[PATH_MAX];	/* where previous images come back from; "": never deleted */
};

const char *swauth_upgrade_state_name(enum swauth_upgrade_state s);
const char *swauth_upgrade_step_name(enum swauth_upgrade_step s);
const char *swauth_fallback_state_name(enum swauth_fallback_state s);
int swauth_fallback_url(const char *base, const char *name, char *buf, size_t len);
const char *swauth_disk_mgmt_name(enum swauth_cleanup_mode d);
int swauth_disk_mgmt_parse(const char *word, enum swauth_cleanup_mode *d);
int swauth_disk_cleanup_policy(const char *list, unsigned int *policy);
int swauth_health_check_next(const char **list, char *word, size_t len);
int swauth_upgrade_job_read(const char *path, struct swauth_upgrade_job *j,
			    struct swauth_error *err);
int swauth_upgrade_job_write(const char *path, const struct swauth_upgrade_job *j,
			     struct swauth_error *err);
int swauth_upgrade_conf_path(char *buf, size_t len);
const char *swauth_upgrade_conf_keyword(size_t i);
int swauth_upgrade_conf_load(const char *path, struct swauth_upgrade_conf *c,
			     struct swauth_error *err);
int swauth_upgrade_conf_set(const char *path, const char *keyword, const char *value,
			    struct swauth_error *err);
int swauth_upgrade_socket_path(const struct swauth_config *cfg, char *buf, size_t len);

#endif /* SWAUTH_LIB_BOOT_H */
