// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The swauth tool as a user runs it: a subprocess, its exit code, stdout
 * and stderr. By default the sanitizer build next to this test
 * (bin/swauth); $SWAUTH_BIN names another one, e.g. an installed tool.
 * Nothing here needs the swauth module; the status test expects it to be
 * absent and skips when it is loaded.
 */

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

enum { OUT_MAX = 16384 };

struct run {
	int status;		/* exit code, or -1 if killed by a signal */
	char out[OUT_MAX];
	char err[OUT_MAX];
};

static int tool_path(char *path, size_t len)
{
	const char *env = getenv("SWAUTH_BIN");
	char self[PATH_MAX];
	ssize_t n;

	if (env && env[0]) {
		snprintf(path, len, "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return -errno;
	self[n] = '\0';
	snprintf(path, len, "%s/bin/swauth", dirname(self));
	return 0;
}

static int slurp(int fd, char *buf, size_t len)
{
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/*
 * Run the tool with @args (NULL-terminated, without argv[0]); when @module
 * is not NULL, with SWAUTH_MODULE set to it. Returns 0 or -errno; the
 * result is in @r. Output goes to memfds, so nothing can block on a pipe.
 */
static int run(struct run *r, const char *module, const char *const args[])
{
	char path[PATH_MAX];
	const char *argv[16] = { "swauth" };
	int out, err, ret, i;
	pid_t pid;

	ret = tool_path(path, sizeof(path));
	if (ret)
		return ret;
	for (i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	out = memfd_create("stdout", 0);
	err = memfd_create("stderr", 0);
	if (out < 0 || err < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		if (dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(126);
		if (module)
			setenv("SWAUTH_MODULE", module, 1);
		else
			unsetenv("SWAUTH_MODULE");
		execv(path, (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &ret, 0) < 0)
		return -errno;
	r->status = WIFEXITED(ret) ? WEXITSTATUS(ret) : -1;
	ret = slurp(out, r->out, sizeof(r->out));
	if (!ret)
		ret = slurp(err, r->err, sizeof(r->err));
	close(out);
	close(err);
	return ret;
}

/* run(), where "could not execute the tool" (exit 127) is a failure too. */
static int run_tool(struct run *r, const char *module, const char *const args[])
{
	int ret = run(r, module, args);

	return ret ? ret : r->status == 127 ? -ENOEXEC : 0;
}

#define RUN(r, module, ...) \
	ASSERT_EQ(0, run_tool(r, module, (const char *const[]){ __VA_ARGS__, NULL }))

/* Every spelling of help prints the subcommand table on stdout and exits 0. */
TEST(help)
{
	static const char *const spellings[] = { "--help", "-h", "help" };
	struct run *r = malloc(sizeof(*r));
	size_t i;

	ASSERT_NE(NULL, r);
	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		const char *args[] = { spellings[i], NULL };

		ASSERT_EQ(0, run(r, NULL, args));
		EXPECT_EQ(0, r->status) TH_LOG("%s", spellings[i]);
		EXPECT_EQ(0, strncmp(r->out, "Usage: swauth <cmd> [<args>]\n", 29));
		EXPECT_NE(NULL, strstr(r->out, "\n  status "));
		EXPECT_NE(NULL, strstr(r->out, "\n  debug "));
		EXPECT_NE(NULL, strstr(r->out, "\n  undebug "));
		EXPECT_STREQ("", r->err);
	}
	free(r);
}

/* Every spelling of version prints exactly one "swauth <version>" line. */
TEST(version)
{
	static const char *const spellings[] = { "--version", "-V", "version" };
	struct run *r = malloc(sizeof(*r));
	size_t i;

	ASSERT_NE(NULL, r);
	for (i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		const char *args[] = { spellings[i], NULL };
		size_t len;

		ASSERT_EQ(0, run(r, NULL, args));
		EXPECT_EQ(0, r->status) TH_LOG("%s", spellings[i]);
		len = strlen(r->out);
		EXPECT_EQ(0, strncmp(r->out, "swauth ", 7)) TH_LOG("%s", r->out);
		EXPECT_LT(8, len);
		EXPECT_EQ('\n', r->out[len - 1]);
		EXPECT_EQ(r->out + len - 1, strchr(r->out, '\n'));
		EXPECT_STREQ("", r->err);
	}
	free(r);
}

/* An unknown subcommand is a usage error: message and usage on stderr, exit 2. */
TEST(unknown_subcommand)
{
	struct run *r = malloc(sizeof(*r));

	ASSERT_NE(NULL, r);
	RUN(r, NULL, "frobnicate");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "swauth: invalid subcommand 'frobnicate'\n"));
	EXPECT_NE(NULL, strstr(r->err, "Usage: swauth <cmd>"));
	EXPECT_STREQ("", r->out);
	free(r);
}

/* Each subcommand has its own --help, on stdout, exit 0. */
TEST(subcommand_help)
{
	struct run *r = malloc(sizeof(*r));

	ASSERT_NE(NULL, r);
	RUN(r, NULL, "status", "--help");
	EXPECT_EQ(0, r->status);
	EXPECT_EQ(0, strncmp(r->out, "Usage: swauth status [--json]\n", 30)) TH_LOG("%s", r->out);
	RUN(r, NULL, "debug", "-h");
	EXPECT_EQ(0, r->status);
	EXPECT_EQ(0, strncmp(r->out, "Usage: swauth debug CATEGORY...\n", 32)) TH_LOG("%s", r->out);
	EXPECT_NE(NULL, strstr(r->out, "envelope errors key revocation show verbose"));
	RUN(r, NULL, "undebug", "--help");
	EXPECT_EQ(0, r->status);
	EXPECT_NE(NULL, strstr(r->out, "Disable")) TH_LOG("%s", r->out);
	free(r);
}

/* Bad options and arguments are usage errors, named in the message. */
TEST(bad_arguments)
{
	struct run *r = malloc(sizeof(*r));

	ASSERT_NE(NULL, r);
	RUN(r, NULL, "status", "--bogus");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "swauth: status: unknown option '--bogus'\n"));
	RUN(r, NULL, "status", "-x");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "swauth: status: unknown option '-x'\n"));
	RUN(r, NULL, "status", "extra");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "swauth: status: unexpected argument 'extra'\n"));
	RUN(r, NULL, "debug", "--json");
	EXPECT_EQ(2, r->status);
	free(r);
}

