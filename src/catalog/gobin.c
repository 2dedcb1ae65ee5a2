/* Go binaries: the build info the Go linker embeds (what `go version -m`
 * prints) turned into packages: the toolchain as "stdlib", the main module
 * and each dependency module.
 *
 * The build info starts with a 32-byte header at a 16-byte aligned address:
 * the magic "\xff Go buildinf:", the pointer size (byte 14) and flags (byte
 * 15). Go 1.18 and later (flags bit 1) follow the header with two
 * uvarint-length-prefixed strings, the Go version and the module info. Older
 * toolchains put two pointers after the header (in the byte order of flags
 * bit 0), each to a Go string header {data pointer, length} elsewhere in the
 * data segment. The module info is wrapped in 16-byte sentinels. This
 * follows Go's own debug/buildinfo (go1.19 and later) step by step, so that
 * a binary we read is one `go version -m` reads, and the other way round. */
#include <stdlib.h>

#include "catalog/binary.h"
#include "lading/lading.h"

static const char magic[] = "\xff Go buildinf:";
enum {
	MAGIC_LEN = 14,
	HEADER_SIZE = 32,
	ALIGN = 16,
	SEARCH_LIMIT = 64 * 1024, /* debug/buildinfo reads this much of the data segment */
	MAX_STRING = 16 << 20,	  /* a version or module info string longer than this is refused */
	MAX_MODULES = 20000,	  /* real binaries list a few hundred */
	FLAG_BIG_ENDIAN = 1,
	FLAG_INLINE = 2,
};

/* Where addresses point: into an ELF file's segments, or (flat) offsets
 * into a plain view. */
typedef struct reader {
	const elf_file *elf;
	sv flat;
} reader;

static bool read_at(const reader *r, uint64_t addr, uint64_t len, sv *out)
{
	if (r->elf)
		return elf_read_vaddr(r->elf, addr, len, out);
	if (addr >= r->flat.n)
		return false;
	uint64_t avail = r->flat.n - addr;
	*out = sv_make(r->flat.p + addr, (size_t)(len < avail ? len : avail));
	return true;
}

/* A uvarint-prefixed string at the start of *s; advances *s past it. */
static bool decode_string(sv *s, sv *out)
{
	uint64_t v = 0;
	size_t i = 0;
	for (unsigned shift = 0;; shift += 7, i++) {
		if (i >= s->n || i >= 10)
			return false;
		unsigned char c = (unsigned char)s->p[i];
		if (i == 9 && c > 1)
			return false; /* overflows 64 bits */
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			break;
	}
	i++;
	if (v > s->n - i || v > MAX_STRING)
		return false;
	*out = sv_make(s->p + i, (size_t)v);
	s->p += i + v;
	s->n -= i + v;
	return true;
}

/* A Go string header {ptr, len} at addr, then the bytes it points at. */
static bool read_go_string(const reader *r, uint64_t addr, size_t ptr_size, bool big, sv *out)
{
	sv hdr;
	if (!read_at(r, addr, 2 * ptr_size, &hdr) || hdr.n < 2 * ptr_size)
		return false;
	uint64_t data = elf_uint((const unsigned char *)hdr.p, ptr_size, big);
	uint64_t len = elf_uint((const unsigned char *)hdr.p + ptr_size, ptr_size, big);
	if (len > MAX_STRING)
		return false;
	if (len == 0) {
		*out = (sv){NULL, 0};
		return true;
	}
	return read_at(r, data, len, out) && out->n == len;
}

/* Decodes the header at h (HEADER_SIZE bytes, followed by the rest of the
 * region in `after`). */
static int decode(go_buildinfo *out, const reader *r, const unsigned char *h, sv after)
{
	size_t ptr_size = h[14];
	unsigned flags = h[15];
	sv vers = {NULL, 0}, mod = {NULL, 0};
	if (flags & FLAG_INLINE) {
		if (!decode_string(&after, &vers) || !decode_string(&after, &mod))
			return -LADING_EFORMAT;
	} else {
		if (ptr_size != 4 && ptr_size != 8)
			return -LADING_EFORMAT;
		/* old headers: flags is only the byte order (debug/buildinfo: != 0 is big) */
		bool big = flags != 0;
		uint64_t pv = elf_uint(h + 16, ptr_size, big);
		uint64_t pm = elf_uint(h + 16 + ptr_size, ptr_size, big);
		if (!read_go_string(r, pv, ptr_size, big, &vers))
			return -LADING_EFORMAT;
		if (!read_go_string(r, pm, ptr_size, big, &mod))
			mod = (sv){NULL, 0};
	}
	if (vers.n == 0)
		return -LADING_ENOTFOUND;
	/* the module info is wrapped in 16-byte sentinels; the last line ends
	 * just before the closing one */
	if (mod.n >= 33 && mod.p[mod.n - 17] == '\n')
		mod = sv_make(mod.p + 16, mod.n - 32);
	else
		mod = (sv){NULL, 0};
	out->version = vers;
	out->modinfo = mod;
	return 0;
}

