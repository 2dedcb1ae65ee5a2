/* SBOM input for `sbom:FILE` targets and lading_bom_read (see sbomin.c). */
#ifndef LADING_SBOMIN_H
#define LADING_SBOMIN_H

#include "lading/lading.h"

/* The inventory of the SBOM file at `path`: lading's own JSON (read back
 * whole, see bomin.c) or CycloneDX JSON; `target` is what the user wrote,
 * the target a CycloneDX SBOM's inventory reports. Sets a context error
 * naming the file. */
int sbom_load(lading_inventory **out, lading_ctx *ctx, const char *path, const char *target);

#endif
