/* The library as a service calls it, through the public API only
 * (tests/cli/engine.sh drives it):
 *
 *   engine policy PORT           a server-mode policy (registry images only, no
 *                                private addresses) against targets that must be
 *                                refused; PORT is a listener that must see no
 *                                connection
 *   engine cancel TARGET WHEN    lading_sbom on a worker thread, cancelled from
 *                                this one once WHEN holds ("bytes:N" read, or
 *                                "ms:N" passed); prints the latency
 *   engine deadline TARGET MS    the same with options.timeout_ms = MS
 *   engine parallel N TARGET     N contexts scanning TARGET on N threads at once;
 *                                their JSON SBOMs must be identical
 *   engine stream FILE           FILE (an image archive) as an upload: read from a
 *                                descriptor and from memory under a policy that
 *                                allows uploads only; the SBOMs must equal the
 *                                one of FILE read as a path
 *   engine render TARGET PREFIX  lading_sbom(TARGET) (with the integrity check
 *                                when ENGINE_INTEGRITY=1) rendered as PREFIX.json,
 *                                PREFIX.cdx.json and PREFIX.spdx.json, with a fixed
 *                                timestamp and serial (tests/cli/bom_roundtrip.sh)
 *   engine bomread FILE PREFIX   the same from FILE's bytes read back with
 *                                lading_bom_read, in a context that allows
 *                                registry targets only (memory input needs none)
 *
 * Options for cancel/deadline come from the environment the test sets:
 * ENGINE_TMP (tmp_dir), ENGINE_CACHE (cache_dir). Exit 0 when every check
 * holds; each failure is printed as "FAIL: ...". */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lading/lading.h"

static int fails;
#define CHECK(cond, ...)                                                                                     \
	do {                                                                                                 \
		if (!(cond)) {                                                                               \
			printf("FAIL: " __VA_ARGS__);                                                        \
			printf("\n");                                                                        \
			fails++;                                                                             \
		}                                                                                            \
	} while (0)

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* ---- policy ---------------------------------------------------------------------- */

static lading_ctx *server_ctx(void)
{
	lading_options o = {.struct_size = sizeof(o), .allowed_targets = LADING_TARGET_REGISTRY,
			    .http_max_attempts = 1};
	lading_ctx *ctx = NULL;
	if (lading_ctx_new(&ctx, &o) != 0)
		exit(2);
	return ctx;
}

/* lading_sbom(target) must fail with `code` (and `reason`, if given), and
 * its message must hold no byte of the host's /etc/passwd and no command
 * line vocabulary. */
static void expect_refusal(const char *target, int code, const char *reason)
{
	lading_ctx *ctx = server_ctx();
	lading_inventory *inv = NULL;
	double t0 = now_ms();
	int rc = lading_sbom(&inv, ctx, target);
	double ms = now_ms() - t0;
	const lading_error *e = lading_ctx_last_error(ctx);
	CHECK(rc == -code, "%s: rc %s (%s), want %s", target, lading_error_name(rc), e->message,
	      lading_error_name(code));
	CHECK(e->code == code, "%s: error object code %s, want %s", target, lading_error_name(e->code),
	      lading_error_name(code));
	if (reason)
		CHECK(e->reason && strcmp(e->reason, reason) == 0, "%s: reason %s, want %s", target,
		      e->reason ? e->reason : "(none)", reason);
	CHECK(!strstr(e->message, "root:") && !strstr(e->message, "near '"), "%s: the message echoes input: %s",
	      target, e->message);
	CHECK(!strstr(e->message, " --"), "%s: command-line vocabulary in the library's message: %s", target,
	      e->message);
	printf("refused %-32s %-9s %-24s in %4.0f ms: %s\n", target, lading_error_name(e->code),
	       e->reason ? e->reason : "-", ms, e->message);
	lading_inventory_free(inv);
	lading_ctx_free(ctx);
}

