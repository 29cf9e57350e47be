/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * What the enforcement programs (enforce.bpf.c) and the module
 * (kmod/enforce.c) share: the description of a refusal, in the programs'
 * .bss. Include after vmlinux.h or <linux/types.h>.
 */

#ifndef _SWAUTH_ENFORCE_H
#define _SWAUTH_ENFORCE_H

/*
 * What was refused. The uapi header, which cannot be included next to
 * vmlinux.h, has its own numbers for these (enum swauth_refused_load);
 * enforce.c translates.
 */
#define REFUSED_KEXEC_KERNEL	0
#define REFUSED_KEXEC_INITRD	1
#define REFUSED_KEXEC_LOAD	2

/* The newest refusals are described in a ring of this many slots. */
#define SWAUTH_REFUSAL_SLOTS 32

struct swauth_refusal {
	__u64 seq;		/* 1 for the first refusal; written last */
	__u32 what;		/* enum swauth_refused_load */
	__u32 pid;		/* the caller's thread group */
	__u32 uid;		/* its real uid, in the initial namespace */
	char comm[16];
	char name[48];		/* the file's name, "" for kexec_load(2) */
};

#endif
