/* JavaScript lockfiles: package-lock.json (and npm-shrinkwrap.json) v1-v3,
 * yarn.lock (classic v1 and berry), pnpm-lock.yaml (v5, v6, v9). Each entry
 * is a declared npm package (declared = 1, db_path = the lockfile).
 *
 * Dev dependencies are left out where the lockfile marks them (npm's and
 * pnpm v5/v6's "dev: true"), as trivy does and `npm ci --omit=dev` would
 * install: an image usually carries the production tree. yarn.lock and
 * pnpm v9 do not mark them, so all their entries are reported. Local
 * packages (the project itself, workspace members, link:/file:/portal:
 * entries) are not registry packages and are skipped. A lockfile inside a
 * node_modules tree belongs to a published package, not to the application,
 * and is ignored (the npm cataloger reports what is installed there). */
#include <jansson.h>
#include <stdlib.h>

#include "catalog/lock.h"
#include "lading/lading.h"

enum { NPM_MAX_DEPTH = 256, MAX_LOCK_SIZE = 64 << 20, MAX_JSON_LOCK_SIZE = 32 << 20 };

static sv unquote(sv s)
{
	s = sv_trim(s);
	if (s.n >= 2 && (s.p[0] == '"' || s.p[0] == '\'') && s.p[s.n - 1] == s.p[0])
		return sv_make(s.p + 1, s.n - 2);
	return s;
}

/* "name@range" -> name and range, at the first '@' or, with `last`, the last
 * ("@a/b@1.0.0", "a@npm:b@1"); the '@' of a scope at position 0 is never the
 * split. */
static bool split_at(sv desc, bool last, sv *name, sv *rest)
{
	size_t at = SIZE_MAX;
	for (size_t i = 1; i < desc.n; i++)
		if (desc.p[i] == '@') {
			at = i;
			if (!last)
				break;
		}
	if (at == SIZE_MAX)
		return false;
	*name = sv_make(desc.p, at);
	*rest = sv_make(desc.p + at + 1, desc.n - at - 1);
	return name->n > 0;
}

/* A version a registry could have published: starts with a digit. Others are
 * git URLs, tarballs, "file:" paths. */
static bool registry_version(sv v)
{
	return v.n && v.p[0] >= '0' && v.p[0] <= '9' && sv_find(v, '/') == SIZE_MAX &&
	       sv_find(v, ':') == SIZE_MAX;
}

/* ---- package-lock.json -------------------------------------------------------- */

/* One entry. npm aliases ("foo": {"version": "npm:bar@1.0.0"}) install bar. */
static int npm_entry(lock_set *s, sv name, sv version)
{
	if (sv_starts_with(version, SV_LIT("npm:"))) {
		sv real = sv_make(version.p + 4, version.n - 4);
		if (!split_at(real, true, &name, &version)) {
			lock_warn(s, "entry \"%.*s\": bad alias; skipped", (int)(real.n > 80 ? 80 : real.n),
				  real.p);
			return 0;
		}
	}
	if (!registry_version(version))
		return 0;
	return lock_add_npm(s, name, version);
}

static int npm_v1(lock_set *s, json_t *deps, int depth)
{
	if (!json_is_object(deps))
		return 0;
	if (depth > NPM_MAX_DEPTH) {
		lock_warn(s, "dependencies nested deeper than %d; skipped", NPM_MAX_DEPTH);
		return 0;
	}
	const char *key;
	json_t *val;
	int rc = 0;
	json_object_foreach(deps, key, val)
	{
		if (!json_is_object(val)) {
			lock_warn(s, "dependency \"%.80s\" is not an object; skipped", key);
			continue;
		}
		const char *version = json_string_value(json_object_get(val, "version"));
		if (!version)
			lock_warn(s, "dependency \"%.80s\" has no version; skipped", key);
		else if (!json_is_true(json_object_get(val, "dev")))
			rc = npm_entry(s, sv_cstr(key), sv_cstr(version));
		if (!rc)
			rc = npm_v1(s, json_object_get(val, "dependencies"), depth + 1);
		if (rc)
			break;
	}
	return rc;
}

