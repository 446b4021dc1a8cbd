/* SPDX-License-Identifier: MIT */
/*
 * The runtime's own memory: a window of its address space mapped onto the
 * pages of its colors (hypervisor.ld; hypervisor/README.md "The runtime's
 * memory"). relocate.c builds it at boot with the MMU off and leaves what
 * the rest needs in boot_info, at the start of the boot page.
 */
#ifndef ASM_BOOT_H
#define ASM_BOOT_H

#define BOOT_INFO_TTBR 0 /* offsets, for head.S */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct boot_info {
	uint64_t ttbr;	    /* PA of the EL2 root table (TTBR0_EL2) */
	uint64_t root;	    /* its VA */
	uint64_t window_l3; /* VA of the window's level-3 entries, in order */
	uint64_t pool;	    /* VA of the first window byte after the tables */
};

extern struct boot_info boot_info;

/*
 * LINK_VALUE - the value of a linker-script symbol, by a literal load: the
 * runtime runs 510 GiB above the addresses such symbols hold, beyond the
 * reach of the PC-relative ADRP the compiler would use.
 */
#define LINK_VALUE(sym)                                                        \
	({                                                                     \
		uint64_t v_;                                                   \
		asm("ldr %0, =" #sym : "=r"(v_));                              \
		v_;                                                            \
	})

/* The first-level index of the window: its GiB of the 39-bit space. */
#define WINDOW_SLOT 511

/* hyp_relocate - copy and map the runtime onto its colors (MMU off). */
uint64_t hyp_relocate(uint64_t load_pa);
#endif

#endif
