// SPDX-License-Identifier: MIT
/*
 * The YAML front end: libyaml events -> a located ynode tree.
 *
 * Nodes and strings live in arenas of the document (texts in chunks of their
 * own, unaligned), so a tree is freed in one go and a node costs 24 bytes;
 * a collection's children sit in one array. An alias is a copy of the
 * anchored node, sharing its children; to keep "billion laughs" inputs from
 * exploding later passes that walk the tree, the parser counts the size of
 * the tree as if every alias were expanded and rejects documents beyond a
 * limit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <yaml.h>

#include "lib/util.h"
#include "front/ynode.h"

#define MAX_DEPTH 256
#define MAX_EXPANDED_NODES (64u * 1024 * 1024)
#define ARENA_CHUNK (64 * 1024)
#define ARENA_HUGE (2 * 1024 * 1024) /* a huge page */
#define INTERN_MAX_LEN 15 /* short scalars are stored once per document */
#define INTERN_SLOTS 4096 /* a power of two; filled at most half */

/* --- arena ---------------------------------------------------------- */

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	bool mapped; /* by map_huge(), else malloc'ed */
	max_align_t data[];
};

/* @size bytes (a multiple of ARENA_HUGE) at a huge page boundary, or NULL. */
static void *map_huge(size_t size)
{
	size_t span = size + ARENA_HUGE;
	char *p = mmap(NULL, span, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *start;

	if (p == MAP_FAILED)
		return NULL;
	start = (char *)(((uintptr_t)p + ARENA_HUGE - 1) &
			 ~(uintptr_t)(ARENA_HUGE - 1));
	if (start > p)
		munmap(p, (size_t)(start - p));
	if (p + span > start + size)
		munmap(start + size, (size_t)(p + span - (start + size)));
	madvise(start, size, MADV_HUGEPAGE); /* a hint: no harm if refused */
	return start;
}

/*
 * A new chunk for at least @n bytes. Chunks double from ARENA_CHUNK up to
 * ARENA_HUGE, so a small document costs little; a big one (a tree of
 * hundreds of MB) takes huge pages where the kernel has them, 512 times
 * fewer page faults, which cost more than building the tree.
 */
static struct arena_chunk *arena_grow(struct arena_chunk *prev, size_t n)
{
	size_t size = prev ? 2 * (prev->size + sizeof(*prev)) : ARENA_CHUNK;
	struct arena_chunk *c = NULL;

	if (size > ARENA_HUGE)
		size = ARENA_HUGE;
	if (size - sizeof(*c) < n)
		size = (n + sizeof(*c) + ARENA_HUGE - 1) &
		       ~(size_t)(ARENA_HUGE - 1);
	if (size >= ARENA_HUGE)
		c = map_huge(size);
	if (c) {
		c->mapped = true;
	} else {
		c = xmalloc(size);
		c->mapped = false;
	}
	c->next = prev;
	c->size = size - sizeof(*c);
	c->used = 0;
	return c;
}

/* @n bytes at a multiple of @align (a power of two) in the current chunk. */
static void *arena_alloc_at(void **arena, size_t n, size_t align)
{
	struct arena_chunk *c = *arena;
	size_t off = c ? (c->used + align - 1) & ~(align - 1) : 0;

	if (!c || off > c->size || c->size - off < n) {
		c = arena_grow(c, n);
		*arena = c;
		off = 0;
	}
	c->used = off + n;
	return (char *)c->data + off;
}

/* Nodes and pointer arrays: 8-byte aligned. */
static void *arena_alloc(void **arena, size_t n)
{
	return arena_alloc_at(arena, n, 8);
}

static void arena_free(void *arena)
{
	struct arena_chunk *c = arena;

	while (c) {
		struct arena_chunk *next = c->next;

		if (c->mapped)
			munmap(c, c->size + sizeof(*c));
		else
			free(c);
		c = next;
	}
}

/* --- scalar resolution ---------------------------------------------- */

/* Whether @s is one or more of the digits below @base, or '_'. */
static bool all_digits(const char *s, unsigned int base)
{
	const char *p = s;
	unsigned int d;

	for (; *p; p++) {
		if (*p == '_')
			continue;
		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			d = (unsigned int)((*p | 0x20) - 'a' + 10);
		else
			return false;
		if (d >= base)
			return false;
	}
	return p != s;
}

static bool looks_int(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if ((s[0] == '0') && (s[1] == 'x' || s[1] == 'X'))
		return all_digits(s + 2, 16);
	if ((s[0] == '0') && (s[1] == 'b' || s[1] == 'B'))
		return all_digits(s + 2, 2);
	return *s >= '0' && *s <= '9' && all_digits(s, 10);
}

static bool looks_float(const char *s)
{
	bool digits = false, dot = false;

	if (*s == '-' || *s == '+')
		s++;
	if (!strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".nan"))
		return true;
	for (; *s >= '0' && *s <= '9'; s++)
		digits = true;
	if (*s == '.') {
		dot = true;
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits = true;
	}
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		s += strspn(s, "0123456789");
		return *s == '\0';
	}
	return dot && *s == '\0';
}

