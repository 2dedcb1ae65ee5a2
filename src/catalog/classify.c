/* Binary classifiers (see classify.h and docs/classifiers.md).
 *
 * Cost model: a file is read once by an Aho-Corasick automaton built from the
 * anchor literals of all rules (one table lookup per byte); only rules whose
 * file-name patterns accept the file and whose anchor occurs are then tried,
 * and their pattern runs only at starts within a short window of each anchor
 * occurrence. The pattern matcher is a tiny backtracking machine (literals,
 * classes, groups, alternation, greedy ? * + {m,n}, one capture) with a step
 * budget and a bounded stack, so hostile bytes cannot make it slow or deep.
 *
 * The table is the data file embedded at build time (the Makefile turns
 * data/classifiers.tsv into classifiers.inc); it is parsed once per process
 * under pthread_once and never changes afterwards. */
#include "catalog/classify.h"

#include <fnmatch.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lading/lading.h"

static const unsigned char table_text[] = {
#include "classifiers.inc"
};

enum {
	MAX_PROG = 4096,
	MAX_STACK = 1024,
	MAX_STEPS = 50000,
	WINDOW_AFTER = 256,
	WINDOW_BEFORE = 96,
	MAX_HITS = 1 << 16,
	MAX_VERSION = 64,
	MEMMEM_LITS = 8
};

/* ---- the pattern language ---------------------------------------------- */

enum op { OP_CLASS, OP_SPLIT, OP_JMP, OP_SAVE, OP_FILEVER, OP_END, OP_MATCH };

typedef struct inst {
	unsigned char op;
	int x, y; /* CLASS: class index; SPLIT: preferred x, then y; JMP: x; SAVE: slot x */
} inst;

typedef struct bitset {
	uint64_t w[4];
} bitset;

static bool bs_has(const bitset *b, unsigned char c) { return (b->w[c >> 6] >> (c & 63)) & 1; }
static void bs_set(bitset *b, unsigned char c) { b->w[c >> 6] |= (uint64_t)1 << (c & 63); }

typedef struct prog {
	inst *code;
	int n;
	bitset *cls;
	int ncls;
} prog;

/* The parse tree, kept in one array. */
enum nkind { N_CLASS, N_CAT, N_ALT, N_REP, N_CAP, N_FILEVER, N_END };
typedef struct node {
	enum nkind k;
	int a, b;  /* CLASS: class index; REP: min, max (-1 = unbounded) */
	int child; /* first child (CAT, ALT, REP, CAP) */
	int next;  /* next sibling */
} node;

typedef struct parser {
	const char *s, *end;
	node *nodes;
	int nn, cap;
	bitset *cls;
	int ncls, clscap;
	const char *err;
	int depth;
} parser;

static int new_node(parser *p, enum nkind k)
{
	if (p->nn == p->cap) {
		int nc = p->cap ? p->cap * 2 : 64;
		node *n = realloc(p->nodes, (size_t)nc * sizeof(*n));
		if (!n) {
			p->err = "out of memory";
			return -1;
		}
		p->nodes = n;
		p->cap = nc;
	}
	p->nodes[p->nn] = (node){k, 0, 0, -1, -1};
	return p->nn++;
}

static int new_class(parser *p, const bitset *b)
{
	if (p->ncls == p->clscap) {
		int nc = p->clscap ? p->clscap * 2 : 32;
		bitset *n = realloc(p->cls, (size_t)nc * sizeof(*n));
		if (!n) {
			p->err = "out of memory";
			return -1;
		}
		p->cls = n;
		p->clscap = nc;
	}
	p->cls[p->ncls] = *b;
	return p->ncls++;
}

/* An escape after '\': fills b (and returns 0), or returns 1 for \F. */
static int parse_escape(parser *p, bitset *b)
{
	if (p->s >= p->end) {
		p->err = "trailing backslash";
		return -1;
	}
	char c = *p->s++;
	memset(b, 0, sizeof(*b));
	switch (c) {
	case 'd':
		for (int i = '0'; i <= '9'; i++)
			bs_set(b, (unsigned char)i);
		return 0;
	case 'w':
		for (int i = 0; i < 256; i++)
			if ((i >= '0' && i <= '9') || (i >= 'a' && i <= 'z') || (i >= 'A' && i <= 'Z') ||
			    i == '_')
				bs_set(b, (unsigned char)i);
		return 0;
	case 's':
		for (const char *w = " \t\n\r\f\v"; *w; w++)
			bs_set(b, (unsigned char)*w);
		return 0;
	case 'n':
		bs_set(b, '\n');
		return 0;
	case 't':
		bs_set(b, '\t');
		return 0;
	case 'r':
		bs_set(b, '\r');
		return 0;
	case 'F':
		return 1;
	case 'x': {
		if (p->end - p->s < 2 || hex_digit(p->s[0]) < 0 || hex_digit(p->s[1]) < 0) {
			p->err = "bad \\x escape";
			return -1;
		}
		bs_set(b, (unsigned char)(hex_digit(p->s[0]) * 16 + hex_digit(p->s[1])));
		p->s += 2;
		return 0;
	}
	default:
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			p->err = "unknown escape";
			return -1;
		}
		bs_set(b, (unsigned char)c);
		return 0;
	}
}

