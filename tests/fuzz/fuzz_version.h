/* The body shared by the fuzz_version_<scheme>.c harnesses. The input is up to
 * three versions separated by `sep`; each is copied to a buffer of exactly its
 * length (so ASan sees any read past it), and the comparator must keep the
 * contract of src/version/version.h (0, or -LADING_EINVAL for an invalid
 * version; anything else aborts) and be a total preorder on the valid ones:
 * reflexive, antisymmetric, validity a property of each version and not of the
 * pair, and transitive unless the harness says the scheme is not.
 * abort() on a violation; any crash, overread or hang is a finding too. */
#ifndef LADING_FUZZ_VERSION_H
#define LADING_FUZZ_VERSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "version/version.h"

typedef int (*fuzz_vcmp)(int *out, sv a, sv b);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 0 and the sign, or 2 when either side is invalid. */
static int fuzz_version_cmp(fuzz_vcmp cmp, sv a, sv b)
{
	int r = 0;
	int rc = cmp(&r, a, b);
	if (rc == -LADING_EINVAL)
		return 2;
	if (rc != 0)
		abort();
	return (r > 0) - (r < 0);
}

static void fuzz_version_transitive(fuzz_vcmp cmp, const sv s[3])
{
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 3; j++)
			for (size_t k = 0; k < 3; k++) {
				if (i == j || j == k || i == k)
					continue;
				int ab = fuzz_version_cmp(cmp, s[i], s[j]), bc = fuzz_version_cmp(cmp, s[j], s[k]),
				    ac = fuzz_version_cmp(cmp, s[i], s[k]);
				if (ab == 2 || bc == 2)
					continue;
				if (ab <= 0 && bc <= 0 && !(ac <= 0))
					abort(); /* transitive */
				if (ab == 0 && bc == 0 && ac != 0)
					abort(); /* equality is transitive */
				if ((ab < 0 || bc < 0) && ab <= 0 && bc <= 0 && ac >= 0)
					abort(); /* a < b <= c means a < c */
			}
}

static int fuzz_version(const uint8_t *data, size_t size, fuzz_vcmp cmp, char sep, bool transitive)
{
	char *v[3] = {0};
	sv s[3];
	size_t start = 0, n = 0;
	for (size_t i = 0; i <= size && n < 3; i++) {
		if (i < size && data[i] != (uint8_t)sep)
			continue;
		size_t len = i - start;
		v[n] = malloc(len ? len : 1);
		if (!v[n])
			goto out;
		if (len)
			memcpy(v[n], data + start, len);
		s[n] = sv_make(v[n], len);
		n++;
		start = i + 1;
	}
	int self[3];
	for (size_t i = 0; i < n; i++) {
		self[i] = fuzz_version_cmp(cmp, s[i], s[i]);
		if (self[i] != 0 && self[i] != 2)
			abort(); /* reflexive */
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int x = fuzz_version_cmp(cmp, s[i], s[j]), y = fuzz_version_cmp(cmp, s[j], s[i]);
			if ((x == 2) != (y == 2) || (x != 2 && x != -y))
				abort(); /* antisymmetric, and validity does not depend on the side */
			if ((x == 2) != (self[i] == 2 || self[j] == 2))
				abort(); /* a pair is invalid exactly when one side is */
		}
	if (n == 3 && transitive)
		fuzz_version_transitive(cmp, s);
out:
	for (size_t i = 0; i < 3; i++)
		free(v[i]);
	return 0;
}

#endif