static enum yscalar_type resolve_plain(const char *s)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	static const char *const bools[] = { "true",  "True",  "TRUE",
					     "false", "False", "FALSE" };
	unsigned int i;

	/* Only these first letters can start a null or a boolean. */
	if (strchr("~nNtTfF", s[0])) { /* also true for "" */
		for (i = 0; i < ARRAY_SIZE(nulls); i++)
			if (!strcmp(s, nulls[i]))
				return YS_NULL;
		for (i = 0; i < ARRAY_SIZE(bools); i++)
			if (!strcmp(s, bools[i]))
				return YS_BOOL;
	}
	if (looks_int(s))
		return YS_INT;
	if (looks_float(s))
		return YS_FLOAT;
	return YS_STRING;
}

/* --- the builder ---------------------------------------------------- */

/* A short scalar text already in the arena (keys, mostly). */
struct interned {
	const char *str;
	uint32_t len;
	int plain_type; /* resolve_plain(str), or -1 until known */
};

struct anchor {
	char *name;
	struct ynode node; /* an alias is a copy */
	uint64_t expanded;
};

struct builder {
	yaml_parser_t parser;
	struct ydoc *doc;
	struct diag_list *dl;
	struct anchor *anchors;
	size_t nanchors, anchors_cap;
	struct ynode *stack; /* children of the collections being built */
	size_t nstack, stack_cap;
	struct interned *interned; /* INTERN_SLOTS, allocated on first use */
	/*
	 * Their hashes, 0 for a free slot, apart: most probes are for texts
	 * that are not there (addresses), and 16 KiB stay in the L1 cache.
	 */
	uint32_t *intern_hash;
	size_t ninterned;
	uint64_t expanded; /* tree size with aliases expanded */
	int errors;
	struct u8stream *u8; /* a streamed source's UTF-8 check */
	int read_errno;	     /* why reading a streamed source failed */
};

static struct loc mark_loc(struct builder *b, yaml_mark_t m)
{
	struct loc l = { b->doc->src, (uint32_t)m.line + 1,
			 (uint32_t)m.column + 1 };
	return l;
}

static bool stream_error(struct builder *b);
static const char *whole_text(struct source *src);

static void parser_error(struct builder *b)
{
	yaml_parser_t *p = &b->parser;
	struct loc l = mark_loc(b, p->problem_mark);
	const char *text;
	size_t off = p->problem_mark.index;

	if (stream_error(b))
		return;
	text = p->error == YAML_SCANNER_ERROR ? whole_text(b->doc->src) : NULL;
	if (text && off < b->doc->src->len && text[off] == '\t') {
		diag_report(
			b->dl, RULE_TAB_INDENT, l,
			"tab character in indentation; YAML indents with spaces only");
		b->errors++;
		return;
	}
	if (p->context)
		diag_report(b->dl, RULE_YAML_SYNTAX, l, "%s %s", p->problem,
			    p->context);
	else
		diag_report(b->dl, RULE_YAML_SYNTAX, l, "%s",
			    p->problem ? p->problem : "malformed YAML");
	if (p->context && (p->context_mark.line != p->problem_mark.line ||
			   p->context_mark.column != p->problem_mark.column))
		diag_note(b->dl, mark_loc(b, p->context_mark),
			  "the construct started here");
	b->errors++;
}

/* next_event - fetch an event; false (error reported) on failure. */
static bool next_event(struct builder *b, yaml_event_t *ev)
{
	if (yaml_parser_parse(&b->parser, ev))
		return true;
	parser_error(b);
	return false;
}

/* Start node @n (its parent's, or the caller's until it has one). */
static void init_node(struct builder *b, struct ynode *n, enum ynode_kind kind,
		      yaml_mark_t m)
{
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->line = (uint32_t)m.line + 1;
	n->col = (uint32_t)m.column + 1;
	n->src_slot = b->doc->src->slot;
}

