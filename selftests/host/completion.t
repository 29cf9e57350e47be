#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The bash completion (userspace/bash-completion/swauth, and swupgrade's
# own), driven as bash
# drives it: `bash --norc` sources the file, sets COMP_WORDS, COMP_CWORD,
# COMP_LINE and COMP_POINT, calls _swauth and reads COMPREPLY. Every
# subcommand of the tools' tables is offered where it goes, nested ones
# too, with their options and option values, file names and file system
# prefixes. The tables cannot drift: the words are swauth --help's table,
# the options those of each --help and of the getopt tables in the
# sources, and a swauth built with a subcommand missing from complete.c
# refuses to complete. Hostile file names come back quoted so that the
# shell reads them back as the literal name, and nothing is executed.
# swupgrade's fixed words are those of swupgrade --help and of
# swupgrade.conf's keyword table (lib/boot/upgrade.c).

set -u
export LC_ALL=C
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
swauth=$root/build/bin/swauth
swcopy=$root/build/bin/swcopy
comp=$root/userspace/bash-completion/swauth
for t in "$swauth" "$swcopy"; do
	[ -x "$t" ] || { echo "1..0 # SKIP $t is not built (make userspace)"; exit 0; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. selftests/host/tap.sh

# c WORD...: COMPREPLY, one a line, for the last WORD; the first WORD is
# the tool. Runs in the current directory.
cat >"$tmp/drive.bash" <<'EOF'
. "$COMP_FILE"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
_swauth
printf '%s\n' "${COMPREPLY[@]}"
EOF
c() {
	COMP_FILE=$comp bash --norc "$tmp/drive.bash" "$@"
}
# list WORD...: the same, sorted on one line.
list() {
	c "$@" | sort | tr '\n' ' ' | sed 's/ $//'
}
# opts TOOL WORD...: the options TOOL completes after WORD...
opts() {
	t=$1
	shift
	"$t" --complete "$@" - | sort -u
}
# help_opts TEXT: the options of a --help's option table.
help_opts() {
	grep -E '^ +(-[a-zA-Z], )?--[a-z]' | grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u
}

echo "1..42"

bash --norc -c '. "$1" && complete -p swauth swcopy' sh "$comp" >"$tmp/registered" 2>&1
test "$(cat "$tmp/registered")" = "$(printf 'complete -F _swauth swauth\ncomplete -F _swauth swcopy')"
ok $? "sourcing the file registers _swauth for swauth and swcopy" || sed 's/^/# /' "$tmp/registered"

# The words.
"$swauth" --help | sed -n '/^Available subcommands:/,/^$/p' | awk 'NF { print $1 }' |
	sed 1d >"$tmp/table"
"$swauth" --complete '' >"$tmp/complete"
test -s "$tmp/table" && cmp -s "$tmp/table" "$tmp/complete"
ok $? "swauth --complete '' is swauth --help's subcommand table, in its order" ||
	diff "$tmp/table" "$tmp/complete" | sed 's/^/# /'
c "$swauth" '' >"$tmp/offered"
cmp -s "$tmp/table" "$tmp/offered"
ok $? "swauth <TAB> offers every subcommand ($(wc -l <"$tmp/table"))"
test "$(list "$swauth" s)" = "show sign status"
ok $? "swauth s<TAB>: show sign status"
test "$(list "$swauth" show '')" = "boot file keys reload running upgrade-status version"
ok $? "swauth show <TAB>: its seven objects"
test "$(list "$swauth" key '')" = "add provision revoke store sync" &&
	test "$(list "$swauth" key store '')" = "init reload"
ok $? "swauth key <TAB> and swauth key store <TAB>"
test "$(list "$swauth" boot '')" = "confirm system" && test "$(list "$swauth" upgrade '')" = bootloader &&
	test "$(list "$swauth" enforce '')" = "off on status"
ok $? "swauth boot, upgrade and enforce <TAB>"
test "$(list "$swauth" undebug '')" = "all envelope errors key revocation show verbose"
ok $? "swauth undebug <TAB>: libswauth's debug categories and all"
test "$(list "$swauth" key revoke '')" = "production special" &&
	test "$(list "$swauth" key revoke production -)" = "--bootloader --force --help --image"
ok $? "swauth key revoke: the key types, then its options"

# Options and their values.
test "$(list "$swauth" show file --)" = "--help --json --rollover-dir --trust-dir --userspace"
ok $? "swauth show file --<TAB>: its options"
test "$(list "$swauth" sign --type '')" = "bootloader production revocation special" &&
	test "$(list "$swauth" sign --hash = sha5)" = sha512 &&
	test "$(list "$swauth" show upgrade-status --type p)" = production
ok $? "option values: sign --type, sign --hash=sha5, show upgrade-status --type"
test "$(list "$swcopy" --progress '')" = "auto bar marks none" &&
	test "$(list "$swcopy" config '')" = "file-prompt ftp-password ftp-username no retries tftp-blksize tftp-windowsize timeout" &&
	test "$(list "$swcopy" config no tftp)" = "tftp-blksize tftp-windowsize"
ok $? "swcopy --progress, config and config no: the modes and swcopy.conf's keywords"

# The options cannot drift: every option of a subcommand's --help table is
# offered in that subcommand's tree, every one offered is named in its
# --help, and every option of the getopt tables in the sources is offered.
: >"$tmp/bad"
: >"$tmp/all"
while read -r w; do
	"$swauth" "$w" --help | help_opts >"$tmp/help"
	"$swauth" "$w" --help >"$tmp/helptext"
	opts "$swauth" "$w" >"$tmp/tree"
	for x in $("$swauth" --complete "$w" '' | grep -v -e '^@' -e ':$'); do
		opts "$swauth" "$w" "$x" >>"$tmp/tree"
		for y in $("$swauth" --complete "$w" "$x" '' | grep -v -e '^@' -e ':$'); do
			opts "$swauth" "$w" "$x" "$y" >>"$tmp/tree"
		done
	done
	sort -u -o "$tmp/tree" "$tmp/tree"
	cat "$tmp/tree" >>"$tmp/all"
	comm -23 "$tmp/help" "$tmp/tree" | sed "s/^/$w: not offered: /" >>"$tmp/bad"
	while read -r o; do
		grep -q -e "$o" "$tmp/helptext" || echo "$w: not in --help: $o" >>"$tmp/bad"
	done <"$tmp/tree"
done <"$tmp/table"
test ! -s "$tmp/bad"
ok $? "every swauth subcommand offers the options of its --help, and only those" ||
	sed 's/^/# /' "$tmp/bad"
sort -u -o "$tmp/all" "$tmp/all"
grep -ho '{ "[a-z0-9-]*", \(no\|required\)_argument' userspace/swauth/*.c userspace/lib/cli.h |
	sed 's/{ "\([^"]*\)".*/--\1/' | sort -u >"$tmp/src"
comm -23 "$tmp/src" "$tmp/all" >"$tmp/bad"
test -s "$tmp/src" && test ! -s "$tmp/bad"
ok $? "every long option of swauth's getopt tables is offered ($(wc -l <"$tmp/src"))" ||
	sed 's/^/# not offered: /' "$tmp/bad"
"$swcopy" --help | help_opts >"$tmp/help"
opts "$swcopy" >"$tmp/tree"
cmp -s "$tmp/help" "$tmp/tree"
ok $? "swcopy -<TAB> offers exactly the options of its --help ($(wc -l <"$tmp/help"))" ||
	diff "$tmp/help" "$tmp/tree" | sed 's/^/# /'
grep -o 'strcmp(argv\[i\], "/[a-z]*")' userspace/swcopy/args.c | grep -o '/[a-z]*' | sort >"$tmp/src"
"$swcopy" --complete / | grep -v '^@' | sort >"$tmp/tree"
test -s "$tmp/src" && cmp -s "$tmp/src" "$tmp/tree"
ok $? "swcopy /<TAB> offers exactly the switches args.c knows"

# A subcommand without completion: swauth built without "monitor" in
# complete.c refuses to complete, and says which.
sed '/{ "monitor",/d' userspace/swauth/complete.c >"$tmp/complete.c"
objs=$(ls build/obj/userspace/swauth/*.o | grep -v /complete.o)
if cc -std=gnu11 -I. -Iinclude/uapi -Iuserspace -c -o "$tmp/complete.o" "$tmp/complete.c" &&
	cc -o "$tmp/swauth" $objs "$tmp/complete.o" build/lib/libswauth.a \
		$(pkg-config --libs libmnl libkmod libcrypto libcurl); then
	"$tmp/swauth" --complete '' >"$tmp/out" 2>"$tmp/err"
	test $? -eq 3 && test ! -s "$tmp/out" && grep -q "'monitor' is missing from complete.c" "$tmp/err"
else
	false
fi
ok $? "a swauth whose complete.c lacks a subcommand refuses to complete (exit 3)"

# File names, in a directory of hostile ones.
mkdir "$tmp/d" && cd "$tmp/d" || exit 1
touch -- 'a b' "it's" 'x"y' '$(touch PWNED)' '`touch PWNED2`' "$(printf 'new\nline')" \
	'-rf' 'back\slash' 'semi;colon' 'star*' 'tab	name'
mkdir 'sub dir'
find . -mindepth 1 -maxdepth 1 -printf '%P\0' | sort -z >"$tmp/names"
cat >"$tmp/hostile.bash" <<'EOF'
# Complete, then let the shell read each candidate back as it would on the
# command line; print what it reads, one NUL-ended name each.
. "$COMP_FILE"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
_swauth
for r in "${COMPREPLY[@]}"; do
	eval "set -- $r"
	[ $# -eq 1 ] || { printf 'WORDS:%s\0' "$#"; continue; }
	printf '%s\0' "$1"
done
EOF
h() {
	COMP_FILE=$comp bash --norc "$tmp/hostile.bash" "$@"
}
h "$swauth" verify '' | grep -zv ':$' | sed -z 's|^\./-|-|; s|/$||' | sort -z >"$tmp/got"
cmp -s "$tmp/names" "$tmp/got"
ok $? "swauth verify <TAB> in a directory of hostile names: each read back literally" ||
	{ tr '\0' '\n' <"$tmp/names"; echo "# got:"; tr '\0' '\n' <"$tmp/got"; } | sed 's/^/# /'
test ! -e PWNED && test ! -e PWNED2
ok $? "completing and reading back executed nothing (no PWNED, no PWNED2)"
c "$swauth" verify '' >"$tmp/raw"
grep -qx '\\\$\\(touch\\ PWNED\\)' "$tmp/raw" && grep -qx '\\`touch\\ PWNED2\\`' "$tmp/raw" &&
	grep -qx "it\\\\'s" "$tmp/raw" && grep -qx 'a\\ b' "$tmp/raw"
ok $? "the candidates are quoted: \\\$\\(touch\\ PWNED\\), \\\`touch\\ PWNED2\\\`, it\\'s, a\\ b"
grep -qx '\./-rf' "$tmp/raw" && ! grep -qx -e '-rf' "$tmp/raw"
ok $? "a name with a leading dash comes back as ./-rf, never as an option"
grep -qx "\\\$'new\\\\nline'" "$tmp/raw" && ! grep -qx new "$tmp/raw"
ok $? "a name with a newline comes back as one candidate, \$'new\\nline'"
test "$(list "$swauth" verify 'sub\ ')" = 'sub\ dir/' &&
	test "$(list "$swauth" verify "'sub d")" = 'sub\ dir/'
ok $? "a typed prefix, backslash-escaped or in open quotes, completes the directory with a slash"
test "$(h "$swauth" verify '$(touch' | tr '\0' '\n')" = '$(touch PWNED)' &&
	test "$(h "$swauth" verify '`touch' | tr '\0' '\n')" = '`touch PWNED2`' &&
	test ! -e PWNED && test ! -e PWNED2
ok $? "a typed \$(... or \`... prefix is matched literally, never run"
test -z "$(c "$swauth" verify 'star*x')"
ok $? "a typed glob character matches itself only (star*x: nothing)"
test -z "$(c '$(touch PWNED3)' '')" && test ! -e PWNED3 && test -z "$(c /nonexistent/swauth '')"
ok $? "a hostile or missing tool name completes nothing and runs nothing"
test "$(list "$swauth" sign --key = 'a\ ')" = 'a\ b' &&
	test "$(list "$swauth" sign --output 'it')" = "it\\'s" &&
	test "$(list "$swcopy" --ca-file = '')" = "$(list "$swcopy" '--ca-file' '')"
ok $? "file options complete files, also split at = as bash splits --key=FILE"
test "$(list "$swauth" show file 'new')" = "\$'new\\nline'"
ok $? "swauth show file completes files too"

# File system prefixes, in an empty directory.
mkdir "$tmp/e" && cd "$tmp/e" || exit 1
test "$(list "$swauth" verify fl)" = "flash0: flash1: flash:" &&
	test "$(list "$swauth" boot system u)" = "usbflash0: usbflash1:" &&
	test "$(list "$swcopy" nv)" = "nvram:" &&
	test "$(list "$swcopy" show '')" = "flash0: flash1: flash: nvram: usbflash0: usbflash1:"
ok $? "file system prefixes where the tools take them (verify, boot system, swcopy, swcopy show)"
test -z "$(c "$swauth" verify flash : '')" && test -z "$(c "$swauth" sign --key fl)" &&
	test -z "$(c "$swauth" key revoke special --bootloader fl)" &&
	test "$(list "$swauth" key revoke special --image fl)" = "flash0: flash1: flash:"
ok $? "nothing is offered inside flash: (no names), no prefix where only paths go (sign --key, key revoke --bootloader)"
touch xlocal
test -z "$(c "$swauth" key add production --image flash : x)" &&
	test -z "$(c "$swauth" key revoke special --image = flash : x)" &&
	test -z "$(c "$swauth" verify flash : x)" && test -z "$(c "$swcopy" flash : x)" &&
	test "$(c "$swauth" key add production --image x)" = xlocal
ok $? "inside flash: after an option too, the working directory's files are not offered"
rm xlocal
test -z "$(c "$swauth" status '')" && test -z "$(c "$swauth" show version '')" &&
	test -z "$(c "$swauth" key store reload '')"
ok $? "no operands where none are taken (status, show version, key store reload)"
test "$(list "$swauth" --)" = "--help --version" && test "$(list "$swcopy" config -)" = ""
ok $? "the tool's own options, and none where there are none"
test "$(list "$swauth" show keys --json '')" = "" && test "$(list "$swauth" key add special -)" = "--help --image"
ok $? "subcommands are offered only before the first operand or option's value"

# Odd input: a 70000-byte word, 400 words, break characters alone.
big=$(head -c 70000 /dev/zero | tr '\0' a)
r=0
for t in "$swauth" "$swcopy"; do
	"$t" --complete "$big" '' >/dev/null || r=1
	"$t" --complete $(seq 1 400) '' >/dev/null || r=1
	for a in ':' '=' ': :' '= =' ': x' '--x='; do
		"$t" --complete $a '' >/dev/null || r=1
	done
	"$t" --complete >/dev/null || r=1
done
test "$r" -eq 0 && test -z "$("$swauth" --complete "$big" '')"
ok $? "--complete survives a huge word, 400 words and lone ':' and '=' (exit 0)"

# swupgrade: a fixed list, checked against --help and the keyword table.
upcomp=$root/userspace/bash-completion/swupgrade
swupgrade=$root/build/bin/swupgrade
u() {
	COMP_FILE=$upcomp bash --norc -c '. "$COMP_FILE"
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _swupgrade; printf "%s\n" "${COMPREPLY[@]}"' sh \
		swupgrade "$@" | sort | tr '\n' ' ' | sed 's/ $//'
}
bash --norc -c '. "$1" && complete -p swupgrade' sh "$upcomp" >"$tmp/upreg" 2>&1
test "$(cat "$tmp/upreg")" = "complete -F _swupgrade swupgrade"
ok $? "sourcing swupgrade's file registers _swupgrade for swupgrade" || sed 's/^/# /' "$tmp/upreg"
cmds=$( ("$swupgrade" --help | sed -n 's/^\(Usage:\)\{0,1\} *swupgrade \([a-z][a-z]*\).*/\2/p'
	"$swupgrade" --help | help_opts) | sort -u | tr '\n' ' ' | sed 's/ $//')
