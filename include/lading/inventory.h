/* The inventory: what is inside an image. This is the bill of materials that
 * every writer, the matcher and the store read; nothing re-parses the image.
 *
 * The structs below are read-only views handed out by the getters; their
 * strings are borrowed from the inventory and live as long as it does.
 * Optional strings are NULL when unknown. New fields are only appended.
 *
 * Threads and lifetimes: an inventory is immutable once a call has returned
 * it, so any number of threads may read it at once (getters, matching,
 * rendering); it is freed once, by its owner, when no reader remains. It
 * holds no reference to the context that made it. */
#ifndef LADING_INVENTORY_H
#define LADING_INVENTORY_H

#include "lading/export.h"
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lading_ctx lading_ctx;
typedef struct lading_inventory lading_inventory;

typedef enum lading_pkg_type {
	/* OS packages */
	LADING_PKG_DPKG = 1,
	LADING_PKG_APK = 2,
	LADING_PKG_RPM = 3,
	/* language packages */
	LADING_PKG_NPM = 10,
	LADING_PKG_PYPI = 11,
	LADING_PKG_GEM = 12,
	LADING_PKG_GOLANG = 13,
	LADING_PKG_CARGO = 14,
	LADING_PKG_MAVEN = 15,
	LADING_PKG_COMPOSER = 16,
	LADING_PKG_NUGET = 17,
	/* programs and libraries recognised by a binary classifier (purl type "generic") */
	LADING_PKG_BINARY = 20,
} lading_pkg_type;

/* The purl type, also used in our JSON: "deb", "apk", "rpm", "npm", "pypi",
 * "gem", "golang", "cargo", "maven", "composer", "nuget". */
LADING_EXTERN const char *lading_pkg_type_name(lading_pkg_type t);
/* True for dpkg, apk and rpm packages. */
LADING_EXTERN int lading_pkg_type_is_os(lading_pkg_type t);

typedef struct lading_os {
	const char *id;          /* os-release ID: "debian", "alpine", "centos" */
	const char *version_id;  /* "12", "3.19.1"; NULL on Debian testing/sid */
	const char *codename;    /* VERSION_CODENAME: "bookworm" */
	const char *pretty_name;
	const char *id_like;
	const char *version;     /* most precise release: /etc/debian_version, alpine-release */
} lading_os;

typedef struct lading_layer {
	int index;               /* 0 = bottom */
	const char *digest;      /* blob digest as named by the manifest (NULL for dir:) */
	const char *diff_id;     /* sha256 of the uncompressed tar */
	const char *media_type;
	uint64_t size;           /* compressed size in bytes */
	uint64_t uncompressed_size;
	const char *created_by;  /* from the config history, if present */
} lading_layer;

typedef struct lading_pkg_file {
	const char *path;        /* absolute path in the image: "/usr/bin/ls" */
	const char *digest;      /* "md5:…", "sha1:…", "sha256:…" as the database records it */
	int config;              /* 1 for a configuration file (dpkg conffile, rpm %config) */
} lading_pkg_file;

typedef struct lading_package {
	lading_pkg_type type;
	const char *id;           /* stable across runs: derived from type, name, version, arch, db */
	const char *name;
	const char *version;      /* full version as its ecosystem writes it (rpm: [E:]V-R) */
	const char *arch;
	const char *source_name;  /* dpkg Source, apk origin, rpm source rpm name */
	const char *source_version;
	const char *license;
	const char *purl;
	const char *db_path;      /* the database that lists it: "/var/lib/dpkg/status" */
	int layer;                /* index of the layer that introduced this version; -1 unknown */
	/* rpm only (NULL elsewhere) */
	const char *epoch;
	const char *rpm_version;
	const char *rpm_release;
	const char *source_rpm;
	const char *modularity_label;
	const char *maintainer;   /* dpkg Maintainer, apk m:, rpm Vendor/Packager */
	size_t nfiles;
	const lading_pkg_file *files;
	/* language packages: Maven group, npm scope ("@types"), Composer vendor,
	 * as the ecosystem names them; NULL when the name says it all (Go
	 * packages are named by their whole module path) */
	const char *namespace_;
	int declared;             /* 1 when listed by a lockfile, not found installed */
	const char *cpe;          /* CPE 2.3 name, for packages matched against NVD (binary classifiers) */
	const char *found_by;     /* the cataloger or classifier that found it: "dpkg", "npm", "binary:openssl" */
} lading_package;

