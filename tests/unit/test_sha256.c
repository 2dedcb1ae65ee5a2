/* Tests for src/util/sha256.c on both implementations (SHA-NI and the OpenSSL
 * fallback, forced with lsha256_init_impl). The FIPS 180-2 vectors are the
 * standard's own; everything else is generated input (pseudo-random bytes,
 * lengths and split points from a fixed seed, so a failure reproduces) checked
 * against the reference implementation, OpenSSL's one-shot EVP_Digest, which
 * is the oracle. No corpus is needed: a digest does not depend on what the
 * bytes mean. */
#include "testutil.h"

#include <stdbool.h>

#include <openssl/evp.h>

#include "util/sha256.h"

static const int impls[] = {LSHA256_SHANI, LSHA256_OPENSSL};
static const char *const impl_names[] = {"sha-ni", "openssl"};
#define NIMPL 2

/* Inits `s` with impl, or returns false (having said so) when this CPU lacks it. */
static bool init_or_skip(lsha256 *s, int impl)
{
	int rc = lsha256_init_impl(s, impl);
	if (rc == -LADING_EUNSUPP && impl == LSHA256_SHANI) {
		static int said;
		if (!said++)
			fprintf(stderr, "SKIP sha-ni cases: SHA-NI not available on this CPU or build\n");
		return false;
	}
	assert_int_equal(rc, 0);
	return true;
}

static void oracle(unsigned char out[32], const void *p, size_t n)
{
	unsigned len = 0;
	assert_int_equal(EVP_Digest(n ? p : "", n, out, &len, EVP_sha256(), NULL), 1);
	assert_int_equal(len, 32);
}

static void hex32(char out[65], const unsigned char d[32])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static uint64_t rng_state;
static uint64_t rnd(void) { return testutil_rnd(&rng_state); }
static size_t rnd_below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }
static void rnd_fill(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(rnd() >> 56);
}

/* A chunk length: mostly small and odd (to land on every offset in a block),
 * sometimes large (to take the whole-block paths). */
static size_t rnd_chunk(size_t left)
{
	size_t c = rnd_below(4) ? rnd_below(150) : rnd_below(300000);
	return c < left ? c : left;
}

static void test_fips_vectors(void **state)
{
	(void)state;
	static const struct {
		const char *msg;
		const char *hex;
	} v[] = {
	    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	};
	char got[65];
	unsigned char d[32];
	for (int k = 0; k < NIMPL; k++) {
		for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			lsha256 s;
			if (!init_or_skip(&s, impls[k]))
				continue;
			lsha256_update(&s, v[i].msg, strlen(v[i].msg));
			lsha256_final(&s, d);
			hex32(got, d);
			assert_string_equal(got, v[i].hex);
		}
		/* One million 'a', fed in pieces of 1000 through both entry points. */
		lsha256 s, t;
		if (!init_or_skip(&s, impls[k]) || !init_or_skip(&t, impls[k]))
			continue;
		char a[1000];
		memset(a, 'a', sizeof(a));
		for (int i = 0; i < 1000; i++)
			lsha256_update2(&s, a, sizeof(a), &t, a, i % 2 ? sizeof(a) : 0);
		for (int i = 0; i < 500; i++)
			lsha256_update(&t, a, sizeof(a));
		const char *want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
		lsha256_final(&s, d);
		hex32(got, d);
		assert_string_equal(got, want);
		lsha256_final(&t, d);
		hex32(got, d);
		assert_string_equal(got, want);
	}
}

/* Every length from 0 to 300 in one update: each position of the 0x80 byte
 * and of the length field in the padding, across the one- and two-block cases. */
