/* SBOM input: `sbom:FILE` and lading_bom_read() turn a BOM into an
 * inventory, so that `lading scan` (or a service, later) can match it
 * without the image. The document is parsed once, bounded by the options'
 * max_file_size and refusing duplicate keys, then read by the reader its
 * content asks for: lading's own JSON (a "schema" key) by bomin.c, which
 * restores the inventory it was written from, nothing lost; a CycloneDX JSON
 * SBOM — ours or another tool's — here.
 *
 * What is read from CycloneDX: components (nested ones too) with a purl of a type we match
 * (deb, apk, rpm, npm, pypi, gem, golang, cargo, maven, composer, nuget); the operating-system component for the OS identity (else
 * the purls' `distro` qualifier); the source package from our own properties
 * (lading:package:source_name/_version), trivy's (aquasecurity:trivy:SrcName,
 * SrcVersion, SrcRelease, SrcEpoch) or syft's purl qualifier `upstream`.
 * Components of other types are counted in one warning: they are not matched
 * yet. A component whose purl does not parse is skipped with a warning. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bomin.h"
#include "ctx.h"
#include "inventory.h"
#include "purl.h"
#include "sbomin.h"

typedef struct loader {
	lading_ctx *ctx;
	lading_inventory *inv;
	arena tmp;
	size_t skipped_types, bad, depth_exceeded;
	lading_os os_from_purl;
	bool have_os_component;
} loader;

static const char *prop(json_t *comp, const char *name)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(comp, "properties"), i, p)
	{
		const char *n = json_string_value(json_object_get(p, "name"));
		if (n && strcmp(n, name) == 0)
			return json_string_value(json_object_get(p, "value"));
	}
	return NULL;
}

/* "debian-12" -> id debian, version 12; "3.20.3" (apk) -> alpine 3.20.3. */
static void os_from_distro(loader *l, const purl *u)
{
	const char *d = purl_qualifier(u, "distro");
	if (!d || l->os_from_purl.id)
		return;
	if (strcmp(u->type, "apk") == 0) {
		l->os_from_purl.id = arena_str(&l->tmp, u->ns ? u->ns : "alpine");
		l->os_from_purl.version_id = arena_str(&l->tmp, d);
		return;
	}
	const char *dash = strrchr(d, '-');
	if (dash && dash != d) {
		l->os_from_purl.id = arena_strndup(&l->tmp, d, (size_t)(dash - d));
		l->os_from_purl.version_id = arena_str(&l->tmp, dash + 1);
	} else {
		l->os_from_purl.id = arena_str(&l->tmp, u->ns);
		l->os_from_purl.version_id = arena_str(&l->tmp, d);
	}
}