static int cmd_policy(int port)
{
	char t[128];
	expect_refusal("dir:/etc", LADING_EPOLICY, "target.kind_denied");
	expect_refusal("sbom:/etc/passwd", LADING_EPOLICY, "target.kind_denied");
	expect_refusal("oci:/var/lib", LADING_EPOLICY, "target.kind_denied");
	expect_refusal("docker-archive:/etc/passwd", LADING_EPOLICY, "target.kind_denied");
	/* a bare path is not looked up on the host: it is read as a reference */
	expect_refusal("/etc/passwd", LADING_ETARGET, "target.bad_reference");
	snprintf(t, sizeof(t), "127.0.0.1:%d/team/app:1", port);
	expect_refusal(t, LADING_EPOLICY, "net.address_denied");
	snprintf(t, sizeof(t), "localhost:%d/team/app:1", port);
	expect_refusal(t, LADING_EPOLICY, "net.address_denied");
	snprintf(t, sizeof(t), "[::1]:%d/team/app:1", port);
	expect_refusal(t, LADING_EPOLICY, "net.address_denied");
	expect_refusal("169.254.169.254/latest/meta-data:1", LADING_EPOLICY, "net.address_denied");
	expect_refusal("10.1.2.3:5000/x:y", LADING_EPOLICY, "net.address_denied");

	/* the parser alone says the same, before anything is opened */
	lading_ctx *ctx = server_ctx();
	lading_target *pt = NULL;
	CHECK(lading_target_parse(&pt, ctx, "dir:/etc") == -LADING_EPOLICY, "parse dir:/etc not refused");
	CHECK(lading_target_parse(&pt, ctx, "ghcr.io/team/app:1.4") == 0, "parse ghcr.io/team/app:1.4 failed: %s",
	      lading_ctx_error(ctx));
	if (pt) {
		CHECK(pt->kind == LADING_TARGET_REGISTRY && strcmp(pt->registry, "ghcr.io") == 0 &&
			  strcmp(pt->repository, "team/app") == 0 && strcmp(pt->tag, "1.4") == 0 &&
			  strcmp(pt->reference, "ghcr.io/team/app:1.4") == 0,
		      "parse ghcr.io/team/app:1.4: kind %s %s %s %s %s", lading_target_kind_name(pt->kind), pt->registry,
		      pt->repository, pt->tag, pt->reference);
		lading_target_free(pt);
		pt = NULL;
	}
	CHECK(lading_target_parse(&pt, ctx, "alpine") == 0 && pt && strcmp(pt->reference, "docker.io/library/alpine:latest") == 0,
	      "parse alpine: %s", pt ? pt->reference : lading_ctx_error(ctx));
	lading_target_free(pt);

	/* a feed on a private address: refused at connect time, not fetched */
	char url[128], dir[] = "/tmp/lading-engine-XXXXXX", db[200];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/feed.json", port);
	if (!mkdtemp(dir))
		return 2;
	snprintf(db, sizeof(db), "%s/v.db", dir);
	lading_feed_source src[] = {{"x", LADING_FEED_OSV, url}};
	lading_update_stats st;
	int rc = lading_vulndb_update(&st, ctx, db, src, 1);
	CHECK(rc == -LADING_EPOLICY && st.n == 1 && st.results[0].error == -LADING_EPOLICY,
	      "feed on 127.0.0.1: rc %s, result %s: %s", lading_error_name(rc),
	      st.n ? lading_error_name(st.results[0].error) : "-", st.n ? st.results[0].reason : lading_ctx_error(ctx));
	if (st.n)
		printf("refused feed %s: %s\n", url, st.results[0].reason);
	lading_update_stats_free(&st);
	rmdir(dir);
	lading_ctx_free(ctx);
	return 0;
}

/* ---- cancel and deadline ----------------------------------------------------------- */

typedef struct job {
	const char *target;
	lading_ctx *ctx;
	atomic_ullong bytes;
	uint64_t last[64];
	atomic_int done;
	int rc;
	double end_ms;
} job;

static int on_progress(void *ud, int layer, uint64_t done, uint64_t total)
{
	(void)total;
	job *j = ud;
	/* calls for one context never overlap (lading.h): plain stores suffice
	 * for the per-layer counts; the sum is read by the other thread */
	if (layer >= 0 && layer < 64) {
		j->last[layer] = done;
		uint64_t sum = 0;
		for (int i = 0; i < 64; i++)
			sum += j->last[i];
		atomic_store(&j->bytes, sum);
	}
	return 0;
}

static void *run_job(void *ud)
{
	job *j = ud;
	lading_inventory *inv = NULL;
	j->rc = lading_sbom(&inv, j->ctx, j->target);
	j->end_ms = now_ms();
	atomic_store(&j->done, 1);
	lading_inventory_free(inv);
	return NULL;
}

