/* What the OCI layout, docker-archive and registry sources share: file
 * streams, digest checks, bounded JSON, choosing a manifest from an index by
 * platform, reading an image config and a manifest's layers. Below both
 * source.c and registry.c, which call it and not each other's internals:
 * source.c -> registry.c -> manifest.c. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "image/image.h"

/* ---- streams ------------------------------------------------------------- */

typedef struct fd_stream {
	stream s;
	int fd;
} fd_stream;

static ssize_t fd_read(stream *s, void *dst, size_t n)
{
	fd_stream *f = (fd_stream *)s;
	for (;;) {
		ssize_t r = read(f->fd, dst, n);
		if (r >= 0)
			return r;
		if (errno != EINTR)
			return -LADING_EIO;
	}
}

static void fd_close(stream *s)
{
	fd_stream *f = (fd_stream *)s;
	close(f->fd);
	free(f);
}

int stream_open_file(stream **out, int dirfd, const char *path, const char *what)
{
	return stream_open_path(out, dirfd, path, what, false);
}

int stream_open_path(stream **out, int dirfd, const char *path, const char *what, bool follow)
{
	int fd = file_open_regular(dirfd, path, follow ? 0 : O_NOFOLLOW, NULL);
	if (fd < 0)
		return errno == ENOENT ? -LADING_ENOTFOUND : errno == EINVAL || errno == ELOOP ? -LADING_ETARGET : -LADING_EIO;
	fd_stream *f = calloc(1, sizeof(*f));
	if (!f) {
		close(fd);
		return -LADING_ENOMEM;
	}
	f->fd = fd;
	f->s.read = fd_read;
	f->s.close = fd_close;
	snprintf(f->s.what, sizeof(f->s.what), "%s", what);
	*out = &f->s;
	return 0;
}

/* ---- digests ------------------------------------------------------------- */

/* "sha256:<64 hex>" or "sha512:<128 hex>" (lowercase), as OCI requires. */
bool src_valid_digest(const char *d)
{
	size_t want;
	const char *hex;
	if (!d)
		return false;
	if (strncmp(d, "sha256:", 7) == 0)
		want = 64, hex = d + 7;
	else if (strncmp(d, "sha512:", 7) == 0)
		want = 128, hex = d + 7;
	else
		return false;
	size_t n = 0;
	for (; hex[n]; n++)
		if (!((hex[n] >= '0' && hex[n] <= '9') || (hex[n] >= 'a' && hex[n] <= 'f')))
			return false;
	return n == want;
}

void src_sha256_str(const void *p, size_t n, char out[80])
{
	unsigned char d[32];
	unsigned int len = 0;
	EVP_Digest(p, n, d, &len, EVP_sha256(), NULL);
	memcpy(out, "sha256:", 7);
	hex_encode(out + 7, d, 32);
}

/* Checks that `data` has digest `want` (sha256 only; others are trusted as named). */
int src_check_digest(image_src *src, const char *what, const buf *data, const char *want)
{
	if (strncmp(want, "sha256:", 7) != 0)
		return 0;
	char got[80];
	src_sha256_str(data->p, data->n, got);
	if (strcmp(got, want) != 0)
		return ctx_error(src->ctx, LADING_EDIGEST, "%s: %s has digest %s, expected %s", src->target, what, got,
				 want);
	return 0;
}

/* ---- JSON helpers ----------------------------------------------------------- */

json_t *src_parse_json(image_src *src, const char *what, const buf *b)
{
	json_error_t err;
	json_t *j = json_loadb(b->p ? b->p : "", b->n, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		ctx_error(src->ctx, LADING_EFORMAT, "%s: %s is not valid JSON (line %d: %s)", src->target, what,
			  err.line, err.text);
	return j;
}

const char *src_jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int src_set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = NULL;
	if (v && !(*dst = strdup(v)))
		return -LADING_ENOMEM;
	return 0;
}

/* ---- platform selection ---------------------------------------------------- */

static void split_platform(const char *want, char *os, char *arch, char *variant)
{
	os[0] = arch[0] = variant[0] = 0;
	sscanf(want ? want : "linux/amd64", "%63[^/]/%63[^/]/%63s", os, arch, variant);
}

static bool platform_matches(const json_t *plat, const char *want)
{
	char os[64], arch[64], var[64];
	split_platform(want, os, arch, var);
	const char *pos = src_jstr(plat, "os"), *parch = src_jstr(plat, "architecture"), *pvar = src_jstr(plat, "variant");
	if (!pos || !parch || strcmp(pos, os) != 0 || strcmp(parch, arch) != 0)
		return false;
	/* No variant asked for: any variant of the architecture will do. */
	return !var[0] || (pvar && strcmp(pvar, var) == 0);
}

