/* Alpine secdb importer: secdb.alpinelinux.org's <release>/<repo>.json and the
 * older alpine-secdb YAML of the same shape, one file or a directory of them.
 *
 * secdb lists, per origin (source) package, the ids fixed in each package
 * version; key "0" lists ids the package was never affected by. The ids ARE
 * the advisories (one per CVE), and a CVE shows up under several packages,
 * files and releases, while the database keeps one advisory per (input,
 * vuln_id). So everything is collected first, then sorted by id and written:
 * one advisory per id, one affected row per (release, package). When an id
 * appears under several fixed versions of one package (fixes on two upstream
 * branches), the lowest version is kept. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

#include "ctx.h"
#include "vulndb/vulndb.h"

/* One (id, release, package, fixed version) statement of the feed. */
typedef struct sfix {
	const char *id, *ns, *pkg;
	const char *fixed;   /* NULL: secfixes "0", never affected */
	const char *aliases; /* other ids written beside it, space separated, or NULL */
	size_t seq;	     /* feed order, for "first seen" */
} sfix;

typedef struct alp {
	vdb_writer *w;
	arena a;
	VEC(sfix) rows;
} alp;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Looks like an advisory id: "XSA-182", "TALOS-2019-0844", "ZBX-11023". */
static bool looks_like_id(sv t)
{
	if (t.n < 3 || t.n > 64 || !is_alpha(t.p[0]) || !is_digit(t.p[t.n - 1]) ||
	    sv_find(t, '-') == SIZE_MAX)
		return false;
	for (size_t i = 0; i < t.n; i++)
		if (!is_alpha(t.p[i]) && !is_digit(t.p[i]) && t.p[i] != '-' && t.p[i] != '_' && t.p[i] != '.')
			return false;
	return true;
}

/* Splits one secfixes entry into its id and the other ids beside it. Entries
 * are mostly "CVE-2019-1234", sometimes "CVE-2016-6258 XSA-182",
 * "CVE-2018-14468 (FrameRelay)", or misspelt: "CVE_2019-2426",
 * "CVE 2018-16859", "CVE-2017-8073.patch", "CVE-2017-17434-1". A CVE id is
 * rewritten in its canonical form so that it meets the same CVE from other
 * feeds; anything else is kept as written (first word). */
static bool parse_entry(arena *a, sv e, const char **id, const char **aliases)
{
	e = sv_trim(e);
	*id = *aliases = NULL;
	sv rest;
	if (e.n >= 13 && memcmp(e.p, "CVE", 3) == 0 && (e.p[3] == '-' || e.p[3] == '_' || e.p[3] == ' ') &&
	    is_digit(e.p[4]) && is_digit(e.p[5]) && is_digit(e.p[6]) && is_digit(e.p[7]) && e.p[8] == '-' &&
	    is_digit(e.p[9])) {
		size_t n = 9;
		while (n < e.n && n < 32 && is_digit(e.p[n]))
			n++;
		if (n - 9 < 4)
			return false;
		char *s = arena_printf(a, "CVE-%.*s-%.*s", 4, e.p + 4, (int)(n - 9), e.p + 9);
		if (!s)
			return false;
		*id = s;
		/* the rest of a glued word ("-1", ".patch") is no id */
		while (n < e.n && !is_space(e.p[n]))
			n++;
		rest = sv_make(e.p + n, e.n - n);
	} else {
		size_t n = 0;
		while (n < e.n && !is_space(e.p[n]))
			n++;
		if (n == 0 || n > 128 || !(*id = arena_sv(a, sv_make(e.p, n))))
			return false;
		rest = sv_make(e.p + n, e.n - n);
	}
	buf al = {0};
	int rc = 0;
	while (rest.n && !rc) {
		while (rest.n && is_space(rest.p[0]))
			rest.p++, rest.n--;
		size_t n = 0;
		while (n < rest.n && !is_space(rest.p[n]))
			n++;
		sv tok = sv_make(rest.p, n);
		if (looks_like_id(tok)) {
			if (al.n)
				rc = buf_putc(&al, ' ');
			if (!rc)
				rc = buf_putsv(&al, tok);
		}
		rest.p += n, rest.n -= n;
	}
	if (!rc && al.n && !(*aliases = arena_strndup(a, al.p, al.n)))
		rc = -LADING_ENOMEM;
	buf_free(&al);
	return rc == 0;
}

