#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Warm reload in the VM: a system image "v2" (Debian's kernel and the VM's
# initramfs, signed with production key A) is sealed by the module and
# kexec'd into; the second kernel proves it runs from the command line v2
# was given. A tampered v2 is refused before kexec and the first kernel
# goes on. vm-init runs the same command in both kernels; the marker on
# /proc/cmdline tells them apart. The first kernel reports a cold boot,
# the second a warm one, and there key revocation is refused even with
# --force, though key storage and a newer key would let it through, and
# the module's state stays as it was.

cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

echo "1..9"
scripts/vm-run -- sh -c '
le64() {
	for b in 0 1 2 3 4 5 6 7; do
		printf "\\$(printf %o $((($1 >> (8 * b)) & 255)))"
	done
}
if grep -q swauth.reloaded=v2 /proc/cmdline; then
	echo "second kernel: $(grep -o swauth.reloaded=v2 /proc/cmdline)"
	mkdir -p /tmp/store
	insmod $SWAUTH_MODULE store_dir=/tmp/store || exit 1
	swauth key provision keyrings/dev/production-A.crt >/dev/null || exit 1
	swauth key provision keyrings/dev/production-B.crt >/dev/null || exit 1
	head -c 4096 /dev/urandom >/tmp/run
	swauth sign --key keyrings/dev/production-B.key --cert keyrings/dev/production-B.crt \
		--type production --key-version B --name run-B /tmp/run -o /tmp/run-B.SPB >/dev/null
	swauth status >/tmp/status-before
	sed "s/^/warm status: /" /tmp/status-before
	echo "warm sysfs boot: $(cat /sys/kernel/swauth/boot)"
	swauth key revoke production --image /tmp/run-B.SPB --force
	echo "warm revoke: exit $?"
	swauth status >/tmp/status-after
	cmp -s /tmp/status-before /tmp/status-after && echo "warm status unchanged"
	exit 0
fi
k=/boot/vmlinuz-$(uname -r)
rd=$(ls build/vm/initramfs-*.cpio.gz | head -n 1)
{ le64 $(stat -c %s $k); cat $k; le64 $(stat -c %s $rd); cat $rd; } >/tmp/payload
swauth sign --key keyrings/dev/production-A.key --cert keyrings/dev/production-A.crt \
	--type production --key-version A --name v2 /tmp/payload -o /tmp/v2.SPA >/dev/null
cp /tmp/v2.SPA /tmp/v2-tampered.SPA
printf x | dd of=/tmp/v2-tampered.SPA bs=1 seek=100000 conv=notrunc status=none
swauth key provision keyrings/dev/production-A.crt >/dev/null
swauth status | sed "s/^/cold status: /"
echo "cold sysfs boot: $(cat /sys/kernel/swauth/boot)"
swauth reload --warm --yes --image /tmp/v2-tampered.SPA
echo "tampered: exit $?"
echo "still the first kernel"
swauth reload --warm --yes --image /tmp/v2.SPA --append "$(cat /proc/cmdline) swauth.reloaded=v2"
echo "reload returned $?"
exit 1
' >"$tmp/out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/out"
test $rc -eq 0
ok $? "the run ends well in the second kernel"
grep -q '^tampered: exit 1$' "$tmp/out" && grep -q 'v2-tampered.SPA: not loaded: bad digest' "$tmp/out"
ok $? "a tampered v2 is refused before kexec, saying why"
grep -q '^still the first kernel$' "$tmp/out"
ok $? "the first kernel goes on after the refusal"
grep -q '^Reloading into /tmp/v2.SPA$' "$tmp/out"
ok $? "the verified v2 is sealed and loaded"
grep -q '^second kernel: swauth.reloaded=v2$' "$tmp/out"
ok $? "the second kernel runs with v2's command line"
grep -q '^cold status: boot: *cold$' "$tmp/out" && grep -q '^cold sysfs boot: cold$' "$tmp/out"
ok $? "the first kernel reports a cold boot"
grep -q '^warm status: boot: *warm (kexec): key revocation needs a cold reload$' "$tmp/out" &&
	grep -q '^warm sysfs boot: warm$' "$tmp/out"
ok $? "the second kernel reports a warm boot"
grep -q '^warm status: production keys: *2$' "$tmp/out" &&
	grep -q '^warm revoke: exit 3$' "$tmp/out" &&
	grep -q '^swauth: key revoke: revoke after a cold reload (a full reboot), not after a warm reload (KEY_REVOKE: Operation not supported: this system was started by a warm reload (kexec): key revocation needs a cold reload, so the boot chain verifies again)$' "$tmp/out"
ok $? "key revoke --force is refused after the warm reload, saying why"
grep -q '^warm status unchanged$' "$tmp/out" && grep -q '^warm status: production floor: *none$' "$tmp/out"
ok $? "the refused revocation changes nothing"
exit $fail
