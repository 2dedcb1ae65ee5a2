/* The public target parser (lading.h: lading_target_parse): src_parse's
 * reading of a target string, under the options' policy, without opening it. */
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "image/image.h"
#include "image/registry.h"

const char *lading_target_kind_name(unsigned kind)
{
	switch (kind) {
	case LADING_TARGET_DOCKER_ARCHIVE: return "docker-archive";
	case LADING_TARGET_OCI_DIR: return "oci";
	case LADING_TARGET_OCI_ARCHIVE: return "oci-archive";
	case LADING_TARGET_DIR: return "dir";
	case LADING_TARGET_ROOTFS_ARCHIVE: return "rootfs-archive";
	case LADING_TARGET_SBOM: return "sbom";
	case LADING_TARGET_REGISTRY: return "registry";
	default: return "unknown";
	}
}

void lading_target_free(lading_target *t)
{
	if (!t)
		return;
	free(t->path);
	free(t->tag);
	free(t->registry);
	free(t->repository);
	free(t->digest);
	free(t->reference);
	free(t);
}

static int dup_opt(char **out, const char *s)
{
	if (!s)
		return 0;
	return (*out = strdup(s)) ? 0 : -LADING_ENOMEM;
}

int lading_target_parse(lading_target **out, lading_ctx *ctx, const char *text)
{
	*out = NULL;
	if (!ctx || !text)
		return -LADING_EINVAL;
	ctx_begin(ctx);
	lading_target *t = calloc(1, sizeof(*t));
	if (!t)
		return -LADING_ENOMEM;
	int rc = 0;
	if (strncmp(text, "sbom:", 5) == 0) {
		t->kind = LADING_TARGET_SBOM;
		if (!(rc = src_kind_allowed(ctx, text, LADING_TARGET_SBOM, "sbom")))
			rc = dup_opt(&t->path, text + 5);
	} else {
		image_src src = {.ctx = ctx};
		image_ref ref = {0};
		rc = src_parse(&src, text, &ref);
		if (!rc) {
			t->kind = src_kind_bit(src.kind);
			if (src.kind == SRC_REGISTRY) {
				buf b = {0};
				if (!(rc = dup_opt(&t->registry, ref.domain)) && !(rc = dup_opt(&t->repository, ref.repository)) &&
				    !(rc = dup_opt(&t->tag, ref.tag)) && !(rc = dup_opt(&t->digest, ref.digest)) &&
				    !(rc = ref_format(&b, &ref)))
					t->reference = buf_steal(&b, NULL);
				buf_free(&b);
			} else if (!(rc = dup_opt(&t->path, src.path))) {
				rc = dup_opt(&t->tag, src.tag);
			}
		}
		ref_free(&ref);
		free(src.target);
		free(src.path);
		free(src.tag);
	}
	if (rc) {
		lading_target_free(t);
		return rc;
	}
	*out = t;
	return 0;
}
