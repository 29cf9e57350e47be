#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The guest half of units.t (and of install.t): swauth's systemd units run
# by a real systemd. Runs as root in the VM, whose PID 1 is not systemd:
# starts the installed systemd as PID 1 of a new PID and mount namespace
# (a container, as systemd-nspawn would give it: environment container=),
# with a target of its own that starts nothing but the journal, then starts
# and stops the units with systemctl. Needs swauth installed at the
# standard paths, however it got there (make install-userspace, the .debs),
# swauth.ko where modprobe finds it, and the module not loaded. The guest
# must not run a systemd of its own on /run. It leaves the module loaded
# with key storage created, CERT provisioned and enforcement on.
#
# Prints one line per check, "units: ok - TEXT" or "units: not ok - TEXT"
# (the caller numbers them), details as "# " lines, and last
# "units: checks N". Exit status 0 when every check passed.
#
# Usage: units-guest.sh CERT, a certificate swauth key provision takes
# (e.g. keyrings/dev/production-A.crt), so that the trust store that
# swauth.service writes holds a key.

set -u
cert=${1:?usage: units-guest.sh CERT}

unitdir=/lib/systemd/system
out=/run/units-guest
n=0
fails=0

check() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "units: ok - $2"
	else
		echo "units: not ok - $2"
		fails=$((fails + 1))
	fi
}

# show UNIT: ActiveState/SubState/Result of UNIT, one line.
show() {
	systemctl show -p ActiveState -p SubState -p Result "$1" | sort | tr '\n' ' '
}

# state UNIT EXPECTED TEXT: show UNIT is EXPECTED, or its status is printed.
state() {
	s=$(show "$1")
	echo "# $1: $s"
	test "$s" = "$2"
	r=$?
	[ $r -eq 0 ] || systemctl status --no-pager -l "$1" 2>&1 | sed 's/^/# /'
	check $r "$3"
}

# The journal of UNIT has no sign of a sandbox that refused something.
clean_journal() {
	journalctl --no-pager -o cat -u "$1" >"$out/journal.$1" 2>&1
	sed 's/^/# journal: /' "$out/journal.$1"
	! grep -qiE "SIGSYS|status=31|Operation not permitted|EPERM|Permission denied|Bad system call" \
		"$out/journal.$1"
}

loaded() {
	grep -q "^swauth " /proc/modules
}

mkdir -p "$out"
if loaded; then
	echo "units: not ok - swauth.ko is not loaded before the test"
	echo "units: checks 1"
	exit 1
fi

# systemd wants the unified cgroup hierarchy; the guest has none mounted.
grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts || mount -t cgroup2 cgroup2 /sys/fs/cgroup

# The test's own target: the journal, nothing else; the units under test
# are started by hand so that the negative copies run before the module
# is loaded.
mkdir -p /run/systemd/system
cat >/run/systemd/system/swauth-units-test.target <<EOF
[Unit]
Description=swauth units test
Wants=systemd-journald.socket systemd-journald.service
After=systemd-journald.socket systemd-journald.service
EOF

# Copies of swauth.service that must fail: the module cannot be loaded.
sed "s/^SystemCallFilter=finit_module init_module$/SystemCallFilter=~finit_module init_module/" \
	$unitdir/swauth.service >/run/systemd/system/swauth-nosyscall.service
sed "s/^CapabilityBoundingSet=.*/CapabilityBoundingSet=/" \
	$unitdir/swauth.service >/run/systemd/system/swauth-nocap.service
# A copy that probes its own sandbox after swauth key sync; the probe
# writes its findings through systemd (StandardOutput), outside the sandbox.
# probe.sh DIR...: which DIRs it may write, /dev/mem, its capabilities.
cat >"$out/probe.sh" <<EOF
for d in "\$@"; do
	if touch \$d/.swauth-probe 2>/dev/null; then
		echo "write \$d yes"
		rm -f \$d/.swauth-probe
	else
		echo "write \$d no"
	fi
done
test -e /dev/mem && echo "dev-mem yes" || echo "dev-mem no"
grep -E "^(CapBnd|CapEff|NoNewPrivs|Seccomp):" /proc/self/status | tr -d "\t"
EOF
sed "/^ExecStart=/a ExecStartPost=/bin/sh $out/probe.sh /usr /etc /var/lib /root /etc/swauth\n\
StandardOutput=file:$out/probe" \
	$unitdir/swauth.service >/run/systemd/system/swauth-probe.service

