/* Filtering findings after matching: severities, unfixed, ignore rules (from
 * a file, from memory or both) and VEX (vex.c).
 *
 * Ignore rule format (one entry per line; '#' starts a comment, which is the
 * entry's reason):
 *
 *     CVE-2023-1234                          # accepted: not reachable
 *     GHSA-xxxx-yyyy-zzzz exp:2025-06-30     # until the vendor ships 2.0
 *     CVE-2024-0001 pkg:openssl
 *
 * An id matches a finding's id or any of its aliases; `pkg:NAME` limits the
 * entry to one package name; `exp:YYYY-MM-DD` makes it stop suppressing after
 * that day (the entry then stops working and a warning says so). This is the
 * format of trivy's .trivyignore, plus pkg:. The file and the rules a caller
 * passes in memory go through the same parser; messages name the file's path
 * or "(ignore rules)", and the line, never the line's bytes (the rules are not
 * the image: docs/errors.md). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ctx.h"
#include "match/match_priv.h"

enum { IGNORE_MAX_LINES = 100000 };

typedef struct ignore {
	char *id;
	char *pkg;    /* or NULL */
	char exp[11]; /* "" = never */
	bool expired;
} ignore;

typedef VEC(ignore) ignores;

static void ignores_free(ignores *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].id);
		free(v->v[i].pkg);
	}
	vec_free(v);
}

static bool valid_date(sv d)
{
	if (d.n != 10 || d.p[4] != '-' || d.p[7] != '-')
		return false;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d.p[i] < '0' || d.p[i] > '9'))
			return false;
	return true;
}

static int syntax_error(lading_ctx *ctx, const char *name, bool is_file, int lineno, const char *what)
{
	char rec[32];
	snprintf(rec, sizeof(rec), "line %d", lineno);
	return ctx_fail(ctx, LADING_EFORMAT, "ignore.syntax",
			CTX_WHERE(.file = is_file ? name : NULL, .record = rec), "%s:%d: %s", name, lineno,
			what);
}

/* One line's entry into *ig (id NULL for a blank or comment line). */
static int parse_line(lading_ctx *ctx, const char *name, bool is_file, int lineno, sv s, ignore *ig)
{
	if (memchr(s.p, 0, s.n))
		return syntax_error(ctx, name, is_file, lineno, "a NUL byte");
	size_t hash = sv_find(s, '#');
	if (hash != SIZE_MAX)
		s.n = hash;
	s = sv_trim(s);
	for (int word = 1; s.n; word++) {
		size_t sp = 0;
		while (sp < s.n && s.p[sp] != ' ' && s.p[sp] != '\t')
			sp++;
		sv tok = sv_make(s.p, sp);
		s = sv_trim(sv_make(s.p + sp, s.n - sp));
		if (word == 1) {
			if (!(ig->id = strndup(tok.p, tok.n)))
				return -LADING_ENOMEM;
		} else if (sv_starts_with(tok, SV_LIT("exp:")) && valid_date(sv_make(tok.p + 4, tok.n - 4))) {
			memcpy(ig->exp, tok.p + 4, 10);
		} else if (sv_starts_with(tok, SV_LIT("pkg:")) && tok.n > 4) {
			free(ig->pkg);
			if (!(ig->pkg = strndup(tok.p + 4, tok.n - 4)))
				return -LADING_ENOMEM;
		} else {
			char what[128];
			snprintf(what, sizeof(what),
				 "word %d is not exp:YYYY-MM-DD or pkg:NAME (expected ID "
				 "[exp:YYYY-MM-DD] [pkg:NAME] [# reason])",
				 word);
			return syntax_error(ctx, name, is_file, lineno, what);
		}
	}
	return 0;
}

/* Parses ignore rules from `text` (named `name` in messages) into *out. */
static int parse_ignores(lading_ctx *ctx, const char *name, bool is_file, sv text, const char *today,
			 ignores *out)
{
	sv line;
	int lineno = 0, rc = 0;
	while (!rc && sv_next_line(&text, &line)) {
		if (++lineno > IGNORE_MAX_LINES)
			return ctx_fail(ctx, LADING_ELIMIT, "ignore.too_many_lines",
					CTX_WHERE(.file = is_file ? name : NULL), "%s: more than %d lines",
					name, IGNORE_MAX_LINES);
		ignore ig = {0};
		rc = parse_line(ctx, name, is_file, lineno, line, &ig);
		if (!rc && ig.id) {
			ig.expired = ig.exp[0] && strcmp(ig.exp, today) < 0;
			if (ig.expired)
				ctx_log(ctx, LADING_LOG_WARN,
					"%s:%d: the ignore entry for %s expired on %s and no longer applies",
					name, lineno, ig.id, ig.exp);
			rc = vec_push(out, ig);
		}
		if (rc || !ig.id) {
			free(ig.id);
			free(ig.pkg);
		}
	}
	return rc;
}

