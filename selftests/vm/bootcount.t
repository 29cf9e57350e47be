#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The boot loader counts a cold upgrade's attempts. Every boot but the
# first is GRUB's (vm-run --boot-dir: a BIOS boot of GRUB, which runs
# userspace/grub/swauth.cfg on boot-dir/grubenv of the disk), so the
# counting is GRUB's own load_env and save_env:
#
# 1. Debian's kernel: images v1, v2bad and v3 in flash; v1 becomes the
#    boot image and a plain cold reload writes it to boot-dir.
# 2. GRUB boots v1. kexec is disabled, so swupgraded's getversion of
#    v2bad reloads cold, on trial: boot-dir/previous is v1's pair,
#    swauth_trial=1, current is v2bad's.
# 3. GRUB sets swauth_trial=2 and boots v2bad, whose initramfs has no
#    init: the kernel panics, and the machine resets.
# 4. GRUB boots previous, v1. swupgraded fails the job (the boot loader
#    went back) and confirms v1 to the boot loader: current is v1's pair
#    again, the trial is over. Then getversion of v3, on trial.
# 5. GRUB boots v3 once; swupgraded ends the job done and confirms it:
#    no trial, no previous. grub-mkconfig's part (42_swauth) writes the
#    entry for real hardware. Then a warm upgrade to v4: the reload
#    stages v4's pair (boot-dir/staged; GRUB still boots v3); done in v4,
#    it is confirmed and becomes current. A warm upgrade to v5bad: its
#    kexec'd kernel panics.
# 6. GRUB boots current, v4, never the staged v5bad; swupgraded fails that
#    job and drops the staged pair.

cd "$(dirname "$0")/../.." || exit 1
. selftests/vm/lib.sh

echo "1..21"

guest='
exec 2>&1
export SWAUTH_CONFIG=/var/lib/swauth/swauth.conf
lib=/var/lib/swauth
. selftests/vm/upgrade-guest.sh
insmod $SWAUTH_MODULE store_dir=$lib || exit 1
[ -e $lib/keystore.primary ] || swauth key store init --yes >/dev/null || exit 1
phase=$1
grep -q swauth.reload= /proc/cmdline && phase=${1}k
echo "boot $phase: $(grep -o "swauth.entry=[a-z]*" /proc/cmdline || echo "no swauth.entry")"
trial() {
	sed -n "s/^swauth_trial=//p" $lib/boot/grubenv 2>/dev/null
}
links() {
	for l in current previous staged; do
		t=$(readlink $lib/boot/$l) || t=none
		[ "$t" = none ] || t=$(sed -n "s/^name //p" $lib/boot/$t/image)
		printf "%s=%s " $l "$t"
	done
	echo "trial=$(trial)"
}
# upgrade NAME IMAGE [warm]: getversion IMAGE now, cold unless warm.
upgrade() {
	[ "${3:-}" = warm ] || echo 1 >/proc/sys/kernel/kexec_load_disabled
	start_daemon
	swupgrade getversion "$2" now </dev/null 2>&1 | sed -u "s/^/$1: /"
	sleep 120
	echo "$1: the reload did not happen"
	exit 1
}
case $phase in
1)
	mkdir -p $flash /run/swauth
	printf "flash-dir $flash\nboot-dir $lib/boot\nstate-dir $lib\nrun-dir /run/swauth\n" >$SWAUTH_CONFIG
	swauth key provision keyrings/dev/production-A.crt >/dev/null || exit 1
	sign() {
		swauth sign --key keyrings/dev/production-A.key --cert keyrings/dev/production-A.crt \
			--type production --key-version A --name "$1" "$3" -o "$2" >/dev/null
	}
	payload /tmp/payload
	payload /tmp/payload-v3 512
	payload /tmp/payload-v4 1024
	# A kernel that cannot come up: its initramfs is a cpio without an init.
	mkdir -p /tmp/noinit && echo "no init here" >/tmp/noinit/README
	(cd /tmp/noinit && echo README | cpio -o -H newc --quiet | gzip) >/tmp/noinit.cpio.gz
	k=/boot/vmlinuz-$(uname -r)
	{ le64 $(stat -c %s $k); cat $k; le64 $(stat -c %s /tmp/noinit.cpio.gz); cat /tmp/noinit.cpio.gz; } >/tmp/payload-bad
	sign v1 $flash/v1.SPA /tmp/payload && sign v2bad $flash/v2bad.SPA /tmp/payload-bad &&
		sign v3 $flash/v3.SPA /tmp/payload-v3 && sign v4 $flash/v4.SPA /tmp/payload-v4 &&
		sign v5bad $flash/v5bad.SPA /tmp/payload-bad || exit 1
	swauth boot system flash:v1.SPA >/dev/null || exit 1
	sync
	swauth reload --yes reason first install
	echo "reload: exit $?"
	;;
