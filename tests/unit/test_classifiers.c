/* Binary classifiers against syft's classifier snippets (corpus
 * binaries/syft-snippets, expectations in syft-snippets-expected.tsv) and
 * negatives (binaries/syft-negative), through classify_scan() directly.
 * A few hand-written edge cases check the pattern language. */
#include <dirent.h>
#include <time.h>

#include "testutil.h"

#include "catalog/classify.h"

typedef struct found {
	char fixture[256];
	char name[96];
	char version[96];
	char file[256];
} found;

typedef struct results {
	found *v;
	size_t n, cap;
	const char *fixture; /* while scanning */
	const char *file;
} results;

static int collect(void *ud, const classify_match *m)
{
	results *r = ud;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->v = realloc(r->v, r->cap * sizeof(*r->v));
		assert_non_null(r->v);
	}
	found *f = &r->v[r->n++];
	snprintf(f->fixture, sizeof(f->fixture), "%s", r->fixture);
	snprintf(f->name, sizeof(f->name), "%s", m->name);
	snprintf(f->version, sizeof(f->version), "%s", m->version);
	snprintf(f->file, sizeof(f->file), "%s", r->file);
	/* every identification carries a purl and a CPE with the version in it */
	assert_non_null(m->purl);
	assert_non_null(strstr(m->purl, m->version));
	assert_non_null(m->cpe);
	assert_true(strncmp(m->cpe, "cpe:2.3:a:", 10) == 0);
	return 0;
}

/* classify_scan_how() must find exactly what classify_scan() finds, in the
 * same order, whatever the window (0: the whole file at once) and with or
 * without the SIMD literal search (memmem is the reference): tiny windows
 * (one anchor position at a time) exercise every carry of a rule's state
 * from one window to the next. */
static void check_chunks(const char *path, sv data, const results *whole)
{
	static const size_t sizes[] = {0, 1, 3, 4093, 65537};
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		if (sizes[k] && sizes[k] < 4093 && data.n > (256u << 10))
			continue; /* one-byte windows over megabytes: slow, and no more telling */
		for (int simd = 0; simd < 2; simd++) {
			results c = {.fixture = "chunks", .file = path};
			assert_int_equal(classify_scan_how(path, data, sizes[k], simd, collect, &c), 0);
			if (c.n != whole->n)
				fprintf(stderr, "%s: window %zu (simd %d) found %zu, one pass %zu\n", path, sizes[k],
					simd, c.n, whole->n);
			assert_int_equal(c.n, whole->n);
			for (size_t i = 0; i < c.n; i++) {
				assert_string_equal(c.v[i].name, whole->v[i].name);
				assert_string_equal(c.v[i].version, whole->v[i].version);
			}
			free(c.v);
		}
	}
}

/* classify_scan into a fresh list, checked against every window size. */
static void scan_checked(const char *path, sv data)
{
	results one = {.fixture = "one", .file = path};
	assert_int_equal(classify_scan(path, data, collect, &one), 0);
	check_chunks(path, data, &one);
	free(one.v);
}

/* A snippet is a YAML header, the marker line, then the raw bytes; a few
 * fixtures are plain files. */
static sv snippet_bytes(const char *data, size_t n)
{
	static const char marker[] = "### byte snippet to follow ###\n";
	const char *m = memmem(data, n, marker, sizeof(marker) - 1);
	if (!m)
		return sv_make(data, n);
	m += sizeof(marker) - 1;
	return sv_make(m, n - (size_t)(m - data));
}

/* Scans every file under dir; `rel` is the path inside the fixture. */
static void scan_tree(results *r, const char *dir, const char *rel)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		char path[1024], sub[512];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(sub, sizeof(sub), "%s/%s", rel, e->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			scan_tree(r, path, sub);
			continue;
		}
		size_t n = 0;
		char *data = slurp(path, &n);
		assert_non_null(data);
		r->file = sub;
		assert_int_equal(classify_scan(sub, snippet_bytes(data, n), collect, r), 0);
		scan_checked(sub, snippet_bytes(data, n));
		free(data);
	}
	closedir(d);
}

