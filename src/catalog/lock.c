/* Shared by the lockfile catalogers: the per-file entry set (validation,
 * duplicate removal, capped warnings) and the TOML-subset reader used for
 * poetry.lock, uv.lock and Cargo.lock. See lock.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "catalog/lock.h"
#include "lading/lading.h"

enum { MAX_NAME = 512, MAX_VERSION = 256 };

void lock_init(lock_set *s, file_run *run, lading_pkg_type type)
{
	memset(s, 0, sizeof(*s));
	s->run = run;
	s->type = type;
}

void lock_warn(lock_set *s, const char *fmt, ...)
{
	if (s->nwarn++ >= LOCK_MAX_WARNINGS)
		return;
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	file_warn(s->run, "%s", msg);
}

static bool printable(sv s, size_t max)
{
	if (!s.n || s.n > max)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] <= ' ' || s.p[i] == 0x7f)
			return false;
	return true;
}

int lock_add(lock_set *s, sv ns, sv name, sv version)
{
	if (!printable(name, MAX_NAME) || !printable(version, MAX_VERSION) ||
	    (ns.n && !printable(ns, MAX_NAME))) {
		lock_warn(s, "entry \"%.*s\" \"%.*s\": bad name or version; skipped",
			  (int)(name.n > 80 ? 80 : name.n), name.p ? name.p : "",
			  (int)(version.n > 40 ? 40 : version.n), version.p ? version.p : "");
		return 0;
	}
	if (s->v.n >= LOCK_MAX_ENTRIES) {
		if (!s->full)
			file_warn(s->run, "more than %d entries; the rest are skipped", LOCK_MAX_ENTRIES);
		s->full = true;
		return 0;
	}
	lock_entry e = {ns.n ? arena_sv(&s->a, ns) : NULL, arena_sv(&s->a, name), arena_sv(&s->a, version)};
	if ((ns.n && !e.ns) || !e.name || !e.version)
		return -LADING_ENOMEM;
	return vec_push(&s->v, e);
}

int lock_add_npm(lock_set *s, sv fullname, sv version)
{
	sv ns = {NULL, 0};
	if (fullname.n && fullname.p[0] == '@') {
		size_t k = sv_find(fullname, '/');
		if (k == SIZE_MAX || k < 2 || k + 1 >= fullname.n) {
			lock_warn(s, "entry \"%.*s\": bad scoped name; skipped",
				  (int)(fullname.n > 80 ? 80 : fullname.n), fullname.p);
			return 0;
		}
		ns = sv_make(fullname.p, k);
		fullname = sv_make(fullname.p + k + 1, fullname.n - k - 1);
	}
	return lock_add(s, ns, fullname, version);
}

static int cmp_str(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

static int cmp_entry(const void *x, const void *y)
{
	const lock_entry *a = x, *b = y;
	int c = cmp_str(a->ns, b->ns);
	if (!c)
		c = strcmp(a->name, b->name);
	return c ? c : strcmp(a->version, b->version);
}

int lock_flush(lock_set *s)
{
	int rc = 0;
	if (s->v.n)
		qsort(s->v.v, s->v.n, sizeof(lock_entry), cmp_entry);
	for (size_t i = 0; i < s->v.n && !rc; i++) {
		if (i && !cmp_entry(&s->v.v[i - 1], &s->v.v[i]))
			continue;
		lading_package p = {.type = s->type,
				    .namespace_ = s->v.v[i].ns,
				    .name = s->v.v[i].name,
				    .version = s->v.v[i].version,
				    .db_path = s->run->path,
				    .declared = 1,
				    .layer = -1};
		rc = inv_add_package(s->run->inv, &p);
	}
	if (!rc && s->nwarn > LOCK_MAX_WARNINGS)
		file_warn(s->run, "%zu more entries skipped", s->nwarn - LOCK_MAX_WARNINGS);
	lock_free(s);
	return rc;
}

void lock_free(lock_set *s)
{
	vec_free(&s->v);
	arena_free(&s->a);
}

bool lock_in_package_tree(const char *path)
{
	static const char *const trees[] = {"/node_modules/", "/site-packages/", "/dist-packages/",
					    "/vendor/",	      "/gems/",		 "/.cargo/registry/",
					    "/.cargo/git/"};
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++)
		if (strstr(path, trees[i]))
			return true;
	return false;
}

/* ---- TOML subset ------------------------------------------------------------ */