2)
	echo "boot 2: $(links)"
	upgrade get2 flash:v2bad.SPA
	;;
4)
	echo "boot 4 before: $(links)"
	swauth show running | grep "^File Name" | sed "s/^/boot 4 running: /"
	start_daemon
	run show4 show
	echo "boot 4 after: $(links)"
	swauth show running | grep "^File Name" | sed "s/^/boot 4 running after: /"
	echo "boot 4 boot-image: $(sed -n "s/^boot-image //p" $SWAUTH_CONFIG)"
	kill $dpid
	wait $dpid
	upgrade get4 flash:v3.SPA
	;;
5)
	echo "boot 5 before: $(links)"
	swauth show running | grep "^File Name" | sed "s/^/boot 5 running: /"
	start_daemon
	run show5 show
	echo "boot 5 after: $(links)"
	swauth boot confirm
	echo "boot confirm: exit $?"
	kill $dpid
	wait $dpid
	# The GRUB entry of real hardware, as grub-mkconfig makes it.
	mk() {
		SWAUTH_GRUB_CFG=userspace/grub/swauth.cfg GRUB_DEVICE=/dev/vda \
			GRUB_CMDLINE_LINUX=quiet userspace/grub/42_swauth
	}
	mk >/tmp/grub.cfg 2>/tmp/mk.err
	echo "mkconfig: exit $?"
	sed "s/^/mkconfig: /" /tmp/grub.cfg /tmp/mk.err
	grub-script-check /tmp/grub.cfg
	echo "grub-script-check: exit $?"
	mkdir -p /tmp/noboot
	echo "boot-dir /tmp/noboot" >/tmp/noboot.conf
	SWAUTH_CONFIG=/tmp/noboot.conf mk >/tmp/none.cfg 2>&1
	echo "mkconfig without a pair: exit $? $(wc -c </tmp/none.cfg) bytes"
	upgrade get5 flash:v4.SPA warm
	;;
5k)
	echo "boot 5k before: $(links)"
	start_daemon
	run show5k show
	echo "boot 5k after: $(links)"
	kill $dpid
	wait $dpid
	upgrade get5k flash:v5bad.SPA warm
	;;
6)
	echo "boot 6 before: $(links)"
	swauth show running | grep "^File Name" | sed "s/^/boot 6 running: /"
	start_daemon
	run show6 show
	echo "boot 6 after: $(links)"
	kill $dpid
	wait $dpid
	;;
esac
'

boot() {
	b=$1
	shift
	scripts/vm-run --disk "$tmp/disk" "$@" -- sh -c "$guest" guest "$b" >"$tmp/boot$b" 2>&1
	rc=$?
	cp "$SWAUTH_VM_CONSOLE" "$tmp/console$b" 2>/dev/null
	cat "$tmp/boot$b" >>"$tmp/out"
	echo "boot $b: vm-run exit $rc" >>"$tmp/out"
}
# disk FILE: a file of boot-dir on the disk, as the host reads it.
disk() {
	debugfs -R "cat /boot/$1" "$tmp/disk" 2>/dev/null
}

# Five images in flash and two pairs in boot-dir, 10 MiB each.
truncate -s 192M "$tmp/disk" && mkfs.ext4 -q -F "$tmp/disk" || exit 1
: >"$tmp/out"
boot 1
grep -q 'reboot: Restarting system' "$tmp/console1" && has 'boot 1: vm-run exit 125' &&
	! disk grubenv | grep -q swauth_trial
