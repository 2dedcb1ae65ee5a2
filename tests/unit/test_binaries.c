/* The binary cataloger (src/catalog/binary.c, elf.c, gobin.c, rustbin.c).
 *
 * Go: every binary's module list is compared with what `go version -m` (Debian's
 * golang-go) prints for the same file: the corpus binaries (Go 1.15/1.16, the
 * old pointer-based build info) against their stored .go-version-m.txt, and
 * real binaries fetched or built at test time by scripts/binary-fixtures.sh
 * (Debian's age, npm's lefthook and esbuild, a module built here for amd64
 * normal and -trimpath, 386, mips and s390x) against a live `go version -m`.
 * Rust: cargo-auditable is not installed, so the .dep-v0 section of the test
 * binary is HAND-MADE (objcopy on a real cargo build, from a JSON written by
 * the fixture script); the test says what it expects from that JSON. The
 * edge-case tests below build their inputs by hand and say so. */
#include "testutil.h"

#include <unistd.h>
#include <zlib.h>

#include "catalog/binary.h"
#include "inventory.h"

/* ---- helpers ------------------------------------------------------------------ */

static lading_inventory *parse_bytes(const char *path, const char *data, size_t n)
{
	lading_inventory *inv = NULL;
	assert_int_equal(inv_new(&inv), 0);
	file_run run = {.inv = inv, .path = path, .layer = 0};
	assert_int_equal(file_cataloger_binary.parse(&run, sv_make(data, n)), 0);
	return inv;
}

static lading_inventory *parse_file(const char *file, const char *path)
{
	size_t n = 0;
	char *data = slurp(file, &n);
	assert_non_null(data);
	/* the walk would sniff it first: executables must be wanted */
	assert_true(file_cataloger_binary.sniff(path, sv_make(data, n < 4096 ? n : 4096), 0100755, n));
	lading_inventory *inv = parse_bytes(path, data, n);
	free(data);
	return inv;
}

/* "name\tversion\treplacement-path@replacement-version\n" */
static char *row(const lading_package *p)
{
	char *s = NULL;
	if (asprintf(&s, "%s\t%s\t%s@%s\n", p->name, p->version ? p->version : "",
		     p->source_name ? p->source_name : "", p->source_version ? p->source_version : "") < 0)
		return NULL;
	return s;
}

static int cmp_rows(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The same rows from `go version -m` output: "stdlib" at the version of the
 * first line, then each mod/dep line, a "=>" line replacing the one before
 * it (the package keeps the original path; a replacement version is its
 * version; see docs/catalogers.md). */
static char *expected_rows(const char *text)
{
	char *rows[4096];
	size_t k = 0;
	char *copy = strdup(text), *save = NULL;
	assert_non_null(copy);
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[5] = {0};
		size_t nf = 0;
		if (line[0] != '\t') {
			/* "FILE: go1.19.8" or "FILE: go1.22.1 X:boringcrypto" */
			char *v = strstr(line, ": ");
			assert_non_null(v);
			v += 2;
			v[strcspn(v, " ")] = 0;
			assert_true(asprintf(&rows[k++], "stdlib\t%s\t@\n", v) > 0);
			continue;
		}
		for (char *q = line + 1; nf < 5; nf++) {
			f[nf] = q;
			char *t = strchr(q, '\t');
			if (!t) {
				nf++;
				break;
			}
			*t = 0;
			q = t + 1;
		}
		if (nf >= 3 && (strcmp(f[0], "mod") == 0 || strcmp(f[0], "dep") == 0)) {
			assert_true(k < 4096);
			assert_true(asprintf(&rows[k++], "%s\t%s\t@\n", f[1], f[2]) > 0);
		} else if (nf >= 3 && strcmp(f[0], "=>") == 0) {
			assert_true(k > 0);
			char *prev = rows[k - 1];
			char *tab = strchr(prev, '\t');
			char *old_version = strndup(tab + 1, strcspn(tab + 1, "\t"));
			*tab = 0;
			char *r = NULL;
			assert_true(asprintf(&r, "%s\t%s\t%s@%s\n", prev, *f[2] ? f[2] : old_version, f[1],
					     f[2]) > 0);
			free(old_version);
			free(prev);
			rows[k - 1] = r;
		}
	}
	free(copy);
	qsort(rows, k, sizeof(char *), cmp_rows);
	size_t total = 1;
	for (size_t i = 0; i < k; i++)
		total += strlen(rows[i]);
	char *out = malloc(total);
	assert_non_null(out);
	out[0] = 0;
	for (size_t i = 0; i < k; i++) {
		strcat(out, rows[i]);
		free(rows[i]);
	}
	return out;
}

