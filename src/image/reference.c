/* Image references ("alpine", "ghcr.io/team/app:1.4", "host:5000/x@sha256:…")
 * parsed with the rules of Docker's distribution/reference package, so that
 * a name means here what it means to `docker pull`. The input is a view of
 * untrusted bytes (a command line, a scan request): every character is
 * checked against the grammar and nothing assumes NUL termination. */
#include <stdlib.h>

#include "image/registry.h"
#include "lading/lading.h"

enum { MAX_NAME = 255, MAX_TAG = 128, MAX_INPUT = 4096 };

static bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
static bool is_hex_lower(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

/* [a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)* */
static bool valid_path_component(sv c)
{
	if (c.n == 0 || !is_lower_alnum(c.p[0]) || !is_lower_alnum(c.p[c.n - 1]))
		return false;
	for (size_t i = 1; i < c.n; i++) {
		char ch = c.p[i];
		if (is_lower_alnum(ch))
			continue;
		/* a separator run: one '.', one or two '_', or any number of '-' */
		size_t j = i;
		if (ch == '.') {
			j++;
		} else if (ch == '_') {
			j++;
			if (j < c.n && c.p[j] == '_')
				j++;
		} else if (ch == '-') {
			while (j < c.n && c.p[j] == '-')
				j++;
		} else {
			return false;
		}
		if (j >= c.n || !is_lower_alnum(c.p[j]))
			return false;
		i = j;
	}
	return true;
}

/* domain-component(.domain-component)*(:port)? or [ipv6](:port)? */
static bool valid_domain(sv d)
{
	if (d.n == 0)
		return false;
	size_t i = 0;
	if (d.p[0] == '[') {
		size_t close = sv_find(d, ']');
		if (close == SIZE_MAX || close < 3)
			return false;
		for (i = 1; i < close; i++)
			if (!(is_hex_lower(d.p[i]) || (d.p[i] >= 'A' && d.p[i] <= 'F') || d.p[i] == ':'))
				return false;
		i = close + 1;
	} else {
		for (;;) {
			size_t start = i;
			while (i < d.n && (is_alnum(d.p[i]) || d.p[i] == '-'))
				i++;
			if (i == start || d.p[start] == '-' || d.p[i - 1] == '-')
				return false;
			if (i < d.n && d.p[i] == '.') {
				i++;
				continue;
			}
			break;
		}
	}
	if (i == d.n)
		return true;
	if (d.p[i] != ':' || i + 1 == d.n || d.n - i - 1 > 5)
		return false;
	for (i++; i < d.n; i++)
		if (d.p[i] < '0' || d.p[i] > '9')
			return false;
	return true;
}

/* [\w][\w.-]{0,127} */
static bool valid_tag(sv t)
{
	if (t.n == 0 || t.n > MAX_TAG || !(is_alnum(t.p[0]) || t.p[0] == '_'))
		return false;
	for (size_t i = 1; i < t.n; i++)
		if (!(is_alnum(t.p[i]) || t.p[i] == '_' || t.p[i] == '.' || t.p[i] == '-'))
			return false;
	return true;
}

static bool valid_digest_sv(sv d)
{
	size_t want;
	if (sv_starts_with(d, SV_LIT("sha256:")))
		want = 64;
	else if (sv_starts_with(d, SV_LIT("sha512:")))
		want = 128;
	else
		return false;
	if (d.n != 7 + want)
		return false;
	for (size_t i = 7; i < d.n; i++)
		if (!is_hex_lower(d.p[i]))
			return false;
	return true;
}

void ref_free(image_ref *r)
{
	if (!r)
		return;
	free(r->domain);
	free(r->repository);
	free(r->tag);
	free(r->digest);
	memset(r, 0, sizeof(*r));
}

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -LADING_EFORMAT;
}

