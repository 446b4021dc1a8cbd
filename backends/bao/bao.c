// SPDX-License-Identifier: MIT
/* The Bao backend: bao/config.c for Bao v2 (see bao.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backends/bao/bao.h"
#include "front/number.h"
#include "backends/tgt.h"
#include "check/check.h"
#include "lib/quote.h"
#include "lib/util.h"

#ifndef SPHC_VERSION
#define SPHC_VERSION "0.0.0-dev"
#endif

/* Bao colormap_t is an unsigned long: 64 colors on AArch64. */
#define BAO_MAX_COLORS 64

static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t";

/* "%.*s", T(n): n tabs of indentation. */
#define T(depth) (int)(depth), tabs

/*
 * L1 way sizes of the built-in boards (Bao's color unit). Bao takes the L1
 * D-cache way, or the I-cache way whenever CTR_EL0 says the I-cache is
 * PIPT (Bao marks the D-cache PIPT, so its size comparison never decides).
 * From the cores' reference manuals: Cortex-A53 L1 D-cache 32 KiB 4-way,
 * I-cache VIPT (QEMU's model reports the same), so 8 KiB; Cortex-A72
 * I-cache PIPT, 48 KiB 3-way, so 16 KiB (its D-cache way is 16 KiB too).
 */
static const struct {
	const char *board;
	unsigned int l1_way;
} l1_ways[] = {
	{ "qemu-aarch64-virt", 8 << 10 },
	{ "zcu104", 8 << 10 },
	{ "imx8qm", 8 << 10 }, /* Bao runs its allocator on the A53 cluster */
	{ "rpi4", 16 << 10 },
};

unsigned int bao_color_pages(const struct m_board *b, bool *known)
{
	unsigned int way = 8 << 10;
	size_t i;

	*known = false;
	for (i = 0; i < ARRAY_SIZE(l1_ways); i++) {
		if (!strcmp(b->name, l1_ways[i].board)) {
			way = l1_ways[i].l1_way;
			*known = true;
		}
	}
	if (!b->page_size || way < b->page_size)
		return 1;
	return (unsigned int)(way / b->page_size);
}

/*
 * What Bao's own platform descriptions say (src/platform/, Bao main
 * 738e3dc): the RAM Bao manages and the UART it prints to.
 */
static const struct bao_platform {
	const char *board; /* sphc boards whose name starts with it */
	struct {
		uint64_t base, size;
	} ram[2];
	uint64_t console;
} bao_platforms[] = {
	{ "qemu-aarch64-virt", { { 0x40000000, 0x100000000ULL } }, 0x09000000 },
	{ "zcu104", { { 0x00080000, 0x7FF00000 - 0x16000 } }, 0xFF000000 },
	{ "imx8qm",
	  { { 0x80020000, 0x80000000 - 0x20000 },
	    { 0x880000000ULL, 0x100000000ULL } },
	  0x5A060000 },
	/* RPI4_MEM_GB=4, Bao's default */
	{ "rpi4",
	  { { 0x00080000, 0x40000000 - 0x80000 - 0x4C00000 },
	    { 0x40000000, 3 * 0x40000000ULL - 0x4000000 } },
	  0xFE215000 },
};

static const struct bao_platform *bao_platform_of(const struct m_board *b)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bao_platforms); i++)
		if (!strncmp(b->name, bao_platforms[i].board,
			     strlen(bao_platforms[i].board)))
			return &bao_platforms[i];
	return NULL;
}

/*
 * Bao's footprint from its load address (src/core/mem.c reserves its image
 * with every embedded VM image, then per-CPU memory after it). Measured on
 * Bao main 738e3dc for qemu-aarch64-virt: 264 KiB of code, data and bss,
 * and per CPU a struct cpu (8 KiB with its stack) and a root translation
 * table page per level. Rounded up for other platforms and versions.
 */
#define BAO_CORE_SIZE (512ULL << 10)
#define BAO_CPU_SIZE (32ULL << 10)
/* QEMU virt puts its DTB in the first MiB of RAM when it boots firmware. */
#define QEMU_DTB_SIZE (1ULL << 20)

/* --- colors ------------------------------------------------------------ */

/* Owner 0 is the hypervisor, owner i + 1 cell i. */
struct bao_colors {
	unsigned int k;	   /* page colors per Bao color */
	unsigned int nbao; /* Bao colors on the board */
	uint64_t *set;	   /* per owner: Bao color bitmap */
};

static const colorset_t *owner_set(const struct m_system *s, size_t o)
{
	return o ? &s->cells[o - 1].colorset : &s->hyp.colorset;
}

static char *owner_name(const struct m_system *s, size_t o)
{
	return o ? xasprintf("cell '%s'", s->cells[o - 1].name)
		 : xstrdup("the hypervisor");
}

static struct loc owner_loc(const struct m_system *s, size_t o)
{
	if (o)
		return tgt_cell_loc(&s->cells[o - 1], true);
	if (s->hyp.colors.node)
		return ynode_loc(s->hyp.colors.node);
	return ynode_loc(s->hyp.node ? s->hyp.node : s->root);
}

static void mask_format(uint64_t mask, char *buf, size_t len)
{
	colorset_t set = { { mask } };

	colorset_format(&set, buf, len);
}

