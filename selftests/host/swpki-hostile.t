#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swpki against a hostile local user and a hostile peer (a sanitizer build
# of swpki, softhsm2 in a temporary directory): a PKCS#11 module another
# user may write is not loaded as root; a PIN guess that cannot be counted
# (a full disk) is not tried; a token record with a signed or padded number
# is refused; a certificate whose file name would be the CA certificate's
# does not replace it; the challenge password never comes from the command
# line; an unlocked key's keyring copy is root's and goes with zeroize;
# pki.conf is read to its end.

cd "$(dirname "$0")/../.." || exit 1
. selftests/host/swpki-lib.sh
softhsm_init

mkdir -p "$pki/keys" "$pki/trustpoints" "$pki/certs" "$tmp/mod"
chmod -R 700 "$pki"
softhsm2-util --init-token --free --label eToken --pin 4711 --so-pin 99999 >/dev/null || exit 1
secret pin 4711
secret bad 0000

echo "1..15"

# 1-3: the module is code that runs as root.
cp "$(readlink -f "$module")" "$tmp/mod/p11.so"
chmod 755 "$tmp/mod/p11.so"
echo "token module $tmp/mod/p11.so" >"$tmp/pki/pki.conf"
run token list
test $rc -eq 0 && echo "$out" | grep -q 'token eToken'
ok $? "a module of root's, mode 0755, is loaded (through its path)"
chmod 777 "$tmp/mod/p11.so"
run token list
test $rc -eq 3 && echo "$err" | grep -q "^swpki: token: token module $tmp/mod/p11.so may be written by group or others (mode 0777): not loaded$"
ok $? "a module others may write is not loaded"
chmod 755 "$tmp/mod/p11.so"
chown 65534 "$tmp/mod/p11.so"
run token list
test $rc -eq 3 && echo "$err" | grep -q "^swpki: token: token module $tmp/mod/p11.so belongs to uid 65534, not to root or you: not loaded$"
ok $? "a module of another user's is not loaded"
chown 0 "$tmp/mod/p11.so"
ln -s p11.so "$tmp/mod/link.so"
echo "token module $tmp/mod/link.so" >"$tmp/pki/pki.conf"
run token list
test $rc -eq 0 && echo "$out" | grep -q "^PKCS#11 module $tmp/mod/link.so: "
ok $? "a module reached through a link: the file it names is checked and loaded"
echo "token module $module" >"$tmp/pki/pki.conf"

# 5: a PIN guess whose count cannot be written (a full disk; a process
# killed after C_Login is the same window) is not tried at all, so that
# guesses past max-retries never reach the token. The store is on a
# tmpfs of 256 KiB, filled, in a mount namespace of its own.
mkdir "$tmp/full"
if unshare -m true 2>/dev/null; then
	unshare -m sh -c '
		mount -t tmpfs -o size=256k,mode=700 tmpfs "$1" || exit 1
		mkdir -p "$1/pki/keys" "$1/pki/trustpoints" "$1/pki/certs" "$1/pki/tokens"
		chmod -R 700 "$1/pki"
		echo "token module $2" >"$1/pki/pki.conf"
		printf "max-retries 2\nremoval-timeout 0\nfailed-logins 0\n" >"$1/pki/tokens/eToken.conf"
		chmod 600 "$1/pki/tokens/eToken.conf"
		dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null
		for f in bad bad bad pin; do
			"$3" --dir "$1/pki" token eToken login --pin-file "$4/$f" </dev/null
			echo "rc $?"
		done >"$4/out" 2>"$4/err"
		cp "$1/pki/tokens/eToken.conf" "$4/conf"
	' sh "$tmp/full" "$module" "$swpki" "$tmp"
	test "$(grep -c '^swpki: token: token eToken: the login attempt cannot be counted (.*No space left on device.*): the PIN was not tried$' "$tmp/err")" -eq 4 &&
		! grep -q 'wrong PIN\|successful' "$tmp/err" "$tmp/out" &&
		test "$(grep -c '^rc 3$' "$tmp/out")" -eq 4 && grep -qx 'failed-logins 0' "$tmp/conf"
	ok $? "a full disk: no guess is tried (three wrong PINs and the right one past max-retries 2)"
else
	ok 0 "# SKIP no mount namespace (unshare -m)"
fi

# 6: the token record holds the numbers swpki writes, nothing else: a
# sign, a blank or a value past the command's bounds would turn
# max-retries into 4294967295 or reset the count.
mkdir -p "$tmp/pki/tokens" && chmod 700 "$tmp/pki/tokens"
good=0
for rec in 'max-retries -1' 'max-retries +3' 'max-retries  3' 'max-retries 0' \
	'max-retries 1000001' 'failed-logins -0'; do
	printf '%s\nfailed-logins 20\n' "$rec" >"$tmp/pki/tokens/eToken.conf"
	chmod 600 "$tmp/pki/tokens/eToken.conf"
	run token eToken login --pin-file "$tmp/pin"
	test $rc -ne 0 && echo "$err" | grep -q "^swpki: token: $tmp/pki/tokens/eToken.conf: '$rec' is not max-retries, removal-timeout or failed-logins N" ||
		{ echo "# $rec: taken" >&2; good=1; }
