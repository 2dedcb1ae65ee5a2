/* The human-readable tables for a terminal. The SBOM: a short header about
 * the image, one row per package (NAME VERSION TYPE ARCH LAYER) in columns
 * sized to their content, and a closing count. Scan results: the same
 * header, one row per finding grouped by package, counts per severity, and a
 * note when OS packages could not be checked at all. Everything printed comes from a hostile
 * image, so control characters and invalid UTF-8 become '?' (no escape
 * sequence ever reaches the terminal) and a cell longer than MAX_CELL
 * characters is cut with "..." so one absurd name cannot widen every row;
 * the json format has the full values. */
#include <stdio.h>

#include "report/writers.h"

enum { NCOL = 5, MAX_CELL = 80 };

/* Number of code points in valid UTF-8 (rp_clean's output). */
static size_t width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static int rp_table_cell(buf *out, const char *s, size_t max, size_t *w)
{
	out->n = 0;
	int rc = rp_clean(out, s && *s ? s : "-", "?", true);
	if (rc)
		return rc;
	*w = width(out->p, out->n);
	if (*w > max) {
		size_t keep = 0, cps = 0;
		while (keep < out->n && cps < max - 3) {
			keep++;
			while (keep < out->n && ((unsigned char)out->p[keep] & 0xc0) == 0x80)
				keep++;
			cps++;
		}
		out->n = keep;
		rc = buf_puts(out, "...");
		*w = max;
	}
	return rc;
}

/* Cleans `s` into `out` (replacing its content) and cuts it to MAX_CELL
 * code points; returns the display width. */
static int cell(buf *out, const char *s, size_t *w) { return rp_table_cell(out, s, MAX_CELL, w); }

/* The five cells of package p (LAYER is the index; "-" when unknown, as in
 * the json format). */
static void row_values(const lading_inventory *inv, const lading_package *p, char layer[24],
		       const char *v[NCOL])
{
	if (rp_layer_of(inv, p->layer))
		snprintf(layer, 24, "%d", p->layer);
	else
		snprintf(layer, 24, "-");
	v[0] = p->name;
	v[1] = p->version;
	v[2] = lading_pkg_type_name(p->type);
	v[3] = p->arch;
	v[4] = layer;
}

static int put_row(buf *out, buf *tmp, const char *const v[NCOL], const size_t wid[NCOL])
{
	int rc = 0;
	for (int c = 0; c < NCOL && rc == 0; c++) {
		size_t w = 0;
		rc = cell(tmp, v[c], &w);
		if (!rc)
			rc = buf_append(out, tmp->p, tmp->n);
		/* pad all but the last column; two spaces between columns */
		for (size_t k = w; c < NCOL - 1 && k < wid[c] + 2 && rc == 0; k++)
			rc = buf_putc(out, ' ');
	}
	return rc ? rc : buf_putc(out, '\n');
}

static int header_line(buf *out, buf *tmp, const rp_meta *m, const char *label, const char *val)
{
	int rc = buf_printf(out, "%s%-8s%s ", m->color ? "\x1b[1m" : "", label, m->color ? "\x1b[0m" : "");
	size_t w = 0;
	if (!rc)
		rc = cell(tmp, val, &w);
	if (!rc)
		rc = buf_append(out, tmp->p, tmp->n);
	return rc ? rc : buf_putc(out, '\n');
}

static int rp_table_header(buf *out, buf *tmp, const lading_inventory *inv, const rp_meta *m)
{
	const lading_image_info *img = lading_inventory_image(inv);
	const lading_os *os = lading_inventory_os(inv);
	char n[32];
	int rc = header_line(out, tmp, m, "Target:", img->target);
	if (!rc && img->name)
		rc = header_line(out, tmp, m, "Name:", img->name);
	if (!rc)
		rc = header_line(out, tmp, m, "Digest:", img->manifest_digest);
	if (!rc)
		rc =
		    header_line(out, tmp, m, "OS:", os ? (os->pretty_name ? os->pretty_name : os->id) : NULL);
	snprintf(n, sizeof(n), "%zu", lading_inventory_nlayers(inv));
	if (!rc)
		rc = header_line(out, tmp, m, "Layers:", n);
	return rc ? rc : buf_putc(out, '\n');
}

