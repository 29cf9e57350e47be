#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The running image, as the module measures it (kmod/running.c), and the
# forgeries of it, in one VM run of eight kernels chained by kexec. Each
# kernel runs the same script; vmstage=N on the command line says which
# stage it is. Files live on a --disk mounted at /var/lib/swauth.
#
#  1. cold boot (QEMU, the VM's own initramfs): no record. Makes v2 (the
#     VM's kernel and initramfs), v3 (v2's initramfs and 512 zero bytes),
#     v4 (v2 with another version string in the kernel's setup header) and
#     v5 (an initramfs A, le64 |B|, B: a length-prefixed tail), their
#     sealed copies, and three forgeries: v2's record with its size field
#     made to fit in front of v3's initramfs; v2's initramfs copy with a
#     byte of the record's signature changed; v5's record with A and its
#     size field moved into the kernel, in front of B alone (the split the
#     attack review found against a record that carried a hash state).
#     Plain kexec, enforcement off, of the first forgery.
#  2. the record does not match the initramfs; kexec the second forgery.
#  3. the initramfs matches, the signature does not verify; kexec the third.
#  4. the split is refused; kexec v2's copies with retain_initrd only
#     after "--" (init's, not the kernel's).
#  5. not retained, even once kexec has loaded v2's copy into reserved
#     pages where the initramfs was; kexec v4's copies.
#  6. the image's kernel is not the running one; swauth reload --warm into
#     v2, with enforcement on.
#  7. v2, measured. Forged reload records and boot-image change nothing; a
#     file mounted over /sys/kernel/boot_params/data changes nothing at the
#     next load; a store without v2's key makes the record untrusted until
#     the key is provisioned. Then swauth reload --warm into v2 with
#     memmap=SIZE!START over where kexec puts the initramfs (the attack
#     review's second find: persistent memory, which root can write).
#  8. a range that is not System RAM is not measured.

cd "$(dirname "$0")/../.." || exit 1
. selftests/vm/lib.sh

echo "1..18"
truncate -s 256M "$tmp/disk.img"
mkfs.ext4 -q -F "$tmp/disk.img"
scripts/vm-run --disk "$tmp/disk.img" -- sh -c '
t=/var/lib/swauth/t
stage=$(sed -n "s/.*vmstage=\([0-9]*\).*/\1/p" /proc/cmdline)
stage=${stage:-1}
base=$(sed "s/ *vmstage=[0-9]*//; s/ *swauth.reload=[0-9a-f]*//; s/ *retain_initrd//; s/ *--\$//" /proc/cmdline)
k=/boot/vmlinuz-$(uname -r)
export SWAUTH_CONFIG=$t/swauth.conf
mkdir -p $t/store $t/flash
insmod $SWAUTH_MODULE store_dir=$t/store || exit 1
echo "stage $stage: $(dmesg | grep -o "swauth: running image .*")"
le64() {
	for b in 0 1 2 3 4 5 6 7; do
		printf "\\$(printf %o $((($1 >> (8 * b)) & 255)))"
	done
}
# Patches bytes at an offset of a file.
patch() {
	dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
next() {
	sync
	kexec -s -l "$1" --initrd="$2" --append="$base vmstage=$((stage + 1)) $3" || exit 1
	kexec -e
	echo "kexec -e returned"
	exit 1
}
case $stage in
1)
	swauth key store init --yes >/dev/null || exit 1
	swauth key provision keyrings/dev/production-A.crt >/dev/null || exit 1
	printf "flash-dir $t/flash\nstate-dir $t\n" >$SWAUTH_CONFIG
	swauth status | grep "^running image:"
	rd=$(ls build/vm/initramfs-*.cpio.gz | head -n 1)
	rs=$(stat -c %s $rd)
	ks=$(stat -c %s $k)
	cp $k $t/k4
	kv=$(od -An -tu2 -j $((0x20e)) -N2 $k | tr -d " ")
	printf 7 | patch $t/k4 $((0x200 + kv))
	{ le64 $ks; cat $k; le64 $rs; cat $rd; } >$t/p2
	{ le64 $ks; cat $k; le64 $((rs + 512)); cat $rd; head -c 512 /dev/zero; } >$t/p3
	{ le64 $ks; cat $t/k4; le64 $rs; cat $rd; } >$t/p4
	head -c 512 /dev/urandom >$t/A
	{ le64 $ks; cat $k; le64 $((512 + 8 + rs)); cat $t/A; le64 $rs; cat $rd; } >$t/p5
	for v in 2 3 4 5; do
		swauth sign --key keyrings/dev/production-A.key --cert keyrings/dev/production-A.crt \
			--type production --key-version A --name v$v --image-version $v.0 \
			$t/p$v -o $t/flash/v$v.SPA >/dev/null || exit 1
		build/tests/kernel/devioc copy $t/flash/v$v.SPA $t/v$v.k $t/v$v.i >/dev/null || exit 1
	done
	rm $t/p2 $t/p3 $t/p4 $t/p5 $t/k4
	r=$(($(stat -c %s $t/v2.i) - rs))
	echo "record: $r bytes"
	head -c $r $t/v2.i >$t/forged1
	le64 $((rs + 512)) | patch $t/forged1 $((128 + 24))
	{ cat $rd; head -c 512 /dev/zero; } >>$t/forged1
	cp $t/v2.i $t/forged2
	hs=$(od -An -tu4 -j $((128 + 12)) -N4 $t/v2.i | tr -d " ")
	last=$((128 + 32 + hs - 1))
	b=$(od -An -tu1 -j $last -N1 $t/v2.i | tr -d " ")
	printf "\\$(printf %o $(((b + 1) & 255)))" | patch $t/forged2 $last
	# v5 split after A: kernel = K, le64 |A le64 B|, A; initramfs = B.
	hs5=$(od -An -tu4 -j $((128 + 12)) -N4 $t/v5.i | tr -d " ")
	k3=$((ks + 8 + 512))
	data=$((32 + hs5 + k3))
	{ printf "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X" \
		0 0 0 0 1 0 $data 0 0 0 0 15 0
	  printf "swauth-running\\0\\0\\0\\0"
	  printf SWAUTHRR; le64 1 | head -c 4; le64 $hs5 | head -c 4; le64 $k3; le64 $rs
	  dd if=$t/v5.i bs=1 skip=$((128 + 32)) count=$hs5 status=none
	  cat $k; le64 $((512 + 8 + rs)); cat $t/A
	  head -c $(((4 - data % 4) % 4)) /dev/zero
	  tail -c $((512 + 8 + rs + 124)) $t/v5.i | head -c 124
	  cat $rd; } >$t/forged3
	next $k $t/forged1 retain_initrd
	;;
