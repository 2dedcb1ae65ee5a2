#!/usr/bin/env python3
"""Version pairs for checking lading's distro comparators (dpkg, rpm, apk)
against their reference implementations; used by tests/cli/version_*.sh.

  gen_versions.py --scheme S --outdir D [--corpus C] [--seed N]
      writes D/pairs.tsv    "A<TAB>B" lines: >= 10,000 deterministic pairs,
                            generated from the scheme's grammar plus real
                            versions read from the corpus (when present);
             D/ordered.tsv  "FIRST<TAB>SECOND<TAB>WHERE": consecutive versions
                            of one package from a feed that lists them in
                            order: Debian DSA/DLA lists (older, newer);
                            Alpine secdb secfixes (file order: newest first,
                            older history sometimes appended ascending);
             D/edge.tsv     (dpkg) pairs to run through the real dpkg: every
                            pair holding an unusual string (blanks, bad
                            epochs, odd characters) and 300 random others.
  gen_versions.py --verify S --outdir D [--ref FILE]
      compares D/ours.txt (vercmp on D/pairs.tsv) and D/ours-ordered.txt
      with the reference and prints a report; exit 1 on any disagreement.
      dpkg: apt_pkg for every pair, the real dpkg for D/edge.tsv, for every
      pair we refuse and for 300 random ones (dpkg wins where both ran);
      rpm: --ref FILE (rpm's answers) and --ref-ordered; apk: the model below.
  gen_versions.py --oracle NAME < pairs.tsv
      prints one answer per pair: -1, 0, 1 or ERR, from
        apt     python3-apt's apt_pkg.version_compare (dpkg's algorithm,
                reimplemented in apt; one process for all pairs)
        dpkg    the real `dpkg --compare-versions`, one run per pair: only
                for the small edge set
        apk     this file's model of apk-tools (see ApkModel below)

Only the standard library is needed (apt_pkg for --oracle apt). Output
depends only on --seed and the corpus content: files are read in sorted order.
"""

import argparse
import os
import random
import re
import subprocess
import sys

NPAIRS = 10000

# ---------------------------------------------------------------- corpus


