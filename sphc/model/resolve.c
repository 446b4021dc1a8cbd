// SPDX-License-Identifier: MIT
/* The resolve stage: CPUs, colors, memory and doorbells (policy in resolve.h).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "front/number.h"
#include "model/resolve.h"
#include "sph/color.h"
#include "lib/util.h"

#define SZ_2M (2ULL << 20)

static uint64_t align_up(uint64_t v, uint64_t a)
{
	uint64_t r = v % a;

	if (!r)
		return v;
	return v > UINT64_MAX - (a - r) ? UINT64_MAX : v + (a - r);
}

static struct loc owner_loc(const struct ynode *n, const struct m_system *s)
{
	return ynode_loc(n ? n : s->root);
}

/* --- CPUs ------------------------------------------------------------- */

static uint64_t idset_mask(const struct m_idset *set, uint32_t limit)
{
	uint64_t mask = 0;
	size_t i;
	uint32_t id;

	for (i = 0; i < set->nranges; i++)
		for (id = set->ranges[i].lo;
		     id <= set->ranges[i].hi && id < limit && id < 64; id++)
			mask |= 1ULL << id;
	return mask;
}

static uint64_t board_cpu_mask(const struct m_board *b)
{
	uint64_t mask = 0;
	size_t i;

	for (i = 0; i < b->ncpus; i++)
		if (b->cpus[i].id < SPHC_MAX_CPUS)
			mask |= 1ULL << b->cpus[i].id;
	return mask;
}

static int resolve_cpus(struct m_system *s, const struct m_board *b,
			struct diag_list *dl)
{
	uint64_t all = board_cpu_mask(b), taken = 0;
	int errors = 0;
	size_t i;
	uint32_t id, got;

	for (i = 0; i < s->ncells; i++) {
		struct m_cell *c = &s->cells[i];

		if (!c->cpus.by_count) {
			c->cpumask = idset_mask(&c->cpus, SPHC_MAX_CPUS) & all;
			taken |= c->cpumask;
		}
	}
	for (i = 0; i < s->ncells; i++) {
		struct m_cell *c = &s->cells[i];

		if (!c->cpus.by_count)
			continue;
		for (id = 0, got = 0; id < 64 && got < c->cpus.count; id++) {
			if ((all & ~taken) >> id & 1) {
				c->cpumask |= 1ULL << id;
				taken |= 1ULL << id;
				got++;
			}
		}
		if (got < c->cpus.count) {
			diag_report(
				dl, RULE_CPU_ALLOC, ynode_loc(c->cpus.node),
				"cell '%s' asks for %u CPU%s but only %u of board '%s''s %zu CPUs %s left",
				c->name, c->cpus.count,
				c->cpus.count == 1 ? "" : "s", got, b->name,
				b->ncpus, got == 1 ? "was" : "were");
			errors++;
		}
	}
	return errors;
}

/* --- colors ----------------------------------------------------------- */

static void idset_colors(const struct m_idset *set, uint32_t ncolors,
			 colorset_t *out)
{
	size_t i;
	uint32_t c;

	for (i = 0; i < set->nranges; i++)
		for (c = set->ranges[i].lo;
		     c <= set->ranges[i].hi && c < ncolors; c++)
			colorset_add(out, c);
}

/* Take @count free colors (lowest first) into @out; how many were found. */
static uint32_t take_colors(colorset_t *taken, uint32_t ncolors, uint32_t count,
			    colorset_t *out)
{
	uint32_t c, got = 0;

	for (c = 0; c < ncolors && got < count; c++) {
		if (colorset_has(taken, c))
			continue;
		colorset_add(out, c);
		colorset_add(taken, c);
		got++;
	}
	return got;
}

static void or_colors(colorset_t *a, const colorset_t *b)
{
	unsigned int i;

	for (i = 0; i < SPHC_MAX_COLORS / 64; i++)
		a->w[i] |= b->w[i];
}

static int resolve_one_color_set(struct m_idset *set, colorset_t *out,
				 colorset_t *taken, const struct m_board *b,
				 const char *who, struct diag_list *dl)
{
	uint32_t n = board_colors(b), got;

	/* Without cache geometry there is nothing to allocate: color-no-cache.
	 */
	if (!set->node || !set->by_count || n == 0)
		return 0;
	got = take_colors(taken, n, set->count, out);
	if (got == set->count)
		return 0;
	diag_report(
		dl, RULE_COLOR_ALLOC, ynode_loc(set->node),
		"%s asks for %u colors but only %u of board '%s''s %u colors %s left",
		who, set->count, got, b->name, n, got == 1 ? "was" : "were");
	return 1;
}

