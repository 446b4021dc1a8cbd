// SPDX-License-Identifier: MIT
/*
 * JSON Schema validation of a located YAML tree (see schema.h).
 *
 * The schema is kept as the Jansson tree and interpreted directly. Loading
 * walks it once to reject every keyword this file does not implement (so a
 * schema can never silently rely on an unsupported feature), to check that
 * each $ref resolves, and to compile the "pattern" regexes.
 *
 * Validation reports every violation, not the first. oneOf/anyOf are decided
 * by trying each alternative silently; when none matches, the alternative
 * whose type fits the YAML node explains why (so an irq mapping with a bad
 * key reports that key), otherwise one message built from "x-expected".
 */
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "front/number.h"
#include "validate/schema.h"
#include "lib/util.h"

/* Defined in embed.S: the schema files, NUL-terminated. */
extern const char sphc_schema_system_json[];
extern const char sphc_schema_board_json[];

/*
 * Our schemas nest about 15 deep; the bound only guards against a $ref cycle
 * (which would otherwise recurse forever on the same node).
 */
#define MAX_DEPTH 100

/* JSON types, as bits: what a node is, or what a schema accepts. */
enum {
	T_NULL = 1 << 0,
	T_BOOLEAN = 1 << 1,
	T_INTEGER = 1 << 2,
	T_NUMBER = 1 << 3,
	T_STRING = 1 << 4,
	T_OBJECT = 1 << 5,
	T_ARRAY = 1 << 6,
	T_ANY = (1 << 7) - 1,
};

static const char *const type_names[] = {
	"null", "boolean", "integer", "number", "string", "object", "array",
};

/* The same types as users see them: "must be an integer". */
static const char *const type_phrases[] = {
	"empty",    "true or false", "an integer", "a number",
	"a string", "a mapping",     "a list",
};

#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

struct pattern {
	const json_t *owner; /* the schema object that has the "pattern" */
	regex_t re;
};

struct snode;

struct schema {
	json_t *root;
	json_t *defs;	  /* the top-level "$defs", or NULL */
	const char *what; /* "system" or "board", for internal errors */
	struct pattern *pats;
	size_t npats;
	struct snode **nodes; /* every schema object, compiled */
	size_t nnodes, nodes_cap;
	const struct snode *top;
};

struct sprop {
	const char *name;
	size_t len;
	const struct snode *node;
};

/*
 * A schema object with its keywords looked up once, when the schema is
 * loaded: validation then reads fields instead of hashing keyword names
 * for every node of the document (it made validation the slowest stage of
 * `sphc check` on big systems). The JSON values stay for messages.
 */
struct snode {
	const json_t *json;
	const struct snode *ref;      /* $ref */
	const char *title, *expected; /* title, x-expected */
	bool has_type;
	unsigned int type; /* type, as a mask */
	const json_t *konst, *enums;
	const json_t *minimum, *maximum;
	bool wants_number;
	const char *pattern;
	const regex_t *re;
	const json_t *required;
	const json_t *min_items, *max_items, *min_props;
	const json_t *properties; /* for "did you mean" */
	struct sprop *props;
	size_t nprops;
	const json_t *additional;  /* additionalProperties */
	const struct snode *extra; /* ... when it is a schema */
	const struct snode *items;
	const struct snode **alts[2]; /* oneOf, anyOf */
	size_t nalts[2];
	unsigned int kinds; /* schema_kinds() */
};

static int compile_all(struct schema *sc);
static void free_nodes(struct schema *sc);

const char *schema_text(enum schema_kind kind)
{
	if (kind == SCHEMA_BOARD)
		return sphc_schema_board_json;
	return sphc_schema_system_json;
}

static json_t *get(const json_t *s, const char *key)
{
	return json_object_get(s, key);
}

/* resolve_ref - the target of "#/$defs/NAME", the only form we support. */
static json_t *resolve_ref(const struct schema *sc, const json_t *ref)
{
	static const char prefix[] = "#/$defs/";
	const char *r = json_string_value(ref);

	if (!r || strncmp(r, prefix, sizeof(prefix) - 1))
		return NULL;
	return json_object_get(sc->defs, r + sizeof(prefix) - 1);
}

static unsigned int type_bit(const char *name)
{
	size_t i;

	for (i = 0; name && i < NTYPES; i++)
		if (!strcmp(name, type_names[i]))
			return 1u << i;
	return 0;
}

/* type_mask - the types a "type" keyword (string or array) allows. */
static unsigned int type_mask(const json_t *type)
{
	unsigned int mask = 0;
	json_t *t;
	size_t i;

	if (json_is_string(type))
		return type_bit(json_string_value(type));
	json_array_foreach(type, i, t)
		mask |= type_bit(json_string_value(t));
	return mask;
}

/* ------------------------------------------------------------------ */
/* Loading: check every keyword, resolve refs, compile patterns.        */

struct loader {
	struct schema *sc;
	char path[512]; /* JSON pointer of what is being checked */
	size_t len;
};

