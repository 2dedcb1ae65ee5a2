/* The binary file cataloger: ELF executables and shared objects anywhere in
 * the image, chosen by content (no path names them). Each is parsed once as
 * ELF (elf.c) and handed to the readers of binary.h in turn: Go build info
 * (gobin.c) and cargo-auditable data (rustbin.c), and any later reader
 * (binary classifiers) the same way.
 *
 * The binary classifiers (classify.c) run on every ELF file taken, and on the
 * few small non-ELF files that carry a program's version where its binary
 * does not (a Go tree's VERSION, Python's patchlevel.h, a JDK's release
 * file, Firefox's application.ini): the claims below bring those here.
 *
 * A file is taken when it starts with the ELF magic and is either executable
 * (any x bit) or named like a shared object (NAME.so, NAME.so.1.2, a Node
 * addon NAME.node), which often lack the x bit. Object files and core dumps
 * with neither are left alone: they carry no build info worth the read. */
#include "catalog/binary.h"
#include "catalog/classify.h"
#include "lading/lading.h"

/* The largest binary read. Go binaries of 100-200 MB exist (kubelet-style
 * programs with debug info); the context's max_file_size caps this further. */
#define MAX_BINARY ((uint64_t)512 << 20)

/* NAME.so, NAME.so.<digits>[.<digits>…], NAME.node */
static bool shared_object_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 5 && memcmp(base + n - 5, ".node", 5) == 0)
		return true;
	for (const char *p = base; (p = strstr(p, ".so")) != NULL; p += 3) {
		if (p == base)
			continue;
		const char *q = p + 3;
		while (*q == '.' && q[1] >= '0' && q[1] <= '9') {
			q++;
			while (*q >= '0' && *q <= '9')
				q++;
		}
		if (*q == 0)
			return true;
	}
	return false;
}

static bool sniff(const char *path, sv head, uint32_t mode, uint64_t size)
{
	return size <= MAX_BINARY && elf_magic(head) && ((mode & 0111) != 0 || shared_object_name(path));
}

/* Non-ELF files a classifier reads; classify_wants_path() is the precise test. */
static const cat_claim claims[] = {
    {CLAIM_SUFFIX, "/go/", "/VERSION"},
    {CLAIM_SUFFIX, "/include/python", "/patchlevel.h"},
    {CLAIM_SUFFIX, "jdk", "/release"},
    {CLAIM_SUFFIX, "jre", "/release"},
    {CLAIM_SUFFIX, "/firefox", "/application.ini"},
};

/* Files larger than this are not version files, whatever their name. */
#define MAX_VERSION_FILE ((uint64_t)64 << 10)

static int parse(file_run *run, sv data)
{
	if (!elf_magic(data)) {
		if (data.n > MAX_VERSION_FILE || !classify_wants_path(run->path))
			return 0;
		return classify_catalog(run, data);
	}
	elf_file elf;
	int rc = elf_parse(&elf, data);
	if (rc == -LADING_EFORMAT) {
		file_warn(run, "ELF header unreadable; skipped");
		rc = 0;
	} else if (rc == 0) {
		rc = gobin_catalog(run, &elf);
		if (rc == 0)
			rc = rustbin_catalog(run, &elf);
	}
	elf_free(&elf);
	/* classifiers read the raw bytes: a statically linked library's version
	 * string is wherever the linker put it, even in a file ELF parsing refused */
	if (rc == 0)
		rc = classify_catalog(run, data);
	return rc;
}

const file_cataloger file_cataloger_binary = {
    "binary", claims, sizeof(claims) / sizeof(claims[0]), sniff, MAX_BINARY, parse,
};