static int resolve_colors(struct m_system *s, const struct m_board *b,
			  struct diag_list *dl)
{
	uint32_t n = board_colors(b);
	colorset_t taken = { { 0 } };
	int errors = 0;
	size_t i;

	idset_colors(&s->hyp.colors, n, &s->hyp.colorset);
	or_colors(&taken, &s->hyp.colorset);
	for (i = 0; i < s->ncells; i++) {
		idset_colors(&s->cells[i].colors, n, &s->cells[i].colorset);
		or_colors(&taken, &s->cells[i].colorset);
	}
	errors += resolve_one_color_set(&s->hyp.colors, &s->hyp.colorset,
					&taken, b, "the hypervisor", dl);
	for (i = 0; i < s->ncells; i++) {
		struct m_cell *c = &s->cells[i];
		char *who = xasprintf("cell '%s'", c->name);

		errors += resolve_one_color_set(&c->colors, &c->colorset,
						&taken, b, who, dl);
		free(who);
	}
	return errors;
}

/* --- memory ------------------------------------------------------------ */

uint64_t colored_extent(uint64_t pa, uint64_t size, const colorset_t *colors,
			uint32_t ncolors, uint64_t page)
{
	uint64_t need = (size + page - 1) / page, period = ncolors * page;
	uint64_t per_period = 0, p = pa - pa % page, full;
	uint32_t c;

	for (c = 0; c < ncolors; c++)
		per_period += colorset_has(colors, c);
	if (!per_period || !need)
		return 0;
	/* Walk to a period boundary, jump whole periods, walk the rest. */
	while (need && p % period) {
		need -= colorset_has(colors, sph_page_color(p, page, ncolors));
		p += page;
	}
	full = need / per_period;
	if (need % per_period == 0 && full)
		full--;
	p += full * period;
	need -= full * per_period;
	while (need) {
		need -= colorset_has(colors, sph_page_color(p, page, ncolors));
		p += page;
	}
	return p - pa;
}

/*
 * The physical ranges taken so far, in groups by color set: uncolored items
 * (and every item with a base) in one, each set of colors in another. A
 * group keeps the union of its ranges as disjoint intervals sorted by
 * address, so a collision is a binary search, and a run of items placed
 * one after the other is one interval.
 */
struct span {
	uint64_t start, end;
};

struct group {
	bool colored;
	colorset_t colors; /* colored groups only */
	struct span *v;
	size_t n, cap;
};

struct placer {
	const struct m_board *board;
	uint32_t ncolors;
	struct group *g; /* by color set; take_fixed() makes g[0] */
	size_t ng, gcap;
};

