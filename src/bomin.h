/* Reading lading's own JSON documents back into an inventory (bomin.c). */
#ifndef LADING_BOMIN_H
#define LADING_BOMIN_H

#include <jansson.h>
#include <stdbool.h>

#include "lading/lading.h"

/* What one document may hold, besides its size (the options'
 * max_file_size, checked before parsing) and the inventory's own cap on
 * warnings. Far above what a real image gives (docs/formats.md). */
#define BOM_MAX_STRING (1u << 20)     /* bytes in one string */
#define BOM_MAX_LAYERS (1u << 16)
#define BOM_MAX_TAGS (1u << 16)
#define BOM_MAX_PACKAGES (1u << 22)
#define BOM_MAX_FILES (1u << 22)      /* files of one package */
#define BOM_MAX_FINDINGS (1u << 24)   /* file integrity findings */

/* True when `root` is one of our documents: it has a "schema" key
 * (CycloneDX has "bomFormat"). */
bool bom_is_lading(const json_t *root);

/* A complete inventory from `root`, a lading.sbom/v1 or lading.scan/v1
 * document (a scan's findings are not read: the inventory is). `file`
 * names the host file in messages, NULL for a document from memory. On
 * failure sets the context error (the file, the JSON path of the bad value
 * as `record`) and returns a negative code. */
int bom_read(lading_inventory **out, lading_ctx *ctx, const json_t *root, const char *file);

#endif