ok $? "boot 1: the first install is a plain cold reload of v1 (no trial)"

boot 2 --boot-dir /boot
has 'boot 2: swauth.entry=current' && has 'boot 2: current=flash:v1.SPA previous=none staged=none trial=' &&
	grep -aq 'swauth: /boot/grubenv: swauth_trial=' "$tmp/console2" &&
	grep -aq 'swauth: booting /boot/current$' "$tmp/console2"
ok $? "boot 2: GRUB boots boot-dir/current, v1, and says so on the kernel command line"
grep -q 'reboot: Restarting system' "$tmp/console2" &&
	has 'get2: %Cold reload: kexec is disabled on this system' &&
	has 'get2: %Reloading (cold) into flash:v2bad.SPA'
ok $? "boot 2: swupgraded reloads cold into v2bad"
test "$(disk grubenv | sed -n 's/^swauth_trial=//p')" = 1 && test "$(disk grubenv | wc -c)" = 1024
ok $? "boot 2: the reload left swauth_trial=1 in a 1024-byte GRUB environment block"

boot 3 --boot-dir /boot
grep -aq 'swauth: /boot/grubenv: swauth_trial=1' "$tmp/console3" &&
	grep -aq 'swauth: booting /boot/current$' "$tmp/console3" &&
	grep -q 'swauth.entry=current' "$tmp/console3" &&
	grep -q 'Kernel panic - not syncing' "$tmp/console3" && ! has 'boot 3: swauth.entry'
ok $? "boot 3: GRUB boots the new pair once; v2bad never comes up"
test "$(disk grubenv | sed -n 's/^swauth_trial=//p')" = 2
ok $? "boot 3: GRUB counted the attempt (swauth_trial=2, written by save_env)"

boot 4 --boot-dir /boot
grep -aq 'swauth: /boot/grubenv: swauth_trial=2' "$tmp/console4" &&
	grep -aq 'swauth: booting /boot/previous$' "$tmp/console4" &&
	has 'boot 4: swauth.entry=previous' &&
	has 'boot 4 before: current=flash:v2bad.SPA previous=flash:v1.SPA staged=none trial=2'
ok $? "boot 4: GRUB goes back to boot-dir/previous, v1"
grep -q '^boot 4 running: File Name *: flash:v1.SPA$' "$tmp/out"
ok $? "boot 4: show running names v1 (boot-dir/previous's record)"
grep -q '^show4: .*Upgrade to flash:v2bad.SPA failed at step reload: the system did not come up in the new image: the boot loader went back to the previous one' "$tmp/out" &&
	grep -q '^show4: .*%Boot loader: the boot loader went back to the previous kernel and initramfs: it boots them from now on$' "$tmp/out"
ok $? "boot 4: swupgraded fails the job, and says the boot loader went back"
has 'boot 4 after: current=flash:v1.SPA previous=flash:v1.SPA staged=none trial=' &&
	grep -q '^boot 4 running after: File Name *: flash:v1.SPA$' "$tmp/out" &&
	grep -q '^boot 4 boot-image: \(flash:v1.SPA\|/var/lib/swauth/flash/v1.SPA\)$' "$tmp/out"
ok $? "boot 4: v1 is current again (previous names it until the next boot), the trial is over, show running still names v1, and v1 is the boot image"
grep -q 'reboot: Restarting system' "$tmp/console4" &&
	has 'get4: %Reloading (cold) into flash:v3.SPA'
ok $? "boot 4: getversion of v3 reloads cold, on trial"

boot 5 --boot-dir /boot
grep -aq 'swauth: /boot/grubenv: swauth_trial=1' "$tmp/console5" &&
	grep -aq 'swauth: booting /boot/current$' "$tmp/console5" &&
	has 'boot 5: swauth.entry=current' &&
	has 'boot 5 before: current=flash:v3.SPA previous=flash:v1.SPA staged=none trial=2'
ok $? "boot 5: GRUB boots v3 once, v1 kept as previous"
grep -q '^show5: .*Upgrade done: the system runs flash:v3.SPA' "$tmp/out" &&
	grep -q '^show5: .*%Boot loader: the new kernel and initramfs are confirmed: the boot loader boots them from now on$' "$tmp/out" &&
	grep -q '^boot 5 running: File Name *: flash:v3.SPA$' "$tmp/out"