bool src_is_index_type(const char *mt)
{
	return mt && (strcmp(mt, "application/vnd.oci.image.index.v1+json") == 0 ||
		      strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json") == 0);
}

int src_pick_manifest(const json_t **out, image_src *src, const json_t *index, int depth,
		      const char *want_tag)
{
	*out = NULL;
	const json_t *mans = json_object_get(index, "manifests");
	if (!json_is_array(mans) || json_array_size(mans) == 0)
		return ctx_error(src->ctx, LADING_EFORMAT, "%s: image index lists no manifests", src->target);
	if (depth > 4)
		return ctx_error(src->ctx, LADING_EFORMAT, "%s: image indexes nested too deeply", src->target);
	const json_t *pick = NULL;
	size_t i;
	const json_t *d;
	/* A tag (OCI layouts, top level) selects by annotation. */
	if (want_tag) {
		json_array_foreach(mans, i, d)
		{
			const char *ref = src_jstr(json_object_get(d, "annotations"), "org.opencontainers.image.ref.name");
			if (ref && strcmp(ref, want_tag) == 0) {
				pick = d;
				break;
			}
		}
		if (!pick)
			return ctx_error(src->ctx, LADING_ENOTFOUND, "%s: no image tagged \"%s\" in the layout",
					 src->target, want_tag);
	}
	if (!pick) {
		/* Collect tags for the report; choose by platform when several. */
		size_t nplat = 0;
		json_array_foreach(mans, i, d)
		{
			const json_t *plat = json_object_get(d, "platform");
			if (plat && platform_matches(plat, src->ctx->opt.platform)) {
				pick = d;
				break;
			}
			if (plat)
				nplat++;
		}
		if (!pick && nplat && json_array_size(mans) > 1)
			return ctx_error(src->ctx, LADING_ENOTFOUND, "%s: no manifest for platform %s in the index",
					 src->target, src->ctx->opt.platform ? src->ctx->opt.platform : "linux/amd64");
		if (!pick) {
			/* Skip attestation manifests (buildkit marks them with platform unknown/unknown). */
			pick = json_array_get(mans, 0);
		}
	}
	if (!json_is_object(pick))
		return ctx_error(src->ctx, LADING_EFORMAT, "%s: image index entry is not an object", src->target);
	*out = pick;
	return 0;
}

/* From an index document, chooses the manifest descriptor for the tag and
 * platform, descending into nested indexes. Sets src->manifest_digest. */
/* ---- config ---------------------------------------------------------------- */

/* Pairs the config's diff_ids and history with the layers the manifest listed. */
int src_apply_config(image_src *src, const buf *cfgbuf)
{
	json_t *cfg = src_parse_json(src, "image config", cfgbuf);
	if (!cfg)
		return -LADING_EFORMAT;
	int rc = 0;
	if (src_set_str(&src->os, src_jstr(cfg, "os")) || src_set_str(&src->arch, src_jstr(cfg, "architecture")) ||
	    src_set_str(&src->variant, src_jstr(cfg, "variant"))) {
		rc = -LADING_ENOMEM;
		goto out;
	}
	const json_t *diff_ids = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
	if (!json_is_array(diff_ids) || json_array_size(diff_ids) != src->layers.n) {
		rc = ctx_error(src->ctx, LADING_EFORMAT,
			       "%s: the config lists %zu diff_ids but the manifest has %zu layers", src->target,
			       json_is_array(diff_ids) ? json_array_size(diff_ids) : 0, src->layers.n);
		goto out;
	}
	for (size_t i = 0; i < src->layers.n; i++) {
		const char *d = json_string_value(json_array_get(diff_ids, i));
		if (!src_valid_digest(d)) {
			rc = ctx_error(src->ctx, LADING_EFORMAT, "%s: config diff_id %zu is not a digest", src->target, i);
			goto out;
		}
		if ((rc = src_set_str(&src->layers.v[i].diff_id, d)) != 0)
			goto out;
	}
	/* history entries with empty_layer: true have no layer */
	const json_t *hist = json_object_get(cfg, "history");
	size_t li = 0, i;
	const json_t *h;
	json_array_foreach(hist, i, h)
	{
		if (json_is_true(json_object_get(h, "empty_layer")))
			continue;
		if (li >= src->layers.n)
			break;
		if ((rc = src_set_str(&src->layers.v[li++].created_by, src_jstr(h, "created_by"))) != 0)
			goto out;
	}
out:
	json_decref(cfg);
	return rc;
}

/* ---- manifests ----------------------------------------------------------------- */

int src_manifest_layers(image_src *src, const json_t *m, bool blob_paths, const char **config_digest)
{
	*config_digest = NULL;
	const json_t *layers = json_object_get(m, "layers");
	const char *cdig = src_jstr(json_object_get(m, "config"), "digest");
	if (!json_is_array(layers) || !cdig) {
		const char *mt = src_jstr(m, "mediaType");
		if (json_integer_value(json_object_get(m, "schemaVersion")) == 1)
			return ctx_error(src->ctx, LADING_EUNSUPP,
					 "%s: Docker schema 1 manifests are not supported (push the image again "
					 "with a current client)",
					 src->target);
		return ctx_error(src->ctx, LADING_EFORMAT, "%s: manifest %s%s%s has no config or layers", src->target,
				 src->manifest_digest ? src->manifest_digest : "", mt ? " of type " : "", mt ? mt : "");
	}
	if (!src_valid_digest(cdig))
		return ctx_error(src->ctx, LADING_EFORMAT, "%s: the config has an invalid digest", src->target);
	size_t i;
	const json_t *d;
	json_array_foreach(layers, i, d)
	{
		const char *dig = src_jstr(d, "digest");
		if (!src_valid_digest(dig))
			return ctx_error(src->ctx, LADING_EFORMAT, "%s: layer %zu has an invalid digest", src->target, i);
		layer_desc ld = {0};
		ld.name = blob_paths ? src_blob_path(dig) : strdup(dig);
		ld.digest = strdup(dig);
		ld.media_type = src_jstr(d, "mediaType") ? strdup(src_jstr(d, "mediaType")) : NULL;
		json_int_t sz = json_integer_value(json_object_get(d, "size"));
		ld.size = sz > 0 ? (uint64_t)sz : 0;
		if (!ld.name || !ld.digest || vec_push(&src->layers, ld)) {
			free(ld.name);
			free(ld.digest);
			free(ld.media_type);
			return -LADING_ENOMEM;
		}
	}
	*config_digest = cdig;
	return 0;
}


char *src_blob_path(const char *digest)
{
	char *p = NULL;
	const char *colon = strchr(digest, ':');
	if (asprintf(&p, "blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1) < 0)
		return NULL;
	return p;
}
