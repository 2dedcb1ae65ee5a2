/* The human-readable table for a terminal: a short header about the image,
 * one row per package (NAME VERSION TYPE ARCH LAYER) in columns sized to
 * their content, and a closing count. Everything printed comes from a hostile
 * image, so control characters and invalid UTF-8 become '?' (no escape
 * sequence ever reaches the terminal) and a cell longer than MAX_CELL
 * characters is cut with "..." so one absurd name cannot widen every row;
 * the json format has the full values. */
#include <stdio.h>

#include "report/report_priv.h"

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

/* Cleans `s` into `out` (replacing its content) and cuts it to MAX_CELL
 * code points; returns the display width. */
static int cell(buf *out, const char *s, size_t *w)
{
	out->n = 0;
	int rc = rp_clean(out, s && *s ? s : "-", "?", true);
	if (rc)
		return rc;
	*w = width(out->p, out->n);
	if (*w > MAX_CELL) {
		size_t keep = 0, cps = 0;
		while (keep < out->n && cps < MAX_CELL - 3) {
			keep++;
			while (keep < out->n && ((unsigned char)out->p[keep] & 0xc0) == 0x80)
				keep++;
			cps++;
		}
		out->n = keep;
		rc = buf_puts(out, "...");
		*w = MAX_CELL;
	}
	return rc;
}

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

int rp_table(buf *out, const lading_inventory *inv, const rp_meta *m)
{
	const lading_image_info *img = lading_inventory_image(inv);
	const lading_os *os = lading_inventory_os(inv);
	buf tmp = {0};
	char n[32];
	int rc = header_line(out, &tmp, m, "Target:", img->target);
	if (!rc && img->name)
		rc = header_line(out, &tmp, m, "Name:", img->name);
	if (!rc)
		rc = header_line(out, &tmp, m, "Digest:", img->manifest_digest);
	if (!rc)
		rc = header_line(out, &tmp, m,
				 "OS:", os ? (os->pretty_name ? os->pretty_name : os->id) : NULL);
	snprintf(n, sizeof(n), "%zu", lading_inventory_nlayers(inv));
	if (!rc)
		rc = header_line(out, &tmp, m, "Layers:", n);
	if (!rc)
		rc = buf_putc(out, '\n');

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
		row_values(inv, lading_inventory_package(inv, i), layer, v);
		rc = put_row(out, &tmp, v, wid);
	}
	size_t nw = lading_inventory_nwarnings(inv);
	if (!rc)
		rc = buf_printf(out, "\n%zu package%s, %zu warning%s\n", np, np == 1 ? "" : "s", nw,
				nw == 1 ? "" : "s");
	buf_free(&tmp);
	return rc;
}
