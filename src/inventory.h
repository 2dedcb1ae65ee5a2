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
	VEC(lading_warning) warnings;
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
/* Appends a warning (printf-style) with what `where` gives (code,
 * cataloger, layer, path; its message is ignored; NULL = nothing). Never
 * fails: on OOM the warning is counted. */
void inv_warn_at(lading_inventory *inv, const lading_warning *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define inv_warn(inv, ...) inv_warn_at((inv), NULL, __VA_ARGS__)
/* Appends a copy of warning `w` (of another inventory), with `layer` when w
 * names none. */
void inv_warn_copy(lading_inventory *inv, const lading_warning *w, int layer);
/* Copies an OS identity into the inventory (strings copied). */
int inv_set_os(lading_inventory *inv, const lading_os *os);
int inv_add_layer(lading_inventory *inv, const lading_layer *l);
/* Computes purl and id for every package and sorts them. */
int inv_finish(lading_inventory *inv);
/* inv_finish for an inventory read back from our own JSON (src/bomin.c),
 * whose ids and purls are the document's and are never recomputed: puts the
 * packages in inventory order with a stable sort (a document already in
 * that order keeps it exactly, equal keys included) and publishes the tags. */
int inv_finish_read(lading_inventory *inv);

/* "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12" style purl
 * for one package given the OS; allocated in the inventory arena. */
const char *inv_purl(lading_inventory *inv, const lading_package *p, const lading_os *os);
/* A key that identifies a package within one database: type, db path, name,
 * arch, version. Used to find the layer that introduced a version. */
int inv_pkg_key(buf *out, const lading_package *p);

#endif