/* Texts have chunks of their own, packed: 12 bytes for "0x100800000". */
static char *arena_strndup(struct builder *b, const char *s, size_t len)
{
	char *p = arena_alloc_at(&b->doc->text_arena, len + 1, 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/*
 * A hash of up to 16 bytes from two (overlapping) word loads, not a loop
 * over the bytes: it runs for most scalars of a document.
 */
static uint64_t short_hash(const char *s, size_t len)
{
	uint64_t a, b, h;
	uint32_t x, y;

	if (len >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + len - 8, 8);
	} else if (len >= 4) {
		memcpy(&x, s, 4);
		memcpy(&y, s + len - 4, 4);
		a = x;
		b = y;
	} else {
		a = len ? (unsigned char)s[0] | (unsigned char)s[len / 2] << 8 |
				    (unsigned char)s[len - 1] << 16
			: 0;
		b = 0;
	}
	h = (a ^ len) * 0x9e3779b97f4a7c15ULL;
	h = (h ^ (h >> 29) ^ b) * 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

/*
 * intern - the arena copy of scalar text @s: short texts (keys like "size",
 * values like "4K") are stored once per document, which saves a fifth of a
 * big system's tree. Nothing writes to a scalar's text once built. *slot is
 * the table entry (NULL when the text was not interned), where a plain
 * scalar's type is kept once resolved.
 */
static char *intern(struct builder *b, const char *s, size_t len,
		    struct interned **slot)
{
	struct interned *e;
	uint64_t h;
	uint32_t tag;
	size_t i;

	*slot = NULL;
	if (len > INTERN_MAX_LEN)
		return arena_strndup(b, s, len);
	if (!b->interned) {
		b->interned = xcalloc(INTERN_SLOTS, sizeof(*b->interned));
		b->intern_hash = xcalloc(INTERN_SLOTS, sizeof(*b->intern_hash));
	}
	h = short_hash(s, len);
	tag = (uint32_t)(h >> 32) | 1; /* never 0, a free slot */
	for (i = h & (INTERN_SLOTS - 1); b->intern_hash[i];
	     i = (i + 1) & (INTERN_SLOTS - 1)) {
		e = &b->interned[i];
		if (b->intern_hash[i] == tag && e->len == len &&
		    !memcmp(e->str, s, len)) {
			*slot = e;
			return (char *)e->str;
		}
	}
	if (2 * (b->ninterned + 1) > INTERN_SLOTS)
		return arena_strndup(b, s, len); /* full: copy */
	e = &b->interned[i];
	b->intern_hash[i] = tag;
	e->str = arena_strndup(b, s, len);
	e->len = (uint32_t)len;
	e->plain_type = -1;
	b->ninterned++;
	*slot = e;
	return (char *)e->str;
}

static void build_scalar(struct builder *b, yaml_event_t *ev, struct ynode *n)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	size_t len = ev->data.scalar.length;
	struct interned *slot;

	init_node(b, n, YNODE_SCALAR, ev->start_mark);
	n->str = intern(b, (const char *)ev->data.scalar.value, len, &slot);
	n->len = (uint32_t)len;
	if (tag && !strcmp(tag, YAML_STR_TAG)) {
		n->type = YS_STRING;
	} else if (tag && !strcmp(tag, YAML_INT_TAG) && looks_int(n->str)) {
		n->type = YS_INT;
	} else if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !tag) {
		/* Keys and short values repeat: resolve each text once. */
		if (slot && slot->plain_type < 0)
			slot->plain_type = (int)resolve_plain(n->str);
		n->type = (uint8_t)(slot ? slot->plain_type
					 : (int)resolve_plain(n->str));
	} else {
		n->type = YS_STRING;
	}
}

static void remember_anchor(struct builder *b, const yaml_char_t *name,
			    const struct ynode *n, uint64_t expanded)
{
	struct anchor *a;

	VEC_RESERVE(b->anchors, b->nanchors, b->anchors_cap);
	a = &b->anchors[b->nanchors++];
	a->name = xstrdup((const char *)name);
	a->node = *n;
	a->expanded = expanded;
}

static struct anchor *find_anchor(struct builder *b, const char *name)
{
	size_t i;

	/* Latest definition wins: YAML allows redefining an anchor. */
	for (i = b->nanchors; i > 0; i--)
		if (!strcmp(b->anchors[i - 1].name, name))
			return &b->anchors[i - 1];
	return NULL;
}

static bool build_node(struct builder *b, yaml_event_t *ev, unsigned int depth,
		       uint64_t *expanded, struct ynode *out);

/* A growable list of children, copied into the arena when complete. */
struct kids {
	struct ynode *v;
	size_t n, cap;
};

static void kids_push(struct kids *k, const struct ynode *n)
{
	VEC_RESERVE(k->v, k->n, k->cap);
	k->v[k->n++] = *n;
}

static void kids_attach(struct builder *b, struct ynode *parent, struct kids *k,
			size_t count)
{
	parent->kids = arena_alloc(&b->doc->arena, k->n * sizeof(*k->v));
	if (k->n)
		memcpy(parent->kids, k->v, k->n * sizeof(*k->v));
	parent->len = (uint32_t)count;
	free(k->v);
}

