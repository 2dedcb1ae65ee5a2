/* SBOM input for `sbom:FILE` targets (see sbomin.c). */
#ifndef LADING_SBOMIN_H
#define LADING_SBOMIN_H

#include "lading/lading.h"

/* Fills `inv` from the CycloneDX JSON file at `path`; `target` is what the
 * user wrote, for the report. Sets a context error naming the file. */
int sbom_load(lading_inventory *inv, lading_ctx *ctx, const char *path, const char *target);

#endif
