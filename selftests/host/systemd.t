#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The systemd units and the defaults of a fresh install, as `make
# install-userspace DESTDIR=R` installs them: the modprobe.d options,
# /var/lib/swauth 0700, /etc/swauth, /boot/swauth; the three units pass
# `systemd-analyze verify` in R with no message at all (binaries and man
# page found), their `systemd-analyze security --offline` exposure stays at
# or below what was measured when they were written (swauth.service 1.9,
# swauth-enforce.service 2.4, swupgraded.service 2.1, swpkid.service 1.7);
# the ordering,
# capabilities and writable paths Documentation/admin-guide.rst promises;
# swupgraded is installed next to swauth and swcopy, where it runs them
# from. Negative cases: a misspelt key, a misspelt binary and an
# unsandboxed unit each fail the check that passes for the real units.

set -u
cd "$(dirname "$0")/../.." || exit 1
. selftests/host/tap.sh

if ! command -v systemd-analyze >/dev/null; then
	echo "1..0 # SKIP systemd-analyze is not installed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
units=$root/lib/systemd/system
echo "1..34"

make -s install-userspace DESTDIR="$root" >"$tmp/install.log" 2>&1
ok $? "make install-userspace DESTDIR=R succeeds" || sed 's/^/# /' "$tmp/install.log"

mode() { stat -c %a "$1" 2>/dev/null; }
test "$(mode "$root/lib/modprobe.d/swauth.conf")" = 644 &&
	grep -qx 'options swauth store_dir=/var/lib/swauth' "$root/lib/modprobe.d/swauth.conf"
ok $? "R/lib/modprobe.d/swauth.conf (0644) gives the module store_dir=/var/lib/swauth"
test "$(mode "$root/var/lib/swauth")" = 700
ok $? "R/var/lib/swauth, key storage, is mode 0700"
test "$(mode "$root/etc/swauth")" = 755
ok $? "R/etc/swauth is mode 0755"
test "$(mode "$units/swauth.service")" = 644 && test "$(mode "$units/swauth-enforce.service")" = 644 &&
	test "$(mode "$units/swupgraded.service")" = 644 && test "$(mode "$units/swpkid.service")" = 644 &&
	! grep -q '@[A-Z_]*@' "$units/swauth.service" "$units/swauth-enforce.service" \
		"$units/swupgraded.service" "$units/swpkid.service"
ok $? "the four units installed 0644, every @VARIABLE@ substituted"

# Every command a unit runs is an installed executable in R.
bins_ok=0
for u in swauth.service swauth-enforce.service swupgraded.service swpkid.service; do
	for b in $(sed -n 's/^ExecStart=[-@+!:]*\([^ ]*\).*/\1/p' "$units/$u"); do
		test -x "$root$b" || { echo "# $u: $b is not installed"; bins_ok=1; }
	done
done
ok $bins_ok "every ExecStart= binary of the four units is installed in R"

# systemd-analyze verify in R: the man page swauth(8) from R too.
verify() {
	MANPATH=$root/usr/share/man systemd-analyze verify --root="${vroot:-$root}" "$@" >"$tmp/verify.out" 2>&1 &&
		! test -s "$tmp/verify.out"
}
verify "$units/swauth.service"
ok $? "systemd-analyze verify passes swauth.service, without a warning" ||
	sed 's/^/# /' "$tmp/verify.out"
verify "$units/swauth-enforce.service"
ok $? "systemd-analyze verify passes swauth-enforce.service, without a warning" ||
	sed 's/^/# /' "$tmp/verify.out"
