/* RubyGems: installed gems, one specifications/NAME-VERSION.gemspec at a time
 * (a file cataloger). These are the specs RubyGems writes when it installs a
 * gem (Gem::Specification#to_ruby), found under any .../specifications/
 * directory: /usr/local/bundle, /var/lib/gems/X, /usr/lib/ruby/gems/X (with
 * the default gems in specifications/default/), Debian's
 * /usr/share/rubygems-integration/all, and vendor/bundle trees.
 *
 * A gemspec is Ruby source, and we never run it. We read the assignments
 * to_ruby writes, on the receiver named by the block
 * (`Gem::Specification.new do |s|`):
 *   s.name = "rake".freeze             (also '...', %q{...}, %q<...>, …)
 *   s.version = "13.0.3"               (or Gem::Version.new("13.0.3"))
 *   s.licenses = ["Ruby".freeze, "BSDL".freeze]   or   s.license = "MIT"
 * Like Ruby, a later assignment replaces an earlier one, and `licenses = "MIT"`
 * means ["MIT"]. A value we cannot read without evaluating Ruby (a constant,
 * string interpolation) leaves the field unknown; a spec without a readable
 * name and version is skipped with a warning. */
#include "catalog/catalog.h"
#include "lading/lading.h"
#include <stdlib.h>

static const cat_claim claims[] = {
    {CLAIM_SUFFIX, "/specifications/", ".gemspec"},
};

enum { MAX_LICENSES = 64, MAX_VALUE = 4096 };

typedef struct cursor {
	const char *p, *end;
} cursor;

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Skips spaces and tabs; with `newlines`, also line breaks and # comments
 * (inside an array literal). */
static void skip_ws(cursor *c, bool newlines)
{
	while (c->p < c->end) {
		char ch = *c->p;
		if (ch == ' ' || ch == '\t' || ch == '\r' || (newlines && ch == '\n')) {
			c->p++;
		} else if (newlines && ch == '#') {
			while (c->p < c->end && *c->p != '\n')
				c->p++;
		} else {
			break;
		}
	}
}

static bool eat(cursor *c, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
		return false;
	c->p += n;
	return true;
}

static char closing(char open)
{
	switch (open) {
	case '(':
		return ')';
	case '[':
		return ']';
	case '{':
		return '}';
	case '<':
		return '>';
	default:
		return open;
	}
}

/* A string literal: "…", '…', %q…, %Q…, %… with any delimiter, then an
 * optional .freeze. Writes the value to `out`. False for anything else,
 * including interpolation, which only Ruby could evaluate. */
static bool string_lit(cursor *c, buf *out)
{
	out->n = 0;
	if (out->p)
		out->p[0] = 0;
	if (c->p >= c->end)
		return false;
	char open = *c->p, close;
	bool dq; /* double-quote rules: escapes and #{} */
	if (open == '"' || open == '\'') {
		close = open;
		dq = open == '"';
		c->p++;
	} else if (open == '%' && c->end - c->p >= 3 && (c->p[1] == 'q' || c->p[1] == 'Q') &&
		   !is_ident(c->p[2]) && c->p[2] != ' ') {
		dq = c->p[1] == 'Q';
		open = c->p[2];
		close = closing(open);
		c->p += 3;
	} else if (open == '%' && c->end - c->p >= 2 && strchr("([{<|!/", c->p[1])) {
		dq = true;
		open = c->p[1];
		close = closing(open);
		c->p += 2;
	} else {
		return false;
	}
	int depth = 0;
	for (;;) {
		if (c->p >= c->end || out->n > MAX_VALUE)
			return false;
		char ch = *c->p++;
		if (ch == close && depth == 0)
			break;
		if (ch == close)
			depth--;
		else if (ch == open && open != close)
			depth++;
		if (ch == '\\' && c->p < c->end) {
			char e = *c->p++;
			if (dq) {
				switch (e) {
				case 'n':
					e = '\n';
					break;
				case 't':
					e = '\t';
					break;
				default:
					break;
				}
			} else if (e != '\\' && e != close && e != open) {
				/* single-quote rules: only \\ and \' are escapes */
				if (buf_putc(out, '\\'))
					return false;
			}
			ch = e;
		} else if (dq && ch == '#' && c->p < c->end &&
			   (*c->p == '{' || *c->p == '@' || *c->p == '$')) {
			return false;
		}
		if (buf_putc(out, ch))
			return false;
	}
	eat(c, ".freeze");
	return true;
}

/* The right-hand side of `s.version =`: a string or Gem::Version.new(string). */
static bool version_value(cursor *c, buf *out)
{
	if (!eat(c, "Gem::Version.new"))
		return string_lit(c, out);
	skip_ws(c, false);
	bool paren = eat(c, "(");
	skip_ws(c, false);
	if (!string_lit(c, out))
		return false;
	skip_ws(c, false);
	return !paren || eat(c, ")");
}

/* `["a", "b"]` or a single string (Ruby's licenses= takes Array(value)).
 * The licences are written to `out` joined by ", ". */