/* The page colors Bao color set @mask covers. */
static colorset_t expand(uint64_t mask, unsigned int k)
{
	colorset_t set = { { 0 } };
	unsigned int b, c;

	for (b = 0; b < BAO_MAX_COLORS; b++)
		if (mask >> b & 1)
			for (c = b * k; c < (b + 1) * k; c++)
				if (c < SPHC_MAX_COLORS)
					colorset_add(&set, c);
	return set;
}

static bool same_set(const colorset_t *a, const colorset_t *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static void warn_inexact(const struct m_system *s, const struct m_board *b,
			 const struct bao_colors *bc, size_t o, bool shared,
			 struct diag_list *dl)
{
	char want[128], got[128], pages[128], *who = owner_name(s, o);
	colorset_t covered = expand(bc->set[o], bc->k);
	char *with = xstrdup(""), *next, *name;
	size_t p, n = 0, total = 0;

	for (p = 0; shared && p < s->ncells + 1; p++)
		total += p != o && (bc->set[p] & bc->set[o]);
	for (p = 0; shared && p < s->ncells + 1; p++) {
		if (p == o || !(bc->set[p] & bc->set[o]))
			continue;
		name = owner_name(s, p);
		next = xasprintf("%s%s%s", with,
				 !n++	      ? ", shared with "
				 : n == total ? " and "
					      : ", ",
				 name);
		free(name);
		free(with);
		with = next;
	}
	colorset_format(owner_set(s, o), want, sizeof(want));
	mask_format(bc->set[o], got, sizeof(got));
	colorset_format(&covered, pages, sizeof(pages));
	diag_report(
		dl, RULE_TARGET_INEXACT, owner_loc(s, o),
		"Bao cannot give %s exactly colors %s: on board '%s' one Bao color is %u page colors, so it gets Bao color%s %s (page colors %s)%s",
		who, want, b->name, bc->k,
		__builtin_popcountll(bc->set[o]) == 1 ? "" : "s", got, pages,
		with);
	free(with);
	free(who);
}

static void convert_colors(const struct m_system *s, const struct m_board *b,
			   struct bao_colors *bc, struct diag_list *dl)
{
	uint32_t ncolors = board_colors(b);
	size_t nowners = s->ncells + 1, o, best;
	unsigned int *count = xcalloc(nowners, sizeof(*count));
	unsigned int c, bao;
	bool known, any = false;

	bc->set = xcalloc(nowners, sizeof(*bc->set));
	bc->k = bao_color_pages(b, &known);
	bc->nbao = bc->k ? ncolors / bc->k : 0;
	for (o = 0; o < nowners; o++)
		any |= !colorset_empty(owner_set(s, o));
	if (!any || !ncolors) {
		free(count);
		return;
	}
	if (!known)
		diag_report(
			dl, RULE_TARGET_INEXACT, ynode_loc(s->root),
			"sphc does not know the L1 cache of board '%s'; Bao colors are assumed to be %u page colors (an 8K L1 way, as on Cortex-A53)",
			b->name, bc->k);
	if (bc->nbao < 2) {
		diag_report(
			dl, RULE_TARGET_INEXACT, ynode_loc(s->root),
			"Bao has no cache coloring on board '%s' (%u page colors, %u per Bao color): every owner gets all colors",
			b->name, ncolors, bc->k);
		free(count);
		return;
	}
	if (bc->nbao > BAO_MAX_COLORS)
		diag_report(
			dl, RULE_TARGET_INEXACT, ynode_loc(s->root),
			"board '%s' has %u Bao colors but Bao's color bitmap holds %d: colors from %d on are dropped",
			b->name, bc->nbao, BAO_MAX_COLORS, BAO_MAX_COLORS);
	for (bao = 0; bao < bc->nbao && bao < BAO_MAX_COLORS; bao++) {
		size_t first[SPHC_MAX_COLORS];
		unsigned int nfirst = 0, i;

		memset(count, 0, nowners * sizeof(*count));
		for (c = bao * bc->k; c < (bao + 1) * bc->k; c++) {
			for (o = 0; o < nowners; o++) {
				if (!colorset_has(owner_set(s, o), c))
					continue;
				if (!count[o]++)
					first[nfirst++] = o;
				break;
			}
		}
		if (!nfirst)
			continue;
		/* Most page colors wins; ties go to the owner seen first. */
		best = first[0];
		for (i = 1; i < nfirst; i++)
			if (count[first[i]] > count[best])
				best = first[i];
		bc->set[best] |= 1ULL << bao;
	}
	for (o = 0; o < nowners; o++) {
		const colorset_t *want = owner_set(s, o);
		colorset_t got;
		bool shared = false;

		if (colorset_empty(want))
			continue;
		if (!bc->set[o]) {
			/* Nothing won: take every Bao color it touches. */
			for (c = 0; c < bc->nbao * bc->k; c++)
				if (colorset_has(want, c) &&
				    c / bc->k < BAO_MAX_COLORS)
					bc->set[o] |= 1ULL << (c / bc->k);
			shared = true;
		}
		got = expand(bc->set[o], bc->k);
		if (!same_set(&got, want))
			warn_inexact(s, b, bc, o, shared, dl);
	}
	free(count);
}

/* --- helpers for the C text -------------------------------------------- */

static void put_colors(FILE *f, int depth, const char *field, uint64_t mask,
		       unsigned int k)
{
	char bao[128], pages[128];
	colorset_t covered = expand(mask, k);

	mask_format(mask, bao, sizeof(bao));
	colorset_format(&covered, pages, sizeof(pages));
	fprintf(f,
		"%.*s.%s = 0x%" PRIx64
		", /* Bao color%s %s = page colors %s */\n",
		T(depth), field, mask,
		__builtin_popcountll(mask) == 1 ? "" : "s", bao, pages);
}

/* Per-cell identifiers: the cell name, made unique. */
static char **cell_idents(const struct m_system *s)
{
	char **ids = xcalloc(s->ncells + 1, sizeof(*ids));
	size_t i, j;

	for (i = 0; i < s->ncells; i++) {
		ids[i] = tgt_ident(s->cells[i].name, false);
		for (j = 0; j < i; j++) {
			if (!strcmp(ids[i], ids[j])) {
				char *u = xasprintf("%s_%zu", ids[i], i);

				free(ids[i]);
				ids[i] = u;
				break;
			}
		}
	}
	return ids;
}

static void free_idents(char **ids)
{
	char **p;

	for (p = ids; *p; p++)
		free(*p);
	free(ids);
}

/* --- devices -------------------------------------------------------------- */

struct span {
	uint64_t start, end;
};

struct spans {
	struct span *v;
	size_t n, cap;
};

static void spans_add(struct spans *s, uint64_t start, uint64_t end)
{
	VEC_RESERVE(s->v, s->n, s->cap);
	s->v[s->n].start = start;
	s->v[s->n].end = end;
	s->n++;
}

/* [start, end) minus every span in @taken, into @out. */
static void spans_subtract(const struct spans *taken, uint64_t start,
			   uint64_t end, struct spans *out)
{
	size_t i, j, n;

	out->n = 0;
	spans_add(out, start, end);
	for (i = 0; i < taken->n; i++) {
		const struct span *t = &taken->v[i];

		n = out->n;
		for (j = 0; j < n; j++) {
			struct span p = out->v[j];

			if (t->end <= p.start || t->start >= p.end)
				continue;
			out->v[j].end = p.start < t->start ? t->start : p.start;
			if (t->end < p.end)
				spans_add(out, t->end, p.end);
		}
		/* Drop empty pieces. */
		for (j = 0, n = 0; j < out->n; j++)
			if (out->v[j].end > out->v[j].start)
				out->v[n++] = out->v[j];
		out->n = n;
	}
}

struct dev_entry {
	uint64_t pa, size;
	const uint32_t *irqs; /* not owned */
	size_t nirqs;
	uint32_t *own_irqs; /* owned */
	uint32_t id;	    /* SMMU stream id, 0: none */
	char *what;
};

struct dev_list {
	struct dev_entry *v;
	size_t n, cap;
};

static struct dev_entry *dev_add(struct dev_list *l, uint64_t pa, uint64_t size,
				 char *what)
{
	struct dev_entry *e;

	VEC_RESERVE(l->v, l->n, l->cap);
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->pa = pa;
	e->size = size;
	e->what = what;
	return e;
}

static void collect_devices(const struct m_cell *c, const struct m_board *b,
			    struct dev_list *l)
{
	uint64_t page = b->page_size ? b->page_size : 4096;
	struct spans taken = { 0 }, pieces = { 0 };
	size_t i, j, k, n;

	for (i = 0; i < c->ndevices; i++) {
		const struct b_device *d = c->devices[i].dev;
		/* An index: dev_add() may move the list. */
		size_t first = SIZE_MAX;
		uint32_t *irqs;

		if (!d)
			continue;
		for (j = 0; j < d->nregs; j++) {
			uint64_t start = d->regs[j].base & ~(page - 1);
			uint64_t end = tgt_align_up(
				d->regs[j].base + d->regs[j].size, page);

			spans_subtract(&taken, start, end, &pieces);
			for (k = 0; k < pieces.n; k++) {
				dev_add(l, pieces.v[k].start,
					pieces.v[k].end - pieces.v[k].start,
					xasprintf("%s", d->name));
				if (first == SIZE_MAX)
					first = l->n - 1;
				spans_add(&taken, pieces.v[k].start,
					  pieces.v[k].end);
			}
		}
		/* Bao's SMMU faults unknown streams: give the cell its own. */
		for (n = 0; n < d->nstream_ids; n++) {
			if (first == SIZE_MAX) {
				dev_add(l, 0, 0, xasprintf("%s: DMA", d->name));
				first = l->n - 1;
			}
			if (!n)
				l->v[first].id = d->stream_ids[0];
			else
				dev_add(l, 0, 0,
					xasprintf("%s: DMA stream %zu", d->name,
						  n))
					->id = d->stream_ids[n];
		}
		/* A device in shared use brings no interrupt. */
		if (!d->nirqs || c->devices[i].shared_use)
			continue;
		if (first == SIZE_MAX) {
			dev_add(l, 0, 0,
				xasprintf(
					"%s: interrupts (its registers share pages listed above)",
					d->name));
			first = l->n - 1;
		}
		irqs = xcalloc(d->nirqs, sizeof(*irqs));
		for (n = 0; n < d->nirqs; n++)
			irqs[n] = d->irqs[n].intid;
		l->v[first].own_irqs = irqs;
		l->v[first].irqs = irqs;
		l->v[first].nirqs = d->nirqs;
	}
	/* Raw MMIO: whole pages, 1:1, no interrupts. */
	for (i = 0; i < c->nmmio; i++) {
		uint64_t start = c->mmio[i].base & ~(page - 1);
		uint64_t end =
			tgt_align_up(c->mmio[i].base + c->mmio[i].size, page);

		spans_subtract(&taken, start, end, &pieces);
		for (k = 0; k < pieces.n; k++) {
			dev_add(l, pieces.v[k].start,
				pieces.v[k].end - pieces.v[k].start,
				c->mmio[i].name
					? xasprintf("MMIO %s", c->mmio[i].name)
					: xstrdup("MMIO"));
			spans_add(&taken, pieces.v[k].start, pieces.v[k].end);
		}
	}
	if (c->nirqs) {
		struct dev_entry *e =
			dev_add(l, 0, 0, xstrdup("interrupts of irqs:"));
		uint32_t *irqs = xcalloc(c->nirqs, sizeof(*irqs));

		for (n = 0; n < c->nirqs; n++)
			irqs[n] = c->irqs[n].intid;
		e->own_irqs = irqs;
		e->irqs = irqs;
		e->nirqs = c->nirqs;
	}
	if (b->timer_virt) {
		struct dev_entry *e =
			dev_add(l, 0, 0, xstrdup("the virtual timer (PPI)"));

		e->irqs = &b->timer_virt;
		e->nirqs = 1;
	}
	free(taken.v);
	free(pieces.v);
}

static void free_devices(struct dev_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].own_irqs);
		free(l->v[i].what);
	}
	free(l->v);
}

