/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor memory and cell memory. Page tables come from the free part
 * of the hypervisor's own memory, between the end of its image and the
 * system blob; nothing is ever freed.
 */
#ifndef HYP_MEM_H
#define HYP_MEM_H

#include <hyp/lib.h>

struct cell;

/* mem_init - hand out [start, end) from now on. */
void mem_init(uint64_t start, uint64_t end);

/* mem_alloc - @size zeroed bytes aligned to @align; panics when out. */
void *mem_alloc(uint64_t size, uint64_t align);

/* mem_alloc_raw - the same, not zeroed: for stacks, which hold only the
 * runtime's own data and are written before they are read. */
void *mem_alloc_raw(uint64_t size, uint64_t align);

/* mem_report - print how much of the pool is in use. */
void mem_report(void);

/* mem_map_cell - map every region of @cell in its stage 2. */
void mem_map_cell(struct cell *cell);

/* mem_flush_cell - clean and invalidate all RAM of @cell from the data
 * caches (set/way emulation). */
void mem_flush_cell(struct cell *cell);

/*
 * cell_ptr - where the hypervisor reaches IPA @ipa of @cell, and in
 * @avail how many bytes follow in the same page; NULL unless the page is
 * mapped as RAM with every SPH_REGION_* flag in @need.
 */
void *cell_ptr(struct cell *cell, uint64_t ipa, unsigned int need,
	       uint64_t *avail);

/*
 * cell_copy_in - copy @len bytes from @src to IPA @ipa of @cell, skipping
 * pages that already are @src (a payload loaded where it runs), and clean
 * them to the point of coherency for a cell that runs caches off. Returns
 * 0, or -1 if part of the range is not writable RAM of the cell.
 */
int cell_copy_in(struct cell *cell, uint64_t ipa, const void *src,
		 uint64_t len);

#endif
