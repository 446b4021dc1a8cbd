/* SPDX-License-Identifier: MIT */
/*
 * The checks of Jailhouse configurations that only the regions as declared
 * allow, run by `sphc import jailhouse` before the configs become a
 * description (which keeps each cell's resources, not its region list):
 *   - two memory regions of one cell at the same physical addresses
 *     (memory-overlap) or only the same guest-physical ones (ipa-overlap);
 *   - a region on the hypervisor's memory (memory-on-hypervisor), on the
 *     GIC, an IOMMU unit or the virtual PCI host's MMCONFIG window
 *     (memory-on-device).
 * These are the checks of Jailhouse's own `jailhouse config check`, with
 * every GICv3 redistributor frame of the root cell's CPUs instead of one.
 * The debug console is left out on purpose: cells that map the console the
 * hypervisor also writes to are Jailhouse's standard pattern.
 */
#ifndef SPHC_JAILHOUSE_LINT_H
#define SPHC_JAILHOUSE_LINT_H

#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"

/* A struct jailhouse_memory as read. */
struct jh_mem {
	uint64_t phys, virt, size, flags;
};

/* One config's cell: its name, its file, its regions in file order. */
struct jh_lint_cell {
	const char *name;
	struct loc loc;
	const struct jh_mem *mem;
	uint32_t nmem;
};

/* Physical ranges no cell may map, with what they are ("the GIC ..."). */
struct jh_reserved {
	uint64_t base, size;
	const char *what;
	enum rule_id rule; /* memory-on-hypervisor or memory-on-device */
};

/*
 * jailhouse_lint - report to @dl what is wrong inside each of @cells, and
 * between a cell and @res (declared in the system config at @sys_loc).
 * O(n log n) in the regions, plus one line per finding.
 */
void jailhouse_lint(const struct jh_lint_cell *cells, size_t ncells,
		    const struct jh_reserved *res, size_t nres,
		    struct loc sys_loc, struct diag_list *dl);

/* jailhouse_mem_flags - "READ|WRITE|IO" for @flags, into @buf. */
const char *jailhouse_mem_flags(uint64_t flags, char *buf, size_t len);

#endif