typedef struct lading_image_info {
	const char *target;       /* what the user named */
	const char *source_kind;  /* "docker-archive", "oci", "oci-archive", "dir", "rootfs-archive" */
	const char *name;         /* repository[:tag] if known */
	const char *manifest_digest;
	const char *config_digest;
	const char *os;           /* config os/architecture/variant */
	const char *architecture;
	const char *variant;
	size_t ntags;
	const char *const *tags;
} lading_image_info;

/* ---- file integrity (lading_options.integrity; docs/formats.md) ---- */

typedef enum lading_file_finding_kind {
	LADING_FILE_MODIFIED = 1,        /* content differs from the package database's digest */
	LADING_FILE_MODIFIED_CONFIG = 2, /* the same, for a configuration file (dpkg conffile, rpm %config) */
	LADING_FILE_MISSING = 3,         /* a package file with a digest is not in the image */
	LADING_FILE_UNPACKAGED = 4,      /* an executable or ELF file no OS package owns */
} lading_file_finding_kind;

/* "modified", "modified_config", "missing", "unpackaged"; NULL otherwise. */
LADING_EXTERN const char *lading_file_finding_kind_name(lading_file_finding_kind k);

typedef struct lading_file_finding {
	lading_file_finding_kind kind;
	const char *path;      /* as the package lists it; unpackaged: the path in the image */
	const char *real_path; /* where the file is in the image (links, usr-merge and dpkg
				* diversions followed); NULL when missing */
	int64_t package;       /* index for lading_inventory_package: the owning OS package, or for
				* an unpackaged file a language/binary package found in it; -1 none */
	const char *expected;  /* the database's digest ("md5:…"); NULL for unpackaged files */
	const char *actual;    /* the file's digest, same algorithm ("sha256:…" when unpackaged);
				* NULL when missing */
	int layer;             /* layer that wrote the file; -1 when missing */
	uint64_t size;         /* bytes in the image (0 when missing) */
	uint32_t mode;         /* permission bits and type as the tar header gives them */
	int config;            /* 1 for a configuration file */
	int elf;               /* 1 when the file starts with the ELF magic */
} lading_file_finding;

typedef struct lading_integrity_summary {
	uint64_t files_in_image;    /* regular files in the merged image */
	uint64_t packages;          /* OS packages, and Python distributions with a RECORD, compared */
	uint64_t files_checked;     /* package files with a digest we could compare */
	uint64_t files_unverifiable;/* with a digest in an algorithm not computed (rpm sha512, …) */
	uint64_t modified, modified_config, missing, unpackaged;
	uint64_t files_excluded;    /* dpkg files absent because dpkg's path-exclude kept them off */
} lading_integrity_summary;

/* NULL when the check did not run (option off, or an sbom: target). */
LADING_EXTERN const lading_integrity_summary *lading_inventory_integrity(const lading_inventory *inv);
/* Findings sorted by kind, then path, then package. */
LADING_EXTERN size_t lading_inventory_nfile_findings(const lading_inventory *inv);
LADING_EXTERN const lading_file_finding *lading_inventory_file_finding(const lading_inventory *inv, size_t i);

/* Reads TARGET (see docs/usage.md for the accepted forms) and builds its
 * inventory. On failure returns a negative code and sets the context error. */