unshare --pid --fork --mount --mount-proc env -i container=swauth-test \
	/lib/systemd/systemd --system --unit=swauth-units-test.target \
	--log-target=journal --show-status=no </dev/null >"$out/systemd.log" 2>&1 &
ns=$!
# systemctl and journalctl run in systemd's namespaces, where its /proc
# and its /etc/machine-id are.
pid=
i=0
until [ -n "$pid" ] || [ $i -ge 50 ]; do
	sleep 0.2
	pid=$(cut -d " " -f 1 /proc/$ns/task/$ns/children 2>/dev/null)
	i=$((i + 1))
done
systemctl() {
	nsenter -t "$pid" -m -p systemctl "$@"
}
journalctl() {
	nsenter -t "$pid" -m -p journalctl "$@"
}
i=0
until systemctl is-active -q swauth-units-test.target 2>/dev/null || [ $i -ge 120 ]; do
	sleep 1
	i=$((i + 1))
done
echo "# systemd up after ${i}s: $(systemctl --version | head -n 1)"
systemctl is-active -q swauth-units-test.target
r=$?
[ $r -eq 0 ] || { sed "s/^/# systemd: /" "$out/systemd.log"; journalctl --no-pager -b | tail -n 40 | sed "s/^/# /"; }
check $r "systemd runs as PID 1 of its own namespace and reaches the test target"
echo "# virtualization: $(systemd-detect-virt --container 2>&1)"
systemctl is-active -q systemd-journald.service
check $? "systemd-journald runs"

# Anyone who asks netlink for the swauth family gets the module loaded by
# the kernel (MODULE_ALIAS_GENL_FAMILY, through modprobe).
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all swauth status >/dev/null 2>&1
loaded && grep -q "^swauth " /proc/modules && rmmod swauth && ! loaded
check $? "an unprivileged swauth status has the kernel load swauth.ko (then unloaded)"

# Negative copies first, while the module is not loaded. The kernel loads
# swauth.ko by itself when a process asks netlink for the swauth family
# (MODULE_ALIAS_GENL_FAMILY), through modprobe, outside any sandbox: that
# autoload is blacklisted until the real unit ran, so that what loads the
# module here is the unit, through libkmod (by name: no blacklist applies).
mkdir -p /run/modprobe.d
echo "blacklist swauth" >/run/modprobe.d/swauth-units-test.conf
modprobe -q net-pf-16-proto-16-family-swauth
! loaded
check $? "with the blacklist, the netlink family alias loads nothing"
systemctl start swauth-nosyscall.service >/dev/null 2>&1
r=$?
echo "# swauth-nosyscall.service: $(show swauth-nosyscall.service)"
test $r -ne 0 && ! loaded && show swauth-nosyscall.service | grep -q "Result=exit-code" &&
	grep -qx "SystemCallFilter=~finit_module init_module" /run/systemd/system/swauth-nosyscall.service
check $? "a copy of swauth.service with finit_module and init_module filtered out fails, module not loaded"
systemctl start swauth-nocap.service >/dev/null 2>&1
r=$?
echo "# swauth-nocap.service: $(show swauth-nocap.service)"
test $r -ne 0 && ! loaded && show swauth-nocap.service | grep -q "Result=exit-code" &&
	grep -qx "CapabilityBoundingSet=" /run/systemd/system/swauth-nocap.service
check $? "a copy of swauth.service with an empty CapabilityBoundingSet= fails, module not loaded"

# The real unit; an empty /var/lib/swauth (the copies created it) goes,
# so that the unit must create it.
rmdir /var/lib/swauth 2>/dev/null
systemctl start swauth.service
check $? "systemctl start swauth.service succeeds"
state swauth.service "ActiveState=active Result=success SubState=exited " \
	"swauth.service is active (exited), result success"
loaded
check $? "swauth.service loaded swauth.ko itself (the kernel's autoload blacklisted)"
rm /run/modprobe.d/swauth-units-test.conf
p=$(cat /sys/module/swauth/parameters/store_dir 2>&1)
echo "# store_dir=$p"
test "$p" = /var/lib/swauth
check $? "the module got store_dir=/var/lib/swauth from modprobe.d"
m=$(stat -c "%a %U" /var/lib/swauth 2>&1)
echo "# /var/lib/swauth: $m"
test "$m" = "700 root"
check $? "swauth.service created a missing /var/lib/swauth, mode 0700, owned by root"
m=$(stat -c "%a %U" /etc/swauth 2>&1)
echo "# /etc/swauth: $m"
test "$m" = "755 root"
check $? "/etc/swauth exists, mode 0755"

