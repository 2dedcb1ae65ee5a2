/* The driver behind lading_sbom(): open the source, walk the layers in
 * parallel, merge them bottom-up into one file-system view (applying
 * whiteouts), run the catalogers, and work out which layer introduced each
 * package.
 *
 * Layer attribution: after merging layer k, every cataloger whose files
 * layer k touched is run on the view as it stands, and the set of package
 * keys it finds is remembered. A package in the final inventory was
 * introduced by the earliest layer from which its key is present in every
 * later snapshot — so a package upgraded in layer 3 is attributed to layer 3,
 * and one merely re-listed by a database rewrite keeps its original layer. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "catalog/integrity.h"
#include "ctx.h"
#include "image/image.h"
#include "inventory.h"
#include "sbomin.h"

typedef struct job {
	lading_ctx *ctx;
	image_src *src;
	layer_result *results;
	int *rcs;
	size_t *order;      /* layer indices, largest blob first */
	unsigned char *plan; /* the thread each position in order is meant for */
	bool *taken;         /* per position in order, under mu */
	size_t n;
	size_t left;    /* layers not taken yet, under mu */
	size_t running; /* layers being walked, under mu */
	pthread_mutex_t mu;
	bool stop;
	hash_pool hp; /* workers with no layer left hash for the others */
	scan_limits *lim;
} job;

/* Takes a layer for thread `me` to walk, unless a walk has failed: the
 * largest of those planned for it (walk_all), else, when it has no walk
 * running, the largest left of any thread's (a thread that finished early, or
 * one that could not be started). A thread with a walk running takes a second
 * one only from its own plan: its two walks then pair their hashing. */
static bool take_layer(job *j, int me, bool second, size_t *i)
{
	pthread_mutex_lock(&j->mu);
	size_t pick = j->n;
	for (size_t p = 0; p < j->n && pick == j->n && !j->stop; p++)
		if (!j->taken[p] && j->plan[p] == me)
			pick = p;
	for (size_t p = 0; p < j->n && pick == j->n && !j->stop && !second; p++)
		if (!j->taken[p])
			pick = p;
	if (pick < j->n) {
		j->taken[pick] = true;
		j->left--;
		j->running++;
		*i = j->order[pick];
	}
	pthread_mutex_unlock(&j->mu);
	return pick < j->n;
}

typedef struct layer_run {
	job *j;
	size_t i;
	twin_slot *ts;
} layer_run;

static void run_layer(void *arg)
{
	layer_run *r = arg;
	job *j = r->j;
	size_t i = r->i;
	stream *s = NULL;
	int rc = src_open_layer(&s, j->src, i);
	if (!rc) {
		rc = walk_layer_helped(&j->results[i], j->ctx, s, &j->src->layers.v[i], (int)i, &j->hp, r->ts, j->lim);
		s->close(s);
	}
	j->rcs[i] = rc;
	pthread_mutex_lock(&j->mu);
	if (rc)
		j->stop = true; /* the first failure ends the scan; don't start more */
	bool last = --j->running == 0 && (j->left == 0 || j->stop);
	pthread_mutex_unlock(&j->mu);
	if (last)
		hash_pool_close(&j->hp);
}

typedef struct worker_arg {
	job *j;
	int me;
} worker_arg;

/* A thread walks up to two layers at a time (see take_layer), taking turns so
 * that their hashing pairs (twin.h); when no layer is left, it hashes for the
 * walks of other threads still running (hashpool.h). */
static void *worker(void *arg)
{
	worker_arg *w = arg;
	job *j = w->j;
	twin t;
	layer_run runs[2];
	twin_init(&t);
	for (;;) {
		int slot;
		size_t i = 0;
		while ((slot = twin_idle_slot(&t)) >= 0 && take_layer(j, w->me, twin_busy(&t), &i)) {
			runs[slot] = (layer_run){j, i, &t.slot[slot]};
			if (twin_start(&t, slot, run_layer, &runs[slot]) != 0) {
				runs[slot].ts = NULL; /* no stack for it: walk it here, alone */
				run_layer(&runs[slot]);
			}
		}
		if (!twin_busy(&t))
			break;
		twin_run(&t);
	}
	twin_destroy(&t);
	hash_pool_serve(&j->hp); /* until the last walk ends */
	return NULL;
}

