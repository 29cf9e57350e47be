#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swpki's key pairs (issue 16, point 1; FEATURES E1-E3), a sanitizer build
# run with --dir in a temporary store: generation (RSA, EC, usage keys) in
# the seeds' words, `show key mypubkey` in the seeds' layout with the public
# key openssl finds in the export, the modulus bounds, exportability, PEM
# export read by openssl and imported back, wrong passphrases, damaged key
# files named, encryption and locking through the kernel's keyring (a
# reboot simulated by removing the keyring's copy), zeroization, labels,
# a planted symbolic link, a store others may write, no terminal.

set -u
cd "$(dirname "$0")/../.." || exit 1
command -v keyctl >/dev/null || { echo "1..0 # SKIP keyctl (keyutils) is not installed"; exit 0; }
. selftests/host/swpki-lib.sh
# The FTP server's anonymous user reads and writes below $tmp/pub.
chmod 755 "$tmp"
pki=$tmp/store
st=$pki
SRV_NET_DIR=$repo/selftests/net
. "$SRV_NET_DIR/servers.sh"
srv_init "$tmp/srv"
# Servers stopped, and the keyring's copies of this store's unlocked keys
# (what a reboot empties) removed, at exit.
cleanup='srv_stop_all; kr_purge "$st"'
secret pf 'correct horse'
secret wrong 'wrong horse'
secret short 'seven77'
secret question 'what is it?'
# show key's Key Data as one lowercase hex string.
keydata() {
	sed -n '/^Key Data:$/,/^%/p' "$tmp/out" | grep '^ ' | tr -d ' \n' | tr 'A-F' 'a-f'
}
pubder() {
	openssl pkey -pubin -in "$1" -outform DER 2>/dev/null | od -An -v -tx1 | tr -d ' \n'
}

echo "1..51"

# Generation (E1.1, E1.2).
run key generate rsa --label r1 --modulus 2048
printf 'The name for the keys will be: r1\n%% The key modulus size is 2048 bits\n%% Generating 2048 bit RSA keys, keys will be non-exportable...[OK]\n' |
	cmp -s - "$tmp/out"
test $? -eq 0 && test $rc -eq 0 && test "$(stat -c %a "$st/keys/r1.general")" = 600
ok $? "generate rsa: the seeds' messages, one file of mode 0600"
run show key mypubkey rsa r1
printf 'Key name: r1\nUsage: General Purpose Key\nKey is not exportable.\nKey Data:\n' >"$tmp/want"
test $rc -eq 0 &&
	grep -Eqx '% Key pair was generated at: [0-2][0-9]:[0-5][0-9]:[0-6][0-9] UTC (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [1-9][0-9]? [0-9]{4}' "$tmp/out" &&
	sed -n 2,5p "$tmp/out" | cmp -s - "$tmp/want"
ok $? "show key mypubkey rsa: the seeds' layout (E1.7)"
# RSA 2048: 294 bytes of DER, 9 lines of 32 and one of 6.
grep '^ ' "$tmp/out" >"$tmp/hex"
test "$(wc -l <"$tmp/hex")" -eq 10 &&
	test "$(head -n 9 "$tmp/hex" | grep -Ecx '( [0-9A-F]{8}){8}')" -eq 9 &&
	tail -n 1 "$tmp/hex" | grep -Eqx ' [0-9A-F]{8} [0-9A-F]{4}' &&
	test "$(keydata | cut -c1-8)" = 30820122
ok $? "Key Data: DER SubjectPublicKeyInfo, 8 groups of 8 hex digits a line"
run key generate ec --label e1 --keysize 256
grep -qx '% Generating 256 bit EC keys, keys will be non-exportable...\[OK\]' "$tmp/out" && test $rc -eq 0
ok $? "generate ec --keysize 256"
run key generate ec --label e3 --keysize 384 --exportable
r384=$rc
run show key mypubkey ec --json
test $r384 -eq 0 && grep -q '"label":"e1","usage":"general","type":"ec","bits":256,"curve":"P-256","exportable":0' "$tmp/out" &&
	grep -q '"label":"e3","usage":"general","type":"ec","bits":384,"curve":"P-384","exportable":1' "$tmp/out" &&
	! grep -q '"r1"' "$tmp/out"
