/* The findings container's private side: the matcher fills it, and tests and
 * writers' fuzzers build one by hand with findings_new/findings_add. */
#ifndef LADING_MATCH_PRIV_H
#define LADING_MATCH_PRIV_H

#include "lading/match.h"
#include "util/util.h"

struct lading_findings {
	arena a;
	VEC(lading_finding) v;
	const char *os_ns;
	int os_has_data;
	size_t suppressed;
	VEC(lading_finding) vex; /* removed by a VEX statement, kept for the reports */
	/* The image the findings are about, for VEX products (lading_match
	 * copies them from the inventory): its purl (purl_image, without a
	 * digest when it has none), manifest digest and repository[:tag]. */
	const char *image_purl, *image_digest, *image_name;
};

int findings_new(lading_findings **out);
/* Deep-copies `f` (strings and aliases/urls arrays) into the container. */
int findings_add(lading_findings *fs, const lading_finding *f);
/* Sorts by package, severity (highest first), id. */
void findings_sort(lading_findings *fs);

/* Reads the file a caller named for a filter into `out` (input.c), bounded
 * by max_file_size: "limit.file_size", or `unreadable` (a reason token) when
 * it cannot be opened or read; `what` names it in messages ("the ignore
 * file"). */
int match_read_input(buf *out, lading_ctx *ctx, const char *path, const char *what, const char *unreadable);

/* VEX (vex.c): the statements of a filter's OpenVEX documents, read once
 * and then asked about each finding. */
typedef struct vex_set vex_set;
/* Reads o->vex_files and o->vex_docs into *out (NULL when there are none).
 * Fails naming the document: not JSON, duplicate keys, not OpenVEX, too
 * large, too many statements. */
int vex_load(vex_set **out, lading_ctx *ctx, const lading_filter *o);
void vex_free(vex_set *v);
/* Sets f's vex_* fields (strings copied into fs's arena) from the latest
 * statement that applies to it, and *suppress when that statement removes
 * it. 0 or -LADING_ENOMEM. */
int vex_decide(vex_set *v, lading_findings *fs, lading_finding *f, bool *suppress);

#endif