/* Searches `region` (whose first byte is at a 16-byte aligned address) for
 * an aligned header in its first `limit` bytes. */
static int search(go_buildinfo *out, const reader *r, sv region, size_t limit)
{
	size_t pos = 0;
	sv m = sv_make(magic, MAGIC_LEN);
	while (pos < region.n && pos < limit) {
		size_t i = sv_find_sv(sv_make(region.p + pos, region.n - pos), m);
		if (i == SIZE_MAX)
			break;
		i += pos;
		if (i >= limit || region.n - i < HEADER_SIZE)
			break;
		if (i % ALIGN == 0) {
			const unsigned char *h = (const unsigned char *)region.p + i;
			return decode(out, r, h,
				      sv_make(region.p + i + HEADER_SIZE, region.n - i - HEADER_SIZE));
		}
		pos = i + 1;
	}
	return -LADING_ENOTFOUND;
}

int gobin_find(go_buildinfo *out, const elf_file *elf)
{
	memset(out, 0, sizeof(*out));
	reader r = {.elf = elf};
	sv region;
	const elf_section *s = elf_section_by_name(elf, ".go.buildinfo");
	if (s) {
		/* the strings of the inline format follow the header in the same
		 * segment, so read to the end of it, not just the section */
		if (!elf_read_vaddr(elf, s->addr, UINT64_MAX, &region) && !elf_section_data(elf, s, &region))
			return -LADING_EFORMAT;
		int rc = search(out, &r, region, SEARCH_LIMIT);
		return rc == -LADING_ENOTFOUND ? -LADING_EFORMAT : rc;
	}
	for (size_t i = 0; i < elf->nsegments; i++) {
		const elf_segment *g = &elf->segments[i];
		if (g->type != ELF_PT_LOAD || (g->flags & (ELF_PF_X | ELF_PF_W)) != ELF_PF_W)
			continue;
		if (!elf_read_vaddr(elf, g->vaddr, UINT64_MAX, &region))
			return -LADING_ENOTFOUND;
		return search(out, &r, region, SEARCH_LIMIT);
	}
	if (elf->nsegments == 0 && elf->nsections == 0)
		return gobin_find_flat(out, elf->data);
	return -LADING_ENOTFOUND;
}

int gobin_find_flat(go_buildinfo *out, sv data)
{
	memset(out, 0, sizeof(*out));
	reader r = {.flat = data};
	return search(out, &r, data, data.n);
}

/* ---- module info -> packages ---------------------------------------------- */

typedef struct module {
	sv path, version, rpath, rversion;
	bool main, replaced;
} module;

/* Splits a line into at most `max` tab-separated fields; returns how many
 * there were (more than max = max + 1). */
static size_t fields(sv line, sv *f, size_t max)
{
	size_t n = 0;
	for (;;) {
		size_t t = sv_find(line, '\t');
		if (n == max)
			return max + 1;
		if (t == SIZE_MAX) {
			f[n++] = line;
			return n;
		}
		f[n++] = sv_make(line.p, t);
		line.p += t + 1;
		line.n -= t + 1;
	}
}

static char *dup_sv(sv s, bool *oom)
{
	char *p = malloc(s.n + 1);
	if (!p) {
		*oom = true;
		return NULL;
	}
	if (s.n)
		memcpy(p, s.p, s.n);
	p[s.n] = 0;
	return p;
}

/* Adds one package; strings are copied by inv_add_package. */
static int add(file_run *run, sv name, sv version, sv arch, sv src_name, sv src_version)
{
	bool oom = false;
	char *n = dup_sv(name, &oom), *v = version.n ? dup_sv(version, &oom) : NULL;
	char *a = arch.n ? dup_sv(arch, &oom) : NULL, *sn = src_name.n ? dup_sv(src_name, &oom) : NULL;
	char *sver = src_version.n ? dup_sv(src_version, &oom) : NULL;
	int rc = -LADING_ENOMEM;
	if (!oom) {
		lading_package p = {.type = LADING_PKG_GOLANG,
				    .name = n,
				    .version = v,
				    .arch = a,
				    .source_name = sn,
				    .source_version = sver,
				    .db_path = run->path};
		rc = inv_add_package(run->inv, &p);
	}
	free(n);
	free(v);
	free(a);
	free(sn);
	free(sver);
	return rc;
}

