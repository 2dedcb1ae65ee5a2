/* Unit tests for what every writer of the vulnerability database shares
 * (src/vulndb/dbfile.c, through lading_vulndb_import() and the options'
 * db_lock_wait_ms): the
 * lock on the database's directory (a wait of 0 fails at once naming the
 * holder's pid, a bounded wait gives up after its bound, a wait succeeds when
 * the holder lets go, bad bounds are refused), and the removal of the work
 * files of dead writers, never of a live pid's. The feed is a real corpus
 * file (vulndata/alpine-secdb/v3.10/main.yaml); the other writer is this
 * process itself, through a second open file description of the directory
 * (flock(2) locks of two descriptions exclude each other even in one
 * process), so that no timing between processes is involved. And the rule
 * that an import recognising nothing is an error that changes nothing (the
 * corpus's OSV Go directory read as Alpine secdb; an Ubuntu tracker
 * directory emptied). */
#define VDBTEST_NAME "writers"
#include "vdbtest.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>

static char err[2048];

/* lading_vulndb_import() of the corpus feed into the test's database,
 * waiting at most `wait` seconds for the lock (0: not at all), with the
 * context's error kept in `err`. */
static int import_wait(lading_import_stats *st, double wait)
{
	char feed[2048];
	corpus_path(feed, sizeof(feed), "vulndata/alpine-secdb/v3.10/main.yaml");
	lading_options o = {.struct_size = sizeof(o), .log = on_log,
			    .db_lock_wait_ms = wait == 0 ? -1 : (int64_t)(wait * 1000)};
	lading_ctx *ctx = NULL;
	assert_int_equal(lading_ctx_new(&ctx, &o), 0);
	nwarn = 0;
	int rc = lading_vulndb_import(st, ctx, dbpath, feed, LADING_FEED_ALPINE_SECDB);
	snprintf(err, sizeof(err), "%s", lading_ctx_error(ctx));
	lading_ctx_free(ctx);
	return rc;
}

static int import_ubuntu(lading_ctx *ctx, const char *dir, lading_import_stats *st)
{
	return lading_vulndb_import(st, ctx, dbpath, dir, LADING_FEED_UBUNTU);
}

static int hold_lock(void)
{
	int fd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	return fd;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_busy(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	int fd = hold_lock();
	lading_import_stats st;
	double t0 = now();
	assert_int_equal(import_wait(&st, 0), -LADING_EBUSY);
	assert_true(now() - t0 < 1.0);
	char want[512];
	snprintf(want, sizeof(want), "%s: another writer holds the lock on this database directory (pid %ld)",
		 tmpdir, (long)getpid());
	assert_string_equal(err, want);
	assert_int_equal(nwarn, 0);
	/* a bounded wait: one warning, then the bound */
	t0 = now();
	assert_int_equal(import_wait(&st, 0.3), -LADING_EBUSY);
	double took = now() - t0;
	assert_true(took >= 0.3 && took < 2.0);
	assert_non_null(strstr(err, "; still held after 0.3 s"));
	assert_int_equal(nwarn, 1);
	assert_non_null(strstr(lastwarn, "waiting for another writer (pid "));
	/* nothing was written while the lock was held by another */
	struct stat sb;
	assert_int_not_equal(stat(dbpath, &sb), 0);
	close(fd);
	assert_int_equal(import_wait(&st, 0), 0);
	assert_int_equal(st.advisories, 1110);
	/* a wait longer than a day is refused (a negative one means "none") */
	assert_int_equal(import_wait(&st, 86401), -LADING_EINVAL);
}

static void *release_later(void *arg)
{
	int *fd = arg;
	struct timespec ts = {0, 300 * 1000000L};
	nanosleep(&ts, NULL);
	close(*fd);
	return NULL;
}

static void test_wait(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	int fd = hold_lock();
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, release_later, &fd), 0);
	lading_import_stats st;
	double t0 = now();
	assert_int_equal(import_wait(&st, 30), 0);
	assert_true(now() - t0 >= 0.25);
	pthread_join(t, NULL);
	assert_int_equal(st.advisories, 1110);
	assert_int_equal(nwarn, 1);
	assert_int_equal(q_int("SELECT count(*) FROM advisories"), 1110);
}

/* A pid that no longer exists: a child that has been reaped. */
static long dead_pid(void)
{
	pid_t p = fork();
	assert_true(p >= 0);
	if (p == 0)
		_exit(0);
	assert_int_equal(waitpid(p, NULL, 0), p);
	return (long)p;
}

