/* The binary cataloger on arbitrary bytes: the ELF reader (header, section
 * and program header tables, address mapping) and both readers it feeds, Go
 * build info and cargo-auditable data. The same bytes also go straight to the
 * cargo-auditable decoder (zlib + JSON), which a fuzzer would otherwise
 * rarely reach through a valid .dep-v0 section. */
#include <stdlib.h>

#include "catalog/binary.h"
#include "inventory.h"
#include "lading/lading.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	lading_inventory *inv = NULL;
	if (inv_new(&inv))
		return 0;
	file_run run = {.inv = inv, .path = "/usr/bin/fuzz"};
	sv in = sv_make(data, size);
	(void)file_cataloger_binary.sniff("/usr/bin/fuzz", in, 0100755, size);
	(void)file_cataloger_binary.parse(&run, in);
	(void)rustbin_add_packages(&run, in);
	elf_file e;
	if (elf_parse(&e, in) == 0) {
		/* every segment's and section's start and end, through the mapping */
		sv out;
		uint64_t off;
		for (size_t i = 0; i < e.nsegments; i++) {
			(void)elf_read_vaddr(&e, e.segments[i].vaddr, e.segments[i].memsz, &out);
			(void)elf_read_vaddr(&e, e.segments[i].vaddr + e.segments[i].filesz - 1, 16, &out);
			(void)elf_offset_to_vaddr(&e, e.segments[i].offset, &off);
		}
		for (size_t i = 0; i < e.nsections; i++) {
			(void)elf_section_data(&e, &e.sections[i], &out);
			(void)elf_vaddr_to_offset(&e, e.sections[i].addr, &off);
		}
	}
	elf_free(&e);
	lading_inventory_free(inv);
	return 0;
}
