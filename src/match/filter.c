/* Filtering findings after matching: severities, unfixed, and an ignore file.
 *
 * Ignore file format (one entry per line; '#' starts a comment, which is the
 * entry's reason):
 *
 *     CVE-2023-1234                          # accepted: not reachable
 *     GHSA-xxxx-yyyy-zzzz exp:2025-06-30     # until the vendor ships 2.0
 *     CVE-2024-0001 pkg:openssl
 *
 * An id matches a finding's id or any of its aliases; `pkg:NAME` limits the
 * entry to one package name; `exp:YYYY-MM-DD` makes it stop suppressing after
 * that day (the entry then stops working and a warning says so). This is the
 * format of trivy's .trivyignore, plus pkg:. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ctx.h"
#include "match/match_priv.h"

typedef struct ignore {
	char *id;
	char *pkg;      /* or NULL */
	char exp[11];   /* "" = never */
	int line;
	bool expired;
	bool used;
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

static int load_ignores(lading_ctx *ctx, const char *path, const char *today, ignores *out)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return ctx_error(ctx, LADING_EIO, "%s: cannot open the ignore file: %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, rc = 0;
	while (!rc && (n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (lineno > 100000) {
			rc = ctx_error(ctx, LADING_ELIMIT, "%s: more than 100000 lines", path);
			break;
		}
		sv s = sv_make(line, (size_t)n);
		size_t hash = sv_find(s, '#');
		if (hash != SIZE_MAX)
			s.n = hash;
		s = sv_trim(s);
		if (!s.n)
			continue;
		ignore ig = {.line = lineno};
		bool first = true;
		while (!rc && s.n) {
			size_t sp = 0;
			while (sp < s.n && s.p[sp] != ' ' && s.p[sp] != '\t')
				sp++;
			sv tok = sv_make(s.p, sp);
			s = sv_trim(sv_make(s.p + sp, s.n - sp));
			if (first) {
				ig.id = strndup(tok.p, tok.n);
				first = false;
			} else if (sv_starts_with(tok, SV_LIT("exp:")) && valid_date(sv_make(tok.p + 4, tok.n - 4))) {
				memcpy(ig.exp, tok.p + 4, 10);
			} else if (sv_starts_with(tok, SV_LIT("pkg:")) && tok.n > 4) {
				free(ig.pkg);
				ig.pkg = strndup(tok.p + 4, tok.n - 4);
			} else {
				rc = ctx_error(ctx, LADING_EFORMAT,
					       "%s:%d: unexpected \"%.*s\" (expected ID [exp:YYYY-MM-DD] [pkg:NAME])", path,
					       lineno, (int)tok.n, tok.p);
			}
		}
		if (!rc && !ig.id)
			rc = -LADING_ENOMEM;
		if (!rc) {
			ig.expired = ig.exp[0] && strcmp(ig.exp, today) < 0;
			if (ig.expired)
				ctx_log(ctx, LADING_LOG_WARN, "%s:%d: the ignore entry for %s expired on %s and no longer applies",
					path, lineno, ig.id, ig.exp);
			rc = vec_push(out, ig);
		}
		if (rc) {
			free(ig.id);
			free(ig.pkg);
		}
	}
	free(line);
	fclose(f);
	return rc;
}

static bool same(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static bool ignored(ignores *igs, const lading_finding *f)
{
	for (size_t i = 0; i < igs->n; i++) {
		ignore *ig = &igs->v[i];
		/* pkg: names the binary package or the source package it comes from */
		if (ig->expired || (ig->pkg && !same(ig->pkg, f->package_name) && !same(ig->pkg, f->matched_name)))
			continue;
		bool hit = strcmp(ig->id, f->vuln_id) == 0;
		for (size_t k = 0; !hit && k < f->naliases; k++)
			hit = strcmp(ig->id, f->aliases[k]) == 0;
		if (hit) {
			ig->used = true;
			return true;
		}
	}
	return false;
}

int lading_findings_filter(lading_findings *fs, lading_ctx *ctx, const lading_filter *flt)
{
	ctx_error_reset(ctx);
	if (!flt || flt->struct_size == 0 || flt->struct_size > sizeof(lading_filter))
		return -LADING_EINVAL;
	lading_filter o = {0};
	memcpy(&o, flt, flt->struct_size);
	char today[11];
	if (o.today && strlen(o.today) == 10) {
		memcpy(today, o.today, 11);
	} else {
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	}
	ignores igs = {0};
	int rc = o.ignorefile ? load_ignores(ctx, o.ignorefile, today, &igs) : 0;
	size_t keep = 0;
	for (size_t i = 0; !rc && i < fs->v.n; i++) {
		const lading_finding *f = &fs->v.v[i];
		bool drop = (o.severities && !(o.severities & (1u << f->severity))) ||
			    (o.ignore_unfixed && f->status != LADING_VULN_FIXED);
		if (!drop && igs.n)
			drop = ignored(&igs, f);
		if (drop)
			fs->suppressed++;
		else
			fs->v.v[keep++] = *f;
	}
	if (!rc)
		fs->v.n = keep;
	ignores_free(&igs);
	return rc;
}

size_t lading_findings_suppressed(const lading_findings *f) { return f->suppressed; }
