/* SPDX-License-Identifier: MIT */
/*
 * Shared by the rule files of sphc/check/ only: the rule functions the table in
 * check.c lists, and small helpers to read the resolved model.
 */
#ifndef SPHC_CHECK_INTERNAL_H
#define SPHC_CHECK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "check/check.h"

#define SZ_2M (2ULL << 20)

#define for_each_cell(s, i, cell)                                              \
	for ((i) = 0; (i) < (s)->ncells && ((cell) = &(s)->cells[i], 1); (i)++)

#define for_each_region(cell, j, r)                                            \
	for ((j) = 0;                                                          \
	     (j) < (cell)->nregions && ((r) = &(cell)->regions[j], 1); (j)++)

/* colorset_next - the lowest color >= @from and < @limit in @s, or -1. */
static inline int colorset_next(const colorset_t *s, uint32_t from,
				uint32_t limit)
{
	uint32_t w;
	uint64_t bits;

	if (limit > SPHC_MAX_COLORS)
		limit = SPHC_MAX_COLORS;
	for (w = from / 64; from < limit && w < SPHC_MAX_COLORS / 64; w++) {
		bits = s->w[w];
		if (w == from / 64)
			bits &= ~0ULL << (from % 64);
		if (bits) {
			uint32_t c = w * 64 + (uint32_t)__builtin_ctzll(bits);

			return c < limit ? (int)c : -1;
		}
	}
	return -1;
}

#define for_each_color(set, limit, c)                                          \
	for ((c) = colorset_next((set), 0, (limit)); (c) >= 0;                 \
	     (c) = colorset_next((set), (uint32_t)(c) + 1, (limit)))

/* end_of - the end of [base, base + size), clamped at the top of memory. */
static inline uint64_t end_of(uint64_t base, uint64_t size)
{
	return size > UINT64_MAX - base ? UINT64_MAX : base + size;
}

/*
 * Where a memory item sits: physical [pa, end) and guest-physical
 * [ipa, ipa_end). Colored items use only the pages of their colors in
 * [pa, end). False when the item has no placement (allocation failed).
 */
struct where {
	uint64_t pa, end, ipa, ipa_end;
	bool colored;
};

bool region_where(const struct m_region *r, struct where *w);
bool shared_where(const struct m_shared *sh, struct where *w);

/*
 * radix_order - the order of @n elements of @size bytes by the unsigned
 * integer of @key_bytes (4 or 8) at offset @off, stably: equal keys keep
 * their order. The elements do not move: the result lists their indexes,
 * smallest key first. @order, when not NULL, is an order to refine (for a
 * sort by several keys, least significant first), taken over: use the
 * result instead. Else the elements start in array order. O(n) per pass,
 * no comparisons, 8 bytes per element (the count table: 8 KiB below 64K
 * elements, 1 MiB above); for the million-region sweeps. Elements already
 * in order, or in order but for a tail of up to 32, are not radix-sorted:
 * one pass finds that, and the tail is merged in. The caller frees the
 * result.
 */
uint32_t *radix_order(const void *base, size_t n, size_t size, size_t off,
		      unsigned int key_bytes, uint32_t *order);

/* How far ahead a walk in radix_order() order prefetches its elements. */
#define PREFETCH 32

/* node_loc - the location of @n, or of the system's root when it is NULL. */
struct loc node_loc(const struct check_ctx *c, const struct ynode *n);

/* A set of ids (CPUs or colors) as one bitmap, ids below @limit only. */
void idset_bits(const struct m_idset *set, uint32_t limit, colorset_t *out);

/* fmt_ids - "3", "1-3" or "0, 4-7, 9": @set below @limit, into @buf. */
const char *fmt_ids(const colorset_t *set, uint32_t limit, char *buf,
		    size_t len);

/* cell_colored - the cell uses cache coloring on this board. */
bool cell_colored(const struct check_ctx *c, const struct m_cell *cell);

/*
 * Who owns each board device: up to two distinct owners, each a cell index
 * or OWNER_HYP (the hypervisor, for its console), with the declaration that
 * gave it. Computed by device_owners() into an array of b->ndevices.
 */
#define OWNER_NONE (-1)
#define OWNER_HYP (-2)

struct dev_owners {
	int owner[2];
	const struct ynode *ref[2];
};

struct dev_owners *device_owners(const struct check_ctx *c);
/* owner_name - "cell 'a'" or "the hypervisor", into @buf. */
const char *owner_name(const struct check_ctx *c, int owner, char *buf,
		       size_t len);

/*
 * Ids (CPUs or colors) given to several owners, one written piece at a time
 * (a range of a list, or a resolved count). Owners are numbered in the order
 * they are checked; an earlier owner wins, the later one is reported.
 */
struct idpiece {
	colorset_t ids;
	const struct ynode *node;
	int owner;
};

void report_id_conflicts(struct check_ctx *c, enum rule_id rule,
			 const char *noun, const char *verb,
			 const struct idpiece *v, size_t n,
			 const char *const *owner_names, uint32_t limit);

/*
 * GIC frames are devices numbered after the board's devices. A guest sees
 * the first GIC_GUEST of them (the virtual CPU interface appears in place
 * of the CPU interface); the virtual interface control is the hypervisor's.
 */
enum {
	GIC_DIST,
	GIC_REDIST,
	GIC_CPUIF,
	GIC_GUEST,
	GIC_VCTRL = GIC_GUEST,
	GIC_VCPUIF,
	GIC_N
};

/* The board's GIC frame @which (a GIC_* above); size 0 when not given. */
const struct b_reg *gic_reg(const struct m_board *b, uint32_t which);

/* "the GIC distributor", ...: frame @which as diagnostics name it. */
extern const char *const gic_names[GIC_N];

/* "MMIO 'fpga' of cell 'a'", or "MMIO of cell 'a'" without a name. */
void mmio_name(const struct m_cell *cell, uint32_t k, char *buf, size_t len);

/* --- the rules, by file ---------------------------------------------- */

/* check/addrspace.c */
void check_address_space(struct check_ctx *c);
void check_board_address_space(const struct m_board *b, struct diag_list *dl);

/* check/mem.c */
void check_memory_alignment(struct check_ctx *c);
void check_memory_in_ram(struct check_ctx *c);
void check_physical_overlaps(struct check_ctx *c);
void check_ipa_overlaps(struct check_ctx *c);
void check_device_pages(struct check_ctx *c);
void check_superpage_alignment(struct check_ctx *c);

/* check/irq.c */
void check_irq_numbers(struct check_ctx *c);
void check_irq_owners(struct check_ctx *c);
void check_doorbells(struct check_ctx *c);

/* check/color.c */
void check_color_cache(struct check_ctx *c);
void check_color_range(struct check_ctx *c);
void check_color_conflicts(struct check_ctx *c);
void check_color_counts(struct check_ctx *c);
void check_colored_superpages(struct check_ctx *c);
void check_hypervisor_colors(struct check_ctx *c);

/* check/cell.c */
void check_cpu_conflicts(struct check_ctx *c);
void check_device_conflicts(struct check_ctx *c);
void check_images(struct check_ctx *c);
void check_entry_points(struct check_ctx *c);
void check_uncolored_neighbors(struct check_ctx *c);
void check_bulk_buffers(struct check_ctx *c);
void check_critical_boot_order(struct check_ctx *c);

#endif
