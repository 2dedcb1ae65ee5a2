/* Importer for the Debian Security Tracker JSON
 * (security-tracker.debian.org/tracker/data/json): source package -> CVE (or
 * TEMP-…) id -> {description, scope, releases: {codename: {status,
 * repositories, fixed_version, urgency}}}.
 *
 * The real file is ~50 MB and package-major, while we write one advisory per
 * CVE. Rather than building one jansson tree for the whole file, the top-level
 * object is walked with a small byte scanner and each package's value is parsed
 * on its own, so memory per step is bounded by the largest package and a
 * truncated file still yields every package before the damage. A CVE seen
 * under a second package gets its rows added to the advisory written the first
 * time (a small id map), because vdb_put_advisory() replaces a repeated id.
 *
 * Rows: namespace "debian:<version>" from vdb_debian_release(), "debian:sid"
 * for sid/unstable (it has no number); status resolved + fixed_version "0" ->
 * not-affected, resolved + version -> fixed, open -> unfixed (open with urgency
 * "end-of-life" -> will-not-fix: the release no longer gets fixes),
 * undetermined -> undetermined (kept, never reported: Debian has not decided
 * whether the release is affected, and we make no guesses). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vulndb/vulndb.h"

/* ---- CVE id -> advisory row id ------------------------------------------- */

typedef struct idmap {
	char **key;
	int64_t *val;
	size_t cap, n;
} idmap;

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int64_t *idmap_get(idmap *m, const char *k)
{
	if (!m->cap)
		return NULL;
	for (size_t i = fnv(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->key[i])
			return NULL;
		if (strcmp(m->key[i], k) == 0)
			return &m->val[i];
	}
}

static int idmap_put(idmap *m, const char *k, int64_t v)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		char **key = calloc(cap, sizeof(*key));
		int64_t *val = calloc(cap, sizeof(*val));
		if (!key || !val) {
			free(key);
			free(val);
			return -LADING_ENOMEM;
		}
		for (size_t j = 0; j < m->cap; j++) {
			if (!m->key[j])
				continue;
			size_t i = fnv(m->key[j]) & (cap - 1);
			while (key[i])
				i = (i + 1) & (cap - 1);
			key[i] = m->key[j];
			val[i] = m->val[j];
		}
		free(m->key);
		free(m->val);
		m->key = key;
		m->val = val;
		m->cap = cap;
	}
	size_t i = fnv(k) & (m->cap - 1);
	while (m->key[i])
		i = (i + 1) & (m->cap - 1);
	if (!(m->key[i] = strdup(k)))
		return -LADING_ENOMEM;
	m->val[i] = v;
	m->n++;
	return 0;
}

static void idmap_free(idmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->key[i]);
	free(m->key);
	free(m->val);
}

/* ---- rows ----------------------------------------------------------------- */

typedef struct tracker {
	vdb_writer *w;
	idmap ids;
	/* codenames with no known version, reported once each at the end */
	char unknown[16][VDB_RELEASE_NAME];
	size_t unknown_rows[16], nunknown;
} tracker;

/* A package name, id or version: printable ASCII without blanks, bounded. */
static bool token_ok(const char *s, size_t max)
{
	size_t n = 0;
	for (; s && s[n]; n++)
		if ((unsigned char)s[n] <= ' ' || (unsigned char)s[n] >= 0x7f || n >= max)
			return false;
	return n > 0;
}

static const char *urgency_severity(const char *u)
{
	if (!u)
		return NULL;
	/* the tracker marks guessed urgencies with trailing '*' ("low**") */
	size_t n = strcspn(u, "*");
	static const char *const map[][2] = {
		{"unimportant", VDB_SEV_NEGLIGIBLE}, {"low", VDB_SEV_LOW}, {"medium", VDB_SEV_MEDIUM},
		{"high", VDB_SEV_HIGH},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i][0]) == n && strncmp(map[i][0], u, n) == 0)
			return map[i][1];
	return NULL;
}

static int put_release(tracker *t, int64_t adv, const char *pkg, const char *cve, const char *codename, json_t *r)
{
	if (!json_is_object(r)) {
		vdb_skip(t->w, "%s/%s/%.40s: release entry is not an object", pkg, cve, codename);
		return 0;
	}
	char ns[64];
	const char *ver = vdb_debian_release(codename);
	if (ver)
		snprintf(ns, sizeof(ns), "debian:%s", ver);
	else if (strcmp(codename, "sid") == 0 || strcmp(codename, "unstable") == 0)
		snprintf(ns, sizeof(ns), "debian:sid");
	else {
		if (token_ok(codename, 31))
			vdb_note_unknown(t->w, "Debian", sv_cstr(codename), t->unknown, t->unknown_rows, &t->nunknown,
					 16);
		else
			vdb_skip(t->w, "%s/%s: bad release name", pkg, cve);
		return 0;
	}
	const char *status = json_string_value(json_object_get(r, "status"));
	const char *fixed = json_string_value(json_object_get(r, "fixed_version"));
	const char *urgency = json_string_value(json_object_get(r, "urgency"));
	vdb_affected af = {.ns = ns, .package = pkg, .scheme = "dpkg", .severity = urgency_severity(urgency)};
	if (!status) {
		vdb_skip(t->w, "%s/%s/%s: no status", pkg, cve, codename);
		return 0;
	}
	if (strcmp(status, "resolved") == 0) {
		if (!fixed || !token_ok(fixed, 200)) {
			vdb_skip(t->w, "%s/%s/%s: resolved without a usable fixed_version", pkg, cve, codename);
			return 0;
		}
		if (strcmp(fixed, "0") == 0)
			af.status = VDB_NOT_AFFECTED;
		else {
			af.status = VDB_FIXED;
			af.fixed = fixed;
		}
	} else if (strcmp(status, "open") == 0) {
		af.status = urgency && strcmp(urgency, "end-of-life") == 0 ? VDB_WONTFIX : VDB_UNFIXED;
	} else if (strcmp(status, "undetermined") == 0) {
		af.status = VDB_UNDETERMINED;
	} else {
		vdb_skip(t->w, "%s/%s/%s: unknown status '%.40s'", pkg, cve, codename, status);
		return 0;
	}
	return vdb_put_affected(t->w, adv, &af);
}

