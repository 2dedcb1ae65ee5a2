/* Benchmark tool: single-core SHA-256 throughput of OpenSSL's EVP (one
 * stream), lsha256 (one stream) and lsha256_update2 (two streams, aggregate
 * bytes of both), on a warm buffer. It also checks that the three agree, so a
 * fast wrong answer cannot pass as a result.
 *
 *   sha256bench [MiB [REPS]]   buffer size in MiB (default 256); two-stream
 *                              hashes the two halves of the buffer as its two
 *                              messages. Each figure is the best of REPS runs
 *                              (default 5), the machine being shared.
 *
 * A last figure feeds update2 a quarter and three quarters of the buffer, in
 * proportional pieces, like a gzip layer's compressed and uncompressed bytes:
 * only the shorter message's share runs two-stream, so that is the gain the
 * layer walk can expect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "util/sha256.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void hex(char out[65], const unsigned char d[32])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* OpenSSL over [p, p+n) in 1 MiB updates, like the layer walk's reads. */
static void ossl(unsigned char out[32], const unsigned char *p, size_t n)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned len;
	if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL)) {
		fprintf(stderr, "sha256bench: EVP init failed\n");
		exit(1);
	}
	for (size_t o = 0; o < n; o += 1 << 20)
		EVP_DigestUpdate(c, p + o, n - o < (1 << 20) ? n - o : (1 << 20));
	EVP_DigestFinal_ex(c, out, &len);
	EVP_MD_CTX_free(c);
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	if (mib < 2 || mib > 1 << 14 || reps < 1 || reps > 1000) {
		fprintf(stderr, "usage: sha256bench [MiB 2..16384 [REPS 1..1000]]\n");
		return 2;
	}
	size_t n = mib << 20, half = n / 2;
	unsigned char *buf = malloc(n);
	if (!buf) {
		fprintf(stderr, "sha256bench: out of memory\n");
		return 1;
	}
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		buf[i] = (unsigned char)x;
	}
	printf("buffer %zu MiB, best of %d, sha-ni %s\n", mib, reps, lsha256_have_shani() ? "yes" : "no");

	unsigned char ref[32], ra[32], rb[32], d[32], da[32], db[32];
	char h1[65], h2[65];
	ossl(ref, buf, n); /* warm-up: pages faulted in, caches and clocks settled */

	double t_ossl = 1e30, t_one = 1e30, t_two = 1e30, t_q = 1e30, t;
	size_t quarter = n / 4;
	unsigned char rq1[32], rq3[32], dq1[32], dq3[32];
	ossl(ra, buf, half);
	ossl(rb, buf + half, n - half);
	ossl(rq1, buf, quarter);
	ossl(rq3, buf + quarter, n - quarter);
	lsha256 s, a, b;
	for (int r = 0; r < reps; r++) {
		t = now();
		ossl(ref, buf, n);
		t = now() - t;
		t_ossl = t < t_ossl ? t : t_ossl;

		t = now();
		if (lsha256_init(&s))
			return 1;
		for (size_t o = 0; o < n; o += 1 << 20)
			lsha256_update(&s, buf + o, n - o < (1 << 20) ? n - o : (1 << 20));
		lsha256_final(&s, d);
		t = now() - t;
		t_one = t < t_one ? t : t_one;

		t = now();
		if (lsha256_init(&a) || lsha256_init(&b))
			return 1;
		for (size_t o = 0; o < half; o += 1 << 20) {
			size_t k = half - o < (1 << 20) ? half - o : (1 << 20);
			lsha256_update2(&a, buf + o, k, &b, buf + half + o, k);
		}
		lsha256_final(&a, da);
		lsha256_final(&b, db);
		t = now() - t;
		t_two = t < t_two ? t : t_two;

		t = now();
		if (lsha256_init(&a) || lsha256_init(&b))
			return 1;
		for (size_t o = 0; o < quarter; o += 1 << 18) {
			size_t k = quarter - o < (1 << 18) ? quarter - o : (1 << 18);
			lsha256_update2(&a, buf + o, k, &b, buf + quarter + 3 * o, 3 * k);
		}
		lsha256_update(&b, buf + 4 * quarter, n - 4 * quarter);
		lsha256_final(&a, dq1);
		lsha256_final(&b, dq3);
		t = now() - t;
		t_q = t < t_q ? t : t_q;
	}

	int bad = 0;
	if (memcmp(d, ref, 32) || memcmp(da, ra, 32) || memcmp(db, rb, 32) || memcmp(dq1, rq1, 32) ||
	    memcmp(dq3, rq3, 32)) {
		hex(h1, d), hex(h2, ref);
		fprintf(stderr, "MISMATCH lsha256 %s openssl %s\n", h1, h2);
		bad = 1;
	}
	double mb = (double)n / 1e6;
	printf("openssl EVP, one stream      %8.1f MB/s\n", mb / t_ossl);
	printf("lsha256_update, one stream   %8.1f MB/s\n", mb / t_one);
	printf("lsha256_update2, two streams %8.1f MB/s aggregate (%.2fx openssl)\n", mb / t_two,
	       t_ossl / t_two);
	printf("lsha256_update2, 1:3 messages %7.1f MB/s aggregate (%.2fx openssl)\n", mb / t_q,
	       t_ossl / t_q);
	free(buf);
	return bad;
}
