/* Importer for the Debian security tracker's advisory lists, data/DSA/list and
 * data/DLA/list (a file, or a directory holding them):
 *
 *   [29 Mar 2023] DSA-5380-1 xorg-server - security update
 *   	{CVE-2023-1393}
 *   	[bullseye] - xorg-server 2:1.20.11-1+deb11u6
 *   	NOTE: fixed in testing at time of DSA
 *
 * One advisory per DSA/DLA id with its CVEs as aliases and one affected row
 * per release line. A release line carries a version (fixed in that version)
 * or a marker in angle brackets: <not-affected>, <unfixed>, <end-of-life>
 * (and the tracker's other markers, see marker_status()), optionally followed
 * by a note in parentheses that may hold the urgency ("(bug #123; medium)").
 * Release codenames become "debian:<version>" through vdb_debian_release();
 * lines for releases it does not know are skipped and counted once per
 * codename. DLA lists name LTS releases, which share the release's namespace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vulndb/vulndb.h"

enum { MAX_DEPTH = 3, MAX_FILES = 10000, MAX_UNKNOWN = 32 };

static sv next_word(sv *s)
{
	if (!s->n)
		return SV_LIT("");
	*s = sv_trim(*s);
	size_t i = 0;
	while (i < s->n && s->p[i] != ' ' && s->p[i] != '\t')
		i++;
	sv w = sv_make(s->p, i);
	*s = sv_trim(sv_make(s->p + i, s->n - i));
	return w;
}

typedef struct row {
	char *ns, *pkg, *fixed;
	const char *status, *severity;
} row;

typedef struct dsa {
	vdb_writer *w;
	const char *file; /* prefix for messages when reading a directory, else "" */
	arena a;          /* strings of the advisory being read */
	bool open;        /* an advisory header was read and not yet written */
	char *id, *summary, *published;
	VEC(char *) aliases;
	VEC(row) rows;
	char unknown[MAX_UNKNOWN][VDB_RELEASE_NAME];
	size_t unknown_rows[MAX_UNKNOWN], nunknown;
} dsa;

static int flush(dsa *d)
{
	int rc = 0;
	if (d->open) {
		vdb_advisory a = {.vuln_id = d->id,
				  .summary = d->summary,
				  .published = d->published,
				  .aliases = (const char *const *)d->aliases.v,
				  .naliases = d->aliases.n};
		int64_t id;
		rc = vdb_put_advisory(d->w, &id, &a);
		for (size_t i = 0; !rc && i < d->rows.n; i++) {
			row *r = &d->rows.v[i];
			vdb_affected af = {.ns = r->ns, .package = r->pkg, .scheme = "dpkg", .status = r->status,
					   .fixed = r->fixed, .severity = r->severity};
			rc = vdb_put_affected(d->w, id, &af);
		}
	}
	d->open = false;
	d->aliases.n = d->rows.n = 0;
	arena_free(&d->a);
	return rc;
}

/* "[29 Mar 2023] DSA-5380-1 xorg-server - security update" */
static int header(dsa *d, sv line, size_t lineno)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int rc = flush(d);
	if (rc)
		return rc;
	size_t close = sv_find(line, ']');
	sv date = close != SIZE_MAX ? sv_make(line.p + 1, close - 1) : SV_LIT("");
	sv rest = close != SIZE_MAX ? sv_make(line.p + close + 1, line.n - close - 1) : SV_LIT("");
	sv day = next_word(&date), mon = next_word(&date), year = next_word(&date);
	sv id = next_word(&rest);
	uint64_t dd = 0, yy = 0;
	const char *m = mon.n == 3 ? strstr(months, (char[4]){mon.p[0], mon.p[1], mon.p[2], 0}) : NULL;
	if (!sv_to_u64(day, &dd) || dd < 1 || dd > 31 || !sv_to_u64(year, &yy) || yy < 1990 || yy > 9999 || !m ||
	    (m - months) % 3 != 0 || date.n != 0) {
		vdb_skip(d->w, "%sline %zu: bad date in advisory header", d->file, lineno);
		return 0;
	}
	if (!vdb_token_ok(id, 64) ||
	    !(sv_starts_with(id, SV_LIT("DSA-")) || sv_starts_with(id, SV_LIT("DLA-")) ||
	      sv_starts_with(id, SV_LIT("DTSA-")))) {
		vdb_skip(d->w, "%sline %zu: no DSA/DLA id in advisory header", d->file, lineno);
		return 0;
	}
	d->id = arena_sv(&d->a, id);
	d->summary = rest.n ? arena_sv(&d->a, rest) : NULL;
	d->published = arena_printf(&d->a, "%04u-%02u-%02u", (unsigned)yy, (unsigned)((m - months) / 3 + 1),
				    (unsigned)dd);
	if (!d->id || (rest.n && !d->summary) || !d->published)
		return -LADING_ENOMEM;
	d->open = true;
	return 0;
}