/* Length of the directory part of `path`, its last '/' included. */
static size_t parent_len(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? (size_t)(slash - path) + 1 : 0;
}

static const char *finding_word(const lading_file_finding *f)
{
	return f->kind == LADING_FILE_MISSING ? "missing " : f->kind == LADING_FILE_MODIFIED_CONFIG ? "config  " : "modified";
}

/* One modified or missing file, with its package. */
static int table_file_row(buf *out, buf *tmp, const lading_inventory *inv, const lading_file_finding *f)
{
	const lading_package *p = f->package >= 0 ? lading_inventory_package(inv, (size_t)f->package) : NULL;
	size_t w;
	int rc = buf_printf(out, "  %s  ", finding_word(f));
	if (!rc)
		rc = rp_table_cell(tmp, f->path, 200, &w);
	if (!rc)
		rc = buf_append(out, tmp->p, tmp->n);
	if (!rc && p && p->name) {
		rc = rp_table_cell(tmp, p->name, 80, &w);
		if (!rc)
			rc = buf_printf(out, "  (%.*s)", (int)tmp->n, tmp->p);
	}
	return rc ? rc : buf_putc(out, '\n');
}

/* Documentation that slim images delete on purpose after installing. */
static bool is_doc_dir(const char *path, size_t dlen)
{
	static const char *const docs[] = {"/usr/share/man/", "/usr/share/doc/", "/usr/share/info/", "/usr/share/locale/",
					   "/usr/share/doc-base/", "/usr/share/lintian/"};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		if (dlen >= strlen(docs[i]) && strncmp(path, docs[i], strlen(docs[i])) == 0)
			return true;
	return false;
}

/* `run` findings of one kind in one directory, as one row: the directory,
 * the count, the packages (the first few), and why when it is documentation. */
static int table_group_row(buf *out, buf *tmp, const lading_inventory *inv, size_t first, size_t run, size_t dlen)
{
	enum { SHOWN_PKGS = 4 };
	const lading_file_finding *f = lading_inventory_file_finding(inv, first);
	int64_t seen[SHOWN_PKGS];
	size_t nseen = 0, more = 0;
	for (size_t k = 0; k < run; k++) {
		int64_t pk = lading_inventory_file_finding(inv, first + k)->package;
		bool dup = pk < 0;
		for (size_t q = 0; q < nseen && !dup; q++)
			dup = seen[q] == pk;
		if (!dup && nseen < SHOWN_PKGS)
			seen[nseen++] = pk;
		else if (!dup)
			more = 1;
	}
	char dir[4096];
	snprintf(dir, sizeof(dir), "%.*s", (int)(dlen < sizeof(dir) ? dlen : sizeof(dir) - 1), f->path);
	size_t w;
	int rc = buf_printf(out, "  %s  ", finding_word(f));
	if (!rc)
		rc = rp_table_cell(tmp, dir, 200, &w);
	if (!rc)
		rc = buf_printf(out, "%.*s  (%zu files", (int)tmp->n, tmp->p, run);
	for (size_t q = 0; q < nseen && !rc; q++) {
		const lading_package *p = lading_inventory_package(inv, (size_t)seen[q]);
		if (!p || !p->name)
			continue;
		rc = rp_table_cell(tmp, p->name, 80, &w);
		if (!rc)
			rc = buf_printf(out, "%s%.*s", q ? ", " : " of ", (int)tmp->n, tmp->p);
	}
	if (!rc && more)
		rc = buf_puts(out, ", …");
	if (!rc)
		rc = buf_putc(out, ')');
	if (!rc && f->kind == LADING_FILE_MISSING && is_doc_dir(f->path, dlen))
		rc = buf_puts(out, ": documentation deleted after installation, as slim images do");
	return rc ? rc : buf_putc(out, '\n');
}