static int parse_bracket(parser *p, bitset *out)
{
	bitset b = {{0}};
	bool neg = false;
	if (p->s < p->end && *p->s == '^') {
		neg = true;
		p->s++;
	}
	bool first = true;
	while (p->s < p->end && (*p->s != ']' || first)) {
		first = false;
		bitset one;
		int lo;
		if (*p->s == '\\') {
			p->s++;
			if (parse_escape(p, &one) != 0) {
				if (!p->err)
					p->err = "\\F in a class";
				return -1;
			}
			int cnt = 0;
			lo = -1;
			for (int i = 0; i < 256; i++)
				if (bs_has(&one, (unsigned char)i)) {
					cnt++;
					lo = i;
				}
			if (cnt != 1) {
				for (int i = 0; i < 4; i++)
					b.w[i] |= one.w[i];
				continue;
			}
		} else {
			lo = (unsigned char)*p->s++;
		}
		if (p->end - p->s >= 2 && *p->s == '-' && p->s[1] != ']') {
			p->s++;
			int hi = (unsigned char)*p->s++;
			if (hi == '\\') {
				if (parse_escape(p, &one) != 0) {
					p->err = "bad range";
					return -1;
				}
				hi = -1;
				for (int i = 0; i < 256; i++)
					if (bs_has(&one, (unsigned char)i))
						hi = i;
			}
			if (hi < lo) {
				p->err = "bad range";
				return -1;
			}
			for (int i = lo; i <= hi; i++)
				bs_set(&b, (unsigned char)i);
		} else {
			bs_set(&b, (unsigned char)lo);
		}
	}
	if (p->s >= p->end) {
		p->err = "unterminated [";
		return -1;
	}
	p->s++;
	if (neg)
		for (int i = 0; i < 4; i++)
			b.w[i] = ~b.w[i];
	*out = b;
	return 0;
}

static int parse_alt(parser *p);

static int parse_atom(parser *p)
{
	char c = *p->s;
	bitset b = {{0}};
	if (c == '(') {
		p->s++;
		bool cap = false;
		if (p->end - p->s >= 11 && memcmp(p->s, "?P<version>", 11) == 0) {
			cap = true;
			p->s += 11;
		} else if (p->end - p->s >= 2 && memcmp(p->s, "?:", 2) == 0) {
			p->s += 2;
		} else if (p->s < p->end && *p->s == '?') {
			p->err = "unsupported group";
			return -1;
		}
		if (++p->depth > 32) {
			p->err = "groups nested too deep";
			return -1;
		}
		int in = parse_alt(p);
		p->depth--;
		if (in < 0)
			return -1;
		if (p->s >= p->end || *p->s != ')') {
			p->err = "missing )";
			return -1;
		}
		p->s++;
		if (!cap)
			return in;
		int n = new_node(p, N_CAP);
		if (n >= 0)
			p->nodes[n].child = in;
		return n;
	}
	if (c == '[') {
		p->s++;
		if (parse_bracket(p, &b) < 0)
			return -1;
	} else if (c == '.') {
		p->s++;
		memset(&b, 0xff, sizeof(b));
	} else if (c == '$') {
		p->s++;
		return new_node(p, N_END);
	} else if (c == '\\') {
		p->s++;
		int e = parse_escape(p, &b);
		if (e < 0)
			return -1;
		if (e == 1)
			return new_node(p, N_FILEVER);
	} else if (c == '*' || c == '+' || c == '?' || c == '{' || c == ')' || c == '|') {
		p->err = "misplaced operator";
		return -1;
	} else {
		p->s++;
		bs_set(&b, (unsigned char)c);
	}
	int ci = new_class(p, &b);
	if (ci < 0)
		return -1;
	int n = new_node(p, N_CLASS);
	if (n >= 0)
		p->nodes[n].a = ci;
	return n;
}

static bool parse_int(parser *p, int *out)
{
	int v = 0, digits = 0;
	while (p->s < p->end && *p->s >= '0' && *p->s <= '9' && digits < 4) {
		v = v * 10 + (*p->s++ - '0');
		digits++;
	}
	*out = v;
	return digits > 0;
}

static int parse_repeat(parser *p)
{
	int a = parse_atom(p);
	if (a < 0)
		return -1;
	while (p->s < p->end && (*p->s == '*' || *p->s == '+' || *p->s == '?' || *p->s == '{')) {
		int lo = 0, hi = -1;
		char c = *p->s++;
		if (c == '+')
			lo = 1;
		else if (c == '?')
			hi = 1;
		else if (c == '{') {
			if (!parse_int(p, &lo)) {
				p->err = "bad {m,n}";
				return -1;
			}
			hi = lo;
			if (p->s < p->end && *p->s == ',') {
				p->s++;
				hi = -1;
				if (p->s < p->end && *p->s != '}' && !parse_int(p, &hi)) {
					p->err = "bad {m,n}";
					return -1;
				}
			}
			if (p->s >= p->end || *p->s != '}' || lo > 64 || (hi >= 0 && (hi < lo || hi > 64))) {
				p->err = "bad {m,n}";
				return -1;
			}
			p->s++;
		}
		int r = new_node(p, N_REP);
		if (r < 0)
			return -1;
		p->nodes[r].a = lo;
		p->nodes[r].b = hi;
		p->nodes[r].child = a;
		a = r;
	}
	return a;
}

static int parse_cat(parser *p)
{
	int cat = new_node(p, N_CAT), last = -1;
	if (cat < 0)
		return -1;
	while (p->s < p->end && *p->s != '|' && *p->s != ')') {
		int r = parse_repeat(p);
		if (r < 0)
			return -1;
		if (last < 0)
			p->nodes[cat].child = r;
		else
			p->nodes[last].next = r;
		last = r;
	}
	return cat;
}

static int parse_alt(parser *p)
{
	int first = parse_cat(p);
	if (first < 0 || p->s >= p->end || *p->s != '|')
		return first;
	int alt = new_node(p, N_ALT);
	if (alt < 0)
		return -1;
	p->nodes[alt].child = first;
	int last = first;
	while (p->s < p->end && *p->s == '|') {
		p->s++;
		int c = parse_cat(p);
		if (c < 0)
			return -1;
		p->nodes[last].next = c;
		last = c;
	}
	return alt;
}