static int add_component(loader *l, json_t *c)
{
	const char *type = json_string_value(json_object_get(c, "type"));
	if (type && strcmp(type, "operating-system") == 0) {
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *ver = json_string_value(json_object_get(c, "version"));
		if (name && !l->have_os_component) {
			lading_os os = {.id = name, .version_id = ver, .version = ver};
			l->have_os_component = true;
			return inv_set_os(l->inv, &os);
		}
		return 0;
	}
	const char *ps = json_string_value(json_object_get(c, "purl"));
	if (!ps)
		return 0;
	purl u;
	if (purl_parse(&u, &l->tmp, sv_cstr(ps)) != 0) {
		if (l->bad++ < 20)
			inv_warn(l->inv, "sbom: component \"%.200s\": purl \"%.200s\" does not parse; skipped",
				 json_string_value(json_object_get(c, "name")) ? json_string_value(json_object_get(c, "name")) : "?", ps);
		return 0;
	}
	static const struct {
		const char *purl_type;
		lading_pkg_type type;
	} types[] = {
		{"deb", LADING_PKG_DPKG},     {"apk", LADING_PKG_APK},        {"rpm", LADING_PKG_RPM},
		{"npm", LADING_PKG_NPM},      {"pypi", LADING_PKG_PYPI},      {"gem", LADING_PKG_GEM},
		{"golang", LADING_PKG_GOLANG}, {"cargo", LADING_PKG_CARGO},   {"maven", LADING_PKG_MAVEN},
		{"composer", LADING_PKG_COMPOSER}, {"nuget", LADING_PKG_NUGET},
	};
	lading_package p = {.layer = -1};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]) && !p.type; i++)
		if (strcmp(u.type, types[i].purl_type) == 0)
			p.type = types[i].type;
	if (!p.type) {
		l->skipped_types++;
		return 0;
	}
	if (!u.version) {
		if (l->bad++ < 20)
			inv_warn(l->inv, "sbom: %.200s has no version; skipped", ps);
		return 0;
	}
	os_from_distro(l, &u);
	const char *epoch = purl_qualifier(&u, "epoch");
	p.name = u.name;
	p.arch = purl_qualifier(&u, "arch");
	p.purl = ps;
	p.license = NULL;
	/* the full version: trivy keeps the epoch in a qualifier */
	p.version = u.version;
	if (epoch && *epoch && strcmp(epoch, "0") != 0 && !strchr(u.version, ':'))
		p.version = arena_printf(&l->tmp, "%s:%s", epoch, u.version);
	if (p.type == LADING_PKG_RPM) {
		const char *dash = strrchr(u.version, '-');
		p.epoch = epoch;
		p.rpm_version = dash ? arena_strndup(&l->tmp, u.version, (size_t)(dash - u.version)) : u.version;
		p.rpm_release = dash ? dash + 1 : NULL;
	}
	/* source package: ours, trivy's, syft's */
	p.source_name = prop(c, "lading:package:source_name");
	p.source_version = prop(c, "lading:package:source_version");
	if (!p.source_name && prop(c, "aquasecurity:trivy:SrcName")) {
		p.source_name = prop(c, "aquasecurity:trivy:SrcName");
		const char *sv_ = prop(c, "aquasecurity:trivy:SrcVersion"), *rel = prop(c, "aquasecurity:trivy:SrcRelease"),
			   *sep = prop(c, "aquasecurity:trivy:SrcEpoch");
		if (sv_)
			p.source_version = arena_printf(&l->tmp, "%s%s%s%s%s", sep && strcmp(sep, "0") ? sep : "",
							sep && strcmp(sep, "0") ? ":" : "", sv_, rel ? "-" : "",
							rel ? rel : "");
	}
	if (!p.source_name && purl_qualifier(&u, "upstream")) {
		/* syft: "upstream=src" or "upstream=src@version" */
		const char *up = purl_qualifier(&u, "upstream"), *at = strchr(up, '@');
		p.source_name = at ? arena_strndup(&l->tmp, up, (size_t)(at - up)) : up;
		if (at)
			p.source_version = at + 1;
	}
	if (lading_pkg_type_is_os(p.type)) {
		if (!p.source_name)
			p.source_name = p.name;
		if (!p.source_version)
			p.source_version = p.version;
	} else if (p.type == LADING_PKG_GOLANG) {
		/* Go packages are named by their whole module path */
		if (u.ns)
			p.name = arena_printf(&l->tmp, "%s/%s", u.ns, u.name);
	} else {
		p.namespace_ = u.ns;
	}
	const char *li = prop(c, "lading:layer:index");
	if (li)
		p.layer = atoi(li);
	size_t i;
	json_t *lic;
	json_array_foreach(json_object_get(c, "licenses"), i, lic)
	{
		const char *n = json_string_value(json_object_get(json_object_get(lic, "license"), "name"));
		if (!n)
			n = json_string_value(json_object_get(json_object_get(lic, "license"), "id"));
		if (!n)
			n = json_string_value(json_object_get(lic, "expression"));
		if (n) {
			p.license = n;
			break;
		}
	}
	if (!p.name || !p.version || !p.purl)
		return -LADING_ENOMEM;
	return inv_add_package(l->inv, &p);
}

static int walk(loader *l, json_t *arr, int depth)
{
	if (depth > 32) {
		l->depth_exceeded++;
		return 0;
	}
	size_t i;
	json_t *c;
	int rc = 0;
	json_array_foreach(arr, i, c)
	{
		if (!json_is_object(c))
			continue;
		if ((rc = add_component(l, c)) != 0)
			return rc;
		if ((rc = walk(l, json_object_get(c, "components"), depth + 1)) != 0)
			return rc;
	}
	return rc;
}

/* Fills `inv` from a CycloneDX document. */
static int cdx_load(lading_inventory *inv, lading_ctx *ctx, const json_t *root, const char *target)
{
	loader l = {.ctx = ctx, .inv = inv};
	arena *a = &inv->a;
	json_t *meta = json_object_get(json_object_get(root, "metadata"), "component");
	inv->image.target = arena_str(a, target);
	inv->image.source_kind = "sbom";
	inv->image.name = arena_str(a, json_string_value(json_object_get(meta, "name")));
	int rc = walk(&l, json_object_get(meta, "components"), 0);
	if (!rc)
		rc = walk(&l, json_object_get(root, "components"), 0);
	if (!rc && !inv->has_os && l.os_from_purl.id)
		rc = inv_set_os(inv, &l.os_from_purl);
	if (!rc && l.skipped_types)
		inv_warn(inv, "sbom: %zu components of purl types lading does not match were ignored", l.skipped_types);
	if (!rc && l.depth_exceeded)
		inv_warn(inv, "sbom: components nested deeper than 32 levels were ignored");
	arena_free(&l.tmp);
	return rc;
}

