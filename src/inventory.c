/* The inventory: storage for packages, layers, the OS and warnings, purls and
 * stable identifiers, and the public read-only getters. */
#include "inventory.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lading/lading.h"

const char *lading_pkg_type_name(lading_pkg_type t)
{
	switch (t) {
	case LADING_PKG_DPKG: return "deb";
	case LADING_PKG_APK: return "apk";
	case LADING_PKG_RPM: return "rpm";
	case LADING_PKG_NPM: return "npm";
	case LADING_PKG_PYPI: return "pypi";
	case LADING_PKG_GEM: return "gem";
	case LADING_PKG_GOLANG: return "golang";
	case LADING_PKG_CARGO: return "cargo";
	case LADING_PKG_MAVEN: return "maven";
	case LADING_PKG_COMPOSER: return "composer";
	case LADING_PKG_NUGET: return "nuget";
	case LADING_PKG_BINARY: return "generic";
	}
	return "unknown";
}

int lading_pkg_type_is_os(lading_pkg_type t)
{
	return t == LADING_PKG_DPKG || t == LADING_PKG_APK || t == LADING_PKG_RPM;
}

int inv_new(lading_inventory **out)
{
	lading_inventory *inv = calloc(1, sizeof(*inv));
	if (!inv)
		return -LADING_ENOMEM;
	inv->max_warnings = 10000;
	*out = inv;
	return 0;
}

void lading_inventory_free(lading_inventory *inv)
{
	if (!inv)
		return;
	vec_free(&inv->tags);
	vec_free(&inv->layers);
	vec_free(&inv->pkgs);
	vec_free(&inv->warnings);
	arena_free(&inv->a);
	free(inv);
}

/* Copies an optional string into the arena; false only on OOM. */
static bool dup_opt(arena *a, const char **dst, const char *src)
{
	if (!src) {
		*dst = NULL;
		return true;
	}
	*dst = arena_str(a, src);
	return *dst != NULL;
}

int inv_add_package(lading_inventory *inv, const lading_package *p)
{
	lading_package q = *p;
	arena *a = &inv->a;
	bool ok = dup_opt(a, &q.name, p->name) && dup_opt(a, &q.version, p->version) &&
		  dup_opt(a, &q.arch, p->arch) && dup_opt(a, &q.source_name, p->source_name) &&
		  dup_opt(a, &q.source_version, p->source_version) && dup_opt(a, &q.license, p->license) &&
		  dup_opt(a, &q.purl, p->purl) && dup_opt(a, &q.id, p->id) && dup_opt(a, &q.db_path, p->db_path) &&
		  dup_opt(a, &q.epoch, p->epoch) && dup_opt(a, &q.rpm_version, p->rpm_version) &&
		  dup_opt(a, &q.rpm_release, p->rpm_release) && dup_opt(a, &q.source_rpm, p->source_rpm) &&
		  dup_opt(a, &q.modularity_label, p->modularity_label) &&
		  dup_opt(a, &q.maintainer, p->maintainer) && dup_opt(a, &q.namespace_, p->namespace_) &&
		  dup_opt(a, &q.cpe, p->cpe) && dup_opt(a, &q.found_by, p->found_by);
	if (!ok)
		return -LADING_ENOMEM;
	if (p->nfiles) {
		size_t bytes;
		if (mul_overflows(p->nfiles, sizeof(lading_pkg_file), &bytes))
			return -LADING_ENOMEM;
		lading_pkg_file *f = arena_alloc(a, bytes);
		if (!f)
			return -LADING_ENOMEM;
		for (size_t i = 0; i < p->nfiles; i++) {
			f[i].config = p->files[i].config;
			if (!dup_opt(a, &f[i].path, p->files[i].path) || !dup_opt(a, &f[i].digest, p->files[i].digest))
				return -LADING_ENOMEM;
		}
		q.files = f;
	} else {
		q.files = NULL;
	}
	return vec_push(&inv->pkgs, q);
}