typedef struct emitter {
	inst *code;
	int n;
	const node *nodes;
	const char *err;
} emitter;

static int emit(emitter *e, unsigned char op, int x, int y)
{
	if (e->n >= MAX_PROG) {
		e->err = "pattern too long";
		return -1;
	}
	e->code[e->n] = (inst){op, x, y};
	return e->n++;
}

static int emit_node(emitter *e, int ni)
{
	const node *nd = &e->nodes[ni];
	switch (nd->k) {
	case N_CLASS:
		return emit(e, OP_CLASS, nd->a, 0) < 0 ? -1 : 0;
	case N_FILEVER:
		return emit(e, OP_FILEVER, 0, 0) < 0 ? -1 : 0;
	case N_END:
		return emit(e, OP_END, 0, 0) < 0 ? -1 : 0;
	case N_CAT:
		for (int c = nd->child; c >= 0; c = e->nodes[c].next)
			if (emit_node(e, c) < 0)
				return -1;
		return 0;
	case N_CAP:
		if (emit(e, OP_SAVE, 0, 0) < 0 || emit_node(e, nd->child) < 0 || emit(e, OP_SAVE, 1, 0) < 0)
			return -1;
		return 0;
	case N_ALT: {
		int jumps[64], nj = 0;
		for (int c = nd->child; c >= 0; c = e->nodes[c].next) {
			int split = -1;
			if (e->nodes[c].next >= 0 && (split = emit(e, OP_SPLIT, 0, 0)) < 0)
				return -1;
			if (split >= 0)
				e->code[split].x = e->n;
			if (emit_node(e, c) < 0)
				return -1;
			if (e->nodes[c].next >= 0) {
				if (nj == 64) {
					e->err = "too many alternatives";
					return -1;
				}
				if ((jumps[nj++] = emit(e, OP_JMP, 0, 0)) < 0)
					return -1;
				e->code[split].y = e->n;
			}
		}
		for (int i = 0; i < nj; i++)
			e->code[jumps[i]].x = e->n;
		return 0;
	}
	case N_REP: {
		for (int i = 0; i < nd->a; i++)
			if (emit_node(e, nd->child) < 0)
				return -1;
		if (nd->b < 0) {
			int split = emit(e, OP_SPLIT, 0, 0);
			if (split < 0)
				return -1;
			e->code[split].x = e->n;
			if (emit_node(e, nd->child) < 0 || emit(e, OP_JMP, split, 0) < 0)
				return -1;
			e->code[split].y = e->n;
			return 0;
		}
		int splits[64], ns = 0;
		for (int i = nd->a; i < nd->b; i++) {
			int split = emit(e, OP_SPLIT, 0, 0);
			if (split < 0)
				return -1;
			splits[ns++] = split;
			e->code[split].x = e->n;
			if (emit_node(e, nd->child) < 0)
				return -1;
		}
		for (int i = 0; i < ns; i++)
			e->code[splits[i]].y = e->n;
		return 0;
	}
	}
	return -1;
}

/* Compiles `src` (not NUL-terminated). Returns 0, or -1 with *err set. */
static int compile(prog *out, sv src, const char **err)
{
	parser p = {.s = src.p, .end = src.p + src.n};
	int root = parse_alt(&p);
	if (root >= 0 && p.s != p.end)
		p.err = "unbalanced )";
	emitter e = {.nodes = p.nodes};
	if (!p.err && root >= 0) {
		e.code = malloc(MAX_PROG * sizeof(inst));
		if (!e.code)
			e.err = "out of memory";
		else if (emit_node(&e, root) == 0)
			emit(&e, OP_MATCH, 0, 0);
	}
	free(p.nodes);
	*err = p.err ? p.err : e.err;
	if (*err || root < 0) {
		if (!*err)
			*err = "bad pattern";
		free(e.code);
		free(p.cls);
		return -1;
	}
	*out = (prog){e.code, e.n, p.cls, p.ncls};
	return 0;
}

/* Anchored match of `pr` at s[start] with the subject ending at s[end].
 * On success, [*vb, *ve) is the capture. */
static bool run_prog(const prog *pr, const unsigned char *s, size_t start, size_t end, size_t total,
		     sv filever, size_t *vb, size_t *ve)
{
	struct frame {
		int pc;
		size_t sp;
		int slot; /* >= 0: restore cap[slot] = sp */
	} stack[MAX_STACK];
	int top = 0;
	size_t cap[2] = {SIZE_MAX, SIZE_MAX};
	long steps = 0;
	stack[top++] = (struct frame){0, start, -1};
	while (top > 0) {
		struct frame f = stack[--top];
		if (f.slot >= 0) {
			cap[f.slot] = f.sp;
			continue;
		}
		int pc = f.pc;
		size_t sp = f.sp;
		for (;;) {
			if (++steps > MAX_STEPS || pc < 0 || pc >= pr->n)
				return false;
			const inst *in = &pr->code[pc];
			if (in->op == OP_CLASS) {
				if (sp >= end || !bs_has(&pr->cls[in->x], s[sp]))
					break;
				sp++;
				pc++;
			} else if (in->op == OP_FILEVER) {
				if (!filever.n || end - sp < filever.n ||
				    memcmp(s + sp, filever.p, filever.n) != 0)
					break;
				sp += filever.n;
				pc++;
			} else if (in->op == OP_END) {
				if (sp != total)
					break;
				pc++;
			} else if (in->op == OP_SPLIT) {
				if (top == MAX_STACK)
					return false;
				stack[top++] = (struct frame){in->y, sp, -1};
				pc = in->x;
			} else if (in->op == OP_JMP) {
				pc = in->x;
			} else if (in->op == OP_SAVE) {
				if (top == MAX_STACK)
					return false;
				stack[top++] = (struct frame){0, cap[in->x], in->x};
				cap[in->x] = sp;
				pc++;
			} else {
				if (cap[0] == SIZE_MAX || cap[1] == SIZE_MAX || cap[1] <= cap[0])
					break;
				*vb = cap[0];
				*ve = cap[1];
				return true;
			}
		}
	}
	return false;
}

