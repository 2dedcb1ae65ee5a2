/* The ELF reader behind the binary catalogers (see elf.h). It reads only the
 * tables it needs, checks each against the size of the file, and keeps the
 * sections and segments in small arrays so that lookups by name or address
 * never touch bytes that are not there. */
#include "catalog/elf.h"

#include <stdlib.h>

#include "lading/lading.h"

enum {
	EI_CLASS = 4,
	EI_DATA = 5,
	ELFCLASS32 = 1,
	ELFCLASS64 = 2,
	ELFDATA2LSB = 1,
	ELFDATA2MSB = 2,
	SHN_XINDEX = 0xffff,
	PN_XNUM = 0xffff,
};

uint64_t elf_uint(const unsigned char *p, size_t width, bool big_endian)
{
	uint64_t v = 0;
	for (size_t i = 0; i < width; i++) {
		size_t k = big_endian ? i : width - 1 - i;
		v = (v << 8) | p[k];
	}
	return v;
}

bool elf_magic(sv head)
{
	const unsigned char *p = (const unsigned char *)head.p;
	return head.n >= 16 && p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' && p[3] == 'F' &&
	       (p[EI_CLASS] == ELFCLASS32 || p[EI_CLASS] == ELFCLASS64) &&
	       (p[EI_DATA] == ELFDATA2LSB || p[EI_DATA] == ELFDATA2MSB);
}

/* Reads a field of `width` bytes at `off` of the file; the caller has checked
 * the bounds of the structure the field is in. */
static uint64_t rd(const elf_file *e, uint64_t off, size_t width)
{
	return elf_uint((const unsigned char *)e->data.p + off, width, e->big_endian);
}

/* Is [off, off + n) inside the file? */
static bool in_file(const elf_file *e, uint64_t off, uint64_t n)
{
	return off <= e->data.n && n <= e->data.n - off;
}

/* Does a table of `num` entries of `entsize` bytes at `off` fit in the file? */
static bool table_fits(const elf_file *e, uint64_t off, uint64_t num, uint64_t entsize)
{
	uint64_t total;
	if (__builtin_mul_overflow(num, entsize, &total))
		return false;
	return in_file(e, off, total);
}

static void read_section(const elf_file *e, uint64_t at, elf_section *s, uint32_t *name_off, uint32_t *link)
{
	size_t w = e->is64 ? 8 : 4;
	*name_off = (uint32_t)rd(e, at, 4);
	s->type = (uint32_t)rd(e, at + 4, 4);
	s->flags = rd(e, at + 8, w);
	s->addr = rd(e, at + 8 + w, w);
	s->offset = rd(e, at + 8 + 2 * w, w);
	s->size = rd(e, at + 8 + 3 * w, w);
	*link = (uint32_t)rd(e, at + 8 + 4 * w, 4);
}

/* Section headers and their names. Failure here is not fatal (see elf.h). */
static int parse_sections(elf_file *e, uint64_t shoff, uint64_t shnum, uint64_t shentsize, uint64_t shstrndx)
{
	size_t need = e->is64 ? 64 : 40;
	if (shoff == 0 || shentsize < need || !table_fits(e, shoff, 1, shentsize))
		return 0;
	elf_section first;
	uint32_t name0, link0;
	read_section(e, shoff, &first, &name0, &link0);
	/* extended numbering: the real counts live in section 0 */
	if (shnum == 0)
		shnum = first.size;
	if (shstrndx == SHN_XINDEX)
		shstrndx = link0;
	if (shnum == 0 || shnum > ELF_MAX_SECTIONS || !table_fits(e, shoff, shnum, shentsize))
		return 0;
	e->sections = calloc((size_t)shnum, sizeof(*e->sections));
	if (!e->sections)
		return -LADING_ENOMEM;
	uint32_t *names = calloc((size_t)shnum, sizeof(*names));
	if (!names) {
		free(e->sections);
		e->sections = NULL;
		return -LADING_ENOMEM;
	}
	for (uint64_t i = 0; i < shnum; i++) {
		uint32_t link;
		read_section(e, shoff + i * shentsize, &e->sections[i], &names[i], &link);
	}
	e->nsections = (size_t)shnum;
	/* names: NUL-terminated strings inside the string table section */
	sv strtab = {NULL, 0};
	if (shstrndx < shnum && e->sections[shstrndx].type != ELF_SHT_NOBITS)
		elf_section_data(e, &e->sections[shstrndx], &strtab);
	for (size_t i = 0; i < e->nsections; i++) {
		e->sections[i].name = (sv){NULL, 0};
		if (names[i] >= strtab.n)
			continue;
		const char *p = strtab.p + names[i];
		const char *end = memchr(p, 0, strtab.n - names[i]);
		if (end)
			e->sections[i].name = sv_make(p, (size_t)(end - p));
	}
	free(names);
	return 0;
}

static int parse_segments(elf_file *e, uint64_t phoff, uint64_t phnum, uint64_t phentsize)
{
	size_t need = e->is64 ? 56 : 32;
	if (phnum == PN_XNUM && e->nsections > 0) {
		/* the real count is section 0's sh_info; only needed by files with
		 * more than 65534 segments, which we refuse anyway */
		return 0;
	}
	if (phoff == 0 || phnum == 0 || phnum > ELF_MAX_SEGMENTS || phentsize < need ||
	    !table_fits(e, phoff, phnum, phentsize))
		return 0;
	e->segments = calloc((size_t)phnum, sizeof(*e->segments));
	if (!e->segments)
		return -LADING_ENOMEM;
	for (uint64_t i = 0; i < phnum; i++) {
		uint64_t at = phoff + i * phentsize;
		elf_segment *s = &e->segments[i];
		s->type = (uint32_t)rd(e, at, 4);
		if (e->is64) {
			s->flags = (uint32_t)rd(e, at + 4, 4);
			s->offset = rd(e, at + 8, 8);
			s->vaddr = rd(e, at + 16, 8);
			s->filesz = rd(e, at + 32, 8);
			s->memsz = rd(e, at + 40, 8);
		} else {
			s->offset = rd(e, at + 4, 4);
			s->vaddr = rd(e, at + 8, 4);
			s->filesz = rd(e, at + 16, 4);
			s->memsz = rd(e, at + 20, 4);
			s->flags = (uint32_t)rd(e, at + 24, 4);
		}
	}
	e->nsegments = (size_t)phnum;
	return 0;
}

