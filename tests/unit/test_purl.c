/* Unit tests for the purl parser. Real purls come from trivy's SBOMs in the
 * corpus (the expected/ folder's trivy SBOMs) and from lading's own writer; the
 * malformed ones are hand-written edge cases. */
#include "testutil.h"

#include <jansson.h>

#include "inventory.h"
#include "purl.h"

static void test_real_purls(void **state)
{
	(void)state;
	REQUIRE_CORPUS();
	char path[2048];
	corpus_path(path, sizeof(path), "expected/alpine-minirootfs-3.20.3-x86_64.trivy.cdx.json");
	json_t *root = json_load_file(path, 0, NULL);
	assert_non_null(root);
	size_t i, n = 0;
	json_t *c;
	arena a = {0};
	json_array_foreach(json_object_get(root, "components"), i, c)
	{
		const char *s = json_string_value(json_object_get(c, "purl"));
		if (!s)
			continue;
		purl u;
		assert_int_equal(purl_parse(&u, &a, sv_cstr(s)), 0);
		assert_string_equal(u.type, "apk");
		assert_string_equal(u.ns, "alpine");
		assert_string_equal(u.name, json_string_value(json_object_get(c, "name")));
		assert_string_equal(u.version, json_string_value(json_object_get(c, "version")));
		assert_string_equal(purl_qualifier(&u, "arch"), "x86_64");
		assert_string_equal(purl_qualifier(&u, "distro"), "3.20.3");
		n++;
	}
	assert_int_equal(n, 14);
	json_decref(root);
	arena_free(&a);
}

static void test_round_trip(void **state)
{
	(void)state;
	/* what inv_purl writes must parse back to the same fields */
	lading_inventory *inv;
	assert_int_equal(inv_new(&inv), 0);
	lading_os os = {.id = "debian", .version_id = "12"};
	lading_package p = {.type = LADING_PKG_DPKG, .name = "libstdc++6", .version = "1:12.2.0-14+deb12u1~x y",
			    .arch = "amd64"};
	const char *s = inv_purl(inv, &p, &os);
	assert_non_null(s);
	arena a = {0};
	purl u;
	assert_int_equal(purl_parse(&u, &a, sv_cstr(s)), 0);
	assert_string_equal(u.type, "deb");
	assert_string_equal(u.ns, "debian");
	assert_string_equal(u.name, "libstdc++6");
	assert_string_equal(u.version, "1:12.2.0-14+deb12u1~x y");
	assert_string_equal(purl_qualifier(&u, "distro"), "debian-12");
	arena_free(&a);
	lading_inventory_free(inv);
}

static void test_malformed(void **state)
{
	(void)state;
	/* hand-written edge cases */
	static const char *const bad[] = {
		"", "pkg:", "pkg:deb", "pkg:/x", "pkg:deb/", "npm/foo@1", "pkg:deb/x%", "pkg:deb/x%4",
		"pkg:deb/x%zz", "pkg:deb/x%00y", "pkg:deb/x?=v", "pkg:deb/x?k",
	};
	arena a = {0};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		purl u;
		if (purl_parse(&u, &a, sv_cstr(bad[i])) == 0)
			fail_msg("\"%s\" parsed", bad[i]);
	}
	purl u;
	assert_int_equal(purl_parse(&u, &a, SV_LIT("pkg:npm/%40scope/name@1.0.0#sub/path")), 0);
	assert_string_equal(u.ns, "@scope");
	assert_string_equal(u.name, "name");
	assert_string_equal(u.subpath, "sub/path");
	assert_int_equal(purl_parse(&u, &a, SV_LIT("pkg:golang/github.com/a/b@v1.2.3")), 0);
	assert_string_equal(u.ns, "github.com/a");
	assert_string_equal(u.name, "b");
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_purls),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests_name("purl", tests, NULL, NULL);
}