done
rm -f "$tmp/pki/tokens/eToken.pin" "$tmp/pki/tokens/eToken.conf"
test $good -eq 0
ok $? "a token record with a signed, padded or out-of-bounds number is refused, not read as a huge max-retries"

# 7: TP#SERIALCA.cer is the CA certificate of serial SERIAL, and also the
# router certificate of serial SERIALCA: a CA that issues the router
# 0x12CA when its own serial is 0x12 must not make the import replace
# the CA certificate (nor a re-authentication the router's).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days 30 \
	-set_serial 0x12 -subj "/CN=collide-ca" -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign" >/dev/null 2>&1
openssl req -new -newkey rsa:2048 -nodes -keyout "$tmp/r.key" -subj "/CN=router" -out "$tmp/r.csr" \
	>/dev/null 2>&1
openssl x509 -req -in "$tmp/r.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -set_serial 0x12CA \
	-days 30 -out "$tmp/r.pem" >/dev/null 2>&1
openssl x509 -in "$tmp/ca.pem" -outform DER -out "$tmp/ca.der"
run trustpoint T2 enrollment terminal
run trustpoint T2 rsakeypair t2
# The router's key is the trustpoint's: import checks it before the name.
openssl pkey -in "$tmp/r.key" -pubout -out "$tmp/t2.pub" 2>/dev/null
openssl pkey -in "$tmp/r.key" -aes256 -passout pass:t2-passphrase -out "$tmp/t2.prv" 2>/dev/null
printf 't2-passphrase\n' >"$tmp/t2.pass"
chmod 600 "$tmp/t2.pass"
run key import rsa t2 pem --url "$tmp/t2" --passphrase-file "$tmp/t2.pass" --yes
run authenticate T2 --file "$tmp/ca.pem" --yes
test $rc -eq 0 && cmp -s "$tmp/ca.der" "$tmp/pki/certs/T2#12CA.cer" || echo "# setup failed" >&2
run import T2 certificate --file "$tmp/r.pem"
test $rc -ne 0 && echo "$err" | grep -q "^swpki: import: T2#12CA.cer holds the trustpoint's CA certificate, which a certificate of serial 12CA may not replace (refused)$" &&
	cmp -s "$tmp/ca.der" "$tmp/pki/certs/T2#12CA.cer"
ok $? "a router certificate whose file name is the CA certificate's is refused, the CA certificate kept"

# 8-10: the challenge password authorises enrollment at the CA: it is read
# from standard input, never from the command line (/proc/PID/cmdline).
run trustpoint T3 password s3cret
test $rc -eq 2 && echo "$err" | grep -q '^swpki: trustpoint: password: a challenge password is never taken on the command line (anyone may read it with ps): `password -` reads it from standard input$' &&
	! grep -rq s3cret "$tmp/pki"
ok $? "a challenge password on the command line is refused, nothing stored"
printf 's3cret\n' | "$swpki" --dir "$tmp/pki" trustpoint T3 password - >"$tmp/out" 2>"$tmp/err"
test $? -eq 0 && grep -qx ' password s3cret' "$tmp/pki/trustpoints/T3.conf"
ok $? "password - reads it from standard input"
selftests/host/pty-answer.py --no-echo 'Password: ' t0pchallenge \
	"$swpki" --dir "$tmp/pki" trustpoint T4 password - >"$tmp/out" 2>"$tmp/err"
test $? -eq 0 && grep -q 'Password: ' "$tmp/out" && test "$(grep -c t0pchallenge "$tmp/out")" -eq 1 &&
	grep -q '^ password t0pchallenge' "$tmp/out" && grep -qx ' password t0pchallenge' "$tmp/pki/trustpoints/T4.conf"
ok $? "password - on a terminal: asked without echo (the challenge shows only in the configuration printed after)"

# 11: an unlocked key's copy in root's keyring is root's alone (possessor
# and user: 3f3f0000, nothing for group and others), and zeroize removes it.
if command -v keyctl >/dev/null; then
	"$swpki" --dir "$tmp/pki" key generate ec --label zk >/dev/null 2>&1
	printf 'passphrase1\n' >"$tmp/pass" && chmod 600 "$tmp/pass"
	run key encrypt ec --label zk --passphrase-file "$tmp/pass"
	desc="swpki:$(stat -c %d:%i "$tmp/pki"):zk:general"
	id=$(keyctl search @u user "$desc" 2>/dev/null)
	perm=$(keyctl rdescribe "$id" 2>/dev/null | cut -d';' -f4)
	run key zeroize ec zk --yes
	test "$perm" = 3f3f0000 && test $rc -eq 0 && ! keyctl search @u user "$desc" >/dev/null 2>&1
	ok $? "an unlocked key's keyring copy is 3f3f0000 and zeroize removes it"
else
	ok 0 "# SKIP keyctl (keyutils) missing"
fi

