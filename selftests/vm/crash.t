#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Crash consistency of key storage. For each step of a store update
# (truncate, half written, synced; Primary, then Backup), one boot sets up
# keys on a persistent disk, arms the module's test hook to cut the power
# at that step of a special-key revocation, and dies there; the next boot
# loads the module from that disk. Afterwards key storage must be valid,
# the keys intact, and the raised floor kept whenever Primary had been
# synced (from step 3 on), as `Writing the key...Success` was due. The
# hook exists only in the test build of the module, build/ktest/swauth.ko.

cd "$(dirname "$0")/../.." || exit 1
img=build/tests/images
keyop=build/tests/kernel/keyop
ko=build/ktest/swauth.ko
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

echo "1..12"
n=0
for step in 1 2 3 4 5 6; do
	disk=$tmp/disk$step
	n=$((n + 1))
	scripts/vm-run --timeout 300 --disk "$disk" -- sh -c "
		insmod $ko store_dir=/var/lib/swauth &&
		$keyop store-init &&
		$keyop provision $img/certs/production-A.der &&
		$keyop provision $img/certs/special-A.der &&
		$keyop add special $img/prod-A-special-B.SPA >/dev/null &&
		sync &&
		echo $step >/sys/kernel/debug/swauth/storage_crash_at &&
		$keyop revoke special $img/prod-A-special-B.SPA
		echo 'the power was not cut'
		exit 1" >"$tmp/out" 2>&1
	rc=$?
	# 125: the guest never reported a status; it went down at the hook.
	if [ $rc -eq 125 ] && grep -q "cuts the power at step $step" build/vm/console.log; then
		echo "ok $n - power cut at step $step of the update"
	else
		echo "not ok $n - power cut at step $step of the update (exit $rc)"
		sed 's/^/# /' "$tmp/out"
		fail=1
	fi

	n=$((n + 1))
	out=$(scripts/vm-run --timeout 300 --disk "$disk" -- sh -c "
		insmod $ko store_dir=/var/lib/swauth && $keyop status" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	floor=$(echo "$out" | sed -n 's/.*floor_special=\(.\).*/\1/p')
	want="production=1 special=.*"
	ok=1
	[ $rc -eq 0 ] || ok=0
	# Both copies valid again after the load (ok=1, repaired=2).
	echo "$out" | grep -Eq "primary=[12] backup=[12]" || ok=0
	echo "$out" | grep -Eq "$want" || ok=0
	case $floor in
	B) echo "$out" | grep -q "special=1" || ok=0 ;;	# A revoked
	-) [ $step -le 2 ] || ok=0				# lost after sync
	   echo "$out" | grep -q "special=2" || ok=0 ;;
	*) ok=0 ;;
	esac
	if [ $ok -eq 1 ]; then
		echo "ok $n - after the cut at step $step: storage valid, floor ${floor}"
	else
		echo "not ok $n - after the cut at step $step: storage valid, floor ${floor}"
		fail=1
	fi
done
exit $fail
