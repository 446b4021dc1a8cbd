// SPDX-License-Identifier: MIT
/*
 * address-space: every physical address the board declares, and every
 * guest-physical address a cell is given, within what the architecture can
 * translate.
 *
 * An Armv7-A core with the virtualization extensions has LPAE (the
 * extensions require it): 40-bit physical addresses, and stage 2 takes
 * 40-bit guest-physical ones. AArch64 with 4K or 16K pages has 48 bits (52
 * only with 64K pages and FEAT_LPA). A range beyond that cannot be mapped
 * by any hypervisor on the board: it is a typo, or the wrong board.
 */
#include <stdio.h>

#include "check/internal.h"
#include "model/model.h"

/* The bits of a physical (and guest-physical) address on board @b. */
static unsigned int address_bits(const struct m_board *b)
{
	if (b->arm32)
		return 40;
	return b->page_size == 64 * 1024 ? 52 : 48;
}

static const char *arch_phrase(const struct m_board *b)
{
	return b->arm32 ? "an Armv7-A board (LPAE)" : "an AArch64 board";
}

/* Whether [base, base + size) ends past @bits bits of address. */
static bool beyond(uint64_t base, uint64_t size, unsigned int bits)
{
	uint64_t top = 1ULL << bits;

	return base >= top || size > top - base;
}

static void report_board_reg(const struct m_board *b, const struct b_reg *r,
			     const char *what, const struct ynode *fallback,
			     struct diag_list *dl)
{
	unsigned int bits = address_bits(b);
	const struct ynode *at = r->node ? r->node : fallback;

	if (!r->size || !beyond(r->base, r->size, bits) || !at)
		return;
	diag_report(
		dl, RULE_ADDRESS_SPACE, ynode_loc(at),
		"%s [0x%llx, 0x%llx) reaches past the %u-bit physical address space of %s",
		what, (unsigned long long)r->base,
		(unsigned long long)end_of(r->base, r->size), bits,
		arch_phrase(b));
}

void check_board_address_space(const struct m_board *b, struct diag_list *dl)
{
	char what[300];
	size_t i, j;

	for (i = 0; i < b->nram; i++) {
		snprintf(what, sizeof(what), "RAM '%s'",
			 b->ram[i].name ? b->ram[i].name : "?");
		report_board_reg(b, &b->ram[i], what, NULL, dl);
	}
	for (i = 0; i < GIC_N; i++)
		report_board_reg(b, gic_reg(b, (uint32_t)i), gic_names[i],
				 b->gic.node, dl);
	for (i = 0; i < b->ndevices; i++)
		for (j = 0; j < b->devices[i].nregs; j++) {
			snprintf(what, sizeof(what), "device '%s'",
				 b->devices[i].name);
			report_board_reg(b, &b->devices[i].regs[j], what,
					 b->devices[i].node, dl);
		}
	for (i = 0; i < b->niommus; i++) {
		snprintf(what, sizeof(what), "IOMMU '%s'",
			 b->iommus[i].name ? b->iommus[i].name : "?");
		report_board_reg(b, &b->iommus[i], what, NULL, dl);
	}
}

static void report_guest(struct check_ctx *c, const struct ynode *at,
			 const char *what, uint64_t start, uint64_t size,
			 const char *kind)
{
	unsigned int bits = address_bits(c->board);

	if (!size || !beyond(start, size, bits))
		return;
	diag_report(
		c->dl, RULE_ADDRESS_SPACE, node_loc(c, at),
		"%s at %s [0x%llx, 0x%llx) reaches past the %u-bit address space of %s",
		what, kind, (unsigned long long)start,
		(unsigned long long)end_of(start, size), bits,
		arch_phrase(c->board));
}

/*
 * What cells are given: their regions at their guest-physical addresses
 * and their raw MMIO ranges. Physical memory must lie in the board's RAM,
 * which check_board_address_space() has seen.
 */
void check_address_space(struct check_ctx *c)
{
	const struct m_system *s = c->sys;
	const struct m_cell *cell;
	const struct m_region *r;
	struct where w;
	char what[300];
	size_t i, j;

	for_each_cell(s, i, cell) {
		snprintf(what, sizeof(what), "memory of cell '%s'", cell->name);
		for_each_region(cell, j, r)
			if (region_where(r, &w))
				report_guest(c, r->node, what, w.ipa,
					     w.ipa_end - w.ipa,
					     "guest-physical");
		for (j = 0; j < cell->nmmio; j++) {
			mmio_name(cell, (uint32_t)j, what, sizeof(what));
			report_guest(c, cell->mmio[j].node, what,
				     cell->mmio[j].base, cell->mmio[j].size,
				     "physical");
		}
	}
	for (i = 0; i < s->nshared; i++) {
		snprintf(what, sizeof(what), "shared region '%s'",
			 s->shared[i].name);
		if (shared_where(&s->shared[i], &w))
			report_guest(c, s->shared[i].node, what, w.ipa,
				     w.ipa_end - w.ipa, "guest-physical");
	}
}