/* The file integrity block: one summary line, then the modified and missing
 * files (up to MAX_FILE_ROWS rows of them; GROUP_MIN or more of one kind in
 * one directory make one row) and the unpackaged executables grouped by
 * directory. Nothing when the check did not run. */
enum { MAX_FILE_ROWS = 50, MAX_DIR_ROWS = 20, GROUP_MIN = 5 };
static int table_integrity(buf *out, buf *tmp, const lading_inventory *inv, const rp_meta *m)
{
	const lading_integrity_summary *s = lading_inventory_integrity(inv);
	if (!s)
		return 0;
	bool bad = s->modified || s->missing;
	int rc = buf_printf(out, "\n%sIntegrity: %llu modified (%llu config), %llu missing, %llu unpackaged executable%s%s"
			    " (%llu package files checked",
			    m->color && bad ? "\x1b[1;31m" : "", (unsigned long long)(s->modified + s->modified_config),
			    (unsigned long long)s->modified_config, (unsigned long long)s->missing,
			    (unsigned long long)s->unpackaged, s->unpackaged == 1 ? "" : "s",
			    m->color && bad ? "\x1b[0m" : "", (unsigned long long)s->files_checked);
	if (!rc && s->files_unverifiable)
		rc = buf_printf(out, ", %llu unverifiable", (unsigned long long)s->files_unverifiable);
	if (!rc && s->files_excluded)
		rc = buf_printf(out, ", %llu left out by dpkg's path-exclude", (unsigned long long)s->files_excluded);
	if (!rc)
		rc = buf_puts(out, ")\n");
	size_t nf = lading_inventory_nfile_findings(inv), rows = 0, hidden = 0;
	for (size_t i = 0; i < nf && rc == 0;) {
		const lading_file_finding *f = lading_inventory_file_finding(inv, i);
		if (f->kind == LADING_FILE_UNPACKAGED) {
			i++;
			continue;
		}
		/* findings come sorted by kind, then path: a run of the same kind in
		 * one directory is one row when it is long (a deleted man page
		 * directory is one fact, not 150) */
		size_t dlen = parent_len(f->path), run = 1;
		while (i + run < nf) {
			const lading_file_finding *g = lading_inventory_file_finding(inv, i + run);
			if (g->kind != f->kind || parent_len(g->path) != dlen || strncmp(g->path, f->path, dlen) != 0)
				break;
			run++;
		}
		if (rows >= MAX_FILE_ROWS) {
			hidden += run < GROUP_MIN ? run : 1;
			i += run;
			continue;
		}
		if (run >= GROUP_MIN) {
			rc = table_group_row(out, tmp, inv, i, run, dlen);
			i += run;
		} else {
			rc = table_file_row(out, tmp, inv, f);
			i++;
		}
		rows++;
	}
	if (!rc && hidden)
		rc = buf_printf(out, "  … and %zu more rows (see -f json)\n", hidden);
	rp_dircount *dirs = NULL;
	size_t nd = 0;
	if (!rc)
		rc = rp_unpackaged_dirs(&dirs, &nd, inv);
	if (!rc && nd)
		rc = buf_puts(out, "  unpackaged executables by directory:\n");
	for (size_t i = 0; i < nd && i < MAX_DIR_ROWS && rc == 0; i++) {
		size_t w;
		rc = rp_table_cell(tmp, dirs[i].dir, 200, &w);
		if (!rc)
			rc = buf_printf(out, "  %6zu  %.*s\n", dirs[i].count, (int)tmp->n, tmp->p);
	}
	if (!rc && nd > MAX_DIR_ROWS)
		rc = buf_printf(out, "  … and %zu more directories (see -f json)\n", nd - MAX_DIR_ROWS);
	rp_dircounts_free(dirs, nd);
	return rc;
}

