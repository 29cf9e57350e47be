#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The seeds' production-key revocation (FEATURES A5.6, A6.8) across a cold
# reload, on a persistent disk. Boot 1 runs from an image of production
# key A: the revocation image adds production key B, revoking A is refused
# while the running image is signed by A, boot system takes v2 (signed by
# B), upgrade-status checks, and a cold reload writes v2's sealed kernel
# and initramfs to boot-dir and reboots. Boot 2 is started the way a boot
# loader would, from boot-dir on the disk (vm-run --boot-dir): it runs v2,
# show running and show version say so, and production key A is revoked.

cd "$(dirname "$0")/../.." || exit 1
img=$PWD/build/tests/images
. selftests/vm/lib.sh
section() { sed -n "/^## $2\$/,/^## rc/p" "$1" | sed '1d;$d'; }
rc_of() { sed -n "/^## $2\$/,/^## rc/p" "$1" | tail -n 1 | sed 's/^## rc //'; }

echo "1..26"

# Both boots: the module keeps its keys on the disk, so does swauth.conf.
# stderr goes with stdout in the guest: the two reach the host through
# ports of their own, and a message must stay in its "## NAME" section.
setup='
exec 2>&1
insmod $SWAUTH_MODULE store_dir=/var/lib/swauth platform=C3900 || exit 1
[ -e /var/lib/swauth/keystore.primary ] || swauth key store init --yes >/dev/null || exit 1
export SWAUTH_CONFIG=/var/lib/swauth/swauth.conf
'
scripts/vm-run --disk "$tmp/disk" -- sh -c "$setup"'
le64() {
	for b in 0 1 2 3 4 5 6 7; do
		printf "\\$(printf %o $((($1 >> (8 * b)) & 255)))"
	done
}
mkdir -p /var/lib/swauth/flash
printf "flash-dir /var/lib/swauth/flash\nboot-dir /var/lib/swauth/boot\nstate-dir /var/lib/swauth\n" \
	>$SWAUTH_CONFIG
printf "bootloader-image /var/lib/swauth/rommon.srec\n" >>$SWAUTH_CONFIG
cp '"$img"'/bl-prod-A.SPA /var/lib/swauth/rommon.srec
swauth key provision keyrings/dev/production-A.crt >/dev/null || exit 1
k=/boot/vmlinuz-$(uname -r)
rd=$(ls build/vm/initramfs-*.cpio.gz | head -n 1)
{ le64 $(stat -c %s $k); cat $k; le64 $(stat -c %s $rd); cat $rd; } >/tmp/payload
sign() {
	swauth sign --key keyrings/dev/production-$1.key --cert keyrings/dev/production-$1.crt \
		--type production --key-version $1 --name "$2" /tmp/payload -o "$3" >/dev/null
}
sign A v1 /tmp/v1.SPA
sign B v2 /var/lib/swauth/flash/v2.SPB
head -c 4096 /tmp/payload >/tmp/rommon
swauth sign --key keyrings/dev/production-B.key --cert keyrings/dev/production-B.crt \
	--type bootloader --key-version B --name "System Bootstrap" --image-version 2.0 \
	/tmp/rommon -o /tmp/rommon.SPB >/dev/null
echo "## add"; swauth key add production --image '"$img"'/ok-revocation.SRA; echo "## rc $?"
mkdir -p /tmp/roll && cp keyrings/dev/rollover.crt /tmp/roll/
echo "## user-add"; swauth verify --userspace -r /tmp/roll /var/lib/swauth/flash/v2.SPB; echo "## rc $?"
echo "## early-revoke"; swauth key revoke production --image /tmp/v1.SPA; echo "## rc $?"
echo "## boot"; swauth boot system flash:v2.SPB; echo "## rc $?"
echo "## rommon"; swauth upgrade bootloader /tmp/rommon.SPB --yes; echo "## rc $?"
echo "## upgrade-status"; swauth show upgrade-status --type production; echo "## rc $?"
cp /var/lib/swauth/flash/v2.SPB /tmp/v2-tampered.SPB
printf x | dd of=/tmp/v2-tampered.SPB bs=1 seek=300000 conv=notrunc status=none
echo "## tampered"; swauth reload --yes --image /tmp/v2-tampered.SPB; echo "## rc $?"
echo "## boot-dir"; ls /var/lib/swauth/boot 2>&1; echo "## rc $?"
echo "## reload"; swauth reload --yes reason production key rollover; echo "## rc $?"
' >"$tmp/boot1" 2>&1
rc=$?
sed 's/^/# /' "$tmp/boot1"
test $rc -eq 125 && grep -q 'reboot: Restarting system' "$SWAUTH_VM_CONSOLE"
ok $? "boot 1 ends in a reboot"
test "$(rc_of "$tmp/boot1" add)" = 0 && section "$tmp/boot1" add | grep -q '^Done!$'
ok $? "the revocation image adds production key B"
test "$(rc_of "$tmp/boot1" user-add)" = 0
ok $? "key add feeds the userspace trust store: verify --userspace trusts production key B"
test "$(rc_of "$tmp/boot1" early-revoke)" != 0 &&
	section "$tmp/boot1" early-revoke | grep -q 'running image is signed by a key below the new floor' &&
	section "$tmp/boot1" early-revoke | grep -q '^Running image: /tmp/v1.SPA (named by the caller: the module does not know what runs: the initramfs does not start with a swauth record)$'
