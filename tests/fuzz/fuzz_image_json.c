/* libFuzzer harness for the image source's JSON documents: the input is split
 * at NUL bytes into an OCI index.json, a manifest and a config. They are
 * written into a fresh OCI layout in a private temporary directory, with the
 * manifest and config stored under their real digests; the text "@M" in the
 * index and "@C" in the manifest are replaced by those digests so that the
 * fuzzer can reach past the digest checks. Then the layout is opened as a
 * scan would (layers are not read). */
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "image/image.h"

static char dir[64];

static void digest_of(const void *p, size_t n, char out[80])
{
	unsigned char d[32];
	unsigned int len;
	EVP_Digest(p, n, d, &len, EVP_sha256(), NULL);
	memcpy(out, "sha256:", 7);
	hex_encode(out + 7, d, 32);
}

static void put(const char *name, const void *p, size_t n)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(p, 1, n, f);
	fclose(f);
}

/* Replaces every `tok` in [p,n) with `rep` into a malloc'd buffer. */
static char *subst(const char *p, size_t n, const char *tok, const char *rep, size_t *outn)
{
	buf b = {0};
	for (size_t i = 0; i < n;) {
		if (i + 1 < n && p[i] == tok[0] && p[i + 1] == tok[1]) {
			buf_puts(&b, rep);
			i += 2;
		} else {
			buf_putc(&b, p[i++]);
		}
	}
	buf_reserve(&b, 0);
	return buf_steal(&b, outn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0]) {
		strcpy(dir, "/tmp/lading-fuzz-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		char p[128];
		snprintf(p, sizeof(p), "%s/blobs", dir);
		mkdir(p, 0700);
		snprintf(p, sizeof(p), "%s/blobs/sha256", dir);
		mkdir(p, 0700);
		put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
	}
	const char *parts[3] = {"", "", ""};
	size_t lens[3] = {0, 0, 0}, k = 0, start = 0;
	for (size_t i = 0; i <= size && k < 3; i++) {
		if (i == size || data[i] == 0) {
			parts[k] = (const char *)data + start;
			lens[k++] = i - start;
			start = i + 1;
		}
	}
	char cdig[80], mdig[80], name[128];
	digest_of(parts[2], lens[2], cdig);
	snprintf(name, sizeof(name), "blobs/sha256/%s", cdig + 7);
	put(name, parts[2], lens[2]);
	size_t mn, in;
	char *man = subst(parts[1], lens[1], "@C", cdig, &mn);
	digest_of(man, mn, mdig);
	snprintf(name, sizeof(name), "blobs/sha256/%s", mdig + 7);
	put(name, man, mn);
	char *idx = subst(parts[0], lens[0], "@M", mdig, &in);
	put("index.json", idx, in);
	free(man);
	free(idx);

	lading_ctx *ctx;
	if (lading_ctx_new(&ctx, NULL))
		return 0;
	image_src *src = NULL;
	if (src_open(&src, ctx, dir) == 0)
		src_free(src);
	lading_ctx_free(ctx);
	/* remove this round's blobs so the directory does not grow */
	snprintf(name, sizeof(name), "%s/blobs/sha256/%s", dir, cdig + 7);
	unlink(name);
	snprintf(name, sizeof(name), "%s/blobs/sha256/%s", dir, mdig + 7);
	unlink(name);
	return 0;
}