static void test_all_short_lengths(void **state)
{
	(void)state;
	unsigned char msg[300], want[32], got[32];
	rng_state = 0x1234567;
	rnd_fill(msg, sizeof(msg));
	for (int k = 0; k < NIMPL; k++) {
		for (size_t n = 0; n <= sizeof(msg); n++) {
			lsha256 s;
			if (!init_or_skip(&s, impls[k]))
				break;
			lsha256_update(&s, msg, n);
			lsha256_final(&s, got);
			oracle(want, msg, n);
			if (memcmp(got, want, 32))
				fail_msg("%s: length %zu differs from OpenSSL", impl_names[k], n);
		}
	}
}

/* Random messages (0..~1 MiB) fed to lsha256_update at random split points. */
static void test_update_random_splits(void **state)
{
	(void)state;
	size_t cap = (1 << 20) + 777;
	unsigned char *msg = malloc(cap), want[32], got[32];
	assert_non_null(msg);
	rng_state = 0x5eed0001;
	for (int k = 0; k < NIMPL; k++) {
		for (int iter = 0; iter < 60; iter++) {
			size_t n = iter % 3 ? rnd_below(cap + 1) : rnd_below(5000);
			rnd_fill(msg, n);
			lsha256 s;
			if (!init_or_skip(&s, impls[k]))
				break;
			for (size_t off = 0; off < n;) {
				size_t c = rnd_chunk(n - off);
				lsha256_update(&s, msg + off, c);
				off += c;
			}
			lsha256_final(&s, got);
			oracle(want, msg, n);
			if (memcmp(got, want, 32))
				fail_msg("%s: iteration %d (length %zu) differs from OpenSSL", impl_names[k],
					 iter, n);
		}
	}
	free(msg);
}

/* Two random messages of unequal lengths fed together through lsha256_update2
 * in pieces of unrelated, odd sizes (one side often empty), for every pairing
 * of implementations: each digest must be the oracle's for its own message. */
static void test_update2_random_splits(void **state)
{
	(void)state;
	size_t cap = (1 << 20) + 333;
	unsigned char *m1 = malloc(cap), *m2 = malloc(cap), w1[32], w2[32], g1[32], g2[32];
	assert_non_null(m1);
	assert_non_null(m2);
	rng_state = 0x5eed0002;
	for (int ka = 0; ka < NIMPL; ka++) {
		for (int kb = 0; kb < NIMPL; kb++) {
			for (int iter = 0; iter < 40; iter++) {
				size_t n1 = iter % 4 ? rnd_below(cap + 1) : rnd_below(3000);
				size_t n2 = iter % 5 ? rnd_below(cap + 1) : rnd_below(3000);
				rnd_fill(m1, n1);
				rnd_fill(m2, n2);
				lsha256 a, b;
				if (!init_or_skip(&a, impls[ka]))
					break;
				if (!init_or_skip(&b, impls[kb])) {
					lsha256_free(&a);
					break;
				}
				size_t o1 = 0, o2 = 0;
				while (o1 < n1 || o2 < n2) {
					size_t c1 = rnd_chunk(n1 - o1), c2 = rnd_chunk(n2 - o2);
					/* an empty side is passed as NULL, as a caller with nothing would */
					lsha256_update2(&a, c1 ? m1 + o1 : NULL, c1, &b, c2 ? m2 + o2 : NULL,
							c2);
					o1 += c1;
					o2 += c2;
				}
				lsha256_final(&a, g1);
				lsha256_final(&b, g2);
				oracle(w1, m1, n1);
				oracle(w2, m2, n2);
				if (memcmp(g1, w1, 32) || memcmp(g2, w2, 32))
					fail_msg(
					    "%s+%s: iteration %d (lengths %zu, %zu) differs from OpenSSL",
					    impl_names[ka], impl_names[kb], iter, n1, n2);
			}
		}
	}
	free(m1);
	free(m2);
}

/* lsha256_update_parts with one to five messages, fed in pieces of random
 * sizes (often empty), mixing both implementations: each digest must be the
 * oracle's for its own message. */
