#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Warm reload in the VM. A system image "v2" (Debian's kernel and the VM's
# initramfs, signed with production key A) is set with boot system and a
# warm reload is scheduled; setting the clock forward brings it on, and the
# module seals v2 for kexec. Before that: a tampered v2 is refused before
# kexec and the first kernel goes on, and so is a v2 replaced by another
# signed image after boot system verified it. The second kernel proves
# from its command line that it is the reload's, and show running and
# show version name v2. The first kernel reports a cold boot, the second
# a warm one, and there key revocation is refused even with --force,
# though key storage and a newer key would let it through, and the
# module's state stays as it was (seed A6.10). vm-init runs the same
# command in both kernels; swauth.reload= on /proc/cmdline tells them
# apart. The records live on a --disk, which both kernels mount at
# /var/lib/swauth. Kexec enforcement is on in both kernels: the first
# refuses a plain kexec -s -l of the same kernel and still takes the
# reload's sealed copies.

cd "$(dirname "$0")/../.." || exit 1
. selftests/vm/lib.sh

echo "1..21"
scripts/vm-run --disk "$tmp/disk.img" -- sh -c '
export SWAUTH_CONFIG=/var/lib/swauth/swauth.conf
if grep -q swauth.reload= /proc/cmdline; then
	echo "second kernel: reload $(grep -o "swauth.reload=[0-9a-f]*" /proc/cmdline)"
	mkdir -p /tmp/store
	insmod $SWAUTH_MODULE store_dir=/tmp/store || exit 1
	swauth key store init --yes >/dev/null || exit 1
	swauth key provision keyrings/dev/production-A.crt >/dev/null || exit 1
	swauth key provision keyrings/dev/production-B.crt >/dev/null || exit 1
	swauth enforce on >/dev/null
	echo "warm $(swauth enforce status | head -n 1)"
	head -c 4096 /dev/urandom >/tmp/run
	swauth sign --key keyrings/dev/production-B.key --cert keyrings/dev/production-B.crt \
		--type production --key-version B --name run-B /tmp/run -o /tmp/run-B.SPB >/dev/null
	swauth status >/tmp/status-before
	sed "s/^/warm status: /" /tmp/status-before
	echo "warm sysfs boot: $(cat /sys/kernel/swauth/boot)"
	swauth key revoke production --image /tmp/run-B.SPB --force
	echo "warm revoke: exit $?"
	build/tests/kernel/keyop revoke production /tmp/run-B.SPB
	echo "warm kernel revoke: exit $?"
	swauth status >/tmp/status-after
	cmp -s /tmp/status-before /tmp/status-after && echo "warm status unchanged"
	swauth show running
	echo "show running: exit $?"
	swauth show version
	echo "show version: exit $?"
	exit 0
fi
le64() {
	for b in 0 1 2 3 4 5 6 7; do
		printf "\\$(printf %o $((($1 >> (8 * b)) & 255)))"
	done
}
mkdir -p /var/lib/swauth/flash
printf "flash-dir /var/lib/swauth/flash\nstate-dir /var/lib/swauth\n" >$SWAUTH_CONFIG
k=/boot/vmlinuz-$(uname -r)
rd=$(ls build/vm/initramfs-*.cpio.gz | head -n 1)
{ le64 $(stat -c %s $k); cat $k; le64 $(stat -c %s $rd); cat $rd; } >/tmp/payload
# Another build: the same initramfs with 512 zero bytes more (cpio padding).
{ le64 $(stat -c %s $k); cat $k; le64 $(($(stat -c %s $rd) + 512)); cat $rd;
  head -c 512 /dev/zero; } >/tmp/payload-other