ok $? "revoking A is refused while the running image is signed by A"
test "$(rc_of "$tmp/boot1" boot)" = 0
ok $? "boot system takes v2, signed by production key B"
test "$(rc_of "$tmp/boot1" rommon)" = 0
ok $? "the boot loader is upgraded to one signed by production key B"
test "$(rc_of "$tmp/boot1" upgrade-status)" = 0
ok $? "upgrade-status passes all five checks"
test "$(rc_of "$tmp/boot1" tampered)" = 1 &&
	section "$tmp/boot1" tampered | grep -q 'v2-tampered.SPB: not loaded: bad digest' &&
	section "$tmp/boot1" boot-dir | grep -q 'No such file or directory'
ok $? "a tampered image is refused before the reboot; nothing is written to boot-dir"
section "$tmp/boot1" reload | grep -q '^Reloading (cold) into flash:v2.SPB$'
ok $? "the cold reload verifies and seals v2, then reboots"

scripts/vm-run --disk "$tmp/disk" --boot-dir /boot -- sh -c "$setup"'
echo "## running"; swauth show running; echo "## rc $?"
echo "## version"; swauth show version; echo "## rc $?"
echo "## measured"; swauth status | grep "^running image:"; echo "## rc $?"
echo "## measured-json"; swauth status --json; echo "## rc $?"
echo "## revoke-image"; swauth key revoke production --image /var/lib/swauth/flash/v2.SPB; echo "## rc $?"
echo "## revoke-fd"; build/tests/kernel/keyop revoke production /var/lib/swauth/flash/v2.SPB; echo "## rc $?"
mkdir -p /etc/swauth/keys && cp keyrings/dev/production-A.crt /etc/swauth/keys/
echo "## revoke"; swauth key revoke production; echo "## rc $?"
echo "## keys"; swauth status; echo "## rc $?"
echo "## old"; swauth key provision keyrings/dev/production-A.crt; echo "## rc $?"
swauth sign --key keyrings/dev/production-A.key --cert keyrings/dev/production-A.crt \
	--type production --key-version A --name v1 /var/lib/swauth/boot/current/vmlinuz \
	-o /tmp/v1.SPA >/dev/null
echo "## below-floor"; swauth reload --yes --image /tmp/v1.SPA; echo "## rc $?"
mkdir -p /tmp/roll && cp keyrings/dev/rollover.crt /tmp/roll/
echo "## user-revoked"; swauth verify --userspace -r /tmp/roll /tmp/v1.SPA; echo "## rc $?"
swauth sign --key keyrings/dev/production-B.key --cert keyrings/dev/production-B.crt \
	--type production --key-version B --name v3 --platform x86_64 \
	/var/lib/swauth/boot/current/vmlinuz -o /tmp/v3.SPB >/dev/null
echo "## platform"; swauth reload --yes --image /tmp/v3.SPB; echo "## rc $?"
head -c 5000 /boot/vmlinuz-$(uname -r) >/tmp/rommon2
swauth sign --key keyrings/dev/production-B.key --cert keyrings/dev/production-B.crt \
	--type bootloader --key-version B --name other /tmp/rommon2 \
	-o /var/lib/swauth/rommon.srec >/dev/null