ok $? "generate ec --keysize 384 --exportable; show key mypubkey ec --json lists the EC pairs only"
run key generate rsa --label u1 --usage-keys --modulus 1024
run show key mypubkey rsa u1
test $rc -eq 0 && test "$(grep -c '^Key name: u1$' "$tmp/out")" -eq 2 &&
	grep -qx 'Usage: Signature Key' "$tmp/out" && grep -qx 'Usage: Encryption Key' "$tmp/out" &&
	test -f "$st/keys/u1.signature" && test -f "$st/keys/u1.encryption"
ok $? "usage keys: a signature and an encryption pair under one label"

# Modulus bounds (E1.3: 512 to 4096 here).
run key generate rsa --label small --modulus 511
test $rc -ne 0 && grep -q '512 to 4096' "$tmp/err" && ! test -e "$st/keys/small.general"
ok $? "a modulus of 511 bits: refused, nothing written"
run key generate rsa --label big --modulus 4097
test $rc -ne 0 && grep -q '512 to 4096' "$tmp/err" && ! test -e "$st/keys/big.general"
ok $? "a modulus of 4097 bits: refused, nothing written"
run key generate rsa --label m512 --modulus 512
test $rc -eq 0 && grep -qx '% The key modulus size is 512 bits' "$tmp/out"
ok $? "a modulus of 512 bits: generated"
run key generate ec --label p521 --keysize 521
test $rc -ne 0 && ! test -e "$st/keys/p521.general"
ok $? "an EC key size of 521: refused"

# Exportability and PEM export (E1.6, E2.3-E2.5).
run key export rsa r1 pem --url "$tmp/r1" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q 'not exportable' "$tmp/err" && ! test -e "$tmp/r1.pub" && ! test -e "$tmp/r1.prv"
ok $? "export of a non-exportable key: refused, nothing written"
run key generate rsa --label x1 --modulus 1024 --exportable
run key export rsa x1 pem --url "$tmp/x1" --passphrase-file "$tmp/pf"
test $rc -eq 0 && grep -qx 'Writing file to .*/x1.pub' "$tmp/out" && grep -qx 'Writing file to .*/x1.prv' "$tmp/out" &&
	grep -q 'BEGIN ENCRYPTED PRIVATE KEY' "$tmp/x1.prv" && test "$(stat -c %a "$tmp/x1.prv")" = 600
ok $? "export --cipher aes (default): x1.pub and x1.prv (PKCS#8, encrypted, 0600)"
run show key mypubkey rsa x1
test -n "$(keydata)" && test "$(keydata)" = "$(pubder "$tmp/x1.pub")"
ok $? "show key's Key Data is the DER of the exported public key (openssl)"
openssl pkey -in "$tmp/x1.prv" -passin pass:'correct horse' -pubout -out "$tmp/x1.from-prv" 2>"$tmp/err" &&
	cmp -s "$tmp/x1.from-prv" "$tmp/x1.pub"
ok $? "openssl reads x1.prv with the passphrase: the same key"
! openssl pkey -in "$tmp/x1.prv" -passin pass:'wrong horse' -noout 2>/dev/null
ok $? "openssl refuses x1.prv with another passphrase"
run key export rsa x1 pem --url "$tmp/x3" --cipher 3des --passphrase-file "$tmp/pf"
test $rc -eq 0 && grep -qx 'Proc-Type: 4,ENCRYPTED' "$tmp/x3.prv" &&
	grep -Eqx 'DEK-Info: DES-EDE3-CBC,[0-9A-F]{16}' "$tmp/x3.prv" &&
	openssl pkey -in "$tmp/x3.prv" -passin pass:'correct horse' -noout 2>/dev/null
