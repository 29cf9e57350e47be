#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Writes the seed corpus of tftp_fuzz into DIR: what tftpd-hpa answers to
# swcopy's requests (the OACK echoing the options asked for, in their
# order, DATA and ACK blocks, ERROR packets), in the input format
# described in tftp_fuzz.c.
#
# Usage: tftp_seeds.sh DIR

set -eu
dir=$1
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

oct() { printf "\\$(printf %03o "$1")"; }
u16() { oct $(($1 >> 8)); oct $(($1 & 255)); }
# One packet as the fuzzer reads it: flags (1: from another port), length, bytes.
pkt() {
	flags=$1
	shift
	"$@" >"$tmp"
	oct "$flags"
	u16 "$(wc -c <"$tmp")"
	cat "$tmp"
}
fill() { head -c "$1" /dev/zero | tr '\0' x; }
data() { u16 3; u16 "$1"; fill "$2"; }
ack() { u16 4; u16 "$1"; }
oack() { u16 6; for o; do printf '%s\000' "$o"; done; }
err() { u16 5; u16 "$1"; printf '%s\000' "$2"; }
# Mode (see tftp_fuzz.c): upload, block size 0/8/512/1428, window 0/2/4/16.
mode() { oct $(($1 | $2 << 1 | $3 << 3)); oct "${4:-0}"; }

# Downloads.
{ mode 0 0 0; pkt 0 data 1 100; } >"$dir/get-no-options"
{ mode 0 0 0; pkt 0 oack tsize 600 timeout 1; pkt 0 data 1 512; pkt 0 data 2 88; } \
	>"$dir/get-tsize"
{ mode 0 3 2; pkt 0 oack blksize 1428 tsize 3000 timeout 1 windowsize 4
  pkt 0 data 1 1428; pkt 0 data 2 1428; pkt 0 data 3 144; } >"$dir/get-window"
{ mode 0 1 0; pkt 0 oack blksize 8 tsize 16 timeout 1; pkt 0 data 1 8; pkt 0 data 2 8
  pkt 0 data 3 0; } >"$dir/get-blksize-8"
{ mode 0 2 3; pkt 0 oack blksize 512 tsize 1024 timeout 1 windowsize 16
  pkt 0 data 2 512; pkt 0 data 1 512; pkt 0 data 2 512; pkt 1 data 3 0; pkt 0 data 3 0; } \
	>"$dir/get-reordered"
{ mode 0 0 0; pkt 0 err 1 "File not found"; } >"$dir/get-not-found"
{ mode 0 3 1; pkt 0 err 8 "Bad option"; pkt 0 data 1 512; pkt 0 data 2 3; } \
	>"$dir/get-options-refused"

# Uploads.
{ mode 1 0 0 10; pkt 0 oack tsize 370 timeout 1; pkt 0 ack 1; } >"$dir/put-tsize"
{ mode 1 0 0 10; pkt 0 ack 0; pkt 0 ack 1; } >"$dir/put-no-options"
{ mode 1 2 1 40; pkt 0 oack blksize 512 tsize 1480 timeout 1 windowsize 2
  pkt 0 ack 2; pkt 0 ack 2; pkt 0 ack 3; } >"$dir/put-window"
{ mode 1 0 0 1; pkt 0 err 2 "Access violation"; } >"$dir/put-refused"
{ mode 1 0 0 0; pkt 0 ack 0; pkt 1 err 5 "Unknown transfer ID"; pkt 0 ack 1; } \
	>"$dir/put-empty-stranger"