static void put_irqs(FILE *f, int depth, const uint32_t *irqs, size_t n)
{
	size_t i;

	fprintf(f, "%.*s.interrupt_num = %zu,\n", T(depth), n);
	if (!n)
		return;
	fprintf(f, "%.*s.interrupts = (irqid_t[]) { ", T(depth));
	for (i = 0; i < n; i++)
		fprintf(f, "%s%u", i ? ", " : "", irqs[i]);
	fputs(" },\n", f);
}

static void put_devices(FILE *f, const struct dev_list *l)
{
	size_t i;

	fprintf(f, "%.*s.dev_num = %zu,\n", T(4), l->n);
	if (!l->n)
		return;
	fprintf(f, "%.*s.devs = (struct vm_dev_region[]) {\n", T(4));
	for (i = 0; i < l->n; i++) {
		const struct dev_entry *e = &l->v[i];

		fprintf(f, "%.*s{ /* %s */\n", T(5), e->what);
		if (e->size) {
			fprintf(f, "%.*s.pa = 0x%" PRIx64 ",\n", T(6), e->pa);
			fprintf(f, "%.*s.va = 0x%" PRIx64 ",\n", T(6), e->pa);
			fprintf(f, "%.*s.size = 0x%" PRIx64 ",\n", T(6),
				e->size);
		}
		put_irqs(f, 6, e->irqs, e->nirqs);
		if (e->id)
			fprintf(f, "%.*s.id = 0x%x, /* SMMU stream */\n", T(6),
				e->id);
		fprintf(f, "%.*s},\n", T(5));
	}
	fprintf(f, "%.*s},\n", T(4));
}

