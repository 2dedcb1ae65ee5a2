/* The comparators behind lading_version_cmp(), one file each. Same contract:
 * 0 and *out = sign of (a - b), or -LADING_EINVAL for an invalid version. */
#ifndef LADING_VERSION_PRIV_H
#define LADING_VERSION_PRIV_H

#include "lading/lading.h"
#include "lading/version.h"
#include "util/util.h"

int vcmp_dpkg(int *out, sv a, sv b);
int vcmp_rpm(int *out, sv a, sv b);
int vcmp_apk(int *out, sv a, sv b);
int vcmp_semver(int *out, sv a, sv b);
int vcmp_go(int *out, sv a, sv b);
int vcmp_pep440(int *out, sv a, sv b);
int vcmp_maven(int *out, sv a, sv b);
int vcmp_gem(int *out, sv a, sv b);
/* Upstream versions without a declared scheme (binary classifiers, NVD); see generic.c. */
int vcmp_generic(int *out, sv a, sv b);
/* Composer versions: "v1.2.3" and "1.2.3" are the same; then as generic. */
int vcmp_composer(int *out, sv a, sv b);

#endif