static int cmp_larger_first(const void *x, const void *y, void *ud)
{
	const image_src *src = ud;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	uint64_t sa = src->layers.v[a].size, sb = src->layers.v[b].size;
	if (sa != sb)
		return sa > sb ? -1 : 1;
	return (a > b) - (a < b);
}

/* Walks every layer on up to ctx->opt.threads threads. The time is that of
 * the busiest thread, so the layers are planned largest blob first, each to
 * the thread with the fewest bytes so far (taking them in image order left
 * the bench image's two threads 83 and 68 MB; planned, 78 and 74), and a
 * thread walks two of its own at a time so that their hashing pairs. A
 * thread whose plan is done takes what is left of the others', then hashes
 * for the walks still running. */
static int walk_all(lading_ctx *ctx, image_src *src, layer_result *results, scan_limits *lim)
{
	job j = {.ctx = ctx, .src = src, .results = results, .n = src->layers.n, .left = src->layers.n, .lim = lim};
	size_t cap = src->layers.n ? src->layers.n : 1;
	j.rcs = calloc(cap, sizeof(int));
	j.order = malloc(cap * sizeof(size_t));
	j.plan = malloc(cap);
	j.taken = calloc(cap, sizeof(bool));
	if (!j.rcs || !j.order || !j.plan || !j.taken) {
		free(j.rcs);
		free(j.order);
		free(j.plan);
		free(j.taken);
		return -LADING_ENOMEM;
	}
	for (size_t i = 0; i < j.n; i++)
		j.order[i] = i;
	qsort_r(j.order, j.n, sizeof(size_t), cmp_larger_first, src);
	pthread_mutex_init(&j.mu, NULL);
	hash_pool_init(&j.hp);
	if (j.n == 0)
		hash_pool_close(&j.hp); /* no walk will end to close it */
	/* up to one helper per layer besides its walker */
	size_t nt = (size_t)ctx->opt.threads;
	if (nt > 2 * src->layers.n)
		nt = 2 * src->layers.n;
	if (nt > LADING_MAX_THREADS)
		nt = LADING_MAX_THREADS;
	if (nt < 1)
		nt = 1;
	/* The plan: each layer, largest first, to the thread with the fewest blob
	 * bytes so far (then the fewest layers: sizes may be unknown). */
	uint64_t load[LADING_MAX_THREADS] = {0};
	size_t count[LADING_MAX_THREADS] = {0};
	for (size_t p = 0; p < j.n; p++) {
		size_t k = 0;
		for (size_t t = 1; t < nt; t++)
			if (load[t] < load[k] || (load[t] == load[k] && count[t] < count[k]))
				k = t;
		j.plan[p] = (unsigned char)k;
		load[k] += src->layers.v[j.order[p]].size;
		count[k]++;
	}
	pthread_t th[8];
	worker_arg args[8];
	size_t started = 0;
	for (; started < nt && nt > 1; started++) { /* one thread: this one */
		args[started] = (worker_arg){&j, (int)started};
		if (pthread_create(&th[started], NULL, worker, &args[started]) != 0)
			break;
	}
	if (started == 0) {
		args[0] = (worker_arg){&j, 0};
		worker(&args[0]);
	}
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	hash_pool_destroy(&j.hp);
	pthread_mutex_destroy(&j.mu);
	int rc = 0;
	for (size_t i = 0; i < src->layers.n && !rc; i++)
		rc = j.rcs[i];
	free(j.rcs);
	free(j.order);
	free(j.plan);
	free(j.taken);
	return rc;
}

