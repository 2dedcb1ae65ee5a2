#!/usr/bin/python3
"""Independent oracle for lading's OSV matching of Go, PyPI and crates.io packages.

Reads the corpus's raw OSV feeds (osv-go and osv-rust JSON, osv-pypi YAML),
chooses (package, version) pairs deterministically (a fixed seed), writes them
as one CycloneDX 1.6 JSON SBOM, and writes the findings the OSV specification
says a scan of that SBOM must give, one row per finding:

    package<TAB>installed version<TAB>id<TAB>fixed version or "-"

Nothing here comes from lading: the comparators are the ecosystems' own
(PyPI: packaging.version, the reference implementation of PEP 440) or written
here from their definitions (Go: golang.org/x/mod/semver's grammar and order,
plus x/vuln's GoTagToSemver for the standard library's "go1.21.3" versions;
crates.io: SemVer 2.0.0 -- there is no reference Rust tool on this machine, so
that one is this file's reading of semver.org section 11).

The evaluation is the OSV schema's "Evaluation" pseudocode
(https://ossf.github.io/osv-schema/#evaluation): an advisory affects a
version when ANY of its affected[] entries for the package lists the version
in `versions` or has a range that includes it; in a range the events are
sorted by version ("0" first; equal versions keep the feed's order) and the
last event at or below the version decides (introduced: affected, fixed: not,
last_affected: not when strictly above). GIT ranges are ignored (they need the
repository), withdrawn advisories are skipped. Advisories of one package that
share an id or alias are one finding (as lading documents it): its id is the
first CVE of the merged ids (sorted), else the lowest id; its fixed version is
the lowest `fixed` event above the installed version among the ranges that
include it.

Run with /usr/bin/python3 (Debian's python3-packaging and python3-yaml).
"""
import argparse
import collections
import functools
import glob
import json
import os
import random
import re
import sys
import urllib.parse

import yaml
from packaging.version import InvalidVersion, Version


# ---- comparators -----------------------------------------------------------

class Invalid(Exception):
    pass


def _cmp(a, b):
    return (a > b) - (a < b)


_NUM = r'(0|[1-9][0-9]*)'
_PRE_ID = r'(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)'
_BUILD = r'[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*'
# semver.org's grammar: no 'v', no leading zeros, optional -pre and +build.
_SEMVER = re.compile(r'^%s\.%s\.%s(?:-(%s(?:\.%s)*))?(?:\+%s)?$' %
                     (_NUM, _NUM, _NUM, _PRE_ID, _PRE_ID, _BUILD))
# x/mod/semver's: a 'v', then SemVer, where "v1" and "v1.2" stand for v1.0.0
# and v1.2.0 (without a pre-release or build then).
_GOSEM = re.compile(r'^v%s(?:\.%s(?:\.%s(?:-(%s(?:\.%s)*))?(?:\+%s)?)?)?$' %
                    (_NUM, _NUM, _NUM, _PRE_ID, _PRE_ID, _BUILD))
# golang.org/x/vuln/internal/semver.GoTagToSemver's pattern
_GOTAG = re.compile(r'^go(\d+\.\d+)(\.\d+|)((beta|rc|-pre)(\d+))?$')


class SemKey:
    """SemVer 2.0 precedence (section 11): numbers, then a pre-release sorts
    below its release, identifiers left to right, numeric ones by value and
    below alphanumeric ones (ASCII order), a prefix first. Build metadata
    does not count."""

    def __init__(self, nums, pre):
        self.nums = nums
        self.pre = pre.split('.') if pre else []

    def cmp(self, o):
        c = _cmp(self.nums, o.nums)
        if c:
            return c
        if not self.pre or not o.pre:
            return _cmp(not self.pre, not o.pre)
        for x, y in zip(self.pre, o.pre):
            dx, dy = x.isdigit(), y.isdigit()
            if dx and dy:
                c = _cmp(int(x), int(y))
            elif dx != dy:
                c = -1 if dx else 1
            else:
                c = _cmp(x.encode(), y.encode())
            if c:
                return c
        return _cmp(len(self.pre), len(o.pre))