static void test_table_loads(void **state)
{
	(void)state;
	const char *err = classify_table_error();
	if (err)
		fprintf(stderr, "classifier table: %s\n", err);
	assert_null(err);
	assert_true(classify_nrules() > 100);
}

typedef struct expect {
	char fixture[256], name[96], version[96];
} expect;

static void test_snippets(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char path[2048];
	snprintf(path, sizeof(path), "%s/binaries/syft-snippets-expected.tsv", corpus_dir());
	size_t n = 0;
	char *tsv = slurp(path, &n);
	assert_non_null(tsv);
	expect *ex = calloc(1024, sizeof(*ex));
	size_t nex = 0;
	for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "fixture_dir\t", 12) == 0)
			continue;
		char *f[3] = {line, NULL, NULL};
		for (int i = 1; i < 3; i++) {
			f[i] = strchr(f[i - 1], '\t');
			assert_non_null(f[i]);
			*f[i]++ = 0;
		}
		char *end = strchr(f[2], '\t');
		if (end)
			*end = 0;
		assert_true(nex < 1024);
		snprintf(ex[nex].fixture, sizeof(ex[nex].fixture), "%s", f[0]);
		snprintf(ex[nex].name, sizeof(ex[nex].name), "%s", f[1]);
		snprintf(ex[nex].version, sizeof(ex[nex].version), "%s", f[2]);
		nex++;
	}
	free(tsv);
	assert_true(nex >= 250);

	/* scan each expected fixture once */
	results r = {0};
	for (size_t i = 0; i < nex; i++) {
		bool again = false;
		for (size_t j = 0; j < i && !again; j++)
			again = strcmp(ex[j].fixture, ex[i].fixture) == 0;
		if (again)
			continue;
		snprintf(path, sizeof(path), "%s/binaries/syft-snippets/%s", corpus_dir(), ex[i].fixture);
		r.fixture = ex[i].fixture;
		scan_tree(&r, path, "");
	}
	size_t hit = 0, wrong = 0, extra = 0;
	for (size_t i = 0; i < nex; i++) {
		bool ok = false;
		for (size_t k = 0; k < r.n && !ok; k++)
			ok = strcmp(r.v[k].fixture, ex[i].fixture) == 0 &&
			     strcmp(r.v[k].name, ex[i].name) == 0 &&
			     strcmp(r.v[k].version, ex[i].version) == 0;
		if (ok)
			hit++;
		else
			fprintf(stderr, "MISS %s: %s %s\n", ex[i].fixture, ex[i].name, ex[i].version);
	}
	/* A result is wrong when its fixture expects that name at another
	 * version; a name the fixture does not expect at all is an extra. */
	for (size_t k = 0; k < r.n; k++) {
		bool name_expected = false, exact = false;
		for (size_t i = 0; i < nex; i++) {
			if (strcmp(r.v[k].fixture, ex[i].fixture) != 0 ||
			    strcmp(r.v[k].name, ex[i].name) != 0)
				continue;
			name_expected = true;
			exact = exact || strcmp(r.v[k].version, ex[i].version) == 0;
		}
		if (name_expected && !exact) {
			wrong++;
			fprintf(stderr, "WRONG %s%s: %s %s\n", r.v[k].fixture, r.v[k].file, r.v[k].name,
				r.v[k].version);
		} else if (!name_expected) {
			extra++;
			fprintf(stderr, "EXTRA %s%s: %s %s\n", r.v[k].fixture, r.v[k].file, r.v[k].name,
				r.v[k].version);
		}
	}
	fprintf(stderr,
		"classifiers: %zu of %zu expected identified (%.1f%%), %zu wrong versions, %zu extra\n", hit,
		nex, 100.0 * (double)hit / (double)nex, wrong, extra);
	assert_true(hit * 100 >= nex * 95);
	assert_int_equal(wrong, 0);
	free(r.v);
	free(ex);
}

