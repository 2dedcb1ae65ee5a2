#!/usr/bin/env python3
"""Version pairs for the language-ecosystem comparator tests
(tests/cli/version_{semver,go,pep440,maven,gem}.sh).

  gen_versions_lang.py gen --scheme S [--corpus DIR] [--n N]
      prints N (default 12000) "A<TAB>B" lines, deterministically (fixed
      seed): versions built from the scheme's grammar, edge cases, mutations
      of one version into a near neighbour, and real version strings read from
      the corpus when DIR is given.
  gen_versions_lang.py ordered --scheme S --corpus DIR
      prints "A<TAB>B<TAB>lt|le<TAB>where" lines where a real feed says A < B
      (or A <= B): an OSV "introduced" and the "fixed" (or "last_affected")
      after it.
  gen_versions_lang.py check-ordered --scheme S ORDERED REF OURS
      checks our answers on those pairs (see cmd_check_ordered).
  gen_versions_lang.py check --scheme S PAIRS REF OURS
      compares the reference answers with vercmp's, prints a summary and the
      first 20 disagreements, and exits 1 if there is one we do not document
      (docs/versions-lang.md).
  gen_versions_lang.py run --scheme S --vercmp PATH --tmp DIR [--corpus DIR] -- ORACLE...
      all of it, as tests/cli/version_<scheme>.sh use it: generates the pairs,
      runs the reference ORACLE command once on all of them (pairs on stdin,
      one answer a line on stdout), runs vercmp, checks, then does the same
      for the ordered pairs when there is a corpus. Exits 1 on a failure.

Only the Python 3 standard library is used, so any python3 runs it.
"""
import argparse
import json
import os
import random
import re
import sys

SEED = 20261122
SCHEMES = ("semver", "go", "pep440", "maven", "gem")


# ---- building blocks ------------------------------------------------------


class G:
    def __init__(self, scheme):
        # A per-scheme stream, so adding a scheme never shifts another's pairs.
        self.r = random.Random("%d-%s" % (SEED, scheme))

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def chance(self, p):
        return self.r.random() < p

    def num(self, zeros=False, big=True):
        """A number as text: mostly small, sometimes long or zero-padded."""
        x = self.r.random()
        if x < 0.55:
            s = str(self.r.randrange(0, 4))
        elif x < 0.8:
            s = str(self.r.randrange(0, 30))
        elif x < 0.92 or not big:
            s = str(self.r.randrange(0, 100000))
        elif x < 0.96:
            s = str(self.r.randrange(10 ** 15, 10 ** 17))  # around 2^53
        else:
            s = str(self.r.randrange(1, 10)) + "".join(
                str(self.r.randrange(10)) for _ in range(self.r.randrange(10, 40)))
        if zeros and self.chance(0.12):
            s = "0" * self.r.randrange(1, 4) + s
        return s

    def word(self, words):
        w = self.pick(words)
        c = self.r.random()
        if c < 0.1:
            w = w.upper()
        elif c < 0.15:
            w = w.capitalize()
        return w

    def hexs(self, n):
        return "".join(self.pick("0123456789abcdef") for _ in range(n))

    def stamp(self):
        return "%04d%02d%02d%02d%02d%02d" % (
            self.r.randrange(2018, 2027), self.r.randrange(1, 13), self.r.randrange(1, 29),
            self.r.randrange(24), self.r.randrange(60), self.r.randrange(60))


PRE_IDS = ["alpha", "beta", "rc", "0", "1", "2", "10", "01", "a", "b", "x-y", "-", "1a", "a1",
           "pre", "dev", "SNAPSHOT", "RC", "Alpha", "00", "11", "beta2", "z", "9"]
BUILD_IDS = ["build", "001", "sha", "5114f85", "exp", "incompatible", "20130313144700", "x-1", "0", "b"]


def semver_like(g, zeros=True):
    v = ".".join(g.num(zeros=zeros) for _ in range(3))
    if g.chance(0.45):
        v += "-" + ".".join(g.pick(PRE_IDS) for _ in range(g.r.randrange(1, 4)))
    if g.chance(0.2):
        v += "+" + ".".join(g.pick(BUILD_IDS) for _ in range(g.r.randrange(1, 3)))
    return v


