/* libFuzzer harness for lading_findings_filter's two parsers of caller
 * input: the input is passed as an OpenVEX document (vex_docs) and, in a
 * second call, as ignore rules (ignore_text), against a few hand-made
 * findings whose ids and purls the seeds name (openvex/vexctl's documents in
 * tests/fuzz/seeds/vex/; seed.sh adds documents naming the findings of
 * lading's own scans). Checks: a failing call removes nothing; what VEX
 * removes is kept with a not_affected or fixed status; nothing is lost. */
#include <stdlib.h>
#include <string.h>

#include "lading/lading.h"
#include "match/match_priv.h"
#include "purl.h"

/* Hand-made findings: the packages, ids and image the seeds talk about. */
static lading_findings *findings(void)
{
	static const char *const alias[] = {"GHSA-0000-0000-0000"};
	const lading_finding f[] = {
	    {.package = 0, .package_name = "bash", .vuln_id = "CVE-1234-5678", .purl = "pkg:apk/wolfi/bash@1.0.0"},
	    {.package = 1,
	     .package_name = "git",
	     .vuln_id = "CVE-2014-123456",
	     .purl = "pkg:apk/distro/git@2.39.0-r1?arch=x86_64"},
	    {.package = 2,
	     .package_name = "musl",
	     .vuln_id = "CVE-2019-14697",
	     .naliases = 1,
	     .aliases = alias,
	     .status = LADING_VULN_FIXED,
	     .purl = "pkg:apk/alpine/musl@1.1.15-r4?arch=x86_64&distro=3.10.9"},
	    {.package = 3, .package_name = "nginx", .vuln_id = "CVE-2009-4487", .purl = "pkg:deb/debian/nginx@1.22.1-9"},
	};
	lading_findings *fs = NULL;
	if (findings_new(&fs))
		abort();
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (findings_add(fs, &f[i]))
			abort();
	lading_image_info img = {.name = "registry.k8s.io/kube-apiserver:v1.26.0",
				 .manifest_digest =
				     "sha256:f271e74b17ced29b915d351685fd4644785c6d1559dd1f2d4189a5e851ef753a",
				 .architecture = "amd64"};
	fs->image_name = img.name;
	fs->image_digest = img.manifest_digest;
	fs->image_purl = purl_image(&fs->a, &img, false);
	return fs;
}

static void run(lading_ctx *ctx, const lading_filter *flt)
{
	lading_findings *fs = findings();
	size_t n = lading_findings_count(fs);
	int rc = lading_findings_filter(fs, ctx, flt);
	size_t kept = lading_findings_count(fs), vexed = lading_findings_vex_count(fs);
	if (rc && (kept != n || vexed != 0))
		abort();
	if (!rc && kept + lading_findings_suppressed(fs) != n)
		abort();
	for (size_t i = 0; i < vexed; i++) {
		const lading_finding *f = lading_findings_vex_get(fs, i);
		if (f->vex_status != LADING_VEX_NOT_AFFECTED && f->vex_status != LADING_VEX_FIXED)
			abort();
	}
	for (size_t i = 0; i < kept; i++) {
		const lading_finding *f = lading_findings_get(fs, i);
		if ((unsigned)f->vex_status > LADING_VEX_UNDER_INVESTIGATION ||
		    (f->vex_status != LADING_VEX_NONE && !lading_vex_status_name(f->vex_status)))
			abort();
	}
	lading_findings_free(fs);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* a copy of exactly `size` bytes, so that reading past it is caught */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	lading_options o = {.struct_size = sizeof(o), .max_file_size = 1 << 20};
	lading_ctx *ctx;
	if (lading_ctx_new(&ctx, &o)) {
		free(text);
		return 0;
	}
	lading_vex_doc d = {text, size};
	lading_filter vex = {.struct_size = sizeof(vex), .vex_docs = &d, .nvex_docs = 1};
	run(ctx, &vex);
	lading_filter ign = {.struct_size = sizeof(ign), .ignore_text = text, .ignore_len = size, .today = "2024-06-01"};
	run(ctx, &ign);
	lading_ctx_free(ctx);
	free(text);
	return 0;
}