# With key storage, swauth key sync writes the trust store: the one place
# the unit writes, through its sandbox.
swauth key store init --yes 2>&1 | sed "s/^/# /"
swauth key provision "$cert" 2>&1 | sed "s/^/# /"
rm -rf /etc/swauth/keys
systemctl restart swauth.service
check $? "systemctl restart swauth.service succeeds once key storage exists"
ls -la /etc/swauth/keys 2>&1 | sed "s/^/# /"
test -n "$(find /etc/swauth/keys -name "*.der")" &&
	journalctl --no-pager -o cat -u swauth.service |
	grep -q "^/etc/swauth/keys holds the module.s keys and floors"
check $? "swauth key sync in swauth.service wrote the trust store /etc/swauth/keys"
clean_journal swauth.service
check $? "the journal of swauth.service shows no refused system call or permission"
c=$(systemctl show -p CapabilityBoundingSet --value swauth.service)
echo "# CapabilityBoundingSet=$c"
test "$c" = cap_sys_module
check $? "swauth.service runs with CAP_SYS_MODULE alone"

# The sandbox applies: a copy that probes it from inside.
systemctl start swauth-probe.service
r=$?
sed 's/^/# probe: /' "$out/probe"
test $r -eq 0 && grep -qx "write /usr no" "$out/probe" &&
	grep -qx "write /etc no" "$out/probe" && grep -qx "write /var/lib no" "$out/probe" &&
	grep -qx "write /root no" "$out/probe" && grep -qx "write /etc/swauth yes" "$out/probe"
check $? "inside swauth.service, /usr, /etc, /var/lib and /root are read-only, /etc/swauth writable"
grep -qx "dev-mem no" "$out/probe" && grep -qx "CapBnd:0000000000010000" "$out/probe" &&
	grep -qx "CapEff:0000000000010000" "$out/probe" && grep -qx "NoNewPrivs:1" "$out/probe" &&
	grep -qx "Seccomp:2" "$out/probe"
check $? "inside swauth.service: no /dev/mem, only CAP_SYS_MODULE, no new privileges, a seccomp filter"
systemctl stop swauth-probe.service

# Enforcement, started by hand.
swauth enforce status | sed 's/^/# before: /'
systemctl start swauth-enforce.service
check $? "systemctl start swauth-enforce.service succeeds"
state swauth-enforce.service "ActiveState=active Result=success SubState=exited " \
	"swauth-enforce.service is active (exited), result success"
swauth enforce status >"$out/enforce" 2>&1
sed 's/^/# /' "$out/enforce"
grep -qx "kexec enforcement: on" "$out/enforce"
check $? "swauth enforce status reports enforcement on"
clean_journal swauth-enforce.service &&
	grep -qx "kexec enforcement is on" "$out/journal.swauth-enforce.service"
check $? "the journal of swauth-enforce.service shows enforcement on, no refused call"

# swupgraded.service: the Auto-Upgrade Manager's daemon, in its sandbox,
# checks a signed image through /dev/swauth, schedules and aborts its
# reload; anyone may ask show, only root changes; a probe from inside.
le64() {
	for b in 0 1 2 3 4 5 6 7; do
		printf "\\$(printf %o $((($1 >> (8 * b)) & 255)))"
	done
}
k=/boot/vmlinuz-$(uname -r)
rd=$(ls build/vm/initramfs-*.cpio.gz | head -n 1)
mkdir -p /var/lib/swauth/flash
{ le64 $(stat -c %s $k); cat $k; le64 $(stat -c %s $rd); cat $rd; } >"$out/payload"
swauth sign --key "${cert%.crt}.key" --cert "$cert" --type production --key-version A \
	--name up "$out/payload" -o /var/lib/swauth/flash/up.SPA 2>&1 | sed "s/^/# sign: /"
dirs="/usr /etc /var/lib /root /etc/swauth /var/lib/swauth /boot/swauth /run/swauth"
sed "/^ExecStart=/a ExecStartPost=/bin/sh $out/probe.sh $dirs\nStandardOutput=file:$out/upprobe" \
	$unitdir/swupgraded.service >/run/systemd/system/swupgraded-probe.service
