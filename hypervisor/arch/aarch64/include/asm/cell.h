/* SPDX-License-Identifier: MIT */
/* The AArch64 part of a cell: its stage-2 translation. */
#ifndef ASM_CELL_H
#define ASM_CELL_H

#include <stdint.h>

struct arch_cell {
	uint64_t *root; /* two concatenated level-1 tables */
	uint64_t vttbr; /* root | VMID (cell id + 1) << 48 */
};

#endif