/* --- the configuration ------------------------------------------------ */

static void put_shmems(FILE *f, const struct m_system *s,
		       const struct bao_colors *bc, struct diag_list *dl)
{
	size_t i, j;

	fprintf(f, "%.*s.shmemlist_size = %zu,\n", T(1), s->nshared);
	if (!s->nshared)
		return;
	fprintf(f, "%.*s.shmemlist = (struct shmem[]) {\n", T(1));
	for (i = 0; i < s->nshared; i++) {
		const struct m_shared *sh = &s->shared[i];
		uint64_t colors = 0;
		bool all_colored = sh->naccess > 0;

		for (j = 0; j < sh->naccess; j++) {
			int ci = sh->access[j].cell_index;
			uint64_t m = ci >= 0 ? bc->set[ci + 1] : 0;

			all_colored &= m != 0;
			colors |= m;
		}
		fprintf(f, "%.*s[%zu] = { /* %s */\n", T(2), i, sh->name);
		fprintf(f, "%.*s.size = 0x%" PRIx64 ",\n", T(3), sh->size);
		if (sh->has_base || !all_colored) {
			/* At sphc's address, so the map is what runs. */
			fprintf(f, "%.*s.place_phys = true,\n", T(3));
			fprintf(f, "%.*s.phys = 0x%" PRIx64 ",\n", T(3),
				sh->place.pa);
		} else {
			put_colors(f, 3, "colors", colors, bc->k);
			diag_report(
				dl, RULE_TARGET_INEXACT, ynode_loc(sh->node),
				"Bao allocates colored shared memory itself: shared region '%s' is not at 0x%" PRIx64
				", where sphc placed it",
				sh->name, sh->place.pa);
		}
		fprintf(f, "%.*s},\n", T(2));
	}
	fprintf(f, "%.*s},\n", T(1));
}

