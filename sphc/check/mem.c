// SPDX-License-Identifier: MIT
/*
 * Memory: alignment, containment in RAM, physical overlaps between
 * everything that occupies the address space (hypervisor, cell regions,
 * shared regions, device and GIC registers), guest-physical overlaps inside
 * each cell, devices that share a page, and the superpage lint.
 *
 * Overlaps are found by sorting and sweeping, never by comparing all pairs,
 * so that a system of a million regions checks in O(n log n): see
 * check_physical_overlaps().
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/internal.h"
#include "front/number.h"
#include "model/resolve.h"
#include "sph/color.h"
#include "lib/util.h"

/* --- alignment --------------------------------------------------------- */

static void check_aligned(struct check_ctx *c, const struct ynode *where,
			  const char *what, uint64_t v, const char *key,
			  const char *owner)
{
	uint64_t page = c->board->page_size;
	char ps[32];

	if (!page || v % page == 0)
		return;
	num_format_size(page, ps, sizeof(ps));
	if (ymap_get(where, key))
		where = ymap_get(where, key);
	diag_report(c->dl, RULE_MEMORY_ALIGNMENT, node_loc(c, where),
		    "%s 0x%llx of %s is not a multiple of the %s page size",
		    what, (unsigned long long)v, owner, ps);
}

static void check_region_alignment(struct check_ctx *c,
				   const struct m_region *r, const char *owner)
{
	if (r->has_base)
		check_aligned(c, r->node, "base", r->base, "base", owner);
	check_aligned(c, r->node, "size", r->size, "size", owner);
	if (r->has_ipa)
		check_aligned(c, r->node, "guest-physical address", r->ipa,
			      "ipa", owner);
}

void check_memory_alignment(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_cell *cell;
	const struct m_region *r;
	char owner[256];
	size_t i, j;

	if (s->hyp.has_memory)
		check_region_alignment(c, &s->hyp.memory,
				       "the hypervisor's memory");
	for_each_cell(s, i, cell) {
		snprintf(owner, sizeof(owner), "memory of cell '%s'",
			 cell->name);
		for_each_region(cell, j, r)
			check_region_alignment(c, r, owner);
	}
	for (i = 0; i < s->nshared; i++) {
		const struct m_shared *sh = &s->shared[i];

		snprintf(owner, sizeof(owner), "shared region '%s'", sh->name);
		if (sh->has_base)
			check_aligned(c, sh->node, "base", sh->base, "base",
				      owner);
		check_aligned(c, sh->node, "size", sh->size, "size", owner);
	}
}

/* --- RAM containment --------------------------------------------------- */

struct bank {
	uint64_t start, end;
	const struct b_reg *reg; /* the first board region in it */
};

