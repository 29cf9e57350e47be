// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Enforcement of what kexec may start. A loadable module cannot register
 * an LSM, but the kernel's BPF LSM can run programs at its hooks: the
 * module loads kmod/bpf/enforce.bpf.c itself (a light skeleton, through
 * kern_sys_bpf() in a kworker, whose descriptor table no process shares),
 * keeps the only references to its links and closes every descriptor
 * before it returns, so that no process holds a way to detach them: BPF
 * tracing links have no detach operation, and the module stays loaded
 * while they are attached.
 *
 * The programs admit a kexec_file_load(2) kernel or initramfs only from
 * the module's own tmpfs instance, which is mounted nowhere and on which
 * only seal.c creates files; kexec_load(2) is refused. The programs count
 * and describe refusals in their .bss; a work item logs them (rate
 * limited) and sends each to the netlink event group.
 */

#include <linux/bpf.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/ratelimit.h>
#include <linux/workqueue.h>

#include "swauth.h"
#include "bpf/enforce.h"
#include "enforce.lskel.h"

/*
 * How often refusals are looked for, and how many are logged: a process
 * that tries again and again must not flood the log (the count and the
 * netlink events have them all).
 */
#define ENFORCE_POLL		HZ
#define ENFORCE_LOG_INTERVAL	(60 * HZ)
#define ENFORCE_LOG_BURST	5

static DEFINE_RATELIMIT_STATE(enforce_rs, ENFORCE_LOG_INTERVAL, ENFORCE_LOG_BURST);

/* What the programs record (bpf/enforce.h), as logged and as in the uapi. */
static const struct {
	const char *text;
	u32 uapi;
} refusal_what[] = {
	[REFUSED_KEXEC_KERNEL] = { "kexec_file_load kernel", SWAUTH_REFUSED_KEXEC_KERNEL },
	[REFUSED_KEXEC_INITRD] = { "kexec_file_load initramfs", SWAUTH_REFUSED_KEXEC_INITRD },
	[REFUSED_KEXEC_LOAD] = { "kexec_load", SWAUTH_REFUSED_KEXEC_LOAD },
};

static struct vfsmount *seal_mnt;

static DEFINE_MUTEX(enforce_lock);
static struct {
	struct bpf_link *links[2];
	struct bpf_map *bss_map;
	struct swauth_enforce__bss *bss;	/* NULL while off */
	u64 seen;		/* refusals of these programs reported */
	u64 base;		/* refusals of programs loaded before */
	u64 pending;		/* a refusal whose slot was being written */
	u64 unlogged;		/* refusals over the log's rate limit */
	bool gone;		/* the module is going: never start */
} enforce;

static void enforce_poll(struct work_struct *work);
static DECLARE_DELAYED_WORK(enforce_work, enforce_poll);

/**
 * swauth_enforce_seal_mnt() - where sealed copies are created
 *
 * Return: the module's private tmpfs instance.
 */
struct vfsmount *swauth_enforce_seal_mnt(void)
{
	return seal_mnt;
}

/* Says how many refusals were not logged, if any; enforce_lock held. */
static void enforce_unlogged(u64 total)
{
	if (enforce.unlogged)
		pr_err("%%DIGISIGN-3-KEXEC_REFUSED: %llu refusals not logged (%llu in all)\n",
		       enforce.unlogged, total);
	enforce.unlogged = 0;
}

/* Logs and announces one refusal, of @total so far; enforce_lock held. */
static void enforce_refusal(struct swauth_refusal *ev, u64 total)
{
	ev->comm[sizeof(ev->comm) - 1] = '\0';
	ev->name[sizeof(ev->name) - 1] = '\0';
	swauth_genetlink_refusal(refusal_what[ev->what].uapi, ev->pid, ev->uid,
				 ev->comm, ev->name, total);
	if (!__ratelimit(&enforce_rs)) {
		enforce.unlogged++;
		return;
	}
	enforce_unlogged(total);
	pr_err("%%DIGISIGN-3-KEXEC_REFUSED: %s%s%s refused: %s (pid %u, uid %u, %s)\n",
	       refusal_what[ev->what].text, ev->name[0] ? " of " : "", ev->name,
	       ev->what == REFUSED_KEXEC_LOAD ?
	       "only kexec_file_load of copies sealed by swauth" :
	       "not a copy sealed by swauth", ev->pid, ev->uid, ev->comm);
}

/*
 * Copies the description of refusal @seq out of its slot. The program
 * zeroes a slot's seq, writes the fields, then writes seq: a copy between
 * two reads of the same seq is whole. Return: 0, -EAGAIN while the slot
 * is being written, -ESTALE when a newer refusal took it.
 */
