/* The readers behind the binary file cataloger (binary.c). binary.c sniffs
 * and parses an ELF file once, then hands the parsed file to each reader in
 * turn; a reader adds what it recognises to run->inv with db_path = the
 * binary's path and warns (file_warn) about what it could not read. Each
 * returns 0, or -LADING_ENOMEM (the only error that stops a scan). To add a
 * reader (a binary classifier, say): write a function of this shape and call
 * it from binary.c's parse(). */
#ifndef LADING_CATALOG_BINARY_H
#define LADING_CATALOG_BINARY_H

#include "catalog/catalog.h"
#include "catalog/elf.h"

/* ---- Go build info (gobin.c) ---- */

/* The two strings a Go binary's build info holds, borrowed from the file. */
typedef struct go_buildinfo {
	sv version; /* the toolchain: "go1.21.3", "go1.22.1 X:boringcrypto", "devel go1.23-…" */
	sv modinfo; /* "path\t…\nmod\t…\ndep\t…\n" without its 16-byte sentinels; empty without modules */
} go_buildinfo;

/* Finds and decodes the build info of an ELF file: the .go.buildinfo
 * section, else (as `go version -m` does) the first 64 KiB of the first
 * writable, non-executable segment, else for a file with neither sections
 * nor segments the whole file. Returns 0, -LADING_ENOTFOUND when the file is
 * not a Go binary, -LADING_EFORMAT when the header is there but unreadable. */
int gobin_find(go_buildinfo *out, const elf_file *elf);
/* The same on bytes that are not an ELF file: the magic is searched for in
 * the whole view and addresses (Go < 1.18's pointers) are offsets into it.
 * For the fuzz harness and for tests of the two header formats. */
int gobin_find_flat(go_buildinfo *out, sv data);
/* Adds the packages build info describes: "stdlib" at the toolchain's
 * version, the main module and every dependency (see docs/catalogers.md for
 * how replacements and "(devel)" are reported). Bad lines are skipped with
 * a warning. */
int gobin_add_packages(file_run *run, const go_buildinfo *bi);
/* gobin_find + gobin_add_packages; no Go build info is not a warning. */
int gobin_catalog(file_run *run, const elf_file *elf);

/* ---- cargo-auditable (rustbin.c) ---- */

/* Decodes cargo-auditable's zlib-compressed JSON (the .dep-v0 section's
 * bytes) and adds its crates. */
int rustbin_add_packages(file_run *run, sv compressed);
/* Reads the .dep-v0 section if there is one. */
int rustbin_catalog(file_run *run, const elf_file *elf);

#endif