typedef struct tcur {
	const char *p, *end;
} tcur;

static void skip_blank(tcur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static void skip_line(tcur *c)
{
	while (c->p < c->end && *c->p != '\n')
		c->p++;
	if (c->p < c->end)
		c->p++;
}

static bool has(const tcur *c, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(c->end - c->p) >= n && memcmp(c->p, lit, n) == 0;
}

/* At an opening quote: moves past the closing one. Multi-line strings ("""
 * or ''') may span lines; the others end at the line's end (false). */
static bool scan_string(tcur *c)
{
	char q = *c->p;
	bool basic = q == '"';
	if (has(c, basic ? "\"\"\"" : "'''")) {
		const char *close = basic ? "\"\"\"" : "'''";
		c->p += 3;
		while (c->p < c->end) {
			if (basic && *c->p == '\\') {
				c->p += c->end - c->p >= 2 ? 2 : 1;
				continue;
			}
			if (has(c, close)) {
				c->p += 3;
				/* up to two more quotes belong to the string ("""a""""") */
				for (int i = 0; i < 2 && c->p < c->end && *c->p == q; i++)
					c->p++;
				return true;
			}
			c->p++;
		}
		return false;
	}
	c->p++;
	while (c->p < c->end && *c->p != '\n') {
		if (basic && *c->p == '\\') {
			c->p++;
			if (c->p < c->end && *c->p != '\n')
				c->p++;
			continue;
		}
		if (*c->p++ == q)
			return true;
	}
	return false;
}

/* Skips one value; arrays and inline tables may span lines (comments inside
 * arrays are allowed). */
static bool scan_value(tcur *c, int depth)
{
	if (c->p >= c->end)
		return false;
	char ch = *c->p;
	if (ch == '"' || ch == '\'')
		return scan_string(c);
	if (ch == '[' || ch == '{') {
		if (depth >= TOML_MAX_DEPTH)
			return false;
		char close = ch == '[' ? ']' : '}';
		c->p++;
		while (c->p < c->end) {
			char d = *c->p;
			if (d == close) {
				c->p++;
				return true;
			}
			if (d == '"' || d == '\'') {
				if (!scan_string(c))
					return false;
			} else if (d == '[' || d == '{') {
				if (!scan_value(c, depth + 1))
					return false;
			} else if (d == '#') {
				while (c->p < c->end && *c->p != '\n')
					c->p++;
			} else if (d == ']' || d == '}') {
				return false;
			} else {
				c->p++;
			}
		}
		return false;
	}
	while (c->p < c->end && *c->p != '\n' && *c->p != '#')
		c->p++;
	return true;
}

static sv trim_sv(const char *a, const char *b) { return sv_trim(sv_make(a, (size_t)(b - a))); }

int toml_each_package(sv data, toml_pkg_fn fn, void *ud)
{
	tcur c = {data.p, data.p + data.n};
	toml_kv kv[TOML_MAX_KV];
	size_t n = 0;
	bool in_pkg = false, bad = false;
	sv sub = {"", 0};
	int rc = 0;
	while (c.p < c.end && !rc) {
		while (c.p < c.end && (*c.p == ' ' || *c.p == '\t' || *c.p == '\r' || *c.p == '\n'))
			c.p++;
		if (c.p >= c.end)
			break;
		if (*c.p == '#') {
			skip_line(&c);
			continue;
		}
		if (*c.p == '[') {
			bool dbl = has(&c, "[[");
			const char *a = c.p + (dbl ? 2 : 1), *q = a;
			while (q < c.end && *q != ']' && *q != '\n')
				q++;
			sv name = trim_sv(a, q);
			if (q >= c.end || *q != ']' || (dbl && (q + 1 >= c.end || q[1] != ']'))) {
				bad = true;
			} else if (dbl && sv_eq_cstr(name, "package")) {
				if (in_pkg)
					rc = fn(ud, kv, n);
				in_pkg = true;
				n = 0;
				sub = (sv){"", 0};
			} else if (in_pkg && sv_starts_with(name, SV_LIT("package."))) {
				sub = sv_make(name.p + 8, name.n - 8);
			} else {
				if (in_pkg)
					rc = fn(ud, kv, n);
				in_pkg = false;
				n = 0;
			}
			skip_line(&c);
			continue;
		}
		/* key = value */
		sv key;
		if (*c.p == '"' || *c.p == '\'') {
			const char *a = c.p;
			if (!scan_string(&c)) {
				bad = true;
				skip_line(&c);
				continue;
			}
			key = trim_sv(a + 1, c.p - 1);
		} else {
			const char *a = c.p;
			while (c.p < c.end && *c.p != '=' && *c.p != '\n' && *c.p != '#')
				c.p++;
			key = trim_sv(a, c.p);
		}
		skip_blank(&c);
		if (c.p >= c.end || *c.p != '=' || !key.n) {
			bad = true;
			skip_line(&c);
			continue;
		}
		c.p++;
		skip_blank(&c);
		const char *va = c.p;
		if (!scan_value(&c, 0)) {
			bad = true;
			/* an unterminated value: give up on the line it started on */
			c.p = va;
			skip_line(&c);
			continue;
		}
		sv val = trim_sv(va, c.p);
		if (in_pkg && n < TOML_MAX_KV)
			kv[n++] = (toml_kv){sub, key, val};
		skip_blank(&c);
		if (c.p < c.end && *c.p != '\n' && *c.p != '#' && *c.p != '\r')
			bad = true;
		skip_line(&c);
	}
	if (!rc && in_pkg)
		rc = fn(ud, kv, n);
	return rc ? rc : bad ? -LADING_EFORMAT : 0;
}

bool toml_get(const toml_kv *kv, size_t n, const char *table, const char *key, sv *val)
{
	for (size_t i = 0; i < n; i++)
		if (sv_eq_cstr(kv[i].table, table) && sv_eq_cstr(kv[i].key, key)) {
			*val = kv[i].val;
			return true;
		}
	return false;
}

bool toml_string(sv raw, sv *out)
{
	if (raw.n < 2 || (raw.p[0] != '"' && raw.p[0] != '\'') || raw.p[raw.n - 1] != raw.p[0])
		return false;
	if (raw.n >= 6 && (sv_starts_with(raw, SV_LIT("\"\"\"")) || sv_starts_with(raw, SV_LIT("'''"))))
		return false;
	*out = sv_make(raw.p + 1, raw.n - 2);
	if (raw.p[0] == '"' && sv_find(*out, '\\') != SIZE_MAX)
		return false;
	return true;
}

bool toml_get_str(const toml_kv *kv, size_t n, const char *table, const char *key, sv *out)
{
	sv raw;
	return toml_get(kv, n, table, key, &raw) && toml_string(raw, out);
}

int lock_finish(lock_set *s, int rc)
{
	if (rc) {
		lock_free(s);
		return rc;
	}
	return lock_flush(s);
}

json_t *lock_begin_json(lock_set *s, file_run *run, sv data, lading_pkg_type type)
{
	if (lock_in_package_tree(run->path))
		return NULL;
	json_t *j = file_json_object(run, data);
	if (j)
		lock_init(s, run, type);
	return j;
}