test "$(u '')" = "$cmds" && test "$(u r)" = "runversion"
ok $? "swupgrade <TAB> offers swupgrade --help's commands and options ($cmds)"
kws=$(grep -o 'CONF_KW("[a-z-]*"' "$root/userspace/lib/boot/upgrade.c" | cut -d'"' -f2 | sort |
	tr '\n' ' ' | sed 's/ $//')
test -n "$kws" && test "$(u config '')" = "$(printf '%s\n' $kws no | sort | tr '\n' ' ' | sed 's/ $//')" &&
	test "$(u config no '')" = "$kws" && test "$(u config space-margin '')" = ""
ok $? "swupgrade config and config no: swupgrade.conf's keywords ($kws), no value offered"
"$swupgrade" --help | grep -q 'getversion URL|flash:NAME \[now | at HH:MM \[MON DAY\] | in \[HHH:\]MM\]' &&
	"$swupgrade" --help | grep -q '\[disk-management auto|confirm|no\]' &&
	test "$(u getversion '')" = "flash: locator" && test "$(u getversion locator '')" = "username" &&
	test "$(u getversion flash:x '')" = "at disk-management in now" &&
	test "$(u runversion '')" = "at in now" && test "$(u getversion flash:x at '')" = "now" &&
	test "$(u getversion flash:x disk-management '')" = "auto confirm no" &&
	test "$(u getversion flash:x in '')" = ""
ok $? "getversion and runversion: flash:, locator, the time words of the usage, disk-management's three"
test "$(u show '')" = "--json" && test "$(u show --json '')" = "" && test "$(u abortversion '')" = "" &&
	test "$(u bogus '')" = ""
ok $? "show: --json; nothing after abortversion or an unknown command"
test "$(u '$(touch PWNED4)' '')" = "" && test "$(u getversion '`touch PWNED5`' '')" = "at disk-management in now" &&
	test ! -e PWNED4 && test ! -e PWNED5
ok $? "typed \$(...) and \`...\` words are never run"
sed 's/ space-margin$//; s/ space-margin / /' "$upcomp" >"$tmp/swupgrade-old"
test "$(upcomp=$tmp/swupgrade-old u config no '')" != "$kws" &&
	! upcomp=$tmp/swupgrade-old u config no '' | grep -q space-margin
ok $? "a completion that lost a keyword (space-margin) fails the keyword check"

exit $fail