def read_lines(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return []


def walk_sorted(top):
    out = []
    for root, dirs, files in os.walk(top):
        dirs.sort()
        for f in sorted(files):
            out.append(os.path.join(root, f))
    return out


def debian_lists(corpus):
    """{(list, release, package): [versions, newest first]} from DSA/DLA lists."""
    seqs = {}
    for name in ("DSA-list", "DLA-list"):
        for line in read_lines(os.path.join(corpus, "vulndata/debian", name)):
            m = re.match(r"^\s+\[([a-z-]+)\]\s+-\s+(\S+)\s+(\S+)", line)
            if not m or m.group(3).startswith("<"):
                continue
            seqs.setdefault((name, m.group(1), m.group(2)), []).append(m.group(3))
    return seqs


def dpkg_corpus_versions(corpus):
    vs = []
    for seq in debian_lists(corpus).values():
        vs.extend(seq)
    for path in walk_sorted(os.path.join(corpus, "pkgdb/dpkg")):
        if path.endswith(".dpkg-query.tsv"):
            for line in read_lines(path):
                cols = line.split("\t")
                if len(cols) >= 4:
                    vs += [cols[1], cols[3]]
    for path in walk_sorted(os.path.join(corpus, "vulndata/ubuntu-cve-tracker")):
        for line in read_lines(path):
            m = re.match(r"^[a-z0-9/._-]+: (?:released|not-affected) \(([^)\s]+)\)", line)
            if m:
                vs.append(m.group(1))
    return vs


def rpm_corpus_versions(corpus):
    vs = []
    for path in walk_sorted(os.path.join(corpus, "pkgdb/rpm")):
        if not path.endswith(".tsv") or "modularitylabel.tsv" in path:
            continue
        for line in read_lines(path):
            cols = line.split("\t")
            if len(cols) < 4 or cols[2] == "(none)":
                continue
            e, v, r = cols[1], cols[2], cols[3]
            vs.append(f"{v}-{r}")
            vs.append(f"{e}:{v}-{r}")
            vs.append(v)
    for path in walk_sorted(os.path.join(corpus, "vulndata/photon-oval")):
        for line in read_lines(path):
            vs += re.findall(r'datatype="evr_string"[^>]*>([^<]+)<', line)
    for path in walk_sorted(os.path.join(corpus, "vulndata/redhat-csaf-vex")):
        for line in read_lines(path):
            # product ids like "AppStream-8.8.0.Z.MAIN:curl-0:7.61.1-30.el8_8.3.x86_64"
            vs += re.findall(r"-(\d+:[0-9][A-Za-z0-9._+~^]*-[A-Za-z0-9._+~^]+?)\.(?:x86_64|noarch|src|aarch64|ppc64le|s390x|i686)\b", line)
    return vs


def alpine_secdb(corpus):
    """{(file, package): [versions in file order]} from the secdb YAML."""
    seqs = {}
    top = os.path.join(corpus, "vulndata/alpine-secdb")
    for path in walk_sorted(top):
        if not path.endswith(".yaml"):
            continue
        rel = os.path.relpath(path, top)
        pkg, in_fixes = None, False
        for line in read_lines(path):
            m = re.match(r"^\s+name:\s*(\S+)", line)
            if m:
                pkg, in_fixes = m.group(1), False
                continue
            if re.match(r"^\s+secfixes:\s*$", line):
                in_fixes = True
                continue
            m = re.match(r"^ {8}(['\"]?)([^'\"\s]+)\1:\s*$", line)
            if in_fixes and pkg and m:
                seqs.setdefault((rel, pkg), []).append(m.group(2))
    return seqs


def apk_corpus_versions(corpus):
    vs = []
    for seq in alpine_secdb(corpus).values():
        vs.extend(seq)
    for path in walk_sorted(os.path.join(corpus, "images/alpine")):
        if path.endswith(".apk.tsv"):
            vs += [l.split("\t")[1] for l in read_lines(path) if "\t" in l]
    return vs


# ---------------------------------------------------------------- grammar


def num(rng):
    r = rng.random()
    if r < 0.55:
        return str(rng.randint(0, 12))
    if r < 0.75:
        return str(rng.randint(0, 300))
    if r < 0.85:
        return "0" * rng.randint(1, 3) + str(rng.randint(0, 20))  # leading zeros
    if r < 0.93:
        return str(rng.randint(2000, 2025)) + "%02d%02d" % (rng.randint(1, 12), rng.randint(1, 28))
    # long runs: past 2^64, where a parse into an integer would overflow
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(rng.randint(18, 45)))


def dotted(rng, n=None):
    n = n or rng.choice([1, 2, 2, 3, 3, 3, 4, 5])
    return ".".join(num(rng) for _ in range(n))


DPKG_WORDS = ["rc", "beta", "alpha", "a", "b", "dfsg", "ds", "git", "esr", "really", "repack", "svn", "pre", "p",
              "post", "Z", "A", "build", "nmu"]


def dpkg_upstream(rng, allow_colon, allow_hyphen):
    s = dotted(rng)
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        sep = rng.choice(["~", "+", ".", "", "~", "+", ".", ""] + ([":"] if allow_colon else [])
                         + (["-"] if allow_hyphen else []))
        part = rng.choice([rng.choice(DPKG_WORDS) + num(rng), rng.choice(DPKG_WORDS), num(rng), dotted(rng, 2)])
        if sep == "" and part[:1].isdigit() == s[-1:].isdigit():
            sep = "."
        s += sep + part
    if rng.random() < 0.05:
        s = rng.choice(["~", "+", "a", "Z"]) + s  # legal with a warning in dpkg
    return s


def dpkg_revision(rng):
    return rng.choice([
        lambda: num(rng), lambda: num(rng) + "ubuntu" + num(rng), lambda: num(rng) + "+deb" + num(rng) + "u" + num(rng),
        lambda: num(rng) + "~bpo" + num(rng) + "+" + num(rng), lambda: num(rng) + "." + num(rng),
        lambda: num(rng) + "+b" + num(rng), lambda: "0." + num(rng), lambda: num(rng) + "~deb" + num(rng) + "u1",
        lambda: num(rng) + "build" + num(rng), lambda: num(rng) + "~",
    ])()