def parse_cargo(v):
    m = _SEMVER.match(v)
    if not m:
        raise Invalid(v)
    return SemKey((int(m[1]), int(m[2]), int(m[3])), m[4])


def go_tag_to_semver(tag):
    """x/vuln's GoTagToSemver: go1.21.3 -> v1.21.3, go1.21rc2 -> v1.21.0-rc.2."""
    f = tag.split()
    if not f:
        return None
    tag = f[0]
    if tag == 'go1':
        return 'v1.0.0'
    if tag == 'go1.0':
        return None
    m = _GOTAG.match(tag)
    if not m:
        return None
    v = 'v' + m[1] + (m[2] if m[2] else '.0')
    if m[3]:
        v += ('' if m[4].startswith('-') else '-') + m[4] + '.' + m[5]
    return v


def parse_go(v):
    # OSV's Go records drop the 'v' (x/vuln adds it back); the standard
    # library's versions are Go tags.
    if v.startswith('go'):
        s = go_tag_to_semver(v)
        if s is None:
            raise Invalid(v)
        v = s
    elif not v.startswith('v'):
        v = 'v' + v
    m = _GOSEM.match(v)
    if not m:
        raise Invalid(v)
    return SemKey((int(m[1]), int(m[2] or 0), int(m[3] or 0)), m[4])


class PepKey:
    def __init__(self, v):
        self.v = v

    def cmp(self, o):
        return _cmp(self.v, o.v)


def parse_pypi(v):
    try:
        return PepKey(Version(v))
    except InvalidVersion:
        raise Invalid(v)


PARSE = {eco: functools.lru_cache(maxsize=None)(f) for eco, f in
         (('go', parse_go), ('pypi', parse_pypi), ('cargo', parse_cargo))}


def vcmp(eco, a, b):
    return PARSE[eco](a).cmp(PARSE[eco](b))


# ---- feeds -------------------------------------------------------------------

def pep503(name):
    return re.sub(r'[-_.]+', '-', name).lower()


def key_name(eco, name):
    return pep503(name) if eco == 'pypi' else name


class Adv:
    def __init__(self, doc, eco, path):
        self.id = doc['id']
        self.path = path
        self.withdrawn = bool(doc.get('withdrawn'))
        self.ids = sorted(set([self.id] + [a for a in doc.get('aliases') or [] if isinstance(a, str)]))
        self.affected = []  # (package key name, original name, ranges, versions)
        want = {'go': 'Go', 'pypi': 'PyPI', 'cargo': 'crates.io'}[eco]
        for a in doc.get('affected') or []:
            p = a.get('package') or {}
            if p.get('ecosystem') != want or not p.get('name'):
                continue
            ranges = [r for r in a.get('ranges') or [] if r.get('type') != 'GIT']
            self.affected.append((key_name(eco, p['name']), p['name'], ranges,
                                  [str(v) for v in a.get('versions') or []]))


def load(corpus):
    feeds = {}
    vd = os.path.join(corpus, 'vulndata')
    for eco, pat in (('go', 'osv-go/*.json'), ('cargo', 'osv-rust/*.json'), ('pypi', 'osv-pypi/*/*.yaml')):
        advs = []
        for f in sorted(glob.glob(os.path.join(vd, pat))):
            with open(f, encoding='utf-8') as fh:
                # libyaml's loader when there is one: the pure Python one takes 30 s here
                doc = yaml.load(fh, Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader)) if f.endswith(
                    '.yaml') else json.load(fh)
            advs.append(Adv(doc, eco, os.path.relpath(f, vd)))
        if not advs:
            sys.exit('osv_expected.py: no advisories under %s/%s' % (vd, pat))
        feeds[eco] = advs
    return feeds


# ---- evaluation (OSV schema, "Evaluation") ------------------------------------

def event_list(r):
    out = []
    for e in r.get('events') or []:
        for k in ('introduced', 'fixed', 'last_affected', 'limit'):
            if k in e:
                out.append((k, str(e[k])))
                break
    return out


