#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Hostile and broken servers on 127.0.0.1 for the transfer tests: each
# answers what a file name asks for, so that one server covers every case.
# Prints the port it listens on, then serves until killed.
#
# Usage: hostile.py http|ftp|tftp DATA
#
# DATA is the file served whole where a case serves the file.
#
# http: GET /200 (the file), /206 (its first 1000 bytes as a range), /204,
#   /304, /300, /302 (no Location), /cl-12abc, /cl-0x10, /cl-two (invalid
#   or conflicting Content-Length), /esc (a 404 whose reason phrase holds
#   terminal escapes), /to-file (302 to file:///etc/passwd), /to-200 (302
#   to /200), /to-https/PORT/NAME (302 to https://127.0.0.1:PORT/NAME),
#   /to-host/ADDR/PORT/NAME (302 to http://ADDR:PORT/NAME, another host),
#   /trickle/RATE/N (200 with N bytes of the file, RATE bytes a second).
# ftp: RETR of any name sends the file; SIZE answers for "ok" the true
#   size, "short" 1000, "neg" "213 -5", "bad" "213 12abc", "nosize" and
#   "cut" 550; "cut" closes the data connection halfway with a 426;
#   "esc" is refused (550) with terminal escapes in the reply.
# tftp: RRQ "oack" gets an OACK with escapes in an option's name, "err" an
#   ERROR whose text holds escapes, "wrongport" the file in 512-byte blocks
#   while a second port sends a false copy of each block after the first
#   (the ERROR packets that port gets are counted in DATA.wrongport). WRQ
#   "stale" gets an OACK granting the window asked for (40000 at most),
#   the ACK of that window, then a stale ACK 0, then 3 s of silence; WRQ "slow"
#   waits for DATA.go (after creating DATA.wrq), then takes the file in
#   lock step without options into DATA.got.
#
# ADDR, after DATA, is the address to listen on (default 127.0.0.1).

import os
import socket
import socketserver
import struct
import sys
import threading
import time

ESC = b"\x1b[2J\x1b]0;owned\x07\r[OK]\x9b31m"


def http_reply(conn, status, headers=(), body=b""):
    head = b"HTTP/1.1 " + status + b"\r\n"
    for h in headers:
        head += h + b"\r\n"
    head += b"Connection: close\r\n\r\n"
    conn.sendall(head + body)


class HTTPHandler(socketserver.BaseRequestHandler):
    def handle(self):
        req = b""
        while b"\r\n\r\n" not in req:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            req += chunk
        path = req.split(b" ")[1].decode()
        data = self.server.data
        c = self.request
        length = lambda n: b"Content-Length: %d" % n
        if path == "/200":
            http_reply(c, b"200 OK", [length(len(data))], data)
        elif path == "/206":
            http_reply(c, b"206 Partial Content",
                       [b"Content-Range: bytes 0-999/%d" % len(data), length(1000)],
                       data[:1000])
        elif path == "/204":
            http_reply(c, b"204 No Content")
        elif path == "/304":
            http_reply(c, b"304 Not Modified")
        elif path == "/300":
            http_reply(c, b"300 Multiple Choices", [length(7)], b"choose\n")
        elif path == "/302":
            http_reply(c, b"302 Found", [length(6)], b"moved\n")
        elif path == "/cl-12abc":
            http_reply(c, b"200 OK", [b"Content-Length: 12abc"], data[:12])
        elif path == "/cl-0x10":
            http_reply(c, b"200 OK", [b"Content-Length: 0x10"], data[:16])
        elif path == "/no-length":
            http_reply(c, b"200 OK", [], data[:1000])
        elif path == "/chunked":
            body = b"%x\r\n" % len(data) + data + b"\r\n0\r\n\r\n"
            http_reply(c, b"200 OK", [b"Transfer-Encoding: chunked"], body)
        elif path == "/cl-two":
            http_reply(c, b"200 OK", [length(12), length(16)], data[:16])
        elif path == "/esc":
            http_reply(c, b"404 " + ESC, [length(0)])
        elif path == "/to-file":
            http_reply(c, b"302 Found", [b"Location: file:///etc/passwd", length(0)])
        elif path == "/to-200":
            http_reply(c, b"302 Found", [b"Location: /200", length(0)])
        elif path.startswith("/to-https/"):
            port, name = path.split("/")[2:4]
            loc = "https://127.0.0.1:%s/%s" % (port, name)
            http_reply(c, b"301 Moved Permanently", [b"Location: " + loc.encode(), length(0)])
        elif path.startswith("/to-host/"):
            addr, port, name = path.split("/")[2:5]
            loc = "http://%s:%s/%s" % (addr, port, name)
            http_reply(c, b"302 Found", [b"Location: " + loc.encode(), length(0)])
        elif path.startswith("/trickle/"):
            rate, n = (int(v) for v in path.split("/")[2:4])
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                      b"Connection: close\r\n\r\n" % n)
            try:
                for i in range(n):
                    time.sleep(1 / rate)
                    c.sendall(data[i:i + 1])
            except OSError:
                pass
        else:
            http_reply(c, b"404 Not Found", [length(0)])


