// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The CLI tests' plumbing; see clirun.h.
 */

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "selftests/host/clirun.h"

/* Writes len bytes of buf as the whole file at path; 0 or -errno. */
int clirun_write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -errno;
	if (len && fwrite(buf, 1, len, f) != len) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -EIO : 0;
}

/* The whole file, NUL-terminated; *len its size. NULL when unreadable. */
char *clirun_read_file(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	FILE *f;

	if (stat(path, &st))
		return NULL;
	buf = malloc(st.st_size + 1);
	f = fopen(path, "rb");
	if (!buf || !f || fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	fclose(f);
	buf[st.st_size] = '\0';
	*len = st.st_size;
	return buf;
}

/* Whether the file at path holds exactly text. */
bool clirun_holds(const char *path, const char *text)
{
	size_t len;
	char *x = clirun_read_file(path, &len);
	bool same = x && len == strlen(text) && !memcmp(x, text, len);

	free(x);
	return same;
}

/*
 * Runs tool with args under SWAUTH_CONFIG=conf, stdin /dev/null, without
 * SWAUTH_MODULE: stdout in out, stderr in err (both NUL-terminated; dir
 * holds the stderr file meanwhile). Returns the exit code, or -1.
 */
int clirun_run(const char *dir, const char *tool, const char *conf, const char *args,
	       char *out, size_t out_len, char *err, size_t err_len)
{
	char cmd[PATH_MAX * 6], errpath[PATH_MAX];
	size_t n;
	char *e;
	FILE *p;
	int status;

	snprintf(errpath, sizeof(errpath), "%s/stderr", dir);
	snprintf(cmd, sizeof(cmd),
		 "env -u SWAUTH_MODULE SWAUTH_CONFIG='%s' '%s' %s </dev/null 2>'%s'", conf,
		 tool, args, errpath);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, out_len - 1, p);
	out[n] = '\0';
	status = pclose(p);
	e = clirun_read_file(errpath, &n);
	snprintf(err, err_len, "%s", e ? e : "");
	free(e);
	unlink(errpath);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Runs tool with argv (argv[0] included) under SWAUTH_CONFIG=conf on a
 * pseudo-terminal, without SWAUTH_MODULE, typing answer once prompt has
 * appeared: what the terminal showed in out. Returns the exit code, or -1.
 */
int clirun_tty(const char *tool, const char *conf, char *const argv[], const char *prompt,
	       const char *answer, char *out, size_t out_len)
{
	char conf_env[PATH_MAX + 32];
	size_t off = 0;
	int master, status;
	bool typed = false;
	pid_t pid;

	snprintf(conf_env, sizeof(conf_env), "SWAUTH_CONFIG=%s", conf);
	pid = forkpty(&master, NULL, NULL, NULL);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		putenv(conf_env);
		unsetenv("SWAUTH_MODULE");
		execv(tool, argv);
		_exit(127);
	}
	for (;;) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 20000) <= 0)
			break;
		n = read(master, out + off, out_len - 1 - off);
		if (n <= 0)
			break;	/* EIO once the child has closed the terminal */
		off += (size_t)n;
		out[off] = '\0';
		if (!typed && strstr(out, prompt)) {
			if (write(master, answer, strlen(answer)) != (ssize_t)strlen(answer))
				break;
			typed = true;
		}
	}
	out[off] = '\0';
	close(master);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