# ---- per-scheme grammars ---------------------------------------------------


def gen_semver(g):
    v = semver_like(g, zeros=g.chance(0.3))
    x = g.r.random()
    if x < 0.15:
        v = "v" + v
    elif x < 0.2:
        v = "=" + v
    elif x < 0.23:
        v = g.pick(["V", "==", "v=", "=v", " v", "vv", "~", "^", ">="]) + v
    if g.chance(0.04):
        v = g.pick([" ", "  ", "\v", "\f"]) + v + g.pick(["", " ", "\f"])
    if g.chance(0.08):
        v = g.pick([
            lambda s: s.rsplit(".", 1)[0],  # 1.2
            lambda s: s + ".4",
            lambda s: s + "-",
            lambda s: s + "+",
            lambda s: s.replace(".", "..", 1),
            lambda s: s.replace("-", "-a..", 1),
            lambda s: s + "-é",
            lambda s: s + "_1",
            lambda s: s.replace("-", "", 1),  # 1.2.3beta: loose only
            lambda s: s + "-" + "x" * 260,  # past node's 256 limit
        ])(v)
    return v


def gen_go(g):
    x = g.r.random()
    maj = g.num(big=g.chance(0.2))
    if x < 0.2:  # pseudo-versions, the three forms
        h = g.hexs(12)
        f = g.r.randrange(3)
        if f == 0:
            v = "%s.0.0-%s-%s" % (maj, g.stamp(), h)
        elif f == 1:
            v = "%s.%s.%s-0.%s-%s" % (maj, g.num(), g.num(), g.stamp(), h)
        else:
            v = "%s.%s.%s-%s.0.%s-%s" % (maj, g.num(), g.num(), g.pick(["rc.1", "beta", "pre"]), g.stamp(), h)
    elif x < 0.3:  # the Go toolchain and standard library
        v = g.pick(["go1", "go1.0", "go1.0.0", "go"]) if g.chance(0.1) else "go1.%s" % g.num(zeros=True, big=False)
        if g.chance(0.5):
            v += "." + g.num(zeros=True, big=False)
        if g.chance(0.4):
            v += g.pick(["rc", "beta", "-pre", "alpha", "RC", "rc."]) + g.pick(["1", "2", "0", "01", "12", ""])
        if g.chance(0.1):
            v += g.pick([" X:boringcrypto", "\tX:nocoverageredesign", " "])
        if g.chance(0.15):
            v = v[2:]  # the bare "1.21rc2"
        return v
    else:
        z = g.chance(0.3)
        parts = [maj] + [g.num(zeros=z) for _ in range(g.pick([0, 1, 2, 2, 2, 2, 3]))]
        v = ".".join(parts)
        if g.chance(0.35):
            v += "-" + ".".join(g.pick(PRE_IDS) for _ in range(g.r.randrange(1, 4)))
        if g.chance(0.2):
            v += g.pick(["+incompatible", "+build.1", "+", "+a..b", "+meta-data"])
    p = g.r.random()
    if p < 0.7:
        v = "v" + v
    elif p < 0.75:
        v = g.pick(["V", "vv", " v", "go"]) + v
    return v


PEP_PRE = ["a", "b", "c", "rc", "alpha", "beta", "pre", "preview"]
PEP_SEP = ["", "", "", ".", "-", "_"]