/*
 * Build children until the closing event of the collection, pushing them on
 * the builder's stack. Returns false on a parse error (already reported).
 */
static bool build_children(struct builder *b, yaml_event_type_t end,
			   unsigned int depth, uint64_t *expanded)
{
	yaml_event_t ev;
	struct ynode child;
	uint64_t sub;
	bool ok;

	for (;;) {
		if (!next_event(b, &ev))
			return false;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return true;
		}
		sub = 0;
		ok = build_node(b, &ev, depth + 1, &sub, &child);
		yaml_event_delete(&ev);
		if (!ok)
			return false;
		*expanded += sub;
		VEC_RESERVE(b->stack, b->nstack, b->stack_cap);
		b->stack[b->nstack++] = child;
	}
}

static bool is_merge_key(const struct ynode *k)
{
	return k->kind == YNODE_SCALAR && k->type == YS_STRING &&
	       !strcmp(k->str, "<<");
}

/* --- duplicate keys: O(n log n) ---------------------------------------- */

/* Below this many keys, comparing every pair is cheaper than sorting. */
#define FEW_KEYS 16

struct keyref {
	const char *str;
	uint32_t pos;
};

static int keyref_cmp(struct builder *b, const struct keyref *x,
		      const struct keyref *y)
{
	int c = strcmp(x->str, y->str);

	b->doc->key_compares++;
	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* Merge sort by text, then position: O(n log n) comparisons at worst. */
static void sort_keyrefs(struct builder *b, struct keyref *v, size_t n,
			 struct keyref *tmp)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	sort_keyrefs(b, v, mid, tmp);
	sort_keyrefs(b, v + mid, n - mid, tmp);
	while (i < mid && j < n)
		tmp[k++] = keyref_cmp(b, &v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	memcpy(v, tmp, k * sizeof(*v));
}

/*
 * first_keys - for each key of the @n pairs @pairs (key, value, key, ...),
 * all scalars, the position of the first key with the same text: first[i]
 * == i when none comes before it.
 */
static void first_keys(struct builder *b, const struct ynode *pairs, size_t n,
		       uint32_t *first)
{
	struct keyref *v, *tmp;
	size_t i, j;

	for (i = 0; i < n; i++)
		first[i] = (uint32_t)i;
	if (n <= FEW_KEYS) {
		for (i = 1; i < n; i++)
			for (j = 0; j < i; j++) {
				b->doc->key_compares++;
				if (!strcmp(pairs[2 * j].str,
					    pairs[2 * i].str)) {
					first[i] = (uint32_t)j;
					break;
				}
			}
		return;
	}
	v = xmalloc(n * sizeof(*v));
	tmp = xmalloc(n * sizeof(*tmp));
	for (i = 0; i < n; i++)
		v[i] = (struct keyref){ pairs[2 * i].str, (uint32_t)i };
	sort_keyrefs(b, v, n, tmp);
	for (i = 1; i < n; i++) {
		b->doc->key_compares++;
		if (!strcmp(v[i - 1].str, v[i].str))
			first[v[i].pos] = first[v[i - 1].pos];
	}
	free(v);
	free(tmp);
}

static void report_duplicate(struct builder *b, const struct ynode *key,
			     const struct ynode *prev)
{
	diag_report(b->dl, RULE_DUPLICATE_KEY, ynode_loc(key),
		    "duplicate key '%s'", key->str);
	diag_note(b->dl, ynode_loc(prev), "'%s' first given here", prev->str);
	b->errors++;
}

/* The keys that may not repeat: scalars, merge keys excepted. */
static bool plain_key(const struct ynode *k)
{
	return k->kind == YNODE_SCALAR && !is_merge_key(k);
}

/* Append the pairs of the mapping(s) a merge key's value @val names. */
static void merge_sources(struct kids *cand, const struct ynode *val)
{
	const struct ynode *src;
	uint32_t i, j;

	for (j = 0; j < (val->kind == YNODE_SEQ ? val->len : 1); j++) {
		src = val->kind == YNODE_SEQ ? &val->kids[j] : val;
		if (src->kind != YNODE_MAP)
			continue;
		for (i = 0; i < 2 * src->len; i++)
			kids_push(cand, &src->kids[i]);
	}
}

/*
 * Check the keys of a finished mapping: scalars only, no duplicates; then
 * apply merge keys ('<<'): explicit keys take precedence, then the merged
 * mappings in order.
 */
static void finish_mapping(struct builder *b, struct kids *k)
{
	struct kids out = { 0 };
	size_t i, j, npairs = k->n / 2, nexplicit, ncand;
	struct ynode *key, *val;
	uint32_t *first;

	/* Candidates: the explicit pairs, then every merged pair. */
	for (i = 0; i < npairs; i++)
		if (plain_key(&k->v[2 * i])) {
			kids_push(&out, &k->v[2 * i]);
			kids_push(&out, &k->v[2 * i + 1]);
		}
	nexplicit = out.n / 2;
	for (i = 0; i < npairs; i++)
		if (k->v[2 * i].kind == YNODE_SCALAR &&
		    is_merge_key(&k->v[2 * i]))
			merge_sources(&out, &k->v[2 * i + 1]);
	ncand = out.n / 2;
	first = xmalloc((ncand ? ncand : 1) * sizeof(*first));
	first_keys(b, out.v, ncand, first);

	/* Reports in the order of the keys. */
	for (i = 0, j = 0; i < npairs; i++) {
		key = &k->v[2 * i];
		if (key->kind != YNODE_SCALAR) {
			diag_report(b->dl, RULE_YAML_SYNTAX, ynode_loc(key),
				    "mapping keys must be scalars");
			b->errors++;
		} else if (!is_merge_key(key)) {
			if (first[j] != j)
				report_duplicate(b, key, &out.v[2 * first[j]]);
			j++;
		}
	}
	for (i = 0; i < npairs; i++) {
		key = &k->v[2 * i];
		val = &k->v[2 * i + 1];
		if (key->kind != YNODE_SCALAR || !is_merge_key(key))
			continue;
		for (j = 0; j < (val->kind == YNODE_SEQ ? val->len : 1); j++)
			if ((val->kind == YNODE_SEQ ? &val->kids[j] : val)
				    ->kind != YNODE_MAP) {
				diag_report(
					b->dl, RULE_YAML_SYNTAX, ynode_loc(val),
					"a merge key '<<' takes a mapping or a list of mappings");
				b->errors++;
			}
	}

	/* Keep the explicit pairs, and each merged key's first pair. */
	for (i = j = nexplicit; i < ncand; i++)
		if (first[i] == i) {
			out.v[2 * j] = out.v[2 * i];
			out.v[2 * j + 1] = out.v[2 * i + 1];
			j++;
		}
	out.n = 2 * j;
	free(first);
	free(k->v);
	*k = out;
}

static bool build_alias(struct builder *b, yaml_event_t *ev, uint64_t *expanded,
			struct ynode *out)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct anchor *a = find_anchor(b, name);

	if (!a) {
		diag_report(b->dl, RULE_YAML_SYNTAX,
			    mark_loc(b, ev->start_mark),
			    "alias '*%s' refers to an undefined anchor", name);
		b->errors++;
		return false;
	}
	*expanded = a->expanded;
	*out = a->node;
	return true;
}

