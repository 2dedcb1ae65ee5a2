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
};

int findings_new(lading_findings **out);
/* Deep-copies `f` (strings and aliases/urls arrays) into the container. */
int findings_add(lading_findings *fs, const lading_finding *f);
/* Sorts by package, severity (highest first), id. */
void findings_sort(lading_findings *fs);

#endif
