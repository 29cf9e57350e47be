#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# scripts/uefi-vars-db on Debian's OVMF variable stores: it adds one db
# entry in the firmware's own format after the last variable and changes
# nothing else; it refuses, writing nothing, what it does not recognise
# (another volume, a bad checksum, another store format, a db already
# there, an entry in an unknown state, data in the free space, no room, a
# PEM certificate). selftests/vm/modsig.t shows the kernel reading the db.

cd "$(dirname "$0")/../.." || exit 1
. selftests/host/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vars=/usr/share/OVMF/OVMF_VARS_4M.fd
ms=/usr/share/OVMF/OVMF_VARS_4M.ms.fd
code=/usr/share/OVMF/OVMF_CODE_4M.fd
db=scripts/uefi-vars-db

echo "1..20"
if [ ! -r "$vars" ] || [ ! -r "$ms" ]; then
	i=0
	while [ $i -lt 20 ]; do i=$((i + 1)); echo "ok $i # SKIP no $vars (apt-get install ovmf)"; done
	exit 0
fi
openssl req -new -x509 -nodes -subj "/CN=uefi-vars-db test" -days 1 \
	-newkey rsa:2048 -keyout "$tmp/key" -outform DER -out "$tmp/cert.der" 2>/dev/null
openssl x509 -inform DER -in "$tmp/cert.der" -out "$tmp/cert.pem"
len=$(stat -c %s "$tmp/cert.der")

