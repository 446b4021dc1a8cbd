/* SPDX-License-Identifier: MIT */
/* The AArch64 part of a cell: its stage-2 translation. */
#ifndef ASM_CELL_H
#define ASM_CELL_H

#include <stdint.h>

struct arch_cell {
	uint64_t *root; /* two concatenated level-1 tables */
	uint64_t vttbr; /* root | VMID (cell id + 1) << 48 */
	unsigned int noted; /* NOTE_* reported once for this cell */
};

/* The AArch64 part of a vCPU. */
struct arch_vcpu {
	/* HCR_EL2 while it runs: HCR_CELL, plus TVM from a set/way
	 * operation until the vCPU next turns its caches on (sysreg.c). */
	uint64_t hcr;
	uint8_t gic_target; /* GICv2: this CPU's CPU interface bit */
};

#endif
