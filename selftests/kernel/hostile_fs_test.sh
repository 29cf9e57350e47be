#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Verification and sealing against a file system that lies (hostilefs, a
# FUSE daemon in this directory), inside the VM. TAP output.
#
#  - forged: the first read of the header returns an attacker's header
#    (a 57-byte payload and its digest), every later read the signed
#    manifest and signature followed by the attacker's payload. A verifier
#    that parses one read of the header and checks the signature over
#    another accepts the attacker's payload; nothing may verify or be
#    sealed.
#  - flip: payload bytes differ between the first and later reads of the
#    same range; a verdict OK must mean the signed bytes were hashed, and a
#    sealed copy must hold exactly those.
#  - stall: a payload read blocks until the daemon releases it. Meanwhile
#    the module, generic netlink and module loading must keep answering,
#    and kill -9 must end the verifier or sealer at once, leaking nothing
#    (module references, shmem of a half-made sealed copy).
#
# Every wait is bounded; whatever a test left blocked is released before
# the next one, so a regression fails instead of hanging the VM.

set -u
top=$(pwd)
img=$top/build/tests/images
hfs=$top/build/tests/kernel/hostilefs
devioc=$top/build/tests/kernel/devioc
keys=$top/keyrings/dev
n=0
fail=0
hpid=
stragglers=

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
has() { case $1 in *"$2"*) return 0 ;; esac; return 1; }

# alive PID: the process exists and is not a zombie.
alive() {
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}
# await PID SECS: 0 when PID ended within SECS seconds (then reaped).
await() {
	i=0
	while alive "$1"; do
		[ $i -ge $(($2 * 10)) ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
	wait "$1" 2>/dev/null
	return 0
}
# within SECS CMD...: CMD ended with status 0 within SECS seconds. One
# that did not end is left running and waited for after the release.
within() {
	s=$1
	shift
	"$@" >"$w/within.out" 2>&1 &
	p=$!
	if await "$p" "$s"; then
		wait "$p" 2>/dev/null
		st=$?
		[ $st -eq 0 ] || diag "$* exited $st: $(cat "$w/within.out")"
		return $st
	fi
	diag "$* still running after ${s}s: $(cat "/proc/$p/wchan" 2>/dev/null)"
	stragglers="$stragglers $p"
	return 1
}

le64() {
	for i in 0 1 2 3 4 5 6 7; do
		env printf "\\x$(printf %02x $((($1 >> (8 * i)) & 255)))"
	done
}
le16_at() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
# payload_offset IMAGE: where the payload starts.
payload_offset() { echo $((256 + $(le16_at "$1" 18) + $(le16_at "$1" 16))); }
flip_byte() {
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	env printf "\\x$(printf %02x $((b ^ 0x5a)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# mount_hfs OPTIONS: serve $w/mnt/image with these hostilefs options.
mount_hfs() {
	mkdir -p "$w/mnt"
	: >"$w/log"
	"$hfs" "$w/mnt" -f -o "$1,log=$w/log" 2>"$w/hfs.err" &
	hpid=$!
	i=0
	while [ ! -e "$w/mnt/image" ]; do
		if [ $i -ge 50 ]; then
			diag "hostilefs did not come up: $(cat "$w/hfs.err")"
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
}
# Releases any stalled read, waits for what was left running, unmounts.
umount_hfs() {
	[ -n "$hpid" ] || return 0
	kill -USR1 "$hpid" 2>/dev/null
	for p in $stragglers; do
		await "$p" 30 || diag "pid $p still blocked 30 s after the release"
	done
	stragglers=
	umount "$w/mnt" 2>/dev/null || umount -l "$w/mnt"
	kill "$hpid" 2>/dev/null
	await "$hpid" 5 || kill -9 "$hpid"
	hpid=
}
cleanup() {
	umount_hfs
	rm -rf "$w"
}

echo "TAP version 13"
if ! modprobe fuse 2>/dev/null || [ ! -c /dev/fuse ]; then
	echo "1..0 # SKIP no FUSE in this kernel"
	exit 4
fi
w=$(mktemp -d /tmp/hostile.XXXXXX)
trap cleanup EXIT
echo "1..17"
rmmod swauth 2>/dev/null
swauth key provision "$keys/production-A.crt" >/dev/null

# The attacker's system image payload: a 20-byte kernel, a 21-byte
# initramfs, 57 bytes in all, and a header claiming exactly that.
sys=$img/system-A.SPA
po=$(payload_offset "$sys")
{ le64 20; printf 'ATTACKER-KERNEL-0001'; le64 21; printf 'ATTACKER-INITRAMFS-01'; } \
	>"$w/evil-payload"
printf 'ATTACKER-KERNEL-0001' >"$w/evil-kernel"
printf 'ATTACKER-INITRAMFS-01' >"$w/evil-initrd"
{ head -c "$po" "$sys"; cat "$w/evil-payload"; } >"$w/forged"
cp "$w/forged" "$w/forged-first"
le64 57 >"$w/field"
dd if="$w/field" of="$w/forged-first" bs=1 seek=24 conv=notrunc status=none
# The header's own hash (enum swauth_hash_algo at offset 15).
case $(od -An -tu1 -j 15 -N1 "$sys" | tr -d ' ') in
1) hash=sha256sum ;;
2) hash=sha384sum ;;
*) hash=sha512sum ;;
esac
env printf "$($hash "$w/evil-payload" | cut -d' ' -f1 | sed 's/../\\x&/g')" >"$w/digest"
dd if="$w/digest" of="$w/forged-first" bs=1 seek=40 conv=notrunc status=none