/*
 * Whether the pairs @v[0..2*npairs) need finish_mapping(): a key that is not
 * a scalar, or a merge key. If not, report duplicate keys (as it would) and
 * return false, so that the common mapping needs no copy.
 */
static bool needs_finish(struct builder *b, const struct ynode *v,
			 size_t npairs)
{
	uint32_t few[FEW_KEYS], *first = few;
	size_t i;

	for (i = 0; i < npairs; i++)
		if (v[2 * i].kind != YNODE_SCALAR || is_merge_key(&v[2 * i]))
			return true;
	if (npairs > FEW_KEYS)
		first = xmalloc(npairs * sizeof(*first));
	first_keys(b, v, npairs, first);
	for (i = 0; i < npairs; i++)
		if (first[i] != i)
			report_duplicate(b, &v[2 * i], &v[2 * first[i]]);
	if (first != few)
		free(first);
	return false;
}

/* @n: the caller's, not on the stack, which moves as it grows. */
static bool build_collection(struct builder *b, yaml_event_t *ev,
			     unsigned int depth, uint64_t *expanded,
			     struct ynode *n)
{
	bool is_map = ev->type == YAML_MAPPING_START_EVENT;
	size_t base = b->nstack, count;
	struct kids k = { 0 };

	init_node(b, n, is_map ? YNODE_MAP : YNODE_SEQ, ev->start_mark);
	if (!build_children(b,
			    is_map ? YAML_MAPPING_END_EVENT
				   : YAML_SEQUENCE_END_EVENT,
			    depth, expanded)) {
		b->nstack = base;
		return false;
	}
	count = b->nstack - base;
	/* An empty mapping may come before anything was pushed (no stack). */
	if (is_map && count && needs_finish(b, b->stack + base, count / 2)) {
		/* Rare: merge keys or non-scalar keys; work on a copy. */
		k.n = k.cap = count;
		k.v = xmalloc((count ? count : 1) * sizeof(*k.v));
		memcpy(k.v, b->stack + base, count * sizeof(*k.v));
		b->nstack = base;
		finish_mapping(b, &k);
		kids_attach(b, n, &k, k.n / 2);
		return true;
	}
	n->kids = arena_alloc(&b->doc->arena, count * sizeof(*n->kids));
	if (count)
		memcpy(n->kids, b->stack + base, count * sizeof(*n->kids));
	n->len = (uint32_t)(is_map ? count / 2 : count);
	b->nstack = base;
	return true;
}

