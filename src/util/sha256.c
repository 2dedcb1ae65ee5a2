/* SHA-256 with the x86 SHA extensions, one stream or two interleaved, and
 * OpenSSL's EVP code as the fallback. One stream on SHA-NI waits on each
 * sha256rnds2 (the 32 of a block form one dependency chain), so the core has
 * idle issue slots that the rounds of a second, independent message fill:
 * lsha256_update2 gets close to twice the aggregate throughput of one stream.
 * The choice of implementation is made per context from cpuid in init (no
 * global state); the intrinsics are compiled with a target attribute so the
 * rest of the project builds without -msha, and are only called after cpuid
 * said yes. */
#include "util/sha256.h"

#include <string.h>

#include <openssl/evp.h>

#include "lading/lading.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

#define SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

static const uint32_t K256[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* The state as the SHA instructions want it: S0 = ABEF, S1 = CDGH (high to low). */
#define SHA_LOAD(h, S0, S1)                                                                                  \
	do {                                                                                                 \
		__m128i t_ = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&(h)[0]), 0xB1);             \
		S1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&(h)[4]), 0x1B);                     \
		S0 = _mm_alignr_epi8(t_, S1, 8);                                                             \
		S1 = _mm_blend_epi16(S1, t_, 0xF0);                                                          \
	} while (0)

#define SHA_STORE(h, S0, S1)                                                                                 \
	do {                                                                                                 \
		__m128i t_ = _mm_shuffle_epi32(S0, 0x1B);                                                    \
		__m128i u_ = _mm_shuffle_epi32(S1, 0xB1);                                                    \
		_mm_storeu_si128((__m128i *)&(h)[0], _mm_blend_epi16(t_, u_, 0xF0));                         \
		_mm_storeu_si128((__m128i *)&(h)[4], _mm_alignr_epi8(u_, t_, 8));                            \
	} while (0)

/* The message schedule is computed one group ahead of the rounds that use it,
 * spread between the rnds2 of the current group, as in Intel's reference code:
 * with M[i % 4] holding words 4i..4i+3, group i starts words 4i+12.. with
 * msg1 (and W[t-16]) and finishes words 4i+4.. with W[t-7] and msg2. Both
 * steps only apply where those words exist (i + 1 >= 4, i + 3 <= 15). */
#define SHA_LOAD_MSG(M, p)                                                                                   \
	do {                                                                                                 \
		for (int j_ = 0; j_ < 4; j_++)                                                               \
			M[j_] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)((p) + 16 * j_)), bswap);  \
	} while (0)

#define SHA_W(M, i) _mm_add_epi32(M[(i)&3], _mm_load_si128((const __m128i *)&K256[4 * (i)]))

#define SHA_MSG2(M, i)                                                                                       \
	do {                                                                                                 \
		if ((i) >= 3 && (i) <= 14)                                                                   \
			M[((i) + 1) & 3] = _mm_sha256msg2_epu32(                                             \
			    _mm_add_epi32(M[((i) + 1) & 3], _mm_alignr_epi8(M[(i)&3], M[((i) + 3) & 3], 4)), \
			    M[(i)&3]);                                                                       \
	} while (0)

#define SHA_MSG1(M, i)                                                                                       \
	do {                                                                                                 \
		if ((i) >= 1 && (i) <= 12)                                                                   \
			M[((i) + 3) & 3] = _mm_sha256msg1_epu32(M[((i) + 3) & 3], M[(i)&3]);                 \
	} while (0)

/* Rounds 4i..4i+3 are two rnds2 of two rounds each; ABEF and CDGH swap roles
 * between them and are back in place after the pair. */
#define SHA_GROUP(S0, S1, M, i)                                                                              \
	do {                                                                                                 \
		__m128i w_ = SHA_W(M, i);                                                                    \
		S1 = _mm_sha256rnds2_epu32(S1, S0, w_);                                                      \
		SHA_MSG2(M, i);                                                                              \
		S0 = _mm_sha256rnds2_epu32(S0, S1, _mm_shuffle_epi32(w_, 0x0E));                             \
		SHA_MSG1(M, i);                                                                              \
	} while (0)

/* The same for two streams, instruction by instruction alternating. */
#define SHA_GROUP2(A0, A1, MA, B0, B1, MB, i)                                                                \
	do {                                                                                                 \
		__m128i wa_ = SHA_W(MA, i), wb_ = SHA_W(MB, i);                                              \
		A1 = _mm_sha256rnds2_epu32(A1, A0, wa_);                                                     \
		B1 = _mm_sha256rnds2_epu32(B1, B0, wb_);                                                     \
		SHA_MSG2(MA, i);                                                                             \
		SHA_MSG2(MB, i);                                                                             \
		A0 = _mm_sha256rnds2_epu32(A0, A1, _mm_shuffle_epi32(wa_, 0x0E));                            \
		B0 = _mm_sha256rnds2_epu32(B0, B1, _mm_shuffle_epi32(wb_, 0x0E));                            \
		SHA_MSG1(MA, i);                                                                             \
		SHA_MSG1(MB, i);                                                                             \
	} while (0)

