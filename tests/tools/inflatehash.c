/* Benchmark baseline: the work reading gzip layers cannot avoid, and nothing
 * else. Each FILE (a gzip layer blob) is read in 256 KiB pieces and inflated
 * with ISA-L, and the two SHA-256 digests the issue asks to check are
 * computed: the blob's (the manifest's digest) and that of the tar it
 * inflates to (the config's diff_id). Two files are in flight at a time, in
 * the order given, and their four streams are hashed together two by two
 * (lsha256_update_parts), as lading's walk does on one thread (twin.h). No tar
 * parsing, no catalogers; the output is one line per file:
 *
 *   sha256:BLOB sha256:DIFF_ID FILE
 *
 * (bench/run.sh checks them against the image). The gap between this and
 * lading is what reading the tar and cataloging cost; trivy's time over this
 * one bounds what any reader that checks both digests could reach against
 * trivy on the same machine.
 *
 *   inflatehash FILE...      exit 0, or 1 naming the first file it could not read
 */
#include <isa-l/igzip_lib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sha256.h"

enum { IN_CHUNK = 256 * 1024, OUT_CHUNK = 256 * 1024 };

typedef struct job {
	const char *path;
	FILE *f;
	struct inflate_state st;
	lsha256 raw, tar;
	unsigned char in[IN_CHUNK], out[OUT_CHUNK];
	size_t n, pos; /* input in `in`, and how much of it is consumed */
	bool eof;
} job;

static int start(job *j, const char *path)
{
	memset(j, 0, sizeof(*j));
	j->path = path;
	if (!(j->f = fopen(path, "rb"))) {
		perror(path);
		return -1;
	}
	if (lsha256_init(&j->raw) || lsha256_init(&j->tar)) {
		fclose(j->f);
		return -1;
	}
	isal_inflate_init(&j->st);
	j->st.crc_flag = ISAL_GZIP;
	return 0;
}

/* One step: up to one output chunk. p[0] gets the raw bytes consumed and
 * p[1] the tar bytes they became. 1 while there is more, 0 at the end, -1 on
 * bad input. */
static int step(job *j, lsha256_part p[2])
{
	p[0] = (lsha256_part){&j->raw, NULL, 0};
	p[1] = (lsha256_part){&j->tar, NULL, 0};
	if (j->pos == j->n) {
		if (j->eof)
			return 0;
		j->n = fread(j->in, 1, IN_CHUNK, j->f);
		j->pos = 0;
		if (j->n == 0) {
			j->eof = true;
			if (ferror(j->f) || j->st.block_state != ISAL_BLOCK_FINISH) {
				fprintf(stderr, "%s: %s\n", j->path, ferror(j->f) ? "read error" : "truncated gzip data");
				return -1;
			}
			return 0;
		}
	}
	if (j->st.block_state == ISAL_BLOCK_FINISH) { /* another member, or padding */
		if (j->n - j->pos < 2 || j->in[j->pos] != 0x1f || j->in[j->pos + 1] != 0x8b) {
			p[0] = (lsha256_part){&j->raw, j->in + j->pos, j->n - j->pos};
			j->pos = j->n;
			return 1;
		}
		isal_inflate_reset(&j->st);
		j->st.crc_flag = ISAL_GZIP;
	}
	j->st.next_in = j->in + j->pos;
	j->st.avail_in = (uint32_t)(j->n - j->pos);
	j->st.next_out = j->out;
	j->st.avail_out = OUT_CHUNK;
	if (isal_inflate(&j->st) != ISAL_DECOMP_OK) {
		fprintf(stderr, "%s: corrupt gzip data\n", j->path);
		return -1;
	}
	size_t was = j->pos, made = OUT_CHUNK - j->st.avail_out;
	j->pos = j->n - j->st.avail_in;
	if (j->pos == was && !made && j->st.block_state != ISAL_BLOCK_FINISH) {
		fprintf(stderr, "%s: the inflater makes no progress\n", j->path);
		return -1;
	}
	p[0] = (lsha256_part){&j->raw, j->in + was, j->pos - was};
	p[1] = (lsha256_part){&j->tar, j->out, made};
	return 1;
}

static void finish(job *j)
{
	unsigned char d[2][32];
	lsha256_final(&j->raw, d[0]);
	lsha256_final(&j->tar, d[1]);
	for (int k = 0; k < 2; k++) {
		printf("sha256:");
		for (int i = 0; i < 32; i++)
			printf("%02x", d[k][i]);
		putchar(' ');
	}
	printf("%s\n", j->path);
	fclose(j->f);
	j->f = NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: inflatehash FILE...\n");
		return 2;
	}
	job *jobs = calloc(2, sizeof(job));
	if (!jobs)
		return 1;
	int next = 1, rc = 0;
	for (int s = 0; s < 2 && next < argc && !rc; s++)
		rc = start(&jobs[s], argv[next++]);
	while (!rc && (jobs[0].f || jobs[1].f)) {
		lsha256_part parts[4];
		size_t k = 0;
		for (int s = 0; s < 2 && !rc; s++) {
			if (!jobs[s].f)
				continue;
			int r = step(&jobs[s], parts + k);
			if (r < 0) {
				rc = -1;
			} else if (r == 0) {
				finish(&jobs[s]);
				if (next < argc)
					rc = start(&jobs[s], argv[next++]);
			} else {
				k += 2;
			}
		}
		lsha256_update_parts(parts, k);
	}
	for (int s = 0; s < 2; s++)
		if (jobs[s].f)
			fclose(jobs[s].f);
	free(jobs);
	return rc ? 1 : 0;
}