def gen_pep440(g):
    v = ""
    if g.chance(0.1):
        v += g.num(zeros=True, big=False) + "!"
    v += ".".join(g.num(zeros=True) for _ in range(g.pick([1, 2, 2, 3, 3, 3, 4, 5])))
    if g.chance(0.35):
        v += g.pick(PEP_SEP) + g.word(PEP_PRE) + (g.pick(PEP_SEP) + g.num(zeros=True) if g.chance(0.8) else "")
    if g.chance(0.25):
        if g.chance(0.3):
            v += "-" + g.num(zeros=True)
        else:
            v += g.pick(PEP_SEP) + g.word(["post", "rev", "r"]) + (g.pick(PEP_SEP) + g.num() if g.chance(0.8) else "")
    if g.chance(0.25):
        v += g.pick(PEP_SEP) + g.word(["dev"]) + (g.pick(PEP_SEP) + g.num() if g.chance(0.8) else "")
    if g.chance(0.15):
        segs = [g.pick(["ubuntu", "cpu", "cu118", "1", "01", "abc", "ABC", "deb", "2", "g1234abc"])
                for _ in range(g.r.randrange(1, 4))]
        v += "+" + "".join(s + g.pick([".", "-", "_"]) for s in segs[:-1]) + segs[-1]
    x = g.r.random()
    if x < 0.06:
        v = g.pick(["v", "V"]) + v
    elif x < 0.09:
        v = g.pick([" ", "\v", "\x1f"]) + v + g.pick(["", " ", "\f"])
    if g.chance(0.07):
        v = g.pick([
            lambda s: s + ".",
            lambda s: s + "+",
            lambda s: s.replace(".", "..", 1),
            lambda s: s + "-",
            lambda s: s + "+a..b",
            lambda s: s + "foo",
            lambda s: "dev" + s,
            lambda s: s + ".post.dev",
            lambda s: s + "a.b",
            lambda s: s + "-1-2",
            lambda s: s + ".*",
            lambda s: s + "é",
        ])(v)
    return v


MVN_Q = ["alpha", "a", "b", "m", "beta", "milestone", "rc", "cr", "snapshot", "ga", "final",
         "release", "sp", "foo", "xyz", "jre", "android", "M", "RC", "Final", "GA", "SNAPSHOT", "SP",
         "RELEASE", "v", "x", "z", "incubating", "redhat"]


def gen_maven(g):
    toks = []
    for _ in range(g.r.randrange(1, 8)):
        x = g.r.random()
        if x < 0.55:
            t = g.num(zeros=True)
            if g.chance(0.04):
                t = "0" * g.r.randrange(9, 22)  # all-zero runs change number class
        elif x < 0.9:
            t = g.pick(MVN_Q)
        else:
            t = ""
        toks.append(t)
    v = toks[0]
    for t in toks[1:]:
        v += g.pick([".", ".", ".", "-", "-", "", "_", "+", "..", "-."]) + t
    if g.chance(0.05):
        v = g.pick(["-", ".", "v", "é", " "]) + v
    if g.chance(0.05):
        v += g.pick(["-", ".", "é", "-SNAPSHOT", ".RELEASE", "-jre"])
    return v


def gen_gem(g):
    v = g.num(zeros=True)
    for _ in range(g.pick([0, 1, 2, 2, 3, 3, 4])):
        x = g.r.random()
        if x < 0.7:
            s = g.num(zeros=True)
        elif x < 0.85:
            s = g.word(["a", "b", "pre", "rc", "beta", "alpha", "x", "Z"]) + (g.num() if g.chance(0.5) else "")
        else:
            s = g.num() + g.word(["a", "b", "rc", "pre"]) + (g.num() if g.chance(0.4) else "")
        v += "." + s
    if g.chance(0.2):
        v += "-" + ".".join(g.pick(["1", "pre", "rc1", "a-b", "x", "0", "beta", "-", "java", "x86-linux"])
                            for _ in range(g.r.randrange(1, 3)))
    if g.chance(0.05):
        v = g.pick([" ", "\v", "\f "]) + v + g.pick(["", " "])
    if g.chance(0.08):
        v = g.pick([
            lambda s: s + "a",
            lambda s: "a" + s,
            lambda s: s + ".",
            lambda s: s.replace(".", "..", 1),
            lambda s: s + "-",
            lambda s: s + "_1",
            lambda s: "",
            lambda s: " ",
            lambda s: s + "+1",
            lambda s: s + ".é",
        ])(v)
    return v


GENS = {"semver": gen_semver, "go": gen_go, "pep440": gen_pep440, "maven": gen_maven, "gem": gen_gem}