static void push_warning(lading_inventory *inv, const lading_warning *w, const char *msg, int layer)
{
	if (inv->warnings.n >= inv->max_warnings) {
		inv->dropped_warnings++;
		return;
	}
	lading_warning c = {.message = arena_str(&inv->a, msg), .layer = layer};
	if (w) {
		c.code = w->code; /* static tokens */
		c.cataloger = w->cataloger ? arena_str(&inv->a, w->cataloger) : NULL;
		c.path = w->path ? arena_str(&inv->a, w->path) : NULL;
		if ((w->cataloger && !c.cataloger) || (w->path && !c.path))
			c.message = NULL;
	}
	if (!c.message || vec_push(&inv->warnings, c))
		inv->dropped_warnings++;
}

void inv_warn_at(lading_inventory *inv, const lading_warning *where, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	push_warning(inv, where, msg, where ? where->layer : -1);
}

void inv_warn_copy(lading_inventory *inv, const lading_warning *w, int layer)
{
	push_warning(inv, w, w->message, w->layer >= 0 ? w->layer : layer);
}

int inv_set_os(lading_inventory *inv, const lading_os *os)
{
	arena *a = &inv->a;
	lading_os o;
	bool ok = dup_opt(a, &o.id, os->id) && dup_opt(a, &o.version_id, os->version_id) &&
		  dup_opt(a, &o.codename, os->codename) && dup_opt(a, &o.pretty_name, os->pretty_name) &&
		  dup_opt(a, &o.id_like, os->id_like) && dup_opt(a, &o.version, os->version);
	if (!ok)
		return -LADING_ENOMEM;
	inv->os = o;
	inv->has_os = true;
	return 0;
}

int inv_add_layer(lading_inventory *inv, const lading_layer *l)
{
	lading_layer q = *l;
	arena *a = &inv->a;
	if (!dup_opt(a, &q.digest, l->digest) || !dup_opt(a, &q.diff_id, l->diff_id) ||
	    !dup_opt(a, &q.media_type, l->media_type) || !dup_opt(a, &q.created_by, l->created_by))
		return -LADING_ENOMEM;
	return vec_push(&inv->layers, q);
}

/* purl percent-encoding: everything but unreserved characters is encoded
 * (':' is left alone in versions, as the purl spec allows). Invalid UTF-8
 * from a hostile database becomes U+FFFD first, so that every purl we write
 * decodes; `lower` folds ASCII case for types whose names are case-blind. */
