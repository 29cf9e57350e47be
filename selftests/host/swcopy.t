#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swcopy on the host, a sanitizer build, between local file systems (the
# flash:, usbflash0: and nvram: directories of a swauth.conf of its own):
# copies with and without /verify, an untrusted image stopped before its
# payload is read, a tampered one refused at the end, the destination
# never partial and an existing file kept, a full file system (a 1 MiB
# tmpfs), a missing directory, malformed URLs, questions without a
# terminal, /erase, --json, swcopy config and swcopy show.

cd "$(dirname "$0")/../.." || exit 1
repo=$PWD
swcopy=$repo/build/tests/host/bin/swcopy
img=$repo/build/tests/images
tmp=$(mktemp -d)
cleanup() {
	mountpoint -q "$tmp/full" 2>/dev/null && umount "$tmp/full"
	rm -rf "$tmp"
}
trap cleanup EXIT
. selftests/host/swcopy-lib.sh
# No file left but @1 (the temporary files start with a dot).
only() { test "$(ls -A "$2" | grep -v '^\.swcopy-sums$' | tr '\n' ' ')" = "$1"; }

mkdir -p "$tmp/flash" "$tmp/usb" "$tmp/nvram"
export SWAUTH_CONFIG=$tmp/swauth.conf SWCOPY_CONFIG=$tmp/swcopy.conf
printf 'flash-dir %s\nusbflash0-dir %s\nnvram-dir %s\n' "$tmp/flash" "$tmp/usb" \
	"$tmp/nvram" >"$SWAUTH_CONFIG"
trust="-u -r $img/certs -t $img/certs"
cp "$img/ok-sha512.SPA" "$tmp/flash/c3900.SPA"
cp "$img/flip-payload.img" "$tmp/flash/tampered.SPA"
# A 64 MiB image whose signature has one byte changed (it starts after the
# 256-byte header and the certificate, whose size is at bytes 18-19).
cp "$img/big.SPA" "$tmp/flash/badsig.SPA"
cert=$(od -An -tu2 -j18 -N2 "$img/big.SPA" | tr -d ' ')
printf x | dd of="$tmp/flash/badsig.SPA" bs=1 seek=$((256 + cert + 10)) conv=notrunc status=none
bigsize=$(stat -c %s "$img/big.SPA")
size=$(stat -c %s "$tmp/flash/c3900.SPA")

echo "1..28"

run flash:c3900.SPA usbflash0:
show
test $rc -eq 0 && cmp -s "$tmp/flash/c3900.SPA" "$tmp/usb/c3900.SPA"
ok $? "a plain copy: usbflash0: takes the source's name without a terminal"
echo "$out" | grep -q "^\[OK - $size bytes\]$" &&
	echo "$out" | grep -q "^$size bytes copied in [0-9.]* secs ([0-9]* bytes/sec)$"
ok $? "the seeds' [OK - N bytes] and N bytes copied lines"

run /verify $trust flash:c3900.SPA usbflash0:v.SPA
show
test $rc -eq 0 && echo "$out" | grep -q '^Digital signature successfully verified in file usbflash0:v.SPA$' &&
	echo "$out" | grep -q '^Verified by: userspace (OpenSSL), while the file arrived (--userspace)$'
ok $? "/verify: the seeds' block, and who verified"
run /verify -r $img/certs -t $img/certs flash:c3900.SPA usbflash0:w.SPA
test $rc -eq 0 && echo "$out" | grep -q '^Verified by: userspace (OpenSSL), while the file arrived; the module is not loaded$'
ok $? "/verify without --userspace and without the module: OpenSSL's verdict, saying why"
rm -f "$tmp/usb/w.SPA"
echo "$out" | grep -q '^Computed Hash   SHA2: ' && echo "$out" | grep -q '^Embedded Hash   SHA2: ' &&
	! echo "$out" | grep -q '^File Hash'
ok $? "/verify shows the computed and the embedded hash, and makes no whole-file pass"

# With /verify the whole file's SHA-256 only for --expect-hash, its MD5
# (the seeds' CCO Hash) on demand, both computed as the bytes went by.
sha=$(sha256sum "$img/ok-sha512.SPA" | cut -c1-64)
md5=$(md5sum "$img/ok-sha512.SPA" | cut -c1-32)
run /verify $trust --md5 --expect-hash "$sha" flash:c3900.SPA usbflash0:m.SPA
show
test $rc -eq 0 && echo "$out" | grep -A1 '^File Hash       SHA2: ' | sed 's/^File Hash       SHA2: //' |
	tr -d ' \n' | grep -qix "$sha" && echo "$out" | grep -qix "CCO Hash        MD5 : $md5" &&
	echo "$out" | grep -B1 '^Digital signature successfully' | grep -q '^CCO Hash'
ok $? "/verify --md5: the file's SHA-256 and the seeds' CCO Hash MD5 line before the verdict"

echo old >"$tmp/usb/x.SPA"
run --expect-hash 00112233445566778899aabbccddeeff flash:c3900.SPA usbflash0:x.SPA
show
test $rc -eq 1 && test "$(cat "$tmp/usb/x.SPA")" = old &&
	echo "$out" | grep -q "^%Error: the file's MD5 is $md5, not the published 00112233445566778899aabbccddeeff$" &&
	echo "$err" | grep -q 'usbflash0:x.SPA: not copied, nothing was written' &&
	only "c3900.SPA m.SPA v.SPA x.SPA " "$tmp/usb"
ok $? "--expect-hash: another MD5 is refused, the old file kept"
run --expect-hash "$(echo "$sha" | tr a-f A-F)" --json flash:c3900.SPA usbflash0:x.SPA
test $rc -eq 0 && cmp -s "$tmp/flash/c3900.SPA" "$tmp/usb/x.SPA" &&
	grep -q "^Published hash SHA-256: verified$" "$tmp/err" && grep -q "\"sha256\":\"$sha\"" "$tmp/out"