/* Does layer result `r` change any path that cataloger `c` claims? */
static bool layer_touches(const cataloger *c, const layer_result *r)
{
	for (size_t i = 0; i < r->entries.n; i++)
		if (catalog_claims(c, r->entries.v[i].path, strlen(r->entries.v[i].path)))
			return true;
	/* A whiteout or opaque directory touches a claim at or below it, or above. */
	for (int pass = 0; pass < 2; pass++) {
		size_t n = pass ? r->opaques.n : r->whiteouts.n;
		for (size_t i = 0; i < n; i++) {
			const char *w = pass ? r->opaques.v[i] : r->whiteouts.v[i];
			size_t wl = strlen(w);
			if (catalog_claims(c, w, wl))
				return true;
			for (size_t k = 0; k < c->nclaims; k++) {
				const char *cp = c->claims[k].path;
				if (c->claims[k].kind == CLAIM_SUFFIX || !cp)
					continue; /* db catalogers use fixed paths */
				if (strncmp(cp, w, wl) == 0 && (cp[wl] == '/' || cp[wl] == 0 || wl == 1))
					return true;
			}
		}
	}
	return false;
}

static int apply_layer(fsview *v, const layer_result *r, int index)
{
	for (size_t i = 0; i < r->whiteouts.n; i++)
		fsview_remove(v, r->whiteouts.v[i]);
	for (size_t i = 0; i < r->opaques.n; i++)
		fsview_clear_dir(v, r->opaques.v[i]);
	int rc = 0;
	for (size_t i = 0; i < r->entries.n && !rc; i++) {
		const lentry *e = &r->entries.v[i];
		rc = e->kind == LE_FILE ? fsview_put_file(v, e->path, e->b, index)
					: fsview_put_symlink(v, e->path, e->target, index);
	}
	return rc;
}

/* A snapshot: the keys of the packages one cataloger saw after one layer. */
typedef struct snapshot {
	size_t cat;
	int layer;
	char **keys; /* sorted */
	size_t n;
} snapshot;

static int cmp_strp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* `warn` false: a layer-attribution pass, which wants only identities and
 * whose warnings the final pass gives anyway. */
static int run_cataloger(lading_ctx *ctx, const cataloger *c, const fsview *v, lading_inventory *inv,
			 const lading_os *os, bool warn)
{
	int crc = ctx_check(ctx);
	if (crc)
		return crc;
	cat_run run = {.ctx = ctx, .view = v, .inv = inv, .os = os, .warn = warn, .cataloger = c->name,
		       .max_file_size = ctx->opt.max_file_size, .identities_only = !warn};
	size_t before = inv->pkgs.n;
	int rc = c->run(&run);
	for (size_t i = before; i < inv->pkgs.n; i++)
		if (!inv->pkgs.v[i].found_by)
			inv->pkgs.v[i].found_by = c->name; /* a static string */
	return rc;
}

static int take_snapshot(lading_ctx *ctx, size_t ci, const fsview *v, int layer, snapshot *out)
{
	lading_inventory *tmp = NULL;
	buf key = {0};
	int rc = inv_new(&tmp);
	if (rc)
		return rc;
	rc = run_cataloger(ctx, lading_catalogers[ci], v, tmp, NULL, false);
	out->cat = ci;
	out->layer = layer;
	out->n = 0;
	out->keys = calloc(tmp->pkgs.n ? tmp->pkgs.n : 1, sizeof(char *));
	if (!out->keys)
		rc = -LADING_ENOMEM;
	for (size_t i = 0; !rc && i < tmp->pkgs.n; i++) {
		rc = inv_pkg_key(&key, &tmp->pkgs.v[i]);
		if (!rc && !(out->keys[out->n++] = strdup(key.p)))
			rc = -LADING_ENOMEM;
	}
	if (!rc)
		qsort(out->keys, out->n, sizeof(char *), cmp_strp);
	buf_free(&key);
	lading_inventory_free(tmp);
	return rc;
}

static bool snap_has(const snapshot *s, const char *key)
{
	return s->n && bsearch(&key, s->keys, s->n, sizeof(char *), cmp_strp) != NULL;
}

