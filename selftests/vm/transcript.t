#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The seeds' special-key revocation transcript (seed 000, lines 2131-2260)
# replayed with swauth commands in the VM, on a persistent disk: add the
# special key B bundled in the running production image, verify the new
# special image, see revocation refused while the boot loader is still
# signed by key A, upgrade the boot loader to one signed by B, check the
# upgrade status, revoke special key A and see the DEV_IMAGE warning. The
# seeds' `copy tftp: usbflash0:` is a plain cp here (transfers are
# another issue's). A second boot from the same
# disk proves that the floor and the keys stayed. The printed lines must
# be the seeds' lines (without the flash erase marks "e.").

cd "$(dirname "$0")/../.." || exit 1
img=$PWD/build/tests/images
. selftests/vm/lib.sh
# same EXPECTED ACTUAL: equal files, or the difference as TAP comments.
same() { diff -u "$1" "$2" >"$tmp/diff" || { sed 's/^/# /' "$tmp/diff"; return 1; }; }

echo "1..16"

# stderr goes with stdout in the guest: the two reach the host through
# ports of their own, and a message must stay in its "## NAME" section.
scripts/vm-run --disk "$tmp/disk" -- sh -c "
	exec 2>&1
	insmod \$SWAUTH_MODULE store_dir=/var/lib/swauth || exit 1
	swauth key store init --yes >/dev/null || exit 1
	swauth key provision keyrings/dev/production-A.crt >/dev/null || exit 1
	swauth key provision keyrings/dev/special-A.crt >/dev/null || exit 1
	mkdir -p /tmp/rommon /tmp/usbflash0
	cp $img/bl-special-A.SSA /tmp/rommon/C3900_rom-monitor.srec
	printf 'boot-image %s\nbootloader-image %s\n' \
		$img/prod-A-special-B.SPA /tmp/rommon/C3900_rom-monitor.srec \
		>/tmp/swauth.conf
	export SWAUTH_CONFIG=/tmp/swauth.conf
	echo '## add'; swauth key add special; echo \"## rc \$?\"
	echo '## verify'; swauth verify $img/ok-special.SSB; echo \"## rc \$?\"
	echo '## early-revoke'; swauth key revoke special; echo \"## rc \$?\"
	cp $img/bl-special-B.SSB /tmp/usbflash0/C3900_rom-monitor.srec.SSB
	echo '## upgrade'
	swauth upgrade bootloader /tmp/usbflash0/C3900_rom-monitor.srec.SSB --yes
	echo \"## rc \$?\"
	echo '## upgrade-status'; swauth show upgrade-status --type special
	echo \"## rc \$?\"
	echo '## revoke'; swauth key revoke special; echo \"## rc \$?\"
	echo '## dmesg'; dmesg | grep -o '%DIGISIGN.*'
" >"$tmp/boot1" 2>&1
ok $? "first boot: the transcript ran"
section() { sed -n "/^## $1\$/,/^## rc/p" "$tmp/boot1" | sed '1d;$d'; }
# The exit status of a section's command.
rc_of() { sed -n "/^## $1\$/,/^## rc/p" "$tmp/boot1" | tail -n 1 | sed 's/^## rc //'; }

cat >"$tmp/want" <<'EOT'
Validating running image...
Validating new special key...
Adding the key to Primary
Checking for duplicate keys
Writing the key...Success
Adding the key to Backup
Checking for duplicate keys
Writing the key...Success
Done!
EOT
section add >"$tmp/got"
same "$tmp/want" "$tmp/got"
ok $? "key add special prints the seeds' lines"
test "$(rc_of add)" = 0
ok $? "key add special exits 0"

section early-revoke | sed 's/^/# /'
test "$(rc_of early-revoke)" != 0 && section early-revoke | grep -q 'below the new floor'
ok $? "key revoke special is refused while the boot loader is signed by key A"

section upgrade >"$tmp/got"
sed 's/^/# /' "$tmp/got"
head -n 4 "$tmp/got" >"$tmp/head"
cat >"$tmp/want" <<'EOT'
Platform Field Upgradeable ROMMON LOAD test
___________________________________________
RSA Signature Verification Passed ...
ROM: Digitally Signed Development Software
EOT
same "$tmp/want" "$tmp/head"
ok $? "upgrade bootloader prints the seeds' LOAD test lines"
test "$(rc_of upgrade)" = 0 && grep -q 'ROMMON image upgrade in progress.' "$tmp/got"
ok $? "the boot loader signed by special key B is installed"

section upgrade-status >"$tmp/got"
sed 's/^/# /' "$tmp/got"
test "$(grep -c ': OK' "$tmp/got")" -eq 5 && test "$(rc_of upgrade-status)" = 0
ok $? "upgrade-status passes all five checks once key B is in"

section verify | grep -q "^Digital signature successfully verified in file $img/ok-special.SSB\$"
ok $? "the new special image verifies"

cat >"$tmp/want" <<'EOT'
Finding the new special key in the key storage
Validating running image...
Revoking keys with version less than B
Validating upgradable rommon...
Scanning the keys in Primary
Revoking the key with version A...Success
Scanning the keys in Backup
Revoking the key with version A...Success
Done!
EOT
section revoke >"$tmp/got"
sed 1d "$tmp/got" >"$tmp/seeds"
same "$tmp/want" "$tmp/seeds"
ok $? "key revoke special prints the seeds' lines"
# This VM was not started by swauth: the module does not know what runs,
# and boot-image is named by the caller, which the first line says.
case "$(head -n 1 "$tmp/got")" in
"Running image: $img/prod-A-special-B.SPA (named by the caller: the module does not know what runs: "?*")")
	true;;
*)	false;;
esac
ok $? "key revoke special says first that the caller named the running image"

grep -q '^%DIGISIGN-4-DEV_IMAGE: Upgradable rommon software signed using special key version B$' "$tmp/boot1"
ok $? "the kernel logs DIGISIGN-4-DEV_IMAGE"

scripts/vm-run --disk "$tmp/disk" -- sh -c "
	exec 2>&1
	insmod \$SWAUTH_MODULE store_dir=/var/lib/swauth || exit 1
	swauth status
	swauth show keys
	swauth key provision keyrings/dev/special-A.crt
	echo \"## rc \$?\"
" >"$tmp/boot2" 2>&1
sed 's/^/# /' "$tmp/boot2"
grep -q '^special floor: *B$' "$tmp/boot2" && grep -q '^special keys: *1$' "$tmp/boot2"
ok $? "after a reboot the special floor is B and only key B is left"
grep -q '^primary storage: *ok$' "$tmp/boot2" && grep -q '^backup storage: *ok$' "$tmp/boot2"
ok $? "after a reboot both copies are valid"
grep -q '^## rc 3$' "$tmp/boot2" && grep -qi 'revoked\|floor' "$tmp/boot2"
ok $? "the revoked key A is refused for good"
grep -q '^Key Type *: Development  (Primary)$' "$tmp/boot2" &&
	grep -q '^Key Type *: Development  (Backup)$' "$tmp/boot2"
ok $? "show keys lists the special key in Primary and Backup"
test "$(grep -A30 'Development  (Primary)' "$tmp/boot2" | grep -m1 '^Key Version')" = \
	"Key Version          : B"
ok $? "show keys: the special key left is version B"
exit $fail