int rp_table(buf *out, const lading_inventory *inv, const rp_meta *m)
{
	buf tmp = {0};
	int rc = rp_table_header(out, &tmp, inv, m);

	static const char *const head[NCOL] = {"NAME", "VERSION", "TYPE", "ARCH", "LAYER"};
	size_t wid[NCOL];
	for (int c = 0; c < NCOL; c++)
		wid[c] = strlen(head[c]);
	size_t np = lading_inventory_npackages(inv);
	char layer[24];
	const char *v[NCOL];
	for (size_t i = 0; i < np && rc == 0; i++) {
		row_values(inv, lading_inventory_package(inv, i), layer, v);
		for (int c = 0; c < NCOL && rc == 0; c++) {
			size_t w = 0;
			rc = cell(&tmp, v[c], &w);
			if (w > wid[c])
				wid[c] = w;
		}
	}
	if (!rc && m->color)
		rc = buf_puts(out, "\x1b[1m");
	if (!rc)
		rc = put_row(out, &tmp, head, wid);
	if (!rc && m->color) {
		out->n--; /* the reset goes before the newline */
		rc = buf_puts(out, "\x1b[0m\n");
	}
	for (size_t i = 0; i < np && rc == 0; i++) {
		/* between rows: a streamed table is handed over as it grows */
		if ((rc = rp_flush(out, false)) != 0)
			break;
		row_values(inv, lading_inventory_package(inv, i), layer, v);
		rc = put_row(out, &tmp, v, wid);
	}
	size_t nw = lading_inventory_nwarnings(inv);
	if (!rc)
		rc = buf_printf(out, "\n%zu package%s, %zu warning%s\n", np, np == 1 ? "" : "s", nw,
				nw == 1 ? "" : "s");
	if (!rc)
		rc = table_integrity(out, &tmp, inv, m);
	buf_free(&tmp);
	return rc;
}

/* ---- scan results ---------------------------------------------------------- */

enum { SNCOL = 7, SEV_COL = 3, TITLE_COL = 6, MAX_TITLE = 60 };