# hex FILE OFFSET COUNT: COUNT bytes at OFFSET as lower-case hex.
hex() {
	od -An -v -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'
}
# le32 N: N as 4 little-endian bytes in hex.
le32() {
	printf '%08x' "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'
}
# poke FILE OFFSET HEX: overwrite bytes at OFFSET with HEX (printf in sh
# has octal escapes only).
poke() {
	for b in $(echo "$3" | sed 's/../& /g'); do
		printf "\\$(printf %03o "0x$b")"
	done | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# refused NAME VARS MESSAGE: the tool fails on VARS with MESSAGE and writes
# no output.
refused() {
	rm -f "$tmp/out.fd"
	! $db "${4:-$tmp/cert.der}" "$2" "$tmp/out.fd" >"$tmp/log" 2>&1 &&
		grep -q "^uefi-vars-db: .*$3" "$tmp/log" && test ! -e "$tmp/out.fd"
	ok $? "$1" || sed 's/^/# /' "$tmp/log"
}

cp "$vars" "$tmp/in.fd"
$db "$tmp/cert.der" "$tmp/in.fd" "$tmp/db.fd" >"$tmp/log" 2>&1
ok $? "adds db to OVMF_VARS_4M.fd" || sed 's/^/# /' "$tmp/log"
cmp -s "$vars" "$tmp/in.fd"
ok $? "the input is unchanged"
# The store has no variable: the entry is the first, at 0x64 (volume
# header 0x48, store header 28 bytes). Header: StartId 55aa, VAR_ADDED,
# reserved, attributes 0x27, monotonic count 0; then after the time stamp,
# PubKeyIndex 0, NameSize 6, DataSize 44 + the certificate, and the GUID of
# the image security database.
test "$(hex "$tmp/db.fd" 100 16)" = "aa553f00270000000000000000000000" &&
	test "$(hex "$tmp/db.fd" 132 28)" = "0000000006000000$(le32 $((44 + len)))cbb219d73a3d9645a3bcdad00e67656f"
ok $? "the entry header: VAR_ADDED, NV|BS|RT|time-based authenticated, sizes, db's vendor GUID"
test "$(hex "$tmp/db.fd" 160 6)" = 640062000000
ok $? "the name is db in UTF-16 with its NUL"
test "$(hex "$tmp/db.fd" 166 28)" = \
	"a159c0a5e494a74a87b5ab155c2bf072$(le32 $((44 + len)))00000000$(le32 $((16 + len)))"
ok $? "the data is one EFI_SIGNATURE_LIST of type EFI_CERT_X509_GUID"
dd if="$tmp/db.fd" of="$tmp/back.der" bs=1 skip=$((166 + 44)) count="$len" 2>/dev/null
cmp -s "$tmp/back.der" "$tmp/cert.der"
ok $? "holding the certificate, byte for byte"
end=$(((166 + 44 + len + 3) / 4 * 4))
cmp -s -n 100 "$vars" "$tmp/db.fd" &&
	cmp -s -i "$end:$end" "$vars" "$tmp/db.fd"
ok $? "nothing else changed (volume and store headers, the free space after)"

refused "refuses a store that has a db (its own output)" "$tmp/db.fd" "has a db already"
refused "refuses OVMF_VARS_4M.ms.fd, which has Microsoft's db" "$ms" "has a db already"
refused "refuses OVMF_CODE_4M.fd: not a variable store" "$code" "not a variable store"
refused "refuses a PEM certificate" "$vars" "not a DER certificate" "$tmp/cert.pem"

cp "$vars" "$tmp/bad.fd"
poke "$tmp/bad.fd" 44 00
refused "refuses a volume header with a bad checksum" "$tmp/bad.fd" "checksum mismatch"
cp "$vars" "$tmp/bad.fd"
poke "$tmp/bad.fd" 72 79
refused "refuses a store of another format (not the authenticated variable GUID)" \
	"$tmp/bad.fd" "not the authenticated variable format"
cp "$vars" "$tmp/bad.fd"
poke "$tmp/bad.fd" 88 80000000
refused "refuses when there is no room" "$tmp/bad.fd" "no room"
cp "$tmp/db.fd" "$tmp/bad.fd"
poke "$tmp/bad.fd" 102 7f
refused "refuses an entry in an unknown state (interrupted write)" "$tmp/bad.fd" "unknown state"
cp "$vars" "$tmp/bad.fd"
poke "$tmp/bad.fd" 4096 00
refused "refuses data in the free space" "$tmp/bad.fd" "unrecognised data after the last variable"

# A deleted db (state VAR_ADDED & VAR_DELETED) is no db: the new one goes
# after it.
cp "$tmp/db.fd" "$tmp/deleted.fd"
poke "$tmp/deleted.fd" 102 3d
$db "$tmp/cert.der" "$tmp/deleted.fd" "$tmp/db2.fd" >"$tmp/log" 2>&1 &&
	grep -q "at $(printf '%#x' "$end")\$" "$tmp/log" &&
	test "$(hex "$tmp/db2.fd" "$end" 4)" = aa553f00
ok $? "a deleted db does not count: the new entry follows it" || sed 's/^/# /' "$tmp/log"
# An output that cannot be written: a message and exit 1, not a Python
# traceback, and no temporary file left.
! $db "$tmp/cert.der" "$vars" "$tmp/nodir/out.fd" >"$tmp/log" 2>&1 &&
	grep -q "^uefi-vars-db: $tmp/nodir/out.fd: No such file or directory\$" "$tmp/log" &&
	! grep -q Traceback "$tmp/log"
ok $? "an output in a missing directory: a message, exit 1" || sed 's/^/# /' "$tmp/log"
mkdir "$tmp/outdir"
! $db "$tmp/cert.der" "$vars" "$tmp/outdir" >"$tmp/log" 2>&1 &&
	grep -q "^uefi-vars-db: $tmp/outdir: Is a directory\$" "$tmp/log" &&
	! grep -q Traceback "$tmp/log" && test -z "$(ls -A "$tmp" | grep uefi-vars-db)"
ok $? "an output that is a directory: a message, exit 1, no temporary left" ||
	sed 's/^/# /' "$tmp/log"
! $db "$tmp/cert.der" "$tmp/in.fd" >"$tmp/log" 2>&1
test $? -eq 0 && grep -q '^usage: ' "$tmp/log"
ok $? "usage error without VARS_OUT"

exit $fail
