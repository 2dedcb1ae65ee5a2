/* The registry client's pure logic (src/image/registry.c): WWW-Authenticate
 * challenges, docker config.json credentials and cache paths. The corpus has
 * no registry data, so the inputs are hand-written: the challenges are the
 * forms Docker Hub, GHCR, Quay, distribution and Harbor send (quoted scopes
 * holding commas, escapes, several challenges in one header), and the config
 * files are what `docker login` writes. The network side is tested against a
 * real registry by tests/cli/registry.sh. */
#include "testutil.h"

#include "image/registry.h"

static void test_www_bearer(void **state)
{
	(void)state;
	www_auth w;
	assert_int_equal(www_auth_parse(&w, sv_cstr("Bearer realm=\"https://auth.docker.io/token\","
						    "service=\"registry.docker.io\","
						    "scope=\"repository:library/alpine:pull,push\"")),
			 0);
	assert_int_equal(w.scheme, WWW_BEARER);
	assert_string_equal(w.realm, "https://auth.docker.io/token");
	assert_string_equal(w.service, "registry.docker.io");
	assert_string_equal(w.scope, "repository:library/alpine:pull,push");
	assert_null(w.error);
	www_auth_free(&w);

	/* case-insensitive scheme and names, spaces around '=', a token value, an error */
	assert_int_equal(www_auth_parse(&w, sv_cstr("  bEaReR  Realm = \"https://r/t?x=1\" ,  service=reg ,"
						    " error=\"insufficient_scope\"")),
			 0);
	assert_int_equal(w.scheme, WWW_BEARER);
	assert_string_equal(w.realm, "https://r/t?x=1");
	assert_string_equal(w.service, "reg");
	assert_string_equal(w.error, "insufficient_scope");
	www_auth_free(&w);

	/* backslash escapes inside a quoted value */
	assert_int_equal(www_auth_parse(&w, sv_cstr("Bearer realm=\"a\\\"b\\\\c\",service=\"x,y\"")), 0);
	assert_string_equal(w.realm, "a\"b\\c");
	assert_string_equal(w.service, "x,y");
	www_auth_free(&w);

	/* only the first challenge is read */
	assert_int_equal(www_auth_parse(&w, sv_cstr("Bearer realm=\"https://a\", Basic realm=\"other\"")), 0);
	assert_int_equal(w.scheme, WWW_BEARER);
	assert_string_equal(w.realm, "https://a");
	www_auth_free(&w);

	/* the first of duplicate parameters wins */
	assert_int_equal(www_auth_parse(&w, sv_cstr("Bearer realm=\"one\",realm=\"two\"")), 0);
	assert_string_equal(w.realm, "one");
	www_auth_free(&w);
}

static void test_www_other(void **state)
{
	(void)state;
	www_auth w;
	assert_int_equal(www_auth_parse(&w, sv_cstr("Basic realm=\"Registry Realm\"")), 0);
	assert_int_equal(w.scheme, WWW_BASIC);
	assert_string_equal(w.realm, "Registry Realm");
	www_auth_free(&w);
	assert_int_equal(www_auth_parse(&w, sv_cstr("Negotiate")), 0);
	assert_int_equal(w.scheme, WWW_OTHER);
	www_auth_free(&w);
	assert_int_equal(www_auth_parse(&w, sv_cstr("")), 0);
	assert_int_equal(w.scheme, WWW_NONE);
	www_auth_free(&w);
	assert_int_equal(www_auth_parse(&w, sv_cstr("Bearer")), 0);
	assert_int_equal(w.scheme, WWW_BEARER);
	assert_null(w.realm);
	www_auth_free(&w);
	/* an empty quoted value */
	assert_int_equal(www_auth_parse(&w, sv_cstr("Bearer realm=\"\"")), 0);
	assert_string_equal(w.realm, "");
	www_auth_free(&w);
}

static void test_www_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "Bearer realm=\"unterminated",
	    "Bearer realm=\"ends with backslash\\",
	    "=x",
	    "Bearer realm=\"a\",=\"b\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		www_auth w;
		if (www_auth_parse(&w, sv_cstr(bad[i])) != -LADING_EFORMAT)
			fail_msg("accepted %s", bad[i]);
		assert_null(w.realm); /* nothing leaks, nothing half-set */
	}
	/* a NUL byte is just a byte: the view's length rules */
	www_auth w;
	assert_int_equal(www_auth_parse(&w, sv_make("Bearer realm=\"a\0b\"", 18)), 0);
	assert_non_null(w.realm);
	assert_int_equal(w.realm[0], 'a');
	www_auth_free(&w);
}

