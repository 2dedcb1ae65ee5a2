/* The inventory's private side: how catalogers add packages and how the
 * driver fills in the image, layers and OS. Public readers use
 * include/lading/inventory.h. Every string is copied into the inventory's
 * arena, so callers may pass views into buffers they are about to free. */
#ifndef LADING_INVENTORY_PRIV_H
#define LADING_INVENTORY_PRIV_H

#include "lading/inventory.h"
#include "util/util.h"

struct lading_inventory {
	arena a;
	lading_image_info image;
	VEC(const char *) tags;
	lading_os os;
	bool has_os;
	VEC(lading_layer) layers;
	VEC(lading_package) pkgs;
	VEC(const char *) warnings;
	size_t max_warnings; /* warnings past this are counted, not stored */
	size_t dropped_warnings;
	/* file integrity (src/catalog/integrity.c), all in the arena */
	bool integrity;
	lading_integrity_summary isum;
	lading_file_finding *ffind;
	size_t nffind;
};

int inv_new(lading_inventory **out);

/* Deep-copies `p` (strings and files) into the inventory. `id`, `purl` and
 * `layer` are filled in later by the driver (inv_finish); a cataloger leaves
 * them NULL / -1. Returns 0 or -LADING_ENOMEM. */
int inv_add_package(lading_inventory *inv, const lading_package *p);
/* Appends a warning (printf-style). Never fails: on OOM the warning is counted. */
void inv_warn(lading_inventory *inv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copies an OS identity into the inventory (strings copied). */
int inv_set_os(lading_inventory *inv, const lading_os *os);
int inv_add_layer(lading_inventory *inv, const lading_layer *l);
/* Computes purl and id for every package and sorts them. */
int inv_finish(lading_inventory *inv);

/* "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12" style purl
 * for one package given the OS; allocated in the inventory arena. */
const char *inv_purl(lading_inventory *inv, const lading_package *p, const lading_os *os);
/* A key that identifies a package within one database: type, db path, name,
 * arch, version. Used to find the layer that introduced a version. */
int inv_pkg_key(buf *out, const lading_package *p);

#endif
