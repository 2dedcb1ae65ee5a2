/* Tests for src/image/twin.c, the two-walks-per-thread scheduler. The "walks"
 * here are generated jobs (pseudo-random messages from a fixed seed, hashed in
 * pieces of random sizes through twin_hash), driven by the same loop as
 * scan.c's worker; every digest is checked against OpenSSL's one-shot
 * EVP_Digest, the oracle. What is tested: the digests whatever the
 * interleaving, that updates really are paired while two jobs run, that a job
 * left waiting when the other ends is hashed, jobs that never hash, and that a
 * job can use a deep stack. Under `make sanitize` this also checks the
 * AddressSanitizer fiber annotations. */
#include "testutil.h"

#include <openssl/evp.h>

#include "image/twin.h"

static uint64_t rng_state;
static uint64_t rnd(void) { return testutil_rnd(&rng_state); }
static size_t rnd_below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

typedef struct hjob_t {
	twin_slot *ts;
	unsigned char *raw, *tar;
	size_t rn, tn;
	uint64_t seed; /* chunk sizes: the job's own stream, whatever runs beside it */
	int recurse;   /* stack depth to use first, in 4 KiB frames */
	bool ran;
	lsha256 raw_md, tar_md;
} hjob_t;

static void oracle(unsigned char out[32], const void *p, size_t n)
{
	unsigned len = 0;
	assert_int_equal(EVP_Digest(n ? p : "", n, out, &len, EVP_sha256(), NULL), 1);
}

static int deep(int n)
{
	volatile char frame[4096];
	frame[0] = (char)n;
	frame[4095] = (char)n;
	return n ? deep(n - 1) + frame[0] - frame[4095] : 0;
}

static void run_job(void *arg)
{
	hjob_t *j = arg;
	j->ran = true;
	assert_int_equal(deep(j->recurse), 0);
	uint64_t s = j->seed;
	size_t ro = 0, to = 0;
	while (ro < j->rn || to < j->tn) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		/* like a walk: some tar bytes and the raw bytes that made them, or raw only */
		size_t rc = (size_t)(s >> 40) % 70000, tc = (s >> 20) & 1 ? (size_t)(s >> 33) % 262144 : 0;
		rc = rc < j->rn - ro ? rc : j->rn - ro;
		tc = tc < j->tn - to ? tc : j->tn - to;
		twin_hash(j->ts, &j->raw_md, j->raw + ro, rc, &j->tar_md, j->tar + to, tc);
		ro += rc;
		to += tc;
	}
}

/* Runs `n` jobs through one twin the way scan.c does; returns the twin's counts. */
static void run_all(hjob_t *jobs, size_t n, unsigned long long *paired, unsigned long long *alone)
{
	twin t;
	assert_int_equal(twin_init(&t), 0);
	size_t next = 0;
	for (;;) {
		int slot;
		while ((slot = twin_idle_slot(&t)) >= 0 && next < n) {
			jobs[next].ts = &t.slot[slot];
			assert_int_equal(twin_start(&t, slot, run_job, &jobs[next]), 0);
			next++;
		}
		if (!twin_busy(&t))
			break;
		int ended = twin_run(&t);
		assert_true(ended == 0 || ended == 1);
	}
	*paired = t.paired;
	*alone = t.alone;
	twin_destroy(&t);
}

static void make_jobs(hjob_t *jobs, size_t n, const size_t *sizes)
{
	for (size_t i = 0; i < n; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].rn = sizes[2 * i];
		jobs[i].tn = sizes[2 * i + 1];
		jobs[i].raw = malloc(jobs[i].rn + 1);
		jobs[i].tar = malloc(jobs[i].tn + 1);
		assert_non_null(jobs[i].raw);
		assert_non_null(jobs[i].tar);
		for (size_t k = 0; k < jobs[i].rn; k++)
			jobs[i].raw[k] = (unsigned char)(rnd() >> 56);
		for (size_t k = 0; k < jobs[i].tn; k++)
			jobs[i].tar[k] = (unsigned char)(rnd() >> 56);
		jobs[i].seed = rnd();
		assert_int_equal(lsha256_init(&jobs[i].raw_md), 0);
		assert_int_equal(lsha256_init(&jobs[i].tar_md), 0);
	}
}

static void check_jobs(hjob_t *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char want[32], got[32];
		assert_true(jobs[i].ran);
		lsha256_final(&jobs[i].raw_md, got);
		oracle(want, jobs[i].raw, jobs[i].rn);
		if (memcmp(got, want, 32))
			fail_msg("job %zu: raw digest differs from OpenSSL (%zu bytes)", i, jobs[i].rn);
		lsha256_final(&jobs[i].tar_md, got);
		oracle(want, jobs[i].tar, jobs[i].tn);
		if (memcmp(got, want, 32))
			fail_msg("job %zu: tar digest differs from OpenSSL (%zu bytes)", i, jobs[i].tn);
		free(jobs[i].raw);
		free(jobs[i].tar);
	}
}

/* Jobs of mixed sizes, empty ones among them: every digest right, and most
 * updates paired (the two longest run side by side for most of their length). */
static void test_digests_and_pairing(void **state)
{
	(void)state;
	rng_state = 0x7a1e0001;
	static const size_t sizes[] = {
	    3000000, 7800000, /* the largest two, alternating */
	    2700000, 7000000, 0, 0, /* a job that hashes nothing */
	    500000, 1300000, 1,	 0, 65, 64, 200000, 0, /* raw only (a plain layer) */
	};
	enum { N = sizeof(sizes) / sizeof(sizes[0]) / 2 };
	hjob_t jobs[N];
	make_jobs(jobs, N, sizes);
	unsigned long long paired, alone;
	run_all(jobs, N, &paired, &alone);
	check_jobs(jobs, N);
	if (paired <= 4 * alone)
		fail_msg("only %llu of %llu updates were paired", paired, paired + alone);
}

/* One job only: nothing to pair with, all hashed alone, and a job using a
 * deep stack (2 MiB of frames) runs. */
static void test_single_and_deep_stack(void **state)
{
	(void)state;
	rng_state = 0x7a1e0002;
	static const size_t sizes[] = {1000000, 2500000};
	hjob_t jobs[1];
	make_jobs(jobs, 1, sizes);
	jobs[0].recurse = 512;
	unsigned long long paired, alone;
	run_all(jobs, 1, &paired, &alone);
	check_jobs(jobs, 1);
	assert_int_equal(paired, 0);
	assert_true(alone > 0);
}

/* Many small jobs: slots are refilled as jobs end, with the other one often
 * left waiting with an update when its partner ends (it is then hashed alone
 * or with the new job's). */
static void test_many_jobs(void **state)
{
	(void)state;
	rng_state = 0x7a1e0003;
	enum { N = 40 };
	size_t sizes[2 * N];
	for (size_t i = 0; i < 2 * N; i++)
		sizes[i] = rnd_below(4) ? rnd_below(400000) : rnd_below(200);
	hjob_t jobs[N];
	make_jobs(jobs, N, sizes);
	unsigned long long paired, alone;
	run_all(jobs, N, &paired, &alone);
	check_jobs(jobs, N);
	assert_true(paired > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_digests_and_pairing),
	    cmocka_unit_test(test_single_and_deep_stack),
	    cmocka_unit_test(test_many_jobs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