/* "{CVE-2023-1393 CVE-2023-1394}" */
static int cves(dsa *d, sv line, size_t lineno)
{
	if (line.n < 2 || line.p[line.n - 1] != '}') {
		vdb_skip(d->w, "%s%s: line %zu: unterminated CVE list", d->file, d->id, lineno);
		return 0;
	}
	sv in = sv_make(line.p + 1, line.n - 2);
	for (sv word = next_word(&in); word.n; word = next_word(&in)) {
		if (!vdb_token_ok(word, 64)) {
			vdb_skip(d->w, "%s%s: line %zu: bad CVE id", d->file, d->id, lineno);
			continue;
		}
		char *s = arena_sv(&d->a, word);
		if (!s || vec_push(&d->aliases, s))
			return -LADING_ENOMEM;
	}
	return 0;
}

/* The tracker's markers in place of a version. NULL: no row (the package is
 * gone or never entered the release); "?" : unknown marker. */
static const char *marker_status(sv m)
{
	static const char *const map[][2] = {
		{"<not-affected>", VDB_NOT_AFFECTED}, {"<unfixed>", VDB_UNFIXED},  {"<end-of-life>", VDB_WONTFIX},
		{"<no-dsa>", VDB_WONTFIX},            {"<ignored>", VDB_WONTFIX},  {"<postponed>", VDB_DEFERRED},
		{"<undetermined>", VDB_UNDETERMINED},      {"<removed>", NULL},         {"<itp>", NULL},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv_eq_cstr(m, map[i][0]))
			return map[i][1];
	return "?";
}

/* The urgency inside a note: "(medium)", "(bug #123; low)". */
static const char *note_severity(sv note)
{
	static const char *const map[][2] = {
		{"unimportant", VDB_SEV_NEGLIGIBLE}, {"low", VDB_SEV_LOW}, {"medium", VDB_SEV_MEDIUM},
		{"high", VDB_SEV_HIGH},
	};
	if (note.n < 2 || note.p[0] != '(' || note.p[note.n - 1] != ')')
		return NULL;
	note = sv_make(note.p + 1, note.n - 2);
	while (note.n) {
		sv part = sv_trim(sv_split(&note, ';'));
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (sv_eq_cstr(part, map[i][0]))
				return map[i][1];
	}
	return NULL;
}

/* "[bullseye] - xorg-server 2:1.20.11-1+deb11u6 (medium)" */
static int release(dsa *d, sv line, size_t lineno)
{
	size_t close = sv_find(line, ']');
	sv codename = close != SIZE_MAX ? sv_make(line.p + 1, close - 1) : SV_LIT("");
	sv rest = close != SIZE_MAX ? sv_make(line.p + close + 1, line.n - close - 1) : SV_LIT("");
	sv dash = next_word(&rest), pkg = next_word(&rest), ver = next_word(&rest);
	if (!vdb_token_ok(codename, 31) || !sv_eq_cstr(dash, "-") || !vdb_token_ok(pkg, 200) ||
	    !vdb_token_ok(ver, 200)) {
		vdb_skip(d->w, "%s%s: line %zu: malformed release line", d->file, d->id, lineno);
		return 0;
	}
	char cn[32];
	snprintf(cn, sizeof(cn), "%.*s", (int)codename.n, codename.p);
	const char *num = vdb_debian_release(cn);
	if (!num) {
		vdb_note_unknown(d->w, "Debian", codename, d->unknown, d->unknown_rows, &d->nunknown,
				 MAX_UNKNOWN);
		return 0;
	}
	row r = {.status = VDB_FIXED, .severity = note_severity(rest)};
	if (ver.p[0] == '<') {
		r.status = marker_status(ver);
		if (!r.status)
			return 0;
		if (strcmp(r.status, "?") == 0) {
			vdb_skip(d->w, "%s%s: line %zu: unknown marker %.*s", d->file, d->id, lineno, (int)ver.n,
				 ver.p);
			return 0;
		}
	} else if (!(r.fixed = arena_sv(&d->a, ver))) {
		return -LADING_ENOMEM;
	}
	r.ns = arena_printf(&d->a, "debian:%s", num);
	r.pkg = arena_sv(&d->a, pkg);
	if (!r.ns || !r.pkg || vec_push(&d->rows, r))
		return -LADING_ENOMEM;
	return 0;
}

