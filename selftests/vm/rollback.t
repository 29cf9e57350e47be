#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The Auto-Upgrade Manager's rollback in the VM, with the real module and
# two real warm reloads (kexec), which the host test
# (selftests/host/swupgrade.t) cannot do. Three kernels in one run:
#
# 1. The first boots cold: image v1 (Debian's kernel and the VM's
#    initramfs, signed with production key A) is the boot image (swauth
#    boot system), swupgrade.conf asks for a health check that cannot pass
#    (unit=swauth-none.service: no such unit, and no systemd as PID 1) and
#    a 10 s confirm-deadline, swupgraded downloads v2 (the same initramfs
#    with 512 bytes of cpio padding) over HTTP from a server in the guest,
#    and runversion now warm-reloads into it.
# 2. In the second, swupgraded puts the job on probation (confirming), the
#    check fails and is retried, and at the deadline it sets the boot image
#    back to v1 and warm-reloads into it. What swupgrade show said before
#    that kexec is kept on the disk for the third kernel to print.
# 3. In the third, swupgraded ends the job as failed, rolled back: the
#    system runs v1, which is the boot image again, and v2, which the job
#    downloaded and which neither runs nor boots, is deleted.
#
# vm-init runs the same command in every kernel; the file phase on the
# --disk (mounted at /var/lib/swauth by each kernel, with the records:
# swauth.conf, swupgrade.conf, flash, the job's record) tells them apart.
# selftests/vm/upgrade-guest.sh has the helpers the guest shares with
# upgrade.t.

cd "$(dirname "$0")/../.." || exit 1
. selftests/vm/lib.sh

echo "1..15"
scripts/vm-run --disk "$tmp/disk.img" -- sh -c '
export SWAUTH_CONFIG=/var/lib/swauth/swauth.conf
lib=/var/lib/swauth
. selftests/vm/upgrade-guest.sh
boot_image() {
	sed -n "s/^boot-image //p" $SWAUTH_CONFIG
}
# show_file PREFIX FILE: each line of FILE, which a kernel wrote on the
# disk before a kexec ended it, with PREFIX; the writes that did not reach
# the disk leave NUL bytes and no newline at the end.
show_file() {
	{ tr -d "\000" <"$2"; echo; } | sed "/^\$/d; s/^/$1: /"
}
mkdir -p /tmp/store /run/swauth
insmod $SWAUTH_MODULE store_dir=/tmp/store || exit 1
swauth key store init --yes >/dev/null || exit 1
swauth key provision keyrings/dev/production-A.crt >/dev/null || exit 1
phase=$(cat $lib/phase 2>/dev/null)
echo "phase ${phase:-1}: $(grep -o "swauth.reload=[0-9a-f]*" /proc/cmdline || echo cold boot)"

if [ "$phase" = 3 ]; then
	show_file "k2 show confirming" $lib/show2.confirming
	show_file "k2 show last" $lib/show2.last
	echo "k2 states seen:$(cat $lib/states)"
	sed "s/^/k3 record before the daemon: /" $lib/upgrade
	echo "k3 boot-image before the daemon: $(boot_image)"
	start_daemon
	run show3 show
	echo "k3 record after the daemon: $(state)"
	swauth show running
	echo "show running: exit $?"
	swauth show version
	echo "show version: exit $?"
	echo "k3 flash: $(flash_ls)"
	echo "k3 boot-image: $(boot_image)"
	kill $dpid
	wait $dpid
	echo "daemon stopped: exit $?"
	exit 0
fi

if [ "$phase" = 2 ]; then
	echo 3 >$lib/phase
	sync
	show_file runversion $lib/runversion.out
	echo "k2 record before the daemon: $(state)"
	swauth show running | sed "s/^/k2 running: /"
	systemctl is-active swauth-none.service </dev/null >/tmp/sc 2>&1
	echo "systemctl is-active: exit $?"
	sed "s/^/systemctl: /" /tmp/sc
	start_daemon
	# Until the kexec: the last show in each state it gave, and the
	# states in order, on the disk.
	seen=
	i=0
	while [ $i -lt 240 ]; do
		swupgrade show </dev/null >$lib/show2.new 2>&1
		s=$(sed -n "s/^  State: *//p" $lib/show2.new)
		cp $lib/show2.new $lib/show2.${s:-none}
		mv $lib/show2.new $lib/show2.last
		case " $seen " in
		*" $s "*) ;;
		*) seen="$seen $s"; echo "$seen" >$lib/states ;;
		esac
		sync
		sleep 0.5
		i=$((i + 1))
	done
	echo "the rollback did not happen; states seen:$seen"
	sed "s/^/k2 show: /" $lib/show2.last
	exit 1
fi

mkdir -p $flash /tmp/pub
printf "flash-dir $flash\nstate-dir $lib\nrun-dir /run/swauth\n" >$SWAUTH_CONFIG
payload /tmp/payload
payload /tmp/payload-v2 512
sign() {
	swauth sign --key keyrings/dev/production-A.key --cert keyrings/dev/production-A.crt \
		--type production --key-version A --name "$1" "$3" -o "$2" >/dev/null
}
sign v1 $flash/v1.SPA /tmp/payload || exit 1
sign v2 /tmp/pub/v2.SPA /tmp/payload-v2 || exit 1
chmod 644 /tmp/pub/v2.SPA
swauth boot system flash:v1.SPA
echo "boot system v1: exit $?"
echo "k1 boot-image: $(boot_image)"
run conf1 config health-check unit=swauth-none.service
run conf2 config confirm-deadline 10
run conf config

