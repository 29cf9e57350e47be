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
# Usage: httpd.py ROOT [--port N] [--cert PEM --key PEM] [--auth USER:PASS] [--chunked]

import argparse
import base64
import http.server
import os
import ssl
import sys


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

    def send_chunked(self, f):
        while True:
            chunk = f.read(1 << 16)
            if not chunk:
                break
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

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
        with open(path, "rb") as f:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            if self.server.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(st.st_size))
            self.end_headers()
            if self.command == "HEAD":
                return
            if self.server.chunked:
                self.send_chunked(f)
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
    a = ap.parse_args()
    srv = Server(("127.0.0.1", a.port), Handler)
    srv.root = os.path.realpath(a.root)
    srv.auth = a.auth
    srv.chunked = a.chunked
    serve(srv, a.cert, a.key)


if __name__ == "__main__":
    sys.exit(main())