# Hand-picked strings each run includes: known traps of each scheme.
EDGE = {
    "semver": ["1.2.3", "v1.2.3", "=1.2.3", "1.2.3-0", "1.2.3-alpha", "1.2.3-alpha.1", "1.2.3-alpha.beta",
               "1.2.3-beta.2", "1.2.3-beta.11", "1.2.3-rc.1", "1.2.3+build", "1.2.3-rc.1+build.5",
               "0.0.0", "1.2.3--", "1.2.3-0a", "1.2.3-a.-", "9007199254740991.0.0", "9007199254740992.0.0",
               "1.0.0-9007199254740993", "1.0.0-9007199254740992", "01.2.3", "1.2", "", " 1.2.3 ",
               "1.2.3-01", "1.2.3+01", "1.2.3-alpha..1"],
    "go": ["v0.0.0", "v1", "v1.2", "v1.2.0", "v1.2.3", "v1.2.3+incompatible", "v2.0.0+incompatible",
           "v0.0.0-20191109021931-daa7c04131f5", "v1.2.4-0.20191109021931-daa7c04131f5",
           "v1.2.3-pre.0.20191109021931-daa7c04131f5", "0", "1.2.3", "go1", "go1.0", "go1.21", "go1.21.0",
           "go1.21.3", "go1.21rc2", "go1.9beta1", "go1.2-pre1", "1.21rc2", "go1.21.3 X:boringcrypto",
           "v1.2.3-", "v1.02.3", "v1.2.3-01", "1.21.0-rc.2", "v1.21.0-rc.2", "1.18.0-0", "v", ""],
    "pep440": ["1.0", "1.0.0", "1", "1.0.dev0", "1.0a0", "1.0a1", "1.0b1", "1.0c1", "1.0rc1", "1.0rc2.dev1",
               "1.0.post1", "1.0-1", "1.0r", "1.0rev2", "1.0.post1.dev1", "1!0.1", "1.0+local.1",
               "1.0+local.a", "1.0+1", "1.0+a", "v1.0", " 1.0 ", "1.0a.", "1.0a-dev", "1.0a.-post",
               "1.0a--1", "1.0dev-+abc", "1.0preview3", "1.0PRE1", "1.0.", "1.0+", "1..0", "", "dev",
               "2012.10", "1.0.0a", "1.0.0alpha", "1.0.0-alpha", "1.0_alpha_1"],
    "maven": ["1", "1.0", "1.0.0", "1-SNAPSHOT", "1.0-SNAPSHOT", "1-alpha", "1-a1", "1-alpha-1", "1-beta",
              "1-milestone", "1-m1", "1-rc", "1-cr", "1-ga", "1-final", "1-release", "1-sp", "1-sp1", "1-foo",
              "1-1", "1.0-1", "1-0.1", "1.1", "1.0.0.0000000000", "1.0000000000.5", "1.5", "1..1", "1--1",
              "-1", "", "1.0.final", "1-a", "1a", "1.a", "2.0.0.RELEASE", "2.0.0.Final", "1.0-jre",
              "1.0-android", "0.0.0000000000000000000001"],
    "gem": ["1", "1.0", "1.0.0", "1.0.a", "1.0.a1", "1.0.b", "1.0.pre", "1.0.rc1", "1.0-1", "1.0-pre",
            "1.0.0.pre1", "1.a", "1.A", "1.b", "0", "", " ", "1.0.0.0", "2.0.0.rc1", "1.9.3-p0",
            "1.2.3-java", "1.0.0-x86-linux", "1a", "a", "1..2", "1.2-", "01.2", "1.2.a.0", "1.2.0.a"],
}


# ---- real versions from the corpus -----------------------------------------


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def walk(root, suffix):
    out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(suffix):
                out.append(os.path.join(d, f))
    return out


def tsv_versions(path, col="version"):
    lines = read(path).splitlines()
    if not lines:
        return []
    head = lines[0].split("\t")
    if col not in head:
        return []
    k = head.index(col)
    return [ln.split("\t")[k] for ln in lines[1:] if len(ln.split("\t")) > k]