/* key store takes init [--yes] or reload, checked before the kernel is asked. */
TEST(key_store_arguments)
{
	struct run *r = malloc(sizeof(*r));

	ASSERT_NE(NULL, r);
	RUN(r, NULL, "key", "store");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "swauth: key store: missing action: init or reload\n"));
	RUN(r, NULL, "key", "store", "create");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "expected 'store init [--yes]' or 'store reload'"));
	RUN(r, NULL, "key", "store", "reload", "--yes");
	EXPECT_EQ(2, r->status);
	RUN(r, NULL, "key", "store", "--help");
	EXPECT_EQ(0, r->status);
	EXPECT_NE(NULL, strstr(r->out, "store init [--yes]"));
	free(r);
}

/*
 * key sync takes nothing, checked before the kernel is asked; a module
 * that cannot be loaded is exit 4 and says the trust store was left alone.
 */
TEST(key_sync_arguments)
{
	struct run *r = malloc(sizeof(*r));

	ASSERT_NE(NULL, r);
	RUN(r, "/nonexistent/swauth.ko", "key", "sync", "now");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "swauth: key sync: unexpected argument 'now'\n"));
	RUN(r, "/nonexistent/swauth.ko", "key", "sync", "--yes");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "swauth: key sync: unknown option '--yes'\n"));
	RUN(r, "/nonexistent/swauth.ko", "key", "sync", "--help");
	EXPECT_EQ(0, r->status);
	EXPECT_NE(NULL, strstr(r->out, "swauth key sync\n")) TH_LOG("%s", r->out);
	RUN(r, "/nonexistent/swauth.ko", "key", "frobnicate");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "(known: provision, add, revoke, store, sync)"));
	if (access("/sys/module/swauth", F_OK)) {
		RUN(r, "/nonexistent/swauth.ko", "key", "sync");
		EXPECT_EQ(4, r->status);
		EXPECT_NE(NULL, strstr(r->err, "/etc/swauth/keys left as it was\n"))
			TH_LOG("%s", r->err);
	}
	free(r);
}

/*
 * enforce takes on, off or status; off without a terminal wants --yes.
 * All checked before the kernel is asked (the module path does not exist).
 */
