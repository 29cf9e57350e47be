#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The build's own contract, on a copy of the tree (with its build outputs,
# if any): `make` builds the module and the tools, `make install DESTDIR=D` puts each file where it belongs
# with the right mode, and `make clean` leaves exactly the sources behind.
# The test hooks are only in the test build of the module, never installed.
# `make module-signed` signs a copy of the module with the machine's key,
# generated once (keyrings/mok, as DKMS's mok.key and mok.pub), never again
# over an existing one, and kept by `make clean`.

set -u
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

echo "1..21"
git ls-files --cached --others --exclude-standard | sort >"$tmp/sources"
# The copy has this tree's build outputs too, when it has them (make check
# made them just before; a clean clone's build is its own proof that make
# builds from nothing): make in the copy redoes what depends on the tree's
# place (Kbuild's commands name it) and finds the rest up to date. Not
# build/vm (the VM lanes' runs come and go there) nor keyrings/mok (made
# below).
git ls-files --others --ignored --exclude-standard |
	grep -v -e '^build/vm/' -e '^keyrings/mok/' >"$tmp/built"
mkdir "$tmp/tree"
cat "$tmp/sources" "$tmp/built" | tar -cf - -T - | tar -xf - -C "$tmp/tree"

make -C "$tmp/tree" -s all >"$tmp/build.log" 2>&1
ok $? "make builds everything in a copy of the tree" || sed 's/^/# /' "$tmp/build.log" >&2
test -f "$tmp/tree/swauth.ko" && test -x "$tmp/tree/build/bin/swauth"
ok $? "the module and the tool exist"
! strings "$tmp/tree/swauth.ko" | grep -q storage_crash_at
ok $? "swauth.ko has no test hook (storage_crash_at)"
strings "$tmp/tree/build/ktest/swauth.ko" 2>/dev/null | grep -q storage_crash_at
ok $? "the test build build/ktest/swauth.ko has it"

mode() { stat -c %a "$1" 2>/dev/null; }

make -C "$tmp/tree" -s module-signed >"$tmp/sign.log" 2>&1
ok $? "make module-signed succeeds" || sed 's/^/# /' "$tmp/sign.log"
mok=$tmp/tree/keyrings/mok
test "$(mode "$mok")" = 700 && test "$(mode "$mok/mok.key")" = 600 &&
	openssl pkey -in "$mok/mok.key" -noout 2>/dev/null &&
	openssl x509 -inform DER -in "$mok/mok.pub" -noout -text 2>/dev/null |
	grep -q 'RSA Public-Key: (2048 bit)\|Public-Key: (2048 bit)'
ok $? "it generated keyrings/mok/mok.key (PEM, mode 600) and mok.pub (DER, RSA 2048)"
test "$(modinfo -F sig_hashalgo "$tmp/tree/build/signed/swauth.ko")" = sha256 &&
	modinfo -F signer "$tmp/tree/build/signed/swauth.ko" | grep -q '^swauth module signing key' &&
	test -z "$(modinfo -F signer "$tmp/tree/swauth.ko")"
ok $? "build/signed/swauth.ko is signed (sha256, the key's CN); swauth.ko is not"
sha256sum "$mok/mok.key" "$mok/mok.pub" >"$tmp/mok.sum"
make -C "$tmp/tree" -s module-signed >"$tmp/sign.log" 2>&1 &&
	sha256sum -c --quiet "$tmp/mok.sum" >/dev/null 2>&1
ok $? "a second make module-signed keeps the same key and certificate"
mv "$mok/mok.key" "$tmp/mok.key.saved"
! make -C "$tmp/tree" -s module-signed >"$tmp/sign.log" 2>&1 &&
	grep -q 'mok.pub exists but .*mok.key does not' "$tmp/sign.log" &&
	test ! -e "$mok/mok.key" && sha256sum -c --quiet --ignore-missing "$tmp/mok.sum" >/dev/null 2>&1
ok $? "without mok.key, make module-signed fails and generates nothing over mok.pub" ||
	sed 's/^/# /' "$tmp/sign.log"
mv "$tmp/mok.key.saved" "$mok/mok.key"
chmod 644 "$mok/mok.key"
! make -C "$tmp/tree" -s module-signed >"$tmp/sign.log" 2>&1 &&
	grep -q 'mok.key is open to other users (mode 644)' "$tmp/sign.log" &&
	sha256sum -c --quiet "$tmp/mok.sum" >/dev/null 2>&1
ok $? "a mok.key that others can read is refused, not used to sign" ||
	sed 's/^/# /' "$tmp/sign.log"