echo "## replaced"; swauth show upgrade-status --type production; echo "## rc $?"
' >"$tmp/boot2" 2>&1
rc=$?
sed 's/^/# /' "$tmp/boot2"
test $rc -eq 0
ok $? "boot 2 starts from boot-dir on the disk"
test "$(rc_of "$tmp/boot2" running)" = 0 &&
	section "$tmp/boot2" running | grep -A 1 '^SYSTEM IMAGE$' | grep -q -- '^-------------------$' &&
	section "$tmp/boot2" running | grep -q '^File Name *: flash:v2.SPB$'
ok $? "show running names v2"
section "$tmp/boot2" running | grep -q '^    Key Version *: B$' &&
	section "$tmp/boot2" running | grep -q '^        Verifier Name *: swauth.ko$'
ok $? "show running: v2 is signed by key B, verified by the module"
section "$tmp/boot2" version | grep -q '^System image file is "flash:v2.SPB"$' &&
	section "$tmp/boot2" version | grep -q '^System returned to ROM by reload at ' &&
	section "$tmp/boot2" version | grep -q '^ROM: System Bootstrap, Version 2.0 (/var/lib/swauth/rommon.srec)$'
ok $? "show version names v2, the cold reload and the boot loader"
section "$tmp/boot2" running | grep -A 4 '^BOOT LOADER$' | grep -q '^Image type *: Bootloader image (Release)$' &&
	section "$tmp/boot2" running | grep -A 20 '^BOOT LOADER$' | grep -q '^    Key Version *: B$'
ok $? "show running: the boot loader section, signed by key B"
section "$tmp/boot2" version | grep -q '^Last reload reason: production key rollover$'
ok $? "show version gives the reason"
section "$tmp/boot2" measured | grep -q '^running image: *v2  *(production B, measured at boot)$'
ok $? "the cold boot from boot-dir is measured: the module knows v2 runs"
section "$tmp/boot2" measured-json | grep -q '"running":{"state":"measured","image_name":"v2","image_version":"[^"]*","signer":"production B","kernel":"6[.]1[.][^"]*"}' &&
	test "$(rc_of "$tmp/boot2" measured-json)" = 0
ok $? "status --json has the measured image as running"
test "$(rc_of "$tmp/boot2" revoke-image)" = 2 &&
	section "$tmp/boot2" revoke-image | grep -q 'the module knows the running image (v2, production B): --image is only for a system that swauth did not start'
ok $? "key revoke --image is refused where the module knows the running image"
test "$(rc_of "$tmp/boot2" revoke-fd)" = 22 &&
	section "$tmp/boot2" revoke-fd | grep -q 'the module knows the running image: an image file is only for a system swauth did not start'
ok $? "the module itself refuses KEY_REVOKE with an image file then"
test "$(rc_of "$tmp/boot2" revoke)" = 0 &&
	section "$tmp/boot2" revoke | grep -q '^Revoking the key with version A...Success$' &&
	! section "$tmp/boot2" revoke | grep -q '^Running image:'
ok $? "production key A is revoked, checked against the image the module measured"
section "$tmp/boot2" keys | grep -q '^production floor: *B$'
ok $? "the production floor is B"
test "$(rc_of "$tmp/boot2" old)" != 0
ok $? "production key A is refused for good"
test "$(rc_of "$tmp/boot2" below-floor)" = 1 &&
	section "$tmp/boot2" below-floor | grep -q '/tmp/v1.SPA: not loaded: no trusted key'
ok $? "an image signed by the revoked key is not loaded"
test "$(rc_of "$tmp/boot2" user-revoked)" = 1 &&
	section "$tmp/boot2" user-revoked | grep -q 'no trusted production key A'
ok $? "key revoke mirrors the floor: verify --userspace refuses the revoked key, its certificate still in the trust store"
test "$(rc_of "$tmp/boot2" platform)" = 1 &&
	section "$tmp/boot2" platform | grep -q "image is for platform 'x86_64', this system is 'C3900'"
ok $? "an image for another platform than the module's is not loaded"
test "$(rc_of "$tmp/boot2" replaced)" = 1 &&
	section "$tmp/boot2" replaced | grep -q "^Boot loader signed with the new key  : FAILED (/var/lib/swauth/rommon.srec: not the file 'swauth upgrade bootloader' installed)$"
ok $? "upgrade-status sees a boot loader that upgrade bootloader did not install"
exit $fail