static int enforce_slot(u64 seq, struct swauth_refusal *ev)
{
	const u64 slots = ARRAY_SIZE(enforce.bss->events);
	struct swauth_refusal *slot = &enforce.bss->events[seq % slots];
	u64 before, after;

	before = READ_ONCE(slot->seq);
	/* The fields after the seq that says they are written... */
	smp_rmb();
	memcpy(ev, slot, sizeof(*ev));
	/* ...and the seq again after them: unchanged, nothing overwrote them. */
	smp_rmb();
	after = READ_ONCE(slot->seq);
	if (before == seq && after == seq)
		return ev->what < ARRAY_SIZE(refusal_what) ? 0 : -ESTALE;
	return before == after && before > seq ? -ESTALE : -EAGAIN;
}

/*
 * Reports the refusals since the last look; enforce_lock held. Root can
 * write .bss (BPF_MAP_GET_FD_BY_ID): the count may jump anywhere, even
 * back or to U64_MAX, so the loop counts at most the ring's slots and
 * never compares sequence numbers that could wrap. A refusal whose slot
 * is still being written is looked at again at the next poll, once.
 */
static void enforce_report(void)
{
	const u64 slots = ARRAY_SIZE(enforce.bss->events);
	u64 now = READ_ONCE(enforce.bss->refused);
	u64 n = now - enforce.seen, seq;
	struct swauth_refusal ev;
	int ret;

	/* The ring describes the newest; older ones are only counted. */
	if (n > slots) {
		enforce.unlogged += n - slots;
		n = slots;
	}
	for (seq = now - n + 1; n; n--, seq++) {
		ret = enforce_slot(seq, &ev);
		if (ret == -EAGAIN && enforce.pending != seq) {
			enforce.pending = seq;
			enforce.seen = seq - 1;
			return;
		}
		if (ret)
			enforce.unlogged++;
		else
			enforce_refusal(&ev, enforce.base + now);
	}
	enforce.seen = now;
}

static void enforce_poll(struct work_struct *work)
{
	mutex_lock(&enforce_lock);
	if (enforce.bss) {
		enforce_report();
		schedule_delayed_work(&enforce_work, ENFORCE_POLL);
	}
	mutex_unlock(&enforce_lock);
}

/* Loads and attaches the programs; enforce_lock held. */
static int enforce_start(struct netlink_ext_ack *extack)
{
	struct swauth_enforce *skel;
	int ret;

	skel = swauth_enforce__open();
	if (!skel)
		return -ENOMEM;
	skel->rodata->seal_sb = (u64)(unsigned long)seal_mnt->mnt_sb;
	ret = swauth_enforce__load(skel);
	if (!ret)
		ret = swauth_enforce__attach(skel);
	if (ret) {
		NL_SET_ERR_MSG(extack,
			       "the kernel refused the BPF LSM programs (is bpf in the lsm= boot parameter?)");
		goto out;
	}
	enforce.links[0] = bpf_link_get_from_fd(skel->links.swauth_kexec_file_fd);
	enforce.links[1] = bpf_link_get_from_fd(skel->links.swauth_kexec_load_fd);
	enforce.bss_map = bpf_map_get(skel->maps.bss.map_fd);
	if (IS_ERR(enforce.links[0]) || IS_ERR(enforce.links[1]) ||
	    IS_ERR(enforce.bss_map)) {
		ret = -EBADF;
		goto out_put;
	}
	enforce.bss = skel->bss;
	enforce.seen = READ_ONCE(enforce.bss->refused);
	enforce.pending = 0;
	__module_get(THIS_MODULE);
	schedule_delayed_work(&enforce_work, ENFORCE_POLL);
	goto out;

out_put:
	if (!IS_ERR(enforce.links[0]))
		bpf_link_put(enforce.links[0]);
	if (!IS_ERR(enforce.links[1]))
		bpf_link_put(enforce.links[1]);
	if (!IS_ERR(enforce.bss_map))
		bpf_map_put(enforce.bss_map);
	enforce.links[0] = NULL;
	enforce.links[1] = NULL;
	enforce.bss_map = NULL;
out:
	/* Closes every descriptor: the links stay, held by the module only. */
	swauth_enforce__destroy(skel);
	return ret;
}

struct enforce_load {
	struct work_struct work;
	struct netlink_ext_ack *extack;
	int ret;
};

/*
 * The kernel threads' table has 0, 1 and 2 free; a light skeleton takes
 * a descriptor of 0 for none (skel_closenz(), "fd > 0"), so a link there
 * would never be closed and would stay attached after enforce off. Keeps
 * them taken while loading.
 */
