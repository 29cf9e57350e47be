#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The image format has two independent implementations that must agree byte
# for byte (RSA PKCS#1 v1.5 signatures are deterministic): `swauth sign`
# (C, userspace/lib/image/sign.c) and openssl + printf following
# Documentation/image-format.rst. This runs the document's worked example
# as written, and scripts/mkimage-openssl over a matrix of keys, hashes and
# options, and compares each image with the tool's.

set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
keys=$root/keyrings/dev
swauth=${SWAUTH_BIN:-$root/build/tests/host/bin/swauth}
[ -x "$swauth" ] || swauth=$root/build/bin/swauth

echo "1..9"
if ! command -v openssl >/dev/null || [ ! -x "$swauth" ] || [ ! -f "$keys/rollover.crt" ]; then
	for i in 1 2 3 4 5 6 7 8 9; do
		echo "ok $i # SKIP needs openssl, a built swauth and keyrings/dev (run make)"
	done
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

# 1-2: the worked example, extracted from the document and run as is.
mkdir "$tmp/doc" "$tmp/doc/keyrings"
ln -s "$keys" "$tmp/doc/keyrings/dev"
sed -n '/^\.\. BEGIN worked example/,/^\.\. END worked example/p' \
	Documentation/image-format.rst | sed -n 's/^    //p' >"$tmp/example.sh"
(cd "$tmp/doc" && sh -e "$tmp/example.sh") >"$tmp/doc.log" 2>&1
ok $? "the worked example of image-format.rst runs" || sed 's/^/# /' "$tmp/doc.log"
mkdir "$tmp/tool"
(cd "$tmp/doc" && "$swauth" sign --key "$keys/production-A.key" \
	--cert "$keys/production-A.crt" --type production --key-version A \
	--hash sha256 --name c3900-universalk9-mz --image-version '15.5(3)M' \
	--platform C3900 --build-time 1767225600 payload.bin -o "$tmp/tool") >/dev/null
cmp "$tmp/doc/c3900-universalk9-mz.SPA" "$tmp/tool/c3900-universalk9-mz.SPA" >&2
ok $? "the example's image is byte-identical to swauth sign's"

# 3-9: scripts/mkimage-openssl against swauth sign.
head -c 70001 /dev/urandom >"$tmp/payload"
: >"$tmp/empty"
# same TYPE TYPEBYTE KEY VERSION HASH PAYLOAD [NAME VERSION PLATFORM BUNDLE]
same() {
	t=$1 tb=$2 k=$3 v=$4 h=$5 p=$6
	shift 6
	rm -rf "$tmp/a" "$tmp/b" && mkdir "$tmp/a" "$tmp/b"
	set -- "${1:-img}" "${2:-}" "${3:-}" "${4:-}"
	scripts/mkimage-openssl "$keys/$k.key" "$keys/$k.crt" "$tb" "$v" "$h" \
		"$p" "$tmp/a/img" "$1" "$2" "$3" 1700000000 "$4" || return 1
	"$swauth" sign --key "$keys/$k.key" --cert "$keys/$k.crt" --type "$t" \
		--key-version "$v" --hash "$h" --name "$1" --image-version "$2" \
		--platform "$3" --build-time 1700000000 ${4:+--bundle-key "$4"} \
		"$p" -o "$tmp/b/img" >/dev/null || return 1
	cmp "$tmp/a/img" "$tmp/b/img" >&2
}
same production 1 production-A A sha512 "$tmp/payload"
ok $? "production, RSA 2048, SHA-512"
same special 2 special-B B sha384 "$tmp/payload" n1 1.0 x86
ok $? "special, RSA 2048, SHA-384, strings"
same production 1 production-C C sha256 "$tmp/payload"
ok $? "production, RSA 4096, SHA-256"
same bootloader 4 special-C C sha512 "$tmp/empty" rommon
ok $? "bootloader, special key, RSA 4096, empty payload"
same revocation 3 rollover A sha512 "$tmp/payload" keys "" "" "$keys/production-B.crt"
ok $? "revocation, rollover key, bundled certificate"
same bootloader 4 production-B B sha256 "$tmp/payload" "C3900_ROMMON_RM2.srec" \
	"$(printf '%031d' 7)" "$(printf '%031d' 9)" "$keys/special-A.crt"
ok $? "bootloader, production key, longest strings, bundled certificate"
# And the file name the tool picks in a directory.
"$swauth" sign --key "$keys/special-B.key" --cert "$keys/special-B.crt" \
	--type bootloader --key-version B --name C3900_ROMMON_RM2.srec \
	"$tmp/payload" -o "$tmp/b" >/dev/null &&
	test -f "$tmp/b/C3900_ROMMON_RM2.srec.SSB"
ok $? "-o DIR names a special-signed bootloader image NAME.SSB"

exit $fail