/* "v3.19" -> "alpine:3.19"; "v3.19.1" -> "alpine:3.19"; "edge" -> "alpine:edge". */
static const char *alpine_ns(arena *a, const char *dv)
{
	sv v = sv_trim(sv_cstr(dv));
	if (v.n && (v.p[0] == 'v' || v.p[0] == 'V'))
		v.p++, v.n--;
	if (sv_eq_cstr(v, "edge"))
		return "alpine:edge";
	size_t i = 0, dots = 0;
	while (i < v.n && (is_digit(v.p[i]) || v.p[i] == '.')) {
		if (v.p[i] == '.' && ++dots == 2)
			break;
		i++;
	}
	if (i == 0 || i > 16 || !is_digit(v.p[0]) || !is_digit(v.p[i - 1]) || dots == 0 ||
	    (i < v.n && v.p[i] != '.'))
		return NULL;
	return arena_printf(a, "alpine:%.*s", (int)i, v.p);
}

/* The release from a path ".../v3.11/main.yaml", for files without distroversion. */
static const char *ns_from_path(arena *a, const char *path)
{
	const char *end = strrchr(path, '/');
	if (!end)
		return NULL;
	const char *start = end;
	while (start > path && start[-1] != '/')
		start--;
	char dir[32];
	if ((size_t)(end - start) >= sizeof(dir) || start[0] != 'v')
		return NULL;
	memcpy(dir, start, (size_t)(end - start));
	dir[end - start] = 0;
	return alpine_ns(a, dir);
}

static int add_row(alp *s, const char *id, const char *ns, const char *pkg, const char *fixed,
		   const char *aliases)
{
	sfix r = {id, ns, pkg, fixed, aliases, s->rows.n};
	return vec_push(&s->rows, r);
}

/* Collects the rows of one parsed secdb document. */
static int collect(alp *s, const char *file, const char *path, json_t *doc)
{
	const char *dv = json_string_value(json_object_get(doc, "distroversion"));
	const char *ns = dv ? alpine_ns(&s->a, dv) : ns_from_path(&s->a, path);
	json_t *pkgs = json_object_get(doc, "packages");
	if (!ns) {
		vdb_skip(s->w, "%s: no usable distroversion ('%s'), file not read", file, dv ? dv : "");
		return 0;
	}
	if (!json_is_array(pkgs)) {
		if (pkgs && !json_is_null(pkgs))
			vdb_skip(s->w, "%s: packages is not a list, file not read", file);
		return 0;
	}
	int rc = 0;
	for (size_t i = 0; !rc && i < json_array_size(pkgs); i++) {
		json_t *pkg = json_object_get(json_array_get(pkgs, i), "pkg");
		const char *name = json_string_value(json_object_get(pkg, "name"));
		json_t *fixes = json_object_get(pkg, "secfixes");
		if (!name || !*name) {
			vdb_skip(s->w, "%s: packages[%zu]: no pkg.name", file, i);
			continue;
		}
		if (!fixes || json_is_null(fixes))
			continue;
		if (!json_is_object(fixes)) {
			vdb_skip(s->w, "%s: %s: secfixes is not a mapping", file, name);
			continue;
		}
		const char *pname = arena_str(&s->a, name);
		const char *ver;
		json_t *ids;
		json_object_foreach(fixes, ver, ids)
		{
			if (!json_is_array(ids) || !*ver) {
				vdb_skip(s->w, "%s: %s: %s: no list of ids", file, name, ver);
				continue;
			}
			const char *fixed = strcmp(ver, "0") == 0 ? NULL : arena_str(&s->a, ver);
			if (!pname || (ver[0] && strcmp(ver, "0") && !fixed))
				return -LADING_ENOMEM;
			for (size_t j = 0; !rc && j < json_array_size(ids); j++) {
				const char *e = json_string_value(json_array_get(ids, j));
				const char *id, *aliases;
				if (!e || !parse_entry(&s->a,
						       sv_make(e, json_string_length(json_array_get(ids, j))),
						       &id, &aliases)) {
					vdb_skip(s->w, "%s: %s: %s: entry %zu is not an id", file, name, ver,
						 j);
					continue;
				}
				rc = add_row(s, id, ns, pname, fixed, aliases);
			}
		}
	}
	return rc;
}

