#!/usr/bin/env python3
"""Helpers for tests/cli/registry.sh (standard library + the openssl command only).

  registry_helpers.py freeport
      prints a free TCP port on 127.0.0.1

  registry_helpers.py token PORTFILE KEY CERT ISSUER SERVICE USER PASSWORD
      a minimal token issuer for Docker's registry (`auth: token`): GET /token
      answers {"token": JWT}, the JWT signed RS256 with KEY and carrying CERT in
      its x5c header (the registry's rootcertbundle trusts CERT). Anonymous
      requests get pull access, except for repositories under "private/";
      requests with Basic credentials other than USER:PASSWORD get 401. Every
      request is logged to stderr.

  registry_helpers.py evil PORTFILE LAYOUT TAG
      a misbehaving registry serving the image LAYOUT:TAG (an OCI layout) under
      several repository names, each broken in one way:
        good        served correctly (behind a bearer token from /token)
        baddigest   one layer is served with another layer's bytes
        corrupt     one layer has a byte flipped
        missing     one layer answers 404 BLOB_UNKNOWN
        drop        one layer's connection is closed half way, every time
        stall       one layer's connection stops sending half way (and stays
                    open for 120 s), every time
        flaky       a 503 on the manifest, a 429 (Retry-After: 1) and a dropped
                    connection on the layer, once each: must still succeed
                    (the layer resumes with a Range request)
        redirect    blobs answer 307 to another host name (localhost instead of
                    127.0.0.1); that host refuses any request that carries the
                    Authorization header, as a storage back end would
        hugemanifest  a manifest of 20 MiB
      Requests are logged to stderr, one line each, "EVIL <method> <path> <status>".

The port is written to PORTFILE once the server listens, so that the test can
wait for it without a race.
"""
import base64
import hashlib
import http.server
import json
import os
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def freeport():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(handler, portfile):
    srv = Server(("127.0.0.1", 0), handler)
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, portfile)
    srv.serve_forever()


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


# ---- token issuer ------------------------------------------------------------


def token_main(portfile, key, cert, issuer, service, user, password):
    der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"], check=True,
                         capture_output=True).stdout
    x5c = base64.b64encode(der).decode()

    def sign(data):
        return subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=data, check=True,
                              capture_output=True).stdout

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def reply(self, status, obj):
            body = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if status == 401:
                self.send_header("WWW-Authenticate", 'Basic realm="token"')
            self.end_headers()
            self.wfile.write(body)
            log("TOKEN %s %d" % (self.path, status))

        def do_GET(self):
            u = urllib.parse.urlparse(self.path)
            if u.path != "/token":
                return self.reply(404, {"error": "not found"})
            q = urllib.parse.parse_qs(u.query)
            who = ""
            auth = self.headers.get("Authorization", "")
            if auth:
                try:
                    scheme, val = auth.split(" ", 1)
                    u_, p_ = base64.b64decode(val).decode().split(":", 1)
                except Exception:
                    return self.reply(400, {"error": "bad authorization"})
                if scheme != "Basic" or u_ != user or p_ != password:
                    return self.reply(401, {"error": "bad credentials"})
                who = u_
            access = []
            for scope in q.get("scope", []):
                parts = scope.split(":")
                if len(parts) != 3 or parts[0] != "repository":
                    continue
                if parts[1].startswith("private/") and not who:
                    return self.reply(401, {"error": "authentication required"})
                actions = ["pull", "push"] if who else ["pull"]
                access.append({"type": "repository", "name": parts[1], "actions": actions})
            now = int(time.time())
            header = {"alg": "RS256", "typ": "JWT", "x5c": [x5c]}
            claims = {"iss": issuer, "sub": who, "aud": q.get("service", [service])[0], "exp": now + 600,
                      "nbf": now - 60, "iat": now, "jti": os.urandom(8).hex(), "access": access}
            signing = (b64url(json.dumps(header).encode()) + "." +
                       b64url(json.dumps(claims).encode())).encode()
            jwt = signing.decode() + "." + b64url(sign(signing))
            self.reply(200, {"token": jwt, "access_token": jwt, "expires_in": 600})

    serve(H, portfile)


# ---- the misbehaving registry ---------------------------------------------------


