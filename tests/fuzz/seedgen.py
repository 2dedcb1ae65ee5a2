#!/usr/bin/env python3
"""Seeds for the fuzz harnesses whose input is not a corpus file as it is
(tests/fuzz/seed.sh calls this; see docs/testing.md, "Fuzzing").

Every seed is made of real data: corpus files, the output of a real tool on
them (rpm, lading itself), or real records put in the layout a harness
reads (its first byte, its NUL- or newline-separated parts). Nothing is cut
short: a file over the size limit is left out, or replaced by a smaller real
one (fewer rpm packages in a database rpm builds itself, fewer NDB blobs).

    seedgen.py rpm CORPUS OUT          rpm_header, rpm_sqlite, rpm_ndb
    seedgen.py versions CORPUS OUT     version_<scheme> (up to three real versions)
    seedgen.py osrel CORPUS OUT        os_release (a distro's files, NUL-separated)
    seedgen.py dpkg CORPUS OUT         dpkg (status, info files, status.d)
    seedgen.py classifiers CORPUS OUT  classifiers (name byte, window byte, snippet)
    seedgen.py osv CORPUS OUT          import_osv (kind byte: JSON, YAML, zip)
    seedgen.py report SCAN.json... -- OUT   report and report_scan, from lading's
                                       own `scan -f json` output
    seedgen.py sha256 OUT FILE...      sha256 (split bytes, then two real files)
    seedgen.py tracker JSON OUT        import_debian_tracker: whole packages of a
                                       tracker JSON, a few hundred KB per seed

OUT is the seed root: files go to OUT/<harness>/. Only the Python standard
library is used; `rpm` needs rpm and rpmdb on PATH (Debian's rpm package).
"""
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

MAX_LEN = int(os.environ.get("FUZZ_MAX_LEN", "1048576"))  # -max_len of make fuzz-smoke
HERE = os.path.dirname(os.path.abspath(__file__))


def die(msg):
    sys.stderr.write("seedgen: %s\n" % msg)
    sys.exit(1)