static int put_cve(tracker *t, const char *pkg, const char *cve, json_t *v)
{
	if (!token_ok(cve, 100)) {
		vdb_skip(t->w, "%s: bad vulnerability id", pkg);
		return 0;
	}
	json_t *rels = json_object_get(v, "releases");
	if (!json_is_object(v) || (rels && !json_is_object(rels))) {
		vdb_skip(t->w, "%s/%s: not a tracker entry", pkg, cve);
		return 0;
	}
	int rc;
	int64_t *known = idmap_get(&t->ids, cve), adv;
	if (known) {
		adv = *known;
	} else {
		vdb_advisory a = {.vuln_id = cve, .summary = json_string_value(json_object_get(v, "description"))};
		if ((rc = vdb_put_advisory(t->w, &adv, &a)) != 0 || (rc = idmap_put(&t->ids, cve, adv)) != 0)
			return rc;
	}
	const char *codename;
	json_t *r;
	json_object_foreach(rels, codename, r)
	{
		if ((rc = put_release(t, adv, pkg, cve, codename, r)) != 0)
			return rc;
	}
	return 0;
}

static int put_package(tracker *t, sv key, sv val, size_t off)
{
	json_error_t err;
	json_t *k = json_loadb(key.p, key.n, JSON_DECODE_ANY, &err);
	json_t *v = json_loadb(val.p, val.n, 0, &err);
	const char *pkg = json_string_value(k);
	int rc = 0;
	char brief[160];
	if (!pkg || !token_ok(pkg, 200))
		vdb_skip(t->w, "offset %zu: bad package name", off);
	else if (!json_is_object(v))
		vdb_skip(t->w, "%s: not an object of vulnerabilities (%s)", pkg,
			 v ? "wrong type" : json_error_brief(brief, sizeof(brief), err.text));
	else {
		const char *cve;
		json_t *e;
		json_object_foreach(v, cve, e)
		{
			if ((rc = put_cve(t, pkg, cve, e)) != 0)
				break;
		}
	}
	json_decref(k);
	json_decref(v);
	return rc;
}

static int import(vdb_writer *w, const char *path)
{
	buf b = {0};
	int rc = vdb_read_file(w, path, &b);
	if (rc) {
		buf_free(&b);
		return rc;
	}
	tracker t = {.w = w};
	sv s = sv_make(b.p, b.n);
	size_t i = vdb_json_skip_ws(s, 0);
	if (i >= s.n || s.p[i] != '{') {
		vdb_skip(w, "not a JSON object");
		goto done;
	}
	i = vdb_json_skip_ws(s, i + 1);
	while (i < s.n && s.p[i] != '}') {
		size_t ks = i, ke = s.p[i] == '"' ? vdb_json_skip_str(s, i) : 0;
		size_t c = ke ? vdb_json_skip_ws(s, ke) : 0;
		size_t vs = c && c < s.n && s.p[c] == ':' ? vdb_json_skip_ws(s, c + 1) : 0;
		size_t ve = vs ? vdb_json_skip_value(s, vs) : 0;
		if (!ve) {
			vdb_skip(w, "offset %zu: malformed or truncated package entry; the rest is ignored", ks);
			goto done;
		}
		if ((rc = put_package(&t, sv_make(s.p + ks, ke - ks), sv_make(s.p + vs, ve - vs), ks)) != 0)
			goto done;
		i = vdb_json_skip_ws(s, ve);
		if (i < s.n && s.p[i] == ',')
			i = vdb_json_skip_ws(s, i + 1);
		else if (i >= s.n || s.p[i] != '}') {
			vdb_skip(w, "offset %zu: expected ',' or '}'; the rest is ignored", i);
			goto done;
		}
	}
	if (i >= s.n)
		vdb_skip(w, "truncated: the top-level object does not end");
done:
	for (size_t j = 0; !rc && j < t.nunknown; j++)
		vdb_skip(w, "%zu rows of release '%s' skipped: no Debian version known for it",
			 t.unknown_rows[j], t.unknown[j]);
	idmap_free(&t.ids);
	buf_free(&b);
	return rc;
}

/* The tracker JSON opens with a package name whose value maps CVE/TEMP ids to
 * entries with "releases" holding "repositories" and "urgency": OSV, NVD and
 * secdb JSON have none of those together. */
static bool sniff(const char *name, sv head)
{
	(void)name;
	size_t i = vdb_json_skip_ws(head, 0);
	if (i >= head.n || head.p[i] != '{')
		return false;
	return sv_find_sv(head, SV_LIT("\"releases\"")) != SIZE_MAX &&
	       sv_find_sv(head, SV_LIT("\"repositories\"")) != SIZE_MAX &&
	       sv_find_sv(head, SV_LIT("\"urgency\"")) != SIZE_MAX &&
	       (sv_find_sv(head, SV_LIT("\"CVE-")) != SIZE_MAX || sv_find_sv(head, SV_LIT("\"TEMP-")) != SIZE_MAX);
}

const vdb_importer vdb_importer_debian_tracker = {LADING_FEED_DEBIAN_TRACKER, sniff, import};
