#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# A loopback HTTP(S) server for the transfer tests: GET and HEAD with
# Content-Length, PUT (written to a temporary file, renamed when complete),
# 404 for a missing file, 403 for a file that is not world-readable or a
# PUT outside the root. --auth USER:PASS answers 401 to every request
# without those Basic credentials; --chunked sends GET bodies chunked, with
# no Content-Length, so the client learns the size only at the end. Prints
# the port it listens on, then serves until killed.
#
# A file's replies carry an ETag and a Last-Modified, and honour a single
# Range (206 with Content-Range; 416 past the end) unless an If-Range
# names another version. For the resume tests: --drop-after N closes the
# connection after N bytes of the body of each of the first K (--drops K,
# default 1) GET replies of a file; then --ignore-range answers Range with
# the whole file (200), --change makes the file another version (a new
# ETag and Last-Modified), --tamper sends the rest (206, same ETag) with
# every byte inverted; --delay S waits S seconds before answering a Range
# request. --no-length sends bodies without Content-Length, the close of the
# connection marking their end.
# Usage: httpd.py ROOT [--port N] [--cert PEM --key PEM] [--auth USER:PASS] [--chunked]
#        [--no-length] [--drop-after N [--drops K] [--ignore-range|--change|--tamper]
#        [--delay S]]

import argparse
import base64
import email.utils
import http.server
import os
import re
import socket
import ssl
import sys
import threading
import time


INVERT = bytes(range(255, -1, -1))


class Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.1: keep-alive, and "Expect: 100-continue" answered on PUT.
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def target(self):
        path = self.path.split("?", 1)[0]
        rel = os.path.normpath(http.server.urllib.parse.unquote(path)).lstrip("/")
        full = os.path.join(self.server.root, rel)
        if rel.startswith("..") or not full.startswith(self.server.root):
            return None
        return full

    def reply(self, code, text, headers=()):
        body = (text + "\n").encode()
        self.send_response(code, text)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def authorized(self):
        if not self.server.auth:
            return True
        want = "Basic " + base64.b64encode(self.server.auth.encode()).decode()
        if self.headers.get("Authorization") == want:
            return True
        # A refused PUT's body is never read: the connection cannot go on.
        self.close_connection = True
        self.reply(401, "Unauthorized", [("WWW-Authenticate", 'Basic realm="swauth-test"')])
        return False

    def requested_range(self, size, etag, modified):
        """(start, end) of a single Range to honour, None for the whole file."""
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if not m or self.server.ignore_range:
            return None
        if_range = self.headers.get("If-Range")
        if if_range is not None and if_range not in (etag, modified):
            return None
        start = int(m.group(1))
        end = int(m.group(2)) if m.group(2) else size - 1
        return start, min(end, size - 1)

    def cut_now(self):
        """Whether this reply is one of the first K that are cut."""
        with self.server.lock:
            if self.server.drop_after is None or self.server.dropped >= self.server.drops:
                return False
            self.server.dropped += 1
            return True

    def send_body(self, f, start, length):
        """LENGTH bytes of F from START, chunked or not; cut, inverted."""
        limit = length
        cut = self.cut_now()
        if cut:
            limit = min(length, self.server.drop_after)
        # After a cut, --tamper sends the rest inverted.
        invert = self.server.tamper and start > 0
        f.seek(start)
        while limit:
            data = f.read(min(limit, 1 << 16))
            if not data:
                break
            limit -= len(data)
            if invert:
                data = data.translate(INVERT)
            if self.server.chunked:
                data = b"%x\r\n%s\r\n" % (len(data), data)
            self.wfile.write(data)
        if self.server.chunked and not cut:
            self.wfile.write(b"0\r\n\r\n")
        if cut or self.server.no_length:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)

    def do_GET(self):
        if not self.authorized():
            return
        path = self.target()
        if path is None:
            return self.reply(403, "Forbidden path")
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return self.reply(404, "File not found")
        if not os.path.isfile(path) or not st.st_mode & 0o004:
            return self.reply(403, "Permission denied")
        # --change: each cut makes the file a newer version.
        version = self.server.dropped if self.server.change else 0
        etag = '"%x-%x-%d"' % (st.st_mtime_ns, st.st_size, version)
        modified = email.utils.formatdate(st.st_mtime + version, usegmt=True)
        size = st.st_size
        if "Range" in self.headers:
            time.sleep(self.server.delay)
        rng = self.requested_range(size, etag, modified)
        if rng and rng[0] >= size:
            return self.reply(416, "Range Not Satisfiable", [("Content-Range", "bytes */%d" % size)])
        with open(path, "rb") as f:
            start, end = rng if rng else (0, size - 1)
            self.send_response(206 if rng else 200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.send_header("Accept-Ranges", "bytes")
            if rng:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
            if self.server.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            elif self.server.no_length:
                self.send_header("Connection", "close")
            else:
                self.send_header("Content-Length", str(end + 1 - start))
            self.end_headers()
            if self.command == "HEAD":
                return
            if rng or self.server.drop_after is not None or self.server.no_length or \
                    self.server.chunked:
                self.send_body(f, start, end + 1 - start)
            else:
                self.wfile.flush()
                self.connection.sendfile(f)

    do_HEAD = do_GET

    def do_PUT(self):
        if not self.authorized():
            return
        path = self.target()
        length = self.headers.get("Content-Length")
        if path is None or not os.path.isdir(os.path.dirname(path)):
            return self.reply(403, "Forbidden path")
        if length is None or not length.isdigit():
            return self.reply(411, "Length required")
        left = int(length)
        tmp = path + ".part"
        with open(tmp, "wb") as f:
            while left:
                chunk = self.rfile.read(min(left, 1 << 20))
                if not chunk:
                    break
                f.write(chunk)
                left -= len(chunk)
        if left:
            os.unlink(tmp)
            self.close_connection = True
            return
        os.rename(tmp, path)
        self.reply(201, "Created")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that hangs up mid-reply is what some tests do.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def serve(srv, cert=None, key=None):
    """Serves until killed, over TLS with CERT and KEY when given; prints the port first."""
    if cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--auth", metavar="USER:PASS")
    ap.add_argument("--chunked", action="store_true")
    ap.add_argument("--no-length", action="store_true")
    ap.add_argument("--drop-after", type=int, metavar="N")
    ap.add_argument("--drops", type=int, default=1, metavar="K")
    after = ap.add_mutually_exclusive_group()
    after.add_argument("--ignore-range", action="store_true")
    after.add_argument("--change", action="store_true")
    after.add_argument("--tamper", action="store_true")
    ap.add_argument("--delay", type=float, default=0, metavar="S")
    a = ap.parse_args()
    srv = Server(("127.0.0.1", a.port), Handler)
    srv.root = os.path.realpath(a.root)
    srv.auth = a.auth
    srv.chunked = a.chunked
    srv.no_length = a.no_length
    srv.drop_after = a.drop_after
    srv.drops = a.drops
    srv.dropped = 0
    srv.lock = threading.Lock()
    srv.ignore_range = a.ignore_range
    srv.change = a.change
    srv.tamper = a.tamper
    srv.delay = a.delay
    serve(srv, a.cert, a.key)


if __name__ == "__main__":
    sys.exit(main())
