/* libFuzzer harness: one layer blob (gzip, zstd or plain tar, or garbage)
 * through the layer walk, then merged into a view and every cataloger run on
 * it, as a scan would. */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "ctx.h"
#include "image/image.h"

typedef struct mem_stream {
	stream s;
	const uint8_t *p;
	size_t n, off;
} mem_stream;

static ssize_t mem_read(stream *s, void *dst, size_t n)
{
	mem_stream *m = (mem_stream *)s;
	size_t left = m->n - m->off;
	if (n > left)
		n = left;
	memcpy(dst, m->p + m->off, n);
	m->off += n;
	return (ssize_t)n;
}

static void mem_close(stream *s) { (void)s; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lading_options o = {.struct_size = sizeof(o), .max_file_size = 1 << 20, .max_image_size = 64 << 20,
			    .max_entries = 100000, .threads = 1};
	lading_ctx *ctx;
	if (lading_ctx_new(&ctx, &o))
		return 0;
	mem_stream m = {.s = {.read = mem_read, .close = mem_close, .what = "fuzz"}, .p = data, .n = size};
	layer_result r;
	if (walk_layer(&r, ctx, &m.s, NULL, 0) == 0) {
		fsview *v;
		lading_inventory *inv;
		if (fsview_new(&v) == 0) {
			if (inv_new(&inv) == 0) {
				for (size_t i = 0; i < r.whiteouts.n; i++)
					fsview_remove(v, r.whiteouts.v[i]);
				for (size_t i = 0; i < r.opaques.n; i++)
					fsview_clear_dir(v, r.opaques.v[i]);
				for (size_t i = 0; i < r.entries.n; i++) {
					lentry *e = &r.entries.v[i];
					if (e->kind == LE_FILE)
						fsview_put_file(v, e->path, e->b, 0);
					else
						fsview_put_symlink(v, e->path, e->target, 0);
				}
				for (size_t c = 0; c < lading_ncatalogers; c++) {
					cat_run run = {.ctx = ctx, .view = v, .inv = inv, .warn = true,
						       .max_file_size = 1 << 20};
					lading_catalogers[c]->run(&run);
				}
				inv_finish(inv);
				lading_inventory_free(inv);
			}
			fsview_free(v);
		}
		layer_result_free(&r);
	}
	lading_ctx_free(ctx);
	return 0;
}
