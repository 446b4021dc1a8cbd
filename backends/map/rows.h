/* SPDX-License-Identifier: MIT */
/*
 * The rows of `sphc map`, shared by the table (map.c) and the drawing
 * (svg.c) so that both show the same data.
 */
#ifndef SPHC_MAP_ROWS_H
#define SPHC_MAP_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

enum map_kind { MAP_HYP, MAP_CELL, MAP_SHARED, MAP_DEVICE };

struct map_row {
	uint64_t pa, span, size;
	const char *owner;
	const char *what; /* "ram", "shared", or a device's name */
	char attrs[32];
	const colorset_t *colors;
	enum map_kind kind;
	size_t lane;	  /* 0 hypervisor, 1 + cell index, ncells + 1 shared,
			     ncells + 2 devices */
	unsigned int seq; /* declaration order, to break ties */
};

struct map_rows {
	struct map_row *v;
	size_t n, cap;
};

/* map_collect - every placed item of @s, sorted by address. */
void map_collect(const struct m_system *s, const struct m_board *b,
		 struct map_rows *rows);

#endif
