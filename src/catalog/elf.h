/* A bounded ELF reader for the binary catalogers: the header, the section
 * table (with names) and the loadable segments of a 32- or 64-bit file of
 * either byte order, read from a view of the whole file. Nothing here trusts
 * the file: every offset, size and count is checked against the view before
 * it is used, and a section or segment that points outside the file is kept
 * but yields no bytes. The file is parsed once (elf_parse) and the result is
 * shared by every reader of ELF content (Go build info, cargo-auditable data,
 * binary classifiers). */
#ifndef LADING_CATALOG_ELF_H
#define LADING_CATALOG_ELF_H

#include "util/util.h"

enum {
	ELF_SHT_NOBITS = 8,
	ELF_SHF_WRITE = 1,
	ELF_SHF_ALLOC = 2,
	ELF_PT_LOAD = 1,
	ELF_PF_X = 1,
	ELF_PF_W = 2,
	/* Files with more are refused: real ones have a few dozen sections and
	 * a dozen segments; this bounds the memory a hostile header can ask for. */
	ELF_MAX_SECTIONS = 65536,
	ELF_MAX_SEGMENTS = 4096,
};

typedef struct elf_section {
	sv name;	 /* borrowed from the file; empty when the name is out of bounds */
	uint32_t type;	 /* SHT_* */
	uint64_t flags;	 /* SHF_* */
	uint64_t addr;	 /* virtual address when loaded */
	uint64_t offset; /* in the file */
	uint64_t size;
} elf_section;

typedef struct elf_segment {
	uint32_t type;	/* PT_* */
	uint32_t flags; /* PF_* */
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
} elf_segment;

typedef struct elf_file {
	sv data; /* the whole file, borrowed */
	bool is64;
	bool big_endian;
	uint16_t type;	  /* ET_EXEC, ET_DYN, ... */
	uint16_t machine; /* EM_* */
	size_t nsections;
	elf_section *sections;
	size_t nsegments;
	elf_segment *segments;
} elf_file;

/* Is this the start of an ELF file (magic, class and data bytes valid)? */
bool elf_magic(sv head);

/* Parses the header, section table and program headers of `data` (which must
 * outlive *out). Returns 0, -LADING_EFORMAT when it is not an ELF file or its
 * header is unusable, or -LADING_ENOMEM. A bad section or program header
 * table is dropped (nsections / nsegments = 0), not an error: the other
 * table may still be good. Free with elf_free, also after a failure. */
int elf_parse(elf_file *out, sv data);
void elf_free(elf_file *e);

/* The first section named `name`, or NULL. */
const elf_section *elf_section_by_name(const elf_file *e, const char *name);
/* The bytes of a section; false for SHT_NOBITS or when it lies outside the file. */
bool elf_section_data(const elf_file *e, const elf_section *s, sv *out);

/* Up to `len` bytes at virtual address `addr`, as the loader would map them:
 * from the PT_LOAD segment holding addr (or, without segments, the allocated
 * section holding it), cut at the end of that segment's file bytes. False
 * when no segment maps addr. *out may be shorter than len. */
bool elf_read_vaddr(const elf_file *e, uint64_t addr, uint64_t len, sv *out);
/* The file offset that virtual address addr maps to, or false. */
bool elf_vaddr_to_offset(const elf_file *e, uint64_t addr, uint64_t *off);
/* The virtual address file offset `off` is loaded at, or false. */
bool elf_offset_to_vaddr(const elf_file *e, uint64_t off, uint64_t *addr);

/* Reads an unsigned integer of 2, 4 or 8 bytes in the given byte order from
 * p, which the caller has checked holds that many bytes. */
uint64_t elf_uint(const unsigned char *p, size_t width, bool big_endian);

#endif
