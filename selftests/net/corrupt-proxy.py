#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# A TCP proxy that corrupts: it forwards each connection to TARGET_PORT on
# 127.0.0.1 and flips the low bit of the byte at OFFSET of what the server
# sends back (counted from the first byte of the reply, headers included),
# once per connection. Prints the port it listens on, then serves until
# killed. Usage: corrupt-proxy.py TARGET_PORT OFFSET [--port N]

import argparse
import socket
import sys
import threading


def pump(src, dst, offset):
    seen = 0
    try:
        while True:
            data = src.recv(1 << 16)
            if not data:
                break
            if offset is not None and seen <= offset < seen + len(data):
                i = offset - seen
                data = data[:i] + bytes([data[i] ^ 1]) + data[i + 1:]
            seen += len(data)
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(client, target, offset):
    try:
        server = socket.create_connection(("127.0.0.1", target))
    except OSError:
        client.close()
        return
    threading.Thread(target=pump, args=(client, server, None), daemon=True).start()
    pump(server, client, offset)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("target", type=int)
    ap.add_argument("offset", type=int)
    ap.add_argument("--port", type=int, default=0)
    a = ap.parse_args()
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", a.port))
    ls.listen(16)
    print(ls.getsockname()[1], flush=True)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve, args=(c, a.target, a.offset), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
