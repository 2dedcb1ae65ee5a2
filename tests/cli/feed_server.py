#!/usr/bin/env python3
"""A loopback HTTP server for tests/cli/db_update.sh: serves feed files from a
directory the way the public feed hosts do (ETag, Last-Modified, 304 on a
conditional request) and, on test-only paths, misbehaves the ways a real
server can.

    feed_server.py ROOT LOG PORTFILE [LIFETIME]

Binds 127.0.0.1 on a free port, writes the port to PORTFILE, appends one
JSON line per request to LOG (method, path, the conditional headers it
carried, the status sent) and stops by itself after LIFETIME seconds
(default 300) so that a test that dies cannot leave it running.

Paths (REL is a file under ROOT):
    /feeds/REL            the file; its behaviour can be switched with /_ctl
    /e/404/REL            404 Not Found
    /e/flaky/REL          503 with Retry-After: 0 on the first request for REL,
                          then the file (a retry must get it)
    /e/cut/REL            the headers with the full Content-Length, half of the
                          body, then the connection is dropped
    /e/stall/REL          the headers and a few bytes, then one byte a second
                          (far below any sane speed limit) for up to 60 s
    /e/redirect/REL       302 to /feeds/REL
    /e/loop               302 to itself, forever
    /_ctl?path=REL&mode=M makes /feeds/REL behave as /e/M/REL from now on
                          (M = ok, 404, flaky, cut, stall, 500)
"""
import email.utils
import hashlib
import json
import os
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT, LOG, PORTFILE = sys.argv[1], sys.argv[2], sys.argv[3]
LIFETIME = float(sys.argv[4]) if len(sys.argv) > 4 else 300.0
STALL_MAX = 60

modes = {}  # REL -> mode for /feeds/REL
flaky_seen = set()
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "lading-test-feeds/1"

    def log_message(self, fmt, *args):  # quiet: the JSON log is what tests read
        pass

    def record(self, status, rel=None):
        entry = {
            "method": self.command,
            "path": self.path,
            "rel": rel,
            "if_none_match": self.headers.get("If-None-Match"),
            "if_modified_since": self.headers.get("If-Modified-Since"),
            "status": status,
            "time": time.time(),
        }
        with lock:
            with open(LOG, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def simple(self, status, body=b"", headers=(), rel=None):
        self.record(status, rel)
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def file_for(self, rel):
        root = os.path.realpath(ROOT)
        path = os.path.realpath(os.path.join(root, rel))
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            return None
        return path

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.split("/")
        if url.path == "/_ctl":
            q = urllib.parse.parse_qs(url.query)
            with lock:
                modes[q["path"][0]] = q["mode"][0]
            return self.simple(200, b"ok\n")
        if url.path == "/e/loop":
            return self.simple(302, headers=[("Location", "/e/loop")])
        if len(parts) >= 3 and parts[1] == "feeds":
            rel = "/".join(parts[2:])
            with lock:
                mode = modes.get(rel, "ok")
        elif len(parts) >= 4 and parts[1] == "e":
            mode, rel = parts[2], "/".join(parts[3:])
        else:
            return self.simple(404, b"no such path\n")
        path = self.file_for(rel)
        if path is None or mode == "404":
            return self.simple(404, b"not found\n", rel=rel)
        if mode == "500":
            return self.simple(500, b"internal error\n", rel=rel)
        if mode == "redirect":
            return self.simple(302, headers=[("Location", "/feeds/" + rel)], rel=rel)
        if mode == "flaky":
            with lock:
                first = rel not in flaky_seen
                flaky_seen.add(rel)
            if first:
                return self.simple(503, b"try again\n", headers=[("Retry-After", "0")], rel=rel)
        with open(path, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
        mtime = int(os.stat(path).st_mtime)
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            not_modified = etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        elif ims is not None:
            try:
                not_modified = mtime <= email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                pass
        validators = [("ETag", etag), ("Last-Modified", last_modified)]
        if not_modified and mode == "ok":
            self.record(304, rel)
            self.send_response(304)
            for k, v in validators:
                self.send_header(k, v)
            self.end_headers()
            return
        if mode == "cut":
            self.record(200, rel)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if mode == "stall":
            self.record(200, rel)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:16])
            self.wfile.flush()
            try:
                for i in range(STALL_MAX):
                    time.sleep(1)
                    self.wfile.write(body[16 + i : 17 + i])
                    self.wfile.flush()
            except OSError:
                pass  # the client gave up, as it should
            self.close_connection = True
            return
        self.simple(200, body, headers=validators + [("Content-Type", "application/octet-stream")], rel=rel)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a client that gives up mid-body (size limit, speed limit) is expected
        if isinstance(sys.exc_info()[1], (ConnectionError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def main():
    server = Server(("127.0.0.1", 0), Handler)
    with open(PORTFILE + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(PORTFILE + ".tmp", PORTFILE)
    threading.Timer(LIFETIME, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
