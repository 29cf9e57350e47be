#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The packages that `make package` left in build/deb (make check builds
# them first): their contents, modes, dependencies and maintainer scripts,
# no conffiles, lintian without errors, and DKMS building the module from
# swauth-dkms alone for every installed kernel header set (Debian 12's
# 6.1.0-50 and the newest at least) in a private tree, so that the host's
# /var/lib/dkms and /lib/modules stay as they were; a source with a file
# missing fails that build, saying what is missing.
# selftests/vm/install.t installs the packages in the VM.

set -u
cd "$(dirname "$0")/../.." || exit 1
. selftests/host/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

kvers=$(ls -d /lib/modules/*/build 2>/dev/null | sed 's|^/lib/modules/||; s|/build$||' | sort -V)
nk=$(echo "$kvers" | grep -c .)
echo "1..$((22 + nk))"

dkms_deb=$(ls build/deb/swauth-dkms_*_all.deb 2>/dev/null)
tools_deb=$(ls build/deb/swauth-tools_*_amd64.deb 2>/dev/null)
changes=$(ls build/deb/swauth_*_amd64.changes 2>/dev/null)
test "$(echo "$dkms_deb" | grep -c .)" = 1 && test "$(echo "$tools_deb" | grep -c .)" = 1 &&
	test "$(echo "$changes" | grep -c .)" = 1
ok $? "build/deb has one swauth-dkms (all), one swauth-tools (amd64) and their .changes (make package)"
if [ -z "$dkms_deb" ] || [ -z "$tools_deb" ]; then
	echo "# no packages: run make package" >&2
	exit 1
fi

field() { dpkg-deb -f "$1" "$2"; }
version=$(field "$dkms_deb" Version)
echo "$version" | grep -Eq '^0\.1\+git[0-9]+\.[0-9a-f]{12}(\.dirty)?(~dev)?$' &&
	test "$(field "$tools_deb" Version)" = "$version" &&
	echo "$changes" | grep -qF "swauth_${version}_amd64.changes"
ok $? "both packages have the version 0.1+gitN.HASH[.dirty][~dev]: $version"

dpkg-deb -x "$dkms_deb" "$tmp/dkms"
dpkg-deb -x "$tools_deb" "$tmp/tools"
dpkg-deb -e "$dkms_deb" "$tmp/dkms-ctl"
dpkg-deb -e "$tools_deb" "$tmp/tools-ctl"
src=$tmp/dkms/usr/src/swauth-$version
conf=$src/dkms.conf
grep -qx 'PACKAGE_NAME="swauth"' "$conf" && grep -qx "PACKAGE_VERSION=\"$version\"" "$conf" &&
	grep -qx 'BUILT_MODULE_NAME\[0\]="swauth"' "$conf" &&
	grep -qx 'DEST_MODULE_LOCATION\[0\]="/updates/dkms"' "$conf" &&
	grep -qx 'AUTOINSTALL="yes"' "$conf"
ok $? "swauth-dkms has /usr/src/swauth-$version/dkms.conf: swauth, /updates/dkms, AUTOINSTALL"

for f in Kbuild kmod/main.c kmod/rollover_certs.S kmod/bpf/enforce.h include/uapi/linux/swauth.h \
	pregenerated/rollover-certs.der pregenerated/bpf/enforce.lskel.h \
	pregenerated/bpf/include/bpf/skel_internal.h; do
	test -f "$src/$f" || { echo "# missing: $f"; false; } || break
done
ok $? "swauth-dkms has the module source and the pregenerated rollover DER and BPF skeleton"

dev=no
openssl x509 -in keyrings/dev/rollover.crt -outform DER -out "$tmp/dev.der" 2>/dev/null &&
	cmp -s "$tmp/dev.der" "$src/pregenerated/rollover-certs.der" && dev=yes
case $version in
*~dev) test $dev = yes ;;
*) test $dev = no ;;
esac
ok $? "the version ends in ~dev exactly when the embedded rollover certificate is keyrings/dev's (dev: $dev)"

test "$(field "$dkms_deb" Architecture)" = all && field "$dkms_deb" Depends | grep -q '^dkms\b' &&
	test "$(field "$tools_deb" Architecture)" = amd64 &&
	field "$tools_deb" Depends | grep -qF "swauth-dkms (= $version)"
ok $? "swauth-dkms is Architecture all and depends on dkms; swauth-tools on swauth-dkms (= $version)"

test ! -e "$tmp/dkms-ctl/conffiles" && test ! -e "$tmp/tools-ctl/conffiles"
ok $? "no conffiles: the tools write /etc/swauth themselves, so installs never prompt"

mode() { stat -c %a "$1" 2>/dev/null; }
test "$(mode "$tmp/tools/usr/sbin/swauth")" = 755 && test "$(mode "$tmp/tools/usr/sbin/swcopy")" = 755 &&
	test "$(mode "$tmp/tools/usr/sbin/swupgrade")" = 755 &&
	test "$(mode "$tmp/tools/usr/sbin/swupgraded")" = 755 &&
	test "$(mode "$tmp/tools/usr/sbin/swpki")" = 755 &&
	test -f "$tmp/tools/usr/share/man/man8/swpki.8.gz" &&
	test "$(mode "$tmp/tools/usr/sbin/swpkid")" = 755 &&
	test "$(mode "$tmp/tools/lib/systemd/system/swauth.service")" = 644 &&
	test "$(mode "$tmp/tools/lib/systemd/system/swpkid.service")" = 644 &&
	test "$(mode "$tmp/tools/lib/systemd/system/swauth-enforce.service")" = 644 &&
	test "$(mode "$tmp/tools/lib/systemd/system/swupgraded.service")" = 644 &&
	test "$(mode "$tmp/tools/boot/swauth")" = 755 &&
	test -d "$tmp/tools/etc/swauth" && test ! -e "$tmp/tools/var/lib/swauth" &&
	test "$(mode "$tmp/tools/usr/share/swauth/rollover/rollover.crt")" = 644 &&
	test "$(mode "$tmp/tools/usr/share/swauth/grub/42_swauth")" = 755 &&
	test "$(mode "$tmp/tools/usr/share/swauth/grub/swauth.cfg")" = 644 &&
	grep -q '^cfg=${SWAUTH_GRUB_CFG:-/usr/share/swauth/grub/swauth.cfg}$' "$tmp/tools/usr/share/swauth/grub/42_swauth" &&
	test ! -e "$tmp/tools/etc/grub.d"
ok $? "swauth-tools: tools (swupgrade, swupgraded, swpki, swpkid too) 0755 in /usr/sbin, swpki(8), units 0644, /etc/swauth, /boot/swauth, rollover certificates, GRUB's part (not in /etc/grub.d); /var/lib/swauth left to postinst"

grep -qx 'options swauth store_dir=/var/lib/swauth' "$tmp/tools/lib/modprobe.d/swauth.conf" &&
	grep -q 'module_param(store_dir,' kmod/storage.c
ok $? "/lib/modprobe.d/swauth.conf gives the module its store_dir=/var/lib/swauth"

# Everything that `make install-userspace` installs is in the package.
make -s install-userspace DESTDIR="$tmp/inst" >"$tmp/inst.log" 2>&1
(cd "$tmp/inst" && find . ! -type d | sort) >"$tmp/inst.list"
(cd "$tmp/tools" && find . ! -type d | sed 's/\.gz$//' | sort) >"$tmp/tools.list"
missing=$(comm -23 "$tmp/inst.list" "$tmp/tools.list")
test -s "$tmp/inst.list" && test -z "$missing"
ok $? "swauth-tools has every file of make install-userspace" || printf '# missing: %s\n' $missing >&2

grep -q 'install -d -m 0700 -o root -g root /var/lib/swauth' "$tmp/tools-ctl/postinst"
ok $? "postinst makes /var/lib/swauth mode 0700 on every configure"

# swauth-enforce.service is enabled again only if it was (debian-installed).
grep -q "deb-systemd-helper enable 'swauth.service'" "$tmp/tools-ctl/postinst" &&
	grep -q "deb-systemd-invoke \$_dh_action 'swauth.service'" "$tmp/tools-ctl/postinst" &&
	! grep -qs "deb-systemd-invoke .*'swauth-enforce.service'" "$tmp/tools-ctl/postinst" "$tmp/tools-ctl/preinst" &&
	grep -q "debian-installed 'swauth-enforce.service'" "$tmp/tools-ctl/postinst" &&
	grep -q "deb-systemd-helper enable 'swupgraded.service'" "$tmp/tools-ctl/postinst" &&
	grep -q "deb-systemd-invoke \$_dh_action 'swupgraded.service'" "$tmp/tools-ctl/postinst" &&
	grep -q "deb-systemd-helper enable 'swpkid.service'" "$tmp/tools-ctl/postinst" &&
	grep -q "deb-systemd-invoke \$_dh_action 'swpkid.service'" "$tmp/tools-ctl/postinst"
ok $? "swauth.service, swupgraded.service and swpkid.service are enabled and started; swauth-enforce.service neither"

grep -q '/usr/lib/dkms/common.postinst' "$tmp/dkms-ctl/postinst" &&
	grep -q 'dkms remove -m $DKMS_NAME -v $DKMS_VERSION --all' "$tmp/dkms-ctl/prerm"
ok $? "swauth-dkms's postinst adds, builds and installs with DKMS; its prerm removes"

grep -q "stays loaded until reboot" "$tmp/dkms-ctl/prerm" && ! grep -q 'rmmod\b.*swauth$\|modprobe -r' "$tmp/dkms-ctl/prerm" &&
	! grep -q 'rmmod \|modprobe -r' "$tmp/tools-ctl/prerm" "$tmp/tools-ctl/postrm"
ok $? "removal never unloads the module and says that it stays loaded"

sed -n '/^purge)/,/;;/p' "$tmp/tools-ctl/postrm" >"$tmp/purge"
grep -q 'rm -f /etc/swauth/swauth.conf /etc/swauth/swcopy.conf' "$tmp/purge" &&
	grep -q 'rm -f /etc/swauth/swupgrade.conf' "$tmp/purge" &&
	! grep -q 'rm -[a-z]*r' "$tmp/purge" && grep -q 'kept: it is the trust state' "$tmp/purge"
ok $? "purge removes swauth.conf, swcopy.conf and swupgrade.conf and keeps /var/lib/swauth and /etc/swauth/keys, saying so"

bad=
for s in "$tmp"/dkms-ctl/p* "$tmp"/tools-ctl/p*; do
	sh -n "$s" && ! grep -qE '^\s*read |db_input|debconf' "$s" || bad="$bad ${s##*/}"
