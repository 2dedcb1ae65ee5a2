/* Small helpers shared by the language-ecosystem version comparators
 * (semver, go, pep440, maven, gem): ASCII character classes that ignore the
 * locale, and comparison of digit runs of any length without converting them
 * to integers, so a hostile "99999999999999999999999" cannot overflow. */
#ifndef LADING_VERSION_VPARSE_H
#define LADING_VERSION_VPARSE_H

#include <stdbool.h>

#include "util/util.h"

static inline bool vp_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline bool vp_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline bool vp_alnum(unsigned char c) { return vp_digit(c) || vp_alpha(c); }
static inline unsigned char vp_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}
static inline int vp_sign(int x) { return (x > 0) - (x < 0); }

/* True if s is non-empty and all ASCII digits. */
bool vp_all_digits(sv s);
/* Compares two runs of ASCII digits as non-negative integers: leading zeros
 * are skipped, then the longer run is larger, then the first differing digit
 * decides. Returns -1, 0 or 1. */
int vp_numcmp(sv a, sv b);
/* True if the digit run is zero (empty counts as zero). */
bool vp_numzero(sv a);
/* Bytewise comparison, a proper prefix sorting first (strcmp order). */
int vp_bytecmp(sv a, sv b);
/* Same after ASCII lower-casing both sides. */
int vp_casecmp(sv a, sv b);
/* Case-insensitive equality with a lower-case literal. */
bool vp_ieq(sv a, const char *lit);
/* Drops leading and trailing bytes found in `set` (a NUL-terminated list). */
sv vp_trim(sv s, const char *set);

/* A SemVer pre-release: the dot-separated identifiers of part[0] followed by
 * those of part[1] (two parts so that Go's "go1.21rc2" can present "rc" and
 * "2" without building a string). Empty parts contribute nothing. */
typedef struct vp_ids {
	sv part[2];
} vp_ids;
/* SemVer 2.0.0 precedence of two non-empty identifier lists: identifiers
 * pairwise, numeric ones by value and below alphanumeric ones, others
 * bytewise; a list that runs out first sorts first. */
int vp_ids_cmp(vp_ids a, vp_ids b);
/* True when the list has no identifiers. */
bool vp_ids_empty(vp_ids a);
/* Checks a dot-separated identifier list: each identifier non-empty, made of
 * [0-9A-Za-z-], and (if `strict_num`) a numeric one without leading zeros. */
bool vp_ids_valid(sv s, bool strict_num);

#endif