/* v2/v3: keys are install paths ("node_modules/a/node_modules/@s/b"). Keys
 * without a node_modules segment are the project ("") and workspace members. */
static int npm_packages(lock_set *s, json_t *pkgs)
{
	const char *key;
	json_t *val;
	int rc = 0;
	json_object_foreach(pkgs, key, val)
	{
		const char *nm = NULL;
		for (const char *q = key; (q = strstr(q, "node_modules/")) != NULL; q++)
			if (q == key || q[-1] == '/')
				nm = q;
		if (!nm)
			continue;
		if (!json_is_object(val)) {
			lock_warn(s, "package \"%.80s\" is not an object; skipped", key);
			continue;
		}
		if (json_is_true(json_object_get(val, "link")) || json_is_true(json_object_get(val, "dev")))
			continue;
		const char *version = json_string_value(json_object_get(val, "version"));
		if (!version) {
			lock_warn(s, "package \"%.80s\" has no version; skipped", key);
			continue;
		}
		/* "name" is set when it differs from the folder (aliases) */
		const char *name = json_string_value(json_object_get(val, "name"));
		if (!name)
			name = nm + strlen("node_modules/");
		if ((rc = npm_entry(s, sv_cstr(name), sv_cstr(version))) != 0)
			break;
	}
	return rc;
}

static int npm_lock_parse(file_run *run, sv data)
{
	lock_set s;
	json_t *j = lock_begin_json(&s, run, data, LADING_PKG_NPM);
	if (!j)
		return 0;
	json_t *pkgs = json_object_get(j, "packages");
	/* v2 carries both forms; "packages" is the complete one */
	int rc =
	    json_is_object(pkgs) ? npm_packages(&s, pkgs) : npm_v1(&s, json_object_get(j, "dependencies"), 0);
	json_decref(j);
	return lock_finish(&s, rc);
}

static const cat_claim npm_claims[] = {
    {CLAIM_SUFFIX, NULL, "/package-lock.json"},
    {CLAIM_SUFFIX, NULL, "/npm-shrinkwrap.json"},
};

const file_cataloger file_cataloger_npm_lock = {
    "npm-lock", npm_claims,	    sizeof(npm_claims) / sizeof(npm_claims[0]),
    NULL,	MAX_JSON_LOCK_SIZE, npm_lock_parse};

/* ---- yarn.lock ------------------------------------------------------------------ */

static size_t indent_of(sv line)
{
	size_t i = 0;
	while (i < line.n && line.p[i] == ' ')
		i++;
	return i;
}

/* "version \"1.2.3\"" (v1), "version: 1.2.3" (berry), "\"version\" \"1.2.3\""
 * (v1 as npm's converters write it): the key and the unquoted value. */
static bool yarn_field(sv t, sv *key, sv *val)
{
	size_t i = 0;
	if (t.n && t.p[0] == '"') {
		for (i = 1; i < t.n && t.p[i] != '"'; i++)
			;
		if (i >= t.n)
			return false;
		*key = sv_make(t.p + 1, i - 1);
		i++;
	} else {
		while (i < t.n && t.p[i] != ' ' && t.p[i] != ':')
			i++;
		*key = sv_make(t.p, i);
	}
	if (i < t.n && t.p[i] == ':')
		i++;
	*val = unquote(sv_make(t.p + i, t.n - i));
	return key->n > 0;
}

typedef struct yarn_entry {
	bool open, skip;
	sv desc, version, resolution;
} yarn_entry;

static bool local_protocol(sv ref)
{
	static const char *const local[] = {"workspace:", "link:", "portal:", "file:", "exec:"};
	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (sv_starts_with(ref, sv_cstr(local[i])))
			return true;
	return false;
}