static void put_ipcs(FILE *f, const struct m_system *s, size_t cell,
		     const struct m_board *b, struct diag_list *dl)
{
	size_t i, j, n = 0;

	for (i = 0; i < s->nshared; i++)
		for (j = 0; j < s->shared[i].naccess; j++)
			n += s->shared[i].access[j].cell_index == (int)cell;
	fprintf(f, "%.*s.ipc_num = %zu,\n", T(4), n);
	if (!n)
		return;
	fprintf(f, "%.*s.ipcs = (struct ipc[]) {\n", T(4));
	for (i = 0; i < s->nshared; i++) {
		const struct m_shared *sh = &s->shared[i];

		for (j = 0; j < sh->naccess; j++) {
			const struct m_access *a = &sh->access[j];

			if (a->cell_index != (int)cell)
				continue;
			if (!a->writable)
				diag_report(
					dl, RULE_TARGET_INEXACT,
					ynode_loc(a->node),
					"Bao maps shared memory read-write: cell '%s' can write shared region '%s' on Bao",
					a->cell, sh->name);
			fprintf(f, "%.*s{ /* %s (%s in sphc) */\n", T(5),
				sh->name, a->writable ? "rw" : "ro");
			fprintf(f, "%.*s.base = 0x%" PRIx64 ",\n", T(6),
				sh->place.ipa);
			fprintf(f, "%.*s.size = 0x%" PRIx64 ",\n", T(6),
				sh->size);
			fprintf(f, "%.*s.shmem_id = %zu,\n", T(6), i);
			put_irqs(f, 6, &sh->doorbell_intid,
				 sh->doorbell_intid ? 1 : 0);
			fprintf(f, "%.*s},\n", T(5));
		}
	}
	fprintf(f, "%.*s},\n", T(4));
	(void)b;
}

static void put_regions(FILE *f, const struct m_cell *c, uint64_t colors,
			unsigned int k, struct diag_list *dl)
{
	bool warned = false;
	size_t i;

	fprintf(f, "%.*s.region_num = %zu,\n", T(4), c->nregions);
	fprintf(f, "%.*s.regions = (struct vm_mem_region[]) {\n", T(4));
	for (i = 0; i < c->nregions; i++) {
		const struct m_region *r = &c->regions[i];

		fprintf(f, "%.*s{\n", T(5));
		fprintf(f, "%.*s.base = 0x%" PRIx64 ",\n", T(6), r->place.ipa);
		fprintf(f, "%.*s.size = 0x%" PRIx64 ",\n", T(6), r->size);
		if (r->has_base || !colors) {
			/* At sphc's address, so the map is what runs. */
			if (colors)
				put_colors(f, 6, "colors", colors, k);
			fprintf(f, "%.*s.place_phys = true,\n", T(6));
			fprintf(f, "%.*s.phys = 0x%" PRIx64 ",\n", T(6),
				r->place.pa);
		} else if (!warned) {
			diag_report(
				dl, RULE_TARGET_INEXACT, tgt_cell_loc(c, true),
				"Bao allocates colored memory itself: the memory of cell '%s' is not where sphc placed it (give a region a base: to pin it)",
				c->name);
			warned = true;
		}
		fprintf(f, "%.*s},\n", T(5));
	}
	fprintf(f, "%.*s},\n", T(4));
}

static void put_gic(FILE *f, const struct m_board *b)
{
	fprintf(f, "%.*s.arch = {\n", T(4));
	fprintf(f, "%.*s.gic = {\n", T(5));
	fprintf(f, "%.*s.gicd_addr = 0x%" PRIx64 ",\n", T(6),
		b->gic.distributor.base);
	if (b->gic.version >= 3)
		fprintf(f, "%.*s.gicr_addr = 0x%" PRIx64 ",\n", T(6),
			b->gic.redistributor.base);
	else
		fprintf(f, "%.*s.gicc_addr = 0x%" PRIx64 ",\n", T(6),
			b->gic.cpu_interface.base);
	fprintf(f, "%.*s},\n", T(5));
	fprintf(f, "%.*s},\n", T(4));
}

/* Bao loads one image per VM: a Linux VM's device tree, command line and
 * initrd go into that image (Bao's lloader links them). */
static void warn_linux_files(const struct m_cell *c, struct diag_list *dl)
{
	if (c->initrd)
		diag_report(
			dl, RULE_TARGET_INEXACT, ynode_loc(c->initrd_node),
			"Bao loads one image per VM: the initrd of cell '%s' is not loaded (link kernel, device tree and initrd into one image, as Bao's lloader does)",
			c->name);
	if (c->bootargs)
		diag_report(
			dl, RULE_TARGET_INEXACT, ynode_loc(c->bootargs_node),
			"Bao has no kernel command line: the bootargs of cell '%s' belong in the device tree linked into its image",
			c->name);
}