/* ---- the table ------------------------------------------------------------ */

typedef struct rule {
	char *cls, *pkg, *purl, *cpe;
	char **globs;
	size_t nglobs;
	bool any_file; /* one of the globs is "*" */
	unsigned char *anchor;
	size_t alen;
	int anchor_id[2]; /* index into each automaton's literals; -1 for a \F anchor or not in it */
	bool dyn_anchor;  /* the anchor is the file-name version (\F) */
	size_t back;	  /* how far before an anchor a match may start */
	prog pr;
} rule;

typedef struct automaton {
	int32_t *go;	   /* nstates * 256 */
	int32_t *out;	   /* per state: first literal ending here or in its suffix chain, -1 none */
	int32_t *out_next; /* per literal: next literal in the chain */
	int32_t *lit_state;
	size_t *lit_rule;  /* per literal: the first rule with it as anchor */
	size_t nstates, nlits;
} automaton;

typedef struct table {
	rule *rules;
	size_t n;
	/* Aho-Corasick over the distinct anchors: [0] of all rules, [1] of the
	 * rules for any file (static libraries), which is all most files need
	 * and small enough to stay in cache */
	automaton ac[2];
	const char *err;
	char errbuf[160];
} table;

static table T;
static pthread_once_t T_once = PTHREAD_ONCE_INIT;

static void *xcalloc(size_t n, size_t sz, table *t)
{
	void *p = calloc(n ? n : 1, sz);
	if (!p && !t->err)
		t->err = "out of memory";
	return p;
}

/* Decodes an anchor (the same escapes as patterns, literals only). */
static int unescape(unsigned char **out, size_t *outlen, sv s, bool *dyn)
{
	unsigned char *b = malloc(s.n + 1);
	if (!b)
		return -1;
	size_t n = 0;
	*dyn = false;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (c != '\\') {
			b[n++] = (unsigned char)c;
			continue;
		}
		if (++i >= s.n)
			goto bad;
		c = s.p[i];
		if (c == 'x' && i + 2 < s.n && hex_digit(s.p[i + 1]) >= 0 && hex_digit(s.p[i + 2]) >= 0) {
			b[n++] = (unsigned char)(hex_digit(s.p[i + 1]) * 16 + hex_digit(s.p[i + 2]));
			i += 2;
		} else if (c == 'n') {
			b[n++] = '\n';
		} else if (c == 't') {
			b[n++] = '\t';
		} else if (c == 'F' && s.n == 2) {
			*dyn = true;
		} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
			b[n++] = (unsigned char)c;
		} else {
			goto bad;
		}
	}
	*out = b;
	*outlen = n;
	return 0;
bad:
	free(b);
	return -1;
}

static bool single_byte(const bitset *b)
{
	int cnt = 0;
	for (int w = 0; w < 4; w++)
		cnt += __builtin_popcountll(b->w[w]);
	return cnt == 1;
}

static char *dup_field(sv f, table *t)
{
	if (f.n == 1 && f.p[0] == '-')
		return NULL;
	char *s = strndup(f.p, f.n);
	if (!s && !t->err)
		t->err = "out of memory";
	return s;
}

static void load_rule(table *t, sv line, size_t lineno)
{
	sv f[7];
	for (int i = 0; i < 7; i++) {
		if (i < 6 && sv_find(line, '\t') == line.n) {
			snprintf(t->errbuf, sizeof(t->errbuf),
				 "classifiers.tsv:%zu: expected 7 tab-separated fields", lineno);
			t->err = t->errbuf;
			return;
		}
		f[i] = i < 6 ? sv_split(&line, '\t') : line;
	}
	rule *r = &t->rules[t->n];
	memset(r, 0, sizeof(*r));
	r->cls = dup_field(f[0], t);
	r->pkg = dup_field(f[1], t);
	r->purl = dup_field(f[5], t);
	r->cpe = dup_field(f[6], t);
	sv globs = f[2];
	r->globs = xcalloc(globs.n + 1, sizeof(char *), t);
	while (r->globs && globs.n) {
		sv g = sv_split(&globs, ',');
		if (!g.n)
			continue;
		if (!(r->globs[r->nglobs++] = dup_field(g, t)))
			return;
		if (g.n == 1 && g.p[0] == '*')
			r->any_file = true;
	}
	const char *perr = NULL;
	if (t->err)
		return;
	if (!r->cls || !r->pkg || !r->nglobs || unescape(&r->anchor, &r->alen, f[3], &r->dyn_anchor) != 0 ||
	    (!r->alen && !r->dyn_anchor) || compile(&r->pr, f[4], &perr) != 0) {
		snprintf(t->errbuf, sizeof(t->errbuf), "classifiers.tsv:%zu: bad rule (%s)", lineno,
			 perr ? perr : "class, package, files and anchor are required");
		t->err = t->errbuf;
		return;
	}
	/* A pattern that starts with its anchor needs no look-behind; one that
	 * starts with k literal bytes and then the file-name version needs k. */
	r->back = WINDOW_BEFORE;
	if (r->dyn_anchor) {
		size_t k = 0;
		while ((int)k < r->pr.n && r->pr.code[k].op == OP_CLASS &&
		       single_byte(&r->pr.cls[r->pr.code[k].x]))
			k++;
		if ((int)k < r->pr.n && r->pr.code[k].op == OP_FILEVER)
			r->back = k;
	}
	if (!r->dyn_anchor && (size_t)r->pr.n > r->alen) {
		size_t i = 0;
		for (; i < r->alen; i++) {
			const inst *in = &r->pr.code[i];
			if (in->op != OP_CLASS || !bs_has(&r->pr.cls[in->x], r->anchor[i]))
				break;
			if (!single_byte(&r->pr.cls[in->x]))
				break;
		}
		if (i == r->alen)
			r->back = 0;
	}
	r->anchor_id[0] = r->anchor_id[1] = -1;
	/* "the first rule of a class that matches decides it" needs a class's
	 * rules together */
	for (size_t j = 0; t->n > 0 && j + 1 < t->n; j++)
		if (strcmp(t->rules[j].cls, r->cls) == 0 && strcmp(t->rules[t->n - 1].cls, r->cls) != 0) {
			snprintf(t->errbuf, sizeof(t->errbuf),
				 "classifiers.tsv:%zu: rules of class %s are not together", lineno, r->cls);
			t->err = t->errbuf;
			return;
		}
	t->n++;
}