def put(out, harness, name, data):
    if len(data) > MAX_LEN:
        die("%s/%s is %d bytes, over -max_len %d" % (harness, name, len(data), MAX_LEN))
    d = os.path.join(out, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def walk(top):
    out = []
    for root, dirs, files in os.walk(top):
        dirs.sort()
        for f in sorted(files):
            out.append(os.path.join(root, f))
    return out


def spread(seq, n):
    """n items spread evenly over seq, in order (all of it when shorter)."""
    if len(seq) <= n:
        return list(seq)
    return [seq[i * len(seq) // n] for i in range(n)]


# ---- rpm ----------------------------------------------------------------------

HDR_MAGIC = b"\x8e\xad\xe8\x01\x00\x00\x00\x00"


def split_headers(stream):
    """The headers of an `rpmdb --exportdb` stream, each with its magic."""
    out, o = [], 0
    while o < len(stream):
        if stream[o : o + 3] != HDR_MAGIC[:3]:
            die("rpm export stream: no header magic at %d" % o)
        il, dl = struct.unpack(">II", stream[o + 8 : o + 16])
        n = 16 + 16 * il + dl
        out.append(stream[o : o + n])
        o += n
    return out


def rpm_export_bdb(path, tmp):
    """The headers of a Berkeley DB Packages file, through rpm's bdb_ro backend
    (on a copy: rpm wants a writable directory)."""
    d = tempfile.mkdtemp(dir=tmp)
    shutil.copy(path, os.path.join(d, "Packages"))
    os.chmod(os.path.join(d, "Packages"), 0o644)
    r = subprocess.run(["rpmdb", "--dbpath", d, "--define", "_db_backend bdb_ro", "--exportdb"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    if r.returncode != 0 or not r.stdout:
        die("rpmdb --exportdb failed on %s" % path)
    return split_headers(r.stdout)


def sqlite_blobs(path):
    import sqlite3
    c = sqlite3.connect("file:%s?mode=ro&immutable=1" % path, uri=True)
    rows = c.execute("SELECT blob FROM Packages ORDER BY hnum").fetchall()
    c.close()
    return [bytes(r[0]) for r in rows]


def ndb_read(data):
    """(file header, [(pkgidx, the blob's blocks as stored, header blob)]) of an
    NDB Packages.db (rpm's lib/backend/ndb/rpmpkg.c layout)."""
    magic, ver, _gen, npages = struct.unpack("<4sIII", data[:16])
    if magic != b"RpmP" or ver != 0:
        die("not an NDB file")
    out = []
    for off in range(32, npages * 4096, 16):
        m, idx, blk, cnt = struct.unpack("<4sIII", data[off : off + 16])
        if m != b"Slot":
            die("NDB: bad slot at %d" % off)
        if idx == 0:
            continue
        s = blk * 16
        bm, bidx, _bgen, blen = struct.unpack("<4sIII", data[s : s + 16])
        if bm != b"BlbS" or bidx != idx:
            die("NDB: bad blob for package %d" % idx)
        out.append((idx, data[s : s + cnt * 16], data[s + 16 : s + 16 + blen]))
    return data[:32], out


def ndb_write(head, blobs):
    """An NDB file holding `blobs` (as ndb_read gives them, copied verbatim so
    their checksums stay valid), one slot page, blobs packed after it."""
    slots, body, blk = [], [], 4096 // 16
    for idx, blocks, _ in blobs:
        slots.append(struct.pack("<4sIII", b"Slot", idx, blk, len(blocks) // 16))
        body.append(blocks)
        blk += len(blocks) // 16
    if len(slots) > 254:
        die("NDB: too many blobs for one slot page")
    page = head[:12] + struct.pack("<I", 1) + head[16:32] + b"".join(slots)
    page += struct.pack("<4sIII", b"Slot", 0, 0, 0) * ((4096 - len(page)) // 16)
    return page + b"".join(body)


def rpm_sqlite_db(headers, tmp):
    """An rpmdb.sqlite that rpm itself builds: --initdb, then --importdb of
    the headers. The WAL must be empty afterwards (all in the main file)."""
    d = tempfile.mkdtemp(dir=tmp)
    subprocess.run(["rpmdb", "--dbpath", d, "--define", "_db_backend sqlite", "--initdb"], check=True,
                   stderr=subprocess.DEVNULL)
    r = subprocess.run(["rpmdb", "--dbpath", d, "--define", "_db_backend sqlite", "--importdb"],
                       input=b"".join(headers), stderr=subprocess.PIPE, check=False)
    if r.returncode != 0:
        die("rpmdb --importdb failed: %s" % r.stderr.decode(errors="replace")[:500])
    wal = os.path.join(d, "rpmdb.sqlite-wal")
    if os.path.exists(wal) and os.path.getsize(wal) > 0:
        die("rpmdb left a non-empty WAL in %s" % d)
    return read(os.path.join(d, "rpmdb.sqlite"))


def cmd_rpm(corpus, out):
    if not shutil.which("rpmdb"):
        die("rpmdb not found: install Debian's rpm package (scripts/setup.sh does)")
    tmp = tempfile.mkdtemp(prefix="lading-seedgen-")
    try:
        rpm = os.path.join(corpus, "pkgdb/rpm")
        sources = []  # (name, [headers with magic])
        for name in ("libuuid", "centos5-plain", "centos7-plain", "centos8-modularitylabel"):
            p = os.path.join(rpm, name, "Packages")
            if os.path.exists(p):
                sources.append((name, rpm_export_bdb(p, tmp)))
        p = os.path.join(rpm, "cbl-mariner-2.0/rpmdb.sqlite")
        if os.path.exists(p):
            sources.append(("cbl-mariner-2.0", [HDR_MAGIC + b for b in sqlite_blobs(p)]))
        ndb_path = os.path.join(rpm, "sle15-bci/Packages.db")
        ndb = None
        if os.path.exists(ndb_path):
            ndb = ndb_read(read(ndb_path))
            sources.append(("sle15-bci", [HDR_MAGIC + b for _, _, b in ndb[1]]))
        if not sources:
            die("no rpm database in %s" % rpm)

        # rpm_header: header blobs as a database stores them (no magic):
        # all of the small databases, 40 spread over each CentOS one.
        for name, hs in sources:
            pick = hs if len(hs) <= 140 else spread(hs, 40)
            for i, h in enumerate(pick):
                if len(h) - 8 <= MAX_LEN:
                    put(out, "rpm_header", "%s-%03d" % (name, i), h[8:])

        # rpm_sqlite: per source, one database with its first package and one
        # with as many as fit under the limit (rpm's tables and indexes make
        # the file about twice the headers' size: start from headers worth
        # 45% of the limit, drop a quarter until it fits).
        for name, hs in sources:
            put(out, "rpm_sqlite", "%s-1.sqlite" % name, rpm_sqlite_db(hs[:1], tmp))
            n, size = 0, 0
            while n < len(hs) and size + len(hs[n]) <= MAX_LEN * 45 // 100:
                size += len(hs[n])
                n += 1
            while n > 1:
                db = rpm_sqlite_db(hs[:n], tmp)
                if len(db) <= MAX_LEN:
                    break
                n = n * 3 // 4
            if n > 1:
                put(out, "rpm_sqlite", "%s-%d.sqlite" % (name, n), db)

        # rpm_ndb: NDB files of sle15-bci's own blobs: the first package, the
        # first eight, and as many as fit (slot order), skipping the largest.
        if ndb:
            head, blobs = ndb
            put(out, "rpm_ndb", "sle15-bci-1.db", ndb_write(head, blobs[:1]))
            put(out, "rpm_ndb", "sle15-bci-8.db", ndb_write(head, blobs[:8]))
            keep, size = [], 4096
            for b in blobs:
                if size + len(b[1]) <= MAX_LEN:
                    keep.append(b)
                    size += len(b[1])
            put(out, "rpm_ndb", "sle15-bci-%d.db" % len(keep), ndb_write(head, keep))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- versions -------------------------------------------------------------------

# harness separator per scheme (tests/fuzz/fuzz_version_<scheme>.c)
VSEP = {"dpkg": "\n", "rpm": "\n", "apk": "\n", "semver": "\t", "go": "\t", "pep440": "\t", "maven": "\t",
        "gem": "\t"}


def scheme_versions(scheme, corpus):
    sys.dont_write_bytecode = True  # no __pycache__ in tests/cli
    sys.path.insert(0, os.path.join(HERE, "..", "cli"))
    import gen_versions  # noqa: E402  (the comparator tests' corpus readers)
    import gen_versions_lang  # noqa: E402
    if scheme == "dpkg":
        vs = gen_versions.dpkg_corpus_versions(corpus)
    elif scheme == "rpm":
        vs = gen_versions.rpm_corpus_versions(corpus)
    elif scheme == "apk":
        vs = gen_versions.apk_corpus_versions(corpus)
    else:
        vs = gen_versions_lang.corpus_versions(scheme, corpus)
    seen, out = set(), []
    for v in vs:
        if v and v not in seen and "\t" not in v and "\n" not in v:
            seen.add(v)
            out.append(v)
    return out


def cmd_versions(corpus, out):
    for scheme, sep in sorted(VSEP.items()):
        vs = scheme_versions(scheme, corpus)
        if len(vs) < 3:
            die("version_%s: only %d real versions found in the corpus" % (scheme, len(vs)))
        # Neighbours in these lists come from one package's sequence (a feed's
        # fix history, one range's events), so a window of three is three
        # related versions; 150 windows spread over the list, plus pairs.
        starts = spread(range(len(vs) - 2), 150)
        for k, i in enumerate(starts):
            n = 3 if k % 4 else 2
            put(out, "version_" + scheme, "%03d" % k, sep.join(vs[i : i + n]).encode())


# ---- os-release ------------------------------------------------------------------

# the order of `paths` in tests/fuzz/fuzz_os_release.c
OSREL_PATHS = ["etc/os-release", "etc/debian_version", "etc/alpine-release", "etc/redhat-release",
               "etc/lsb-release", "etc/system-release-cpe", "etc/SuSE-release", "etc/centos-release",
               "usr/lib/os-release"]


def cmd_osrel(corpus, out):
    roots = set()
    top = os.path.join(corpus, "os-release")
    for p in walk(top):
        rel = os.path.relpath(p, top)
        for q in OSREL_PATHS:
            if rel.endswith("/" + q):
                roots.add(p[: -len(q)])
    for r in sorted(roots):
        parts = [read(r + q) if os.path.isfile(r + q) else b"" for q in OSREL_PATHS]
        while parts and not parts[-1]:
            parts.pop()
        name = os.path.relpath(r, top).strip("/").replace("/", "_")
        put(out, "os_release", "root-" + name, b"\0".join(parts))


# ---- dpkg ------------------------------------------------------------------------


def first_package(status):
    for line in status.split(b"\n"):
        if line.startswith(b"Package:"):
            return line[8:].strip().decode(errors="replace")
    return "a"


def cmd_dpkg(corpus, out):
    # status, then the .list, .md5sums and .conffiles of its first package,
    # then a status.d file and its .md5sums (tests/fuzz/fuzz_dpkg.c)
    top = os.path.join(corpus, "pkgdb/dpkg")
    for p in walk(top):
        if not (p.endswith("/status") or p.endswith(".status")):
            continue
        if "/opkg/" in p:
            continue
        st = read(p)
        if len(st) > MAX_LEN:
            continue
        info = os.path.join(os.path.dirname(p), "info", first_package(st))
        parts = [st] + [read(info + e) if os.path.isfile(info + e) else b""
                        for e in (".list", ".md5sums", ".conffiles")]
        while parts and not parts[-1]:
            parts.pop()
        put(out, "dpkg", os.path.relpath(p, top).replace("/", "_"), b"\0".join(parts))
    # the corpus's info files (syft's libpam-runtime) with their package's
    # stanza first, so that the owned-file merge has something to merge
    stanzas = {}
    for p in walk(top):
        if p.endswith("/status") and "/opkg/" not in p:
            for s in read(p).split(b"\n\n"):
                for line in s.split(b"\n"):
                    if line.startswith(b"Package: "):
                        stanzas.setdefault(line[9:].strip().decode(errors="replace"), s.strip(b"\n") + b"\n")
    for p in walk(top):
        if "/info/" in p and p.endswith(".md5sums"):
            pkg = os.path.basename(p)[: -len(".md5sums")]
            if pkg in stanzas:
                base = p[: -len(".md5sums")]
                parts = [stanzas[pkg]] + [read(base + e) if os.path.isfile(base + e) else b""
                                          for e in (".list", ".md5sums", ".conffiles")]
                put(out, "dpkg", "info-" + pkg, b"\0".join(parts))
    for p in walk(top):
        if "/status.d/" not in p or p.endswith(".md5sums"):
            continue
        md5 = read(p + ".md5sums") if os.path.isfile(p + ".md5sums") else b""
        parts = [b"", b"", b"", b"", read(p)] + ([md5] if md5 else [])
        put(out, "dpkg", "status.d-" + os.path.relpath(p, top).replace("/", "_"), b"\0".join(parts))


# ---- classifiers -----------------------------------------------------------------

# tests/fuzz/fuzz_classifiers.c: byte 0 picks one of these paths (modulo 16)
CLS_NAMES = ["/usr/bin/openssl", "/usr/bin/python3.11", "/usr/lib/libpython3.7m.so.1.0", "/usr/local/bin/helm",
             "/usr/sbin/nginx", "/usr/bin/java", "/usr/local/go/VERSION", "/app/server", "/usr/bin/traefik",
             "/usr/bin/vault", "/usr/bin/redis-server", "/usr/bin/envoy", "/opt/jdk/release", "/usr/bin/grafana",
             "/usr/bin/deno", "/usr/bin/pilot-agent"]


def cls_name_index(fname):
    """The harness path whose file name best fits the snippet's own name, so
    that the classifier rules for it are the candidates."""
    base = os.path.basename(fname)
    for i, n in enumerate(CLS_NAMES):
        if os.path.basename(n) == base:
            return i
    if base.startswith("libpython"):
        return 2
    if base.startswith("python"):
        return 1
    if base in ("VERSION", "VERSION.cache"):
        return 6
    if base == "release":
        return 12
    if base.startswith("pilot"):
        return 15
    return 7  # /app/server: only the rules that match any file name


def cmd_classifiers(corpus, out):
    top = os.path.join(corpus, "binaries/syft-snippets")
    marker = b"### byte snippet to follow ###\n"
    for k, p in enumerate(walk(top)):
        data = read(p)
        i = data.find(marker)
        body = data[i + len(marker) :] if i >= 0 else data
        if len(body) + 2 > MAX_LEN:
            continue
        # window byte: one pass (>= 128: (b - 127) * 4099 bytes) mostly, and
        # a small window now and then so that matches across windows are seen
        win = 128 + (k % 16) if k % 5 else (k % 97)
        name = os.path.relpath(p, top).replace("/", "_")
        put(out, "classifiers", name, bytes([cls_name_index(p), win]) + body)


# ---- OSV ---------------------------------------------------------------------------


def cmd_osv(corpus, out):
    # tests/fuzz/fuzz_import_osv.c: byte 0 % 3 is the kind (0 JSON, 1 YAML, 2 zip)
    v = os.path.join(corpus, "vulndata")
    json_dirs = ["osv-go", "osv-rust", "rpm-distros/osv-almalinux", "rpm-distros/osv-rocky",
                 "rpm-distros/osv-suse", "rpm-distros/osv-redhat", "rpm-distros/osv-mageia"]
    picked = {}
    for d in json_dirs:
        files = [p for p in walk(os.path.join(v, d)) if p.endswith(".json")]
        picked[d] = spread(files, 25)
        for p in picked[d]:
            put(out, "import_osv", "json-" + d.replace("/", "_") + "-" + os.path.basename(p), b"\0" + read(p))
    yaml = [p for p in walk(os.path.join(v, "osv-pypi")) if p.endswith(".yaml")]
    for p in spread(yaml, 40):
        put(out, "import_osv", "yaml-" + os.path.relpath(p, v).replace("/", "_"), b"\1" + read(p))
    # zip: what osv.dev serves per ecosystem (all.zip); made with zipfile,
    # fixed timestamps so the seed is the same on every run
    for d in json_dirs:
        if not picked[d]:
            continue
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for p in picked[d][:10]:
                zi = zipfile.ZipInfo(os.path.basename(p), date_time=(2026, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(zi, read(p))
        put(out, "import_osv", "zip-" + d.replace("/", "_") + ".zip", b"\2" + buf.getvalue())
    if not yaml and not any(picked.values()):
        die("no OSV records in %s" % v)


# ---- report writers -------------------------------------------------------------


def fld(x):
    s = "" if x is None else str(x)
    return s.replace("\n", " ")


def sel_byte(i, n):
    """A byte b with b % n == i that is not a newline (the field separator)."""
    for b in range(i, 256, n):
        if b != 10:
            return chr(b)
    return chr(i)


SEV = {"unknown": 0, "negligible": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}
STATUS = {"fixed": 1, "unfixed": 2, "will-not-fix": 3, "deferred": 4}


def cmd_report(scans, out):
    n = 0
    for path in scans:
        d = json.loads(read(path))
        img, os_ = d.get("image") or {}, d.get("os") or {}
        layers = img.get("layers") or []
        head = [img.get("name"), img.get("target"), img.get("manifest_digest"), img.get("architecture"),
                os_.get("id"), os_.get("version_id"), os_.get("pretty_name"), os_.get("codename")]
        pkgs = d.get("packages") or []
        byid = {p["id"]: k for k, p in enumerate(pkgs)}
        findings = d.get("findings") or []
        base = os.path.basename(path).rsplit(".", 1)[0]
        # fuzz_report.c: 64 fields at most: 8 + layer + 6 per package
        for c, k in enumerate(range(0, len(pkgs), 9)):
            f = head + [layers[0].get("diff_id") if layers else None]
            for p in pkgs[k : k + 9]:
                f += [p.get("name"), p.get("version"), p.get("arch"), p.get("source_name"), p.get("license"),
                      p.get("id")]
            put(out, "report", "%s-%02d" % (base, c), "\n".join(map(fld, f)).encode())
            n += 1
        # fuzz_report_scan.c: 256 fields: 10 + 6 per package + "==" + 14 per finding
        groups, cur = [], []
        order = sorted(range(len(pkgs)), key=lambda k: -sum(1 for x in findings if x.get("package_id") ==
                                                              pkgs[k]["id"]))
        for k in order:
            cur.append(k)
            if len(cur) == 6:
                groups.append(cur)
                cur = []
        if cur:
            groups.append(cur)
        for c, g in enumerate(groups[:12]):
            sup = (d.get("summary") or {}).get("suppressed") or 0
            f = head + [d.get("os_namespace"), ("1" if d.get("os_has_data") else "0") * max(1, sup)]
            for k in g:
                p = pkgs[k]
                f += [p.get("name"), p.get("version"), p.get("arch"), p.get("source_name"), p.get("db_path"),
                      p.get("id")]
            f.append("==")
            fs = [x for x in findings if byid.get(x.get("package_id")) in g][: (256 - len(f)) // 14]
            for x in fs:
                al = (x.get("aliases") or []) + [None, None]
                sev, st = SEV.get(x.get("severity"), 0), STATUS.get(x.get("status"), 0)
                f += [sel_byte(g.index(byid[x["package_id"]]), len(g)), x.get("vuln_id"), al[0], al[1],
                      x.get("installed"), x.get("fixed"), (chr(sev) + chr(st)) if sev else "",
                      x.get("cvss_score"), x.get("cvss_vector"), x.get("namespace"), x.get("source"),
                      x.get("summary"), x.get("published"), (x.get("urls") or [None])[0]]
            put(out, "report_scan", "%s-%02d" % (base, c), "\n".join(map(fld, f)).encode())
            n += 1
    if n == 0:
        die("report: no packages in %s" % " ".join(scans))


# ---- sha256 ------------------------------------------------------------------------


def cmd_sha256(out, files):
    # tests/fuzz/fuzz_sha256.c: flags, L, len(message 1) LE16, L split bytes,
    # message 1, message 2
    datas = [read(p) for p in files]
    splits = [b"", b"\x01\x3f", b"\x40\x41\x80\x81", b"\x85\x00\x07\xc0\x3f\x40\xff\x01", bytes(range(0, 64, 3))]
    n = 0
    for i, a in enumerate(datas):
        b = datas[(i + 1) % len(datas)]
        if len(a) > 65535 or len(a) + len(b) + 64 > MAX_LEN:
            continue  # whole files only
        for flags in range(8):
            sp = splits[(i + flags) % len(splits)]
            if len(sp) % 2:
                sp = sp[:-1]
            data = bytes([flags, len(sp)]) + struct.pack("<H", len(a)) + sp + a + b
            put(out, "sha256", "%s-%d" % (os.path.basename(files[i]), flags), data)
            n += 1
    if n == 0:
        die("sha256: no input files")


# ---- Debian tracker -----------------------------------------------------------------


def cmd_tracker(path, out):
    d = json.loads(read(path))
    names = sorted(d)
    # 12 seeds of consecutive packages spread over the list, each whole
    # package objects only, up to 256 KiB of JSON
    n = 0
    for k, i in enumerate(spread(range(len(names)), 12)):
        part, size = {}, 2
        for name in names[i:]:
            one = len(json.dumps({name: d[name]}, sort_keys=True))
            if part and size + one > 262144:
                break
            part[name] = d[name]
            size += one
        if len(json.dumps(part)) <= MAX_LEN:
            put(out, "import_debian_tracker", "tracker-%02d.json" % k,
                json.dumps(part, sort_keys=True, indent=1).encode())
            n += 1
    if n == 0:
        die("tracker: no package fits under the limit")


def main():
    a = sys.argv[1:]
    if len(a) < 2:
        die(__doc__)
    cmd = a[0]
    if cmd == "report":
        if "--" not in a:
            die("report: SCAN.json... -- OUT")
        k = a.index("--")
        cmd_report(a[1:k], a[k + 1])
    elif cmd == "sha256":
        cmd_sha256(a[1], a[2:])
    elif cmd in ("rpm", "versions", "osrel", "dpkg", "classifiers", "osv", "tracker") and len(a) == 3:
        globals()["cmd_" + cmd](a[1], a[2])
    else:
        die(__doc__)


if __name__ == "__main__":
    main()
