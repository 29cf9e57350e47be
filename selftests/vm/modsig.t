#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Module signing (Documentation/threat-model.rst, "Module signing"), one
# UEFI boot with module.sig_enforce=1 and the machine's key (keyrings/mok/
# mok.pub, from `make module-signed`) enrolled in the firmware's db, which
# Debian's kernel loads into its .platform keyring and trusts for modules:
# the copy signed by `make module-signed` loads, untainted; swauth.ko
# unsigned, a copy signed with another key (not enrolled) and a signed copy
# with one byte changed are refused.

cd "$(dirname "$0")/../.." || exit 1
. selftests/vm/lib.sh
# The guest sees the repository but not the host's /tmp.
mkdir -p build/vm
work=$(mktemp -d "$PWD/build/vm/modsig.XXXXXX")
trap 'rm -rf "$tmp" "$work"' EXIT
# section NAME: the lines of the guest's "## NAME" section.
section() {
	sed -n "/^## $1\$/,/^## /p" "$tmp/out" | sed '1d;$d'
}
rc_of() {
	section "$1" | sed -n 's/^rc //p' | tail -n 1
}
# skid CERT.der: the subject key identifier as the kernel prints it in a
# key's description (lower-case hex, no colons).
skid() {
	openssl x509 -inform DER -in "$1" -noout -ext subjectKeyIdentifier |
		sed -n 's/^ *\([0-9A-F:]*\)$/\1/p' | tr -d ':' | tr 'A-F' 'a-f'
}

echo "1..12"
make -s module-signed >"$tmp/make.log" 2>&1
ok $? "make module-signed signs swauth.ko (build/signed/swauth.ko)" ||
	sed 's/^/# /' "$tmp/make.log"
make -s module-signed MOK_KEY="$work/other.key" MOK_CERT="$work/other.pub" \
	SIGNED_MODULE="$work/other.ko" >"$tmp/make.log" 2>&1 &&
	modinfo -F signer "$work/other.ko" | grep -q 'swauth module signing key'
ok $? "make module-signed MOK_KEY=... MOK_CERT=... SIGNED_MODULE=... signs with another key" ||
	sed 's/^/# /' "$tmp/make.log"
# One byte of the module changed after signing: the signature no longer fits.
cp build/signed/swauth.ko "$work/tampered.ko"
printf 'X' | dd of="$work/tampered.ko" bs=1 seek=4096 conv=notrunc 2>/dev/null
scripts/uefi-vars-db keyrings/mok/mok.pub /usr/share/OVMF/OVMF_VARS_4M.fd \
	"$work/vars.fd" >"$tmp/vars.log" 2>&1
ok $? "scripts/uefi-vars-db puts keyrings/mok/mok.pub in a copy of OVMF's db" ||
	sed 's/^/# /' "$tmp/vars.log"
mine=$(skid keyrings/mok/mok.pub)
other=$(skid "$work/other.pub")

start=$(date +%s)
scripts/vm-run --uefi-vars "$work/vars.fd" --append module.sig_enforce=1 -- sh -c '
s() { echo "## $1"; }
r() { echo "rc $?"; }
s enforce; cat /sys/module/module/parameters/sig_enforce
s platform; keyctl show %:.platform
s unsigned; insmod swauth.ko 2>&1; r
s other; insmod "$1/other.ko" 2>&1; r
s tampered; insmod "$1/tampered.ko" 2>&1; r
s signed; insmod build/signed/swauth.ko 2>&1; r
s taint; cat /sys/module/swauth/taint
s dmesg; dmesg | grep -E "rejected|swauth"
s end
' sh "$work" >"$tmp/out" 2>&1
rc=$?
echo "# boot took $(($(date +%s) - start)) s"
ok $rc "the guest ran (UEFI, module.sig_enforce=1, vm-run exit $rc)"

test "$(section enforce)" = Y
ok $? "module.sig_enforce=1: /sys/module/module/parameters/sig_enforce is Y"
section platform | grep -q "asymmetric: swauth module signing key (.*): $mine\$"
ok $? "the .platform keyring has the enrolled certificate (CN, key id $mine)"
! section platform | grep -q "$other"
ok $? "the other key is not in .platform"
test "$(rc_of unsigned)" != 0 && section unsigned | grep -q "Key was rejected by service" &&
	section dmesg | grep -q "Loading of unsigned module is rejected"
ok $? "the unsigned swauth.ko is refused (EKEYREJECTED, dmesg: unsigned module rejected)"
test "$(rc_of other)" != 0 && section other | grep -q "Key was rejected by service" &&
	section dmesg | grep -q "Loading of module with unavailable key is rejected"
ok $? "swauth.ko signed with a key not enrolled is refused (EKEYREJECTED, dmesg: unavailable key)"
test "$(rc_of tampered)" != 0 && section tampered | grep -q "Key was rejected by service"
ok $? "the signed copy with one byte changed is refused (EKEYREJECTED)"
test "$(rc_of signed)" = 0 && section dmesg | grep -q "swauth: version .* loaded"
ok $? "the copy signed by make module-signed loads"
taint=$(section taint)
echo "$taint" | grep -qx '[A-Z]*' && ! echo "$taint" | grep -q E
ok $? "and does not taint the kernel as unsigned (taint '$taint' has no E)"
exit $fail