# swupgraded.service keeps the default dependencies: the host's targets
# go into a copy of R (package.t compares R with the package).
cp -R "$root" "$tmp/rootx"
cp -P /lib/systemd/system/*.target "$tmp/rootx/lib/systemd/system/"
vroot=$tmp/rootx
verify "$vroot/lib/systemd/system/swupgraded.service"
ok $? "systemd-analyze verify passes swupgraded.service, without a warning" ||
	sed 's/^/# /' "$tmp/verify.out"
# swpkid.service's ExecReload= is the host's kill(1).
mkdir -p "$vroot/bin" && cp /bin/kill "$vroot/bin/"
verify "$vroot/lib/systemd/system/swpkid.service"
ok $? "systemd-analyze verify passes swpkid.service (swpkid(8), swpki(8) found), without a warning" ||
	sed 's/^/# /' "$tmp/verify.out"
unset vroot

# The same check fails a unit with a mistake (the unit must be in R).
mkdir -p "$root/etc/systemd/system"
bad=$root/etc/systemd/system
sed 's/^After=local-fs.target/Aftre=local-fs.target/' "$units/swauth.service" >"$bad/typo-key.service"
! verify "$bad/typo-key.service" && grep -q "Unknown key 'Aftre'" "$tmp/verify.out"
ok $? "a misspelt key (Aftre=) fails the check"
sed 's|^ExecStart=\([^ ]*\)/swauth |ExecStart=\1/swuath |' "$units/swauth.service" >"$bad/typo-bin.service"
! verify "$bad/typo-bin.service" && grep -q "swuath is not executable" "$tmp/verify.out"
ok $? "a misspelt binary (swuath) fails the check"

# Exposure, 0.0 (best) to 10.0, at most the given tenths.
exposure() {
	systemd-analyze security --offline=true --root="$root" "$1" 2>/dev/null |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9]*\)\.\([0-9]\).*/\1\2/p'
}
e=$(exposure "$units/swauth.service")
echo "# swauth.service exposure ${e%?}.${e#?}"
test -n "$e" && test "$e" -le 19
ok $? "swauth.service exposure at most 1.9 (was ${e%?}.${e#?})"
e=$(exposure "$units/swauth-enforce.service")
echo "# swauth-enforce.service exposure ${e%?}.${e#?}"
test -n "$e" && test "$e" -le 24
ok $? "swauth-enforce.service exposure at most 2.4 (was ${e%?}.${e#?})"
sed '/^\[Service\]/,/^\[Install\]/{/^\(Type\|RemainAfterExit\|ExecStart\)=/!{/^\[/!d}}' \
	"$units/swauth.service" >"$bad/bare.service"
e=$(exposure "$bad/bare.service")
test -n "$e" && test "$e" -gt 19
ok $? "the same unit without its sandboxing is above 1.9 (${e%?}.${e#?})"
e=$(exposure "$units/swupgraded.service")
echo "# swupgraded.service exposure ${e%?}.${e#?}"
test -n "$e" && test "$e" -le 21
ok $? "swupgraded.service exposure at most 2.1 (was ${e%?}.${e#?})"
e=$(exposure "$units/swpkid.service")
echo "# swpkid.service exposure ${e%?}.${e#?}"
test -n "$e" && test "$e" -le 17
ok $? "swpkid.service exposure at most 1.7 (was ${e%?}.${e#?})"

# All values of KEY in the [Unit]/[Service]/[Install] lines of a unit, one line.
prop() {
	sed -n "s/^$2=//p" "$units/$1" | tr '\n' ' '
}
has() {
	case " $(prop "$1" "$2") " in
	*" $3 "*) return 0 ;;
	esac
	echo "# $1: $2= is '$(prop "$1" "$2")', without $3"
	return 1
}
s=swauth.service
test "$(prop $s Type)" = "oneshot " && test "$(prop $s RemainAfterExit)" = "yes " &&
	test "$(prop $s DefaultDependencies)" = "no "
ok $? "swauth.service: Type=oneshot, RemainAfterExit=yes, DefaultDependencies=no"
prop $s ExecStart | grep -q '/swauth key sync $'
ok $? "swauth.service runs swauth key sync (which loads the module)"
has $s Before sysinit.target && has $s Before swauth-enforce.service &&
	has $s Before kexec-load.service && has $s Before kdump-tools.service
ok $? "swauth.service is before sysinit.target and everything that loads an image"
has $s After local-fs.target && has $s RequiresMountsFor /var/lib/swauth &&
	has $s WantedBy sysinit.target
ok $? "swauth.service: after local-fs.target and /var/lib/swauth mounted, wanted by sysinit.target"
test "$(prop $s CapabilityBoundingSet)" = "CAP_SYS_MODULE " &&
	test "$(prop $s ProtectSystem)" = "strict " && test "$(prop $s ConfigurationDirectory)" = "swauth " &&
	test "$(prop $s RestrictAddressFamilies)" = "AF_NETLINK " && test "$(prop $s NoNewPrivileges)" = "yes "
ok $? "swauth.service: only CAP_SYS_MODULE, ProtectSystem=strict, writes only /etc/swauth, netlink only"
test "$(prop $s StateDirectory)" = "swauth " && test "$(prop $s StateDirectoryMode)" = "0700 "
ok $? "swauth.service creates a missing /var/lib/swauth with mode 0700"
e=swauth-enforce.service
has $e Wants swauth.service && has $e After swauth.service && ! has $e Requires swauth.service 2>/dev/null >&2
ok $? "swauth-enforce.service wants swauth.service and runs after it, without requiring it"
has $e Before sysinit.target && has $e Before kexec-load.service && has $e Before kdump-tools.service &&
	has $e WantedBy sysinit.target && test "$(prop $e DefaultDependencies)" = "no "