/* The first interval of @g that ends after @pos (g->n if none). */
static size_t first_ending_after(const struct group *g, uint64_t pos)
{
	size_t lo = 0, hi = g->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (g->v[mid].end > pos)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The first interval of @g that starts at or after @pos (g->n if none). */
static size_t first_starting_at(const struct group *g, uint64_t pos)
{
	size_t lo = 0, hi = g->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (g->v[mid].start >= pos)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Add [start, end) to @g, merging the intervals it meets or touches. */
static void group_add(struct group *g, uint64_t start, uint64_t end)
{
	size_t lo = first_ending_after(g, start ? start - 1 : 0), hi = lo;

	while (hi < g->n && g->v[hi].start <= end)
		hi++;
	if (lo == hi) {
		VEC_RESERVE(g->v, g->n, g->cap);
		memmove(&g->v[lo + 1], &g->v[lo], (g->n - lo) * sizeof(*g->v));
		g->v[lo] = (struct span){ start, end };
		g->n++;
		return;
	}
	if (g->v[lo].start < start)
		start = g->v[lo].start;
	if (g->v[hi - 1].end > end)
		end = g->v[hi - 1].end;
	g->v[lo] = (struct span){ start, end };
	memmove(&g->v[lo + 1], &g->v[hi], (g->n - hi) * sizeof(*g->v));
	g->n -= hi - lo - 1;
}

static struct group *placer_group(struct placer *p, const colorset_t *colors)
{
	size_t i;

	for (i = 0; i < p->ng; i++)
		if (p->g[i].colored == (colors != NULL) &&
		    (!colors ||
		     !memcmp(&p->g[i].colors, colors, sizeof(*colors))))
			return &p->g[i];
	VEC_RESERVE(p->g, p->ng, p->gcap);
	memset(&p->g[p->ng], 0, sizeof(p->g[p->ng]));
	p->g[p->ng].colored = colors != NULL;
	if (colors)
		p->g[p->ng].colors = *colors;
	return &p->g[p->ng++];
}

static void placer_take(struct placer *p, uint64_t start, uint64_t end,
			const colorset_t *colors)
{
	if (end > start)
		group_add(placer_group(p, colors), start, end);
}

/*
 * Whether [start, end) in @colors (all colors when NULL) collides with a
 * taken range: uncolored ranges collide with everything, colored ones with
 * uncolored items and items whose colors they share. *hit_end gets the end
 * of the interval that reaches furthest among those it meets: everything up
 * to there is taken (a first fit may skip it).
 */
static bool placer_collision(const struct placer *p, uint64_t start,
			     uint64_t end, const colorset_t *colors,
			     uint64_t *hit_end)
{
	bool hit = false;
	size_t i, k;

	for (i = 0; i < p->ng; i++) {
		const struct group *g = &p->g[i];

		if (colors && g->colored &&
		    !colorset_intersects(colors, &g->colors))
			continue;
		k = first_starting_at(g, end);
		if (!k || g->v[k - 1].end <= start)
			continue;
		if (!hit || g->v[k - 1].end > *hit_end)
			*hit_end = g->v[k - 1].end;
		hit = true;
	}
	return hit;
}

/* First fit in RAM bank @bank at alignment @align; true when found. */
static bool fit_in_bank(const struct placer *p, const struct b_reg *bank,
			uint64_t size, uint64_t align, const colorset_t *colors,
			uint64_t *pa, uint64_t *span)
{
	uint64_t end = bank->base + bank->size,
		 cand = align_up(bank->base, align);
	uint64_t ext, hit_end;

	while (cand < end) {
		ext = colors ? colored_extent(cand, size, colors, p->ncolors,
					      p->board->page_size)
			     : size;
		if (!ext || ext > end - cand)
			return false;
		if (!placer_collision(p, cand, cand + ext, colors, &hit_end)) {
			*pa = cand;
			*span = ext;
			return true;
		}
		cand = align_up(hit_end, align);
	}
	return false;
}

static bool place_first_fit(const struct placer *p, uint64_t size,
			    const colorset_t *colors, uint64_t *pa,
			    uint64_t *span)
{
	const struct m_board *b = p->board;
	uint64_t aligns[2], page = b->page_size;
	unsigned int a, na = 0;
	size_t i;

	if (colors) {
		aligns[na++] = (uint64_t)p->ncolors * page;
	} else {
		if (size >= SZ_2M)
			aligns[na++] = SZ_2M;
		aligns[na++] = page;
	}
	for (a = 0; a < na; a++)
		for (i = 0; i < b->nram; i++)
			if (fit_in_bank(p, &b->ram[i], size, aligns[a], colors,
					pa, span))
				return true;
	return false;
}

/* Free bytes of RAM in @colors (all colors when NULL), for error messages. */
static uint64_t free_bytes(const struct placer *p, const colorset_t *colors,
			   uint64_t *largest)
{
	uint64_t page = p->board->page_size, total = 0, run, a, hit_end;
	size_t i;

	*largest = 0;
	for (i = 0; i < p->board->nram; i++) {
		const struct b_reg *bank = &p->board->ram[i];

		run = 0;
		for (a = bank->base; a + page <= bank->base + bank->size;
		     a += page) {
			bool in_colors =
				!colors ||
				colorset_has(
					colors,
					sph_page_color(a, page, p->ncolors));
			bool is_free = in_colors &&
				       !placer_collision(p, a, a + page, colors,
							 &hit_end);

			if (is_free) {
				total += page;
				run += page;
				if (run > *largest)
					*largest = run;
			} else if (!colors || in_colors) {
				run = 0;
			}
		}
	}
	return total;
}

static void report_no_room(const struct placer *p, const char *what,
			   uint64_t size, const colorset_t *colors,
			   struct loc where, struct diag_list *dl)
{
	uint64_t largest, left = free_bytes(p, colors, &largest);
	char need[32], have[32], big[32];

	num_format_size(size, need, sizeof(need));
	num_format_size(left, have, sizeof(have));
	num_format_size(largest, big, sizeof(big));
	if (colors && left < size) {
		char miss[32];

		num_format_size(size - left, miss, sizeof(miss));
		diag_report(
			dl, RULE_COLOR_MEMORY, where,
			"%s needs %s in its colors but only %s of RAM with those colors is free (%s missing)",
			what, need, have, miss);
	} else if (colors) {
		diag_report(
			dl, RULE_MEMORY_ALLOC, where,
			"%s needs %s in its colors; %s with those colors is free but too fragmented (largest run %s)",
			what, need, have, big);
	} else {
		diag_report(
			dl, RULE_MEMORY_ALLOC, where,
			"cannot place %s of %s: %s of RAM is free, the largest free block is %s",
			need, what, have, big);
	}
}

/* Place one item: at its base if given, else first fit. */
static int place_item(struct placer *p, struct m_place *pl, uint64_t size,
		      bool has_base, uint64_t base, bool has_ipa, uint64_t ipa,
		      const colorset_t *colors, const char *what,
		      struct loc where, struct diag_list *dl)
{
	uint64_t pa = base, span = size;

	if (colors && colorset_empty(colors))
		colors = NULL;
	if (has_base) {
		if (colors)
			span = colored_extent(base, size, colors, p->ncolors,
					      p->board->page_size);
	} else if (!place_first_fit(p, size, colors, &pa, &span)) {
		report_no_room(p, what, size, colors, where, dl);
		return 1;
	}
	pl->pa = pa;
	pl->span = span;
	pl->ipa = has_ipa ? ipa : pa;
	pl->colored = colors != NULL;
	pl->placed = true;
	if (!has_base)
		placer_take(p, pa, pa + span, colors);
	return 0;
}

static void add_fixed(struct group *g, uint64_t base, uint64_t size)
{
	if (base + size <= base)
		return;
	VEC_RESERVE(g->v, g->n, g->cap);
	g->v[g->n++] = (struct span){ base, base + size };
}

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Whether @c's memory is colored (as place_item() decides). */
static bool fixed_colored(const struct placer *p, const struct m_cell *c)
{
	return p->ncolors && !colorset_empty(&c->colorset) &&
	       colored_extent(0, p->board->page_size, &c->colorset, p->ncolors,
			      p->board->page_size);
}

/* Devices, and every item with a base, before anything moves: one sort. */
static void take_fixed(struct placer *p, const struct m_system *s)
{
	const struct m_board *b = p->board;
	struct group *g = placer_group(p, NULL);
	size_t i, j, k;

	for (i = 0; i < b->ndevices; i++)
		for (j = 0; j < b->devices[i].nregs; j++)
			add_fixed(g, b->devices[i].regs[j].base,
				  b->devices[i].regs[j].size);
	if (s->hyp.memory.has_base)
		add_fixed(g, s->hyp.memory.base, s->hyp.memory.size);
	for (i = 0; i < s->ncells; i++)
		for (j = 0; j < s->cells[i].nregions; j++) {
			const struct m_region *r = &s->cells[i].regions[j];

			if (r->has_base && !fixed_colored(p, &s->cells[i]))
				add_fixed(g, r->base, r->size);
		}
	for (i = 0; i < s->nshared; i++)
		if (s->shared[i].has_base)
			add_fixed(g, s->shared[i].base, s->shared[i].size);
	if (g->n > 1)
		qsort(g->v, g->n, sizeof(*g->v), span_cmp);
	for (i = 0, k = 0; i < g->n; i++) {
		if (k && g->v[i].start <= g->v[k - 1].end) {
			if (g->v[i].end > g->v[k - 1].end)
				g->v[k - 1].end = g->v[i].end;
			continue;
		}
		g->v[k++] = g->v[i];
	}
	g->n = k;
	/*
	 * A colored region with a base uses pages of its colors over its
	 * whole span, beyond base + size: uncolored items and items of its
	 * colors keep out of [base, base + span), items of other colors may
	 * share it. (g may move from here on.)
	 */
	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *c = &s->cells[i];

		if (!fixed_colored(p, c))
			continue;
		for (j = 0; j < c->nregions; j++) {
			const struct m_region *r = &c->regions[j];
			uint64_t span;

			if (!r->has_base)
				continue;
			span = colored_extent(r->base, r->size, &c->colorset,
					      p->ncolors, b->page_size);
			if (span > UINT64_MAX - r->base)
				span = UINT64_MAX - r->base;
			placer_take(p, r->base, r->base + span, &c->colorset);
		}
	}
}

/* Whether anything is left to place (else nothing needs the taken ranges). */
static bool any_without_base(const struct m_system *s)
{
	size_t i, j;

	if (!s->hyp.memory.has_base)
		return true;
	for (i = 0; i < s->ncells; i++)
		for (j = 0; j < s->cells[i].nregions; j++)
			if (!s->cells[i].regions[j].has_base)
				return true;
	for (i = 0; i < s->nshared; i++)
		if (!s->shared[i].has_base)
			return true;
	return false;
}

static int resolve_memory(struct m_system *s, const struct m_board *b,
			  struct diag_list *dl)
{
	struct placer p = { b, board_colors(b), NULL, 0, 0 };
	struct m_region *r;
	int errors = 0;
	size_t i, j;
	char *what;

	if (any_without_base(s))
		take_fixed(&p, s);
	/*
	 * The runtime is loaded and linked as one contiguous image, so its
	 * memory is never colored here; the hypervisor's colors are kept
	 * from cells, and backends whose hypervisor recolors itself at boot
	 * (Bao) pass them on.
	 */
	r = &s->hyp.memory;
	errors += place_item(&p, &r->place, r->size, r->has_base, r->base,
			     false, 0, NULL, "the hypervisor's memory",
			     owner_loc(r->node, s), dl);
	for (i = 0; i < s->ncells; i++) {
		struct m_cell *c = &s->cells[i];

		what = xasprintf("memory for cell '%s'", c->name);
		for (j = 0; j < c->nregions; j++) {
			r = &c->regions[j];
			errors += place_item(&p, &r->place, r->size,
					     r->has_base, r->base, r->has_ipa,
					     r->ipa, &c->colorset, what,
					     ynode_loc(r->node), dl);
		}
		free(what);
	}
	for (i = 0; i < s->nshared; i++) {
		struct m_shared *sh = &s->shared[i];

		what = xasprintf("shared region '%s'", sh->name);
		errors += place_item(&p, &sh->place, sh->size, sh->has_base,
				     sh->base, false, 0, NULL, what,
				     ynode_loc(sh->node), dl);
		free(what);
	}
	for (i = 0; i < p.ng; i++)
		free(p.g[i].v);
	free(p.g);
	return errors;
}

/* --- doorbells and boot order ----------------------------------------- */

static bool intid_used(const struct m_system *s, const struct m_board *b,
		       uint32_t intid)
{
	size_t i, j;

	for (i = 0; i < b->ndevices; i++)
		for (j = 0; j < b->devices[i].nirqs; j++)
			if (b->devices[i].irqs[j].intid == intid)
				return true;
	for (i = 0; i < s->ncells; i++)
		for (j = 0; j < s->cells[i].nirqs; j++)
			if (s->cells[i].irqs[j].intid == intid)
				return true;
	for (i = 0; i < s->nshared; i++)
		if (s->shared[i].doorbell_intid == intid ||
		    s->shared[i].doorbell_irq == intid)
			return true;
	return false;
}

static int resolve_doorbells(struct m_system *s, const struct m_board *b,
			     struct diag_list *dl)
{
	uint32_t next = 32 + b->gic.spis;
	int errors = 0;
	size_t i;

	for (i = 0; i < s->nshared; i++)
		if (s->shared[i].doorbell && s->shared[i].doorbell_irq)
			s->shared[i].doorbell_intid = s->shared[i].doorbell_irq;
	for (i = 0; i < s->nshared; i++) {
		struct m_shared *sh = &s->shared[i];

		if (!sh->doorbell || sh->doorbell_intid)
			continue;
		while (next > 32 && intid_used(s, b, next - 1))
			next--;
		if (next <= 32) {
			diag_report(
				dl, RULE_DOORBELL_ALLOC,
				ynode_loc(sh->doorbell_node),
				"no free SPI left for the doorbell of shared region '%s'",
				sh->name);
			errors++;
			continue;
		}
		sh->doorbell_intid = --next;
	}
	return errors;
}

static void resolve_boot_order(struct m_system *s)
{
	uint32_t order = 0;
	size_t i;

	for (i = 0; i < s->ncells; i++)
		if (s->cells[i].critical)
			s->cells[i].boot_order = order++;
	for (i = 0; i < s->ncells; i++)
		if (!s->cells[i].critical)
			s->cells[i].boot_order = order++;
}

int resolve_system(struct m_system *s, const struct m_board *b,
		   struct diag_list *dl)
{
	int errors = 0;

	errors += resolve_cpus(s, b, dl);
	errors += resolve_colors(s, b, dl);
	errors += resolve_memory(s, b, dl);
	errors += resolve_doorbells(s, b, dl);
	resolve_boot_order(s);
	return errors;
}
