/* Importer for the Ubuntu CVE tracker (git.launchpad.net/ubuntu-cve-tracker):
 * one RFC-822-like text file per CVE (a directory such as active/, walked
 * recursively, or one file):
 *
 *   Candidate: CVE-2018-7869
 *   PublicDate: 2018-03-08 18:29:00 UTC
 *   References:
 *    https://…
 *   Description:
 *    indented, possibly several lines
 *   Priority: medium
 *   CVSS:
 *    nvd: CVSS:3.0/AV:N/…
 *   Patches_ming:
 *   Priority_ming: low                     (per-package override)
 *   xenial_ming: released (0.4.7.ds1-1ubuntu0.1)
 *
 * One advisory per file (vuln_id = Candidate) and one row per
 * `<release>_<source>: <status> (<note>)` line of a release with a number
 * (vdb_ubuntu_release()). Lines for "upstream", "devel" (a moving target),
 * "snap", and pockets such as "trusty/esm", "esm-infra/xenial" or
 * "vivid/ubuntu-core" are skipped: the plain release line is the verdict for
 * the standard archive, and a second row for the same release would contradict
 * it. The status mapping is in row_status(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vulndb/vulndb.h"

enum { MAX_DEPTH = 4, MAX_FILES = 1000000, MAX_UNKNOWN = 64 };

typedef struct ubuntu {
	vdb_writer *w;
	char unknown[MAX_UNKNOWN][VDB_RELEASE_NAME];
	size_t unknown_rows[MAX_UNKNOWN], nunknown;
} ubuntu;

typedef struct prio {
	sv pkg;
	const char *sev;
} prio;

static const char *priority_severity(sv p)
{
	static const char *const map[] = {VDB_SEV_NEGLIGIBLE, VDB_SEV_LOW, VDB_SEV_MEDIUM, VDB_SEV_HIGH,
					  VDB_SEV_CRITICAL};
	p = sv_trim(p);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv_eq_cstr(p, map[i]))
			return map[i];
	return NULL; /* "untriaged", empty */
}

/* Status word -> row status. DNE (the package does not exist there) gives no
 * row. "pending" means a fix is prepared but not yet in the archive, so the
 * release is still unfixed; its version is not recorded. */
static const char *row_status(sv st, bool *known)
{
	static const char *const map[][2] = {
		{"released", VDB_FIXED},   {"needed", VDB_UNFIXED},         {"needs-triage", VDB_UNFIXED},
		{"pending", VDB_UNFIXED},  {"active", VDB_UNFIXED},         {"not-affected", VDB_NOT_AFFECTED},
		{"ignored", VDB_WONTFIX},  {"deferred", VDB_DEFERRED},      {"DNE", NULL},
	};
	*known = true;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv_eq_cstr(st, map[i][0]))
			return map[i][1];
	*known = false;
	return NULL;
}

/* "2018-03-08 18:29:00 UTC" -> "2018-03-08T18:29:00Z"; a bare date stays. */
static char *public_date(arena *a, sv d)
{
	d = sv_trim(d);
	if (d.n == 23 && sv_ends_with(d, SV_LIT(" UTC")) && d.p[10] == ' ')
		return arena_printf(a, "%.10sT%.8sZ", d.p, d.p + 11);
	return d.n && d.n <= 40 ? arena_sv(a, d) : NULL;
}

/* Is `line` "<lowercase release>_<source>: …"? Fields such as Patches_x and
 * Priority_x start upper-case and are not rows. */
static bool row_key(sv key, sv *rel, sv *pkg)
{
	size_t us = sv_find(key, '_');
	if (us == SIZE_MAX || us == 0)
		return false;
	for (size_t i = 0; i < us; i++) {
		char c = key.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '.'))
			return false;
	}
	*rel = sv_make(key.p, us);
	*pkg = sv_make(key.p + us + 1, key.n - us - 1);
	return true;
}

