#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The Auto-Upgrade Manager's real path in the VM, which the host test
# (selftests/host/swupgrade.t) cannot reach: swupgraded downloads a system
# image v2 (Debian's kernel and the VM's initramfs, signed with production
# key A) over HTTP from a server in the guest, checks it, and at
# `swupgrade runversion now` sets the boot image and warm-reloads (kexec)
# into it. In the second kernel a new swupgraded finds the job in state
# reloading and ends it as done, because the system runs v2. Before that,
# in the first kernel: a tampered image is refused at download and leaves
# nothing; a swupgraded killed (SIGKILL, as a power cut would) during a
# slow download takes the download with it and the next one ends the job
# as interrupted, with nothing partial in flash; abortversion cancels a
# scheduled reload and deletes what the job downloaded. vm-init runs the
# same command in both kernels; swauth.reload= on /proc/cmdline tells them
# apart. The records (swauth.conf, flash, state-dir/upgrade) live on a
# --disk, which both kernels mount at /var/lib/swauth. The guest's helpers
# are selftests/vm/upgrade-guest.sh, shared with rollback.t.

cd "$(dirname "$0")/../.." || exit 1
. selftests/vm/lib.sh

echo "1..15"
scripts/vm-run --disk "$tmp/disk.img" -- sh -c '
export SWAUTH_CONFIG=/var/lib/swauth/swauth.conf
. selftests/vm/upgrade-guest.sh
mkdir -p /tmp/store
insmod $SWAUTH_MODULE store_dir=/tmp/store || exit 1
swauth key store init --yes >/dev/null || exit 1
swauth key provision keyrings/dev/production-A.crt >/dev/null || exit 1
if grep -q swauth.reload= /proc/cmdline; then
	echo "second kernel: reload $(grep -o "swauth.reload=[0-9a-f]*" /proc/cmdline)"
	sed "s/^/before the reload: /" /var/lib/swauth/runversion.out
	echo "record before the daemon: $(state)"
	start_daemon
	run show2 show
	echo "record after the daemon: $(state)"
	swauth show running
	echo "show running: exit $?"
	swauth show version
	echo "show version: exit $?"
	echo "flash: $(flash_ls)"
	echo "boot-image: $(sed -n "s/^boot-image //p" $SWAUTH_CONFIG)"
	kill $dpid
	wait $dpid
	echo "daemon stopped: exit $?"
	exit 0
fi
mkdir -p $flash /run/swauth /tmp/pub
printf "flash-dir $flash\nstate-dir /var/lib/swauth\nrun-dir /run/swauth\n" >$SWAUTH_CONFIG
payload /tmp/payload
swauth sign --key keyrings/dev/production-A.key --cert keyrings/dev/production-A.crt \
	--type production --key-version A --name v2 /tmp/payload -o /tmp/pub/v2.SPA >/dev/null ||
	exit 1