chmod 600 "$mok/mok.key"
# Another run that finishes while this one generates: an openssl that, once
# done, writes the other run's pair.
mkdir "$tmp/race" "$tmp/fakebin"
cat >"$tmp/fakebin/openssl" <<'EOF2'
#!/bin/sh
/usr/bin/openssl "$@" || exit
echo other key >"$RACE_DIR/mok.key"
echo other cert >"$RACE_DIR/mok.pub"
EOF2
chmod +x "$tmp/fakebin/openssl"
! PATH=$tmp/fakebin:$PATH RACE_DIR=$tmp/race keyrings/gen-mok-key \
	"$tmp/race/mok.key" "$tmp/race/mok.pub" >"$tmp/race.log" 2>&1 &&
	grep -q 'mok.key appeared while generating' "$tmp/race.log" &&
	test "$(cat "$tmp/race/mok.key")" = "other key" &&
	test "$(cat "$tmp/race/mok.pub")" = "other cert" &&
	test "$(ls -A "$tmp/race")" = "$(printf 'mok.key\nmok.pub')"
ok $? "a key pair that appears while generating is kept, never overwritten" ||
	sed 's/^/# /' "$tmp/race.log"

make -C "$tmp/tree" -s install DESTDIR="$tmp/dest" >"$tmp/install.log" 2>&1
ok $? "make install DESTDIR=D succeeds" || sed 's/^/# /' "$tmp/install.log"
test "$(mode "$tmp/dest/usr/sbin/swauth")" = 755 && test "$(mode "$tmp/dest/usr/sbin/swcopy")" = 755 &&
	test "$(mode "$tmp/dest/usr/sbin/swupgrade")" = 755 &&
	test "$(mode "$tmp/dest/usr/sbin/swupgraded")" = 755
ok $? "swauth, swcopy, swupgrade and swupgraded installed in D/usr/sbin (one directory), mode 755"
ko=$(find "$tmp/dest/lib/modules" -path '*/extra/swauth.ko' 2>/dev/null)
test -n "$ko" && test "$(mode "$ko")" = 644
ok $? "module installed as D/lib/modules/<kver>/extra/swauth.ko, mode 644"
test "$(mode "$tmp/dest/usr/share/man/man8/swauth.8")" = 644 &&
	test "$(mode "$tmp/dest/usr/share/man/man8/swcopy.8")" = 644 &&
	test "$(mode "$tmp/dest/usr/share/man/man8/swupgrade.8")" = 644 &&
	test "$(mode "$tmp/dest/usr/share/man/man8/swupgraded.8")" = 644 &&
	test "$(mode "$tmp/dest/usr/share/man/man4/swauth.4")" = 644 &&
	cmp -s "$tmp/dest/usr/share/bash-completion/completions/swupgrade" \
		userspace/bash-completion/swupgrade &&
	test "$(mode "$tmp/dest/usr/share/bash-completion/completions/swauth")" = 644 &&
	cmp -s "$tmp/dest/usr/share/bash-completion/completions/swauth" \
		"$tmp/dest/usr/share/bash-completion/completions/swcopy"
ok $? "man pages installed in man4 and man8, the bash completion as swauth and swcopy, swupgrade's own"
test -f "$tmp/dest/usr/share/doc/swauth/admin-guide.rst" &&
	test -f "$tmp/dest/usr/share/doc/swauth/ABI/sysfs-kernel-swauth"
ok $? "documentation installed under doc/swauth"

test "$(mode "$tmp/dest/usr/share/swauth/rollover/rollover.crt")" = 644
ok $? "rollover certificate installed for userspace verification"

unit=$tmp/dest/lib/systemd/system/swauth-enforce.service
test "$(mode "$unit")" = 644 && grep -q '^ExecStart=/usr/sbin/swauth enforce on$' "$unit" &&
	systemd-analyze verify --man=no --root="$tmp/dest" "$unit" >"$tmp/unit.log" 2>&1 &&
	test ! -s "$tmp/unit.log"
ok $? "swauth-enforce.service installed, mode 644, and systemd-analyze verify finds nothing" ||
	sed 's/^/# /' "$tmp/unit.log"

make -C "$tmp/tree" -s clean >"$tmp/clean.log" 2>&1
ok $? "make clean succeeds" || sed 's/^/# /' "$tmp/clean.log"
(cd "$tmp/tree" && find . -type f | sed 's|^\./||' | sort) >"$tmp/after"
left=$(comm -13 "$tmp/sources" "$tmp/after" | grep -vx -e keyrings/mok/mok.key -e keyrings/mok/mok.pub)
test -z "$left"
ok $? "make clean leaves only the sources (and keyrings/mok)" || printf '# left: %s\n' $left >&2
sha256sum -c --quiet "$tmp/mok.sum" >/dev/null 2>&1
ok $? "make clean keeps keyrings/mok/mok.key and mok.pub, unchanged"

exit $fail
