/* Package URL parsing (https://github.com/package-url/purl-spec): the part of
 * the spec SBOM input needs. Components come from other tools' files, so
 * everything is bounded and percent-decoding rejects malformed escapes. */
#ifndef LADING_PURL_H
#define LADING_PURL_H

#include "lading/inventory.h"
#include "util/util.h"

enum { PURL_MAX_QUALIFIERS = 16 };

typedef struct purl {
	char *type;      /* lowercased: "deb", "apk", "rpm", "npm", … */
	char *ns;        /* namespace, decoded, segments joined by '/'; NULL if none */
	char *name;      /* decoded */
	char *version;   /* decoded; NULL if none */
	size_t nq;
	struct {
		char *key;   /* lowercased */
		char *value; /* decoded */
	} q[PURL_MAX_QUALIFIERS];
	char *subpath;
} purl;

/* Parses `s` into *out (strings allocated in `a`). Returns 0 or
 * -LADING_EFORMAT for anything that is not a purl. */
int purl_parse(purl *out, arena *a, sv s);
/* The value of qualifier `key`, or NULL. */
const char *purl_qualifier(const purl *p, const char *key);

/* The image's purl, "pkg:oci/<name>@sha256%3A…?arch=…&repository_url=…&tag=…"
 * (what the SBOM writers name the image by, and what VEX products are
 * matched against), allocated in `a`. NULL without a name, or without a
 * manifest digest when `need_digest` (a purl without its version names
 * every image of that repository: fine to match against, not to name one). */
const char *purl_image(arena *a, const lading_image_info *img, bool need_digest);

#endif