done
test -z "$bad"
ok $? "maintainer scripts parse and never ask anything" || echo "# bad:$bad"

lintian --tag-display-limit 0 "$changes" >"$tmp/lintian" 2>&1
grep -v '^running with root privileges' "$tmp/lintian" | sed 's/^/# lintian: /'
! grep -q '^E: ' "$tmp/lintian" && grep -q . "$changes"
ok $? "lintian reports no error on the .debs and the .changes"

# DKMS in a private tree: its own dkms tree, source tree, install tree and
# MOK key (DKMS makes one where mok_signing_key says), nothing on the host.
state() { { ls -laR /var/lib/dkms; find /lib/modules -newer "$tmp/start"; } 2>&1; }
touch "$tmp/start"
sleep 1
state >"$tmp/state.before"
export mok_signing_key="$tmp/mok.key" mok_certificate="$tmp/mok.pub"
dkms_private() {
	d=$1
	shift
	mkdir -p "$d/tree" "$d/install"
	dkms "$@" --dkmstree "$d/tree" --sourcetree "$d/src" --installtree "$d/install" \
		-m swauth -v "$version"
}
mkdir -p "$tmp/good"
mv "$tmp/dkms/usr/src" "$tmp/good/src"
dkms_private "$tmp/good" add >"$tmp/add.log" 2>&1
ok $? "dkms add takes the source of swauth-dkms" || sed 's/^/# /' "$tmp/add.log"

