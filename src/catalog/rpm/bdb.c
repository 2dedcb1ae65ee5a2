/* Reader for rpm's Berkeley DB `Packages` file (CentOS/RHEL <= 8, old SUSE):
 * a DB hash database whose keys are header numbers and whose values are
 * header blobs. We never use libdb: we walk the pages ourselves.
 *
 * Layout (libdb's db_page.h): page 0 is the hash metadata page (magic
 * 0x061561 at offset 12 in the writer's byte order, page size at 20, last
 * page number at 32). Every page starts with a 26-byte header (pgno at 8,
 * next pgno at 16, entry count at 20, high free offset at 22, type at 25).
 * Hash pages (type 13, or 2 "unsorted" in DB 4.x on CentOS 5) hold an array of
 * 2-byte item offsets after the header, in key/data pairs. A data item starting
 * with H_OFFPAGE (3) names the first overflow page (type 7) of a chain that
 * holds the value; each overflow page carries its byte count in the high free
 * offset field. Small values may be inline (H_KEYDATA, 1): their length is the
 * distance to the previous item, since items are packed down from page end.
 *
 * Hostile input: pages past the end of the file are not read; every overflow
 * page may be used by one chain only (a bitmap), which stops loops and makes
 * the total work linear in the file size. */
#include <stdlib.h>

#include "catalog/rpm/rpm.h"

#define BDB_HASH_MAGIC	0x061561u
#define P_HASH_UNSORTED 2
#define P_OVERFLOW	7
#define P_HASHMETA	8
#define P_HASH		13
#define H_KEYDATA	1
#define H_OFFPAGE	3
#define PAGE_HDR	26

typedef struct bdb {
	const unsigned char *p;
	size_t len;
	bool swapped; /* written big-endian */
	uint32_t pagesize;
	uint32_t npages;     /* pages actually present in the file, bounded by last_pgno + 1 */
	unsigned char *used; /* overflow pages already consumed, one bit each */
	const rpm_sink *sink;
} bdb;

