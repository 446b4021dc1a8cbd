// SPDX-License-Identifier: MIT
/*
 * Checks of Jailhouse configurations on their regions as declared (see
 * lint.h). Each cell's regions are sorted once by physical and once by
 * guest-physical start; a region is compared only with those that start
 * before it ends, so the work is the sort plus the overlaps found.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/jailhouse/layout.h"
#include "backends/jailhouse/lint.h"
#include "lib/util.h"

static const struct {
	uint64_t bit;
	const char *name;
} mem_flag_names[] = {
	{ JH_MEM_READ, "READ" },
	{ JH_MEM_WRITE, "WRITE" },
	{ JH_MEM_EXECUTE, "EXECUTE" },
	{ JH_MEM_DMA, "DMA" },
	{ JH_MEM_IO, "IO" },
	{ JH_MEM_COMM_REGION, "COMM_REGION" },
	{ JH_MEM_LOADABLE, "LOADABLE" },
	{ JH_MEM_ROOTSHARED, "ROOTSHARED" },
	{ JH_MEM_NO_HUGEPAGES, "NO_HUGEPAGES" },
	{ JH_MEM_IO_UNALIGNED, "IO_UNALIGNED" },
	{ JH_MEM_IO_8, "IO_8" },
	{ JH_MEM_IO_16, "IO_16" },
	{ JH_MEM_IO_32, "IO_32" },
	{ JH_MEM_IO_64, "IO_64" },
};

const char *jailhouse_mem_flags(uint64_t flags, char *buf, size_t len)
{
	size_t i, at = 0;
	uint64_t known = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(mem_flag_names) / sizeof(mem_flag_names[0]);
	     i++) {
		known |= mem_flag_names[i].bit;
		if (flags & mem_flag_names[i].bit && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s",
					       at ? "|" : "",
					       mem_flag_names[i].name);
	}
	if (flags & ~known && at < len)
		at += (size_t)snprintf(buf + at, len - at, "%s0x%" PRIx64,
				       at ? "|" : "", flags & ~known);
	if (!at)
		snprintf(buf, len, "0");
	return buf;
}

static uint64_t end_at(uint64_t base, uint64_t size)
{
	return size > UINT64_MAX - base ? UINT64_MAX : base + size;
}

/* A region of the cell being checked, by one of its two addresses. */
struct item {
	uint64_t start, end;
	uint32_t index;
};

static int item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The COMM region's physical address is ignored: Jailhouse allocates it. */
static bool has_phys(const struct jh_mem *m)
{
	return m->size && !(m->flags & JH_MEM_COMM_REGION);
}

static bool overlap(uint64_t a, uint64_t b, uint64_t size_a, uint64_t size_b)
{
	return a < end_at(b, size_b) && b < end_at(a, size_a);
}

static void describe(const struct jh_mem *m, uint32_t i, bool virt, char *buf,
		     size_t len)
{
	char flags[160];
	uint64_t at = virt ? m->virt : m->phys;

	snprintf(buf, len,
		 "memory region #%u [0x%" PRIx64 ", 0x%" PRIx64 ") %s", i, at,
		 end_at(at, m->size),
		 jailhouse_mem_flags(m->flags, flags, sizeof(flags)));
}

static struct item *sorted(const struct jh_lint_cell *c, bool virt, size_t *n)
{
	struct item *v = xcalloc(c->nmem + 1, sizeof(*v));
	uint32_t i;

	*n = 0;
	for (i = 0; i < c->nmem; i++) {
		const struct jh_mem *m = &c->mem[i];
		uint64_t at = virt ? m->virt : m->phys;

		if (!m->size || (!virt && !has_phys(m)))
			continue;
		v[*n] = (struct item){ at, end_at(at, m->size), i };
		(*n)++;
	}
	qsort(v, *n, sizeof(*v), item_cmp);
	return v;
}

/* Every pair of @c's regions that overlaps: physically, else virtually. */
static void cell_pairs(const struct jh_lint_cell *c, bool virt,
		       struct diag_list *dl)
{
	size_t n, i, j;
	struct item *v = sorted(c, virt, &n);
	char first[256], second[256];

	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n && v[j].start < v[i].end; j++) {
			uint32_t lo = v[i].index < v[j].index ? v[i].index
							      : v[j].index,
				 hi = v[i].index ^ v[j].index ^ lo;
			const struct jh_mem *a = &c->mem[lo], *b = &c->mem[hi];
			bool both = has_phys(a) && has_phys(b) &&
				    overlap(a->virt, b->virt, a->size, b->size);

			if (virt && has_phys(a) && has_phys(b) &&
			    overlap(a->phys, b->phys, a->size, b->size))
				continue; /* reported by the physical pass */
			describe(b, hi, virt, second, sizeof(second));
			describe(a, lo, virt, first, sizeof(first));
			if (virt)
				diag_report(
					dl, RULE_IPA_OVERLAP, c->loc,
					"cell '%s': %s overlaps its %s at guest-physical addresses",
					c->name, second, first);
			else
				diag_report(
					dl, RULE_MEMORY_OVERLAP, c->loc,
					"cell '%s': %s overlaps its %s physically%s",
					c->name, second, first,
					both ? " and virtually" : "");
		}
	}
	free(v);
}

static void cell_reserved(const struct jh_lint_cell *c,
			  const struct jh_reserved *res, size_t nres,
			  struct loc sys_loc, struct diag_list *dl)
{
	char what[256];
	uint32_t i;
	size_t r;

	for (r = 0; r < nres; r++) {
		if (!res[r].size)
			continue;
		for (i = 0; i < c->nmem; i++) {
			const struct jh_mem *m = &c->mem[i];

			if (!has_phys(m) || !overlap(m->phys, res[r].base,
						     m->size, res[r].size))
				continue;
			describe(m, i, false, what, sizeof(what));
			diag_report(dl, res[r].rule, c->loc,
				    "cell '%s': %s is on %s [0x%" PRIx64
				    ", 0x%" PRIx64 ")",
				    c->name, what, res[r].what, res[r].base,
				    end_at(res[r].base, res[r].size));
			diag_note(dl, sys_loc,
				  "the system configuration declares %s here",
				  res[r].what);
		}
	}
}

void jailhouse_lint(const struct jh_lint_cell *cells, size_t ncells,
		    const struct jh_reserved *res, size_t nres,
		    struct loc sys_loc, struct diag_list *dl)
{
	size_t k;

	for (k = 0; k < ncells; k++) {
		if (diag_enabled(dl, RULE_MEMORY_OVERLAP))
			cell_pairs(&cells[k], false, dl);
		if (diag_enabled(dl, RULE_IPA_OVERLAP))
			cell_pairs(&cells[k], true, dl);
		cell_reserved(&cells[k], res, nres, sys_loc, dl);
	}
}