static int yarn_finish(lock_set *s, yarn_entry *e)
{
	if (!e->open || e->skip) {
		e->open = false;
		return 0;
	}
	e->open = false;
	sv name, ref;
	if (e->resolution.n) {
		/* berry: "pkg@npm:1.2.3", "pkg@workspace:.", "pkg@patch:pkg@npm%3A1.0.0#…" */
		if (!split_at(e->resolution, false, &name, &ref)) {
			lock_warn(s, "entry \"%.*s\": bad resolution; skipped",
				  (int)(e->desc.n > 80 ? 80 : e->desc.n), e->desc.p);
			return 0;
		}
		if (local_protocol(ref))
			return 0;
	} else {
		if (!split_at(e->desc, false, &name, &ref)) {
			lock_warn(s, "entry \"%.*s\": no name@range; skipped",
				  (int)(e->desc.n > 80 ? 80 : e->desc.n), e->desc.p);
			return 0;
		}
		if (local_protocol(ref))
			return 0;
		/* an alias "foo@npm:bar@^1" installs bar */
		if (sv_starts_with(ref, SV_LIT("npm:"))) {
			sv real = sv_make(ref.p + 4, ref.n - 4), range;
			if (split_at(real, true, &real, &range))
				name = real;
		}
	}
	if (!e->version.n) {
		lock_warn(s, "entry \"%.*s\": no version; skipped", (int)(e->desc.n > 80 ? 80 : e->desc.n),
			  e->desc.p);
		return 0;
	}
	return lock_add_npm(s, name, e->version);
}

static int yarn_lock_parse(file_run *run, sv data)
{
	if (lock_in_package_tree(run->path))
		return 0;
	lock_set s;
	lock_init(&s, run, LADING_PKG_NPM);
	yarn_entry e = {0};
	sv line;
	int rc = 0;
	while (!rc && sv_next_line(&data, &line)) {
		if (!line.n || line.p[0] == '#')
			continue;
		size_t ind = indent_of(line);
		sv t = sv_trim(line);
		if (!t.n || t.p[0] == '#')
			continue;
		if (ind == 0) {
			if ((rc = yarn_finish(&s, &e)) != 0)
				break;
			if (t.p[t.n - 1] != ':')
				continue; /* not an entry: ignored */
			t.n--;
			e = (yarn_entry){.open = true};
			/* "a@^1, a@^1.2": any descriptor names the package; take the first */
			sv first = sv_split(&t, ',');
			e.desc = unquote(first);
			e.skip = sv_eq_cstr(e.desc, "__metadata");
			continue;
		}
		if (!e.open || ind != 2)
			continue;
		sv key, val;
		if (!yarn_field(t, &key, &val))
			continue;
		if (sv_eq_cstr(key, "version"))
			e.version = val;
		else if (sv_eq_cstr(key, "resolution"))
			e.resolution = val;
	}
	if (!rc)
		rc = yarn_finish(&s, &e);
	return lock_finish(&s, rc);
}

static const cat_claim yarn_claims[] = {{CLAIM_SUFFIX, NULL, "/yarn.lock"}};

const file_cataloger file_cataloger_yarn_lock = {
    "yarn-lock", yarn_claims,	sizeof(yarn_claims) / sizeof(yarn_claims[0]),
    NULL,	 MAX_LOCK_SIZE, yarn_lock_parse};

/* ---- pnpm-lock.yaml --------------------------------------------------------------- */

typedef struct pnpm_entry {
	bool open, dev;
	sv key, name, version;
} pnpm_entry;

/* v5: "/name/1.2.3", "/@scope/name/1.2.3_peer@1.0.0" (peers after '_'),
 * possibly behind a registry host ("registry.example.com/name/1.2.3"). */
static bool pnpm_key_v5(sv key, sv *name, sv *version)
{
	sv segs[64];
	size_t n = 0;
	while (key.n && n < 64)
		segs[n++] = sv_split(&key, '/');
	if (key.n)
		return false;
	for (size_t i = n; i-- > 1;) {
		if (!segs[i].n || segs[i].p[0] < '0' || segs[i].p[0] > '9')
			continue;
		sv v = segs[i];
		*version = sv_split(&v, '_');
		*name = segs[i - 1];
		if (i >= 2 && segs[i - 2].n > 1 && segs[i - 2].p[0] == '@')
			*name =
			    sv_make(segs[i - 2].p, (size_t)(segs[i - 1].p + segs[i - 1].n - segs[i - 2].p));
		return name->n > 0;
	}
	return false;
}