ok $? "export --cipher 3des: traditional PEM with DEK-Info (E2.4), openssl reads it"
run key export rsa x1 pem --terminal --passphrase-file "$tmp/pf"
printf '%% Key name: x1\nUsage: General Purpose Key\n' >"$tmp/want"
test $rc -eq 0 && sed -n 1,2p "$tmp/out" | cmp -s - "$tmp/want" &&
	grep -q 'BEGIN PUBLIC KEY' "$tmp/out" && grep -q 'BEGIN ENCRYPTED PRIVATE KEY' "$tmp/out"
ok $? "export --terminal: the key name, the usage, both keys"
run key export rsa x1 pem --url "$tmp/s" --passphrase-file "$tmp/short"
r1=$rc
run key export rsa x1 pem --url "$tmp/q" --passphrase-file "$tmp/question"
test $r1 -ne 0 && test $rc -ne 0 && grep -q "'?'" "$tmp/err" && ! test -e "$tmp/s.prv" && ! test -e "$tmp/q.prv"
ok $? "passphrases of 7 characters, or with '?': refused (E1.12)"

# Import (E2.5).
run key import rsa i1 pem --url "$tmp/x1" --passphrase-file "$tmp/wrong"
test $rc -ne 0 && grep -q 'wrong passphrase' "$tmp/err" && ! test -e "$st/keys/i1.general"
ok $? "import with a wrong passphrase: refused, nothing written"
run key import rsa i1 pem --url "$tmp/x3" --passphrase-file "$tmp/pf"
test $rc -eq 0 && tail -1 "$tmp/out" | grep -qx '% Key pair import succeeded.'
ri=$?
run show key mypubkey rsa i1
test $ri -eq 0 && test "$(keydata)" = "$(pubder "$tmp/x1.pub")" && grep -qx 'Key is not exportable.' "$tmp/out"
ok $? "import of the 3des export: the same public key, not exportable by default"
run key export rsa i1 pem --url "$tmp/i1" --passphrase-file "$tmp/pf"
test $rc -ne 0 && ! test -e "$tmp/i1.prv"
ok $? "an imported key without --exportable cannot be exported (E1.6)"
run key import rsa i2 pem --exportable --url "$tmp/x1" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "key i1 holds this private key and is not exportable" "$tmp/err" &&
	! test -e "$st/keys/i2.general"
r1=$?
run key zeroize rsa i1 --yes
run key import rsa i2 pem --exportable --url "$tmp/x1" --passphrase-file "$tmp/pf"
run key export rsa i2 pem --url "$tmp/i2" --passphrase-file "$tmp/pf"
test $r1 -eq 0 && test $rc -eq 0 && cmp -s "$tmp/i2.pub" "$tmp/x1.pub"
ok $? "imported with --exportable: refused while i1 holds the key not exportable (E1.6); once i1 is zeroized, exported again"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$tmp/other.pem" 2>/dev/null
openssl pkey -in "$tmp/other.pem" -pubout -out "$tmp/mix.pub" 2>/dev/null
cp "$tmp/x1.prv" "$tmp/mix.prv"
run key import rsa i3 pem --url "$tmp/mix" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q 'not the public key' "$tmp/err" && ! test -e "$st/keys/i3.general"
ok $? "import of a private key that is not the .pub's: refused, nothing written"

run key generate rsa --label ux --usage-keys --modulus 1024 --exportable
run key export rsa ux pem --url "$tmp/ux" --passphrase-file "$tmp/pf"
re=$rc
run key import rsa uy pem --usage-keys --url "$tmp/ux" --passphrase-file "$tmp/pf"
ri=$rc
run show key mypubkey rsa uy
test $re -eq 0 && test $ri -eq 0 && test -s "$tmp/ux-sign.prv" && test -s "$tmp/ux-encr.prv" &&
	! test -e "$tmp/ux.prv" && grep -qx 'Usage: Signature Key' "$tmp/out" &&
	grep -qx 'Usage: Encryption Key' "$tmp/out" &&
	test "$(sed -n '/^Usage: Signature Key$/,/^%/p' "$tmp/out" | grep '^ ' | tr -d ' \n' | tr A-F a-f)" = "$(pubder "$tmp/ux-sign.pub")"