LADING_EXTERN int lading_sbom(lading_inventory **out, lading_ctx *ctx, const char *target);
/* Checks that TARGET can be read without reading its layers: parses it and
 * opens its manifest and config (a registry target: authenticates and fetches
 * them), or opens an sbom: file. 0 when a scan could start; else the error a
 * scan would give, on the context. Cheap next to lading_sbom: callers use it
 * to report a bad target together with another problem (no database). */
LADING_EXTERN int lading_target_probe(lading_ctx *ctx, const char *target);

/* Reads up to `cap` bytes into `buf`: the number read, 0 at the end, or a
 * negative LADING_E* code to fail the call with. */
typedef long (*lading_read_fn)(void *userdata, void *buf, size_t cap);
/* An image handed over as bytes (an upload): a docker-archive, an
 * oci-archive or a root file system tarball, plain, gzip or zstd, read
 * from `read` to its end. The bytes are spooled into an unnamed file in the
 * options' tmp_dir (at most max_image_size; gone when the call returns,
 * whatever happens), then read as a file would be. `name` names the image
 * in messages and as its target ("upload.tar"). Needs LADING_TARGET_STREAM
 * in the options' allowed_targets (when those are restricted). */
LADING_EXTERN int lading_sbom_stream(lading_inventory **out, lading_ctx *ctx, lading_read_fn read, void *userdata,
				   const char *name);
/* The same from `len` bytes in memory (borrowed for the call). */
LADING_EXTERN int lading_sbom_bytes(lading_inventory **out, lading_ctx *ctx, const void *data, size_t len,
				     const char *name);
LADING_EXTERN void lading_inventory_free(lading_inventory *inv);
/* Reads a BOM from memory: lading's own JSON (lading.sbom/v1 or
 * lading.scan/v1, whose inventory comes back whole: every package, layer,
 * file, warning and integrity finding, so that rendering it again gives the
 * same bytes) or a CycloneDX JSON SBOM (as an sbom: target reads it). For a
 * service that stores BOMs and matches them again later. The options'
 * max_file_size bounds `len`; no target policy applies (nothing is opened).
 * On failure returns a negative code and sets the context error (reason
 * "bom.*" or "sbom.*", the JSON path of a bad value as `record`). */
LADING_EXTERN int lading_bom_read(lading_inventory **out, lading_ctx *ctx, const void *data, size_t len);

LADING_EXTERN const lading_image_info *lading_inventory_image(const lading_inventory *inv);
/* OS identity; NULL when the image has no recognisable os-release. */
LADING_EXTERN const lading_os *lading_inventory_os(const lading_inventory *inv);
LADING_EXTERN size_t lading_inventory_nlayers(const lading_inventory *inv);
LADING_EXTERN const lading_layer *lading_inventory_layer(const lading_inventory *inv, size_t i);
/* Packages are sorted by type, name, version, arch, db_path. */
LADING_EXTERN size_t lading_inventory_npackages(const lading_inventory *inv);
LADING_EXTERN const lading_package *lading_inventory_package(const lading_inventory *inv, size_t i);
/* Number of warnings (skipped records, ignored entries) seen while building. */
LADING_EXTERN size_t lading_inventory_nwarnings(const lading_inventory *inv);
/* Warning i's message (the whole text, naming the file). */
LADING_EXTERN const char *lading_inventory_warning(const lading_inventory *inv, size_t i);
/* Warning i as an object: what and where, for a service to group and filter
 * (by layer, by cataloger) rather than parse text. */
typedef struct lading_warning {
	const char *message;   /* the whole text, as lading_inventory_warning gives it */
	const char *code;      /* a stable token (docs/errors.md, "Warnings"), or NULL */
	const char *cataloger; /* "dpkg", "npm", "java", ... or NULL (the walk, the source) */
	int layer;             /* the layer whose file it is about, -1 when none or unknown */
	const char *path;      /* the file in the image, or NULL */
} lading_warning;
LADING_EXTERN const lading_warning *lading_inventory_warning_at(const lading_inventory *inv, size_t i);

#ifdef __cplusplus
}
#endif
#endif
