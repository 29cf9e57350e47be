/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * What the command-line tools share: option parsing and messages, and the
 * printers of a verification.
 */

#ifndef SWAUTH_LIB_CLI_H
#define SWAUTH_LIB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "lib/core.h"
#include "lib/image.h"

/*
 * What every subcommand shares: exit codes (documented in swauth.8, EXIT
 * STATUS) and the "swauth: <subcmd>: ..." message format.
 */

/* "swauth", or the name of the other tool that shares this code (swcopy). */
extern const char *cli_prog_name;
#define PROG_NAME cli_prog_name

enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_VERIFY_FAILED = 1,
	CLI_EXIT_USAGE = 2,
	CLI_EXIT_SYSTEM = 3,
	CLI_EXIT_NO_MODULE = 4,
};

/* A tool's table of subcommands: main() dispatches by it, --help lists it. */
struct cli_subcmd {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *description;
};

void cli_subcmd_list(FILE *f, const struct cli_subcmd *cmds, size_t n, int width);
const struct cli_subcmd *cli_subcmd_find(const struct cli_subcmd *cmds, size_t n,
					 const char *name);

void cli_msg(const char *subcmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_fail(const char *subcmd, int ret, const struct swauth_error *err);
/* main.c: the version of the tools. */
const char *cli_version(void);
int cli_bad_option(const char *subcmd, int argc, char *argv[], int opt);
int cli_stdout_done(const char *subcmd, int code);
int cli_help_or_bad_option(const char *subcmd, int argc, char *argv[], int opt,
			   void (*usage)(FILE *f, const char *subcmd));
int cli_parse_json(int argc, char *argv[], void (*usage)(FILE *f, const char *subcmd),
		   bool *json);
int cli_tool_dir(char *buf, size_t len);

/*
 * A daemon's child (cli/child.c): a tool in a process group of its own that
 * dies with the daemon, its output read line by line.
 */
struct cli_child_lines {
	char *buf;				/* the unfinished line */
	size_t size, len;			/* @buf's size; the bytes in it */
	void (*line)(void *arg, const char *line);	/* each line, without its newline */
	void *arg;
};

int cli_daemon_fds(int *sig_fd, int *timer_fd);
pid_t cli_child_fork(int in, int out);
int cli_child_read(int *fd, struct cli_child_lines *l);
int cli_child_reap(pid_t pid, int *pidfd, int *fd, struct cli_child_lines *l);

/*
 * Confirming a destructive action (cli/confirm.c), the same in every tool:
 * --yes answers yes; without a terminal it is refused with a hint to pass
 * --yes; on a terminal IOS's "[confirm]" or "[yes/no]" is asked.
 */
enum cli_ask { CLI_ASK_CONFIRM, CLI_ASK_YES_NO };

/* FILE operands: flash:NAME and its kin (lib/fs.h), or a plain path. */
bool cli_one_operand(const char *subcmd, int argc, char *argv[], const char *what);
int cli_resolve_file(const char *subcmd, const char *spec, char *path, size_t len);

int cli_need_terminal(const char *subcmd, bool yes);
int cli_read_password(const char *subcmd, const char *file, char *pw, size_t len);
bool cli_confirm(const char *subcmd, FILE *out, const char *question, enum cli_ask style,
		 bool yes);

/*
 * Bash completion (cli/complete.c): each tool describes its command tree
 * with these, beside the tables it dispatches with, and answers the hidden
 * `TOOL --complete WORD...` with the candidates for the last WORD, one a
 * line. The bash function (userspace/bash-completion/swauth) only quotes
 * them and lists files; it knows no command of its own.
 */
enum cli_arg {
	CLI_ARG_NONE,	/* a flag, or a command without operands */
	CLI_ARG_TEXT,	/* free text: nothing to offer */
	CLI_ARG_FILE,	/* a path */
	CLI_ARG_DIR,	/* a directory */
	CLI_ARG_FS,	/* a path, or flash:NAME and its kin (lib/fs.h) */
};

struct cli_opt {
	const char *name;		/* "--json"; NULL ends a list */
	enum cli_arg arg;		/* what follows it */
	const char *const *values;	/* or one of these words, NULL-ended */
};

struct cli_cmd {
	const char *name;		/* NULL ends a list */
	const struct cli_cmd *sub;	/* the words that may follow, or NULL */
	const struct cli_opt *opts;	/* its options, or NULL */
	enum cli_arg operand;		/* what its operands are */
	const char *const *words;	/* operand words to offer, NULL-ended, or NULL */
	const char *(*word)(size_t i);	/* more of them, from a table: NULL past the last */
};

/* The lines for a file argument (the bash function lists the files). */
#define CLI_COMPLETE_FILE "@file"
#define CLI_COMPLETE_DIR "@dir"

void cli_complete(FILE *out, const struct cli_cmd *root, int argc, char *const argv[]);
const struct cli_cmd *cli_cmd_find(const struct cli_cmd *list, const char *name);

/*
 * What `swauth show file` and `swauth verify` share: choosing the verifier
 * (the module when it is there, else OpenSSL), the options that steer it,
 * and the printers of a result in the seeds' layouts and as JSON.
 */

enum { VERIFIED_BY_LEN = 256 };

struct verify_opts {
	bool userspace;			/* --userspace: never ask the module */
	struct swauth_trust_dirs dirs;	/* --rollover-dir, --trust-dir */
	unsigned int n_rollover, n_keys;
};

/* The options both subcommands take, for getopt_long(). */
#define VERIFY_OPTIONS \
	{ "userspace", no_argument, NULL, 'u' }, \
	{ "trust-dir", required_argument, NULL, 't' }, \
	{ "rollover-dir", required_argument, NULL, 'r' }
#define VERIFY_OPTSTRING "ut:r:"
/* The same, for completion (struct cli_opt). */
#define VERIFY_CLI_OPTS \
	{ "--userspace", CLI_ARG_NONE, NULL }, \
	{ "--trust-dir", CLI_ARG_DIR, NULL }, \
	{ "--rollover-dir", CLI_ARG_DIR, NULL }
#define VERIFY_OPTIONS_HELP \
	"  -u, --userspace         verify with OpenSSL in userspace, even when the module is loaded\n" \
	"  -t, --trust-dir DIR     production and special certificates for --userspace\n" \
	"                          (default " SWAUTH_KEYS_DIR "; may be repeated)\n" \
	"  -r, --rollover-dir DIR  rollover certificates for --userspace\n" \
	"                          (default " SWAUTH_ROLLOVER_DIR "; may be repeated)\n"

int verify_opt(const char *subcmd, struct verify_opts *o, int opt, const char *arg);
int verify_opt_argv(const char *subcmd, struct verify_opts *o, int argc, char *argv[], int opt,
		    const char *arg);
struct option;
int verify_getopt(const char *subcmd, int argc, char *argv[], const struct option *options,
		  char flag, bool *flag_set, struct verify_opts *o);
int verify_run(const char *subcmd, const char *path, const struct verify_opts *o,
	       struct swauth_verify_result *res, char *verified_by, size_t len);
uint32_t verify_signer_type(const struct swauth_verify_result *res);
char verify_signer_version(const struct swauth_verify_result *res);
void verify_digest_hex(const struct swauth_verify_result *res, char *out);
void verify_print_credentials(FILE *f, const struct swauth_verify_result *res);
void verify_print_show(FILE *f, const char *path, const struct swauth_verify_result *res,
		       const char *verified_by);
int verify_print_show_json(FILE *f, const char *path, const struct swauth_verify_result *res,
			   const char *verified_by);
int verify_print_verify_json(FILE *f, const char *path, const struct swauth_verify_result *res,
			     const uint8_t *md5, const char *verified_by);
void verify_print_copy(FILE *f, const char *path, const struct swauth_verify_result *res,
		       const uint8_t *sha256, const uint8_t *md5, const char *verified_by);
void verify_print_cco(FILE *f, const uint8_t md5[16]);
void verify_print_hex_block(FILE *f, const char *label, const uint8_t *buf, uint32_t len);

#endif /* SWAUTH_LIB_CLI_H */