static void warn_priorities(const struct m_cell *c, struct diag_list *dl)
{
	size_t i;

	for (i = 0; i < c->nirqs; i++)
		if (c->irqs[i].has_priority)
			diag_report(
				dl, RULE_TARGET_INEXACT,
				ynode_loc(c->irqs[i].node),
				"Bao has no interrupt priorities: INTID %u of cell '%s' keeps the guest's own priority",
				c->irqs[i].intid, c->name);
}

static void put_cpus(FILE *f, uint64_t mask)
{
	unsigned int id;
	bool first = true;

	fprintf(f, "%.*s.cpu_affinity = 0x%" PRIx64 ", /* CPU%s", T(3), mask,
		tgt_cpu_count(mask) == 1 ? "" : "s");
	for (id = 0; id < 64; id++) {
		if (mask >> id & 1) {
			fprintf(f, "%s%u", first ? " " : ", ", id);
			first = false;
		}
	}
	fputs(" */\n", f);
}

static void put_images(FILE *f, const struct m_system *s, char **ids)
{
	size_t i;

	fputs("/*\n * Payloads, embedded by Bao's build. Override a path with\n"
	      " * -DSPHC_IMAGE_<CELL>='\"/path/to/image.bin\"'.\n */\n",
	      f);
	for (i = 0; i < s->ncells; i++) {
		const struct m_cell *c = &s->cells[i];
		char *macro = tgt_ident(ids[i], true), *path;

		fprintf(f, "#ifndef SPHC_IMAGE_%s\n", macro);
		if (c->image) {
			char *rel = tgt_image_path(s, c);

			path = tgt_abspath(rel);
			free(rel);
			fprintf(f, "#define SPHC_IMAGE_%s ", macro);
			fput_c_string(f, path);
			rel = quote_comment(c->image);
			fprintf(f, " /* image: %s */\n", rel);
			free(rel);
		} else {
			path = xasprintf("%s.bin", c->name);
			fprintf(f, "#define SPHC_IMAGE_%s ", macro);
			fput_c_string(f, path);
			fputs(" /* placeholder: the cell has no image: */\n",
			      f);
		}
		fputs("#endif\n", f);
		fprintf(f, "VM_IMAGE(%s_image, SPHC_IMAGE_%s)\n\n", ids[i],
			macro);
		free(path);
		free(macro);
	}
}

static void put_vm(FILE *f, const struct m_system *s, const struct m_board *b,
		   size_t i, const char *id, const struct bao_colors *bc,
		   struct diag_list *dl)
{
	const struct m_cell *c = &s->cells[i];
	uint64_t image_ipa = c->nregions ? c->regions[0].place.ipa : 0;
	uint64_t entry = c->entry_node ? c->entry : image_ipa;
	struct dev_list devs = { 0 };

	fprintf(f, "%.*s{ /* VM %zu: cell '%s'%s */\n", T(2), i, c->name,
		c->critical ? " (critical)" : "");
	fprintf(f, "%.*s.image = VM_IMAGE_BUILTIN(%s_image, 0x%" PRIx64 "),\n",
		T(3), id, image_ipa);
	fprintf(f, "%.*s.entry = 0x%" PRIx64 ",\n", T(3), entry);
	put_cpus(f, c->cpumask);
	if (bc->set[i + 1])
		put_colors(f, 3, "colors", bc->set[i + 1], bc->k);
	fprintf(f, "%.*s.platform = {\n", T(3));
	fprintf(f, "%.*s.cpu_num = %u,\n", T(4), tgt_cpu_count(c->cpumask));
	put_regions(f, c, bc->set[i + 1], bc->k, dl);
	put_ipcs(f, s, i, b, dl);
	collect_devices(c, b, &devs);
	put_devices(f, &devs);
	free_devices(&devs);
	put_gic(f, b);
	fprintf(f, "%.*s},\n", T(3));
	fprintf(f, "%.*s},\n", T(2));
	warn_priorities(c, dl);
	warn_linux_files(c, dl);
}

/* Where bao.bin goes and what Bao makes of the board (see bao.h). */
struct bao_plan {
	const struct bao_platform *plat; /* NULL: a board Bao has no file for */
	uint64_t load, footprint, images;
	bool images_unknown; /* a placeholder or unreadable image */
	int more_ram; /* a RAM range of Bao's platform file beyond the board's
		       */
};

static bool in_bao_ram(const struct bao_platform *p, uint64_t base,
		       uint64_t size)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(p->ram); i++)
		if (p->ram[i].size && base >= p->ram[i].base &&
		    base + size <= p->ram[i].base + p->ram[i].size)
			return true;
	return false;
}

static const struct b_device *device_at(const struct m_board *b, uint64_t pa)
{
	size_t i, j;

	for (i = 0; i < b->ndevices; i++)
		for (j = 0; j < b->devices[i].nregs; j++)
			if (pa >= b->devices[i].regs[j].base &&
			    pa < b->devices[i].regs[j].base +
					    b->devices[i].regs[j].size)
				return &b->devices[i];
	return NULL;
}

