// SPDX-License-Identifier: MIT
/*
 * Stage-2 tables: 39-bit IPA, 4 KiB granule, starting at level 1 with one
 * table (VTCR_CELL): one page, as the runtime's colors give no two
 * physically adjacent pages. Tables are written through the runtime's
 * window and read through the identity map (the same physical pages). 2 MiB
 * blocks where the IPA, the PA and the remaining size allow, 4 KiB pages
 * elsewhere; no 1 GiB blocks.
 */
#include <hyp/arch.h>
#include <hyp/cell.h>
#include <hyp/console.h>
#include <hyp/mem.h>
#include <asm/sysregs.h>

#define S2_VALID 0x1ul
#define S2_BLOCK 0x1ul /* levels 1-2 */
#define S2_TABLE 0x3ul /* levels 1-2; a page at level 3 */
#define S2_TYPE 0x3ul
#define S2_DEVICE (0x1ul << 2) /* MemAttr Device-nGnRE */
#define S2_NORMAL (0xful << 2) /* MemAttr Normal write-back */
#define S2_MEMATTR (0xful << 2)
#define S2_READ (1ul << 6)
#define S2_WRITE (1ul << 7)
#define S2_SH_INNER (3ul << 8)
#define S2_AF (1ul << 10)
#define S2_XN (1ul << 54)
#define S2_OA 0x0000fffffffff000ul
#define IPA_LIMIT (1ul << 39)

void arch_cell_init(struct cell *cell)
{
	cell->arch.root = mem_alloc(PAGE_SIZE, PAGE_SIZE);
	cell->arch.vttbr = arch_virt_to_phys(cell->arch.root) |
			   (uint64_t)(cell->cfg->id + 1) << 48;
}

static uint64_t attributes(unsigned int flags)
{
	uint64_t a = S2_AF;

	a |= flags & SPH_REGION_IO ? S2_DEVICE : S2_NORMAL | S2_SH_INNER;
	if (flags & SPH_REGION_READ)
		a |= S2_READ;
	if (flags & SPH_REGION_WRITE)
		a |= S2_WRITE;
	if (!(flags & SPH_REGION_EXEC) || flags & SPH_REGION_IO)
		a |= S2_XN;
	return a;
}

static uint64_t *next_table(struct cell *cell, uint64_t *entry, uint64_t ipa)
{
	if (!(*entry & S2_VALID))
		*entry = arch_virt_to_phys(mem_alloc(PAGE_SIZE, PAGE_SIZE)) |
			 S2_TABLE;
	else if ((*entry & S2_TYPE) != S2_TABLE)
		panic("cell %s: IPA 0x%lx is in two regions\n", cell->name,
		      ipa);
	return (uint64_t *)(*entry & S2_OA);
}

static void map_one(struct cell *cell, uint64_t ipa, uint64_t desc,
		    uint64_t size)
{
	uint64_t *e = next_table(cell, &cell->arch.root[ipa >> 30], ipa);

	e = &e[ipa >> 21 & 511];
	if (size == PAGE_SIZE)
		e = &next_table(cell, e, ipa)[ipa >> 12 & 511];
	/* Devices can share a page: mapping it again the same way is fine. */
	if (*e & S2_VALID && *e != desc)
		panic("cell %s: IPA 0x%lx is in two regions\n", cell->name,
		      ipa);
	*e = desc;
}

void arch_map(struct cell *cell, uint64_t ipa, uint64_t pa, uint64_t size,
	      unsigned int flags)
{
	uint64_t attr = attributes(flags),
		 end = ALIGN_UP(ipa + size, PAGE_SIZE);
	uint64_t step;

	if ((ipa ^ pa) & (PAGE_SIZE - 1) || end > IPA_LIMIT || end < ipa)
		panic("cell %s: cannot map IPA 0x%lx\n", cell->name, ipa);
	pa = ALIGN_DOWN(pa, PAGE_SIZE);
	for (ipa = ALIGN_DOWN(ipa, PAGE_SIZE); ipa < end; ipa += step) {
		step = IS_ALIGNED(ipa | pa, SZ_2M) && end - ipa >= SZ_2M
			       ? SZ_2M
			       : PAGE_SIZE;
		map_one(cell, ipa,
			pa | attr | (step == SZ_2M ? S2_BLOCK : S2_TABLE),
			step);
		pa += step;
	}
}

unsigned int arch_translate(struct cell *cell, uint64_t ipa, uint64_t *pa)
{
	unsigned int shift = 30;
	uint64_t e;

	if (ipa >= IPA_LIMIT)
		return 0;
	e = cell->arch.root[ipa >> 30];
	while (e & S2_VALID && shift > 12 && (e & S2_TYPE) == S2_TABLE) {
		shift -= 9;
		e = ((uint64_t *)(e & S2_OA))[ipa >> shift & 511];
	}
	if (!(e & S2_VALID))
		return 0;
	*pa = (e & S2_OA & ~((1ul << shift) - 1)) |
	      (ipa & ((1ul << shift) - 1));
	return (e & S2_READ ? SPH_REGION_READ : 0) |
	       (e & S2_WRITE ? SPH_REGION_WRITE : 0) |
	       (e & S2_XN ? 0 : SPH_REGION_EXEC) |
	       ((e & S2_MEMATTR) == S2_DEVICE ? SPH_REGION_IO : 0);
}

void arch_stage2_commit(void)
{
	dsb(ishst);
	asm volatile("tlbi alle1is");
	dsb(ish);
	isb();
}