/* Numbers the distinct anchors of automaton `which` (1: only the rules for
 * any file), in rule order: the literal ids the scans index by. Cheap; the
 * DFA over them is built only when a scan needs it (build_dfa). */
static void assign_ids(table *t, int which)
{
	automaton *a = &t->ac[which];
	a->out_next = xcalloc(t->n, sizeof(int32_t), t);
	a->lit_state = xcalloc(t->n, sizeof(int32_t), t);
	a->lit_rule = xcalloc(t->n, sizeof(size_t), t);
	if (t->err)
		return;
	for (size_t i = 0; i < t->n; i++) {
		rule *r = &t->rules[i];
		if (r->dyn_anchor || (which == 1 && !r->any_file))
			continue;
		for (size_t j = 0; j < i; j++) /* share literals between rules */
			if (t->rules[j].anchor_id[which] >= 0 && t->rules[j].alen == r->alen &&
			    memcmp(t->rules[j].anchor, r->anchor, r->alen) == 0) {
				r->anchor_id[which] = t->rules[j].anchor_id[which];
				break;
			}
		if (r->anchor_id[which] < 0) {
			a->lit_rule[a->nlits] = i;
			r->anchor_id[which] = (int)a->nlits++;
		}
	}
}

/* The goto function as a full DFA over the literals of automaton `which`.
 * Only files whose names select more than MEMMEM_LITS anchors use it, so it
 * is built on first use (about 1.4 MiB for all rules). false: out of memory. */
static bool build_dfa(automaton *a, const table *t)
{
	size_t total = 1;
	for (size_t l = 0; l < a->nlits; l++)
		total += t->rules[a->lit_rule[l]].alen;
	int32_t *go = malloc(total * 256 * sizeof(int32_t));
	int32_t *out = malloc(total * sizeof(int32_t)), *fail = calloc(total, sizeof(int32_t)),
		*queue = malloc(total * sizeof(int32_t)), *term = malloc(total * sizeof(int32_t));
	if (!go || !out || !fail || !queue || !term) {
		free(go);
		free(out);
		free(fail);
		free(queue);
		free(term);
		return false;
	}
	memset(go, 0xff, total * 256 * sizeof(int32_t));
	size_t nstates = 1;
	for (size_t l = 0; l < a->nlits; l++) {
		const rule *r = &t->rules[a->lit_rule[l]];
		int32_t st = 0;
		for (size_t k = 0; k < r->alen; k++) {
			int32_t *g = &go[(size_t)st * 256 + r->anchor[k]];
			if (*g < 0)
				*g = (int32_t)nstates++;
			st = *g;
		}
		a->lit_state[l] = st;
	}
	/* literal ending exactly at a state: at most one (they are distinct) */
	for (size_t st = 0; st < nstates; st++)
		out[st] = term[st] = -1;
	for (size_t l = 0; l < a->nlits; l++)
		term[a->lit_state[l]] = (int32_t)l;
	size_t qh = 0, qt = 0;
	for (int c = 0; c < 256; c++) {
		int32_t *g = &go[c];
		if (*g < 0) {
			*g = 0;
		} else {
			fail[*g] = 0;
			queue[qt++] = *g;
		}
	}
	while (qh < qt) {
		int32_t st = queue[qh++];
		/* outputs: this state's literal, then its failure state's chain */
		int32_t fo = out[fail[st]];
		if (term[st] >= 0) {
			out[st] = term[st];
			a->out_next[term[st]] = fo;
		} else {
			out[st] = fo;
		}
		for (int c = 0; c < 256; c++) {
			int32_t *g = &go[(size_t)st * 256 + c];
			if (*g < 0) {
				*g = go[(size_t)fail[st] * 256 + c];
			} else {
				fail[*g] = go[(size_t)fail[st] * 256 + c];
				queue[qt++] = *g;
			}
		}
	}
	free(term);
	free(fail);
	free(queue);
	/* sized for every anchor byte being a state: give back what was not used */
	int32_t *shrunk = realloc(go, nstates * 256 * sizeof(int32_t));
	a->go = shrunk ? shrunk : go;
	a->out = out;
	a->nstates = nstates;
	return true;
}

static pthread_once_t dfa_once[2] = {PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT};
static bool dfa_ok[2];
static void build_dfa0(void) { dfa_ok[0] = build_dfa(&T.ac[0], &T); }
static void build_dfa1(void) { dfa_ok[1] = build_dfa(&T.ac[1], &T); }

