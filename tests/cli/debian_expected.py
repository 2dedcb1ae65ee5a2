#!/usr/bin/env python3
"""Independent computation of the findings lading scan should report for a
Debian image against a Debian Security Tracker JSON feed, for the tests. It
uses apt_pkg (python3-apt), which implements dpkg's version comparison, as the
oracle, never lading's comparator.

  debian_expected.py expected TRACKER.json RELEASE PACKAGES.tsv
      PACKAGES.tsv: package, version, source, source version, arch (as
      dpkg-query prints them). Prints: package, CVE, fixed version or "-",
      status ("fixed" or "unfixed"), one line per finding.

  debian_expected.py status OCI_LAYOUT STATUS_OUT
      Copies var/lib/dpkg/status as the image's top layers have it.

  debian_expected.py setback TRACKER.json RELEASE STATUS_IN STATUS_OUT TSV_IN TSV_OUT
      Rewrites a dpkg status file (and its package list) so that every
      installed source package that the feed has entries for, in RELEASE, is
      set back to the version the release shipped before its first security
      fix: the lowest fixed version with its "+debNNuN"/"~debNNuN" security
      suffix removed (e.g. openssl 1.1.1k-1+deb11u1 -> 1.1.1k-1), which is a
      real version of that release. Only versions below the installed one are
      used. The real images are fully patched; this gives the test something
      to find.

Rules (the tracker's meaning): releases.<RELEASE> with status "resolved" and
fixed_version "0" is never affected; "resolved" with a version is fixed in
that version (affected below it); "open" is affected with no fix;
"undetermined" is not reported (no verdict). The comparison uses the SOURCE
version, as the tracker's versions are source versions."""
import json
import re
import sys

import apt_pkg

apt_pkg.init_system()
SUFFIX = re.compile(r"[+~]deb\d+u\d+$")


def entries(tracker, release):
    """source -> [(id, status, fixed)]"""
    out = {}
    for src, cves in tracker.items():
        for cid, cve in cves.items():
            rel = (cve.get("releases") or {}).get(release)
            if rel:
                out.setdefault(src, []).append((cid, rel.get("status"), rel.get("fixed_version")))
    return out


def expected(tracker_path, release, tsv):
    feed = entries(json.load(open(tracker_path)), release)
    for line in open(tsv):
        pkg, _ver, src, srcver, _arch = line.rstrip("\n").split("\t")
        for cid, status, fixed in sorted(feed.get(src, [])):
            if status == "resolved" and fixed and fixed != "0":
                if apt_pkg.version_compare(srcver, fixed) < 0:
                    print("%s\t%s\t%s\tfixed" % (pkg, cid, fixed))
            elif status == "open":
                print("%s\t%s\t-\tunfixed" % (pkg, cid))


def setback(tracker_path, release, status_in, status_out, tsv_in, tsv_out):
    feed = entries(json.load(open(tracker_path)), release)
    installed = {}
    for line in open(tsv_in):
        pkg, ver, src, srcver, arch = line.rstrip("\n").split("\t")
        installed[pkg] = (ver, src, srcver, arch)
    target = {}  # source -> new source version
    for src, rows in feed.items():
        fixed = [f for _c, s, f in rows if s == "resolved" and f and f != "0"]
        if not fixed:
            continue
        low = fixed[0]
        for f in fixed[1:]:
            if apt_pkg.version_compare(f, low) < 0:
                low = f
        target[src] = SUFFIX.sub("", low)
    newver = {}
    with open(tsv_out, "w") as out:
        for pkg, (ver, src, srcver, arch) in sorted(installed.items()):
            nv = target.get(src)
            if nv and apt_pkg.version_compare(nv, srcver) < 0:
                newver[pkg] = nv
                ver = srcver = nv
            out.write("\t".join([pkg, ver, src, srcver, arch]) + "\n")
    stanzas = open(status_in).read().split("\n\n")
    res = []
    for st in stanzas:
        lines = st.split("\n")
        name = next((l[9:] for l in lines if l.startswith("Package: ")), None)
        if name in newver:
            nv = newver[name]
            fixed = []
            for l in lines:
                if l.startswith("Version: "):
                    l = "Version: " + nv
                elif l.startswith("Source: ") and "(" in l:
                    l = "Source: %s (%s)" % (l[8:].split(" ")[0], nv)
                fixed.append(l)
            lines = fixed
        res.append("\n".join(lines))
    open(status_out, "w").write("\n\n".join(res))


def status(layout, out):
    import tarfile
    idx = json.load(open(layout + "/index.json"))
    man = json.load(open(layout + "/blobs/" + idx["manifests"][0]["digest"].replace(":", "/")))
    for layer in reversed(man["layers"]):
        t = tarfile.open(layout + "/blobs/" + layer["digest"].replace(":", "/"))
        for name in ("var/lib/dpkg/status", "./var/lib/dpkg/status"):
            try:
                data = t.extractfile(name).read()
            except KeyError:
                continue
            open(out, "wb").write(data)
            return
    sys.exit("no var/lib/dpkg/status in the image")


if __name__ == "__main__":
    if sys.argv[1] == "status":
        status(*sys.argv[2:4])
    elif sys.argv[1] == "expected":
        expected(*sys.argv[2:5])
    elif sys.argv[1] == "setback":
        setback(*sys.argv[2:8])
    else:
        sys.exit("usage: see the docstring")