SRV_NET_DIR=$(pwd)/selftests/net
. selftests/net/servers.sh
trap srv_stop_all EXIT
srv_init /tmp/srv
srv_http_start HTTP /tmp/pub || exit 1
start_daemon
run get getversion http://127.0.0.1:$HTTP_PORT/v2.SPA
echo "get record: $(state)"
echo "k1 flash: $(flash_ls)"
echo 2 >$lib/phase
sync
swupgrade runversion now </dev/null >$lib/runversion.out 2>&1
echo "runversion: exit $?"
sed "s/^/runversion: /" $lib/runversion.out
sleep 120
echo "the reload did not happen"
exit 1
' >"$tmp/out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/out"
test $rc -eq 0
ok $? "the run ends well in the third kernel"

v1='\(flash:v1.SPA\|/var/lib/swauth/flash/v1.SPA\)'
has 'boot system v1: exit 0' && grep -q "^k1 boot-image: $v1\$" "$tmp/out" &&
	has 'conf1: exit 0' && has 'conf2: exit 0' &&
	has 'conf: health-check unit=swauth-none.service' && has 'conf: confirm-deadline 10'
ok $? "first kernel: v1 is the boot image; health-check unit=swauth-none.service, confirm-deadline 10"
has 'get: exit 0' && has 'get record: ready' && has 'Warm reload possible' &&
	grep -q '^k1 flash: v1.SPA v2.SPA $' "$tmp/out"
ok $? "getversion downloads v2 over HTTP, verified, ready for a warm reload"

grep -q '^phase 2: swauth.reload=[0-9a-f]\{32\}$' "$tmp/out" && ! has 'the reload did not happen' &&
	has 'Reloading (warm) into flash:v2.SPA' && has 'k2 record before the daemon: reloading'
ok $? "runversion now warm-reloads into v2, the job recorded as reloading"
grep -A 4 '^k2 running: SYSTEM IMAGE$' "$tmp/out" | grep -q 'File Name *: flash:v2.SPA$'
ok $? "the second kernel runs v2"
grep -q '^systemctl is-active: exit [1-9]' "$tmp/out"
ok $? "systemctl is-active swauth-none.service fails in the guest"

grep -q '^k2 show confirming: *State: *confirming$' "$tmp/out" &&
	grep -q '^k2 show confirming: *Confirm by: ' "$tmp/out" &&
	grep -q '^k2 show confirming: *Status: *%\?The system runs flash:v2.SPA on probation: health checks unit=swauth-none.service, by .* or it rolls back$' "$tmp/out"
ok $? "the second kernel's swupgraded puts v2 on probation until the deadline"
[ "$(grep -c '^k2 show confirming: .*Health check unit=swauth-none.service: the unit is not active$' "$tmp/out")" -ge 2 ]
ok $? "the failing health check is reported and retried"

grep -q '^k2 states seen: confirming\( rollback\)\?$' "$tmp/out" &&
	has 'k3 record before the daemon: state rollback' &&
	has 'k3 record before the daemon: step rollback' &&
	grep -q '^k3 record before the daemon: message %\?Rolling back from flash:v2.SPA: its health checks did not pass by the deadline$' "$tmp/out"
ok $? "at the deadline the job rolls back, recorded before the kexec"
grep -q "^k3 boot-image before the daemon: $v1\$" "$tmp/out" &&
	{ ! grep -q '^k2 show last: .*Boot image restored to' "$tmp/out" ||
		grep -q "^k2 show last: .*Boot image restored to $v1\$" "$tmp/out"; }
ok $? "the rollback sets the boot image back to v1 before its reload"

k2=$(sed -n 's/^phase 2: swauth.reload=//p' "$tmp/out")
k3=$(sed -n 's/^phase 3: swauth.reload=//p' "$tmp/out")
echo "$k3" | grep -q '^[0-9a-f]\{32\}$' && [ "$k3" != "$k2" ] &&
	grep -q '^Last reload reason: swupgrade job [0-9a-f]* rollback$' "$tmp/out" &&
	grep -q '^System restarted by warm reload (kexec) at ' "$tmp/out"
ok $? "the rollback is a second warm reload, its reason the job's rollback"
has 'show running: exit 0' && grep -A 4 '^SYSTEM IMAGE$' "$tmp/out" | grep -q 'File Name *: flash:v1.SPA$'
ok $? "the third kernel runs v1: show running names it"

has 'show3: exit 0' && grep -q '^show3: *State: *failed$' "$tmp/out" &&
	grep -q "^show3: .*Upgrade to flash:v2.SPA rolled back: the system runs $v1 again\$" "$tmp/out" &&
	has 'k3 record after the daemon: failed'
ok $? "the third kernel's swupgraded ends the job failed: rolled back, the system runs v1 again"
grep -q "^k3 boot-image: $v1\$" "$tmp/out"
ok $? "after the rollback the boot image is v1, so that a cold boot starts v1 too"
grep -q '^k3 flash: v1.SPA $' "$tmp/out" &&
	grep -q '^show3: .*Deleted flash:v2.SPA, which this job downloaded$' "$tmp/out"
ok $? "v2, downloaded by the failed job and neither running nor booting, is deleted; v1 is kept"
exit $fail