def evil_main(portfile, layout, tag):
    with open(os.path.join(layout, "index.json")) as f:
        index = json.load(f)
    desc = None
    for d in index["manifests"]:
        if d.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag:
            desc = d
    if desc is None:
        sys.exit("evil: no tag %s in %s" % (tag, layout))

    def blob(digest):
        algo, hexd = digest.split(":", 1)
        with open(os.path.join(layout, "blobs", algo, hexd), "rb") as f:
            return f.read()

    manifest = blob(desc["digest"])
    man = json.loads(manifest)
    mtype = desc.get("mediaType", "application/vnd.oci.image.manifest.v1+json")
    victim = man["layers"][-1]["digest"]  # the layer each broken repository breaks
    once = set()
    lock = threading.Lock()
    TOKEN = "evil-token-123"

    def first(key):
        with lock:
            if key in once:
                return False
            once.add(key)
            return True

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def send(self, status, body=b"", ctype="application/json", headers=()):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            log("EVIL %s %s %d" % (self.command, self.path, status))

        def error(self, status, code, msg, headers=()):
            body = json.dumps({"errors": [{"code": code, "message": msg}]}).encode()
            self.send(status, body, headers=headers)

        def send_half(self, data, what):
            """A 200 announcing all of data, and only its first half."""
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            log("EVIL %s %s %s" % (self.command, self.path, what))

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            host = self.headers.get("Host", "")
            path = urllib.parse.urlparse(self.path).path
            if path == "/token":
                return self.send(200, json.dumps({"token": TOKEN}).encode())
            if path.startswith("/external/"):
                # the storage back end of "redirect": credentials must not reach it
                if "Authorization" in self.headers:
                    return self.error(400, "LEAKED", "Authorization header forwarded to another host")
                return self.send(200, blob(path[len("/external/"):]), "application/octet-stream")
            port = self.server.server_address[1]
            challenge = ('Bearer realm="http://127.0.0.1:%d/token",service="evil,registry",'
                         'scope="repository:x:pull"' % port)
            if self.headers.get("Authorization") != "Bearer " + TOKEN:
                return self.error(401, "UNAUTHORIZED", "token required", [("WWW-Authenticate", challenge)])
            if path == "/v2/":
                return self.send(200, b"{}")
            parts = path.split("/")
            # /v2/<repo>/manifests/<ref> or /v2/<repo>/blobs/<digest>
            if len(parts) != 5 or parts[1] != "v2":
                return self.error(404, "NAME_UNKNOWN", "no such repository")
            repo, kind, ref = parts[2], parts[3], parts[4]
            if kind == "manifests":
                if repo == "flaky" and first("flaky-manifest"):
                    return self.error(503, "UNAVAILABLE", "try again")
                if repo == "hugemanifest":
                    return self.send(200, b" " * (20 << 20), mtype)
                if ref not in (tag, desc["digest"]):
                    return self.error(404, "MANIFEST_UNKNOWN", "unknown tag")
                return self.send(200, manifest, mtype,
                                 [("Docker-Content-Digest", desc["digest"])])
            if kind != "blobs":
                return self.error(404, "NAME_UNKNOWN", "no such repository")
            try:
                data = blob(ref)
            except (OSError, ValueError):
                return self.error(404, "BLOB_UNKNOWN", "unknown blob")
            if ref != victim or repo == "good":
                return self.send(200, data, "application/octet-stream")
            if repo == "baddigest":
                # a valid layer, but another one: only its digest gives it away
                return self.send(200, blob(man["layers"][0]["digest"]), "application/octet-stream")
            if repo == "corrupt":
                bad = bytearray(data)
                bad[len(bad) // 2] ^= 0x01
                return self.send(200, bytes(bad), "application/octet-stream")
            if repo == "missing":
                return self.error(404, "BLOB_UNKNOWN", "blob unknown to registry")
            if repo == "drop" or (repo == "flaky" and first("flaky-drop")):
                if repo == "flaky" and first("flaky-429"):
                    once.discard("flaky-drop")
                    return self.error(429, "TOOMANYREQUESTS", "slow down", [("Retry-After", "1")])
                self.send_half(data, "dropped")
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if repo == "stall":
                self.send_half(data, "stalled")
                time.sleep(120)
                return
            if repo == "flaky":
                rng = self.headers.get("Range", "")
                if rng.startswith("bytes=") and rng.endswith("-"):
                    start = int(rng[6:-1])
                    return self.send(206, data[start:], "application/octet-stream",
                                     [("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))])
                return self.send(200, data, "application/octet-stream")
            if repo == "redirect":
                return self.send(307, b"", headers=[("Location", "http://localhost:%d/external/%s" % (port, ref))])
            return self.send(200, data, "application/octet-stream")

    serve(H, portfile)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd = sys.argv[1]
    if cmd == "freeport":
        print(freeport())
    elif cmd == "token" and len(sys.argv) == 9:
        token_main(*sys.argv[2:])
    elif cmd == "evil" and len(sys.argv) == 5:
        evil_main(*sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
