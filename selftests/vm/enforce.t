#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Enforcement of kexec in the VM, one boot, attacking it (Documentation/
# threat-model.rst, "Against root that would start another kernel"):
# while `swauth enforce on` holds, plain kexec -s -l and kexec -l are
# refused, and so is every forgery of a sealed copy that kexecforge can
# make (a memfd under every seal, an immutable tmpfs file, a sealed kernel
# with a forged initramfs); the sealed copies, also reopened through
# /proc/self/fd, are taken. Refusals are logged with who and what, at
# most a few lines a second, counted and sent to swauth monitor. Neither
# an unprivileged process nor one with only CAP_NET_ADMIN can turn it
# off; root cannot detach the programs, rewrite their .rodata or unload
# the module, and even rmmod -f leaves kexec refused. Turning it off
# needs a terminal or --yes, is logged, and shows in status and show
# running; then plain kexec works again. Root writing the programs' .bss
# cannot hang the module; a thread that swaps descriptors while the
# module loads its programs cannot get a link of its own kept; sealed
# copies never reach swap, where root could change their bytes.

cd "$(dirname "$0")/../.." || exit 1
. selftests/vm/lib.sh
# section NAME: the lines of the guest's "## NAME" section.
section() {
	sed -n "/^## $1\$/,/^## /p" "$tmp/out" | sed '1d;$d'
}
rc_of() {
	section "$1" | sed -n 's/^rc //p' | tail -n 1
}

echo "1..28"
# stderr goes with stdout in the guest: the two reach the host through
# ports of their own, and a message must stay in its "## NAME" section.
scripts/vm-run -- sh -c '
exec 2>&1
img=build/tests/images
K=/boot/vmlinuz-$(uname -r)
I=/boot/initrd.img-$(uname -r)
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"
netadmin="setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=+net_admin --ambient-caps=+net_admin"
s() { echo "## $1"; }
r() { echo "rc $?"; }
insmod $SWAUTH_MODULE || exit 1
swauth key provision keyrings/dev/production-A.crt >/dev/null || exit 1
s initial; swauth enforce status; r
s nobody-on; $nobody swauth enforce on 2>&1; r
s netadmin-on; $netadmin swauth enforce on 2>&1; r
# The monitor listens once it has seen an event: toggle until it has.
s monitor-start; swauth monitor >/tmp/monitor 2>&1 & mon=$!
i=0; until grep -q "^kexec enforcement: off$" /tmp/monitor || [ $i -ge 40 ]; do
	swauth enforce on >/dev/null; swauth enforce off --yes >/dev/null; sleep 0.5; i=$((i + 1))
done; grep -q "^kexec enforcement: off$" /tmp/monitor; r
kexec -s -l $K --initrd=$I
s preloaded; echo "loaded $(cat /sys/kernel/kexec_loaded)"; r
s on; swauth enforce on; r
s unloaded; echo "loaded $(cat /sys/kernel/kexec_loaded)"; r
s again; swauth enforce on; r
s kexec-s; kexec -s -l $K --initrd=$I 2>&1; r
sleep 1.5
s kexec-l; kexec -l $K --initrd=$I >/dev/null 2>&1; r
sleep 1.5
mkdir -p /tmp/forge
s forge; build/tests/kernel/kexecforge $img/system-A.SPA /tmp/forge 2>&1; r
sleep 1.5
s burst; i=0; while [ $i -lt 50 ]; do kexec -s -l $K >/dev/null 2>&1; i=$((i + 1)); done; sleep 3; r
s status; swauth status; r
s json; swauth status --json; echo; r
s running; swauth show running 2>&1; r
s rmmod; rmmod swauth 2>&1; r
s detach; for id in $(bpftool link show | sed -n "s/^\([0-9]*\): tracing.*/\1/p"); do bpftool link detach id $id 2>&1 || echo "detach $id failed"; done; r
s links; bpftool link show; r
s rodata; id=$(bpftool map show | sed -n "s/^\([0-9]*\): array  name swauth_e.rodata.*/\1/p"); echo "map $id"; bpftool map update id $id key 0 0 0 0 value 0 0 0 0 0 0 0 0 2>&1; r
s still; kexec -s -l $K --initrd=$I 2>&1; r
s nobody-off; $nobody swauth enforce off --yes 2>&1; r
s netadmin-off; $netadmin swauth enforce off --yes 2>&1; r
s off-notty; swauth enforce off </dev/null 2>&1; r
s off; swauth enforce off --yes; r
s plain; kexec -s -l $K --initrd=$I 2>&1 && kexec -u; r
s status-off; swauth status; r
s running-off; swauth show running 2>&1 | sed -n "/^KEXEC ENFORCEMENT/,\$p"; r
sleep 1; kill $mon; wait $mon 2>/dev/null
s monitor; cat /tmp/monitor; r
s log; dmesg | grep DIGISIGN; r
s bss; swauth enforce on >/dev/null; id=$(bpftool map show | sed -n "s/^\([0-9]*\): array  name swauth_e.bss.*/\1/p" | tail -n 1)
size=$(bpftool map show id $id | sed -n "s/.*value \([0-9]*\)B.*/\1/p")
v="0xff 0xff 0xff 0xff 0xff 0xff 0xff 0xff"; i=8; while [ $i -lt $size ]; do v="$v 0"; i=$((i + 1)); done
bpftool map update id $id key 0 0 0 0 value $v && sleep 2 && timeout 20 swauth status >/dev/null &&
	timeout 20 swauth enforce off --yes; r