/* Bao's console: the hypervisor console it cannot move, a cell owning it. */
static void check_console(const struct m_system *s, const struct m_board *b,
			  const struct bao_platform *p, struct diag_list *dl)
{
	const struct b_device *uart = device_at(b, p->console);
	size_t i, j;

	if (s->hyp.no_console)
		diag_report(dl, RULE_TARGET_UNSUPPORTED,
			    ynode_loc(s->hyp.console_node),
			    "Bao always prints to the UART its platform file "
			    "names (0x%" PRIx64 "%s%s): it has no 'console: "
			    "none'",
			    p->console, uart ? ", " : "",
			    uart ? uart->name : "");
	else if (s->hyp.console_node && s->hyp.console_dev != uart)
		diag_report(
			dl, RULE_TARGET_UNSUPPORTED,
			ynode_loc(s->hyp.console_node),
			"Bao prints to the UART its platform file names (0x%" PRIx64
			"%s%s) and cannot be given '%s'",
			p->console, uart ? ", " : "", uart ? uart->name : "",
			s->hyp.console_dev ? s->hyp.console_dev->name
					   : s->hyp.console);
	for (i = 0; uart && i < s->ncells; i++)
		for (j = 0; j < s->cells[i].ndevices; j++)
			if (s->cells[i].devices[j].dev == uart)
				diag_report(
					dl, RULE_TARGET_INEXACT,
					ynode_loc(s->cells[i].devices[j].node),
					"Bao prints to '%s' (its platform's console), which cell '%s' owns: Bao's and the cell's output mix there",
					uart->name, s->cells[i].name);
}

static int plan_bao(const struct m_system *s, const struct m_board *b,
		    struct bao_plan *bp, struct diag_list *dl)
{
	const struct m_place *hp = &s->hyp.memory.place;
	uint64_t end = hp->pa + s->hyp.memory.size;
	const struct ynode *at = s->hyp.memory.node ? s->hyp.memory.node
				 : s->hyp.node	    ? s->hyp.node
						    : s->root;
	char need[32], have[32];
	size_t i;

	memset(bp, 0, sizeof(*bp));
	bp->more_ram = -1;
	bp->plat = bao_platform_of(b);
	bp->load = hp->pa;
	/* Clear of QEMU's DTB, so that QEMU accepts the loader. */
	if (!strncmp(b->name, "qemu-", 5) && b->nram &&
	    hp->pa < b->ram[0].base + QEMU_DTB_SIZE)
		bp->load = tgt_align_up(b->ram[0].base + QEMU_DTB_SIZE, SZ_2M);
	for (i = 0; i < s->ncells; i++) {
		char *path = tgt_image_path(s, &s->cells[i]);
		int64_t size = path ? tgt_file_size(path) : -1;

		if (size < 0)
			bp->images_unknown = true;
		else
			bp->images += tgt_align_up((uint64_t)size, 4096);
		free(path);
	}
	bp->footprint = BAO_CORE_SIZE + bp->images + b->ncpus * BAO_CPU_SIZE;
	if (bp->load + bp->footprint > end) {
		num_format_size(
			tgt_align_up(bp->load - hp->pa + bp->footprint, SZ_1M),
			need, sizeof(need));
		num_format_size(s->hyp.memory.size, have, sizeof(have));
		diag_report(
			dl, RULE_TARGET_LIMIT, ynode_loc(at),
			"Bao does not fit the hypervisor's memory [0x%" PRIx64
			", 0x%" PRIx64 "): loaded at 0x%" PRIx64
			", it takes 0x%" PRIx64
			" bytes (its own %llu KiB, %" PRIu64
			" KiB of embedded cell images, %llu KiB per CPU for %zu CPUs); give the hypervisor memory: { size: %s } (now %s)",
			hp->pa, end, bp->load, bp->footprint,
			BAO_CORE_SIZE >> 10, bp->images >> 10,
			BAO_CPU_SIZE >> 10, b->ncpus, need, have);
		return 1;
	}
	if (!bp->plat)
		return 0;
	for (i = 0; i < b->nram; i++) {
		if (!in_bao_ram(bp->plat, b->ram[i].base, b->ram[i].size))
			diag_report(
				dl, RULE_TARGET_INEXACT, ynode_loc(b->root),
				"Bao's platform file for '%s' does not describe all of RAM [0x%" PRIx64
				", 0x%" PRIx64
				"): Bao cannot use what sphc placed outside it",
				b->name, b->ram[i].base,
				b->ram[i].base + b->ram[i].size);
	}
	for (i = 0; i < ARRAY_SIZE(bp->plat->ram); i++) {
		uint64_t base = bp->plat->ram[i].base,
			 size = bp->plat->ram[i].size;
		size_t j;
		bool covered = !size;

		for (j = 0; j < b->nram && !covered; j++)
			covered =
				base >= b->ram[j].base &&
				base + size <= b->ram[j].base + b->ram[j].size;
		if (!covered && bp->more_ram < 0)
			bp->more_ram = (int)i;
	}
	check_console(s, b, bp->plat, dl);
	for (i = 0; i < s->ncells; i++) {
		if (!s->cells[i].critical)
			continue;
		diag_report(
			dl, RULE_TARGET_UNSUPPORTED,
			tgt_cell_loc(&s->cells[i], false),
			"Bao starts every VM at the same time: critical cell '%s' is not started first",
			s->cells[i].name);
		break;
	}
	return 0;
}

