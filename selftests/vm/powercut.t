#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Power cuts during an upgrade (issue 15): the guest cuts its own power
# (echo o >/proc/sysrq-trigger, no sync, the closest to pulling the plug)
# while swupgraded is at step download, check, boot-image, reload, on
# probation and in the disk clean-up of a
# job to a large image v2 (Debian's kernel and the VM's initramfs padded
# to 24 MiB, signed with production key A, served over HTTP in the
# guest). The next boot, on the same --disk (swauth.conf, flash and
# state-dir/upgrade, mounted at /var/lib/swauth), starts swupgraded and
# checks that `swupgrade show` gives the job as failed and why (interrupted
# at step S; for the reload: the system did not come up in the new image),
# that boot-image is the old image v1 again, that v1 is intact, and that
# flash and state-dir hold no temporary or partial file; then it cuts the
# power at the next step. At boot-image, swupgraded is stopped (SIGSTOP)
# until `swauth boot system` has written the new boot image, and the power
# goes before swupgraded records the next step: the narrowest window; at
# check too, swupgraded is stopped before the cut, so that its end cannot
# be recorded first. At reload, the power goes once the new kernel is
# loaded for kexec, `swauth reload` stopped before its reboot.
#
# On probation (confirm), the power goes once the reload into v2p came up
# and swupgraded holds it on probation (a health check that cannot pass,
# a deadline an hour away); the next, cold, boot runs the old kernel. In
# the clean-up (step space, disk-management confirm), six core dumps in
# flash and a file outside it leave v2 two dumps short of room; the first
# question is answered yes, and the power goes at the second. The dump
# deleted may be back after the cut: nothing made its unlink durable, and
# nothing needs to.
#
# Boots: 1 sets up and cuts at download, 2 checks download and cuts at
# check, 3 checks check and cuts at boot-image, 4 checks boot-image and
# cuts at reload, 5 checks reload and cuts on probation, 6 checks that and
# cuts in the clean-up, 7 checks the clean-up.

cd "$(dirname "$0")/../.." || exit 1
. selftests/vm/lib.sh

# The guest: $1 the step whose cut to check ("none" in the first boot),
# $2 the step at which to cut the power ("none" in the last).
guest='
export SWAUTH_CONFIG=/var/lib/swauth/swauth.conf
lib=/var/lib/swauth
. selftests/vm/upgrade-guest.sh
after=$1
cut=$2
# The kernel a reload started: only the cut at confirm reloads on purpose.
probation=
if grep -q swauth.reload= /proc/cmdline; then
	if [ "$cut" != confirm ]; then
		echo "$cut: the kexec beat the power cut"
		exit 1
	fi
	probation=1
