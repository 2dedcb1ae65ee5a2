/* Helpers shared by the lockfile catalogers (lock_js.c, lock_python.c,
 * lock_other.c): a set that collects one file's entries, drops duplicates
 * (a lockfile names the same name@version at several places of its tree) and
 * adds them as declared packages, and a reader for the small subset of TOML
 * that poetry.lock, uv.lock and Cargo.lock use. */
#ifndef LADING_CATALOG_LOCK_H
#define LADING_CATALOG_LOCK_H

#include "catalog/catalog.h"

/* Most entries one lockfile may give; past it the rest is dropped with a warning. */
enum { LOCK_MAX_ENTRIES = 1 << 20, LOCK_MAX_WARNINGS = 8 };

typedef struct lock_entry {
	const char *ns, *name, *version;
} lock_entry;

typedef struct lock_set {
	file_run *run;
	lading_pkg_type type;
	arena a;
	VEC(lock_entry) v;
	size_t nwarn;
	bool full;
} lock_set;

void lock_init(lock_set *s, file_run *run, lading_pkg_type type);
/* A warning about one entry of the file; only the first LOCK_MAX_WARNINGS are
 * kept, the rest are counted in one closing warning. */
void lock_warn(lock_set *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds an entry (copied). A name or version that is empty, too long or holds
 * spaces or control bytes is skipped with a warning. 0 or -LADING_ENOMEM. */
int lock_add(lock_set *s, sv ns, sv name, sv version);
/* npm names: "@scope/name" puts the scope in the namespace. */
int lock_add_npm(lock_set *s, sv fullname, sv version);
/* Adds the distinct entries to run->inv (declared, db_path = the file) and
 * frees the set. Returns 0 or -LADING_ENOMEM; the set is freed either way. */
int lock_flush(lock_set *s);
void lock_free(lock_set *s);
/* Ends a parse: on rc == 0 adds the entries (lock_flush), else frees them
 * and returns rc. */
int lock_finish(lock_set *s, int rc);

/* Is the path inside a tree of installed packages (node_modules,
 * site-packages, dist-packages, vendor, gems, ~/.cargo/registry)? A lockfile
 * there is a published package's own, not the application's, and what is
 * installed there is reported by the catalogers of installed packages. */
bool lock_in_package_tree(const char *path);
/* The start every JSON lockfile parse shares: NULL when the file is in a
 * package tree or is not a JSON object (warned), else the object (the caller
 * json_decref()s it) with *s initialised for `type`. */
json_t *lock_begin_json(lock_set *s, file_run *run, sv data, lading_pkg_type type);

/* ---- TOML subset ---------------------------------------------------------
 * Enough TOML for [[package]] arrays of tables: bare and quoted keys, strings
 * (basic, literal, multi-line), arrays and inline tables (skipped as raw
 * text), comments. Each [[package]] table is handed to the callback with its
 * own keys (table "") and those of its sub-tables ([package.source] gives
 * table "source"). Values are raw text: use toml_string to read a string. */
enum { TOML_MAX_KV = 64, TOML_MAX_DEPTH = 64 };

typedef struct toml_kv {
	sv table, key, val;
} toml_kv;

typedef int (*toml_pkg_fn)(void *ud, const toml_kv *kv, size_t n);
/* Calls fn for each [[package]]; stops on fn's non-zero return. Returns 0,
 * fn's value, or -LADING_EFORMAT when the text is not TOML we can read (what
 * came before the bad spot has been handed to fn). */
int toml_each_package(sv data, toml_pkg_fn fn, void *ud);
/* The value of `key` in `table` of one package, or false. */
bool toml_get(const toml_kv *kv, size_t n, const char *table, const char *key, sv *val);
/* The body of a one-line string value without escapes ("abc" or 'abc'). */
bool toml_string(sv raw, sv *out);
/* toml_get + toml_string. */
bool toml_get_str(const toml_kv *kv, size_t n, const char *table, const char *key, sv *out);

#endif
