/* Helpers shared by the writer tests (test_report.c, test_report_scan.c): the
 * fixed report options that make output reproducible, inventories built from
 * the corpus's package listings (with a hand-made image identity), rendering
 * and reading JSON fields, and running the official validators (node,
 * tests/js) on an output. */
#ifndef LADING_REPORTTEST_H
#define LADING_REPORTTEST_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "inventory.h"
#include "lading/lading.h"

#define TS     "2024-01-01T00:00:00Z"
#define SERIAL "3e671687-395b-41f5-a30f-a58921a69b79"

/* A fixed timestamp and serial, so that two renderings compare byte for byte. */
static const lading_report_options fixed = {sizeof(lading_report_options), TS, SERIAL, 0};

/* Hand-made: a layer digest and diff_id (no image tarball is unpacked here). */
#define DIFF_ID "sha256:63ca1fbb43ae5034640e5e6cb3e083e05c290072c5366fcaa9d62435a4cced85"

/* ---- inventories from the corpus's package listings ------------------------- */

/* A TSV file of the corpus, split in place. */
typedef struct tsv {
	char *text;
	size_t nrows;
	char *rows[512][8]; /* fields of each row, NUL-terminated in place */
} tsv;

static inline void tsv_load(tsv *t, const char *rel, size_t ncols)
{
	char path[8192];
	t->text = slurp(corpus_path(path, sizeof(path), rel), NULL);
	assert_non_null(t->text);
	t->nrows = 0;
	for (char *line = strtok(t->text, "\n"); line; line = strtok(NULL, "\n")) {
		assert_true(t->nrows < 512);
		char **f = t->rows[t->nrows++];
		size_t n = 0;
		for (char *p = line;; p++) {
			f[n++] = p;
			p = strchr(p, '\t');
			if (!p || n == ncols)
				break;
			*p = 0;
		}
		assert_int_equal(n, ncols);
	}
}

/* What a column of a package listing holds. */
typedef enum listing_col {
	COL_NAME,
	COL_VERSION,
	COL_ARCH,
	COL_SOURCE,
	COL_SOURCE_VERSION,
	COL_LICENSE
} listing_col;

/* A new inventory (not finished) with one package of `type` per row of the
 * listing `rel`, whose columns are `cols`, all from `db_path` in layer 0. `t`
 * keeps the rows for the test to compare with; the caller frees t->text. */
static inline lading_inventory *listing_inventory(tsv *t, const char *rel, lading_pkg_type type,
						  const char *db_path, const listing_col *cols, size_t ncols)
{
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	tsv_load(t, rel, ncols);
	for (size_t i = 0; i < t->nrows; i++) {
		lading_package p = {.type = type, .db_path = db_path, .layer = 0};
		for (size_t c = 0; c < ncols; c++) {
			const char *v = t->rows[i][c];
			switch (cols[c]) {
			case COL_NAME:
				p.name = v;
				break;
			case COL_VERSION:
				p.version = v;
				break;
			case COL_ARCH:
				p.arch = v;
				break;
			case COL_SOURCE:
				p.source_name = v;
				break;
			case COL_SOURCE_VERSION:
				p.source_version = v;
				break;
			case COL_LICENSE:
				p.license = v;
				break;
			}
		}
		assert_int_equal(inv_add_package(inv, &p), 0);
	}
	return inv;
}

/* listing_inventory() of an apk listing of the corpus (*.apk-full.tsv: name,
 * version, arch, origin, license), as /lib/apk/db/installed holds them. */
static inline lading_inventory *apk_inventory_of(tsv *t, const char *rel)
{
	static const listing_col cols[] = {COL_NAME, COL_VERSION, COL_ARCH, COL_SOURCE, COL_LICENSE};
	return listing_inventory(t, rel, LADING_PKG_APK, "/lib/apk/db/installed", cols, 5);
}

/* os-release KEY=VALUE with optional double quotes. */
static inline char *osr_get(const char *text, const char *key)
{
	size_t kl = strlen(key);
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, kl) == 0 && l[kl] == '=') {
			const char *v = l + kl + 1, *e = strchr(v, '\n');
			size_t n = e ? (size_t)(e - v) : strlen(v);
			if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
				v++;
				n -= 2;
			}
			return strndup(v, n);
		}
	}
	return NULL;
}

/* The OS of an os-release file of the corpus, with `version` (the full
 * version the image's own files give, e.g. debian_version). */
static inline void set_os_from(lading_inventory *inv, const char *rel, const char *version)
{
	char path[8192];
	char *text = slurp(corpus_path(path, sizeof(path), rel), NULL);
	assert_non_null(text);
	char *id = osr_get(text, "ID"), *vid = osr_get(text, "VERSION_ID"),
	     *cn = osr_get(text, "VERSION_CODENAME"), *pn = osr_get(text, "PRETTY_NAME");
	lading_os os = {.id = id, .version_id = vid, .codename = cn, .pretty_name = pn, .version = version};
	assert_int_equal(inv_set_os(inv, &os), 0);
	free(id);
	free(vid);
	free(cn);
	free(pn);
	free(text);
}

