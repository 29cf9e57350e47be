#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The Debian packages of build/deb (make package) installed as an operator
# would, in one VM run (two kernels) booted through UEFI with
# module.sig_enforce=1 and the machine's module signing key
# (keyrings/mok/mok.pub) in the firmware's db, that key being DKMS's MOK
# key in the guest (/var/lib/dkms/mok.key): dpkg -i of swauth-dkms and
# swauth-tools with stdin closed and no DEBIAN_FRONTEND, DKMS building the
# module against the guest's kernel headers (the slow part, done once),
# then the main flow with the installed paths only (PATH without build/bin,
# no SWAUTH_* variables): modprobe with the options of /lib/modprobe.d, the
# module loading while /var/lib/swauth is missing and refusing key changes
# until it is back, key store init, provision, sign, verify (in the module,
# and in userspace with the installed rollover certificates), key add,
# boot system, key revoke, and a warm reload. The --disk, mounted at
# /var/lib/swauth in both kernels, keeps the key store and the images, and
# carries to the second kernel what it needs of the first's installation
# (the guest's root is a tmpfs overlay that the kexec starts afresh): the
# installed files, the dpkg and DKMS records, and a listing of the file
# system taken before the install. In the second kernel the installed
# module loads again, reports the warm boot and reads the key store; then
# swauth-tools is installed again over its configuration without a
# question, both packages are removed while the module is loaded (it stays
# loaded) and purged, and what is left is only what policy keeps:
# /var/lib/swauth, /etc/swauth/keys and DKMS's own MOK key.

cd "$(dirname "$0")/../.." || exit 1
. selftests/vm/lib.sh
section() { sed -n "/^## $1\$/,/^## rc/p" "$tmp/out" | sed '1d;$d'; }
rc_of() { sed -n "/^## $1\$/,/^## rc/p" "$tmp/out" | tail -n 1 | sed 's/^## rc //'; }
# has_line SECTION LINE: the section has the line LINE, a fixed string.
has_line() { section "$1" | grep -qxF -- "$2"; }

echo "1..29"

dkms_deb=$(ls "$PWD"/build/deb/swauth-dkms_*_all.deb 2>/dev/null)
tools_deb=$(ls "$PWD"/build/deb/swauth-tools_*_amd64.deb 2>/dev/null)
if [ "$(echo "$dkms_deb" | grep -c .)" != 1 ] || [ "$(echo "$tools_deb" | grep -c .)" != 1 ]; then
	echo "# no packages in build/deb: run make package" >&2
	exit 1
fi
version=$(dpkg-deb -f "$dkms_deb" Version)
# The machine's module signing key (make module-signed's), enrolled in the
# guest's firmware db, given to DKMS in the guest as its MOK key.
keyrings/gen-mok-key keyrings/mok/mok.key keyrings/mok/mok.pub >"$tmp/vars.log" 2>&1 &&
	scripts/uefi-vars-db keyrings/mok/mok.pub /usr/share/OVMF/OVMF_VARS_4M.fd \
		"$tmp/vars.fd" >>"$tmp/vars.log" 2>&1 ||
	{ sed 's/^/# /' "$tmp/vars.log"; echo "# no MOK key or UEFI variable store" >&2; exit 1; }
mok_cn=$(openssl x509 -inform DER -in keyrings/mok/mok.pub -noout -subject -nameopt multiline |
	sed -n 's/^ *commonName *= //p')
