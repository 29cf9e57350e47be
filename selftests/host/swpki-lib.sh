# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# What the swpki*.t tests share, sourced from the repository's root: the
# sanitizer build of swpki ($SWPKI to run another), a temporary directory
# removed at exit (after the commands of $cleanup, and the processes of
# $pids killed), TAP (tap.sh), a store $pki in it, an empty swauth.conf,
# and:
#   run ARG...        swpki --dir $pki ARG... without a terminal; sets rc,
#                     and out and err to what it printed ($tmp/out, $tmp/err)
#   snapshot [DIR]    every file of DIR ($pki) and its SHA-256: what must not
#                     change when a command is refused
#   secret NAME TEXT  $tmp/NAME holding TEXT, mode 0600 (a PIN, a passphrase)
#   softhsm_init      a softhsm2 of the test's own ($SOFTHSM2_CONF, token
#                     directory in $tmp), $module its PKCS#11 module; skips
#                     the test when softhsm2 or opensc is missing
#   kr_purge STORE    the unlocked keys of STORE removed from root's keyring

repo=$PWD
swpki=${SWPKI:-$repo/build/tests/host/bin/swpki}
[ -x "$swpki" ] || { echo "1..0 # SKIP $swpki is not built (make)"; exit 0; }
tmp=$(mktemp -d)
pids=
cleanup=
trap 'eval "$cleanup"; for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
. selftests/host/tap.sh
export SWAUTH_CONFIG=$tmp/swauth.conf
: >"$SWAUTH_CONFIG"
pki=$tmp/pki
tap_diag="$tmp/out $tmp/err"

run() {
	"$swpki" --dir "$pki" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

snapshot() {
	(cd "${1:-$pki}" && find . -type f -print0 | sort -z | xargs -0r sha256sum)
}

secret() {
	printf '%s\n' "$2" >"$tmp/$1" && chmod 600 "$tmp/$1"
}

softhsm_init() {
	module=/usr/lib/softhsm/libsofthsm2.so
	command -v softhsm2-util >/dev/null && command -v pkcs11-tool >/dev/null &&
		[ -e "$module" ] ||
		{ echo "1..0 # SKIP softhsm2 or opensc missing (scripts/deps installs them)"; exit 0; }
	mkdir -p "$tmp/tokens"
	printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
		"$tmp" >"$tmp/softhsm2.conf"
	export SOFTHSM2_CONF="$tmp/softhsm2.conf"
}

kr_purge() {
	[ -d "$1" ] || return 0
	for id in $(keyctl rlist @u 2>/dev/null); do
		case $(keyctl rdescribe "$id" 2>/dev/null) in
		"user;"*";swpki:$(stat -c %d:%i "$1"):"*) keyctl unlink "$id" @u >/dev/null ;;
		esac
	done
}