/* `go version -m FILE` as text, or NULL when go is missing or refuses the file. */
static char *go_version_m(const char *file)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "go version -m '%s' 2>/dev/null", file);
	FILE *f = popen(cmd, "r");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, r;
	char *s = malloc(cap);
	assert_non_null(s);
	while ((r = fread(s + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 == cap) {
			cap *= 2;
			s = realloc(s, cap);
			assert_non_null(s);
		}
	}
	s[n] = 0;
	int st = pclose(f);
	if (st != 0 || n == 0) {
		free(s);
		return NULL;
	}
	return s;
}

static bool have_go(void) { return system("go version >/dev/null 2>&1") == 0; }

/* Compares our packages for FILE with `text` (go version -m output). */
static void check_against(const char *file, const char *text)
{
	lading_inventory *inv = parse_file(file, "/usr/bin/x");
	char *got = inventory_rows(inv, LADING_PKG_GOLANG, row);
	char *want = expected_rows(text);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "%s:\n--- got\n%s--- want (go version -m)\n%s", file, got, want);
	assert_string_equal(got, want);
	assert_int_equal(lading_inventory_nwarnings(inv), 0);
	fprintf(stderr, "  %s: %zu packages equal go version -m\n", file, lading_inventory_npackages(inv));
	free(got);
	free(want);
	lading_inventory_free(inv);
}

/* ---- the corpus: Go 1.15 / 1.16 binaries with stored go version -m output ---- */

static void test_corpus_go(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	const char *names[] = {"test.elf", "replace.elf"};
	for (size_t i = 0; i < 2; i++) {
		char bin[1200], txt[1300];
		corpus_path(bin, sizeof(bin), "lang/go-dep-parser/golang-binary/");
		strcat(bin, names[i]);
		snprintf(txt, sizeof(txt), "%s.go-version-m.txt", bin);
		char *text = slurp(txt, NULL);
		assert_non_null(text);
		check_against(bin, text);
		/* and the live reference agrees with the stored one */
		char *live = have_go() ? go_version_m(bin) : NULL;
		if (live) {
			char *a = expected_rows(live), *b = expected_rows(text);
			assert_string_equal(a, b);
			free(a);
			free(b);
			free(live);
		}
		free(text);
	}
	/* replace.elf: the replaced module is named by its original path, at the
	 * replacement's version, with the replacement in source_name/_version */
	char bin[1200];
	lading_inventory *inv =
	    parse_file(corpus_path(bin, sizeof(bin), "lang/go-dep-parser/golang-binary/replace.elf"), "/app");
	bool seen = false;
	for (size_t i = 0; i < lading_inventory_npackages(inv); i++) {
		const lading_package *p = lading_inventory_package(inv, i);
		assert_string_equal(p->db_path, "/app");
		if (strcmp(p->name, "github.com/go-sql-driver/mysql") == 0) {
			assert_string_equal(p->version, "v1.5.0");
			assert_string_equal(p->source_name, "github.com/go-sql-driver/mysql");
			assert_string_equal(p->source_version, "v1.5.0");
			seen = true;
		}
		if (strcmp(p->name, "github.com/ebati/trivy-mod-parse") == 0)
			assert_string_equal(p->version, "(devel)");
	}
	assert_true(seen);
	lading_inventory_free(inv);
}

/* ---- binaries fetched and built at test time ------------------------------------- */

static char fixtures[512];
static bool fixtures_tmp;

static int setup_fixtures(void **state)
{
	(void)state;
	const char *env = getenv("LADING_BINARY_FIXTURES");
	if (env && *env) {
		snprintf(fixtures, sizeof(fixtures), "%s", env);
	} else {
		snprintf(fixtures, sizeof(fixtures), "/tmp/lading-binfix-XXXXXX");
		if (!mkdtemp(fixtures))
			return 0;
		fixtures_tmp = true;
	}
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "sh scripts/binary-fixtures.sh '%s'", fixtures);
	if (system(cmd) != 0)
		fprintf(stderr, "binary-fixtures.sh failed; the tests that need its files skip\n");
	return 0;
}

static int teardown_fixtures(void **state)
{
	(void)state;
	if (fixtures_tmp) {
		char cmd[700];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fixtures);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", fixtures);
	}
	return 0;
}