ok $? "boot 5: swupgraded ends the job done in v3 and confirms it to the boot loader"
has 'boot 5 after: current=flash:v3.SPA previous=none staged=none trial=' &&
	has 'Boot loader: nothing to confirm: the boot loader boots this system' &&
	has 'boot confirm: exit 0'
ok $? "boot 5: no trial and no previous left; confirming again changes nothing"
has 'get5: %Warm reload possible' && has 'get5: %Reloading (warm) into flash:v4.SPA' &&
	has 'boot 5k: no swauth.entry' &&
	has 'boot 5k before: current=flash:v3.SPA previous=none staged=flash:v4.SPA trial='
ok $? "boot 5: a warm upgrade to v4 stages v4 in boot-dir; the boot loader still boots v3; the kexec'd kernel has no swauth.entry="
grep -q '^show5k: .*Upgrade done: the system runs flash:v4.SPA' "$tmp/out" &&
	grep -q '^show5k: .*%Boot loader: the kernel and initramfs the warm reload started are confirmed' "$tmp/out" &&
	has 'boot 5k after: current=flash:v4.SPA previous=none staged=none trial='
ok $? "boot 5: done in v4, confirmed: a cold boot now starts v4, not v3"
has 'get5k: %Reloading (warm) into flash:v5bad.SPA' &&
	grep -q 'Kernel panic - not syncing' "$tmp/console5" && has 'boot 5: vm-run exit 125' &&
	! disk grubenv | grep -q swauth_trial
ok $? "boot 5: the warm reload into v5bad (staged, no trial) panics"

boot 6 --boot-dir /boot
grep -aq 'swauth: /boot/grubenv: swauth_trial=$' "$tmp/console6" &&
	grep -aq 'swauth: booting /boot/current$' "$tmp/console6" &&
	has 'boot 6 before: current=flash:v4.SPA previous=none staged=flash:v5bad.SPA trial=' &&
	grep -q '^boot 6 running: File Name *: flash:v4.SPA$' "$tmp/out"
ok $? "boot 6: after the staged v5bad's failed kexec GRUB boots current, v4"
grep -q '^show6: .*Upgrade to flash:v5bad.SPA failed at step reload: the system did not come up in the new image$' "$tmp/out" &&
	has 'boot 6 after: current=flash:v4.SPA previous=none staged=none trial=' && has 'boot 6: vm-run exit 0' &&
	! disk grubenv | grep -q swauth_trial && test "$(disk grubenv | wc -c)" = 1024
ok $? "boot 6: swupgraded fails the job and drops the staged v5bad; v4 stays current"
has 'mkconfig: exit 0' && has 'grub-script-check: exit 0' &&
	has "mkconfig: menuentry 'swauth (/var/lib/swauth/boot)' --id swauth {" &&
	grep -q '^mkconfig:[[:space:]]*search --no-floppy --fs-uuid --set=root [0-9a-f-]*$' "$tmp/out" &&
	has "mkconfig: 	set swauth_dir='/boot'" &&
	has "mkconfig: 	set swauth_cmdline='root=/dev/vda ro retain_initrd quiet '" &&
	grep -q '^mkconfig:[[:space:]]*if save_env -f "(${swauth_root})${swauth_dir}/grubenv" swauth_trial; then$' "$tmp/out" &&
	has 'mkconfig without a pair: exit 0 0 bytes'
ok $? "42_swauth writes GRUB's entry for boot-dir on the disk (grub-probe, grub-script-check), nothing without a pair"
! grep -q 'kernel reported a problem' "$tmp/boot1" "$tmp/boot2" "$tmp/boot4" "$tmp/boot6" &&
	grep -q 'kernel reported a problem' "$tmp/boot3" && grep -q 'kernel reported a problem' "$tmp/boot5"
ok $? "only the kernels of v2bad and v5bad reported a problem (their panics)"
[ -z "${BOOTCOUNT_KEEP:-}" ] || cp "$tmp"/out "$tmp"/console* "$BOOTCOUNT_KEEP"
exit $fail