def osv_json_ranges(root):
    """(package, [event values in order]) for every range of every OSV JSON."""
    out = []
    for p in walk(root, ".json"):
        try:
            d = json.loads(read(p))
        except ValueError:
            continue
        for a in d.get("affected", []):
            name = a.get("package", {}).get("name", "")
            for r in a.get("ranges", []):
                if r.get("type") not in ("SEMVER", "ECOSYSTEM"):
                    continue
                ev = [(k, v) for e in r.get("events", []) for k, v in e.items()]
                out.append((name, ev, os.path.basename(p)))
    return out


YAML_EVENT = re.compile(r"^\s*- (introduced|fixed|last_affected): ['\"]?([^'\"]*)['\"]?\s*$")
YAML_ITEM = re.compile(r"^  - ['\"]?([^'\"]*)['\"]?\s*$")


def osv_pypi(root):
    """(ranges, versions lists) from the PyPI OSV YAML files, read line by line
    (no YAML library needed: the files are regular)."""
    ranges, lists = [], []
    for p in walk(root, ".yaml"):
        cur, vers, in_versions, rtype = None, None, False, ""
        for ln in read(p).splitlines():
            m = YAML_EVENT.match(ln)
            if ln.strip().startswith("- type:"):
                rtype = ln.split(":", 1)[1].strip()
            if ln.strip() == "events:" and rtype != "ECOSYSTEM":
                cur = None  # GIT ranges hold commit hashes
                continue
            if ln.strip() == "events:":
                cur = []
                ranges.append((os.path.basename(p), cur))
                in_versions = False
                continue
            if m and cur is not None:
                cur.append((m.group(1), m.group(2)))
                continue
            if ln.startswith("  versions:"):
                vers, in_versions = [], True
                lists.append((os.path.basename(p), vers))
                continue
            if in_versions:
                m = YAML_ITEM.match(ln)
                if m:
                    vers.append(m.group(1))
                    continue
                in_versions = False
            if not ln.startswith(" "):
                cur = None
    return ranges, lists


RANGE_TOK = re.compile(r"[<>=~^ ]*([0-9A-Za-z.+\-]+)")


def corpus_versions(scheme, corpus):
    v = corpus + "/vulndata"
    dp = corpus + "/lang/go-dep-parser"
    vals = []
    if scheme == "semver":
        for _, ev, _ in osv_json_ranges(v + "/osv-rust"):
            vals += [x for _, x in ev]
        for p in walk(v + "/npm-security-wg", ".json"):
            try:
                d = json.loads(read(p))
            except ValueError:
                continue
            for k in ("vulnerable_versions", "patched_versions"):
                for part in re.split(r"\|\||\s+", str(d.get(k) or "")):
                    m = RANGE_TOK.fullmatch(part)
                    if m:
                        vals.append(m.group(1))
        for e in ("nodejs-npm", "nodejs-yarn", "nodejs-packagejson", "rust-cargo", "nuget-lock", "nuget-config"):
            vals += tsv_versions("%s/%s/expected.tsv" % (dp, e))
    elif scheme == "go":
        for _, ev, _ in osv_json_ranges(v + "/osv-go"):
            vals += [x for _, x in ev]
        vals += ["v" + x for x in tsv_versions(dp + "/golang-mod/expected.tsv")]
        for p in walk(dp + "/golang-binary", ".txt"):
            for ln in read(p).splitlines():
                f = ln.split("\t")
                if ":" in ln and ln.split(":", 1)[1].strip().startswith("go"):
                    vals.append(ln.split(":", 1)[1].strip())
                elif len(f) >= 4 and f[1] in ("dep", "mod", "=>"):
                    vals.append(f[3])
    elif scheme == "pep440":
        ranges, lists = osv_pypi(v + "/osv-pypi")
        for _, ev in ranges:
            vals += [x for _, x in ev]
        for _, vs in lists:
            vals += vs
        for e in ("python-packaging", "python-pip", "python-pipenv", "python-poetry"):
            vals += tsv_versions("%s/%s/expected.tsv" % (dp, e))
    elif scheme == "maven":
        vals += tsv_versions(dp + "/java-jar/expected.tsv")
        for p in walk(dp + "/java-pom", ".xml") + walk(dp + "/java-pom", ".pom"):
            vals += re.findall(r"<version>([^<${}]+)</version>", read(p))
    elif scheme == "gem":
        for e in ("ruby-bundler", "ruby-gemspec"):
            vals += tsv_versions("%s/%s/expected.tsv" % (dp, e))
    seen, out = set(), []
    for x in vals:
        if x and "\t" not in x and "\n" not in x and "\r" not in x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