for k in $kvers; do
	dkms_private "$tmp/good" build -k "$k" >"$tmp/build-$k.log" 2>&1
	ko=$tmp/good/tree/swauth/$version/$k/x86_64/module/swauth.ko
	test -f "$ko" && test "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$k" &&
		test "$(modinfo -F version "$ko")" = "$version" &&
		test "$(modinfo -F signer "$ko")" = "DKMS module signing key"
	ok $? "DKMS builds swauth.ko for $k: vermagic $k, version $version, signed with the MOK key" ||
		{ tail -n 20 "$tmp/build-$k.log"; cat "$tmp/good/tree/swauth/$version/build/make.log" 2>/dev/null | tail -n 20; } |
		sed 's/^/# /'
done
newest=$(echo "$kvers" | tail -n 1)
python3 -c 'import sys; sys.exit(open(sys.argv[1], "rb").read() not in open(sys.argv[2], "rb").read())' \
	"$tmp/good/src/swauth-$version/pregenerated/rollover-certs.der" \
	"$tmp/good/tree/swauth/$version/$newest/x86_64/module/swauth.ko"
ok $? "the module DKMS built embeds the package's rollover certificates"

# A source missing a file fails the build and says which.
broken() {
	rm -rf "$tmp/bad"
	mkdir -p "$tmp/bad"
	cp -a "$tmp/good/src" "$tmp/bad/src"
	rm "$tmp/bad/src/swauth-$version/$1"
	dkms_private "$tmp/bad" add >/dev/null 2>&1 &&
		! dkms_private "$tmp/bad" build -k "$newest" >"$tmp/bad.log" 2>&1 &&
		grep -q 'Bad return status for module build' "$tmp/bad.log" &&
		grep -qF "$2" "$tmp/bad/tree/swauth/$version/build/make.log" &&
		! find "$tmp/bad/tree" -name swauth.ko | grep -q .
}
broken kmod/keys.c "kmod/keys.o"
ok $? "without kmod/keys.c the DKMS build fails, and its make.log names kmod/keys.o" ||
	sed 's/^/# /' "$tmp/bad.log"
broken pregenerated/rollover-certs.der "no SWAUTH_ROLLOVER_DER and no pregenerated/rollover-certs.der"
ok $? "without the pregenerated rollover DER it fails, saying so" || sed 's/^/# /' "$tmp/bad.log"

state >"$tmp/state.after"
cmp -s "$tmp/state.before" "$tmp/state.after"
ok $? "the host's /var/lib/dkms and /lib/modules are untouched" ||
	diff "$tmp/state.before" "$tmp/state.after" | sed 's/^/# /'

exit $fail