static int bank_cmp(const void *a, const void *b)
{
	const struct bank *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Board RAM as sorted, merged banks (adjacent regions join). */
static struct bank *ram_banks(const struct m_board *b, size_t *n)
{
	struct bank *v = xcalloc(b->nram + 1, sizeof(*v));
	size_t i, k = 0;

	for (i = 0; i < b->nram; i++)
		v[i] = (struct bank){ b->ram[i].base,
				      end_of(b->ram[i].base, b->ram[i].size),
				      &b->ram[i] };
	qsort(v, b->nram, sizeof(*v), bank_cmp);
	for (i = 0; i < b->nram; i++) {
		if (k && v[i].start <= v[k - 1].end) {
			if (v[i].end > v[k - 1].end)
				v[k - 1].end = v[i].end;
			continue;
		}
		v[k++] = v[i];
	}
	*n = k;
	return v;
}

/* The bank holding [start, end), or NULL with *near the closest one. */
static const struct bank *find_bank(const struct bank *v, size_t n,
				    uint64_t start, uint64_t end,
				    const struct bank **near)
{
	size_t lo = 0, hi = n, mid;

	/* The last bank starting at or below @start. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid].start <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	*near = lo ? &v[lo - 1] : n ? &v[0] : NULL;
	if (lo && end <= v[lo - 1].end)
		return &v[lo - 1];
	return NULL;
}

static void check_in_ram(struct check_ctx *c, const struct bank *v, size_t n,
			 const struct where *w, const struct ynode *node,
			 const char *what)
{
	const struct m_board *b = c->board;
	const struct bank *near;

	if (w->end <= w->pa || find_bank(v, n, w->pa, w->end, &near))
		return;
	diag_report(c->dl, RULE_MEMORY_OUTSIDE_RAM, node_loc(c, node),
		    "%s [0x%llx, 0x%llx) is not inside the RAM of board '%s'",
		    what, (unsigned long long)w->pa, (unsigned long long)w->end,
		    b->name);
	if (near)
		diag_note(c->dl, node_loc(c, near->reg->node),
			  "RAM [0x%llx, 0x%llx) declared here",
			  (unsigned long long)near->start,
			  (unsigned long long)near->end);
	else
		diag_note(c->dl, node_loc(c, ymap_get(b->root, "name")),
			  "board '%s' declares no RAM", b->name);
}

void check_memory_in_ram(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_cell *cell;
	const struct m_region *r;
	struct where w;
	struct bank *v;
	char what[256];
	size_t i, j, n;

	v = ram_banks(c->board, &n);
	if (region_where(&s->hyp.memory, &w))
		check_in_ram(c, v, n, &w, s->hyp.memory.node,
			     "memory of the hypervisor");
	for_each_cell(s, i, cell) {
		snprintf(what, sizeof(what), "memory of cell '%s'", cell->name);
		for_each_region(cell, j, r)
			if (region_where(r, &w))
				check_in_ram(c, v, n, &w, r->node, what);
	}
	for (i = 0; i < s->nshared; i++) {
		snprintf(what, sizeof(what), "shared region '%s'",
			 s->shared[i].name);
		if (shared_where(&s->shared[i], &w))
			check_in_ram(c, v, n, &w, s->shared[i].node, what);
	}
	free(v);
}

/* --- physical overlaps ------------------------------------------------- */

/*
 * Everything that takes physical address space, as one array sorted by
 * address. Kinds double as partner types: an item is reported at most once
 * per kind of partner.
 */
enum pkind { PK_HYP, PK_CELL, PK_SHARED, PK_DEVICE, PK_MMIO, PK_N };

struct pitem {
	uint64_t start, end;
	uint32_t owner; /* cell, shared or device index */
	uint32_t sub;	/* region, reg or MMIO range index */
	uint8_t kind;	/* enum pkind */
	uint8_t done;	/* bit per partner kind reported */
	bool colored;	/* in its owner's colors */
};

/*
 * The rule when an item of kind [k] overlaps a partner of kind [t], reported
 * at the first item, plus one; 0 when the partner's side reports it (or
 * nobody: device against device is the board's business,
 * board-mmio-overlap).
 */
#define R(rule) ((unsigned char)(RULE_##rule + 1))
static const unsigned char overlap_rule[PK_N][PK_N] = {
	[PK_HYP] = { [PK_DEVICE] = R(MEMORY_ON_DEVICE) },
	[PK_CELL] = { [PK_HYP] = R(MEMORY_ON_HYPERVISOR),
		      [PK_CELL] = R(MEMORY_OVERLAP),
		      [PK_DEVICE] = R(MEMORY_ON_DEVICE),
		      [PK_MMIO] = R(MEMORY_ON_DEVICE) },
	[PK_SHARED] = { [PK_HYP] = R(SHARED_OVERLAP),
			[PK_CELL] = R(SHARED_OVERLAP),
			[PK_SHARED] = R(SHARED_OVERLAP),
			[PK_DEVICE] = R(MEMORY_ON_DEVICE),
			[PK_MMIO] = R(MEMORY_ON_DEVICE) },
	/* Raw MMIO of one cell never meets its own (top2 keeps owners). */
	[PK_MMIO] = { [PK_HYP] = R(MMIO_CONFLICT),
		      [PK_DEVICE] = R(MMIO_CONFLICT),
		      [PK_MMIO] = R(MMIO_CONFLICT) },
};
#undef R

struct sweep {
	struct check_ctx *c;
	struct pitem *v;
	size_t n;
	uint32_t ncolors;
	uint64_t page;
};

/* The colors of a colored item (the hypervisor's or its cell's), else NULL. */
static const colorset_t *pitem_colors(const struct sweep *sw,
				      const struct pitem *it)
{
	if (!it->colored)
		return NULL;
	return it->kind == PK_HYP ? &sw->c->sys->hyp.colorset
				  : &sw->c->sys->cells[it->owner].colorset;
}

/* The declaration of an item, for its diagnostic or a note. */
static const struct ynode *pitem_node(const struct sweep *sw,
				      const struct pitem *it)
{
	const struct m_system *s = sw->c->sys;
	const struct m_board *b = sw->c->board;

	switch (it->kind) {
	case PK_HYP:
		return s->hyp.memory.node;
	case PK_CELL:
		return s->cells[it->owner].regions[it->sub].node;
	case PK_SHARED:
		return s->shared[it->owner].node;
	case PK_MMIO:
		return s->cells[it->owner].mmio[it->sub].node;
	default:
		if (it->owner >= b->ndevices + GIC_N)
			return b->iommus[it->owner - b->ndevices - GIC_N].node;
		if (it->owner >= b->ndevices) {
			const struct b_reg *r =
				gic_reg(b, it->owner - (uint32_t)b->ndevices);

			return r->node ? r->node : b->gic.node;
		}
		return b->devices[it->owner].regs[it->sub].node;
	}
}

void mmio_name(const struct m_cell *cell, uint32_t k, char *buf, size_t len)
{
	const char *name = cell->mmio[k].name;

	snprintf(buf, len, "MMIO%s%s%s of cell '%s'", name ? " '" : "",
		 name ? name : "", name ? "'" : "", cell->name);
}

/* "cell 'a'", "the hypervisor's memory", "device 'uart0'", ... */
static void pitem_name(const struct sweep *sw, const struct pitem *it,
		       char *buf, size_t len)
{
	const struct m_system *s = sw->c->sys;
	const struct m_board *b = sw->c->board;

	switch (it->kind) {
	case PK_HYP:
		snprintf(buf, len, "the hypervisor's memory");
		break;
	case PK_CELL:
		snprintf(buf, len, "cell '%s'", s->cells[it->owner].name);
		break;
	case PK_SHARED:
		snprintf(buf, len, "shared region '%s'",
			 s->shared[it->owner].name);
		break;
	case PK_MMIO:
		mmio_name(&s->cells[it->owner], it->sub, buf, len);
		break;
	default:
		if (it->owner >= b->ndevices + GIC_N)
			snprintf(buf, len, "IOMMU '%s'",
				 b->iommus[it->owner - b->ndevices - GIC_N]
					 .name);
		else if (it->owner >= b->ndevices)
			snprintf(buf, len, "%s",
				 gic_names[it->owner - b->ndevices]);
		else
			snprintf(buf, len, "device '%s'",
				 b->devices[it->owner].name);
	}
}

static void report_overlap(struct sweep *sw, struct pitem *it,
			   const struct pitem *p, int color)
{
	const struct m_system *s = sw->c->sys;
	unsigned int rule = overlap_rule[it->kind][p->kind];
	char subject[256], partner[256], extra[64] = "";

	if (!rule || (it->done & (1u << p->kind)))
		return;
	it->done |= (uint8_t)(1u << p->kind);
	if (it->kind == PK_CELL)
		snprintf(subject, sizeof(subject), "memory of cell '%s'",
			 s->cells[it->owner].name);
	else if (it->kind == PK_HYP)
		snprintf(subject, sizeof(subject), "memory of the hypervisor");
	else
		pitem_name(sw, it, subject, sizeof(subject));
	pitem_name(sw, p, partner, sizeof(partner));
	if (color >= 0)
		snprintf(extra, sizeof(extra), " in pages of color %d", color);
	diag_report(sw->c->dl, (enum rule_id)(rule - 1),
		    node_loc(sw->c, pitem_node(sw, it)),
		    "%s [0x%llx, 0x%llx) overlaps %s [0x%llx, 0x%llx)%s",
		    subject, (unsigned long long)it->start,
		    (unsigned long long)it->end, partner,
		    (unsigned long long)p->start, (unsigned long long)p->end,
		    extra);
	switch (p->kind) {
	case PK_CELL:
		diag_note(sw->c->dl, node_loc(sw->c, pitem_node(sw, p)),
			  "'%s' memory declared here", s->cells[p->owner].name);
		break;
	case PK_HYP:
		diag_note(sw->c->dl, node_loc(sw->c, pitem_node(sw, p)),
			  "the hypervisor's memory %s here",
			  s->hyp.has_memory ? "declared"
					    : "(8M by default) is placed");
		break;
	default:
		diag_note(sw->c->dl, node_loc(sw->c, pitem_node(sw, p)),
			  "%s declared here", partner);
	}
}

/* Whether [lo, hi) holds a page of color @c. */
static bool has_color_page(const struct sweep *sw, uint64_t lo, uint64_t hi,
			   uint32_t c)
{
	uint64_t p = lo - lo % sw->page;
	uint32_t k = sph_page_color(p, sw->page, sw->ncolors);
	uint64_t delta = (c + sw->ncolors - k) % sw->ncolors;

	/* Page p + delta * page must start below @hi. */
	return lo < hi && delta * sw->page < hi - p;
}

/*
 * Forward: the earlier item reaching furthest, and the furthest of another
 * owner (so that a cell's own regions never hide another cell's).
 */
struct reach {
	uint64_t end; /* 0: none */
	uint32_t item, owner;
};

struct top2 {
	struct reach a, b;
};

static void top2_add(struct top2 *t, const struct pitem *it, uint32_t idx)
{
	struct reach r = { it->end, idx, it->owner };

	if (t->a.end && it->owner == t->a.owner) {
		if (it->end > t->a.end)
			t->a = r;
	} else if (it->end > t->a.end) {
		t->b = t->a;
		t->a = r;
	} else if (it->end > t->b.end) {
		t->b = r;
	}
}

/* The reach of another owner than @owner (any owner unless @excl). */
static const struct reach *top2_get(const struct top2 *t, bool excl,
				    uint32_t owner)
{
	const struct reach *r = &t->a;

	if (excl && r->end && r->owner == owner)
		r = &t->b;
	return r->end ? r : NULL;
}

/* Backward: the later item starting lowest. */
struct first {
	uint64_t start;
	uint32_t item;
	bool valid;
};

static void first_add(struct first *f, const struct pitem *it, uint32_t idx)
{
	if (!f->valid || it->start <= f->start)
		*f = (struct first){ it->start, idx, true };
}

struct trackers {
	struct top2 all[PK_N], unc[PK_N], *col; /* col[kind * 256 + c] */
	struct first ball[PK_N], bunc[PK_N], *bcol;
};

static void forward(struct sweep *sw, struct trackers *tr, size_t i)
{
	struct pitem *it = &sw->v[i];
	const colorset_t *colors = pitem_colors(sw, it);
	const struct reach *r;
	unsigned int t;
	int c;

	for (t = 0; t < PK_N; t++) {
		bool excl = t == it->kind;

		if (!overlap_rule[it->kind][t] || (it->done & (1u << t)))
			continue;
		if (!colors) {
			r = top2_get(&tr->all[t], excl, it->owner);
			if (r && r->end > it->start)
				report_overlap(sw, it, &sw->v[r->item], -1);
			continue;
		}
		r = top2_get(&tr->unc[t], excl, it->owner);
		if (r && r->end > it->start) {
			report_overlap(sw, it, &sw->v[r->item], -1);
			continue;
		}
		for_each_color(colors, sw->ncolors, c) {
			r = top2_get(&tr->col[t * SPHC_MAX_COLORS + c], excl,
				     it->owner);
			if (r && r->end > it->start &&
			    has_color_page(sw, it->start,
					   r->end < it->end ? r->end : it->end,
					   (uint32_t)c)) {
				report_overlap(sw, it, &sw->v[r->item], c);
				break;
			}
		}
	}
	top2_add(&tr->all[it->kind], it, (uint32_t)i);
	if (!colors)
		top2_add(&tr->unc[it->kind], it, (uint32_t)i);
	else
		for_each_color(colors, sw->ncolors, c)
			top2_add(&tr->col[it->kind * SPHC_MAX_COLORS + c], it,
				 (uint32_t)i);
}

/* Partners that start later: only for rules between different kinds. */
static void backward(struct sweep *sw, struct trackers *tr, size_t i)
{
	struct pitem *it = &sw->v[i];
	const colorset_t *colors = pitem_colors(sw, it);
	const struct first *f;
	unsigned int t;
	int c;

	for (t = 0; t < PK_N; t++) {
		if (t == it->kind || !overlap_rule[it->kind][t] ||
		    (it->done & (1u << t)))
			continue;
		if (!colors) {
			f = &tr->ball[t];
			if (f->valid && f->start < it->end)
				report_overlap(sw, it, &sw->v[f->item], -1);
			continue;
		}
		f = &tr->bunc[t];
		if (f->valid && f->start < it->end) {
			report_overlap(sw, it, &sw->v[f->item], -1);
			continue;
		}
		for_each_color(colors, sw->ncolors, c) {
			const struct pitem *p;

			f = &tr->bcol[t * SPHC_MAX_COLORS + c];
			if (!f->valid || f->start >= it->end)
				continue;
			p = &sw->v[f->item];
			if (has_color_page(sw, p->start,
					   p->end < it->end ? p->end : it->end,
					   (uint32_t)c)) {
				report_overlap(sw, it, p, c);
				break;
			}
		}
	}
	first_add(&tr->ball[it->kind], it, (uint32_t)i);
	if (!colors)
		first_add(&tr->bunc[it->kind], it, (uint32_t)i);
	else
		for_each_color(colors, sw->ncolors, c)
			first_add(&tr->bcol[it->kind * SPHC_MAX_COLORS + c], it,
				  (uint32_t)i);
}

static void add_pitem(struct sweep *sw, const struct where *w,
		      const colorset_t *colors, enum pkind kind, size_t owner,
		      size_t sub)
{
	struct pitem *it;

	if (w->end <= w->pa)
		return;
	it = &sw->v[sw->n++];
	it->start = w->pa;
	it->end = w->end;
	it->colored =
		w->colored && sw->ncolors && colors && !colorset_empty(colors);
	it->kind = (uint8_t)kind;
	it->owner = (uint32_t)owner;
	it->sub = (uint32_t)sub;
	it->done = 0;
}

/* --- raw MMIO on RAM ------------------------------------------------- */

/*
 * A cell's raw MMIO range must not reach into the board's RAM: mapped as
 * device memory, RAM another owner has would be reachable through it.
 */
static void check_mmio_in_ram(struct check_ctx *c)
{
	const struct m_cell *cell;
	const struct bank *near;
	struct bank *v;
	char what[300];
	size_t i, j, n;

	v = ram_banks(c->board, &n);
	for_each_cell(c->sys, i, cell)
		for (j = 0; j < cell->nmmio; j++) {
			const struct m_mmio *m = &cell->mmio[j];
			uint64_t end = end_of(m->base, m->size);
			const struct bank *hit = NULL;

			if (end <= m->base)
				continue;
			/* The last bank starting below @end may reach in. */
			find_bank(v, n, end - 1, end, &near);
			if (near && near->start < end && near->end > m->base)
				hit = near;
			if (!hit)
				continue;
			mmio_name(cell, (uint32_t)j, what, sizeof(what));
			diag_report(
				c->dl, RULE_MMIO_CONFLICT, node_loc(c, m->node),
				"%s [0x%llx, 0x%llx) overlaps the RAM of board '%s' [0x%llx, 0x%llx)",
				what, (unsigned long long)m->base,
				(unsigned long long)end, c->board->name,
				(unsigned long long)hit->start,
				(unsigned long long)hit->end);
			diag_note(c->dl, node_loc(c, hit->reg->node),
				  "RAM declared here");
		}
	free(v);
}

/* --- overlaps inside one cell ----------------------------------------- */

/*
 * The sweep above never pairs two regions of one owner (so that a cell's
 * own regions cannot hide another cell's). Two regions of one cell on the
 * same physical pages are still an error: the cell sees one page at two
 * addresses, or (Jailhouse) one declaration silently wins. Per cell, by
 * physical address, keep the earlier region reaching furthest, one
 * uncolored and one colored: a colored region takes only pages of the
 * cell's colors, so it collides where such a page lies in both.
 */
struct oitem {
	uint64_t start, end, ipa, ipa_end;
	uint32_t region;
	bool colored;
};

static bool ranges_meet(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

static bool colored_clash(const struct sweep *sw, const colorset_t *colors,
			  uint64_t lo, uint64_t hi)
{
	int c;

	for_each_color(colors, sw->ncolors, c)
		if (has_color_page(sw, lo, hi, (uint32_t)c))
			return true;
	return false;
}

static void report_own_overlap(struct check_ctx *c, const struct m_cell *cell,
			       const struct oitem *it, const struct oitem *p)
{
	bool virt = ranges_meet(it->ipa, it->ipa_end, p->ipa, p->ipa_end);

	diag_report(
		c->dl, RULE_MEMORY_OVERLAP,
		node_loc(c, cell->regions[it->region].node),
		"memory of cell '%s' [0x%llx, 0x%llx) overlaps other memory of the same cell [0x%llx, 0x%llx)%s",
		cell->name, (unsigned long long)it->start,
		(unsigned long long)it->end, (unsigned long long)p->start,
		(unsigned long long)p->end,
		virt ? ", at guest-physical addresses too" : "");
	diag_note(c->dl, node_loc(c, cell->regions[p->region].node),
		  "'%s' memory declared here", cell->name);
}

static void check_own_overlaps(struct sweep *sw)
{
	struct check_ctx *c = sw->c;
	const struct m_cell *cell;
	struct oitem *v;
	struct where w;
	uint32_t *order;
	size_t ci, i, j, n, most = 0;

	for_each_cell(c->sys, ci, cell)
		if (cell->nregions > most)
			most = cell->nregions;
	v = xcalloc(most + 1, sizeof(*v));
	for_each_cell(c->sys, ci, cell) {
		/* [0]: uncolored, [1]: colored; index into @v, or -1. */
		long reach[2] = { -1, -1 };
		bool colored = sw->ncolors && !colorset_empty(&cell->colorset);

		for (n = 0, j = 0; j < cell->nregions; j++) {
			if (!region_where(&cell->regions[j], &w) ||
			    w.end <= w.pa)
				continue;
			v[n++] = (struct oitem){
				w.pa,	   w.end,	w.ipa,
				w.ipa_end, (uint32_t)j, w.colored && colored
			};
		}
		if (n < 2)
			continue;
		order = radix_order(v, n, sizeof(*v),
				    offsetof(struct oitem, start), 8, NULL);
		for (i = 0; i < n; i++) {
			const struct oitem *it = &v[order[i]], *p = NULL;
			unsigned int k;

			for (k = 0; k < 2 && !p; k++) {
				const struct oitem *r;
				uint64_t hi;

				if (reach[k] < 0)
					continue;
				r = &v[reach[k]];
				if (r->end <= it->start)
					continue;
				hi = r->end < it->end ? r->end : it->end;
				if ((!k && !it->colored) ||
				    colored_clash(sw, &cell->colorset,
						  it->start, hi))
					p = r;
			}
			if (p)
				report_own_overlap(c, cell, it, p);
			k = it->colored;
			if (reach[k] < 0 || it->end > v[reach[k]].end)
				reach[k] = (long)order[i];
		}
		free(order);
	}
	free(v);
}

/*
 * One array of every physical item, ordered by start; then two sweeps.
 * Forward, each item meets the earlier item (of each kind, per color for
 * colored ones) that reaches furthest: if that one does not overlap, none
 * does. Backward, the later item that starts lowest. Colored items only
 * collide where a page of a shared color lies in both; an uncolored item
 * collides with anything it overlaps. Work per item: O(kinds + colors).
 */
void check_physical_overlaps(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_board *b = c->board;
	struct sweep sw = { c, NULL, 0, board_colors(b), b->page_size };
	struct trackers *tr;
	const struct m_cell *cell;
	struct where w;
	uint32_t *order;
	size_t i, j, total = 1 + s->nshared + GIC_N + b->niommus;

	if (sw.ncolors > SPHC_MAX_COLORS)
		sw.ncolors = SPHC_MAX_COLORS;
	if (!sw.page)
		sw.page = 4096;
	for_each_cell(s, i, cell)
		total += cell->nregions + cell->nmmio;
	for (i = 0; i < b->ndevices; i++)
		total += b->devices[i].nregs;
	sw.v = xcalloc(total, sizeof(*sw.v));
	if (region_where(&s->hyp.memory, &w))
		add_pitem(&sw, &w, &s->hyp.colorset, PK_HYP, 0, 0);
	for_each_cell(s, i, cell)
		for (j = 0; j < cell->nregions; j++)
			if (region_where(&cell->regions[j], &w))
				add_pitem(&sw, &w, &cell->colorset, PK_CELL, i,
					  j);
	for (i = 0; i < s->nshared; i++)
		if (shared_where(&s->shared[i], &w))
			add_pitem(&sw, &w, NULL, PK_SHARED, i, 0);
	for_each_cell(s, i, cell)
		for (j = 0; j < cell->nmmio; j++) {
			const struct m_mmio *m = &cell->mmio[j];

			w = (struct where){ m->base, end_of(m->base, m->size) };
			add_pitem(&sw, &w, NULL, PK_MMIO, i, j);
		}
	for (i = 0; i < b->ndevices; i++)
		for (j = 0; j < b->devices[i].nregs; j++) {
			const struct b_reg *r = &b->devices[i].regs[j];

			w = (struct where){ r->base, end_of(r->base, r->size) };
			add_pitem(&sw, &w, NULL, PK_DEVICE, i, j);
		}
	for (i = 0; i < GIC_N; i++) {
		const struct b_reg *r = gic_reg(b, (uint32_t)i);

		w = (struct where){ r->base, end_of(r->base, r->size) };
		add_pitem(&sw, &w, NULL, PK_DEVICE, b->ndevices + i, 0);
	}
	/* IOMMUs: devices after the GIC frames, the hypervisor's alone. */
	for (i = 0; i < b->niommus; i++) {
		const struct b_reg *r = &b->iommus[i];

		w = (struct where){ r->base, end_of(r->base, r->size) };
		add_pitem(&sw, &w, NULL, PK_DEVICE, b->ndevices + GIC_N + i, 0);
	}
	/*
	 * By address; equal addresses stay in the order added above. The
	 * items stay in place: the sweeps visit them in @order.
	 */
	order = radix_order(sw.v, sw.n, sizeof(*sw.v),
			    offsetof(struct pitem, start), 8, NULL);
	tr = xcalloc(1, sizeof(*tr));
	tr->col = xcalloc(PK_N * SPHC_MAX_COLORS, sizeof(*tr->col));
	tr->bcol = xcalloc(PK_N * SPHC_MAX_COLORS, sizeof(*tr->bcol));
	/* In address order the items are all over memory: fetch ahead. */
	for (i = 0; i < sw.n; i++) {
		if (i + PREFETCH < sw.n)
			__builtin_prefetch(&sw.v[order[i + PREFETCH]]);
		forward(&sw, tr, order[i]);
	}
	for (i = sw.n; i-- > 0;) {
		if (i >= PREFETCH)
			__builtin_prefetch(&sw.v[order[i - PREFETCH]]);
		backward(&sw, tr, order[i]);
	}
	check_own_overlaps(&sw);
	check_mmio_in_ram(c);
	free(tr->col);
	free(tr->bcol);
	free(tr);
	free(order);
	free(sw.v);
}

/* --- guest-physical overlaps ------------------------------------------- */

/*
 * What one cell sees: its regions at their IPA, the shared regions it may
 * access, its devices and the GIC at their physical addresses (device
 * memory is mapped 1:1, the GIC is emulated where the board has it).
 */
enum gkind { GK_REGION, GK_SHARED, GK_MMIO, GK_DEVICE, GK_GIC, GK_N };

struct gitem {
	uint64_t start, end;
	uint32_t cell;
	uint32_t ref;  /* region, shared, MMIO, device ref or GIC index */
	uint32_t sub;  /* access entry or reg index */
	uint8_t kind;  /* enum gkind */
	bool identity; /* ipa == pa, uncolored */
	bool done;
};

/* Whether two regions of one cell share a physical page (then mem-overlap). */
static bool own_regions_meet(const struct check_ctx *c,
			     const struct m_cell *cell, uint32_t a, uint32_t b)
{
	struct sweep sw = { (struct check_ctx *)c, NULL, 0,
			    board_colors(c->board), c->board->page_size };
	struct where x, y;
	uint64_t lo, hi;

	if (!region_where(&cell->regions[a], &x) ||
	    !region_where(&cell->regions[b], &y) ||
	    !ranges_meet(x.pa, x.end, y.pa, y.end))
		return false;
	if (sw.ncolors > SPHC_MAX_COLORS)
		sw.ncolors = SPHC_MAX_COLORS;
	if (!sw.page)
		sw.page = 4096;
	if (!(x.colored || y.colored) || !sw.ncolors ||
	    colorset_empty(&cell->colorset))
		return true;
	lo = x.pa > y.pa ? x.pa : y.pa;
	hi = x.end < y.end ? x.end : y.end;
	return colored_clash(&sw, &cell->colorset, lo, hi);
}

/* Which pairs ipa-overlap reports; the rest is the board's business. */
static bool ipa_pair(const struct check_ctx *c, const struct gitem *x,
		     const struct gitem *y)
{
	bool sys_x = x->kind <= GK_MMIO, sys_y = y->kind <= GK_MMIO;

	if (!sys_x && !sys_y)
		return false;
	/*
	 * Two regions of one cell on the same pages: memory-overlap says so
	 * (and that their guest-physical ranges meet too).
	 */
	if (x->kind == GK_REGION && y->kind == GK_REGION)
		return !own_regions_meet(c, &c->sys->cells[x->cell], x->ref,
					 y->ref);
	/* Identity-mapped on both sides: the physical sweep reports it. */
	if (x->identity && y->identity)
		return false;
	return true;
}

static const struct ynode *gitem_node(const struct check_ctx *c,
				      const struct gitem *g)
{
	const struct m_system *s = c->sys;
	const struct m_cell *cell = &s->cells[g->cell];

	switch (g->kind) {
	case GK_REGION:
		return cell->regions[g->ref].node;
	case GK_SHARED:
		return s->shared[g->ref].access[g->sub].node;
	case GK_MMIO:
		return cell->mmio[g->ref].node;
	case GK_DEVICE:
		return cell->devices[g->ref].node;
	default:
		if (gic_reg(c->board, g->ref)->node)
			return gic_reg(c->board, g->ref)->node;
		return c->board->gic.node;
	}
}

static void gitem_name(const struct check_ctx *c, const struct gitem *g,
		       char *buf, size_t len)
{
	const struct m_cell *cell = &c->sys->cells[g->cell];

	switch (g->kind) {
	case GK_REGION:
		snprintf(buf, len, "memory");
		break;
	case GK_SHARED:
		snprintf(buf, len, "shared region '%s'",
			 c->sys->shared[g->ref].name);
		break;
	case GK_MMIO:
		snprintf(buf, len, "MMIO%s%s%s",
			 cell->mmio[g->ref].name ? " '" : "",
			 cell->mmio[g->ref].name ? cell->mmio[g->ref].name : "",
			 cell->mmio[g->ref].name ? "'" : "");
		break;
	case GK_DEVICE:
		snprintf(buf, len, "device '%s'", cell->devices[g->ref].name);
		break;
	default:
		snprintf(buf, len, "%s", gic_names[g->ref]);
	}
}

static void report_ipa(const struct check_ctx *c, struct gitem *g,
		       const struct gitem *p)
{
	const struct m_cell *cell = &c->sys->cells[g->cell];
	char subject[256], partner[256];

	/* Report on the system file's side. */
	if (g->kind > GK_MMIO) {
		const struct gitem *t = g;

		g = (struct gitem *)p;
		p = t;
	}
	if (g->done)
		return;
	g->done = true;
	gitem_name(c, g, subject, sizeof(subject));
	gitem_name(c, p, partner, sizeof(partner));
	diag_report(
		c->dl, RULE_IPA_OVERLAP, node_loc(c, gitem_node(c, g)),
		"%s of cell '%s' at guest-physical [0x%llx, 0x%llx) overlaps %s%s at [0x%llx, 0x%llx)",
		subject, cell->name, (unsigned long long)g->start,
		(unsigned long long)g->end,
		p->kind == GK_REGION && g->kind == GK_REGION ? "other " : "",
		partner, (unsigned long long)p->start,
		(unsigned long long)p->end);
	if (p->kind == GK_REGION)
		diag_note(c->dl, node_loc(c, gitem_node(c, p)),
			  "'%s' memory declared here", cell->name);
	else if (p->kind == GK_SHARED || p->kind == GK_MMIO)
		diag_note(c->dl, node_loc(c, gitem_node(c, p)),
			  "'%s' gets %s here", cell->name, partner);
	else if (p->kind == GK_DEVICE)
		diag_note(c->dl, node_loc(c, gitem_node(c, p)),
			  "'%s' gets %s here", cell->name, partner);
	else
		diag_note(c->dl, node_loc(c, gitem_node(c, p)),
			  "%s declared here", partner);
}

static void add_gitem(struct gitem *v, size_t *n, uint64_t start, uint64_t end,
		      size_t cell, enum gkind kind, size_t ref, size_t sub,
		      bool identity)
{
	if (end <= start)
		return;
	v[(*n)++] =
		(struct gitem){ start,	       end,	      (uint32_t)cell,
				(uint32_t)ref, (uint32_t)sub, (uint8_t)kind,
				identity,      false };
}

/* A shared region's entry for one cell, to add to that cell's items. */
struct gaccess {
	uint32_t shared, access;
};

/*
 * The shared regions each cell gets, grouped by cell in (region, entry)
 * order: cell i has acc[first[i]] to acc[first[i + 1]].
 */
static struct gaccess *accesses_by_cell(const struct m_system *s,
					size_t **first)
{
	struct gaccess *acc;
	size_t i, j, *at, total = 0;
	int ci;

	at = xcalloc(s->ncells + 2, sizeof(*at));
	for (i = 0; i < s->nshared; i++)
		for (j = 0; j < s->shared[i].naccess; j++) {
			ci = s->shared[i].access[j].cell_index;
			if (ci >= 0 && (size_t)ci < s->ncells)
				at[ci + 2]++;
		}
	for (i = 0; i < s->ncells; i++) {
		total += at[i + 2];
		at[i + 2] = total;
	}
	acc = xcalloc(total + 1, sizeof(*acc));
	for (i = 0; i < s->nshared; i++)
		for (j = 0; j < s->shared[i].naccess; j++) {
			ci = s->shared[i].access[j].cell_index;
			if (ci >= 0 && (size_t)ci < s->ncells)
				acc[at[ci + 1]++] =
					(struct gaccess){ (uint32_t)i,
							  (uint32_t)j };
		}
	*first = at;
	return acc;
}

/* What cell @ci sees, in the order the sweep breaks ties in: @v[0..n). */
static size_t cell_gitems(const struct check_ctx *c, size_t ci,
			  const struct gaccess *acc, size_t nacc,
			  struct gitem *v)
{
	const struct m_cell *cell = &c->sys->cells[ci];
	struct where w;
	size_t j, k, n = 0;

	for (j = 0; j < cell->nregions; j++)
		if (region_where(&cell->regions[j], &w))
			add_gitem(v, &n, w.ipa, w.ipa_end, ci, GK_REGION, j, 0,
				  !w.colored && w.ipa == w.pa);
	for (j = 0; j < cell->nmmio; j++)
		add_gitem(v, &n, cell->mmio[j].base,
			  end_of(cell->mmio[j].base, cell->mmio[j].size), ci,
			  GK_MMIO, j, 0, true);
	for (j = 0; j < cell->ndevices; j++) {
		const struct b_device *d = cell->devices[j].dev;

		for (k = 0; d && k < d->nregs; k++)
			add_gitem(v, &n, d->regs[k].base,
				  end_of(d->regs[k].base, d->regs[k].size), ci,
				  GK_DEVICE, j, k, true);
	}
	for (j = 0; j < GIC_GUEST; j++) {
		const struct b_reg *r = gic_reg(c->board, (uint32_t)j);

		add_gitem(v, &n, r->base, end_of(r->base, r->size), ci, GK_GIC,
			  j, 0, true);
	}
	for (j = 0; j < nacc; j++) {
		const struct m_shared *sh = &c->sys->shared[acc[j].shared];

		if (shared_where(sh, &w))
			add_gitem(v, &n, w.ipa, w.ipa_end, ci, GK_SHARED,
				  acc[j].shared, acc[j].access, w.ipa == w.pa);
	}
	return n;
}

/*
 * Cell by cell (so the items of the biggest cell are all the memory it
 * takes), sorted by guest-physical address, one sweep that keeps per kind
 * the earlier item reaching furthest.
 */
void check_ipa_overlaps(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_cell *cell;
	struct gaccess *acc;
	struct gitem *v;
	uint32_t *order;
	size_t ci, i, j, k, n, *first, most = 0;
	/*
	 * Per kind and identity, the earlier item of this cell reaching
	 * furthest (ipa_pair() depends on nothing else).
	 */
	size_t reach[2 * GK_N];
	bool have[2 * GK_N];

	acc = accesses_by_cell(s, &first);
	for_each_cell(s, ci, cell) {
		n = cell->nregions + cell->nmmio + GIC_GUEST + first[ci + 1] -
		    first[ci];
		for (j = 0; j < cell->ndevices; j++)
			if (cell->devices[j].dev)
				n += cell->devices[j].dev->nregs;
		if (n > most)
			most = n;
	}
	v = xcalloc(most + 1, sizeof(*v));
	for_each_cell(s, ci, cell) {
		n = cell_gitems(c, ci, acc + first[ci],
				first[ci + 1] - first[ci], v);
		order = radix_order(v, n, sizeof(*v),
				    offsetof(struct gitem, start), 8, NULL);
		memset(have, 0, sizeof(have));
		for (i = 0; i < n; i++) {
			struct gitem *g = &v[order[i]];

			if (i + PREFETCH < n)
				__builtin_prefetch(&v[order[i + PREFETCH]]);
			for (k = 0; k < 2 * GK_N; k++) {
				const struct gitem *p;

				if (!have[k])
					continue;
				p = &v[reach[k]];
				if (p->end > g->start && ipa_pair(c, g, p)) {
					report_ipa(c, g, p);
					break;
				}
			}
			k = 2 * g->kind + g->identity;
			if (!have[k] || g->end > v[reach[k]].end) {
				reach[k] = order[i];
				have[k] = true;
			}
		}
		free(order);
	}
	free(v);
	free(acc);
	free(first);
}

/* --- devices sharing a page -------------------------------------------- */

/*
 * Stage 2 maps whole pages, so devices whose registers share a page are
 * isolated together or not at all. An owner key per device: the cell (or
 * the hypervisor) that has it, or MULTI for a shareable device several have.
 * Two devices on one page conflict when both are owned and not by the same
 * single owner.
 */
#define KEY_MULTI UINT32_MAX

struct ditem {
	uint64_t start, end; /* page-rounded */
	uint32_t dev, reg, key;
};

static int ditem_cmp(const void *a, const void *b)
{
	const struct ditem *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->reg < y->reg ? -1 : x->reg > y->reg;
}

static uint32_t owner_key(const struct dev_owners *o)
{
	if (o->owner[1] != OWNER_NONE)
		return KEY_MULTI;
	return o->owner[0] == OWNER_HYP ? KEY_MULTI - 1 : (uint32_t)o->owner[0];
}

/* An owner of @o other than @not (the first one when @not is NONE). */
static int other_owner(const struct dev_owners *o, int not, int *slot)
{
	*slot = o->owner[0] != not ? 0 : 1;
	return o->owner[*slot];
}

static void report_page(struct check_ctx *c, const struct dev_owners *own,
			const struct ditem *it, const struct ditem *p)
{
	const struct m_board *b = c->board;
	const struct dev_owners *oi = &own[it->dev], *op = &own[p->dev];
	uint64_t page = it->start > p->start ? it->start : p->start;
	int si, sp, ci, cp;
	char ni[256], np[256];

	/* Name two different owners, one on each side. */
	ci = oi->owner[0];
	si = 0;
	cp = other_owner(op, ci, &sp);
	if (cp == OWNER_NONE) {
		cp = op->owner[0];
		sp = 0;
		ci = other_owner(oi, cp, &si);
	}
	owner_name(c, ci, ni, sizeof(ni));
	owner_name(c, cp, np, sizeof(np));
	diag_report(
		c->dl, RULE_DEVICE_PAGE_CONFLICT, node_loc(c, oi->ref[si]),
		"device '%s' of %s shares the page at 0x%llx with device '%s' of %s; stage 2 cannot isolate them",
		b->devices[it->dev].name, ni, (unsigned long long)page,
		b->devices[p->dev].name, np);
	diag_note(c->dl, node_loc(c, op->ref[sp]), "%s gets '%s' here", np,
		  b->devices[p->dev].name);
}

void check_device_pages(struct check_ctx *c)
{
	const struct m_board *b = c->board;
	uint64_t page = b->page_size ? b->page_size : 4096;
	struct dev_owners *own = device_owners(c);
	struct ditem *v;
	bool *done;
	struct top2 t = { { 0 } };
	size_t i, j, n = 0, total = 0;

	for (i = 0; i < b->ndevices; i++)
		total += b->devices[i].nregs;
	v = xcalloc(total + 1, sizeof(*v));
	done = xcalloc(b->ndevices + 1, sizeof(*done));
	for (i = 0; i < b->ndevices; i++) {
		if (own[i].owner[0] == OWNER_NONE)
			continue; /* nobody maps it */
		for (j = 0; j < b->devices[i].nregs; j++) {
			const struct b_reg *r = &b->devices[i].regs[j];
			uint64_t end = end_of(r->base, r->size);

			if (!r->size)
				continue;
			v[n++] = (struct ditem){
				r->base - r->base % page,
				end_of(end, (page - end % page) % page),
				(uint32_t)i, (uint32_t)j, owner_key(&own[i])
			};
		}
	}
	qsort(v, n, sizeof(*v), ditem_cmp);
	for (i = 0; i < n; i++) {
		const struct reach *r;
		/* top2 keeps owners apart; keys stand in for owners here. */
		struct pitem as = { .start = v[i].start,
				    .end = v[i].end,
				    .owner = v[i].key };

		r = top2_get(&t, v[i].key != KEY_MULTI, v[i].key);
		if (r && r->end > v[i].start && !done[v[i].dev] &&
		    v[r->item].dev != v[i].dev) {
			report_page(c, own, &v[i], &v[r->item]);
			done[v[i].dev] = true;
		}
		top2_add(&t, &as, (uint32_t)i);
	}
	free(done);
	free(v);
	free(own);
}

/* --- lint: superpages -------------------------------------------------- */

static void check_superpage(struct check_ctx *c, const struct where *w,
			    uint64_t size, const struct ynode *node,
			    const char *what)
{
	const char *bad;

	if (w->colored || size < SZ_2M)
		return;
	if (w->pa % SZ_2M)
		bad = "its physical address is";
	else if (w->ipa % SZ_2M)
		bad = "its guest-physical address is";
	else if (size % SZ_2M)
		bad = "its size is";
	else
		return;
	diag_report(
		c->dl, RULE_SUPERPAGE_ALIGNMENT, node_loc(c, node),
		"%s [0x%llx, 0x%llx) cannot be mapped with 2M blocks: %s not 2M aligned, so stage 2 falls back to 4K pages and memory-bound code takes more TLB misses",
		what, (unsigned long long)w->pa, (unsigned long long)w->end,
		bad);
}

void check_superpage_alignment(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_cell *cell;
	const struct m_region *r;
	struct where w;
	char what[256];
	size_t i, j;

	if (region_where(&s->hyp.memory, &w))
		check_superpage(c, &w, s->hyp.memory.size, s->hyp.memory.node,
				"memory of the hypervisor");
	for_each_cell(s, i, cell) {
		snprintf(what, sizeof(what), "memory of cell '%s'", cell->name);
		for_each_region(cell, j, r)
			if (region_where(r, &w))
				check_superpage(c, &w, r->size, r->node, what);
	}
	for (i = 0; i < s->nshared; i++) {
		snprintf(what, sizeof(what), "shared region '%s'",
			 s->shared[i].name);
		if (shared_where(&s->shared[i], &w))
			check_superpage(c, &w, s->shared[i].size,
					s->shared[i].node, what);
	}
}