/* Hand-made image identity (tagged `name`) and one layer: the writers only
 * copy these. */
static inline void set_image(lading_inventory *inv, const char *target, const char *name)
{
	inv->image.target = target;
	inv->image.source_kind = "docker-archive";
	inv->image.name = name;
	inv->image.manifest_digest =
	    "sha256:9cee2b382fe2412cd77d5d437d15a93da8de373e2dbd0f2a7bb8f7d1c5e8b7a1";
	inv->image.config_digest = "sha256:91ef0af61f39ece4d6710e465df5ed6ca12112358344fd51ae6a3b886634148b";
	inv->image.os = "linux";
	inv->image.architecture = "amd64";
	lading_layer l = {.index = 0,
			  .digest = "sha256:43c4264eed91be63b206e17d93e75256a6097070ce643c5e8f0379998b44f170",
			  .diff_id = DIFF_ID,
			  .media_type = "application/vnd.oci.image.layer.v1.tar+gzip",
			  .size = 3623807,
			  .uncompressed_size = 8079360,
			  .created_by = "ADD alpine-minirootfs.tar.gz / # buildkit"};
	assert_int_equal(inv_add_layer(inv, &l), 0);
	const char *tag = arena_str(&inv->a, name);
	assert_int_equal(vec_push(&inv->tags, tag), 0);
}

/* Hand-made: an inventory with nothing in it, finished. */
static inline lading_inventory *empty_inventory(void)
{
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	assert_int_equal(inv_finish(inv), 0);
	return inv;
}

/* ---- rendering ------------------------------------------------------------------ */

/* The SBOM writer (lading_report_render) when `fs` is NULL, else the scan
 * writer; the output's length is strlen's. Not `inline`: with it GCC 12 inlines this
 * into the long tests and its -Wdangling-pointer then takes the returned text
 * for the local `out`, whose address the writer gets (hence `unused` instead,
 * for includers that do not call it). */
__attribute__((unused)) static char *render(const lading_inventory *inv, const lading_findings *fs,
					    lading_format fmt, const lading_report_options *o, size_t *len)
{
	char *out = NULL;
	size_t n = 0;
	int rc = fs ? lading_report_render_scan(&out, &n, inv, fs, fmt, o)
		    : lading_report_render(&out, &n, inv, fmt, o);
	assert_int_equal(rc, 0);
	assert_non_null(out);
	assert_int_equal(strlen(out), n);
	if (len)
		*len = n;
	return out;
}

/* Renders with the fixed options and parses back; jansson's loader rejects
 * invalid UTF-8, so this also proves the output is valid JSON text. */
static inline json_t *render_json(const lading_inventory *inv, const lading_findings *fs, lading_format fmt)
{
	char *out = render(inv, fs, fmt, &fixed, NULL);
	json_error_t err;
	json_t *j = json_loads(out, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fprintf(stderr, "json_loads: %s at line %d\n", err.text, err.line);
	assert_non_null(j);
	free(out);
	return j;
}

/* Two renderings with the fixed options are the same byte for byte. */
static inline void assert_render_stable(const lading_inventory *inv, const lading_findings *fs,
					lading_format fmt)
{
	size_t n1, n2;
	char *a = render(inv, fs, fmt, &fixed, &n1), *b = render(inv, fs, fmt, &fixed, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	free(a);
	free(b);
}

static inline const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The value of the "properties" entry named `name` of a CycloneDX object. */
static inline const char *prop_value(const json_t *obj, const char *name)
{
	size_t i;
	json_t *pr;
	json_array_foreach(json_object_get(obj, "properties"), i, pr)
	{
		if (strcmp(jstr(pr, "name"), name) == 0)
			return jstr(pr, "value");
	}
	return NULL;
}

static inline bool valid_utf8(const char *s)
{
	/* jansson's own check, through a round trip */
	json_t *j = json_string(s);
	bool ok = j != NULL;
	json_decref(j);
	return ok;
}

/* ---- the official validators (node) --------------------------------------- */

/* False, saying why, when the validators cannot run here. */
static inline bool have_validators(void)
{
	struct stat st;
	if (stat("tests/js/node_modules", &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "SKIP validators: tests/js/node_modules absent (run tests/js/setup.sh)\n");
		return false;
	}
	if (system("node --version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "SKIP validators: node not found\n");
		return false;
	}
	return true;
}

/* Writes `text` to a temp file and runs the validator; returns its exit code.
 * `quiet` hides the reasons of failures the test expects. */
static inline int run_validator(const char *script, const char *text, bool quiet)
{
	char path[] = "/tmp/lading-test-report-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t n = strlen(text);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "node tests/js/%s %s >/dev/null%s", script, path, quiet ? " 2>&1" : "");
	int st = system(cmd);
	unlink(path);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* The validator `script` accepts the rendering in `fmt` (fixed options). */
static inline void assert_validates(const lading_inventory *inv, const lading_findings *fs, lading_format fmt,
				    const char *script)
{
	char *out = render(inv, fs, fmt, &fixed, NULL);
	assert_int_equal(run_validator(script, out, false), 0);
	free(out);
}

#endif
