/* Image sources: target parsing, OCI layouts (directory or tar), docker-archive
 * tars (legacy and Docker 25+), root file system directories and plain root
 * file system tarballs. Registry images (src/image/registry.c) share the
 * index, manifest and config handling here.
 *
 * Every JSON document read here (index, manifest, config) is size-bounded and
 * digest-checked against whatever names it. Blob names from a manifest are
 * validated as digests before they become file names, so a hostile index can
 * never make us open a file outside the layout. Tar sources are read with
 * libarchive; each layer read opens its own handle, so layers can be read in
 * parallel. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "image/image.h"
#include "image/registry.h"

enum { MAX_JSON = 16 << 20 };

const char *src_kind_name(src_kind k)
{
	switch (k) {
	case SRC_DOCKER_ARCHIVE: return "docker-archive";
	case SRC_OCI_DIR: return "oci";
	case SRC_OCI_ARCHIVE: return "oci-archive";
	case SRC_DIR: return "dir";
	case SRC_ROOTFS_ARCHIVE: return "rootfs-archive";
	case SRC_REGISTRY: return "registry";
	}
	return "unknown";
}

void src_free(image_src *s)
{
	if (!s)
		return;
	free(s->target);
	free(s->path);
	free(s->tag);
	free(s->name);
	free(s->manifest_digest);
	free(s->config_digest);
	free(s->os);
	free(s->arch);
	free(s->variant);
	reg_free(s->reg);
	tar_index_free(s->arc);
	for (size_t i = 0; i < s->tags.n; i++)
		free(s->tags.v[i]);
	vec_free(&s->tags);
	for (size_t i = 0; i < s->layers.n; i++) {
		layer_desc *d = &s->layers.v[i];
		free(d->name);
		free(d->digest);
		free(d->diff_id);
		free(d->media_type);
		free(d->created_by);
	}
	vec_free(&s->layers);
	free(s);
}

/* Why `path` could not be opened as a regular file, for a message: what it
 * is instead ("a FIFO") or the system's reason. Written into `out`. */
