// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * enforceswap: a CAP_SYS_ADMIN caller of SWAUTH_CMD_ENFORCE with a second
 * thread that, while the module loads its programs, puts a BPF link of its
 * own (XDP on lo, allowing everything) at the number of the first link
 * descriptor that appears in the process's table, before the module takes
 * its reference (selftests/vm/enforce.t). Then tries kexec_file_load(2) of
 * KERNEL, which enforcement must refuse.
 *
 * Usage: enforceswap KERNEL TRIES
 *
 * Prints one line per try: "try N: on RET, swapped FD|none, unsealed
 * kexec_file_load: loaded|refused (ERRNO)". Exit status: 0 when every try
 * left enforcement on and the unsealed kernel refused, 1 when one did not,
 * 3 when it could not be set up. Enforcement is left off.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/genetlink.h>
#include <linux/kexec.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/swauth.h>

static int nl, family, mylink, base;
static atomic_int stop, swapped;

static int genl_req(int type, int flags, int cmd, int version, int attr, const void *data,
		    int len, char *reply, int rlen)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char buf[64];
	} req = { 0 };
	struct nlattr *na = (void *)req.buf;

	req.n.nlmsg_type = type;
	req.n.nlmsg_flags = NLM_F_REQUEST | flags;
	req.g.cmd = cmd;
	req.g.version = version;
	na->nla_type = attr;
	na->nla_len = NLA_HDRLEN + len;
	memcpy((char *)na + NLA_HDRLEN, data, len);
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(na->nla_len);
	if (send(nl, &req, req.n.nlmsg_len, 0) < 0)
		return -errno;
	return recv(nl, reply, rlen, 0);
}

static int genl_family(void)
{
	char r[4096];
	struct nlmsghdr *h = (void *)r;
	struct nlattr *a = (void *)(r + NLMSG_LENGTH(GENL_HDRLEN));
	int n = genl_req(GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1, CTRL_ATTR_FAMILY_NAME,
			 SWAUTH_GENL_NAME, sizeof(SWAUTH_GENL_NAME), r, sizeof(r));

	if (n <= 0 || h->nlmsg_type == NLMSG_ERROR)
		return -1;
	while ((char *)a < r + h->nlmsg_len) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(unsigned short *)((char *)a + NLA_HDRLEN);
		a = (void *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return -1;
}

/* 0, or the negative errno of the kernel's acknowledgement. */
static int enforce(unsigned int on)
{
	char r[4096];
	struct nlmsghdr *h = (void *)r;
	int n = genl_req(family, NLM_F_ACK, SWAUTH_CMD_ENFORCE, SWAUTH_GENL_VERSION, SWAUTH_A_ENFORCE,
			 &on, sizeof(on), r, sizeof(r));

	if (n < 0)
		return n;
	if (h->nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
	return 0;
}

static int bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static int xdp_link(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a = { 0 };
	int prog;

	a.prog_type = BPF_PROG_TYPE_XDP;
	a.insns = (unsigned long)insns;
	a.insn_cnt = 2;
	a.license = (unsigned long)"GPL";
	prog = bpf(BPF_PROG_LOAD, &a);
	if (prog < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = prog;
	a.link_create.target_ifindex = 1;
	a.link_create.attach_type = BPF_XDP;
	return bpf(BPF_LINK_CREATE, &a);
}

static void *swapper(void *arg)
{
	char path[64], target[64];
	ssize_t n;
	int fd;

	(void)arg;
	while (!atomic_load(&stop)) {
		for (fd = base; fd < base + 32; fd++) {
			if (fd == mylink)
				continue;
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			n = readlink(path, target, sizeof(target));
			if (n == 19 && !memcmp(target, "anon_inode:bpf_link", 19)) {
				dup2(mylink, fd);
				atomic_store(&swapped, fd);
				return NULL;
			}
		}
	}
	return NULL;
}

int main(int argc, char *argv[])
{
	static const char cmdline[] = "console=ttyS0";
	int kernel, tries, t, ret, fail = 0;
	pthread_t thread;
	long loaded;

	if (argc != 3) {
		fprintf(stderr, "Usage: enforceswap KERNEL TRIES\n");
		return 3;
	}
	tries = atoi(argv[2]);
	kernel = open(argv[1], O_RDONLY | O_CLOEXEC);
	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	family = nl < 0 ? -1 : genl_family();
	mylink = xdp_link();
	if (kernel < 0 || family < 0 || mylink < 0) {
		fprintf(stderr, "enforceswap: cannot set up: %s\n", strerror(errno));
		return 3;
	}
	for (t = 1; t <= tries; t++) {
		base = dup(0);
		close(base);
		atomic_store(&stop, 0);
		atomic_store(&swapped, -1);
		pthread_create(&thread, NULL, swapper, NULL);
		usleep(1000);
		ret = enforce(1);
		atomic_store(&stop, 1);
		pthread_join(thread, NULL);
		loaded = syscall(SYS_kexec_file_load, kernel, -1, sizeof(cmdline), cmdline,
				 KEXEC_FILE_NO_INITRAMFS);
		printf("try %d: on %d, swapped %d, unsealed kexec_file_load: %s (%s)\n", t, ret,
		       atomic_load(&swapped), loaded ? "refused" : "loaded",
		       loaded ? strerrorname_np(errno) : "-");
		if (!loaded)
			syscall(SYS_kexec_file_load, -1, -1, 0, NULL, KEXEC_FILE_UNLOAD);
		if (ret || !loaded)
			fail = 1;
		enforce(0);
	}
	return fail;
}