int ref_parse(image_ref *out, sv in, const char **why)
{
	memset(out, 0, sizeof(*out));
	if (why)
		*why = NULL;
	if (in.n == 0)
		return fail(why, "empty reference");
	if (in.n > MAX_INPUT)
		return fail(why, "reference too long");
	/* Docker refuses a bare 64-hex name: it would be taken for an image id. */
	if (in.n == 64) {
		size_t k = 0;
		while (k < 64 && is_hex_lower(in.p[k]))
			k++;
		if (k == 64)
			return fail(why, "a 64-character hexadecimal name is an image id, not a reference");
	}
	/* The first component is a host when it looks like one. */
	sv domain = SV_LIT("docker.io"), rest = in;
	size_t slash = sv_find(in, '/');
	if (slash != SIZE_MAX) {
		sv first = sv_make(in.p, slash);
		bool host = sv_find(first, '.') != SIZE_MAX || sv_find(first, ':') != SIZE_MAX ||
			    sv_eq_cstr(first, "localhost");
		for (size_t i = 0; !host && i < first.n; i++)
			host = first.p[i] >= 'A' && first.p[i] <= 'Z';
		if (host) {
			domain = first;
			rest = sv_make(in.p + slash + 1, in.n - slash - 1);
			out->explicit_domain = true;
		}
	}
	if (!valid_domain(domain))
		return fail(why, "invalid registry host");
	if (sv_eq_cstr(domain, "index.docker.io"))
		domain = SV_LIT("docker.io");
	/* rest = name[:tag][@digest]; a path component never holds ':' or '@'. */
	sv digest = {0}, tag = {0}, name = rest;
	size_t at = sv_find(rest, '@');
	if (at != SIZE_MAX) {
		digest = sv_make(rest.p + at + 1, rest.n - at - 1);
		name = sv_make(rest.p, at);
		if (!valid_digest_sv(digest))
			return fail(
			    why, "invalid or unsupported digest (want sha256:<64 hex> or sha512:<128 hex>)");
	}
	size_t colon = sv_find(name, ':');
	if (colon != SIZE_MAX) {
		tag = sv_make(name.p + colon + 1, name.n - colon - 1);
		name = sv_make(name.p, colon);
		if (!valid_tag(tag))
			return fail(why, "invalid tag");
	}
	if (name.n == 0)
		return fail(why, "empty repository name");
	for (size_t i = 0; i < name.n; i++)
		if (name.p[i] >= 'A' && name.p[i] <= 'Z')
			return fail(why, "repository name must be lowercase");
	sv comps = name;
	size_t ncomp = 0;
	while (comps.n || ncomp == 0) {
		bool last = sv_find(comps, '/') == SIZE_MAX;
		sv c = sv_split(&comps, '/');
		if (!valid_path_component(c))
			return fail(why, "invalid repository name component");
		ncomp++;
		if (!last && comps.n == 0)
			return fail(why, "repository name ends with '/'");
	}
	bool library = sv_eq_cstr(domain, "docker.io") && ncomp == 1;
	if (domain.n + 1 + (library ? 8 : 0) + name.n > MAX_NAME)
		return fail(why, "repository name longer than 255 characters");
	out->domain = strndup(domain.p, domain.n);
	if (library) {
		if (asprintf(&out->repository, "library/%.*s", (int)name.n, name.p) < 0)
			out->repository = NULL;
	} else {
		out->repository = strndup(name.p, name.n);
	}
	if (tag.n)
		out->tag = strndup(tag.p, tag.n);
	else if (!digest.n)
		out->tag = strdup("latest");
	if (digest.n)
		out->digest = strndup(digest.p, digest.n);
	if (!out->domain || !out->repository || (!out->tag && !digest.n) || (digest.n && !out->digest)) {
		ref_free(out);
		return -LADING_ENOMEM;
	}
	return 0;
}

const char *ref_api_host(const image_ref *r)
{
	return strcmp(r->domain, "docker.io") == 0 ? "registry-1.docker.io" : r->domain;
}

int ref_format(buf *out, const image_ref *r)
{
	if (r->digest && !r->tag)
		return buf_printf(out, "%s/%s@%s", r->domain, r->repository, r->digest);
	if (r->digest)
		return buf_printf(out, "%s/%s:%s@%s", r->domain, r->repository, r->tag, r->digest);
	return buf_printf(out, "%s/%s:%s", r->domain, r->repository, r->tag);
}

bool ref_host_is_loopback(const char *domain)
{
	sv d = sv_cstr(domain);
	if (sv_starts_with(d, SV_LIT("[::1]")))
		return d.n == 5 || d.p[5] == ':';
	size_t colon = sv_find(d, ':');
	sv host = colon == SIZE_MAX ? d : sv_make(d.p, colon);
	if (sv_eq_cstr(host, "localhost"))
		return true;
	if (!sv_starts_with(host, SV_LIT("127.")))
		return false;
	int dots = 0;
	for (size_t i = 0; i < host.n; i++) {
		if (host.p[i] == '.')
			dots++;
		else if (host.p[i] < '0' || host.p[i] > '9')
			return false;
	}
	return dots == 3;
}