def dpkg_version(rng):
    epoch = ""
    if rng.random() < 0.3:
        epoch = rng.choice(["0", "1", "2", "3", "10", "00", "01", "007", "2147483647"]) + ":"
    rev = rng.random() < 0.7
    up = dpkg_upstream(rng, allow_colon=bool(epoch), allow_hyphen=rev)
    return epoch + up + ("-" + dpkg_revision(rng) if rev else "")


RPM_WORDS = ["rc", "beta", "alpha", "a", "el", "fc", "git", "svn", "pre", "post", "ph", "cm", "module", "Z", "B",
             "mga", "snap", "dev"]


def rpm_version(rng):
    def part():
        s = dotted(rng)
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            sep = rng.choice([".", "_", "+", "~", "^", "", "..", "%", "~~", "^"])
            p = rng.choice([rng.choice(RPM_WORDS) + num(rng), rng.choice(RPM_WORDS), num(rng)])
            s += sep + p
        return s

    e = ""
    if rng.random() < 0.3:
        e = rng.choice(["0", "1", "2", "3", "10", "00", "01", "", "99999999999999999999999"]) + ":"
    v = part()
    if rng.random() < 0.75:
        r = rng.choice([num(rng) + ".el" + num(rng), num(rng) + ".el" + num(rng) + "_" + num(rng) + "." + num(rng),
                        num(rng) + ".fc" + num(rng), "0." + num(rng) + ".rc" + num(rng) + ".fc" + num(rng),
                        num(rng) + ".ph" + num(rng), num(rng) + ".cm" + num(rng), part(),
                        num(rng) + ".module+el8." + num(rng) + ".0+" + num(rng) + "+" + "%08x" % rng.getrandbits(32)])
        return e + v + "-" + r
    return e + v


APK_PRE = ["alpha", "beta", "pre", "rc"]
APK_POST = ["cvs", "svn", "git", "hg", "p"]


def apk_version(rng):
    s = dotted(rng)
    if rng.random() < 0.15:
        s += rng.choice("abcdefghijklmnopqrstuvwxyz")
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
        s += "_" + rng.choice(APK_PRE + APK_POST)
        if rng.random() < 0.7:
            s += num(rng)
    if rng.random() < 0.08:
        s += "~" + "".join(rng.choice("0123456789abcdef") for _ in range(rng.randint(1, 12)))
    if rng.random() < 0.8:
        s += "-r" + num(rng)
    return s


def mutate(rng, v, scheme):
    """A version close to v: the pairs that actually exercise the rules."""
    ops = [
        lambda s: s + rng.choice(["~rc1", "~", "+b1", ".0", "a", "0", ".1", "~~", "+", "^1", "_p1", "_rc1", "-r1",
                                  "-r0", "_alpha", "_git20200101", "-1", "-0"]),
        lambda s: re.sub(r"\d+", lambda m: str(int(m.group()) + rng.choice([-1, 1, 0])).replace("-", ""), s, count=1),
        lambda s: re.sub(r"(\d+)(?!.*\d)", lambda m: "0" + m.group(1), s, count=1),
        lambda s: re.sub(r"(\d+)(?!.*\d)", lambda m: str(int(m.group(1)) + 1), s, count=1),
        lambda s: s.replace(".", rng.choice(["_", "+", "~", ".", "^", ".."]), 1),
        lambda s: s[:-1] if len(s) > 1 else s,
        lambda s: s.upper() if rng.random() < 0.3 else s.lower(),
        lambda s: rng.choice(["1:", "0:", "2:", ""]) + s.split(":", 1)[-1],
        lambda s: s.replace("-", rng.choice(["-", ".", "~", "+", "_"]), 1),
    ]
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        v = rng.choice(ops)(v)
    return v