ok $? "--expect-hash: the published SHA-256 (any case) lets the copy in; --json has the file's SHA-256"
rm "$tmp/usb/x.SPA" "$tmp/usb/m.SPA"
run --expect-hash 0011 flash:c3900.SPA usbflash0:y.SPA
test $rc -eq 2 && echo "$err" | grep -q "expect-hash takes an MD5 (32 hex digits) or a SHA-256 (64), not '0011'"
ok $? "--expect-hash: a malformed hash is a usage error"
run --md5 flash:c3900.SPA tftp://127.0.0.1/x
test $rc -eq 2 && echo "$err" | grep -q 'are for copies to a local file system'
ok $? "--md5 is refused for an upload"

echo old >"$tmp/usb/t.SPA"
run /verify $trust flash:tampered.SPA usbflash0:t.SPA
show
test $rc -eq 1 && test "$(cat "$tmp/usb/t.SPA")" = old &&
	only "c3900.SPA t.SPA v.SPA " "$tmp/usb"
ok $? "a tampered image: exit 1, the old file kept, nothing else left"
echo "$err" | grep -q 'usbflash0:t.SPA: not copied, nothing was written' &&
	echo "$out" | grep -q "^%Error: digital signature verification failed in file usbflash0:t.SPA: bad digest"
ok $? "a tampered image: the verdict says why"

run /verify $trust --json flash:badsig.SPA usbflash0:b.SPA
test $rc -eq 1 && ! test -e "$tmp/usb/b.SPA"
ok $? "a bad signature is refused, nothing written"
bytes=$(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' "$tmp/out")
test -n "$bytes" && test "$bytes" -le 65536
ok $? "a bad signature stops the copy before the payload ($bytes of $bigsize bytes read)"

run flash:c3900.SPA "$tmp/nodir/x.SPA"
test $rc -eq 3 && echo "$err" | grep -q "destination directory $tmp/nodir: No such file or directory"
ok $? "a missing destination directory is an error"

mkdir "$tmp/full"
if mount -t tmpfs -o size=1m swcopy-test "$tmp/full" 2>/dev/null; then
	head -c 3000000 /dev/zero >"$tmp/flash/big.bin"
	echo keep >"$tmp/full/big.bin"
	run flash:big.bin "$tmp/full/big.bin"
	show
	test $rc -eq 3 && echo "$err" | grep -q 'not enough space: 3000000 bytes needed' &&
		test "$(cat "$tmp/full/big.bin")" = keep && only "big.bin " "$tmp/full"
	ok $? "a full file system: refused by the size, the old file kept"
	umount "$tmp/full"
else
	ok 0 "# SKIP a full file system: cannot mount a tmpfs here"
fi

for url in "ftp://" "tftp://h:99999/x" "gopher://h/x" "ftp://u@/x" "http://h/%zz" \
	"tftp://u:p@h/x" "ftp://h/a%00b"; do
	run "$url" flash:x
	test $rc -eq 2 || { echo "# $url: exit $rc"; show; false; }
done
ok $? "malformed URLs are usage errors"
run "tftp://h:99999/x" flash:x
echo "$err" | grep -q "source: port: '99999' is not a number from 1 to 65535"
ok $? "a malformed URL names the part that is wrong"

run tftp: flash:x
test $rc -eq 2 && echo "$err" | grep -q 'the remote host is missing (standard input is not a terminal: give it in the URL)'
ok $? "without a terminal nothing is asked: a clear error"

run flash:c3900.SPA tftp://127.0.0.1:1/ --yes --json --timeout 300 --retries 1
test $rc -ne 0
ok $? "a server that is not there is an error"

run --json flash:c3900.SPA nvram:j.SPA
test $rc -eq 0 && grep -q '"result":"ok"' "$tmp/out" && grep -q "\"bytes\":$size" "$tmp/out" &&
	grep -q '"destination":"nvram:j.SPA"' "$tmp/out"
ok $? "--json: one summary object"

cp "$img/ok-sha256.SPA" "$tmp/usb/other.bin"
run /erase --yes flash:c3900.SPA usbflash0:e.SPA
test $rc -eq 0 && only "e.SPA " "$tmp/usb"
ok $? "/erase empties the destination file system first"

run config ftp-username alice
printf 'sEcret\n' | "$swcopy" config ftp-password - && run config file-prompt quiet
test $rc -eq 0 && test "$(stat -c %a "$SWCOPY_CONFIG")" = 600
ok $? "swcopy config writes swcopy.conf, mode 0600"
run config
echo "$out" | grep -q '^ftp-username *alice$' && echo "$out" | grep -q '^ftp-password *\*\*\*\*\*\*\*\* (set)$' &&
	! grep -rq sEcret "$tmp/out" "$tmp/err"
ok $? "swcopy config shows the settings, never the password"
run config file-prompt loud
test $rc -eq 2 && echo "$err" | grep -q "'file-prompt' is alert, noisy or quiet, not 'loud'"
ok $? "a bad setting is refused"
run config no ftp-password
test $rc -eq 0 && ! grep -q password "$SWCOPY_CONFIG"
ok $? "swcopy config no KEYWORD removes it"

run show flash:
show
sum=$(sha256sum "$tmp/flash/c3900.SPA" | cut -d' ' -f1)
test $rc -eq 0 && echo "$out" | grep -q " $size  .*  $sum  c3900.SPA$"
ok $? "show flash: lists size, date and SHA-256"
echo "$out" | grep -q '^\[[0-9]* bytes used, [0-9]* available, [0-9]* total\]$'
ok $? "show flash: ends with used, available and total"

exit $fail