static void enforce_load_work(struct work_struct *work)
{
	struct enforce_load *l = container_of(work, struct enforce_load, work);
	int low[3], n = 0, fd, i;

	while (n < ARRAY_SIZE(low)) {
		fd = get_unused_fd_flags(O_CLOEXEC);
		if (fd < 0 || fd >= ARRAY_SIZE(low)) {
			if (fd >= 0)
				put_unused_fd(fd);
			break;
		}
		low[n++] = fd;
	}
	l->ret = enforce_start(l->extack);
	for (i = 0; i < n; i++)
		put_unused_fd(low[i]);
}

/*
 * Runs enforce_start() in a kworker; enforce_lock held. The skeleton's
 * descriptors then live in the kernel threads' table, out of every
 * process's reach. In the caller's table another thread of the caller
 * (or a process sharing the table) could put a link of its own at a
 * link's number before bpf_link_get_from_fd(): the module would then hold
 * that link, report enforcement on, and enforce nothing.
 */
static int enforce_start_isolated(struct netlink_ext_ack *extack)
{
	struct enforce_load l = { .extack = extack };

	INIT_WORK_ONSTACK(&l.work, enforce_load_work);
	queue_work(system_unbound_wq, &l.work);
	flush_work(&l.work);
	destroy_work_on_stack(&l.work);
	return l.ret;
}

/* Detaches the programs; enforce_lock held. */
static void enforce_stop(void)
{
	enforce_report();
	enforce_unlogged(enforce.base + enforce.seen);
	enforce.base += enforce.seen;
	enforce.seen = 0;
	bpf_link_put(enforce.links[0]);
	bpf_link_put(enforce.links[1]);
	bpf_map_put(enforce.bss_map);
	enforce.links[0] = NULL;
	enforce.links[1] = NULL;
	enforce.bss_map = NULL;
	enforce.bss = NULL;
	module_put(THIS_MODULE);
}

/**
 * swauth_enforce_set() - turn enforcement of kexec on or off
 * @on: the new state
 * @extack: receives why not
 *
 * Needs CAP_SYS_ADMIN (netlink.c checks). Logs who changed it.
 *
 * Return: 0, -EALREADY when the state is @on already, -ENODEV while the
 * module unloads, or the error of loading the programs.
 */
int swauth_enforce_set(bool on, struct netlink_ext_ack *extack)
{
	int ret = 0;

	mutex_lock(&enforce_lock);
	if (enforce.gone) {
		ret = -ENODEV;
		goto out;
	}
	if (on == !!enforce.bss) {
		ret = -EALREADY;
		goto out;
	}
	if (on) {
		ret = enforce_start_isolated(extack);
		if (ret)
			goto out;
	} else {
		enforce_stop();
	}
	pr_notice("%%DIGISIGN-%d-ENFORCE: kexec enforcement turned %s by pid %d, uid %u (%s)\n",
		  on ? 5 : 4, on ? "on" : "off", task_tgid_vnr(current),
		  from_kuid(&init_user_ns, current_uid()), current->comm);
out:
	mutex_unlock(&enforce_lock);
	/* A work item already queued sees enforce.bss and stops or goes on. */
	if (!ret)
		swauth_genetlink_enforce(on);
	return ret;
}

/**
 * swauth_enforce_state() - whether kexec is enforced, and its refusals
 * @refused: receives the refusals seen since the module was loaded
 *
 * Return: true while enforcement is on.
 */
bool swauth_enforce_state(u64 *refused)
{
	bool on;

	mutex_lock(&enforce_lock);
	on = enforce.bss;
	*refused = enforce.base + (on ? READ_ONCE(enforce.bss->refused) : 0);
	mutex_unlock(&enforce_lock);
	return on;
}

/**
 * swauth_enforce_init() - mount the seal file system
 *
 * Return: 0 or -errno.
 */
int __init swauth_enforce_init(void)
{
	struct file_system_type *type = get_fs_type("tmpfs");

	if (!type)
		return -ENODEV;
	ratelimit_set_flags(&enforce_rs, RATELIMIT_MSG_ON_RELEASE);
	seal_mnt = kern_mount(type);
	if (IS_ERR(seal_mnt))
		return PTR_ERR(seal_mnt);
	return 0;
}

/**
 * swauth_enforce_uninit() - stop enforcing, unless the module is forced out
 *
 * Only a forced removal (rmmod -f) gets here with enforcement on: the
 * programs and the seal file system then stay, enforcing until the next
 * boot, so that neither their super block nor kexec becomes free.
 */
void swauth_enforce_uninit(void)
{
	bool kept;

	mutex_lock(&enforce_lock);
	kept = enforce.bss;
	enforce.bss = NULL;
	enforce.gone = true;
	mutex_unlock(&enforce_lock);
	cancel_delayed_work_sync(&enforce_work);
	if (kept) {
		pr_crit("%%DIGISIGN-2-ENFORCE_KEPT: swauth removed by force; kexec stays refused until reboot\n");
		return;
	}
	kern_unmount(seal_mnt);
}
