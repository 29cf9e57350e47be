#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The guest half of store.t: key storage against a hostile file system.
# Runs as root in the VM from the tree's root, with the --disk mounted at
# /var/lib/swauth; prints TAP, the plan last.

M=$SWAUTH_MODULE
K="timeout 60 build/tests/kernel/keyop"
img=build/tests/images
certs=$img/certs
n=0
fails=0

check() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}

# ok TEXT CMD...: the command succeeds.
ok() {
	t=$1
	shift
	"$@" >/tmp/out 2>&1
	r=$?
	[ $r -eq 0 ] || sed 's/^/# /' /tmp/out
	check $r "$t"
}

# refused TEXT PATTERN CMD...: the command fails, its message matches.
refused() {
	t=$1 p=$2
	shift 2
	"$@" >/tmp/out 2>&1
	r=$?
	if [ $r -ne 0 ] && grep -q -- "$p" /tmp/out; then r=0; else r=1; fi
	[ $r -eq 0 ] || sed 's/^/# /' /tmp/out
	check $r "$t"
}

# field NAME: one field of keyop status.
field() {
	$K status | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# is TEXT NAME VALUE: a status field has the value.
is() {
	v=$(field "$2")
	[ "$v" = "$3" ] || echo "# $2=$v, want $3"
	[ "$v" = "$3" ]
	check $? "$1"
}

load() {
	rmmod swauth 2>/dev/null
	insmod "$M" "$@"
}

empty() {
	[ -z "$(ls -A "$1")" ]
}

# store_dir must be absolute.
load store_dir=var/lib/swauth 2>/tmp/out
check $((! $?)) "a relative store_dir is refused at load"

# No store yet: ABSENT (7), key changes refused, nothing written; init.
mkdir -p /tmp/s1
load store_dir=/tmp/s1
is "an empty store_dir is absent" primary 7
refused "provision refused without a store" "swauth key store init" \
	$K provision $certs/production-A.der
empty /tmp/s1
check $? "nothing written to an absent store"
ok "store init creates the store" $K store-init
is "store init: Primary ok" primary 1
is "store init: Backup ok" backup 1
is "store init: sequence 1" sequence 1
ok "provision after init" $K provision $certs/production-A.der
ok "provision special A" $K provision $certs/special-A.der
refused "store init refused when the store exists" "File exists" $K store-init
load store_dir=/tmp/s1
refused "store init refused after a reload too" "File exists" $K store-init
is "the keys come back" production 1

# Repair takes a new sequence number and rewrites both copies.
seq=$(field sequence)
printf '\377' | dd of=/tmp/s1/keystore.primary bs=1 seek=100 conv=notrunc 2>/dev/null
load store_dir=/tmp/s1
is "a damaged Primary is repaired" primary 2
is "the repair takes a new sequence" sequence $((seq + 1))
load store_dir=/tmp/s1
is "after the repair Primary is current" primary 1
is "after the repair Backup is current" backup 1

# Loaded before the disk is mounted: absent, nothing written into the
# bare mount point; once mounted, a reload puts the floors in force.
load store_dir=/var/lib/swauth
ok "init on the disk" $K store-init
$K provision $certs/production-A.der >/dev/null 2>&1
$K provision $certs/special-A.der >/dev/null 2>&1
$K add special $img/prod-A-special-B.SPA >/dev/null 2>&1
ok "revoke special A on the disk" $K revoke special $img/prod-A-special-B.SPA
rmmod swauth
umount /var/lib/swauth
load store_dir=/var/lib/swauth
is "before the mount the store is absent" primary 7
refused "before the mount a key change is refused" "store init" \
	$K provision $certs/special-A.der
empty /var/lib/swauth
check $? "before the mount nothing is written into the mount point"
mount -t ext4 /dev/vda /var/lib/swauth
ok "reload once mounted" $K reload
is "after the reload the floor from disk holds" floor_special B
refused "after the reload the revoked key stays refused" "revoked" \
	$K provision $certs/special-A.der

# A caller in another mount namespace writes the real store.
ok "key add from another mount namespace" unshare -m sh -c \
	"mount -t tmpfs none /var/lib/swauth && $K add production $img/ok-revocation.SRA && [ -z \"\$(ls -A /var/lib/swauth)\" ]"
load store_dir=/var/lib/swauth
is "the real store got the key" production 2

# The caller's credentials do not decide: a caller without
# CAP_DAC_OVERRIDE writes the root-owned store all the same.
chmod 755 /var/lib/swauth
ok "key add by a caller that cannot write store_dir" setpriv --reuid 1000 \
	--regid 1000 --clear-groups --inh-caps +net_admin,+sys_admin \
	--ambient-caps +net_admin,+sys_admin \
	$K add special $img/prod-A-special-C.SPA
load store_dir=/var/lib/swauth
is "the store got that key" special 2

# store_dir missing (a path component not there yet): unreadable, not
# absent, and store init does not tell it apart from a failed read.
load store_dir=/tmp/no-such-dir/swauth
is "a missing store_dir is unreadable" primary 8
is "a missing store_dir: the error is reported" error -20
refused "a missing store_dir: store init refused" "cannot be read" \
	$K store-init
refused "a missing store_dir: a key change is refused" "cannot be read" \
	$K provision $certs/production-A.der

# A copy that returns EIO: unreadable, changes refused, floors intact.
modprobe loop 2>/dev/null
modprobe dm-mod 2>/dev/null
truncate -s 16M /tmp/eio.img
lo=$(losetup -f --show /tmp/eio.img)
sz=$(blockdev --getsz "$lo")
dmsetup create swauth-eio --noudevsync --table "0 $sz linear $lo 0" &&
	dmsetup mknodes swauth-eio
mkfs.ext4 -q /dev/mapper/swauth-eio
mkdir -p /tmp/eio
mount /dev/mapper/swauth-eio /tmp/eio
load store_dir=/tmp/eio
$K store-init >/dev/null 2>&1
$K provision $certs/production-A.der >/dev/null 2>&1
$K provision $certs/special-A.der >/dev/null 2>&1
$K add special $img/prod-A-special-B.SPA >/dev/null 2>&1
ok "revoke special A on the EIO disk" $K revoke special $img/prod-A-special-B.SPA
rmmod swauth
dmsetup suspend --nolockfs --noflush swauth-eio &&
	dmsetup load swauth-eio --table "0 $sz error" &&
	dmsetup resume swauth-eio
echo 3 >/proc/sys/vm/drop_caches
load store_dir=/tmp/eio
is "EIO: the store is unreadable" primary 8
is "EIO: the error is reported" error -5
refused "EIO: a key change is refused" "cannot be read" \
	$K provision $certs/special-A.der
dmsetup suspend --nolockfs --noflush swauth-eio &&
	dmsetup load swauth-eio --table "0 $sz linear $lo 0" &&
	dmsetup resume swauth-eio
ok "EIO gone: reload" $K reload
is "EIO gone: the floor on disk is in force" floor_special B
rmmod swauth
umount /tmp/eio

# A FIFO: insmod does not block, nothing is written into it.
mkdir -p /tmp/fifo
mkfifo /tmp/fifo/keystore.primary
start=$(date +%s)
timeout 60 insmod "$M" store_dir=/tmp/fifo
check $? "FIFO: insmod succeeds"
[ $(($(date +%s) - start)) -lt 20 ]
check $? "FIFO: insmod returns promptly"
is "FIFO: the store is unreadable" primary 8
is "FIFO: the error is reported" error -6
refused "FIFO: store init refused" "cannot be read" $K store-init
refused "FIFO: a key change is refused" "cannot be read" \
	$K provision $certs/production-A.der
[ ! -e /tmp/fifo/keystore.backup ] &&
	[ "$(timeout 3 cat /tmp/fifo/keystore.primary | wc -c)" -eq 0 ]
check $? "FIFO: nothing written"

# A symbolic link: refused, its target untouched.
mkdir -p /tmp/ln
echo precious >/tmp/target
ln -s /tmp/target /tmp/ln/keystore.primary
load store_dir=/tmp/ln
is "symlink: the store is unreadable" primary 8
is "symlink: the error is reported" error -40
refused "symlink: a key change is refused" "cannot be read" \
	$K provision $certs/production-A.der
[ "$(cat /tmp/target)" = precious ] && [ ! -e /tmp/ln/keystore.backup ]
check $? "symlink: its target untouched, nothing written"

# An unwritable store: failures logged sparingly, and a floor that
# reached neither copy fails the revocation.
mkdir -p /tmp/ro
mount -t tmpfs none /tmp/ro
load store_dir=/tmp/ro
$K store-init >/dev/null 2>&1
$K provision $certs/production-A.der >/dev/null 2>&1
$K provision $certs/special-A.der >/dev/null 2>&1
mount -o remount,ro /tmp/ro
dmesg -c >/dev/null
# One process for the 1000 requests: 1000 process starts take long in TCG.
timeout 600 build/tests/kernel/keyop -n 1000 add special $img/prod-A-special-B.SPA \
	>/dev/null 2>/tmp/many
tail -n 1 /tmp/many | sed 's/^/# /'
lines=$(dmesg | grep -c "key storage")
echo "# $lines kernel log lines for 1000 failing writes"
[ "$lines" -le 20 ]
check $? "unwritable store: at most 20 log lines per 1000 failures"
refused "unwritable store: revoke fails" "held in memory only" \
	$K revoke special $img/prod-A-special-B.SPA
is "unwritable store: the floor is raised in memory" floor_special B
rmmod swauth

# A signer revoked while its image is verified: the key the image carries
# is not admitted. The image is large, so that its payload is still being
# hashed when the revocation runs. (Verification may refuse it itself.)
mkdir -p /tmp/race
load store_dir=/tmp/race
$K store-init >/dev/null 2>&1
$K provision $certs/production-A.der >/dev/null 2>&1
$K provision $certs/special-A.der >/dev/null 2>&1
$K add production $img/ok-revocation.SRA >/dev/null 2>&1
head -c 200M /dev/zero >/tmp/race/big
swauth sign --key keyrings/dev/production-A.key --cert keyrings/dev/production-A.crt \
	--type production --key-version A --bundle-key keyrings/dev/special-B.crt \
	--name big /tmp/race/big -o /tmp/race/big.SPA >/dev/null
rm /tmp/race/big
timeout 600 build/tests/kernel/keyop add special /tmp/race/big.SPA >/tmp/race.out 2>&1 &
sleep 1
ok "race: revoke production A while the image is verified" \
	$K revoke production $img/prod-B.SPB
wait
grep -Eq "revoked while the image was verified|does not verify" /tmp/race.out
r=$?
[ $r -eq 0 ] || sed 's/^/# /' /tmp/race.out
check $r "race: the key of an image whose signer was revoked is refused"
is "race: no special key added" special 1
rmmod swauth

# swauth key sync, as swauth.service runs it at boot: /etc/swauth/keys
# gets the keys and floors the module read from key storage at load
# (keyop, unlike the tool, never mirrors), loses the files of keys the
# module does not hold, and keeps the operator's other files.
T=/etc/swauth/keys
rm -rf /etc/swauth
mkdir -p /tmp/sync
load store_dir=/tmp/sync
$K store-init >/dev/null 2>&1
$K provision $certs/production-A.der >/dev/null 2>&1
$K provision $certs/special-A.der >/dev/null 2>&1
$K add special $img/prod-A-special-B.SPA >/dev/null 2>&1
ok "sync: revoke special A" $K revoke special $img/prod-A-special-B.SPA
load store_dir=/tmp/sync
[ ! -e /etc/swauth ]
check $? "sync: nothing mirrored before key sync"
mkdir -p $T
cp $certs/production-A.der $T/production-C.der
echo mine >$T/operator.txt
ok "sync: key sync succeeds" swauth key sync
grep -q "$T holds the module's keys and floors" /tmp/out
check $? "sync: key sync says so"
[ "$(ls $T | tr '\n' ' ')" = "floors operator.txt production-A.der special-B.der " ]
check $? "sync: the mirror holds exactly the module's keys, floors and the operator's file"
cmp -s $T/production-A.der $certs/production-A.der &&
	cmp -s $T/special-B.der $certs/special-B.der
check $? "sync: the mirrored certificates are the module's"
[ "$(cat $T/floors)" = "special B" ]
check $? "sync: the floor the module read is mirrored"
mkdir -p /tmp/rollover
cp keyrings/dev/rollover.crt /tmp/rollover/
ok "sync: the userspace verifier trusts what the module does" \
	swauth verify --userspace --rollover-dir /tmp/rollover $img/prod-A-special-B.SPA
snap() {
	(cd $T && ls -l --full-time && cat ./*) | cksum
}
before=$(snap)

# The module cannot be read: not loaded and not loadable, or its family
# out of reach (another network namespace): nothing changes.
rmmod swauth
SWAUTH_MODULE=/nonexistent/swauth.ko swauth key sync >/tmp/out 2>&1
r=$?
[ $r -eq 4 ] && grep -q "$T left as it was" /tmp/out
r=$?
[ $r -eq 0 ] || sed 's/^/# /' /tmp/out
check $r "sync: a module that cannot be loaded fails (exit 4), says so"
[ "$(snap)" = "$before" ]
check $? "sync: a module that cannot be loaded leaves the mirror as it was"
load store_dir=/tmp/sync
refused "sync: from another network namespace it fails" "not reachable" \
	unshare -n swauth key sync
[ "$(snap)" = "$before" ]
check $? "sync: a family out of reach leaves the mirror as it was"

# Key storage unreadable: the module holds none of its keys; refused.
load store_dir=/tmp/no-such-dir/swauth
refused "sync: unreadable key storage is refused" "cannot be read" swauth key sync
[ "$(snap)" = "$before" ]
check $? "sync: unreadable key storage leaves the mirror as it was"
# No key storage yet (a fresh install), or none configured: left alone.
mkdir -p /tmp/sync-empty
load store_dir=/tmp/sync-empty
ok "sync: absent key storage succeeds" swauth key sync
grep -q "no key storage was created yet" /tmp/out && [ "$(snap)" = "$before" ]
check $? "sync: absent key storage leaves the mirror as it was"
load
ok "sync: no store_dir succeeds" swauth key sync
[ "$(snap)" = "$before" ]
check $? "sync: no store_dir leaves the mirror as it was"

# A sync that fails half way (here a directory where a certificate goes;
# a full disk alike) has raised the floors and removed the file of the key
# the module dropped already: the revoked special A is not trusted.
rm -rf /etc/swauth
mkdir -p $T/special-B.der
cp $certs/special-A.der $T/special-A.der
load store_dir=/tmp/sync
refused "sync: a certificate that cannot be written fails the sync" "special-B.der" \
	swauth key sync
[ "$(cat $T/floors 2>/dev/null)" = "special B" ] && [ ! -e $T/special-A.der ]
check $? "sync: failed half way, the floor is raised and the revoked key's file gone"
# Another user's symbolic link as the keys directory: not followed, not
# even to remove a file.
rm -rf /etc/swauth /tmp/victim
mkdir -p /etc/swauth /tmp/victim
cp $certs/special-A.der /tmp/victim/special-A.der
ln -s /tmp/victim $T
chown -h 65534 $T
refused "sync: another user's link as the keys directory is refused" "symbolic link" \
	swauth key sync
[ "$(ls /tmp/victim)" = special-A.der ]
check $? "sync: nothing written or removed through that link"
# Root's umask does not make the trust store private.
rm -rf /etc/swauth
(umask 077 && swauth key sync) >/tmp/out 2>&1
check $? "sync: with umask 077 succeeds"
[ "$(stat -c %a /etc/swauth $T | tr '\n' ' ')" = "755 755 " ]
check $? "sync: /etc/swauth and $T are created 0755 whatever the umask"
rmmod swauth

# The defaults of a fresh install: the tool loads the installed module
# through libkmod, which applies /lib/modprobe.d/swauth.conf (the file
# make install-userspace and the package install): store_dir is set.
# depmod of every module (over 9p, under TCG) takes minutes: index
# swauth.ko alone, the only module this test still loads.
kd=/lib/modules/$(uname -r)
mkdir -p $kd/extra
cp "$M" $kd/extra/swauth.ko
timeout 120 depmod "$(uname -r)" $kd/extra/swauth.ko
check $? "defaults: depmod indexes the installed module"
cp userspace/etc/modprobe.d/swauth.conf /lib/modprobe.d/swauth.conf
umount /var/lib/swauth 2>/dev/null
rm -rf /var/lib/swauth
mkdir -m 0700 /var/lib/swauth
ok "defaults: key sync loads the installed module" env -u SWAUTH_MODULE swauth key sync
[ "$(cat /sys/module/swauth/parameters/store_dir)" = /var/lib/swauth ]
check $? "defaults: the module got store_dir=/var/lib/swauth from modprobe.d"
ok "defaults: store init in /var/lib/swauth" swauth key store init --yes
ok "defaults: the first key change works" swauth key provision $certs/production-A.der
rmmod swauth
printf 'options swauth store_dir=/var/lib/swauth-other\n' >/etc/modprobe.d/swauth.conf
env -u SWAUTH_MODULE swauth status >/dev/null 2>&1
[ "$(cat /sys/module/swauth/parameters/store_dir)" = /var/lib/swauth-other ]
check $? "defaults: /etc/modprobe.d/swauth.conf replaces the shipped file"
refused "defaults: a missing store_dir: the first key change says why" "does not exist" \
	swauth key provision $certs/production-A.der
rm /etc/modprobe.d/swauth.conf
rmmod swauth

echo "1..$n"
[ $fails -eq 0 ]