static const char *sev_upper(lading_severity s)
{
	static const char *const n[] = {"UNKNOWN", "NEGLIGIBLE", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
	return (unsigned)s < 6 ? n[s] : n[0];
}

/* Trivy's and grype's palette, so the eye reads it the same way. */
static const char *sev_color(lading_severity s)
{
	switch (s) {
	case LADING_SEV_CRITICAL:
		return "\x1b[1;31m";
	case LADING_SEV_HIGH:
		return "\x1b[31m";
	case LADING_SEV_MEDIUM:
		return "\x1b[33m";
	case LADING_SEV_LOW:
		return "\x1b[34m";
	default:
		return NULL;
	}
}

static void finding_values(const lading_inventory *inv, const lading_finding *f, const char *v[SNCOL])
{
	const lading_package *p = lading_inventory_package(inv, f->package);
	v[0] = p->name;
	v[1] = f->installed ? f->installed : p->version;
	v[2] = f->vuln_id;
	v[3] = sev_upper(f->severity);
	v[4] = lading_vuln_status_name(f->status);
	v[5] = f->fixed;
	v[6] = f->summary;
}

/* A scan cell: the title is the summary's first line, cut shorter than the
 * other cells; `line` is scratch space. */
static int scan_cell(buf *tmp, buf *line, int c, const char *s, size_t *w)
{
	if (c != TITLE_COL || !s)
		return rp_table_cell(tmp, s, MAX_CELL, w);
	line->n = 0;
	int rc = buf_append(line, s, strcspn(s, "\r\n"));
	return rc ? rc : rp_table_cell(tmp, line->n ? line->p : NULL, MAX_TITLE, w);
}

static int put_scan_row(buf *out, buf *tmp, buf *line, const char *const v[SNCOL], const size_t wid[SNCOL],
			const char *color)
{
	int rc = 0;
	for (int c = 0; c < SNCOL && rc == 0; c++) {
		size_t w = 0;
		rc = scan_cell(tmp, line, c, v[c], &w);
		bool paint = color && c == SEV_COL;
		if (!rc && paint)
			rc = buf_puts(out, color);
		if (!rc)
			rc = buf_append(out, tmp->p, tmp->n);
		if (!rc && paint)
			rc = buf_puts(out, "\x1b[0m");
		for (size_t k = w; c < SNCOL - 1 && k < wid[c] + 2 && rc == 0; k++)
			rc = buf_putc(out, ' ');
	}
	return rc ? rc : buf_putc(out, '\n');
}

int rp_table_scan(buf *out, const lading_inventory *inv, const lading_findings *f, const rp_meta *m)
{
	buf tmp = {0}, line = {0};
	arena a = {0};
	int rc = rp_table_header(out, &tmp, inv, m);

	static const char *const head[SNCOL] = {"PACKAGE", "INSTALLED", "VULNERABILITY", "SEVERITY",
						"STATUS",  "FIXED IN",	"TITLE"};
	size_t wid[SNCOL];
	for (int c = 0; c < SNCOL; c++)
		wid[c] = strlen(head[c]);
	size_t nf = lading_findings_count(f);
	const char *v[SNCOL];
	for (size_t i = 0; i < nf && rc == 0; i++) {
		finding_values(inv, lading_findings_get(f, i), v);
		for (int c = 0; c < SNCOL && rc == 0; c++) {
			size_t w = 0;
			rc = scan_cell(&tmp, &line, c, v[c], &w);
			if (w > wid[c])
				wid[c] = w;
		}
	}
	if (nf) {
		if (!rc && m->color)
			rc = buf_puts(out, "\x1b[1m");
		if (!rc)
			rc = put_scan_row(out, &tmp, &line, head, wid, NULL);
		if (!rc && m->color) {
			out->n--; /* the reset goes before the newline */
			rc = buf_puts(out, "\x1b[0m\n");
		}
		for (size_t i = 0; i < nf && rc == 0; i++) {
			if ((rc = rp_flush(out, false)) != 0)
				break;
			const lading_finding *fi = lading_findings_get(f, i);
			finding_values(inv, fi, v);
			rc =
			    put_scan_row(out, &tmp, &line, v, wid, m->color ? sev_color(fi->severity) : NULL);
		}
		if (!rc)
			rc = buf_putc(out, '\n');
	}

	size_t counts[6];
	rp_count_severities(f, counts);
	bool unchecked = rp_os_unchecked(inv, f);
	size_t sup = lading_findings_suppressed(f);
	if (!rc && nf == 0 && sup == 0 && !unchecked)
		rc = buf_puts(out, "No known vulnerabilities found.\n");
	if (!rc)
		rc = buf_printf(
		    out,
		    "Total: %zu (CRITICAL: %zu, HIGH: %zu, MEDIUM: %zu, LOW: %zu, NEGLIGIBLE: %zu, "
		    "UNKNOWN: %zu)\n",
		    nf, counts[LADING_SEV_CRITICAL], counts[LADING_SEV_HIGH], counts[LADING_SEV_MEDIUM],
		    counts[LADING_SEV_LOW], counts[LADING_SEV_NEGLIGIBLE], counts[LADING_SEV_UNKNOWN]);
	size_t nvex = lading_findings_vex_count(f);
	if (!rc && sup && !nvex)
		rc = buf_printf(out, "%zu finding%s suppressed by filters\n", sup, sup == 1 ? "" : "s");
	else if (!rc && sup)
		rc = buf_printf(out, "%zu finding%s suppressed by filters (%zu by VEX statements)\n", sup,
				sup == 1 ? "" : "s", nvex);
	if (!rc)
		rc = table_integrity(out, &tmp, inv, m);
	if (!rc && unchecked) {
		/* Last, where the eye lands: "Total: 0" above it means "not looked
		 * at", not "clean". */
		const char *note = rp_os_note(&a, f);
		if (!note)
			rc = -LADING_ENOMEM;
		else
			rc = buf_printf(out, "%s%s%s\n", m->color ? "\x1b[1;33m" : "", note,
					m->color ? "\x1b[0m" : "");
	}
	buf_free(&tmp);
	buf_free(&line);
	arena_free(&a);
	return rc;
}