# Strings that only the real dpkg may judge: what it refuses, what it only
# warns about, and where apt's reimplementation may part from dpkg.
DPKG_EDGE = [
    " 1.0", "1.0 ", "  2:1.0-1  ", "1 .0", "1.0 -1", ":1.0", "a:1.0", "-1:1.0", "-0:1.0", "+1:1.0", "+:1.0",
    "2147483647:1", "2147483648:1", "99999999999999999999:1", "00:1.0", "1:", "1:-1", "1.0-", "-1", "-", "1-",
    "1--1", "1.0-1-", "abc", "~1", "+1", "1.0#1", "1.0@x", "1.0_1", "1.0-1_1", "1.0-1:1", "1.0-1-1", "1:2:3",
    "1.0é", "1.0-é", "é", "1.0\x7f", "1.0~~", "1.0~", "0", "00", "0:0", "1.0-0", "1.0-00", "\v1:1.0", "1.0\v",
]


def gen_pairs(scheme, corpus, seed):
    rng = random.Random(seed)
    make = {"dpkg": dpkg_version, "rpm": rpm_version, "apk": apk_version}[scheme]
    real = []
    if corpus:
        real = {"dpkg": dpkg_corpus_versions, "rpm": rpm_corpus_versions, "apk": apk_corpus_versions}[scheme](corpus)
        real = sorted(set(real))
    pairs = []
    # grammar: random pairs, and each version against a near variant
    for _ in range(3000):
        pairs.append((make(rng), make(rng)))
    for _ in range(4500):
        v = make(rng)
        pairs.append((v, mutate(rng, v, scheme)) if rng.random() < 0.5 else (mutate(rng, v, scheme), v))
    for _ in range(300):
        v = make(rng)
        pairs.append((v, v))
    if not corpus:
        for _ in range(2400):
            v = make(rng)
            pairs.append((v, mutate(rng, v, scheme)))
    # real versions from the corpus: near neighbours in sorted order (same
    # package, successive releases), random pairs, and variants
    if real:
        for _ in range(1200):
            i = rng.randrange(len(real))
            pairs.append((real[i], real[min(i + rng.randint(1, 3), len(real) - 1)]))
        for _ in range(600):
            pairs.append((rng.choice(real), rng.choice(real)))
        for _ in range(600):
            v = rng.choice(real)
            pairs.append((v, mutate(rng, v, scheme)))
    # garbage and edge strings
    edge = []
    if scheme == "dpkg":
        pool = DPKG_EDGE
    elif scheme == "rpm":
        pool = ["", "-", ":", "1:", ":1", "-1", "1-", "1.0-", "~", "^", "~~1", "1^", "1~", "a", "A", "1.0 ", " 1.0",
                "1.0é", "é", "1:1:1", "1-1-1", "0:", "00:1", "01:1", "1.0-1.0-", ".", "_", "+", "1..0", "1._0"]
    else:
        pool = ["", "a", "1.", ".1", "1..2", "1.0-1", "1.0-r", "1.0-r1-r2", "1.0_foo", "1.0_alpha_beta1_p",
                "1.0a1", "1.0ab", "1.0A", "1.0~", "1.0~ABC", "1.0~abcg", "1.0~abc~def", "1.0_rc1~00ff-r2", "v1.0",
                "1.0 ", " 1.0", "1.0-R1", "1_p", "1.0_pre", "1.0_prep", "1.0_p1_p2", "01", "1.00", "1.0.0.0.0",
                "1.0a_alpha", "1.0a-r1", "1.0-r01", "1.0_rc", "1.0_rc0", "0", "00", "1.0~0-r0"]
    for e in pool:
        for _ in range(4):
            other = make(rng) if rng.random() < 0.5 else rng.choice(pool)
            edge.append((e, other) if rng.random() < 0.5 else (other, e))
        edge.append((e, e))
    pairs += edge
    rng.shuffle(pairs)
    clean = []
    for a, b in pairs:
        if "\t" in a + b or "\n" in a + b or "\r" in a + b:
            continue
        clean.append((a, b))
    edge_set = set(edge)
    return clean, edge_set