s enforceswap; build/tests/kernel/enforceswap $K 3 2>&1; r
s sealswap; modprobe loop && truncate -s 64M /tmp/swapimg && loop=$(losetup -f --show /tmp/swapimg) &&
	mkswap $loop >/dev/null && swapon $loop && { mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; true; } &&
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control && mkdir -p /sys/fs/cgroup/sealswap &&
	sh -c "echo \$\$ >/sys/fs/cgroup/sealswap/cgroup.procs && exec build/tests/kernel/sealswap $img/system-A.SPA /tmp/swapimg /sys/fs/cgroup/sealswap" 2>&1; r
swapoff $loop
s force; swauth enforce on >/dev/null && rmmod -f swauth 2>&1; r
s forced; test -d /sys/module/swauth && echo "still loaded"; kexec -s -l $K --initrd=$I 2>&1; r
s forced-log; dmesg | grep "DIGISIGN-2-ENFORCE_KEPT"; r
s end
' >"$tmp/out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/out"
test $rc -eq 0
ok $? "the guest run ends well, its kernel log clean"
test "$(rc_of initial)" = 0 && section initial | grep -q '^kexec enforcement: off$'
ok $? "enforcement is off after loading"
test "$(rc_of nobody-on)" != 0 && section nobody-on | grep -q 'permission denied (needs CAP_SYS_ADMIN)' &&
	test "$(rc_of netadmin-on)" != 0 && section netadmin-on | grep -q 'needs CAP_SYS_ADMIN'
ok $? "neither nobody nor a holder of only CAP_NET_ADMIN can turn it on"
test "$(rc_of on)" = 0 && section on | grep -q '^kexec enforcement is on$' &&
	section again | grep -q '^kexec enforcement is on already$'
ok $? "enforce on, and on again says so"
section preloaded | grep -q '^loaded 1$' && section unloaded | grep -q '^loaded 0$'
ok $? "enforce on unloads an image loaded before, which kexec -e would start"
test "$(rc_of kexec-s)" != 0 && section kexec-s | grep -q 'Operation not permitted'
ok $? "kexec -s -l of Debian's kernel is refused with EPERM"
test "$(rc_of kexec-l)" != 0
ok $? "kexec -l (kexec_load) is refused"
section forge | grep -q '^sealed: loaded$' && section forge | grep -q '^reopened: loaded$'
ok $? "the sealed copies load, also reopened through /proc/self/fd"
section forge | grep -q '^memfd: refused (EPERM)$' &&
	section forge | grep -q '^sealed kernel, memfd initramfs: refused (EPERM)$'
ok $? "a memfd copy under every seal is refused, also as the initramfs alone"
section forge | grep -q '^immutable tmpfs: refused (EPERM)$'
ok $? "an immutable tmpfs copy is refused"
section forge | grep -q '^kexec_load: refused (EPERM)$' && test "$(rc_of forge)" = 0
ok $? "kexec_load(2) is refused with EPERM"
section status | grep -q '^kexec enforcement: *on$' &&
	section status | grep -q '^kexec refused: *5[0-9]$' &&
	section json | grep -q '"enforce":"on","kexec_refused":5[0-9]'