static const char *why_unopened(char *out, size_t cap, const char *path)
{
	struct stat st;
	int err = errno;
	if (lstat(path, &st) != 0)
		snprintf(out, cap, "%s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		snprintf(out, cap, "it is %s, not a regular file", file_type_word((unsigned)st.st_mode));
	else
		snprintf(out, cap, "%s", strerror(err));
	return out;
}

/* The archive's members, indexed on first use (archive.c): in src_open,
 * before any layer is opened, so that the worker threads only read it. */
static int src_archive(image_src *src)
{
	return src->arc ? 0 : tar_index_open(&src->arc, src->ctx, src->path);
}

/* Opens member `name` of the tar at src->path as a stream. */
static int tar_member(stream **out, image_src *src, const char *name)
{
	int rc = src_archive(src);
	if (rc)
		return rc;
	const char *want = tar_member_name(name);
	char what[512];
	snprintf(what, sizeof(what), "%s!%s", src->path, want);
	rc = tar_index_member(out, src->arc, want, what);
	if (rc == -LADING_ENOTFOUND && tar_index_partial(src->arc))
		return ctx_error(src->ctx, LADING_EFORMAT, "%s: corrupt tar archive while looking for %s", src->path,
				 want);
	if (rc == -LADING_ENOTFOUND)
		return ctx_error(src->ctx, LADING_ENOTFOUND, "%s: %s is missing from the archive", src->path, want);
	if (rc)
		return ctx_error(src->ctx, -rc, "%s: cannot read %s", src->path, want);
	return 0;
}

/* Reads a whole stream, bounded. */
static int slurp_stream(stream *s, size_t max, buf *out)
{
	out->max = max;
	char tmp[65536];
	for (;;) {
		ssize_t n = s->read(s, tmp, sizeof(tmp));
		if (n < 0)
			return (int)n;
		if (n == 0)
			return 0;
		int rc = buf_append(out, tmp, (size_t)n);
		if (rc)
			return rc;
	}
}

/* Reads a small file of the source (a JSON document) into `out`. */
static int read_small(image_src *src, const char *name, buf *out)
{
	stream *s = NULL;
	int rc;
	if (src->kind == SRC_OCI_DIR) {
		char p[4200];
		snprintf(p, sizeof(p), "%s/%s", src->path, name);
		rc = stream_open_file(&s, AT_FDCWD, p, p);
		if (rc == -LADING_ENOTFOUND)
			return ctx_error(src->ctx, LADING_ENOTFOUND, "%s: %s is missing", src->path, name);
		char why[128];
		if (rc)
			return ctx_error(src->ctx, -rc, "%s: cannot read %s: %s", src->path, name,
					 why_unopened(why, sizeof(why), p));
	} else if ((rc = tar_member(&s, src, name)) != 0) {
		return rc;
	}
	rc = slurp_stream(s, MAX_JSON, out);
	s->close(s);
	if (rc == -LADING_ELIMIT)
		return ctx_error(src->ctx, LADING_ELIMIT, "%s: %s is larger than %d bytes", src->path, name, MAX_JSON);
	if (rc)
		return ctx_error(src->ctx, -rc, "%s: cannot read %s", src->path, name);
	return 0;
}


/* Reads the blob named by `digest` and verifies it. */
static int read_blob(image_src *src, const char *what, const char *digest, buf *out)
{
	if (!src_valid_digest(digest))
		return ctx_error(src->ctx, LADING_EFORMAT, "%s: %s has an invalid digest \"%s\"", src->target, what,
				 digest ? digest : "(none)");
	char *p = src_blob_path(digest);
	if (!p)
		return -LADING_ENOMEM;
	int rc = read_small(src, p, out);
	free(p);
	return rc ? rc : src_check_digest(src, what, out, digest);
}

static int choose_manifest(image_src *src, json_t *index, int depth, buf *manifest)
{
	const json_t *pick;
	int rc = src_pick_manifest(&pick, src, index, depth, depth == 0 ? src->tag : NULL);
	if (rc)
		return rc;
	const char *digest = src_jstr(pick, "digest");
	const char *mt = src_jstr(pick, "mediaType");
	const char *ref = src_jstr(json_object_get(pick, "annotations"), "org.opencontainers.image.ref.name");
	if (ref && !src->name && src_set_str(&src->name, ref))
		return -LADING_ENOMEM;
	manifest->n = 0;
	rc = read_blob(src, "manifest", digest, manifest);
	if (rc)
		return rc;
	json_t *m = src_parse_json(src, "manifest", manifest);
	if (!m)
		return -LADING_EFORMAT;
	const char *inner_mt = src_jstr(m, "mediaType");
	if (src_is_index_type(mt) || src_is_index_type(inner_mt) || json_object_get(m, "manifests")) {
		rc = choose_manifest(src, m, depth + 1, manifest);
		json_decref(m);
		return rc;
	}
	json_decref(m);
	return src_set_str(&src->manifest_digest, digest);
}

/* ---- OCI layouts --------------------------------------------------------------- */

static int open_oci(image_src *src)
{
	buf b = {0}, man = {0}, cfg = {0};
	json_t *index = NULL, *m = NULL;
	int rc = read_small(src, "index.json", &b);
	if (rc)
		goto out;
	if (!(index = src_parse_json(src, "index.json", &b))) {
		rc = -LADING_EFORMAT;
		goto out;
	}
	/* all tags in the layout, for the report */
	size_t i;
	const json_t *d;
	json_array_foreach(json_object_get(index, "manifests"), i, d)
	{
		const char *ref = src_jstr(json_object_get(d, "annotations"), "org.opencontainers.image.ref.name");
		char *t;
		if (ref && (!(t = strdup(ref)) || vec_push(&src->tags, t))) {
			rc = -LADING_ENOMEM;
			goto out;
		}
	}
	if ((rc = choose_manifest(src, index, 0, &man)) != 0)
		goto out;
	if (!(m = src_parse_json(src, "manifest", &man))) {
		rc = -LADING_EFORMAT;
		goto out;
	}
	const char *cdig;
	if ((rc = src_manifest_layers(src, m, true, &cdig)) != 0)
		goto out;
	if ((rc = read_blob(src, "config", cdig, &cfg)) != 0 || (rc = src_set_str(&src->config_digest, cdig)) != 0)
		goto out;
	rc = src_apply_config(src, &cfg);
out:
	json_decref(index);
	json_decref(m);
	buf_free(&b);
	buf_free(&man);
	buf_free(&cfg);
	return rc;
}

/* ---- docker-archive ------------------------------------------------------------ */

static int open_docker(image_src *src)
{
	buf b = {0}, cfg = {0};
	json_t *j = NULL;
	int rc = read_small(src, "manifest.json", &b);
	if (rc)
		goto out;
	if (!(j = src_parse_json(src, "manifest.json", &b))) {
		rc = -LADING_EFORMAT;
		goto out;
	}
	if (!json_is_array(j) || json_array_size(j) == 0) {
		rc = ctx_error(src->ctx, LADING_EFORMAT, "%s: manifest.json lists no images", src->target);
		goto out;
	}
	/* A multi-image archive: choose by tag ("repo:tag") if given, else the first. */
	const json_t *pick = json_array_get(j, 0), *e;
	size_t i, k;
	if (src->tag) {
		pick = NULL;
		json_array_foreach(j, i, e)
		{
			const json_t *t;
			json_array_foreach(json_object_get(e, "RepoTags"), k, t)
			{
				if (json_string_value(t) && strcmp(json_string_value(t), src->tag) == 0)
					pick = e;
			}
		}
		if (!pick) {
			rc = ctx_error(src->ctx, LADING_ENOTFOUND, "%s: no image tagged \"%s\" in the archive",
				       src->target, src->tag);
			goto out;
		}
	}
	const json_t *t;
	json_array_foreach(json_object_get(pick, "RepoTags"), k, t)
	{
		char *s;
		if (json_string_value(t) && (!(s = strdup(json_string_value(t))) || vec_push(&src->tags, s))) {
			rc = -LADING_ENOMEM;
			goto out;
		}
	}
	if (src->tags.n && (rc = src_set_str(&src->name, src->tags.v[0])) != 0)
		goto out;
	const char *cname = src_jstr(pick, "Config");
	const json_t *layers = json_object_get(pick, "Layers");
	if (!cname || !json_is_array(layers)) {
		rc = ctx_error(src->ctx, LADING_EFORMAT, "%s: manifest.json entry has no Config or Layers", src->target);
		goto out;
	}
	if ((rc = read_small(src, cname, &cfg)) != 0)
		goto out;
	/* The config's name is its digest in both layouts: "<hex>.json" or "blobs/sha256/<hex>". */
	char cdig[80];
	src_sha256_str(cfg.p, cfg.n, cdig);
	if ((rc = src_set_str(&src->config_digest, cdig)) != 0)
		goto out;
	const char *base = strrchr(cname, '/') ? strrchr(cname, '/') + 1 : cname;
	size_t blen = strcspn(base, ".");
	char named[80];
	snprintf(named, sizeof(named), "sha256:%.*s", (int)blen, base);
	if (src_valid_digest(named) && strcmp(named, cdig) != 0) {
		rc = ctx_error(src->ctx, LADING_EDIGEST, "%s: config %s has digest %s", src->target, cname, cdig);
		goto out;
	}
	json_array_foreach(layers, i, e)
	{
		const char *lname = json_string_value(e);
		if (!lname) {
			rc = ctx_error(src->ctx, LADING_EFORMAT, "%s: layer %zu has no path", src->target, i);
			goto out;
		}
		layer_desc ld = {0};
		ld.name = strdup(lname);
		/* Docker 25+ names layers by digest: that is the blob's digest. */
		if (strncmp(tar_member_name(lname), "blobs/sha256/", 13) == 0) {
			char dig[80];
			snprintf(dig, sizeof(dig), "sha256:%s", tar_member_name(lname) + 13);
			if (src_valid_digest(dig))
				ld.digest = strdup(dig);
		}
		if (!ld.name || vec_push(&src->layers, ld)) {
			free(ld.name);
			free(ld.digest);
			rc = -LADING_ENOMEM;
			goto out;
		}
	}
	rc = src_apply_config(src, &cfg);
out:
	json_decref(j);
	buf_free(&b);
	buf_free(&cfg);
	return rc;
}

/* ---- detection -------------------------------------------------------------------- */

/* Whether a member name starts with 64 hex digits and then '.', '/' or
 * nothing: the blobs and layer directories of `docker save` ("<id>/",
 * "<id>/layer.tar") and skopeo's docker-archive ("<digest>.tar"). */
static bool hex_named(const char *n)
{
	for (int i = 0; i < 64; i++)
		if (hex_digit(n[i]) < 0)
			return false;
	return n[64] == 0 || n[64] == '.' || n[64] == '/';
}

/* Looks at a tar's first entries to tell an image archive from a root file
 * system tarball: a root file system starts with etc/, usr/, bin/ and such;
 * an image archive holds manifest.json, index.json, oci-layout, blobs/ or
 * blobs named by digest, but its manifest may come last. So at the first
 * entry of an image archive, the archive is indexed (as it would be next
 * anyway, see archive.c) and the index decides: manifest.json makes a
 * docker-archive, index.json or oci-layout an oci-archive. */
static int sniff_tar(image_src *src, src_kind *kind)
{
	struct archive *a = tar_open(src->path);
	char why[128];
	if (!a)
		return ctx_error(src->ctx, LADING_ETARGET, "%s: not a directory, tar archive or image: %s",
				 src->target, why_unopened(why, sizeof(why), src->path));
	struct archive_entry *e;
	int r, seen = 0;
	bool image = false, rootfs = false;
	while (seen < 10000 && !image && !rootfs &&
	       ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		seen++;
		const char *n = archive_entry_pathname(e);
		if (!n)
			continue;
		n = tar_member_name(n);
		size_t len = strlen(n);
		if (strcmp(n, "manifest.json") == 0 || strcmp(n, "index.json") == 0 || strcmp(n, "oci-layout") == 0 ||
		    strncmp(n, "blobs/", 6) == 0 || (len > 10 && strcmp(n + len - 10, "/layer.tar") == 0) ||
		    (len >= 64 && hex_named(n)))
			image = true;
		else if (strncmp(n, "etc/", 4) == 0 || strncmp(n, "usr/", 4) == 0 || strncmp(n, "bin/", 4) == 0 ||
			 strncmp(n, "lib/", 4) == 0 || strncmp(n, "var/", 4) == 0)
			rootfs = true;
	}
	archive_read_free(a);
	if (image) {
		int rc = src_archive(src);
		if (rc)
			return rc;
		if (tar_index_has(src->arc, "manifest.json")) {
			*kind = SRC_DOCKER_ARCHIVE;
			return 0;
		}
		if (tar_index_has(src->arc, "index.json") || tar_index_has(src->arc, "oci-layout")) {
			*kind = SRC_OCI_ARCHIVE;
			return 0;
		}
		tar_index_free(src->arc); /* a root file system after all: walked as one layer */
		src->arc = NULL;
	}
	if (image || rootfs || seen > 0)
		*kind = SRC_ROOTFS_ARCHIVE;
	else
		return ctx_error(src->ctx, LADING_ETARGET, "%s: not a tar archive (or an empty one)", src->target);
	return 0;
}

static bool exists(const char *p, bool *isdir)
{
	struct stat st;
	if (stat(p, &st) != 0)
		return false;
	*isdir = S_ISDIR(st.st_mode);
	return true;
}

/* For "PATH:TAG" forms: the longest prefix before a ':' that exists is the
 * path (paths may contain ':' themselves, and docker-archive tags are
 * "repo:tag"), the rest is the tag. */
static int split_tag(image_src *src, const char *rest)
{
	bool d;
	if (exists(rest, &d))
		return src_set_str(&src->path, rest);
	for (size_t i = strlen(rest); i-- > 0;) {
		if (rest[i] != ':')
			continue;
		char *p = strndup(rest, i);
		if (!p)
			return -LADING_ENOMEM;
		if (exists(p, &d)) {
			src->path = p;
			return src_set_str(&src->tag, rest + i + 1);
		}
		free(p);
	}
	return ctx_error(src->ctx, LADING_ETARGET, "%s: no such file or directory", src->target);
}

static int open_by_kind(image_src *src)
{
	bool isdir = false;
	if (src->kind != SRC_OCI_DIR && src->kind != SRC_DIR) {
		if (!exists(src->path, &isdir))
			return ctx_error(src->ctx, LADING_ETARGET, "%s: no such file", src->target);
		if (isdir)
			return ctx_error(src->ctx, LADING_ETARGET, "%s: is a directory, expected an archive", src->target);
	}
	switch (src->kind) {
	case SRC_OCI_DIR:
	case SRC_OCI_ARCHIVE: return open_oci(src);
	case SRC_DOCKER_ARCHIVE: return open_docker(src);
	case SRC_DIR:
		if (!exists(src->path, &isdir) || !isdir)
			return ctx_error(src->ctx, LADING_ETARGET, "%s: not a directory", src->target);
		return 0;
	case SRC_ROOTFS_ARCHIVE: {
		layer_desc ld = {0};
		if (!(ld.name = strdup(src->path)) || vec_push(&src->layers, ld)) {
			free(ld.name);
			return -LADING_ENOMEM;
		}
		return 0;
	}
	case SRC_REGISTRY: break; /* opened by src_open through reg_open */
	}
	return -LADING_EINVAL;
}

/* Whether `target`, or its part before some ':' (a PATH:TAG form), names
 * something on disk: local paths win over registry references. */
static bool local_target(const char *target)
{
	bool d;
	if (exists(target, &d))
		return true;
	for (size_t i = strlen(target); i-- > 0;) {
		if (target[i] != ':')
			continue;
		char *p = strndup(target, i);
		bool e = p && exists(p, &d);
		free(p);
		if (e)
			return true;
	}
	return false;
}

static bool looks_like_ref(const char *target)
{
	image_ref r;
	if (ref_parse(&r, sv_cstr(target), NULL) != 0)
		return false;
	ref_free(&r);
	return true;
}

/* The kinds the options allow (0 = all). */
static unsigned allowed_kinds(const lading_ctx *ctx)
{
	return ctx->opt.allowed_targets ? ctx->opt.allowed_targets : (unsigned)LADING_TARGET_ALL;
}

/* The target kinds a caller may name with a prefix, for the message about a
 * prefix that is none of them (sbom: is handled before src_open). */
static const char *const known_prefixes[] = {"docker-archive:", "oci-archive:", "oci:",    "dir:",
					     "rootfs-archive:", "sbom:",        "docker://"};

/* Levenshtein distance of two short words, capped at 3 (enough for "did you mean"). */
static int edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
	if (na > 24 || nb > 24)
		return 3;
	int d[25][25];
	for (size_t i = 0; i <= na; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= na; i++)
		for (size_t j = 1; j <= nb; j++) {
			int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	return d[na][nb] > 3 ? 3 : d[na][nb];
}

/* A target "WORD:REST" whose WORD is no known kind and which no local path
 * explains: an unknown prefix when REST cannot be the tag of a registry
 * image named WORD (it holds a '/' that is not after a port number), or when
 * WORD is one typo away from a known kind ("ocl:x"). Returns 0 when the
 * target is not such a case. */
static int unknown_prefix(image_src *src, const char *target)
{
	size_t n = 0;
	while ((target[n] >= 'a' && target[n] <= 'z') || (target[n] >= '0' && target[n] <= '9') || target[n] == '-' ||
	       (n && target[n] == '+'))
		n++;
	if (n == 0 || target[n] != ':' || target[0] < 'a' || target[0] > 'z')
		return 0;
	const char *rest = target + n + 1;
	size_t digits = strspn(rest, "0123456789");
	bool port = digits > 0 && (rest[digits] == '/' || rest[digits] == 0);
	const char *near = NULL;
	for (size_t i = 0; i < sizeof(known_prefixes) / sizeof(known_prefixes[0]); i++) {
		const char *k = known_prefixes[i];
		size_t kn = strcspn(k, ":");
		if (n >= 3 && edit_distance(target, n, k, kn) <= 1)
			near = k;
	}
	bool pathlike = !port && (strchr(rest, '/') != NULL || *rest == 0 || *rest == '.');
	if (!pathlike && !near)
		return 0;
	char known[256] = "";
	size_t o = 0;
	for (size_t i = 0; i < sizeof(known_prefixes) / sizeof(known_prefixes[0]) && o < sizeof(known); i++) {
		int w = snprintf(known + o, sizeof(known) - o, "%s%s", i ? ", " : "", known_prefixes[i]);
		o += w > 0 ? (size_t)w : 0;
	}
	char hint[160] = "";
	if (near)
		snprintf(hint, sizeof(hint), "; did you mean '%s'?%s", near,
			 pathlike ? "" : " (an image of that name in a registry: write docker://...)");
	return ctx_error(src->ctx, LADING_ETARGET, "%s: unknown target kind '%.*s:' (known: %s, or a path or "
			 "registry reference without a prefix)%s", target, (int)n, target, known, hint);
}

/* Parses a registry reference into *ref; `explicit_prefix` when the user
 * wrote docker://. */
static int parse_registry(image_src *src, const char *ref_text, bool explicit_prefix, image_ref *ref)
{
	const char *why = NULL;
	int rc = ref_parse(ref, sv_cstr(ref_text), &why);
	if (rc == -LADING_ENOMEM)
		return rc;
	if (rc) {
		if (explicit_prefix || !(allowed_kinds(src->ctx) & LADING_TARGET_LOCAL))
			return ctx_fail(src->ctx, LADING_ETARGET, "target.bad_reference", NULL,
					"%s: not a valid image reference (%s)", src->target, why ? why : "malformed");
		return ctx_fail(src->ctx, LADING_ETARGET, "target.not_found", NULL,
				"%s: no such file or directory, and not an image reference either (%s)", src->target,
				why ? why : "malformed");
	}
	src->kind = SRC_REGISTRY;
	return 0;
}

unsigned src_kind_bit(src_kind k)
{
	switch (k) {
	case SRC_DOCKER_ARCHIVE: return LADING_TARGET_DOCKER_ARCHIVE;
	case SRC_OCI_DIR: return LADING_TARGET_OCI_DIR;
	case SRC_OCI_ARCHIVE: return LADING_TARGET_OCI_ARCHIVE;
	case SRC_DIR: return LADING_TARGET_DIR;
	case SRC_ROOTFS_ARCHIVE: return LADING_TARGET_ROOTFS_ARCHIVE;
	case SRC_REGISTRY: return LADING_TARGET_REGISTRY;
	}
	return 0;
}

/* The policy's answer for a kind: 0, or LADING_EPOLICY naming what is allowed. */
int src_kind_allowed(lading_ctx *ctx, const char *target, unsigned bit, const char *name)
{
	unsigned allowed = allowed_kinds(ctx);
	if (allowed & bit)
		return 0;
	return ctx_fail(ctx, LADING_EPOLICY, "target.kind_denied", NULL,
			"%s: %s targets are not allowed here (allowed: %s)", target, name,
			allowed == LADING_TARGET_REGISTRY ? "registry images only"
			: (allowed & LADING_TARGET_REGISTRY) ? "registry images and some local kinds"
							      : "some local kinds");
}

int src_parse(image_src *src, const char *target, image_ref *ref)
{
	static const struct {
		const char *prefix;
		src_kind kind;
		bool tag;
	} forms[] = {
		{"docker-archive:", SRC_DOCKER_ARCHIVE, true}, {"oci-archive:", SRC_OCI_ARCHIVE, true},
		{"oci:", SRC_OCI_DIR, true},                   {"dir:", SRC_DIR, false},
		{"rootfs-archive:", SRC_ROOTFS_ARCHIVE, false},
	};
	lading_ctx *ctx = src->ctx;
	/* only with a local kind allowed is the host's file system ever looked at */
	bool local_ok = (allowed_kinds(ctx) & LADING_TARGET_LOCAL) != 0;
	int rc = src_set_str(&src->target, target);
	if (!rc && strncmp(target, "docker://", 9) == 0) {
		if ((rc = src_kind_allowed(ctx, target, LADING_TARGET_REGISTRY, "registry")) != 0)
			return rc;
		return parse_registry(src, target + 9, true, ref);
	}
	for (size_t i = 0; !rc && i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t n = strlen(forms[i].prefix);
		if (strncmp(target, forms[i].prefix, n) != 0)
			continue;
		if ((rc = src_kind_allowed(ctx, target, src_kind_bit(forms[i].kind), src_kind_name(forms[i].kind))) != 0)
			return rc;
		src->kind = forms[i].kind;
		return forms[i].tag ? split_tag(src, target + n) : src_set_str(&src->path, target + n);
	}
	if (rc)
		return rc;
	bool local = local_ok && local_target(target);
	if (!local && (rc = unknown_prefix(src, target)) != 0)
		return rc;
	if (!local && (!local_ok || looks_like_ref(target))) {
		if ((rc = src_kind_allowed(ctx, target, LADING_TARGET_REGISTRY, "registry")) != 0)
			return rc;
		return parse_registry(src, target, false, ref);
	}
	bool isdir = false;
	if ((rc = split_tag(src, target)) != 0)
		return rc;
	exists(src->path, &isdir);
	if (isdir) {
		char p[4200];
		snprintf(p, sizeof(p), "%s/oci-layout", src->path);
		src->kind = exists(p, &isdir) ? SRC_OCI_DIR : SRC_DIR;
	} else if ((rc = sniff_tar(src, &src->kind)) != 0) {
		return rc;
	}
	return src_kind_allowed(ctx, target, src_kind_bit(src->kind), src_kind_name(src->kind));
}

int src_open_fd(image_src **out, lading_ctx *ctx, int fd, const char *name)
{
	*out = NULL;
	image_src *src = calloc(1, sizeof(*src));
	if (!src)
		return -LADING_ENOMEM;
	src->ctx = ctx;
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int rc = src_set_str(&src->target, name);
	if (!rc)
		rc = src_set_str(&src->path, path);
	if (!rc)
		rc = sniff_tar(src, &src->kind);
	if (!rc)
		rc = open_by_kind(src);
	if (rc) {
		src_free(src);
		return rc;
	}
	*out = src;
	return 0;
}

int src_open(image_src **out, lading_ctx *ctx, const char *target)
{
	*out = NULL;
	image_src *src = calloc(1, sizeof(*src));
	if (!src)
		return -LADING_ENOMEM;
	src->ctx = ctx;
	image_ref ref = {0};
	int rc = src_parse(src, target, &ref);
	if (!rc && src->kind == SRC_REGISTRY)
		rc = reg_open(src, &ref); /* takes ref */
	else if (!rc)
		rc = open_by_kind(src);
	ref_free(&ref);
	if (rc) {
		if (rc == -LADING_ENOMEM)
			ctx_error(ctx, LADING_ENOMEM, "%s: out of memory", target);
		src_free(src);
		return rc;
	}
	*out = src;
	return 0;
}

int src_open_layer(stream **out, image_src *s, size_t i)
{
	*out = NULL;
	if (i >= s->layers.n)
		return -LADING_EINVAL;
	const layer_desc *d = &s->layers.v[i];
	int rc;
	switch (s->kind) {
	case SRC_OCI_DIR: {
		char p[4200];
		snprintf(p, sizeof(p), "%s/%s", s->path, d->name);
		rc = stream_open_file(out, AT_FDCWD, p, p);
		if (rc == -LADING_ENOTFOUND)
			return ctx_error(s->ctx, LADING_ENOTFOUND, "%s: layer %zu blob %s is missing", s->target, i,
					 d->digest);
		char why[128];
		if (rc)
			return ctx_error(s->ctx, -rc, "%s: cannot open layer %zu blob %s: %s", s->target, i, d->name,
					 why_unopened(why, sizeof(why), p));
		return 0;
	}
	case SRC_ROOTFS_ARCHIVE:
		rc = stream_open_path(out, AT_FDCWD, s->path, s->target, true);
		char why[128];
		return rc ? ctx_error(s->ctx, -rc, "%s: cannot open: %s", s->path, why_unopened(why, sizeof(why), s->path)) : 0;
	case SRC_OCI_ARCHIVE:
	case SRC_DOCKER_ARCHIVE: return tar_member(out, s, d->name);
	case SRC_REGISTRY: return reg_open_layer(out, s, i);
	case SRC_DIR: break;
	}
	return -LADING_EINVAL;
}