static int import_text(ubuntu *u, const char *label, sv text)
{
	arena a = {0};
	VEC(vdb_ref) refs = {0};
	VEC(vdb_severity) sevs = {0};
	VEC(prio) prios = {0};
	sv cand = {0}, pubdate = {0}, priority = {0};
	buf desc = {0}, det = {0};
	int rc = 0;
	/* pass 1: the header fields and the per-package priorities */
	sv t = text, line, field = {0};
	while (!rc && sv_next_line(&t, &line)) {
		if (line.n && (line.p[0] == ' ' || line.p[0] == '\t')) {
			sv v = sv_trim(line);
			if (!v.n)
				continue;
			if (sv_eq_cstr(field, "Description"))
				rc = (desc.n ? buf_putc(&desc, ' ') : 0) || buf_putsv(&desc, v) ? -LADING_ENOMEM : 0;
			else if (sv_eq_cstr(field, "Ubuntu-Description"))
				rc = (det.n ? buf_putc(&det, ' ') : 0) || buf_putsv(&det, v) ? -LADING_ENOMEM : 0;
			else if (sv_eq_cstr(field, "References") && vdb_token_ok(v, 2048)) {
				vdb_ref r = {"WEB", arena_sv(&a, v)};
				rc = !r.url || vec_push(&refs, r) ? -LADING_ENOMEM : 0;
			} else if (sv_eq_cstr(field, "CVSS")) {
				/* " nvd: CVSS:3.0/AV:N/…": scored by `origin`, no score given */
				sv origin = sv_trim(sv_split(&v, ':'));
				v = sv_trim(v);
				if (vdb_token_ok(origin, 64) && vdb_token_ok(v, 256)) {
					vdb_severity s = {arena_sv(&a, origin),
							  sv_starts_with(v, SV_LIT("CVSS:4")) ? "CVSS_V4"
							  : sv_starts_with(v, SV_LIT("CVSS:3")) ? "CVSS_V3"
												 : "CVSS_V2",
							  arena_sv(&a, v), -1, NULL};
					rc = !s.origin || !s.vector || vec_push(&sevs, s) ? -LADING_ENOMEM : 0;
				}
			}
			continue;
		}
		size_t colon = sv_find(line, ':');
		if (colon == SIZE_MAX) {
			field = (sv){0};
			continue;
		}
		field = sv_make(line.p, colon);
		sv val = sv_trim(sv_make(line.p + colon + 1, line.n - colon - 1));
		if (sv_eq_cstr(field, "Candidate"))
			cand = val;
		else if (sv_eq_cstr(field, "PublicDate"))
			pubdate = val;
		else if (sv_eq_cstr(field, "Priority"))
			priority = val;
		else if (sv_starts_with(field, SV_LIT("Priority_"))) {
			prio p = {sv_make(field.p + 9, field.n - 9), priority_severity(val)};
			rc = vec_push(&prios, p);
		}
	}
	if (rc)
		goto out;
	if (!vdb_token_ok(cand, 100)) {
		vdb_skip(u->w, "%sno usable Candidate id; file skipped", label);
		goto out;
	}
	const char *sev_all = priority_severity(priority);
	char *id = arena_sv(&a, cand);
	char *pub = pubdate.n ? public_date(&a, pubdate) : NULL;
	if (!id) {
		rc = -LADING_ENOMEM;
		goto out;
	}
	if (sev_all || priority.n) {
		vdb_severity s = {"ubuntu", "distro", NULL, -1, sev_all ? sev_all : VDB_SEV_UNKNOWN};
		if ((rc = vec_push(&sevs, s)) != 0)
			goto out;
	}
	vdb_advisory adv = {.vuln_id = id,
			    .summary = desc.n ? desc.p : NULL,
			    .details = det.n ? det.p : NULL,
			    .published = pub,
			    .sev = sevs.v,
			    .nsev = sevs.n,
			    .refs = refs.v,
			    .nrefs = refs.n};
	int64_t advid;
	if ((rc = vdb_put_advisory(u->w, &advid, &adv)) != 0)
		goto out;
	/* pass 2: the rows */
	t = text;
	size_t lineno = 0;
	while (!rc && sv_next_line(&t, &line)) {
		lineno++;
		size_t colon = sv_find(line, ':');
		sv rel, pkg;
		if (colon == SIZE_MAX || !line.n || line.p[0] == ' ' || !row_key(sv_make(line.p, colon), &rel, &pkg))
			continue;
		sv val = sv_trim(sv_make(line.p + colon + 1, line.n - colon - 1));
		size_t sp = sv_find(val, ' ');
		sv st = sp == SIZE_MAX ? val : sv_make(val.p, sp);
		sv note = sp == SIZE_MAX ? SV_LIT("") : sv_trim(sv_make(val.p + sp, val.n - sp));
		if (sv_eq_cstr(rel, "upstream") || sv_eq_cstr(rel, "devel") || sv_eq_cstr(rel, "snap") ||
		    sv_find(rel, '/') != SIZE_MAX || sv_starts_with(rel, SV_LIT("esm")))
			continue;
		if (!vdb_token_ok(pkg, 200)) {
			vdb_skip(u->w, "%sline %zu: bad package name", label, lineno);
			continue;
		}
		bool known;
		const char *status = row_status(st, &known);
		if (!known) {
			vdb_skip(u->w, "%sline %zu: unknown status '%.*s'", label, lineno, (int)(st.n > 40 ? 40 : st.n),
				 st.p);
			continue;
		}
		if (!status)
			continue;
		char relname[32];
		snprintf(relname, sizeof(relname), "%.*s", (int)(rel.n > 31 ? 31 : rel.n), rel.p);
		const char *num = rel.n < 32 ? vdb_ubuntu_release(relname) : NULL;
		if (!num) {
			vdb_note_unknown(u->w, "Ubuntu", rel, u->unknown, u->unknown_rows, &u->nunknown,
					 MAX_UNKNOWN);
			continue;
		}
		const char *fixed = NULL;
		if (strcmp(status, VDB_FIXED) == 0) {
			/* "(1.2-3ubuntu1)": one version; anything else cannot be compared */
			sv v = note.n >= 2 && note.p[0] == '(' && note.p[note.n - 1] == ')'
				       ? sv_trim(sv_make(note.p + 1, note.n - 2))
				       : SV_LIT("");
			if (!vdb_token_ok(v, 200) || sv_find(v, ',') != SIZE_MAX) {
				vdb_skip(u->w, "%sline %zu: released without a single version", label, lineno);
				continue;
			}
			if (!(fixed = arena_sv(&a, v))) {
				rc = -LADING_ENOMEM;
				break;
			}
		}
		const char *sev = sev_all;
		for (size_t i = 0; i < prios.n; i++)
			if (sv_eq(prios.v[i].pkg, pkg))
				sev = prios.v[i].sev;
		char ns[48];
		snprintf(ns, sizeof(ns), "ubuntu:%s", num);
		char *pkgs = arena_sv(&a, pkg);
		if (!pkgs) {
			rc = -LADING_ENOMEM;
			break;
		}
		vdb_affected af = {.ns = ns, .package = pkgs, .scheme = "dpkg", .status = status, .fixed = fixed,
				   .severity = sev};
		rc = vdb_put_affected(u->w, advid, &af);
	}
out:
	vec_free(&refs);
	vec_free(&sevs);
	vec_free(&prios);
	buf_free(&desc);
	buf_free(&det);
	arena_free(&a);
	return rc;
}