sign() {
	swauth sign --key keyrings/dev/production-A.key --cert keyrings/dev/production-A.crt \
		--type production --key-version A --name "$1" "$3" -o "$2" >/dev/null
}
sign v2 /var/lib/swauth/flash/v2.SPA /tmp/payload
sign v2-other /tmp/v2-other.SPA /tmp/payload-other
cp /var/lib/swauth/flash/v2.SPA /tmp/v2-tampered.SPA
printf x | dd of=/tmp/v2-tampered.SPA bs=1 seek=100000 conv=notrunc status=none
swauth key provision keyrings/dev/production-A.crt >/dev/null
swauth enforce on
kexec -s -l $k --initrd=$rd 2>&1
echo "plain kexec: exit $?"
swauth status | sed "s/^/cold status: /"
echo "cold sysfs boot: $(cat /sys/kernel/swauth/boot)"
swauth reload --warm --yes --image /tmp/v2-tampered.SPA
echo "tampered: exit $?"
swauth boot system flash:v2.SPA
cp /var/lib/swauth/flash/v2.SPA /tmp/v2.SPA
cp /tmp/v2-other.SPA /var/lib/swauth/flash/v2.SPA
swauth reload --warm --yes
echo "replaced: exit $?"
cp /tmp/v2.SPA /var/lib/swauth/flash/v2.SPA
echo "still the first kernel"
swauth reload --warm --yes in 5 planned upgrade to v2
echo "scheduled: exit $?"
swauth show reload
date -s @$(($(date +%s) + 298)) >/dev/null
sleep 120
echo "the scheduled reload did not happen"
exit 1
' >"$tmp/out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/out"
test $rc -eq 0
ok $? "the run ends well in the second kernel"
has 'tampered: exit 1' && has 'v2-tampered.SPA: not loaded: bad digest'
ok $? "a tampered v2 is refused before kexec, saying why"
has 'replaced: exit 1' && has "flash:v2.SPA: not loaded: the file changed since 'swauth boot system' verified it"
ok $? "a v2 replaced after boot system is refused before kexec"
has 'still the first kernel'
ok $? "the first kernel goes on after the refusals"
has 'kexec enforcement is on' && has 'plain kexec: exit 255' &&
	has 'kexec_file_load failed: Operation not permitted'
ok $? "with enforcement on, plain kexec -s -l of the same kernel is refused"
has 'scheduled: exit 0' && grep -q '^Reload scheduled for [0-9:]* UTC ... ... [ 0-9]* 20[0-9][0-9] (in 5 minutes)$' "$tmp/out"
ok $? "the reload is scheduled, in the seeds' words"
has 'Reload type: warm (kexec)' && has 'Image: flash:v2.SPA (production A)' &&
	has 'Reload reason: planned upgrade to v2'
ok $? "show reload tells what is scheduled"
grep -q '^second kernel: reload swauth.reload=[0-9a-f]\{32\}$' "$tmp/out"
ok $? "setting the clock forward brings the reload on; the second kernel is the reload's"
has 'show running: exit 0' && grep -A 4 '^SYSTEM IMAGE$' "$tmp/out" | grep -q 'File Name *: flash:v2.SPA$'
ok $? "show running names v2 as the system image"
grep -A 20 '^SYSTEM IMAGE$' "$tmp/out" | grep -q 'Verifier Name *: swauth.ko$' &&
	grep -A 20 '^SYSTEM IMAGE$' "$tmp/out" | grep -q 'Key Version *: A$'
ok $? "show running gives the signer and the verifier"
has 'System image file is "flash:v2.SPA"'
ok $? "show version names v2"
has 'Last reload reason: planned upgrade to v2'
ok $? "show version gives the reason of the reload"
grep -q '^System restarted by warm reload (kexec) at ' "$tmp/out"
ok $? "show version says how the system came up"
grep -q "swauth-reload: scheduled reload of flash:v2.SPA: planned upgrade to v2" "$SWAUTH_VM_CONSOLE" &&
	grep -q "swauth-reload: reloading (warm) into flash:v2.SPA" "$SWAUTH_VM_CONSOLE"
ok $? "the scheduled reload says in the kernel log what it does"
grep -q '^cold status: boot: *cold$' "$tmp/out" && grep -q '^cold sysfs boot: cold$' "$tmp/out"
ok $? "the first kernel reports a cold boot"
grep -q '^warm status: boot: *warm (kexec): key revocation needs a cold reload$' "$tmp/out" &&
	grep -q '^warm sysfs boot: warm$' "$tmp/out"
ok $? "the second kernel reports a warm boot"
grep -q '^warm kexec enforcement: on$' "$tmp/out"
ok $? "the warm reload went through enforcement, and the second kernel enforces again"
grep -q '^warm status: running image: *v2 (production A, measured at boot)$' "$tmp/out" &&
	grep -q '^cold status: running image: *unknown: ' "$tmp/out"
ok $? "the second kernel's module measured v2; the first, booted without a record, knows nothing"
grep -q '^warm status: production keys: *2$' "$tmp/out" &&
	grep -q '^warm revoke: exit 3$' "$tmp/out" &&
	grep -q "^swauth: key revoke: this system was started by a warm reload (kexec): key revocation needs a cold reload ('swauth reload' without --warm), so that the boot chain verifies again$" "$tmp/out"
ok $? "key revoke --force is refused after the warm reload, saying why"
grep -q '^warm kernel revoke: exit 95$' "$tmp/out" &&
	grep -q 'this system was started by a warm reload (kexec): key revocation needs a cold reload, so the boot chain verifies again' "$tmp/out"
ok $? "the module itself refuses KEY_REVOKE after the warm reload"
grep -q '^warm status unchanged$' "$tmp/out" && grep -q '^warm status: production floor: *none$' "$tmp/out"
ok $? "the refused revocation changes nothing"
exit $fail