kver=$(ls -d /lib/modules/*/build | sort -V | tail -n 1 | cut -d/ -f4)

# Two CPUs: DKMS builds with make -j$(nproc).
start=$(date +%s)
scripts/vm-run --smp 2 --disk "$tmp/disk" --uefi-vars "$tmp/vars.fd" --append module.sig_enforce=1 \
	--timeout 1800 -- sh -c '
dkms_deb=$1
tools_deb=$2
for v in $(env | sed -n "s/^\(SWAUTH_[A-Za-z0-9_]*\)=.*/\1/p; s/^\(SWCOPY_[A-Za-z0-9_]*\)=.*/\1/p"); do
	unset $v
done
unset DEBIAN_FRONTEND
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
kver=$(uname -r)
save=/var/lib/swauth/install.t
mkdir -p $save
# What the file system has where the packages write, less the disk.
snap() {
	{
		find /etc /lib/modprobe.d /lib/systemd/system /lib/modules/$kver /usr/sbin \
			/usr/share/swauth /usr/share/man/man8 /var/lib -path /var/lib/swauth -prune \
			-o -path /var/lib/dpkg -prune -o -print
		find /usr/src /usr/share/doc -maxdepth 1
	} 2>/dev/null | sort
}
sect() { echo "## $1"; }
rc() { echo "## rc $?"; }
# Not what is tested, and slow under TCG: man-db indexing at each dpkg run.
echo "man-db man-db/auto-update boolean false" | debconf-set-selections

if grep -q swauth.reload= /proc/cmdline; then
	sect second; grep -o "swauth.reload=[0-9a-f]*" /proc/cmdline; rc
	tar -C / -xpf $save/state.tar
	sect modprobe2; modprobe swauth && cat /sys/module/swauth/parameters/store_dir; rc
	sect enforce2; cat /sys/module/module/parameters/sig_enforce; rc
	sect status2; swauth status; rc
	sect running2; swauth show running; rc
	cp /etc/swauth/swauth.conf $save/conf.before
	sect reinstall; dpkg -i $tools_deb </dev/null 2>&1; rc
	sect conf-kept; cmp $save/conf.before /etc/swauth/swauth.conf && echo "swauth.conf unchanged"; rc
	sect remove; dpkg -r swauth-tools swauth-dkms </dev/null 2>&1; rc
	sect after-remove
	test -d /sys/module/swauth && echo "loaded: $(cat /sys/kernel/swauth/version)"
	test -e /usr/sbin/swauth || echo "no /usr/sbin/swauth"
	modinfo swauth >/dev/null 2>&1 || echo "no swauth.ko for the next boot"
	find /lib/modules/$kver /var/lib/dkms /usr/src -name "swauth*" | sed "s/^/left: /"
	rc
	sect purge; dpkg -P swauth-tools swauth-dkms </dev/null 2>&1; rc
	sect purged; dpkg-query -W swauth-tools swauth-dkms 2>&1; rc
	sect leftover; snap >$save/after; diff $save/before $save/after | grep "^[<>]"; rc
	sect kept; ls /var/lib/swauth /var/lib/dkms; stat -c "%a %n" /var/lib/swauth; rc
	exit 0
fi

sect host-swauth
command -v swauth swcopy
ls -d /lib/modules/*/*/swauth.ko* /lib/modules/*/*/*/swauth.ko* /usr/share/swauth /etc/swauth \
	/lib/modprobe.d/swauth.conf /usr/src/swauth-* /var/lib/dkms/swauth 2>/dev/null
env | grep "^SWAUTH_"
rc
mkdir -p /var/lib/dkms
cp keyrings/mok/mok.key keyrings/mok/mok.pub /var/lib/dkms/
snap >$save/before
chmod 0755 /var/lib/swauth
sect install
t0=$(date +%s)
dpkg -i $dkms_deb $tools_deb </dev/null 2>&1
r=$?
echo "## took $(($(date +%s) - t0)) s"
(exit $r); rc
sect installed
ls -d /usr/sbin/swauth /usr/sbin/swcopy /lib/modprobe.d/swauth.conf /usr/share/swauth/rollover/*.crt \
	/lib/modules/$kver/updates/dkms/swauth.ko*
stat -c "%a %U %n" /var/lib/swauth
ls /etc/systemd/system/*.wants | grep swauth
rc
sect signer; modinfo -F signer /lib/modules/$kver/updates/dkms/swauth.ko; rc

# The key store directory missing when the module loads (its disk not
# mounted): the module loads and refuses key changes until it is back.
umount /var/lib/swauth && rmdir /var/lib/swauth
sect missing-dir; modprobe swauth && cat /sys/module/swauth/parameters/store_dir; rc
sect enforce; cat /sys/module/module/parameters/sig_enforce /sys/module/swauth/taint; rc
sect missing-status; swauth status; rc
sect missing-init; swauth key store init --yes; rc
mkdir -p /var/lib/swauth && mount /dev/vda /var/lib/swauth
sect store-init; swauth key store init --yes; rc
sect store; ls /var/lib/swauth; rc

le64() {
	for b in 0 1 2 3 4 5 6 7; do
		printf "\\$(printf %o $((($1 >> (8 * b)) & 255)))"
	done
}
k=/boot/vmlinuz-$kver
rd=$(ls build/vm/initramfs-$kver.cpio.gz)
{ le64 $(stat -c %s $k); cat $k; le64 $(stat -c %s $rd); cat $rd; } >/tmp/payload
mkdir -p /var/lib/swauth/flash
sect provision; swauth key provision keyrings/dev/production-A.crt; rc
sect sign-v1; swauth sign --key keyrings/dev/production-A.key --cert keyrings/dev/production-A.crt \
	--type production --key-version A --name v1 /tmp/payload -o /var/lib/swauth/flash/v1.SPA; rc
sect verify-v1; swauth verify /var/lib/swauth/flash/v1.SPA; rc
sect verify-user; swauth verify --userspace /var/lib/swauth/flash/v1.SPA; rc
mv /usr/share/swauth/rollover /tmp/rollover
sect verify-user-none; swauth verify --userspace /var/lib/swauth/flash/v1.SPA; rc
mv /tmp/rollover /usr/share/swauth/rollover
cp /var/lib/swauth/flash/v1.SPA /tmp/v1-tampered.SPA
printf x | dd of=/tmp/v1-tampered.SPA bs=1 seek=300000 conv=notrunc status=none
sect verify-tampered; swauth verify /tmp/v1-tampered.SPA; rc
head -c 4096 /dev/urandom >/tmp/rev
swauth sign --key keyrings/dev/rollover.key --cert keyrings/dev/rollover.crt \
	--type revocation --key-version A --bundle-key keyrings/dev/production-B.crt \
	--name rev-B /tmp/rev -o /tmp/rev-B.SRA >/dev/null
sect key-add; swauth key add production --image /tmp/rev-B.SRA; rc
swauth sign --key keyrings/dev/production-B.key --cert keyrings/dev/production-B.crt \
	--type production --key-version B --name v2 /tmp/payload -o /var/lib/swauth/flash/v2.SPB >/dev/null
sect boot; swauth boot system flash:v2.SPB; rc
sect conf; cat /etc/swauth/swauth.conf; rc
sect revoke; swauth key revoke production; rc
sect status; swauth status; rc
sect keys; ls /etc/swauth/keys; rc

# What the second kernel needs of this installation (the overlay is lost).
{
	dpkg -L swauth-tools swauth-dkms
	find /var/lib/dkms /lib/modules/$kver/updates /etc/swauth /etc/systemd/system \
		/var/lib/dpkg/triggers /var/lib/systemd
	ls -d /lib/modules/$kver/modules.* /var/lib/dpkg/status /var/lib/dpkg/info/swauth-*
} 2>/dev/null | grep -vx "/\." | sort -u >/tmp/state.list
tar --no-recursion -cpf $save/state.tar -T /tmp/state.list 2>/dev/null
sect reload; swauth reload --warm --yes; rc
echo "still the first kernel"
exit 1
' sh "$dkms_deb" "$tools_deb" >"$tmp/out" 2>&1
rc=$?
echo "# guest run: $(($(date +%s) - start)) s, exit $rc; dpkg -i $(sed -n 's/^## took //p' "$tmp/out")"
sed 's/^/# /' "$tmp/out"
test $rc -eq 0
ok $? "the run ends well in the second kernel, with no kernel warning"
test -z "$(section host-swauth)" && test "$(rc_of host-swauth)" = 1
ok $? "before the install the guest has no swauth of the host's: nothing in PATH or installed, no SWAUTH_*"
test "$(rc_of install)" = 0 && ! section install | grep -qi 'configuration file\|\[default=N\]\|(Y/I/N/O/D/Z)'
ok $? "dpkg -i of both packages succeeds without DEBIAN_FRONTEND and with no question"
has_line install "Building initial module for $kver" &&
	has_line install "   - Installing to /lib/modules/$kver/updates/dkms/" &&
	section installed | grep -qx "/lib/modules/$kver/updates/dkms/swauth.ko\(\.xz\)\?"
ok $? "DKMS builds the module against the guest's headers ($kver) and installs it in updates/dkms"
test -n "$mok_cn" && has_line signer "$mok_cn"
ok $? "DKMS signs it with the MOK key in /var/lib/dkms ($mok_cn)"
has_line installed /usr/sbin/swauth && has_line installed /usr/sbin/swcopy && has_line installed /lib/modprobe.d/swauth.conf &&
	has_line installed /usr/share/swauth/rollover/rollover.crt
ok $? "the tools, the modprobe options and the rollover certificates are installed"
has_line installed "700 root /var/lib/swauth"
ok $? "postinst makes /var/lib/swauth mode 0700, owned by root"
has_line installed swauth.service && ! section installed | grep -q swauth-enforce
ok $? "swauth.service is enabled, swauth-enforce.service is not"
test "$(rc_of missing-dir)" = 0 && has_line missing-dir /var/lib/swauth
ok $? "modprobe swauth loads the installed module with store_dir=/var/lib/swauth from /lib/modprobe.d"
test "$(section enforce | head -n 1)" = Y && section enforce | sed -n 2p | grep -qx '[A-Z]*' &&
	! section enforce | sed -n 2p | grep -q E
ok $? "with module.sig_enforce=1 and the key in the firmware db: loaded, not tainted as unsigned"
section missing-status | grep -q '^primary storage: *UNREADABLE: the directory of key storage (module parameter store_dir) is missing' && test "$(rc_of missing-init)" = 3 &&
	section missing-init | grep -q 'the directory of key storage (module parameter store_dir) does not exist: mount or create it'
ok $? "with /var/lib/swauth missing at load the module loads, and refuses to create the store, saying why"
test "$(rc_of store-init)" = 0 && has_line store keystore.primary && has_line store keystore.backup
ok $? "once /var/lib/swauth is back, key store init creates the store there"
test "$(rc_of provision)" = 0 && has_line provision 'Provisioned swauth production key A (serial 5A0101) from keyrings/dev/production-A.crt'
ok $? "key provision takes production key A"
test "$(rc_of sign-v1)" = 0 && test "$(rc_of verify-v1)" = 0 &&
	has_line verify-v1 'Digital signature successfully verified in file /var/lib/swauth/flash/v1.SPA' &&
	has_line verify-v1 "Verified by: kernel (swauth.ko $version)"
ok $? "an image signed with the installed swauth verifies in the DKMS-built module ($version)"
test "$(rc_of verify-user)" = 0 && has_line verify-user 'Verified by: userspace (OpenSSL), --userspace'
ok $? "verify --userspace trusts the installed rollover certificates"
test "$(rc_of verify-user-none)" != 0 && ! has_line verify-user-none 'Digital signature successfully verified in file /var/lib/swauth/flash/v1.SPA'
ok $? "without /usr/share/swauth/rollover it does not"
test "$(rc_of verify-tampered)" = 1 && section verify-tampered | grep -q 'bad digest'
ok $? "a tampered image is refused: bad digest"
test "$(rc_of key-add)" = 0 && has_line key-add 'Done!' && has_line keys production-B.der
ok $? "key add production with a revocation image adds production key B (and to /etc/swauth/keys)"
test "$(rc_of boot)" = 0 && has_line boot 'Boot image set to flash:v2.SPB (production key B)' &&
	has_line conf 'boot-image /var/lib/swauth/flash/v2.SPB'
ok $? "boot system writes /etc/swauth/swauth.conf in the directory the package made"
test "$(rc_of revoke)" = 0 && has_line revoke 'Revoking the key with version A...Success' &&
	section status | grep -q '^production floor: *B$'
ok $? "key revoke production revokes key A: the floor is B"
has_line reload 'Reloading (warm) into flash:v2.SPB' && grep -q '^swauth.reload=[0-9a-f]\{32\}$' "$tmp/out"
ok $? "the warm reload starts the second kernel"
test "$(rc_of modprobe2)" = 0 && has_line modprobe2 /var/lib/swauth && has_line enforce2 Y &&
	section status2 | grep -q '^boot: *warm (kexec)' &&
	section status2 | grep -q '^running image: *v2 (production B, measured at boot)$' &&
	section running2 | grep -q '^File Name *: flash:v2.SPB$'
ok $? "there the installed module loads again, reports the warm boot and measured v2"
section status2 | grep -q '^production floor: *B$' && section status2 | grep -q '^production keys: *1$'
ok $? "and reads the key store it left in /var/lib/swauth: floor B"
test "$(rc_of reinstall)" = 0 && has_line conf-kept 'swauth.conf unchanged' &&
	! section reinstall | grep -qi 'configuration file\|(Y/I/N/O/D/Z)'
ok $? "swauth-tools installs again over its configuration, with no question, and keeps swauth.conf"
test "$(rc_of remove)" = 0 && has_line remove "swauth-dkms: swauth.ko stays loaded until reboot or 'rmmod swauth'" &&
	has_line after-remove "loaded: $version"
ok $? "dpkg -r while the module is loaded: it stays loaded, and the package says so"
has_line after-remove 'no /usr/sbin/swauth' && has_line after-remove 'no swauth.ko for the next boot' &&
	! section after-remove | grep -q '^left: '
ok $? "the tools and every module file are gone (DKMS tree, /lib/modules, /usr/src)"
test "$(rc_of purge)" = 0 &&
	has_line purge 'swauth-tools: /var/lib/swauth kept: it is the trust state of this device (key store, floors); remove it by hand to forget it' &&
	has_line purge 'swauth-tools: /etc/swauth/keys kept: it is the trust state of this device (key store, floors); remove it by hand to forget it' &&
	has_line purged 'dpkg-query: no packages found matching swauth-tools' &&
	has_line purged 'dpkg-query: no packages found matching swauth-dkms'
ok $? "dpkg -P purges both, saying what it keeps"
section leftover | sort >"$tmp/left"
printf '%s\n' '> /etc/swauth' '> /etc/swauth/keys' '> /etc/swauth/keys/floors' \
	'> /etc/swauth/keys/production-B.der' | sort | cmp -s - "$tmp/left"
ok $? "all that is left is /etc/swauth/keys (besides /var/lib/swauth)"
has_line kept keystore.primary && has_line kept keystore.backup && has_line kept '700 /var/lib/swauth' &&
	has_line kept mok.key && has_line kept mok.pub
ok $? "/var/lib/swauth keeps the key store, mode 0700; DKMS's MOK key stays"
exit $fail