# ---- commands ----------------------------------------------------------------


# ASCII only: Java lower-cases every letter, we only ASCII ones (documented).
ASCII_UPPER = {c: c - 32 for c in range(ord("a"), ord("z") + 1)}


def mutate(g, scheme, v):
    """A near neighbour of v, so that many pairs are equal or close."""
    ops = [
        lambda s: re.sub(r"\d+", lambda m: str(int(m.group()) + g.pick([-1, 1, 0])) if int(m.group()) > 0
                         else m.group(), s, count=1),
        lambda s: s + g.pick([".0", ".0.0", "-0", ".1"]),
        lambda s: re.sub(r"(\.0)+$", "", s),
        lambda s: s.translate(ASCII_UPPER),
        lambda s: re.sub(r"(\d+)", lambda m: "0" + m.group(), s, count=1),
        lambda s: s.split("+")[0],
        lambda s: s.split("-")[0],
        lambda s: s + "+" + g.pick(["1", "b", "local"]),
        lambda s: g.pick(["v", "go", ""]) + s.lstrip("v"),
        lambda s: s.replace(".", "-", 1),
        lambda s: s.replace("-", ".", 1),
    ]
    return g.pick(ops)(v)


def cmd_gen(args, out=None):
    g = G(args.scheme)
    gen = GENS[args.scheme]
    pool = [gen(g) for _ in range(3000)] + EDGE[args.scheme]
    real = corpus_versions(args.scheme, args.corpus) if args.corpus else []
    pairs = []
    # Every edge case against every other one: small and exhaustive.
    for a in EDGE[args.scheme]:
        for b in EDGE[args.scheme]:
            pairs.append((a, b))
    while len(pairs) < args.n:
        x = g.r.random()
        src = real if real and g.chance(0.3) else pool
        a = g.pick(src)
        if x < 0.4:
            b = g.pick(src)
        elif x < 0.85:
            b = mutate(g, args.scheme, a)
        elif x < 0.9:
            b = a
        else:
            b = gen(g)
        if "\t" in a + b or "\n" in a + b or "\r" in a + b:
            continue
        pairs.append((a, b))
    out = out or sys.stdout.buffer
    for a, b in pairs:
        out.write(("%s\t%s\n" % (a, b)).encode("utf-8"))


def cmd_ordered(args, out=None):
    v = args.corpus + "/vulndata"
    rows = []

    def events(where, ev):
        # OSV does not sort a range's events; what it does promise is that an
        # "introduced" comes before the "fixed" (strictly) or "last_affected"
        # (or equal) that closes it. "introduced: 0" means "from the start".
        for (k1, a), (k2, b) in zip(ev, ev[1:]):
            if k1 == "introduced" and a != "0" and k2 in ("fixed", "last_affected"):
                rows.append((a, b, "lt" if k2 == "fixed" else "le", where))

    if args.scheme in ("semver", "go"):
        feed = "osv-rust" if args.scheme == "semver" else "osv-go"
        for name, ev, f in osv_json_ranges(v + "/" + feed):
            events("%s %s" % (f, name), ev)
    elif args.scheme == "pep440":
        ranges, lists = osv_pypi(v + "/osv-pypi")
        # (The "versions" lists are not in PyPI order: 0.98.4 comes before
        # 0.98a1, 2.0.20 before 2.0.20rc1. They feed the random pairs only.)
        for f, ev in ranges:
            events(f + " events", ev)
    out = out or sys.stdout.buffer
    for a, b, rel, w in rows:
        if "\t" not in a + b:
            out.write(("%s\t%s\t%s\t%s\n" % (a, b, rel, w)).encode("utf-8"))