static bool fixture(char *out, size_t cap, const char *rel)
{
	snprintf(out, cap, "%s/%s", fixtures, rel);
	if (access(out, R_OK) != 0) {
		fprintf(stderr, "SKIP %s: not fetched or built (see scripts/binary-fixtures.sh output)\n",
			rel);
		return false;
	}
	return true;
}

/* Every real Go binary: our list equals go version -m's. */
static void test_real_go(void **state)
{
	(void)state;
	if (!have_go()) {
		fprintf(stderr, "SKIP %s: go (Debian golang-go) is not installed\n", __func__);
		skip();
	}
	const char *bins[] = {"deb/usr/bin/age", "deb/usr/bin/age-keygen",  "npm/lefthook",
			      "go/hello-amd64",	 "go/hello-amd64-trimpath", "go/hello-386",
			      "go/hello-s390x",	 "go/hello-mips",	    "go/hello-nomod"};
	size_t checked = 0;
	for (size_t i = 0; i < sizeof(bins) / sizeof(bins[0]); i++) {
		char f[1024];
		if (!fixture(f, sizeof(f), bins[i]))
			continue;
		char *text = go_version_m(f);
		assert_non_null(text);
		check_against(f, text);
		free(text);
		checked++;
	}
	if (!checked)
		skip();
}

/* What the binaries built here must hold, beyond agreeing with go version -m:
 * the 32-bit and big-endian files really are, and the replaced dependency
 * is reported at the replacement's version. */
static void test_built_go(void **state)
{
	(void)state;
	const struct {
		const char *file;
		bool is64, big;
	} bins[] = {{"go/hello-amd64", true, false},
		    {"go/hello-amd64-trimpath", true, false},
		    {"go/hello-386", false, false},
		    {"go/hello-s390x", true, true},
		    {"go/hello-mips", false, true}};
	size_t checked = 0;
	for (size_t i = 0; i < sizeof(bins) / sizeof(bins[0]); i++) {
		char f[1024];
		if (!fixture(f, sizeof(f), bins[i].file))
			continue;
		size_t n = 0;
		char *data = slurp(f, &n);
		assert_non_null(data);
		elf_file e;
		assert_int_equal(elf_parse(&e, sv_make(data, n)), 0);
		assert_int_equal(e.is64, bins[i].is64);
		assert_int_equal(e.big_endian, bins[i].big);
		assert_non_null(elf_section_by_name(&e, ".go.buildinfo"));
		go_buildinfo bi;
		assert_int_equal(gobin_find(&bi, &e), 0);
		assert_true(sv_starts_with(bi.version, SV_LIT("go1.")));
		elf_free(&e);
		lading_inventory *inv = parse_bytes("/hello", data, n);
		char *got = inventory_rows(inv, LADING_PKG_GOLANG, row);
		char want[256];
		snprintf(want, sizeof(want),
			 "example.com/lading/hello\t(devel)\t@\n"
			 "golang.org/x/mod\tv0.7.0\tgolang.org/x/mod@v0.7.0\n"
			 "stdlib\t%.*s\t@\n",
			 (int)bi.version.n, bi.version.p);
		assert_string_equal(got, want);
		/* GOARCH from the build settings */
		const lading_package *p = lading_inventory_package(inv, 0);
		assert_non_null(p->arch);
		free(got);
		lading_inventory_free(inv);
		free(data);
		checked++;
	}
	if (!checked)
		skip();
}

/* esbuild ships without build info (go version -m: "not a Go executable"):
 * nothing is reported, and that is not a warning. */
static void test_go_without_buildinfo(void **state)
{
	(void)state;
	char f[1024];
	if (!fixture(f, sizeof(f), "npm/esbuild"))
		skip();
	if (have_go())
		assert_null(go_version_m(f));
	lading_inventory *inv = parse_file(f, "/node_modules/@esbuild/linux-x64/bin/esbuild");
	assert_int_equal(lading_inventory_npackages(inv), 0);
	assert_int_equal(lading_inventory_nwarnings(inv), 0);
	lading_inventory_free(inv);
}

/* ---- Rust: cargo-auditable ----------------------------------------------------------- */

static char *crate_row(const lading_package *p)
{
	char *s = NULL;
	return asprintf(&s, "%s\t%s\n", p->name, p->version) < 0 ? NULL : s;
}

