/* Ruby, PHP and Rust lockfiles: Gemfile.lock, composer.lock, Cargo.lock.
 * Each entry is a declared package (declared = 1, db_path = the lockfile).
 *
 * Gemfile.lock: the specs of the GEM sections ("    name (version)" at four
 * spaces; the six-space lines under them are dependency ranges). GIT and
 * PATH sections are gems built from a checkout or a local folder, not the
 * rubygems.org release of that version, and are left out. A platform suffix
 * ("nokogiri (1.16.0-x86_64-linux)") is not part of the gem's version and is
 * dropped.
 *
 * composer.lock: "packages" (vendor/name, version as written, e.g. "v1.0.0");
 * "packages-dev" is left out, as for the other ecosystems' dev dependencies.
 *
 * Cargo.lock: [[package]] tables with a `source` (registry+…, sparse+…,
 * git+…). Packages without a source are the workspace's own crates (and path
 * dependencies): no registry published them, so they are skipped. */
#include <jansson.h>

#include "catalog/lock.h"
#include "lading/lading.h"

enum { MAX_LOCK_SIZE = 64 << 20, MAX_JSON_LOCK_SIZE = 32 << 20 };

/* ---- Gemfile.lock ------------------------------------------------------------------- */

/* "1.16.0-x86_64-linux" -> "1.16.0": RubyGems platforms as Bundler appends them. */
static sv gem_version(sv v)
{
	static const char *const platforms[] = {
	    "x86",     "x64",	 "i386",    "i686",   "arm",	"aarch64", "universal",
	    "java",    "jruby",	 "mswin",   "mingw",  "darwin", "linux",   "freebsd",
	    "openbsd", "netbsd", "solaris", "cygwin", "ppc",	"s390",	   "wasm"};
	for (size_t i = 0; i < v.n; i++) {
		if (v.p[i] != '-')
			continue;
		sv rest = sv_make(v.p + i + 1, v.n - i - 1);
		for (size_t k = 0; k < sizeof(platforms) / sizeof(platforms[0]); k++)
			if (sv_starts_with(rest, sv_cstr(platforms[k])))
				return sv_make(v.p, i);
	}
	return v;
}

static int gemfile_parse(file_run *run, sv data)
{
	if (lock_in_package_tree(run->path))
		return 0;
	lock_set s;
	lock_init(&s, run, LADING_PKG_GEM);
	bool in_gem = false, in_specs = false;
	sv line;
	int rc = 0;
	while (!rc && sv_next_line(&data, &line)) {
		if (!line.n)
			continue;
		size_t ind = 0;
		while (ind < line.n && line.p[ind] == ' ')
			ind++;
		sv t = sv_trim(line);
		if (ind == 0) {
			in_gem = sv_eq_cstr(t, "GEM");
			in_specs = false;
			continue;
		}
		if (!in_gem)
			continue;
		if (ind == 2) {
			in_specs = sv_eq_cstr(t, "specs:");
			continue;
		}
		if (!in_specs || ind != 4)
			continue;
		size_t sp = sv_find(t, ' ');
		sv name = sv_make(t.p, sp == SIZE_MAX ? t.n : sp);
		sv rest = sp == SIZE_MAX ? (sv){NULL, 0} : sv_trim(sv_make(t.p + sp, t.n - sp));
		if (rest.n < 3 || rest.p[0] != '(' || rest.p[rest.n - 1] != ')') {
			lock_warn(&s, "spec \"%.*s\": no (version); skipped", (int)(t.n > 80 ? 80 : t.n),
				  t.p);
			continue;
		}
		rc = lock_add(&s, (sv){NULL, 0}, name, gem_version(sv_trim(sv_make(rest.p + 1, rest.n - 2))));
	}
	return lock_finish(&s, rc);
}

static const cat_claim gemfile_claims[] = {
    {CLAIM_SUFFIX, NULL, "/Gemfile.lock"},
    {CLAIM_SUFFIX, NULL, "/gems.locked"},
};

const file_cataloger file_cataloger_gemfile_lock = {
    "gemfile-lock", gemfile_claims, sizeof(gemfile_claims) / sizeof(gemfile_claims[0]),
    NULL,	    MAX_LOCK_SIZE,  gemfile_parse};

/* ---- composer.lock ---------------------------------------------------------------- */

static int composer_parse(file_run *run, sv data)
{
	lock_set s;
	json_t *j = lock_begin_json(&s, run, data, LADING_PKG_COMPOSER);
	if (!j)
		return 0;
	json_t *pkgs = json_object_get(j, "packages"), *p;
	size_t i;
	int rc = 0;
	if (pkgs && !json_is_array(pkgs))
		lock_warn(&s, "\"packages\" is not an array; skipped");
	json_array_foreach(pkgs, i, p)
	{
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *version = json_string_value(json_object_get(p, "version"));
		if (!name || !version) {
			lock_warn(&s, "package %zu has no name or version; skipped", i);
			continue;
		}
		/* "vendor/name": the vendor is the namespace */
		sv full = sv_cstr(name), vendor = {NULL, 0};
		size_t slash = sv_find(full, '/');
		if (slash != SIZE_MAX) {
			vendor = sv_make(full.p, slash);
			full = sv_make(full.p + slash + 1, full.n - slash - 1);
		}
		if ((slash != SIZE_MAX && !vendor.n) || !full.n) {
			lock_warn(&s, "package \"%.80s\": bad name; skipped", name);
			continue;
		}
		if ((rc = lock_add(&s, vendor, full, sv_cstr(version))) != 0)
			break;
	}
	json_decref(j);
	return lock_finish(&s, rc);
}

static const cat_claim composer_claims[] = {{CLAIM_SUFFIX, NULL, "/composer.lock"}};

const file_cataloger file_cataloger_composer_lock = {
    "composer-lock",	composer_claims, sizeof(composer_claims) / sizeof(composer_claims[0]), NULL,
    MAX_JSON_LOCK_SIZE, composer_parse};

/* ---- Cargo.lock ------------------------------------------------------------------- */

static int cargo_pkg(void *ud, const toml_kv *kv, size_t n)
{
	lock_set *s = ud;
	sv name, version, source;
	if (!toml_get_str(kv, n, "", "name", &name) || !toml_get_str(kv, n, "", "version", &version)) {
		lock_warn(s, "a [[package]] has no name or version; skipped");
		return 0;
	}
	if (!toml_get_str(kv, n, "", "source", &source) || !source.n)
		return 0;
	return lock_add(s, (sv){NULL, 0}, name, version);
}

static int cargo_parse(file_run *run, sv data)
{
	if (lock_in_package_tree(run->path))
		return 0;
	lock_set s;
	lock_init(&s, run, LADING_PKG_CARGO);
	int rc = toml_each_package(data, cargo_pkg, &s);
	if (rc == -LADING_EFORMAT) {
		file_warn(run, "some lines are not TOML this reader understands; they were skipped");
		rc = 0;
	}
	return lock_finish(&s, rc);
}

static const cat_claim cargo_claims[] = {{CLAIM_SUFFIX, NULL, "/Cargo.lock"}};

const file_cataloger file_cataloger_cargo_lock = {
    "cargo-lock", cargo_claims,	 sizeof(cargo_claims) / sizeof(cargo_claims[0]),
    NULL,	  MAX_LOCK_SIZE, cargo_parse};
