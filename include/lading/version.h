/* Version comparison, one comparator per versioning scheme, all with the same
 * signature. These are what decide "is the installed version below the fixed
 * one", so each is checked against its ecosystem's real implementation. */
#ifndef LADING_VERSION_H
#define LADING_VERSION_H

#include "lading/export.h"
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lading_vscheme {
	LADING_VS_DPKG = 1,   /* Debian, Ubuntu: [epoch:]upstream[-revision], '~' sorts first */
	LADING_VS_RPM = 2,    /* rpmvercmp on [E:]V-R, '~' and '^' */
	LADING_VS_APK = 3,    /* apk-tools: 1.2.3_rc1-r0, suffixes _alpha.._p, -rN */
	LADING_VS_SEMVER = 4, /* SemVer 2.0 (npm, crates.io, NuGet when SemVer), leading 'v' allowed */
	LADING_VS_GO = 5,     /* Go modules: v-prefixed semver, +incompatible, pseudo-versions */
	LADING_VS_PEP440 = 6, /* Python: epochs, pre/post/dev releases, local versions */
	LADING_VS_MAVEN = 7,  /* Maven ComparableVersion */
	LADING_VS_GEM = 8,    /* RubyGems Gem::Version */
	LADING_VS_GENERIC = 9,/* upstream versions of no declared scheme (classifiers, NVD) */
	LADING_VS_COMPOSER = 10, /* Composer (Packagist): the generic rules after an optional "v" */
} lading_vscheme;

/* "dpkg", "rpm", "apk", "semver", "go", "pep440", "maven", "gem", "generic", "composer". */
LADING_EXTERN const char *lading_vscheme_name(lading_vscheme s);
/* Parses a scheme name as above; returns 0 and sets *out, or -LADING_EINVAL. */
LADING_EXTERN int lading_vscheme_parse(lading_vscheme *out, const char *name);

/* Compares versions a and b (each `alen`/`blen` bytes, not necessarily
 * NUL-terminated) under `scheme`: *out < 0 if a sorts before b, 0 if they are
 * equal, > 0 if after. Returns 0, or -LADING_EINVAL if either is not a valid
 * version of the scheme (then *out is unspecified: callers must not guess). */
LADING_EXTERN int lading_version_cmp(int *out, lading_vscheme scheme, const char *a, size_t alen, const char *b,
		       size_t blen);

#ifdef __cplusplus
}
#endif
#endif