def gen_ordered(scheme, corpus):
    out = []
    if not corpus:
        return out
    if scheme == "dpkg":
        for (lst, rel, pkg), seq in sorted(debian_lists(corpus).items()):
            # newest first in the file
            for newer, older in zip(seq, seq[1:]):
                out.append((older, newer, f"{lst} {rel} {pkg}"))
    elif scheme == "apk":
        for (f, pkg), seq in sorted(alpine_secdb(corpus).items()):
            for x, y in zip(seq, seq[1:]):
                out.append((x, y, f"{f} {pkg}"))
    return out


# ---------------------------------------------------------------- oracles


class ApkModel:
    """apk-tools' version order, derived from its documented rules and source
    but built differently from src/version/apk.c: validity is one regular
    expression, and the order is a Python sort key (a list of (rank, value)
    pairs), not a token walk. Where the two agree on 10,000+ pairs, a slip in
    either would have to be the same slip twice. It is NOT apk-tools itself
    (Debian has no apk-tools package); the secdb order check is the outside
    evidence.

    Ranks encode what apk does when the two sides reach different kinds of
    token: a pre-release suffix sorts first, then the end of the version, a
    revision, a commit hash, a suffix number, a post-release suffix, a letter,
    and a further ".digits" last."""

    VALID = re.compile(r"^[0-9]+(\.[0-9]+)*[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*)*(~[0-9a-f]+)?(-r[0-9]+)?$")
    SUFFIX = {"alpha": 1, "beta": 2, "pre": 3, "rc": 4, "cvs": 6, "svn": 7, "git": 8, "hg": 9, "p": 10}
    R_PRE, R_END, R_REV, R_HASH, R_SUFNO, R_POST, R_LETTER, R_DIGIT = range(8)

    @classmethod
    def key(cls, v):
        if not cls.VALID.match(v):
            return None
        m = re.match(r"^([0-9]+)", v)
        k = [(cls.R_DIGIT, int(m.group(1)))]
        rest = v[m.end():]
        for tok in re.findall(r"\.[0-9]+|[a-z](?=_|~|-|$)|_[a-z]+|(?<=[a-z])[0-9]+|~[0-9a-f]+|-r[0-9]+", rest):
            if tok[0] == ".":
                d = tok[1:]
                # leading zero on either side: byte order, which puts every
                # "0..." before every other run; otherwise numeric
                k.append((cls.R_DIGIT, (0, d) if d[0] == "0" else (1, int(d))))
            elif tok[0] == "_":
                s = cls.SUFFIX[tok[1:]]
                k.append((cls.R_PRE if s < 5 else cls.R_POST, s))
            elif tok[0] == "~":
                k.append((cls.R_HASH, tok[1:]))
            elif tok[0] == "-":
                k.append((cls.R_REV, int(tok[2:])))
            elif tok[0].isdigit():
                k.append((cls.R_SUFNO, int(tok)))
            else:
                k.append((cls.R_LETTER, tok))
        k.append((cls.R_END, 0))
        return k

    @classmethod
    def cmp(cls, a, b):
        ka, kb = cls.key(a), cls.key(b)
        if ka is None or kb is None:
            return "ERR"
        return str((ka > kb) - (ka < kb))


def read_pairs():
    for line in sys.stdin.buffer.read().decode("utf-8").split("\n"):
        if line:
            a, _, b = line.partition("\t")
            yield a, b


def oracle(name):
    out = []
    if name == "apt":
        import apt_pkg
        apt_pkg.init_system()
        for a, b in read_pairs():
            r = apt_pkg.version_compare(a, b)
            out.append(str((r > 0) - (r < 0)))
    elif name == "dpkg":
        def run(a, op, b):
            # dpkg's option parser takes a leading '-' for an option; a
            # leading blank, which parseversion() trims, keeps it an argument
            a, b = (" " + x if x.startswith("-") else x for x in (a, b))
            return subprocess.run(["dpkg", "--compare-versions", a, op, b], stderr=subprocess.DEVNULL).returncode
        for a, b in read_pairs():
            rc = run(a, "lt", b)
            if rc == 0:
                out.append("-1")
            elif rc == 1:
                out.append("0" if run(a, "eq", b) == 0 else "1")
            else:
                out.append("ERR")
    elif name == "apk":
        out = [ApkModel.cmp(a, b) for a, b in read_pairs()]
    else:
        sys.exit(f"gen_versions.py: unknown oracle {name}")
    sys.stdout.write("".join(x + "\n" for x in out))