static int attribute_layers(lading_inventory *inv, const snapshot *snaps, size_t nsnaps)
{
	buf key = {0};
	int rc = 0;
	for (size_t i = 0; i < inv->pkgs.n && !rc; i++) {
		lading_package *p = &inv->pkgs.v[i];
		if ((rc = inv_pkg_key(&key, p)) != 0)
			break;
		/* The cataloger that found it is the one whose latest snapshot has
		 * its key (keys carry the type and database path, so they never
		 * collide across catalogers); walk that cataloger's snapshots down
		 * while they still list it. */
		int layer = -1;
		size_t last = nsnaps;
		while (last-- > 0 && !snap_has(&snaps[last], key.p))
			;
		if (last < nsnaps) {
			for (size_t k = last + 1; k-- > 0;) {
				if (snaps[k].cat != snaps[last].cat)
					continue;
				if (!snap_has(&snaps[k], key.p))
					break;
				layer = snaps[k].layer;
			}
		}
		p->layer = layer;
	}
	buf_free(&key);
	return rc;
}

/* Packages found by file catalogers: each belongs to its file, so a later
 * layer that deletes the file (whiteout, opaque directory) or writes it again
 * takes it away. Surviving ones keep the index of the layer that wrote their
 * file. */
typedef struct filepkg {
	const lading_package *p;
	int layer;
} filepkg;

/* The file a package's db_path names: "/app/x.war!/WEB-INF/lib/y.jar" (a
 * package inside an archive) lives in "/app/x.war": the length of the part before "!/". */
static size_t file_part(const char *db_path)
{
	const char *bang = strstr(db_path, "!/");
	return bang ? (size_t)(bang - db_path) : strlen(db_path);
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir), pn = file_part(path);
	if (n == 1 && dir[0] == '/')
		return true;
	return pn >= n && strncmp(path, dir, n) == 0 && (pn == n || path[n] == '/');
}

static bool same_file(const char *db_path, const char *file)
{
	size_t n = file_part(db_path);
	return strlen(file) == n && strncmp(db_path, file, n) == 0;
}

/* "type|namespace|name|version": what makes two language packages the same. */
static char *lang_key(const lading_package *p)
{
	char *k = NULL;
	if (asprintf(&k, "%d|%s|%s|%s", (int)p->type, p->namespace_ ? p->namespace_ : "", p->name ? p->name : "",
		     p->version ? p->version : "") < 0)
		return NULL;
	return k;
}

static int merge_file_packages(lading_inventory *inv, const fsview *view, const layer_result *res, size_t nres,
			       bool layered, bool keep_os_owned)
{
	VEC(filepkg) live = {0};
	int rc = 0;
	for (size_t i = 0; i < nres && !rc; i++) {
		const layer_result *r = &res[i];
		size_t keep = 0;
		for (size_t k = 0; k < live.n; k++) {
			const char *path = live.v[k].p->db_path;
			bool gone = false;
			for (size_t w = 0; w < r->whiteouts.n && !gone; w++)
				gone = under(path, r->whiteouts.v[w]);
			for (size_t o = 0; o < r->opaques.n && !gone; o++)
				gone = under(path, r->opaques.v[o]) && strcmp(path, r->opaques.v[o]) != 0;
			for (size_t f = 0; f < r->fc_paths.n && !gone; f++)
				gone = same_file(path, r->fc_paths.v[f]);
			if (!gone)
				live.v[keep++] = live.v[k];
		}
		live.n = keep;
		for (size_t k = 0; r->found && k < r->found->pkgs.n && !rc; k++)
			rc = vec_push(&live, ((filepkg){&r->found->pkgs.v[k], (int)i}));
		for (size_t w = 0; r->found && w < r->found->warnings.n; w++)
			inv_warn_copy(inv, &r->found->warnings.v[w], (int)i);
	}
	/* Files an OS package owns: a language package there is part of that OS
	 * package (Debian's python3-urllib3 is reported once, as the deb). */
	VEC(const char *) owned = {0};
	buf canon_path = {0};
	for (size_t i = 0; i < inv->pkgs.n && !rc && !keep_os_owned; i++) {
		const lading_package *p = &inv->pkgs.v[i];
		for (size_t f = 0; f < p->nfiles && !rc; f++) {
			/* packages name files as installed ("/bin/bash"); the image may
			 * store them elsewhere behind a link ("/usr/bin/bash") */
			const char *path = p->files[f].path;
			if (fsview_canonical(view, path, &canon_path) == 0 && strcmp(canon_path.p, path) != 0)
				path = arena_str(&inv->a, canon_path.p);
			if (!path || (rc = vec_push(&owned, path)) != 0)
				rc = rc ? rc : -LADING_ENOMEM;
		}
	}
	buf_free(&canon_path);
	if (owned.n)
		qsort(owned.v, owned.n, sizeof(char *), cmp_strp);
	/* keys of the packages found installed, to drop lockfile duplicates */
	VEC(char *) installed = {0};
	for (size_t k = 0; k < live.n && !rc; k++) {
		char *key = live.v[k].p->declared ? NULL : lang_key(live.v[k].p);
		if (!live.v[k].p->declared && (!key || vec_push(&installed, key))) {
			free(key);
			rc = -LADING_ENOMEM;
		}
	}
	if (installed.n)
		qsort(installed.v, installed.n, sizeof(char *), cmp_strp);
	for (size_t k = 0; k < live.n && !rc; k++) {
		const lading_package *p = live.v[k].p;
		if (owned.n) {
			char *file = strndup(p->db_path, file_part(p->db_path));
			bool os_owned = file && bsearch(&file, owned.v, owned.n, sizeof(char *), cmp_strp);
			free(file);
			if (!file) {
				rc = -LADING_ENOMEM;
				break;
			}
			if (os_owned)
				continue;
		}
		/* a lockfile's entry is not counted again when the same package is installed */
		if (p->declared && installed.n) {
			char *key = lang_key(p);
			if (!key) {
				rc = -LADING_ENOMEM;
				break;
			}
			bool dup = bsearch(&key, installed.v, installed.n, sizeof(char *), cmp_strp) != NULL;
			free(key);
			if (dup)
				continue;
		}
		lading_package q = *p;
		q.layer = layered ? live.v[k].layer : -1;
		rc = inv_add_package(inv, &q);
	}
	for (size_t k = 0; k < installed.n; k++)
		free(installed.v[k]);
	vec_free(&installed);
	vec_free(&owned);
	vec_free(&live);
	return rc;
}