static void test_update_parts_random(void **state)
{
	(void)state;
	enum { K = 5 };
	size_t cap = 600000;
	unsigned char *m[K], want[32], got[32];
	for (int i = 0; i < K; i++) {
		m[i] = malloc(cap);
		assert_non_null(m[i]);
	}
	rng_state = 0x5eed0004;
	for (int iter = 0; iter < 60; iter++) {
		size_t k = 1 + rnd_below(K), len[K], off[K] = {0};
		lsha256 md[K];
		bool ok = true;
		for (size_t i = 0; i < k; i++) {
			len[i] = rnd_below(4) ? rnd_below(cap + 1) : rnd_below(500);
			rnd_fill(m[i], len[i]);
			if (!init_or_skip(&md[i], impls[(iter + i) % NIMPL]) && !init_or_skip(&md[i], LSHA256_OPENSSL))
				ok = false;
		}
		assert_true(ok);
		for (;;) {
			lsha256_part parts[K];
			bool any = false;
			for (size_t i = 0; i < k; i++) {
				size_t c = rnd_chunk(len[i] - off[i]);
				parts[i] = (lsha256_part){&md[i], c ? m[i] + off[i] : NULL, c};
				off[i] += c;
				any |= off[i] < len[i] || c;
			}
			lsha256_update_parts(parts, k);
			for (size_t i = 0; i < k; i++)
				assert_int_equal(parts[i].n, 0);
			if (!any)
				break;
		}
		for (size_t i = 0; i < k; i++) {
			lsha256_final(&md[i], got);
			oracle(want, m[i], len[i]);
			if (memcmp(got, want, 32))
				fail_msg("iteration %d, part %zu of %zu (length %zu) differs from OpenSSL", iter, i, k,
					 len[i]);
		}
	}
	for (int i = 0; i < K; i++)
		free(m[i]);
}

/* update2 with the same context on both sides is the two updates in order. */
static void test_update2_same_context(void **state)
{
	(void)state;
	unsigned char msg[5000], want[32], got[32];
	rng_state = 0x5eed0003;
	rnd_fill(msg, sizeof(msg));
	oracle(want, msg, sizeof(msg));
	for (int k = 0; k < NIMPL; k++) {
		lsha256 s;
		if (!init_or_skip(&s, impls[k]))
			continue;
		lsha256_update2(&s, msg, 1000, &s, msg + 1000, 1500);
		lsha256_update2(&s, msg + 2500, 2499, &s, msg + 4999, 1);
		lsha256_final(&s, got);
		assert_memory_equal(got, want, 32);
	}
}

/* Context life cycle: auto picks an implementation that gives the right
 * digest, free is safe after final and twice, an unknown impl is refused. */
static void test_lifecycle(void **state)
{
	(void)state;
	lsha256 s;
	unsigned char want[32], got[32];
	assert_int_equal(lsha256_init(&s), 0);
	assert_int_equal(s.impl, lsha256_have_shani() ? LSHA256_SHANI : LSHA256_OPENSSL);
	lsha256_update(&s, "abc", 3);
	lsha256_final(&s, got);
	oracle(want, "abc", 3);
	assert_memory_equal(got, want, 32);
	lsha256_free(&s);
	lsha256_free(&s);
	assert_null(s.evp);

	assert_int_equal(lsha256_init_impl(&s, LSHA256_OPENSSL), 0);
	assert_non_null(s.evp);
	lsha256_update(&s, "abc", 3);
	lsha256_free(&s); /* abandoned without final: the EVP context is released (ASan checks) */
	assert_null(s.evp);

	assert_int_equal(lsha256_init_impl(&s, 42), -LADING_EINVAL);
	assert_null(s.evp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fips_vectors),	 cmocka_unit_test(test_all_short_lengths),
	    cmocka_unit_test(test_update_random_splits), cmocka_unit_test(test_update2_random_splits),
	    cmocka_unit_test(test_update2_same_context), cmocka_unit_test(test_lifecycle),
	    cmocka_unit_test(test_update_parts_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