2)
	next $k $t/forged2 retain_initrd
	;;
3)
	swauth status | grep "^running image:"
	next $k $t/forged3 retain_initrd
	;;
4)
	# retain_initrd after "--" goes to init: the kernel does not keep it.
	next $t/v2.k $t/v2.i "-- retain_initrd"
	;;
5)
	# kexec loads the copy of v2 now, into reserved pages, many where the
	# freed initramfs was (the second attack review): still not retained.
	rmmod swauth || exit 1
	kexec -s -l $t/v2.k --initrd=$t/v2.i --append="$base" || exit 1
	a=$(od -An -tu4 -j $((0x218)) -N4 /sys/kernel/boot_params/data | tr -d " ")
	sz=$(od -An -tu4 -j $((0x21c)) -N4 /sys/kernel/boot_params/data | tr -d " ")
	python3 -c "
import struct, sys
a, s = $a, $sz
with open(\"/proc/kpageflags\", \"rb\") as f:
    f.seek((a >> 12) * 8)
    d = f.read((((a + s - 1) >> 12) - (a >> 12) + 1) * 8)
fl = struct.unpack(\"<%dQ\" % (len(d) // 8), d)
print(\"kexec load: %d of %d pages of the old initramfs reserved\" % (sum(x >> 32 & 1 for x in fl), len(fl)))"
	dmesg -C
	insmod $SWAUTH_MODULE store_dir=$t/store || exit 1
	echo "stage 5 after kexec load: $(dmesg | grep -o "swauth: running image .*")"
	kexec -u
	next $t/v4.k $t/v4.i retain_initrd
	;;
6)
	swauth enforce on >/dev/null || exit 1
	swauth reload --warm --yes --image flash:v2.SPA --append "$base retain_initrd vmstage=7"
	echo "reload failed: $?"
	exit 1
	;;
8)
	swauth status | grep "^running image:"
	grep "Persistent Memory" /proc/iomem | sed "s/^ */iomem: /"
	exit 0
	;;
esac
swauth status | grep "^running image:"
swauth show running | sed "s/^/show running: /"
# Forged claims: reload records naming v3, and boot-image v3.
printf "boot-image $t/flash/v3.SPA\n" >>$SWAUTH_CONFIG
for f in $t/last-reload; do
	[ -f $f ] && sed -i "s/v2.SPA/v3.SPA/g" $f
done
swauth status | grep "^running image:" | sed "s/^/forged records: /"
swauth show running | grep -E "^(File|Image) Name" | sed "s/^/forged records: /"
# A file over boot_params in this mount namespace: a cold boot, no initramfs.
swauth enforce off --yes >/dev/null
cp /sys/kernel/boot_params/data /tmp/bp
printf "\\160" | patch /tmp/bp $((0x210))
head -c 8 /dev/zero | patch /tmp/bp $((0x218))
mount --bind /tmp/bp /sys/kernel/boot_params/data || exit 1
echo "fake loader id: $(od -An -tx1 -j $((0x210)) -N1 /sys/kernel/boot_params/data)"
rmmod swauth || exit 1
dmesg -C
insmod $SWAUTH_MODULE store_dir=$t/store || exit 1
echo "overmounted: $(dmesg | grep -o "swauth: running image .*")"
swauth status | grep "^boot:" | sed "s/^/overmounted: /"
umount /sys/kernel/boot_params/data
# A store without production key A: the record is not trusted, until A is.
rmmod swauth || exit 1
mkdir -p /tmp/store
insmod $SWAUTH_MODULE store_dir=/tmp/store || exit 1
swauth key store init --yes >/dev/null || exit 1
swauth status | grep "^running image:" | sed "s/^/no key: /"
swauth key provision keyrings/dev/production-A.crt >/dev/null || exit 1
swauth status | grep "^running image:" | sed "s/^/key provisioned: /"
# memmap=SIZE!START over where kexec put, and will put, the initramfs.
a=$(od -An -tu4 -j $((0x218)) -N4 /sys/kernel/boot_params/data | tr -d " ")
sz=$(od -An -tu4 -j $((0x21c)) -N4 /sys/kernel/boot_params/data | tr -d " ")
m=$((0x200000))
st=$((a / m * m))
sync
swauth reload --warm --yes --image flash:v2.SPA --append \
	"$base retain_initrd memmap=$(printf %#x $(((a + sz + m - 1) / m * m - st)))!$(printf %#x $st) vmstage=8"
echo "reload failed: $?"
exit 1
' >"$tmp/out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/out"
test $rc -eq 0 && has 'stage 8: '
ok $? "eight kernels: the run ends well in the last"
has 'stage 1: swauth: running image unknown: the initramfs does not start with a swauth record'
ok $? "a cold boot of an initramfs without a record: the module does not know what runs"
grep -q '^record: [0-9]* bytes$' "$tmp/out"
ok $? "the sealed initramfs copy starts with the record"
has "stage 2: swauth: running image unknown: the booted initramfs is not the one the record's image signed"
ok $? "v2's record in front of another initramfs is refused"
has 'stage 3: swauth: running image measured'
ok $? "v2's record with a changed signature still measures v2's initramfs"
grep -q "^running image: *unknown.*the record's image signature does not verify" "$tmp/out"
ok $? "... but the signature is checked when the record is used: unknown"
has "stage 4: swauth: running image unknown: the booted initramfs is not the one the record's image signed"
ok $? "v5's record split after A, in front of B alone, is refused"
has 'stage 5: swauth: running image unknown: the initramfs was not retained (no retain_initrd on the command line)'
ok $? "a kernel that freed its initramfs cannot be measured (retain_initrd after -- is init's)"
# How many pages the load got where the initramfs was depends on the page
# allocator (0 here, 1842 of 2549 in the attack review's run); the answer
# must not.
grep -q '^kexec load: [0-9]* of [0-9]* pages of the old initramfs reserved$' "$tmp/out" &&
	has 'stage 5 after kexec load: swauth: running image unknown: the initramfs was not retained'
ok $? "... nor once kexec has loaded the image's copy into reserved pages"
has "stage 6: swauth: running image unknown: the image's kernel is not the running kernel"
ok $? "an image whose kernel is not the running one is refused"
has 'stage 7: swauth: running image measured'
ok $? "swauth reload --warm into v2: the module measures it"
grep -q '^running image: *v2 2.0 (production A' "$tmp/out" &&
	grep -q '^show running: .*v2' "$tmp/out"
ok $? "status and show running name v2, from the module"
grep -q '^forged records: running image: *v2 2.0 (production A' "$tmp/out" &&
	grep -q '^forged records: Image Name *: v2$' "$tmp/out" &&
	grep -q '^forged records: File Name *: unknown' "$tmp/out"
ok $? "forged reload records and boot-image change neither the image nor the file show running names"
has 'fake loader id:  70' && has 'overmounted: swauth: running image measured' &&
	grep -q '^overmounted: boot: *warm' "$tmp/out"
ok $? "a file mounted over /sys/kernel/boot_params/data does not fool the module"
grep -q "^no key: running image: *unknown.*signed by a key not trusted now" "$tmp/out"
ok $? "without v2's key in the module, the record is not trusted"
grep -q '^key provisioned: running image: *v2 2.0 (production A' "$tmp/out"
ok $? "once the key is provisioned, the same record names v2"
grep -q '^iomem: .*Persistent Memory' "$tmp/out"
ok $? "memmap=! made the range where kexec put the initramfs persistent memory"
has "stage 8: swauth: running image unknown: the initramfs' range is not System RAM (memmap= on the command line?)"
ok $? "... which is not System RAM, so the module does not measure it"
exit $fail