static int import_text(dsa *d, sv text)
{
	sv line;
	size_t lineno = 0;
	int rc = 0;
	while (!rc && sv_next_line(&text, &line)) {
		lineno++;
		if (line.n && line.p[0] == '[') {
			rc = header(d, line, lineno);
			continue;
		}
		sv t = sv_trim(line);
		if (!t.n || sv_starts_with(t, SV_LIT("NOTE:")))
			continue;
		if (line.p[0] != ' ' && line.p[0] != '\t') {
			vdb_skip(d->w, "%sline %zu: not an advisory header or an indented line", d->file, lineno);
			rc = flush(d);
			continue;
		}
		if (!d->open)
			continue; /* body of a header already reported as bad */
		if (t.p[0] == '{')
			rc = cves(d, t, lineno);
		else if (t.p[0] == '[')
			rc = release(d, t, lineno);
		else
			vdb_skip(d->w, "%s%s: line %zu: unrecognised line", d->file, d->id, lineno);
	}
	return rc ? rc : flush(d);
}

static bool is_list(sv head);

static int import_file(dsa *d, const char *path, const char *label)
{
	buf b = {0};
	int rc = vdb_read_file(d->w, path, &b);
	if (!rc) {
		d->file = label;
		rc = import_text(d, sv_make(b.p, b.n));
	}
	buf_free(&b);
	return rc;
}

/* A directory (the security-tracker's data/, say) holds other files too: only
 * those whose head is a DSA/DLA list are read. */
static int walk_cb(vdb_writer *w, const char *path, const char *rel, void *arg)
{
	(void)w;
	(void)rel;
	FILE *f = fopen(path, "rb");
	char head[512];
	size_t n = f ? fread(head, 1, sizeof(head), f) : 0;
	if (f)
		fclose(f);
	if (!is_list(sv_make(head, n)))
		return 0;
	char label[4200];
	snprintf(label, sizeof(label), "%s: ", path);
	return import_file(arg, path, label);
}

static int import(vdb_writer *w, const char *path)
{
	dsa d = {.w = w, .file = ""};
	struct stat st;
	int rc;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = vdb_walk_bounded(w, path, MAX_DEPTH, MAX_FILES, walk_cb, &d);
	} else {
		rc = import_file(&d, path, "");
	}
	for (size_t i = 0; !rc && i < d.nunknown; i++)
		vdb_skip(w, "%zu release lines for '%s' skipped: no Debian version known for it", d.unknown_rows[i],
			 d.unknown[i]);
	d.open = false; /* after a failure nothing more is written */
	flush(&d);
	vec_free(&d.aliases);
	vec_free(&d.rows);
	return rc;
}

/* The first line is an advisory header: "[DD Mon YYYY] DSA-" or "DLA-". */
static bool is_list(sv head)
{
	sv line;
	if (!sv_next_line(&head, &line) || line.n < 16 || line.p[0] != '[')
		return false;
	size_t close = sv_find(line, ']');
	if (close == SIZE_MAX || close < 10 || close > 12)
		return false;
	sv rest = sv_trim(sv_make(line.p + close + 1, line.n - close - 1));
	return sv_starts_with(rest, SV_LIT("DSA-")) || sv_starts_with(rest, SV_LIT("DLA-")) ||
	       sv_starts_with(rest, SV_LIT("DTSA-"));
}

static bool sniff(const char *name, sv head)
{
	(void)name;
	return is_list(head);
}

const vdb_importer vdb_importer_debian_dsa = {LADING_FEED_DEBIAN_DSA, sniff, import};