def range_verdict(eco, v, r):
    """(affected, the fixed event that ends the installed version's interval)."""
    evs = event_list(r)
    limits = [x for k, x in evs if k == 'limit']
    if limits and not any(vcmp(eco, v, x) < 0 for x in limits):
        return False, None
    def order(a, b):
        if a[1] == '0' or b[1] == '0':
            return _cmp(a[1] != '0', b[1] != '0')
        return vcmp(eco, a[1], b[1])
    evs = sorted(evs, key=functools.cmp_to_key(order))  # stable: ties keep the feed's order
    vuln = False
    for k, x in evs:
        c = 1 if x == '0' else vcmp(eco, v, x)
        if k == 'introduced' and c >= 0:
            vuln = True
        elif k == 'fixed' and c >= 0:
            vuln = False
        elif k == 'last_affected' and c > 0:
            vuln = False
    if not vuln:
        return False, None
    fixes = [x for k, x in evs if k == 'fixed' and vcmp(eco, v, x) < 0]
    return True, fixes[0] if fixes else None


def in_versions(eco, v, versions):
    for x in versions:
        if x == v:
            return True
        try:
            if vcmp(eco, v, x) == 0:  # the ecosystem's equality: PEP 440's 1.0 == 1.0.0
                return True
        except Invalid:
            pass
    return False


def adv_verdict(eco, name, v, adv):
    """(affected, fixed or None) of one advisory for one package version."""
    affected, fixes = False, []
    for key, _orig, ranges, versions in adv.affected:
        if key != key_name(eco, name):
            continue
        if in_versions(eco, v, versions):
            affected = True
        for r in ranges:
            a, f = range_verdict(eco, v, r)
            if a:
                affected = True
                if f:
                    fixes.append(f)
    return affected, lowest(eco, fixes)


def lowest(eco, vs):
    best = None
    for x in vs:
        if best is None or vcmp(eco, x, best) < 0:
            best = x
    return best