static void test_rust(void **state)
{
	(void)state;
	char f[1024];
	if (!fixture(f, sizeof(f), "rust/auditable"))
		skip();
	/* the hand-made JSON (scripts/binary-fixtures.sh) lists cc as a build-only
	 * crate, which is not in the binary, and the local root crate, which is */
	lading_inventory *inv = parse_file(f, "/usr/local/bin/hello");
	char *got = inventory_rows(inv, LADING_PKG_CARGO, crate_row);
	assert_string_equal(got, "lading-hello\t0.3.1\nlibc\t0.2.139\nregex\t1.5.4\nsmallvec\t1.6.0\n");
	assert_int_equal(lading_inventory_nwarnings(inv), 0);
	free(got);
	lading_inventory_free(inv);
	/* the same build without the section: a Rust binary, nothing to report */
	assert_true(fixture(f, sizeof(f), "rust/plain"));
	inv = parse_file(f, "/usr/local/bin/hello");
	assert_int_equal(lading_inventory_npackages(inv), 0);
	assert_int_equal(lading_inventory_nwarnings(inv), 0);
	lading_inventory_free(inv);
}

/* Hand-made edge cases of the .dep-v0 payload: not zlib, truncated, a bomb,
 * JSON of the wrong shape, a crate without a version. */
static void test_rust_edges(void **state)
{
	(void)state;
	lading_inventory *inv = NULL;
	assert_int_equal(inv_new(&inv), 0);
	file_run run = {.inv = inv, .path = "/x"};
	assert_int_equal(rustbin_add_packages(&run, SV_LIT("not zlib at all")), 0);
	assert_int_equal(lading_inventory_nwarnings(inv), 1);

	const char *json = "{\"packages\":[{\"name\":\"a\",\"version\":\"1.0.0\"},{\"name\":\"b\"},7]}";
	unsigned char z[256];
	uLongf zn = sizeof(z);
	assert_int_equal(compress(z, &zn, (const Bytef *)json, strlen(json)), Z_OK);
	assert_int_equal(rustbin_add_packages(&run, sv_make(z, zn - 3)), 0); /* truncated */
	assert_int_equal(lading_inventory_nwarnings(inv), 2);
	assert_int_equal(lading_inventory_npackages(inv), 0);
	assert_int_equal(rustbin_add_packages(&run, sv_make(z, zn)), 0);
	assert_int_equal(lading_inventory_npackages(inv), 1); /* "a"; "b" and 7 skipped with warnings */
	assert_int_equal(lading_inventory_nwarnings(inv), 4);

	/* 9 MiB of spaces inflate past the 8 MiB bound */
	size_t big = 9 << 20;
	char *spaces = malloc(big);
	assert_non_null(spaces);
	memset(spaces, ' ', big);
	uLongf bn = compressBound(big);
	unsigned char *bz = malloc(bn);
	assert_non_null(bz);
	assert_int_equal(compress(bz, &bn, (const Bytef *)spaces, big), Z_OK);
	assert_int_equal(rustbin_add_packages(&run, sv_make(bz, bn)), 0);
	assert_int_equal(lading_inventory_nwarnings(inv), 5);
	assert_non_null(strstr(lading_inventory_warning(inv, 4), "8 MiB"));
	free(spaces);
	free(bz);

	json = "[1,2]";
	zn = sizeof(z);
	assert_int_equal(compress(z, &zn, (const Bytef *)json, strlen(json)), Z_OK);
	assert_int_equal(rustbin_add_packages(&run, sv_make(z, zn)), 0);
	assert_int_equal(lading_inventory_nwarnings(inv), 6);
	lading_inventory_free(inv);
}

/* ---- hand-made build info headers (edge cases) ----------------------------------------- */

static const char sentinel_start[] = "0w\xaf\x0c\x92t\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6";
static const char sentinel_end[] = "\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2";

/* Module info wrapped in its sentinels, as the linker stores it. */
static size_t wrap_modinfo(char *out, const char *mod)
{
	memcpy(out, sentinel_start, 16);
	memcpy(out + 16, mod, strlen(mod));
	memcpy(out + 16 + strlen(mod), sentinel_end, 16);
	return strlen(mod) + 32;
}

