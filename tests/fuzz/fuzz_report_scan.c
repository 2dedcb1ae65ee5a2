/* Fuzzes the scan-result writers: builds an inventory and findings from
 * arbitrary lines and checks that every JSON output (json, SARIF, CycloneDX)
 * parses back (jansson rejects invalid UTF-8 and duplicate keys), that SARIF
 * results point at existing rules, and that the table carries no control
 * characters but newlines and our own colour codes.
 *
 * Input: newline-separated fields. 0-3 image (name, target, digest, arch),
 * 4-7 os (id, version_id, pretty_name, codename), 8 os namespace (empty =
 * none), 9 flags (first byte: bit 0 = has data; length = suppressed count);
 * then packages, 6 lines each (name, version, arch, source, db_path, id),
 * until a line "=="; then findings, 14 lines each (package selector byte,
 * id, alias, alias, installed, fixed, severity+status bytes, cvss score text,
 * vector, namespace, source, summary, published, url). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_inventory.h"
#include "match/match_priv.h"

static void check_table(const char *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];
		/* only our own colour sequences may carry ESC: ESC [ digits ; m */
		if (c == 0x1b) {
			size_t k = i + 1;
			if (k >= n || out[k] != '[')
				abort();
			for (k++; k < n && ((out[k] >= '0' && out[k] <= '9') || out[k] == ';'); k++)
				;
			if (k >= n || out[k] != 'm')
				abort();
			continue;
		}
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			abort();
	}
	json_t *s = json_string(out);
	if (!s)
		abort(); /* invalid UTF-8 */
	json_decref(s);
}

static void check_sarif(json_t *log)
{
	json_t *run = json_array_get(json_object_get(log, "runs"), 0);
	json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	size_t i;
	json_t *res;
	json_array_foreach(json_object_get(run, "results"), i, res)
	{
		json_int_t ri = json_integer_value(json_object_get(res, "ruleIndex"));
		json_t *rule = json_array_get(rules, (size_t)ri);
		if (!rule || !json_equal(json_object_get(rule, "id"), json_object_get(res, "ruleId")))
			abort();
	}
	/* rule ids unique */
	json_t *ri, *rk;
	size_t k;
	json_array_foreach(rules, i, ri) json_array_foreach(
	    rules, k, rk) if (k < i && json_equal(json_object_get(ri, "id"), json_object_get(rk, "id")))
	    abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *f[256];
	fuzz_fields ff;
	if (fuzz_fields_split(&ff, f, 256, data, size))
		return 0;
	size_t nf = ff.n;
#define F(i) fuzz_field(&ff, (i))
	lading_inventory *inv;
	if (fuzz_inventory_new(&inv, &ff)) {
		free(ff.copy);
		return 0;
	}
	size_t i = 10;
	for (; i + 5 < nf && strcmp(f[i], "==") != 0; i += 6) {
		lading_package pk = {.type = (lading_pkg_type)(1 + i % 3),
				     .name = F(i),
				     .version = F(i + 1),
				     .arch = F(i + 2),
				     .source_name = F(i + 3),
				     .db_path = F(i + 4),
				     .id = F(i + 5),
				     .layer = -1};
		inv_add_package(inv, &pk);
	}
	while (i < nf && strcmp(f[i], "==") != 0)
		i++;
	i++;
	inv_finish(inv);
	size_t np = lading_inventory_npackages(inv);

	lading_findings *fs;
	if (findings_new(&fs)) {
		lading_inventory_free(inv);
		free(ff.copy);
		return 0;
	}
	fs->os_ns = F(8);
	fs->os_has_data = 9 < nf && (f[9][0] & 1);
	fs->suppressed = 9 < nf ? strlen(f[9]) : 0;
	for (; np && i + 13 < nf; i += 14) {
		const char *aliases[2] = {F(i + 2), F(i + 3)};
		const char *urls[1] = {F(i + 13)};
		const unsigned char *sb = (const unsigned char *)f[i + 6];
		lading_finding fd = {.package = (unsigned char)f[i][0] % np,
				     .vuln_id = F(i + 1),
				     .naliases = aliases[0] && aliases[1] ? 2 : 0,
				     .aliases = aliases,
				     .installed = F(i + 4),
				     .fixed = F(i + 5),
				     .severity = (lading_severity)(sb[0] ? (signed char)sb[0] : 0),
				     .status = (lading_vuln_status)(sb[0] && sb[1] ? sb[1] % 6 : 0),
				     .severity_source = F(i + 10),
				     .cvss_score = F(i + 7) ? strtod(f[i + 7], NULL) : -1,
				     .cvss_vector = F(i + 8),
				     .namespace = F(i + 9),
				     .source = F(i + 10),
				     .summary = F(i + 11),
				     .published = F(i + 12),
				     .nurls = urls[0] ? 1 : 0,
				     .urls = urls};
		findings_add(fs, &fd);
	}
	lading_report_options o = {sizeof(o), "2024-01-01T00:00:00Z", "3e671687-395b-41f5-a30f-a58921a69b79",
				   1};
	static const lading_format fmts[] = {LADING_FMT_TABLE, LADING_FMT_JSON, LADING_FMT_SARIF,
					     LADING_FMT_CYCLONEDX};
	for (size_t k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		char *out = NULL;
		size_t n = 0;
		int rc = lading_report_render_scan(&out, &n, inv, fs, fmts[k], &o);
		if (rc) {
			if (rc != -LADING_ENOMEM)
				abort(); /* every finding names a package: nothing else may fail */
			continue;
		}
		if (strlen(out) != n)
			abort();
		if (fmts[k] == LADING_FMT_TABLE) {
			check_table(out, n);
		} else {
			json_error_t err;
			json_t *j = json_loads(out, JSON_REJECT_DUPLICATES, &err);
			if (!j)
				abort();
			if (fmts[k] == LADING_FMT_SARIF)
				check_sarif(j);
			json_decref(j);
		}
		free(out);
	}
	/* SPDX cannot carry findings */
	char *out = NULL;
	if (lading_report_render_scan(&out, NULL, inv, fs, LADING_FMT_SPDX, &o) != -LADING_EINVAL)
		abort();
	lading_findings_free(fs);
	lading_inventory_free(inv);
	free(ff.copy);
	return 0;
}