class FTPHandler(socketserver.StreamRequestHandler):
    def say(self, text):
        self.wfile.write(text + b"\r\n")
        self.wfile.flush()

    def handle(self):
        data = self.server.data
        pasv = None
        self.say(b"220 hostile")
        for line in self.rfile:
            cmd, _, arg = line.rstrip(b"\r\n").partition(b" ")
            cmd = cmd.upper()
            name = arg.decode(errors="replace").lstrip("/")
            if cmd == b"USER":
                self.say(b"331 password")
            elif cmd == b"PASS":
                self.say(b"230 in")
            elif cmd == b"PWD":
                self.say(b'257 "/"')
            elif cmd in (b"TYPE", b"CWD"):
                self.say(b"200 ok")
            elif cmd in (b"EPSV", b"PASV"):
                pasv = socket.socket()
                pasv.bind(("127.0.0.1", 0))
                pasv.listen(1)
                port = pasv.getsockname()[1]
                if cmd == b"EPSV":
                    self.say(b"229 Entering Extended Passive Mode (|||%d|)" % port)
                else:
                    self.say(b"227 Entering Passive Mode (127,0,0,1,%d,%d)" %
                             (port >> 8, port & 255))
            elif cmd == b"SIZE":
                replies = {"ok": b"213 %d" % len(data), "short": b"213 1000",
                           "neg": b"213 -5", "bad": b"213 12abc"}
                self.say(replies.get(name, b"550 " + ESC if name == "esc" else b"550 no"))
            elif cmd == b"RETR":
                if name == "esc":
                    self.say(b"550 " + ESC)
                    continue
                self.say(b"150 sending")
                conn, _ = pasv.accept()
                conn.sendall(data[:len(data) // 2] if name == "cut" else data)
                conn.close()
                pasv.close()
                if name == "cut":
                    self.say(b"426 Connection closed; transfer aborted.")
                else:
                    self.say(b"226 done")
            elif cmd == b"QUIT":
                self.say(b"221 bye")
                return
            else:
                self.say(b"502 not implemented")


def udp(addr):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 0))
    return s


def tftp_options(pkt):
    fields = pkt[2:].split(b"\0")
    return {fields[i].lower(): fields[i + 1] for i in range(2, len(fields) - 1, 2)}


def tftp_wrongport(t, x, peer, data, path):
    """Lock step, 512-byte blocks; x sends a false block before each real one."""
    t.settimeout(5)
    x.settimeout(0)
    errors = 0
    for b in range((len(data) // 512) + 1):
        block = struct.pack("!HH", 3, (b + 1) & 0xffff) + data[b * 512:(b + 1) * 512]
        if b:
            x.sendto(block[:4] + bytes(len(block) - 4), peer)
        t.sendto(block, peer)
        while True:
            try:
                ack, _ = t.recvfrom(65536)
            except socket.timeout:
                return
            if ack[:2] == b"\0\4" and struct.unpack("!H", ack[2:4])[0] == (b + 1) & 0xffff:
                break
        try:
            while True:
                e, _ = x.recvfrom(65536)
                errors += e[:4] == struct.pack("!HH", 5, 5) and b"Unknown transfer ID" in e
        except BlockingIOError:
            pass
    with open(path + ".wrongport", "w") as f:
        f.write("%d\n" % errors)


def tftp_stale(t, peer, pkt):
    opts = tftp_options(pkt)
    win = min(int(opts.get(b"windowsize", b"1")), 40000)
    reply = b""
    for k in (b"blksize", b"tsize", b"timeout"):
        if k in opts:
            reply += k + b"\0" + opts[k] + b"\0"
    t.sendto(struct.pack("!H", 6) + reply + b"windowsize\0%d\0" % win, peer)
    time.sleep(0.5)
    t.sendto(struct.pack("!HH", 4, win & 0xffff), peer)
    time.sleep(0.2)
    t.sendto(struct.pack("!HH", 4, 0), peer)
    # Silence, not a closed port: the client must give up by itself.
    time.sleep(3)


def tftp_slow(t, peer, path):
    open(path + ".wrq", "w").close()
    for _ in range(1000):
        if os.path.exists(path + ".go"):
            break
        time.sleep(0.01)
    t.settimeout(5)
    got = b""
    block = 0
    t.sendto(struct.pack("!HH", 4, 0), peer)
    while True:
        try:
            pkt, _ = t.recvfrom(65536)
        except socket.timeout:
            return
        if pkt[:2] != b"\0\3" or struct.unpack("!H", pkt[2:4])[0] != (block + 1) & 0xffff:
            continue
        block += 1
        got += pkt[4:]
        t.sendto(struct.pack("!HH", 4, block & 0xffff), peer)
        if len(pkt) - 4 < 512:
            break
    with open(path + ".got", "wb") as f:
        f.write(got)


def tftp(data, path, addr):
    s = udp(addr)
    print(s.getsockname()[1], flush=True)
    while True:
        pkt, peer = s.recvfrom(65536)
        op = struct.unpack("!H", pkt[:2])[0]
        name = pkt[2:].split(b"\0")[0]
        t = udp(addr)
        if op == 2 and name == b"stale":
            tftp_stale(t, peer, pkt)
        elif op == 2 and name == b"slow":
            tftp_slow(t, peer, path)
        elif op != 1:
            pass
        elif name == b"wrongport":
            x = udp(addr)
            tftp_wrongport(t, x, peer, data, path)
            x.close()
        elif name == b"oack":
            t.sendto(struct.pack("!H", 6) + ESC + b"\0" + b"1\0", peer)
        else:
            t.sendto(struct.pack("!HH", 5, 1) + ESC + b"\0", peer)
        t.close()


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    kind, path = sys.argv[1:3]
    addr = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
    with open(path, "rb") as f:
        data = f.read()
    if kind == "tftp":
        return tftp(data, path, addr)
    srv = Server((addr, 0), HTTPHandler if kind == "http" else FTPHandler)
    srv.data = data
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