/* Automaton `which`'s DFA, built once (thread-safe); NULL when out of memory. */
static const automaton *get_dfa(int which)
{
	pthread_once(&dfa_once[which], which ? build_dfa1 : build_dfa0);
	return dfa_ok[which] ? &T.ac[which] : NULL;
}

static void load_table(void)
{
	table *t = &T;
	sv text = sv_make(table_text, sizeof(table_text)), line;
	size_t nlines = 1;
	for (size_t i = 0; i < text.n; i++)
		nlines += text.p[i] == '\n';
	t->rules = xcalloc(nlines, sizeof(rule), t);
	size_t lineno = 0;
	while (!t->err && sv_next_line(&text, &line)) {
		lineno++;
		if (!line.n || line.p[0] == '#' || sv_starts_with(line, sv_cstr("class\t")))
			continue;
		load_rule(t, line, lineno);
	}
	for (int which = 0; which < 2 && !t->err; which++)
		assign_ids(t, which);
}

static const table *get_table(void)
{
	pthread_once(&T_once, load_table);
	return &T;
}

const char *classify_table_error(void) { return get_table()->err; }
size_t classify_nrules(void) { return get_table()->n; }

/* ---- scanning ------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

static bool glob_ok(const rule *r, const char *path)
{
	const char *base = base_name(path);
	for (size_t i = 0; i < r->nglobs; i++) {
		const char *g = r->globs[i];
		if (strchr(g, '/') ? fnmatch(g, path, 0) == 0 : fnmatch(g, base, 0) == 0)
			return true;
	}
	return false;
}

bool classify_wants_path(const char *path)
{
	const table *t = get_table();
	for (size_t i = 0; !t->err && i < t->n; i++)
		if (!t->rules[i].any_file && glob_ok(&t->rules[i], path))
			return true;
	return false;
}

/* The version a file name carries ("python3.11" -> "3.11",
 * "libpython3.7m.so.1.0" -> "3.7"): digits and dots up to the first other
 * byte, trailing dot dropped. */
static sv file_version(const char *path)
{
	const char *b = base_name(path);
	while (*b && !(*b >= '0' && *b <= '9'))
		b++;
	size_t n = 0;
	while ((b[n] >= '0' && b[n] <= '9') || (b[n] == '.' && b[n + 1] >= '0' && b[n + 1] <= '9'))
		n++;
	return sv_make(b, n);
}

static bool version_ok(sv v)
{
	if (!v.n || v.n > MAX_VERSION)
		return false;
	for (size_t i = 0; i < v.n; i++)
		if (v.p[i] <= ' ' || v.p[i] > '~')
			return false;
	return true;
}

/* Where a rule stands in a scan: hits tried so far, where the next match
 * attempt may start (never at or before a hit already tried), the version. */
typedef struct rstate {
	int hits;
	size_t next_start;
	bool done, matched;
	sv version;
} rstate;

/* The first occurrence of the needle starting in [from, hi), or SIZE_MAX. */
static size_t find_from(sv data, size_t from, size_t hi, const unsigned char *needle, size_t nlen)
{
	if (!nlen || from >= hi || from >= data.n)
		return SIZE_MAX;
	size_t lim = hi - 1 + nlen < data.n ? hi - 1 + nlen : data.n;
	const void *h = memmem(data.p + from, lim - from, needle, nlen);
	return h ? (size_t)((const char *)h - data.p) : SIZE_MAX;
}

/* A literal searched for on its own (few candidate literals: no automaton). */
typedef struct lit {
	const unsigned char *p;
	size_t n;
	int id; /* automaton literal id: where its first hit goes in first[] */
} lit;

#if defined(__x86_64__)
/* The first occurrences of several literals in one pass, 32 positions at a
 * time: a position is a candidate for a literal when its first and last bytes
 * are there (two compares per literal per block), then memcmp decides. One
 * pass for all, instead of one memmem pass per literal. pos[k] = the start of
 * literal k's first occurrence starting in [from, hi), or SIZE_MAX; returns
 * where it stopped looking for the ones not found (the caller finishes from
 * there: the last bytes, where a block's loads would run past the data). */
__attribute__((target("avx2"))) static size_t hits_avx2(sv data, size_t from, size_t hi, const lit *L, size_t nl,
						       size_t *pos)
{
	const unsigned char *s = (const unsigned char *)data.p;
	__m256i f[MEMMEM_LITS], e[MEMMEM_LITS];
	size_t act[MEMMEM_LITS], na = 0, maxlen = 1;
	for (size_t k = 0; k < nl; k++) {
		pos[k] = SIZE_MAX;
		f[k] = _mm256_set1_epi8((char)L[k].p[0]);
		e[k] = _mm256_set1_epi8((char)L[k].p[L[k].n - 1]);
		act[na++] = k;
		if (L[k].n > maxlen)
			maxlen = L[k].n;
	}
	size_t i = from;
	for (; na && i < hi && data.n - i >= 32 + maxlen - 1; i += 32) {
		__m256i b = _mm256_loadu_si256((const __m256i *)(s + i));
		for (size_t a = 0; a < na; a++) {
			size_t k = act[a];
			__m256i t = _mm256_loadu_si256((const __m256i *)(s + i + L[k].n - 1));
			uint32_t m = (uint32_t)_mm256_movemask_epi8(
			    _mm256_and_si256(_mm256_cmpeq_epi8(b, f[k]), _mm256_cmpeq_epi8(t, e[k])));
			for (; m; m &= m - 1) {
				size_t at = i + (size_t)__builtin_ctz(m);
				if (at >= hi)
					break;
				if (memcmp(s + at, L[k].p, L[k].n) == 0) {
					pos[k] = at;
					act[a--] = act[--na]; /* found: no longer looked for */
					break;
				}
			}
		}
	}
	return i;
}
#endif