static lading_ctx *job_ctx(job *j, uint64_t timeout_ms)
{
	lading_options o = {.struct_size = sizeof(o), .integrity = 1, .allow_private_addresses = 1,
			    .timeout_ms = timeout_ms, .progress = on_progress, .progress_userdata = j,
			    .tmp_dir = getenv("ENGINE_TMP"), .cache_dir = getenv("ENGINE_CACHE")};
	lading_ctx *ctx = NULL;
	if (lading_ctx_new(&ctx, &o) != 0)
		exit(2);
	return ctx;
}

static int cmd_cancel(const char *target, const char *when)
{
	job j = {.target = target};
	j.ctx = job_ctx(&j, 0);
	unsigned long long after_bytes = 0, after_ms = 0;
	if (strncmp(when, "bytes:", 6) == 0)
		after_bytes = strtoull(when + 6, NULL, 10);
	else if (strncmp(when, "ms:", 3) == 0)
		after_ms = strtoull(when + 3, NULL, 10);
	else
		return 2;
	pthread_t th;
	double start = now_ms();
	pthread_create(&th, NULL, run_job, &j);
	while (!atomic_load(&j.done) && now_ms() - start < 120000) {
		if (after_bytes && atomic_load(&j.bytes) >= after_bytes)
			break;
		if (after_ms && now_ms() - start >= (double)after_ms)
			break;
		usleep(1000);
	}
	double t0 = now_ms();
	bool early = atomic_load(&j.done);
	lading_ctx_cancel(j.ctx);
	pthread_join(th, NULL);
	double latency = j.end_ms - t0;
	CHECK(!early, "%s: the scan ended (%s) before the cancel", target, lading_error_name(j.rc));
	CHECK(j.rc == -LADING_ECANCELLED, "%s: rc %s (%s), want cancelled", target, lading_error_name(j.rc),
	      lading_ctx_error(j.ctx));
	printf("cancelled after %llu bytes read, %.0f ms in: returned in %.1f ms (%s: %s)\n",
	       (unsigned long long)atomic_load(&j.bytes), t0 - start, latency, lading_error_name(j.rc),
	       lading_ctx_error(j.ctx));
	/* a cancelled context stays cancelled */
	lading_inventory *inv = NULL;
	CHECK(lading_sbom(&inv, j.ctx, target) == -LADING_ECANCELLED, "a second call on a cancelled context ran");
	lading_inventory_free(inv);
	lading_ctx_free(j.ctx);
	return 0;
}

static int cmd_deadline(const char *target, unsigned long long ms)
{
	job j = {.target = target};
	j.ctx = job_ctx(&j, ms);
	double t0 = now_ms();
	run_job(&j);
	double took = j.end_ms - t0;
	CHECK(j.rc == -LADING_ETIMEOUT, "%s: rc %s (%s), want timeout", target, lading_error_name(j.rc),
	      lading_ctx_error(j.ctx));
	printf("deadline %llu ms: returned after %.1f ms (%s: %s)\n", ms, took, lading_error_name(j.rc),
	       lading_ctx_error(j.ctx));
	lading_ctx_free(j.ctx);
	return 0;
}

/* ---- parallel contexts ---------------------------------------------------------------- */

typedef struct pjob {
	const char *target;
	char *json;
	size_t len;
	int rc;
	char err[512];
} pjob;

static void *run_parallel(void *ud)
{
	pjob *p = ud;
	lading_options o = {.struct_size = sizeof(o), .integrity = 1, .threads = 2};
	lading_ctx *ctx = NULL;
	lading_inventory *inv = NULL;
	p->rc = lading_ctx_new(&ctx, &o);
	if (!p->rc)
		p->rc = lading_sbom(&inv, ctx, p->target);
	if (!p->rc) {
		lading_report_options ro = {.struct_size = sizeof(ro)};
		p->rc = lading_report_render(&p->json, &p->len, inv, LADING_FMT_JSON, &ro);
	}
	if (p->rc)
		snprintf(p->err, sizeof(p->err), "%s", lading_ctx_error(ctx));
	lading_inventory_free(inv);
	lading_ctx_free(ctx);
	return NULL;
}