__attribute__((format(printf, 2, 3))) static int
load_error(const struct loader *ld, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr,
		"sphc: internal error: %s schema, at '#%s': ", ld->sc->what,
		ld->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* path_push - append a segment to the path; returns the length to restore. */
__attribute__((format(printf, 2, 3))) static size_t
path_push(struct loader *ld, const char *fmt, ...)
{
	size_t old = ld->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(ld->path + old, sizeof(ld->path) - old, fmt, ap);
	va_end(ap);
	if (n > 0)
		ld->len += (size_t)n;
	if (ld->len >= sizeof(ld->path))
		ld->len = sizeof(ld->path) - 1;
	return old;
}

static void path_pop(struct loader *ld, size_t old)
{
	ld->len = old;
	ld->path[old] = '\0';
}

static int check_schema(struct loader *ld, const json_t *s, bool top);

/* A keyword checker gets the schema object, the keyword's value and
 * whether the schema is the top-level one. */
typedef int (*kw_check)(struct loader *ld, const json_t *owner,
			const json_t *val, bool top);

static int kw_any(struct loader *ld, const json_t *owner, const json_t *val,
		  bool top)
{
	(void)ld, (void)owner, (void)val, (void)top;
	return 0;
}

static int kw_string(struct loader *ld, const json_t *owner, const json_t *val,
		     bool top)
{
	(void)owner, (void)top;
	return json_is_string(val) ? 0 : load_error(ld, "must be a string");
}

static int kw_top_string(struct loader *ld, const json_t *owner,
			 const json_t *val, bool top)
{
	if (!top)
		return load_error(ld, "only supported at the top level");
	return kw_string(ld, owner, val, top);
}

static int kw_type(struct loader *ld, const json_t *owner, const json_t *val,
		   bool top)
{
	json_t *t;
	size_t i;

	(void)owner, (void)top;
	if (json_is_string(val))
		return type_bit(json_string_value(val))
			       ? 0
			       : load_error(ld, "unknown type");
	if (!json_is_array(val))
		return load_error(ld, "must be a string or an array");
	json_array_foreach(val, i, t)
		if (!type_bit(json_string_value(t)))
			return load_error(ld, "unknown type in item %zu", i);
	return 0;
}

/* kw_schemas - an object whose values are schemas (properties, $defs). */
static int kw_schemas(struct loader *ld, const json_t *owner, const json_t *val,
		      bool top)
{
	const char *key;
	json_t *sub;
	size_t old;

	(void)owner, (void)top;
	if (!json_is_object(val))
		return load_error(ld, "must be an object");
	json_object_foreach((json_t *)val, key, sub) {
		old = path_push(ld, "/%s", key);
		if (check_schema(ld, sub, false))
			return -1;
		path_pop(ld, old);
	}
	return 0;
}

static int kw_defs(struct loader *ld, const json_t *owner, const json_t *val,
		   bool top)
{
	/* $ref only looks in the top-level $defs. */
	if (!top)
		return load_error(ld, "only supported at the top level");
	return kw_schemas(ld, owner, val, top);
}

static int kw_ref(struct loader *ld, const json_t *owner, const json_t *val,
		  bool top)
{
	(void)owner, (void)top;
	if (!json_is_object(resolve_ref(ld->sc, val)))
		return load_error(ld, "only \"#/$defs/NAME\" of an existing "
				      "definition is supported");
	return 0;
}

static int kw_required(struct loader *ld, const json_t *owner,
		       const json_t *val, bool top)
{
	json_t *name;
	size_t i;

	(void)owner, (void)top;
	if (!json_is_array(val))
		return load_error(ld, "must be an array");
	json_array_foreach(val, i, name)
		if (!json_is_string(name))
			return load_error(ld, "item %zu is not a string", i);
	return 0;
}

static int kw_additional(struct loader *ld, const json_t *owner,
			 const json_t *val, bool top)
{
	(void)owner, (void)top;
	if (json_is_boolean(val))
		return 0;
	return check_schema(ld, val, false);
}

static int kw_items(struct loader *ld, const json_t *owner, const json_t *val,
		    bool top)
{
	(void)owner, (void)top;
	return check_schema(ld, val, false);
}

static int kw_count(struct loader *ld, const json_t *owner, const json_t *val,
		    bool top)
{
	(void)owner, (void)top;
	if (!json_is_integer(val) || json_integer_value(val) < 0)
		return load_error(ld, "must be a non-negative integer");
	return 0;
}

static int kw_number(struct loader *ld, const json_t *owner, const json_t *val,
		     bool top)
{
	(void)owner, (void)top;
	return json_is_number(val) ? 0 : load_error(ld, "must be a number");
}

/* Only scalars can be compared with a YAML scalar. */
static bool json_is_scalar(const json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

static int kw_const(struct loader *ld, const json_t *owner, const json_t *val,
		    bool top)
{
	(void)owner, (void)top;
	return json_is_scalar(val) ? 0 : load_error(ld, "must be a scalar");
}

static int kw_enum(struct loader *ld, const json_t *owner, const json_t *val,
		   bool top)
{
	json_t *v;
	size_t i;

	(void)owner, (void)top;
	if (!json_is_array(val) || !json_array_size(val))
		return load_error(ld, "must be a non-empty array");
	json_array_foreach(val, i, v)
		if (!json_is_scalar(v))
			return load_error(ld, "item %zu is not a scalar", i);
	return 0;
}

static int kw_pattern(struct loader *ld, const json_t *owner, const json_t *val,
		      bool top)
{
	struct schema *sc = ld->sc;
	struct pattern *p;
	char err[128];
	int rc;

	(void)top;
	if (!json_is_string(val))
		return load_error(ld, "must be a string");
	sc->pats = xrealloc(sc->pats, (sc->npats + 1) * sizeof(*p));
	p = &sc->pats[sc->npats];
	rc = regcomp(&p->re, json_string_value(val), REG_EXTENDED | REG_NOSUB);
	if (rc) {
		regerror(rc, &p->re, err, sizeof(err));
		return load_error(ld, "bad regex: %s", err);
	}
	p->owner = owner;
	sc->npats++;
	return 0;
}

static int kw_alternatives(struct loader *ld, const json_t *owner,
			   const json_t *val, bool top)
{
	json_t *alt;
	size_t i, old;

	(void)owner, (void)top;
	if (!json_is_array(val) || !json_array_size(val))
		return load_error(ld, "must be a non-empty array");
	json_array_foreach(val, i, alt) {
		old = path_push(ld, "/%zu", i);
		if (check_schema(ld, alt, false))
			return -1;
		path_pop(ld, old);
	}
	return 0;
}

/* Every keyword the validator implements; anything else is rejected. */
static const struct {
	const char *name;
	kw_check check;
} keywords[] = {
	{ "$schema", kw_top_string },
	{ "$id", kw_top_string },
	{ "$defs", kw_defs },
	{ "$ref", kw_ref },
	{ "title", kw_string },
	{ "description", kw_string },
	{ "x-expected", kw_string },
	{ "default", kw_any },
	{ "examples", kw_any },
	{ "type", kw_type },
	{ "properties", kw_schemas },
	{ "required", kw_required },
	{ "additionalProperties", kw_additional },
	{ "minProperties", kw_count },
	{ "items", kw_items },
	{ "minItems", kw_count },
	{ "maxItems", kw_count },
	{ "enum", kw_enum },
	{ "const", kw_const },
	{ "minimum", kw_number },
	{ "maximum", kw_number },
	{ "pattern", kw_pattern },
	{ "oneOf", kw_alternatives },
	{ "anyOf", kw_alternatives },
};

static kw_check find_keyword(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (!strcmp(keywords[i].name, name))
			return keywords[i].check;
	return NULL;
}

static int check_schema(struct loader *ld, const json_t *s, bool top)
{
	const char *key;
	kw_check check;
	json_t *val;
	size_t old;

	if (!json_is_object(s))
		return load_error(ld, "a schema must be an object");
	json_object_foreach((json_t *)s, key, val) {
		check = find_keyword(key);
		if (!check)
			return load_error(ld, "unsupported keyword '%s'", key);
		old = path_push(ld, "/%s", key);
		if (check(ld, s, val, top))
			return -1;
		path_pop(ld, old);
	}
	return 0;
}

void schema_free(struct schema *sc)
{
	size_t i;

	if (!sc)
		return;
	free_nodes(sc);
	for (i = 0; i < sc->npats; i++)
		regfree(&sc->pats[i].re);
	free(sc->pats);
	json_decref(sc->root);
	free(sc);
}

struct schema *schema_load(enum schema_kind kind)
{
	struct schema *sc = xcalloc(1, sizeof(*sc));
	struct loader ld = { .sc = sc };
	json_error_t err;

	sc->what = kind == SCHEMA_BOARD ? "board" : "system";
	sc->root = json_loads(schema_text(kind), JSON_REJECT_DUPLICATES, &err);
	if (!sc->root) {
		fprintf(stderr,
			"sphc: internal error: %s schema, line %d: %s\n",
			sc->what, err.line, err.text);
		goto fail;
	}
	sc->defs = get(sc->root, "$defs");
	if (check_schema(&ld, sc->root, true) || compile_all(sc))
		goto fail;
	return sc;
fail:
	schema_free(sc);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Describing nodes and values in messages.                            */

/* Where a node sits, to name it: "'size'", "item 2 of 'cells'". */
struct where {
	const struct where *up; /* NULL for the document root */
	const char *key;	/* a mapping value: its key */
	uint32_t item;		/* a list item: its 1-based index; else 0 */
	bool extra; /* under additionalProperties: "'access' of 'x'" */
};

/*
 * What the schemas applied so far to the same node say about it. Both pass
 * through $ref and oneOf/anyOf, and are reset for child nodes.
 */
struct hint {
	const char *title;    /* object name: "cell" */
	const char *expected; /* x-expected: "a size such as 64M, ..." */
	bool keep; /* expected came with a $ref: its target's is generic */
};

/*
 * No hints. A constant, not a local: a local built by two stores and read
 * by apply() in one load stalled every call.
 */
static const struct hint no_hint;

/* bfmt - snprintf into a message buffer; cutting a long text is fine. */
__attribute__((format(printf, 3, 4))) static void bfmt(char *buf, size_t size,
						       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

/* clip - at most 40 bytes of @s, so a huge scalar keeps messages short. */
static void clip(const char *s, char *buf, size_t size)
{
	bfmt(buf, size, "%.40s%s", s ? s : "",
	     s && strlen(s) > 40 ? "..." : "");
}

static void describe(const struct where *w, char *buf, size_t size)
{
	char up[256], key[64];

	clip(w->key, key, sizeof(key));
	if (!w->up) {
		bfmt(buf, size, "the document");
	} else if (w->item) {
		describe(w->up, up, sizeof(up));
		bfmt(buf, size, "item %u of %s", (unsigned int)w->item, up);
	} else if (w->extra) {
		describe(w->up, up, sizeof(up));
		bfmt(buf, size, "%s of '%s'", up, key);
	} else {
		bfmt(buf, size, "'%s'", key);
	}
}

static bool is_scalar(const struct ynode *n)
{
	return n->kind == YNODE_SCALAR;
}

static unsigned int node_types(const struct ynode *n)
{
	if (n->kind == YNODE_MAP)
		return T_OBJECT;
	if (n->kind == YNODE_SEQ)
		return T_ARRAY;
	switch (n->type) {
	case YS_NULL:
		return T_NULL;
	case YS_BOOL:
		return T_BOOLEAN;
	case YS_INT:
		return T_INTEGER | T_NUMBER;
	case YS_FLOAT:
		return T_NUMBER;
	default:
		return T_STRING;
	}
}

/* show_node - a value as quoted in messages: 'rx', 300, a mapping. */
static void show_node(const struct ynode *n, char *buf, size_t size)
{
	char text[64];

	if (n->kind == YNODE_MAP || n->kind == YNODE_SEQ) {
		bfmt(buf, size, "%s",
		     n->kind == YNODE_MAP ? "a mapping" : "a list");
		return;
	}
	clip(n->str, text, sizeof(text));
	if (n->type == YS_NULL)
		bfmt(buf, size, "empty");
	else if (n->type == YS_STRING)
		bfmt(buf, size, "'%s'", text);
	else
		bfmt(buf, size, "%s", text);
}

/* The kind of a node, as in "not a string". */
static const char *node_phrase(const struct ynode *n)
{
	unsigned int types = node_types(n);

	if (types == T_BOOLEAN)
		return "a boolean"; /* it is true or false, just not wanted */
	if (types & T_INTEGER)
		return "an integer"; /* rather than "a number" */
	return type_phrases[__builtin_ctz(types)];
}

static void show_json(const json_t *v, char *buf, size_t size)
{
	if (json_is_string(v))
		bfmt(buf, size, "'%s'", json_string_value(v));
	else if (json_is_integer(v))
		bfmt(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		bfmt(buf, size, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		bfmt(buf, size, "%s", json_is_true(v) ? "true" : "false");
	else
		bfmt(buf, size, "null");
}

/*
 * append - add @s to the list in @buf: "a", "a or b", "a, b or c"; @last
 * is the word before the last item ("or", "and"), NULL for others.
 */
static void append(char *buf, size_t size, const char *s, const char *last)
{
	size_t len = strlen(buf);

	if (!len)
		bfmt(buf, size, "%s", s);
	else if (last)
		bfmt(buf + len, size - len, " %s %s", last, s);
	else
		bfmt(buf + len, size - len, ", %s", s);
}

/* phrase_types - "an integer or a mapping" for a type mask. */
static void phrase_types(unsigned int mask, char *buf, size_t size)
{
	unsigned int left;
	size_t i;

	if (mask & T_NUMBER)
		mask &= ~T_INTEGER; /* "a number" covers integers */
	buf[0] = '\0';
	for (i = 0; i < NTYPES; i++) {
		if (!(mask & (1u << i)))
			continue;
		left = mask & ~((2u << i) - 1);
		append(buf, size, type_phrases[i], left ? NULL : "or");
	}
	if (!buf[0])
		bfmt(buf, size, "nothing");
}

/* show_choices - "'rw' or 'ro'" for an enum; "1" for a const. */
static void show_choices(const json_t *choices, char *buf, size_t size)
{
	char one[128];
	json_t *v;
	size_t i, n = json_array_size(choices);

	buf[0] = '\0';
	if (!json_is_array(choices)) {
		show_json(choices, buf, size);
		return;
	}
	if (n > 1)
		bfmt(buf, size, "one of ");
	json_array_foreach(choices, i, v) {
		show_json(v, one, sizeof(one));
		bfmt(buf + strlen(buf), size - strlen(buf), "%s%s",
		     i ? ", " : "", one);
	}
}

/* ------------------------------------------------------------------ */
/* Numbers.                                                            */

struct num {
	bool is_float;
	bool neg;
	uint64_t mag; /* integers: the magnitude */
	double d;     /* floats */
};

static enum num_err parse_float(const char *s, struct num *v)
{
	const char *p = s + (*s == '-' || *s == '+');
	char *end;

	v->is_float = true;
	if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF")) {
		v->d = *s == '-' ? -INFINITY : INFINITY;
		return NUM_OK;
	}
	v->d = strtod(s, &end);
	return *s && !*end ? NUM_OK : NUM_SYNTAX;
}

/*
 * parse_num - the value of an integer or float scalar. A leading '-' makes
 * an integer negative; the magnitude must fit in 64 bits (NUM_OVERFLOW).
 */
static enum num_err parse_num(const struct ynode *n, struct num *v)
{
	const char *s = n->str ? n->str : "";
	enum num_err err;

	memset(v, 0, sizeof(*v));
	if (n->type == YS_FLOAT)
		return parse_float(s, v);
	v->neg = *s == '-';
	s += *s == '-' || *s == '+';
	err = num_parse_u64(s, strlen(s), &v->mag);
	if (err == NUM_OK && !v->mag)
		v->neg = false; /* -0 is 0 */
	return err;
}

static double num_double(const struct num *v)
{
	if (v->is_float)
		return v->d;
	return v->neg ? -(double)v->mag : (double)v->mag;
}

/* num_cmp - compare a value with a JSON number: <0, 0 or >0. */
static int num_cmp(const struct num *v, const json_t *b)
{
	json_int_t bi = json_integer_value(b);
	uint64_t bmag;
	double x, y;
	int c;

	if (v->is_float || !json_is_integer(b)) {
		x = num_double(v);
		y = json_number_value(b);
		return (x > y) - (x < y);
	}
	if (v->neg != (bi < 0))
		return v->neg ? -1 : 1;
	bmag = bi < 0 ? -(uint64_t)bi : (uint64_t)bi;
	c = (v->mag > bmag) - (v->mag < bmag);
	return v->neg ? -c : c;
}

/* value_equal - does the scalar @n equal the JSON value @v (enum, const)? */
static bool value_equal(const json_t *v, const struct ynode *n)
{
	struct num x;

	if (!is_scalar(n))
		return false;
	if (json_is_string(v))
		return n->type == YS_STRING && n->str &&
		       n->len == json_string_length(v) &&
		       !memcmp(n->str, json_string_value(v), n->len);
	if (json_is_boolean(v))
		return n->type == YS_BOOL && n->str &&
		       (n->str[0] == 't' || n->str[0] == 'T') ==
			       json_is_true(v);
	if (json_is_null(v))
		return n->type == YS_NULL;
	if (n->type != YS_INT && !(n->type == YS_FLOAT && json_is_real(v)))
		return false;
	return parse_num(n, &x) == NUM_OK && num_cmp(&x, v) == 0;
}

/* value_kinds - the node types that can equal the JSON value @v. */
static unsigned int value_kinds(const json_t *v)
{
	if (json_is_string(v))
		return T_STRING;
	if (json_is_integer(v))
		return T_INTEGER;
	if (json_is_real(v))
		return T_NUMBER;
	if (json_is_boolean(v))
		return T_BOOLEAN;
	return T_NULL;
}

/* ------------------------------------------------------------------ */
/* Validation.                                                          */

/*
 * An aliased subtree is validated once per reference, and would repeat its
 * findings: we keep a set of 64-bit hashes of (rule, location, message) and
 * report each finding once. A set, not a scan of the list, so that a huge
 * document stays linear. (A hash collision could hide a finding: odds about
 * n^2 / 2^64.)
 */
struct seen {
	uint64_t *v; /* open addressing, 0 = empty */
	size_t cap, n;
};

static uint64_t fnv1a(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--) {
		h ^= *b++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t finding_hash(enum rule_id rule, struct loc loc, const char *msg)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = fnv1a(h, &loc.src, sizeof(loc.src));
	h = fnv1a(h, &loc.line, sizeof(loc.line));
	h = fnv1a(h, &loc.col, sizeof(loc.col));
	h = fnv1a(h, &rule, sizeof(rule));
	h = fnv1a(h, msg, strlen(msg));
	return h ? h : 1;
}

static bool seen_add(struct seen *s, uint64_t h);

static void seen_grow(struct seen *s)
{
	struct seen big = { NULL, s->cap ? 2 * s->cap : 64, 0 };
	size_t i;

	big.v = xcalloc(big.cap, sizeof(*big.v));
	for (i = 0; i < s->cap; i++)
		if (s->v[i])
			seen_add(&big, s->v[i]);
	free(s->v);
	*s = big;
}

/* seen_add - add @h to the set; false if it was there already. */
static bool seen_add(struct seen *s, uint64_t h)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap)
		seen_grow(s);
	for (i = h & (s->cap - 1); s->v[i]; i = (i + 1) & (s->cap - 1))
		if (s->v[i] == h)
			return false;
	s->v[i] = h;
	s->n++;
	return true;
}

/*
 * Pattern results by (regex, text pointer): the YAML front end stores short
 * scalars once per document, so "4K" a million times is matched once. The
 * tree does not change while it is validated, so a pointer names one text.
 */
#define MATCH_SLOTS 64

struct match_memo {
	const regex_t *re;
	const char *str;
	bool ok;
};

struct vctx {
	const struct schema *sc;
	struct diag_list *dl;  /* NULL while silently trying a oneOf branch */
	struct seen seen;      /* findings reported so far */
	unsigned int errors;   /* violations found, reported or not */
	unsigned int reported; /* diagnostics added to dl */
	unsigned int depth;
	struct match_memo memo[MATCH_SLOTS];
};

__attribute__((format(printf, 4, 5))) static void
report(struct vctx *c, enum rule_id rule, struct loc loc, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	c->errors++;
	if (!c->dl)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!seen_add(&c->seen, finding_hash(rule, loc, msg)))
		return;
	diag_report(c->dl, rule, loc, "%s", msg);
	c->reported++;
}

/*
 * quiet - while a oneOf/anyOf branch is tried silently only the count of
 * violations matters: count one and say so, so that callers skip building a
 * message nobody reads (most of the time of a big document went there).
 */
static bool quiet(struct vctx *c)
{
	if (c->dl)
		return false;
	c->errors++;
	return true;
}

static void apply(struct vctx *c, const struct snode *s, const struct ynode *n,
		  const struct where *w, const struct hint *in);

/* ------------------------------------------------------------------ */
/* Compiling: every schema object's keywords looked up once, at load.  */

static struct snode *compile(struct schema *sc, const json_t *s);

static void compile_alts(struct schema *sc, const json_t *alts,
			 const struct snode ***out, size_t *n)
{
	json_t *alt;
	size_t i;

	*n = json_array_size(alts);
	if (!*n)
		return;
	*out = xcalloc(*n, sizeof(**out));
	json_array_foreach(alts, i, alt)
		(*out)[i] = compile(sc, alt);
}

static struct snode *compile(struct schema *sc, const json_t *s)
{
	const json_t *v, *props, *extra;
	const char *key;
	struct snode *n;
	json_t *sub;
	size_t i;

	if (!json_is_object(s))
		return NULL;
	for (i = 0; i < sc->nnodes; i++)
		if (sc->nodes[i]->json == s)
			return sc->nodes[i];
	n = xcalloc(1, sizeof(*n));
	VEC_RESERVE(sc->nodes, sc->nnodes, sc->nodes_cap);
	sc->nodes[sc->nnodes++] = n; /* before recursing: $ref cycles */
	n->json = s;
	if ((v = get(s, "$ref")))
		n->ref = compile(sc, resolve_ref(sc, v));
	n->title = json_string_value(get(s, "title"));
	n->expected = json_string_value(get(s, "x-expected"));
	if ((v = get(s, "type")))
		n->type = type_mask(v);
	n->has_type = v != NULL;
	n->konst = get(s, "const");
	n->enums = get(s, "enum");
	n->minimum = get(s, "minimum");
	n->maximum = get(s, "maximum");
	n->wants_number =
		n->minimum || n->maximum || (n->type & (T_INTEGER | T_NUMBER));
	n->pattern = json_string_value(get(s, "pattern"));
	if (n->pattern)
		for (i = 0; i < sc->npats; i++)
			if (sc->pats[i].owner == s)
				n->re = &sc->pats[i].re;
	n->required = get(s, "required");
	n->min_items = get(s, "minItems");
	n->max_items = get(s, "maxItems");
	n->min_props = get(s, "minProperties");
	props = get(s, "properties");
	n->properties = props;
	n->nprops = json_object_size(props);
	if (n->nprops) {
		n->props = xcalloc(n->nprops, sizeof(*n->props));
		i = 0;
		json_object_foreach((json_t *)props, key, sub) {
			n->props[i].name = key;
			n->props[i].len = strlen(key);
			n->props[i].node = compile(sc, sub);
			i++;
		}
	}
	extra = get(s, "additionalProperties");
	n->additional = extra;
	if (json_is_object(extra))
		n->extra = compile(sc, extra);
	if ((v = get(s, "items")))
		n->items = compile(sc, v);
	compile_alts(sc, get(s, "oneOf"), &n->alts[0], &n->nalts[0]);
	compile_alts(sc, get(s, "anyOf"), &n->alts[1], &n->nalts[1]);
	return n;
}

/*
 * schema_kinds - the node types @s can possibly accept, from type, const,
 * enum, $ref and alternatives. Used to pick the oneOf branch that explains
 * an error; computed once per schema object at load.
 */
static unsigned int schema_kinds(const struct snode *s, unsigned int depth);

static unsigned int alt_kinds(const struct snode *const *alts, size_t n,
			      unsigned int depth)
{
	unsigned int mask = 0;
	size_t i;

	if (!alts)
		return T_ANY;
	for (i = 0; i < n; i++)
		mask |= schema_kinds(alts[i], depth + 1);
	return mask;
}

static unsigned int schema_kinds(const struct snode *s, unsigned int depth)
{
	unsigned int mask = T_ANY, any = 0;
	json_t *v;
	size_t i;

	if (!s || depth > MAX_DEPTH)
		return T_ANY;
	if (s->has_type)
		mask &= s->type;
	if (s->konst)
		mask &= value_kinds(s->konst);
	json_array_foreach(s->enums, i, v)
		any |= value_kinds(v);
	if (s->enums)
		mask &= any;
	if (s->ref)
		mask &= schema_kinds(s->ref, depth + 1);
	mask &= alt_kinds(s->alts[0], s->nalts[0], depth);
	mask &= alt_kinds(s->alts[1], s->nalts[1], depth);
	return mask;
}

/* compile_all - compile the top-level schema; -1 when it is not an object. */
/*
 * pure_ref - a node that is a $ref and nothing else apply() reads (a
 * property's `{ "$ref": ..., "description": ... }`): it validates exactly
 * as its target, hints included, so validation goes straight there. A big
 * system has two such hops per memory region.
 */
static bool pure_ref(const struct snode *s)
{
	return s->ref && !s->title && !s->expected && !s->has_type &&
	       !s->konst && !s->enums && !s->wants_number && !s->pattern &&
	       !s->required && !s->min_items && !s->max_items &&
	       !s->min_props && !s->nprops && !s->additional && !s->items &&
	       !s->alts[0] && !s->alts[1];
}

/* The first node from @s on that is not a pure $ref (a cycle stops). */
static const struct snode *past_refs(const struct snode *s)
{
	unsigned int hops = 0;

	while (s && pure_ref(s) && hops++ < MAX_DEPTH)
		s = s->ref;
	return s;
}

static void skip_pure_refs(struct snode *n)
{
	size_t i, k;

	n->ref = past_refs(n->ref);
	for (i = 0; i < n->nprops; i++)
		n->props[i].node = past_refs(n->props[i].node);
	n->extra = past_refs(n->extra);
	n->items = past_refs(n->items);
	for (k = 0; k < 2; k++)
		for (i = 0; i < n->nalts[k]; i++)
			n->alts[k][i] = past_refs(n->alts[k][i]);
}

static int compile_all(struct schema *sc)
{
	size_t i;

	sc->top = compile(sc, sc->root);
	if (!sc->top)
		return -1;
	for (i = 0; i < sc->nnodes; i++)
		sc->nodes[i]->kinds = schema_kinds(sc->nodes[i], 0);
	for (i = 0; i < sc->nnodes; i++)
		skip_pure_refs(sc->nodes[i]);
	return 0;
}

static void free_nodes(struct schema *sc)
{
	size_t i;

	for (i = 0; i < sc->nnodes; i++) {
		free(sc->nodes[i]->props);
		free(sc->nodes[i]->alts[0]);
		free(sc->nodes[i]->alts[1]);
		free(sc->nodes[i]);
	}
	free(sc->nodes);
}

/* ------------------------------------------------------------------ */
/* Validation proper.                                                   */

static void wrong_type(struct vctx *c, const struct ynode *n,
		       const struct where *w, const struct hint *h,
		       unsigned int allowed)
{
	char name[256], want[256];

	if (quiet(c))
		return;
	describe(w, name, sizeof(name));
	if (h->expected)
		bfmt(want, sizeof(want), "%s", h->expected);
	else
		phrase_types(allowed, want, sizeof(want));
	report(c, RULE_WRONG_TYPE, ynode_loc(n), "%s must be %s, not %s", name,
	       want, node_phrase(n));
}

static bool check_type(struct vctx *c, const struct snode *s,
		       const struct ynode *n, const struct where *w,
		       const struct hint *h)
{
	if (!s->has_type || (s->type & node_types(n)))
		return true;
	wrong_type(c, n, w, h, s->type);
	return false;
}

/* out_of_range - @n lies beyond @bound, a maximum when @above. */
static void out_of_range(struct vctx *c, const struct ynode *n,
			 const struct where *w, const json_t *bound, bool above)
{
	char name[256], text[64], limit[64];

	if (quiet(c))
		return;
	describe(w, name, sizeof(name));
	show_node(n, text, sizeof(text));
	show_json(bound, limit, sizeof(limit));
	report(c, RULE_OUT_OF_RANGE, ynode_loc(n), "%s is %s, %s the %s %s",
	       name, text, above ? "above" : "below",
	       above ? "maximum" : "minimum", limit);
}

/*
 * check_number - minimum, maximum and integers that do not fit in 64 bits.
 * Such an integer is out of range when a bound on its side exists (-2^70 is
 * below a minimum 0), else an overflow. Returns false when the value cannot
 * be used at all.
 */
static bool check_number(struct vctx *c, const struct snode *s,
			 const struct ynode *n, const struct where *w)
{
	const json_t *min = s->minimum, *max = s->maximum;
	char text[64];
	struct num v;
	enum num_err err;

	if (!is_scalar(n) || (n->type != YS_INT && n->type != YS_FLOAT) ||
	    !s->wants_number)
		return true;
	err = parse_num(n, &v);
	if (err == NUM_OVERFLOW && (v.neg ? min : max)) {
		out_of_range(c, n, w, v.neg ? min : max, !v.neg);
		return false;
	}
	if (err == NUM_OVERFLOW) {
		if (quiet(c))
			return false;
		show_node(n, text, sizeof(text));
		report(c, RULE_NUMBER_OVERFLOW, ynode_loc(n),
		       "integer %s does not fit in 64 bits", text);
		return false;
	}
	if (err != NUM_OK)
		return true; /* a form number.c rejects: later stages say */
	if (min && num_cmp(&v, min) < 0)
		out_of_range(c, n, w, min, false);
	if (max && num_cmp(&v, max) > 0)
		out_of_range(c, n, w, max, true);
	return true;
}

static bool in_enum(const json_t *choices, const struct ynode *n)
{
	json_t *v;
	size_t i;

	json_array_foreach(choices, i, v)
		if (value_equal(v, n))
			return true;
	return false;
}

/* bad_choice - a value outside an enum or different from a const. */
static void bad_choice(struct vctx *c, const json_t *choices,
		       const struct ynode *n, const struct where *w)
{
	char name[256], want[512], got[64];

	if (quiet(c))
		return;
	describe(w, name, sizeof(name));
	show_choices(choices, want, sizeof(want));
	show_node(n, got, sizeof(got));
	report(c, RULE_BAD_VALUE, ynode_loc(n), "%s must be %s, not %s", name,
	       want, got);
}

/* matches - regexec(), remembered for the last text seen in each slot. */
static bool matches(struct vctx *c, const regex_t *re, const char *str)
{
	uint64_t h =
		((uint64_t)(uintptr_t)str ^ ((uint64_t)(uintptr_t)re >> 4)) *
		0x9e3779b97f4a7c15ULL;
	struct match_memo *m = &c->memo[(h >> 32) % MATCH_SLOTS];

	if (m->re != re || m->str != str) {
		m->re = re;
		m->str = str;
		m->ok = !regexec(re, str, 0, NULL, 0);
	}
	return m->ok;
}

static void check_pattern(struct vctx *c, const struct snode *s,
			  const struct ynode *n, const struct where *w,
			  const struct hint *h)
{
	const regex_t *re = s->re;
	char name[256], got[64];

	if (!is_scalar(n) || n->type != YS_STRING || !s->pattern)
		return;
	/* A string with a NUL inside would be matched on its prefix only. */
	if (!re ||
	    (n->str && strlen(n->str) == n->len && matches(c, re, n->str)))
		return;
	if (quiet(c))
		return;
	describe(w, name, sizeof(name));
	show_node(n, got, sizeof(got));
	if (h->expected)
		report(c, RULE_BAD_VALUE, ynode_loc(n), "%s value %s is not %s",
		       name, got, h->expected);
	else
		report(c, RULE_BAD_VALUE, ynode_loc(n),
		       "%s value %s does not match '%s'", name, got,
		       s->pattern);
}

static void check_value(struct vctx *c, const struct snode *s,
			const struct ynode *n, const struct where *w,
			const struct hint *h)
{
	if (s->konst && !value_equal(s->konst, n))
		bad_choice(c, s->konst, n, w);
	if (s->enums && !in_enum(s->enums, n))
		bad_choice(c, s->enums, n, w);
	check_pattern(c, s, n, w, h);
}

/* key_is - does the scalar key node @k spell exactly @name? */
static bool key_is(const struct ynode *k, const char *name, size_t len)
{
	return k && is_scalar(k) && k->str && k->len == len &&
	       !memcmp(k->str, name, len);
}

static bool map_has(const struct ynode *map, const char *name)
{
	size_t len = strlen(name);
	uint32_t i;

	for (i = 0; i < map->len; i++)
		if (key_is(ynode_kid(map, 2 * i), name, len))
			return true;
	return false;
}

/* The object a message talks about: "cell", or the node's name. */
static void context(const struct where *w, const struct hint *h, char *buf,
		    size_t size)
{
	if (h->title)
		bfmt(buf, size, "%s", h->title);
	else
		describe(w, buf, size);
}

static void check_required(struct vctx *c, const struct snode *s,
			   const struct ynode *n, const struct where *w,
			   const struct hint *h)
{
	char ctx[256];
	json_t *r;
	size_t i;

	json_array_foreach(s->required, i, r) {
		if (map_has(n, json_string_value(r)) || quiet(c))
			continue;
		context(w, h, ctx, sizeof(ctx));
		report(c, RULE_MISSING_KEY, ynode_loc(n),
		       "missing required key '%s' in %s", json_string_value(r),
		       ctx);
	}
}

static void plural(json_int_t count, const char *one, const char *many,
		   char *buf, size_t size)
{
	bfmt(buf, size, "%" JSON_INTEGER_FORMAT " %s", count,
	     count == 1 ? one : many);
}

static void check_count(struct vctx *c, const json_t *v, bool at_least,
			const struct ynode *n, const struct where *w)
{
	json_int_t limit = json_integer_value(v);
	char name[256], what[64];

	if (!v || (at_least ? n->len >= limit : n->len <= limit) || quiet(c))
		return;
	describe(w, name, sizeof(name));
	if (n->kind == YNODE_MAP)
		plural(limit, "entry", "entries", what, sizeof(what));
	else
		plural(limit, "item", "items", what, sizeof(what));
	report(c, RULE_OUT_OF_RANGE, ynode_loc(n), "%s must have %s %s", name,
	       at_least ? "at least" : "at most", what);
}

/*
 * suggest - the allowed key closest to @key, if it is close enough to be a
 * likely typo: distance <= max(2, len/3) and not a complete rewrite. Keys
 * longer than any sane key get no suggestion (the distance is quadratic).
 */
static const char *suggest(const json_t *props, const char *key)
{
	size_t len = strlen(key), limit = len / 3 > 2 ? len / 3 : 2;
	size_t best = (size_t)-1, d;
	const char *name, *found = NULL;
	json_t *v;

	if (len > 64)
		return NULL;
	json_object_foreach((json_t *)props, name, v) {
		d = edit_distance(key, name);
		if (d < best) {
			best = d;
			found = name;
		}
	}
	return best <= limit && best < len ? found : NULL;
}

static void unknown_key(struct vctx *c, const struct snode *s,
			const struct ynode *k, const struct where *w,
			const struct hint *h)
{
	char ctx[256], key[64];
	const char *best;

	if (quiet(c))
		return;
	context(w, h, ctx, sizeof(ctx));
	if (!is_scalar(k)) {
		report(c, RULE_UNKNOWN_KEY, ynode_loc(k),
		       "unknown key in %s: a key must be a name, not %s", ctx,
		       node_phrase(k));
		return;
	}
	clip(k->str, key, sizeof(key));
	best = k->str ? suggest(s->properties, k->str) : NULL;
	if (best)
		report(c, RULE_UNKNOWN_KEY, ynode_loc(k),
		       "unknown key '%s' in %s; did you mean '%s'?", key, ctx,
		       best);
	else
		report(c, RULE_UNKNOWN_KEY, ynode_loc(k),
		       "unknown key '%s' in %s", key, ctx);
}

/* property - the schema of key @k in "properties", or NULL. */
static const struct snode *property(const struct snode *s,
				    const struct ynode *k, bool *found)
{
	size_t i;

	*found = false;
	if (!is_scalar(k) || !k->str || strlen(k->str) != k->len)
		return NULL;
	for (i = 0; i < s->nprops; i++)
		if (key_is(k, s->props[i].name, s->props[i].len)) {
			*found = true;
			return s->props[i].node;
		}
	return NULL;
}

/* check_member - one key/value pair against properties/additionalProperties. */
static void check_member(struct vctx *c, const struct snode *s,
			 const struct ynode *k, const struct ynode *v,
			 const struct where *w, const struct hint *h)
{
	const json_t *extra = s->additional;
	const struct snode *p;
	struct where sub = { .up = w };
	bool found;

	if (!k)
		return;
	p = property(s, k, &found);
	sub.key = is_scalar(k) ? k->str : "?";
	if (found) {
		apply(c, p, v, &sub, &no_hint);
	} else if (!extra || json_is_true(extra)) {
		return; /* anything goes */
	} else if (json_is_object(extra) && is_scalar(k)) {
		sub.extra = true;
		apply(c, s->extra, v, &sub, &no_hint);
	} else {
		unknown_key(c, s, k, w, h);
	}
}

static void check_object(struct vctx *c, const struct snode *s,
			 const struct ynode *n, const struct where *w,
			 const struct hint *h)
{
	uint32_t i;

	check_required(c, s, n, w, h);
	check_count(c, s->min_props, true, n, w);
	for (i = 0; i < n->len; i++)
		check_member(c, s, ynode_kid(n, 2 * i), ynode_kid(n, 2 * i + 1),
			     w, h);
}

static void check_array(struct vctx *c, const struct snode *s,
			const struct ynode *n, const struct where *w)
{
	struct where sub = { .up = w };
	uint32_t i;

	check_count(c, s->min_items, true, n, w);
	check_count(c, s->max_items, false, n, w);
	for (i = 0; s->items && i < n->len; i++) {
		sub.item = i + 1;
		apply(c, s->items, ynode_kid(n, i), &sub, &no_hint);
	}
}

/* try_apply - does @n satisfy @s? Reports nothing. */
static bool try_apply(struct vctx *c, const struct snode *s,
		      const struct ynode *n, const struct where *w,
		      const struct hint *h)
{
	struct diag_list *dl = c->dl;
	unsigned int errors = c->errors;
	bool ok;

	c->dl = NULL;
	apply(c, s, n, w, h);
	ok = c->errors == errors;
	c->dl = dl;
	c->errors = errors;
	return ok;
}

/* no_match - several branches fit the node's type, none accepts it. */
static void no_match(struct vctx *c, const struct ynode *n,
		     const struct where *w, const struct hint *h,
		     unsigned int kinds)
{
	char name[256], want[256], got[64];

	if (quiet(c))
		return;
	describe(w, name, sizeof(name));
	if (h->expected)
		bfmt(want, sizeof(want), "%s", h->expected);
	else
		phrase_types(kinds, want, sizeof(want));
	show_node(n, got, sizeof(got));
	if (is_scalar(n))
		report(c, RULE_BAD_VALUE, ynode_loc(n), "%s value %s is not %s",
		       name, got, want);
	else
		report(c, RULE_BAD_VALUE, ynode_loc(n), "%s is not %s", name,
		       want);
}

static void check_alternatives(struct vctx *c, const struct snode *s,
			       bool one_of, const struct ynode *n,
			       const struct where *w, const struct hint *h)
{
	const struct snode *const *alts = s->alts[one_of ? 0 : 1], *fit = NULL;
	size_t i, nalts = s->nalts[one_of ? 0 : 1], matches = 0, fits = 0;
	unsigned int kinds = 0, k;

	if (!alts)
		return;
	/*
	 * A branch whose kinds miss the node's type cannot match: only the
	 * branches that fit are tried. When one fits, applying it is the
	 * whole answer: silent if it matches, else it says what is wrong.
	 */
	for (i = 0; i < nalts; i++) {
		k = c->depth > MAX_DEPTH ? T_ANY : alts[i]->kinds;
		kinds |= k;
		if (k & node_types(n)) {
			fits++;
			fit = alts[i];
		}
	}
	if (fits == 1) {
		apply(c, fit, n, w, h);
		return;
	}
	for (i = 0; i < nalts; i++) {
		k = c->depth > MAX_DEPTH ? T_ANY : alts[i]->kinds;
		if (k & node_types(n))
			matches += try_apply(c, alts[i], n, w, h);
	}
	if (one_of ? matches == 1 : matches > 0)
		return;
	if (!fits)
		wrong_type(c, n, w, h, kinds);
	else
		no_match(c, n, w, h, kinds);
}

static void take_hints(const struct snode *s, struct hint *h)
{
	if (s->title)
		h->title = s->title;
	if (s->expected && !h->keep)
		h->expected = s->expected;
}

/*
 * apply - validate node @n against schema @s, reporting every violation.
 * The hints come by pointer: copying them on every call of this recursion
 * stalled it.
 */
static void apply(struct vctx *c, const struct snode *s, const struct ynode *n,
		  const struct where *w, const struct hint *in)
{
	struct hint h;

	if (!s || !n || c->depth >= MAX_DEPTH)
		return;
	c->depth++;
	h = *in;
	take_hints(s, &h);
	if (s->ref) {
		struct hint r = h;

		r.keep = r.keep || s->expected;
		apply(c, s->ref, n, w, &r);
	}
	/* A value of the wrong type is reported once, not for each keyword. */
	if (check_type(c, s, n, w, &h) && check_number(c, s, n, w)) {
		if (s->konst || s->enums || s->pattern)
			check_value(c, s, n, w, &h);
		if (n->kind == YNODE_MAP)
			check_object(c, s, n, w, &h);
		else if (n->kind == YNODE_SEQ)
			check_array(c, s, n, w);
		if (s->alts[0])
			check_alternatives(c, s, true, n, w, &h);
		if (s->alts[1])
			check_alternatives(c, s, false, n, w, &h);
	}
	c->depth--;
}

/* An empty file: say which keys a document needs, at the document. */
static void empty_document(struct vctx *c, struct loc loc)
{
	const json_t *req = get(c->sc->root, "required");
	const char *title = json_string_value(get(c->sc->root, "title"));
	char keys[256] = "", one[64];
	json_t *r;
	size_t i;

	json_array_foreach(req, i, r) {
		bfmt(one, sizeof(one), "'%s'", json_string_value(r));
		append(keys, sizeof(keys), one,
		       i + 1 == json_array_size(req) ? "and" : NULL);
	}
	report(c, RULE_MISSING_KEY, loc,
	       "empty document: a %s needs the keys %s",
	       title ? title : "document", keys);
}

int schema_validate(const struct schema *s, const struct ynode *root,
		    struct loc doc_loc, struct diag_list *dl)
{
	struct vctx c = { .sc = s, .dl = dl };
	struct where top = { NULL, NULL, 0, false };

	if (!s || !dl)
		return 0;
	if (!root)
		empty_document(&c, doc_loc);
	else
		apply(&c, s->top, root, &top, &no_hint);
	free(c.seen.v);
	return (int)c.reported;
}
