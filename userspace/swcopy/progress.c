// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * A copy's progress: IOS's '!' marks, or a bar on a terminal.
 */

#include <stdio.h>
#include <time.h>

#include "swcopy/swcopy.h"

double swcopy_elapsed(const struct copy *c)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - c->start.tv_sec) +
	       (double)(now.tv_nsec - c->start.tv_nsec) / 1e9;
}

void swcopy_progress(void *arg, uint64_t done, uint64_t total)
{
	struct copy *c = arg;
	double secs;
	int pct, i;

	if (total)
		c->total = total;
	if (c->progress == PROGRESS_MARKS) {
		while (c->marks < done / MARK_BYTES) {
			fputc('!', c->out);
			c->line_start = ++c->marks % MARKS_PER_LINE == 0;
			if (c->line_start)
				fputc('\n', c->out);
		}
		fflush(c->out);
	} else if (c->progress == PROGRESS_BAR) {
		secs = swcopy_elapsed(c);
		c->line_start = false;
		pct = c->total ? (int)(done * 100 / c->total) : 0;
		fputs("\r[", c->out);
		for (i = 0; i < 40; i++)
			fputc(c->total && i < pct * 40 / 100 ? '#' : ' ', c->out);
		fprintf(c->out, "] %3d%% %llu bytes %.1f MB/s", pct, (unsigned long long)done,
			secs > 0 ? (double)done / secs / 1e6 : 0.0);
		fflush(c->out);
	}
}

/* A cut download resumes: one line, between the marks or under the bar. */
void swcopy_resumed(void *arg, uint64_t offset, unsigned int n, unsigned int max)
{
	struct copy *c = arg;

	if (!c->line_start)
		fputc('\n', c->out);
	fprintf(c->out, "%%Resumed at %llu bytes (attempt %u of %u)\n", (unsigned long long)offset,
		n, max);
	c->line_start = true;
	fflush(c->out);
}

void swcopy_progress_end(struct copy *c)
{
	if ((c->progress == PROGRESS_MARKS || c->progress == PROGRESS_BAR) && !c->line_start)
		fputc('\n', c->out);
	fflush(c->out);
}