static uint32_t rd32(const bdb *d, const unsigned char *q)
{
	if (d->swapped)
		return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | (uint32_t)q[3];
	return (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | (uint32_t)q[0];
}

static uint16_t rd16(const bdb *d, const unsigned char *q)
{
	return d->swapped ? (uint16_t)(q[0] << 8 | q[1]) : (uint16_t)(q[1] << 8 | q[0]);
}

static const unsigned char *page(const bdb *d, uint32_t pgno) { return d->p + (size_t)pgno * d->pagesize; }

/* Assembles an overflow chain of `tlen` bytes starting at `pgno` into *out
 * (malloc'd). Returns 0, -LADING_EFORMAT (bad chain, *why set) or -LADING_ENOMEM. */
static int read_chain(bdb *d, uint32_t pgno, uint32_t tlen, unsigned char **out, const char **why)
{
	*out = NULL;
	/* a value can never be larger than the file that holds it */
	if (tlen == 0 || tlen > d->len || tlen > 8 + 16 * (uint64_t)RPM_MAX_IL + RPM_MAX_DL) {
		*why = "value length out of range";
		return -LADING_EFORMAT;
	}
	unsigned char *v = malloc(tlen);
	if (!v)
		return -LADING_ENOMEM;
	uint32_t have = 0;
	while (have < tlen) {
		if (pgno == 0 || pgno >= d->npages) {
			*why = "overflow chain leaves the file";
			goto bad;
		}
		if (d->used[pgno / 8] & (1u << (pgno % 8))) {
			*why = "overflow page used twice (loop or shared chain)";
			goto bad;
		}
		d->used[pgno / 8] |= (unsigned char)(1u << (pgno % 8));
		const unsigned char *pg = page(d, pgno);
		if (pg[25] != P_OVERFLOW) {
			*why = "overflow chain reaches a page that is not an overflow page";
			goto bad;
		}
		uint32_t n = rd16(d, pg + 22);
		if (n == 0 || n > d->pagesize - PAGE_HDR) {
			*why = "overflow page length out of range";
			goto bad;
		}
		if (n > tlen - have)
			n = tlen - have;
		memcpy(v + have, pg + PAGE_HDR, n);
		have += n;
		pgno = rd32(d, pg + 16);
	}
	*out = v;
	return 0;
bad:
	free(v);
	return -LADING_EFORMAT;
}

/* Length of inline item `i` on a hash page, or 0 if its offsets are bad. */
static uint32_t item_len(const bdb *d, const unsigned char *pg, uint32_t i)
{
	uint32_t off = rd16(d, pg + PAGE_HDR + (size_t)i * 2);
	uint32_t end = i == 0 ? d->pagesize : rd16(d, pg + PAGE_HDR + (size_t)(i - 1) * 2);
	return off < end && end <= d->pagesize ? end - off : 0;
}

static int read_hash_page(bdb *d, uint32_t pgno)
{
	const unsigned char *pg = page(d, pgno);
	uint32_t n = rd16(d, pg + 20);
	if ((size_t)PAGE_HDR + (size_t)n * 2 > d->pagesize) {
		rpm_warnf(d->sink, "hash page %u: item count %u does not fit the page; page skipped", pgno,
			  n);
		return 0;
	}
	if (n % 2)
		rpm_warnf(d->sink, "hash page %u: odd item count %u; last item ignored", pgno, n);
	for (uint32_t i = 0; i + 1 < n; i += 2) {
		uint32_t koff = rd16(d, pg + PAGE_HDR + (size_t)i * 2);
		uint32_t doff = rd16(d, pg + PAGE_HDR + (size_t)(i + 1) * 2);
		if (koff >= d->pagesize || doff >= d->pagesize) {
			rpm_warnf(d->sink, "hash page %u item %u: offset outside the page; skipped", pgno,
				  i / 2);
			continue;
		}
		/* the key is the header number, written in the database's byte order */
		uint64_t recno = UINT64_MAX;
		uint32_t klen = item_len(d, pg, i);
		if (pg[koff] == H_KEYDATA && klen == 5)
			recno = rd32(d, pg + koff + 1);
		int rc;
		if (pg[doff] == H_OFFPAGE) {
			if (doff + 12u > d->pagesize) {
				rpm_warnf(d->sink,
					  "hash page %u item %u: off-page item cut by the page end; skipped",
					  pgno, i / 2);
				continue;
			}
			unsigned char *v;
			const char *why = NULL;
			rc = read_chain(d, rd32(d, pg + doff + 4), rd32(d, pg + doff + 8), &v, &why);
			if (rc == -LADING_ENOMEM)
				return rc;
			if (rc) {
				rpm_warnf(d->sink, "record %lld (hash page %u item %u): %s; skipped",
					  recno == UINT64_MAX ? -1LL : (long long)recno, pgno, i / 2, why);
				continue;
			}
			rc = d->sink->blob(d->sink->ud, sv_make(v, rd32(d, pg + doff + 8)),
					   recno == UINT64_MAX ? (uint64_t)pgno << 16 | i / 2 : recno);
			free(v);
		} else if (pg[doff] == H_KEYDATA) {
			/* Record 0 is rpm's own counter (the next header number), not a header. */
			if (recno == 0)
				continue;
			uint32_t len = item_len(d, pg, i + 1);
			if (len < 2) {
				rpm_warnf(d->sink, "hash page %u item %u: bad inline item length; skipped",
					  pgno, i / 2);
				continue;
			}
			rc = d->sink->blob(d->sink->ud, sv_make(pg + doff + 1, len - 1),
					   recno == UINT64_MAX ? (uint64_t)pgno << 16 | i / 2 : recno);
		} else {
			continue; /* duplicates sets are never used by rpm */
		}
		if (rc)
			return rc;
	}
	return 0;
}

int rpm_bdb_read(sv db, const rpm_sink *sink)
{
	bdb d = {.p = (const unsigned char *)db.p, .len = db.n, .sink = sink};
	if (db.n < 512)
		return -LADING_EFORMAT;
	/* The magic tells us the writer's byte order; both exist in the wild. */
	d.swapped = false;
	if (rd32(&d, d.p + 12) != BDB_HASH_MAGIC) {
		d.swapped = true;
		if (rd32(&d, d.p + 12) != BDB_HASH_MAGIC)
			return -LADING_EFORMAT;
	}
	d.pagesize = rd32(&d, d.p + 20);
	if (d.pagesize < 512 || d.pagesize > 65536 || (d.pagesize & (d.pagesize - 1)))
		return -LADING_EFORMAT;
	if (d.p[24] != 0 || d.p[25] != P_HASHMETA)
		return -LADING_EFORMAT; /* encrypted, or not a hash database */
	uint32_t last = rd32(&d, d.p + 32);
	size_t have = db.n / d.pagesize;
	if (have == 0)
		return -LADING_EFORMAT;
	if ((uint64_t)last + 1 > have) {
		rpm_warnf(sink, "file holds %zu pages but the metadata names %llu; reading what is there",
			  have, (unsigned long long)last + 1);
		d.npages = (uint32_t)have;
	} else {
		d.npages = last + 1;
	}
	d.used = calloc((size_t)d.npages / 8 + 1, 1);
	if (!d.used)
		return -LADING_ENOMEM;
	int rc = 0;
	for (uint32_t pgno = 1; pgno < d.npages && rc == 0; pgno++) {
		uint8_t type = page(&d, pgno)[25];
		if (type == P_HASH || type == P_HASH_UNSORTED)
			rc = read_hash_page(&d, pgno);
	}
	free(d.used);
	return rc;
}
