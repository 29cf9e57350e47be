# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# What the guest halves of upgrade.t and rollback.t share, sourced in the
# guest from the top of the tree with SWAUTH_CONFIG set and the --disk at
# /var/lib/swauth: swupgraded started and stopped by PID, swupgrade's
# output prefixed for the host's checks, the job's state, what flash
# holds, and the payload of a bootable system image.

flash=/var/lib/swauth/flash
dpid=

start_daemon() {
	build/bin/swupgraded >>/var/lib/swauth/daemon.log 2>&1 &
	dpid=$!
	i=0
	until swupgrade show >/dev/null 2>&1 || [ $i -ge 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# run NAME ARGS...: swupgrade ARGS, each line of its output and its exit
# status prefixed with NAME.
run() {
	name=$1
	shift
	swupgrade "$@" </dev/null >/tmp/out 2>&1
	rc=$?
	sed "s/^/$name: /" /tmp/out
	echo "$name: exit $rc"
}

state() {
	sed -n "s/^state //p" /var/lib/swauth/upgrade
}

# What flash holds, on one line, but for the sums file swcopy keeps there.
flash_ls() {
	ls -A $flash | grep -vx .swcopy-sums | tr "\n" " "
}

le64() {
	for b in 0 1 2 3 4 5 6 7; do
		printf "\\$(printf %o $((($1 >> (8 * b)) & 255)))"
	done
}

# payload FILE [PAD]: Debian's kernel and the VM's initramfs as a bootable
# payload in FILE; with PAD, the initramfs has PAD zero bytes more (cpio
# padding), another build of the same system.
payload() {
	k=/boot/vmlinuz-$(uname -r)
	rd=$(ls build/vm/initramfs-*.cpio.gz | head -n 1)
	{
		le64 "$(stat -c %s "$k")"
		cat "$k"
		le64 $(($(stat -c %s "$rd") + ${2:-0}))
		cat "$rd"
		head -c "${2:-0}" /dev/zero
	} >"$1"
}
