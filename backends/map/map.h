/* SPDX-License-Identifier: MIT */
/*
 * `sphc map`: the resolved physical memory map, as a table sorted by
 * address or as an SVG drawing.
 */
#ifndef SPHC_MAP_H
#define SPHC_MAP_H

#include <stdio.h>

#include "model/model.h"

/* map_print_table - one row per item: owner, range, size, attributes, colors.
 */
void map_print_table(const struct m_system *s, const struct m_board *b,
		     FILE *out);

/*
 * map_write_svg - the same rows drawn (svg.c): an address axis, a lane per
 * owner, labels, the cache colors. Returns 0 or -1.
 */
int map_write_svg(const struct m_system *s, const struct m_board *b, FILE *out);

#endif
