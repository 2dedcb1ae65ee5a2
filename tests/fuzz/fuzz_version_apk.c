/* libFuzzer harness for the apk version comparator (src/version/apk.c). The
 * input is split on '\n' into up to three versions a, b, c; the harness
 * aborts unless the comparator is reflexive (cmp(x,x) == 0 for a valid x),
 * antisymmetric (cmp(a,b) == -cmp(b,a), validity included) and transitive
 * over the triple (a <= b <= c implies a <= c, with equality carried
 * through). Any crash, overread or hang is a finding too. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "version/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp(sv x, sv y, int *ok)
{
	int r = 0;
	*ok = vcmp_apk(&r, x, y) == 0;
	return (r > 0) - (r < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sv in = sv_make(data, size), v[3];
	int n = 0;
	while (n < 3) {
		size_t nl = sv_find(in, '\n');
		if (nl == SIZE_MAX) {
			v[n++] = in;
			break;
		}
		v[n++] = sv_make(in.p, nl);
		in = sv_make(in.p + nl + 1, in.n - nl - 1);
	}
	int ok, ok2, valid[3];
	for (int i = 0; i < n; i++) {
		int r = cmp(v[i], v[i], &ok);
		valid[i] = ok;
		if (ok && r != 0)
			abort(); /* not reflexive */
	}
	int c[3][3];
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			c[i][j] = cmp(v[i], v[j], &ok);
			if (ok != (valid[i] && valid[j]))
				abort(); /* validity must be per version, not per pair */
			if (i < j) {
				int back = cmp(v[j], v[i], &ok2);
				if (ok && c[i][j] != -back)
					abort(); /* not antisymmetric */
			}
		}
	if (n == 3 && valid[0] && valid[1] && valid[2])
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				for (int k = 0; k < 3; k++) {
					if (i == j || j == k || i == k)
						continue;
					if (c[i][j] <= 0 && c[j][k] <= 0 && c[i][k] > 0)
						abort(); /* a <= b <= c but a > c */
					if (c[i][j] == 0 && c[j][k] == 0 && c[i][k] != 0)
						abort(); /* equality not transitive */
					if (c[i][j] < 0 && c[j][k] <= 0 && c[i][k] >= 0)
						abort(); /* a < b <= c but a >= c */
				}
	return 0;
}
