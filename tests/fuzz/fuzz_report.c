/* Fuzzes the writers: builds an inventory from arbitrary strings and checks
 * that every JSON output parses back (jansson rejects invalid UTF-8) and that
 * the table carries no control characters but newlines. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_inventory.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *f[64];
	fuzz_fields ff;
	if (fuzz_fields_split(&ff, f, 64, data, size))
		return 0;
	size_t nf = ff.n;
#define F(i) fuzz_field(&ff, (i))
	lading_inventory *inv;
	if (fuzz_inventory_new(&inv, &ff)) {
		free(ff.copy);
		return 0;
	}
	lading_layer l = {.index = 0, .diff_id = F(8)};
	inv_add_layer(inv, &l);
	for (size_t i = 9; i + 5 < nf; i += 6) {
		lading_pkg_file file = {F(i + 5), F(i + 4), 1};
		lading_package pk = {.type = (lading_pkg_type)(1 + i % 3), .name = F(i), .version = F(i + 1),
				     .arch = F(i + 2), .source_name = F(i + 3), .license = F(i + 4), .id = F(i + 5),
				     .epoch = F(i + 1), .rpm_version = F(i + 2), .layer = (int)(i % 3) - 1,
				     .files = &file, .nfiles = 1};
		inv_add_package(inv, &pk);
	}
	inv_warn(inv, "%s", f[0]);
	inv_finish(inv);
	lading_report_options o = {sizeof(o), "2024-01-01T00:00:00Z", "3e671687-395b-41f5-a30f-a58921a69b79", 1};
	for (int fmt = LADING_FMT_TABLE; fmt <= LADING_FMT_SPDX; fmt++) {
		char *out = NULL;
		size_t n = 0;
		if (lading_report_render(&out, &n, inv, (lading_format)fmt, &o))
			continue;
		if (strlen(out) != n)
			abort();
		if (fmt == LADING_FMT_TABLE) {
			for (size_t i = 0; i < n; i++) {
				unsigned char c = (unsigned char)out[i];
				/* only our own bold/reset sequences may carry ESC */
				if (c == 0x1b && strncmp(out + i, "\x1b[1m", 4) && strncmp(out + i, "\x1b[0m", 4))
					abort();
				if ((c < 0x20 && c != '\n' && c != 0x1b) || c == 0x7f)
					abort();
			}
			json_t *s = json_string(out);
			if (!s)
				abort(); /* invalid UTF-8 */
			json_decref(s);
		} else {
			json_error_t err;
			json_t *j = json_loads(out, JSON_REJECT_DUPLICATES, &err);
			if (!j)
				abort();
			json_decref(j);
		}
		free(out);
	}
	lading_inventory_free(inv);
	free(ff.copy);
	return 0;
}