/* The toolchain version as the matcher's Go comparator reads it: "go1.21.3"
 * from "go1.21.3 X:boringcrypto"; anything else ("devel go1.23-abc …") as
 * written, which the comparator refuses rather than guesses. */
static sv toolchain_version(sv v)
{
	v = sv_trim(v);
	if (sv_starts_with(v, SV_LIT("go"))) {
		for (size_t i = 0; i < v.n; i++)
			if (v.p[i] == ' ' || v.p[i] == '\t') {
				v.n = i;
				break;
			}
	}
	return v;
}

int gobin_add_packages(file_run *run, const go_buildinfo *bi)
{
	VEC(module) mods = {0};
	size_t last_i = SIZE_MAX; /* the module a "=>" line replaces */
	sv arch = {NULL, 0};
	int rc = 0;
	bool warned_cap = false;
	sv rest = bi->modinfo;
	size_t lineno = 0;
	while (rc == 0 && rest.n) {
		/* like debug.ParseBuildInfo, a last line without its newline is not read */
		size_t nl = sv_find(rest, '\n');
		if (nl == SIZE_MAX)
			break;
		sv line = sv_make(rest.p, nl);
		rest.p += nl + 1;
		rest.n -= nl + 1;
		lineno++;
		sv f[4];
		if (sv_starts_with(line, SV_LIT("mod\t")) || sv_starts_with(line, SV_LIT("dep\t"))) {
			bool is_main = line.p[0] == 'm';
			size_t n = fields(sv_make(line.p + 4, line.n - 4), f, 3);
			last_i = SIZE_MAX;
			if ((n != 2 && n != 3) || f[0].n == 0) {
				file_warn(run,
					  "Go build info line %zu: a module line needs a path and a version; "
					  "skipped",
					  lineno);
				continue;
			}
			if (mods.n >= MAX_MODULES) {
				if (!warned_cap)
					file_warn(
					    run, "Go build info lists more than %d modules; the rest skipped",
					    MAX_MODULES);
				warned_cap = true;
				continue;
			}
			module m = {.path = f[0], .version = f[1], .main = is_main};
			if ((rc = vec_push(&mods, m)) != 0)
				break;
			last_i = mods.n - 1;
		} else if (sv_starts_with(line, SV_LIT("=>\t"))) {
			size_t n = fields(sv_make(line.p + 3, line.n - 3), f, 3);
			if (n != 3 || f[0].n == 0) {
				file_warn(run,
					  "Go build info line %zu: a replacement needs a path, a version and "
					  "a sum; "
					  "skipped",
					  lineno);
			} else if (last_i == SIZE_MAX) {
				file_warn(
				    run,
				    "Go build info line %zu: a replacement with no module before it; skipped",
				    lineno);
			} else {
				module *m = &mods.v[last_i];
				m->rpath = f[0];
				m->rversion = f[1];
				m->replaced = true;
			}
			last_i = SIZE_MAX;
		} else if (sv_starts_with(line, SV_LIT("build\tGOARCH="))) {
			arch = sv_make(line.p + strlen("build\tGOARCH="), line.n - strlen("build\tGOARCH="));
		}
		/* "path", "go", other build settings and unknown lines carry no package */
	}
	if (rc == 0) {
		sv tv = toolchain_version(bi->version);
		rc = add(run, SV_LIT("stdlib"), tv, arch, (sv){NULL, 0}, (sv){NULL, 0});
	}
	for (size_t i = 0; rc == 0 && i < mods.n; i++) {
		const module *m = &mods.v[i];
		/* Advisories name the module path the code was imported by, so the
		 * package keeps the original path. A replacement by another module
		 * version is the code actually built in: its version is the one to
		 * match, and the replacement's path goes into source_name. A
		 * replacement by a local directory (no version) keeps the version
		 * that was required. */
		sv version = m->replaced && m->rversion.n ? m->rversion : m->version;
		sv sname = m->replaced ? m->rpath : (sv){NULL, 0};
		sv sversion = m->replaced ? m->rversion : (sv){NULL, 0};
		rc = add(run, m->path, version, arch, sname, sversion);
	}
	vec_free(&mods);
	return rc;
}

int gobin_catalog(file_run *run, const elf_file *elf)
{
	go_buildinfo bi;
	int rc = gobin_find(&bi, elf);
	if (rc == -LADING_ENOTFOUND)
		return 0;
	if (rc) {
		file_warn(run, "Go build info present but unreadable; skipped");
		return 0;
	}
	return gobin_add_packages(run, &bi);
}
