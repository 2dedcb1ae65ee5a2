/* libFuzzer harness for vcmp_go: the input is up to three versions separated
 * by tabs. Each is copied to a buffer of exactly its length (so ASan sees any
 * read past it), and the comparator must be a total preorder on the valid
 * ones: reflexive, antisymmetric and transitive. abort() on a violation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "version/version.h"

#define CMP vcmp_go

static int sign(int x) { return (x > 0) - (x < 0); }

/* 0 and the sign, or 2 when either side is invalid. */
static int cmp(sv a, sv b)
{
	int r = 0;
	int rc = CMP(&r, a, b);
	if (rc == -LADING_EINVAL)
		return 2;
	if (rc != 0)
		abort();
	return sign(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *v[3] = {0};
	sv s[3];
	size_t start = 0, n = 0;
	for (size_t i = 0; i <= size && n < 3; i++) {
		if (i < size && data[i] != '\t')
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
	for (size_t i = 0; i < n; i++) {
		int self = cmp(s[i], s[i]);
		if (self != 0 && self != 2)
			abort(); /* reflexive */
		for (size_t j = 0; j < n; j++) {
			int x = cmp(s[i], s[j]), y = cmp(s[j], s[i]);
			if ((x == 2) != (y == 2) || (x != 2 && x != -y))
				abort(); /* antisymmetric, and validity does not depend on the side */
			if (x == 2 && (self != 2 && cmp(s[j], s[j]) != 2))
				abort(); /* a pair is invalid only if one side is */
		}
	}
	if (n == 3) {
		for (size_t i = 0; i < 3; i++)
			for (size_t j = 0; j < 3; j++)
				for (size_t k = 0; k < 3; k++) {
					if (i == j || j == k || i == k)
						continue;
					int ab = cmp(s[i], s[j]), bc = cmp(s[j], s[k]), ac = cmp(s[i], s[k]);
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
out:
	for (size_t i = 0; i < 3; i++)
		free(v[i]);
	return 0;
}
