# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# For swupgrade.t and swupgrade-hostile.t, sourced from the repository's
# root once $tmp, $trust and $swupgrade are set: the daemon started and
# stopped by its PID ($dpid), signed test images, swupgrade's output.

dpid=
stop_daemon() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	dpid=
}
# start_daemon: swupgraded (or $swupgraded) in the background (the last one
# stopped first), until it answers show (60 s: under load a start took
# over 10 s). A daemon that takes the connection but does not answer
# within 20 s (stuck before it serves) is not asked again.
start_daemon() {
	stop_daemon
	"${swupgraded:-build/bin/swupgraded}" $trust >>"$tmp/daemon.log" 2>&1 &
	dpid=$!
	i=0
	until timeout 20 "$swupgrade" show >/dev/null 2>&1; do
		[ $? -ne 124 ] && [ $i -lt 600 ] || break
		sleep 0.1
		i=$((i + 1))
	done
}
# run ARGS...: swupgrade's output in $tmp/out, its status in $rc.
run() {
	"$swupgrade" "$@" </dev/null >"$tmp/out" 2>&1
	rc=$?
}
has() { grep -qF -- "$1" "$tmp/out"; }
why() { sed 's/^/# /' "$tmp/out" >&2; }

le64() {
	for b in 0 1 2 3 4 5 6 7; do
		printf "\\$(printf %o $((($1 >> (8 * b)) & 255)))"
	done
}
# tamper FILE OFFSET: the byte at OFFSET inverted, so that FILE always
# differs (writing a fixed byte leaves it as it was one time in 256).
tamper() {
	tb=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf %o $((255 - tb)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# sign NAME PLATFORM PAYLOAD OUT: a production image signed with keyrings/dev.
sign() {
	build/bin/swauth sign --key keyrings/dev/production-A.key \
		--cert keyrings/dev/production-A.crt --type production --key-version A \
		--name "$1" --platform "$2" "$3" -o "$4" >/dev/null
}
# make_images: the test's directories, $tmp/payload (a kernel and an
# initramfs), and signed by it the new image pub/v2.SPA and the boot image
# flash/v1.SPA, both for the platform c3900.
make_images() {
	mkdir -p "$tmp/pub" "$tmp/flash" "$tmp/state" "$tmp/run" "$tmp/srv"
	head -c 300000 /dev/urandom >"$tmp/kernel"
	head -c 200000 /dev/urandom >"$tmp/initrd"
	{ le64 300000; cat "$tmp/kernel"; le64 200000; cat "$tmp/initrd"; } >"$tmp/payload"
	sign v2 c3900 "$tmp/payload" "$tmp/pub/v2.SPA" &&
		sign v1 c3900 "$tmp/payload" "$tmp/flash/v1.SPA"
}
# write_config FLASH BOOT: swauth.conf with flash-dir FLASH and boot-image BOOT.
write_config() {
	printf 'flash-dir %s\nstate-dir %s\nrun-dir %s\nplatform c3900\nboot-image %s\n' \
		"$1" "$tmp/state" "$tmp/run" "$2" >"$SWAUTH_CONFIG"
}