ok $? "swauth-enforce.service is before sysinit.target and everything that loads an image"
test "$(prop $e CapabilityBoundingSet)" = "CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_MODULE " &&
	test "$(prop $e ProtectSystem)" = "strict " && ! grep -q '^ReadWritePaths=' "$units/$e"
ok $? "swauth-enforce.service: CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_MODULE only, writes nothing"
prop $e ExecStart | grep -q '/swauth enforce on $'
ok $? "swauth-enforce.service runs swauth enforce on"

u=swupgraded.service
sbin=$(dirname "$(prop swauth.service ExecStart | cut -d' ' -f1)")
test "$(prop $u Type)" = "simple " && test "$(prop $u ExecStart)" = "$sbin/swupgraded " &&
	test -x "$root$sbin/swauth" && test -x "$root$sbin/swcopy" && test -x "$root$sbin/swupgrade" &&
	test "$(prop $u Restart)" = "on-failure "
ok $? "swupgraded.service: Type=simple, runs $sbin/swupgraded, next to swauth, swcopy and swupgrade; Restart=on-failure"
has $u Wants swauth.service && has $u After swauth.service && ! has $u Requires swauth.service 2>/dev/null >&2 &&
	has $u WantedBy multi-user.target && ! grep -q '^DefaultDependencies=' "$units/$u"
ok $? "swupgraded.service wants swauth.service and runs after it; an ordinary service of multi-user.target"
test "$(prop $u CapabilityBoundingSet)" = "CAP_SYS_BOOT " && test "$(prop $u NoNewPrivileges)" = "yes " &&
	test "$(prop $u ProtectSystem)" = "strict " && test "$(prop $u ReadWritePaths)" = "-/boot/swauth -/var/crash -/var/lib/systemd/coredump " &&
	test "$(prop $u ConfigurationDirectory)" = "swauth " && test "$(prop $u StateDirectory)" = "swauth " &&
	test "$(prop $u StateDirectoryMode)" = "0700 " &&
	test "$(prop $u RuntimeDirectory)" = "swauth " && test "$(prop $u RuntimeDirectoryPreserve)" = "yes "
ok $? "swupgraded.service: CAP_SYS_BOOT only; writes /etc/swauth, /var/lib/swauth (0700), /boot/swauth, /run/swauth (kept), the crash and core dump directories"
test "$(prop $u DevicePolicy)" = "closed " && test "$(prop $u DeviceAllow)" = "/dev/swauth rw " &&
	test "$(prop $u RestrictAddressFamilies)" = "AF_UNIX AF_INET AF_INET6 AF_NETLINK " &&
	test "$(prop $u SystemCallFilter)" = "@system-service ~@privileged @resources kexec_file_load reboot "
ok $? "swupgraded.service: devices closed but /dev/swauth; unix, IP and netlink sockets; kexec_file_load and reboot the only privileged calls"
u=swpkid.service
test "$(prop $u Type)" = "simple " && test "$(prop $u ExecStart)" = "$sbin/swpkid " &&
	test -x "$root$sbin/swpki" && test "$(prop $u ExecReload)" = '/bin/kill -HUP $MAINPID ' &&
	has $u Wants network-online.target && has $u After network-online.target &&
	test "$(prop $u ConditionPathIsDirectory)" = "/var/lib/swauth/pki " &&
	has $u WantedBy multi-user.target
ok $? "swpkid.service: Type=simple, runs $sbin/swpkid next to swpki, reload is SIGHUP; after the network, only with a store"
test "$(prop $u CapabilityBoundingSet)" = "CAP_NET_RAW " && test "$(prop $u NoNewPrivileges)" = "yes " &&
	test "$(prop $u ProtectSystem)" = "strict " && test "$(prop $u StateDirectory)" = "swauth " &&
	test "$(prop $u StateDirectoryMode)" = "0700 " && ! grep -q '^ReadWritePaths=' "$units/$u" &&
	test "$(prop $u PrivateDevices)" = "yes " &&
	test "$(prop $u SystemCallFilter)" = "@system-service ~@privileged @resources "
ok $? "swpkid.service: CAP_NET_RAW only; writes only /var/lib/swauth (0700); no devices; no privileged calls"
test "$(mode "$root/boot/swauth")" = 755
ok $? "R/boot/swauth (boot-dir, swupgraded.service's ReadWritePaths=) is mode 0755"
exit $fail