/* Build the node event @ev starts into @out; false on an error (reported). */
static bool build_node(struct builder *b, yaml_event_t *ev, unsigned int depth,
		       uint64_t *expanded, struct ynode *out)
{
	const yaml_char_t *anchor = NULL;
	bool ok = true;

	if (depth > MAX_DEPTH) {
		diag_report(b->dl, RULE_YAML_SYNTAX,
			    mark_loc(b, ev->start_mark),
			    "nesting deeper than %d levels", MAX_DEPTH);
		b->errors++;
		return false;
	}
	*expanded = 1;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		build_scalar(b, ev, out);
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		ok = build_collection(b, ev, depth, expanded, out);
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		ok = build_collection(b, ev, depth, expanded, out);
		break;
	case YAML_ALIAS_EVENT:
		ok = build_alias(b, ev, expanded, out);
		break;
	default:
		diag_report(b->dl, RULE_YAML_SYNTAX,
			    mark_loc(b, ev->start_mark),
			    "unexpected YAML event");
		b->errors++;
		return false;
	}
	if (ok && anchor)
		remember_anchor(b, anchor, out, *expanded);
	b->expanded += *expanded;
	if (ok && b->expanded > MAX_EXPANDED_NODES) {
		diag_report(
			b->dl, RULE_YAML_SYNTAX, mark_loc(b, ev->start_mark),
			"document too large once aliases are expanded (more than %u nodes)",
			MAX_EXPANDED_NODES);
		b->errors++;
		return false;
	}
	return ok;
}

/* --- UTF-8 ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at @p, or 0 if it is invalid. */
static size_t utf8_seq_len(const unsigned char *p, size_t left)
{
	size_t n, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xE0) == 0xC0)
		n = 2, cp = p[0] & 0x1F;
	else if ((p[0] & 0xF0) == 0xE0)
		n = 3, cp = p[0] & 0x0F;
	else if ((p[0] & 0xF8) == 0xF0)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	/* Reject overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* The location of byte @off: columns count characters, as libyaml's do. */
static struct loc utf8_loc(const struct source *src, size_t off)
{
	const unsigned char *p = (const unsigned char *)src->text;
	struct loc l = { src, 1, 1 };
	size_t i = 0, n;

	while (i < off) {
		n = utf8_seq_len(p + i, src->len - i);
		if (!n)
			break;
		if (p[i] == '\n') {
			l.line++;
			l.col = 1;
		} else {
			l.col++;
		}
		i += n;
	}
	return l;
}

static bool check_utf8(struct source *src, struct diag_list *dl)
{
	const unsigned char *p = (const unsigned char *)src->text;
	size_t i = 0, n;
	uint64_t word;

	while (i < src->len) {
		/* ASCII, eight bytes at a time: nothing to check. */
		if (src->len - i >= 8) {
			memcpy(&word, p + i, 8);
			if (!(word & 0x8080808080808080ULL)) {
				i += 8;
				continue;
			}
		}
		n = utf8_seq_len(p + i, src->len - i);
		if (!n) {
			diag_report(
				dl, RULE_INVALID_UTF8, utf8_loc(src, i),
				"invalid UTF-8 byte 0x%02x; sphc reads UTF-8 only",
				p[i]);
			return false;
		}
		i += n;
	}
	return true;
}

/* --- streamed sources ------------------------------------------------ */

/*
 * A big file reaches libyaml in pieces, never whole (source_stream()); its
 * UTF-8 is checked piece by piece before libyaml sees it, a sequence cut
 * between two pieces carried over.
 */
struct u8stream {
	size_t fed;		 /* bytes checked before the current piece */
	unsigned char carry[4];	 /* a sequence begun in the last piece */
	size_t ncarry, carry_at; /* its length so far and offset */
	bool bad;		 /* found: */
	size_t bad_at;
	unsigned char bad_byte;
};

/* The length a sequence starting with @c has; 0 if it cannot start one. */
static size_t lead_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 0;
}

static bool u8_bad(struct u8stream *u, size_t at, unsigned char c)
{
	u->bad = true;
	u->bad_at = at;
	u->bad_byte = c;
	return false;
}

