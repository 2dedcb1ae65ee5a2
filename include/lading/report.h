/* Writers: pure functions from an inventory to bytes. They only read the
 * inventory and findings, so several threads may render the same ones at
 * once; a streaming callback is called on the rendering thread. */
#ifndef LADING_REPORT_H
#define LADING_REPORT_H

#include "lading/export.h"
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lading_inventory lading_inventory;

typedef enum lading_format {
	LADING_FMT_TABLE = 1,
	LADING_FMT_JSON = 2,
	LADING_FMT_CYCLONEDX = 3,
	LADING_FMT_SPDX = 4,
	LADING_FMT_SARIF = 5, /* scan results only */
} lading_format;

/* Parses "table", "json", "cyclonedx" (also "cdx"), "spdx" (also "spdx-json"), "sarif".
 * Returns 0 and sets *out, or -LADING_EINVAL. */
LADING_EXTERN int lading_format_parse(lading_format *out, const char *name);

typedef struct lading_report_options {
	size_t struct_size;      /* sizeof(lading_report_options) */
	/* Fixed values make output byte-for-byte reproducible (tests, diffs):
	 * a timestamp like "2024-01-01T00:00:00Z" and a UUID serial. NULL = now / random. */
	const char *timestamp;
	const char *serial;
	int color;               /* table: use ANSI colour */
} lading_report_options;

/* Renders `inv` as `fmt` into a malloc'd buffer (*out, *len; NUL-terminated).
 * `opts` may be NULL. */
LADING_EXTERN int lading_report_render(char **out, size_t *len, const lading_inventory *inv, lading_format fmt,
			 const lading_report_options *opts);

typedef struct lading_findings lading_findings;

/* Renders scan results: the inventory plus its findings, as table, json,
 * sarif or cyclonedx (the SBOM plus `vulnerabilities`). -LADING_EINVAL for
 * spdx. */
LADING_EXTERN int lading_report_render_scan(char **out, size_t *len, const lading_inventory *inv, const lading_findings *f,
			      lading_format fmt, const lading_report_options *opts);

/* Where a streamed report goes: called with consecutive pieces of the
 * output (64 KiB or so each, and the rest at the end), on the calling
 * thread. Return 0 to go on; anything else stops the report, which then
 * returns -LADING_EIO (curl's habit: the sink decides). */
typedef int (*lading_write_fn)(void *userdata, const void *data, size_t len);

/* lading_report_render and lading_report_render_scan, streamed to `write`
 * instead of one malloc'd buffer: the output is handed over as it is made
 * (the table row by row, the JSON formats as they are serialised), so what
 * is held at once is a piece, not the whole report. The bytes are exactly
 * those of the render functions. */
LADING_EXTERN int lading_report_write(const lading_inventory *inv, lading_format fmt,
				      const lading_report_options *opts, lading_write_fn write, void *userdata);
LADING_EXTERN int lading_report_write_scan(const lading_inventory *inv, const lading_findings *f,
					   lading_format fmt, const lading_report_options *opts,
					   lading_write_fn write, void *userdata);

#ifdef __cplusplus
}
#endif
#endif