ok $? "status and status --json say on and count every refusal"
section running | grep -q '^Enforcement *: on: only images sealed by swauth can be started$'
ok $? "show running says enforcement is on"
# 5 lines a minute and a count: 6 a minute; the run may span two minutes.
test "$(section log | grep -c 'KEXEC_REFUSED')" -le 12 &&
	section log | grep -q 'KEXEC_REFUSED: kexec_file_load kernel of vmlinuz-[^ ]* refused: not a copy sealed by swauth (pid [0-9]*, uid 0, kexec)' &&
	section log | grep -q 'KEXEC_REFUSED: kexec_load refused: only kexec_file_load of copies sealed by swauth (pid [0-9]*, uid 0, kexec)' &&
	section log | grep -q 'KEXEC_REFUSED: [0-9]* refusals not logged ([0-9]* in all)'
ok $? "refusals are logged with what and who, at most 12 lines for 56"
test "$(rc_of monitor-start)" = 0 && section monitor | grep -q '^kexec enforcement: on$' &&
	section monitor | grep -q '^kexec refused: kexec_file_load kernel of vmlinuz-[^ ]* by pid [0-9]* (kexec), uid 0; [0-9]* refused so far$' &&
	section monitor | grep -q '^kexec refused: kexec_file_load initramfs of memfd:swauth-kernel by pid [0-9]* (kexecforge), uid 0; [0-9]* refused so far$' &&
	section monitor | grep -q '^kexec refused: kexec_load by pid [0-9]* (kexecforge), uid 0; [0-9]* refused so far$' &&
	section monitor | grep -q '^kexec enforcement: off$'
ok $? "swauth monitor shows enforcement turned on and off, and each refusal"
test "$(rc_of rmmod)" != 0 && section rmmod | grep -q 'in use'
ok $? "the module cannot be unloaded while it enforces"
section detach | grep -q 'detach [0-9]* failed' && test "$(section links | grep -c 'prog_type lsm')" = 2 &&
	! section links | grep -q 'pids'
ok $? "root cannot detach the BPF links, and no process holds them"
section rodata | grep -q '^map [0-9][0-9]*$' && test "$(rc_of rodata)" != 0
ok $? "root cannot rewrite the programs' .rodata (the seal file system)"
test "$(rc_of still)" != 0
ok $? "after these attempts kexec is still refused"
test "$(rc_of nobody-off)" != 0 && test "$(rc_of netadmin-off)" != 0 &&
	section netadmin-off | grep -q 'needs CAP_SYS_ADMIN'
ok $? "neither nobody nor a holder of only CAP_NET_ADMIN can turn it off"
test "$(rc_of off-notty)" = 2 && section off-notty | grep -q 'add --yes'
ok $? "off without a terminal wants --yes"
test "$(rc_of off)" = 0 && test "$(rc_of plain)" = 0 &&
	section log | grep -q 'DIGISIGN-4-ENFORCE: kexec enforcement turned off by pid [0-9]*, uid 0 (swauth)'
ok $? "enforce off --yes is logged, and plain kexec -s -l works again"
section status-off | grep -q '^kexec enforcement: *off: any kernel can be started$' &&
	section running-off | grep -q '^Enforcement *: off: any kernel can be started$'
ok $? "status and show running say enforcement is off"
test "$(rc_of force)" = 0 && ! section forced | grep -q 'still loaded' && test "$(rc_of forced)" != 0
ok $? "rmmod -f removes the module but kexec stays refused"
section forced-log | grep -q 'swauth removed by force; kexec stays refused until reboot'
ok $? "the forced removal is logged"
test "$(rc_of bss)" = 0
ok $? "root writing the programs' .bss (a count of U64_MAX) cannot hang the module"
test "$(rc_of enforceswap)" = 0 && section enforceswap | grep -q '^try 3: on 0, '
ok $? "a thread swapping descriptors during enforce on cannot make the module keep its link"
section sealswap | grep -q '^canary: found, changed$' &&
	section sealswap | grep -q '^sealed: not found, unchanged$'
ok $? "sealed copies never go to swap, where root could change them"
exit $fail