int elf_parse(elf_file *out, sv data)
{
	memset(out, 0, sizeof(*out));
	if (!elf_magic(data))
		return -LADING_EFORMAT;
	const unsigned char *id = (const unsigned char *)data.p;
	out->data = data;
	out->is64 = id[EI_CLASS] == ELFCLASS64;
	out->big_endian = id[EI_DATA] == ELFDATA2MSB;
	if (data.n < (out->is64 ? 64u : 52u))
		return -LADING_EFORMAT;
	out->type = (uint16_t)rd(out, 16, 2);
	out->machine = (uint16_t)rd(out, 18, 2);
	uint64_t phoff, shoff, phentsize, phnum, shentsize, shnum, shstrndx;
	if (out->is64) {
		phoff = rd(out, 32, 8);
		shoff = rd(out, 40, 8);
		phentsize = rd(out, 54, 2);
		phnum = rd(out, 56, 2);
		shentsize = rd(out, 58, 2);
		shnum = rd(out, 60, 2);
		shstrndx = rd(out, 62, 2);
	} else {
		phoff = rd(out, 28, 4);
		shoff = rd(out, 32, 4);
		phentsize = rd(out, 42, 2);
		phnum = rd(out, 44, 2);
		shentsize = rd(out, 46, 2);
		shnum = rd(out, 48, 2);
		shstrndx = rd(out, 50, 2);
	}
	int rc = parse_sections(out, shoff, shnum, shentsize, shstrndx);
	if (!rc)
		rc = parse_segments(out, phoff, phnum, phentsize);
	return rc;
}

void elf_free(elf_file *e)
{
	if (!e)
		return;
	free(e->sections);
	free(e->segments);
	e->sections = NULL;
	e->segments = NULL;
	e->nsections = e->nsegments = 0;
}

const elf_section *elf_section_by_name(const elf_file *e, const char *name)
{
	for (size_t i = 0; i < e->nsections; i++)
		if (sv_eq_cstr(e->sections[i].name, name))
			return &e->sections[i];
	return NULL;
}

bool elf_section_data(const elf_file *e, const elf_section *s, sv *out)
{
	*out = (sv){NULL, 0};
	if (s->type == ELF_SHT_NOBITS || !in_file(e, s->offset, s->size))
		return false;
	*out = sv_make(e->data.p + s->offset, (size_t)s->size);
	return true;
}

/* The file range [off, off + n) that holds the bytes at addr, from the
 * segment (or section) that maps it. */
static bool map_vaddr(const elf_file *e, uint64_t addr, uint64_t *off, uint64_t *avail)
{
	for (size_t i = 0; i < e->nsegments; i++) {
		const elf_segment *s = &e->segments[i];
		if (s->type != ELF_PT_LOAD || addr < s->vaddr || addr - s->vaddr >= s->filesz)
			continue;
		uint64_t d = addr - s->vaddr;
		if (!in_file(e, s->offset, s->filesz))
			continue;
		*off = s->offset + d;
		*avail = s->filesz - d;
		return true;
	}
	if (e->nsegments > 0)
		return false;
	/* no program headers (an object file, or a stripped-down one): use the
	 * sections the loader would map */
	for (size_t i = 0; i < e->nsections; i++) {
		const elf_section *s = &e->sections[i];
		if (!(s->flags & ELF_SHF_ALLOC) || s->type == ELF_SHT_NOBITS || addr < s->addr ||
		    addr - s->addr >= s->size || !in_file(e, s->offset, s->size))
			continue;
		*off = s->offset + (addr - s->addr);
		*avail = s->size - (addr - s->addr);
		return true;
	}
	return false;
}

bool elf_read_vaddr(const elf_file *e, uint64_t addr, uint64_t len, sv *out)
{
	uint64_t off, avail;
	*out = (sv){NULL, 0};
	if (!map_vaddr(e, addr, &off, &avail))
		return false;
	*out = sv_make(e->data.p + off, (size_t)(len < avail ? len : avail));
	return true;
}

bool elf_vaddr_to_offset(const elf_file *e, uint64_t addr, uint64_t *off)
{
	uint64_t avail;
	return map_vaddr(e, addr, off, &avail);
}

bool elf_offset_to_vaddr(const elf_file *e, uint64_t off, uint64_t *addr)
{
	for (size_t i = 0; i < e->nsegments; i++) {
		const elf_segment *s = &e->segments[i];
		if (s->type == ELF_PT_LOAD && off >= s->offset && off - s->offset < s->filesz &&
		    in_file(e, s->offset, s->filesz)) {
			*addr = s->vaddr + (off - s->offset);
			return true;
		}
	}
	for (size_t i = 0; e->nsegments == 0 && i < e->nsections; i++) {
		const elf_section *s = &e->sections[i];
		if ((s->flags & ELF_SHF_ALLOC) && s->type != ELF_SHT_NOBITS && off >= s->offset &&
		    off - s->offset < s->size) {
			*addr = s->addr + (off - s->offset);
			return true;
		}
	}
	return false;
}