static int cmd_parallel(int n, const char *target)
{
	if (n < 1 || n > 64)
		return 2;
	pthread_t th[64];
	pjob p[64];
	for (int i = 0; i < n; i++) {
		p[i] = (pjob){.target = target};
		pthread_create(&th[i], NULL, run_parallel, &p[i]);
	}
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < n; i++) {
		CHECK(p[i].rc == 0, "context %d: %s (%s)", i, lading_error_name(p[i].rc), p[i].err);
		if (i && p[i].rc == 0 && p[0].rc == 0)
			CHECK(p[i].len == p[0].len && memcmp(p[i].json, p[0].json, p[0].len) == 0,
			      "context %d's SBOM differs from context 0's (%zu and %zu bytes)", i, p[i].len, p[0].len);
	}
	if (!fails)
		printf("%d contexts on %d threads: identical SBOMs of %zu bytes\n", n, n, p[0].len);
	for (int i = 0; i < n; i++)
		free(p[i].json);
	return 0;
}

/* ---- uploads ------------------------------------------------------------------ */

static long fd_reader(void *ud, void *dst, size_t cap)
{
	ssize_t n = read(*(int *)ud, dst, cap);
	return n < 0 ? -LADING_EIO : (long)n;
}

static char *json_of(lading_inventory *inv, size_t *len)
{
	char *out = NULL;
	lading_report_options ro = {.struct_size = sizeof(ro)};
	if (!inv || lading_report_render(&out, len, inv, LADING_FMT_JSON, &ro) != 0)
		return NULL;
	return out;
}

/* The JSON with its "target" line dropped (a path and an upload's name differ). */
static void drop_target(char *j)
{
	char *t = j ? strstr(j, "\"target\": ") : NULL;
	if (t) {
		char *eol = strchr(t, '\n');
		if (eol)
			memmove(t, eol + 1, strlen(eol + 1) + 1);
	}
}

static int cmd_stream(const char *file)
{
	lading_options all = {.struct_size = sizeof(all), .integrity = 1, .tmp_dir = getenv("ENGINE_TMP")};
	lading_options up = all;
	up.allowed_targets = LADING_TARGET_STREAM;
	lading_ctx *a = NULL, *u = NULL;
	if (lading_ctx_new(&a, &all) || lading_ctx_new(&u, &up))
		return 2;
	lading_inventory *ref = NULL, *s = NULL, *m = NULL, *denied = NULL;
	CHECK(lading_sbom(&ref, a, file) == 0, "%s as a path: %s", file, lading_ctx_error(a));
	CHECK(lading_sbom(&denied, u, file) == -LADING_EPOLICY, "%s as a path under an uploads-only policy was not refused",
	      file);
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0 && lading_sbom_stream(&s, u, fd_reader, &fd, "upload.tar") == 0, "%s as a stream: %s", file,
	      lading_ctx_error(u));
	if (fd >= 0)
		close(fd);
	/* memory: the whole file */
	FILE *f = fopen(file, "rb");
	char *data = NULL;
	size_t n = 0;
	if (f) {
		fseek(f, 0, SEEK_END);
		long sz = ftell(f);
		fseek(f, 0, SEEK_SET);
		data = sz > 0 ? malloc((size_t)sz) : NULL;
		n = data && fread(data, 1, (size_t)sz, f) == (size_t)sz ? (size_t)sz : 0;
		fclose(f);
	}
	CHECK(n && lading_sbom_bytes(&m, u, data, n, "upload.tar") == 0, "%s from memory: %s", file, lading_ctx_error(u));
	size_t l0 = 0, l1 = 0, l2 = 0;
	char *j0 = json_of(ref, &l0), *j1 = json_of(s, &l1), *j2 = json_of(m, &l2);
	drop_target(j0), drop_target(j1), drop_target(j2);
	CHECK(j0 && j1 && strcmp(j0, j1) == 0, "the stream's SBOM differs from the path's");
	CHECK(j0 && j2 && strcmp(j0, j2) == 0, "the memory SBOM differs from the path's");
	CHECK(s && strcmp(lading_inventory_image(s)->target, "upload.tar") == 0, "the upload is not named upload.tar");
	if (!fails)
		printf("%s: the same %zu packages as a path, from a stream and from memory (%zu bytes)\n", file,
		       lading_inventory_npackages(ref), n);
	free(j0), free(j1), free(j2), free(data);
	lading_inventory_free(ref), lading_inventory_free(s), lading_inventory_free(m), lading_inventory_free(denied);
	lading_ctx_free(a), lading_ctx_free(u);
	return 0;
}