def cmd_check_ordered(args):
    """Our answers on a feed's ordered pairs; an answer against the feed's
    order fails unless the reference says the same (then the feed is out of
    order, or lists something the ecosystem cannot parse)."""
    def lines(p):
        with open(p, "rb") as f:
            return f.read().decode("utf-8", "replace").split("\n")[:-1]

    rows, ref, ours = lines(args.ordered), lines(args.ref), lines(args.ours)
    if not (len(rows) == len(ref) == len(ours)):
        print("line counts differ: %d pairs, %d reference answers, %d of ours" % (len(rows), len(ref), len(ours)))
        return 1
    ok, feed_wrong, bad = 0, [], []
    for row, r, o in zip(rows, ref, ours):
        a, b, rel, where = row.split("\t")
        good = {"lt": ("-1",), "le": ("-1", "0")}[rel]
        if o in good:
            ok += 1
        elif r.split(" ")[0] == o:
            feed_wrong.append((a, b, rel, where, o))
        else:
            bad.append((a, b, rel, where, r, o))
    print("%s: %d ordered pairs from the feeds; %d sorted as the feed says" % (args.scheme, len(rows), ok))
    if feed_wrong:
        print("%s: %d where the feed's order is wrong or unparsable for the reference too, e.g. %r" % (
            args.scheme, len(feed_wrong), feed_wrong[0]))
    if bad:
        print("%s: %d pairs we order against the feed and the reference; the first 20:" % (args.scheme, len(bad)))
        for x in bad[:20]:
            print("    %r < %r (%s, %s): ref=%s ours=%s" % x)
        return 1
    return 0


def max_digit_run(s):
    return max((len(m) for m in re.findall(r"\d+", s)), default=0)


def semver_node_limit(s):
    """Versions node's semver cannot compare exactly: a numeric pre-release
    identifier of 2^53 or more, which node turns into a rounded float (we
    compare the digits)."""
    pre = s.strip().split("+")[0].partition("-")[2]
    return any(x.isdigit() and int(x) >= 2 ** 53 for x in pre.split("."))


def cmd_check(args):
    def lines(p):
        with open(p, "rb") as f:
            return f.read().decode("utf-8", "replace").split("\n")[:-1]

    pairs, ref, ours = lines(args.pairs), lines(args.ref), lines(args.ours)
    if not (len(pairs) == len(ref) == len(ours)):
        print("line counts differ: %d pairs, %d reference answers, %d of ours" % (len(pairs), len(ref), len(ours)))
        return 1
    bad, excused, rej = [], [], {}
    agree = 0
    lenient = 0
    for p, r, o in zip(pairs, ref, ours):
        a, _, b = p.partition("\t")
        r_strict = r.split(" ")[0]
        if r_strict != "ERR":
            if o == r_strict:
                agree += 1
            elif args.scheme == "semver" and (semver_node_limit(a) or semver_node_limit(b)):
                excused.append((p, r, o))
            else:
                bad.append((p, r, o, "reference accepts"))
            continue
        rej[o] = rej.get(o, 0) + 1
        if o == "ERR":
            continue
        # We answered where the reference refused: only documented leniencies.
        if args.scheme == "semver":
            loose = r.split(" ")[1] if " " in r else "ERR"
            if loose == o:
                lenient += 1
                continue
        if args.scheme == "pep440" and max(max_digit_run(a), max_digit_run(b)) > 4300:
            excused.append((p, r, o))
            continue
        bad.append((p, r, o, "reference rejects"))
    n = len(pairs)
    acc = n - sum(rej.values())
    print("%s: %d pairs; the reference accepts %d, we agree on %d" % (args.scheme, n, acc, agree))
    print("%s: the reference rejects %d; we said: %s" % (
        args.scheme, sum(rej.values()), ", ".join("%s %d" % kv for kv in sorted(rej.items())) or "-"))
    if lenient:
        print("%s: %d of those we answer as node's loose mode does (a leading '=', documented)" % (args.scheme, lenient))
    if excused:
        why = {"semver": "a pre-release number >= 2^53, which node rounds to a float",
               "pep440": "a number of more than 4300 digits, which Python will not convert"}[args.scheme]
        print("%s: %d pairs where we differ for a documented reason (%s), e.g. %r" % (
            args.scheme, len(excused), why, excused[0]))
    if bad:
        print("%s: %d disagreements; the first 20 (A, B, reference, ours):" % (args.scheme, len(bad)))
        for p, r, o, why in bad[:20]:
            a, _, b = p.partition("\t")
            print("    %r  %r  ref=%s ours=%s (%s)" % (a, b, r, o, why))
        return 1
    return 0


