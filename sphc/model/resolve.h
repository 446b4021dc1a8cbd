/* SPDX-License-Identifier: MIT */
/*
 * The resolve stage: everything a description leaves to sphc is decided
 * here, deterministically, before any check runs.
 *
 * Policy (documented in docs/language.md):
 *   CPUs    explicit ids first; a count takes the lowest free board CPUs,
 *           cells in list order.
 *   colors  explicit sets first (hypervisor, then cells); a count takes the
 *           lowest free colors.
 *   memory  items with a base are placed there. Then, in order, the
 *           hypervisor (always contiguous: the runtime is one linked image),
 *           each cell's regions and the shared regions are placed
 *           first-fit from the lowest RAM address: uncolored items of 2 MiB or
 *           more at 2 MiB alignment when possible (stage 2 can then use
 *           blocks), others at page alignment; colored items at the start of a
 *           color period, sharing physical ranges with items whose colors are
 *           disjoint.
 *   doorbells  a doorbell without an INTID takes the highest SPI no device,
 *           cell or other doorbell uses.
 *   boot order  critical cells first, then the others, each in list order.
 * Failures (not enough CPUs, colors or memory) are reported with what was
 * needed and what was left.
 */
#ifndef SPHC_RESOLVE_H
#define SPHC_RESOLVE_H

#include "diag/diag.h"
#include "model/model.h"

/* resolve_system - fill the resolved fields of @s. Returns errors reported. */
int resolve_system(struct m_system *s, const struct m_board *b,
		   struct diag_list *dl);

/*
 * colored_extent - the smallest span from @pa holding @size bytes of pages
 * whose color (page index modulo @ncolors) is in @colors.
 * Returns 0 when @colors has no color below @ncolors.
 */
uint64_t colored_extent(uint64_t pa, uint64_t size, const colorset_t *colors,
			uint32_t ncolors, uint64_t page);

#endif