/* ---- render, bomread ------------------------------------------------------------- */

/* Writes `inv` as json, CycloneDX and SPDX to PREFIX.json, .cdx.json, .spdx.json. */
static void render_all(const lading_inventory *inv, const char *prefix)
{
	static const struct {
		lading_format fmt;
		const char *ext;
	} outs[] = {{LADING_FMT_JSON, "json"}, {LADING_FMT_CYCLONEDX, "cdx.json"}, {LADING_FMT_SPDX, "spdx.json"}};
	lading_report_options ro = {.struct_size = sizeof(ro), .timestamp = "2024-01-01T00:00:00Z",
				    .serial = "3e671687-395b-41f5-a30f-a58921a69b79"};
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		char *out = NULL, path[4096];
		size_t len = 0;
		int rc = lading_report_render(&out, &len, inv, outs[i].fmt, &ro);
		CHECK(rc == 0, "render %s: %s", outs[i].ext, lading_error_name(rc));
		snprintf(path, sizeof(path), "%s.%s", prefix, outs[i].ext);
		FILE *f = rc ? NULL : fopen(path, "wb");
		CHECK(rc || f, "%s: cannot write: %s", path, strerror(errno));
		if (f) {
			CHECK(fwrite(out, 1, len, f) == len && fclose(f) == 0, "%s: write failed", path);
		}
		free(out);
	}
}

static int cmd_render(const char *target, const char *prefix)
{
	const char *integ = getenv("ENGINE_INTEGRITY");
	lading_options o = {.struct_size = sizeof(o), .integrity = integ && strcmp(integ, "1") == 0};
	lading_ctx *ctx = NULL;
	lading_inventory *inv = NULL;
	if (lading_ctx_new(&ctx, &o) != 0)
		return 2;
	int rc = lading_sbom(&inv, ctx, target);
	CHECK(rc == 0, "%s: %s", target, lading_ctx_error(ctx));
	if (!rc)
		render_all(inv, prefix);
	lading_inventory_free(inv);
	lading_ctx_free(ctx);
	return 0;
}

static int cmd_bomread(const char *file, const char *prefix)
{
	FILE *f = fopen(file, "rb");
	if (!f) {
		printf("FAIL: %s: %s\n", file, strerror(errno));
		return 1;
	}
	size_t cap = 1 << 20, len = 0, n;
	char *data = malloc(cap);
	while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
		len += n;
		char *more = len == cap ? realloc(data, cap *= 2) : data;
		if (!more)
			free(data);
		data = more;
	}
	fclose(f);
	if (!data)
		return 2;
	lading_ctx *ctx = server_ctx();
	lading_inventory *inv = NULL;
	int rc = lading_bom_read(&inv, ctx, data, len);
	CHECK(rc == 0, "lading_bom_read(%s): %s", file, lading_ctx_error(ctx));
	if (!rc)
		render_all(inv, prefix);
	lading_inventory_free(inv);
	lading_ctx_free(ctx);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 2;
	if (argc == 3 && strcmp(argv[1], "policy") == 0)
		rc = cmd_policy(atoi(argv[2]));
	else if (argc == 4 && strcmp(argv[1], "cancel") == 0)
		rc = cmd_cancel(argv[2], argv[3]);
	else if (argc == 4 && strcmp(argv[1], "deadline") == 0)
		rc = cmd_deadline(argv[2], strtoull(argv[3], NULL, 10));
	else if (argc == 3 && strcmp(argv[1], "stream") == 0)
		rc = cmd_stream(argv[2]);
	else if (argc == 4 && strcmp(argv[1], "parallel") == 0)
		rc = cmd_parallel(atoi(argv[2]), argv[3]);
	else if (argc == 4 && strcmp(argv[1], "render") == 0)
		rc = cmd_render(argv[2], argv[3]);
	else if (argc == 4 && strcmp(argv[1], "bomread") == 0)
		rc = cmd_bomread(argv[2], argv[3]);
	else
		fprintf(stderr, "usage: engine policy PORT | cancel TARGET bytes:N|ms:N | deadline TARGET MS | "
				"parallel N TARGET | stream FILE | render TARGET PREFIX | bomread FILE PREFIX\n");
	return rc ? rc : fails ? 1 : 0;
}