ok $? "usage keys: exported as -sign and -encr, imported back with --usage-keys"
cp "$tmp/x1.pub" "$tmp/ux-encr.pub"
openssl pkey -in "$tmp/x1.prv" -passin pass:'correct horse' -aes256 -passout pass:'other horse' \
	-out "$tmp/ux-encr.prv" 2>/dev/null
run key import rsa uz pem --usage-keys --url "$tmp/ux" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q 'wrong passphrase' "$tmp/err" && ! ls "$st/keys" | grep -q '^uz\.'
ok $? "usage keys whose encryption pair does not decrypt: refused, neither pair stored"
run key export ec x1 pem --url "$tmp/ec" --passphrase-file "$tmp/pf"
re=$rc
run key zeroize ec x1 --yes
test $re -eq 2 && test $rc -eq 2 && grep -q 'key x1 is an RSA key, not an EC one' "$tmp/err" &&
	test -e "$st/keys/x1.general" && ! test -e "$tmp/ec.prv"
ok $? "the rsa|ec word must be the key's: export ec and zeroize ec of an RSA key refused"
run key export rsa x1 pem --url "$tmp/nt"
test $rc -eq 2 && grep -q 'no terminal to ask the passphrase on: give --passphrase-file' "$tmp/err" && ! test -e "$tmp/nt.prv"
ok $? "no --passphrase-file and no terminal: refused, nothing written"
bad=0
for c in "key generate" "key zeroize" "key export" "key import" "key encrypt" "key decrypt" \
	"key lock" "key unlock" "show key" "key"; do
	# shellcheck disable=SC2086
	"$swpki" --dir "$st" $c --help >"$tmp/out" 2>"$tmp/err" && grep -q '^Usage: swpki' "$tmp/out" ||
		{ echo "# $c --help" >&2; bad=1; }
done
test $bad -eq 0
ok $? "--help of every key command: its usage, exit 0"

{ cat "$tmp/x1.pub"; echo; cat "$tmp/x3.prv"; echo quit; } |
	"$swpki" --dir "$st" key import rsa pasted pem --terminal --passphrase-file "$tmp/pf" \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
grep -qx '% Enter PEM-formatted public key or certificate.' "$tmp/out" &&
	grep -qx '% Enter PEM-formatted encrypted private key.' "$tmp/out" &&
	grep -qx '% End with "quit" on a line by itself.' "$tmp/out"
rp=$?
run show key mypubkey rsa pasted
test $rc -eq 0 && test $rp -eq 0 && test "$(keydata)" = "$(pubder "$tmp/x1.pub")"
ok $? "import --terminal: the seeds' prompts (E2.6), the pasted key stored"

# A URL of the transfer library: an FTP upload, an HTTP download.
mkdir -p "$tmp/pub/upload"
chown ftp "$tmp/pub/upload" 2>/dev/null
if command -v vsftpd >/dev/null && srv_ftp_start FTP "$tmp/pub" >/dev/null 2>&1 &&
	srv_http_start HTTP "$tmp/pub" >/dev/null 2>&1; then
	run key export rsa x1 pem --url "ftp://127.0.0.1:$FTP_PORT/upload/x1" --passphrase-file "$tmp/pf"
	re=$rc
	run key import rsa fromurl pem --url "http://127.0.0.1:$HTTP_PORT/upload/x1" --passphrase-file "$tmp/pf"
	ri=$rc
	grep -qx "Reading file from http://127.0.0.1:$HTTP_PORT/upload/x1.prv" "$tmp/out"
	rr=$?
	run show key mypubkey rsa fromurl
	test $re -eq 0 && test $ri -eq 0 && test $rr -eq 0 && cmp -s "$tmp/pub/upload/x1.pub" "$tmp/x1.pub" &&
		test "$(keydata)" = "$(pubder "$tmp/x1.pub")"
	ok $? "export to an ftp:// URL, import from an http:// URL: the same key"