#define SHA_GROUPS(G)                                                                                        \
	G(0);                                                                                                \
	G(1);                                                                                                \
	G(2);                                                                                                \
	G(3);                                                                                                \
	G(4);                                                                                                \
	G(5);                                                                                                \
	G(6);                                                                                                \
	G(7);                                                                                                \
	G(8);                                                                                                \
	G(9);                                                                                                \
	G(10);                                                                                               \
	G(11);                                                                                               \
	G(12);                                                                                               \
	G(13);                                                                                               \
	G(14);                                                                                               \
	G(15)

/* Compresses `nblocks` 64-byte blocks of p into h. */
SHANI_TARGET static void shani_blocks(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i S0, S1, M[4];
	SHA_LOAD(h, S0, S1);
	for (; nblocks; nblocks--, p += 64) {
		__m128i save0 = S0, save1 = S1;
		SHA_LOAD_MSG(M, p);
#define G1(i) SHA_GROUP(S0, S1, M, i)
		SHA_GROUPS(G1);
#undef G1
		S0 = _mm_add_epi32(S0, save0);
		S1 = _mm_add_epi32(S1, save1);
	}
	SHA_STORE(h, S0, S1);
}

/* Compresses `nblocks` blocks of p into ha and as many of q into hb, the two
 * dependency chains interleaved group by group so that each fills the other's
 * sha256rnds2 latency. */
SHANI_TARGET static void shani_blocks2(uint32_t ha[8], const unsigned char *p, uint32_t hb[8],
				       const unsigned char *q, size_t nblocks)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i A0, A1, B0, B1, MA[4], MB[4];
	SHA_LOAD(ha, A0, A1);
	SHA_LOAD(hb, B0, B1);
	for (; nblocks; nblocks--, p += 64, q += 64) {
		__m128i sa0 = A0, sa1 = A1, sb0 = B0, sb1 = B1;
		SHA_LOAD_MSG(MA, p);
		SHA_LOAD_MSG(MB, q);
#define G2(i) SHA_GROUP2(A0, A1, MA, B0, B1, MB, i)
		SHA_GROUPS(G2);
#undef G2
		A0 = _mm_add_epi32(A0, sa0);
		A1 = _mm_add_epi32(A1, sa1);
		B0 = _mm_add_epi32(B0, sb0);
		B1 = _mm_add_epi32(B1, sb1);
	}
	SHA_STORE(ha, A0, A1);
	SHA_STORE(hb, B0, B1);
}

/* Whether the OS and CPU run AVX (vzeroupper exists). */
static int have_avx(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)) || !(c & (1u << 28)))
		return 0; /* OSXSAVE, AVX */
	unsigned lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 6) == 6; /* the OS saves XMM and YMM state */
}

/* The SHA instructions have only legacy SSE encodings. After AVX code that
 * left the upper halves of the vector registers dirty (ISA-L's inflate,
 * glibc's AVX-512 memcpy), every legacy SSE instruction pays for the mixed
 * state: measured in the layer walk, SHA-NI ran at 1.3 GB/s instead of 1.8,
 * and two interleaved streams gained nothing (2.4 GB/s after this). */
static void clear_upper(const lsha256 *s)
{
	if (s->vzeroupper)
		__asm__ volatile("vzeroupper" ::: "memory");
}

int lsha256_have_shani(void)
{
	unsigned a, b, c, d;
	/* SSSE3 (pshufb) and SSE4.1 (pblendw) are used beside the SHA instructions. */
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19)))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b & (1u << 29)) != 0; /* SHA */
}

#else /* !__x86_64__ */

/* Never called: lsha256_have_shani() is 0, so no context takes this path. */
static void shani_blocks(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
	(void)h;
	(void)p;
	(void)nblocks;
}

static void shani_blocks2(uint32_t ha[8], const unsigned char *p, uint32_t hb[8], const unsigned char *q,
			  size_t nblocks)
{
	(void)ha;
	(void)p;
	(void)hb;
	(void)q;
	(void)nblocks;
}

int lsha256_have_shani(void) { return 0; }

static int have_avx(void) { return 0; }

static void clear_upper(const lsha256 *s) { (void)s; }

#endif

static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

int lsha256_init_impl(lsha256 *s, int impl)
{
	memset(s, 0, sizeof(*s));
	if (impl == LSHA256_AUTO)
		impl = lsha256_have_shani() ? LSHA256_SHANI : LSHA256_OPENSSL;
	if (impl == LSHA256_SHANI) {
		if (!lsha256_have_shani())
			return -LADING_EUNSUPP;
		memcpy(s->h, H0, sizeof(H0));
		s->impl = LSHA256_SHANI;
		s->vzeroupper = have_avx();
		return 0;
	}
	if (impl != LSHA256_OPENSSL)
		return -LADING_EINVAL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -LADING_ENOMEM;
	if (!EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		return -LADING_ENOMEM;
	}
	s->evp = ctx;
	s->impl = LSHA256_OPENSSL;
	return 0;
}