static int load_ignore_file(lading_ctx *ctx, const char *path, const char *today, ignores *out)
{
	buf b = {0};
	int rc = match_read_input(&b, ctx, path, "the ignore file", "ignore.unreadable");
	if (!rc)
		rc = parse_ignores(ctx, path, true, sv_make(b.p, b.n), today, out);
	buf_free(&b);
	return rc;
}

static bool same(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static bool ignored(const ignores *igs, const lading_finding *f)
{
	for (size_t i = 0; i < igs->n; i++) {
		const ignore *ig = &igs->v[i];
		/* pkg: names the binary package or the source package it comes from */
		if (ig->expired ||
		    (ig->pkg && !same(ig->pkg, f->package_name) && !same(ig->pkg, f->matched_name)))
			continue;
		bool hit = same(ig->id, f->vuln_id);
		for (size_t k = 0; !hit && k < f->naliases; k++)
			hit = same(ig->id, f->aliases[k]);
		if (hit)
			return true;
	}
	return false;
}

static void today_utc(char out[11], const char *given)
{
	if (given && strlen(given) == 10) {
		memcpy(out, given, 11);
		return;
	}
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int lading_findings_filter(lading_findings *fs, lading_ctx *ctx, const lading_filter *flt)
{
	ctx_begin(ctx);
	if (!fs || !flt || flt->struct_size == 0 || flt->struct_size > sizeof(lading_filter))
		return -LADING_EINVAL;
	lading_filter o = {0};
	memcpy(&o, flt, flt->struct_size);
	/* reading rules or documents needs the context (limits, messages) */
	if (!ctx && (o.ignorefile || o.ignore_text || o.nvex_files || o.nvex_docs))
		return -LADING_EINVAL;
	if ((o.ignore_len && !o.ignore_text) || (o.nvex_files && !o.vex_files) ||
	    (o.nvex_docs && !o.vex_docs))
		return ctx_error(ctx, LADING_EINVAL, "filter: a length without its text or list");
	char today[11];
	today_utc(today, o.today);
	ignores igs = {0};
	vex_set *vex = NULL;
	int rc = o.ignorefile ? load_ignore_file(ctx, o.ignorefile, today, &igs) : 0;
	if (!rc && o.ignore_text) {
		if (o.ignore_len > ctx->opt.max_file_size)
			rc = ctx_fail(ctx, LADING_ELIMIT, "limit.file_size", NULL,
				      "(ignore rules): larger than the largest file read (%llu bytes)",
				      (unsigned long long)ctx->opt.max_file_size);
		else
			rc = parse_ignores(ctx, "(ignore rules)", false, sv_make(o.ignore_text, o.ignore_len),
					   today, &igs);
	}
	if (!rc)
		rc = vex_load(&vex, ctx, &o);
	/* Decide every finding before removing any: a failure (out of memory)
	 * removes nothing. */
	enum { KEEP = 0, DROP = 1, BY_VEX = 2 };
	unsigned char *fate = NULL;
	if (!rc && fs->v.n && !(fate = calloc(fs->v.n, 1)))
		rc = -LADING_ENOMEM;
	size_t nvex = 0;
	for (size_t i = 0; !rc && i < fs->v.n; i++) {
		lading_finding *f = &fs->v.v[i];
		bool by_vex = false;
		if ((o.severities && !(o.severities & (1u << f->severity))) ||
		    (o.ignore_unfixed && f->status != LADING_VULN_FIXED) || (igs.n && ignored(&igs, f)))
			fate[i] = DROP;
		else if (vex && (rc = vex_decide(vex, fs, f, &by_vex)) == 0 && by_vex)
			fate[i] = BY_VEX, nvex++;
	}
	if (!rc && nvex)
		rc = vec_reserve(&fs->vex, nvex);
	if (!rc) {
		size_t keep = 0;
		for (size_t i = 0; i < fs->v.n; i++) {
			if (fate[i] == KEEP)
				fs->v.v[keep++] = fs->v.v[i];
			else if (fate[i] == BY_VEX)
				fs->vex.v[fs->vex.n++] = fs->v.v[i];
		}
		fs->suppressed += fs->v.n - keep;
		fs->v.n = keep;
	}
	free(fate);
	vex_free(vex);
	ignores_free(&igs);
	return rc;
}

size_t lading_findings_suppressed(const lading_findings *f) { return f->suppressed; }
size_t lading_findings_vex_count(const lading_findings *f) { return f->vex.n; }
const lading_finding *lading_findings_vex_get(const lading_findings *f, size_t i)
{
	return i < f->vex.n ? &f->vex.v[i] : NULL;
}
