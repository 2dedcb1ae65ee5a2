/* Registry sources: image references with Docker's rules, and the pieces of
 * the registry HTTP API v2 client that can be tested without a network
 * (WWW-Authenticate challenges, docker config.json credentials, cache paths).
 * The client itself (src/image/registry.c) is reached through src_open and
 * src_open_layer like every other source. */
#ifndef LADING_REGISTRY_H
#define LADING_REGISTRY_H

#include <stdbool.h>

#include "image/image.h"
#include "util/util.h"

/* ---- references (reference.c) ------------------------------------------------ */

/* A parsed image reference. "alpine" is docker.io/library/alpine:latest. */
typedef struct image_ref {
	char *domain;	  /* "docker.io", "ghcr.io", "127.0.0.1:5000", "[::1]:5000" */
	char *repository; /* "library/alpine", "team/app" */
	char *tag;	  /* "latest" when neither a tag nor a digest was given; NULL with only a digest */
	char *digest;	  /* "sha256:<hex>", or NULL */
	bool explicit_domain; /* the input named the registry host */
} image_ref;

/* Parses `in` (without any "docker://" prefix) with Docker's rules: the first
 * path component is a registry host when it contains '.' or ':', is
 * "localhost", or has an upper-case letter; otherwise the host is docker.io,
 * and a one-component name gets "library/". Repository components are lower
 * case [a-z0-9] joined by '.', '_', "__" or runs of '-'; a tag is
 * [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}; a digest is sha256 (64 lower-case hex) or
 * sha512 (128). Returns 0, or -LADING_EFORMAT (`why` says what is wrong, if
 * given) or -LADING_ENOMEM. */
int ref_parse(image_ref *out, sv in, const char **why);
void ref_free(image_ref *r);
/* The host to connect to: docker.io is served by registry-1.docker.io. Borrowed. */
const char *ref_api_host(const image_ref *r);
/* "domain/repository:tag" or "domain/repository@digest" into `out`. */
int ref_format(buf *out, const image_ref *r);
/* Whether a registry host (with optional port) is this machine: localhost,
 * 127.0.0.0/8 or [::1]. */
bool ref_host_is_loopback(const char *domain);

/* ---- WWW-Authenticate (registry.c) ------------------------------------------- */

typedef enum www_scheme { WWW_NONE = 0, WWW_BASIC, WWW_BEARER, WWW_OTHER } www_scheme;

typedef struct www_auth {
	www_scheme scheme;
	char *realm, *service, *scope, *error;
} www_auth;

/* Parses the first challenge of a WWW-Authenticate header value:
 * `Bearer realm="https://a/token",service="reg",scope="repository:x:pull,push"`.
 * Quoted values may hold commas and backslash escapes; tokens are unquoted.
 * Returns 0 (scheme WWW_NONE for an empty header), -LADING_EFORMAT or -LADING_ENOMEM. */
int www_auth_parse(www_auth *out, sv header);
void www_auth_free(www_auth *w);

/* ---- docker config.json (registry.c) ------------------------------------------ */

typedef struct docker_creds {
	char *username, *password;
	char *key;   /* the "auths" key that matched */
	bool helper; /* credsStore or a credHelpers entry applies to this host (unsupported) */
	char *helper_name;
	bool identity_token; /* the entry holds only an identitytoken (unsupported) */
} docker_creds;

/* Finds the credentials for registry `domain` in the text of a config.json:
 * "auths" keys match with or without a scheme and path ("https://host/v1/"),
 * docker.io also matches index.docker.io's legacy keys. An entry gives
 * "auth" (base64 of user:password) or "username"/"password". Returns 0 (found
 * or not: username NULL when not), -LADING_EFORMAT for a document that is not
 * JSON or an "auth" value that does not decode, -LADING_ENOMEM. */
int docker_config_find(docker_creds *out, sv json, const char *domain);
void docker_creds_free(docker_creds *c);

/* ---- cache (registry.c) ------------------------------------------------------- */

/* "<dir>/blobs/sha256/<hex>" for a valid digest; -LADING_EINVAL otherwise. */
int cache_blob_path(buf *out, const char *dir, const char *digest);

/* ---- the source (registry.c) ---------------------------------------------------- */

/* Opens registry image `src->target` (the reference in `ref`, already parsed):
 * fetches the manifest (choosing a platform from an index), the config and
 * the layer list. Sets a context error on failure. */
int reg_open(image_src *src, image_ref *ref);
/* Layer i as a stream of its blob bytes, straight from the registry (or
 * from the cache directory). */
int reg_open_layer(stream **out, image_src *src, size_t i);
void reg_free(struct reg_client *r);

#endif