TEST(enforce_arguments)
{
	struct run *r = malloc(sizeof(*r));

	ASSERT_NE(NULL, r);
	RUN(r, "/nonexistent/swauth.ko", "enforce");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "swauth: enforce: missing on, off or status\n"));
	RUN(r, "/nonexistent/swauth.ko", "enforce", "enable");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "unknown action 'enable' (known: on, off, status)"));
	RUN(r, "/nonexistent/swauth.ko", "enforce", "status", "--yes");
	EXPECT_EQ(2, r->status);
	RUN(r, "/nonexistent/swauth.ko", "enforce", "on", "off");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "unexpected argument 'off'"));
	RUN(r, "/nonexistent/swauth.ko", "enforce", "off");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "swauth: enforce: not turning enforcement off without a terminal to confirm on: add --yes\n"))
		TH_LOG("%s", r->err);
	EXPECT_EQ(NULL, strstr(r->err, "netlink")) TH_LOG("%s", r->err);
	RUN(r, NULL, "enforce", "--help");
	EXPECT_EQ(0, r->status);
	EXPECT_EQ(0, strncmp(r->out, "Usage: swauth enforce on|off [--yes]\n", 37)) TH_LOG("%s", r->out);
	free(r);
}

/* An unknown category is a usage error naming it, before the kernel is asked. */
TEST(debug_bogus)
{
	struct run *r = malloc(sizeof(*r));

	ASSERT_NE(NULL, r);
	RUN(r, "/nonexistent/swauth.ko", "debug", "bogus");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "swauth: debug: unknown debug category 'bogus'\n"))
		TH_LOG("%s", r->err);
	EXPECT_EQ(NULL, strstr(r->err, "netlink")) TH_LOG("%s", r->err);
	/* One bad name among good ones rejects the whole command. */
	RUN(r, NULL, "undebug", "errors", "Key");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "swauth: undebug: unknown debug category 'Key'\n"));
	RUN(r, NULL, "debug");
	EXPECT_EQ(2, r->status);
	EXPECT_NE(NULL, strstr(r->err, "swauth: debug: no category given\n"));
	free(r);
}

/*
 * No swauth family and nothing to load: exit 4 with the reason, and no
 * partial output. Skipped where the module is loaded (status succeeds).
 */
TEST(status_without_module)
{
	static const char prefix[] = "swauth: status: the kernel has no swauth netlink family "
				     "and the module could not be loaded: ";
	struct run *r = malloc(sizeof(*r));

	ASSERT_NE(NULL, r);
	RUN(r, "/nonexistent/swauth.ko", "status");
	if (r->status == 0) {
		free(r);
		SKIP(return, "the swauth module is loaded on this host");
	}
	EXPECT_EQ(4, r->status) TH_LOG("stderr: %s", r->err);
	EXPECT_EQ(0, strncmp(r->err, prefix, sizeof(prefix) - 1)) TH_LOG("%s", r->err);
	EXPECT_NE(NULL, strstr(r->err,
			       "SWAUTH_MODULE=/nonexistent/swauth.ko: No such file or directory\n"))
		TH_LOG("%s", r->err);
	EXPECT_STREQ("", r->out);

	RUN(r, "/nonexistent/swauth.ko", "status", "--json");
	EXPECT_EQ(4, r->status);
	EXPECT_STREQ("", r->out);

	/* Without SWAUTH_MODULE the message says so. */
	RUN(r, NULL, "status");
	EXPECT_EQ(4, r->status);
	EXPECT_NE(NULL, strstr(r->err, "SWAUTH_MODULE is not set\n")) TH_LOG("%s", r->err);

	/* No subcommand means status. */
	RUN(r, "/nonexistent/swauth.ko", NULL);
	EXPECT_EQ(4, r->status);
	EXPECT_EQ(0, strncmp(r->err, prefix, sizeof(prefix) - 1)) TH_LOG("%s", r->err);
	free(r);
}

/* debug and undebug need the family too: same exit 4 after valid names. */
TEST(debug_without_module)
{
	struct run *r = malloc(sizeof(*r));

	ASSERT_NE(NULL, r);
	RUN(r, "/nonexistent/swauth.ko", "undebug", "all");
	if (r->status == 0) {
		free(r);
		SKIP(return, "the swauth module is loaded on this host");
	}
	EXPECT_EQ(4, r->status) TH_LOG("stderr: %s", r->err);
	EXPECT_EQ(0, strncmp(r->err, "swauth: undebug: the kernel has no swauth netlink family", 56))
		TH_LOG("%s", r->err);
	free(r);
}

TEST_HARNESS_MAIN
