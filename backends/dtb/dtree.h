/* SPDX-License-Identifier: MIT */
/*
 * A small in-memory device tree, written out either as DTS text or as a
 * flattened blob (with libfdt's sequential-write API), so the .dts/.dtsi and
 * the .dtb/.dtbo sphc emits for one target always say the same thing.
 *
 * Used by the Xen backend (dom0less fragment, passthrough trees) and the FIT
 * writer. Cells are 32-bit; a cell may instead reference a labelled node
 * (written &label in DTS, the node's phandle in a blob: labelled nodes that
 * are referenced get phandles 1, 2, ... in reference order, as dtc assigns
 * them).
 */
#ifndef SPHC_BACKENDS_DTREE_H
#define SPHC_BACKENDS_DTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct dt_cell {
	uint32_t v;
	const char *ref; /* label of a node: a phandle reference */
};

enum dt_kind { DT_EMPTY, DT_STRINGS, DT_CELLS, DT_BYTES };

struct dt_prop {
	char *name;
	enum dt_kind kind;
	char *strings; /* DT_STRINGS: NUL-separated */
	size_t len;    /* bytes of strings or data; count of cells */
	struct dt_cell *cells;
	const void *data; /* DT_BYTES: not owned */
	bool decimal;	  /* print cells in decimal */
	char *comment;
};

struct dt_node {
	char *name;
	char *label;
	char *comment; /* printed above the node in DTS */
	struct dt_prop *props;
	size_t nprops, props_cap;
	struct dt_node **kids;
	size_t nkids, kids_cap;
	uint32_t phandle; /* assigned while writing a blob */
};

struct dt_node *dt_node_new(const char *name);
struct dt_node *dt_add_node(struct dt_node *parent, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dt_node_free(struct dt_node *n);

void dt_label(struct dt_node *n, const char *label);
void dt_comment(struct dt_node *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void dt_prop_empty(struct dt_node *n, const char *name);
void dt_prop_string(struct dt_node *n, const char *name, const char *value);
/* dt_prop_strings - a string list from @count C strings. */
void dt_prop_strings(struct dt_node *n, const char *name, const char **values,
		     size_t count);
void dt_prop_u32(struct dt_node *n, const char *name, uint32_t value);
/* dt_prop_cells - @count cells; @decimal: print them in decimal. */
struct dt_prop *dt_prop_cells(struct dt_node *n, const char *name,
			      const uint32_t *cells, size_t count,
			      bool decimal);
/* dt_prop_u64s - each value as two cells (high, low). */
struct dt_prop *dt_prop_u64s(struct dt_node *n, const char *name,
			     const uint64_t *values, size_t count);
/* dt_prop_ref - cells where entry i references @refs[i] when non-NULL. */
void dt_prop_refcells(struct dt_node *n, const char *name,
		      const struct dt_cell *cells, size_t count);
void dt_prop_bytes(struct dt_node *n, const char *name, const void *data,
		   size_t len);
/* dt_prop_comment - a comment printed after the last property added. */
void dt_prop_comment(struct dt_node *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * dt_write_dts - print @root (named "/" or otherwise) and its subtree at
 * indentation @depth. DT_BYTES properties are not printable (FIT only).
 */
void dt_write_dts(FILE *f, const struct dt_node *root, int depth);

/*
 * dt_write_fdt - flatten @root into a new blob (*blob, *len, malloc'd).
 * Returns 0, or a negative libfdt error code.
 */
int dt_write_fdt(struct dt_node *root, void **blob, size_t *len);

#endif