static void put_uint(unsigned char *p, uint64_t v, size_t w, bool big)
{
	for (size_t i = 0; i < w; i++)
		p[big ? w - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

static const char *modtext = "path\tex.com/a\nmod\tex.com/a\tv1.0.0\t\ndep\tex.com/b\tv0.1.0\th1:x=\n"
			     "dep\tex.com/c\tv1.0.0\n=>\t../c\t\t\n\nbuild\tGOARCH=mips\n";

/* Go < 1.18 wrote pointers; the toolchains that did cannot be run here for
 * 32-bit big-endian targets, so this builds the layout by hand (a flat
 * image: addresses are offsets) in all four pointer-size / byte-order forms. */
static void test_pointer_format(void **state)
{
	(void)state;
	for (int form = 0; form < 4; form++) {
		size_t w = form & 1 ? 8 : 4;
		bool big = form & 2;
		unsigned char img[1024] = {0};
		/* 16 bytes of padding so that the header is not at offset 0 */
		unsigned char *h = img + 16;
		memcpy(h, "\xff Go buildinf:", 14);
		h[14] = (unsigned char)w;
		h[15] = big ? 1 : 0;
		/* string headers at 64 and 96, data at 128 and 160 */
		put_uint(h + 16, 64, w, big);
		put_uint(h + 16 + w, 96, w, big);
		memcpy(img + 128, "go1.17.13", 9);
		put_uint(img + 64, 128, w, big);
		put_uint(img + 64 + w, 9, w, big);
		size_t mn = wrap_modinfo((char *)img + 160, modtext);
		put_uint(img + 96, 160, w, big);
		put_uint(img + 96 + w, mn, w, big);
		go_buildinfo bi;
		assert_int_equal(gobin_find_flat(&bi, sv_make(img, sizeof(img))), 0);
		assert_true(sv_eq_cstr(bi.version, "go1.17.13"));
		assert_true(sv_eq_cstr(bi.modinfo, modtext));

		lading_inventory *inv = NULL;
		assert_int_equal(inv_new(&inv), 0);
		file_run run = {.inv = inv, .path = "/x"};
		assert_int_equal(gobin_add_packages(&run, &bi), 0);
		char *got = inventory_rows(inv, LADING_PKG_GOLANG, row);
		/* a directory replacement keeps the required version */
		assert_string_equal(got, "ex.com/a\tv1.0.0\t@\nex.com/b\tv0.1.0\t@\nex.com/c\tv1.0.0\t../c@\n"
					 "stdlib\tgo1.17.13\t@\n");
		assert_string_equal(lading_inventory_package(inv, 0)->arch, "mips");
		free(got);
		lading_inventory_free(inv);

		/* a string pointer past the end: not readable, no crash */
		put_uint(img + 64, 5000, w, big);
		assert_int_equal(gobin_find_flat(&bi, sv_make(img, sizeof(img))), -LADING_EFORMAT);
	}
}

/* The inline format (Go 1.18+), by hand: misaligned magic is skipped, bad
 * varints and lengths are refused, a bad pointer size is refused. */
static void test_inline_format(void **state)
{
	(void)state;
	unsigned char img[512] = {0};
	memcpy(img + 3, "\xff Go buildinf:", 14); /* misaligned: ignored */
	unsigned char *h = img + 32;
	memcpy(h, "\xff Go buildinf:", 14);
	h[14] = 8;
	h[15] = 2;
	unsigned char *p = h + 32;
	*p++ = 9;
	memcpy(p, "go1.21.3 ", 9); /* ends in a space: the version is cut there */
	p += 9;
	char mod[256];
	size_t mn = wrap_modinfo(
	    mod, "mod\tex.com/m\t(devel)\t\ndep\tbad\n=>\tx\tv1\t\ndep\tex.com/d\tv2.0.0+incompatible\t\n");
	*p++ = (unsigned char)(0x80 | (mn & 0x7f));
	*p++ = (unsigned char)(mn >> 7);
	memcpy(p, mod, mn);
	go_buildinfo bi;
	assert_int_equal(gobin_find_flat(&bi, sv_make(img, sizeof(img))), 0);
	lading_inventory *inv = NULL;
	assert_int_equal(inv_new(&inv), 0);
	file_run run = {.inv = inv, .path = "/x"};
	assert_int_equal(gobin_add_packages(&run, &bi), 0);
	char *got = inventory_rows(inv, LADING_PKG_GOLANG, row);
	assert_string_equal(got,
			    "ex.com/d\tv2.0.0+incompatible\t@\nex.com/m\t(devel)\t@\nstdlib\tgo1.21.3\t@\n");
	/* "dep\tbad" (one column) and the "=>" after it are skipped with warnings */
	assert_int_equal(lading_inventory_nwarnings(inv), 2);
	free(got);
	lading_inventory_free(inv);

	/* the module length runs past the end */
	h[32 + 10] = 0xff;
	h[32 + 11] = 0x7f;
	assert_int_equal(gobin_find_flat(&bi, sv_make(img, sizeof(img))), -LADING_EFORMAT);
	/* an overlong varint */
	memset(h + 32, 0xff, 11);
	assert_int_equal(gobin_find_flat(&bi, sv_make(img, sizeof(img))), -LADING_EFORMAT);
	/* pointer format with a pointer size of 3 */
	h[15] = 0;
	h[14] = 3;
	assert_int_equal(gobin_find_flat(&bi, sv_make(img, sizeof(img))), -LADING_EFORMAT);
	/* a header cut short by the end of the data */
	assert_int_equal(gobin_find_flat(&bi, sv_make(img, 32 + 20)), -LADING_ENOTFOUND);
}

/* ---- the sniff and the ELF reader ---------------------------------------------------------- */

static void test_sniff(void **state)
{
	(void)state;
	/* hand-made heads: only the magic, class and data bytes matter */
	const char elf[16] = "\x7f"
			     "ELF\x02\x01\x01";
	sv h = sv_make(elf, 16);
	const file_cataloger *c = &file_cataloger_binary;
	assert_true(c->sniff("/usr/bin/x", h, 0100755, 1000));
	assert_true(c->sniff("/usr/bin/x", h, 0100100, 1000));
	assert_false(c->sniff("/usr/share/x", h, 0100644, 1000));
	assert_true(c->sniff("/usr/lib/libz.so", h, 0100644, 1000));
	assert_true(c->sniff("/usr/lib/libz.so.1", h, 0100644, 1000));
	assert_true(c->sniff("/usr/lib/libz.so.1.2.13", h, 0100644, 1000));
	assert_true(c->sniff("/app/node_modules/x/addon.node", h, 0100644, 1000));
	assert_false(c->sniff("/usr/lib/libz.so.1a", h, 0100644, 1000));
	assert_false(c->sniff("/usr/lib/libz.sox", h, 0100644, 1000));
	assert_false(c->sniff("/usr/lib/x.o", h, 0100644, 1000));
	assert_false(c->sniff("/usr/bin/x", SV_LIT("#!/bin/sh\necho hi\n"), 0100755, 1000));
	assert_false(c->sniff("/usr/bin/x", sv_make(elf, 4), 0100755, 1000));
	assert_false(c->sniff("/usr/bin/x", h, 0100755, c->max_size + 1));
}

/* Every prefix of a real Go binary (and some with damaged tables) is read
 * without crashing; a prefix that keeps the build info still finds it. */
static void test_elf_damaged(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char bin[1200];
	size_t n = 0;
	char *data = slurp(corpus_path(bin, sizeof(bin), "lang/go-dep-parser/golang-binary/test.elf"), &n);
	assert_non_null(data);
	elf_file e;
	assert_int_equal(elf_parse(&e, sv_make(data, n)), 0);
	assert_true(e.is64);
	assert_false(e.big_endian);
	assert_true(e.nsections > 10);
	const elf_section *s = elf_section_by_name(&e, ".go.buildinfo");
	assert_non_null(s);
	sv d;
	assert_true(elf_section_data(&e, s, &d));
	assert_int_equal(d.n, 32);
	elf_free(&e);
	size_t cuts[] = {0, 3, 16, 63, 64, 65, 4096, n / 3, n / 2, n - 4096, n - 1};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		lading_inventory *inv = parse_bytes("/x", data, cuts[i]);
		lading_inventory_free(inv);
	}
	/* section header offset past the end, then a string table index out of range */
	char *copy = malloc(n);
	assert_non_null(copy);
	memcpy(copy, data, n);
	memset(copy + 40, 0xff, 8);
	lading_inventory *inv = parse_bytes("/x", copy, n);
	/* without sections the data segment is searched, as go version -m does */
	assert_true(lading_inventory_npackages(inv) > 0);
	lading_inventory_free(inv);
	memcpy(copy, data, n);
	copy[62] = (char)0xf0;
	inv = parse_bytes("/x", copy, n);
	assert_true(lading_inventory_npackages(inv) > 0);
	lading_inventory_free(inv);
	free(copy);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corpus_go),	   cmocka_unit_test(test_real_go),
	    cmocka_unit_test(test_built_go),	   cmocka_unit_test(test_go_without_buildinfo),
	    cmocka_unit_test(test_rust),	   cmocka_unit_test(test_rust_edges),
	    cmocka_unit_test(test_pointer_format), cmocka_unit_test(test_inline_format),
	    cmocka_unit_test(test_sniff),	   cmocka_unit_test(test_elf_damaged),
	};
	return cmocka_run_group_tests(tests, setup_fixtures, teardown_fixtures);
}
