#!/usr/bin/env python3
"""Derives a Debian Security Tracker JSON file (the shape of
security-tracker.debian.org/tracker/data/json) from the tracker's REAL
DSA/DLA lists, because the corpus has no copy of the tracker JSON itself.

    debian_tracker_from_dsa.py OUT.json DSA-list [DLA-list ...]

Each release line of an advisory gives, for every CVE of that advisory,
releases.<codename> under the line's source package:

    [rel] - pkg 1.2-3 (medium)   status resolved, fixed_version 1.2-3,
                                  repositories {rel: 1.2-3}, urgency medium
    [rel] - pkg <not-affected>   status resolved, fixed_version "0"
    [rel] - pkg <unfixed>        status open (no fixed_version)
    [rel] - pkg <end-of-life>    status open, urgency "end-of-life"
    <postponed>/<no-dsa>/<ignored>  status open; <undetermined> undetermined
    <removed>/<itp>              no entry

The urgency is taken from the parenthesised note when it names one, else
"not yet assigned". When several advisories name the same (package, CVE,
release), the oldest wins (the tracker records the version that first fixed
it; later ones are regression updates). Advisories without CVE ids give
nothing. The lists carry no CVE descriptions: "description" names the
advisory instead, and "scope" is left out.

A few HAND-WRITTEN entries are added for statuses the lists cannot express
(open with urgency unimportant, undetermined, guessed urgency "low**", sid);
their ids start with TEMP-0000000-LADING and their descriptions say
"HAND-WRITTEN". Output is sorted, so it is byte-for-byte reproducible.
"""
import json
import re
import sys

MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
HEADER = re.compile(r"^\[(\d{1,2}) (\w{3}) (\d{4})\]\s+(D[SL]A-\S+)\s*(.*)$")
RELEASE = re.compile(r"^\s+\[([a-z-]+)\]\s+-\s+(\S+)\s+(\S+)\s*(\(.*\))?\s*$")
URGENCIES = {"unimportant", "low", "medium", "high"}

HAND_WRITTEN = {
    "xorg-server": {
        "TEMP-0000000-LADING1": {
            "description": "HAND-WRITTEN edge case: open in bookworm with urgency unimportant, open in sid",
            "releases": {
                "bookworm": {"status": "open", "repositories": {"bookworm": "2:21.1.7-3"},
                             "urgency": "unimportant"},
                "sid": {"status": "open", "repositories": {"sid": "2:21.1.7-3"},
                        "urgency": "not yet assigned"},
            },
        },
    },
    "curl": {
        "TEMP-0000000-LADING2": {
            "description": "HAND-WRITTEN edge case: undetermined in bookworm, not affected in bullseye",
            "releases": {
                "bookworm": {"status": "undetermined", "repositories": {"bookworm": "7.88.1-8"},
                             "urgency": "not yet assigned"},
                "bullseye": {"status": "resolved", "repositories": {"bullseye": "7.74.0-1.3+deb11u7"},
                             "fixed_version": "0", "urgency": "low**"},
            },
        },
    },
}


def entries(path):
    """(date, -line number, codename, package, cve, release entry, advisory)."""
    date, cves, adv = None, [], None
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            m = HEADER.match(line)
            if m:
                d, mon, y, adv, summary = m.groups()
                date = (int(y), MONTHS.get(mon, 0), int(d))
                cves, summary = [], summary.strip()
                desc = f"{adv}: {summary}" if summary else adv
                continue
            s = line.strip()
            if adv is None or not s:
                continue
            if s.startswith("{") and s.endswith("}"):
                cves = s[1:-1].split()
                continue
            m = RELEASE.match(line)
            if not m:
                continue
            rel, pkg, ver, note = m.groups()
            urgency = "not yet assigned"
            for part in (note or "()")[1:-1].split(";"):
                if part.strip() in URGENCIES:
                    urgency = part.strip()
            if ver == "<not-affected>":
                e = {"status": "resolved", "repositories": {}, "fixed_version": "0", "urgency": urgency}
            elif ver == "<end-of-life>":
                e = {"status": "open", "repositories": {}, "urgency": "end-of-life"}
            elif ver in ("<unfixed>", "<postponed>", "<no-dsa>", "<ignored>"):
                e = {"status": "open", "repositories": {}, "urgency": urgency}
            elif ver == "<undetermined>":
                e = {"status": "undetermined", "repositories": {}, "urgency": urgency}
            elif ver.startswith("<"):
                continue
            else:
                e = {"status": "resolved", "repositories": {rel: ver}, "fixed_version": ver,
                     "urgency": urgency}
            for cve in cves:
                yield (date, -n, rel, pkg, cve, e, desc)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rows = []
    for path in sys.argv[2:]:
        rows.extend(entries(path))
    rows.sort(key=lambda r: (r[0], r[1]))  # oldest first
    out = {}
    for _, _, rel, pkg, cve, e, desc in rows:
        v = out.setdefault(pkg, {}).setdefault(cve, {"description": desc, "releases": {}})
        v["releases"].setdefault(rel, e)
    for pkg, vulns in HAND_WRITTEN.items():
        out.setdefault(pkg, {}).update(vulns)
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(out, f, sort_keys=True, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