static bool is_yaml_name(const char *name)
{
	size_t n = strlen(name);
	return (n >= 5 && strcasecmp(name + n - 5, ".yaml") == 0) ||
	       (n >= 4 && strcasecmp(name + n - 4, ".yml") == 0);
}

/* Reads one secdb file. A single-file import (`strict`) that cannot be read
 * at all fails, so that the previous rows of this input stay; in a directory
 * the file is skipped. A YAML file damaged part way is imported up to the
 * damage (the rows read are true statements of the feed). */
static int alpine_file(alp *s, const char *path, const char *file, bool strict)
{
	buf data = {0};
	int rc = vdb_read_file(s->w, path, &data);
	if (rc == -LADING_ELIMIT && !strict) {
		vdb_skip(s->w, "%s: larger than the file size limit", file);
		buf_free(&data);
		return 0;
	}
	if (rc) {
		buf_free(&data);
		return rc;
	}
	sv t = sv_trim(sv_make(data.p, data.n));
	json_t *doc = NULL;
	char err[256] = "";
	bool json = t.n && t.p[0] == '{';
	if (json) {
		json_error_t je;
		if (!(doc = json_loadb(data.p, data.n, 0, &je))) {
			char brief[160];
			snprintf(err, sizeof(err), "line %d: %s", je.line, json_error_brief(brief, sizeof(brief), je.text));
			rc = json_error_code(&je) == json_error_out_of_memory ? -LADING_ENOMEM
									      : -LADING_EFORMAT;
		}
	} else {
		rc = vdb_yaml_to_json(&doc, sv_make(data.p, data.n), err, sizeof(err));
	}
	buf_free(&data);
	if (rc == -LADING_EFORMAT && doc && json_is_object(doc)) {
		vdb_skip(s->w, "%s: damaged YAML, read up to the damage: %s", file, err);
		rc = 0;
	} else if (rc == -LADING_EFORMAT) {
		if (strict)
			rc = ctx_error(vdb_ctx(s->w), LADING_EFORMAT, "%s: not valid %s: %s", file,
				       json ? "JSON" : "YAML", err);
		else {
			vdb_skip(s->w, "%s: not valid %s: %s", file, json ? "JSON" : "YAML", err);
			rc = 0;
		}
	} else if (!rc && !json_is_object(doc)) {
		if (strict)
			rc = ctx_error(vdb_ctx(s->w), LADING_EFORMAT, "%s: not an Alpine secdb file", file);
		else
			vdb_skip(s->w, "%s: not an Alpine secdb file", file);
	}
	if (!rc && json_is_object(doc))
		rc = collect(s, file, path, doc);
	json_decref(doc);
	return rc;
}

static int walk_cb(vdb_writer *w, const char *path, const char *rel, void *arg)
{
	(void)w;
	size_t n = strlen(rel);
	if (!(is_yaml_name(rel) || (n >= 5 && strcasecmp(rel + n - 5, ".json") == 0)))
		return 0;
	return alpine_file(arg, path, rel, false);
}

static int cmp_row(const void *pa, const void *pb)
{
	const sfix *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);
	if (!c)
		c = strcmp(a->ns, b->ns);
	if (!c)
		c = strcmp(a->pkg, b->pkg);
	return c ? c : (a->seq < b->seq ? -1 : a->seq > b->seq);
}