fi
field() {
	sed -n "s/^$1 //p" $lib/upgrade
}
boot_image() {
	sed -n "s/^boot-image //p" $SWAUTH_CONFIG
}
# wait_rec LINE: until the record has LINE, e.g. "step check" (300 s at most).
wait_rec() {
	i=0
	until grep -q "^$1\$" $lib/upgrade 2>/dev/null || [ $i -ge 3000 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
# rec_has LINE: the job record has LINE; shell builtins only, so it is fast.
rec_has() {
	while IFS= read -r l; do
		[ "$l" = "$1" ] && return 0
	done 2>/dev/null <$lib/upgrade
	return 1
}
power_cut() {
	echo "$cut: cut at $(field state) step $(field step), boot-image $(boot_image)"
	echo o >/proc/sysrq-trigger
	sleep 60
	echo "$cut: still up after the power cut"
	exit 1
}
mkdir -p /tmp/store /run/swauth
insmod $SWAUTH_MODULE store_dir=/tmp/store || exit 1
swauth key store init --yes >/dev/null || exit 1
swauth key provision keyrings/dev/production-A.crt >/dev/null || exit 1
if [ ! -e $SWAUTH_CONFIG ]; then
	mkdir -p $flash $lib/pub
	printf "flash-dir $flash\nstate-dir $lib\nrun-dir /run/swauth\n" >$SWAUTH_CONFIG
	payload /tmp/v1
	payload /tmp/v2 $((24 * 1048576 - $(stat -c %s /tmp/v1)))
	for v in v1 v2; do
		swauth sign --key keyrings/dev/production-A.key \
			--cert keyrings/dev/production-A.crt --type production \
			--key-version A --name $v /tmp/$v -o $lib/pub/$v.SPA >/dev/null || exit 1
	done
	mv $lib/pub/v1.SPA $flash/v1.SPA
	for n in c b r p s; do
		ln $lib/pub/v2.SPA $lib/pub/v2$n.SPA
	done
	chmod 644 $lib/pub/*
	swauth boot system flash:v1.SPA >/dev/null || exit 1
	sha256sum <$flash/v1.SPA >$lib/v1.sum
	sync
	echo "setup: boot-image $(boot_image)"
fi

SRV_NET_DIR=$(pwd)/selftests/net
. selftests/net/servers.sh
trap srv_stop_all EXIT
srv_init /tmp/srv
srv_http_start HTTP $lib/pub || exit 1
url=http://127.0.0.1:$HTTP_PORT

if [ "$after" != none ] && [ -z "$probation" ]; then
	echo "$after: record before the daemon: $(field state) step $(field step)"
	start_daemon
	swupgrade show </dev/null >/tmp/out 2>&1
	rc=$?
	sed "s/^/$after: show: /" /tmp/out
	echo "$after: show exit $rc"
	echo "$after: record after the daemon: $(field state)"
	echo "$after: boot-image: $(boot_image)"
	echo "$after: flash: $(flash_ls)"
	echo "$after: temporaries: $(ls -A $flash $lib | grep -c "\.sw\(auth\|copy\)-[A-Za-z0-9]\{6\}\$")"
	sha256sum <$flash/v1.SPA | cmp -s - $lib/v1.sum && echo "$after: v1 intact"
	for f in $flash/v2*.SPA; do
		[ -e "$f" ] || continue
		cmp -s $f $lib/pub/v2.SPA && echo "$after: ${f##*/} whole" ||
			echo "$after: ${f##*/} partial"
	done
else
	start_daemon
fi

case $cut in
download)
	srv_spawn_py HOSTILE selftests/net/hostile.py http $lib/pub/v2.SPA || exit 1
	swupgrade getversion \
		http://127.0.0.1:$HOSTILE_PORT/trickle/1000000/$(stat -c %s $lib/pub/v2.SPA) \
		</dev/null >/dev/null 2>&1 &
	wait_rec "step download"
	sleep 2
	power_cut
	;;
check)
	swupgrade getversion $url/v2c.SPA </dev/null >/dev/null 2>&1 &
	wait_rec "step check"
	kill -STOP $dpid
	power_cut
	;;
boot-image)
	swupgrade getversion $url/v2b.SPA </dev/null >/dev/null 2>&1
	echo "$cut: getversion exit $?, record $(field state)"
	swupgrade runversion now </dev/null >/dev/null 2>&1 &
	# The daemon stops once it has started the step (its child exists),
	# before the step ends: the step takes 0.2 s, and a daemon that reaped
	# it would reload at once. Shell builtins only between the two.
	i=0
	until rec_has "step boot-image" || [ $i -ge 1000000 ]; do
		i=$((i + 1))
	done
	i=0
	kids=
	until [ -n "$kids" ] || [ $i -ge 1000000 ]; do
		{ read -r kids || :; } 2>/dev/null </proc/$dpid/task/$dpid/children
		i=$((i + 1))
	done
	kill -STOP $dpid
	echo "$cut: swupgraded stopped with its step $kids started"
	i=0
	until { boot_image | grep -q v2b.SPA && ! pgrep -f "^[^ ]*/swauth boot system" >/dev/null; } ||
		[ $i -ge 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	power_cut
	;;
reload)
	swupgrade getversion $url/v2r.SPA </dev/null >/dev/null 2>&1
	echo "$cut: getversion exit $?, record $(field state)"
	swupgrade runversion now </dev/null >/dev/null 2>&1 &
	wait_rec "step reload"
	i=0
	until rpid=$(pgrep -f "^[^ ]*/swauth reload") || [ $i -ge 600 ]; do
		i=$((i + 1))
	done
	i=0
	while read -r loaded </sys/kernel/kexec_loaded && [ "$loaded" = 0 ] && [ $i -lt 1000000 ]; do
		i=$((i + 1))
	done
	kill -STOP $rpid
	echo "$cut: kexec loaded: $loaded"
	power_cut
	;;
