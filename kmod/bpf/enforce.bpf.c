// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Enforcement of kexec: BPF LSM programs that swauth.ko loads and attaches
 * itself (kmod/enforce.c). kexec_file_load(2) may read a kernel or an
 * initramfs only from a copy the module sealed: a file on the module's own
 * tmpfs instance, which is mounted nowhere and holds nothing but sealed
 * copies. kexec_load(2), which takes no file, is refused. Each refusal is
 * counted and described in .bss, where the module reads it.
 */

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "enforce.h"

#define EPERM 1

/* The module's seal super block; set before loading, then frozen. */
const volatile __u64 seal_sb;

/* Refusals so far; the newest are described in events. */
__u64 refused;
struct swauth_refusal events[SWAUTH_REFUSAL_SLOTS];

static void record(__u32 what, struct file *file)
{
	__u64 seq = __sync_fetch_and_add(&refused, 1) + 1;
	struct swauth_refusal *ev = &events[seq % SWAUTH_REFUSAL_SLOTS];
	const unsigned char *name;

	/* seq last, after the fields, so that a reader sees a whole one. */
	ev->seq = 0;
	barrier();
	ev->what = what;
	ev->pid = bpf_get_current_pid_tgid() >> 32;
	ev->uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->name[0] = '\0';
	if (file) {
		name = BPF_CORE_READ(file, f_path.dentry, d_name.name);
		bpf_probe_read_kernel_str(ev->name, sizeof(ev->name), name);
	}
	barrier();
	ev->seq = seq;
}

SEC("lsm/kernel_read_file")
int BPF_PROG(swauth_kexec_file, struct file *file, enum kernel_read_file_id id,
	     bool contents, int ret)
{
	bool kernel = id == bpf_core_enum_value(enum kernel_read_file_id, READING_KEXEC_IMAGE);
	bool initrd = id == bpf_core_enum_value(enum kernel_read_file_id,
						READING_KEXEC_INITRAMFS);

	if (ret || (!kernel && !initrd))
		return ret;
	if ((__u64)BPF_CORE_READ(file, f_inode, i_sb) == seal_sb)
		return 0;
	record(kernel ? REFUSED_KEXEC_KERNEL : REFUSED_KEXEC_INITRD, file);
	return -EPERM;
}

SEC("lsm/kernel_load_data")
int BPF_PROG(swauth_kexec_load, enum kernel_load_data_id id, bool contents, int ret)
{
	if (ret || id != bpf_core_enum_value(enum kernel_load_data_id, LOADING_KEXEC_IMAGE))
		return ret;
	record(REFUSED_KEXEC_LOAD, NULL);
	return -EPERM;
}

char LICENSE[] SEC("license") = "GPL";
