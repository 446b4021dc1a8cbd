/* SPDX-License-Identifier: MIT */
/*
 * The YAML front end: a located document tree built with libyaml.
 *
 * Every node keeps the line and column where it starts. An alias is a copy
 * of the anchored node, with its location (the tree may share subtrees).
 * Duplicate keys, multiple documents, invalid UTF-8, tabs in indentation and
 * syntax errors are reported as located diagnostics, never printed.
 */
#ifndef SPHC_YNODE_H
#define SPHC_YNODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"
#include "lib/source.h"

enum ynode_kind { YNODE_SCALAR, YNODE_MAP, YNODE_SEQ };

/* How a scalar resolves (plain scalars by their text, quoted ones are strings).
 */
enum yscalar_type { YS_NULL, YS_BOOL, YS_INT, YS_FLOAT, YS_STRING };

/*
 * 24 bytes: a big system's tree is mostly nodes. A collection holds its
 * children in one array, in place (no array of pointers: 8 bytes less per
 * node); an alias is a copy of the anchored node, sharing its children.
 */
struct ynode {
	uint8_t kind;	   /* enum ynode_kind */
	uint8_t type;	   /* enum yscalar_type, scalars only */
	uint16_t src_slot; /* the file: source_by_slot(), ynode_source() */
	uint32_t line, col;
	uint32_t len; /* scalar: bytes; map: pairs; seq: items */
	union {
		char *str;	    /* scalar, NUL-terminated */
		struct ynode *kids; /* map: key0, val0, key1, ...; seq: items */
	};
};
_Static_assert(sizeof(struct ynode) <= 24, "struct ynode grew");

struct ydoc {
	struct ynode *root; /* NULL for an empty document */
	struct source *src;
	void *arena;	  /* owns the root and every kids array, */
	void *text_arena; /* and every scalar's text */
	/* Key comparisons spent on duplicates and merges: tests bound it. */
	uint64_t key_compares;
};

/*
 * ydoc_parse - parse @src into @doc.
 * Returns the number of errors reported to @dl (0 on success). On errors the
 * tree is incomplete and doc->root may be NULL; ydoc_free() is still needed.
 * On success the text of a big file is dropped (source_drop_text()): parse
 * a source once.
 */
int ydoc_parse(struct source *src, struct ydoc *doc, struct diag_list *dl);
void ydoc_free(struct ydoc *doc);

/* ynode_source - the file @n was read from; NULL for none (or no node). */
static inline const struct source *ynode_source(const struct ynode *n)
{
	return n ? source_by_slot(n->src_slot) : NULL;
}

static inline struct loc ynode_loc(const struct ynode *n)
{
	struct loc l = { source_by_slot(n->src_slot), n->line, n->col };
	return l;
}

/* ymap_get - the value of @key in a mapping, or NULL. */
const struct ynode *ymap_get(const struct ynode *map, const char *key);

/* ymap_key_node - the key node of @key (for "declared here" locations). */
const struct ynode *ymap_key_node(const struct ynode *map, const char *key);

/* ynode_kid - child @i of a collection: a map's key 2i and value 2i + 1. */
static inline const struct ynode *ynode_kid(const struct ynode *n, uint32_t i)
{
	return &n->kids[i];
}

#define ymap_for_each(map, i, k, v)                                            \
	for ((i) = 0; (i) < (map)->len && ((k) = &(map)->kids[2 * (i)],        \
					  (v) = &(map)->kids[2 * (i) + 1], 1); \
	     (i)++)

#define yseq_for_each(seq, i, item)                                            \
	for ((i) = 0; (i) < (seq)->len && ((item) = &(seq)->kids[i], 1); (i)++)

const char *ynode_kind_name(const struct ynode *n);

/*
 * ynode_merge - deep-merge @over onto @base, for per-board overrides.
 * Mappings merge key by key; lists whose items are all mappings with a
 * `name` merge by name (new names are appended); anything else is replaced
 * by @over. New nodes come from @doc's arena; unchanged subtrees are shared,
 * so every node keeps the location it was written at.
 */
struct ynode *ynode_merge(struct ydoc *doc, const struct ynode *base,
			  const struct ynode *over);

#endif