def alias_groups(advs):
    """The package's advisories (withdrawn ones skipped) grouped by shared ids."""
    advs = [a for a in advs if not a.withdrawn]
    parent = list(range(len(advs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    owner = {}
    for i, a in enumerate(advs):
        for x in a.ids:
            if x in owner:
                parent[find(i)] = find(owner[x])
            else:
                owner[x] = i
    groups = collections.defaultdict(list)
    for i, a in enumerate(advs):
        groups[find(i)].append(a)
    return list(groups.values())


def findings(eco, name, v, groups):
    """The rows for one component: an alias group is reported when one of its
    advisories affects the version."""
    rows = []
    for g in groups:
        ids, fixes = set(), []
        for a in g:
            hit, f = adv_verdict(eco, name, v, a)
            if hit:
                ids.update(a.ids)
                if f:
                    fixes.append(f)
        if not ids:
            continue
        ids = sorted(ids)
        cves = [i for i in ids if i.startswith('CVE-')]
        rows.append((name, v, cves[0] if cves else ids[0], lowest(eco, fixes) or '-'))
    return rows


def checkable(eco, name, advs):
    """None when every version the package's advisories name is valid for the
    ecosystem's reference, else why not (the OSV data is then malformed and
    the pair is left out of the SBOM: nobody can decide it)."""
    for a in advs:
        if a.withdrawn:
            continue
        for key, _o, ranges, _v in a.affected:
            if key != key_name(eco, name):
                continue
            for r in ranges:
                for k, x in event_list(r):
                    if x == '0':
                        continue
                    try:
                        PARSE[eco](x)
                    except Invalid:
                        return '%s (%s): %s event "%s" is not a valid %s version' % (a.id, a.path, k, x, eco)
    return None


# ---- choosing the pairs --------------------------------------------------------------

def sem_parts(eco, v):
    m = _SEMVER.match(v[1:] if v.startswith('v') else v)
    if not m:
        return None
    return int(m[1]), int(m[2]), int(m[3]), m[4]


def neighbours(eco, v, rng):
    """Versions just below, at and just above an event version (valid ones)."""
    out = [v]
    if eco == 'pypi':
        try:
            pv = Version(v)
        except InvalidVersion:
            return []
        rel = list(pv.release)
        ep = '%d!' % pv.epoch if pv.epoch else ''
        up = rel[:-1] + [rel[-1] + 1]
        out.append(ep + '.'.join(map(str, up)))
        if pv.pre is None and pv.post is None and pv.dev is None and pv.local is None:
            out.append(ep + '.'.join(map(str, rel)) + rng.choice(['rc1', 'b2', '.dev0', 'a1']))
            if rng.random() < 0.5:
                out.append(ep + '.'.join(map(str, rel)) + '.post1')
        if rel[-1] > 0:
            out.append(ep + '.'.join(map(str, rel[:-1] + [rel[-1] - 1])))
        elif len(rel) > 1 and rel[-2] > 0:
            out.append(ep + '.'.join(map(str, rel[:-2] + [rel[-2] - 1, 9])))
        return out
    p = sem_parts(eco, v)
    if not p:
        return []
    a, b, c, pre = p
    if pre:
        out.append('%d.%d.%d' % (a, b, c))
    else:
        out.append('%d.%d.%d' % (a, b, c + 1))
        if rng.random() < 0.5:
            out.append('%d.%d.%d-%s' % (a, b, c, rng.choice(['rc.1', 'alpha', 'beta.2', '0'])))
    if c > 0:
        out.append('%d.%d.%d' % (a, b, c - 1))
    elif b > 0:
        out.append('%d.%d.%d' % (a, b - 1, 9))
    elif a > 0:
        out.append('%d.%d.%d' % (a - 1, 9, 0))
    return out


def to_go_tag(v):
    """A SemVer version of the Go toolchain as the release tag that Go
    itself reports (go1.21.3, go1.20, go1.21rc2); None when there is none."""
    m = _SEMVER.match(v)
    if not m:
        return None
    a, b, c, pre = int(m[1]), int(m[2]), int(m[3]), m[4]
    if pre:
        pm = re.match(r'^(rc|beta)\.([1-9][0-9]*)$', pre)
        if not pm or c != 0:
            return None
        return 'go%d.%d%s%s' % (a, b, pm[1], pm[2])
    if c == 0 and (a, b) < (1, 21):
        return 'go%d.%d' % (a, b)
    return 'go%d.%d.%d' % (a, b, c)


def choose(eco, advs, rng, n_adv, n_multi):
    by_pkg = collections.defaultdict(list)
    names = {}
    for a in advs:
        for key, orig, _r, _v in a.affected:
            if a not in by_pkg[key]:
                by_pkg[key].append(a)
            names.setdefault(key, orig)
    pairs = []  # (package name as advisories write it, version)

    def add_adv(a):
        ents = a.affected if len(a.affected) <= 3 else rng.sample(a.affected, 3)
        for key, orig, ranges, versions in ents:
            for r in ranges:
                for k, x in event_list(r):
                    if x == '0':
                        continue
                    pairs.extend((orig, y) for y in neighbours(eco, x, rng))
            for y in rng.sample(versions, min(3, len(versions))):
                pairs.append((orig, y))

    chosen = rng.sample(advs, min(n_adv, len(advs)))
    # advisories with several affected[] entries for one package (the spec ORs them)
    multi = [a for a in advs if len({k for k, _o, _r, _v in a.affected}) < len(a.affected)]
    chosen += rng.sample(multi, min(8, len(multi)))
    # withdrawn advisories (their packages must not get their findings)
    wd = [a for a in advs if a.withdrawn]
    chosen += rng.sample(wd, min(4, len(wd)))
    # advisories that share an id with another advisory of the same package (merging)
    shared = []
    for key, lst in sorted(by_pkg.items()):
        for i, x in enumerate(lst):
            if any(set(x.ids) & set(y.ids) for y in lst[:i] + lst[i + 1:]):
                shared.append(x)
    chosen += rng.sample(shared, min(6, len(shared)))
    # advisories with last_affected events
    la = [a for a in advs if any(k == 'last_affected' for _k, _o, rs, _v in a.affected for r in rs
                                 for k, _x in event_list(r))]
    chosen += rng.sample(la, min(4, len(la)))
    for a in chosen:
        add_adv(a)
    # packages in several advisories: versions that exist (versions lists,
    # events), as an installed package would have them
    several = sorted(k for k, lst in by_pkg.items() if len(lst) >= 3)
    for key in rng.sample(several, min(n_multi, len(several))):
        real = set()
        for a in by_pkg[key]:
            for k2, _o, ranges, versions in a.affected:
                if k2 != key:
                    continue
                real.update(versions)
                real.update(x for r in ranges for _k, x in event_list(r) if x != '0')
        real = sorted(real)
        pairs.extend((names[key], y) for y in rng.sample(real, min(6, len(real))))
    return pairs, by_pkg


def stdlib_pairs(advs, rng, n):
    """The Go standard library, named "stdlib" in the Go feed; installed
    versions are Go's own tags (go1.21.3), as a Go binary's build info says."""
    std = [a for a in advs if any(k == 'stdlib' for k, _o, _r, _v in a.affected)]
    out = []
    for a in rng.sample(std, min(n, len(std))):
        for key, _o, ranges, _v in a.affected:
            if key != 'stdlib':
                continue
            for r in ranges:
                for _k, x in event_list(r):
                    if x != '0':
                        out.extend(('stdlib', t) for t in map(to_go_tag, neighbours('go', x, rng)) if t)
    out += [('stdlib', t) for t in ('go1.21.3', 'go1.20', 'go1.22.0', 'go1.19.13', 'go1.21rc2', 'go1.16beta1',
                                    'go1.17.13', 'go1.23.4', 'go1.24.1', 'go1.18')]
    return out


def purl_version(eco, v):
    return urllib.parse.quote(v, safe='')


def read_rows(path):
    rows = collections.defaultdict(list)
    with open(path, encoding='utf-8') as f:
        for line in f:
            n, v, i, fx = line.rstrip('\n').split('\t')
            rows[(n, v, i)].append(fx)
    return rows


def explain(feeds, sbom, expected, got):
    """After a scan: agreement per ecosystem, and each disagreement with the
    verdict of every affected[] entry of its alias group, so that who is right
    can be read off the feed. Diagnostic only; the test compares the files."""
    eco_of = {}
    with open(sbom, encoding='utf-8') as f:
        for c in json.load(f)['components']:
            t = c['purl'][4:c['purl'].index('/')]
            eco_of[(c['name'], c['version'])] = 'go' if t == 'golang' else t
    by_pkg = {eco: collections.defaultdict(list) for eco in feeds}
    for eco, advs in feeds.items():
        for a in advs:
            for key in {k for k, _o, _r, _v in a.affected}:
                by_pkg[eco][key].append(a)
    want, have = read_rows(expected), read_rows(got)
    count = collections.Counter()
    shown = collections.Counter()
    for k in sorted(set(want) | set(have)):
        name, ver, vid = k
        eco = eco_of.get((name, ver), '?')
        if want.get(k) == have.get(k):
            count[(eco, 'agree')] += 1
            continue
        if eco == '?':
            count[(eco, 'not a component of the SBOM')] += 1
            continue
        v = ver[1:] if eco == 'go' and ver.startswith('v') else ver
        key = key_name(eco, name)
        group = next((g for g in alias_groups(by_pkg[eco][key]) if any(vid in a.ids for a in g)), [])
        entries = []  # (advisory id, entry number, affected, fixed, version listed)
        for a in group:
            for n, ent in enumerate(a.affected):
                if ent[0] != key:
                    continue
                one = Adv.__new__(Adv)
                one.affected, one.ids = [ent], a.ids
                hit, fx = adv_verdict(eco, name, v, one)
                entries.append((a.id, n, hit, fx, ver in ent[3] or v in ent[3]))
        if k in want and k in have:
            why = 'fixed differs'
            if have[k] == ['-'] and any(e[4] for e in entries):
                why += ': the version is listed in versions[] and lading gives no fixed version'
        elif k in want:
            why = 'only expected'
            if any(not e[2] for e in entries) and any(e[2] for e in entries):
                one_adv = len({e[0] for e in entries}) == 1
                why += (': an affected[] entry of the same advisory says not affected' if one_adv
                        else ': another advisory of the alias group says not affected')
        else:
            why = 'only lading'
        count[(eco, why)] += 1
        if shown[(eco, why)] < 5:
            shown[(eco, why)] += 1
            print('  %s %s %s: expected %s, lading %s; %s' % (
                name, ver, vid, ','.join(want.get(k, ['(none)'])), ','.join(have.get(k, ['(none)'])), why))
            for e in entries:
                print('      %s affected[%d]: %s%s%s' % (e[0], e[1], 'affected' if e[2] else 'not affected',
                                                       ', fixed ' + e[3] if e[3] else '',
                                                       ', listed in versions[]' if e[4] else ''))
    for (eco, why), n in sorted(count.items()):
        print('%s: %d rows: %s' % (eco, n, why))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--seed', default='lading-osv-1')
    ap.add_argument('--advisories', type=int, default=40, help='advisories sampled per ecosystem')
    ap.add_argument('--packages', type=int, default=15, help='packages with 3+ advisories per ecosystem')
    ap.add_argument('--sbom', required=True)
    ap.add_argument('--expected', required=True)
    ap.add_argument('--stats', help='counts and exclusions, for the log')
    ap.add_argument('--got', help="lading's rows: compare them with --expected and explain the differences")
    args = ap.parse_args()

    feeds = load(args.corpus)
    if args.got:
        explain(feeds, args.sbom, args.expected, args.got)
        return
    if not args.stats:
        ap.error('--stats is required')
    comps, rows, stats, excluded = [], [], [], []
    for eco in ('go', 'pypi', 'cargo'):
        rng = random.Random('%s:%s' % (args.seed, eco))
        pairs, by_pkg = choose(eco, feeds[eco], rng, args.advisories, args.packages)
        if eco == 'go':
            pairs += stdlib_pairs(feeds[eco], rng, 15)
        seen, groups, n_pairs, n_rows = set(), {}, 0, 0
        for name, v in pairs:
            # one pair once; PyPI: some names written as a user might (PEP 503 differences)
            if eco == 'pypi' and rng.random() < 0.15:
                name = name.upper().replace('-', '_')
            if eco == 'go' and name in ('stdlib', 'toolchain') and not v.startswith('go'):
                v = to_go_tag(v)  # Go reports its own version as a tag
                if v is None:
                    continue
            if (name, v) in seen:
                continue
            seen.add((name, v))
            try:
                PARSE[eco](v)
            except Invalid:
                # a versions[] entry the reference rejects: no such installed version
                excluded.append('%s %s %s: not a valid version for the reference' % (eco, name, v))
                continue
            advs = by_pkg.get(key_name(eco, name), [])
            why = checkable(eco, name, advs)
            if why:
                excluded.append('%s %s %s: %s' % (eco, name, v, why))
                continue
            if eco == 'go':
                ver = v if v.startswith('go') else 'v' + v
                purl = 'pkg:golang/%s@%s' % (name, purl_version(eco, ver))
            else:
                ver = v
                purl = 'pkg:%s/%s@%s' % (eco, urllib.parse.quote(name, safe=''), purl_version(eco, ver))
            comps.append({'type': 'library', 'bom-ref': 'c%d' % len(comps), 'name': name, 'version': ver,
                          'purl': purl})
            key = key_name(eco, name)
            if key not in groups:
                groups[key] = alias_groups(advs)
            r = findings(eco, name, v, groups[key])
            rows += [(n, ver, i, f) for n, _v, i, f in r]
            n_pairs += 1
            n_rows += len(r)
        stats.append('%s: %d pairs, %d expected findings' % (eco, n_pairs, n_rows))
    bom = {'bomFormat': 'CycloneDX', 'specVersion': '1.6', 'version': 1,
           'serialNumber': 'urn:uuid:6c0d5f2e-8a55-4f7e-9a61-0a5d0e0f0001',
           'metadata': {'component': {'type': 'application', 'name': 'osv-oracle-pairs', 'bom-ref': 'root'}},
           'components': comps}
    with open(args.sbom, 'w', encoding='utf-8') as f:
        json.dump(bom, f, indent=1)
    with open(args.expected, 'w', encoding='utf-8') as f:
        for r in sorted(rows, key=lambda r: '\t'.join(r).encode()):
            f.write('\t'.join(r) + '\n')
    with open(args.stats, 'w', encoding='utf-8') as f:
        for s in stats:
            f.write(s + '\n')
        for e in excluded:
            f.write('excluded: ' + e + '\n')


if __name__ == '__main__':
    main()