# 1-3: forged header.
mount_hfs "image=$w/forged,first=$w/forged-first,at=0"
out=$(timeout 60 swauth verify "$w/mnt/image" 2>&1)
rc=$?
reads=$(cat "$w/log")
! has "$out" "successfully verified" && [ $rc -ne 0 ]
st=$?
[ $st -eq 0 ] || diag "swauth verify exited $rc:" "$out" "reads served:" "$reads"
ok $st "forged header: swauth verify does not verify the attacker's payload"
umount_hfs
mount_hfs "image=$w/forged,first=$w/forged-first,at=0"
out=$(timeout 60 "$devioc" seal "$w/mnt/image" "$w/evil-kernel" "$w/evil-initrd" 2>&1)
rc=$?
[ $rc -eq 1 ]
st=$?
[ $st -eq 0 ] || diag "devioc seal exited $rc: $out" "reads served:" "$(cat "$w/log")"
ok $st "forged header: SWAUTH_IOC_SEAL gives a failed verdict and no copies"
umount_hfs
mount_hfs "image=$w/forged,first=$w/forged-first,at=0"
out=$(timeout 60 "$devioc" verify "$w/mnt/image" 2>&1)
rc=$?
[ $rc -eq 1 ]
st=$?
[ $st -eq 0 ] || diag "devioc verify exited $rc: $out"
ok $st "forged header: SWAUTH_IOC_VERIFY gives a failed verdict"
umount_hfs