/* first[L[k].id] = where literal k's first occurrence starting in [c, hi)
 * ends, or SIZE_MAX: the same positions memmem gives. */
static void find_literals(sv data, size_t c, size_t hi, const lit *L, size_t nl, bool simd, size_t *first)
{
	size_t pos[MEMMEM_LITS], from = c;
	for (size_t k = 0; k < nl; k++)
		pos[k] = SIZE_MAX;
#if defined(__x86_64__)
	if (simd)
		from = hits_avx2(data, c, hi, L, nl, pos);
#else
	(void)simd;
#endif
	for (size_t k = 0; k < nl; k++) {
		if (pos[k] == SIZE_MAX)
			pos[k] = find_from(data, from, hi, L[k].p, L[k].n);
		first[L[k].id] = pos[k] == SIZE_MAX ? SIZE_MAX : pos[k] + L[k].n;
	}
}

/* Tries rule r around each occurrence of its anchor that starts before `hi`,
 * from the one at `hit`, continuing where earlier chunks left st. */
static void try_rule(const rule *r, sv data, size_t hit, size_t hi, sv filever, rstate *st)
{
	const unsigned char *s = (const unsigned char *)data.p;
	const unsigned char *anchor = r->dyn_anchor ? (const unsigned char *)filever.p : r->anchor;
	size_t alen = r->dyn_anchor ? filever.n : r->alen;
	while (st->hits < MAX_HITS && hit < hi) {
		size_t lo = hit > r->back ? hit - r->back : 0;
		if (lo < st->next_start)
			lo = st->next_start;
		size_t end = data.n - hit > alen + WINDOW_AFTER ? hit + alen + WINDOW_AFTER : data.n;
		for (size_t at = lo; at <= hit; at++) {
			size_t vb, ve;
			if (run_prog(&r->pr, s, at, end, data.n, filever, &vb, &ve)) {
				sv v = sv_make(s + vb, ve - vb);
				if (version_ok(v)) {
					st->version = v;
					st->matched = st->done = true;
					return;
				}
			}
		}
		st->hits++;
		st->next_start = hit + 1;
		if (hit + 1 >= data.n) {
			st->done = true;
			return;
		}
		hit = find_from(data, hit + 1, hi, anchor, alen);
	}
	if (st->hits >= MAX_HITS)
		st->done = true;
}

/* "{version}" in a template replaced by the version. */
static char *expand(const char *tmpl, sv version)
{
	if (!tmpl)
		return NULL;
	buf b = {0};
	const char *p = tmpl, *q;
	int rc = 0;
	while (!rc && (q = strstr(p, "{version}")) != NULL) {
		rc = buf_append(&b, p, (size_t)(q - p));
		if (!rc)
			rc = buf_putsv(&b, version);
		p = q + 9;
	}
	if (!rc)
		rc = buf_puts(&b, p);
	if (rc) {
		buf_free(&b);
		return NULL;
	}
	return b.p;
}

/* Finds, in each automaton literal l, the first occurrence starting in
 * [c, hi): first[l] = where it ends, SIZE_MAX if none. One pass. */
static void scan_literals(const automaton *a, sv data, size_t c, size_t hi, size_t maxlen, size_t *first)
{
	const unsigned char *s = (const unsigned char *)data.p;
	const int32_t *go = a->go, *out = a->out;
	size_t lim = hi - 1 + maxlen < data.n ? hi - 1 + maxlen : data.n;
	int32_t st = 0;
	for (size_t l = 0; l < a->nlits; l++)
		first[l] = SIZE_MAX;
	for (size_t i = c; i < lim; i++) {
		st = go[(size_t)st * 256 + s[i]];
		if (out[st] < 0)
			continue;
		for (int32_t l = out[st]; l >= 0; l = a->out_next[l]) {
			if (first[l] != SIZE_MAX)
				break;	  /* the rest of the chain was seen here before, or earlier */
			first[l] = i + 1; /* where the literal ends */
		}
	}
}

/* classify_scan over windows of `chunk` bytes of anchor positions, in file
 * order, so that a large mapped file can be released behind the scan (`run`,
 * may be NULL). The result does not depend on `chunk`: each rule's state
 * carries from one window to the next, and a rule's anchor occurrences are
 * tried in the same order, with the same limits, as in one pass. */