/* The inventory of a parsed document, ours or CycloneDX. `file` names the
 * host file in messages (NULL: from memory); `target` is what the user
 * wrote, which a CycloneDX SBOM's inventory reports as its target (ours
 * keeps the target it was made from). */
static int from_json(lading_inventory **out, lading_ctx *ctx, const json_t *root, const char *file,
		     const char *target)
{
	if (bom_is_lading(root))
		return bom_read(out, ctx, root, file);
	const char *name = file ? file : "BOM";
	const char *fmt = json_string_value(json_object_get(root, "bomFormat"));
	if (!fmt || strcmp(fmt, "CycloneDX") != 0)
		return ctx_fail(ctx, LADING_EFORMAT, "sbom.format", CTX_WHERE(.file = file),
				"%s: neither lading's JSON (no \"schema\") nor a CycloneDX JSON SBOM (no \"bomFormat\": "
				"\"CycloneDX\")",
				name);
	lading_inventory *inv = NULL;
	int rc = inv_new(&inv);
	if (!rc)
		rc = cdx_load(inv, ctx, root, target);
	if (!rc)
		rc = inv_finish(inv);
	if (rc == -LADING_ENOMEM && !ctx->failed)
		ctx_error(ctx, LADING_ENOMEM, "%s: out of memory", name);
	if (rc) {
		lading_inventory_free(inv);
		return rc;
	}
	*out = inv;
	return 0;
}

/* Parses a whole document (duplicate keys refused), then reads it. */
static int parse_and_read(lading_inventory **out, lading_ctx *ctx, const char *data, size_t len, const char *file,
			  const char *target)
{
	json_error_t e;
	char brief[160];
	json_t *root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES, &e);
	if (!root)
		return ctx_fail(ctx, LADING_EFORMAT, "sbom.not_json", CTX_WHERE(.file = file),
				"%s: not valid JSON (line %d: %s)", file ? file : "BOM", e.line,
				json_error_brief(brief, sizeof(brief), e.text));
	int rc = from_json(out, ctx, root, file, target);
	json_decref(root);
	return rc;
}

static int too_large(lading_ctx *ctx, const char *file)
{
	return ctx_fail(ctx, LADING_ELIMIT, "limit.file_size", CTX_WHERE(.file = file),
			"%s: larger than the largest file read (%llu bytes)", file ? file : "BOM",
			(unsigned long long)ctx->opt.max_file_size);
}

int sbom_load(lading_inventory **out, lading_ctx *ctx, const char *path, const char *target)
{
	*out = NULL;
	const char *type = NULL;
	int fd = file_open_regular(AT_FDCWD, path, 0, &type);
	if (fd < 0 && type)
		return ctx_error(ctx, LADING_ETARGET, "%s: cannot open: it is %s, not a regular file", path, type);
	if (fd < 0)
		return ctx_error(ctx, LADING_ETARGET, "%s: cannot open: %s", path, strerror(errno));
	/* read at most the limit, whatever fstat said: the file may grow meanwhile */
	uint64_t max = ctx->opt.max_file_size;
	buf b = {.max = max < SIZE_MAX / 2 ? (size_t)max + 1 : 0};
	struct stat st = {0};
	int rc = fstat(fd, &st) == 0 && (uint64_t)st.st_size > max ? -LADING_ELIMIT : 0;
	if (!rc && st.st_size > 0)
		rc = buf_reserve(&b, (size_t)st.st_size);
	while (!rc) {
		size_t want = 1 << 16;
		if (b.max && b.max - b.n < want)
			want = b.max - b.n;
		if (!want || (rc = buf_reserve(&b, want)) != 0)
			break;
		ssize_t n = read(fd, b.p + b.n, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? ctx_fail(ctx, LADING_EIO, NULL, CTX_WHERE(.file = path, .sys_errno = errno),
					      "%s: cannot read: %s", path, strerror(errno))
				   : 0;
			break;
		}
		b.n += (size_t)n;
		b.p[b.n] = 0;
	}
	close(fd);
	if (!rc && b.n > max)
		rc = -LADING_ELIMIT;
	if (rc == -LADING_ELIMIT)
		rc = too_large(ctx, path);
	else if (!rc)
		rc = parse_and_read(out, ctx, b.p, b.n, path, target);
	buf_free(&b);
	return rc;
}

int lading_bom_read(lading_inventory **out, lading_ctx *ctx, const void *data, size_t len)
{
	if (!out)
		return -LADING_EINVAL;
	*out = NULL;
	if (!ctx || (!data && len))
		return -LADING_EINVAL;
	ctx_begin(ctx);
	if (len > ctx->opt.max_file_size)
		return too_large(ctx, NULL);
	return parse_and_read(out, ctx, data, len, NULL, NULL);
}