# 4-7: payload bytes that change between reads, 3 MiB into the kernel
# (past the first read chunk), tampered first or genuine first.
at=$((po + (3 << 20)))
cp "$sys" "$w/tampered"
flip_byte "$w/tampered" "$at"
mount_hfs "image=$sys,first=$w/tampered,at=$at"
out=$(timeout 60 swauth verify "$w/mnt/image" 2>&1)
rc=$?
! has "$out" "successfully verified" && [ $rc -eq 1 ]
st=$?
[ $st -eq 0 ] || diag "swauth verify exited $rc:" "$out"
ok $st "flip, tampered on the first read: swauth verify fails"
umount_hfs
mount_hfs "image=$sys,first=$w/tampered,at=$at"
out=$(timeout 60 "$devioc" seal "$w/mnt/image" "$img/system-kernel" "$img/system-initrd" 2>&1)
rc=$?
[ $rc -eq 1 ]
st=$?
[ $st -eq 0 ] || diag "devioc seal exited $rc: $out"
ok $st "flip, tampered on the first read: SWAUTH_IOC_SEAL fails, nothing sealed"
umount_hfs
mount_hfs "image=$w/tampered,first=$sys,at=$at"
out=$(timeout 60 swauth verify "$w/mnt/image" 2>&1)
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ]
st=$?
[ $st -eq 0 ] || diag "swauth verify exited $rc:" "$out"
ok $st "flip, genuine on the first read: swauth verify gives a verdict (exit $rc)"
umount_hfs
mount_hfs "image=$w/tampered,first=$sys,at=$at"
out=$(timeout 60 "$devioc" seal "$w/mnt/image" "$img/system-kernel" "$img/system-initrd" 2>&1)
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ]
st=$?
[ $st -eq 0 ] || diag "devioc seal exited $rc: $out"
ok $st "flip, genuine on the first read: sealed copies (if any) are the signed bytes"
umount_hfs

# start_stalled IMAGE CMD...: serves IMAGE with a read 2 MiB into its
# payload that stalls, starts CMD on it in the background (pid in vpid)
# and waits until CMD's read stalled.
start_stalled() {
	refcnt=$(cat /sys/module/swauth/refcnt)
	shmem=$(awk '/^Shmem:/ { print $2 }' /proc/meminfo)
	mount_hfs "image=$1,stall=$(($(payload_offset "$1") + (2 << 20)))"
	shift
	"$@" "$w/mnt/image" >"$w/cmd.out" 2>&1 &
	vpid=$!
	i=0
	while ! grep -q stalled "$w/log" && alive "$vpid" && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	reached=1
	grep -q stalled "$w/log" && return 0
	reached=0
	diag "$* did not reach the stalled read: $(cat "$w/cmd.out")"
	return 1
}
# kill_stalled LABEL: kill -9 of the stalled command, then the leak check.
# A command that never stalled fails the kill test: it tested nothing.
kill_stalled() {
	kill -9 "$vpid" 2>/dev/null
	await "$vpid" 2
	st=$?
	[ "$reached" -eq 1 ] || { st=1; diag "nothing stalled, nothing to kill"; }
	[ $st -eq 0 ] || [ "$reached" -eq 0 ] || { diag "still there 2 s after kill -9:" \
		"$(cat "/proc/$vpid/stack" 2>/dev/null)"; stragglers="$stragglers $vpid"; }
	ok $st "$1: kill -9 ends the stalled caller within 2 s"
	umount_hfs
	now_refcnt=$(cat /sys/module/swauth/refcnt)
	now_shmem=$(awk '/^Shmem:/ { print $2 }' /proc/meminfo)
	diag "refcnt $refcnt -> $now_refcnt, Shmem $shmem -> $now_shmem kB"
	[ "$reached" -eq 1 ] && [ "$now_refcnt" = "$refcnt" ] &&
		[ "$now_shmem" -le $((shmem + 64)) ]
	ok $? "$1: nothing leaked: module refcount and Shmem as before"
}

# 8-13: swauth verify of a 64 MiB image waits for a stalled read.
start_stalled "$img/big.SPA" swauth verify
ok $? "stall verify: the verification reached the stalled read"
within 5 swauth status
ok $? "stall verify: swauth status answers within 5 s"
within 5 genl ctrl list
ok $? "stall verify: another generic netlink family (nlctrl) answers within 5 s"
within 5 sh -c 'modprobe macsec && rmmod macsec'
ok $? "stall verify: loading and removing macsec (a genl family) takes under 5 s"
kill_stalled "stall verify"

# 14-16: sealing a system image, its kernel half copied, waits for a
# stalled read.
start_stalled "$sys" "$devioc" seal
ok $? "stall seal: the seal reached the stalled read"
kill_stalled "stall seal"

# 17: nothing of the above keeps the module in use.
modprobe -r macsec 2>/dev/null
rmmod swauth
ok $? "rmmod swauth succeeds"

exit $fail
