/* Rust binaries built with cargo-auditable: the linker section .dep-v0 holds
 * zlib-compressed JSON,
 *   {"packages": [{"name", "version", "source", "kind", "dependencies", "root"}]}
 * one entry per crate of the dependency graph. "source" is "crates.io",
 * "local" (a path or workspace crate), "git", "registry" or "other"; "kind"
 * is "build" for crates only used by build scripts (they are not in the
 * binary) and absent or "runtime" otherwise; "root": true marks the crate
 * the binary was built from.
 *
 * We report every runtime crate, the root included, as a crates.io package:
 * the root and other "local" crates are not from crates.io, but their name
 * and version are still what the binary is (docs/catalogers.md). Build-only
 * crates are left out: their code is not in the file. The inflated JSON is
 * bounded (cargo-auditable's own reader stops at 8 MiB too). */
#include <jansson.h>
#include <stdlib.h>
#include <zlib.h>

#include "catalog/binary.h"
#include "lading/lading.h"

enum {
	MAX_JSON = 8 << 20,
	MAX_CRATES = 20000,
};

/* Inflates a zlib stream into out, at most `limit` bytes. 0, -LADING_EFORMAT
 * (not zlib, truncated), -LADING_ELIMIT (too big) or -LADING_ENOMEM. */
static int inflate_bounded(buf *out, sv in, size_t limit)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return -LADING_ENOMEM;
	int rc = 0;
	size_t pos = 0;
	for (;;) {
		if (out->n >= limit) {
			rc = -LADING_ELIMIT;
			break;
		}
		size_t want = limit - out->n < 65536 ? limit - out->n : 65536;
		if ((rc = buf_reserve(out, want)) != 0)
			break;
		/* zlib counts in uInt: feed the input in pieces */
		size_t chunk = in.n - pos < (1u << 30) ? in.n - pos : (1u << 30);
		z.next_in = (Bytef *)(uintptr_t)(in.p + pos);
		z.avail_in = (uInt)chunk;
		z.next_out = (Bytef *)out->p + out->n;
		z.avail_out = (uInt)want;
		int zr = inflate(&z, Z_NO_FLUSH);
		pos += chunk - z.avail_in;
		out->n += want - z.avail_out;
		out->p[out->n] = 0;
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_MEM_ERROR) {
			rc = -LADING_ENOMEM;
			break;
		}
		/* Z_BUF_ERROR or room left over: zlib wants input we do not have */
		if ((zr != Z_OK && zr != Z_BUF_ERROR) || (z.avail_out != 0 && pos == in.n)) {
			rc = -LADING_EFORMAT;
			break;
		}
	}
	inflateEnd(&z);
	return rc;
}

int rustbin_add_packages(file_run *run, sv compressed)
{
	buf json = {0};
	int rc = inflate_bounded(&json, compressed, MAX_JSON);
	if (rc == -LADING_ENOMEM)
		goto out;
	if (rc) {
		file_warn(run, "cargo-auditable data (.dep-v0): %s; skipped",
			  rc == -LADING_ELIMIT ? "inflates to more than 8 MiB" : "not a valid zlib stream");
		rc = 0;
		goto out;
	}
	json_error_t e;
	json_t *j = json_loadb(json.p, json.n, 0, &e);
	json_t *pkgs = json_object_get(j, "packages");
	if (!j || !json_is_array(pkgs)) {
		file_warn(run, "cargo-auditable data (.dep-v0): not the expected JSON (line %d: %s); skipped",
			  j ? 0 : e.line, j ? "no \"packages\" array" : e.text);
		json_decref(j);
		goto out;
	}
	size_t n = json_array_size(pkgs);
	if (n > MAX_CRATES) {
		file_warn(run, "cargo-auditable data lists %zu crates; only the first %d read", n,
			  MAX_CRATES);
		n = MAX_CRATES;
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		json_t *p = json_array_get(pkgs, i);
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *version = json_string_value(json_object_get(p, "version"));
		const char *kind = json_string_value(json_object_get(p, "kind"));
		if (!name || !*name || !version || !*version) {
			file_warn(run, "cargo-auditable data: crate %zu has no name or version; skipped", i);
			continue;
		}
		if (kind && strcmp(kind, "build") == 0)
			continue;
		lading_package pk = {
		    .type = LADING_PKG_CARGO, .name = name, .version = version, .db_path = run->path};
		rc = inv_add_package(run->inv, &pk);
	}
	json_decref(j);
out:
	buf_free(&json);
	return rc;
}

int rustbin_catalog(file_run *run, const elf_file *elf)
{
	const elf_section *s = elf_section_by_name(elf, ".dep-v0");
	if (!s)
		return 0;
	sv data;
	if (!elf_section_data(elf, s, &data)) {
		file_warn(run, "cargo-auditable section .dep-v0 lies outside the file; skipped");
		return 0;
	}
	return rustbin_add_packages(run, data);
}