def load_pairs(path):
    with open(path, "rb") as f:
        rows = f.read().decode("utf-8").split("\n")
    return [tuple(r.split("\t")[:2]) for r in rows if r] if rows else []


def load_answers(path):
    with open(path) as f:
        return f.read().split()


def answers(name, pairs):
    """Runs an oracle in this process on a list of pairs."""
    import io
    data = "".join(a + "\t" + b + "\n" for a, b in pairs).encode("utf-8")
    old_in, old_out = sys.stdin, sys.stdout
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    sys.stdout = io.StringIO()
    try:
        oracle(name)
        return sys.stdout.getvalue().split()
    finally:
        sys.stdin, sys.stdout = old_in, old_out


def verify(scheme, d, ref_file, ref_ordered_file):
    pairs = load_pairs(os.path.join(d, "pairs.tsv"))
    ours = load_answers(os.path.join(d, "ours.txt"))
    ordered = [tuple(r.split("\t")) for r in open(os.path.join(d, "ordered.tsv"), encoding="utf-8").read().split("\n") if r]
    ours_ord = load_answers(os.path.join(d, "ours-ordered.txt"))
    if len(ours) != len(pairs) or len(ours_ord) != len(ordered):
        print(f"FAIL: {len(pairs)} pairs but {len(ours)} answers from vercmp")
        return 1
    fails = 0
    src = scheme
    if scheme == "dpkg":
        ref = answers("apt", pairs)
        rng = random.Random(7)
        idx = {p: i for i, p in enumerate(pairs)}
        rand = set(rng.sample(range(len(pairs)), min(300, len(pairs))))
        chk = sorted({idx[p] for p in load_pairs(os.path.join(d, "edge.tsv")) if p in idx}
                     | {i for i, o in enumerate(ours) if o == "ERR"} | rand)
        chk = [i for i in chk if "" not in pairs[i] and "<unknown>" not in pairs[i]]
        real = answers("dpkg", [pairs[i] for i in chk])
        differ = [(i, ref[i], r) for i, r in zip(chk, real) if r != ref[i]]
        rand_differ = [x for x in differ if x[0] in rand and x[2] != "ERR"]
        print(f"dpkg --compare-versions run on {len(chk)} pairs ({len(rand)} random, the rest edge cases and "
              f"pairs lading refuses); apt_pkg differs from dpkg on {len(differ)} of them "
              f"({sum(1 for x in differ if x[2] == 'ERR')} refused by dpkg)")
        for i, a, r in differ[:10]:
            print(f"    apt {a:>3} dpkg {r:>3}  {pairs[i][0]!r} vs {pairs[i][1]!r}")
        if rand_differ:
            print(f"FAIL: apt_pkg and dpkg disagree on {len(rand_differ)} random pairs: apt is not a valid oracle")
            fails += 1
        for i, r in zip(chk, real):
            ref[i] = r
        ref_ord = answers("apt", [(a, b) for a, b, _ in ordered])
        src = "apt_pkg (+ dpkg where it ran)"
    elif scheme == "rpm":
        ref = load_answers(ref_file)
        ref_ord = load_answers(ref_ordered_file) if ordered else []
        src = "rpm.vercmp"
    else:
        ref = answers("apk", pairs)
        ref_ord = answers("apk", [(a, b) for a, b, _ in ordered])
        src = "the apk model"
    if len(ref) != len(pairs) or len(ref_ord) != len(ordered):
        print(f"FAIL: reference gave {len(ref)} answers for {len(pairs)} pairs")
        return 1
    bad = [(p, o, r) for p, o, r in zip(pairs, ours, ref) if r != "ERR" and o != r]
    rejected = [(p, o) for p, o, r in zip(pairs, ours, ref) if r == "ERR"]
    claimed = [(p, o) for p, o in rejected if o != "ERR"]
    agree = sum(1 for o, r in zip(ours, ref) if r != "ERR" and o == r)
    print(f"{len(pairs)} pairs: {agree} of {len(pairs) - len(rejected)} accepted by {src} agree; "
          f"{len(rejected)} refused by it, lading said ERR for {len(rejected) - len(claimed)} of them")
    if bad:
        fails += 1
        print(f"FAIL: {len(bad)} disagreements (first 20; lading, reference):")
        for (a, b), o, r in bad[:20]:
            print(f"    {o:>3} {r:>3}  {a!r} vs {b!r}")
    if claimed:
        fails += 1
        print(f"FAIL: lading orders {len(claimed)} pairs the reference refuses (first 20):")
        for (a, b), o in claimed[:20]:
            print(f"    {o:>3}  {a!r} vs {b!r}")
    if ordered:
        obad = [(x, o, r) for x, o, r in zip(ordered, ours_ord, ref_ord) if o != r]
        in_order = sum(1 for o in ours_ord if o in ("-1", "0"))
        shown = "" if scheme == "apk" else f"lading puts {in_order} in feed order; "
        print(f"ordered feed lists: {len(ordered)} successive pairs; {shown}{len(obad)} differ from {src}")
        for (a, b, where), o, r in obad[:20]:
            print(f"    {o:>3} {r:>3}  {a!r} then {b!r} ({where})")
        if obad:
            fails += 1
        if scheme == "apk":
            fails += apk_feed_report(ordered, ours_ord)
        else:
            out = [(x, o) for x, o in zip(ordered, ours_ord) if o not in ("-1", "0")]
            print(f"    {len(out)} pairs out of feed order by both (feed anomalies), e.g.:")
            for (a, b, where), o in out[:8]:
                print(f"      {a} then {b} ({where})")
    return 1 if fails else 0