/* v6 "/name@1.2.3(peer@1.0.0)", v9 "name@1.2.3(peer@1.0.0)". */
static bool pnpm_key_v6(sv key, sv *name, sv *version)
{
	size_t paren = sv_find(key, '(');
	if (paren != SIZE_MAX)
		key.n = paren;
	if (!split_at(key, true, name, version))
		return false;
	/* drop a registry host in front of the name */
	size_t scope = sv_find_sv(*name, SV_LIT("/@"));
	if (name->p[0] != '@' && scope != SIZE_MAX)
		*name = sv_make(name->p + scope + 1, name->n - scope - 1);
	else if (name->p[0] != '@' && sv_find(*name, '/') != SIZE_MAX) {
		size_t k = name->n;
		while (k && name->p[k - 1] != '/')
			k--;
		*name = sv_make(name->p + k, name->n - k);
	}
	return name->n > 0;
}

static int pnpm_finish(lock_set *s, pnpm_entry *e, int major)
{
	if (!e->open)
		return 0;
	e->open = false;
	if (e->dev)
		return 0;
	sv key = e->key, name = {0}, version = {0};
	if (key.n && key.p[0] == '/')
		key = sv_make(key.p + 1, key.n - 1);
	/* v5 keys have no '@' after the name; decide by the lockfileVersion, or
	 * by the shape when the file does not say */
	bool v6 = major >= 6 || (major == 0 && !pnpm_key_v5(key, &name, &version));
	bool ok = v6 ? pnpm_key_v6(key, &name, &version) : pnpm_key_v5(key, &name, &version);
	/* tarball and git entries carry name: and version: fields */
	if (e->version.n)
		version = e->version;
	if (e->name.n)
		name = e->name;
	if (!name.n || !version.n) {
		if (!ok)
			lock_warn(s, "package \"%.*s\": no name and version; skipped",
				  (int)(e->key.n > 80 ? 80 : e->key.n), e->key.p);
		return 0;
	}
	if (!registry_version(version))
		return 0;
	return lock_add_npm(s, name, version);
}

static int pnpm_lock_parse(file_run *run, sv data)
{
	if (lock_in_package_tree(run->path))
		return 0;
	lock_set s;
	lock_init(&s, run, LADING_PKG_NPM);
	pnpm_entry e = {0};
	bool in_packages = false;
	int major = 0, rc = 0;
	sv line;
	while (!rc && sv_next_line(&data, &line)) {
		size_t ind = indent_of(line);
		sv t = sv_trim(line);
		if (!t.n || t.p[0] == '#')
			continue;
		if (ind == 0) {
			rc = pnpm_finish(&s, &e, major);
			in_packages = sv_eq_cstr(t, "packages:");
			if (sv_starts_with(t, SV_LIT("lockfileVersion:"))) {
				sv v = unquote(sv_make(t.p + 16, t.n - 16));
				major = 0;
				for (size_t i = 0; i < v.n && v.p[i] >= '0' && v.p[i] <= '9' && major < 1000;
				     i++)
					major = major * 10 + (v.p[i] - '0');
			}
			continue;
		}
		if (!in_packages)
			continue;
		if (ind == 2) {
			if ((rc = pnpm_finish(&s, &e, major)) != 0)
				break;
			if (t.p[t.n - 1] != ':')
				continue;
			e = (pnpm_entry){.open = true, .key = unquote(sv_make(t.p, t.n - 1))};
			continue;
		}
		if (!e.open || ind != 4)
			continue;
		sv key = sv_split(&t, ':'), val = unquote(t);
		if (sv_eq_cstr(key, "dev"))
			e.dev = sv_eq_cstr(val, "true");
		else if (sv_eq_cstr(key, "name"))
			e.name = val;
		else if (sv_eq_cstr(key, "version"))
			e.version = val;
	}
	if (!rc)
		rc = pnpm_finish(&s, &e, major);
	return lock_finish(&s, rc);
}

static const cat_claim pnpm_claims[] = {{CLAIM_SUFFIX, NULL, "/pnpm-lock.yaml"}};

const file_cataloger file_cataloger_pnpm_lock = {
    "pnpm-lock", pnpm_claims,	sizeof(pnpm_claims) / sizeof(pnpm_claims[0]),
    NULL,	 MAX_LOCK_SIZE, pnpm_lock_parse};