static int fill_image(lading_inventory *inv, const image_src *src, const layer_result *res)
{
	arena *a = &inv->a;
	lading_image_info *im = &inv->image;
	im->target = arena_str(a, src->target);
	im->source_kind = src_kind_name(src->kind);
	im->name = arena_str(a, src->name);
	im->manifest_digest = arena_str(a, src->manifest_digest);
	im->config_digest = arena_str(a, src->config_digest);
	im->os = arena_str(a, src->os);
	im->architecture = arena_str(a, src->arch);
	im->variant = arena_str(a, src->variant);
	for (size_t i = 0; i < src->tags.n; i++) {
		const char *t = arena_str(a, src->tags.v[i]);
		if (!t || vec_push(&inv->tags, t))
			return -LADING_ENOMEM;
	}
	if (src->kind == SRC_DIR)
		return 0;
	for (size_t i = 0; i < src->layers.n; i++) {
		const layer_desc *d = &src->layers.v[i];
		lading_layer l = {0};
		l.index = (int)i;
		l.digest = d->digest ? d->digest : res[i].digest;
		l.diff_id = res[i].diff_id;
		l.media_type = d->media_type;
		l.size = res[i].size;
		l.uncompressed_size = res[i].usize;
		l.created_by = d->created_by;
		int rc = inv_add_layer(inv, &l);
		if (rc)
			return rc;
	}
	return 0;
}

int lading_target_probe(lading_ctx *ctx, const char *target)
{
	if (!ctx || !target)
		return -LADING_EINVAL;
	ctx_begin(ctx);
	if (strncmp(target, "sbom:", 5) == 0) {
		int prc = src_kind_allowed(ctx, target, LADING_TARGET_SBOM, "sbom");
		if (prc)
			return prc;
		const char *type = NULL;
		int fd = file_open_regular(AT_FDCWD, target + 5, 0, &type);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		return type ? ctx_error(ctx, LADING_ETARGET, "%s: cannot open: it is %s, not a regular file", target + 5, type)
			    : ctx_error(ctx, LADING_ETARGET, "%s: cannot open: %s", target + 5, strerror(errno));
	}
	image_src *src = NULL;
	int rc = src_open(&src, ctx, target);
	src_free(src);
	return rc;
}