def apk_feed_report(ordered, ours_ord):
    """secdb lists are newest first, except older ones appended in ascending
    order below (merged histories): a list should be one descending run,
    possibly followed by one ascending run. Prints the lists that are not."""
    lists = {}
    for (a, b, where), o in zip(ordered, ours_ord):
        lists.setdefault(where, []).append(o)
    shape_ok, odd = 0, []
    for where, steps in lists.items():
        s = "".join({"-1": "u", "0": "=", "1": "d"}.get(o, "x") for o in steps)
        if re.fullmatch(r"[d=]*[u=]*", s):
            shape_ok += 1
        else:
            odd.append((where, s))
    print(f"    secdb lists with two or more versions: {len(lists)}; {shape_ok} are newest-first, possibly "
          f"followed by an ascending run; {len(odd)} are not (two upstream branches, invalid entries):")
    for where, s in odd[:20]:
        print(f"      {where}: steps {s}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scheme", choices=["dpkg", "rpm", "apk"])
    ap.add_argument("--outdir")
    ap.add_argument("--corpus")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--oracle")
    ap.add_argument("--verify", choices=["dpkg", "rpm", "apk"])
    ap.add_argument("--ref")
    ap.add_argument("--ref-ordered")
    args = ap.parse_args()
    if args.verify:
        sys.exit(verify(args.verify, args.outdir, args.ref, args.ref_ordered))
    if args.oracle:
        oracle(args.oracle)
        return
    if not args.scheme or not args.outdir:
        ap.error("--scheme and --outdir are required")
    corpus = args.corpus if args.corpus and os.path.isdir(args.corpus) else None
    pairs, edge = gen_pairs(args.scheme, corpus, args.seed)

    def write(name, rows):
        with open(os.path.join(args.outdir, name), "wb") as f:
            f.write("".join("\t".join(r) + "\n" for r in rows).encode("utf-8"))

    write("pairs.tsv", pairs)
    write("ordered.tsv", gen_ordered(args.scheme, corpus))
    if args.scheme == "dpkg":
        rng = random.Random(args.seed + 1)
        plain = [p for p in pairs if p not in edge]
        # dpkg's CLI reads "" and "<unknown>" as "no version" rather than
        # refusing them; that is a CLI convention, not a version, so neither
        # is sent to it
        chk = [p for p in pairs if p in edge] + rng.sample(plain, min(300, len(plain)))
        write("edge.tsv", [p for p in chk if "" not in p and "<unknown>" not in p])


if __name__ == "__main__":
    main()