/* Check the next @n bytes (n == 0: the end); false at the first bad one. */
static bool u8_feed(struct u8stream *u, const unsigned char *p, size_t n)
{
	size_t i = 0, k, need;
	uint64_t word;

	if (u->ncarry) {
		need = lead_len(u->carry[0]);
		while (u->ncarry < need && i < n)
			u->carry[u->ncarry++] = p[i++];
		if (u->ncarry < need) {
			u->fed += i;
			return n ? true : u8_bad(u, u->carry_at, u->carry[0]);
		}
		if (!utf8_seq_len(u->carry, need))
			return u8_bad(u, u->carry_at, u->carry[0]);
		u->ncarry = 0;
	}
	while (i < n) {
		if (n - i >= 8) {
			memcpy(&word, p + i, 8);
			if (!(word & 0x8080808080808080ULL)) {
				i += 8;
				continue;
			}
		}
		need = lead_len(p[i]);
		if (need > n - i) { /* cut: the next piece completes it */
			u->carry_at = u->fed + i;
			u->ncarry = n - i;
			memcpy(u->carry, p + i, n - i);
			break;
		}
		k = utf8_seq_len(p + i, n - i);
		if (!k)
			return u8_bad(u, u->fed + i, p[i]);
		i += k;
	}
	u->fed += n;
	return true;
}

/* libyaml's read handler for a streamed source: 0 stops it with an error. */
static int read_piece(void *data, unsigned char *buf, size_t size, size_t *got)
{
	struct builder *b = data;
	long n = source_stream(b->doc->src, buf, size);

	if (n < 0) {
		b->read_errno = errno ? errno : EIO;
		return 0;
	}
	if (!u8_feed(b->u8, buf, (size_t)n))
		return 0;
	*got = (size_t)n;
	return 1;
}

/*
 * The text of @src, read again if it was streamed (the parse is over: this
 * is for locating an error). NULL if the file has changed since.
 */
static const char *whole_text(struct source *src)
{
	source_stream_end(src);
	return source_text(src);
}

/* Report why a streamed source stopped: bad UTF-8 or a failed read. */
static bool stream_error(struct builder *b)
{
	struct source *src = b->doc->src;
	struct u8stream *u = b->u8;

	if (u && u->bad) {
		diag_report(b->dl, RULE_INVALID_UTF8,
			    whole_text(src) ? utf8_loc(src, u->bad_at)
					    : (struct loc){ src, 1, 1 },
			    "invalid UTF-8 byte 0x%02x; sphc reads UTF-8 only",
			    u->bad_byte);
		b->errors++;
		return true;
	}
	if (b->read_errno) {
		diag_report(b->dl, RULE_IO_ERROR, (struct loc){ src, 0, 0 },
			    "cannot read '%s': %s", src->path,
			    read_error(b->read_errno));
		b->errors++;
		return true;
	}
	return false;
}

/* --- documents -------------------------------------------------------- */

