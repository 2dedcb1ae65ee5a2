#!/usr/bin/env python3
"""Independent computation of the findings lading scan should report for an
Alpine root file system against the Alpine secdb (a second implementation,
written separately from lading's C comparator, for the tests).

usage: alpine_expected.py APK_FULL_TSV SECDB.yaml...
prints: package<TAB>CVE<TAB>fixed version<TAB>fixed

       alpine_expected.py --downgrade INSTALLED TSV OUT_INSTALLED OUT_TSV SECDB.yaml...
rewrites an apk installed database (and its .apk-full.tsv) so that every
package whose origin has secfixes gets, as its version, the lowest fixed
version the feed lists for that origin: a real version string from the feed,
below most of that origin's fixes. The corpus's point releases are fully
patched, so this is what gives the scan test something to find.

Fixed versions that are not valid apk versions (the feed has "4.8.0.-r1")
decide nothing: lading warns and skips them, and so does this script.

Rules: a package is matched by its origin (source package). For each id listed
under a fixed version of that origin, the package is affected when its version
is below the LOWEST fixed version listed for that id (the same id can appear
under two versions). Ids listed under "0" are never reported. An entry like
"CVE-2019-1234 XSA-123" names CVE-2019-1234."""
import re
import sys

import yaml

# apk-tools' version order: numbers (dotted), an optional letter, suffixes
# _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p, each
# with an optional number, then -rN.
SUFFIX = {"alpha": -4, "beta": -3, "pre": -2, "rc": -1, "cvs": 1, "svn": 2, "git": 3, "hg": 4, "p": 5}
TOKEN = re.compile(r"^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:-r(\d+))?$")


def key(v):
    m = TOKEN.match(v)
    if not m:
        raise ValueError("not an apk version: %r" % v)
    nums = [int(x) for x in m.group(1).split(".")]
    letter = m.group(2) or ""
    sufs = []
    for s in re.findall(r"_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\d*)", m.group(3)):
        sufs.append((SUFFIX[s[0]], int(s[1] or 0)))
    rev = int(m.group(4) or 0)
    return nums, letter, sufs, rev


def cmp(a, b):
    an, al, asu, ar = key(a)
    bn, bl, bsu, br = key(b)
    # dotted numbers: component by component; the first one numerically, the
    # rest too (apk compares digit runs as numbers)
    for x, y in zip(an, bn):
        if x != y:
            return -1 if x < y else 1
    if len(an) != len(bn):
        return -1 if len(an) < len(bn) else 1
    if al != bl:
        return -1 if al < bl else 1
    for i in range(max(len(asu), len(bsu))):
        x = asu[i] if i < len(asu) else (0, 0)
        y = bsu[i] if i < len(bsu) else (0, 0)
        if x != y:
            return -1 if x < y else 1
    if ar != br:
        return -1 if ar < br else 1
    return 0


def load(feeds):
    fixes = {}  # origin -> id -> lowest fixed version
    never = {}  # origin -> ids under "0"
    for f in feeds:
        doc = yaml.safe_load(open(f))
        for entry in doc.get("packages") or []:
            pkg = entry.get("pkg") or {}
            origin = pkg.get("name")
            for ver, ids in (pkg.get("secfixes") or {}).items():
                ver = str(ver)
                if ver != "0" and not TOKEN.match(ver):
                    continue  # not an apk version ("4.8.0.-r1"): lading skips it with a warning too
                for raw in ids or []:
                    vid = str(raw).split()[0] if str(raw).split() else None
                    if not vid:
                        continue
                    if ver == "0":
                        never.setdefault(origin, set()).add(vid)
                        continue
                    cur = fixes.setdefault(origin, {}).get(vid)
                    if cur is None or cmp(ver, cur) < 0:
                        fixes[origin][vid] = ver
    return fixes, never


def downgrade(installed, tsv, out_installed, out_tsv, feeds):
    fixes, _ = load(feeds)
    lowest = {}
    for origin, ids in fixes.items():
        for ver in ids.values():
            if origin not in lowest or cmp(ver, lowest[origin]) < 0:
                lowest[origin] = ver
    newver = {}
    with open(out_tsv, "w") as out:
        for line in open(tsv):
            name, version, arch, origin, lic = line.rstrip("\n").split("\t")
            if origin in lowest and cmp(lowest[origin], version) < 0:
                version = newver[name] = lowest[origin]
            out.write("\t".join([name, version, arch, origin, lic]) + "\n")
    stanzas = open(installed).read().split("\n\n")
    with open(out_installed, "w") as out:
        res = []
        for st in stanzas:
            lines = st.split("\n")
            name = next((l[2:] for l in lines if l.startswith("P:")), None)
            if name in newver:
                lines = ["V:" + newver[name] if l.startswith("V:") else l for l in lines]
            res.append("\n".join(lines))
        out.write("\n\n".join(res))


def main():
    if sys.argv[1] == "--downgrade":
        downgrade(*sys.argv[2:6], sys.argv[6:])
        return
    tsv, feeds = sys.argv[1], sys.argv[2:]
    fixes, never = load(feeds)
    for line in open(tsv):
        name, version, _arch, origin, _lic = line.rstrip("\n").split("\t")
        for vid, fixed in sorted((fixes.get(origin) or {}).items()):
            if vid in never.get(origin, set()):
                continue
            if cmp(version, fixed) < 0:
                print("%s\t%s\t%s\tfixed" % (name, vid, fixed))


if __name__ == "__main__":
    main()
