#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Crash consistency of key storage. For each step of a store update
# (truncate, half written, synced; Primary, then Backup), a boot sets up
# keys in a store of its own on a persistent disk, arms the module's test
# hook to cut the power at that step of a special-key revocation, and
# dies there; the next boot loads the module from that store first.
# Afterwards key storage must be valid, the keys intact, and the raised
# floor kept whenever Primary had been synced (from step 3 on), as
# `Writing the key...Success` was due. The hook exists only in the test
# build of the module, build/ktest/swauth.ko.
#
# Seven boots for the six steps: boot N checks the store that the cut of
# step N-1 left (its first load after the cut), unloads the module, and
# sets up and cuts step N in a new store beside it.

cd "$(dirname "$0")/../.." || exit 1
img=build/tests/images
keyop=build/tests/kernel/keyop
ko=build/ktest/swauth.ko
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# This test's own console log (scripts/vm-run).
SWAUTH_VM_CONSOLE=$tmp/console.log
export SWAUTH_VM_CONSOLE
disk=$tmp/disk
fail=0

# check STEP: the guest's part that loads the store step STEP left; its
# output, stdout and stderr in order, on lines that start with "check: ".
check() {
	echo "{ insmod $ko store_dir=/var/lib/swauth/s$1 && $keyop status
		echo \"status exit \$?\"; } 2>&1 | sed \"s/^/check: /\""
}

# cut STEP: the guest's part that sets up the store of STEP and cuts the
# power in its update.
cut() {
	echo "mkdir /var/lib/swauth/s$1 &&
		insmod $ko store_dir=/var/lib/swauth/s$1 &&
		$keyop store-init &&
		$keyop provision $img/certs/production-A.der &&
		$keyop provision $img/certs/special-A.der &&
		$keyop add special $img/prod-A-special-B.SPA >/dev/null &&
		sync &&
		echo $1 >/sys/kernel/debug/swauth/storage_crash_at &&
		$keyop revoke special $img/prod-A-special-B.SPA
		echo 'the power was not cut'
		exit 1"
}

echo "1..12"
n=0
for boot in 1 2 3 4 5 6 7; do
	step=$boot
	prev=$((boot - 1))
	script=
	[ $prev -eq 0 ] || script="$(check $prev)
rmmod swauth || exit 1
"
	[ $step -eq 7 ] || script="$script$(cut $step)"
	scripts/vm-run --timeout 300 --disk "$disk" -- sh -c "$script" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	cat "$tmp/err" >>"$tmp/out"

	if [ $prev -ne 0 ]; then
		n=$((n + 1))
		out=$(sed -n 's/^check: //p' "$tmp/out")
		echo "$out" | sed 's/^/# /'
		floor=$(echo "$out" | sed -n 's/.*floor_special=\(.\).*/\1/p')
		ok=1
		echo "$out" | grep -q '^status exit 0$' || ok=0
		# Both copies valid again after the load (ok=1, repaired=2).
		echo "$out" | grep -Eq "primary=[12] backup=[12]" || ok=0
		echo "$out" | grep -Eq "production=1 special=.*" || ok=0
		case $floor in
		B) echo "$out" | grep -q "special=1" || ok=0 ;;	# A revoked
		-) [ $prev -le 2 ] || ok=0				# lost after sync
		   echo "$out" | grep -q "special=2" || ok=0 ;;
		*) ok=0 ;;
		esac
		# vm-run shows kernel reports (WARNING, Oops, ...) on stderr,
		# also when the power was cut afterwards.
		! grep -q 'vm-run: kernel reported a problem' "$tmp/err" || ok=0
		if [ $step -eq 7 ] && [ $rc -ne 0 ]; then
			ok=0
		fi
		if [ $ok -eq 1 ]; then
			echo "ok $n - after the cut at step $prev: storage valid, floor ${floor}"
		else
			echo "not ok $n - after the cut at step $prev: storage valid, floor ${floor} (exit $rc)"
			fail=1
		fi
	fi

	[ $step -ne 7 ] || break
	n=$((n + 1))
	# 125: the guest never reported a status; it went down at the hook.
	if [ $rc -eq 125 ] && grep -q "cuts the power at step $step" "$SWAUTH_VM_CONSOLE" &&
		! grep -q 'vm-run: kernel reported a problem' "$tmp/err"; then
		echo "ok $n - power cut at step $step of the update"
	else
		echo "not ok $n - power cut at step $step of the update (exit $rc)"
		sed 's/^/# /' "$tmp/out"
		fail=1
	fi
done
exit $fail
