#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The manual pages (Documentation/man/): each renders without a warning
# (man --warnings, groff -ww), each tool has one, and the pages cannot fall
# behind the code: every subcommand and option the tools' own tables give
# (TOOL --complete, the tables the bash completion reads) is in the tool's
# page, and every module parameter, sysfs file, netlink command and ioctl of
# the module is in swauth(4). swupgrade(8) has every command and word of
# swupgrade --help's usage, every keyword of swupgrade.conf and every state
# and step of the job (lib/boot/upgrade.c's tables); swupgraded(8) every
# option of swupgraded --help, swpkid(8) every option of swpkid --help. The checks are shown to fail on a page with
# a markup error and on pages with a command or a parameter taken out.

set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
bin=$root/build/bin
man=$root/Documentation/man
for t in swauth swcopy swupgrade swupgraded swpkid; do
	[ -x "$bin/$t" ] || { echo "1..0 # SKIP $bin/$t is not built (make userspace)"; exit 0; }
done
command -v man >/dev/null && command -v groff >/dev/null ||
	{ echo "1..0 # SKIP man or groff missing (scripts/deps installs them)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. selftests/host/tap.sh

# The warnings of both renderers, on standard output.
warnings() {
	man --warnings -l "$1" 2>&1 >/dev/null
	groff -ww -z -man "$1" 2>&1
}

# The page as text: no font changes, \- as -, no quotes.
norm() {
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(..//g' -e 's/\\&//g' \
		-e 's/\\c$//' -e 's/"//g' "$1"
}

# The page's command headings: the line after each .TP, without its macro.
headings() {
	norm "$1" | awk 'tp { sub(/^\.[A-Z]+ */, ""); gsub(/  +/, " "); print } { tp = /^\.TP/ }'
}

# has_word PAGE WORD: WORD appears in the page as a whole word. The text
# of each page is made once.
has_word() {
	txt=$tmp/text$(printf '%s' "$1" | tr / _)
	[ -f "$txt" ] || norm "$1" >"$txt"
	grep -qE -e "(^|[^A-Za-z0-9_-])$(printf '%s' "$2" |
		sed 's/[].[*^$\/]/\\&/g')([^A-Za-z0-9_-]|$)" "$txt"
}

# cands TOOL WORD...: the candidates TOOL offers after WORD..., without
# file markers and file system prefixes.
cands() {
	t=$1
	shift
	"$bin/$t" --complete "$@" | grep -v -e '^@' -e ':$'
}

# missing TOOL PAGE: what the tool's tables have and its page lacks, one a
# line. Every word and option one and two levels down is in the page;
# swauth's subcommands each head a .TP entry, and a nested one (one with
# options of its own) is named in a heading of its parent at least.
missing() {
	t=$1
	page=$2
	headings "$page" >"$tmp/headings"
	cands "$t" - | while read -r o; do has_word "$page" "$o" || echo "$o"; done
	cands "$t" '' >"$tmp/top.$t"
	while read -r w; do
		has_word "$page" "$w" || echo "$w"
		if [ "$t" = swauth ] && ! grep -qE "^$w( |$)" "$tmp/headings"; then
			echo "$w (no heading)"
		fi
		cands "$t" "$w" - | while read -r o; do has_word "$page" "$o" || echo "$w $o"; done
		cands "$t" "$w" '' | while read -r x; do
			has_word "$page" "$x" || echo "$w $x"
			cands "$t" "$w" "$x" - >"$tmp/opts.x"
			if [ "$t" = swauth ] && ! cands "$t" "$w" - | cmp -s - "$tmp/opts.x" &&
				! grep -qE "^$w $x( |$)" "$tmp/headings" &&
				! grep -E "^$w( |$)" "$tmp/headings" | grep -qF -e "$x"; then
				echo "$w $x (not in a heading)"
			fi
			while read -r o; do
				has_word "$page" "$o" || echo "$w $x $o"
			done <"$tmp/opts.x"
		done
	done <"$tmp/top.$t"
}

# module_missing PAGE: parameters, sysfs files, netlink commands and ioctls
# of the module that the page lacks.
module_missing() {
	for p in $(grep -ho 'module_param([a-z_]*' kmod/*.c | sed 's/.*(//'); do
		has_word "$1" "$p" || echo "parameter $p"
	done
	for f in $(sed -n 's|^What:[[:space:]]*/sys/kernel/swauth/||p' \
			Documentation/ABI/testing/sysfs-kernel-swauth); do
		has_word "$1" "$f" || echo "sysfs $f"
	done
	for c in $(sed -n 's/^[[:space:]]*\(SWAUTH_CMD_[A-Z_]*\),.*/\1/p' include/uapi/linux/swauth.h |
			grep -v UNSPEC) $(sed -n 's/^#define \(SWAUTH_IOC_[A-Z]*\) _IO.*/\1/p' \
			include/uapi/linux/swauth.h); do
		has_word "$1" "$c" || echo "$c"
	done
	has_word "$1" /dev/swauth || echo /dev/swauth
}

# upgrade_missing PAGE: the commands and words of swupgrade's usage, the
# keywords of swupgrade.conf and the job's states and steps that the page
# lacks.
upgrade_missing() {
	for w in $("$bin/swupgrade" --help | sed -n '/^Usage:/,/^$/p' |
			grep -oE '(^|[ |[])[a-z][a-z-]+' | tr -d ' |[' | sort -u) \
		$(grep -o 'CONF_KW("[a-z-]*"' userspace/lib/boot/upgrade.c | cut -d'"' -f2) \
		$(sed -n '/^static const char \*const \(states\|steps\)\[\]/,/};/p' \
			userspace/lib/boot/upgrade.c | grep -o '"[a-z-]*"' | tr -d '"'); do
		has_word "$1" "$w" || echo "$w"
	done
}

# opts_missing TOOL PAGE: the options of TOOL --help that PAGE lacks.
opts_missing() {
	for o in $("$bin/$1" --help | grep -oE '(^| )--?[a-zA-Z][a-z-]*' | sort -u); do
		has_word "$2" "$o" || echo "$o"
	done
}

# pki_missing PAGE: swpki's subcommands (its --help table), the words of
# their own tables (key, show) and every option of each one's --help that
# PAGE lacks.
pki_missing() {
	help_words() { sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'; }
	help_opts() { grep -oE -- '(^|[ [|])--[a-z][a-z-]*' | tr -d ' [|' | sort -u; }
	for c in $("$bin/swpki" --help | help_words); do
		has_word "$1" "$c" || echo "$c"
		"$bin/swpki" "$c" --help 2>&1 | help_opts | while read -r o; do
			has_word "$1" "$o" || echo "$c $o"
		done
		for w in $("$bin/swpki" "$c" --help 2>&1 | help_words); do
			has_word "$1" "$w" || echo "$c $w"
			"$bin/swpki" "$c" "$w" --help 2>&1 | help_opts | while read -r o; do
				has_word "$1" "$o" || echo "$c $w $o"
			done
		done
	done
}

echo "1..$(($(ls "$man"/*.[0-9] | wc -l) + 16))"

for page in "$man"/*.[0-9]; do
	w=$(warnings "$page")
	test -z "$w"
	ok $? "$(basename "$page") renders without warnings" || printf '%s\n' "$w" | sed 's/^/# /'
done
test -f "$man/swauth.4" && test -f "$man/swauth.8" && test -f "$man/swcopy.8" &&
	test -f "$man/swupgrade.8" && test -f "$man/swupgraded.8"
ok $? "the module has a page in section 4, swauth, swcopy, swupgrade and swupgraded in section 8"

printf '.TH BAD 8\n.SH NAME\nbad \\- a page with an error\n.SH DESCRIPTION\n\\fZbad font\n.XX unknown\n' \
	>"$tmp/bad.8"
test -n "$(warnings "$tmp/bad.8")"
ok $? "a page with a bad font and an unknown macro gives warnings"

missed=
for t in $(ls "$bin"); do
	[ -f "$man/$t.8" ] || missed="$missed $t"
done
test -z "$missed" && test -n "$(ls "$bin")"
ok $? "every tool in build/bin has a page in section 8" || echo "# no page:$missed"

for t in swauth swcopy; do
	missing "$t" "$man/$t.8" >"$tmp/missing.$t"
	test ! -s "$tmp/missing.$t" && test "$(wc -l <"$tmp/top.$t")" -ge 2
	ok $? "every subcommand, word and option of $t's tables is in $t.8" ||
		sed "s/^/# $t.8 lacks: /" "$tmp/missing.$t"
done

upgrade_missing "$man/swupgrade.8" >"$tmp/missing.up"
opts_missing swupgrade "$man/swupgrade.8" >>"$tmp/missing.up"
test ! -s "$tmp/missing.up" && has_word "$man/swupgrade.8" abortversion &&
	has_word "$man/swupgrade.8" boot-image && has_word "$man/swupgrade.8" space-margin
ok $? "every command, usage word, swupgrade.conf keyword, state and step is in swupgrade.8" ||
	sed 's/^/# swupgrade.8 lacks: /' "$tmp/missing.up"
opts_missing swupgraded "$man/swupgraded.8" >"$tmp/missing.upd"
test ! -s "$tmp/missing.upd" && "$bin/swupgraded" --help | grep -q -e '--trust-dir'
ok $? "every option of swupgraded --help is in swupgraded.8" ||
	sed 's/^/# swupgraded.8 lacks: /' "$tmp/missing.upd"

pki_missing "$man/swpki.8" >"$tmp/missing.pki"
test ! -s "$tmp/missing.pki" && "$bin/swpki" key export --help 2>&1 | grep -q -e '--passphrase-file'
ok $? "every subcommand, word of their tables and option of swpki's --help texts is in swpki.8" ||
	sed 's/^/# swpki.8 lacks: /' "$tmp/missing.pki"

opts_missing swpkid "$man/swpkid.8" >"$tmp/missing.pkid"
test ! -s "$tmp/missing.pkid" && "$bin/swpkid" --help | grep -q -e '--dir'
ok $? "every option of swpkid --help is in swpkid.8" ||
	sed 's/^/# swpkid.8 lacks: /' "$tmp/missing.pkid"
sed 's/dir/directory/g' "$man/swpkid.8" >"$tmp/swpkid.8"
opts_missing swpkid "$tmp/swpkid.8" | grep -qx -e '--dir'
ok $? "a swpkid.8 without --dir is caught"

module_missing "$man/swauth.4" >"$tmp/missing.ko"
test ! -s "$tmp/missing.ko" && grep -q 'module_param(store_dir' kmod/*.c
ok $? "every module parameter, sysfs file, netlink command and ioctl is in swauth.4" ||
	sed 's/^/# swauth.4 lacks: /' "$tmp/missing.ko"

# The checks fail on a page that lost something.
sed '/^\.BR monitor /d' "$man/swauth.8" >"$tmp/swauth.8"
missing swauth "$tmp/swauth.8" | grep -qx 'monitor (no heading)'
ok $? "a swauth.8 without the monitor entry is caught"
sed 's/blksize/blocksize/g' "$man/swcopy.8" >"$tmp/swcopy.8"
missing swcopy "$tmp/swcopy.8" | grep -qx -e '--blksize'
ok $? "a swcopy.8 without --blksize is caught"
sed -e 's/runversion/run-version/g' -e 's/space\\-margin/space-gap/g' \
	-e 's/^\.B reloading$/.B reload-in-progress/' "$man/swupgrade.8" >"$tmp/swupgrade.8"
upgrade_missing "$tmp/swupgrade.8" | sort | tr '\n' ' ' >"$tmp/caught.up"
test "$(cat "$tmp/caught.up")" = "reloading runversion space-margin "
ok $? "a swupgrade.8 without runversion, space-margin and the state reloading is caught" ||
	echo "# caught: $(cat "$tmp/caught.up")"
sed 's/passphrase\\-file/pass-file/g; s/passphrase-file/pass-file/g' "$man/swpki.8" >"$tmp/swpki.8"
pki_missing "$tmp/swpki.8" | grep -q -e 'key export --passphrase-file'
ok $? "a swpki.8 without --passphrase-file is caught"
sed 's/store_dir/storedir/g' "$man/swauth.4" >"$tmp/swauth.4"
module_missing "$tmp/swauth.4" | grep -qx 'parameter store_dir'
ok $? "a swauth.4 without store_dir is caught"

exit $fail