static void test_negatives(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char path[2048];
	snprintf(path, sizeof(path), "%s/binaries/syft-negative", corpus_dir());
	results r = {0};
	r.fixture = "syft-negative";
	scan_tree(&r, path, "");
	for (size_t k = 0; k < r.n; k++)
		fprintf(stderr, "NEGATIVE MATCHED %s: %s %s\n", r.v[k].file, r.v[k].name, r.v[k].version);
	assert_int_equal(r.n, 0);
	free(r.v);
}

/* Hand-written edge cases (not corpus data): a statically linked OpenSSL is
 * found in any file; the file-name version (\F) gates Python; hostile bytes
 * around anchors give nothing. */
static void test_edge_cases(void **state)
{
	(void)state;
	static const char ssl[] = "junk\0OpenSSL 3.0.11 19 Sep 2023\0more";
	results r = {.fixture = "edge", .file = "/app/server"};
	assert_int_equal(classify_scan("/app/server", sv_make(ssl, sizeof(ssl) - 1), collect, &r), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].name, "openssl");
	assert_string_equal(r.v[0].version, "3.0.11");

	static const char py[] = "x\0003.11.4\0y\0003.12.1\0";
	r.n = 0;
	assert_int_equal(classify_scan("/usr/bin/python3.12", sv_make(py, sizeof(py) - 1), collect, &r), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].version, "3.12.1");
	r.n = 0;
	/* no version in the file name: the Python rule cannot run */
	assert_int_equal(classify_scan("/usr/bin/python", sv_make(py, sizeof(py) - 1), collect, &r), 0);
	assert_int_equal(r.n, 0);

	/* many anchors and no version: bounded work, nothing found */
	size_t big = 4 << 20;
	char *junk = malloc(big);
	assert_non_null(junk);
	for (size_t i = 0; i < big; i++)
		junk[i] = "OpenSSL \0v1."[i % 12];
	assert_int_equal(classify_scan("/usr/local/bin/helm", sv_make(junk, big), collect, &r), 0);
	assert_int_equal(r.n, 0);
	free(junk);
	free(r.v);
}

/* Prefilter speed over large real binaries (informational), and the same
 * result in windows as in one pass on them. */
static void test_speed(void **state)
{
	(void)state;
	const char *cands[] = {"/usr/lib/x86_64-linux-gnu/libcrypto.so.3", "/usr/bin/python3.11",
			       "/usr/bin/bash"};
	for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		size_t n = 0;
		char *data = slurp(cands[i], &n);
		if (!data)
			continue;
		results r = {.fixture = "speed", .file = cands[i]};
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int reps = 5;
		for (int k = 0; k < reps; k++) {
			r.n = 0;
			assert_int_equal(classify_scan(cands[i], sv_make(data, n), collect, &r), 0);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		fprintf(stderr, "speed: %s %.1f MB in %.3f s per pass = %.0f MB/s; found:", cands[i],
			(double)n / 1e6, s / reps, (double)n * reps / 1e6 / s);
		for (size_t k = 0; k < r.n; k++)
			fprintf(stderr, " %s %s", r.v[k].name, r.v[k].version);
		fprintf(stderr, "\n");
		/* the same bytes under a name with many candidate rules: the
		 * Aho-Corasick path instead of one memmem per literal */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int k = 0; k < reps; k++) {
			r.n = 0;
			assert_int_equal(classify_scan("/usr/sbin/mysqld", sv_make(data, n), collect, &r), 0);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		fprintf(stderr, "speed (automaton): %.0f MB/s\n", (double)n * reps / 1e6 / s);
		scan_checked(cands[i], sv_make(data, n));
		scan_checked("/usr/sbin/mysqld", sv_make(data, n));
		free(r.v);
		free(data);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_loads), cmocka_unit_test(test_snippets),
	    cmocka_unit_test(test_negatives),	cmocka_unit_test(test_edge_cases),
	    cmocka_unit_test(test_speed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