# 12: pki.conf's lines are all read: a blank line is an error, and the
# lines after it are not skipped (a storage directory that is missing
# fails, never ignored in favour of DIR/certs).
printf 'token module %s\n\ncrypto pki certificate storage %s/missing\n' "$module" "$tmp" >"$tmp/pki/pki.conf"
run show storage
test $rc -ne 0 && echo "$err" | grep -q 'pki.conf:2: not a setting'
ok $? "pki.conf: a blank line is refused by its number; the lines after it are not ignored"
echo "token module $module" >"$tmp/pki/pki.conf"

# 13: a token's own words (its label, its keys' labels) reach the
# terminal escaped: a hostile token cannot drive it from `token list` or
# `show token`.
softhsm2-util --init-token --free --label "$(printf 'ev\033[2Jil')" --pin 4711 --so-pin 99999 \
	>/dev/null || echo "# softhsm2-util failed" >&2
command -v pkcs11-tool >/dev/null &&
	pkcs11-tool --module "$module" --token-label eToken --login --pin 4711 --keypairgen \
		--key-type EC:prime256v1 --label "$(printf 'k\033]0;t\007')" >/dev/null 2>&1
run token list
list=$out
run show token
test -n "$list" && ! printf '%s%s' "$list" "$out" | grep -q "$(printf '\033')" &&
	{ ! command -v pkcs11-tool >/dev/null || echo "$out" | grep -q '^Key name: k\\x1b\]0;t\\x07$'; } &&
	echo "$list" | grep -q 'token ev\\x1b\[2Jil, ' && echo "$out" | grep -q '^Token ev\\x1b\[2Jil is slot '
ok $? "a token label with a terminal escape is shown escaped (token list, show token)"

# 14: a full disk while writing a trustpoint (ENOSPC, not a size limit):
# the change is refused, the old file stays whole and no temporary file is
# left. The store is on a filled tmpfs in a mount namespace of its own.
mkdir "$tmp/full2"
if unshare -m true 2>/dev/null; then
	unshare -m sh -c '
		mount -t tmpfs -o size=64k,mode=700 tmpfs "$1" || exit 1
		mkdir -p "$1/pki/keys" "$1/pki/trustpoints" "$1/pki/certs"
		chmod -R 700 "$1/pki"
		"$2" --dir "$1/pki" trustpoint TPF enrollment url http://ca.example/scep </dev/null >/dev/null
		cp "$1/pki/trustpoints/TPF.conf" "$3/tpf.before"
		dd if=/dev/zero of="$1/fill" bs=1k 2>/dev/null
		"$2" --dir "$1/pki" trustpoint TPF subject-name "CN=$(printf "%0200d" 0)" </dev/null \
			>"$3/out" 2>"$3/err"
		echo "rc $?" >>"$3/out"
		cmp -s "$1/pki/trustpoints/TPF.conf" "$3/tpf.before" && echo same >>"$3/out"
		ls -A "$1/pki/trustpoints" >"$3/ls"
	' sh "$tmp/full2" "$swpki" "$tmp"
	test "$(grep '^rc' "$tmp/out")" = "rc 3" && grep -qx same "$tmp/out" &&
		grep -q 'No space left on device' "$tmp/err" && test "$(cat "$tmp/ls")" = TPF.conf
	ok $? "a full disk while writing a trustpoint: refused, the old file whole, no temporary left"
else
	ok 0 "# SKIP no mount namespace (unshare -m)"
fi

# 15: the disk of the store is not mounted. /etc/fstab (a copy bound over
# it in a mount namespace) names $tmp/disk as a mount point: while nothing
# is mounted there, key generate makes no store on the disk beneath (it
# would hide the real one); once a file system is mounted there, it does.
mkdir "$tmp/disk" "$tmp/ns"
if unshare -m true 2>/dev/null; then
	unshare -m sh -c '
		printf "tmpfs %s tmpfs defaults 0 0\n" "$1/disk" >"$1/ns/fstab"
		mount --bind "$1/ns/fstab" /etc/fstab || exit 1
		"$2" --dir "$1/disk/pki" key generate ec --label k1 --yes </dev/null >"$1/ns/out1" 2>"$1/ns/err1"
		echo "rc $?" >>"$1/ns/out1"
		ls -A "$1/disk" >"$1/ns/ls1"
		mount -t tmpfs -o mode=700 tmpfs "$1/disk" || exit 1
		"$2" --dir "$1/disk/pki" key generate ec --label k1 --yes </dev/null >"$1/ns/out2" 2>&1
		echo "rc $?" >>"$1/ns/out2"
	' sh "$tmp" "$swpki"
	grep -qx 'rc 3' "$tmp/ns/out1" && test ! -s "$tmp/ns/ls1" &&
		grep -q "which /etc/fstab mounts and which is not mounted: no store is made there" \
			"$tmp/ns/err1" && grep -qx 'rc 0' "$tmp/ns/out2"
	ok $? "a store's disk not mounted (fstab): no store made beneath; mounted: made"
else
	ok 0 "# SKIP no mount namespace (unshare -m)"
fi

exit $fail