static bool licenses_value(cursor *c, buf *out, buf *tmp)
{
	out->n = 0;
	if (out->p)
		out->p[0] = 0;
	if (!eat(c, "[")) {
		if (!string_lit(c, tmp))
			return false;
		return buf_putsv(out, sv_make(tmp->p ? tmp->p : "", tmp->n)) == 0;
	}
	for (size_t n = 0; n <= MAX_LICENSES; n++) {
		skip_ws(c, true);
		if (eat(c, "]"))
			return true;
		if (!string_lit(c, tmp))
			return false;
		if (tmp->n && ((out->n && buf_puts(out, ", ")) || buf_putsv(out, sv_make(tmp->p, tmp->n))))
			return false;
		skip_ws(c, true);
		if (!eat(c, ",")) {
			skip_ws(c, true);
			return eat(c, "]");
		}
	}
	return false;
}

/* The block variable of `Gem::Specification.new do |s|` (or `{ |s|`). */
static bool block_var(sv data, sv *var)
{
	size_t at = sv_find_sv(data, SV_LIT("Gem::Specification.new"));
	if (at == SIZE_MAX)
		return false;
	cursor c = {data.p + at + strlen("Gem::Specification.new"), data.p + data.n};
	skip_ws(&c, false);
	if (eat(&c, "(")) {
		/* Gem::Specification.new("name", "1.0") do |s| is not what to_ruby writes, but is Ruby */
		while (c.p < c.end && *c.p != ')' && *c.p != '\n')
			c.p++;
		if (!eat(&c, ")"))
			return false;
		skip_ws(&c, false);
	}
	if (!eat(&c, "do") && !eat(&c, "{"))
		return false;
	skip_ws(&c, false);
	if (!eat(&c, "|"))
		return false;
	skip_ws(&c, false);
	const char *s = c.p;
	while (c.p < c.end && is_ident(*c.p))
		c.p++;
	*var = sv_make(s, (size_t)(c.p - s));
	skip_ws(&c, false);
	return var->n > 0 && eat(&c, "|");
}

typedef struct spec {
	buf name, version, licenses, tmp;
	bool name_ok, version_ok, licenses_ok;
} spec;

static int read_spec(spec *s, sv data, sv var)
{
	sv rest = data, line;
	while (sv_next_line(&rest, &line)) {
		cursor c = {line.p, data.p + data.n}; /* values may run on (arrays over lines) */
		skip_ws(&c, false);
		if ((size_t)(c.end - c.p) <= var.n || memcmp(c.p, var.p, var.n) != 0 || c.p[var.n] != '.')
			continue;
		c.p += var.n + 1;
		const char *a = c.p;
		while (c.p < c.end && is_ident(*c.p))
			c.p++;
		sv attr = sv_make(a, (size_t)(c.p - a));
		skip_ws(&c, false);
		if (!eat(&c, "=") || (c.p < c.end && (*c.p == '=' || *c.p == '~')))
			continue;
		skip_ws(&c, false);
		if (sv_eq_cstr(attr, "name"))
			s->name_ok = string_lit(&c, &s->name);
		else if (sv_eq_cstr(attr, "version"))
			s->version_ok = version_value(&c, &s->version);
		else if (sv_eq_cstr(attr, "licenses") || sv_eq_cstr(attr, "license"))
			s->licenses_ok = licenses_value(&c, &s->licenses, &s->tmp);
	}
	return 0;
}

/* A gem name or version: printable ASCII, no spaces or quotes. */
static bool plain_token(const buf *b)
{
	if (!b->n || b->n > 256)
		return false;
	for (size_t i = 0; i < b->n; i++)
		if ((unsigned char)b->p[i] <= ' ' || (unsigned char)b->p[i] >= 0x7f || b->p[i] == '"' ||
		    b->p[i] == '\'')
			return false;
	return true;
}

static int parse(file_run *run, sv data)
{
	sv var;
	if (!block_var(data, &var)) {
		file_warn(run, "no Gem::Specification.new block; skipped");
		return 0;
	}
	spec s = {0};
	int rc = read_spec(&s, data, var);
	if (rc)
		goto out;
	if (!s.name_ok || !s.version_ok || !plain_token(&s.name) || !plain_token(&s.version)) {
		file_warn(run, "no literal %.*s.name and %.*s.version; skipped", (int)var.n, var.p,
			  (int)var.n, var.p);
		goto out;
	}
	lading_package p = {.type = LADING_PKG_GEM,
			    .name = s.name.p,
			    .version = s.version.p,
			    .license = s.licenses_ok && s.licenses.n ? s.licenses.p : NULL,
			    .db_path = run->path};
	rc = inv_add_package(run->inv, &p);
out:
	buf_free(&s.name);
	buf_free(&s.version);
	buf_free(&s.licenses);
	buf_free(&s.tmp);
	return rc;
}

const file_cataloger file_cataloger_gem = {"gem", claims,  sizeof(claims) / sizeof(claims[0]),
					   NULL,  1 << 20, parse};
