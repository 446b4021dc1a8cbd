// SPDX-License-Identifier: MIT
/* The page-table pool, cell stage-2 maps (colored or not), cell copies. */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/mem.h>
#include <hyp/system.h>

static uint64_t pool_start, pool_next, pool_end;

void mem_init(uint64_t start, uint64_t end)
{
	pool_start = pool_next = start;
	pool_end = end;
}

/* Cells that are not critical are built on their own CPUs, in parallel. */
static spinlock_t pool_lock;

void *mem_alloc_raw(uint64_t size, uint64_t align)
{
	uint64_t p;

	spin_lock(&pool_lock);
	p = ALIGN_UP(pool_next, align);
	if (p + size > pool_end || p + size < p)
		panic("out of hypervisor memory (%lu KiB pool)\n",
		      (pool_end - pool_start) >> 10);
	pool_next = p + size;
	spin_unlock(&pool_lock);
	return (void *)p;
}

void *mem_alloc(uint64_t size, uint64_t align)
{
	return memset(mem_alloc_raw(size, align), 0, size);
}

void mem_report(void)
{
	printk("sph: page tables and stacks: %lu KiB of %lu KiB\n",
	       (pool_next - pool_start) >> 10, (pool_end - pool_start) >> 10);
}

static bool has_color(const struct cell *cell, uint64_t pa)
{
	uint64_t c = (pa / PAGE_SIZE) % sph_platform(sys)->num_colors;

	return cell->cfg->colors[c / 64] >> (c % 64) & 1;
}

typedef void piece_fn(struct cell *cell, uint64_t ipa, uint64_t pa,
		      uint64_t size, unsigned int flags);

/*
 * Call @fn for the physical memory behind region @r, in IPA order: the
 * region at once, or for a colored one, the cell's pages of [pa, pa +
 * span) (those of its colors), in order, filling [ipa, ipa + size).
 */
static void region_pieces(struct cell *cell, const struct sph_region *r,
			  piece_fn *fn)
{
	uint64_t ipa = r->ipa, pa;

	if (!(r->flags & SPH_REGION_COLORED)) {
		fn(cell, r->ipa, r->pa, r->size, r->flags);
		return;
	}
	if (!sph_platform(sys)->num_colors)
		panic("cell %s: colored region, no colors\n", cell->name);
	for (pa = r->pa; pa < r->pa + r->span && ipa < r->ipa + r->size;
	     pa += PAGE_SIZE) {
		if (!has_color(cell, pa))
			continue;
		fn(cell, ipa, pa, PAGE_SIZE, r->flags);
		ipa += PAGE_SIZE;
	}
	if (ipa != r->ipa + r->size)
		panic("cell %s: colored region at IPA 0x%lx is short\n",
		      cell->name, r->ipa);
}

static void cell_regions(struct cell *cell, piece_fn *fn)
{
	const struct sph_cell *c = cell->cfg;
	unsigned int i;

	for (i = c->first_region; i < c->first_region + c->num_regions; i++)
		region_pieces(cell, &sph_regions(sys)[i], fn);
}

void mem_map_cell(struct cell *cell)
{
	arch_cell_init(cell);
	cell_regions(cell, arch_map);
}

static void flush_piece(struct cell *cell, uint64_t ipa, uint64_t pa,
			uint64_t size, unsigned int flags)
{
	(void)cell, (void)ipa;
	if (!(flags & SPH_REGION_IO))
		arch_flush_memory(pa, size);
}

void mem_flush_cell(struct cell *cell)
{
	cell_regions(cell, flush_piece);
}

void *cell_ptr(struct cell *cell, uint64_t ipa, unsigned int need,
	       uint64_t *avail)
{
	uint64_t pa;
	unsigned int flags = arch_translate(cell, ipa, &pa);

	if (!flags || (flags & SPH_REGION_IO) || (flags & need) != need)
		return NULL;
	*avail = PAGE_SIZE - (ipa & (PAGE_SIZE - 1));
	return (void *)pa;
}

int cell_copy_in(struct cell *cell, uint64_t ipa, const void *src, uint64_t len)
{
	const uint8_t *from = src;
	uint64_t avail;
	uint8_t *to;

	for (; len; len -= avail, ipa += avail, from += avail) {
		to = cell_ptr(cell, ipa, SPH_REGION_WRITE, &avail);
		if (!to)
			return -1;
		avail = MIN(avail, len);
		/* The cell may start with caches off: what we copied must
		 * reach memory. A range already in place was written by
		 * the boot loader, which cleaned it to the point of
		 * coherency before entering us (arm64 boot protocol). */
		if (to != from) {
			memcpy(to, from, avail);
			arch_sync_memory(to, avail);
		}
	}
	return 0;
}
