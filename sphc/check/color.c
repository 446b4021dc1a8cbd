// SPDX-License-Identifier: MIT
/*
 * Cache colors: colors on a board without cache geometry, indexes the
 * board lacks, colors given twice, and the lints on what coloring costs.
 * Color sets as written are checked where written; counts are checked as
 * the resolve stage filled them in.
 */
#include <stdlib.h>
#include <string.h>

#include "check/internal.h"
#include "sph/color.h"
#include "lib/util.h"

/* Each color-owning party, the hypervisor first, then the cells. */
struct color_owner {
	const struct m_idset *set;
	const colorset_t *resolved;
	char *name;
};

static struct color_owner *color_owners(const struct check_ctx *c, size_t *n)
{
	const struct m_system *s = c->sys;
	struct color_owner *v = xcalloc(s->ncells + 1, sizeof(*v));
	size_t i;

	v[0] = (struct color_owner){ &s->hyp.colors, &s->hyp.colorset,
				     xstrdup("the hypervisor") };
	for (i = 0; i < s->ncells; i++)
		v[i + 1] = (struct color_owner){
			&s->cells[i].colors, &s->cells[i].colorset,
			xasprintf("cell '%s'", s->cells[i].name)
		};
	*n = s->ncells + 1;
	return v;
}

static void free_owners(struct color_owner *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

void check_color_cache(struct check_ctx *c)
{
	const struct m_board *b = c->board;
	struct color_owner *v;
	size_t i, n;

	if (board_colors(b))
		return;
	v = color_owners(c, &n);
	for (i = 0; i < n; i++) {
		if (!v[i].set->node)
			continue;
		diag_report(
			c->dl, RULE_COLOR_NO_CACHE, ynode_loc(v[i].set->node),
			"%s asks for cache colors, but board '%s' does not describe its last-level cache",
			v[i].name, b->name);
		diag_note(c->dl, node_loc(c, ymap_get(b->root, "name")),
			  "board '%s' declared here, without a 'cache' key",
			  b->name);
	}
	free_owners(v, n);
}

void check_color_range(struct check_ctx *c)
{
	const struct m_board *b = c->board;
	uint32_t ncolors = board_colors(b);
	struct color_owner *v;
	size_t i, j, n;

	if (!ncolors)
		return;
	v = color_owners(c, &n);
	for (i = 0; i < n; i++) {
		const struct m_idset *set = v[i].set;

		for (j = 0; j < set->nranges; j++) {
			const struct m_idrange *r = &set->ranges[j];
			uint32_t lo = r->lo > ncolors ? r->lo : ncolors;

			if (r->hi < ncolors)
				continue;
			if (lo == r->hi)
				diag_report(
					c->dl, RULE_COLOR_OUT_OF_RANGE,
					ynode_loc(r->node),
					"color %u of %s is out of range: board '%s' has %u colors (0-%u)",
					lo, v[i].name, b->name, ncolors,
					ncolors - 1);
			else
				diag_report(
					c->dl, RULE_COLOR_OUT_OF_RANGE,
					ynode_loc(r->node),
					"colors %u-%u of %s are out of range: board '%s' has %u colors (0-%u)",
					lo, r->hi, v[i].name, b->name, ncolors,
					ncolors - 1);
			diag_note(
				c->dl, node_loc(c, ymap_get(b->root, "cache")),
				"board '%s' declares its cache here", b->name);
		}
	}
	free_owners(v, n);
}

void check_color_conflicts(struct check_ctx *c)
{
	uint32_t ncolors = board_colors(c->board);
	struct color_owner *o;
	struct idpiece *v;
	const char **names;
	size_t i, j, n, k = 0, total = 0;

	if (!ncolors)
		return;
	o = color_owners(c, &n);
	for (i = 0; i < n; i++)
		total += o[i].set->by_count ? 1 : o[i].set->nranges;
	v = xcalloc(total + 1, sizeof(*v));
	names = xcalloc(n, sizeof(*names));
	for (i = 0; i < n; i++) {
		const struct m_idset *set = o[i].set;

		names[i] = o[i].name;
		if (!set->node)
			continue;
		if (set->by_count) {
			v[k++] = (struct idpiece){ *o[i].resolved, set->node,
						   (int)i };
			continue;
		}
		for (j = 0; j < set->nranges; j++) {
			struct m_idset one = { .ranges = &set->ranges[j],
					       .nranges = 1 };

			v[k] = (struct idpiece){ { { 0 } },
						 set->ranges[j].node,
						 (int)i };
			idset_bits(&one, ncolors, &v[k].ids);
			k++;
		}
	}
	report_id_conflicts(c, RULE_COLOR_CONFLICT, "color", "used by", v, k,
			    names, ncolors);
	free(names);
	free(v);
	free_owners(o, n);
}

/* --- hints ------------------------------------------------------------- */

/* Report @set, asked for as 'colors: N' (@ids) by @who; see below. */
static void report_count(struct check_ctx *c, const struct m_idset *ids,
			 const colorset_t *set, const char *who)
{
	char got[64], hint[64] = "";

	colorset_format(set, got, sizeof(got));
	if (ids->count < board_colors(c->board))
		snprintf(hint, sizeof(hint),
			 "; for color %u itself write "
			 "'colors: [%u]'",
			 ids->count, ids->count);
	diag_report(
		c->dl, RULE_COLOR_COUNT, node_loc(c, ids->node),
		"'colors: %u' of %s is a count: it gets the %u lowest free colors, %s (see 'sphc map')%s",
		ids->count, who, ids->count, got, hint);
}

/*
 * The first 'colors: N' of the file: a count that reads like an index.
 * Once, so that a file of counts is not a wall of notes.
 */
void check_color_counts(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_cell *cell;
	char who[160];
	size_t i;

	if (s->hyp.colors.node && s->hyp.colors.by_count) {
		report_count(c, &s->hyp.colors, &s->hyp.colorset,
			     "the hypervisor");
		return;
	}
	for_each_cell(s, i, cell)
		if (cell->colors.node && cell->colors.by_count &&
		    cell->colors.count) {
			snprintf(who, sizeof(who), "cell '%s'", cell->name);
			report_count(c, &cell->colors, &cell->colorset, who);
			return;
		}
}

/* --- lints ------------------------------------------------------------- */

void check_colored_superpages(struct check_ctx *c)
{
	const struct m_cell *cell;
	size_t i, j;

	for_each_cell(c->sys, i, cell) {
		if (!cell_colored(c, cell))
			continue;
		/* Regions below 2M could not use a block anyway. */
		for (j = 0; j < cell->nregions; j++)
			if (cell->regions[j].size >= SZ_2M)
				break;
		if (j == cell->nregions)
			continue;
		diag_report(
			c->dl, RULE_COLORED_SUPERPAGES,
			node_loc(c, cell->colors.node),
			"cell '%s' is colored, so stage 2 maps its memory with 4K pages instead of 2M blocks: more TLB misses, the price of cache isolation",
			cell->name);
	}
}

/* Every interrupt a cell takes runs hypervisor code (docs/rules.md). */
#define HYP_UNCOLORED_WHY                                                      \
	"interrupt latency under cache interference grows about tenfold "      \
	"when cells evict its code and data"

void check_hypervisor_colors(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_cell *cell = NULL, *it;
	size_t i;

	if (s->hyp.colors.node || !colorset_empty(&s->hyp.colorset))
		return;
	for_each_cell(s, i, it)
		if (cell_colored(c, it)) {
			cell = it;
			break;
		}
	if (!cell)
		return;
	if (s->hyp.node) {
		diag_report(
			c->dl, RULE_HYPERVISOR_UNCOLORED,
			ynode_loc(ymap_key_node(s->root, "hypervisor")),
			"cells are colored but the hypervisor has no colors of its own: " HYP_UNCOLORED_WHY);
		diag_note(c->dl, ynode_loc(cell->colors.node),
			  "cell '%s' is colored here", cell->name);
	} else {
		diag_report(
			c->dl, RULE_HYPERVISOR_UNCOLORED,
			ynode_loc(cell->colors.node),
			"cell '%s' is colored but the hypervisor has no colors of its own: " HYP_UNCOLORED_WHY,
			cell->name);
	}
}

/*
 * The colors the pages of an uncolored cell's memory fall in: all of them
 * once a region spans a whole period of colors, else those of its pages.
 */
static void uncolored_colors(const struct m_cell *cell, uint32_t ncolors,
			     uint64_t page, colorset_t *out)
{
	const struct m_region *r;
	uint64_t pa;
	size_t j;
	uint32_t k;

	for_each_region(cell, j, r) {
		if (!r->place.placed)
			continue;
		if (r->place.span / page >= ncolors) {
			for (k = 0; k < ncolors; k++)
				colorset_add(out, k);
			return;
		}
		for (pa = r->place.pa / page * page;
		     pa < r->place.pa + r->place.span; pa += page)
			colorset_add(out, sph_page_color(pa, page, ncolors));
	}
}

void check_uncolored_neighbors(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	uint32_t n = board_colors(c->board);
	const struct m_cell *cell, *other;
	colorset_t covers, shared;
	char list[256];
	size_t i, j;
	unsigned int w;

	if (!n)
		return;
	for_each_cell(s, i, cell) {
		if (cell_colored(c, cell) || !cell->nregions)
			continue;
		memset(&covers, 0, sizeof(covers));
		uncolored_colors(cell, n, c->board->page_size, &covers);
		for_each_cell(s, j, other) {
			if (!cell_colored(c, other))
				continue;
			for (w = 0; w < SPHC_MAX_COLORS / 64; w++)
				shared.w[w] =
					covers.w[w] & other->colorset.w[w];
			if (colorset_empty(&shared))
				continue;
			colorset_format(&shared, list, sizeof(list));
			diag_report(
				c->dl, RULE_COLORING_DEFEATED,
				ynode_loc(cell->regions[0].node),
				"cell '%s' is not colored: its memory has pages of colors %s, which colored cell '%s' uses, so it evicts '%s''s cache lines and the coloring does not isolate them",
				cell->name, list, other->name, other->name);
			diag_note(c->dl, ynode_loc(other->colors.node),
				  "cell '%s' is colored here", other->name);
		}
	}
}