int lsha256_init(lsha256 *s) { return lsha256_init_impl(s, LSHA256_AUTO); }

/* Completes a partial block from *p (compressing it once full) so that the
 * caller can go on with whole blocks straight from the input. */
static void shani_top_up(lsha256 *s, const unsigned char **p, size_t *n)
{
	size_t have = (size_t)(s->len & 63);
	if (!have || !*n)
		return;
	size_t take = 64 - have < *n ? 64 - have : *n;
	memcpy(s->buf + have, *p, take);
	s->len += take;
	*p += take;
	*n -= take;
	if (have + take == 64)
		shani_blocks(s->h, s->buf, 1);
}

static void shani_update(lsha256 *s, const unsigned char *p, size_t n)
{
	shani_top_up(s, &p, &n);
	if (n >= 64) {
		shani_blocks(s->h, p, n / 64);
		s->len += n & ~(size_t)63;
		p += n & ~(size_t)63;
		n &= 63;
	}
	if (n) {
		/* Here len % 64 is 0: either the top-up filled the block or there was none. */
		memcpy(s->buf, p, n);
		s->len += n;
	}
}

void lsha256_update(lsha256 *s, const void *p, size_t n)
{
	if (!n)
		return;
	if (s->impl == LSHA256_SHANI) {
		clear_upper(s);
		shani_update(s, p, n);
	} else if (s->impl == LSHA256_OPENSSL)
		EVP_DigestUpdate(s->evp, p, n);
}

void lsha256_update2(lsha256 *a, const void *p, size_t n, lsha256 *b, const void *q, size_t m)
{
	if (a == b || a->impl != LSHA256_SHANI || b->impl != LSHA256_SHANI) {
		lsha256_update(a, p, n);
		lsha256_update(b, q, m);
		return;
	}
	const unsigned char *pp = p, *qq = q;
	clear_upper(a);
	shani_top_up(a, &pp, &n);
	shani_top_up(b, &qq, &m);
	/* Each now either starts on a block boundary or has no input left. */
	size_t k = (n < m ? n : m) / 64;
	if (k) {
		shani_blocks2(a->h, pp, b->h, qq, k);
		a->len += 64 * k;
		b->len += 64 * k;
		pp += 64 * k;
		qq += 64 * k;
		n -= 64 * k;
		m -= 64 * k;
	}
	if (n)
		shani_update(a, pp, n);
	if (m)
		shani_update(b, qq, m);
}

void lsha256_update_parts(lsha256_part *parts, size_t k)
{
	for (;;) {
		size_t i1 = k, i2 = k; /* the longest part left, and the next */
		for (size_t i = 0; i < k; i++) {
			if (!parts[i].n)
				continue;
			if (i1 == k || parts[i].n > parts[i1].n) {
				i2 = i1;
				i1 = i;
			} else if (i2 == k || parts[i].n > parts[i2].n) {
				i2 = i;
			}
		}
		if (i1 == k)
			return;
		lsha256_part *a = &parts[i1];
		if (i2 == k) {
			lsha256_update(a->md, a->p, a->n);
			a->n = 0;
			return;
		}
		lsha256_part *b = &parts[i2];
		size_t n = b->n;
		lsha256_update2(a->md, a->p, n, b->md, b->p, n);
		a->p += n;
		a->n -= n;
		b->p += n;
		b->n = 0;
	}
}

static void put_be32(unsigned char *o, uint32_t v)
{
	o[0] = (unsigned char)(v >> 24);
	o[1] = (unsigned char)(v >> 16);
	o[2] = (unsigned char)(v >> 8);
	o[3] = (unsigned char)v;
}

void lsha256_final(lsha256 *s, unsigned char out[32])
{
	/* A digest that failed to come out as zeros never matches a real one, so a
	 * check against it fails rather than passes. */
	memset(out, 0, 32);
	if (s->impl == LSHA256_SHANI) {
		clear_upper(s);
		uint64_t bits = s->len * 8;
		size_t have = (size_t)(s->len & 63);
		s->buf[have++] = 0x80;
		if (have > 56) {
			memset(s->buf + have, 0, 64 - have);
			shani_blocks(s->h, s->buf, 1);
			have = 0;
		}
		memset(s->buf + have, 0, 56 - have);
		for (int i = 0; i < 8; i++)
			s->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
		shani_blocks(s->h, s->buf, 1);
		for (int i = 0; i < 8; i++)
			put_be32(out + 4 * i, s->h[i]);
	} else if (s->impl == LSHA256_OPENSSL) {
		unsigned len = 0;
		if (!EVP_DigestFinal_ex(s->evp, out, &len) || len != 32)
			memset(out, 0, 32);
	}
	lsha256_free(s);
}

void lsha256_free(lsha256 *s)
{
	if (s->evp)
		EVP_MD_CTX_free(s->evp);
	s->evp = NULL;
	s->impl = 0;
}