static int cmp_cstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Writes one advisory from rows [lo, hi) that share its id. */
static int write_id(alp *s, const sfix *lo, const sfix *hi)
{
	/* the other ids written beside it, deduplicated */
	VEC(const char *) al = {0};
	int rc = 0;
	for (const sfix *r = lo; !rc && r < hi; r++) {
		if (!r->aliases)
			continue;
		sv rest = sv_cstr(r->aliases);
		while (!rc && rest.n) {
			sv tok = sv_split(&rest, ' ');
			const char *t = arena_sv(&s->a, tok);
			rc = t ? vec_push(&al, t) : -LADING_ENOMEM;
		}
	}
	size_t nal = 0;
	if (!rc && al.n) {
		qsort(al.v, al.n, sizeof(al.v[0]), cmp_cstr);
		for (size_t i = 0; i < al.n; i++)
			if (nal == 0 || strcmp(al.v[nal - 1], al.v[i]) != 0)
				al.v[nal++] = al.v[i];
	}
	int64_t adv = 0;
	vdb_advisory a = {.vuln_id = lo->id, .aliases = al.v, .naliases = nal};
	if (!rc)
		rc = vdb_put_advisory(s->w, &adv, &a);
	vec_free(&al);
	/* one row per (release, package): the lowest fixed version; "0" only
	 * when no fixed version is given (a fix means it was affected) */
	for (const sfix *g = lo; !rc && g < hi;) {
		const sfix *e = g, *best = NULL;
		for (; e < hi && strcmp(e->ns, g->ns) == 0 && strcmp(e->pkg, g->pkg) == 0; e++) {
			if (!e->fixed)
				continue;
			int c;
			/* rows are in feed order here: without a comparator verdict the first seen stays */
			if (!best || (lading_version_cmp(&c, LADING_VS_APK, e->fixed, strlen(e->fixed),
							 best->fixed, strlen(best->fixed)) == 0 &&
				      c < 0))
				best = e;
		}
		vdb_affected af = {.ns = g->ns,
				   .package = g->pkg,
				   .scheme = lading_vscheme_name(LADING_VS_APK),
				   .status = best ? VDB_FIXED : VDB_NOT_AFFECTED,
				   .fixed = best ? best->fixed : NULL};
		rc = vdb_put_affected(s->w, adv, &af);
		g = e;
	}
	return rc;
}

static int import(vdb_writer *w, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return ctx_error(vdb_ctx(w), LADING_EIO, "%s: %s", path, strerror(errno));
	alp s = {.w = w};
	int rc;
	if (S_ISDIR(st.st_mode)) {
		rc = vdb_walk(w, path, walk_cb, &s);
	} else {
		const char *base = strrchr(path, '/');
		rc = alpine_file(&s, path, base ? base + 1 : path, true);
	}
	if (!rc && s.rows.n) {
		qsort(s.rows.v, s.rows.n, sizeof(sfix), cmp_row);
		for (size_t i = 0; !rc && i < s.rows.n;) {
			size_t j = i + 1;
			while (j < s.rows.n && strcmp(s.rows.v[j].id, s.rows.v[i].id) == 0)
				j++;
			rc = write_id(&s, &s.rows.v[i], &s.rows.v[j]);
			i = j;
		}
	}
	vec_free(&s.rows);
	arena_free(&s.a);
	return rc;
}

/* ---- detection -------------------------------------------------------------------- */

static bool has_line_key(sv head, const char *key)
{
	sv line, s = head;
	while (sv_next_line(&s, &line))
		if (sv_starts_with(line, sv_cstr(key)))
			return true;
	return false;
}

static bool sniff(const char *name, sv head)
{
	(void)name;
	sv t = sv_trim(head);
	if (t.n && t.p[0] == '{')
		return sv_find_sv(t, SV_LIT("\"distroversion\"")) != SIZE_MAX &&
		       (sv_find_sv(t, SV_LIT("\"packages\"")) != SIZE_MAX ||
			sv_find_sv(t, SV_LIT("\"secfixes\"")) != SIZE_MAX);
	return has_line_key(t, "distroversion:") &&
	       (has_line_key(t, "packages:") || sv_find_sv(t, SV_LIT("secfixes:")) != SIZE_MAX);
}

const vdb_importer vdb_importer_alpine = {LADING_FEED_ALPINE_SECDB, sniff, import};