/* base64("tester:s3cr:et") = dGVzdGVyOnMzY3I6ZXQ= (a ':' in the password) */
static const char config_json[] = "{\n"
				  "  \"auths\": {\n"
				  "    \"https://index.docker.io/v1/\": {\"auth\": \"aHViOmh1YnB3\"},\n"
				  "    \"http://127.0.0.1:5000/v2/\": {\"auth\": \"dGVzdGVyOnMzY3I6ZXQ=\"},\n"
				  "    \"127.0.0.1:5000\": {\"auth\": \"ZXhhY3Q6d2lucw==\"},\n"
				  "    \"ghcr.io\": {\"username\": \"u\", \"password\": \"p\"},\n"
				  "    \"quay.io\": {\"identitytoken\": \"abc\"},\n"
				  "    \"bad.example\": {\"auth\": \"!!!notbase64\"},\n"
				  "    \"nocolon.example\": {\"auth\": \"bm9jb2xvbg==\"}\n"
				  "  },\n"
				  "  \"credHelpers\": {\"gcr.io\": \"gcloud\"}\n"
				  "}\n";

static void test_docker_config(void **state)
{
	(void)state;
	docker_creds c;
	sv j = sv_cstr(config_json);
	assert_int_equal(docker_config_find(&c, j, "docker.io"), 0);
	assert_string_equal(c.username, "hub");
	assert_string_equal(c.password, "hubpw");
	assert_string_equal(c.key, "https://index.docker.io/v1/");
	assert_false(c.helper);
	docker_creds_free(&c);
	/* the exact key wins over "http://127.0.0.1:5000/v2/" */
	assert_int_equal(docker_config_find(&c, j, "127.0.0.1:5000"), 0);
	assert_string_equal(c.username, "exact");
	assert_string_equal(c.password, "wins");
	docker_creds_free(&c);
	assert_int_equal(docker_config_find(&c, j, "ghcr.io"), 0);
	assert_string_equal(c.username, "u");
	assert_string_equal(c.password, "p");
	docker_creds_free(&c);
	assert_int_equal(docker_config_find(&c, j, "quay.io"), 0);
	assert_null(c.username);
	assert_true(c.identity_token);
	docker_creds_free(&c);
	assert_int_equal(docker_config_find(&c, j, "gcr.io"), 0);
	assert_true(c.helper);
	assert_string_equal(c.helper_name, "gcloud");
	assert_null(c.username);
	docker_creds_free(&c);
	assert_int_equal(docker_config_find(&c, j, "other.example"), 0);
	assert_null(c.username);
	assert_null(c.key);
	docker_creds_free(&c);
	assert_int_equal(docker_config_find(&c, j, "bad.example"), -LADING_EFORMAT);
	assert_int_equal(docker_config_find(&c, j, "nocolon.example"), -LADING_EFORMAT);
	/* the password may hold ':' */
	static const char colon[] = "{\"auths\":{\"h.io\":{\"auth\":\"dGVzdGVyOnMzY3I6ZXQ=\"}}}";
	assert_int_equal(docker_config_find(&c, sv_cstr(colon), "h.io"), 0);
	assert_string_equal(c.username, "tester");
	assert_string_equal(c.password, "s3cr:et");
	docker_creds_free(&c);
}

static void test_docker_config_store(void **state)
{
	(void)state;
	docker_creds c;
	/* credsStore applies to every host; an "auths" entry still gives credentials */
	static const char store[] = "{\"credsStore\":\"desktop\",\"auths\":{\"h.io\":{\"auth\":\"YTpi\"}}}";
	assert_int_equal(docker_config_find(&c, sv_cstr(store), "h.io"), 0);
	assert_true(c.helper);
	assert_string_equal(c.helper_name, "desktop");
	assert_string_equal(c.username, "a");
	assert_string_equal(c.password, "b");
	docker_creds_free(&c);
	/* not JSON, not an object, wrong types: errors or nothing, never a crash */
	assert_int_equal(docker_config_find(&c, sv_cstr("not json"), "h.io"), -LADING_EFORMAT);
	assert_int_equal(docker_config_find(&c, sv_cstr("[]"), "h.io"), -LADING_EFORMAT);
	assert_int_equal(
	    docker_config_find(&c, sv_cstr("{\"auths\":[1],\"credHelpers\":5,\"credsStore\":1}"), "h.io"), 0);
	assert_null(c.username);
	assert_false(c.helper);
	docker_creds_free(&c);
	assert_int_equal(docker_config_find(&c, sv_cstr("{\"auths\":{\"h.io\":{\"auth\":5}}}"), "h.io"), 0);
	assert_null(c.username);
	docker_creds_free(&c);
}

static void test_cache_path(void **state)
{
	(void)state;
	buf b = {0};
	assert_int_equal(
	    cache_blob_path(&b, "/c",
			    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
	    0);
	assert_string_equal(
	    b.p, "/c/blobs/sha256/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	/* never a path outside the cache from a hostile digest */
	assert_int_equal(cache_blob_path(&b, "/c", "sha256:../../etc/passwd"), -LADING_EINVAL);
	assert_int_equal(cache_blob_path(&b, "/c", "sha256:0123"), -LADING_EINVAL);
	assert_int_equal(cache_blob_path(&b, "/c", NULL), -LADING_EINVAL);
	assert_int_equal(
	    cache_blob_path(&b, "",
			    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
	    -LADING_EINVAL);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_www_bearer),		cmocka_unit_test(test_www_other),
	    cmocka_unit_test(test_www_malformed),	cmocka_unit_test(test_docker_config),
	    cmocka_unit_test(test_docker_config_store), cmocka_unit_test(test_cache_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