static int import_file(ubuntu *u, const char *path, const char *label)
{
	buf b = {0};
	int rc = vdb_read_file(u->w, path, &b);
	if (!rc)
		rc = import_text(u, label, sv_make(b.p, b.n));
	buf_free(&b);
	return rc;
}

/* Tracker directories also hold README, scripts' state, etc.: only CVE-*
 * files are entries. */
static int walk_cb(vdb_writer *w, const char *path, const char *rel, void *arg)
{
	(void)w;
	const char *base = strrchr(path, '/');
	if (strncmp(base ? base + 1 : path, "CVE-", 4) != 0)
		return 0;
	char label[4200];
	snprintf(label, sizeof(label), "%s: ", rel);
	return import_file(arg, path, label);
}

static int import(vdb_writer *w, const char *path)
{
	ubuntu u = {.w = w};
	struct stat st;
	int rc;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = vdb_walk_bounded(w, path, MAX_DEPTH, MAX_FILES, walk_cb, &u);
	} else {
		rc = import_file(&u, path, ""); /* messages already name the input */
	}
	for (size_t i = 0; !rc && i < u.nunknown; i++)
		vdb_skip(w, "%zu rows for release '%s' skipped: no Ubuntu version known for it", u.unknown_rows[i],
			 u.unknown[i]);
	return rc;
}

/* A "Candidate:" line together with "PublicDate" or "Description" lines. */
static bool sniff(const char *name, sv head)
{
	(void)name;
	bool cand = false, other = false;
	sv line;
	while (sv_next_line(&head, &line)) {
		if (sv_starts_with(line, SV_LIT("Candidate:")))
			cand = true;
		else if (sv_starts_with(line, SV_LIT("PublicDate:")) || sv_starts_with(line, SV_LIT("Description:")))
			other = true;
	}
	return cand && other;
}

const vdb_importer vdb_importer_ubuntu = {LADING_FEED_UBUNTU, sniff, import};
