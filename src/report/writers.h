/* The writers, one per format (table.c, json.c, cyclonedx.c, spdx.c,
 * sarif.c): what report.c dispatches to. */
#ifndef LADING_REPORT_WRITERS_H
#define LADING_REPORT_WRITERS_H

#include "report/common.h"

/* One writer: appends its whole output to `out`. */
int rp_table(buf *out, const lading_inventory *inv, const rp_meta *m);
int rp_json(buf *out, const lading_inventory *inv, const rp_meta *m);
int rp_cyclonedx(buf *out, const lading_inventory *inv, const rp_meta *m);
int rp_spdx(buf *out, const lading_inventory *inv, const rp_meta *m);

/* The scan-result writers. Every finding's package index has been checked
 * against the inventory before they are called. */
int rp_table_scan(buf *out, const lading_inventory *inv, const lading_findings *f, const rp_meta *m);
int rp_json_scan(buf *out, const lading_inventory *inv, const lading_findings *f, const rp_meta *m);
int rp_sarif(buf *out, const lading_inventory *inv, const lading_findings *f, const rp_meta *m);
int rp_cyclonedx_scan(buf *out, const lading_inventory *inv, const lading_findings *f, const rp_meta *m);

#endif