systemctl start swupgraded-probe.service
r=$?
sed 's/^/# upprobe: /' "$out/upprobe"
systemctl stop swupgraded-probe.service
test $r -eq 0 && grep -qx "write /usr no" "$out/upprobe" && grep -qx "write /etc no" "$out/upprobe" &&
	grep -qx "write /var/lib no" "$out/upprobe" && grep -qx "write /root no" "$out/upprobe" &&
	grep -qx "write /etc/swauth yes" "$out/upprobe" &&
	grep -qx "write /var/lib/swauth yes" "$out/upprobe" &&
	grep -qx "write /boot/swauth yes" "$out/upprobe" && grep -qx "write /run/swauth yes" "$out/upprobe" &&
	grep -qx "CapBnd:0000000000400000" "$out/upprobe" && grep -qx "NoNewPrivs:1" "$out/upprobe" &&
	grep -qx "Seccomp:2" "$out/upprobe"
check $? "inside swupgraded.service only /etc/swauth, /var/lib/swauth, /boot/swauth, /run/swauth are writable; CAP_SYS_BOOT alone, seccomp"
systemctl start swupgraded.service
check $? "systemctl start swupgraded.service succeeds"
sleep 1
state swupgraded.service "ActiveState=active Result=success SubState=running " \
	"swupgraded.service is active (running)"
m=$(stat -c "%a %F" /run/swauth/swupgrade.sock 2>&1)
echo "# /run/swauth/swupgrade.sock: $m"
test "$m" = "666 socket" &&
	test "$(systemctl show -p CapabilityBoundingSet --value swupgraded.service)" = cap_sys_boot
check $? "swupgraded.service listens on /run/swauth/swupgrade.sock (0666), with CAP_SYS_BOOT alone"
nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}
nobody swupgrade show >"$out/up-show" 2>&1
r=$?
nobody swupgrade abortversion >"$out/up-abort" 2>&1
r2=$?
sed 's/^/# nobody: /' "$out/up-show" "$out/up-abort"
test $r -eq 0 && grep -q "^Auto-Upgrade Manager configuration" "$out/up-show" &&
	test $r2 -eq 3 && grep -q "needs root" "$out/up-abort"
check $? "anyone may run swupgrade show; abortversion needs root"
swupgrade getversion flash:up.SPA >"$out/up-get" 2>&1
r=$?
sed 's/^/# getversion: /' "$out/up-get"
test $r -eq 0 && grep -q "verified by kernel" "$out/up-get" && grep -q "is ready" "$out/up-get"
check $? "swupgrade getversion flash:up.SPA: the module verified it through the sandbox, the job is ready"
swupgrade runversion in 60 >"$out/up-run" 2>&1 && grep -q "scheduled for" "$out/up-run" &&
	swupgrade abortversion >>"$out/up-run" 2>&1 && swupgrade show >>"$out/up-run" 2>&1 &&
	grep -qE "State: +aborted" "$out/up-run" && test -s /var/lib/swauth/upgrade
r=$?
sed 's/^/# run, abort: /' "$out/up-run"
check $r "runversion in 60 schedules the reload, abortversion cancels it; the job is recorded"
clean_journal swupgraded.service
check $? "the journal of swupgraded.service shows no refused system call or permission"
systemctl stop swupgraded.service
check $? "systemctl stop swupgraded.service succeeds"
state swupgraded.service "ActiveState=inactive Result=success SubState=dead " \
	"swupgraded.service is inactive (dead), result success"
test -d /run/swauth
check $? "/run/swauth outlives swupgraded.service (RuntimeDirectoryPreserve=)"

# Both stop cleanly; stopping does not turn enforcement off.
systemctl stop swauth-enforce.service
check $? "systemctl stop swauth-enforce.service succeeds"
state swauth-enforce.service "ActiveState=inactive Result=success SubState=dead " \
	"swauth-enforce.service is inactive (dead), result success"
swauth enforce status 2>&1 | grep -qx "kexec enforcement: on"
check $? "enforcement stays on after the unit stopped"
systemctl stop swauth.service
check $? "systemctl stop swauth.service succeeds"
state swauth.service "ActiveState=inactive Result=success SubState=dead " \
	"swauth.service is inactive (dead), result success"

# systemd itself shuts down (a container's poweroff: it exits).
journalctl --no-pager -b -o cat | grep -iE "swauth|SIGSYS|seccomp" | sed "s/^/# journal -b: /"
systemctl exit 0 >/dev/null 2>&1
i=0
while kill -0 $ns 2>/dev/null && [ $i -lt 60 ]; do
	sleep 1
	i=$((i + 1))
done
! kill -0 $ns 2>/dev/null
r=$?
[ $r -eq 0 ] || { kill -9 $ns; sed 's/^/# systemd: /' "$out/systemd.log"; }
check $r "systemd shuts down"
grep -E "swauth|SIGSYS|Failed" "$out/systemd.log" | sed 's/^/# systemd: /'

echo "units: checks $n"
test $fails -eq 0