else
	ok 0 "# SKIP vsftpd or the HTTP server is not available"
fi

# Damaged key files are named, never defaulted.
cp "$st/keys/x1.general" "$tmp/x1.saved"
head -c 700 "$tmp/x1.saved" >"$st/keys/x1.general"
run show key mypubkey rsa
test $rc -ne 0 && grep -q "keys/x1.general: malformed key file" "$tmp/err"
ok $? "a truncated key file: refused by name"
sed 's/^exportable yes$/exportable maybe/' "$tmp/x1.saved" >"$st/keys/x1.general"
run key export rsa x1 pem --url "$tmp/bad" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q 'keys/x1.general: malformed key file.*exportable maybe' "$tmp/err" && ! test -e "$tmp/bad.prv"
ok $? "a metadata value not known: refused by name, nothing exported"
{ sed -n 1p "$tmp/x1.saved"; echo 'comment hello'; sed 1d "$tmp/x1.saved"; } >"$st/keys/x1.general"
run show key mypubkey rsa x1
test $rc -ne 0 && grep -q 'keys/x1.general.*comment hello' "$tmp/err"
ok $? "a metadata field not known: refused by name"
grep -v '^generated ' "$tmp/x1.saved" >"$st/keys/x1.general"
run show key mypubkey rsa x1
test $rc -ne 0 && grep -q 'keys/x1.general: malformed key file: the record lacks a field' "$tmp/err"
ok $? "a metadata field missing: refused by name"
cp "$tmp/x1.saved" "$st/keys/x1.general"

# Encryption and locking (E3).
run key encrypt rsa --label x1 --passphrase-file "$tmp/short"
test $rc -ne 0 && ! grep -q ENCRYPTED "$st/keys/x1.general"
ok $? "encrypt with a short passphrase: refused, the key unchanged"
run key encrypt rsa --label x1 --passphrase-file "$tmp/pf"
re=$rc
run show key mypubkey rsa x1
test $re -eq 0 && grep -qx '\*\*\* The key is protected and UNLOCKED. \*\*\*' "$tmp/out" &&
	grep -q '^encrypted yes$' "$st/keys/x1.general" && grep -q 'BEGIN ENCRYPTED PRIVATE KEY' "$st/keys/x1.general" &&
	! grep -q 'BEGIN PRIVATE KEY' "$st/keys/x1.general" &&
	sed -n '/ENCRYPTED PRIVATE KEY/,$p' "$st/keys/x1.general" | openssl asn1parse 2>/dev/null | grep -q ':scrypt' &&
	test "$(keydata)" = "$(pubder "$tmp/x1.pub")"