static void test_stale(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	long dead = dead_pid();
	char p[512], sub[600];
	snprintf(p, sizeof(p), "%s.import-%ld", dbpath, dead);
	write_file(p, "left by a killed import", 23);
	snprintf(p, sizeof(p), "%s/.lading-update-%ld-abcdef", tmpdir, dead);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(sub, sizeof(sub), "%s/all.zip", p);
	write_file(sub, "x", 1);
	/* pid 1 is alive: its file is left; so are names that are not ours */
	snprintf(p, sizeof(p), "%s.import-1", dbpath);
	write_file(p, "live", 4);
	snprintf(p, sizeof(p), "%s/other.db.import-%ld", tmpdir, dead);
	write_file(p, "another database's", 18);
	lading_import_stats st;
	assert_int_equal(import_wait(&st, 0), 0);
	strs names = {0};
	DIR *d = opendir(tmpdir);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			strs_add(&names, de->d_name);
	closedir(d);
	char *got = strs_join(&names);
	char want[256];
	snprintf(want, sizeof(want), "other.db.import-%ld\nv.db\nv.db.import-1\n", dead);
	assert_string_equal(got, want);
	free(got);
}

/* An import that recognises nothing in an input with bytes, or in an input
 * that brought rows before, is an error naming the input and the type, and
 * the database keeps what it had. An input with no bytes at all that never
 * brought anything is an empty feed. */
static void test_nothing_recognised(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char osv[2048];
	corpus_path(osv, sizeof(osv), "vulndata/osv-go");
	char real[4096];
	assert_non_null(realpath(osv, real));
	lading_import_stats st;
	assert_int_equal(do_import(&st, dbpath, osv, LADING_FEED_OSV), 0);
	assert_int_equal(st.advisories, 4291);
	struct stat before, after;
	assert_int_equal(stat(dbpath, &before), 0);
	lading_options o = {.struct_size = sizeof(o)};
	lading_ctx *ctx = NULL;
	assert_int_equal(lading_ctx_new(&ctx, &o), 0);
	assert_int_equal(lading_vulndb_import(&st, ctx, dbpath, osv, LADING_FEED_ALPINE_SECDB),
			 -LADING_EFORMAT);
	char want[5000];
	snprintf(want, sizeof(want),
		 "%s: no advisories recognised in it as alpine-secdb (4291 records skipped); the database is "
		 "unchanged: it keeps the 4291 advisories this input brought before",
		 real);
	assert_string_equal(lading_ctx_error(ctx), want);
	assert_int_equal(st.type, LADING_FEED_ALPINE_SECDB);
	assert_int_equal(stat(dbpath, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino); /* not replaced */
	assert_int_equal(q_int("SELECT count(*) FROM advisories"), 4291);
	assert_int_equal(q_int("SELECT count(*) FROM sources WHERE type = 'osv'"), 1);

	/* a directory of Ubuntu tracker files: one file, then none */
	char dir[256], cve[512], src[2048];
	snprintf(dir, sizeof(dir), "%s/ubuntu", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(import_ubuntu(ctx, dir, &st), 0); /* no bytes, never brought anything */
	assert_int_equal(st.advisories, 0);
	snprintf(cve, sizeof(cve), "%s/CVE-2009-3560", dir);
	size_t n = 0;
	char *text = slurp(corpus_path(src, sizeof(src), "vulndata/ubuntu-cve-tracker/CVE-2009-3560"), &n);
	assert_non_null(text);
	write_file(cve, text, n);
	free(text);
	assert_int_equal(import_ubuntu(ctx, dir, &st), 0);
	assert_int_equal(st.advisories, 1);
	unlink(cve);
	assert_int_equal(import_ubuntu(ctx, dir, &st), -LADING_EFORMAT);
	assert_non_null(strstr(lading_ctx_error(ctx),
			       "as ubuntu (0 records skipped); the database is unchanged: it "
			       "keeps the 1 advisories this input brought before"));
	assert_int_equal(q_int("SELECT count(*) FROM advisories"), 4292);
	lading_ctx_free(ctx);
}

/* vdb_install(), the one way a writer puts a new file in place: a copy that
 * cannot be synced (here: not there) is not renamed, and the live file stays;
 * a complete one replaces it. The order of fsync and rename is checked with
 * strace in tests/cli/db_writers.sh. */
static void test_install(void **state)
{
	(void)state;
	lading_ctx *ctx = NULL;
	assert_int_equal(lading_ctx_new(&ctx, NULL), 0);
	vdb_lock l;
	assert_int_equal(vdb_lock_take(&l, ctx, dbpath, 0), 0);
	write_file(dbpath, "old", 3);
	char tmp[256];
	snprintf(tmp, sizeof(tmp), "%s.import-%ld", dbpath, (long)getpid());
	assert_int_equal(vdb_install(ctx, &l, tmp, dbpath), -LADING_EIO);
	assert_non_null(strstr(lading_ctx_error(ctx), "cannot write the new database to disk"));
	size_t n = 0;
	char *got = slurp(dbpath, &n);
	assert_string_equal(got, "old");
	free(got);
	write_file(tmp, "new", 3);
	assert_int_equal(vdb_install(ctx, &l, tmp, dbpath), 0);
	got = slurp(dbpath, &n);
	assert_string_equal(got, "new");
	free(got);
	assert_int_not_equal(access(tmp, F_OK), 0);
	vdb_lock_release(&l);
	lading_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wait, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stale, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nothing_recognised, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_install, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
