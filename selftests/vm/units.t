#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swauth's systemd units under a real systemd (Documentation/
# threat-model.rst, "Installed services and defaults"), one boot: the guest
# installs the tree as an operator would (make install-userspace
# DESTDIR=/, swauth.ko in /lib/modules/$(uname -r)/extra, depmod), then
# selftests/vm/units-guest.sh runs systemd 252 as PID 1 of a namespace of
# its own and checks that swauth.service loads the module with the
# modprobe.d options and creates /var/lib/swauth 0700 and /etc/swauth,
# inside a sandbox that applies (read-only /usr and /etc, CAP_SYS_MODULE
# alone, seccomp) and without a refused call; that swauth-enforce.service
# turns enforcement on; that swupgraded.service runs in a sandbox that
# lets it write only /etc/swauth, /var/lib/swauth, /boot/swauth and
# /run/swauth with CAP_SYS_BOOT alone, answers swupgrade show for anyone
# and changes for root only, checks a signed image through the module
# (getversion flash:, ready), schedules and aborts its reload; that all
# stop cleanly, enforcement staying on.
# Negative cases: copies of swauth.service without finit_module() or
# without CAP_SYS_MODULE fail and load nothing.

cd "$(dirname "$0")/../.." || exit 1
. selftests/vm/lib.sh
checks=39

echo "1..$((checks + 2))"
start=$(date +%s)
scripts/vm-run --timeout 900 -- sh -c '
make -s install-userspace DESTDIR=/ >/tmp/install.log 2>&1 &&
	install -D -m 0644 swauth.ko /lib/modules/$(uname -r)/extra/swauth.ko &&
	depmod -a
echo "install $?"
sh selftests/vm/units-guest.sh keyrings/dev/production-A.crt
' >"$tmp/out" 2>&1
rc=$?
echo "# guest: exit status $rc after $(($(date +%s) - start)) s"
grep -qx "install 0" "$tmp/out"
ok $? "make install-userspace DESTDIR=/ and swauth.ko installed in the guest"
while IFS= read -r line; do
	case $line in
	"units: ok - "*) ok 0 "${line#units: ok - }" ;;
	"units: not ok - "*) ok 1 "${line#units: not ok - }" ;;
	"# "*) echo "$line" ;;
	esac
done <"$tmp/out"
test $rc -eq 0 && grep -qx "units: checks $checks" "$tmp/out"
ok $? "the guest ran all $checks checks and exited 0 without a kernel warning"
exit $fail