static void parse_stream(struct builder *b)
{
	yaml_event_t ev;
	struct ynode root;
	uint64_t expanded;
	bool have_doc = false;

	for (;;) {
		if (!next_event(b, &ev))
			return;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			return;
		case YAML_DOCUMENT_START_EVENT:
			if (have_doc) {
				diag_report(
					b->dl, RULE_MULTIPLE_DOCUMENTS,
					mark_loc(b, ev.start_mark),
					"a second YAML document; sphc expects one document per file");
				b->errors++;
				yaml_event_delete(&ev);
				return;
			}
			have_doc = true;
			break;
		case YAML_SCALAR_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
		case YAML_ALIAS_EVENT:
			if (!build_node(b, &ev, 0, &expanded, &root)) {
				yaml_event_delete(&ev);
				return;
			}
			b->doc->root =
				arena_alloc(&b->doc->arena, sizeof(root));
			*b->doc->root = root;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
}

int ydoc_parse(struct source *src, struct ydoc *doc, struct diag_list *dl)
{
	struct builder b;
	size_t i;

	struct u8stream u8 = { 0 };

	memset(doc, 0, sizeof(*doc));
	doc->src = src;
	/* Streamed once already: parse it again from a fresh read. */
	if (!src->text && src->fd < 0 && !whole_text(src)) {
		diag_report(dl, RULE_IO_ERROR, (struct loc){ src, 0, 0 },
			    "cannot read '%s' again: it has changed",
			    src->path);
		return 1;
	}
	if (src->text && !check_utf8(src, dl))
		return 1;
	memset(&b, 0, sizeof(b));
	b.doc = doc;
	b.dl = dl;
	if (!yaml_parser_initialize(&b.parser)) {
		diag_report(dl, RULE_YAML_SYNTAX, (struct loc){ src, 0, 0 },
			    "cannot initialise the YAML parser");
		return 1;
	}
	yaml_parser_set_encoding(&b.parser, YAML_UTF8_ENCODING);
	if (src->text) {
		yaml_parser_set_input_string(
			&b.parser, (const unsigned char *)src->text, src->len);
	} else {
		b.u8 = &u8;
		yaml_parser_set_input(&b.parser, read_piece, &b);
	}
	parse_stream(&b);
	source_stream_end(src);
	if (b.errors)
		doc->root = NULL;
	yaml_parser_delete(&b.parser);
	if (!b.errors)
		source_drop_text(src); /* the tree has what it needs */
	for (i = 0; i < b.nanchors; i++)
		free(b.anchors[i].name);
	free(b.anchors);
	free(b.stack);
	free(b.interned);
	free(b.intern_hash);
	return b.errors;
}

void ydoc_free(struct ydoc *doc)
{
	arena_free(doc->arena);
	arena_free(doc->text_arena);
	doc->arena = doc->text_arena = NULL;
	doc->root = NULL;
}

/* Whether key node @k spells @key; the first byte decides most misses. */
static bool key_matches(const struct ynode *k, const char *key)
{
	return k->str[0] == key[0] && !strcmp(k->str, key);
}

const struct ynode *ymap_key_node(const struct ynode *map, const char *key)
{
	uint32_t i;

	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (i = 0; i < map->len; i++)
		if (key_matches(&map->kids[2 * i], key))
			return &map->kids[2 * i];
	return NULL;
}

const struct ynode *ymap_get(const struct ynode *map, const char *key)
{
	const struct ynode *k = ymap_key_node(map, key);

	return k ? k + 1 : NULL; /* pairs sit side by side: key, value */
}

const char *ynode_kind_name(const struct ynode *n)
{
	static const char *const types[] = { "null", "boolean", "integer",
					     "number", "string" };

	if (n->kind == YNODE_MAP)
		return "mapping";
	if (n->kind == YNODE_SEQ)
		return "list";
	return types[n->type];
}

/* --- deep merge (per-board overrides) --------------------------------- */

static const char *item_name(const struct ynode *n)
{
	const struct ynode *name = ymap_get(n, "name");

	return name && name->kind == YNODE_SCALAR ? name->str : NULL;
}

static bool all_named(const struct ynode *seq)
{
	uint32_t i;

	for (i = 0; i < seq->len; i++)
		if (seq->kids[i].kind != YNODE_MAP || !item_name(&seq->kids[i]))
			return false;
	return true;
}

static const struct ynode *find_named(const struct ynode *seq, const char *name)
{
	uint32_t i;

	for (i = 0; i < seq->len; i++)
		if (!strcmp(item_name(&seq->kids[i]), name))
			return &seq->kids[i];
	return NULL;
}

static struct ynode *copy_shell(struct ydoc *doc, const struct ynode *n,
				uint32_t nkids)
{
	struct ynode *c = arena_alloc(&doc->arena, sizeof(*c));

	*c = *n;
	c->kids = arena_alloc(&doc->arena,
			      (nkids ? nkids : 1) * sizeof(*c->kids));
	c->len = 0;
	return c;
}

static struct ynode *merge_maps(struct ydoc *doc, const struct ynode *base,
				const struct ynode *over)
{
	struct ynode *m = copy_shell(doc, base, 2 * (base->len + over->len));
	const struct ynode *k, *v, *ov;
	uint32_t i;

	ymap_for_each(base, i, k, v) {
		ov = ymap_get(over, k->str);
		m->kids[2 * m->len] = *k;
		m->kids[2 * m->len + 1] = ov ? *ynode_merge(doc, v, ov) : *v;
		m->len++;
	}
	ymap_for_each(over, i, k, v) {
		if (ymap_get(base, k->str))
			continue;
		m->kids[2 * m->len] = *k;
		m->kids[2 * m->len + 1] = *v;
		m->len++;
	}
	return m;
}

static struct ynode *merge_named_lists(struct ydoc *doc,
				       const struct ynode *base,
				       const struct ynode *over)
{
	struct ynode *m = copy_shell(doc, base, base->len + over->len);
	const struct ynode *item, *ov;
	uint32_t i;

	yseq_for_each(base, i, item) {
		ov = find_named(over, item_name(item));
		m->kids[m->len++] = ov ? *ynode_merge(doc, item, ov) : *item;
	}
	yseq_for_each(over, i, item)
		if (!find_named(base, item_name(item)))
			m->kids[m->len++] = *item;
	return m;
}

struct ynode *ynode_merge(struct ydoc *doc, const struct ynode *base,
			  const struct ynode *over)
{
	if (!base)
		return (struct ynode *)over;
	if (base->kind == YNODE_MAP && over->kind == YNODE_MAP)
		return merge_maps(doc, base, over);
	if (base->kind == YNODE_SEQ && over->kind == YNODE_SEQ &&
	    all_named(base) && all_named(over))
		return merge_named_lists(doc, base, over);
	return (struct ynode *)over;
}