static int sbom_of(lading_inventory **out, lading_ctx *ctx, image_src *src);

int lading_sbom(lading_inventory **out, lading_ctx *ctx, const char *target)
{
	*out = NULL;
	if (!ctx || !target)
		return -LADING_EINVAL;
	ctx_begin(ctx);
	if (strncmp(target, "sbom:", 5) == 0) {
		int rc = src_kind_allowed(ctx, target, LADING_TARGET_SBOM, "sbom");
		return rc ? rc : sbom_load(out, ctx, target + 5, target);
	}
	image_src *src = NULL;
	int rc = src_open(&src, ctx, target);
	if (!rc)
		rc = sbom_of(out, ctx, src);
	src_free(src);
	return rc;
}

/* The bill of materials of an opened source. */
static int sbom_of(lading_inventory **out, lading_ctx *ctx, image_src *src)
{
	const char *target = src->target;
	layer_result *res = NULL;
	size_t nres = 0;
	fsview *view = NULL;
	lading_inventory *inv = NULL;
	snapshot *snaps = NULL;
	size_t nsnaps = 0;
	int rc = 0;
	nres = src->kind == SRC_DIR ? 1 : src->layers.n;
	res = calloc(nres ? nres : 1, sizeof(*res));
	if (!res || (rc = inv_new(&inv)) != 0 || (rc = fsview_new(&view)) != 0) {
		rc = rc ? rc : -LADING_ENOMEM;
		goto out;
	}
	/* one budget for the whole image, every layer's walk taking from it */
	scan_limits lim = {.image = {ctx->opt.max_image_size}, .nested = {nested_budget(ctx)}};
	rc = src->kind == SRC_DIR ? walk_dir(&res[0], ctx, src->path, &lim) : walk_all(ctx, src, res, &lim);
	if (rc)
		goto out;
	for (size_t i = 0; i < nres; i++)
		for (size_t w = 0; w < res[i].warnings.n; w++)
			inv_warn_at(inv, &(lading_warning){.code = "layer.entry", .layer = src->kind == SRC_DIR ? -1 : (int)i},
				    "%s", res[i].warnings.v[w]);
	snaps = calloc(nres * lading_ncatalogers + 1, sizeof(*snaps));
	if (!snaps) {
		rc = -LADING_ENOMEM;
		goto out;
	}
	/* Merge bottom-up, snapshotting each cataloger where its files changed. */
	bool layered = src->kind != SRC_DIR;
	for (size_t i = 0; i < nres; i++) {
		if ((rc = apply_layer(view, &res[i], (int)i)) != 0)
			goto out;
		for (size_t c = 1; layered && c < lading_ncatalogers; c++) {
			if (!layer_touches(lading_catalogers[c], &res[i]))
				continue;
			if ((rc = take_snapshot(ctx, c, view, (int)i, &snaps[nsnaps++])) != 0)
				goto out;
		}
	}
	/* Final view: OS identity first, then every package cataloger. */
	if ((rc = run_cataloger(ctx, lading_catalogers[0], view, inv, NULL, true)) != 0)
		goto out;
	for (size_t c = 1; c < lading_ncatalogers; c++)
		if ((rc = run_cataloger(ctx, lading_catalogers[c], view, inv, inv->has_os ? &inv->os : NULL, true)) != 0)
			goto out;
	for (size_t i = 0; i < inv->pkgs.n; i++)
		inv->pkgs.v[i].layer = -1;
	if (layered && (rc = attribute_layers(inv, snaps, nsnaps)) != 0)
		goto out;
	if ((rc = merge_file_packages(inv, view, res, nres, layered, ctx->opt.keep_os_owned != 0)) != 0)
		goto out;
	if ((rc = fill_image(inv, src, res)) != 0 || (rc = inv_finish(inv)) != 0)
		goto out;
	/* after inv_finish: findings name packages by their final index */
	if (ctx->opt.integrity) {
		layer_files *lf = calloc(nres ? nres : 1, sizeof(*lf));
		if (!lf) {
			rc = -LADING_ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < nres; i++)
			lf[i] = layer_files_of(&res[i]);
		rc = integrity_run(inv, lf, nres, layered);
		free(lf);
		if (rc)
			goto out;
	}
	*out = inv;
	inv = NULL;
out:
	if (rc == -LADING_ENOMEM && !ctx->failed)
		ctx_error(ctx, LADING_ENOMEM, "%s: out of memory", target);
	for (size_t i = 0; i < nsnaps; i++) {
		for (size_t k = 0; k < snaps[i].n; k++)
			free(snaps[i].keys[k]);
		free(snaps[i].keys);
	}
	free(snaps);
	for (size_t i = 0; res && i < nres; i++)
		layer_result_free(&res[i]);
	free(res);
	fsview_free(view);
	lading_inventory_free(inv);
	return rc;
}