def run_batch(cmd, infile, outfile):
    import subprocess
    with open(infile, "rb") as i, open(outfile, "wb") as o:
        r = subprocess.run(cmd, stdin=i, stdout=o)
    if r.returncode != 0:
        print("%s exited with %d" % (" ".join(cmd), r.returncode))
        return False
    return True


def cmd_run(args):
    import time
    oracle = args.oracle[1:] if args.oracle[:1] == ["--"] else args.oracle
    t = lambda name: os.path.join(args.tmp, "%s.%s" % (args.scheme, name))
    with open(t("pairs"), "wb") as f:
        cmd_gen(argparse.Namespace(scheme=args.scheme, corpus=args.corpus, n=args.n), f)
    t0 = time.time()
    if not run_batch(oracle, t("pairs"), t("ref")) or not run_batch([args.vercmp, args.scheme], t("pairs"), t("ours")):
        return 1
    print("%s: reference and vercmp answered in %.1f s (one process each)" % (args.scheme, time.time() - t0))
    rc = cmd_check(argparse.Namespace(scheme=args.scheme, pairs=t("pairs"), ref=t("ref"), ours=t("ours")))
    if not args.corpus:
        print("%s: no corpus, so no ordered lists from real feeds checked" % args.scheme)
        return rc
    with open(t("ordered"), "wb") as f:
        cmd_ordered(argparse.Namespace(scheme=args.scheme, corpus=args.corpus), f)
    with open(t("ordered"), "rb") as f, open(t("opairs"), "wb") as o:
        for ln in f:
            o.write(b"\t".join(ln.split(b"\t")[:2]) + b"\n")
    if os.path.getsize(t("opairs")) == 0:
        print("%s: the corpus has no feed that lists these versions in order" % args.scheme)
        return rc
    if not run_batch(oracle, t("opairs"), t("oref")) or not run_batch([args.vercmp, args.scheme], t("opairs"), t("oours")):
        return 1
    rc2 = cmd_check_ordered(argparse.Namespace(scheme=args.scheme, ordered=t("ordered"), ref=t("oref"), ours=t("oours")))
    return rc or rc2


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("gen")
    p.add_argument("--scheme", choices=SCHEMES, required=True)
    p.add_argument("--corpus")
    p.add_argument("--n", type=int, default=12000)
    p = sub.add_parser("ordered")
    p.add_argument("--scheme", choices=SCHEMES, required=True)
    p.add_argument("--corpus", required=True)
    p = sub.add_parser("run")
    p.add_argument("--scheme", choices=SCHEMES, required=True)
    p.add_argument("--vercmp", required=True)
    p.add_argument("--tmp", required=True)
    p.add_argument("--corpus")
    p.add_argument("--n", type=int, default=12000)
    p.add_argument("oracle", nargs=argparse.REMAINDER)
    p = sub.add_parser("check-ordered")
    p.add_argument("--scheme", choices=SCHEMES, required=True)
    p.add_argument("ordered")
    p.add_argument("ref")
    p.add_argument("ours")
    p = sub.add_parser("check")
    p.add_argument("--scheme", choices=SCHEMES, required=True)
    p.add_argument("pairs")
    p.add_argument("ref")
    p.add_argument("ours")
    args = ap.parse_args()
    return {"gen": cmd_gen, "ordered": cmd_ordered, "check": cmd_check,
            "check-ordered": cmd_check_ordered, "run": cmd_run}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