cp /tmp/pub/v2.SPA /tmp/pub/v2b.SPA
cp /tmp/pub/v2.SPA /tmp/pub/tampered.SPA
printf x | dd of=/tmp/pub/tampered.SPA bs=1 seek=100000 conv=notrunc status=none
chmod 644 /tmp/pub/*
size=$(stat -c %s /tmp/pub/v2.SPA)

SRV_NET_DIR=$(pwd)/selftests/net
. selftests/net/servers.sh
trap srv_stop_all EXIT
srv_init /tmp/srv
srv_http_start HTTP /tmp/pub || exit 1
srv_spawn_py HOSTILE selftests/net/hostile.py http /tmp/pub/v2.SPA || exit 1
url=http://127.0.0.1:$HTTP_PORT
start_daemon

run tampered getversion $url/tampered.SPA
echo "tampered record: $(state)"
echo "flash after tampered: $(flash_ls)"

# swupgraded killed during a download (100 kB/s): a power cut to the job.
swupgrade getversion http://127.0.0.1:$HOSTILE_PORT/trickle/100000/$size \
	</dev/null >/tmp/follow 2>&1 &
gpid=$!
i=0
while ! grep -q "^step download" /var/lib/swauth/upgrade 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 2
kill -9 $dpid
wait $dpid 2>/dev/null
wait $gpid
echo "killed: the follower exits $?"
sleep 1
echo "killed: swcopy left running: $(pgrep -f "trickle/100000/$size" | wc -l)"
start_daemon
run killed show
echo "killed record: $(state)"
echo "flash after killed: $(flash_ls)"

run sched getversion $url/v2b.SPA in 30
echo "sched record: $(state)"
run abort abortversion
echo "abort record: $(state)"
echo "flash after abort: $(flash_ls)"
echo "boot-image after abort: $(sed -n "s/^boot-image //p" $SWAUTH_CONFIG)"

run get getversion $url/v2.SPA
echo "get record: $(state)"
cmp -s /tmp/pub/v2.SPA $flash/v2.SPA && echo "v2 downloaded whole"
run show1 show
echo "still the first kernel"
swupgrade runversion now </dev/null >/var/lib/swauth/runversion.out 2>&1
echo "runversion: exit $?"
sed "s/^/runversion: /" /var/lib/swauth/runversion.out
sleep 120
echo "the reload did not happen"
exit 1
' >"$tmp/out" 2>&1
rc=$?
# A file written just before the kexec can come back with NUL bytes
# (rollback.t saw it); grep would call the output binary.
tr -d '\000' <"$tmp/out" >"$tmp/out.text" && mv "$tmp/out.text" "$tmp/out"
sed 's/^/# /' "$tmp/out"
test $rc -eq 0
ok $? "the run ends well in the second kernel"

has 'tampered: exit 1' && has 'failed at step download: the image failed verification' &&
	has 'tampered record: failed' && grep -q '^flash after tampered: $' "$tmp/out"
ok $? "a tampered image over HTTP is refused at download and leaves nothing in flash"

has 'killed: the follower exits 3' && has 'killed: swcopy left running: 0'
ok $? "a killed swupgraded takes its download with it"
has 'killed: ' && has 'interrupted at step download: swupgraded or the system stopped' &&
	has 'killed record: failed'
ok $? "the next swupgraded ends the interrupted job at step download"
grep -q '^flash after killed: $' "$tmp/out"
ok $? "nothing partial of the interrupted download is left in flash"

has 'sched: exit 0' && has 'sched record: scheduled' && has 'Reload into flash:v2b.SPA scheduled for'
ok $? "getversion ... in 30 downloads, checks and schedules the reload"
has 'abort: exit 0' && has 'abort record: aborted' && grep -q '^flash after abort: $' "$tmp/out" &&
	grep -q '^boot-image after abort: $' "$tmp/out"
ok $? "abortversion cancels the scheduled reload, deletes the download, leaves the boot image"

has 'get: exit 0' && has 'Downloading http://127.0.0.1:' && has 'get record: ready' && has 'v2 downloaded whole' &&
	has 'Warm reload possible'
ok $? "getversion downloads v2 over HTTP, verified, ready for a warm reload"
has 'show1: exit 0' && grep -q '^show1: *State: *ready$' "$tmp/out" &&
	grep -q '^show1: *Reload kind: *warm$' "$tmp/out"
ok $? "show says the job is ready for a warm reload"

grep -q '^second kernel: reload swauth.reload=[0-9a-f]\{32\}$' "$tmp/out" &&
	! has 'runversion: exit' && ! has 'the reload did not happen'
ok $? "runversion now warm-reloads: the second kernel is the reload's"
has 'Reloading (warm) into flash:v2.SPA' && has 'record before the daemon: reloading'
ok $? "the job was recorded as reloading before the kexec"

has 'show2: exit 0' && grep -q '^show2: *State: *done$' "$tmp/out" &&
	has 'Upgrade done: the system runs flash:v2.SPA' && has 'record after the daemon: done'
ok $? "the second kernel's swupgraded ends the job as done"
has 'show running: exit 0' && grep -A 4 '^SYSTEM IMAGE$' "$tmp/out" | grep -q 'File Name *: flash:v2.SPA$'
ok $? "show running names v2 as the system image"
has 'Last reload reason: swupgrade job ' && grep -q '^System restarted by warm reload (kexec) at ' "$tmp/out" &&
	grep -q '^flash: v2.SPA $' "$tmp/out"
ok $? "show version gives the job as the reload's reason; v2 stays in flash"
grep -q '^boot-image: \(flash:v2.SPA\|/var/lib/swauth/flash/v2.SPA\)$' "$tmp/out"
ok $? "after the upgrade the boot image is v2, so that a cold boot starts v2 too"
exit $fail