confirm)
	if [ -n "$probation" ]; then
		wait_rec "state confirming"
		power_cut
	fi
	swupgrade config health-check unit=swauth-none.service >/dev/null &&
		swupgrade config confirm-deadline 3600 >/dev/null || exit 1
	swupgrade getversion $url/v2p.SPA </dev/null >/dev/null 2>&1
	echo "$cut: getversion exit $?, record $(field state)"
	swupgrade runversion now </dev/null >/dev/null 2>&1 &
	sleep 600
	echo "$cut: no reload into v2p"
	exit 1
	;;
space)
	# Six core dumps of 8 MiB, the oldest first, and a file outside
	# flash that leaves 12 MiB too little for v2: the clean-up must
	# delete two. Its first question is answered yes, the second never.
	swupgrade config disk-cleanup core >/dev/null &&
		swupgrade config space-margin 1 >/dev/null || exit 1
	for i in 1 2 3 4 5 6; do
		fallocate -l 8M $flash/core.10$i
		printf "\177ELF\002\001\001" | dd of=$flash/core.10$i conv=notrunc status=none
		printf "\004\000" | dd of=$flash/core.10$i bs=1 seek=16 conv=notrunc status=none
		touch -d @$((1700000000 + i)) $flash/core.10$i
	done
	need=$(($(stat -c %s $lib/pub/v2.SPA) + 1048576))
	avail=$(df -B1 --output=avail $flash | tail -n 1)
	fallocate -l $((avail - need + 12 * 1048576)) $lib/filler || exit 1
	{ echo yes; sleep 600; } |
		script -qec "swupgrade getversion $url/v2s.SPA disk-management confirm" /dev/null \
		>/tmp/ask 2>&1 &
	i=0
	until grep -q "core\.102" /tmp/ask || [ $i -ge 3000 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	echo "$cut: cores before the cut: $(ls $flash | grep "^core\." | tr "\n" " ")"
	power_cut
	;;
esac
kill $dpid
wait $dpid
echo "daemon stopped: exit $?"
'

echo "1..23"
truncate -s 256M "$tmp/disk.img" && mkfs.ext4 -q -F "$tmp/disk.img" || exit 1
# boot N AFTER CUT: one boot; its output in $tmp/out, its exit status in $rc.
boot() {
	t0=$(date +%s)
	scripts/vm-run --timeout 600 --disk "$tmp/disk.img" -- sh -c "$guest" sh "$2" "$3" \
		>"$tmp/out" 2>&1
	rc=$?
	echo "# boot $1 (after $2, cut at $3): exit $rc, $(($(date +%s) - t0)) s" >&2
	cp "$tmp/out" "$tmp/boot$1"
}
# old_back STEP V2: the old image is the boot image again, intact, and
# flash holds no temporary or partial file: v1 and whole images matching
# V2 (the v2 a job kept, not knowing after boot-image what would run).
old_back() {
	grep -q "^$1: boot-image: \(flash:v1.SPA\|/var/lib/swauth/flash/v1.SPA\)$" "$tmp/out" &&
		has "$1: v1 intact" && has "$1: temporaries: 0" && ! has "partial" &&
		grep -q "^$1: flash: v1.SPA \($2.SPA \)*$" "$tmp/out"
}
# cut_at STEP [STATE]: the guest cut its power at STEP, the job in STATE.
cut_at() {
	test $rc -eq 125 && has "$1: cut at ${2:-running} step $1,"
}

boot 1 none download
has "setup: boot-image " && cut_at download
ok $? "boot 1: set up, the power cut at step download"

boot 2 download check
has 'download: record before the daemon: running step download' && has 'download: show exit 0' &&
	has 'interrupted at step download: swupgraded or the system stopped' &&
	grep -q '^download: show: *State: *failed$' "$tmp/out" &&
	has 'download: record after the daemon: failed'
ok $? "after the cut at download, show says the job failed, interrupted at step download"
old_back download none
ok $? "after the cut at download, v1 boots, intact, and nothing partial is in flash"
cut_at check
ok $? "boot 2: the power cut at step check"

boot 3 check boot-image
has 'check: record before the daemon: running step check' && has 'check: show exit 0' &&
	has 'Upgrade to flash:v2c.SPA interrupted at step check: swupgraded or the system stopped' &&
	grep -q '^check: show: *State: *failed$' "$tmp/out" && has 'check: record after the daemon: failed'
ok $? "after the cut at check, show says the job failed, interrupted at step check"
old_back check none
ok $? "after the cut at check, v1 boots, intact, and the checked download is gone"
has 'boot-image: getversion exit 0, record ready'
ok $? "boot 3: getversion v2b ends ready"
cut_at boot-image && grep -q '^boot-image: cut at .*, boot-image .*v2b.SPA$' "$tmp/out"
ok $? "boot 3: the power cut at step boot-image, after swauth boot system wrote v2b"

boot 4 boot-image reload
has 'boot-image: record before the daemon: running step boot-image' &&
	has 'boot-image: show exit 0' &&
	has 'Upgrade to flash:v2b.SPA interrupted at step boot-image: swupgraded or the system stopped' &&
	grep -q '^boot-image: show: *State: *failed$' "$tmp/out"
ok $? "after the cut at boot-image, show says the job failed, interrupted at step boot-image"
old_back boot-image v2b
ok $? "after the cut at boot-image, the boot image is v1 again, intact; nothing partial in flash"
has 'reload: getversion exit 0, record ready'
ok $? "boot 4: getversion v2r ends ready"
cut_at reload reloading && has 'reload: kexec loaded: 1'
ok $? "boot 4: the power cut at step reload, the new kernel loaded for kexec"

boot 5 reload confirm
has 'reload: record before the daemon: reloading step reload' && has 'reload: show exit 0' &&
	has 'Upgrade to flash:v2r.SPA failed at step reload: the system did not come up in the new image' &&
	grep -q '^reload: show: *State: *failed$' "$tmp/out"
ok $? "after the cut at reload, show says the system did not come up in the new image"
old_back reload "v2[br]"
ok $? "after the cut at reload, the boot image is v1 again, intact; nothing partial in flash"
has 'confirm: getversion exit 0, record ready'
ok $? "boot 5: getversion v2p ends ready"
test $rc -eq 125 && grep -q '^confirm: cut at confirming step health, boot-image .*v2p.SPA$' "$tmp/out"
ok $? "boot 5: the reload into v2p came up, and the power was cut on probation"

boot 6 confirm space
has 'confirm: record before the daemon: confirming step health' && has 'confirm: show exit 0' &&
	has 'Upgrade to flash:v2p.SPA failed at step health: the system no longer runs the new image' &&
	grep -q '^confirm: show: *State: *failed$' "$tmp/out"
ok $? "after the cut on probation, the cold boot runs the old kernel and show says the job failed, why"
old_back confirm "v2[brp]"
ok $? "after the cut on probation, the boot image is v1 again, intact; nothing partial in flash"
cut_at space && has 'space: cores before the cut: core.102 core.103 core.104 core.105 core.106 '
ok $? "boot 6: the power cut at step space, in the clean-up: one core dump deleted, the next asked about"

boot 7 space none
has 'space: record before the daemon: running step space' && has 'space: show exit 0' &&
	has 'Upgrade to flash:v2s.SPA interrupted at step space: swupgraded or the system stopped' &&
	grep -q '^space: show: *State: *failed$' "$tmp/out"
ok $? "after the cut in the clean-up, show says the job failed, interrupted at step space"
grep -q '^space: boot-image: \(flash:v1.SPA\|/var/lib/swauth/flash/v1.SPA\)$' "$tmp/out" &&
	has "space: v1 intact" && has "space: temporaries: 0" && ! has "partial" &&
	grep -q '^space: flash: \(core.101 \)\?core.102 core.103 core.104 core.105 core.106 v1.SPA \(v2[brp].SPA \)*$' "$tmp/out"
ok $? "after the cut in the clean-up, v1 boots, intact; the core dumps stay (the deleted one may be back), nothing partial"
has 'space: record after the daemon: failed' && has 'daemon stopped: exit 0'
ok $? "the job record parses after every cut, and swupgraded stops cleanly"
test $rc -eq 0
ok $? "boot 7 ends well"
[ $fail -eq 0 ] || grep -v "^\[ \|console: " "$tmp"/boot? | sed 's/^/# /' >&2
exit $fail