static int purl_enc(buf *b, const char *s, bool keep_colon, bool lower)
{
	static const char hex[] = "0123456789ABCDEF";
	buf clean = {0};
	int rc = s ? buf_put_utf8(&clean, sv_cstr(s)) : 0;
	for (size_t i = 0; rc == 0 && i < clean.n; i++) {
		unsigned char c = (unsigned char)clean.p[i];
		if (lower && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		    c == '-' || c == '_' || c == '~' || (keep_colon && c == ':'))
			rc = buf_putc(b, (char)c);
		else
			rc = buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
	buf_free(&clean);
	return rc;
}

/* purls of language packages: type/namespace/name@version, no distro. */
static const char *lang_purl(lading_inventory *inv, const lading_package *p)
{
	buf b = {0};
	/* pypi names are normalised per PEP 503 and lowercase; npm and gem are
	 * lowercase by their registries' rules */
	bool lower = p->type == LADING_PKG_PYPI || p->type == LADING_PKG_NPM;
	int rc = buf_printf(&b, "pkg:%s/", lading_pkg_type_name(p->type));
	if (!rc && p->namespace_ && *p->namespace_) {
		rc = purl_enc(&b, p->namespace_, false, lower);
		if (!rc)
			rc = buf_putc(&b, '/');
	}
	if (!rc && p->type == LADING_PKG_GOLANG) {
		/* a Go module path is the purl's namespace and name: keep its '/' */
		sv path = sv_cstr(p->name);
		while (!rc && path.n) {
			sv seg = sv_split(&path, '/');
			char *tmp = strndup(seg.p, seg.n);
			rc = tmp ? purl_enc(&b, tmp, false, false) : -LADING_ENOMEM;
			free(tmp);
			if (!rc && path.n)
				rc = buf_putc(&b, '/');
		}
	} else if (!rc && p->type == LADING_PKG_PYPI) {
		buf norm = {0};
		rc = pep503_normalize(&norm, p->name);
		if (!rc)
			rc = purl_enc(&b, norm.p, false, false);
		buf_free(&norm);
	} else if (!rc) {
		rc = purl_enc(&b, p->name, false, lower);
	}
	if (!rc && p->version) {
		rc = buf_putc(&b, '@');
		if (!rc)
			rc = purl_enc(&b, p->version, true, false);
	}
	const char *res = rc ? NULL : arena_strndup(&inv->a, b.p, b.n);
	buf_free(&b);
	return res;
}

const char *inv_purl(lading_inventory *inv, const lading_package *p, const lading_os *os)
{
	if (!p->name || !*p->name)
		return NULL;
	if (!lading_pkg_type_is_os(p->type))
		return lang_purl(inv, p);
	buf b = {0};
	const char *ns = NULL;
	/* deb and apk names and namespaces are case-insensitive: purl wants them lowercase */
	bool lower = p->type == LADING_PKG_DPKG || p->type == LADING_PKG_APK;
	switch (p->type) {
	case LADING_PKG_DPKG: ns = os && os->id ? os->id : "debian"; break;
	case LADING_PKG_APK: ns = os && os->id ? os->id : "alpine"; break;
	case LADING_PKG_RPM: ns = os && os->id ? os->id : "redhat"; break;
	default: break;
	}
	int rc = buf_printf(&b, "pkg:%s/", lading_pkg_type_name(p->type));
	if (!rc)
		rc = purl_enc(&b, ns, false, true);
	if (!rc)
		rc = buf_putc(&b, '/');
	if (!rc)
		rc = purl_enc(&b, p->name, false, lower);
	if (!rc && p->version) {
		rc = buf_putc(&b, '@');
		/* rpm purls carry the epoch as a qualifier, not in the version */
		if (!rc && p->type == LADING_PKG_RPM && p->rpm_version) {
			rc = purl_enc(&b, p->rpm_version, true, false);
			if (!rc && p->rpm_release && *p->rpm_release) {
				rc = buf_putc(&b, '-');
				if (!rc)
					rc = purl_enc(&b, p->rpm_release, true, false);
			}
		} else if (!rc) {
			rc = purl_enc(&b, p->version, true, false);
		}
	}
	/* qualifiers, sorted by key as the purl spec asks: arch, distro, epoch */
	char sep = '?';
	if (!rc && p->arch && *p->arch) {
		rc = buf_printf(&b, "%carch=", sep);
		if (!rc)
			rc = purl_enc(&b, p->arch, false, false);
		sep = '&';
	}
	const char *ver = os ? (os->version_id ? os->version_id : os->codename) : NULL;
	if (!rc && os && os->id && ver) {
		/* apk purls name the release alone ("distro=3.20.3"), others "id-release" */
		rc = buf_printf(&b, "%cdistro=", sep);
		if (!rc && p->type != LADING_PKG_APK) {
			rc = purl_enc(&b, os->id, false, true);
			if (!rc)
				rc = buf_putc(&b, '-');
		}
		if (!rc)
			rc = purl_enc(&b, ver, false, false);
		sep = '&';
	}
	if (!rc && p->type == LADING_PKG_RPM && p->epoch && *p->epoch && strcmp(p->epoch, "0") != 0) {
		rc = buf_printf(&b, "%cepoch=", sep);
		if (!rc)
			rc = purl_enc(&b, p->epoch, false, false);
	}
	const char *res = rc ? NULL : arena_strndup(&inv->a, b.p, b.n);
	buf_free(&b);
	return res;
}

int inv_pkg_key(buf *out, const lading_package *p)
{
	out->n = 0;
	return buf_printf(out, "%d\x1f%s\x1f%s\x1f%s\x1f%s", (int)p->type, p->db_path ? p->db_path : "",
			  p->name ? p->name : "", p->arch ? p->arch : "", p->version ? p->version : "");
}

static int cmp_str(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

static int cmp_pkg(const void *x, const void *y)
{
	const lading_package *a = x, *b = y;
	int c;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((c = cmp_str(a->name, b->name)) || (c = cmp_str(a->version, b->version)) ||
	    (c = cmp_str(a->arch, b->arch)) || (c = cmp_str(a->db_path, b->db_path)))
		return c;
	return 0;
}

int inv_finish(lading_inventory *inv)
{
	const lading_os *os = inv->has_os ? &inv->os : NULL;
	buf key = {0};
	int rc = 0;
	for (size_t i = 0; i < inv->pkgs.n && rc == 0; i++) {
		lading_package *p = &inv->pkgs.v[i];
		if (!p->purl && p->name && *p->name && !(p->purl = inv_purl(inv, p, os)))
			rc = -LADING_ENOMEM;
		if (!rc && !p->id) {
			unsigned char md[32];
			unsigned int mdlen = 0;
			char hex[65];
			rc = inv_pkg_key(&key, p);
			if (!rc && !EVP_Digest(key.p, key.n, md, &mdlen, EVP_sha256(), NULL))
				rc = -LADING_ENOMEM;
			if (!rc) {
				hex_encode(hex, md, 8);
				if (!(p->id = arena_printf(&inv->a, "%s-%s", lading_pkg_type_name(p->type), hex)))
					rc = -LADING_ENOMEM;
			}
		}
	}
	buf_free(&key);
	if (!rc && inv->pkgs.n)
		qsort(inv->pkgs.v, inv->pkgs.n, sizeof(*inv->pkgs.v), cmp_pkg);
	inv->image.tags = inv->tags.v;
	inv->image.ntags = inv->tags.n;
	return rc;
}

/* cmp_pkg, then where the package was: equal keys keep their order. */
static int cmp_pkg_stable(const void *x, const void *y)
{
	const lading_package *a = *(const lading_package *const *)x, *b = *(const lading_package *const *)y;
	int c = cmp_pkg(a, b);
	return c ? c : (a > b) - (a < b);
}

int inv_finish_read(lading_inventory *inv)
{
	size_t n = inv->pkgs.n, i = 1;
	while (i < n && cmp_pkg(&inv->pkgs.v[i - 1], &inv->pkgs.v[i]) <= 0)
		i++;
	if (i < n) {
		const lading_package **order = calloc(n, sizeof(*order));
		lading_package *sorted = calloc(n, sizeof(*sorted));
		if (!order || !sorted) {
			free(order);
			free(sorted);
			return -LADING_ENOMEM;
		}
		for (i = 0; i < n; i++)
			order[i] = &inv->pkgs.v[i];
		qsort(order, n, sizeof(*order), cmp_pkg_stable);
		for (i = 0; i < n; i++)
			sorted[i] = *order[i];
		free(order);
		free(inv->pkgs.v);
		inv->pkgs.v = sorted;
		inv->pkgs.cap = n;
	}
	inv->image.tags = inv->tags.v;
	inv->image.ntags = inv->tags.n;
	return 0;
}

const lading_image_info *lading_inventory_image(const lading_inventory *inv) { return &inv->image; }
const lading_os *lading_inventory_os(const lading_inventory *inv) { return inv->has_os ? &inv->os : NULL; }
size_t lading_inventory_nlayers(const lading_inventory *inv) { return inv->layers.n; }
const lading_layer *lading_inventory_layer(const lading_inventory *inv, size_t i)
{
	return i < inv->layers.n ? &inv->layers.v[i] : NULL;
}
size_t lading_inventory_npackages(const lading_inventory *inv) { return inv->pkgs.n; }
const lading_package *lading_inventory_package(const lading_inventory *inv, size_t i)
{
	return i < inv->pkgs.n ? &inv->pkgs.v[i] : NULL;
}
size_t lading_inventory_nwarnings(const lading_inventory *inv) { return inv->warnings.n; }

const lading_warning *lading_inventory_warning_at(const lading_inventory *inv, size_t i)
{
	return i < inv->warnings.n ? &inv->warnings.v[i] : NULL;
}
const char *lading_inventory_warning(const lading_inventory *inv, size_t i)
{
	return i < inv->warnings.n ? inv->warnings.v[i].message : NULL;
}
