#!/bin/sh
# Checks that dependencies run one way (docs/architecture.md, "Layering"):
#   1. modules: a file of src/ includes headers of its own module or of a
#      module below it, never above (the ranks below);
#   2. files: no two object files that need each other's symbols (nm over
#      BUILD/obj/src, BUILD the first argument, default build);
#   3. front ends (cli/, front/, tests/tools/engine.c) include only the
#      public headers (lading/...) and their own (cli.h, front.h).
# Exit 0 when all hold; otherwise each violation is printed.
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
export BUILD
exec python3 - <<'EOF'
import os, re, sys, collections
BUILD = os.environ["BUILD"]

# bottom to top; a module may depend on lower ranks only
RANK = {
    "util": 0, "ctx": 0,
    "net": 1, "version": 1, "purl": 1,
    "inventory": 2, "fs": 2,
    "catalog": 3, "vulndb": 3,
    "image": 4, "match": 4, "report": 4, "bomin": 4,
    "sbomin": 5,
    "scan": 6, "target": 6,
}
bad = []

def module(path):
    rel = os.path.relpath(path, "src").split(os.sep)
    return os.path.splitext(rel[0])[0] if len(rel) == 1 else rel[0]

def includes(path):
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if m:
                out.append(m.group(1))
    return out

def resolve(inc, here):
    for base in ("src", os.path.dirname(here)):
        p = os.path.normpath(os.path.join(base, inc))
        if os.path.exists(p) and p.startswith("src" + os.sep):
            return p
    return None

files = []
for d, _, fs in os.walk("src"):
    files += [os.path.join(d, f) for f in fs if f.endswith((".c", ".h"))]

# 1. modules
for p in files:
    m = module(p)
    if m not in RANK:
        bad.append(f"{p}: module '{m}' has no rank in scripts/check-layering.sh")
        continue
    for inc in includes(p):
        q = resolve(inc, p)
        if not q:
            continue
        t = module(q)
        if t != m and RANK.get(t, 99) >= RANK[m]:
            bad.append(f"{p} ({m}, rank {RANK[m]}) includes {inc} ({t}, rank {RANK.get(t)}): upwards or sideways")

# 2. file cycles, from the objects: X.o -> Y.o when X.o uses a symbol Y.o
# defines. A cycle is two files that need each other (a table of plug-ins
# that its plug-ins call back into, a driver whose parts call the driver).
import subprocess, glob
objs = sorted(glob.glob(os.path.join(BUILD, "obj", "src", "**", "*.o"), recursive=True))
if not objs:
    bad.append(f"no objects under {BUILD}/obj/src: build first (make)")
defs, uses = {}, {}
for o in objs:
    d, u = set(), set()
    for line in subprocess.run(["nm", o], capture_output=True, text=True).stdout.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "TDBR":
            d.add(f[2])
        elif len(f) == 2 and f[0] == "U":
            u.add(f[1])
    defs[o], uses[o] = d, u
owner = {sym: o for o, d in defs.items() for sym in d}
edges = collections.defaultdict(set)
for o, u in uses.items():
    for sym in u:
        if sym in owner and owner[sym] != o:
            edges[o].add(owner[sym])
index, low, stack, on, n = {}, {}, [], set(), [0]
sys.setrecursionlimit(100000)
def scc(v):
    index[v] = low[v] = n[0]
    n[0] += 1
    stack.append(v)
    on.add(v)
    for w in edges[v]:
        if w not in index:
            scc(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            names = sorted(os.path.relpath(c, os.path.join(BUILD, "obj", "src"))[:-2] + ".c" for c in comp)
            bad.append("files that need each other: " + ", ".join(names))
for v in objs:
    if v not in index:
        scc(v)

# 3. front ends
fe = [os.path.join(d, f) for d in ("cli", "front") for f in os.listdir(d) if f.endswith((".c", ".h"))]
fe.append("tests/tools/engine.c")
for p in fe:
    for inc in includes(p):
        if not (inc.startswith("lading/") or inc in ("cli.h", "front.h")) or ".." in inc:
            bad.append(f"{p}: a front end includes \"{inc}\" (public headers and its own only)")

for b in bad:
    print("check-layering:", b)
if bad:
    sys.exit(1)
print(f"check-layering: {len(files)} files in {len(set(map(module, files)))} modules, dependencies one way, "
      f"no two of {len(objs)} objects need each other")
EOF