static int scan_chunks(const char *path, sv data, size_t chunk, bool allow_simd, classify_fn fn, void *ud,
		       const file_run *run)
{
	const table *t = get_table();
	if (t->err)
		return -LADING_EFORMAT;
	if (!path)
		return 0;
	bool *want = calloc(t->n ? t->n : 1, sizeof(bool));
	rstate *rs = calloc(t->n ? t->n : 1, sizeof(*rs));
	size_t *first = malloc((t->ac[0].nlits ? t->ac[0].nlits : 1) * sizeof(size_t));
	if (!want || !rs || !first) {
		free(want);
		free(rs);
		free(first);
		return -LADING_ENOMEM;
	}
	size_t nwant = 0;
	int which = 1;
	for (size_t i = 0; i < t->n; i++)
		if ((want[i] = glob_ok(&t->rules[i], path))) {
			nwant++;
			if (!t->rules[i].any_file)
				which = 0;
		}
	const automaton *a = &t->ac[which];
	sv filever = file_version(path);
	/* a handful of literals: one memmem each beats the automaton's dependent
	 * table lookups (see docs/classifiers.md for figures) */
	size_t nlit = 0, maxlen = 1;
	for (size_t l = 0; l < a->nlits; l++)
		first[l] = SIZE_MAX;
	for (size_t i = 0; i < t->n; i++) {
		int l = t->rules[i].anchor_id[which];
		if (want[i] && l >= 0 && first[l] == SIZE_MAX) {
			first[l] = 0; /* counted */
			nlit++;
		}
		if (want[i] && t->rules[i].alen > maxlen)
			maxlen = t->rules[i].alen;
	}
	bool few = nlit <= MEMMEM_LITS;
#if defined(__x86_64__)
	bool simd = few && allow_simd && __builtin_cpu_supports("avx2");
#else
	bool simd = false;
	(void)allow_simd;
#endif
	if (chunk == 0)
		chunk = data.n ? data.n : 1;
	size_t open = nwant;
	const automaton *dfa = NULL;
	int rc = 0;
	for (size_t c = 0; c < data.n && open; c += chunk) {
		size_t hi = data.n - c > chunk ? c + chunk : data.n;
		if (few) {
			/* the distinct literals of the rules still open */
			lit L[MEMMEM_LITS];
			size_t nl = 0;
			for (size_t i = 0; i < t->n; i++) {
				const rule *r = &t->rules[i];
				int l = r->anchor_id[which];
				if (!want[i] || rs[i].done || l < 0)
					continue;
				size_t k = 0;
				while (k < nl && L[k].id != l)
					k++;
				if (k == nl)
					L[nl++] = (lit){r->anchor, r->alen, l};
			}
			find_literals(data, c, hi, L, nl, simd, first);
		} else {
			if (!dfa && !(dfa = get_dfa(which))) {
				rc = -LADING_ENOMEM;
				break;
			}
			scan_literals(dfa, data, c, hi, maxlen, first);
		}
		for (size_t i = 0; i < t->n; i++) {
			const rule *r = &t->rules[i];
			rstate *st = &rs[i];
			if (!want[i] || st->done)
				continue;
			size_t pos;
			if (r->dyn_anchor) {
				pos = find_from(data, c, hi, (const unsigned char *)filever.p, filever.n);
			} else if (r->anchor_id[which] < 0) {
				pos = SIZE_MAX;
			} else {
				size_t e = first[r->anchor_id[which]];
				pos = e == SIZE_MAX || e - r->alen >= hi ? SIZE_MAX : e - r->alen;
			}
			if (pos != SIZE_MAX)
				try_rule(r, data, pos, hi, filever, st);
			if (st->done)
				open--;
		}
		if (run && c > (size_t)1 << 16)
			file_release(run, 0, c - ((size_t)1 << 16)); /* behind every window a later one looks at */
	}
	/* dedup of (name, version) within the file */
	struct seen {
		const char *name;
		char *version;
	} *seen = NULL;
	size_t nseen = 0;
	const char *done_cls = NULL;
	for (size_t i = 0; nwant && !rc && i < t->n; i++) {
		const rule *r = &t->rules[i];
		if (!want[i] || !rs[i].matched || (done_cls && strcmp(done_cls, r->cls) == 0))
			continue;
		sv v = rs[i].version;
		done_cls = r->cls; /* the first rule of a class that matches decides it */
		bool dup = false;
		for (size_t k = 0; k < nseen && !dup; k++)
			dup = strcmp(seen[k].name, r->pkg) == 0 && strlen(seen[k].version) == v.n &&
			      memcmp(seen[k].version, v.p, v.n) == 0;
		if (dup)
			continue;
		struct seen *ns = realloc(seen, (nseen + 1) * sizeof(*seen));
		char *vs = strndup(v.p, v.n);
		char *purl = expand(r->purl, v), *cpe = expand(r->cpe, v);
		if (ns)
			seen = ns;
		if (!ns || !vs || (r->purl && !purl) || (r->cpe && !cpe)) {
			free(vs);
			free(purl);
			free(cpe);
			rc = -LADING_ENOMEM;
			break;
		}
		seen[nseen++] = (struct seen){r->pkg, vs};
		classify_match m = {r->cls, r->pkg, vs, purl, cpe};
		rc = fn(ud, &m);
		free(purl);
		free(cpe);
	}
	for (size_t k = 0; k < nseen; k++)
		free(seen[k].version);
	free(seen);
	free(want);
	free(rs);
	free(first);
	return rc;
}

/* Windows of anchor positions: large enough that the per-window work is
 * noise, small enough that a mapped file is released behind the scan. */
enum { SCAN_CHUNK = 1 << 20 };

int classify_scan(const char *path, sv data, classify_fn fn, void *ud)
{
	return scan_chunks(path, data, SCAN_CHUNK, true, fn, ud, NULL);
}

int classify_scan_how(const char *path, sv data, size_t chunk, bool simd, classify_fn fn, void *ud)
{
	return scan_chunks(path, data, chunk, simd, fn, ud, NULL);
}

static int add_package(void *ud, const classify_match *m)
{
	file_run *run = ud;
	char found_by[128];
	snprintf(found_by, sizeof(found_by), "binary:%s", m->cls);
	lading_package p = {.type = LADING_PKG_BINARY,
			    .name = m->name,
			    .version = m->version,
			    .purl = m->purl,
			    .cpe = m->cpe,
			    .found_by = found_by,
			    .db_path = run->path};
	return inv_add_package(run->inv, &p);
}

int classify_catalog(file_run *run, sv data)
{
	int rc = scan_chunks(run->path, data, SCAN_CHUNK, true, add_package, run, run);
	/* a table that did not load is a build defect the unit test reports;
	 * it must not stop scans */
	return rc == -LADING_EFORMAT ? 0 : rc;
}