/* ---- images handed over as bytes ------------------------------------------------ */

int lading_sbom_stream(lading_inventory **out, lading_ctx *ctx, lading_read_fn read, void *userdata,
		     const char *name)
{
	*out = NULL;
	if (!ctx || !read)
		return -LADING_EINVAL;
	ctx_begin(ctx);
	if (!name || !*name)
		name = "(stream)";
	int rc = src_kind_allowed(ctx, name, LADING_TARGET_STREAM, "stream");
	if (rc)
		return rc;
	/* unnamed: nothing to remove afterwards, nothing left after a crash */
	int fd = open(ctx->opt.tmp_dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return ctx_fail(ctx, LADING_EIO, "stream.spool", CTX_WHERE(.file = ctx->opt.tmp_dir),
				"%s: cannot make a temporary file in %s: %s", name, ctx->opt.tmp_dir, strerror(errno));
	enum { CHUNK = 256 * 1024 };
	unsigned char *chunk = malloc(CHUNK);
	uint64_t total = 0;
	if (!chunk)
		rc = -LADING_ENOMEM;
	while (!rc && (rc = ctx_check(ctx)) == 0) {
		long n = read(userdata, chunk, CHUNK);
		if (n < 0) {
			int code = n < -(long)(LADING_ECOUNT - 1) ? LADING_EIO : (int)-n;
			rc = ctx_fail(ctx, code, "stream.read", NULL, "%s: the stream failed: %s", name,
				      lading_strerror(code));
			break;
		}
		if (n == 0)
			break;
		if ((uint64_t)n > CHUNK) {
			rc = ctx_error(ctx, LADING_EINVAL, "%s: the read callback returned more than it was given room for", name);
			break;
		}
		total += (uint64_t)n;
		if (total > ctx->opt.max_image_size)
			rc = ctx_fail(ctx, LADING_ELIMIT, "limit.image_size", NULL,
				      "%s: larger than the largest image read (%llu bytes)", name,
				      (unsigned long long)ctx->opt.max_image_size);
		else if (fd_write_all(fd, chunk, (size_t)n) != 0)
			rc = ctx_fail(ctx, LADING_EIO, "stream.spool", CTX_WHERE(.file = ctx->opt.tmp_dir),
				      "%s: cannot spool the stream into %s: %s", name, ctx->opt.tmp_dir, strerror(errno));
	}
	free(chunk);
	image_src *src = NULL;
	if (!rc)
		rc = src_open_fd(&src, ctx, fd, name);
	if (!rc)
		rc = sbom_of(out, ctx, src);
	src_free(src);
	close(fd);
	return rc;
}

typedef struct mem_reader {
	const unsigned char *p;
	size_t left;
} mem_reader;

static long mem_read(void *ud, void *dst, size_t cap)
{
	mem_reader *m = ud;
	size_t n = m->left < cap ? m->left : cap;
	memcpy(dst, m->p, n);
	m->p += n;
	m->left -= n;
	return (long)n;
}

int lading_sbom_bytes(lading_inventory **out, lading_ctx *ctx, const void *data, size_t len, const char *name)
{
	if (!data && len)
		return -LADING_EINVAL;
	mem_reader m = {data, len};
	return lading_sbom_stream(out, ctx, mem_read, &m, name);
}