ok $? "encrypt: PKCS#8 with scrypt on disk, the key protected and UNLOCKED (E3.1)"
run key lock rsa --label x1 --passphrase-file "$tmp/wrong"
rl=$rc
run show key mypubkey rsa x1
test $rl -ne 0 && grep -q UNLOCKED "$tmp/out"
ok $? "lock with a wrong passphrase: refused, still unlocked"
run key lock rsa --label x1 --passphrase-file "$tmp/pf"
rl=$rc
run show key mypubkey rsa x1
test $rl -eq 0 && grep -qx '\*\*\* The key is protected and LOCKED. \*\*\*' "$tmp/out"
ok $? "lock: protected and LOCKED (E3.2)"
run key export rsa x1 pem --url "$tmp/locked" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q 'key x1 is locked: swpki key unlock' "$tmp/err" && ! test -e "$tmp/locked.prv"
ok $? "a locked key is refused where it is loaded (export), nothing written"
run key unlock rsa --label x1 --passphrase-file "$tmp/wrong"
test $rc -ne 0 && grep -q 'wrong passphrase' "$tmp/err"
ok $? "unlock with a wrong passphrase: refused"
run key unlock rsa --label x1 --passphrase-file "$tmp/pf"
run key export rsa x1 pem --url "$tmp/unlocked" --passphrase-file "$tmp/pf"
test $rc -eq 0 && cmp -s "$tmp/unlocked.pub" "$tmp/x1.pub"
ok $? "unlock: the key is usable again (E3.3)"
kr_purge "$st"
run show key mypubkey rsa x1
rs=$rc
run key export rsa x1 pem --url "$tmp/reboot" --passphrase-file "$tmp/pf"
test $rs -eq 0 && test $rc -ne 0 && grep -q 'is locked' "$tmp/err" && ! test -e "$tmp/reboot.prv"
ok $? "a reboot (the keyring emptied) leaves the encrypted key LOCKED"
run key decrypt rsa --label x1 --passphrase-file "$tmp/pf"
rd=$rc
run show key mypubkey rsa x1
test $rd -eq 0 && ! grep -q '\*\*\*' "$tmp/out" && grep -q '^encrypted no$' "$st/keys/x1.general" &&
	grep -q 'BEGIN PRIVATE KEY' "$st/keys/x1.general"
ok $? "decrypt: stored unencrypted again, usable without the keyring (E3.4)"

# Zeroization (E1.9), confirmation without a terminal.
run key zeroize rsa m512
test $rc -ne 0 && grep -q 'not a terminal: confirm with --yes' "$tmp/err" && test -e "$st/keys/m512.general"
ok $? "zeroize without a terminal and without --yes: refused, the key kept"
run key zeroize rsa m512 --yes
test $rc -eq 0 && ! test -e "$st/keys/m512.general" && test -e "$st/keys/r1.general"
ok $? "zeroize rsa LABEL --yes: that label only"
cp "$st/keys/r1.general" "$tmp/r1.saved"
run key generate rsa --label r1 --modulus 1024
test $rc -ne 0 && grep -q 'not a terminal' "$tmp/err" && cmp -s "$tmp/r1.saved" "$st/keys/r1.general"
ok $? "generate over an existing label without a terminal and without --yes: refused, unchanged"
run key zeroize rsa --yes
test $rc -eq 0 && ! ls "$st/keys" | grep -Eq '^(r1|u1|x1|i1|i2)\.' && test -e "$st/keys/e1.general" && test -e "$st/keys/e3.general"
ok $? "zeroize rsa --yes: every RSA pair, the EC pairs kept"

# Labels, links, the store's directory.
bad=0
for l in a/b .hidden 'a b' "$(printf '%065d' 0)"; do
	run key generate ec --label "$l"
	test $rc -eq 2 || bad=1
done
test $bad -eq 0 && test "$(ls "$st/keys" | wc -l)" -eq 2
ok $? "labels with '/', a leading '.', a space, or 65 characters: refused"
echo target >"$tmp/target"
ln -s "$tmp/target" "$st/keys/sym.general"
run key generate ec --label sym --yes
test $rc -eq 0 && test "$(cat "$tmp/target")" = target && test -f "$st/keys/sym.general" && ! test -L "$st/keys/sym.general"
ok $? "a symbolic link planted at a key file's name is replaced, never written through"
ln -s "$st/keys/e1.general" "$st/keys/link.general"
run show key mypubkey ec link
test $rc -ne 0 && grep -q 'symbolic link' "$tmp/err"
ok $? "a key file that is a symbolic link is not read"
chmod 0777 "$st"
run show key mypubkey ec
chmod 0700 "$st"
test $rc -ne 0 && grep -q 'may be written by others' "$tmp/err"
ok $? "a store directory others may write: refused"

exit $fail