static void put_header(FILE *f, const struct m_system *s,
		       const struct m_board *b, const struct bao_colors *bc,
		       const struct bao_plan *bp)
{
	const struct m_place *hp = &s->hyp.memory.place;
	char size[32], *label = tgt_system_label(s);

	num_format_size(s->hyp.memory.size, size, sizeof(size));
	fprintf(f,
		"// SPDX-License-Identifier: MIT\n"
		"/*\n"
		" * Bao configuration of system '%s' for board '%s'.\n"
		" * Generated by sphc %s from %s; do not edit.\n"
		" *\n"
		" * Build Bao v2 with it:\n"
		" *   make PLATFORM=%s CONFIG_REPO=<this directory> CONFIG=config\n"
		" *\n"
		" * One VM per cell, in cell order; Bao starts them together. sphc\n"
		" * reserved [0x%" PRIx64 ", 0x%" PRIx64
		") (%s) for the hypervisor: have the\n"
		" * boot loader put bao.bin at 0x%" PRIx64
		" and start it there. Bao takes\n"
		" * 0x%" PRIx64
		" bytes from there (code, embedded images, per-CPU memory).\n%s"
		" * Every memory region without colors is at the physical address\n"
		" * `sphc map` shows (place_phys).\n",
		s->name, b->name, SPHC_VERSION, label, b->name, hp->pa,
		hp->pa + s->hyp.memory.size, size, bp->load, bp->footprint,
		bp->images_unknown
			? " * (Placeholder images are not counted.)\n"
			: "");
	free(label);
	if (!strncmp(b->name, "qemu-", 5))
		fprintf(f,
			" * On QEMU, clear of the DTB QEMU puts in the first MiB of RAM:\n"
			" *   -device loader,file=bao.bin,addr=0x%" PRIx64
			",cpu-num=0\n"
			" * started by a firmware whose PSCI takes Bao's CPU_ON (TF-A; QEMU's\n"
			" * built-in PSCI rejects the MPIDR Bao passes, bit 31 set).\n",
			bp->load);
	if (bp->more_ram >= 0) {
		uint64_t base = bp->plat->ram[bp->more_ram].base;

		fprintf(f,
			" * Bao's platform file has RAM [0x%" PRIx64
			", 0x%" PRIx64 "), more than board '%s'\n"
			" * describes, and Bao may allocate its own memory anywhere in it:\n"
			" * give the machine that RAM%s, or make the platform file the board's.\n",
			base, base + bp->plat->ram[bp->more_ram].size, b->name,
			!strncmp(b->name, "qemu-", 5) ? " (QEMU: -m 4G)" : "");
	}
	if (bc->nbao >= 2)
		fprintf(f,
			" * Colors: the board has %u LLC page colors; a Bao color is %u of them\n"
			" * (Bao color n = page colors %un..%un+%u).\n",
			bc->nbao * bc->k, bc->k, bc->k, bc->k, bc->k - 1);
	fputs(" */\n#include <config.h>\n\n", f);
}

int bao_emit(const struct m_system *s, const struct m_board *b,
	     const char *outdir, struct diag_list *dl)
{
	struct bao_colors bc = { 0 };
	struct bao_plan bp;
	struct tgt_text t;
	char **ids, *dir, *path;
	int errors;
	unsigned int nerrors;
	size_t i;
	FILE *f;

	if (tgt_arm32_refused(b, "Bao runs on AArch64 (and Armv8-R)", dl))
		return 1;
	/* No @outdir: everything but the writing, for sphc check. */
	dir = outdir ? tgt_dir(outdir, "bao", dl) : xstrdup("");
	if (!dir)
		return 1;
	if (plan_bao(s, b, &bp, dl)) {
		free(dir);
		return 1;
	}
	/* Bao maps a raw range by its pages (put_devices). */
	nerrors = dl->nerrors;
	check_mmio_pages(s, b, "Bao", dl);
	if (dl->nerrors != nerrors) {
		free(dir);
		return 1;
	}
	convert_colors(s, b, &bc, dl);
	ids = cell_idents(s);
	tgt_text_open(&t);
	f = t.f;
	put_header(f, s, b, &bc, &bp);
	put_images(f, s, ids);
	fputs("struct config config = {\n", f);
	if (bc.set[0]) {
		fprintf(f, "%.*s.hyp = {\n", T(1));
		put_colors(f, 2, "colors", bc.set[0], bc.k);
		fprintf(f, "%.*s},\n\n", T(1));
	} else {
		fprintf(f,
			"%.*s/* .hyp: Bao's defaults (the hypervisor is not colored) */\n\n",
			T(1));
	}
	put_shmems(f, s, &bc, dl);
	fprintf(f, "\n%.*s.vmlist_size = %zu,\n", T(1), s->ncells);
	fprintf(f, "%.*s.vmlist = (struct vm_config[]) {\n", T(1));
	for (i = 0; i < s->ncells; i++)
		put_vm(f, s, b, i, ids[i], &bc, dl);
	fprintf(f, "%.*s},\n", T(1));
	fputs("};\n", f);
	if (outdir) {
		path = xasprintf("%s/config.c", dir);
		errors = tgt_text_write(&t, path, dl);
		free(path);
	} else {
		fclose(t.f);
		free(t.buf);
		errors = 0;
	}
	free(dir);
	free_idents(ids);
	free(bc.set);
	return errors;
}
